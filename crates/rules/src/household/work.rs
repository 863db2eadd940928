//! The right to work of anyone in a household on a date, and what an employer needs to hire them.
//!
//! Article: art. 2 lid 1 Wav (an employer needs a work permit unless the BuWav exempts the work); the family
//! member's right follows the sponsor's permit. Parameters: `work.own_*` (how one's own permit lets one work),
//! `work.family_of_*` (a family member, by the sponsor's status), `work.student_hours_per_week`,
//! `work.free_movement_nationalities`.

use super::*;

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
        // A source's note is written in English; a Dutch reason goes without it.
        let note = |n: &Option<Arc<Source>>| {
            Maybe(
                n.as_ref()
                    .filter(|_| en)
                    .and_then(|s| s.note.as_deref())
                    .map(|n| format!(" ({n})")),
            )
        };
        match self {
            WorkReason::Text(t) => f.write_str(t.get(lang)),
            WorkReason::NoValidPermit(date) => {
                let date = Day(*date, lang);
                if en {
                    write!(f, "No residence permit of the person is valid on {date}, so they may not work in the Netherlands.")
                } else {
                    write!(f, "Op {date} heeft de persoon geen geldige verblijfsvergunning, dus mag niet in Nederland werken.")
                }
            }
            WorkReason::SponsorWithoutPermit(date) => {
                let date = Day(*date, lang);
                if en {
                    write!(f, "The sponsor holds no valid residence permit on {date}; a family permit ends with the sponsor's, so the person may not work on it.")
                } else {
                    write!(f, "De referent heeft op {date} geen geldige verblijfsvergunning; een gezinsvergunning eindigt met die van de referent, dus op die vergunning mag de persoon niet werken.")
                }
            }
            WorkReason::NoRule(id, date) => {
                let date = Day(*date, lang);
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
                let s = status_text(*sponsor).get(lang).to_string();
                let (date, how, note) = (Day(*date, lang), how.text(), note(n));
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
                    (kind_text(*kind), Day(*date, lang), how.text(), note(n));
                if en {
                    write!(
                        f,
                        "On a {} permit, on {date} the person may work: {}{note}.",
                        kind.en, how.en
                    )
                } else {
                    write!(
                        f,
                        "Met een vergunning {} mag de persoon op {date} werken: {}{note}.",
                        kind.nl, how.nl
                    )
                }
            }
        }
    }
}

/// A work reason in one language, written when displayed.
pub(super) struct WorkReasonText<'a>(&'a WorkReason, Lang);

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

pub(super) fn own_param(k: PermitKind) -> Option<&'static str> {
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

pub(super) fn family_param(s: SponsorStatus) -> &'static str {
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
    let Some((id, family)) = work_rule(p, case, h, date, &mut w) else {
        return w;
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

/// The parameter that says how the holder of `h` may work, and whether it is a family member's (by the sponsor's
/// status); `None` when the answer is already given in `w` (no sponsor with a valid permit, or a fact missing).
fn work_rule(
    p: &ParamSet,
    case: &Case,
    h: &HeldPermit,
    date: NaiveDate,
    w: &mut WorkRights,
) -> Option<(&'static str, bool)> {
    Some(match own_param(h.kind) {
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
                cite(p, w, "family.max_validity_years", date);
                return None;
            }
            Err(FREE_MOVEMENT) => {
                w.reason = WorkReason::NoRule(FREE_MOVEMENT, date);
                w.citation = Some(Citation {
                    param: FREE_MOVEMENT,
                    source: None,
                });
                return None;
            }
            Err(field) => {
                w.missing = Some(field);
                w.reason = WorkReason::Text(Text::new("The sponsor (a household member's id, or `sponsor_permit`) is needed to say how a family member may work.", "De referent (het id van een gezinslid, of `sponsor_permit`) is nodig om te zeggen hoe een gezinslid mag werken."));
                return None;
            }
        },
    })
}

pub(super) fn cite(p: &ParamSet, w: &mut WorkRights, id: &'static str, date: NaiveDate) {
    if let Ok(v) = p.at(id, date) {
        w.citation = Some(Citation {
            param: id,
            source: Some(v.source.clone()),
        });
        caveat(w, id, v);
    }
}

pub(super) fn cite_extra(p: &ParamSet, w: &mut WorkRights, id: &'static str, date: NaiveDate) {
    if let Ok(v) = p.at(id, date) {
        caveat(w, id, v);
    }
}

pub(super) fn caveat(w: &mut WorkRights, id: &'static str, v: &crate::params::DatedValue) {
    if v.source.status.needs_caveat() && !w.caveats.iter().any(|c| c.param == id) {
        w.caveats.push(Caveat::new(id, &v.source));
    }
}
