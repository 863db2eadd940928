//! Pieces several rules share: ages and anniversaries, counting salary, the graduation window, and which
//! programmes qualify for the orientation year.

use crate::code::Code;
use crate::decision::Check;
use chrono::{Months, NaiveDate};

use crate::case::{
    Case, Education, EducationLevel, HolidayAllowance, JobOffer, PermitKind, ProgrammeKind,
    Provenance, Ranking, RankingList, ThirteenthMonth,
};
use crate::decision::{Builder, Change, CheckStatus, Citation, Fact};
use crate::money::Money;
use crate::params::{Basis, HolidayAllowanceBasis, ParamError, ParamSet, Period};

/// Full years completed on `date`; on the birthday itself the new age counts.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> i64 {
    date.years_since(birth).map_or(0, i64::from)
}

/// The same day `years` later (29 February becomes 28 February in a common year).
pub fn add_years(d: NaiveDate, years: i64) -> NaiveDate {
    add_months(d, years * 12)
}

pub fn add_months(d: NaiveDate, months: i64) -> NaiveDate {
    let m = Months::new(months.unsigned_abs().min(u32::MAX as u64) as u32);
    let r = if months >= 0 {
        d.checked_add_months(m)
    } else {
        d.checked_sub_months(m)
    };
    r.unwrap_or(d)
}

pub fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

pub fn day_after(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// Whole months from `a` to `b` (a contract from 1 January to 30 June is 6 months: the day after the end counts).
pub fn months_between(a: NaiveDate, b_inclusive: NaiveDate) -> i64 {
    let b = day_after(b_inclusive);
    let mut months =
        (b.year_ce().1 as i64 - a.year_ce().1 as i64) * 12 + b.month0() as i64 - a.month0() as i64;
    if add_months(a, months) > b {
        months -= 1;
    }
    months
}

use chrono::Datelike;

/// Puts the end-day convention's caveat on a decision whose end date is the maximum validity.
pub fn caveat_end_convention(p: &ParamSet, b: &mut Builder, filing: NaiveDate) {
    if let Ok(v) = p.at("permits.end_day_convention", filing) {
        b.caveat("permits.end_day_convention", v);
    }
}

/// A permit's maximum end: `years` after the start, on the day before the anniversary or on it, as the
/// convention parameter says; `None` (with an `unknown` check, see [`missing`]) when the convention has no value
/// on the filing date.
pub fn max_end(
    p: &ParamSet,
    b: &mut Builder,
    code: Code,
    start: NaiveDate,
    years: i64,
    filing: NaiveDate,
) -> Option<NaiveDate> {
    let anniversary = add_years(start, years);
    let id = "permits.end_day_convention";
    let (convention, _) = lookup(b, code, id, filing, p.code(id, filing))?;
    Some(if convention == "same_day" {
        anniversary
    } else {
        day_before(anniversary)
    })
}

/// Looks a parameter up; when no value covers the date, records an `unknown` check that says so.
pub fn lookup<T>(
    b: &mut Builder,
    code: Code,
    id: &'static str,
    date: NaiveDate,
    r: Result<(T, &crate::params::DatedValue), ParamError>,
) -> Option<(T, Citation)> {
    match r {
        Ok((t, v)) => {
            let c = b.cite(id, v);
            Some((t, c))
        }
        Err(_) => {
            missing(b, code, id, date);
            None
        }
    }
}

/// Records an `unknown` check saying that no value of parameter `id` covers `date`: a figure missing for a date
/// is never replaced by a number of the rules' own.
pub fn missing(b: &mut Builder, code: Code, id: &'static str, date: NaiveDate) {
    b.push(Check::no_value(code, id, date));
}

/// A flag that switches a condition on: its value when it is on, `None` when it is off, and an `unknown` check
/// (see [`missing`]) when it has no value on `date`.
pub fn flag_on<'p>(
    p: &'p ParamSet,
    b: &mut Builder,
    code: Code,
    id: &'static str,
    date: NaiveDate,
) -> Option<&'p crate::params::DatedValue> {
    switch(p, b, code, id, date).flatten()
}

