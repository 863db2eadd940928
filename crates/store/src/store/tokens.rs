//! API tokens: named, expiring, listed and revoked; and each user's calendar feed token, which opens the calendar
//! feed and nothing else. A token is shown once; only its SHA-256 is kept.

use serde::Serialize;
use sqlx::Row;

use super::{invalid, new_id, now, token_hash, Actor, Result, Store, StoreError};

/// How long a token from signing in (or creating an organisation) lasts.
pub const SIGN_IN_TOKEN_DAYS: i64 = 30;
/// The longest a named token may last.
pub const MAX_TOKEN_DAYS: i64 = 366;
/// The longest name of a token, in characters.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// What a token may open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// The whole API, with the user's role.
    Api,
    /// Only the calendar feed (`alerts.ics`): read-only, and safe to put in a URL a calendar app keeps.
    Feed,
}

impl TokenScope {
    fn as_str(self) -> &'static str {
        match self {
            TokenScope::Api => "api",
            TokenScope::Feed => "feed",
        }
    }
    fn parse(s: &str) -> TokenScope {
        if s == "feed" {
            TokenScope::Feed
        } else {
            TokenScope::Api
        }
    }
}

/// A token as listed: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub scope: TokenScope,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub(crate) fn new_secret(prefix: &str) -> String {
    format!(
        "{prefix}_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl Store {
    /// Creates an API token for the actor, lasting [`SIGN_IN_TOKEN_DAYS`]; the token is shown once.
    pub async fn create_token(&self, actor: &Actor) -> Result<String> {
        let (_, token) = self
            .insert_token(actor, Some("sign-in"), TokenScope::Api, SIGN_IN_TOKEN_DAYS)
            .await?;
        Ok(token)
    }

    /// Creates a named API token lasting `days` (1 to [`MAX_TOKEN_DAYS`]).
    pub async fn create_named_token(
        &self,
        actor: &Actor,
        name: &str,
        days: i64,
    ) -> Result<(TokenInfo, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_TOKEN_NAME_CHARS {
            return Err(invalid(
                "name",
                format!("a token needs a name of 1 to {MAX_TOKEN_NAME_CHARS} characters"),
                format!("een token heeft een naam van 1 tot {MAX_TOKEN_NAME_CHARS} tekens nodig"),
            ));
        }
        crate::check_name("name", name)?;
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(invalid(
                "expires_in_days",
                format!("expected 1 to {MAX_TOKEN_DAYS} days, found {days}"),
                format!("verwacht 1 tot {MAX_TOKEN_DAYS} dagen, gevonden {days}"),
            ));
        }
        self.insert_token(actor, Some(name), TokenScope::Api, days)
            .await
    }

    /// A new calendar feed token for the actor; any earlier feed token of theirs is revoked, so an old calendar
    /// URL stops working.
    pub async fn create_feed_token(&self, actor: &Actor) -> Result<(TokenInfo, String)> {
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND organisation_id = $3 AND scope = 'feed' AND revoked_at IS NULL")
            .bind(now())
            .bind(&actor.user_id)
            .bind(&actor.organisation_id)
            .execute(&self.pool)
            .await?;
        self.insert_token(actor, Some("calendar"), TokenScope::Feed, MAX_TOKEN_DAYS)
            .await
    }

    async fn insert_token(
        &self,
        actor: &Actor,
        name: Option<&str>,
        scope: TokenScope,
        days: i64,
    ) -> Result<(TokenInfo, String)> {
        let token = new_secret(match scope {
            TokenScope::Api => "vbl",
            TokenScope::Feed => "vblfeed",
        });
        let info = TokenInfo {
            id: new_id(),
            user_id: actor.user_id.clone(),
            name: name.map(str::to_string),
            scope,
            created_at: now(),
            expires_at: Some(in_days(days)),
            revoked_at: None,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO api_tokens (id, organisation_id, user_id, token_hash, created_at, name, expires_at, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&info.id)
            .bind(&actor.organisation_id)
            .bind(&actor.user_id)
            .bind(token_hash(&token))
            .bind(&info.created_at)
            .bind(info.name.clone())
            .bind(info.expires_at.clone())
            .bind(scope.as_str())
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "create",
            "api_token",
            &info.id,
            None,
            Some(&serde_json::json!({ "name": info.name, "scope": scope.as_str(), "expires_at": info.expires_at })),
        )
        .await?;
        tx.commit().await?;
        Ok((info, token))
    }

    /// The actor a live (not revoked, not expired) token of `scope` stands for.
    async fn token_actor(&self, token: &str, scope: TokenScope) -> Result<Actor> {
        let row = sqlx::query("SELECT u.id AS id, u.organisation_id AS organisation_id, u.role AS role, t.expires_at AS expires_at, t.scope AS scope FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL")
            .bind(token_hash(token))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::Unauthenticated)?;
        // Times are kept as RFC 3339 in UTC with the same precision, so they compare as text.
        let expired = row
            .try_get::<Option<String>, _>("expires_at")?
            .is_some_and(|e| e <= now());
        if expired || TokenScope::parse(&row.try_get::<String, _>("scope")?) != scope {
            return Err(StoreError::Unauthenticated);
        }
        Ok(Actor {
            user_id: row.try_get("id")?,
            organisation_id: row.try_get("organisation_id")?,
            role: super::Role::parse(&row.try_get::<String, _>("role")?),
        })
    }

    /// The actor an API token stands for (a feed token is refused here).
    pub async fn authenticate_token(&self, token: &str) -> Result<Actor> {
        self.token_actor(token, TokenScope::Api).await
    }

    /// The actor a calendar feed token stands for, as a viewer: it opens the feed and nothing else.
    pub async fn authenticate_feed_token(&self, token: &str) -> Result<Actor> {
        let mut a = self.token_actor(token, TokenScope::Feed).await?;
        a.role = super::Role::Viewer;
        Ok(a)
    }

    /// The actor's own tokens, newest first; an owner sees every token of the organisation.
    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<TokenInfo>> {
        let all = actor.role == super::Role::Owner;
        let rows = sqlx::query("SELECT id, user_id, name, scope, created_at, expires_at, revoked_at FROM api_tokens WHERE organisation_id = $1 AND (user_id = $2 OR $3 = 'all') ORDER BY created_at DESC")
            .bind(&actor.organisation_id)
            .bind(&actor.user_id)
            .bind(if all { "all" } else { "own" })
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    scope: TokenScope::parse(&r.try_get::<String, _>("scope")?),
                    created_at: r.try_get("created_at")?,
                    expires_at: r.try_get("expires_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes a token: one's own, or as an owner any of the organisation's. Another organisation's token, or one
    /// already revoked, is "not found".
    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<()> {
        let all = actor.role == super::Role::Owner;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND organisation_id = $3 AND (user_id = $4 OR $5 = 'all') AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .bind(&actor.organisation_id)
            .bind(&actor.user_id)
            .bind(if all { "all" } else { "own" })
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("token".into()));
        }
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "revoke",
            "api_token",
            id,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
