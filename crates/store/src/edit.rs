//! Reading single records, changing households, permits and contracts, listing relationships, and importing many
//! records in one transaction. As everywhere in the store: every call is checked against the actor's organisation
//! (another organisation's record is "not found") and role, and every write carries its audit entry in the same
//! transaction.

use serde::Serialize;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::store::{check_date, check_order, invalid, new_id, now, Result};
use crate::{
    Actor, ContractRecord, Household, PermitInput, PermitRecord, PersonInput, Store, StoreError,
};

/// A link between two people: `partner` (a and b) or `child` (a is the parent of b).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelationshipRecord {
    pub id: String,
    pub kind: String,
    pub person_a: String,
    pub person_b: String,
    pub form: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// What is needed to add or change a contract.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContractInput {
    pub employer: Option<String>,
    pub gross_monthly_salary_cents: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// One person of an import, named by a key unique within the import's household.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPerson {
    pub key: String,
    pub person: PersonInput,
    pub permit: Option<ImportPermit>,
    pub contract: Option<ContractInput>,
}

/// A permit of an imported person; the sponsor is named by key within the same household.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPermit {
    pub kind: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub sponsor: Option<String>,
}

/// A partner link of an import, by keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPartners {
    pub a: String,
    pub b: String,
    pub form: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// A household of an import (`name: None`: people with no household), its people and links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportHousehold {
    pub name: Option<String>,
    pub people: Vec<ImportPerson>,
    pub partners: Vec<ImportPartners>,
    /// (parent key, child key)
    pub children: Vec<(String, String)>,
}

/// What an import created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub households: usize,
    pub people: usize,
    pub permits: usize,
    pub contracts: usize,
    pub relationships: usize,
}

fn permit_from(r: &AnyRow) -> Result<PermitRecord> {
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
}

fn contract_from(r: &AnyRow) -> Result<ContractRecord> {
    Ok(ContractRecord {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        employer: r.try_get("employer")?,
        gross_monthly_salary_cents: r.try_get("gross_monthly_salary_cents")?,
        start_date: r.try_get("start_date")?,
        end_date: r.try_get("end_date")?,
    })
}

fn relationship_from(r: &AnyRow) -> Result<RelationshipRecord> {
    Ok(RelationshipRecord {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        person_a: r.try_get("person_a")?,
        person_b: r.try_get("person_b")?,
        form: r.try_get("form")?,
        from: r.try_get("from_date")?,
        until: r.try_get("until_date")?,
    })
}

/// The checks of a permit that need no database: a known kind, dates, their order.
pub(crate) fn validate_permit_fields(
    kind: &str,
    valid_from: &str,
    valid_until: &Option<String>,
) -> Result<()> {
    serde_json::from_value::<verblijf_rules::case::PermitKind>(json!(kind)).map_err(|e| {
        invalid(
            "kind",
            e.to_string(),
            format!("onbekende soort vergunning ({e})"),
        )
    })?;
    let from = check_date("valid_from", &Some(valid_from.to_string()))?;
    let until = check_date("valid_until", valid_until)?;
    check_order(("valid_from", from), ("valid_until", until))
}

pub(crate) fn validate_contract(c: &ContractInput) -> Result<()> {
    if c.gross_monthly_salary_cents.is_some_and(|c| c < 0) {
        return Err(invalid(
            "gross_monthly_salary",
            "expected a non-negative amount",
            "verwacht een bedrag van nul of meer",
        ));
    }
    let start = check_date("start_date", &c.start_date)?;
    let end = check_date("end_date", &c.end_date)?;
    check_order(("start_date", start), ("end_date", end))
}

/// The checks [`Store::import`] makes of one person before it writes anything (links aside), for a preview.
pub fn check_import_person(p: &ImportPerson) -> Result<()> {
    Store::validate_person(&p.person)?;
    if let Some(pm) = &p.permit {
        validate_permit_fields(&pm.kind, &pm.valid_from, &pm.valid_until)?;
    }
    if let Some(c) = &p.contract {
        validate_contract(c)?;
    }
    Ok(())
}

