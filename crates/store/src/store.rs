use std::fmt;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

mod careers;
mod mail;
mod settings;
mod tokens;

pub use careers::*;
pub use mail::*;
pub use settings::*;
pub use tokens::*;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_register.sql")),
    (2, include_str!("../migrations/0002_sessions.sql")),
    (3, include_str!("../migrations/0003_careers.sql")),
    (4, include_str!("../migrations/0004_lookup_indexes.sql")),
    (5, include_str!("../migrations/0005_token_scopes.sql")),
    (6, include_str!("../migrations/0006_mail.sql")),
];

/// Which database is behind the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What can go wrong. A record of another organisation is `NotFound`, so nothing leaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    NotFound(String),
    Forbidden(String),
    /// A field was refused: what was expected, in English (`message`) and Dutch (`nl`).
    Invalid {
        field: String,
        message: String,
        nl: String,
    },
    Conflict(String),
    Unauthenticated,
    Database(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound(what) => write!(f, "{what} not found"),
            StoreError::Forbidden(why) => write!(f, "not allowed: {why}"),
            StoreError::Invalid { field, message, .. } => write!(f, "field `{field}`: {message}"),
            StoreError::Conflict(m) => write!(f, "conflict: {m}"),
            StoreError::Unauthenticated => f.write_str("wrong email or password"),
            StoreError::Database(m) => write!(f, "database: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(d) = &e {
            // The database's own message names tables and constraints: it is never passed on to a client.
            if d.is_unique_violation() {
                return StoreError::Conflict(
                    "a record with these values exists already".to_string(),
                );
            }
            // PostgreSQL cannot store the NUL character in text: the input is at fault, not the database.
            if d.code().as_deref() == Some("22021") {
                return invalid(
                    "text",
                    "text may not hold the NUL character (U+0000)",
                    "tekst mag het NUL-teken (U+0000) niet bevatten",
                );
            }
        }
        StoreError::Database(e.to_string())
    }
}

pub(crate) type Result<T> = std::result::Result<T, StoreError>;

/// A user's role in their organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Adviser,
    Viewer,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Adviser => "adviser",
            Role::Viewer => "viewer",
        }
    }
    pub(crate) fn parse(s: &str) -> Role {
        match s {
            "owner" => Role::Owner,
            "adviser" => Role::Adviser,
            _ => Role::Viewer,
        }
    }
}

/// Who is acting: a signed-in user of one organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: String,
    pub organisation_id: String,
    pub role: Role,
}

impl Actor {
    pub(crate) fn can_write(&self) -> Result<()> {
        match self.role {
            Role::Owner | Role::Adviser => Ok(()),
            Role::Viewer => Err(StoreError::Forbidden("a viewer can only read".into())),
        }
    }
    fn is_owner(&self) -> Result<()> {
        match self.role {
            Role::Owner => Ok(()),
            _ => Err(StoreError::Forbidden("only an owner manages users".into())),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Household {
    pub id: String,
    pub name: String,
}

/// A person in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonRecord {
    pub id: String,
    pub household_id: Option<String>,
    pub name: String,
    pub bsn: Option<String>,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    pub erased: bool,
}

/// What is needed to add or change a person (also the body of the API's request).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    #[serde(default)]
    pub household_id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub bsn: Option<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub nationality: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermitRecord {
    pub id: String,
    pub person_id: String,
    pub kind: String,
    pub document_number: Option<String>,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub sponsor_person_id: Option<String>,
    pub restriction_text: Option<String>,
}

impl PermitRecord {
    /// The record of a permit as given.
    pub(crate) fn new(id: String, p: PermitInput) -> PermitRecord {
        PermitRecord {
            id,
            person_id: p.person_id,
            kind: p.kind,
            document_number: p.document_number,
            valid_from: p.valid_from,
            valid_until: p.valid_until,
            sponsor_person_id: p.sponsor_person_id,
            restriction_text: p.restriction_text,
        }
    }
}

/// What is needed to add a permit (also the body of the API's request).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermitInput {
    pub person_id: String,
    pub kind: String,
    #[serde(default)]
    pub document_number: Option<String>,
    pub valid_from: String,
    #[serde(default)]
    pub valid_until: Option<String>,
    #[serde(default)]
    pub sponsor_person_id: Option<String>,
    #[serde(default)]
    pub restriction_text: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContractRecord {
    pub id: String,
    pub person_id: String,
    pub employer: Option<String>,
    pub gross_monthly_salary_cents: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub at: String,
}

/// A deadline of someone in the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub date: chrono::NaiveDate,
    pub household_id: String,
    pub household: String,
    pub person_id: String,
    pub person: String,
    pub kind: &'static str,
    pub what: verblijf_rules::Text,
    /// The day the warning starts: the deadline less the organisation's warning days for its kind.
    pub warn_from: chrono::NaiveDate,
    /// Whether the warning has started on the date the alerts are for.
    pub due: bool,
}

/// The deadlines of an organisation, and the households whose records could not be read as a case (so they have
/// none listed until a record is corrected).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlertList {
    pub alerts: Vec<Alert>,
    pub unreadable: Vec<UnreadableHousehold>,
}

/// A household left out of the deadlines: which field of its records is at fault, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnreadableHousehold {
    pub household_id: String,
    pub household: String,
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssessmentRecord {
    pub id: String,
    pub household_id: String,
    pub reference_date: String,
    pub engine: String,
    pub params_hash: String,
    pub result: Value,
    pub created_at: String,
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A refused field, with what was expected in English (`message`, as the API answers) and in Dutch (`nl`).
pub(crate) fn invalid(
    field: &str,
    message: impl Into<String>,
    nl: impl Into<String>,
) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
        nl: nl.into(),
    }
}

