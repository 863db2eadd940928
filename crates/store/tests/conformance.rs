//! One conformance suite, run against SQLite (a fresh file) and PostgreSQL (a fresh database on the server named
//! by `VERBLIJF_TEST_POSTGRES_URL`, which `.ci/run` starts; without it the PostgreSQL half says so and is skipped,
//! except under CI, where it fails).

use serde_json::json;
use verblijf_store::*;

async fn sqlite() -> Store {
    let dir = std::env::temp_dir().join(format!(
        "verblijf-store-{}-{}",
        std::process::id(),
        uuid_like()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    Store::open(dir.join("register.db").to_str().expect("utf8"))
        .await
        .expect("open sqlite")
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    )
}

/// A fresh database on the PostgreSQL server, per test.
async fn postgres() -> Option<Store> {
    let Ok(base) = std::env::var("VERBLIJF_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set VERBLIJF_TEST_POSTGRES_URL for the PostgreSQL half of the suite"
        );
        eprintln!("PostgreSQL half skipped: VERBLIJF_TEST_POSTGRES_URL is not set");
        return None;
    };
    let name = format!("verblijf_t_{}", uuid_like().replace('-', "_"));
    sqlx_create_db(&base, &name).await;
    let url = match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("VERBLIJF_TEST_POSTGRES_URL needs a database name"),
    };
    Some(Store::open(&url).await.expect("open postgres"))
}

async fn sqlx_create_db(base: &str, name: &str) {
    // Connect to the named database and create a sibling; the test role may create databases.
    let store_admin = Store::open(base).await.expect("connect to the test server");
    store_admin
        .raw_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
}

macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn on_sqlite() {
                $body(sqlite().await).await;
            }
            #[tokio::test]
            async fn on_postgres() {
                if let Some(s) = postgres().await {
                    $body(s).await;
                }
            }
        }
    };
}

async fn a_new_organisation_has_an_owner_who_can_sign_in(s: Store) {
    let (org, owner) = s
        .create_organisation("Acme B.V.", "hr@acme.example", "correct horse battery")
        .await
        .expect("create");
    assert_eq!(owner.role, Role::Owner);
    assert_eq!(owner.organisation_id, org.id);
    let again = s
        .login("HR@acme.example", "correct horse battery")
        .await
        .expect("login");
    assert_eq!(again, owner);
    assert_eq!(
        s.login("hr@acme.example", "wrong password!!")
            .await
            .unwrap_err(),
        StoreError::Unauthenticated
    );
    assert_eq!(
        s.login("nobody@acme.example", "correct horse battery")
            .await
            .unwrap_err(),
        StoreError::Unauthenticated
    );
    assert!(matches!(
        s.create_organisation("Other", "hr@acme.example", "another password")
            .await
            .unwrap_err(),
        StoreError::Conflict(_)
    ));
    let e = s
        .create_organisation("X", "not-an-email", "long enough password")
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid { ref field, .. } if field == "email"),
        "{e}"
    );
    let token = s.create_token(&owner).await.expect("token");
    assert_eq!(
        s.authenticate_token(&token).await.expect("token works"),
        owner
    );
    assert_eq!(
        s.authenticate_token("vbl_guess").await.unwrap_err(),
        StoreError::Unauthenticated
    );
}
both!(
    organisations_and_sign_in,
    a_new_organisation_has_an_owner_who_can_sign_in
);

