//! SE: the self-employed person permit (arbeid als zelfstandige).
//!
//! Article: art. 3.30 Vb (essential Dutch interest), tested by the RVO points system. The date this points system
//! took effect is not established: its parameters have an open start and carry a caveat. Parameters:
//! `self_employed.*`.
//!
//! Three parts (personal experience, business plan, added value for the Netherlands), at least 30 points each and
//! 90 in total; a highly educated applicant with 45 points in each of the first two parts is spared the third. No
//! points test for Turkish nationals or treaty entrepreneurs (Dutch-American Friendship Treaty: capital of at
//! least €4,500; Japan); a start-up with a positive facilitator statement meets the minimum score. At most two
//! years, extendable.

use super::common::*;
use crate::case::{Case, EducationLevel, Scheme, SelfEmployment, Treaty};
use crate::code::{Code, SelfEmployed};
use crate::decision::{Builder, Change, Check, CheckStatus, Citation, Decision, Fact, PermitTerms};
use crate::params::ParamSet;
use crate::text::Lang;

pub fn decide(case: &Case, p: &ParamSet) -> Decision {
    decide_as(case, p, crate::decision::Record::Full)
}

/// The decision, keeping what `record` asks for.
pub fn decide_as(case: &Case, p: &ParamSet, record: crate::decision::Record) -> Decision {
    let filing = case.filing_date();
    let mut b = Builder::recording(Scheme::SelfEmployed, filing, record);
    if points_or_exemption(case, p, &mut b, filing) {
        validity(p, &mut b, filing);
    }
    b.finish()
}

/// Records the points test, or what replaces it. Returns `false` when nothing more can be said.
fn points_or_exemption(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    filing: chrono::NaiveDate,
) -> bool {
    let c = super::cite_any(b, p, "self_employed.min_points_total", filing);
    let Some(se) = &case.subject().self_employment else {
        b.push(
            Check::new(
                Code::SelfEmployed(SelfEmployed::Points),
                "missing",
                CheckStatus::Unknown,
                c,
            )
            .actual(Fact::Missing {
                field: "person.self_employment",
            }),
        );
        return false;
    };
    if let Some(n) = case.subject().nationality {
        let id = "self_employed.exempt_nationalities";
        let Some((codes, c)) = lookup(
            b,
            Code::SelfEmployed(SelfEmployed::Points),
            id,
            filing,
            p.code_list(id, filing),
        ) else {
            return false;
        };
        if codes.contains(n.as_str()) {
            b.push(
                Check::new(
                    Code::SelfEmployed(SelfEmployed::Points),
                    "exempt_nationality",
                    CheckStatus::Pass,
                    c,
                )
                .actual(Fact::Code {
                    code: "exempt_nationality",
                }),
            );
            return true;
        }
    }
    if treaty(p, b, se, c.clone(), filing) {
        return true;
    }
    if se.start_up_facilitator_statement {
        if let Some(v) = super::common::flag_on(
            p,
            b,
            Code::SelfEmployed(SelfEmployed::Points),
            "self_employed.start_up_deemed",
            filing,
        ) {
            let c = b.cite("self_employed.start_up_deemed", v);
            b.push(Check::new(
                Code::SelfEmployed(SelfEmployed::Points),
                "start_up_deemed",
                CheckStatus::Pass,
                c,
            ));
            return true;
        }
    }
    points_test(case, p, b, se, c, filing)
}

