//! Signed-in sessions of the register's web pages: a random token in a cookie, kept here only as its SHA-256, that
//! ends at sign-out, after a time without use (idle) or after a fixed lifetime (absolute), whichever comes first.

use serde::Serialize;
use sqlx::Row;

use crate::store::{new_id, now, token_hash, Result};
use crate::{Actor, Role, Store, StoreError};

/// How long a session lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ends after this long without a request.
    pub idle: std::time::Duration,
    /// Ends this long after sign-in, however busy.
    pub absolute: std::time::Duration,
}

impl Default for SessionLimits {
    /// 30 minutes idle, 12 hours in all.
    fn default() -> Self {
        SessionLimits {
            idle: std::time::Duration::from_secs(30 * 60),
            absolute: std::time::Duration::from_secs(12 * 60 * 60),
        }
    }
}

/// A live session: who it is, and the token its forms must carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Session {
    pub actor: Actor,
    pub email: String,
    pub organisation: String,
    /// Per session, derived from the session token, so it is never stored and cannot be guessed from the database.
    #[serde(skip)]
    pub csrf_token: String,
}

/// Seconds between writes of `last_seen_at`: a busy session is not a write per request.
const TOUCH_EVERY_SECS: i64 = 60;

fn csrf_for(token: &str) -> String {
    token_hash(&format!("csrf\u{0}{token}"))
}

fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

fn since(d: std::time::Duration) -> String {
    let back = chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
    (chrono::Utc::now() - back).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl Store {
    /// Starts a session for a signed-in actor and returns its token (shown once, only the hash is kept). Sessions
    /// past their absolute lifetime are cleared on the way.
    pub async fn create_session(&self, actor: &Actor, limits: SessionLimits) -> Result<String> {
        let token = format!(
            "vbs_{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let id = new_id();
        let t = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE created_at < $1")
            .bind(since(limits.absolute))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sessions (id, organisation_id, user_id, token_hash, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&id)
            .bind(&actor.organisation_id)
            .bind(&actor.user_id)
            .bind(token_hash(&token))
            .bind(&t)
            .bind(&t)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "create",
            "session",
            &id,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The session a token stands for, if it is live; marks it used. An unknown, idle or too old session is
    /// `Unauthenticated` (and an expired one is deleted).
    pub async fn session(&self, token: &str, limits: SessionLimits) -> Result<Session> {
        let row = sqlx::query("SELECT s.id AS id, s.created_at AS created_at, s.last_seen_at AS last_seen_at, u.id AS user_id, u.organisation_id AS organisation_id, u.role AS role, u.email AS email, o.name AS organisation FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id WHERE s.token_hash = $1")
            .bind(token_hash(token))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::Unauthenticated)?;
        let id: String = row.try_get("id")?;
        let now_t = chrono::Utc::now();
        let created = parse_time(&row.try_get::<String, _>("created_at")?);
        let seen = parse_time(&row.try_get::<String, _>("last_seen_at")?);
        let live = |t: Option<chrono::DateTime<chrono::Utc>>, limit: std::time::Duration| {
            t.is_some_and(|t| (now_t - t).to_std().map_or(true, |elapsed| elapsed < limit))
        };
        if !live(created, limits.absolute) || !live(seen, limits.idle) {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(&id)
                .execute(&self.pool)
                .await?;
            return Err(StoreError::Unauthenticated);
        }
        if seen.is_some_and(|s| (now_t - s).num_seconds() >= TOUCH_EVERY_SECS) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                .bind(now())
                .bind(&id)
                .execute(&self.pool)
                .await?;
        }
        Ok(Session {
            actor: Actor {
                user_id: row.try_get("user_id")?,
                organisation_id: row.try_get("organisation_id")?,
                role: Role::parse(&row.try_get::<String, _>("role")?),
            },
            email: row.try_get("email")?,
            organisation: row.try_get("organisation")?,
            csrf_token: csrf_for(token),
        })
    }

    /// Ends a session (sign-out). Ending an unknown session is not an error.
    pub async fn end_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Test and operations aid: moves a session's clock back by `by`, as if it had been created and last used that
    /// much earlier.
    pub async fn age_session(&self, token: &str, by: std::time::Duration) -> Result<()> {
        let row =
            sqlx::query("SELECT created_at, last_seen_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash(token))
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::NotFound("session".into()))?;
        let back = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
        let shift = |s: String| {
            parse_time(&s)
                .map(|t| (t - back).to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
                .unwrap_or(s)
        };
        sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $2 WHERE token_hash = $3")
            .bind(shift(row.try_get("created_at")?))
            .bind(shift(row.try_get("last_seen_at")?))
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
