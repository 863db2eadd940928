//! Households: the family-member (dependant) permit, the right to work of anyone on a date, conversions to other
//! permits, and the deadlines of a household.
//!
//! Article: art. 3.14, 3.15 Vb (family members); Wav art. 2(1) and the BuWav (work); Vc B9/8.1 (continued
//! residence). Parameters: `family.*`, `work.*`, `sponsor.*`, `permits.*`.
//!
//! A partner (both 21 or older) or child joins a sponsor who holds a residence permit or is Dutch or an EU citizen.
//! The family permit runs at most five years and never beyond the sponsor's permit. Whether a family member may
//! work follows the sponsor's permit and the date (the matrix in `params/work/family_of_*`); a person's own permit
//! says how they may work (`params/work/own_*`).

use crate::code::{Code, Family};
use crate::decision::Check;
use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::{Case, HeldPermit, PermitKind, Person, Relationship, Scheme, SponsorStatus};
use crate::decision::{
    Builder, Caveat, CheckStatus, Citation, Decision, Fact, InBothLanguages, IsoDate, Maybe,
    Outcome, PermitTerms,
};
use crate::params::{ParamSet, Source};
use crate::rules::common::{add_months, add_years, age_on, day_before, max_end};
use crate::text::{Lang, Text};
use crate::{assess, Assessment, Receipt, ENGINE_VERSION};

/// How a person may work on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    /// "Arbeid vrij toegestaan, TWV niet vereist": any work, no work permit, no salary criterion.
    Free,
    /// Only as a highly skilled migrant for the sponsor.
    OnlyForSponsor,
    /// Only in the employment the permit is for.
    OnlyForEmployer,
    SelfEmploymentOnly,
    /// Only if the employer holds a work permit (TWV).
    TwvRequired,
    NotAllowed,
    Unknown,
}

impl WorkStatus {
    fn from_code(c: &str) -> WorkStatus {
        match c {
            "free" => WorkStatus::Free,
            "only_for_sponsor" => WorkStatus::OnlyForSponsor,
            "only_for_employer" => WorkStatus::OnlyForEmployer,
            "self_employment_only" => WorkStatus::SelfEmploymentOnly,
            "twv_required" => WorkStatus::TwvRequired,
            "not_allowed" => WorkStatus::NotAllowed,
            _ => WorkStatus::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WorkStatus::Free => "free",
            WorkStatus::OnlyForSponsor => "only_for_sponsor",
            WorkStatus::OnlyForEmployer => "only_for_employer",
            WorkStatus::SelfEmploymentOnly => "self_employment_only",
            WorkStatus::TwvRequired => "twv_required",
            WorkStatus::NotAllowed => "not_allowed",
            WorkStatus::Unknown => "unknown",
        }
    }

    /// A short label (for the timeline).
    pub fn short(self) -> Text {
        match self {
            WorkStatus::Free => Text::new("free to work", "arbeid vrij"),
            WorkStatus::OnlyForSponsor => {
                Text::new("works only for sponsor", "alleen bij referent")
            }
            WorkStatus::OnlyForEmployer => {
                Text::new("only for permit employer", "alleen bij werkgever")
            }
            WorkStatus::SelfEmploymentOnly => Text::new("self-employed only", "alleen zelfstandig"),
            WorkStatus::TwvRequired => Text::new("needs a TWV", "TWV vereist"),
            WorkStatus::NotAllowed => Text::new("may not work", "mag niet werken"),
            WorkStatus::Unknown => Text::new("work: unknown", "arbeid: onbekend"),
        }
    }

    pub fn text(self) -> Text {
        match self {
            WorkStatus::Free => Text::new(
                "free to work, no work permit (TWV) needed",
                "arbeid vrij toegestaan, TWV niet vereist",
            ),
            WorkStatus::OnlyForSponsor => Text::new(
                "only as a highly skilled migrant for the sponsor",
                "alleen als kennismigrant bij de referent",
            ),
            WorkStatus::OnlyForEmployer => Text::new(
                "only in the employment the permit is for",
                "alleen in de dienstbetrekking waarvoor de vergunning is verleend",
            ),
            WorkStatus::SelfEmploymentOnly => {
                Text::new("only as self-employed", "alleen als zelfstandige")
            }
            WorkStatus::TwvRequired => Text::new(
                "only if the employer holds a work permit (TWV)",
                "alleen als de werkgever een tewerkstellingsvergunning (TWV) heeft",
            ),
            WorkStatus::NotAllowed => Text::new("may not work", "mag niet werken"),
            WorkStatus::Unknown => Text::new("unknown", "onbekend"),
        }
    }
}

/// What an employer needs to hire the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerNeeds {
    /// Nothing: no work permit, no salary criterion.
    Nothing,
    /// A work permit (TWV) from UWV.
    WorkPermit,
    /// To be a recognised sponsor applying for a highly skilled migrant permit (or change of employer), meeting the
    /// salary criterion.
    NewHighlySkilledMigrantPermit,
    /// Hiring as an employee is not possible on this permit.
    NotPossible,
    Unknown,
}

impl EmployerNeeds {
    pub fn text(self) -> Text {
        match self {
            EmployerNeeds::Nothing => Text::new("nothing: no work permit and no salary criterion", "niets: geen tewerkstellingsvergunning en geen salariscriterium"),
            EmployerNeeds::WorkPermit => Text::new("a work permit (TWV) from UWV before the work starts", "een tewerkstellingsvergunning (TWV) van UWV voordat het werk begint"),
            EmployerNeeds::NewHighlySkilledMigrantPermit => Text::new("to be a recognised sponsor and apply for the person as a highly skilled migrant (change of employer), at the salary criterion", "erkend referent zijn en de persoon als kennismigrant aanvragen (wisseling van werkgever), tegen het salariscriterium"),
            EmployerNeeds::NotPossible => Text::new("not possible as an employee on this permit", "niet mogelijk in loondienst op deze vergunning"),
            EmployerNeeds::Unknown => Text::new("unknown: the sources do not say", "onbekend: de bronnen zeggen het niet"),
        }
    }
}

/// Why a person may or may not work: the facts of the reason, written out in a language only when shown (a batch
/// of a million rows needs none of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkReason {
    Text(Text),
    NoValidPermit(NaiveDate),
    SponsorWithoutPermit(NaiveDate),
    NoRule(&'static str, NaiveDate),
    /// On a family permit: the sponsor's status decides; the note of the rule's source is added when it has one.
    Family {
        sponsor: SponsorStatus,
        date: NaiveDate,
        how: WorkStatus,
        note: Option<Arc<Source>>,
    },
    /// On the person's own permit.
    Own {
        kind: PermitKind,
        date: NaiveDate,
        how: WorkStatus,
        note: Option<Arc<Source>>,
    },
}