/// SE-TREATY: a treaty replaces the points test (art. 3.20a lid 4 VV 2000): the Dutch-American Friendship Treaty
/// (art. VII) with its minimum capital invested, the treaty with Japan. `true` when a treaty decided.
fn treaty(
    p: &ParamSet,
    b: &mut Builder,
    se: &SelfEmployment,
    c: Citation,
    filing: chrono::NaiveDate,
) -> bool {
    match se.treaty {
        Some(Treaty::DutchAmericanFriendship) => {
            if let Some(((min, basis), c)) = lookup(
                b,
                Code::SelfEmployed(SelfEmployed::Treaty),
                "self_employed.treaty_min_capital",
                filing,
                p.amount("self_employed.treaty_min_capital", filing)
                    .map(|(m, bs, v)| ((m, bs), v)),
            ) {
                let (status, actual) = match se.capital_invested {
                    None => (
                        CheckStatus::Unknown,
                        Fact::Missing {
                            field: "person.self_employment.capital_invested",
                        },
                    ),
                    Some(m) => (
                        if m >= min {
                            CheckStatus::Pass
                        } else {
                            CheckStatus::Fail
                        },
                        Fact::money(m, basis),
                    ),
                };
                b.push(
                    Check::new(
                        Code::SelfEmployed(SelfEmployed::Treaty),
                        "daft_capital",
                        status,
                        c,
                    )
                    .actual(actual)
                    .required(Fact::money(min, basis)),
                );
            }
            true
        }
        Some(Treaty::Japan) => {
            b.push(Check::new(
                Code::SelfEmployed(SelfEmployed::Treaty),
                "japan",
                CheckStatus::Pass,
                c,
            ));
            true
        }
        None => false,
    }
}

/// SE-POINTS: the business plan's points from the RVO assessment: a minimum per part and in total, or for the highly
/// educated a lower minimum on two parts (art. 3.30 lid 1 onder a and lid 2 Vb 2000, art. 3.20a lid 2 and 3 VV
/// 2000). `false` when nothing more can be said.
fn points_test(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    se: &SelfEmployment,
    c: Citation,
    filing: chrono::NaiveDate,
) -> bool {
    let Some(pts) = se.points else {
        b.push(
            Check::new(
                Code::SelfEmployed(SelfEmployed::Points),
                "missing",
                CheckStatus::Unknown,
                c,
            )
            .actual(Fact::Missing {
                field: "person.self_employment.points",
            }),
        );
        return true;
    };
    let code = Code::SelfEmployed(SelfEmployed::Points);
    let get = |id: &'static str| p.whole(id, filing);
    let id = "self_employed.min_points_per_part";
    let Some((per_part, _)) = lookup(b, code, id, filing, get(id)) else {
        return false;
    };
    let id = "self_employed.min_points_total";
    let Some((total_min, c)) = lookup(b, code, id, filing, get(id)) else {
        return false;
    };
    let id = "self_employed.highly_educated_min_points";
    let Some((he_min, c3)) = lookup(b, code, id, filing, get(id)) else {
        return false;
    };
    let (pe, bp, av) = (
        i64::from(pts.personal_experience),
        i64::from(pts.business_plan),
        i64::from(pts.added_value),
    );
    let highly_educated = case
        .subject()
        .education
        .iter()
        .any(|e| e.level >= EducationLevel::Bachelor);
    if highly_educated && pe >= he_min && bp >= he_min {
        b.push(
            Check::new(
                Code::SelfEmployed(SelfEmployed::Points),
                "highly_educated_route",
                CheckStatus::Pass,
                c3,
            )
            .actual(Fact::Points { points: pe + bp })
            .required(Fact::Points { points: he_min * 2 }),
        );
        return true;
    }
    let total = pe + bp + av;
    let part_short: i64 = [pe, bp, av].iter().map(|x| (per_part - x).max(0)).sum();
    let ok = part_short == 0 && total >= total_min;
    let needed = part_short.max(total_min - total).max(0);
    let variant = if part_short > 0 {
        "part_below_minimum"
    } else {
        "total"
    };
    b.push(
        Check::new(
            Code::SelfEmployed(SelfEmployed::Points),
            variant,
            if ok {
                CheckStatus::Pass
            } else {
                CheckStatus::Fail
            },
            c,
        )
        .actual(Fact::Points { points: total })
        .required(Fact::Points { points: total_min })
        .change((!ok).then_some(Change::MorePoints { needed })),
    );
    true
}

