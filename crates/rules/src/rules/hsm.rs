//! HSM: the highly skilled migrant permit (kennismigrant).
//!
//! Article: art. 3.30a Vb (commonly cited); salary criterion art. 1d BuWav until 2021, art. 2.1 BuWav 2022.
//! In force: from 1 October 2004. Parameters: `hsm.*`, `wages.*`.
//!
//! A recognised sponsor employs the migrant at a salary of at least the criterion of the filing year: the 30-plus
//! amount from the 30th birthday, the under-30 amount before it, or the reduced (graduate) amount when the person
//! qualifies for it, whatever their age. Researchers, physicians in training and guest lecturers need only the
//! minimum wage. The permit runs for the contract, at most five years.

use crate::code::{Code, Hsm};
use chrono::NaiveDate;

use super::common::*;
use crate::case::{ApplicationKind, Case, CriterionBand, PermitKind, Scheme};
use crate::decision::{Builder, Change, Check, CheckStatus, Decision, Fact};
use crate::params::ParamSet;
use crate::text::Lang;

pub fn decide(case: &Case, p: &ParamSet) -> Decision {
    decide_as(case, p, crate::decision::Record::Full)
}

/// The decision, keeping what `record` asks for.
pub fn decide_as(case: &Case, p: &ParamSet, record: crate::decision::Record) -> Decision {
    let filing = case.filing_date();
    let mut b = Builder::recording(Scheme::HighlySkilledMigrant, filing, record);
    if !super::in_force(&mut b, p, Code::Hsm(Hsm::InForce), "hsm.in_force", filing) {
        return b.finish();
    }
    let Some(job) = &case.subject().job_offer else {
        let c = super::cite_any(&mut b, p, "hsm.in_force", filing);
        b.push(
            Check::new(Code::Hsm(Hsm::JobOffer), "missing", CheckStatus::Unknown, c).actual(
                Fact::Missing {
                    field: "person.job_offer",
                },
            ),
        );
        return b.finish();
    };

    sponsor(p, &mut b, job, filing);
    if job.intra_corporate_transfer {
        ict_scope(p, &mut b, filing);
    }
    let Some(criterion_date) = criterion_date(case, p, &mut b, job, filing) else {
        return b.finish();
    };

    criterion_and_salary(case, p, &mut b, job, criterion_date, filing);
    if case.application_kind() == ApplicationKind::CurrentPermit {
        return b.finish();
    }

    if let Some(v) = super::common::flag_on(
        p,
        &mut b,
        Code::Hsm(Hsm::MarketConformity),
        "hsm.market_conformity_required",
        filing,
    ) {
        let c = b.cite("hsm.market_conformity_required", v);
        b.push(Check::new(
            Code::Hsm(Hsm::MarketConformity),
            "not_assessed",
            CheckStatus::Info,
            c,
        ));
    }
    if let Some(v) = super::common::flag_on(
        p,
        &mut b,
        Code::Hsm(Hsm::MonthlyPayment),
        "hsm.monthly_payment_required",
        filing,
    ) {
        let c = b.cite("hsm.monthly_payment_required", v);
        b.push(Check::new(
            Code::Hsm(Hsm::MonthlyPayment),
            "not_assessed",
            CheckStatus::Info,
            c,
        ));
    }

    validity(p, &mut b, job, filing);
    b.finish()
}

/// HSM-SPONSOR: the employer is a recognised sponsor, where `hsm.recognised_sponsor_required` says it must be (art.
/// 3.30a lid 1 Vb 2000, art. 2c lid 1 Vw 2000).
fn sponsor(p: &ParamSet, b: &mut Builder, job: &crate::case::JobOffer, filing: NaiveDate) {
    if let Some((required, c)) = lookup(
        b,
        Code::Hsm(Hsm::Sponsor),
        "hsm.recognised_sponsor_required",
        filing,
        p.flag("hsm.recognised_sponsor_required", filing),
    ) {
        if required {
            let (status, actual) = match job.recognised_sponsor {
                None => (
                    CheckStatus::Unknown,
                    Fact::Missing {
                        field: "person.job_offer.recognised_sponsor",
                    },
                ),
                Some(s) => (
                    if s {
                        CheckStatus::Pass
                    } else {
                        CheckStatus::Fail
                    },
                    Fact::Flag { value: s },
                ),
            };
            b.push(
                Check::new(Code::Hsm(Hsm::Sponsor), "required", status, c)
                    .actual(actual)
                    .required(Fact::Flag { value: true }),
            );
        }
    }
}