async fn a_household_of_three_becomes_a_case_the_rules_assess(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let h = s
        .create_household(&owner, "Sharma")
        .await
        .expect("household");
    let anna = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Anna Sharma".into(),
                bsn: Some("111222333".into()),
                birth_date: Some("1994-08-20".into()),
                nationality: Some("IN".into()),
            },
        )
        .await
        .expect("anna");
    let ben = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Ben Sharma".into(),
                birth_date: Some("1992-02-11".into()),
                nationality: Some("IN".into()),
                ..Default::default()
            },
        )
        .await
        .expect("ben");
    let cleo = s
        .add_person(
            &owner,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Cleo Sharma".into(),
                birth_date: Some("2020-04-02".into()),
                nationality: Some("IN".into()),
                ..Default::default()
            },
        )
        .await
        .expect("cleo");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: anna.id.clone(),
            kind: "highly_skilled_migrant".into(),
            valid_from: "2023-09-01".into(),
            valid_until: Some("2026-08-31".into()),
            document_number: Some("NLD123".into()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: ben.id.clone(),
            kind: "family_member".into(),
            valid_from: "2023-10-15".into(),
            valid_until: Some("2028-10-14".into()),
            sponsor_person_id: Some(anna.id.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: cleo.id.clone(),
            kind: "family_member".into(),
            valid_from: "2023-10-15".into(),
            valid_until: Some("2026-08-31".into()),
            sponsor_person_id: Some(anna.id.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.add_contract(
        &owner,
        &anna.id,
        Some("Acme".into()),
        Some(520_000),
        Some("2023-09-01".into()),
        Some("2026-08-31".into()),
    )
    .await
    .expect("contract");
    s.add_relationship(
        &owner,
        "partner",
        &anna.id,
        &ben.id,
        Some("married"),
        Some("2018-05-05".into()),
        None,
    )
    .await
    .expect("rel");
    s.add_relationship(&owner, "child", &anna.id, &cleo.id, None, None, None)
        .await
        .expect("rel");
    let case = s
        .household_case(&owner, &h.id, "2025-06-01")
        .await
        .expect("case");
    let case = verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
        .expect("the case reads");
    let params = verblijf_rules::ParamSet::embedded().expect("params");
    let a = verblijf_rules::assess_household(&case, &params);
    let ben_work = a
        .members
        .iter()
        .find(|m| m.id.as_deref() == Some(ben.id.as_str()))
        .expect("ben")
        .work_rights
        .clone();
    assert_eq!(ben_work.status, verblijf_rules::WorkStatus::Free);
    assert_eq!(
        ben_work.until.map(|d| d.to_string()).as_deref(),
        Some("2026-08-31")
    );
    let saved = s
        .save_assessment(
            &owner,
            &h.id,
            "2025-06-01",
            a.receipt.engine,
            &a.receipt.params_hash,
            &serde_json::to_value(&a).expect("json"),
        )
        .await
        .expect("save");
    let list = s.assessments(&owner, &h.id).await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, saved.id);
    assert_eq!(list[0].params_hash, a.receipt.params_hash.to_string());
    assert_eq!(
        list[0].result["members"][1]["work_rights"]["status"],
        json!("free")
    );
}
both!(
    households_and_assessments,
    a_household_of_three_becomes_a_case_the_rules_assess
);

async fn bad_input_names_the_field(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let field = |e: StoreError| match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected an invalid field, got {other}"),
    };
    assert_eq!(
        field(
            s.add_person(
                &owner,
                PersonInput {
                    name: "X".into(),
                    bsn: Some("123456789".into()),
                    ..Default::default()
                }
            )
            .await
            .unwrap_err()
        ),
        "bsn"
    );
    assert_eq!(
        field(
            s.add_person(
                &owner,
                PersonInput {
                    name: "X".into(),
                    birth_date: Some("1990-02-30".into()),
                    ..Default::default()
                }
            )
            .await
            .unwrap_err()
        ),
        "birth_date"
    );
    assert_eq!(
        field(
            s.add_person(
                &owner,
                PersonInput {
                    name: " ".into(),
                    ..Default::default()
                }
            )
            .await
            .unwrap_err()
        ),
        "name"
    );
    let p = s
        .add_person(
            &owner,
            PersonInput {
                name: "Y".into(),
                ..Default::default()
            },
        )
        .await
        .expect("person");
    assert_eq!(
        field(
            s.add_permit(
                &owner,
                PermitInput {
                    person_id: p.id.clone(),
                    kind: "tourist".into(),
                    valid_from: "2025-01-01".into(),
                    ..Default::default()
                }
            )
            .await
            .unwrap_err()
        ),
        "kind"
    );
    assert_eq!(
        field(
            s.add_permit(
                &owner,
                PermitInput {
                    person_id: p.id.clone(),
                    kind: "study".into(),
                    valid_from: "2025-01-01".into(),
                    valid_until: Some("2024-01-01".into()),
                    ..Default::default()
                }
            )
            .await
            .unwrap_err()
        ),
        "valid_until"
    );
    assert_eq!(
        field(
            s.add_contract(&owner, &p.id, None, Some(-1), None, None)
                .await
                .unwrap_err()
        ),
        "gross_monthly_salary"
    );
}
both!(validation, bad_input_names_the_field);

