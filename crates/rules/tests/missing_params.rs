//! A figure missing for a date is an `unknown` check that names the parameter, never a number of the rules' own.
//! Each test loads the real parameter set with one parameter's values moved out of reach of the date assessed.

use std::path::{Path, PathBuf};

use verblijf_rules::{
    assess, assess_household, parse_case, CheckStatus, Decision, Format, Outcome, ParamSet,
};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("params dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// The parameter set of `params/`, with every value of `id` starting in 2100 instead of when it did.
fn params_without(id: &str) -> ParamSet {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../params");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    let target = root.join(id.replace('.', "/")).with_extension("yaml");
    let mut seen = false;
    let sources = paths.into_iter().map(|p| {
        let rel = p
            .strip_prefix(&root)
            .expect("under params")
            .with_extension("")
            .to_string_lossy()
            .replace('\\', "/");
        let mut text = std::fs::read_to_string(&p).expect("read");
        if p == target {
            seen = true;
            // Keep the last value only, starting in 2100.
            let (head, values) = text.split_once("values:\n").expect("a values list");
            let last = values
                .rsplit_once("\n  - ")
                .map_or(values.trim_start_matches("  - "), |(_, l)| l);
            let mut moved = format!("{head}values:\n  - from: 2100-01-01\n");
            for (i, line) in last.lines().enumerate() {
                let field = if i == 0 { line } else { line.trim_start() };
                if field.starts_with("from:") || field.starts_with("until:") {
                    continue;
                }
                moved.push_str("    ");
                moved.push_str(field);
                moved.push('\n');
            }
            text = moved;
        }
        (rel, text)
    });
    let sources: Vec<_> = sources.collect();
    assert!(seen, "no file for {id}");
    ParamSet::from_sources(sources).expect("the changed set loads")
}

const REDUCED_2024: &str = r#"
reference_date: 2024-06-15
person:
  birth_date: 1997-01-01
  education:
    - { level: master, provenance: dutch_accredited, graduation_date: 2023-06-30 }
  job_offer:
    recognised_sponsor: true
    gross_monthly_salary: "2801.00"
    contract_end: indefinite
application:
  kind: first
  scheme: highly_skilled_migrant
"#;

fn unknown_naming(id: &str, scheme: &str, case: &str) {
    let params = params_without(id);
    let case = parse_case(case, Format::Yaml).expect("case");
    let a = assess(&case, &params);
    let d = a
        .decisions
        .iter()
        .find(|d| d.scheme.as_str() == scheme)
        .expect("decision");
    names(d, id, scheme);
}

fn names(d: &Decision, id: &str, scheme: &str) {
    let named = d
        .checks
        .iter()
        .find(|c| c.citation.param == id && c.variant == "no_value");
    let named = named.unwrap_or_else(|| panic!("no check names {id}: {:#?}", d.checks));
    assert_eq!(named.status, CheckStatus::Unknown);
    assert_eq!(d.outcome, Outcome::Unknown, "{scheme} without {id}");
}

#[test]
fn reduced_criterion_without_a_graduation_window_is_unknown() {
    unknown_naming(
        "education.graduation_window_years",
        "highly_skilled_migrant",
        REDUCED_2024,
    );
}

#[test]
fn reduced_criterion_without_the_window_reading_is_unknown() {
    unknown_naming(
        "education.graduation_window_inclusive",
        "highly_skilled_migrant",
        REDUCED_2024,
    );
}

#[test]
fn blue_card_graduate_threshold_without_a_window_is_unknown() {
    let case = r#"
reference_date: 2024-06-15
person:
  birth_date: 1997-01-01
  education:
    - { level: master, provenance: dutch_accredited, graduation_date: 2023-06-30, duration_months: 24 }
  job_offer:
    recognised_sponsor: true
    gross_monthly_salary: "5000.00"
    contract_start: 2024-07-01
    contract_end: 2026-06-30
application:
  kind: first
  scheme: eu_blue_card
"#;
    unknown_naming("education.graduation_window_years", "eu_blue_card", case);
}

#[test]
fn partner_age_without_its_minimum_is_unknown() {
    let case = r#"
reference_date: 2026-03-02
people:
  - id: anna
    birth_date: 1990-01-01
    nationality: IN
    permits:
      - { kind: highly_skilled_migrant, from: 2025-01-01, until: 2030-01-01, criterion: 30plus }
    job_offer: { employer: Acme B.V., recognised_sponsor: true, gross_monthly_salary: 6000, contract_start: 2025-01-01, contract_end: indefinite }
  - id: ben
    birth_date: 1992-01-01
    nationality: IN
relationships:
  - { type: partner, partners: [anna, ben], form: married, from: 2018-05-05 }
"#;
    let id = "family.min_partner_age";
    let params = params_without(id);
    let case = parse_case(case, Format::Yaml).expect("case");
    let h = assess_household(&case, &params);
    let ben = h
        .members
        .iter()
        .find(|m| m.id.as_deref() == Some("ben"))
        .expect("ben");
    let d = ben
        .family_member
        .as_ref()
        .expect("ben's family-member decision");
    names(d, id, "family_member");
}

const DUTCH_MASTER_2025: &str = r#"
reference_date: 2025-02-03
person:
  birth_date: 1997-01-01
  education:
    - { level: master, provenance: dutch_accredited, graduation_date: 2024-07-01 }
"#;

#[test]
fn orientation_year_without_a_graduation_window_is_unknown() {
    unknown_naming(
        "education.graduation_window_years",
        "orientation_year",
        DUTCH_MASTER_2025,
    );
}

#[test]
fn orientation_year_without_the_window_reading_is_unknown() {
    unknown_naming(
        "education.graduation_window_inclusive",
        "orientation_year",
        DUTCH_MASTER_2025,
    );
}

#[test]
fn highly_skilled_migrant_without_its_condition_flags_is_unknown() {
    for id in [
        "hsm.market_conformity_required",
        "hsm.monthly_payment_required",
    ] {
        unknown_naming(id, "highly_skilled_migrant", REDUCED_2024);
    }
}

#[test]
fn orientation_year_without_its_language_flag_is_unknown() {
    let foreign = r#"
reference_date: 2025-02-03
person:
  birth_date: 1997-01-01
  education:
    - level: master
      provenance: foreign
      country: IN
      graduation_date: 2024-07-01
      rankings:
        - { list: qs, edition: 2024, position: 20 }
"#;
    unknown_naming(
        "orientation_year.language_requirement",
        "orientation_year",
        foreign,
    );
}

#[test]
fn orientation_year_without_its_once_rule_is_unknown() {
    unknown_naming(
        "orientation_year.repeat_after",
        "orientation_year",
        DUTCH_MASTER_2025,
    );
}

/// Every case of the golden suite (its `case:` part), as text the case parser reads.
fn golden_cases() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).expect("read case");
            let doc: serde_norway::Value = serde_norway::from_str(&text).expect("case YAML");
            let case = doc.get("case")?;
            let name = p
                .strip_prefix(&root)
                .expect("under cases")
                .display()
                .to_string();
            Some((name, serde_norway::to_string(case).expect("case YAML")))
        })
        .collect()
}