impl Store {
    /// One household of the organisation.
    pub async fn household(&self, actor: &Actor, id: &str) -> Result<Household> {
        let r =
            sqlx::query("SELECT id, name FROM households WHERE id = $1 AND organisation_id = $2")
                .bind(id)
                .bind(&actor.organisation_id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("household {id}")))?;
        Ok(Household {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
        })
    }

    /// Renames a household.
    pub async fn update_household(&self, actor: &Actor, id: &str, name: &str) -> Result<Household> {
        actor.can_write()?;
        if name.trim().is_empty() {
            return Err(invalid(
                "name",
                "a household needs a name",
                "een huishouden heeft een naam nodig",
            ));
        }
        crate::check_name("name", name)?;
        let before = self.household(actor, id).await?;
        let after = Household {
            id: id.into(),
            name: name.trim().into(),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE households SET name = $1 WHERE id = $2 AND organisation_id = $3")
            .bind(&after.name)
            .bind(id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "household",
            id,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The living (not erased) members of a household.
    pub async fn household_members(
        &self,
        actor: &Actor,
        household_id: &str,
    ) -> Result<Vec<crate::PersonRecord>> {
        self.household_in_org(actor, household_id).await?;
        let rows = sqlx::query("SELECT id, household_id, name, bsn, birth_date, nationality, erased_at FROM people WHERE household_id = $1 AND organisation_id = $2 AND erased_at IS NULL ORDER BY created_at")
            .bind(household_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Self::person_from).collect()
    }

    /// One permit of the organisation.
    pub async fn permit(&self, actor: &Actor, id: &str) -> Result<PermitRecord> {
        let r = sqlx::query("SELECT id, person_id, kind, document_number, valid_from, valid_until, sponsor_person_id, restriction_text FROM permits WHERE id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(&actor.organisation_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("permit {id}")))?;
        permit_from(&r)
    }

    /// The checks of a permit to add or change: its holder and sponsor are people of the organisation, its kind
    /// one the rules know, its dates in order.
    pub(crate) async fn check_permit_input(&self, actor: &Actor, p: &PermitInput) -> Result<()> {
        self.person(actor, &p.person_id).await?;
        if let Some(s) = &p.sponsor_person_id {
            self.person(actor, s).await.map_err(|_| {
                invalid(
                    "sponsor_person_id",
                    "no such person in this organisation",
                    "deze persoon bestaat niet in deze organisatie",
                )
            })?;
        }
        validate_permit_fields(&p.kind, &p.valid_from, &p.valid_until)
    }

    /// Changes a permit (also which person holds it, within the organisation).
    pub async fn update_permit(
        &self,
        actor: &Actor,
        id: &str,
        p: PermitInput,
    ) -> Result<PermitRecord> {
        actor.can_write()?;
        let before = self.permit(actor, id).await?;
        self.check_permit_input(actor, &p).await?;
        let after = PermitRecord::new(id.into(), p);
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE permits SET person_id = $1, kind = $2, document_number = $3, valid_from = $4, valid_until = $5, sponsor_person_id = $6, restriction_text = $7 WHERE id = $8 AND organisation_id = $9")
            .bind(&after.person_id)
            .bind(&after.kind)
            .bind(after.document_number.clone())
            .bind(&after.valid_from)
            .bind(after.valid_until.clone())
            .bind(after.sponsor_person_id.clone())
            .bind(after.restriction_text.clone())
            .bind(id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "permit",
            id,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A person's contracts, newest first (the first is the one the rules read).
    pub async fn contracts(&self, actor: &Actor, person_id: &str) -> Result<Vec<ContractRecord>> {
        self.person(actor, person_id).await?;
        let rows = sqlx::query("SELECT id, person_id, employer, gross_monthly_salary_cents, start_date, end_date FROM contracts WHERE person_id = $1 AND organisation_id = $2 ORDER BY created_at DESC")
            .bind(person_id)
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(contract_from).collect()
    }

    /// One contract of the organisation.
    pub async fn contract(&self, actor: &Actor, id: &str) -> Result<ContractRecord> {
        let r = sqlx::query("SELECT id, person_id, employer, gross_monthly_salary_cents, start_date, end_date FROM contracts WHERE id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(&actor.organisation_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("contract {id}")))?;
        contract_from(&r)
    }

    /// Changes a contract's employer, salary and dates.
    pub async fn update_contract(
        &self,
        actor: &Actor,
        id: &str,
        c: ContractInput,
    ) -> Result<ContractRecord> {
        actor.can_write()?;
        let before = self.contract(actor, id).await?;
        validate_contract(&c)?;
        let after = ContractRecord {
            id: id.into(),
            person_id: before.person_id.clone(),
            employer: c.employer,
            gross_monthly_salary_cents: c.gross_monthly_salary_cents,
            start_date: c.start_date,
            end_date: c.end_date,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE contracts SET employer = $1, gross_monthly_salary_cents = $2, start_date = $3, end_date = $4 WHERE id = $5 AND organisation_id = $6")
            .bind(after.employer.clone())
            .bind(after.gross_monthly_salary_cents)
            .bind(after.start_date.clone())
            .bind(after.end_date.clone())
            .bind(id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "contract",
            id,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The relationships between members of a household.
    pub async fn relationships(
        &self,
        actor: &Actor,
        household_id: &str,
    ) -> Result<Vec<RelationshipRecord>> {
        self.household_in_org(actor, household_id).await?;
        let rows = sqlx::query("SELECT r.id AS id, r.kind AS kind, r.person_a AS person_a, r.person_b AS person_b, r.form AS form, r.from_date AS from_date, r.until_date AS until_date FROM relationships r JOIN people pa ON pa.id = r.person_a JOIN people pb ON pb.id = r.person_b WHERE r.organisation_id = $1 AND pa.household_id = $2 AND pb.household_id = $2 AND pa.organisation_id = $1 AND pb.organisation_id = $1 AND pa.erased_at IS NULL AND pb.erased_at IS NULL ORDER BY r.kind, r.id")
            .bind(&actor.organisation_id)
            .bind(household_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(relationship_from).collect()
    }

    /// Every permit of the organisation's living people, by person and start.
    pub async fn all_permits(&self, actor: &Actor) -> Result<Vec<PermitRecord>> {
        let rows = sqlx::query("SELECT p.id AS id, p.person_id AS person_id, p.kind AS kind, p.document_number AS document_number, p.valid_from AS valid_from, p.valid_until AS valid_until, p.sponsor_person_id AS sponsor_person_id, p.restriction_text AS restriction_text FROM permits p JOIN people x ON x.id = p.person_id WHERE p.organisation_id = $1 AND x.erased_at IS NULL ORDER BY p.person_id, p.valid_from")
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(permit_from).collect()
    }

    /// Every contract of the organisation's living people, newest first per person.
    pub async fn all_contracts(&self, actor: &Actor) -> Result<Vec<ContractRecord>> {
        let rows = sqlx::query("SELECT c.id AS id, c.person_id AS person_id, c.employer AS employer, c.gross_monthly_salary_cents AS gross_monthly_salary_cents, c.start_date AS start_date, c.end_date AS end_date FROM contracts c JOIN people x ON x.id = c.person_id WHERE c.organisation_id = $1 AND x.erased_at IS NULL ORDER BY c.person_id, c.created_at DESC")
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(contract_from).collect()
    }

    /// One relationship of the organisation.
    pub async fn relationship(&self, actor: &Actor, id: &str) -> Result<RelationshipRecord> {
        let row = sqlx::query("SELECT id, kind, person_a, person_b, form, from_date, until_date FROM relationships WHERE id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(&actor.organisation_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound("relationship".into()))?;
        relationship_from(&row)
    }

    /// Changes a relationship's form and dates (who it links, and how, stay): a partnership that ended gets its
    /// `until`, which the rules read as the end of what the family permit rests on.
    pub async fn update_relationship(
        &self,
        actor: &Actor,
        id: &str,
        form: Option<String>,
        from: Option<String>,
        until: Option<String>,
    ) -> Result<RelationshipRecord> {
        actor.can_write()?;
        let before = self.relationship(actor, id).await?;
        check_relationship_terms(&before.kind, form.as_deref(), &from, &until)?;
        let after = RelationshipRecord {
            form,
            from,
            until,
            ..before.clone()
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE relationships SET form = $1, from_date = $2, until_date = $3 WHERE id = $4 AND organisation_id = $5")
            .bind(after.form.clone())
            .bind(after.from.clone())
            .bind(after.until.clone())
            .bind(id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "update",
            "relationship",
            id,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Removes a relationship recorded in error (a relationship that ended keeps its record, with `until`).
    pub async fn delete_relationship(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.can_write()?;
        let before = self.relationship(actor, id).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM relationships WHERE id = $1 AND organisation_id = $2")
            .bind(id)
            .bind(&actor.organisation_id)
            .execute(&mut *tx)
            .await?;
        Self::audit(
            &mut tx,
            &actor.organisation_id,
            Some(&actor.user_id),
            "delete",
            "relationship",
            id,
            Some(&json!(before)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every relationship of the organisation.
    pub async fn all_relationships(&self, actor: &Actor) -> Result<Vec<RelationshipRecord>> {
        let rows = sqlx::query("SELECT id, kind, person_a, person_b, form, from_date, until_date FROM relationships WHERE organisation_id = $1 ORDER BY kind, id")
            .bind(&actor.organisation_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(relationship_from).collect()
    }

    /// Creates households, people, permits, contracts and relationships in one transaction: all of it, or (on the
    /// first record the store refuses) none of it. The error names the household and person at fault.
    pub async fn import(
        &self,
        actor: &Actor,
        households: Vec<ImportHousehold>,
    ) -> Result<ImportSummary> {
        actor.can_write()?;
        // Everything is checked before anything is written.
        for h in &households {
            if h.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
                return Err(invalid(
                    "household",
                    "a household needs a name",
                    "een huishouden heeft een naam nodig",
                ));
            }
            if let Some(n) = &h.name {
                crate::check_name("household", n)?;
            }
            let mut keys: Vec<&str> = Vec::new();
            for p in &h.people {
                let at = |e: StoreError| match e {
                    StoreError::Invalid { field, message, nl } => StoreError::Invalid {
                        field,
                        message: format!("{} (person {:?}): {message}", where_(h), p.key),
                        nl: format!("{} (persoon {:?}): {nl}", where_(h), p.key),
                    },
                    e => e,
                };
                if keys.contains(&p.key.as_str()) {
                    return Err(at(invalid(
                        "id",
                        "the id repeats within the household",
                        "het id komt twee keer voor in het huishouden",
                    )));
                }
                keys.push(&p.key);
                check_import_person(p).map_err(at)?;
            }
            let known = |k: &str, field: &str| {
                if keys.contains(&k) {
                    Ok(())
                } else {
                    Err(invalid(
                        field,
                        format!("{}: links to {k:?}, who is not in it", where_(h)),
                        format!("{}: verwijst naar {k:?}, die er niet in staat", where_(h)),
                    ))
                }
            };
            for p in &h.people {
                if let Some(s) = p.permit.as_ref().and_then(|pm| pm.sponsor.as_deref()) {
                    known(s, "sponsor")?;
                }
            }
            for l in &h.partners {
                known(&l.a, "partner")?;
                known(&l.b, "partner")?;
            }
            for (a, b) in &h.children {
                known(a, "parent")?;
                known(b, "parent")?;
            }
        }
        let mut sum = ImportSummary::default();
        let org = actor.organisation_id.as_str();
        let who = Some(actor.user_id.as_str());
        let mut tx = self.pool.begin().await?;
        for h in households {
            let household_id = match &h.name {
                None => None,
                Some(name) => {
                    let rec = Household {
                        id: new_id(),
                        name: name.trim().into(),
                    };
                    sqlx::query("INSERT INTO households (id, organisation_id, name, created_at) VALUES ($1, $2, $3, $4)").bind(&rec.id).bind(org).bind(&rec.name).bind(now()).execute(&mut *tx).await?;
                    Self::audit(
                        &mut tx,
                        org,
                        who,
                        "create",
                        "household",
                        &rec.id,
                        None,
                        Some(&json!(rec)),
                    )
                    .await?;
                    sum.households += 1;
                    Some(rec.id)
                }
            };
            let mut ids: std::collections::HashMap<String, String> = Default::default();
            for p in &h.people {
                let id = new_id();
                let t = now();
                let rec = crate::PersonRecord {
                    id: id.clone(),
                    household_id: household_id.clone(),
                    name: p.person.name.trim().into(),
                    bsn: p.person.bsn.clone(),
                    birth_date: p.person.birth_date.clone(),
                    nationality: p.person.nationality.clone(),
                    erased: false,
                };
                sqlx::query("INSERT INTO people (id, organisation_id, household_id, name, bsn, birth_date, nationality, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                    .bind(&id).bind(org).bind(rec.household_id.clone()).bind(&rec.name).bind(rec.bsn.clone()).bind(rec.birth_date.clone()).bind(rec.nationality.clone()).bind(&t).bind(&t)
                    .execute(&mut *tx).await?;
                Self::audit(
                    &mut tx,
                    org,
                    who,
                    "create",
                    "person",
                    &id,
                    None,
                    Some(&json!(rec)),
                )
                .await?;
                sum.people += 1;
                ids.insert(p.key.clone(), id);
            }
            let id_of = |k: &str| ids.get(k).cloned().unwrap_or_default();
            for p in &h.people {
                let person_id = id_of(&p.key);
                if let Some(pm) = &p.permit {
                    let rec = PermitRecord {
                        id: new_id(),
                        person_id: person_id.clone(),
                        kind: pm.kind.clone(),
                        document_number: None,
                        valid_from: pm.valid_from.clone(),
                        valid_until: pm.valid_until.clone(),
                        sponsor_person_id: pm.sponsor.as_deref().map(id_of),
                        restriction_text: None,
                    };
                    sqlx::query("INSERT INTO permits (id, organisation_id, person_id, kind, document_number, valid_from, valid_until, sponsor_person_id, restriction_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                        .bind(&rec.id).bind(org).bind(&rec.person_id).bind(&rec.kind).bind(None::<String>).bind(&rec.valid_from).bind(rec.valid_until.clone()).bind(rec.sponsor_person_id.clone()).bind(None::<String>).bind(now())
                        .execute(&mut *tx).await?;
                    Self::audit(
                        &mut tx,
                        org,
                        who,
                        "create",
                        "permit",
                        &rec.id,
                        None,
                        Some(&json!(rec)),
                    )
                    .await?;
                    sum.permits += 1;
                }
                if let Some(c) = &p.contract {
                    let rec = ContractRecord {
                        id: new_id(),
                        person_id: person_id.clone(),
                        employer: c.employer.clone(),
                        gross_monthly_salary_cents: c.gross_monthly_salary_cents,
                        start_date: c.start_date.clone(),
                        end_date: c.end_date.clone(),
                    };
                    sqlx::query("INSERT INTO contracts (id, organisation_id, person_id, employer, gross_monthly_salary_cents, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                        .bind(&rec.id).bind(org).bind(&rec.person_id).bind(rec.employer.clone()).bind(rec.gross_monthly_salary_cents).bind(rec.start_date.clone()).bind(rec.end_date.clone()).bind(now())
                        .execute(&mut *tx).await?;
                    Self::audit(
                        &mut tx,
                        org,
                        who,
                        "create",
                        "contract",
                        &rec.id,
                        None,
                        Some(&json!(rec)),
                    )
                    .await?;
                    sum.contracts += 1;
                }
            }
            let links = h
                .partners
                .iter()
                .map(|l| {
                    (
                        "partner",
                        id_of(&l.a),
                        id_of(&l.b),
                        Some(l.form.clone().unwrap_or_else(|| "married".into())),
                        l.from.clone(),
                        l.until.clone(),
                    )
                })
                .chain(
                    h.children
                        .iter()
                        .map(|(a, b)| ("child", id_of(a), id_of(b), None, None, None)),
                );
            for (kind, a, b, form, from, until) in links {
                let id = new_id();
                sqlx::query("INSERT INTO relationships (id, organisation_id, kind, person_a, person_b, form, from_date, until_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(&id).bind(org).bind(kind).bind(&a).bind(&b).bind(form.clone()).bind(from.clone()).bind(until.clone())
                    .execute(&mut *tx).await?;
                let after: Value = json!({ "kind": kind, "a": a, "b": b, "form": form, "from": from, "until": until });
                Self::audit(
                    &mut tx,
                    org,
                    who,
                    "create",
                    "relationship",
                    &id,
                    None,
                    Some(&after),
                )
                .await?;
                sum.relationships += 1;
            }
        }
        tx.commit().await?;
        Ok(sum)
    }
}

fn where_(h: &ImportHousehold) -> String {
    match &h.name {
        Some(n) => format!("household {n:?}"),
        None => "a person without a household".into(),
    }
}

/// The form and dates of a relationship: a form only on a partner link, and one the case format knows; dates in
/// order.
pub(crate) fn check_relationship_terms(
    kind: &str,
    form: Option<&str>,
    from: &Option<String>,
    until: &Option<String>,
) -> Result<()> {
    match (kind, form) {
        ("partner", Some(f)) => {
            serde_json::from_value::<verblijf_rules::case::PartnershipForm>(json!(f)).map_err(
                |e| {
                    invalid(
                        "form",
                        e.to_string(),
                        format!("onbekende vorm van partnerschap ({e})"),
                    )
                },
            )?;
        }
        ("child", Some(_)) => {
            return Err(invalid(
                "form",
                "only a partner link has a form",
                "alleen een partnerkoppeling heeft een vorm",
            ));
        }
        _ => {}
    }
    let from = check_date("from", from)?;
    let until = check_date("until", until)?;
    check_order(("from", from), ("until", until))
}
