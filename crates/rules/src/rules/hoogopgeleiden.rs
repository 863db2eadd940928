//! H09: the admission scheme for highly educated migrants (regeling hoogopgeleiden).
//!
//! Article: Vc B15/11 (WBV 2008/30, Stcrt 2008, 251); old art. 3.42(2) Vb. In force: 1 January 2009 to
//! 29 February 2016. Parameters: `regeling_hoogopgeleiden.*`.
//!
//! A master's degree or doctorate from a Dutch accredited programme (or a Dutch PhD), or from an institution in the
//! top 150 of the 2007 THES or ARWU list, obtained within the last three years, and at least 35 points: 25 for a
//! master, 30 for a PhD, 5 for an age of 21 to 40, and 5 for one success indicator (work or study in the
//! Netherlands before, Dutch or English, a diploma from a Bologna country). One year; work only with a TWV.

use crate::code::{Code, Hoogopgeleiden};
use chrono::NaiveDate;

use super::common::*;
use crate::case::{Case, Education, EducationLevel, PermitKind, Provenance, RankingList, Scheme};
use crate::decision::{Builder, Change, Check, CheckStatus, Decision, Fact};
use crate::params::ParamSet;
use crate::text::Lang;

pub fn decide(case: &Case, p: &ParamSet) -> Decision {
    decide_as(case, p, crate::decision::Record::Full)
}

/// The decision, keeping what `record` asks for.
pub fn decide_as(case: &Case, p: &ParamSet, record: crate::decision::Record) -> Decision {
    let filing = case.filing_date();
    let mut b = Builder::recording(Scheme::RegelingHoogopgeleiden, filing, record);
    if !super::in_force(
        &mut b,
        p,
        Code::Hoogopgeleiden(Hoogopgeleiden::InForce),
        "regeling_hoogopgeleiden.in_force",
        filing,
    ) {
        return b.finish();
    }
    let c = super::cite_any(&mut b, p, "regeling_hoogopgeleiden.in_force", filing);
    // The best degree: a PhD before a master, a qualifying institution before one that is not.
    let mut degrees: Vec<&Education> = case
        .subject()
        .education
        .iter()
        .filter(|e| matches!(e.level, EducationLevel::Master | EducationLevel::Phd))
        .collect();
    degrees.sort_by_key(|e| {
        std::cmp::Reverse((
            institution_ok(p, &mut b, e, filing),
            e.level,
            e.graduation_date,
        ))
    });
    let Some(e) = degrees.first().copied() else {
        let (status, actual) = match case.subject().education.iter().map(|e| e.level).max() {
            Some(level) => (
                CheckStatus::Fail,
                Some(Fact::Code {
                    code: level.as_str(),
                }),
            ),
            None => (
                CheckStatus::Unknown,
                Some(Fact::Missing {
                    field: "person.education",
                }),
            ),
        };
        b.push(
            Check::new(
                Code::Hoogopgeleiden(Hoogopgeleiden::DegreeLevel),
                "master_or_phd",
                status,
                c,
            )
            .actual(actual)
            .required(Fact::Code { code: "master" }),
        );
        return b.finish();
    };
    b.push(
        Check::new(
            Code::Hoogopgeleiden(Hoogopgeleiden::DegreeLevel),
            "master_or_phd",
            CheckStatus::Pass,
            c.clone(),
        )
        .actual(Fact::Code {
            code: e.level.as_str(),
        })
        .required(Fact::Code { code: "master" }),
    );

    institution(p, &mut b, e, c, filing);
    window(p, &mut b, e, filing);
    points(case, p, &mut b, e, filing);

    if let Ok((_, v)) = p.flag("regeling_hoogopgeleiden.in_force", filing) {
        let c = b.cite("regeling_hoogopgeleiden.in_force", v);
        once(
            case,
            &mut b,
            Code::Hoogopgeleiden(Hoogopgeleiden::Once),
            PermitKind::RegelingHoogopgeleiden,
            filing,
            c,
        );
    }
    fixed_term_validity(
        p,
        &mut b,
        Code::Hoogopgeleiden(Hoogopgeleiden::Validity),
        "regeling_hoogopgeleiden.duration_months",
        filing,
    );
    b.finish()
}