impl WorkReason {
    /// The reason in a language.
    pub fn get(&self, lang: Lang) -> Cow<'static, str> {
        match self {
            WorkReason::Text(t) => match lang {
                Lang::En => t.en.clone(),
                Lang::Nl => t.nl.clone(),
            },
            _ => Cow::Owned(WorkReasonText(self, lang).to_string()),
        }
    }

    fn write(&self, lang: Lang, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let en = lang == Lang::En;
        let note = |n: &Option<Arc<Source>>| {
            Maybe(
                n.as_ref()
                    .and_then(|s| s.note.as_deref())
                    .map(|n| format!(" ({n})")),
            )
        };
        match self {
            WorkReason::Text(t) => f.write_str(t.get(lang)),
            WorkReason::NoValidPermit(date) => {
                let date = IsoDate(*date);
                if en {
                    write!(f, "No residence permit of the person is valid on {date}, so they may not work in the Netherlands.")
                } else {
                    write!(f, "Op {date} heeft de persoon geen geldige verblijfsvergunning, dus mag niet in Nederland werken.")
                }
            }
            WorkReason::SponsorWithoutPermit(date) => {
                let date = IsoDate(*date);
                if en {
                    write!(f, "The sponsor holds no valid residence permit on {date}; a family permit ends with the sponsor's, so the person may not work on it.")
                } else {
                    write!(f, "De referent heeft op {date} geen geldige verblijfsvergunning; een gezinsvergunning eindigt met die van de referent, dus op die vergunning mag de persoon niet werken.")
                }
            }
            WorkReason::NoRule(id, date) => {
                let date = IsoDate(*date);
                if en {
                    write!(f, "No rule for this permit (`{id}`) is known on {date}.")
                } else {
                    write!(
                        f,
                        "Voor deze vergunning (`{id}`) is op {date} geen regel bekend."
                    )
                }
            }
            WorkReason::Family {
                sponsor,
                date,
                how,
                note: n,
            } => {
                let s = status_code(*sponsor).replace('_', " ");
                let (date, how, note) = (IsoDate(*date), how.text(), note(n));
                if en {
                    write!(f, "As a family member of a sponsor with status \u{201c}{s}\u{201d}, on {date} the person may work: {}{note}.", how.en)
                } else {
                    write!(f, "Als gezinslid van een referent met status \u{201c}{s}\u{201d} mag de persoon op {date} werken: {}{note}.", how.nl)
                }
            }
            WorkReason::Own {
                kind,
                date,
                how,
                note: n,
            } => {
                let (kind, date, how, note) =
                    (kind_text(*kind), IsoDate(*date), how.text(), note(n));
                if en {
                    write!(
                        f,
                        "On a {} permit, on {date} the person may work: {}{note}.",
                        kind.en, how.en
                    )
                } else {
                    write!(
                        f,
                        "Met een vergunning {}, mag de persoon op {date} werken: {}{note}.",
                        kind.nl, how.nl
                    )
                }
            }
        }
    }
}

/// A work reason in one language, written when displayed.
struct WorkReasonText<'a>(&'a WorkReason, Lang);

impl std::fmt::Display for WorkReasonText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.write(self.1, f)
    }
}

impl Serialize for WorkReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InBothLanguages(|lang| WorkReasonText(self, lang)).serialize(s)
    }
}

/// A person's right to work on a date, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkRights {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub date: NaiveDate,
    pub status: WorkStatus,
    /// What the answer rests on: `own_permit`, `family_permit`, `citizen`, `no_permit`, `missing`.
    pub basis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permit: Option<PermitKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sponsor_status: Option<SponsorStatus>,
    /// The last day this right holds (the permit's end, or the sponsor's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The next day the rule itself changes (such as 1 January 2020 for family of the self-employed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_changes_on: Option<NaiveDate>,
    /// Weekly hours allowed with a TWV (students), or full-time in June to August.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_per_week: Option<i64>,
    pub employer_needs: EmployerNeeds,
    pub reason: WorkReason,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    pub caveats: Vec<Caveat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<&'static str>,
}

/// Is a permit valid on a date (started, not ended, not withdrawn)?
pub fn valid_on(h: &HeldPermit, date: NaiveDate) -> bool {
    h.from <= date && h.until.is_none_or(|u| date <= u) && h.withdrawn.is_none_or(|w| date < w)
}

/// The last day a permit holds, counting a withdrawal.
pub fn last_day(h: &HeldPermit) -> Option<NaiveDate> {
    match (h.until, h.withdrawn) {
        (Some(u), Some(w)) => Some(u.min(day_before(w))),
        (None, Some(w)) => Some(day_before(w)),
        (u, None) => u,
    }
}

fn own_param(k: PermitKind) -> Option<&'static str> {
    Some(match k {
        PermitKind::HighlySkilledMigrant => "work.own_highly_skilled_migrant",
        PermitKind::EuBlueCard => "work.own_eu_blue_card",
        PermitKind::IntraCorporateTransferee => "work.own_intra_corporate_transferee",
        PermitKind::OrientationYear => "work.own_orientation_year",
        PermitKind::ZoekjaarAfgestudeerden => "work.own_zoekjaar_afgestudeerden",
        PermitKind::RegelingHoogopgeleiden => "work.own_regeling_hoogopgeleiden",
        PermitKind::Study => "work.own_study",
        PermitKind::ScientificResearcher => "work.own_scientific_researcher",
        PermitKind::SelfEmployed => "work.own_self_employed",
        PermitKind::StartUp => "work.own_start_up",
        PermitKind::PaidEmployment => "work.own_paid_employment",
        PermitKind::PermanentResidence => "work.own_permanent_residence",
        PermitKind::EuLongTermResident => "work.own_eu_long_term_resident",
        PermitKind::FamilyMember => return None,
    })
}

fn family_param(s: SponsorStatus) -> &'static str {
    match s {
        SponsorStatus::DutchOrEu => "work.family_of_dutch_or_eu",
        SponsorStatus::HighlySkilledMigrant => "work.family_of_highly_skilled_migrant",
        SponsorStatus::EuBlueCard => "work.family_of_eu_blue_card",
        SponsorStatus::IntraCorporateTransferee => "work.family_of_intra_corporate_transferee",
        SponsorStatus::OrientationYear => "work.family_of_orientation_year",
        SponsorStatus::ZoekjaarAfgestudeerden => "work.family_of_zoekjaar_afgestudeerden",
        SponsorStatus::RegelingHoogopgeleiden => "work.family_of_regeling_hoogopgeleiden",
        SponsorStatus::Study => "work.family_of_study",
        SponsorStatus::ScientificResearcher => "work.family_of_scientific_researcher",
        SponsorStatus::SelfEmployed => "work.family_of_self_employed",
        SponsorStatus::StartUp => "work.family_of_start_up",
        SponsorStatus::PaidEmployment => "work.family_of_paid_employment",
        SponsorStatus::PermanentResidence => "work.family_of_permanent_residence",
        SponsorStatus::EuLongTermResident => "work.family_of_eu_long_term_resident",
    }
}