/// A flag that switches a rule on, for a rule that cannot go on without it: `Some(Some(value))` when it is on,
/// `Some(None)` when it is off, and `None` (with an `unknown` check, see [`missing`]) when it has no value on
/// `date`.
pub fn switch<'p>(
    p: &'p ParamSet,
    b: &mut Builder,
    code: Code,
    id: &'static str,
    date: NaiveDate,
) -> Option<Option<&'p crate::params::DatedValue>> {
    match p.flag(id, date) {
        Ok((on, v)) => Some(on.then_some(v)),
        Err(_) => {
            missing(b, code, id, date);
            None
        }
    }
}

/// Whole-number parameters a rule needs together, each with its citation; `None` (with an `unknown` check naming
/// the first one missing, see [`missing`]) when one has no value on `date`.
pub fn wholes<const N: usize>(
    p: &ParamSet,
    b: &mut Builder,
    code: Code,
    ids: [&'static str; N],
    date: NaiveDate,
) -> Option<[(i64, Citation); N]> {
    let mut out: [Option<(i64, Citation)>; N] = std::array::from_fn(|_| None);
    for (slot, id) in out.iter_mut().zip(ids) {
        *slot = Some(lookup(b, code, id, date, p.whole(id, date))?);
    }
    Some(out.map(|v| v.expect("every slot is filled above")))
}

/// The salary that counts, per month excluding holiday allowance: the fixed wage, guaranteed monthly allowances,
/// and a 13th month only when it is paid monthly. Benefits in kind, overtime and bonuses are not in the case.
pub fn counted_monthly(job: &JobOffer, ha_rate: i64) -> Option<Money> {
    let base = job.gross_monthly_salary?;
    let base = match job.holiday_allowance {
        HolidayAllowance::IncludedInMonthly => base.minus_included_rate(ha_rate),
        _ => base,
    };
    let thirteenth = match job.thirteenth_month {
        ThirteenthMonth::PaidMonthly => Money::from_cents(base.cents() / 12),
        _ => Money::ZERO,
    };
    let allowances = job.guaranteed_monthly_allowances.unwrap_or(Money::ZERO);
    base.checked_add(thirteenth)?.checked_add(allowances)
}

/// The counted salary expressed in a criterion's basis, so that the two compare like with like.
pub fn in_basis(monthly_excl: Money, basis: Basis, job: &JobOffer, ha_rate: i64) -> Money {
    let ha_paid = job.holiday_allowance != HolidayAllowance::NotPaid;
    let per_period = match basis.period {
        Period::Month => monthly_excl,
        Period::Year => monthly_excl.times(12),
    };
    match basis.holiday_allowance {
        HolidayAllowanceBasis::Included if ha_paid => per_period.plus_rate(ha_rate),
        _ => per_period,
    }
}

/// The least monthly wage excluding holiday allowance that meets `required` in its basis.
pub fn monthly_needed(required: Money, basis: Basis, job: &JobOffer, ha_rate: i64) -> Money {
    let ha_paid = job.holiday_allowance != HolidayAllowance::NotPaid;
    let per_period = match basis.holiday_allowance {
        HolidayAllowanceBasis::Included if ha_paid => required.minus_included_rate_ceil(ha_rate),
        _ => required,
    };
    match basis.period {
        Period::Month => per_period,
        Period::Year => per_period.div_ceil(12),
    }
}

/// Compares a salary with a criterion and records the check, with the shortfall when it falls short.
/// A salary criterion that applies to a case: which band, its amount in its basis, and the value it cites.
pub struct Criterion {
    pub band: &'static str,
    pub amount: Money,
    pub basis: Basis,
    pub citation: Citation,
}

pub fn salary_check(
    b: &mut Builder,
    p: &ParamSet,
    code: Code,
    job: &JobOffer,
    criterion: Criterion,
    date: NaiveDate,
) -> bool {
    let Criterion {
        band,
        amount: required,
        basis,
        citation,
    } = criterion;
    let Some((rate, _)) = lookup(
        b,
        code,
        "wages.holiday_allowance_rate",
        date,
        p.hundredths("wages.holiday_allowance_rate", date),
    ) else {
        return false;
    };
    let Some(monthly) = counted_monthly(job, rate) else {
        b.push(
            Check::new(code, band, CheckStatus::Unknown, citation)
                .actual(Fact::Missing {
                    field: "person.job_offer.gross_monthly_salary",
                })
                .required(Fact::money(required, basis)),
        );
        return false;
    };
    let actual = in_basis(monthly, basis, job, rate);
    let ok = actual >= required;
    b.decision.criterion = Some(crate::decision::AppliedCriterion {
        band,
        amount: required,
        basis,
        margin: actual.cents() - required.cents(),
    });
    let change = (!ok).then(|| {
        let needed = monthly_needed(required, basis, job, rate);
        Change::RaiseSalary {
            shortfall: required.saturating_sub(actual),
            basis,
            shortfall_monthly: needed.saturating_sub(monthly),
        }
    });
    b.push(
        Check::new(
            code,
            band,
            if ok {
                CheckStatus::Pass
            } else {
                CheckStatus::Fail
            },
            citation,
        )
        .actual(Fact::money(actual, basis))
        .required(Fact::money(required, basis))
        .change(change),
    );
    ok
}

/// Is `date` within the window of `years` after `start`? Returns (inside, last day of the window).
pub fn within_window(
    p: &ParamSet,
    b: &mut Builder,
    code: Code,
    start: NaiveDate,
    date: NaiveDate,
    years: i64,
) -> Option<(bool, NaiveDate)> {
    let anniversary = add_years(start, years);
    let inclusive = match p.flag("education.graduation_window_inclusive", date) {
        Ok((f, v)) => {
            if date == anniversary {
                // Only on the anniversary itself does the reading of "within 3 years" decide.
                b.caveat("education.graduation_window_inclusive", v);
            }
            f
        }
        Err(_) => {
            missing(b, code, "education.graduation_window_inclusive", date);
            return None;
        }
    };
    let last = if inclusive {
        anniversary
    } else {
        day_before(anniversary)
    };
    Some((date >= start && date <= last, last))
}

/// Is a ranking's edition in force on `date`, within the tolerance parameter? `Err` names the parameter when it
/// has no value on `date`.
pub fn edition_holds(
    p: &ParamSet,
    b: &mut Builder,
    r: &Ranking,
    date: NaiveDate,
) -> Result<bool, &'static str> {
    let id = "rankings.edition_tolerance_years";
    let gap = (i64::from(r.edition) - i64::from(date.year())).abs();
    let (t, v) = p.whole(id, date).map_err(|_| id)?;
    if gap != 0 && gap <= t {
        b.caveat(id, v);
    }
    Ok(gap <= t)
}

