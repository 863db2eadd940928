//! BC: the EU Blue Card (Europese blauwe kaart).
//!
//! Article: art. 3.30b Vb; Directive 2009/50/EC (regime A, from 20 June 2011), Directive (EU) 2021/1883 (regime B:
//! parts applied from 18 November 2023, the decree Stb 2024, 150 from 12 June 2024). Parameters: `blue_card.*`.
//!
//! A higher-education qualification of at least three years (or, from 12 June 2024, five years of relevant
//! experience), a contract of at least 12 months (6 from 18 November 2023) and a salary of at least the threshold,
//! the same for all ages; from 12 June 2024 a lower threshold for a diploma obtained in the three years before the
//! application. The card runs for the contract plus three months, at most four years (five from 12 June 2024).
//! The employer need not be a recognised sponsor.

use crate::code::{BlueCard, Code};
use chrono::NaiveDate;

use super::common::*;
use crate::case::{Case, ContractEnd, EducationLevel, JobOffer, Scheme};
use crate::decision::{Builder, Change, Check, CheckStatus, Decision, Fact};
use crate::params::{ParamSet, Value};
use crate::text::Lang;

pub fn decide(case: &Case, p: &ParamSet) -> Decision {
    decide_as(case, p, crate::decision::Record::Full)
}

/// The decision, keeping what `record` asks for.
pub fn decide_as(case: &Case, p: &ParamSet, record: crate::decision::Record) -> Decision {
    let filing = case.filing_date();
    let mut b = Builder::recording(Scheme::EuBlueCard, filing, record);
    if !super::in_force(
        &mut b,
        p,
        Code::BlueCard(BlueCard::InForce),
        "blue_card.in_force",
        filing,
    ) {
        return b.finish();
    }
    let Some(job) = &case.subject().job_offer else {
        let c = super::cite_any(&mut b, p, "blue_card.in_force", filing);
        b.push(
            Check::new(
                Code::BlueCard(BlueCard::JobOffer),
                "missing",
                CheckStatus::Unknown,
                c,
            )
            .actual(Fact::Missing {
                field: "person.job_offer",
            }),
        );
        return b.finish();
    };
    qualification(case, p, &mut b, filing);
    contract_length(p, &mut b, job, filing);
    threshold_and_salary(case, p, &mut b, job, filing);
    let c = super::cite_any(&mut b, p, "blue_card.in_force", filing);
    b.push(
        Check::new(
            Code::BlueCard(BlueCard::Sponsor),
            "not_required",
            CheckStatus::Info,
            c,
        )
        .actual(job.recognised_sponsor.map(|v| Fact::Flag { value: v })),
    );
    validity(p, &mut b, job, filing);
    b.finish()
}