pub fn status_of_kind(k: PermitKind) -> Option<SponsorStatus> {
    Some(match k {
        PermitKind::HighlySkilledMigrant => SponsorStatus::HighlySkilledMigrant,
        PermitKind::EuBlueCard => SponsorStatus::EuBlueCard,
        PermitKind::IntraCorporateTransferee => SponsorStatus::IntraCorporateTransferee,
        PermitKind::OrientationYear => SponsorStatus::OrientationYear,
        PermitKind::ZoekjaarAfgestudeerden => SponsorStatus::ZoekjaarAfgestudeerden,
        PermitKind::RegelingHoogopgeleiden => SponsorStatus::RegelingHoogopgeleiden,
        PermitKind::Study => SponsorStatus::Study,
        PermitKind::ScientificResearcher => SponsorStatus::ScientificResearcher,
        PermitKind::SelfEmployed => SponsorStatus::SelfEmployed,
        PermitKind::StartUp => SponsorStatus::StartUp,
        PermitKind::PaidEmployment => SponsorStatus::PaidEmployment,
        PermitKind::PermanentResidence => SponsorStatus::PermanentResidence,
        PermitKind::EuLongTermResident => SponsorStatus::EuLongTermResident,
        PermitKind::FamilyMember => return None,
    })
}

pub fn status_code(s: SponsorStatus) -> &'static str {
    &family_param(s)["work.family_of_".len()..]
}

/// The parameter listing the nationalities that move freely (Dutch, EU, EEA, Swiss).
const FREE_MOVEMENT: &str = "work.free_movement_nationalities";

/// Is the person Dutch, EU, EEA or Swiss on the date? `None` when the nationality or the list is not known.
pub fn free_movement(p: &ParamSet, person: &Person, date: NaiveDate) -> Option<bool> {
    let n = person.nationality?;
    let (list, _) = p.code(FREE_MOVEMENT, date).ok()?;
    Some(crate::params::list_contains(list, n.as_str()))
}

/// The sponsor's status on a date, and the last day it holds: a household member's own valid permit or
/// citizenship, or the status recorded on the family permit.
pub fn sponsor_status(
    p: &ParamSet,
    case: &Case,
    family: &HeldPermit,
    date: NaiveDate,
) -> Result<(SponsorStatus, Option<NaiveDate>), &'static str> {
    if let Some(id) = &family.sponsor {
        let Some(s) = case.member(id) else {
            return Err("permits[].sponsor");
        };
        return person_status(p, s, date);
    }
    match family.sponsor_permit {
        Some(s) => Ok((s, None)),
        None => Err("permits[].sponsor"),
    }
}

/// A person's own status on a date (for sponsoring): citizenship, or a valid permit other than a family permit.
pub fn person_status(
    p: &ParamSet,
    s: &Person,
    date: NaiveDate,
) -> Result<(SponsorStatus, Option<NaiveDate>), &'static str> {
    match free_movement(p, s, date) {
        Some(true) => return Ok((SponsorStatus::DutchOrEu, None)),
        // A nationality given, but no list of free-movement nationalities on the date.
        None if s.nationality.is_some() => return Err(FREE_MOVEMENT),
        _ => {}
    }
    let own = s
        .permits
        .iter()
        .filter(|h| h.kind != PermitKind::FamilyMember && valid_on(h, date))
        .max_by_key(|h| h.from);
    match own.and_then(|h| status_of_kind(h.kind).map(|st| (st, last_day(h)))) {
        Some(x) => Ok(x),
        None if s.permits.is_empty() && s.nationality.is_none() => Err("people[].permits"),
        None => Err("sponsor_has_no_valid_permit"),
    }
}

/// The right to work of a person on a date.
pub fn work_rights(p: &ParamSet, case: &Case, person: &Person, date: NaiveDate) -> WorkRights {
    let mut w = WorkRights {
        person: person.id.clone(),
        date,
        status: WorkStatus::Unknown,
        basis: "missing",
        permit: None,
        sponsor_status: None,
        until: None,
        rule_changes_on: None,
        hours_per_week: None,
        employer_needs: EmployerNeeds::Unknown,
        reason: WorkReason::Text(Text::new("", "")),
        citation: None,
        caveats: Vec::new(),
        missing: None,
    };
    if free_movement(p, person, date) == Some(true) {
        w.status = WorkStatus::Free;
        w.basis = "citizen";
        w.employer_needs = EmployerNeeds::Nothing;
        w.reason = WorkReason::Text(Text::new(
            "Dutch, EU, EEA and Swiss nationals may work freely.",
            "Nederlanders en burgers van de EU, de EER en Zwitserland mogen vrij werken.",
        ));
        cite(p, &mut w, "work.free_movement_nationalities", date);
        return w;
    }
    let held = person
        .permits
        .iter()
        .filter(|h| valid_on(h, date))
        .max_by_key(|h| (h.kind == PermitKind::FamilyMember, h.from));
    // A family permit that is valid on paper ends with the sponsor's permit.
    let held = held.or_else(|| {
        person
            .permits
            .iter()
            .filter(|h| valid_on(h, date))
            .max_by_key(|h| h.from)
    });
    let Some(h) = held else {
        if person.permits.is_empty() && person.nationality.is_none() {
            w.missing = Some("person.permits");
            w.reason = WorkReason::Text(Text::new("The permits held (or the nationality) are needed to say whether the person may work.", "De verblijfsvergunningen (of de nationaliteit) zijn nodig om te zeggen of de persoon mag werken."));
        } else {
            w.status = WorkStatus::NotAllowed;
            w.basis = "no_permit";
            w.employer_needs = EmployerNeeds::NotPossible;
            w.reason = WorkReason::NoValidPermit(date);
        }
        return w;
    };
    w.permit = Some(h.kind);
    w.until = last_day(h);
    let (id, family) = match own_param(h.kind) {
        Some(id) => (id, false),
        None => match sponsor_status(p, case, h, date) {
            Ok((s, sponsor_until)) => {
                w.sponsor_status = Some(s);
                w.until = match (w.until, sponsor_until) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                (family_param(s), true)
            }
            Err("sponsor_has_no_valid_permit") => {
                w.status = WorkStatus::NotAllowed;
                w.basis = "family_permit";
                w.employer_needs = EmployerNeeds::NotPossible;
                w.reason = WorkReason::SponsorWithoutPermit(date);
                cite(p, &mut w, "family.max_validity_years", date);
                return w;
            }
            Err(field) => {
                w.missing = Some(field);
                w.reason = WorkReason::Text(Text::new("The sponsor (a household member's id, or `sponsor_permit`) is needed to say how a family member may work.", "De referent (het id van een gezinslid, of `sponsor_permit`) is nodig om te zeggen hoe een gezinslid mag werken."));
                return w;
            }
        },
    };
    w.basis = if family {
        "family_permit"
    } else {
        "own_permit"
    };
    let status = match p.code(id, date) {
        Ok((c, _)) => WorkStatus::from_code(c),
        Err(_) => {
            w.reason = WorkReason::NoRule(id, date);
            w.citation = Some(Citation {
                param: id,
                source: None,
            });
            return w;
        }
    };
    cite(p, &mut w, id, date);
    w.status = status;
    w.rule_changes_on = p.next_change_after(id, date);
    w.employer_needs = match w.status {
        WorkStatus::Free => EmployerNeeds::Nothing,
        WorkStatus::TwvRequired => EmployerNeeds::WorkPermit,
        WorkStatus::OnlyForSponsor => EmployerNeeds::NewHighlySkilledMigrantPermit,
        WorkStatus::OnlyForEmployer | WorkStatus::SelfEmploymentOnly | WorkStatus::NotAllowed => {
            EmployerNeeds::NotPossible
        }
        WorkStatus::Unknown => EmployerNeeds::Unknown,
    };
    if h.kind == PermitKind::Study {
        if let Ok((hours, _)) = p.whole("work.student_hours_per_week", date) {
            w.hours_per_week = Some(hours);
            cite_extra(p, &mut w, "work.student_hours_per_week", date);
        }
    }
    let note = w.citation.as_ref().and_then(|c| c.source.clone());
    w.reason = if family {
        WorkReason::Family {
            sponsor: w.sponsor_status.unwrap_or(SponsorStatus::DutchOrEu),
            date,
            how: w.status,
            note,
        }
    } else {
        WorkReason::Own {
            kind: h.kind,
            date,
            how: w.status,
            note,
        }
    };
    w
}