/// The best place of an education on the general or subject lists, for editions that hold on `date`. `Err`
/// names a parameter that has no value on `date`.
pub fn best_rank<'e>(
    p: &ParamSet,
    b: &mut Builder,
    e: &'e Education,
    date: NaiveDate,
    lists: &[RankingList],
    top: i64,
) -> Result<(Option<&'e Ranking>, bool), &'static str> {
    let mut best: Option<&Ranking> = None;
    for r in &e.rankings {
        if !lists.contains(&r.list) || !edition_holds(p, b, r, date)? {
            continue;
        }
        if best.is_none_or(|x| r.position < x.position) {
            best = Some(r);
        }
    }
    let ok = best.is_some_and(|r| i64::from(r.position) <= top);
    Ok((best, ok))
}

/// Why a programme does or does not qualify for the orientation year (from 1 March 2016).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OyProgramme {
    Qualifies(&'static str),
    NeedsRanking,
    TooShort {
        months: i64,
        required: i64,
    },
    MissingDuration,
    WrongLevel,
    /// The minimum length that decides has no value on the date (the parameter named).
    NoValue(&'static str),
}

pub fn oy_programme(p: &ParamSet, e: &Education, date: NaiveDate) -> OyProgramme {
    if e.programme_kind != ProgrammeKind::Regular {
        return OyProgramme::Qualifies(match e.programme_kind {
            ProgrammeKind::CulturalPolicy => "cultural_policy_programme",
            _ => "development_cooperation_programme",
        });
    }
    match (e.provenance, e.level) {
        (
            Provenance::DutchAccredited,
            EducationLevel::Bachelor | EducationLevel::Master | EducationLevel::Phd,
        ) => OyProgramme::Qualifies("dutch_degree"),
        (Provenance::DutchAccredited, EducationLevel::PostMaster) => {
            let min = p
                .whole("orientation_year.post_master_min_months_dutch", date)
                .map(|(m, _)| m);
            match (e.duration_months, min) {
                (None, _) => OyProgramme::MissingDuration,
                (Some(_), Err(_)) => {
                    OyProgramme::NoValue("orientation_year.post_master_min_months_dutch")
                }
                (Some(d), Ok(m)) if i64::from(d) < m => OyProgramme::TooShort {
                    months: d.into(),
                    required: m,
                },
                _ => OyProgramme::Qualifies("dutch_post_master"),
            }
        }
        (Provenance::ErasmusMundus, EducationLevel::Master) => {
            OyProgramme::Qualifies("erasmus_mundus_master")
        }
        (Provenance::Foreign, EducationLevel::Master | EducationLevel::Phd) => {
            OyProgramme::NeedsRanking
        }
        (Provenance::Foreign, EducationLevel::PostMaster) => {
            let min = p
                .whole("orientation_year.foreign_min_months", date)
                .map(|(m, _)| m);
            match (e.duration_months, min) {
                (None, _) => OyProgramme::MissingDuration,
                (Some(_), Err(_)) => OyProgramme::NoValue("orientation_year.foreign_min_months"),
                (Some(d), Ok(m)) if i64::from(d) < m => OyProgramme::TooShort {
                    months: d.into(),
                    required: m,
                },
                _ => OyProgramme::NeedsRanking,
            }
        }
        _ => OyProgramme::WrongLevel,
    }
}

/// A completed programme or period of research that may open the orientation year or the reduced criterion.
#[derive(Clone, Copy, Debug)]
pub struct Completion<'c> {
    pub education: Option<&'c Education>,
    pub completed: Option<NaiveDate>,
}

/// Every programme and research period of the person, most recently completed first.
pub fn completions(case: &Case) -> Vec<Completion<'_>> {
    let mut out: Vec<Completion<'_>> = case
        .subject()
        .education
        .iter()
        .map(|e| Completion {
            education: Some(e),
            completed: e.graduation_date,
        })
        .collect();
    out.extend(case.subject().research.iter().map(|r| Completion {
        education: None,
        completed: Some(r.until),
    }));
    out.sort_by_key(|c| std::cmp::Reverse(c.completed));
    out
}

