//! OY: the orientation year for highly educated persons (zoekjaar hoogopgeleiden).
//!
//! Article: art. 3.42 Vb (Besluit of 17 February 2016, Stb 2016, 86); top-200 institutions art. 3.23 VV.
//! In force: from 1 March 2016. Parameters: `orientation_year.*`, `education.*`, `rankings.*`.
//!
//! A Dutch accredited bachelor, master or PhD, a Dutch post-master of at least 10 months, an Erasmus Mundus master,
//! a named cultural-policy or development-cooperation programme, a foreign master, PhD or post-master (12 months)
//! at an institution in the top 200 of THE, QS or ARWU (from 1 October 2017: on the graduation date), or
//! scientific research in the Netherlands, completed within the three years before the application. One year, not
//! extendable; a further orientation year only for a programme completed after the previous one.

use crate::case::Education;
use crate::code::{Code, OrientationYear};
use chrono::NaiveDate;

use super::common::*;
use crate::case::{Case, PermitKind, Provenance, RankingList, Scheme};
use crate::decision::{Builder, Change, Check, CheckStatus, Citation, Day, Decision, Fact, Maybe};
use crate::params::ParamSet;
use crate::text::Lang;

const SEARCH_YEARS: [PermitKind; 3] = [
    PermitKind::OrientationYear,
    PermitKind::ZoekjaarAfgestudeerden,
    PermitKind::RegelingHoogopgeleiden,
];

/// The checks one candidate programme would produce.
struct Candidate {
    checks: Vec<Check>,
    score: u8,
}

pub fn decide(case: &Case, p: &ParamSet) -> Decision {
    decide_as(case, p, crate::decision::Record::Full)
}

/// The decision, keeping what `record` asks for.
pub fn decide_as(case: &Case, p: &ParamSet, record: crate::decision::Record) -> Decision {
    let filing = case.filing_date();
    let mut b = Builder::recording(Scheme::OrientationYear, filing, record);
    if !super::in_force(
        &mut b,
        p,
        Code::OrientationYear(OrientationYear::InForce),
        "orientation_year.in_force",
        filing,
    ) {
        return b.finish();
    }
    let comps = completions(case);
    if comps.is_empty() {
        let c = super::cite_any(&mut b, p, "orientation_year.in_force", filing);
        b.push(
            Check::new(
                Code::OrientationYear(OrientationYear::Programme),
                "missing",
                CheckStatus::Unknown,
                c,
            )
            .actual(Fact::Missing {
                field: "person.education",
            }),
        );
        return b.finish();
    }
    let mut best: Option<Candidate> = None;
    for comp in &comps {
        let cand = evaluate(case, p, &mut b, comp, filing);
        let done = cand.score == u8::MAX;
        if best.as_ref().is_none_or(|x| cand.score > x.score) {
            best = Some(cand);
        }
        if done {
            break;
        }
    }
    if let Some(best) = best {
        for check in best.checks {
            b.push(check);
        }
    }
    if case
        .subject()
        .education
        .iter()
        .any(|e| e.provenance != Provenance::DutchAccredited)
    {
        if let Some(v) = super::common::flag_on(
            p,
            &mut b,
            Code::OrientationYear(OrientationYear::Language),
            "orientation_year.language_requirement",
            filing,
        ) {
            let c = b.cite("orientation_year.language_requirement", v);
            b.push(Check::new(
                Code::OrientationYear(OrientationYear::Language),
                "not_assessed",
                CheckStatus::Info,
                c,
            ));
        }
    }
    fixed_term_validity(
        p,
        &mut b,
        Code::OrientationYear(OrientationYear::Validity),
        "orientation_year.duration_months",
        filing,
    );
    b.finish()
}

fn evaluate(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    comp: &Completion<'_>,
    filing: NaiveDate,
) -> Candidate {
    let mut checks = Vec::new();
    if programme(p, b, comp, filing, &mut checks) {
        window(p, b, comp, filing, &mut checks);
        once(case, p, b, comp, filing, &mut checks);
    }
    Candidate::scored(checks)
}