fn cite(p: &ParamSet, w: &mut WorkRights, id: &'static str, date: NaiveDate) {
    if let Ok(v) = p.at(id, date) {
        w.citation = Some(Citation {
            param: id,
            source: Some(v.source.clone()),
        });
        caveat(w, id, v);
    }
}

fn cite_extra(p: &ParamSet, w: &mut WorkRights, id: &'static str, date: NaiveDate) {
    if let Ok(v) = p.at(id, date) {
        caveat(w, id, v);
    }
}

fn caveat(w: &mut WorkRights, id: &'static str, v: &crate::params::DatedValue) {
    if v.source.status.needs_caveat() && !w.caveats.iter().any(|c| c.param == id) {
        w.caveats.push(Caveat::new(id, &v.source));
    }
}

pub fn kind_text(k: PermitKind) -> Text {
    match k {
        PermitKind::HighlySkilledMigrant => Text::new("highly skilled migrant", "kennismigrant"),
        PermitKind::EuBlueCard => Text::new("EU Blue Card", "Europese blauwe kaart"),
        PermitKind::IntraCorporateTransferee => Text::new(
            "intra-corporate transferee",
            "overplaatsing binnen een concern",
        ),
        PermitKind::OrientationYear => Text::new("orientation year", "zoekjaar hoogopgeleiden"),
        PermitKind::ZoekjaarAfgestudeerden => {
            Text::new("search year for graduates", "zoekjaar afgestudeerden")
        }
        PermitKind::RegelingHoogopgeleiden => Text::new(
            "admission scheme for highly educated migrants",
            "regeling hoogopgeleiden",
        ),
        PermitKind::Study => Text::new("study", "studie"),
        PermitKind::ScientificResearcher => {
            Text::new("scientific researcher", "wetenschappelijk onderzoeker")
        }
        PermitKind::SelfEmployed => Text::new("self-employed", "arbeid als zelfstandige"),
        PermitKind::StartUp => Text::new("start-up", "start-up"),
        PermitKind::FamilyMember => Text::new("family member", "gezinslid"),
        PermitKind::PaidEmployment => Text::new("paid employment", "arbeid in loondienst"),
        PermitKind::PermanentResidence => Text::new("permanent residence", "onbepaalde tijd"),
        PermitKind::EuLongTermResident => {
            Text::new("EU long-term resident", "EU-langdurig ingezetene")
        }
    }
}

/// The person's partner relationship (the most recent), with the partner's id.
fn partner_of<'c>(case: &'c Case, id: &str) -> Option<(&'c Relationship, &'c str)> {
    case.relationships
        .iter()
        .filter_map(|r| match r {
            Relationship::Partner { partners, .. } if partners[0] == id => {
                Some((r, partners[1].as_str()))
            }
            Relationship::Partner { partners, .. } if partners[1] == id => {
                Some((r, partners[0].as_str()))
            }
            _ => None,
        })
        .max_by_key(|(r, _)| match r {
            Relationship::Partner { from, .. } => *from,
            _ => None,
        })
}

fn parents_of<'c>(case: &'c Case, id: &str) -> Vec<&'c str> {
    case.relationships
        .iter()
        .filter_map(|r| match r {
            Relationship::Child { parent, child } if child == id => Some(parent.as_str()),
            _ => None,
        })
        .collect()
}

/// The sponsor of a family member: named on the family permit, or else a partner or parent who is not themselves a
/// family member.
fn sponsor_of<'c>(
    p: &ParamSet,
    case: &'c Case,
    person: &'c Person,
    date: NaiveDate,
) -> Option<(&'c Person, &'static str)> {
    let id = person.id.as_deref()?;
    if let Some(s) = person
        .permits
        .iter()
        .filter(|h| h.kind == PermitKind::FamilyMember)
        .max_by_key(|h| h.from)
        .and_then(|h| h.sponsor.as_deref())
    {
        let rel = if partner_of(case, id).is_some_and(|(_, pid)| pid == s) {
            "partner"
        } else {
            "child"
        };
        return case.member(s).map(|m| (m, rel));
    }
    let primary = |m: &Person| person_status(p, m, date).is_ok();
    if let Some((_, pid)) = partner_of(case, id) {
        if let Some(m) = case.member(pid).filter(|m| primary(m)) {
            return Some((m, "partner"));
        }
    }
    parents_of(case, id)
        .into_iter()
        .filter_map(|pid| case.member(pid))
        .find(|m| primary(m))
        .map(|m| (m, "child"))
}