/// HSM-ICT-SCOPE: an intra-corporate transferee falls outside the scheme once the ICT directive applies (art. 2
/// lid 1 of Directive 2014/66/EU, in force here from 29 November 2016 by Stb. 2016, 408).
fn ict_scope(p: &ParamSet, b: &mut Builder, filing: NaiveDate) {
    if let Some((excluded, c)) = lookup(
        b,
        Code::Hsm(Hsm::IctScope),
        "hsm.ict_excluded",
        filing,
        p.flag("hsm.ict_excluded", filing),
    ) {
        let status = if excluded {
            CheckStatus::Fail
        } else {
            CheckStatus::Pass
        };
        b.push(
            Check::new(
                Code::Hsm(Hsm::IctScope),
                if excluded {
                    "excluded"
                } else {
                    "before_ict_directive"
                },
                status,
                c,
            )
            .actual(Fact::Flag { value: true }),
        );
    }
}

/// The date whose criterion applies: the filing date; on a change of employer, the new contract's start; for a
/// permit held, its grant or the reference date as `hsm.current_permit_reference` says (HSM-CURRENT-PERMIT).
/// `None` when it cannot be known.
fn criterion_date(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    job: &crate::case::JobOffer,
    filing: NaiveDate,
) -> Option<NaiveDate> {
    // Which year's amounts: the filing date; on a change of employer, the new contract's start.
    // For a permit held, the criterion of its grant: the age band then and that year's amount.
    let kind = case.application_kind();
    let held = latest_hsm_permit(case, filing);
    Some(match kind {
        ApplicationKind::ChangeOfEmployer => job.contract_start.unwrap_or(filing),
        ApplicationKind::CurrentPermit => {
            match (held, p.code("hsm.current_permit_reference", filing)) {
                (Some(h), Ok((rule, v))) => {
                    let c = b.cite("hsm.current_permit_reference", v);
                    let date = if rule == "grant_date" { h.from } else { filing };
                    b.push(
                        Check::new(
                            Code::Hsm(Hsm::CurrentPermit),
                            rule_variant(rule),
                            CheckStatus::Info,
                            c,
                        )
                        .actual(Fact::Date { date: h.from }),
                    );
                    date
                }
                (None, _) => {
                    let c = super::cite_any(b, p, "hsm.current_permit_reference", filing);
                    b.push(
                        Check::new(
                            Code::Hsm(Hsm::CurrentPermit),
                            "missing",
                            CheckStatus::Unknown,
                            c,
                        )
                        .actual(Fact::Missing {
                            field: "person.permits",
                        }),
                    );
                    return None;
                }
                (Some(_), Err(_)) => {
                    missing(
                        b,
                        Code::Hsm(Hsm::CurrentPermit),
                        "hsm.current_permit_reference",
                        filing,
                    );
                    return None;
                }
            }
        }
        _ => filing,
    })
}

fn criterion_and_salary(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    job: &crate::case::JobOffer,
    date: NaiveDate,
    filing: NaiveDate,
) {
    if exempt_role(p, b, job, date) {
        return;
    }
    let reduced = reduced_criterion(case, p, b, filing);
    if reduced == Some(true) {
        salary_against(b, p, job, "hsm.salary_reduced", "reduced", date);
        return;
    }

    age_band_salary(case, p, b, job, date, reduced);
}