/// OY-PROGRAMME: the programme completed qualifies (art. 3.42 Vb 2000, from 1 March 2016; its lid is not recorded
/// in `law/checks.yaml`): a Dutch degree, an Erasmus Mundus master, a research period, or a foreign degree from a
/// ranked institution (see [`ranking`]). `false` when nothing more can be checked.
fn programme(
    p: &ParamSet,
    b: &mut Builder,
    comp: &Completion<'_>,
    filing: NaiveDate,
    checks: &mut Vec<Check>,
) -> bool {
    let prog_cite = super::cite_any(b, p, "orientation_year.in_force", filing);
    match comp.education {
        None => {
            checks.push(Check::new(
                Code::OrientationYear(OrientationYear::Programme),
                "research",
                CheckStatus::Pass,
                prog_cite,
            ));
        }
        Some(e) => match oy_programme(p, e, filing) {
            OyProgramme::Qualifies(v) => {
                checks.push(
                    Check::new(
                        Code::OrientationYear(OrientationYear::Programme),
                        v,
                        CheckStatus::Pass,
                        prog_cite,
                    )
                    .actual(Fact::Code {
                        code: e.level.as_str(),
                    }),
                );
            }
            OyProgramme::NeedsRanking => {
                if !ranking(p, b, e, prog_cite, filing, checks) {
                    return false;
                }
            }
            OyProgramme::TooShort { months, required } => {
                checks.push(
                    Check::new(
                        Code::OrientationYear(OrientationYear::Programme),
                        "too_short",
                        CheckStatus::Fail,
                        prog_cite,
                    )
                    .actual(Fact::Months { months })
                    .required(Fact::Months { months: required }),
                );
            }
            OyProgramme::MissingDuration => {
                checks.push(
                    Check::new(
                        Code::OrientationYear(OrientationYear::Programme),
                        "missing_duration",
                        CheckStatus::Unknown,
                        prog_cite,
                    )
                    .actual(Fact::Missing {
                        field: "person.education[].duration_months",
                    }),
                );
            }
            OyProgramme::NoValue(id) => checks.push(Check::no_value(
                Code::OrientationYear(OrientationYear::Programme),
                id,
                filing,
            )),
            OyProgramme::WrongLevel => {
                checks.push(
                    Check::new(
                        Code::OrientationYear(OrientationYear::Programme),
                        "wrong_level",
                        CheckStatus::Fail,
                        prog_cite,
                    )
                    .actual(Fact::Code {
                        code: e.level.as_str(),
                    }),
                );
            }
        },
    }
    true
}

/// OY-RANKING (art. 3.23 VV 2000): a foreign degree's institution is in the top of a general ranking (THE, QS or ARWU), on the list
/// of the graduation date or the most recent one as `orientation_year.ranking_on_graduation_date` says. `false`
/// when a figure the ranking needs has no value on the date.
fn ranking(
    p: &ParamSet,
    b: &mut Builder,
    e: &Education,
    prog_cite: Citation,
    filing: NaiveDate,
    checks: &mut Vec<Check>,
) -> bool {
    checks.push(
        Check::new(
            Code::OrientationYear(OrientationYear::Programme),
            "foreign_degree",
            CheckStatus::Pass,
            prog_cite,
        )
        .actual(Fact::Code {
            code: e.level.as_str(),
        }),
    );
    let code = Code::OrientationYear(OrientationYear::Ranking);
    let id = "orientation_year.ranking_on_graduation_date";
    let (on_grad, c1) = match p.flag(id, filing) {
        Ok((f, v)) => (f, b.cite(id, v)),
        Err(_) => {
            checks.push(Check::no_value(code, id, filing));
            return false;
        }
    };
    let top = p
        .whole("orientation_year.ranking_top", filing)
        .map(|(t, v)| (t, b.cite("orientation_year.ranking_top", v)));
    let date = if on_grad {
        e.graduation_date
    } else {
        Some(filing)
    };
    match (top, date) {
        (Ok((top, c)), Some(date)) => {
            let (rank, ok) = match best_rank(
                p,
                b,
                e,
                date,
                &[RankingList::The, RankingList::Qs, RankingList::Arwu],
                top,
            ) {
                Ok(found) => found,
                Err(id) => {
                    checks.push(Check::no_value(code, id, filing));
                    return false;
                }
            };
            let actual = rank.map(|r| Fact::Rank {
                list: r.list,
                edition: r.edition,
                position: r.position,
            });
            let variant = if on_grad {
                "on_graduation_date"
            } else {
                "most_recent_list"
            };
            let c = if on_grad { c1 } else { c };
            let status = if ok {
                CheckStatus::Pass
            } else if e.rankings.is_empty() {
                CheckStatus::Unknown
            } else {
                CheckStatus::Fail
            };
            let actual = if status == CheckStatus::Unknown {
                Some(Fact::Missing {
                    field: "person.education[].rankings",
                })
            } else {
                actual
            };
            checks.push(
                Check::new(
                    Code::OrientationYear(OrientationYear::Ranking),
                    variant,
                    status,
                    c,
                )
                .actual(actual)
                .required(Fact::Rank {
                    list: RankingList::The,
                    edition: 0,
                    position: top as u16,
                }),
            );
        }
        (Ok((_, c)), None) => checks.push(
            Check::new(
                Code::OrientationYear(OrientationYear::Ranking),
                "missing",
                CheckStatus::Unknown,
                c,
            )
            .actual(Fact::Missing {
                field: "person.education[].graduation_date",
            }),
        ),
        (Err(_), _) => checks.push(Check::no_value(
            code,
            "orientation_year.ranking_top",
            filing,
        )),
    }
    true
}