/// Each household member's family-member decision, where one is made.
fn family_decisions(case: &verblijf_rules::Case, params: &ParamSet) -> Vec<Decision> {
    assess_household(case, params)
        .members
        .into_iter()
        .filter_map(|m| m.family_member)
        .collect()
}

/// With any one parameter out of reach of the dates assessed, a decision whose outcome changes is `unknown` and
/// has a check naming that parameter: no parameter is skipped in silence or replaced by a figure of the rules'
/// own, across every golden case.
#[test]
fn any_parameter_missing_changes_an_outcome_only_to_unknown_naming_it() {
    let full = ParamSet::embedded().expect("the parameters load");
    let cases: Vec<_> = golden_cases()
        .into_iter()
        .map(|(name, text)| {
            let case = parse_case(&text, Format::Yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
            let before = assess(&case, &full);
            let family = family_decisions(&case, &full);
            (name, case, before, family)
        })
        .collect();
    assert!(cases.len() > 100, "the golden cases were found");
    let ids: Vec<String> = full.iter().map(|p| p.id.clone()).collect();
    let mut wrong = Vec::new();
    for id in &ids {
        let without = params_without(id);
        for (name, case, before, family) in &cases {
            let after = assess(case, &without);
            let family_after = family_decisions(case, &without);
            let pairs = before.decisions.iter().zip(&after.decisions);
            for (b, a) in pairs.chain(family.iter().zip(&family_after)) {
                if a.outcome == b.outcome {
                    continue;
                }
                let named = a
                    .checks
                    .iter()
                    .any(|c| c.variant == "no_value" && c.citation.param == id);
                if !(named && a.outcome == Outcome::Unknown) {
                    wrong.push(format!(
                        "{name}: without {id}, {} went {:?} -> {:?}",
                        a.scheme.as_str(),
                        b.outcome,
                        a.outcome
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} outcomes changed without naming the missing parameter:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