/// FAM: the family-member (dependant) permit for one member of a household.
pub fn decide_family_member(p: &ParamSet, case: &Case, person: &Person) -> Decision {
    let member_case = case.for_member(person);
    let filing = member_case.filing_date();
    let mut b = Builder::new(Scheme::FamilyMember, filing);
    let cite_any = |b: &mut Builder, id: &'static str| match p.at(id, filing) {
        Ok(v) => b.cite(id, v),
        Err(_) => Citation {
            param: id,
            source: None,
        },
    };
    let Some((sponsor, link)) = sponsor_of(p, case, person, filing) else {
        let c = cite_any(&mut b, "family.max_validity_years");
        b.push(Check::new(
            Code::Family(Family::Link),
            "none",
            CheckStatus::Fail,
            c,
        ));
        b.not_in_force();
        return b.finish();
    };
    let sponsor_id: &'static str = if link == "partner" {
        "partner"
    } else {
        "parent"
    };
    // The relationship still lasts on the filing date.
    let c = cite_any(&mut b, "family.max_validity_years");
    let ended = person
        .id
        .as_deref()
        .and_then(|id| partner_of(case, id))
        .and_then(|(r, _)| match r {
            Relationship::Partner { until, .. } => *until,
            _ => None,
        });
    match (link, ended) {
        ("partner", Some(u)) if u <= filing => b.push(
            Check::new(
                Code::Family(Family::Link),
                "relationship_ended",
                CheckStatus::Fail,
                c,
            )
            .actual(Fact::Date { date: u }),
        ),
        _ => b.push(Check::new(
            Code::Family(Family::Link),
            sponsor_id,
            CheckStatus::Pass,
            c,
        )),
    }
    // The sponsor's status.
    let status = person_status(p, sponsor, filing);
    let c = cite_any(&mut b, "family.max_validity_years");
    let sponsor_end = match status {
        Ok((s, end)) => {
            b.push(
                Check::new(
                    Code::Family(Family::Sponsor),
                    status_code(s),
                    CheckStatus::Pass,
                    c,
                )
                .actual(end.map(|date| Fact::Date { date })),
            );
            end
        }
        Err(FREE_MOVEMENT) => {
            crate::rules::common::missing(
                &mut b,
                Code::Family(Family::Sponsor),
                FREE_MOVEMENT,
                filing,
            );
            None
        }
        Err("sponsor_has_no_valid_permit") => {
            b.push(Check::new(
                Code::Family(Family::Sponsor),
                "no_valid_permit",
                CheckStatus::Fail,
                c,
            ));
            None
        }
        Err(_) => {
            b.push(
                Check::new(
                    Code::Family(Family::Sponsor),
                    "missing",
                    CheckStatus::Unknown,
                    c,
                )
                .actual(Fact::Missing {
                    field: "people[].permits",
                }),
            );
            None
        }
    };
    // Both partners 21 or older.
    if link == "partner" {
        if let Ok((min, v)) = p.whole("family.min_partner_age", filing) {
            let c = b.cite("family.min_partner_age", v);
            let ages: Vec<Option<i64>> = [person, sponsor]
                .iter()
                .map(|m| m.birth_date.map(|d| age_on(d, filing)))
                .collect();
            let (status, actual) = match (ages[0], ages[1]) {
                (Some(a), Some(s)) => (
                    if a.min(s) >= min {
                        CheckStatus::Pass
                    } else {
                        CheckStatus::Fail
                    },
                    Fact::Age { years: a.min(s) },
                ),
                _ => (
                    CheckStatus::Unknown,
                    Fact::Missing {
                        field: "people[].birth_date",
                    },
                ),
            };
            b.push(
                Check::new(Code::Family(Family::Age), "both_partners", status, c)
                    .actual(actual)
                    .required(Fact::Years { years: min }),
            );
        } else {
            crate::rules::common::missing(
                &mut b,
                Code::Family(Family::Age),
                "family.min_partner_age",
                filing,
            );
        }
    }
    // The sponsor's income.
    if let Ok((s, _)) = status {
        let id = "family.income_exempt_sponsors";
        let exempt = crate::rules::common::lookup(
            &mut b,
            Code::Family(Family::Income),
            id,
            filing,
            p.code(id, filing),
        );
        if let Some((_, c)) = exempt
            .as_ref()
            .filter(|(list, _)| crate::params::list_contains(list, status_code(s)))
        {
            b.push(Check::new(
                Code::Family(Family::Income),
                "salary_criterion_suffices",
                CheckStatus::Info,
                c.clone(),
            ));
        } else if exempt.is_some() {
            let income = sponsor.sponsor_income_monthly.or(sponsor
                .job_offer
                .as_ref()
                .and_then(|j| j.gross_monthly_salary));
            // A sponsor without a partner in the household who brings a child: the single-parent norm.
            let sponsor_has_partner = sponsor.id.as_deref().and_then(|sid| partner_of(case, sid)).is_some_and(|(r, _)| {
                matches!(r, Relationship::Partner { until, .. } if until.is_none_or(|u| u > filing))
            });
            let norm_id = if link == "child" && !sponsor_has_partner {
                "family.income_norm_single_parent"
            } else {
                "family.income_norm_partner"
            };
            match p.amount(norm_id, filing) {
                Ok((norm, basis, v)) => {
                    let c = b.cite(norm_id, v);
                    let (st, actual) = match income {
                        Some(m) => (
                            if m >= norm {
                                CheckStatus::Pass
                            } else {
                                CheckStatus::Fail
                            },
                            Fact::money(m, basis),
                        ),
                        None => (
                            CheckStatus::Unknown,
                            Fact::Missing {
                                field: "people[].sponsor_income_monthly",
                            },
                        ),
                    };
                    let change =
                        (st == CheckStatus::Fail).then(|| crate::decision::Change::RaiseSalary {
                            shortfall: norm.saturating_sub(income.unwrap_or_default()),
                            basis,
                            shortfall_monthly: norm.saturating_sub(income.unwrap_or_default()),
                        });
                    b.push(
                        Check::new(
                            Code::Family(Family::Income),
                            if norm_id == "family.income_norm_single_parent" {
                                "single_parent_norm"
                            } else {
                                "income_norm"
                            },
                            st,
                            c,
                        )
                        .actual(actual)
                        .required(Fact::money(norm, basis))
                        .change(change),
                    );
                }
                Err(_) => b.push(
                    Check::new(
                        Code::Family(Family::Income),
                        "no_value",
                        CheckStatus::Unknown,
                        Citation {
                            param: norm_id,
                            source: None,
                        },
                    )
                    .required(Fact::Date { date: filing }),
                ),
            }
        }
    }
    // Validity: at most five years, never beyond the sponsor's permit.
    if let Ok((years, v)) = p.whole("family.max_validity_years", filing) {
        let c = b.cite("family.max_validity_years", v);
        let start = person
            .permits
            .iter()
            .filter(|h| h.kind == PermitKind::FamilyMember && valid_on(h, filing))
            .map(|h| h.from)
            .max()
            .unwrap_or(filing);
        let Some(cap) = max_end(
            p,
            &mut b,
            Code::Family(Family::Validity),
            start,
            years,
            filing,
        ) else {
            return b.finish();
        };
        let (end, reason) = match sponsor_end {
            Some(e) if e < cap => (e, "sponsor_permit_end"),
            _ => (cap, "maximum_validity"),
        };
        b.push(
            Check::new(Code::Family(Family::Validity), reason, CheckStatus::Info, c)
                .actual(Fact::Date { date: end })
                .required(Fact::Years { years }),
        );
        b.decision.permit = Some(PermitTerms {
            start,
            end,
            end_reason: reason,
        });
    } else {
        crate::rules::common::missing(
            &mut b,
            Code::Family(Family::Validity),
            "family.max_validity_years",
            filing,
        );
    }
    b.finish()
}

