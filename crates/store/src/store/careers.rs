//! Partner careers: partners may opt in to be seen by the organisation as candidates for
//! work (skills, languages, education, availability), with their right to work on a date and until when it holds.
//!
//! Consent. The partner is not a user of the register, so an owner or adviser records the partner's consent on
//! their behalf: the exact text and version the partner agreed to and when (`given_at`); the user who recorded it
//! is kept with it. Either may also record a withdrawal, which the partner can ask for at any time. Consents are
//! history: a withdrawal ends a consent (`withdrawn_at`), it does not delete it, and a partner may opt in again
//! under a new consent. The profile exists only while a consent is active and is deleted on withdrawal. The audit
//! log records that consent was given, the profile changed (the names of the fields, not their values) or consent
//! was withdrawn, never the profile itself.
//!
//! Visibility. The candidate list and the report show only people with an active consent; nothing about anyone
//! else (not even a count). Who may opt in: a household member linked as a partner who holds a family-member
//! permit, or no permit of another kind (for example a Dutch or EU partner, or one whose permit is still being
//! applied for). The sponsor, who is also a partner in the relationship, holds a permit of their own.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;
use verblijf_rules::{WorkRights, WorkStatus};

use super::{check_date, invalid, new_id, now, Actor, Result, Store, StoreError};

/// Education levels a profile may name (wider than the rules' tertiary levels: a partner's secondary or vocational
/// education counts for work too).
pub const EDUCATION_LEVELS: [&str; 7] = [
    "secondary",
    "vocational",
    "associate",
    "bachelor",
    "master",
    "post_master",
    "phd",
];

/// The consent a partner gave (the body of the API's request, with the profile).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// The text the partner agreed to, word for word.
    pub text: String,
    /// The version of that text, such as `careers-2025-06`.
    pub version: String,
    /// When the partner gave it: a date (YYYY-MM-DD) or an RFC 3339 time; default now. Not in the future.
    #[serde(default)]
    pub given_at: Option<String>,
}

/// What a partner shares as a candidate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareerProfileInput {
    #[serde(default)]
    pub skills: Vec<String>,
    /// Languages, such as `en`, `nl (B1)`.
    #[serde(default)]
    pub languages: Vec<String>,
    /// One of [`EDUCATION_LEVELS`].
    #[serde(default)]
    pub education_level: Option<String>,
    #[serde(default)]
    pub education_field: Option<String>,
    /// From when they could start (YYYY-MM-DD).
    #[serde(default)]
    pub available_from: Option<String>,
    /// Hours a week they would work, 1 to 60.
    #[serde(default)]
    pub hours_per_week: Option<i64>,
    /// A short note, at most 1,000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// A profile as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CareerProfile {
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    pub education_level: Option<String>,
    pub education_field: Option<String>,
    pub available_from: Option<String>,
    pub hours_per_week: Option<i64>,
    pub note: Option<String>,
    pub updated_at: String,
}

/// One consent, active or withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    pub id: String,
    pub person_id: String,
    pub given_at: String,
    /// The user who recorded the consent.
    pub recorded_by: String,
    pub version: String,
    pub text: String,
    pub withdrawn_at: Option<String>,
    /// The user who recorded the withdrawal.
    pub withdrawn_by: Option<String>,
}

/// A person's careers record: every consent, oldest first, and the profile while a consent is active.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Career {
    pub person_id: String,
    pub active: bool,
    pub consents: Vec<ConsentRecord>,
    pub profile: Option<CareerProfile>,
}

/// An opted-in partner as the organisation sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub person_id: String,
    pub name: String,
    pub household_id: Option<String>,
    pub household: Option<String>,
    pub consent_given_at: String,
    pub consent_version: String,
    pub profile: CareerProfile,
    /// The right to work on the date asked, by the rules (none when the person is no longer in a household).
    pub work_rights: Option<WorkRights>,
}

/// One line of the report: an opted-in partner who may work freely on the date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FreeCandidate {
    pub person_id: String,
    pub name: String,
    pub household: Option<String>,
    /// The last day the right holds (the family permit's end, or the sponsor's); none when open-ended.
    pub until: Option<NaiveDate>,
    /// What it rests on: `family_permit`, `own_permit`, `citizen`.
    pub basis: &'static str,
    pub available_from: Option<String>,
    pub hours_per_week: Option<i64>,
}