/// OY-WINDOW (art. 3.42 Vb 2000): the application is filed within the graduation window after the programme was completed.
fn window(
    p: &ParamSet,
    b: &mut Builder,
    comp: &Completion<'_>,
    filing: NaiveDate,
    checks: &mut Vec<Check>,
) {
    let years = p
        .whole("education.graduation_window_years", filing)
        .map(|(y, v)| (y, b.cite("education.graduation_window_years", v)));
    if let Ok((years, c)) = years {
        match comp.completed {
            None => checks.push(
                Check::new(
                    Code::OrientationYear(OrientationYear::Window),
                    "missing",
                    CheckStatus::Unknown,
                    c,
                )
                .actual(Fact::Missing {
                    field: "person.education[].graduation_date",
                })
                .required(Fact::Years { years }),
            ),
            Some(done) if done > filing => {
                checks.push(
                    Check::new(
                        Code::OrientationYear(OrientationYear::Window),
                        "not_yet_completed",
                        CheckStatus::Fail,
                        c,
                    )
                    .actual(Fact::Date { date: done })
                    .required(Fact::Years { years })
                    .change(Change::FileOnOrAfter {
                        date: done,
                        because: "programme_completed",
                    }),
                );
            }
            Some(done) => {
                let window = within_window(
                    p,
                    b,
                    Code::OrientationYear(OrientationYear::Window),
                    done,
                    filing,
                    years,
                );
                if let Some((true, last)) = window {
                    checks.push(
                        Check::new(
                            Code::OrientationYear(OrientationYear::Window),
                            "inside",
                            CheckStatus::Pass,
                            c,
                        )
                        .actual(Fact::Date { date: done })
                        .required(Fact::Years { years })
                        .change(Change::FileOnOrBefore {
                            date: last,
                            keeps: "graduation_window",
                        }),
                    );
                } else if let Some((false, last)) = window {
                    checks.push(
                        Check::new(
                            Code::OrientationYear(OrientationYear::Window),
                            "closed",
                            CheckStatus::Fail,
                            c,
                        )
                        .actual(Fact::Date { date: done })
                        .required(Fact::Years { years })
                        .change(Change::ClosedOn {
                            date: last,
                            window: "graduation_window",
                        }),
                    );
                }
            }
        }
    } else {
        super::common::missing(
            b,
            Code::OrientationYear(OrientationYear::Window),
            "education.graduation_window_years",
            filing,
        );
    }
}

/// OY-ONCE (art. 3.42 Vb 2000): one orientation year per programme: the programme was completed after the previous search year
/// (started or ended, as `orientation_year.repeat_after` says).
fn once(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    comp: &Completion<'_>,
    filing: NaiveDate,
    checks: &mut Vec<Check>,
) {
    if let Ok((rule, v)) = p.code("orientation_year.repeat_after", filing) {
        let c = b.cite("orientation_year.repeat_after", v);
        match (
            latest_search_year(case, filing, &SEARCH_YEARS),
            comp.completed,
        ) {
            (None, _) => {
                let c = super::cite_any(b, p, "orientation_year.in_force", filing);
                checks.push(Check::new(
                    Code::OrientationYear(OrientationYear::Once),
                    "first",
                    CheckStatus::Pass,
                    c,
                ));
            }
            (Some(prev), Some(done)) => {
                let after = if rule == "completed_after_previous_end" {
                    prev.until.unwrap_or(prev.from)
                } else {
                    prev.from
                };
                if done > after {
                    checks.push(
                        Check::new(
                            Code::OrientationYear(OrientationYear::Once),
                            "new_programme",
                            CheckStatus::Pass,
                            c,
                        )
                        .actual(Fact::Date { date: done })
                        .required(Fact::Date { date: after }),
                    );
                } else {
                    checks.push(
                        Check::new(
                            Code::OrientationYear(OrientationYear::Once),
                            "already_used",
                            CheckStatus::Fail,
                            c,
                        )
                        .actual(Fact::Date { date: done })
                        .required(Fact::Date { date: after }),
                    );
                }
            }
            (Some(_), None) => checks.push(
                Check::new(
                    Code::OrientationYear(OrientationYear::Once),
                    "missing",
                    CheckStatus::Unknown,
                    c,
                )
                .actual(Fact::Missing {
                    field: "person.education[].graduation_date",
                }),
            ),
        }
    } else {
        super::common::missing(
            b,
            Code::OrientationYear(OrientationYear::Once),
            "orientation_year.repeat_after",
            filing,
        );
    }
}