/// HSM-EXEMPT-ROLE: for the roles `hsm.exempt_roles` lists (researchers, physicians in training, guest lecturers),
/// the minimum wage replaces the salary criterion (art. 1d lid 1 onder b–d BuWav; from 2022 art. 2.1 BuWav 2022).
/// `true` when that decided the salary, or the list has no value on the date.
fn exempt_role(
    p: &ParamSet,
    b: &mut Builder,
    job: &crate::case::JobOffer,
    date: NaiveDate,
) -> bool {
    // Exempt roles: the minimum wage instead of the criterion.
    // Without the list, whether the minimum wage replaces the criterion cannot be known.
    let Some((roles, c)) = lookup(
        b,
        Code::Hsm(Hsm::ExemptRole),
        "hsm.exempt_roles",
        date,
        p.code_list("hsm.exempt_roles", date),
    ) else {
        return true;
    };
    if roles.contains(job.role.as_str()) {
        b.push(
            Check::new(Code::Hsm(Hsm::ExemptRole), "exempt", CheckStatus::Info, c).actual(
                Fact::Code {
                    code: job.role.as_str(),
                },
            ),
        );
        salary_against(b, p, job, "wages.minimum_wage", "exempt_minimum_wage", date);
        return true;
    }
    false
}

/// HSM-AGE-BAND and HSM-SALARY: the criterion of the age band on the date that counts, and the salary against it
/// (art. 1d lid 1 onder a BuWav; from 2022 art. 2.1 BuWav 2022);
/// where the reduced criterion could not be decided (`reduced` is `None`), the salary check is undecided too unless
/// the salary misses the reduced amount as well.
fn age_band_salary(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    job: &crate::case::JobOffer,
    date: NaiveDate,
    reduced: Option<bool>,
) {
    let Some((threshold, c)) = lookup(
        b,
        Code::Hsm(Hsm::AgeBand),
        "hsm.age_band_threshold",
        date,
        p.whole("hsm.age_band_threshold", date),
    ) else {
        return;
    };
    let Some(birth) = case.subject().birth_date else {
        b.push(
            Check::new(Code::Hsm(Hsm::AgeBand), "missing", CheckStatus::Unknown, c)
                .actual(Fact::Missing {
                    field: "person.birth_date",
                })
                .required(Fact::Years { years: threshold }),
        );
        return;
    };
    let age = age_on(birth, date);
    let (band, id) = if age >= threshold {
        ("30plus", "hsm.salary_30plus")
    } else {
        ("under30", "hsm.salary_under30")
    };
    let change = (band == "under30").then(|| Change::FileOnOrBefore {
        date: day_before(add_years(birth, threshold)),
        keeps: "under30_band",
    });
    b.push(
        Check::new(Code::Hsm(Hsm::AgeBand), band, CheckStatus::Info, c)
            .actual(Fact::Age { years: age })
            .required(Fact::Years { years: threshold })
            .change(change),
    );
    if let Some(passed) = salary_against(b, p, job, id, band, date) {
        if reduced.is_none() {
            // The reduced criterion could not be decided; it matters only when the age-band amount is not met, and
            // then the salary check is undecided too unless the salary misses the reduced amount as well.
            b.set_status(
                Code::Hsm(Hsm::Reduced),
                if passed {
                    CheckStatus::Info
                } else {
                    CheckStatus::Unknown
                },
            );
            let code = Code::Hsm(Hsm::Salary);
            // The age-band salary check, before any check of a missing figure is added after it.
            let salary_at = b.last_of(code);
            let reduced_amount = lookup_amount(b, code, "hsm.salary_reduced", date, p);
            let id = "wages.holiday_allowance_rate";
            let rate = lookup(b, code, id, date, p.hundredths(id, date));
            let meets_reduced = match (reduced_amount, rate) {
                (Some(((amount, basis, _), _)), Some((rate, _))) => counted_monthly(job, rate)
                    .is_some_and(|m| in_basis(m, basis, job, rate) >= amount),
                // Undecided: the figure missing is named by its own check.
                _ => true,
            };
            if !passed && meets_reduced {
                if let Some(at) = salary_at {
                    b.undecide_at(at);
                }
            }
        }
    }
}