fn qualification(case: &Case, p: &ParamSet, b: &mut Builder, filing: NaiveDate) {
    let Some((min_months, c)) = lookup(
        b,
        Code::BlueCard(BlueCard::Qualification),
        "blue_card.min_programme_months",
        filing,
        p.whole("blue_card.min_programme_months", filing),
    ) else {
        return;
    };
    let mut best: Option<(&'static str, Option<Fact>)> = None;
    for e in &case.subject().education {
        let variant = match (e.level, e.duration_months) {
            (EducationLevel::Associate, _) => continue,
            (_, Some(d)) if i64::from(d) >= min_months => "programme_length",
            (EducationLevel::Bachelor | EducationLevel::PostMaster, Some(_)) => continue,
            (EducationLevel::Master | EducationLevel::Phd, _) => "degree_level",
            (_, None) => "bachelor_assumed_three_years",
        };
        best = Some((
            variant,
            Some(Fact::Code {
                code: e.level.as_str(),
            }),
        ));
        if variant != "bachelor_assumed_three_years" {
            break;
        }
    }
    if let Some((variant, actual)) = best {
        b.push(
            Check::new(
                Code::BlueCard(BlueCard::Qualification),
                variant,
                CheckStatus::Pass,
                c,
            )
            .actual(actual)
            .required(Fact::Months { months: min_months }),
        );
        return;
    }
    // Without a qualifying programme, whether experience can stand in for it decides; unknown when the route
    // or its years have no value on the date.
    let code = Code::BlueCard(BlueCard::Qualification);
    let Some(route) = switch(p, b, code, "blue_card.experience_route", filing) else {
        return;
    };
    if let Some(route) = route {
        let Some((years, ce2)) = lookup(
            b,
            code,
            "blue_card.experience_years",
            filing,
            p.whole("blue_card.experience_years", filing),
        ) else {
            return;
        };
        match case.subject().professional_experience_years {
            Some(y) if i64::from(y) >= years => {
                // The route's start day is disputed; it decided this case.
                b.caveat("blue_card.experience_route", route);
                b.push(
                    Check::new(
                        Code::BlueCard(BlueCard::Qualification),
                        "experience",
                        CheckStatus::Pass,
                        ce2,
                    )
                    .actual(Fact::Years { years: y.into() })
                    .required(Fact::Years { years }),
                );
                return;
            }
            None if case.subject().education.is_empty() => {
                b.push(
                    Check::new(
                        Code::BlueCard(BlueCard::Qualification),
                        "missing",
                        CheckStatus::Unknown,
                        c,
                    )
                    .actual(Fact::Missing {
                        field: "person.education",
                    })
                    .required(Fact::Months { months: min_months }),
                );
                return;
            }
            _ => {}
        }
    } else if case.subject().education.is_empty() {
        b.push(
            Check::new(
                Code::BlueCard(BlueCard::Qualification),
                "missing",
                CheckStatus::Unknown,
                c,
            )
            .actual(Fact::Missing {
                field: "person.education",
            })
            .required(Fact::Months { months: min_months }),
        );
        return;
    }
    b.push(
        Check::new(
            Code::BlueCard(BlueCard::Qualification),
            "none",
            CheckStatus::Fail,
            c,
        )
        .required(Fact::Months { months: min_months }),
    );
}

fn contract_length(p: &ParamSet, b: &mut Builder, job: &JobOffer, filing: NaiveDate) {
    let Some((min, c)) = lookup(
        b,
        Code::BlueCard(BlueCard::ContractLength),
        "blue_card.min_contract_months",
        filing,
        p.whole("blue_card.min_contract_months", filing),
    ) else {
        return;
    };
    let start = job.contract_start.unwrap_or(filing);
    let (status, actual, variant) = match job.contract_end {
        None => (
            CheckStatus::Unknown,
            Fact::Missing {
                field: "person.job_offer.contract_end",
            },
            "missing",
        ),
        Some(ContractEnd::Indefinite) => (
            CheckStatus::Pass,
            Fact::Code { code: "indefinite" },
            "indefinite",
        ),
        Some(ContractEnd::On(end)) => {
            let months = months_between(start, end);
            (
                if months >= min {
                    CheckStatus::Pass
                } else {
                    CheckStatus::Fail
                },
                Fact::Months { months },
                "fixed_term",
            )
        }
    };
    // A later, lower minimum that this contract meets: the first day it may be filed; else a longer contract.
    let change = (status == CheckStatus::Fail).then(|| {
        let months = match actual {
            Fact::Months { months } => months,
            _ => 0,
        };
        p.first_date_after(
            "blue_card.min_contract_months",
            filing,
            |v| matches!(v, Value::Number(n) if n / 100 <= months),
        )
        .map(|date| Change::FileOnOrAfter {
            date,
            because: "lower_contract_minimum",
        })
        .unwrap_or(Change::LongerContract { months: min })
    });
    b.push(
        Check::new(Code::BlueCard(BlueCard::ContractLength), variant, status, c)
            .actual(actual)
            .required(Fact::Months { months: min })
            .change(change),
    );
}

fn threshold_and_salary(
    case: &Case,
    p: &ParamSet,
    b: &mut Builder,
    job: &JobOffer,
    filing: NaiveDate,
) {
    let mut band = "blue_card_standard";
    let mut change = None;
    let mut graduated = None;
    let Some(threshold_on) = switch(
        p,
        b,
        Code::BlueCard(BlueCard::Threshold),
        "blue_card.graduate_threshold_in_force",
        filing,
    ) else {
        return;
    };
    if let Some(threshold_flag) = threshold_on {
        let Some((years, _)) = lookup(
            b,
            Code::BlueCard(BlueCard::Threshold),
            "education.graduation_window_years",
            filing,
            p.whole("education.graduation_window_years", filing),
        ) else {
            return;
        };
        for e in &case.subject().education {
            let Some(g) = e.graduation_date else { continue };
            if e.level == EducationLevel::Associate || g > filing {
                continue;
            }
            let Some((inside, last)) =
                within_window(p, b, Code::BlueCard(BlueCard::Threshold), g, filing, years)
            else {
                return;
            };
            if inside {
                band = "blue_card_graduate";
                graduated = Some(g);
                b.caveat("blue_card.graduate_threshold_in_force", threshold_flag);
                change = Some(Change::FileOnOrBefore {
                    date: last,
                    keeps: "graduate_threshold",
                });
                break;
            }
        }
    }
    let id = if band == "blue_card_graduate" {
        "blue_card.salary_graduate"
    } else {
        "blue_card.salary_standard"
    };
    let c = super::cite_any(b, p, id, filing);
    b.push(
        Check::new(
            Code::BlueCard(BlueCard::Threshold),
            band,
            CheckStatus::Info,
            c,
        )
        .actual(graduated.map(|date| Fact::Date { date }))
        .change(change),
    );
    if let Some(((amount, basis), c)) = lookup(
        b,
        Code::BlueCard(BlueCard::Salary),
        id,
        filing,
        p.amount(id, filing).map(|(m, bs, v)| ((m, bs), v)),
    ) {
        salary_check(
            b,
            p,
            Code::BlueCard(BlueCard::Salary),
            job,
            Criterion {
                band,
                amount,
                basis,
                citation: c,
            },
            filing,
        );
    }
}

fn validity(p: &ParamSet, b: &mut Builder, job: &JobOffer, filing: NaiveDate) {
    let code = Code::BlueCard(BlueCard::Validity);
    let Some((years, c)) = lookup(
        b,
        code,
        "blue_card.max_validity_years",
        filing,
        p.whole("blue_card.max_validity_years", filing),
    ) else {
        return;
    };
    let Some((extra, _)) = lookup(
        b,
        code,
        "blue_card.validity_extra_months",
        filing,
        p.whole("blue_card.validity_extra_months", filing),
    ) else {
        return;
    };
    contract_validity(
        p,
        b,
        Code::BlueCard(BlueCard::Validity),
        job,
        filing,
        ContractValidity {
            years,
            extra_months: extra,
            contract_reason: "contract_end_plus_three_months",
            citation: c,
        },
    );
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
        (Code::BlueCard(BlueCard::JobOffer), _, _) => super::put(f, en, "A job offer is needed to decide; the case gives none.", "Een baanaanbod is nodig om te beslissen; de casus noemt er geen."),
        (Code::BlueCard(BlueCard::Qualification), "experience", _) => if en { write!(f, "{a} of relevant professional experience replaces the diploma (at least {r}).") } else { write!(f, "{a} relevante werkervaring vervangt het diploma (ten minste {r}).") },
        (Code::BlueCard(BlueCard::Qualification), "bachelor_assumed_three_years", _) => if en { write!(f, "A bachelor's degree is taken as a higher-education programme of at least {r}; give `duration_months` if it was shorter.") } else { write!(f, "Een bachelordiploma wordt gezien als een hogere opleiding van ten minste {r}; geef `duration_months` als die korter was.") },
        (Code::BlueCard(BlueCard::Qualification), _, CheckStatus::Pass) => if en { write!(f, "The person holds a higher-education qualification ({a}) of a programme of at least {r}; a foreign diploma is evaluated (IDW/Nuffic).") } else { write!(f, "De persoon heeft een hogere opleiding ({a}) van ten minste {r}; een buitenlands diploma wordt gewaardeerd (IDW/Nuffic).") },
        (Code::BlueCard(BlueCard::Qualification), _, CheckStatus::Fail) => if en { write!(f, "No higher-education programme of at least {r} (nor, where it applies, enough professional experience) is given.") } else { write!(f, "Geen hogere opleiding van ten minste {r} (en, waar dat geldt, niet genoeg werkervaring) opgegeven.") },
        (Code::BlueCard(BlueCard::Qualification), _, _) => super::put(f, en, "The person's education is needed to decide.", "De opleiding van de persoon is nodig om te beslissen."),
        (Code::BlueCard(BlueCard::ContractLength), "indefinite", _) => super::put(f, en, "The contract is for an indefinite period, which meets the minimum length.", "Het contract is voor onbepaalde tijd en voldoet aan de minimumduur."),
        (Code::BlueCard(BlueCard::ContractLength), _, CheckStatus::Pass) => if en { write!(f, "The contract runs {a}, at least the {r} required.") } else { write!(f, "Het contract loopt {a}, ten minste de vereiste {r}.") },
        (Code::BlueCard(BlueCard::ContractLength), _, CheckStatus::Fail) => if en { write!(f, "The contract runs {a}; at least {r} is required.") } else { write!(f, "Het contract loopt {a}; ten minste {r} is vereist.") },
        (Code::BlueCard(BlueCard::ContractLength), _, _) => super::put(f, en, "The contract's end is needed to check its length.", "Het einde van het contract is nodig om de duur te controleren."),
        (Code::BlueCard(BlueCard::Threshold), "blue_card_graduate", _) => if en { write!(f, "A higher-education diploma obtained on {a}, within three years before the application, gives the lower threshold for recent graduates.") } else { write!(f, "Een diploma behaald op {a}, binnen drie jaar voor de aanvraag, geeft de lagere norm voor recent afgestudeerden.") },
        (Code::BlueCard(BlueCard::Threshold), _, _) => super::put(f, en, "The standard Blue Card threshold applies, the same at every age.", "De standaardnorm voor de blauwe kaart geldt, gelijk voor elke leeftijd."),
        (Code::BlueCard(BlueCard::Salary), _, CheckStatus::Pass) => if en { write!(f, "The salary that counts, {a}, meets the {band} Blue Card threshold of {r}.") } else { write!(f, "Het salaris dat telt, {a}, voldoet aan de {band}norm voor de blauwe kaart van {r}.") },
        (Code::BlueCard(BlueCard::Salary), _, CheckStatus::Fail) => if en { write!(f, "The salary that counts, {a}, is below the {band} Blue Card threshold of {r}. Holiday allowance, benefits in kind and irregular pay do not count.") } else { write!(f, "Het salaris dat telt, {a}, is lager dan de {band}norm voor de blauwe kaart van {r}. Vakantiegeld, vergoedingen in natura en onregelmatige betalingen tellen niet mee.") },
        (Code::BlueCard(BlueCard::Salary), _, _) => if en { write!(f, "The gross monthly salary is needed to compare with the threshold of {r}.") } else { write!(f, "Het bruto maandsalaris is nodig om te vergelijken met de norm van {r}.") },
        (Code::BlueCard(BlueCard::Sponsor), _, _) => super::put(f, en, "The employer need not be a recognised sponsor for a Blue Card (a recognised sponsor gets a faster decision).", "De werkgever hoeft geen erkend referent te zijn voor een blauwe kaart (een erkend referent krijgt sneller een beslissing)."),
        (Code::BlueCard(BlueCard::Validity), "missing", _) => super::put(f, en, "The contract's end is needed to give the card's end date.", "Het einde van het contract is nodig voor de einddatum van de kaart."),
        (Code::BlueCard(BlueCard::Validity), "contract_end_plus_three_months", _) => if en { write!(f, "The card would run until {a}: the contract's end plus three months.") } else { write!(f, "De kaart zou lopen tot {a}: het einde van het contract plus drie maanden.") },
        (Code::BlueCard(BlueCard::Validity), _, _) => if en { write!(f, "The card would run until {a}: at most {r}.") } else { write!(f, "De kaart zou lopen tot {a}: ten hoogste {r}.") },
        _ => return None,
    })
}
