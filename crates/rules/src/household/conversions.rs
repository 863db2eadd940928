//! Where a person can go from the permit they hold: the single-person decisions re-run as first applications for
//! the schemes reachable from it, continued residence after a relationship ends, and the start-up route.
//!
//! Article: Vc 2000 B9/8.1 (continued residence; three years for Turkish nationals under the EEC-Turkey
//! Association Agreement); art. 3.5 Vb 2000 (the non-temporary purposes of a sponsor's stay). Parameters:
//! `family.continued_residence_years*`, `family.non_temporary_purposes`.

use super::*;

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
                    format!(
                        "{} under the {} criterion",
                        name.en,
                        crate::rules::band_name(c, Lang::En)
                    ),
                    format!(
                        "{} onder het {} criterium",
                        name.nl,
                        crate::rules::band_name(c, Lang::Nl)
                    ),
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
pub(super) fn continued_residence(
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
    let non_temporary = p.code_list("family.non_temporary_purposes", date).ok()?.0;
    let sponsor_ok = person_status(p, sponsor, end)
        .ok()
        .is_some_and(|(s, _)| non_temporary.contains(status_code(s)));
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