/// The reason of a family check.
pub fn reason(
    c: &crate::decision::Check,
    lang: Lang,
    f: &mut std::fmt::Formatter<'_>,
) -> Option<std::fmt::Result> {
    let en = lang == Lang::En;
    let (a, r) = crate::rules::rendered(c, lang);
    Some(match (c.code, c.variant, c.status) {
        (Code::Family(Family::Link), "none", _) => crate::rules::put(f, en, "No partner or parent in the household holds a permit or citizenship to join.", "Geen partner of ouder in het huishouden heeft een vergunning of nationaliteit om bij in te wonen."),
        (Code::Family(Family::Link), "relationship_ended", _) => if en { write!(f, "The relationship ended on {a}; the family permit no longer meets its conditions (the sponsor must report it).") } else { write!(f, "De relatie is op {a} beëindigd; de gezinsvergunning voldoet niet meer aan de voorwaarden (de referent moet dit melden).") },
        (Code::Family(Family::Link), v, _) => if en { write!(f, "The person joins their {v}, who sponsors them.") } else { write!(f, "De persoon woont bij de {} die referent is.", if v == "partner" { "partner" } else { "ouder" }) },
        (Code::Family(Family::Sponsor), "no_valid_permit", _) => crate::rules::put(f, en, "The sponsor holds no valid residence permit on the date.", "De referent heeft op de datum geen geldige verblijfsvergunning."),
        (Code::Family(Family::Sponsor), "missing", _) => crate::rules::put(f, en, "The sponsor's permits or nationality are needed.", "De vergunningen of nationaliteit van de referent zijn nodig."),
        (Code::Family(Family::Sponsor), v, _) => if en { write!(f, "The sponsor's status is \u{201c}{}\u{201d}{}.", v.replace('_', " "), if c.actual.is_none() { String::new() } else { format!(", valid until {a}") }) } else { write!(f, "De status van de referent is \u{201c}{}\u{201d}{}.", v.replace('_', " "), if c.actual.is_none() { String::new() } else { format!(", geldig tot {a}") }) },
        (Code::Family(Family::Age), _, CheckStatus::Pass) => if en { write!(f, "Both partners are at least {r}.") } else { write!(f, "Beide partners zijn ten minste {r}.") },
        (Code::Family(Family::Age), _, CheckStatus::Fail) => if en { write!(f, "The younger partner is {a}; both must be at least {r}.") } else { write!(f, "De jongste partner is {a}; beiden moeten ten minste {r} zijn.") },
        (Code::Family(Family::Age), _, _) => crate::rules::put(f, en, "Both partners' birth dates are needed.", "De geboortedata van beide partners zijn nodig."),
        (Code::Family(Family::Income), "salary_criterion_suffices", _) => crate::rules::put(f, en, "The sponsor's salary criterion is taken to meet the income requirement.", "Het salariscriterium van de referent wordt geacht aan de inkomenseis te voldoen."),
        (Code::Family(Family::Income), "no_value", _) => if en { write!(f, "No income norm is known for {r}.") } else { write!(f, "Voor {r} is geen inkomensnorm bekend.") },
        (Code::Family(Family::Income), _, CheckStatus::Pass) => if en { write!(f, "The sponsor's income, {a}, meets the norm of {r}.") } else { write!(f, "Het inkomen van de referent, {a}, voldoet aan de norm van {r}.") },
        (Code::Family(Family::Income), _, CheckStatus::Fail) => if en { write!(f, "The sponsor's income, {a}, is below the norm of {r}.") } else { write!(f, "Het inkomen van de referent, {a}, is lager dan de norm van {r}.") },
        (Code::Family(Family::Income), _, _) => if en { write!(f, "The sponsor's gross monthly income is needed (norm {r}).") } else { write!(f, "Het bruto maandinkomen van de referent is nodig (norm {r}).") },
        (Code::Family(Family::Validity), "sponsor_permit_end", _) => if en { write!(f, "The family permit would run until {a}, the end of the sponsor's permit.") } else { write!(f, "De gezinsvergunning zou lopen tot {a}, het einde van de vergunning van de referent.") },
        (Code::Family(Family::Validity), _, _) => if en { write!(f, "The family permit would run until {a}: at most {r}.") } else { write!(f, "De gezinsvergunning zou lopen tot {a}: ten hoogste {r}.") },
        _ => return None,
    })
}

/// A permit a person could change to from where they are now, and under which criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conversion {
    /// A scheme, or `continued_residence`, or `start_up` (a route that is not assessed).
    pub to: &'static str,
    pub outcome: Outcome,
    /// Facts the case would need to decide.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<&'static str>,
    pub note: Text,
}

/// Where a person can go from their current permit.
pub fn conversions(p: &ParamSet, case: &Case, person: &Person, date: NaiveDate) -> Vec<Conversion> {
    let has_grounds = person.job_offer.is_some()
        || !person.education.is_empty()
        || person.self_employment.is_some()
        || person
            .permits
            .iter()
            .any(|h| h.kind != PermitKind::FamilyMember && valid_on(h, date));
    if !has_grounds {
        // Without a job, a degree or a plan, only continued residence can be weighed.
        return continued_residence(p, case, person, date)
            .into_iter()
            .collect();
    }
    let current = person
        .permits
        .iter()
        .filter(|h| valid_on(h, date))
        .max_by_key(|h| h.from)
        .map(|h| h.kind);
    let targets: &[Scheme] = match current {
        Some(
            PermitKind::OrientationYear
            | PermitKind::RegelingHoogopgeleiden
            | PermitKind::ZoekjaarAfgestudeerden,
        ) => &[Scheme::HighlySkilledMigrant, Scheme::SelfEmployed],
        Some(PermitKind::FamilyMember) => &[
            Scheme::HighlySkilledMigrant,
            Scheme::EuBlueCard,
            Scheme::OrientationYear,
            Scheme::SelfEmployed,
        ],
        Some(PermitKind::Study) => &[
            Scheme::OrientationYear,
            Scheme::HighlySkilledMigrant,
            Scheme::EuBlueCard,
        ],
        Some(PermitKind::HighlySkilledMigrant) => &[Scheme::EuBlueCard],
        Some(PermitKind::EuBlueCard) => &[Scheme::HighlySkilledMigrant],
        Some(PermitKind::StartUp) => &[Scheme::SelfEmployed, Scheme::OrientationYear],
        Some(_) => &[],
        None => &[
            Scheme::HighlySkilledMigrant,
            Scheme::EuBlueCard,
            Scheme::OrientationYear,
            Scheme::SelfEmployed,
        ],
    };
    let mut m = case.for_member(person);
    m.reference_date = date;
    m.application = Some(crate::case::Application {
        kind: crate::case::ApplicationKind::First,
        scheme: None,
        filing_date: Some(date),
    });
    let mut out: Vec<Conversion> = targets
        .iter()
        .map(|s| {
            let d = crate::decide(*s, &m, p);
            let criterion = d.criterion.as_ref().map(|c| c.band);
            let name = crate::rules::scheme_label(*s);
            let note = match (d.outcome, criterion) {
                (Outcome::Eligible, Some(c)) => Text::owned(
                    format!("{} under the {} criterion", name.en, c.replace('_', " ")),
                    format!("{} onder het criterium {}", name.nl, c.replace('_', " ")),
                ),
                (Outcome::Unknown, _) if !d.missing.is_empty() => Text::owned(
                    format!("{}: unknown without {}", name.en, d.missing.join(", ")),
                    format!("{}: onbekend zonder {}", name.nl, d.missing.join(", ")),
                ),
                (o, _) => Text::owned(
                    format!("{}: {}", name.en, o.text().en),
                    format!("{}: {}", name.nl, o.text().nl),
                ),
            };
            Conversion {
                to: s.as_str(),
                outcome: d.outcome,
                missing: d.missing.clone(),
                criterion,
                note,
            }
        })
        .collect();
    if matches!(
        current,
        Some(PermitKind::OrientationYear | PermitKind::Study)
    ) {
        out.push(Conversion {
            to: "start_up",
            outcome: Outcome::Unknown,
            missing: Vec::new(),
            criterion: None,
            note: Text::new("start-up permit: a permitted route (facilitator, innovative product, step plan); not assessed here", "start-upvergunning: een toegestane route (facilitator, innovatief product, stappenplan); hier niet beoordeeld"),
        });
    }
    if current == Some(PermitKind::FamilyMember) {
        if let Some(c) = continued_residence(p, case, person, date) {
            out.push(c);
        }
    }
    out
}