fn validity(p: &ParamSet, b: &mut Builder, filing: chrono::NaiveDate) {
    if let Ok((years, v)) = p.whole("self_employed.max_validity_years", filing) {
        let c = b.cite("self_employed.max_validity_years", v);
        let Some(end) = max_end(
            p,
            b,
            Code::SelfEmployed(SelfEmployed::Validity),
            filing,
            years,
            filing,
        ) else {
            return;
        };
        caveat_end_convention(p, b, filing);
        b.push(
            Check::new(
                Code::SelfEmployed(SelfEmployed::Validity),
                "maximum_validity",
                CheckStatus::Info,
                c,
            )
            .actual(Fact::Date { date: end })
            .required(Fact::Years { years }),
        );
        b.decision.permit = Some(PermitTerms {
            start: filing,
            end,
            end_reason: "maximum_validity",
        });
    } else {
        super::common::missing(
            b,
            Code::SelfEmployed(SelfEmployed::Validity),
            "self_employed.max_validity_years",
            filing,
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
        (Code::SelfEmployed(SelfEmployed::Points), "missing", _) => super::put(f, en, "The business plan's points from the RVO assessment are needed.", "De punten van de RVO-beoordeling van het ondernemingsplan zijn nodig."),
        (Code::SelfEmployed(SelfEmployed::Points), "exempt_nationality", _) => super::put(f, en, "Turkish nationals need no points test (EEC-Turkey Association Agreement).", "Turkse onderdanen hebben geen puntentoets nodig (Associatieovereenkomst EEG-Turkije)."),
        (Code::SelfEmployed(SelfEmployed::Points), "start_up_deemed", _) => super::put(f, en, "A start-up with at least 3 months of facilitator guidance and a positive statement is deemed to meet the minimum score.", "Een start-up met ten minste 3 maanden begeleiding en een positieve verklaring van de facilitator wordt geacht de minimumscore te halen."),
        (Code::SelfEmployed(SelfEmployed::Points), "highly_educated_route", _) => if en { write!(f, "As a highly educated applicant, {a} in the first two parts (at least {r}) is enough; added value is not assessed.") } else { write!(f, "Als hoogopgeleide is {a} in de eerste twee onderdelen (ten minste {r}) voldoende; toegevoegde waarde wordt niet beoordeeld.") },
        (Code::SelfEmployed(SelfEmployed::Points), "part_below_minimum", _) => if en { write!(f, "{a} in total, but a part scores below the minimum of 30; each part needs 30 and the total {r}.") } else { write!(f, "{a} in totaal, maar een onderdeel scoort onder het minimum van 30; elk onderdeel heeft 30 nodig en het totaal {r}.") },
        (Code::SelfEmployed(SelfEmployed::Points), _, CheckStatus::Pass) => if en { write!(f, "{a} in total, at least {r}, and each part at least 30.") } else { write!(f, "{a} in totaal, ten minste {r}, en elk onderdeel ten minste 30.") },
        (Code::SelfEmployed(SelfEmployed::Points), _, _) => if en { write!(f, "{a} in total; at least {r} is needed.") } else { write!(f, "{a} in totaal; ten minste {r} is nodig.") },
        (Code::SelfEmployed(SelfEmployed::Treaty), "japan", _) => super::put(f, en, "Japanese entrepreneurs need no points test under the treaty with Japan.", "Japanse ondernemers hebben onder het verdrag met Japan geen puntentoets nodig."),
        (Code::SelfEmployed(SelfEmployed::Treaty), _, CheckStatus::Pass) => if en { write!(f, "Under the Dutch-American Friendship Treaty the capital invested, {a}, meets the minimum of {r}.") } else { write!(f, "Onder het Nederlands-Amerikaans Vriendschapsverdrag voldoet het geïnvesteerde kapitaal, {a}, aan het minimum van {r}.") },
        (Code::SelfEmployed(SelfEmployed::Treaty), _, _) => if en { write!(f, "Under the Dutch-American Friendship Treaty at least {r} must be invested; given: {a}.") } else { write!(f, "Onder het Nederlands-Amerikaans Vriendschapsverdrag moet ten minste {r} worden geïnvesteerd; opgegeven: {a}.") },
        (Code::SelfEmployed(SelfEmployed::Validity), _, _) => if en { write!(f, "The permit would run until {a} (at most {r}, extendable).") } else { write!(f, "De vergunning zou lopen tot {a} (ten hoogste {r}, te verlengen).") },
        _ => return None,
    })
}