/// HSM-SALARY: the salary against the amount of parameter `id`, read as criterion `band`. Whether it passed;
/// `None` (with an `unknown` check naming `id`) when the amount has no value on `date`.
fn salary_against(
    b: &mut Builder,
    p: &ParamSet,
    job: &crate::case::JobOffer,
    id: &'static str,
    band: &'static str,
    date: NaiveDate,
) -> Option<bool> {
    let code = Code::Hsm(Hsm::Salary);
    let ((amount, basis, _), citation) = lookup_amount(b, code, id, date, p)?;
    let criterion = Criterion {
        band,
        amount,
        basis,
        citation,
    };
    Some(salary_check(b, p, code, job, criterion, date))
}

fn lookup_amount(
    b: &mut Builder,
    code: Code,
    id: &'static str,
    date: NaiveDate,
    p: &ParamSet,
) -> Option<(
    (crate::money::Money, crate::params::Basis, ()),
    crate::decision::Citation,
)> {
    lookup(
        b,
        code,
        id,
        date,
        p.amount(id, date).map(|(m, basis, v)| ((m, basis, ()), v)),
    )
}

/// Whether the reduced criterion applies, per the regime in force on the filing date. Records `HSM-REDUCED`.
/// `None` when a fact needed to decide is missing.
/// The most recent highly skilled migrant permit that started on or before `date`.
fn latest_hsm_permit(case: &Case, date: NaiveDate) -> Option<&crate::case::HeldPermit> {
    case.subject()
        .permits
        .iter()
        .filter(|h| h.kind == PermitKind::HighlySkilledMigrant && h.from <= date)
        .max_by_key(|h| h.from)
}

fn rule_variant(rule: &str) -> &'static str {
    if rule == "grant_date" {
        "grant_date"
    } else {
        "reference_date"
    }
}

fn reduced_criterion(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    filing: NaiveDate,
) -> Option<bool> {
    // Admitted under the reduced criterion: extensions and changes of employer keep it.
    if case.application_kind() != ApplicationKind::First {
        let held = latest_hsm_permit(case, filing);
        if held.is_some_and(|h| h.criterion == Some(CriterionBand::Reduced)) {
            let kept = switch(
                p,
                b,
                Code::Hsm(Hsm::Reduced),
                "hsm.reduced_kept_on_extension",
                filing,
            )?;
            if let Some(v) = kept {
                let c = b.cite("hsm.reduced_kept_on_extension", v);
                b.push(Check::new(
                    Code::Hsm(Hsm::Reduced),
                    "kept_from_admission",
                    CheckStatus::Pass,
                    c,
                ));
                return Some(true);
            }
        }
    }
    if case.application_kind() == ApplicationKind::CurrentPermit {
        // A permit held keeps the criterion it was granted under; only a recorded reduced grant counts.
        return Some(false);
    }
    let (regime, c) = lookup(
        b,
        Code::Hsm(Hsm::Reduced),
        "hsm.reduced_regime",
        filing,
        p.code("hsm.reduced_regime", filing),
    )?;
    let r = ReducedCheck { citation: c };
    match regime {
        "search_year" => reduced_from_2007_12_01(case, b, &r, filing),
        "oy_conditions" => reduced_from_2016_03_01(case, p, b, &r, filing, true),
        "broadened" => reduced_from_2016_03_01(case, p, b, &r, filing, false),
        _ => r.info(b, false, "not_in_force", None, None),
    }
}

/// The HSM-REDUCED check being recorded, with the citation of the regime in force.
struct ReducedCheck {
    citation: crate::decision::Citation,
}

impl ReducedCheck {
    /// Records whether the reduced criterion applies (`pass`) or not (`info`: the age-band criterion applies).
    fn info(
        &self,
        b: &mut Builder,
        ok: bool,
        variant: &'static str,
        actual: Option<Fact>,
        change: Option<Change>,
    ) -> Option<bool> {
        b.push(
            Check::new(
                Code::Hsm(Hsm::Reduced),
                variant,
                if ok {
                    CheckStatus::Pass
                } else {
                    CheckStatus::Info
                },
                self.citation.clone(),
            )
            .actual(actual)
            .change(change),
        );
        Some(ok)
    }
}

