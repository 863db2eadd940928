//! ZA: the search year for graduates of Dutch institutions (zoekjaar afgestudeerden).
//!
//! Article: old art. 3.42(1) Vb. In force: December 2007 (day not found; 1 December assumed) to 29 February 2016.
//! Parameters: `zoekjaar_afgestudeerden.*`.
//!
//! A non-EU graduate of a Dutch bachelor's or master's programme could stay one year to find work as a highly
//! skilled migrant, applying right after graduating, following the study permit. Work was free during the year.

use super::common::*;
use crate::case::{Case, EducationLevel, PermitKind, Provenance, Scheme};
use crate::code::{Code, Zoekjaar};
use crate::decision::{Builder, Check, CheckStatus, Decision, Fact};
use crate::params::ParamSet;
use crate::text::Lang;

pub fn decide(case: &Case, p: &ParamSet) -> Decision {
    decide_as(case, p, crate::decision::Record::Full)
}

/// The decision, keeping what `record` asks for.
pub fn decide_as(case: &Case, p: &ParamSet, record: crate::decision::Record) -> Decision {
    let filing = case.filing_date();
    let mut b = Builder::recording(Scheme::ZoekjaarAfgestudeerden, filing, record);
    if !super::in_force(
        &mut b,
        p,
        Code::Zoekjaar(Zoekjaar::InForce),
        "zoekjaar_afgestudeerden.in_force",
        filing,
    ) {
        return b.finish();
    }
    let c = super::cite_any(&mut b, p, "zoekjaar_afgestudeerden.in_force", filing);
    let dutch = case.subject().education.iter().filter(|e| {
        e.provenance == Provenance::DutchAccredited
            && matches!(e.level, EducationLevel::Bachelor | EducationLevel::Master)
    });
    let latest = dutch
        .filter(|e| e.graduation_date.is_none_or(|g| g <= filing))
        .max_by_key(|e| e.graduation_date);
    match latest {
        Some(e) => b.push(
            Check::new(
                Code::Zoekjaar(Zoekjaar::DutchDegree),
                "dutch_degree",
                CheckStatus::Pass,
                c.clone(),
            )
            .actual(Fact::Code {
                code: e.level.as_str(),
            }),
        ),
        None if case.subject().education.is_empty() => b.push(
            Check::new(
                Code::Zoekjaar(Zoekjaar::DutchDegree),
                "missing",
                CheckStatus::Unknown,
                c.clone(),
            )
            .actual(Fact::Missing {
                field: "person.education",
            }),
        ),
        None => b.push(Check::new(
            Code::Zoekjaar(Zoekjaar::DutchDegree),
            "none",
            CheckStatus::Fail,
            c.clone(),
        )),
    }
    let study = case
        .subject()
        .permits
        .iter()
        .filter(|h| h.kind == PermitKind::Study)
        .max_by_key(|h| h.from);
    match study {
        Some(h) if h.from <= filing && h.until.is_none_or(|u| filing <= u) => b.push(
            Check::new(
                Code::Zoekjaar(Zoekjaar::AfterStudy),
                "on_study_permit",
                CheckStatus::Pass,
                c.clone(),
            )
            .actual(h.until.map(|date| Fact::Date { date })),
        ),
        Some(h) => b.push(
            Check::new(
                Code::Zoekjaar(Zoekjaar::AfterStudy),
                "study_permit_ended",
                CheckStatus::Fail,
                c.clone(),
            )
            .actual(h.until.map(|date| Fact::Date { date })),
        ),
        None if case.subject().permits.is_empty() => b.push(
            Check::new(
                Code::Zoekjaar(Zoekjaar::AfterStudy),
                "missing",
                CheckStatus::Unknown,
                c.clone(),
            )
            .actual(Fact::Missing {
                field: "person.permits",
            }),
        ),
        None => b.push(Check::new(
            Code::Zoekjaar(Zoekjaar::AfterStudy),
            "no_study_permit",
            CheckStatus::Fail,
            c.clone(),
        )),
    }
    once(
        case,
        &mut b,
        Code::Zoekjaar(Zoekjaar::Once),
        PermitKind::ZoekjaarAfgestudeerden,
        filing,
        c,
    );
    fixed_term_validity(
        p,
        &mut b,
        Code::Zoekjaar(Zoekjaar::Validity),
        "zoekjaar_afgestudeerden.duration_months",
        filing,
    );
    b.finish()
}

pub(super) fn reason(
    c: &Check,
    lang: Lang,
    f: &mut std::fmt::Formatter<'_>,
) -> Option<std::fmt::Result> {
    let en = lang == Lang::En;
    let (a, r) = crate::rules::rendered(c, lang);
    Some(match (c.code, c.variant) {
        (Code::Zoekjaar(Zoekjaar::DutchDegree), "dutch_degree") => if en { write!(f, "A Dutch {a} qualifies for the search year.") } else { write!(f, "Een Nederlandse {a} geeft recht op het zoekjaar.") },
        (Code::Zoekjaar(Zoekjaar::DutchDegree), "none") => super::put(f, en, "The search year was only for graduates of a Dutch bachelor's or master's programme.", "Het zoekjaar was alleen voor afgestudeerden van een Nederlandse bachelor- of masteropleiding."),
        (Code::Zoekjaar(Zoekjaar::DutchDegree), _) => super::put(f, en, "The person's degrees are needed.", "De diploma's van de persoon zijn nodig."),
        (Code::Zoekjaar(Zoekjaar::AfterStudy), "on_study_permit") => super::put(f, en, "The application follows the study permit, right after graduation.", "De aanvraag sluit aan op de studievergunning, direct na afstuderen."),
        (Code::Zoekjaar(Zoekjaar::AfterStudy), "study_permit_ended") => if en { write!(f, "The study permit ended on {a}; the search year had to follow it directly.") } else { write!(f, "De studievergunning eindigde op {a}; het zoekjaar moest er direct op aansluiten.") },
        (Code::Zoekjaar(Zoekjaar::AfterStudy), "no_study_permit") => super::put(f, en, "The search year followed a study permit; none is recorded.", "Het zoekjaar volgde op een studievergunning; die is niet bekend."),
        (Code::Zoekjaar(Zoekjaar::AfterStudy), _) => super::put(f, en, "The permits held are needed to see whether the application follows a study permit.", "De vergunningen zijn nodig om te zien of de aanvraag aansluit op een studievergunning."),
        (Code::Zoekjaar(Zoekjaar::Once), "already_used") => if en { write!(f, "The search year was already used (from {a}).") } else { write!(f, "Het zoekjaar is al gebruikt (vanaf {a}).") },
        (Code::Zoekjaar(Zoekjaar::Once), _) => super::put(f, en, "The search year has not been used before.", "Het zoekjaar is niet eerder gebruikt."),
        (Code::Zoekjaar(Zoekjaar::Validity), _) => if en { write!(f, "The search year would run until {a} ({r}, not extendable); work is free during it.") } else { write!(f, "Het zoekjaar zou lopen tot {a} ({r}, niet te verlengen); werken is vrij toegestaan.") },
        _ => return None,
    })
}
