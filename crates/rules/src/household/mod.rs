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
    Builder, Caveat, CheckStatus, Citation, Day, Decision, Fact, InBothLanguages, Maybe, Outcome,
    PermitTerms,
};
use crate::params::{ParamSet, Source};
use crate::rules::common::{add_months, add_years, age_on, day_before, max_end};
use crate::text::{Lang, Text};
use crate::{assess, Assessment, Receipt, ENGINE_VERSION};

mod conversions;
mod deadlines;
mod family_member;
mod work;

pub use conversions::*;
pub use deadlines::*;
pub use family_member::*;
pub use work::*;

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

/// The status a code of [`status_code`] names: the codes are the statuses' own names in the case format.
pub fn status_of_code(code: &str) -> Option<SponsorStatus> {
    use serde::de::IntoDeserializer;
    use serde::Deserialize;
    let d: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        code.into_deserializer();
    SponsorStatus::deserialize(d).ok()
}

/// The sponsor's status in words.
pub fn status_text(s: SponsorStatus) -> Text {
    use SponsorStatus::*;
    match s {
        DutchOrEu => Text::new(
            "Dutch or EU/EEA/Swiss citizen",
            "Nederlander of burger van de EU, de EER of Zwitserland",
        ),
        HighlySkilledMigrant => Text::new("highly skilled migrant", "kennismigrant"),
        EuBlueCard => Text::new(
            "EU Blue Card holder",
            "houder van een Europese blauwe kaart",
        ),
        IntraCorporateTransferee => Text::new(
            "intra-corporate transferee",
            "binnen een onderneming overgeplaatste werknemer (ICT)",
        ),
        OrientationYear => Text::new("orientation year", "zoekjaar hoogopgeleiden"),
        ZoekjaarAfgestudeerden => Text::new("search year for graduates", "zoekjaar afgestudeerden"),
        RegelingHoogopgeleiden => Text::new(
            "admission scheme for highly educated migrants",
            "regeling hoogopgeleiden",
        ),
        Study => Text::new("student", "student"),
        ScientificResearcher => Text::new("scientific researcher", "wetenschappelijk onderzoeker"),
        SelfEmployed => Text::new("self-employed", "zelfstandige"),
        StartUp => Text::new("start-up", "startup"),
        PaidEmployment => Text::new("paid employment", "arbeid in loondienst"),
        PermanentResidence => Text::new("permanent residence", "verblijf voor onbepaalde tijd"),
        EuLongTermResident => Text::new("EU long-term resident", "langdurig ingezetene EU"),
    }
}

/// The parameter listing the nationalities that move freely (Dutch, EU, EEA, Swiss).
pub(super) const FREE_MOVEMENT: &str = "work.free_movement_nationalities";

/// Is the person Dutch, EU, EEA or Swiss on the date? `None` when the nationality or the list is not known.
pub fn free_movement(p: &ParamSet, person: &Person, date: NaiveDate) -> Option<bool> {
    let n = person.nationality?;
    let (list, _) = p.code_list(FREE_MOVEMENT, date).ok()?;
    Some(list.contains(n.as_str()))
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
pub(super) fn partner_of<'c>(case: &'c Case, id: &str) -> Option<(&'c Relationship, &'c str)> {
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

pub(super) fn parents_of<'c>(case: &'c Case, id: &str) -> Vec<&'c str> {
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
pub(super) fn sponsor_of<'c>(
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