/// Which opted-in partners may work freely (no work permit, no salary criterion) on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CareerReport {
    pub date: NaiveDate,
    /// Opted-in partners.
    pub candidates: usize,
    /// Of those, how many may work freely.
    pub may_work_freely: usize,
    /// Opted-in partners per right-to-work status (`free`, `twv_required`, `not_allowed`, `unknown`, …).
    pub by_status: BTreeMap<&'static str, usize>,
    /// Those who may work freely, the soonest `until` first.
    pub free: Vec<FreeCandidate>,
}

fn check_text(field: &str, v: &str, max: usize) -> Result<()> {
    if v.trim().is_empty() {
        return Err(invalid(
            field,
            "expected text, found an empty string",
            "verwacht tekst, gevonden een lege tekst",
        ));
    }
    if v.chars().count() > max {
        return Err(invalid(
            field,
            format!("expected at most {max} characters"),
            format!("verwacht ten hoogste {max} tekens"),
        ));
    }
    Ok(())
}

fn check_list(field: &str, v: &[String], items: usize, max: usize) -> Result<()> {
    if v.len() > items {
        return Err(invalid(
            field,
            format!("expected at most {items} entries"),
            format!("verwacht ten hoogste {items} items"),
        ));
    }
    for (i, s) in v.iter().enumerate() {
        check_text(&format!("{field}[{i}]"), s, max)?;
    }
    Ok(())
}

fn validate_profile(p: &CareerProfileInput) -> Result<()> {
    check_list("skills", &p.skills, 50, 100)?;
    check_list("languages", &p.languages, 20, 50)?;
    if let Some(l) = &p.education_level {
        if !EDUCATION_LEVELS.contains(&l.as_str()) {
            return Err(invalid(
                "education_level",
                format!(
                    "expected one of {}, found {l:?}",
                    EDUCATION_LEVELS.join(", ")
                ),
                format!(
                    "verwacht een van {}, gevonden {l:?}",
                    EDUCATION_LEVELS.join(", ")
                ),
            ));
        }
    }
    if let Some(f) = &p.education_field {
        check_text("education_field", f, 200)?;
    }
    check_date("available_from", &p.available_from)?;
    if let Some(h) = p.hours_per_week {
        if !(1..=60).contains(&h) {
            return Err(invalid(
                "hours_per_week",
                format!("expected a whole number of hours from 1 to 60, found {h}"),
                format!("verwacht een heel aantal uren van 1 tot en met 60, gevonden {h}"),
            ));
        }
    }
    if let Some(n) = &p.note {
        check_text("note", n, 1000)?;
    }
    Ok(())
}

/// The moment consent was given, normalised: a date stays a date, a time becomes UTC. Not in the future.
fn given_at(v: &Option<String>) -> Result<String> {
    let Some(v) = v else { return Ok(now()) };
    let today = chrono::Utc::now().date_naive();
    let (text, day) = if let Ok(d) = v.parse::<NaiveDate>() {
        (d.to_string(), d)
    } else if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        let t = t.with_timezone(&chrono::Utc);
        (
            t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            t.date_naive(),
        )
    } else {
        return Err(invalid(
            "consent.given_at",
            format!("expected a date YYYY-MM-DD or an RFC 3339 time, found {v:?}"),
            format!("verwacht een datum JJJJ-MM-DD of een RFC 3339-tijd, gevonden {v:?}"),
        ));
    };
    if day > today {
        return Err(invalid(
            "consent.given_at",
            format!("{v} is in the future"),
            format!("{v} ligt in de toekomst"),
        ));
    }
    Ok(text)
}