/// H09-INSTITUTION: a Dutch degree, or a foreign one from an institution in the top of a general ranking of the
/// edition the scheme names (art. 3.42 lid 2 onder a, 3° Vb 2000 as in force until 29 February 2016; Vc B15/11 of
/// WBV 2008/30; from 6 January 2014 art. 3.23 lid 1 VV 2000).
fn institution(
    p: &ParamSet,
    b: &mut Builder,
    e: &Education,
    c: crate::decision::Citation,
    filing: NaiveDate,
) {
    if e.provenance == Provenance::DutchAccredited {
        b.push(Check::new(
            Code::Hoogopgeleiden(Hoogopgeleiden::Institution),
            "dutch",
            CheckStatus::Pass,
            c,
        ));
    } else if let Some([(top, _), (edition, c)]) = wholes(
        p,
        b,
        Code::Hoogopgeleiden(Hoogopgeleiden::Institution),
        [
            "regeling_hoogopgeleiden.ranking_top",
            "regeling_hoogopgeleiden.ranking_edition",
        ],
        filing,
    ) {
        let best = e
            .rankings
            .iter()
            .filter(|r| {
                i64::from(r.edition) == edition
                    && matches!(
                        r.list,
                        RankingList::The | RankingList::Qs | RankingList::Arwu
                    )
            })
            .min_by_key(|r| r.position);
        let required = Some(Fact::Rank {
            list: RankingList::The,
            edition: edition as u16,
            position: top as u16,
        });
        match best {
            Some(r) if i64::from(r.position) <= top => b.push(
                Check::new(
                    Code::Hoogopgeleiden(Hoogopgeleiden::Institution),
                    "ranked",
                    CheckStatus::Pass,
                    c,
                )
                .actual(rank(r))
                .required(required),
            ),
            Some(r) => b.push(
                Check::new(
                    Code::Hoogopgeleiden(Hoogopgeleiden::Institution),
                    "ranked",
                    CheckStatus::Fail,
                    c,
                )
                .actual(rank(r))
                .required(required),
            ),
            None if e.rankings.is_empty() => b.push(
                Check::new(
                    Code::Hoogopgeleiden(Hoogopgeleiden::Institution),
                    "missing",
                    CheckStatus::Unknown,
                    c,
                )
                .actual(Fact::Missing {
                    field: "person.education[].rankings",
                })
                .required(required),
            ),
            None => b.push(
                Check::new(
                    Code::Hoogopgeleiden(Hoogopgeleiden::Institution),
                    "no_edition",
                    CheckStatus::Fail,
                    c,
                )
                .required(required),
            ),
        }
    }
}

/// H09-WINDOW: the application is filed within the graduation window after the degree (art. 3.42 lid 2 onder a
/// Vb 2000 as in force until 29 February 2016).
fn window(p: &ParamSet, b: &mut Builder, e: &Education, filing: NaiveDate) {
    if let Ok((years, v)) = p.whole("education.graduation_window_years", filing) {
        let c = b.cite("education.graduation_window_years", v);
        match e.graduation_date {
            None => b.push(
                Check::new(
                    Code::Hoogopgeleiden(Hoogopgeleiden::Window),
                    "missing",
                    CheckStatus::Unknown,
                    c,
                )
                .actual(Fact::Missing {
                    field: "person.education[].graduation_date",
                })
                .required(Fact::Years { years }),
            ),
            Some(g) => {
                if let Some((inside, last)) = within_window(
                    p,
                    b,
                    Code::Hoogopgeleiden(Hoogopgeleiden::Window),
                    g,
                    filing,
                    years,
                ) {
                    let (status, change) = if inside {
                        (
                            CheckStatus::Pass,
                            Change::FileOnOrBefore {
                                date: last,
                                keeps: "graduation_window",
                            },
                        )
                    } else {
                        (
                            CheckStatus::Fail,
                            Change::ClosedOn {
                                date: last,
                                window: "graduation_window",
                            },
                        )
                    };
                    b.push(
                        Check::new(
                            Code::Hoogopgeleiden(Hoogopgeleiden::Window),
                            if inside { "inside" } else { "closed" },
                            status,
                            c,
                        )
                        .actual(Fact::Date { date: g })
                        .required(Fact::Years { years })
                        .change(change),
                    );
                }
            }
        }
    } else {
        super::common::missing(
            b,
            Code::Hoogopgeleiden(Hoogopgeleiden::Window),
            "education.graduation_window_years",
            filing,
        );
    }
}

/// Whether the person has a success indicator (earlier work or study in the Netherlands, Dutch or English, a
/// degree from a Bologna country): `Some(true)` when one is known, `Some(false)` when all are known to be absent,
/// `None` otherwise.
fn success_indicator(case: &Case) -> Option<bool> {
    let p_ = case.subject();
    let speaks = p_
        .languages
        .as_ref()
        .map(|l| l.iter().any(|c| c.as_str() == "nl" || c.as_str() == "en"));
    let bologna = if p_.education.iter().any(|e| e.bologna_country == Some(true)) {
        Some(true)
    } else if p_
        .education
        .iter()
        .all(|e| e.bologna_country == Some(false))
    {
        Some(false)
    } else {
        None
    };
    let indicators = [
        p_.previously_worked_in_nl,
        p_.previously_studied_in_nl,
        speaks,
        bologna,
    ];
    if indicators.contains(&Some(true)) {
        Some(true)
    } else if indicators.iter().all(|i| *i == Some(false)) {
        Some(false)
    } else {
        None
    }
}