/// The reduced criterion from 1 December 2007 to 29 February 2016: during a search year for graduates (zoekjaar
/// afgestudeerden) or under the 2009 admission scheme (regeling hoogopgeleiden) (art. 1d lid 1 onder a, 2° BuWav).
fn reduced_from_2007_12_01(
    case: &Case,
    b: &mut Builder,
    r: &ReducedCheck,
    filing: NaiveDate,
) -> Option<bool> {
    let during = case.subject().permits.iter().find(|h| {
        matches!(
            h.kind,
            PermitKind::ZoekjaarAfgestudeerden | PermitKind::RegelingHoogopgeleiden
        ) && h.from <= filing
            && h.until.is_none_or(|u| filing <= u)
    });
    match during {
        Some(h) => r.info(
            b,
            true,
            "during_search_year",
            Some(Fact::Code {
                code: kind_code(h.kind),
            }),
            h.until.map(|u| Change::FileOnOrBefore {
                date: u,
                keeps: "reduced_criterion",
            }),
        ),
        None => r.info(b, false, "no_search_year", None, None),
    }
}

/// The reduced criterion from 1 March 2016: during or right after an orientation year, or for someone who meets
/// the orientation year's conditions within the graduation window. Until 30 June 2020 an orientation year used up
/// the criterion for the programmes it followed (`oy_uses_up_reduced`); from 1 July 2020 it no longer does (art. 1d
/// lid 1 onder a, 2° BuWav; from 2022 art. 2.1 BuWav 2022).
/// What an orientation year held means for the reduced criterion.
enum OrientationYearUse {
    /// During or right after it the criterion applies (or a figure is missing): the check is recorded.
    Decided(Option<bool>),
    /// Until 30 June 2020 it used up the criterion for the programmes completed before it began (`new_after`);
    /// `ended` is its end and the last day right after it.
    UsedUp {
        new_after: NaiveDate,
        ended: (NaiveDate, NaiveDate),
    },
    /// No orientation year, or one that no longer matters.
    None,
}

/// During or right after an orientation year the reduced criterion applies. Until July 2020 an orientation year
/// used up the reduced criterion for the programmes it followed; a programme completed after it began meets the
/// conditions afresh.
fn after_orientation_year(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    r: &ReducedCheck,
    filing: NaiveDate,
    oy_uses_up_reduced: bool,
) -> OrientationYearUse {
    if let Some(oy) = latest_search_year(case, filing, &[PermitKind::OrientationYear]) {
        let id = "hsm.immediately_after_days";
        let days = match p.whole(id, filing) {
            Ok((d, v)) => {
                b.caveat(id, v);
                d
            }
            Err(_) => {
                super::common::missing(b, Code::Hsm(Hsm::Reduced), id, filing);
                return OrientationYearUse::Decided(None);
            }
        };
        let Some(until) = oy.until else {
            return OrientationYearUse::Decided(r.info(
                b,
                true,
                "during_orientation_year",
                None,
                None,
            ));
        };
        let last = until + chrono::Duration::days(days);
        if filing <= last {
            return OrientationYearUse::Decided(r.info(
                b,
                true,
                "during_or_after_orientation_year",
                None,
                Some(Change::FileOnOrBefore {
                    date: last,
                    keeps: "reduced_criterion",
                }),
            ));
        }
        if oy_uses_up_reduced {
            return OrientationYearUse::UsedUp {
                new_after: oy.from,
                ended: (until, last),
            };
        }
    }
    OrientationYearUse::None
}