impl Candidate {
    /// A candidate's checks, scored: all passing first, then undecided ones by their passes, failed ones last.
    fn scored(checks: Vec<Check>) -> Candidate {
        let passes = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Pass)
            .count()
            .min(usize::from(u8::MAX - 11)) as u8;
        let failed = checks.iter().any(|c| c.status == CheckStatus::Fail);
        let all_pass = !failed && checks.iter().all(|c| c.status == CheckStatus::Pass);
        Candidate {
            score: if all_pass {
                u8::MAX
            } else if failed {
                passes
            } else {
                passes + 10
            },
            checks,
        }
    }
}

pub(super) fn reason(
    c: &Check,
    lang: Lang,
    f: &mut std::fmt::Formatter<'_>,
) -> Option<std::fmt::Result> {
    let en = lang == Lang::En;
    let (a, r) = crate::rules::rendered(c, lang);
    let change_date = match &c.change {
        Some(
            Change::FileOnOrBefore { date, .. }
            | Change::ClosedOn { date, .. }
            | Change::FileOnOrAfter { date, .. },
        ) => Some(Day(*date, lang)),
        _ => None,
    };
    let change_date = Maybe(change_date);
    let top = Maybe(match &c.required {
        Some(Fact::Rank { position, .. }) => Some(*position),
        _ => None,
    });
    Some(match (c.code, c.variant, c.status) {
        (Code::OrientationYear(OrientationYear::Programme), "missing", _) => super::put(f, en, "The person's completed programmes or research are needed to decide.", "De afgeronde opleidingen of onderzoek van de persoon zijn nodig om te beslissen."),
        (Code::OrientationYear(OrientationYear::Programme), "research", _) => super::put(f, en, "Scientific research in the Netherlands qualifies for the orientation year.", "Wetenschappelijk onderzoek in Nederland geeft recht op het zoekjaar."),
        (Code::OrientationYear(OrientationYear::Programme), "dutch_degree", _) => if en { write!(f, "A Dutch accredited {a} qualifies for the orientation year.") } else { write!(f, "Een Nederlandse geaccrediteerde {a} geeft recht op het zoekjaar.") },
        (Code::OrientationYear(OrientationYear::Programme), "foreign_degree", _) => if en { write!(f, "A foreign {a} qualifies if the institution is in the top 200 of THE, QS or ARWU.") } else { write!(f, "Een buitenlandse {a} telt als de instelling in de top 200 van THE, QS of ARWU staat.") },
        (Code::OrientationYear(OrientationYear::Programme), "too_short", _) => if en { write!(f, "The post-master programme lasted {a}; at least {r} is required.") } else { write!(f, "De postmasteropleiding duurde {a}; ten minste {r} is vereist.") },
        (Code::OrientationYear(OrientationYear::Programme), "missing_duration", _) => super::put(f, en, "The length of the post-master programme is needed (`duration_months`).", "De duur van de postmasteropleiding is nodig (`duration_months`)."),
        (Code::OrientationYear(OrientationYear::Programme), "wrong_level", _) => if en { write!(f, "A {a} from this kind of institution does not qualify for the orientation year.") } else { write!(f, "Een {a} van dit soort instelling geeft geen recht op het zoekjaar.") },
        (Code::OrientationYear(OrientationYear::Programme), _, _) => if en { write!(f, "The programme ({a}) is one of those named in the orientation-year rules.") } else { write!(f, "De opleiding ({a}) is een van de in de regeling genoemde opleidingen.") },
        (Code::OrientationYear(OrientationYear::Ranking), "missing", _) => super::put(f, en, "The graduation date is needed to choose the ranking edition.", "De afstudeerdatum is nodig om de editie van de ranglijst te kiezen."),
        (Code::OrientationYear(OrientationYear::Ranking), v, CheckStatus::Pass) => if en { write!(f, "The institution is at {a}, within the top {top}{}.", if v == "on_graduation_date" { " on a list in force on the graduation date" } else { " on a recent list" }) } else { write!(f, "De instelling staat op {a}, binnen de top {top}{}.", if v == "on_graduation_date" { " op een lijst die gold op de afstudeerdatum" } else { " op een recente lijst" }) },
        (Code::OrientationYear(OrientationYear::Ranking), _, CheckStatus::Fail) => if en { write!(f, "The institution's best place that counts is {a}; it must be within the top {top} of THE, QS or ARWU (from 1 October 2017 on a list in force on the graduation date).") } else { write!(f, "De beste geldende plaats van de instelling is {a}; die moet binnen de top {top} van THE, QS of ARWU liggen (sinds 1 oktober 2017 op een lijst die gold op de afstudeerdatum).") },
        (Code::OrientationYear(OrientationYear::Ranking), _, _) => if en { write!(f, "The institution's places on the THE, QS and ARWU lists are needed (top {top}).") } else { write!(f, "De plaatsen van de instelling op de THE-, QS- en ARWU-lijst zijn nodig (top {top}).") },
        (Code::OrientationYear(OrientationYear::Window), "inside", _) => if en { write!(f, "Completed on {a}: the application falls within the {r} after completion, which close on {change_date}.") } else { write!(f, "Afgerond op {a}: de aanvraag valt binnen de {r} na afronding, die eindigen op {change_date}.") },
        (Code::OrientationYear(OrientationYear::Window), "closed", _) => if en { write!(f, "Completed on {a}: the {r} in which to apply ended on {change_date}.") } else { write!(f, "Afgerond op {a}: de {r} waarin aangevraagd kon worden, eindigden op {change_date}.") },
        (Code::OrientationYear(OrientationYear::Window), "not_yet_completed", _) => if en { write!(f, "The programme is completed only on {a}.") } else { write!(f, "De opleiding wordt pas op {a} afgerond.") },
        (Code::OrientationYear(OrientationYear::Window), _, _) => super::put(f, en, "The graduation date is needed to check the three-year window.", "De afstudeerdatum is nodig om de termijn van drie jaar te controleren."),
        (Code::OrientationYear(OrientationYear::Once), "first", _) => super::put(f, en, "No earlier search year is recorded.", "Er is geen eerder zoekjaar bekend."),
        (Code::OrientationYear(OrientationYear::Once), "new_programme", _) => if en { write!(f, "This programme was completed on {a}, after the previous search year began ({r}), so a new orientation year is possible.") } else { write!(f, "Deze opleiding is afgerond op {a}, na het begin van het vorige zoekjaar ({r}), dus een nieuw zoekjaar is mogelijk.") },
        (Code::OrientationYear(OrientationYear::Once), "already_used", _) => if en { write!(f, "This programme was completed on {a}, before the previous search year began ({r}); an orientation year is granted once per programme.") } else { write!(f, "Deze opleiding is afgerond op {a}, voor het begin van het vorige zoekjaar ({r}); een zoekjaar wordt eenmaal per opleiding verleend.") },
        (Code::OrientationYear(OrientationYear::Once), _, _) => super::put(f, en, "The graduation date is needed to compare with the earlier search year.", "De afstudeerdatum is nodig om te vergelijken met het eerdere zoekjaar."),
        (Code::OrientationYear(OrientationYear::Language), _, _) => super::put(f, en, "Foreign graduates may have to show English or Dutch (IELTS 6.0 or equivalent); one source lists this, and it is not assessed here.", "Buitenlandse afgestudeerden moeten mogelijk Engels of Nederlands aantonen (IELTS 6.0 of gelijkwaardig); één bron noemt dit, het wordt hier niet beoordeeld."),
        (Code::OrientationYear(OrientationYear::Validity), _, _) => if en { write!(f, "The orientation year would run until {a} ({r}, not extendable).") } else { write!(f, "Het zoekjaar zou lopen tot {a} ({r}, niet te verlengen).") },
        _ => return None,
    })
}