fn rank(r: &crate::case::Ranking) -> Fact {
    Fact::Rank {
        list: r.list,
        edition: r.edition,
        position: r.position,
    }
}

fn institution_ok(p: &ParamSet, _b: &mut Builder, e: &Education, filing: NaiveDate) -> bool {
    if e.provenance == Provenance::DutchAccredited {
        return true;
    }
    // Only orders the candidate degrees: a ranking figure missing on the date is recorded as an unknown
    // institution check by `decide`, which checks the degree chosen.
    let (Ok((top, _)), Ok((edition, _))) = (
        p.whole("regeling_hoogopgeleiden.ranking_top", filing),
        p.whole("regeling_hoogopgeleiden.ranking_edition", filing),
    ) else {
        return false;
    };
    e.rankings
        .iter()
        .any(|r| i64::from(r.edition) == edition && i64::from(r.position) <= top)
}

fn points(case: &Case, p: &ParamSet, b: &mut Builder, e: &Education, filing: NaiveDate) {
    let Some(
        [(master, _), (phd, _), (age_pts, _), (ind_pts, _), (pass, c), (age_min, _), (age_max, _)],
    ) = wholes(
        p,
        b,
        Code::Hoogopgeleiden(Hoogopgeleiden::Points),
        [
            "regeling_hoogopgeleiden.points_master",
            "regeling_hoogopgeleiden.points_phd",
            "regeling_hoogopgeleiden.points_age",
            "regeling_hoogopgeleiden.points_indicator",
            "regeling_hoogopgeleiden.pass_mark",
            "regeling_hoogopgeleiden.age_min",
            "regeling_hoogopgeleiden.age_max",
        ],
        filing,
    )
    else {
        return;
    };
    let edu = if e.level == EducationLevel::Phd {
        phd
    } else {
        master
    };
    let age = case.subject().birth_date.map(|d| age_on(d, filing));
    // The reading of "aged 21-40" (and the cap on indicator points) decides only at the bounds.
    for (id, bound) in [
        ("regeling_hoogopgeleiden.age_min", age_min),
        ("regeling_hoogopgeleiden.age_max", age_max),
    ] {
        if age == Some(bound) {
            if let Ok(v) = p.at(id, filing) {
                b.caveat(id, v);
            }
        }
    }
    let age_points = age.map(|a| {
        if (age_min..=age_max).contains(&a) {
            age_pts
        } else {
            0
        }
    });
    let indicator = success_indicator(case);
    let known = edu + age_points.unwrap_or(0) + if indicator == Some(true) { ind_pts } else { 0 };
    let best_possible =
        edu + age_points.unwrap_or(age_pts) + if indicator == Some(false) { 0 } else { ind_pts };
    let variant = match (age_points, indicator) {
        (Some(a), Some(i)) if a > 0 && i => "education_age_indicator",
        (Some(a), _) if a > 0 => "education_age",
        (_, Some(true)) => "education_indicator",
        _ => "education",
    };
    if known >= pass {
        b.push(
            Check::new(
                Code::Hoogopgeleiden(Hoogopgeleiden::Points),
                variant,
                CheckStatus::Pass,
                c,
            )
            .actual(Fact::Points { points: known })
            .required(Fact::Points { points: pass }),
        );
    } else if best_possible >= pass {
        let field = if age_points.is_none() {
            "person.birth_date"
        } else {
            "person.languages"
        };
        b.push(
            Check::new(
                Code::Hoogopgeleiden(Hoogopgeleiden::Points),
                variant,
                CheckStatus::Unknown,
                c,
            )
            .actual(Fact::Missing { field })
            .required(Fact::Points { points: pass }),
        );
    } else {
        b.push(
            Check::new(
                Code::Hoogopgeleiden(Hoogopgeleiden::Points),
                variant,
                CheckStatus::Fail,
                c,
            )
            .actual(Fact::Points { points: known })
            .required(Fact::Points { points: pass })
            .change(Change::MorePoints {
                needed: pass - known,
            }),
        );
    }
}