async fn another_organisation_and_a_viewer_are_refused_without_a_leak(s: Store) {
    let (_, acme) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let (_, other) = s
        .create_organisation("Other", "o@other.example", "correct horse battery")
        .await
        .expect("org");
    let viewer = s
        .add_user(&acme, "v@acme.example", "viewer password 1", Role::Viewer)
        .await
        .expect("viewer");
    let h = s.create_household(&acme, "H").await.expect("h");
    let p = s
        .add_person(
            &acme,
            PersonInput {
                household_id: Some(h.id.clone()),
                name: "Secret Person".into(),
                ..Default::default()
            },
        )
        .await
        .expect("p");
    // Another organisation sees nothing.
    assert!(matches!(
        s.person(&other, &p.id).await.unwrap_err(),
        StoreError::NotFound(_)
    ));
    assert!(s.people(&other, None).await.expect("list").is_empty());
    assert!(matches!(
        s.household_case(&other, &h.id, "2025-01-01")
            .await
            .unwrap_err(),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.export_person(&other, &p.id).await.unwrap_err(),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.erase_person(&other, &p.id).await.unwrap_err(),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.update_person(
            &other,
            &p.id,
            PersonInput {
                name: "Changed".into(),
                ..Default::default()
            }
        )
        .await
        .unwrap_err(),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.add_permit(
            &other,
            PermitInput {
                person_id: p.id.clone(),
                kind: "study".into(),
                valid_from: "2025-01-01".into(),
                ..Default::default()
            }
        )
        .await
        .unwrap_err(),
        StoreError::NotFound(_)
    ));
    assert!(matches!(
        s.assessments(&other, &h.id).await.unwrap_err(),
        StoreError::NotFound(_)
    ));
    assert!(s
        .audit_log(&other)
        .await
        .expect("audit")
        .iter()
        .all(|e| e.entity_id != p.id));
    // A viewer reads but does not write.
    assert_eq!(
        s.person(&viewer, &p.id).await.expect("read").name,
        "Secret Person"
    );
    assert!(matches!(
        s.add_person(
            &viewer,
            PersonInput {
                name: "N".into(),
                ..Default::default()
            }
        )
        .await
        .unwrap_err(),
        StoreError::Forbidden(_)
    ));
    assert!(matches!(
        s.erase_person(&viewer, &p.id).await.unwrap_err(),
        StoreError::Forbidden(_)
    ));
    assert!(matches!(
        s.add_user(&viewer, "x@acme.example", "long enough pw", Role::Owner)
            .await
            .unwrap_err(),
        StoreError::Forbidden(_)
    ));
}
both!(
    authorisation,
    another_organisation_and_a_viewer_are_refused_without_a_leak
);

async fn export_and_erase_leave_only_a_non_personal_record(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let p = s
        .add_person(
            &owner,
            PersonInput {
                name: "Eva Erased".into(),
                bsn: Some("123456782".into()),
                birth_date: Some("1990-01-01".into()),
                nationality: Some("BR".into()),
                ..Default::default()
            },
        )
        .await
        .expect("p");
    s.add_permit(
        &owner,
        PermitInput {
            person_id: p.id.clone(),
            kind: "highly_skilled_migrant".into(),
            valid_from: "2024-01-01".into(),
            document_number: Some("DOC-9".into()),
            ..Default::default()
        },
    )
    .await
    .expect("permit");
    s.update_person(
        &owner,
        &p.id,
        PersonInput {
            name: "Eva E.".into(),
            bsn: Some("123456782".into()),
            ..Default::default()
        },
    )
    .await
    .expect("update");
    let export = s.export_person(&owner, &p.id).await.expect("export");
    assert_eq!(export["person"]["bsn"], "123456782");
    assert_eq!(export["permits"][0]["document_number"], "DOC-9");
    s.erase_person(&owner, &p.id).await.expect("erase");
    let after = s.export_person(&owner, &p.id).await.expect("export after");
    let text = after.to_string();
    for secret in ["Eva", "123456782", "DOC-9", "1990-01-01", "BR"] {
        assert!(!text.contains(secret), "{secret} survived: {text}");
    }
    let log = s.audit_log(&owner).await.expect("log");
    let log_text = serde_json::to_string(&log).expect("json");
    for secret in ["Eva", "123456782", "DOC-9"] {
        assert!(!log_text.contains(secret), "{secret} in the audit log");
    }
    let last = log.last().expect("entries");
    assert_eq!(
        (
            last.action.as_str(),
            last.entity.as_str(),
            last.entity_id.as_str()
        ),
        ("erase", "person", p.id.as_str())
    );
    assert!(
        log.windows(2).all(|w| w[1].seq == w[0].seq + 1),
        "the audit log counts up without gaps"
    );
    assert!(s
        .people(&owner, Some("eva"))
        .await
        .expect("search")
        .is_empty());
}
both!(privacy, export_and_erase_leave_only_a_non_personal_record);

async fn the_audit_log_records_before_and_after(s: Store) {
    let (_, owner) = s
        .create_organisation("Acme", "o@acme.example", "correct horse battery")
        .await
        .expect("org");
    let p = s
        .add_person(
            &owner,
            PersonInput {
                name: "Raj".into(),
                ..Default::default()
            },
        )
        .await
        .expect("p");
    s.update_person(
        &owner,
        &p.id,
        PersonInput {
            name: "Raj Kumar".into(),
            nationality: Some("IN".into()),
            ..Default::default()
        },
    )
    .await
    .expect("u");
    let log = s.audit_log(&owner).await.expect("log");
    let update = log
        .iter()
        .find(|e| e.action == "update")
        .expect("update entry");
    assert_eq!(update.before.as_ref().expect("before")["name"], "Raj");
    assert_eq!(update.after.as_ref().expect("after")["name"], "Raj Kumar");
    assert_eq!(update.actor.as_deref(), Some(owner.user_id.as_str()));
    let found = s.people(&owner, Some("kum")).await.expect("search");
    assert_eq!(found.len(), 1);
}
both!(audit, the_audit_log_records_before_and_after);
