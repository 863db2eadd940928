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

fn ten_percent_report() -> verblijf_roster::simulate::Report {
    let params = ParamSet::embedded().expect("params");
    let (reform, reformed) =
        verblijf_roster::simulate::apply(&params, REFORM).expect("reform applies");
    let (cases, _) = verblijf_roster::row::read_roster(POPULATION.as_bytes()).expect("roster");
    verblijf_roster::simulate::compare(&cases, &params, &reformed, reform, 2)
}

#[test]
fn the_flips_are_grouped_by_the_deciding_check_with_their_count_and_example_people() {
    let report = ten_percent_report();
    assert_eq!(report.groups.len(), 1, "{:?}", report.groups);
    let g = &report.groups[0];
    assert_eq!(
        (g.scheme, g.before, g.after, g.check.as_str(), g.count),
        (
            Scheme::HighlySkilledMigrant,
            Outcome::Eligible,
            Outcome::NotEligible,
            "HSM-SALARY",
            2
        )
    );
    assert_eq!(g.examples, ["at_criterion", "one_cent_short_after"]);
    assert!(!g.reason_en.is_empty() && g.reason_en != g.reason_nl);
}

#[test]
fn the_report_gives_each_parameter_before_and_after_and_the_groups_by_age_and_salary() {
    let report = ten_percent_report();
    assert_eq!(report.params.len(), 1);
    let p = &report.params[0];
    assert_eq!(p.param, "hsm.salary_30plus");
    assert_eq!(
        (p.before.as_str(), p.after.as_str()),
        ("€5,942.00", "€6,536.20")
    );
    let age = &report.breakdowns["age"];
    assert_eq!(age["40–49"].people, 4);
    assert_eq!(age["40–49"].eligible, (4, 2));
    assert_eq!(age["25–29"].eligible, (1, 1));
    let salary = &report.breakdowns["salary"];
    assert_eq!(salary["€5,000–5,999"].not_eligible, (0, 1));
    assert_eq!(salary["€6,000–6,999"].not_eligible, (0, 1));
    assert_eq!(report.breakdowns["criterion"]["30plus"].people, 4);
}

#[test]
fn the_report_reads_in_english_and_dutch_with_fewer_eligible_in_red_and_readable_scheme_names() {
    let report = ten_percent_report();
    let en = verblijf_roster::simulate::html_in(&report, verblijf_rules::Lang::En);
    let nl = verblijf_roster::simulate::html_in(&report, verblijf_rules::Lang::Nl);
    assert!(en.contains("<html lang=\"en\">") && nl.contains("<html lang=\"nl\">"));
    assert!(en.contains("EU Blue Card") && !en.contains("eu blue card"));
    assert!(nl.contains("Europese blauwe kaart") && nl.contains("komt niet in aanmerking"));
    // Two fewer eligible (red), two more not eligible (red as well).
    assert!(
        en.contains("<td class=\"bad\">−2 (−40.0 %)</td>"),
        "eligible down"
    );
    assert!(en.contains("<td class=\"bad\">+2</td>"), "not eligible up");
    assert!(nl.contains("−2 (−40,0 %)"));
    for page in [&en, &nl] {
        assert!(page.contains(&report.baseline_hash) && page.contains(&report.reform_hash));
        assert!(page.contains("≥ 100 %") || page.contains("≤ −50 %"));
        assert!(!page.contains("<script"), "self-contained, no script");
    }
}
