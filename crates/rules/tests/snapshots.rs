//! Full explanations, snapshot-tested: any change to a reason, a citation or a number shows up in review.

use verblijf_rules::{assess, parse_case, Format, Lang, ParamSet};

fn explain(yaml: &str) -> String {
    let params = ParamSet::embedded().expect("parameters");
    let case = parse_case(yaml, Format::Yaml).expect("case");
    let a = assess(&case, &params);
    let mut out = String::new();
    for d in &a.decisions {
        out.push_str(&format!(
            "== {} — {}\n",
            d.scheme.as_str(),
            d.outcome.as_str()
        ));
        for c in &d.checks {
            out.push_str(&format!(
                "{} [{}] {:?}\n  en: {}\n  nl: {}\n  cites: {} {}\n",
                c.code,
                c.variant,
                c.status,
                c.reason(Lang::En),
                c.reason(Lang::Nl),
                c.citation.param,
                c.citation
                    .source
                    .as_ref()
                    .map(|s| s.url.as_str())
                    .unwrap_or("-")
            ));
            if let Some(ch) = &c.change {
                out.push_str(&format!(
                    "  change: {}\n",
                    serde_json::to_string(ch).expect("json")
                ));
            }
        }
        for cv in &d.caveats {
            out.push_str(&format!("caveat: {}\n", cv.text().en));
        }
    }
    out
}

#[test]
fn explanation_of_a_29_year_old_engineer_in_2026() {
    insta::assert_snapshot!(explain(include_str!("../../../examples/engineer-29.yaml")));
}

#[test]
fn explanation_of_a_pre_2014_yearly_criterion_with_holiday_allowance() {
    insta::assert_snapshot!(explain(
        "reference_date: 2013-05-01\nperson:\n  birth_date: 1982-01-01\n  job_offer:\n    recognised_sponsor: true\n    gross_monthly_salary: 4100\n    contract_end: indefinite\n"
    ));
}

#[test]
fn explanation_of_a_2010_applicant_under_the_points_test() {
    insta::assert_snapshot!(explain(
        "reference_date: 2010-04-15\nperson:\n  birth_date: 1982-07-01\n  languages: [en]\n  education:\n    - level: master\n      provenance: foreign\n      graduation_date: 2008-07-01\n      rankings: [{ list: arwu, edition: 2007, position: 120 }]\n"
    ));
}

#[test]
fn explanation_of_a_dutch_graduate_on_the_reduced_criterion() {
    insta::assert_snapshot!(explain(
        "reference_date: 2025-09-01\nperson:\n  birth_date: 1998-02-01\n  education:\n    - level: master\n      provenance: dutch_accredited\n      graduation_date: 2023-06-30\n  job_offer:\n    recognised_sponsor: true\n    gross_monthly_salary: 2900\n    contract_start: 2025-10-01\n    contract_end: 2026-09-30\n"
    ));
}