fn reduced_from_2016_03_01(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    r: &ReducedCheck,
    filing: NaiveDate,
    oy_uses_up_reduced: bool,
) -> Option<bool> {
    let (window_years, _) = lookup(
        b,
        Code::Hsm(Hsm::Reduced),
        "education.graduation_window_years",
        filing,
        p.whole("education.graduation_window_years", filing),
    )?;
    let (new_after, ended) = match after_orientation_year(case, p, b, r, filing, oy_uses_up_reduced)
    {
        OrientationYearUse::Decided(d) => return d,
        OrientationYearUse::UsedUp { new_after, ended } => (Some(new_after), Some(ended)),
        OrientationYearUse::None => (None, None),
    };
    // Meets the orientation-year conditions within the graduation window.
    let mut unknown = false;
    let mut closed: Option<NaiveDate> = None;
    for comp in completions(case) {
        let Some(done) = comp.completed else {
            unknown = true;
            continue;
        };
        if new_after.is_some_and(|after| done <= after) {
            continue;
        }
        match oy_qualifies(p, b, Code::Hsm(Hsm::Reduced), &comp, filing) {
            None => unknown = true,
            Some(false) => {}
            Some(true) => {
                let (inside, last) =
                    within_window(p, b, Code::Hsm(Hsm::Reduced), done, filing, window_years)?;
                if inside {
                    return r.info(
                        b,
                        true,
                        "within_graduation_window",
                        Some(Fact::Date { date: done }),
                        Some(Change::FileOnOrBefore {
                            date: last,
                            keeps: "reduced_criterion",
                        }),
                    );
                }
                if filing > last {
                    closed = closed.max(Some(last));
                }
            }
        }
    }
    if let (false, Some((until, last))) = (unknown, ended) {
        return r.info(
            b,
            false,
            "orientation_year_ended",
            Some(Fact::Date { date: until }),
            Some(Change::ClosedOn {
                date: last,
                window: "reduced_criterion",
            }),
        );
    }
    if unknown {
        b.push(
            Check::new(
                Code::Hsm(Hsm::Reduced),
                "undecided",
                CheckStatus::Unknown,
                r.citation.clone(),
            )
            .actual(Fact::Missing {
                field: "person.education",
            }),
        );
        return None;
    }
    match closed {
        Some(last) => r.info(
            b,
            false,
            "graduation_window_closed",
            None,
            Some(Change::ClosedOn {
                date: last,
                window: "reduced_criterion",
            }),
        ),
        None => r.info(b, false, "no_qualifying_programme", None, None),
    }
}

fn kind_code(k: PermitKind) -> &'static str {
    match k {
        PermitKind::ZoekjaarAfgestudeerden => "zoekjaar_afgestudeerden",
        PermitKind::RegelingHoogopgeleiden => "regeling_hoogopgeleiden",
        _ => "orientation_year",
    }
}

