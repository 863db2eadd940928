//! What the register keeps for email: each user's reminders (off, daily or weekly, in English or Dutch, and when
//! the last was sent), the links in sent reminders that turn them off, and sign-ups waiting for their email address
//! to be confirmed. A link's token is shown once, in the email; only its SHA-256 is kept.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::Row;

use super::tokens::new_secret;
use super::{
    check_sign_up, hash_password, invalid, now, token_hash, Actor, Organisation, Result, Role,
    Store, StoreError,
};

/// How long a sign-up's confirmation link is valid.
pub const SIGN_UP_CONFIRM_HOURS: i64 = 24;

/// How often a user is sent the alerts whose warning has started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reminders {
    Off,
    Daily,
    Weekly,
}

impl Reminders {
    pub fn as_str(self) -> &'static str {
        match self {
            Reminders::Off => "off",
            Reminders::Daily => "daily",
            Reminders::Weekly => "weekly",
        }
    }

    /// `off`, `daily` or `weekly`; anything else is none.
    pub fn from_name(s: &str) -> Option<Reminders> {
        match s {
            "off" => Some(Reminders::Off),
            "daily" => Some(Reminders::Daily),
            "weekly" => Some(Reminders::Weekly),
            _ => None,
        }
    }

    /// How long after one reminder the next is due. A little less than the period itself, so that a check that runs
    /// at about the same time each day (or week) does not slip a day.
    fn interval(self) -> Option<Duration> {
        match self {
            Reminders::Off => None,
            Reminders::Daily => Some(Duration::hours(23)),
            Reminders::Weekly => Some(Duration::days(7) - Duration::hours(1)),
        }
    }
}

/// A user's reminder settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReminderSettings {
    pub reminders: Reminders,
    /// `en` or `nl`.
    pub lang: String,
    /// When the last reminder was sent, if ever.
    pub reminded_at: Option<String>,
}

/// A user whose reminder is due.
#[derive(Clone, Debug)]
pub struct DueReminder {
    pub actor: Actor,
    pub email: String,
    pub reminders: Reminders,
    pub lang: String,
}

/// The outcome of a sign-up, which the person signing up is never told apart: both are answered "check your
/// email", and only the email says which it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignUp {
    /// A new address: the token of its confirmation link.
    Pending { token: String },
    /// The address has an account already.
    Taken,
}

