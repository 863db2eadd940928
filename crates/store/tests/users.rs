//! The users of an organisation, as its owner lists them: every user with their role, no one of another
//! organisation, and only for an owner.

use verblijf_store::*;

async fn sqlite() -> Store {
    let dir = std::env::temp_dir().join(format!(
        "verblijf-store-users-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    Store::open(dir.join("register.db").to_str().expect("utf8"))
        .await
        .expect("open sqlite")
}

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn an_owner_lists_the_organisations_users_with_their_roles() {
    let s = sqlite().await;
    let (_, owner) = s
        .create_organisation("Acme", "hr@acme.example", PASSWORD)
        .await
        .expect("org");
    let adviser = s
        .add_user(&owner, "Adviser@acme.example", PASSWORD, Role::Adviser)
        .await
        .expect("adviser");
    let viewer = s
        .add_user(&owner, "v@acme.example", PASSWORD, Role::Viewer)
        .await
        .expect("viewer");
    let (_, other) = s
        .create_organisation("Other", "hr@other.example", PASSWORD)
        .await
        .expect("other");
    let users = s.users(&owner).await.expect("users");
    let listed: Vec<(&str, Role)> = users.iter().map(|u| (u.email.as_str(), u.role)).collect();
    assert_eq!(
        listed,
        vec![
            ("adviser@acme.example", Role::Adviser),
            ("hr@acme.example", Role::Owner),
            ("v@acme.example", Role::Viewer),
        ]
    );
    assert_eq!(users[0].id, adviser.user_id);
    assert!(users.iter().all(|u| u.created_at.len() >= 10));
    let theirs = s.users(&other).await.expect("users");
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].email, "hr@other.example");
    for who in [&adviser, &viewer] {
        assert!(matches!(s.users(who).await, Err(StoreError::Forbidden(_))));
    }
    assert_eq!(Role::from_name("adviser"), Some(Role::Adviser));
    assert_eq!(Role::from_name("boss"), None);
}