/// The earliest and latest years a date in the register may have: a date outside is a typing error (`0000-01-01`,
/// `+10000-01-01`), not a fact.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 9999;

/// Reads a date at the door: only the canonical `YYYY-MM-DD` (so `1990-1-5` and `2026-9-30` are refused, not stored
/// as typed and then compared as strings), a day that exists, and a year from [`FIRST_YEAR`] to [`LAST_YEAR`].
pub fn parse_date(field: &str, d: &str) -> Result<chrono::NaiveDate> {
    let refused = || {
        invalid(
            field,
            format!("expected a date YYYY-MM-DD that exists, found {d:?}"),
            format!("verwacht een bestaande datum JJJJ-MM-DD, gevonden {d:?}"),
        )
    };
    let canonical = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !canonical {
        return Err(refused());
    }
    let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| refused())?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(&date)) {
        return Err(invalid(
            field,
            format!("expected a year from {FIRST_YEAR} to {LAST_YEAR}, found {d:?}"),
            format!("verwacht een jaar van {FIRST_YEAR} tot {LAST_YEAR}, gevonden {d:?}"),
        ));
    }
    Ok(date)
}

/// An optional date, read as [`parse_date`] does.
pub(crate) fn check_date(field: &str, v: &Option<String>) -> Result<Option<chrono::NaiveDate>> {
    v.as_deref().map(|d| parse_date(field, d)).transpose()
}

/// Two dates in order: `later` on or after `earlier`, compared as dates.
pub(crate) fn check_order(
    earlier: (&str, Option<chrono::NaiveDate>),
    later: (&str, Option<chrono::NaiveDate>),
) -> Result<()> {
    if let ((e_field, Some(e)), (l_field, Some(l))) = (earlier, later) {
        if l < e {
            return Err(invalid(
                l_field,
                format!("{l} is before {e_field} {e}"),
                format!("{l} ligt voor {e_field} {e}"),
            ));
        }
    }
    Ok(())
}

/// The longest name (of an organisation, household or person) the register keeps, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Characters that show nothing: zero-width spaces and joiners, direction marks, the byte-order mark, the soft
/// hyphen and the Hangul fillers. A name of only these (and spaces) looks empty.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}')
}

/// A name a person can read: something visible in it, no control characters (a newline, a tab, an escape), and at
/// most [`MAX_NAME_CHARS`] characters.
pub fn check_name(field: &str, name: &str) -> Result<()> {
    if name.chars().any(char::is_control) {
        return Err(invalid(
            field,
            "a name may not hold control characters (such as a newline or tab)",
            "een naam mag geen stuurtekens bevatten (zoals een nieuwe regel of tab)",
        ));
    }
    if name.chars().all(|c| c.is_whitespace() || invisible(c)) {
        return Err(invalid(
            field,
            "a name needs at least one visible character",
            "een naam heeft minstens één zichtbaar teken nodig",
        ));
    }
    let n = name.trim().chars().count();
    if n > MAX_NAME_CHARS {
        return Err(invalid(
            field,
            format!("a name is at most {MAX_NAME_CHARS} characters, found {n}"),
            format!("een naam is hoogstens {MAX_NAME_CHARS} tekens, gevonden {n}"),
        ));
    }
    Ok(())
}

/// The fields of a sign-up: the organisation's name, the owner's email address and password.
pub(crate) fn check_sign_up(name: &str, email: &str, password: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(invalid(
            "name",
            "an organisation needs a name",
            "een organisatie heeft een naam nodig",
        ));
    }
    check_name("name", name)?;
    check_email(email)?;
    check_password(password)
}

/// A user's email address that another user has already.
fn email_taken(e: sqlx::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Conflict(_) => {
            StoreError::Conflict("an account with this email address exists already".into())
        }
        other => other,
    }
}

/// The register.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub backend: Backend,
}