fn lang_name(lang: &str) -> Result<&'static str> {
    match lang {
        "en" => Ok("en"),
        "nl" => Ok("nl"),
        other => Err(invalid(
            "lang",
            format!("expected `en` or `nl`, found `{other}`"),
            format!("verwacht `en` of `nl`, gevonden: `{other}`"),
        )),
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Store {
    /// The actor's own reminder settings.
    pub async fn reminder_settings(&self, actor: &Actor) -> Result<ReminderSettings> {
        let row = sqlx::query(
            "SELECT reminders, reminder_lang, reminded_at FROM users WHERE id = $1 AND organisation_id = $2",
        )
        .bind(&actor.user_id)
        .bind(&actor.organisation_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound("user".into()))?;
        let r: String = row.try_get("reminders")?;
        Ok(ReminderSettings {
            reminders: Reminders::from_name(&r).unwrap_or(Reminders::Off),
            lang: row.try_get("reminder_lang")?,
            reminded_at: row.try_get("reminded_at")?,
        })
    }

    /// Sets the actor's own reminders and their language (`en` or `nl`); any role may, for itself.
    pub async fn set_reminders(
        &self,
        actor: &Actor,
        reminders: Reminders,
        lang: &str,
    ) -> Result<ReminderSettings> {
        let lang = lang_name(lang)?;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET reminders = $1, reminder_lang = $2 WHERE id = $3 AND organisation_id = $4",
        )
        .bind(reminders.as_str())
        .bind(lang)
        .bind(&actor.user_id)
        .bind(&actor.organisation_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user".into()));
        }
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "reminders",
            &actor.user_id,
            None,
            Some(&serde_json::json!({ "reminders": reminders.as_str(), "lang": lang })),
        )
        .await?;
        tx.commit().await?;
        self.reminder_settings(actor).await
    }

    /// Every user, of every organisation, whose reminder is due at `at`: reminders on, and none sent within their
    /// interval. For the server's reminder job, not for a request.
    pub async fn due_reminders(&self, at: DateTime<Utc>) -> Result<Vec<DueReminder>> {
        let rows = sqlx::query(
            "SELECT id, organisation_id, email, role, reminders, reminder_lang, reminded_at FROM users WHERE reminders <> 'off' ORDER BY email",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let Some(reminders) = Reminders::from_name(&r.try_get::<String, _>("reminders")?)
            else {
                continue;
            };
            let Some(interval) = reminders.interval() else {
                continue;
            };
            let last: Option<String> = r.try_get("reminded_at")?;
            if let Some(last) = last.as_deref().and_then(parse_time) {
                if at < last + interval {
                    continue;
                }
            }
            out.push(DueReminder {
                actor: Actor {
                    user_id: r.try_get("id")?,
                    organisation_id: r.try_get("organisation_id")?,
                    role: Role::parse(&r.try_get::<String, _>("role")?),
                },
                email: r.try_get("email")?,
                reminders,
                lang: r.try_get("reminder_lang")?,
            });
        }
        Ok(out)
    }

    /// Records that the user's reminder was sent (or that nothing was due) at `at`.
    pub async fn mark_reminded(&self, actor: &Actor, at: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE users SET reminded_at = $1 WHERE id = $2 AND organisation_id = $3")
            .bind(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
            .bind(&actor.user_id)
            .bind(&actor.organisation_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A new link for the user to turn reminders off without signing in; the token is shown once.
    pub async fn unsubscribe_link(&self, actor: &Actor) -> Result<String> {
        let token = new_secret("vbu");
        sqlx::query(
            "INSERT INTO unsubscribe_links (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash(&token))
        .bind(&actor.user_id)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// Turns off the reminders of the user whose link `token` is; gives their email address. Any link the user was
    /// sent works, and keeps working (a second click finds them off already).
    pub async fn unsubscribe(&self, token: &str) -> Result<String> {
        let row = sqlx::query(
            "SELECT u.id, u.organisation_id, u.email FROM unsubscribe_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = $1",
        )
        .bind(token_hash(token.trim()))
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound("unsubscribe link".into()))?;
        let user_id: String = row.try_get("id")?;
        let org: String = row.try_get("organisation_id")?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET reminders = 'off' WHERE id = $1")
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &org,
            Some(&user_id),
            "update",
            "reminders",
            &user_id,
            None,
            Some(&serde_json::json!({ "reminders": "off", "by": "unsubscribe link" })),
        )
        .await?;
        tx.commit().await?;
        Ok(row.try_get("email")?)
    }

    /// Starts a sign-up that waits for its email address to be confirmed. The fields are checked as
    /// [`Store::create_organisation`] checks them, and the password is hashed whether or not the address is taken,
    /// so that neither the answer nor its time says which it was.
    pub async fn start_sign_up(&self, name: &str, email: &str, password: &str) -> Result<SignUp> {
        check_sign_up(name, email, password)?;
        let hash = hash_password(password)?;
        let email = email.trim().to_lowercase();
        let stamp = now();
        sqlx::query("DELETE FROM pending_sign_ups WHERE expires_at < $1")
            .bind(&stamp)
            .execute(&self.pool)
            .await?;
        let taken = sqlx::query("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&self.pool)
            .await?;
        if taken.is_some() {
            return Ok(SignUp::Taken);
        }
        let token = new_secret("vbc");
        let expires = (Utc::now() + Duration::hours(SIGN_UP_CONFIRM_HOURS))
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        sqlx::query("INSERT INTO pending_sign_ups (token_hash, organisation_name, email, password_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(token_hash(&token))
            .bind(name.trim())
            .bind(&email)
            .bind(hash)
            .bind(&stamp)
            .bind(expires)
            .execute(&self.pool)
            .await?;
        Ok(SignUp::Pending { token })
    }

    /// Whether `token` is a sign-up's confirmation link that has not expired or been used.
    pub async fn sign_up_pending(&self, token: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT expires_at FROM pending_sign_ups WHERE token_hash = $1 AND expires_at >= $2",
        )
        .bind(token_hash(token.trim()))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Confirms a sign-up by its link: creates the organisation and its owner, and forgets every pending sign-up of
    /// that address. An unknown, used or expired link is "not found"; an address that got an account meanwhile is a
    /// conflict.
    pub async fn confirm_sign_up(&self, token: &str) -> Result<(Organisation, Actor)> {
        let row = sqlx::query(
            "SELECT organisation_name, email, password_hash FROM pending_sign_ups WHERE token_hash = $1 AND expires_at >= $2",
        )
        .bind(token_hash(token.trim()))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound("confirmation link".into()))?;
        let email: String = row.try_get("email")?;
        let made = self
            .create_organisation_hashed(
                &row.try_get::<String, _>("organisation_name")?,
                &email,
                &row.try_get::<String, _>("password_hash")?,
            )
            .await;
        sqlx::query("DELETE FROM pending_sign_ups WHERE email = $1")
            .bind(&email)
            .execute(&self.pool)
            .await?;
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> Store {
        Store::open("sqlite::memory:").await.expect("store")
    }

    #[tokio::test]
    async fn a_sign_up_is_pending_until_confirmed_once_and_a_taken_address_is_told_apart_only_here()
    {
        let s = store().await;
        let SignUp::Pending { token } = s
            .start_sign_up("Acme", "Owner@Example.org", "a long password")
            .await
            .expect("start")
        else {
            panic!("a new address is pending");
        };
        assert!(s.sign_up_pending(&token).await.expect("pending"));
        let (org, owner) = s.confirm_sign_up(&token).await.expect("confirm");
        assert_eq!(org.name, "Acme");
        assert_eq!(owner.role, Role::Owner);
        assert!(s
            .login("owner@example.org", "a long password")
            .await
            .is_ok());
        assert!(matches!(
            s.confirm_sign_up(&token).await,
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(
            s.start_sign_up("Other", "owner@example.org", "another password")
                .await
                .expect("taken"),
            SignUp::Taken
        );
        assert!(matches!(
            s.start_sign_up("", "x@example.org", "a long password").await,
            Err(StoreError::Invalid { field, .. }) if field == "name"
        ));
    }

    #[tokio::test]
    async fn a_reminder_is_due_once_per_interval_and_a_link_turns_it_off() {
        let s = store().await;
        let (_, owner) = s
            .create_organisation("Acme", "o@example.org", "a long password")
            .await
            .expect("org");
        let t0 = Utc::now();
        assert!(s.due_reminders(t0).await.expect("due").is_empty());
        s.set_reminders(&owner, Reminders::Daily, "nl")
            .await
            .expect("set");
        let due = s.due_reminders(t0).await.expect("due");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].lang, "nl");
        s.mark_reminded(&owner, t0).await.expect("mark");
        assert!(s
            .due_reminders(t0 + Duration::hours(22))
            .await
            .expect("due")
            .is_empty());
        assert_eq!(
            s.due_reminders(t0 + Duration::hours(23))
                .await
                .expect("due")
                .len(),
            1
        );
        assert!(matches!(
            s.set_reminders(&owner, Reminders::Weekly, "de").await,
            Err(StoreError::Invalid { field, .. }) if field == "lang"
        ));
        let link = s.unsubscribe_link(&owner).await.expect("link");
        assert_eq!(s.unsubscribe(&link).await.expect("off"), "o@example.org");
        assert_eq!(
            s.reminder_settings(&owner).await.expect("get").reminders,
            Reminders::Off
        );
        assert!(s
            .due_reminders(t0 + Duration::days(3))
            .await
            .expect("due")
            .is_empty());
        assert!(matches!(
            s.unsubscribe("vbu_nothing").await,
            Err(StoreError::NotFound(_))
        ));
    }
}
