//! The users of an organisation, as its owners see them: email, role and since when. Passwords and tokens are
//! never read here. Adding a user is [`Store::add_user`].

use serde::Serialize;
use sqlx::Row;

use crate::store::Result;
use crate::{Actor, Role, Store, StoreError};

/// A user of the actor's organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub created_at: String,
}

impl Role {
    /// The role named `owner`, `adviser` or `viewer`; anything else is none.
    pub fn from_name(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "adviser" => Some(Role::Adviser),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

impl Store {
    /// The users of the actor's organisation (owners only), by email.
    pub async fn users(&self, actor: &Actor) -> Result<Vec<UserRecord>> {
        if actor.role != Role::Owner {
            return Err(StoreError::Forbidden("only an owner manages users".into()));
        }
        let rows = sqlx::query(
            "SELECT id, email, role, created_at FROM users WHERE organisation_id = $1 ORDER BY email",
        )
        .bind(&actor.organisation_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UserRecord {
                    id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    role: Role::parse(&r.try_get::<String, _>("role")?),
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