/// Continued residence after a relationship ends (Vc B9/8.1): 5 years of relationship and of family permit (3 for
/// Turkish nationals), a Dutch or non-temporary sponsor, and the civic-integration exam.
fn continued_residence(
    p: &ParamSet,
    case: &Case,
    person: &Person,
    date: NaiveDate,
) -> Option<Conversion> {
    let id = person.id.as_deref()?;
    let (rel, pid) = partner_of(case, id)?;
    let Relationship::Partner { from, until, .. } = rel else {
        return None;
    };
    let end = (*until).filter(|u| *u <= date)?;
    let turkish = person.nationality.is_some_and(|n| n.as_str() == "TR");
    let years_id = if turkish {
        "family.continued_residence_years_turkish"
    } else {
        "family.continued_residence_years"
    };
    let years = p.whole(years_id, date).ok()?.0;
    let sponsor = case.member(pid)?;
    let non_temporary = p.code("family.non_temporary_purposes", date).ok()?.0;
    let sponsor_ok = person_status(p, sponsor, end)
        .ok()
        .is_some_and(|(s, _)| crate::params::list_contains(non_temporary, status_code(s)));
    let family_since = person
        .permits
        .iter()
        .filter(|h| h.kind == PermitKind::FamilyMember)
        .map(|h| h.from)
        .min();
    let rel_years = from.map(|f| age_on(f, end));
    let permit_years = family_since.map(|f| age_on(f, end));
    let exam = person.civic_integration_exam_passed;
    let ok = [
        rel_years.map(|y| y >= years),
        permit_years.map(|y| y >= years),
        Some(sponsor_ok),
        exam,
    ];
    let outcome = if ok.contains(&Some(false)) {
        Outcome::NotEligible
    } else if ok.contains(&None) {
        Outcome::Unknown
    } else {
        Outcome::Eligible
    };
    Some(Conversion {
        to: "continued_residence",
        outcome,
        missing: Vec::new(),
        criterion: None,
        note: Text::owned(
            format!("continued residence (non-temporary humanitarian): needs {years} years of relationship and of family permit, a Dutch or non-temporary sponsor and the civic-integration exam; here: relationship {} years, family permit {} years, exam {}", rel_years.map_or("?".into(), |y| y.to_string()), permit_years.map_or("?".into(), |y| y.to_string()), exam.map_or("?", |e| if e { "passed" } else { "not passed" })),
            format!("voortgezet verblijf (niet-tijdelijk humanitair): vereist {years} jaar relatie en gezinsvergunning, een Nederlandse of niet-tijdelijke referent en het inburgeringsexamen; hier: relatie {} jaar, gezinsvergunning {} jaar, examen {}", rel_years.map_or("?".into(), |y| y.to_string()), permit_years.map_or("?".into(), |y| y.to_string()), exam.map_or("?", |e| if e { "gehaald" } else { "niet gehaald" })),
        ),
    })
}

/// A date on which something changes or must be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub date: NaiveDate,
    pub person: Option<String>,
    /// `permit_end`, `extension_window_opens`, `ends_with_sponsor`, `orientation_year_end`, `thirtieth_birthday`,
    /// `graduation_window_closes`, `contract_end`, `report_change`.
    pub kind: &'static str,
    /// The facts the text is written from (written only when shown).
    pub about: About,
    pub param: &'static str,
}

/// What a deadline is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    PermitEnd {
        permit: PermitKind,
        extendable: bool,
    },
    ExtensionOpens {
        permit: PermitKind,
        end: NaiveDate,
    },
    EndsWithSponsor,
    OrientationYearEnd,
    ThirtiethBirthday,
    GraduationWindow {
        graduated: NaiveDate,
        level: crate::case::EducationLevel,
    },
    ContractEnd,
    ReportContractEnd {
        end: NaiveDate,
    },
    ReportRelationshipEnd {
        ended: NaiveDate,
    },
}

impl Deadline {
    /// What happens and what to do, in both languages.
    pub fn what(&self) -> Text {
        let d = self.date;
        match self.about {
            About::PermitEnd { permit, extendable } => {
                let k = kind_text(permit);
                Text::owned(
                    format!("The {} permit ends on {d}.{}", k.en, if extendable { " File the extension before then." } else { " It cannot be extended; change to another permit before then." }),
                    format!("De vergunning {} eindigt op {d}.{}", k.nl, if extendable { " Vraag voor die datum verlenging aan." } else { " Die kan niet worden verlengd; stap daarvoor over op een andere vergunning." }),
                )
            }
            About::ExtensionOpens { permit, end } => {
                let k = kind_text(permit);
                let hsm = permit == PermitKind::HighlySkilledMigrant;
                Text::owned(
                    format!("From {d} the extension of the {} permit (ending {end}) can be filed{}.", k.en, if hsm { "; the salary criterion of the filing date and the age then apply" } else { "" }),
                    format!("Vanaf {d} kan verlenging van de vergunning {} (einde {end}) worden aangevraagd{}.", k.nl, if hsm { "; het salariscriterium en de leeftijd op de aanvraagdatum gelden" } else { "" }),
                )
            }
            About::EndsWithSponsor => Text::owned(
                format!("The family permit ends with the sponsor's permit on {d}. Extend the sponsor's permit first, then the family permit."),
                format!("De gezinsvergunning eindigt met de vergunning van de referent op {d}. Verleng eerst de vergunning van de referent, dan de gezinsvergunning."),
            ),
            About::OrientationYearEnd => Text::owned(
                format!("The orientation year ends on {d} and cannot be extended. Apply for another permit (highly skilled migrant at the reduced criterion, self-employed, start-up) before then."),
                format!("Het zoekjaar eindigt op {d} en kan niet worden verlengd. Vraag daarvoor een andere vergunning aan (kennismigrant tegen het verlaagde criterium, zelfstandige, start-up)."),
            ),
            About::ThirtiethBirthday => {
                let before = day_before(d);
                Text::owned(
                    format!("30th birthday on {d}: an application, extension or change of employer filed from that day uses the 30-and-over criterion (file by {before} to keep the under-30 one). An employer need not raise the salary during the current permit."),
                    format!("30e verjaardag op {d}: een aanvraag, verlenging of werkgeverswissel vanaf die dag valt onder het criterium voor 30 jaar en ouder (dien uiterlijk {before} in om het criterium voor jonger dan 30 te houden). De werkgever hoeft het salaris tijdens de huidige vergunning niet te verhogen."),
                )
            }
            About::GraduationWindow { graduated, level } => {
                let l = level.as_str().replace('_', "-");
                Text::owned(
                    format!("Three years after graduating ({graduated}): the last day to apply for an orientation year on this {l} or for the reduced highly skilled migrant criterion."),
                    format!("Drie jaar na afstuderen ({graduated}): de laatste dag om op deze {l} een zoekjaar of het verlaagde kennismigrantencriterium aan te vragen."),
                )
            }
            About::ContractEnd => Text::owned(
                format!("The employment contract ends on {d}. A new contract or employer must be arranged, and the sponsor reports the end within 4 weeks."),
                format!("Het arbeidscontract eindigt op {d}. Regel een nieuw contract of een nieuwe werkgever; de referent meldt het einde binnen 4 weken."),
            ),
            About::ReportContractEnd { end } => Text::owned(
                format!("Last day for the sponsor to report the end of the contract ({end}) to the IND."),
                format!("Laatste dag waarop de referent het einde van het contract ({end}) aan de IND meldt."),
            ),
            About::ReportRelationshipEnd { ended } => Text::owned(
                format!("The relationship ended on {ended}: the sponsor must report it to the IND by {d}; the family permit no longer meets its conditions."),
                format!("De relatie is op {ended} beëindigd: de referent moet dit uiterlijk {d} aan de IND melden; de gezinsvergunning voldoet niet meer aan de voorwaarden."),
            ),
        }
    }
}