impl Store {
    /// Opens (and for SQLite creates) the database at `url` and brings its schema up to date. A plain path is a
    /// SQLite file.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (url, backend) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (url.to_string(), Backend::Postgres)
        } else if url.starts_with("sqlite:") {
            (url.to_string(), Backend::Sqlite)
        } else {
            (format!("sqlite://{url}?mode=rwc"), Backend::Sqlite)
        };
        let mut opts = AnyPoolOptions::new();
        if backend == Backend::Sqlite {
            // One writer at a time: SQLite serialises writes anyway; WAL with full sync makes an acknowledged
            // write survive a crash.
            opts = opts.max_connections(1).after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("PRAGMA journal_mode=WAL")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA synchronous=FULL")
                        .execute(&mut *conn)
                        .await?;
                    // Erasure must remove the bytes: deleted content is overwritten, not only unlinked.
                    sqlx::query("PRAGMA secure_delete=ON")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA foreign_keys=ON")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA busy_timeout=5000")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            });
        } else {
            opts = opts.max_connections(8);
        }
        let pool = opts.connect(&url).await?;
        let store = Store { pool, backend };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)").execute(&self.pool).await?;
        for (version, sql) in MIGRATIONS {
            let done: Option<AnyRow> =
                sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&self.pool)
                    .await?;
            if done.is_some() {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            for stmt in sql.split(';').map(str::trim).filter(|s| {
                !s.lines()
                    .all(|l| l.trim().is_empty() || l.trim().starts_with("--"))
            }) {
                sqlx::query(stmt).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Writes an audit entry in the same transaction as the change it records.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn audit(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        org: &str,
        actor: Option<&str>,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> Result<()> {
        // Two writes of one organisation must not both read the same MAX(seq): on PostgreSQL the organisation's row
        // is locked until the transaction ends, so its writers take their sequence numbers in turn (SQLite has one
        // writer at a time already). `NO KEY UPDATE` does not wait for the key-share locks that inserts referring to
        // the organisation hold, so two writers cannot deadlock on it.
        if tx.backend_name().eq_ignore_ascii_case("postgresql") {
            sqlx::query("SELECT id FROM organisations WHERE id = $1 FOR NO KEY UPDATE")
                .bind(org)
                .fetch_optional(&mut **tx)
                .await?;
        }
        let row = sqlx::query(
            "SELECT COALESCE(MAX(seq), 0) AS s FROM audit_log WHERE organisation_id = $1",
        )
        .bind(org)
        .fetch_one(&mut **tx)
        .await?;
        let seq: i64 = row.try_get::<i64, _>("s").unwrap_or(0) + 1;
        sqlx::query("INSERT INTO audit_log (id, seq, organisation_id, actor, action, entity, entity_id, before_state, after_state, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(new_id())
            .bind(seq)
            .bind(org)
            .bind(actor.map(str::to_string))
            .bind(action)
            .bind(entity)
            .bind(entity_id)
            .bind(before.map(Value::to_string))
            .bind(after.map(Value::to_string))
            .bind(now())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Creates an organisation with its first user, the owner.
    pub async fn create_organisation(
        &self,
        name: &str,
        owner_email: &str,
        owner_password: &str,
    ) -> Result<(Organisation, Actor)> {
        check_sign_up(name, owner_email, owner_password)?;
        let hash = hash_password(owner_password)?;
        self.create_organisation_hashed(name, owner_email, &hash)
            .await
    }

    /// Creates an organisation whose owner's password is given by its hash (a confirmed sign-up).
    pub(crate) async fn create_organisation_hashed(
        &self,
        name: &str,
        owner_email: &str,
        hash: &str,
    ) -> Result<(Organisation, Actor)> {
        let org = Organisation {
            id: new_id(),
            name: name.trim().to_string(),
        };
        let user_id = new_id();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&org.id)
            .bind(&org.name)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO users (id, organisation_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&user_id)
            .bind(&org.id)
            .bind(owner_email.trim().to_lowercase())
            .bind(hash)
            .bind("owner")
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(email_taken)?;
        Self::audit(
            &mut tx,
            &org.id,
            Some(&user_id),
            "create",
            "organisation",
            &org.id,
            None,
            Some(&json!({ "name": org.name, "owner": owner_email })),
        )
        .await?;
        tx.commit().await?;
        Ok((
            org.clone(),
            Actor {
                user_id,
                organisation_id: org.id,
                role: Role::Owner,
            },
        ))
    }

    /// Adds a user to the actor's organisation (owners only).
    pub async fn add_user(
        &self,
        actor: &Actor,
        email: &str,
        password: &str,
        role: Role,
    ) -> Result<Actor> {
        actor.is_owner()?;
        check_email(email)?;
        check_password(password)?;
        let id = new_id();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO users (id, organisation_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&id)
            .bind(&actor.organisation_id)
            .bind(email.trim().to_lowercase())
            .bind(hash_password(password)?)
            .bind(role.as_str())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(email_taken)?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "create",
            "user",
            &id,
            None,
            Some(&json!({ "email": email, "role": role.as_str() })),
        )
        .await?;
        tx.commit().await?;
        Ok(Actor {
            user_id: id,
            organisation_id: actor.organisation_id.clone(),
            role,
        })
    }

    /// Signs in with email and password.
    pub async fn login(&self, email: &str, password: &str) -> Result<Actor> {
        let row = sqlx::query(
            "SELECT id, organisation_id, password_hash, role FROM users WHERE email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            // Spend the same time as a real check, so that timing does not say which emails exist.
            let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$YmxhYmxhYmxhYmxhYmxhYmxhYmxhYmxhYmxhYmxhYmw");
            return Err(StoreError::Unauthenticated);
        };
        let hash: String = row.try_get("password_hash")?;
        if !verify_password(password, &hash) {
            return Err(StoreError::Unauthenticated);
        }
        Ok(Actor {
            user_id: row.try_get("id")?,
            organisation_id: row.try_get("organisation_id")?,
            role: Role::parse(&row.try_get::<String, _>("role")?),
        })
    }

    pub async fn create_household(&self, actor: &Actor, name: &str) -> Result<Household> {
        actor.can_write()?;
        if name.trim().is_empty() {
            return Err(invalid(
                "name",
                "a household needs a name",
                "een huishouden heeft een naam nodig",
            ));
        }
        check_name("name", name)?;
        let h = Household {
            id: new_id(),
            name: name.trim().into(),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO households (id, organisation_id, name, created_at) VALUES ($1, $2, $3, $4)").bind(&h.id).bind(&actor.organisation_id).bind(&h.name).bind(now()).execute(&mut *tx).await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "create",
            "household",
            &h.id,
            None,
            Some(&json!(h)),
        )
        .await?;
        tx.commit().await?;
        Ok(h)
    }

    pub async fn households(&self, actor: &Actor) -> Result<Vec<Household>> {
        let rows =
            sqlx::query("SELECT id, name FROM households WHERE organisation_id = $1 ORDER BY name")
                .bind(&actor.organisation_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Household {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    pub(crate) async fn household_in_org(&self, actor: &Actor, id: &str) -> Result<()> {
        let r = sqlx::query("SELECT id FROM households WHERE id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(&actor.organisation_id)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|_| ())
            .ok_or_else(|| StoreError::NotFound(format!("household {id}")))
    }

    pub(crate) fn validate_person(p: &PersonInput) -> Result<()> {
        if p.name.trim().is_empty() {
            return Err(invalid(
                "name",
                "a person needs a name",
                "een persoon heeft een naam nodig",
            ));
        }
        check_name("name", &p.name)?;
        if let Some(b) = &p.bsn {
            if !crate::valid_bsn(b) {
                return Err(invalid(
                    "bsn",
                    "expected a citizen service number of nine digits that passes the eleven-test",
                    "verwacht een burgerservicenummer van negen cijfers dat de elfproef doorstaat",
                ));
            }
        }
        if let Some(b) = check_date("birth_date", &p.birth_date)? {
            let today = chrono::Utc::now().date_naive();
            if b > today {
                return Err(invalid(
                    "birth_date",
                    format!("a birth date cannot be in the future (today is {today}), found {b}"),
                    format!("een geboortedatum kan niet in de toekomst liggen (vandaag is {today}), gevonden {b}"),
                ));
            }
        }
        if let Some(n) = &p.nationality {
            if n.len() != 2 || !n.bytes().all(|c| c.is_ascii_uppercase()) {
                return Err(invalid(
                    "nationality",
                    format!("expected a two-letter country code such as IN, found {n:?}"),
                    format!("verwacht een landcode van twee letters zoals IN, gevonden {n:?}"),
                ));
            }
        }
        Ok(())
    }

    pub async fn add_person(&self, actor: &Actor, p: PersonInput) -> Result<PersonRecord> {
        actor.can_write()?;
        Self::validate_person(&p)?;
        if let Some(h) = &p.household_id {
            self.household_in_org(actor, h).await?;
        }
        let rec = PersonRecord {
            id: new_id(),
            household_id: p.household_id,
            name: p.name.trim().into(),
            bsn: p.bsn,
            birth_date: p.birth_date,
            nationality: p.nationality,
            erased: false,
        };
        let mut tx = self.pool.begin().await?;
        let t = now();
        sqlx::query("INSERT INTO people (id, organisation_id, household_id, name, bsn, birth_date, nationality, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&rec.id)
            .bind(&actor.organisation_id)
            .bind(rec.household_id.clone())
            .bind(&rec.name)
            .bind(rec.bsn.clone())
            .bind(rec.birth_date.clone())
            .bind(rec.nationality.clone())
            .bind(&t)
            .bind(&t)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "create",
            "person",
            &rec.id,
            None,
            Some(&json!(rec)),
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    pub async fn update_person(
        &self,
        actor: &Actor,
        id: &str,
        p: PersonInput,
    ) -> Result<PersonRecord> {
        actor.can_write()?;
        Self::validate_person(&p)?;
        let before = self.person(actor, id).await?;
        if before.erased {
            return Err(StoreError::Conflict("the person was erased".into()));
        }
        if let Some(h) = &p.household_id {
            self.household_in_org(actor, h).await?;
        }
        let after = PersonRecord {
            id: id.into(),
            household_id: p.household_id,
            name: p.name.trim().into(),
            bsn: p.bsn,
            birth_date: p.birth_date,
            nationality: p.nationality,
            erased: false,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE people SET household_id = $1, name = $2, bsn = $3, birth_date = $4, nationality = $5, updated_at = $6 WHERE id = $7 AND organisation_id = $8")
            .bind(after.household_id.clone())
            .bind(&after.name)
            .bind(after.bsn.clone())
            .bind(after.birth_date.clone())
            .bind(after.nationality.clone())
            .bind(now())
            .bind(id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "person",
            id,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub(crate) fn person_from(r: &AnyRow) -> Result<PersonRecord> {
        Ok(PersonRecord {
            id: r.try_get("id")?,
            household_id: r.try_get("household_id")?,
            name: r.try_get("name")?,
            bsn: r.try_get("bsn")?,
            birth_date: r.try_get("birth_date")?,
            nationality: r.try_get("nationality")?,
            erased: r.try_get::<Option<String>, _>("erased_at")?.is_some(),
        })
    }

    pub async fn person(&self, actor: &Actor, id: &str) -> Result<PersonRecord> {
        let r = sqlx::query("SELECT id, household_id, name, bsn, birth_date, nationality, erased_at FROM people WHERE id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(&actor.organisation_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("person {id}")))?;
        Self::person_from(&r)
    }

    /// People of the organisation, optionally those whose name contains `search` (case-insensitive).
    pub async fn people(&self, actor: &Actor, search: Option<&str>) -> Result<Vec<PersonRecord>> {
        // `%`, `_` and the escape character itself are matched as typed.
        let mut pattern = String::from("%");
        for c in search.unwrap_or("").to_lowercase().chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
        let rows = sqlx::query("SELECT id, household_id, name, bsn, birth_date, nationality, erased_at FROM people WHERE organisation_id = $1 AND LOWER(name) LIKE $2 ESCAPE '\\' AND erased_at IS NULL ORDER BY name")
            .bind(&actor.organisation_id)
            .bind(pattern)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Self::person_from).collect()
    }

    pub async fn add_permit(&self, actor: &Actor, p: PermitInput) -> Result<PermitRecord> {
        actor.can_write()?;
        self.check_permit_input(actor, &p).await?;
        let rec = PermitRecord::new(new_id(), p);
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO permits (id, organisation_id, person_id, kind, document_number, valid_from, valid_until, sponsor_person_id, restriction_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(&rec.id)
            .bind(&actor.organisation_id)
            .bind(&rec.person_id)
            .bind(&rec.kind)
            .bind(rec.document_number.clone())
            .bind(&rec.valid_from)
            .bind(rec.valid_until.clone())
            .bind(rec.sponsor_person_id.clone())
            .bind(rec.restriction_text.clone())
            .bind(now())
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "create",
            "permit",
            &rec.id,
            None,
            Some(&json!(rec)),
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    pub async fn permits(&self, actor: &Actor, person_id: &str) -> Result<Vec<PermitRecord>> {
        self.person(actor, person_id).await?;
        let rows = sqlx::query("SELECT id, person_id, kind, document_number, valid_from, valid_until, sponsor_person_id, restriction_text FROM permits WHERE person_id = $1 AND organisation_id = $2 ORDER BY valid_from")
            .bind(person_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(PermitRecord {
                    id: r.try_get("id")?,
                    person_id: r.try_get("person_id")?,
                    kind: r.try_get("kind")?,
                    document_number: r.try_get("document_number")?,
                    valid_from: r.try_get("valid_from")?,
                    valid_until: r.try_get("valid_until")?,
                    sponsor_person_id: r.try_get("sponsor_person_id")?,
                    restriction_text: r.try_get("restriction_text")?,
                })
            })
            .collect()
    }

    pub async fn add_contract(
        &self,
        actor: &Actor,
        person_id: &str,
        employer: Option<String>,
        salary_cents: Option<i64>,
        start: Option<String>,
        end: Option<String>,
    ) -> Result<ContractRecord> {
        actor.can_write()?;
        self.person(actor, person_id).await?;
        let input = crate::ContractInput {
            employer,
            gross_monthly_salary_cents: salary_cents,
            start_date: start,
            end_date: end,
        };
        crate::edit::validate_contract(&input)?;
        let rec = ContractRecord {
            id: new_id(),
            person_id: person_id.into(),
            employer: input.employer,
            gross_monthly_salary_cents: input.gross_monthly_salary_cents,
            start_date: input.start_date,
            end_date: input.end_date,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO contracts (id, organisation_id, person_id, employer, gross_monthly_salary_cents, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&rec.id)
            .bind(&actor.organisation_id)
            .bind(&rec.person_id)
            .bind(rec.employer.clone())
            .bind(rec.gross_monthly_salary_cents)
            .bind(rec.start_date.clone())
            .bind(rec.end_date.clone())
            .bind(now())
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "create",
            "contract",
            &rec.id,
            None,
            Some(&json!(rec)),
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Links two people: `partner` (with a form: married, registered, unmarried) or `child` (a is the parent).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_relationship(
        &self,
        actor: &Actor,
        kind: &str,
        a: &str,
        b: &str,
        form: Option<&str>,
        from: Option<String>,
        until: Option<String>,
    ) -> Result<String> {
        actor.can_write()?;
        if kind != "partner" && kind != "child" {
            return Err(invalid(
                "kind",
                "expected `partner` or `child`",
                "verwacht `partner` of `child`",
            ));
        }
        if a == b {
            return Err(invalid("b", "expected someone other than `a`: a person cannot be linked to themselves", "verwacht iemand anders dan `a`: een persoon kan niet aan zichzelf worden gekoppeld"));
        }
        self.person(actor, a).await?;
        self.person(actor, b).await?;
        crate::edit::check_relationship_terms(kind, form, &from, &until)?;
        let id = new_id();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO relationships (id, organisation_id, kind, person_a, person_b, form, from_date, until_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&id)
            .bind(&actor.organisation_id)
            .bind(kind)
            .bind(a)
            .bind(b)
            .bind(form.map(str::to_string))
            .bind(from.clone())
            .bind(until.clone())
            .execute(&mut *tx)
            .await?;
        Self::audit(&mut tx, &actor.organisation_id, Some(&actor.user_id), "create", "relationship", &id, None, Some(&json!({ "kind": kind, "a": a, "b": b, "form": form, "from": from, "until": until }))).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The household as a case in the case format, ready for the rules.
    pub async fn household_case(
        &self,
        actor: &Actor,
        household_id: &str,
        reference_date: &str,
    ) -> Result<Value> {
        self.household_in_org(actor, household_id).await?;
        let rows = sqlx::query("SELECT id, household_id, name, bsn, birth_date, nationality, erased_at FROM people WHERE household_id = $1 AND organisation_id = $2 AND erased_at IS NULL ORDER BY created_at")
            .bind(household_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        // Permits, contracts and links of the household's members only: one query each, whatever the size of the
        // register.
        let mut permits_of: std::collections::HashMap<String, Vec<Value>> = Default::default();
        for h in sqlx::query("SELECT p.person_id AS person_id, p.kind AS kind, p.valid_from AS valid_from, p.valid_until AS valid_until, p.sponsor_person_id AS sponsor_person_id FROM permits p JOIN people x ON x.id = p.person_id WHERE x.household_id = $1 AND x.organisation_id = $2 AND x.erased_at IS NULL AND p.organisation_id = $2 ORDER BY p.valid_from")
            .bind(household_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?
        {
            let mut v = json!({ "kind": h.try_get::<String, _>("kind")?, "from": h.try_get::<String, _>("valid_from")?, "until": h.try_get::<Option<String>, _>("valid_until")?, "sponsor": h.try_get::<Option<String>, _>("sponsor_person_id")? });
            if let Some(o) = v.as_object_mut() {
                o.retain(|_, x| !x.is_null());
            }
            permits_of
                .entry(h.try_get("person_id")?)
                .or_default()
                .push(v);
        }
        // The newest contract of each member is the one the rules read.
        let mut contract_of: std::collections::HashMap<String, AnyRow> = Default::default();
        for c in sqlx::query("SELECT c.person_id AS person_id, c.employer AS employer, c.gross_monthly_salary_cents AS gross_monthly_salary_cents, c.start_date AS start_date, c.end_date AS end_date FROM contracts c JOIN people x ON x.id = c.person_id WHERE x.household_id = $1 AND x.organisation_id = $2 AND x.erased_at IS NULL AND c.organisation_id = $2 ORDER BY c.created_at DESC")
            .bind(household_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?
        {
            contract_of.entry(c.try_get("person_id")?).or_insert(c);
        }
        let mut people = Vec::new();
        for r in &rows {
            let p = Self::person_from(r)?;
            let permits = permits_of.remove(&p.id).unwrap_or_default();
            let contract = contract_of.remove(&p.id);
            let mut person = json!({ "id": p.id, "permits": permits });
            if let Some(o) = person.as_object_mut() {
                if let Some(b) = &p.birth_date {
                    o.insert("birth_date".into(), json!(b));
                }
                if let Some(n) = &p.nationality {
                    o.insert("nationality".into(), json!(n));
                }
                if let Some(c) = contract {
                    let mut job = serde_json::Map::new();
                    if let Some(e) = c.try_get::<Option<String>, _>("employer")? {
                        job.insert("employer".into(), json!(e));
                    }
                    if let Some(cents) =
                        c.try_get::<Option<i64>, _>("gross_monthly_salary_cents")?
                    {
                        job.insert(
                            "gross_monthly_salary".into(),
                            json!(format!("{}.{:02}", cents / 100, cents % 100)),
                        );
                    }
                    if let Some(s) = c.try_get::<Option<String>, _>("start_date")? {
                        job.insert("contract_start".into(), json!(s));
                    }
                    job.insert(
                        "contract_end".into(),
                        json!(c
                            .try_get::<Option<String>, _>("end_date")?
                            .unwrap_or_else(|| "indefinite".into())),
                    );
                    o.insert("job_offer".into(), Value::Object(job));
                }
            }
            people.push(person);
        }
        let rels = sqlx::query("SELECT r.kind AS kind, r.person_a AS person_a, r.person_b AS person_b, r.form AS form, r.from_date AS from_date, r.until_date AS until_date FROM relationships r JOIN people pa ON pa.id = r.person_a JOIN people pb ON pb.id = r.person_b WHERE r.organisation_id = $1 AND pa.household_id = $2 AND pb.household_id = $2 AND pa.organisation_id = $1 AND pb.organisation_id = $1 AND pa.erased_at IS NULL AND pb.erased_at IS NULL ORDER BY r.kind, r.id")
            .bind(&actor.organisation_id)
            .bind(household_id)
            .fetch_all(&self.pool)
            .await?;
        let mut relationships = Vec::new();
        for r in &rels {
            let (a, b): (String, String) = (r.try_get("person_a")?, r.try_get("person_b")?);
            let kind: String = r.try_get("kind")?;
            let mut v = if kind == "partner" {
                json!({ "type": "partner", "partners": [a, b], "form": r.try_get::<Option<String>, _>("form")?.unwrap_or_else(|| "married".into()), "from": r.try_get::<Option<String>, _>("from_date")?, "until": r.try_get::<Option<String>, _>("until_date")? })
            } else {
                json!({ "type": "child", "parent": a, "child": b })
            };
            if let Some(o) = v.as_object_mut() {
                o.retain(|_, x| !x.is_null());
            }
            relationships.push(v);
        }
        Ok(
            json!({ "reference_date": reference_date, "people": people, "relationships": relationships }),
        )
    }

    /// Keeps an assessment as an immutable snapshot with its receipt.
    pub async fn save_assessment(
        &self,
        actor: &Actor,
        household_id: &str,
        reference_date: &str,
        engine: &str,
        params_hash: &str,
        result: &Value,
    ) -> Result<AssessmentRecord> {
        actor.can_write()?;
        self.household_in_org(actor, household_id).await?;
        let rec = AssessmentRecord {
            id: new_id(),
            household_id: household_id.into(),
            reference_date: reference_date.into(),
            engine: engine.into(),
            params_hash: params_hash.into(),
            result: result.clone(),
            created_at: now(),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO assessments (id, organisation_id, household_id, reference_date, engine, params_hash, result, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&rec.id)
            .bind(&actor.organisation_id)
            .bind(&rec.household_id)
            .bind(&rec.reference_date)
            .bind(&rec.engine)
            .bind(&rec.params_hash)
            .bind(rec.result.to_string())
            .bind(&actor.user_id)
            .bind(&rec.created_at)
            .execute(&mut *tx)
            .await?;
        Self::audit(&mut tx, &actor.organisation_id, Some(&actor.user_id), "create", "assessment", &rec.id, None, Some(&json!({ "household": household_id, "reference_date": reference_date, "params_hash": params_hash }))).await?;
        tx.commit().await?;
        Ok(rec)
    }

    pub async fn assessments(
        &self,
        actor: &Actor,
        household_id: &str,
    ) -> Result<Vec<AssessmentRecord>> {
        self.household_in_org(actor, household_id).await?;
        let rows = sqlx::query("SELECT id, household_id, reference_date, engine, params_hash, result, created_at FROM assessments WHERE household_id = $1 AND organisation_id = $2 ORDER BY created_at")
            .bind(household_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AssessmentRecord {
                    id: r.try_get("id")?,
                    household_id: r.try_get("household_id")?,
                    reference_date: r.try_get("reference_date")?,
                    engine: r.try_get("engine")?,
                    params_hash: r.try_get("params_hash")?,
                    result: serde_json::from_str(&r.try_get::<String, _>("result")?)
                        .unwrap_or(Value::Null),
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Everything held on one person, as JSON (the right of access).
    pub async fn export_person(&self, actor: &Actor, id: &str) -> Result<Value> {
        let p = self.person(actor, id).await?;
        let permits = self.permits(actor, id).await?;
        let contracts = sqlx::query("SELECT id, employer, gross_monthly_salary_cents, start_date, end_date FROM contracts WHERE person_id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| -> Result<Value> {
                Ok(json!({ "id": r.try_get::<String, _>("id")?, "employer": r.try_get::<Option<String>, _>("employer")?, "gross_monthly_salary_cents": r.try_get::<Option<i64>, _>("gross_monthly_salary_cents")?, "start_date": r.try_get::<Option<String>, _>("start_date")?, "end_date": r.try_get::<Option<String>, _>("end_date")? }))
            })
            .collect::<Result<Vec<_>>>()?;
        let career = self.career_export(actor, id).await?;
        // Every kept assessment that mentions the person, with their own part of it.
        let assessments = sqlx::query("SELECT id, household_id, reference_date, engine, params_hash, result, created_at FROM assessments WHERE organisation_id = $1 AND result LIKE $2 ORDER BY created_at")
            .bind(&actor.organisation_id)
            .bind(format!("%{id}%"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| -> Result<Value> {
                let result: Value =
                    serde_json::from_str(&r.try_get::<String, _>("result")?).unwrap_or(Value::Null);
                let member = result["members"]
                    .as_array()
                    .and_then(|m| m.iter().find(|m| m["id"] == id))
                    .cloned();
                Ok(json!({ "id": r.try_get::<String, _>("id")?, "household_id": r.try_get::<String, _>("household_id")?, "reference_date": r.try_get::<String, _>("reference_date")?, "engine": r.try_get::<String, _>("engine")?, "params_hash": r.try_get::<String, _>("params_hash")?, "created_at": r.try_get::<String, _>("created_at")?, "member": member }))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(
            json!({ "person": p, "permits": permits, "contracts": contracts, "career": career, "assessments": assessments }),
        )
    }

    /// Erases a person: personal data gone, the audit log keeps a record of the erasure without personal data.
    ///
    /// What goes: the person's name, citizen service number, birth date and nationality (the row stays as an
    /// `(erased)` tombstone, so links and the audit log's entity ids still resolve), their permits, contracts,
    /// relationships, career consents and profile, the states of the audit entries about any of these, and every
    /// assessment snapshot that mentions them. Snapshots are otherwise never changed; a snapshot holds facts of the
    /// whole household that follow from the erased person's data (a sponsor's permit and salary in a partner's
    /// family-member decision, their 30th birthday among the deadlines), so it is deleted whole, with an audit entry
    /// per snapshot that names only its id. Other people's permits that named the person as sponsor lose that link,
    /// and other audit entries that name the person have the id replaced by `(erased)`.
    pub async fn erase_person(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.can_write()?;
        self.person(actor, id).await?;
        let org = actor.organisation_id.as_str();
        let who = Some(actor.user_id.as_str());
        // Ids are UUIDs: no LIKE wildcards in them.
        let mention = format!("%{id}%");
        let mut tx = self.pool.begin().await?;
        // Earlier audit entries about this person, their permits, contracts and links held personal data: keep the
        // facts of the change, drop the data.
        sqlx::query("UPDATE audit_log SET before_state = NULL, after_state = NULL WHERE organisation_id = $2 AND (entity_id = $1 OR entity_id IN (SELECT id FROM permits WHERE person_id = $1) OR entity_id IN (SELECT id FROM contracts WHERE person_id = $1) OR entity_id IN (SELECT id FROM relationships WHERE person_a = $1 OR person_b = $1))")
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
        // Entries about someone else that name the person (a sponsor of another's permit): the name goes.
        let named = sqlx::query("SELECT id, before_state, after_state FROM audit_log WHERE organisation_id = $1 AND (before_state LIKE $2 OR after_state LIKE $2)")
            .bind(org)
            .bind(&mention)
            .fetch_all(&mut *tx)
            .await?;
        for r in &named {
            let redact = |s: Option<String>| {
                s.map(|s| match serde_json::from_str::<Value>(&s) {
                    Ok(mut v) => {
                        redact_id(&mut v, id);
                        v.to_string()
                    }
                    Err(_) => s.replace(id, ERASED),
                })
            };
            sqlx::query("UPDATE audit_log SET before_state = $1, after_state = $2 WHERE id = $3")
                .bind(redact(r.try_get("before_state")?))
                .bind(redact(r.try_get("after_state")?))
                .bind(r.try_get::<String, _>("id")?)
                .execute(&mut *tx)
                .await?;
        }
        let snapshots = sqlx::query("SELECT id FROM assessments WHERE organisation_id = $1 AND result LIKE $2 ORDER BY created_at")
            .bind(org)
            .bind(&mention)
            .fetch_all(&mut *tx)
            .await?;
        for r in &snapshots {
            let snapshot: String = r.try_get("id")?;
            sqlx::query("DELETE FROM assessments WHERE id = $1 AND organisation_id = $2")
                .bind(&snapshot)
                .bind(org)
                .execute(&mut *tx)
                .await?;
            Self::audit(
                &mut tx,
                org,
                who,
                "delete",
                "assessment",
                &snapshot,
                None,
                None,
            )
            .await?;
        }
        let sponsored = sqlx::query(
            "SELECT id FROM permits WHERE sponsor_person_id = $1 AND organisation_id = $2",
        )
        .bind(id)
        .bind(org)
        .fetch_all(&mut *tx)
        .await?;
        for r in &sponsored {
            let permit: String = r.try_get("id")?;
            sqlx::query("UPDATE permits SET sponsor_person_id = NULL WHERE id = $1 AND organisation_id = $2")
                .bind(&permit)
                .bind(org)
                .execute(&mut *tx)
                .await?;
            Self::audit(
                &mut tx,
                org,
                who,
                "update",
                "permit",
                &permit,
                None,
                Some(&json!({ "sponsor_person_id": null })),
            )
            .await?;
        }
        sqlx::query("UPDATE people SET name = '(erased)', bsn = NULL, birth_date = NULL, nationality = NULL, household_id = NULL, erased_at = $1 WHERE id = $2 AND organisation_id = $3").bind(now()).bind(id).bind(org).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM permits WHERE person_id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM contracts WHERE person_id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM relationships WHERE (person_a = $1 OR person_b = $1) AND organisation_id = $2").bind(id).bind(org).execute(&mut *tx).await?;
        careers::erase_career(&mut tx, org, id).await?;
        Self::audit(&mut tx, org, who, "erase", "person", id, None, None).await?;
        tx.commit().await?;
        self.forget_deleted_bytes().await
    }

    /// Makes deleted data gone from the files, not only from the tables. On SQLite `secure_delete` (set on every
    /// connection) overwrites deleted content with zeros in the database file, but the write-ahead log still holds
    /// the pages as they were; a checkpoint that truncates the log copies the zeroed pages in and empties the log.
    /// On PostgreSQL a deleted row stays in its page until VACUUM reclaims it (see SECURITY.md).
    pub(crate) async fn forget_deleted_bytes(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Every deadline of every household in the actor's organisation from `date` on, in date order, each with the
    /// day its warning starts under the organisation's settings. A household whose records do not make a valid case is
    /// left out ([`Store::alert_list`] names it).
    pub async fn alerts(
        &self,
        actor: &Actor,
        params: &verblijf_rules::ParamSet,
        date: chrono::NaiveDate,
    ) -> Result<Vec<Alert>> {
        Ok(self.alert_list(actor, params, date).await?.alerts)
    }

    /// The deadlines as [`Store::alerts`] gives them, and the households left out because their records do not make
    /// a valid case, each with the field at fault.
    pub async fn alert_list(
        &self,
        actor: &Actor,
        params: &verblijf_rules::ParamSet,
        date: chrono::NaiveDate,
    ) -> Result<AlertList> {
        let names: std::collections::HashMap<String, String> = self
            .people(actor, None)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let warning = self.settings(actor).await?.warning_days;
        let mut out = Vec::new();
        let mut unreadable = Vec::new();
        for h in self.households(actor).await? {
            // A household whose records do not make a valid case (kept before today's checks at the door) is
            // flagged and skipped: one bad record never takes the organisation's deadlines down.
            let case = match self.household_case(actor, &h.id, &date.to_string()).await {
                Ok(c) => verblijf_rules::parse_case(&c.to_string(), verblijf_rules::Format::Json)
                    .map_err(|e| (e.field.clone(), e.to_string())),
                Err(StoreError::Invalid { field, message, .. }) => Err((field, message)),
                Err(e) => return Err(e),
            };
            let case = match case {
                Ok(c) => c,
                Err((field, message)) => {
                    unreadable.push(UnreadableHousehold {
                        household_id: h.id.clone(),
                        household: h.name.clone(),
                        field,
                        message,
                    });
                    continue;
                }
            };
            for p in case.members() {
                for d in verblijf_rules::household::deadlines(params, &case, p, date) {
                    let id = d.person.clone().unwrap_or_default();
                    let warn_from = d.date - chrono::Duration::days(warning.for_deadline(&d));
                    out.push(Alert {
                        warn_from,
                        due: warn_from <= date,
                        date: d.date,
                        household_id: h.id.clone(),
                        household: h.name.clone(),
                        person: names.get(&id).cloned().unwrap_or_default(),
                        person_id: id,
                        kind: d.kind,
                        what: d.what(),
                    });
                }
            }
        }
        out.sort_by(|x, y| x.date.cmp(&y.date).then(x.person.cmp(&y.person)));
        Ok(AlertList {
            alerts: out,
            unreadable,
        })
    }

    /// Runs one statement outside the register (test set-up: creating a scratch database on a server). Only with
    /// the `test-support` feature, which the tests enable and a build of the server does not.
    #[cfg(feature = "test-support")]
    pub async fn raw_execute(&self, sql: &str) -> Result<()> {
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Runs one query outside the register whose columns are all text (or NULL), such as `SELECT CAST(x AS TEXT)
    /// ...`, and returns its rows (tests: looking at everything the database holds). Only with `test-support`.
    #[cfg(feature = "test-support")]
    pub async fn raw_query_text(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| Ok(r.try_get::<Option<String>, _>(i)?))
                    .collect()
            })
            .collect()
    }

    /// The organisation's audit log, oldest first.
    pub async fn audit_log(&self, actor: &Actor) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT seq, actor, action, entity, entity_id, before_state, after_state, at FROM audit_log WHERE organisation_id = $1 ORDER BY seq").bind(&actor.organisation_id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
                Ok(AuditEntry {
                    seq: r.try_get("seq")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    before: parse(r.try_get("before_state")?),
                    after: parse(r.try_get("after_state")?),
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}

/// What an erased person's id is replaced with where a record about someone else named them.
const ERASED: &str = "(erased)";

/// Replaces every string (and object key) that holds `id` with [`ERASED`].
fn redact_id(v: &mut Value, id: &str) {
    match v {
        Value::String(s) if s.contains(id) => *s = ERASED.into(),
        Value::Array(a) => a.iter_mut().for_each(|x| redact_id(x, id)),
        Value::Object(o) => {
            let old = std::mem::take(o);
            for (k, mut x) in old {
                redact_id(&mut x, id);
                o.insert(if k.contains(id) { ERASED.into() } else { k }, x);
            }
        }
        _ => {}
    }
}

fn check_email(e: &str) -> Result<()> {
    let e = e.trim();
    match e.split_once('@') {
        Some((a, b)) if !a.is_empty() && b.contains('.') && !e.contains(' ') => Ok(()),
        _ => Err(invalid(
            "email",
            format!("expected an email address, found {e:?}"),
            format!("verwacht een e-mailadres, gevonden {e:?}"),
        )),
    }
}

fn check_password(p: &str) -> Result<()> {
    if p.chars().count() < 10 {
        return Err(invalid(
            "password",
            "expected at least 10 characters",
            "verwacht ten minste 10 tekens",
        ));
    }
    Ok(())
}

pub(crate) fn hash_password(p: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(p.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Database(e.to_string()))
}

fn verify_password(p: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|h| Argon2::default().verify_password(p.as_bytes(), &h).is_ok())
}

/// Tokens are random and long, so a plain SHA-256 keeps them unreadable at rest.
pub(crate) fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