/// Does a completion meet the orientation-year programme conditions (programme and, for foreign degrees, the
/// ranking), leaving the window aside? `None` when a fact is missing.
pub fn oy_qualifies(
    p: &ParamSet,
    b: &mut Builder,
    code: Code,
    c: &Completion<'_>,
    filing: NaiveDate,
) -> Option<bool> {
    let Some(e) = c.education else {
        return Some(true);
    };
    match oy_programme(p, e, filing) {
        OyProgramme::Qualifies(_) => Some(true),
        OyProgramme::NeedsRanking => {
            let id = "orientation_year.ranking_on_graduation_date";
            let Ok((on_graduation, _)) = p.flag(id, filing) else {
                missing(b, code, id, filing);
                return None;
            };
            let date = if on_graduation {
                e.graduation_date?
            } else {
                filing
            };
            let id = "orientation_year.ranking_top";
            let (top, _) = lookup(b, code, id, filing, p.whole(id, filing))?;
            match best_rank(
                p,
                b,
                e,
                date,
                &[RankingList::The, RankingList::Qs, RankingList::Arwu],
                top,
            ) {
                Ok((_, ok)) => Some(ok),
                Err(id) => {
                    missing(b, code, id, filing);
                    None
                }
            }
        }
        OyProgramme::NoValue(id) => {
            missing(b, code, id, filing);
            None
        }
        OyProgramme::MissingDuration => None,
        _ => Some(false),
    }
}