impl Serialize for Deadline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Deadline", 5)?;
        st.serialize_field("date", &self.date)?;
        if let Some(p) = &self.person {
            st.serialize_field("person", p)?;
        }
        st.serialize_field("kind", self.kind)?;
        st.serialize_field("what", &self.what())?;
        st.serialize_field("param", self.param)?;
        st.end()
    }
}

fn extendable(k: PermitKind) -> bool {
    !matches!(
        k,
        PermitKind::OrientationYear
            | PermitKind::RegelingHoogopgeleiden
            | PermitKind::ZoekjaarAfgestudeerden
            | PermitKind::StartUp
    )
}

/// The deadlines of one person from `date` on.
pub fn deadlines(p: &ParamSet, case: &Case, person: &Person, date: NaiveDate) -> Vec<Deadline> {
    let mut out = Vec::new();
    let who = person.id.clone();
    let mut push = |d: NaiveDate, kind: &'static str, about: About, param: &'static str| {
        if d >= date {
            out.push(Deadline {
                date: d,
                person: who.clone(),
                kind,
                about,
                param,
            });
        }
    };
    // A deadline whose figure has no value on the date is left out rather than computed from a number of the
    // rules' own; the decisions that rest on the same parameter say it is unknown.
    let report_days = p
        .whole("sponsor.report_change_days", date)
        .map(|(d, _)| d)
        .ok();
    let ext_months = p
        .whole("permits.extension_earliest_months", date)
        .map(|(m, _)| m)
        .ok();
    for h in person
        .permits
        .iter()
        .filter(|h| h.until.is_none_or(|u| u >= date) && h.withdrawn.is_none_or(|w| w > date))
    {
        let mut end = last_day(h);
        if h.kind == PermitKind::FamilyMember {
            if let Ok((_, Some(sponsor_end))) = sponsor_status(p, case, h, date.max(h.from)) {
                if end.is_none_or(|e| sponsor_end < e) {
                    end = Some(sponsor_end);
                    push(
                        sponsor_end,
                        "ends_with_sponsor",
                        About::EndsWithSponsor,
                        "family.max_validity_years",
                    );
                }
            }
        }
        let Some(end) = end else { continue };
        if h.kind == PermitKind::OrientationYear {
            push(
                end,
                "orientation_year_end",
                About::OrientationYearEnd,
                "orientation_year.duration_months",
            );
            continue;
        }
        if h.kind != PermitKind::FamilyMember || end == last_day(h).unwrap_or(end) {
            push(
                end,
                "permit_end",
                About::PermitEnd {
                    permit: h.kind,
                    extendable: extendable(h.kind),
                },
                "permits.extension_earliest_months",
            );
        }
        if let (true, Some(ext_months)) = (extendable(h.kind), ext_months) {
            let opens = add_months(end, -ext_months);
            push(
                opens,
                "extension_window_opens",
                About::ExtensionOpens {
                    permit: h.kind,
                    end,
                },
                "permits.extension_earliest_months",
            );
        }
    }
    let holds_or_applies_hsm = person
        .permits
        .iter()
        .any(|h| h.kind == PermitKind::HighlySkilledMigrant && valid_on(h, date))
        || person.job_offer.is_some();
    if let (Some(b), true) = (person.birth_date, holds_or_applies_hsm) {
        if let Ok((t, _)) = p.whole("hsm.age_band_threshold", date) {
            push(
                add_years(b, t),
                "thirtieth_birthday",
                About::ThirtiethBirthday,
                "hsm.age_band_threshold",
            );
        }
    }
    if let Ok((years, _)) = p.whole("education.graduation_window_years", date) {
        for e in &person.education {
            let Some(g) = e.graduation_date else { continue };
            push(
                add_years(g, years),
                "graduation_window_closes",
                About::GraduationWindow {
                    graduated: g,
                    level: e.level,
                },
                "education.graduation_window_years",
            );
        }
    }
    if let Some(crate::case::ContractEnd::On(end)) =
        person.job_offer.as_ref().and_then(|j| j.contract_end)
    {
        push(
            end,
            "contract_end",
            About::ContractEnd,
            "sponsor.report_change_days",
        );
        if let Some(report_days) = report_days {
            push(
                end + chrono::Duration::days(report_days),
                "report_change",
                About::ReportContractEnd { end },
                "sponsor.report_change_days",
            );
        }
    }
    if let Some(id) = person.id.as_deref() {
        if let (Some((Relationship::Partner { until: Some(u), .. }, _)), Some(report_days)) =
            (partner_of(case, id), report_days)
        {
            push(
                *u + chrono::Duration::days(report_days),
                "report_change",
                About::ReportRelationshipEnd { ended: *u },
                "sponsor.report_change_days",
            );
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(b.kind)));
    out
}

/// The assessment of one member of a household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberAssessment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub assessment: Assessment,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_member: Option<Decision>,
    pub work_rights: WorkRights,
    pub conversions: Vec<Conversion>,
    pub deadlines: Vec<Deadline>,
}

/// A household on a date: each member's decisions, right to work, conversions and deadlines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HouseholdAssessment {
    pub receipt: Receipt,
    pub members: Vec<MemberAssessment>,
    /// Every member's deadlines, in date order.
    pub deadlines: Vec<Deadline>,
}

pub fn assess_household(case: &Case, p: &ParamSet) -> HouseholdAssessment {
    let date = case.reference_date;
    let members: Vec<MemberAssessment> = case
        .members()
        .into_iter()
        .map(|person| {
            let mc = case.for_member(person);
            let in_household = case.person.is_none();
            // The family permit is decided for those who do not stand on their own: no own valid permit, no
            // Dutch or EU citizenship.
            let dependant = in_household && person_status(p, person, date).is_err();
            let family_member = dependant
                .then(|| decide_family_member(p, case, person))
                .filter(|d| d.outcome != Outcome::NotApplicable);
            MemberAssessment {
                id: person.id.clone(),
                assessment: assess(&mc, p),
                family_member,
                work_rights: work_rights(p, case, person, date),
                conversions: conversions(p, case, person, date),
                deadlines: deadlines(p, case, person, date),
            }
        })
        .collect();
    let mut all: Vec<Deadline> = members
        .iter()
        .flat_map(|m| m.deadlines.iter().cloned())
        .collect();
    all.sort_by(|a, b| a.date.cmp(&b.date).then(a.person.cmp(&b.person)));
    HouseholdAssessment {
        receipt: Receipt {
            engine: ENGINE_VERSION,
            params_hash: p.hash_shared(),
            reference_date: date,
            filing_date: case.filing_date(),
        },
        members,
        deadlines: all,
    }
}
