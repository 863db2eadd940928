//! A small population whose flips under a reform are known in advance.

use verblijf_rules::{Outcome, ParamSet, Scheme};

const POPULATION: &str = "\
id,reference_date,birth_date,recognised_sponsor,gross_monthly_salary,contract_end
at_criterion,2026-03-01,1980-01-01,true,5942,indefinite
well_above,2026-03-01,1980-01-01,true,7000,indefinite
under_30,2026-03-01,2000-01-01,true,4400,indefinite
just_enough_after,2026-03-01,1980-01-01,true,6536.20,indefinite
one_cent_short_after,2026-03-01,1980-01-01,true,6536.19,indefinite
";

const REFORM: &str = "\
name: plus ten percent
overrides:
  - { param: hsm.salary_30plus, from: 2026-01-01, until: 2026-12-31, percent: 110 }
";

#[test]
fn a_ten_percent_higher_criterion_flips_exactly_the_people_between_the_old_and_new_amount() {
    let params = ParamSet::embedded().expect("params");
    let (reform, reformed) =
        verblijf_roster::simulate::apply(&params, REFORM).expect("reform applies");
    let (cases, errors) = verblijf_roster::row::read_roster(POPULATION.as_bytes()).expect("roster");
    assert!(errors.is_empty(), "{errors:?}");
    let report = verblijf_roster::simulate::compare(&cases, &params, &reformed, reform, 2);
    let flipped: Vec<(&str, Scheme, Outcome, Outcome)> = report
        .flips
        .iter()
        .map(|f| (f.id.as_str(), f.scheme, f.before, f.after))
        .collect();
    assert_eq!(
        flipped,
        [
            (
                "at_criterion",
                Scheme::HighlySkilledMigrant,
                Outcome::Eligible,
                Outcome::NotEligible
            ),
            (
                "one_cent_short_after",
                Scheme::HighlySkilledMigrant,
                Outcome::Eligible,
                Outcome::NotEligible
            ),
        ]
    );
    assert!(
        report.flips[0].why.starts_with("HSM-SALARY"),
        "{}",
        report.flips[0].why
    );
    let hsm = &report.counts[&Scheme::HighlySkilledMigrant];
    assert_eq!(hsm[&Outcome::Eligible], (5, 3));
    assert_ne!(report.baseline_hash, report.reform_hash);
    let html = verblijf_roster::simulate::html(&report);
    assert!(
        html.contains("<svg") && html.contains("at_criterion") && html.contains("5 → 3"),
        "report"
    );
}

#[test]
fn a_reform_naming_an_unknown_parameter_or_scaling_nothing_is_refused() {
    let params = ParamSet::embedded().expect("params");
    let e = verblijf_roster::simulate::apply(
        &params,
        "name: x\noverrides:\n  - { param: hsm.salary_40plus, from: 2026-01-01, percent: 110 }\n",
    )
    .unwrap_err();
    assert!(
        e.contains("overrides[0] (hsm.salary_40plus): no such parameter"),
        "{e}"
    );
    let e = verblijf_roster::simulate::apply(
        &params,
        "name: x\noverrides:\n  - { param: hsm.salary_30plus, from: 2030-01-01, percent: 110 }\n",
    )
    .unwrap_err();
    assert!(
        e.contains("no value in force from 2030-01-01 to scale"),
        "{e}"
    );
    let e = verblijf_roster::simulate::apply(
        &params,
        "name: x\noverrides:\n  - { param: hsm.salary_30plus, from: 2027-01-01, value: -5 }\n",
    )
    .unwrap_err();
    assert!(e.contains("value:"), "{e}");
}

#[test]
fn a_value_override_covers_a_year_the_law_does_not_yet_know() {
    let params = ParamSet::embedded().expect("params");
    let (_, reformed) = verblijf_roster::simulate::apply(&params, "name: x\noverrides:\n  - { param: hsm.salary_30plus, from: 2027-01-01, until: 2027-12-31, value: 6900 }\n").expect("applies");
    let d: chrono::NaiveDate = "2027-03-01".parse().expect("date");
    assert!(params.amount("hsm.salary_30plus", d).is_err());
    let (m, basis, v) = reformed.amount("hsm.salary_30plus", d).expect("covered");
    assert_eq!(m.to_plain(), "6900.00");
    assert_eq!(basis, verblijf_rules::params::Basis::MONTHLY_EXCLUDING);
    assert_eq!(v.source.status, verblijf_rules::params::Status::Proposed);
}