/// The most recent search-year permit (orientation year or its predecessors) that started on or before `date`.
pub fn latest_search_year<'c>(
    case: &'c Case,
    date: NaiveDate,
    kinds: &[PermitKind],
) -> Option<&'c crate::case::HeldPermit> {
    case.subject()
        .permits
        .iter()
        .filter(|h| kinds.contains(&h.kind) && h.from <= date)
        .max_by_key(|h| h.from)
}

/// A permit of a fixed number of months from the filing date, not extendable (the search years): records the
/// validity check and the permit's terms.
pub fn fixed_term_validity(
    p: &ParamSet,
    b: &mut Builder,
    code: Code,
    id: &'static str,
    filing: NaiveDate,
) {
    if let Ok((months, v)) = p.whole(id, filing) {
        let c = b.cite(id, v);
        let end = day_before(add_months(filing, months));
        b.push(
            Check::new(code, "one_year", CheckStatus::Info, c)
                .actual(Fact::Date { date: end })
                .required(Fact::Months { months }),
        );
        b.decision.permit = Some(crate::decision::PermitTerms {
            start: filing,
            end,
            end_reason: "one_year_not_extendable",
        });
    }
}

/// A scheme that can be used once: fails when a permit of `kind` started before the filing date.
pub fn once(
    case: &Case,
    b: &mut Builder,
    code: Code,
    kind: PermitKind,
    filing: NaiveDate,
    citation: Citation,
) {
    match case
        .subject()
        .permits
        .iter()
        .find(|h| h.kind == kind && h.from < filing)
    {
        Some(h) => b.push(
            Check::new(code, "already_used", CheckStatus::Fail, citation)
                .actual(Fact::Date { date: h.from }),
        ),
        None => b.push(Check::new(code, "first", CheckStatus::Pass, citation)),
    }
}

/// A permit that follows the contract: from the contract's start (not before filing) until the contract's end plus
/// `extra_months`, at most `years`. Records the validity check (`code`) and the permit's terms.
/// How long a permit tied to a contract may run: at most `years`, and the contract's end plus `extra_months`,
/// whichever comes first, with the reason named when the contract decides.
pub struct ContractValidity {
    pub years: i64,
    pub extra_months: i64,
    pub contract_reason: &'static str,
    pub citation: Citation,
}

pub fn contract_validity(
    p: &ParamSet,
    b: &mut Builder,
    code: Code,
    job: &crate::case::JobOffer,
    filing: NaiveDate,
    rule: ContractValidity,
) {
    let ContractValidity {
        years,
        extra_months,
        contract_reason,
        citation,
    } = rule;
    let start = job.contract_start.unwrap_or(filing).max(filing);
    let Some(cap) = max_end(p, b, code, start, years, filing) else {
        return;
    };
    let (end, reason) = match job.contract_end {
        Some(crate::case::ContractEnd::On(e)) if add_months(e, extra_months) < cap => {
            (add_months(e, extra_months), contract_reason)
        }
        Some(_) => (cap, "maximum_validity"),
        None => {
            let missing = Some(Fact::Missing {
                field: "person.job_offer.contract_end",
            });
            b.push(
                Check::new(code, "missing", CheckStatus::Info, citation)
                    .actual(missing)
                    .required(Fact::Years { years }),
            );
            return;
        }
    };
    if reason == "maximum_validity" {
        caveat_end_convention(p, b, filing);
    }
    b.push(
        Check::new(code, reason, CheckStatus::Info, citation)
            .actual(Fact::Date { date: end })
            .required(Fact::Years { years }),
    );
    b.decision.permit = Some(crate::decision::PermitTerms {
        start,
        end,
        end_reason: reason,
    });
}