fn validity(p: &ParamSet, b: &mut Builder, job: &crate::case::JobOffer, filing: NaiveDate) {
    let id = "hsm.max_validity_years";
    if let Some((years, c)) = lookup(b, Code::Hsm(Hsm::Validity), id, filing, p.whole(id, filing)) {
        contract_validity(
            p,
            b,
            Code::Hsm(Hsm::Validity),
            job,
            filing,
            ContractValidity {
                years,
                extra_months: 0,
                contract_reason: "contract_end",
                citation: c,
            },
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
    let band = super::band_name(c.variant, lang);
    Some(match (c.code, c.variant, c.status) {
        (Code::Hsm(Hsm::JobOffer), _, _) => super::put(f, en, "A job offer is needed to decide; the case gives none.", "Een baanaanbod is nodig om te beslissen; de casus noemt er geen."),
        (Code::Hsm(Hsm::Sponsor), _, CheckStatus::Pass) => super::put(f, en, "The employer is a recognised sponsor, as required.", "De werkgever is erkend referent, zoals vereist."),
        (Code::Hsm(Hsm::Sponsor), _, CheckStatus::Fail) => super::put(f, en, "Only a recognised sponsor can employ a highly skilled migrant; this employer is not one.", "Alleen een erkend referent kan een kennismigrant in dienst nemen; deze werkgever is dat niet."),
        (Code::Hsm(Hsm::Sponsor), _, _) => super::put(f, en, "Whether the employer is a recognised sponsor is not given.", "Niet opgegeven is of de werkgever erkend referent is."),
        (Code::Hsm(Hsm::IctScope), "excluded", _) => super::put(f, en, "A transferee within a group in scope of Directive 2014/66/EU cannot use the highly skilled migrant scheme; the intra-corporate transfer permit applies.", "Een overplaatsing binnen een concern onder richtlijn 2014/66/EU valt niet onder de kennismigrantenregeling; de ICT-vergunning geldt."),
        (Code::Hsm(Hsm::IctScope), _, _) => super::put(f, en, "Before 29 November 2016 an intra-group transferee could use the scheme.", "Voor 29 november 2016 kon een overgeplaatste binnen een concern de regeling gebruiken."),
        (Code::Hsm(Hsm::ExemptRole), _, _) => if en { write!(f, "The role ({a}) is exempt from the salary criterion; the pay must meet the minimum wage.") } else { write!(f, "De functie ({a}) is vrijgesteld van het salariscriterium; het loon moet ten minste het minimumloon zijn.") },
        (Code::Hsm(Hsm::AgeBand), "missing", _) => super::put(f, en, "The birth date is needed to choose the criterion.", "De geboortedatum is nodig om het criterium te kiezen."),
        (Code::Hsm(Hsm::AgeBand), "30plus", _) => if en { write!(f, "On the date that counts the person is {a}, so the criterion for 30 and over applies.") } else { write!(f, "Op de peildatum is de persoon {a}, dus geldt het criterium voor 30 jaar en ouder.") },
        (Code::Hsm(Hsm::AgeBand), _, _) => if en { write!(f, "On the date that counts the person is {a}, under {r}, so the lower criterion for under-30s applies.") } else { write!(f, "Op de peildatum is de persoon {a}, jonger dan {r}, dus geldt het lagere criterium voor jonger dan 30.") },
        (Code::Hsm(Hsm::Reduced), v, _) => f.write_str(reduced_reason(v, en)),
        (Code::Hsm(Hsm::Salary), _, CheckStatus::Pass) => if en { write!(f, "The salary that counts, {a}, meets the {band} criterion of {r}.") } else { write!(f, "Het salaris dat telt, {a}, voldoet aan het {band} criterium van {r}.") },
        (Code::Hsm(Hsm::Salary), _, CheckStatus::Fail) => if en { write!(f, "The salary that counts, {a}, is below the {band} criterion of {r}. Holiday allowance, a 13th month paid once a year, bonuses and benefits in kind do not count.") } else { write!(f, "Het salaris dat telt, {a}, is lager dan het {band} criterium van {r}. Vakantiegeld, een jaarlijks uitbetaalde dertiende maand, bonussen en vergoedingen in natura tellen niet mee.") },
        (Code::Hsm(Hsm::Salary), _, CheckStatus::Unknown) if matches!(c.actual, Some(Fact::Money { .. })) => {
            if en {
                write!(f, "The salary that counts, {a}, is below the {band} criterion of {r} but may meet the reduced criterion, which cannot be decided without the missing facts.")
            } else {
                write!(f, "Het salaris dat telt, {a}, is lager dan het {band} criterium van {r} maar voldoet mogelijk aan het verlaagde criterium; dat is zonder de ontbrekende gegevens niet te bepalen.")
            }
        }
        (Code::Hsm(Hsm::Salary), _, _) => if en { write!(f, "The gross monthly salary is needed to compare with the {band} criterion of {r}.") } else { write!(f, "Het bruto maandsalaris is nodig om te vergelijken met het {band} criterium van {r}.") },
        (Code::Hsm(Hsm::CurrentPermit), "missing", _) => super::put(f, en, "A highly skilled migrant permit held on the reference date is needed (`person.permits`).", "Een verblijfsvergunning als kennismigrant op de peildatum is nodig (`person.permits`)."),
        (Code::Hsm(Hsm::CurrentPermit), "grant_date", _) => if en { write!(f, "For the permit held since {a}, the criterion of its grant applies: the age band and amount of that date. An employer need not raise the salary when the migrant turns 30 during the permit.") } else { write!(f, "Voor de vergunning sinds {a} geldt het criterium van de verlening: de leeftijdscategorie en het bedrag van die datum. Een werkgever hoeft het salaris niet te verhogen als de kennismigrant tijdens de vergunning 30 wordt.") },
        (Code::Hsm(Hsm::CurrentPermit), _, _) => if en { write!(f, "For the permit held since {a}, the criterion in force on the reference date applies.") } else { write!(f, "Voor de vergunning sinds {a} geldt het criterium op de peildatum.") },
        (Code::Hsm(Hsm::MarketConformity), _, _) => super::put(f, en, "The salary must also be market-conform (since 19 June 2011); this is not assessed here.", "Het salaris moet ook marktconform zijn (sinds 19 juni 2011); dat wordt hier niet beoordeeld."),
        (Code::Hsm(Hsm::MonthlyPayment), _, _) => super::put(f, en, "The salary must be paid monthly into a bank account in the migrant's name (since 2014); this is not assessed here.", "Het salaris moet maandelijks op een rekening op naam van de migrant worden betaald (sinds 2014); dat wordt hier niet beoordeeld."),
        (Code::Hsm(Hsm::Validity), "missing", _) => super::put(f, en, "The contract's end is needed to give the permit's end date (at most five years).", "Het einde van het contract is nodig voor de einddatum van de vergunning (ten hoogste vijf jaar)."),
        (Code::Hsm(Hsm::Validity), "contract_end", _) => if en { write!(f, "The permit would run until the contract ends, {a}.") } else { write!(f, "De vergunning zou lopen tot het einde van het contract, {a}.") },
        (Code::Hsm(Hsm::Validity), _, _) => if en { write!(f, "The permit would run until {a}: at most {r}.") } else { write!(f, "De vergunning zou lopen tot {a}: ten hoogste {r}.") },
        _ => return None,
    })
}

fn reduced_reason(v: &str, en: bool) -> &'static str {
    let (e, n) = match v {
        "kept_from_admission" => ("Admitted under the reduced criterion, the person keeps the (indexed) reduced amount at extension and change of employer.", "Toegelaten op het verlaagde criterium houdt de persoon het (geïndexeerde) verlaagde bedrag bij verlenging en wisseling van werkgever."),
        "during_search_year" => ("The application is made during the search year, so the reduced criterion applies.", "De aanvraag valt in het zoekjaar, dus geldt het verlaagde criterium."),
        "no_search_year" => ("Before March 2016 the reduced criterion was only for people in the search year (zoekjaar afgestudeerden or regeling hoogopgeleiden); the person holds neither.", "Voor maart 2016 gold het verlaagde criterium alleen in het zoekjaar (zoekjaar afgestudeerden of regeling hoogopgeleiden); de persoon heeft geen van beide."),
        "during_orientation_year" | "during_or_after_orientation_year" => ("The application is made during or immediately after an orientation year, so the reduced criterion applies.", "De aanvraag wordt gedaan tijdens of direct na het zoekjaar, dus geldt het verlaagde criterium."),
        "orientation_year_ended" => ("The orientation year ended before the application; until July 2020 that meant losing the reduced criterion.", "Het zoekjaar was voor de aanvraag afgelopen; tot juli 2020 verviel daarmee het verlaagde criterium."),
        "within_graduation_window" => ("The person meets the orientation-year conditions and applies within three years of graduating, so the reduced criterion applies, whatever their age.", "De persoon voldoet aan de voorwaarden van het zoekjaar en vraagt binnen drie jaar na afstuderen aan, dus geldt het verlaagde criterium, ongeacht de leeftijd."),
        "graduation_window_closed" => ("The three years after graduation in which the reduced criterion applies have passed.", "De drie jaar na afstuderen waarin het verlaagde criterium geldt, zijn voorbij."),
        "no_qualifying_programme" => ("No completed programme or research meets the orientation-year conditions, so the reduced criterion does not apply.", "Geen afgeronde opleiding of onderzoek voldoet aan de voorwaarden van het zoekjaar, dus geldt het verlaagde criterium niet."),
        "undecided" => ("Whether the reduced criterion applies cannot be decided: a graduation date, programme length or ranking is missing.", "Of het verlaagde criterium geldt, is niet te bepalen: een afstudeerdatum, opleidingsduur of ranking ontbreekt."),
        _ => ("The reduced criterion does not exist on this date.", "Het verlaagde criterium bestaat op deze datum niet."),
    };
    if en {
        e
    } else {
        n
    }
}