fn profile_from(r: &AnyRow) -> Result<CareerProfile> {
    let list = |col: &str| -> Result<Vec<String>> {
        Ok(serde_json::from_str(&r.try_get::<String, _>(col)?).unwrap_or_default())
    };
    Ok(CareerProfile {
        skills: list("skills")?,
        languages: list("languages")?,
        education_level: r.try_get("education_level")?,
        education_field: r.try_get("education_field")?,
        available_from: r.try_get("available_from")?,
        hours_per_week: r.try_get("hours_per_week")?,
        note: r.try_get("note")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn trimmed(p: CareerProfileInput) -> CareerProfileInput {
    let list = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_string()).collect();
    let opt = |v: Option<String>| v.map(|s| s.trim().to_string());
    CareerProfileInput {
        skills: list(p.skills),
        languages: list(p.languages),
        education_level: p.education_level,
        education_field: opt(p.education_field),
        available_from: p.available_from,
        hours_per_week: p.hours_per_week,
        note: opt(p.note),
    }
}

/// Names of the fields that differ (for the audit log, which keeps no profile values).
fn changed_fields(before: &CareerProfile, after: &CareerProfileInput) -> Vec<&'static str> {
    let mut out = Vec::new();
    if before.skills != after.skills {
        out.push("skills");
    }
    if before.languages != after.languages {
        out.push("languages");
    }
    if before.education_level != after.education_level {
        out.push("education_level");
    }
    if before.education_field != after.education_field {
        out.push("education_field");
    }
    if before.available_from != after.available_from {
        out.push("available_from");
    }
    if before.hours_per_week != after.hours_per_week {
        out.push("hours_per_week");
    }
    if before.note != after.note {
        out.push("note");
    }
    out
}

/// Deletes a person's consents and profile (erasure), inside the caller's transaction.
pub(super) async fn erase_career(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    org: &str,
    person_id: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM career_profiles WHERE person_id = $1 AND organisation_id = $2")
        .bind(person_id)
        .bind(org)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM career_consents WHERE person_id = $1 AND organisation_id = $2")
        .bind(person_id)
        .bind(org)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// May this person opt in: a partner in a household (a relationship of kind `partner`) who holds a
    /// family-member permit or no permit of another kind?
    async fn check_may_opt_in(&self, actor: &Actor, person_id: &str) -> Result<()> {
        let p = self.person(actor, person_id).await?;
        if p.erased {
            return Err(StoreError::Conflict("the person was erased".into()));
        }
        let not_partner = || {
            invalid("person_id", "only a partner in a household can opt in: someone linked as a partner who holds a family-member permit, or no permit of another kind", "alleen een partner in een huishouden kan meedoen: iemand die als partner is gekoppeld en een verblijfsvergunning als gezinslid heeft, of geen vergunning van een andere soort")
        };
        if p.household_id.is_none() {
            return Err(not_partner());
        }
        let partner = sqlx::query("SELECT id FROM relationships WHERE organisation_id = $1 AND kind = 'partner' AND (person_a = $2 OR person_b = $2)")
            .bind(&actor.organisation_id)
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await?;
        if partner.is_none() {
            return Err(not_partner());
        }
        let permits = self.permits(actor, person_id).await?;
        if permits.is_empty() || permits.iter().any(|h| h.kind == "family_member") {
            return Ok(());
        }
        Err(not_partner())
    }

    /// A person's careers record (any role): consent history and, while consent is active, the profile.
    pub async fn career(&self, actor: &Actor, person_id: &str) -> Result<Career> {
        self.person(actor, person_id).await?;
        let rows = sqlx::query("SELECT id, person_id, given_at, recorded_by, consent_version, consent_text, withdrawn_at, withdrawn_by FROM career_consents WHERE person_id = $1 AND organisation_id = $2 ORDER BY created_at, id")
            .bind(person_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        let consents = rows
            .iter()
            .map(|r| {
                Ok(ConsentRecord {
                    id: r.try_get("id")?,
                    person_id: r.try_get("person_id")?,
                    given_at: r.try_get("given_at")?,
                    recorded_by: r.try_get("recorded_by")?,
                    version: r.try_get("consent_version")?,
                    text: r.try_get("consent_text")?,
                    withdrawn_at: r.try_get("withdrawn_at")?,
                    withdrawn_by: r.try_get("withdrawn_by")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let profile = sqlx::query("SELECT skills, languages, education_level, education_field, available_from, hours_per_week, note, updated_at FROM career_profiles WHERE person_id = $1 AND organisation_id = $2")
            .bind(person_id)
            .bind(&actor.organisation_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| profile_from(&r))
            .transpose()?;
        Ok(Career {
            person_id: person_id.into(),
            active: consents.iter().any(|c| c.withdrawn_at.is_none()),
            consents,
            profile,
        })
    }

    /// Records a partner's consent to be seen as a candidate, with the profile they share (owner or adviser, on
    /// the partner's behalf). A person with an active consent must withdraw before giving a new one.
    pub async fn give_career_consent(
        &self,
        actor: &Actor,
        person_id: &str,
        consent: ConsentInput,
        profile: CareerProfileInput,
    ) -> Result<Career> {
        actor.can_write()?;
        self.check_may_opt_in(actor, person_id).await?;
        check_text("consent.text", &consent.text, 10_000)?;
        check_text("consent.version", &consent.version, 100)?;
        let given = given_at(&consent.given_at)?;
        validate_profile(&profile)?;
        let profile = trimmed(profile);
        if self.career(actor, person_id).await?.active {
            return Err(StoreError::Conflict(
                "the person has already opted in; change the profile, or withdraw first".into(),
            ));
        }
        let id = new_id();
        let t = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO career_consents (id, organisation_id, person_id, given_at, recorded_by, consent_version, consent_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&id)
            .bind(&actor.organisation_id)
            .bind(person_id)
            .bind(&given)
            .bind(&actor.user_id)
            .bind(consent.version.trim())
            .bind(&consent.text)
            .bind(&t)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO career_profiles (person_id, organisation_id, consent_id, skills, languages, education_level, education_field, available_from, hours_per_week, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(person_id)
            .bind(&actor.organisation_id)
            .bind(&id)
            .bind(json!(profile.skills).to_string())
            .bind(json!(profile.languages).to_string())
            .bind(profile.education_level.clone())
            .bind(profile.education_field.clone())
            .bind(profile.available_from.clone())
            .bind(profile.hours_per_week)
            .bind(profile.note.clone())
            .bind(&t)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "consent",
            "career",
            person_id,
            None,
            Some(&json!({ "consent": id, "version": consent.version.trim() })),
        )
        .await?;
        tx.commit().await?;
        self.career(actor, person_id).await
    }

    /// Replaces the profile of a partner who has opted in (owner or adviser).
    pub async fn update_career_profile(
        &self,
        actor: &Actor,
        person_id: &str,
        profile: CareerProfileInput,
    ) -> Result<Career> {
        actor.can_write()?;
        let before = self.career(actor, person_id).await?;
        let (true, Some(old)) = (before.active, before.profile) else {
            return Err(StoreError::Conflict(
                "the person has not opted in (no active consent)".into(),
            ));
        };
        validate_profile(&profile)?;
        let profile = trimmed(profile);
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE career_profiles SET skills = $1, languages = $2, education_level = $3, education_field = $4, available_from = $5, hours_per_week = $6, note = $7, updated_at = $8 WHERE person_id = $9 AND organisation_id = $10")
            .bind(json!(profile.skills).to_string())
            .bind(json!(profile.languages).to_string())
            .bind(profile.education_level.clone())
            .bind(profile.education_field.clone())
            .bind(profile.available_from.clone())
            .bind(profile.hours_per_week)
            .bind(profile.note.clone())
            .bind(now())
            .bind(person_id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "career",
            person_id,
            None,
            Some(&json!({ "changed": changed_fields(&old, &profile) })),
        )
        .await?;
        tx.commit().await?;
        self.career(actor, person_id).await
    }

    /// Records that a partner withdrew consent (owner or adviser): the consent is ended, kept as history, and the
    /// profile is deleted.
    pub async fn withdraw_career_consent(&self, actor: &Actor, person_id: &str) -> Result<Career> {
        actor.can_write()?;
        let before = self.career(actor, person_id).await?;
        let Some(active) = before.consents.iter().find(|c| c.withdrawn_at.is_none()) else {
            return Err(StoreError::Conflict(
                "the person has not opted in (no active consent)".into(),
            ));
        };
        let t = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE career_consents SET withdrawn_at = $1, withdrawn_by = $2 WHERE id = $3 AND organisation_id = $4 AND withdrawn_at IS NULL")
            .bind(&t)
            .bind(&actor.user_id)
            .bind(&active.id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM career_profiles WHERE person_id = $1 AND organisation_id = $2")
            .bind(person_id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "withdraw",
            "career",
            person_id,
            None,
            Some(&json!({ "consent": active.id })),
        )
        .await?;
        tx.commit().await?;
        // The profile deleted at withdrawal leaves the files too.
        self.forget_deleted_bytes().await?;
        self.career(actor, person_id).await
    }

    /// The organisation's candidates (any role): only partners with an active consent, each with their right to
    /// work on `date` by the rules and until when it holds. Ordered by name.
    pub async fn career_candidates(
        &self,
        actor: &Actor,
        params: &verblijf_rules::ParamSet,
        date: NaiveDate,
    ) -> Result<Vec<Candidate>> {
        let rows = sqlx::query("SELECT c.person_id AS person_id, c.given_at AS given_at, c.consent_version AS consent_version, p.name AS name, p.household_id AS household_id, h.name AS household, pr.skills AS skills, pr.languages AS languages, pr.education_level AS education_level, pr.education_field AS education_field, pr.available_from AS available_from, pr.hours_per_week AS hours_per_week, pr.note AS note, pr.updated_at AS updated_at FROM career_consents c JOIN people p ON p.id = c.person_id AND p.organisation_id = c.organisation_id JOIN career_profiles pr ON pr.person_id = c.person_id AND pr.consent_id = c.id LEFT JOIN households h ON h.id = p.household_id AND h.organisation_id = c.organisation_id WHERE c.organisation_id = $1 AND c.withdrawn_at IS NULL AND p.erased_at IS NULL ORDER BY p.name, c.person_id")
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        let mut cases: HashMap<String, Option<verblijf_rules::Case>> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let person_id: String = r.try_get("person_id")?;
            let household_id: Option<String> = r.try_get("household_id")?;
            let mut work_rights = None;
            if let Some(h) = &household_id {
                if !cases.contains_key(h) {
                    let case = self.household_case(actor, h, &date.to_string()).await?;
                    let case =
                        verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
                            .ok();
                    cases.insert(h.clone(), case);
                }
                if let Some(case) = cases.get(h).and_then(Option::as_ref) {
                    work_rights = case
                        .member(&person_id)
                        .map(|p| verblijf_rules::work_rights(params, case, p, date));
                }
            }
            out.push(Candidate {
                person_id,
                name: r.try_get("name")?,
                household_id,
                household: r.try_get("household")?,
                consent_given_at: r.try_get("given_at")?,
                consent_version: r.try_get("consent_version")?,
                profile: profile_from(r)?,
                work_rights,
            });
        }
        Ok(out)
    }

    /// Which opted-in partners may work freely on `date` (any role): counts per status and the list.
    pub async fn career_report(
        &self,
        actor: &Actor,
        params: &verblijf_rules::ParamSet,
        date: NaiveDate,
    ) -> Result<CareerReport> {
        let candidates = self.career_candidates(actor, params, date).await?;
        Ok(CareerReport::of(date, &candidates))
    }

    /// A person's careers record for their export (the right of access).
    pub(super) async fn career_export(&self, actor: &Actor, person_id: &str) -> Result<Value> {
        let c = self.career(actor, person_id).await?;
        Ok(json!({ "consents": c.consents, "profile": c.profile }))
    }
}

impl CareerReport {
    /// The report on a list of candidates (from [`Store::career_candidates`] on the same date).
    pub fn of(date: NaiveDate, candidates: &[Candidate]) -> CareerReport {
        let mut by_status = BTreeMap::new();
        let mut free = Vec::new();
        for c in candidates {
            let status = c
                .work_rights
                .as_ref()
                .map_or(WorkStatus::Unknown, |w| w.status);
            *by_status.entry(status.as_str()).or_insert(0) += 1;
            if let (WorkStatus::Free, Some(w)) = (status, &c.work_rights) {
                free.push(FreeCandidate {
                    person_id: c.person_id.clone(),
                    name: c.name.clone(),
                    household: c.household.clone(),
                    until: w.until,
                    basis: w.basis,
                    available_from: c.profile.available_from.clone(),
                    hours_per_week: c.profile.hours_per_week,
                });
            }
        }
        // The soonest end first; open-ended rights last.
        free.sort_by(|a, b| {
            (a.until.is_none(), a.until, &a.name).cmp(&(b.until.is_none(), b.until, &b.name))
        });
        CareerReport {
            date,
            candidates: candidates.len(),
            may_work_freely: free.len(),
            by_status,
            free,
        }
    }
}
