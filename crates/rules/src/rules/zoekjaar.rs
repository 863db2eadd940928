//! ZA: the search year for graduates of Dutch institutions (zoekjaar afgestudeerden).
//!
//! Article: old art. 3.42(1) Vb. In force: December 2007 (day not found; 1 December assumed) to 29 February 2016.
//! Parameters: `zoekjaar_afgestudeerden.*`.
//!
//! A non-EU graduate of a Dutch bachelor's or master's programme could stay one year to find work as a highly
//! skilled migrant, applying right after graduating, following the study permit. Work was free during the year.

use super::common::*;
use crate::case::{Case, EducationLevel, PermitKind, Provenance, Scheme};
use crate::decision::{Builder, Check, CheckStatus, Decision, Fact};
use crate::params::ParamSet;
use crate::text::Lang;

pub fn decide(case: &Case, p: &ParamSet) -> Decision {
    let filing = case.filing_date();
    let mut b = Builder::new(Scheme::ZoekjaarAfgestudeerden, filing);
    if !super::in_force(
        &mut b,
        p,
        "ZA-IN-FORCE",
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
            "ZA-DUTCH-DEGREE",
            "dutch_degree",
            CheckStatus::Pass,
            Some(Fact::Code {
                code: e.level.as_str(),
            }),
            None,
            c.clone(),
            None,
        ),
        None if case.subject().education.is_empty() => b.push(
            "ZA-DUTCH-DEGREE",
            "missing",
            CheckStatus::Unknown,
            Some(Fact::Missing {
                field: "person.education",
            }),
            None,
            c.clone(),
            None,
        ),
        None => b.push(
            "ZA-DUTCH-DEGREE",
            "none",
            CheckStatus::Fail,
            None,
            None,
            c.clone(),
            None,
        ),
    }
    let study = case
        .subject()
        .permits
        .iter()
        .filter(|h| h.kind == PermitKind::Study)
        .max_by_key(|h| h.from);
    match study {
        Some(h) if h.from <= filing && h.until.is_none_or(|u| filing <= u) => b.push(
            "ZA-AFTER-STUDY",
            "on_study_permit",
            CheckStatus::Pass,
            h.until.map(|date| Fact::Date { date }),
            None,
            c.clone(),
            None,
        ),
        Some(h) => b.push(
            "ZA-AFTER-STUDY",
            "study_permit_ended",
            CheckStatus::Fail,
            h.until.map(|date| Fact::Date { date }),
            None,
            c.clone(),
            None,
        ),
        None if case.subject().permits.is_empty() => b.push(
            "ZA-AFTER-STUDY",
            "missing",
            CheckStatus::Unknown,
            Some(Fact::Missing {
                field: "person.permits",
            }),
            None,
            c.clone(),
            None,
        ),
        None => b.push(
            "ZA-AFTER-STUDY",
            "no_study_permit",
            CheckStatus::Fail,
            None,
            None,
            c.clone(),
            None,
        ),
    }
    once(
        case,
        &mut b,
        "ZA-ONCE",
        PermitKind::ZoekjaarAfgestudeerden,
        filing,
        c,
    );
    fixed_term_validity(
        p,
        &mut b,
        "ZA-VALIDITY",
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
        ("ZA-DUTCH-DEGREE", "dutch_degree") => if en { write!(f, "A Dutch {a} qualifies for the search year.") } else { write!(f, "Een Nederlandse {a} geeft recht op het zoekjaar.") },
        ("ZA-DUTCH-DEGREE", "none") => super::put(f, en, "The search year was only for graduates of a Dutch bachelor's or master's programme.", "Het zoekjaar was alleen voor afgestudeerden van een Nederlandse bachelor- of masteropleiding."),
        ("ZA-DUTCH-DEGREE", _) => super::put(f, en, "The person's degrees are needed.", "De diploma's van de persoon zijn nodig."),
        ("ZA-AFTER-STUDY", "on_study_permit") => super::put(f, en, "The application follows the study permit, right after graduation.", "De aanvraag sluit aan op de studievergunning, direct na afstuderen."),
        ("ZA-AFTER-STUDY", "study_permit_ended") => if en { write!(f, "The study permit ended on {a}; the search year had to follow it directly.") } else { write!(f, "De studievergunning eindigde op {a}; het zoekjaar moest er direct op aansluiten.") },
        ("ZA-AFTER-STUDY", "no_study_permit") => super::put(f, en, "The search year followed a study permit; none is recorded.", "Het zoekjaar volgde op een studievergunning; die is niet bekend."),
        ("ZA-AFTER-STUDY", _) => super::put(f, en, "The permits held are needed to see whether the application follows a study permit.", "De vergunningen zijn nodig om te zien of de aanvraag aansluit op een studievergunning."),
        ("ZA-ONCE", "already_used") => if en { write!(f, "The search year was already used (from {a}).") } else { write!(f, "Het zoekjaar is al gebruikt (vanaf {a}).") },
        ("ZA-ONCE", _) => super::put(f, en, "The search year has not been used before.", "Het zoekjaar is niet eerder gebruikt."),
        ("ZA-VALIDITY", _) => if en { write!(f, "The search year would run until {a} ({r}, not extendable); work is free during it.") } else { write!(f, "Het zoekjaar zou lopen tot {a} ({r}, niet te verlengen); werken is vrij toegestaan.") },
        _ => return None,
    })
}