pub(super) fn reason(
    c: &Check,
    lang: Lang,
    f: &mut std::fmt::Formatter<'_>,
) -> Option<std::fmt::Result> {
    let en = lang == Lang::En;
    let (a, r) = crate::rules::rendered(c, lang);
    Some(match (c.code, c.variant, c.status) {
        (Code::Hoogopgeleiden(Hoogopgeleiden::DegreeLevel), _, CheckStatus::Pass) => if en { write!(f, "A {a} meets the minimum of a master's degree.") } else { write!(f, "Een {a} voldoet aan het minimum van een masterdiploma.") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::DegreeLevel), _, CheckStatus::Fail) => if en { write!(f, "The highest degree given is a {a}; the scheme requires at least a master's degree.") } else { write!(f, "Het hoogste diploma is een {a}; de regeling vereist ten minste een master.") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::DegreeLevel), _, _) => super::put(f, en, "The person's degrees are needed to decide.", "De diploma's van de persoon zijn nodig om te beslissen."),
        (Code::Hoogopgeleiden(Hoogopgeleiden::Institution), "dutch", _) => super::put(f, en, "A master from a Dutch accredited programme or a Dutch PhD qualifies.", "Een master van een Nederlandse geaccrediteerde opleiding of een Nederlandse promotie telt."),
        (Code::Hoogopgeleiden(Hoogopgeleiden::Institution), "ranked", CheckStatus::Pass) => if en { write!(f, "The institution is at {a}, within the top places of the list required ({r}); one list suffices.") } else { write!(f, "De instelling staat op {a}, binnen de vereiste plaatsen ({r}); één lijst volstaat.") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Institution), "ranked", _) => if en { write!(f, "The institution is at {a}; it must be within {r} (THES or ARWU).") } else { write!(f, "De instelling staat op {a}; die moet binnen {r} liggen (THES of ARWU).") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Institution), "no_edition", _) => if en { write!(f, "None of the rankings given is of the edition the scheme uses ({r}).") } else { write!(f, "Geen van de opgegeven ranglijsten is van de editie die de regeling gebruikt ({r}).") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Institution), _, _) => if en { write!(f, "The institution's place on the 2007 THES or ARWU list is needed ({r}).") } else { write!(f, "De plaats van de instelling op de THES- of ARWU-lijst van 2007 is nodig ({r}).") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Window), "inside", _) => if en { write!(f, "Graduated on {a}: within {r} of graduation.") } else { write!(f, "Afgestudeerd op {a}: binnen {r} na afstuderen.") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Window), "closed", _) => if en { write!(f, "Graduated on {a}: more than {r} ago.") } else { write!(f, "Afgestudeerd op {a}: meer dan {r} geleden.") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Window), _, _) => super::put(f, en, "The graduation date is needed.", "De afstudeerdatum is nodig."),
        (Code::Hoogopgeleiden(Hoogopgeleiden::Points), v, CheckStatus::Pass | CheckStatus::Fail) => {
            let parts = match (v, en) {
                ("education_age_indicator", true) => "education, age 21-40 and a success indicator",
                ("education_age", true) => "education and age 21-40, without a success indicator",
                ("education_indicator", true) => "education and a success indicator, without age points",
                (_, true) => "education only",
                ("education_age_indicator", false) => "opleiding, leeftijd 21-40 en een succesindicator",
                ("education_age", false) => "opleiding en leeftijd 21-40, zonder succesindicator",
                ("education_indicator", false) => "opleiding en een succesindicator, zonder leeftijdspunten",
                (_, false) => "alleen opleiding",
            };
            if en { write!(f, "The points test gives {a} ({parts}); {r} are needed.") } else { write!(f, "De puntentoets geeft {a} ({parts}); {r} zijn nodig.") }
        }
        (Code::Hoogopgeleiden(Hoogopgeleiden::Points), _, _) => if en { write!(f, "The points test cannot be completed: {a}; {r} are needed.") } else { write!(f, "De puntentoets is niet af te ronden: {a}; {r} zijn nodig.") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Once), "already_used", _) => if en { write!(f, "The scheme was already used (from {a}); it is granted once.") } else { write!(f, "De regeling is al gebruikt (vanaf {a}); die wordt eenmaal verleend.") },
        (Code::Hoogopgeleiden(Hoogopgeleiden::Once), _, _) => super::put(f, en, "The scheme has not been used before.", "De regeling is niet eerder gebruikt."),
        (Code::Hoogopgeleiden(Hoogopgeleiden::Validity), _, _) => if en { write!(f, "The permit would run until {a} ({r}); work only if the employer holds a work permit (TWV).") } else { write!(f, "De vergunning zou lopen tot {a} ({r}); werken alleen als de werkgever een tewerkstellingsvergunning (TWV) heeft.") },
        _ => return None,
    })
}
