//! Golden cases: every file under `tests/cases/` (at the repository root) is a case with the outcomes it must
//! produce. One harness runs them all and reports every mismatch at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use verblijf_rules::case::Scheme;
use verblijf_rules::{assess, parse_case, Format, ParamSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Golden {
    #[allow(dead_code)]
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    case: serde_norway::Value,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Outcome per scheme (schemes not listed are not checked).
    #[serde(default)]
    outcomes: BTreeMap<Scheme, String>,
    #[serde(default)]
    checks: Vec<ExpectCheck>,
    #[serde(default)]
    permit_end: BTreeMap<Scheme, NaiveDate>,
    /// Criterion band compared (`30plus`, `under30`, `reduced`, ...), per scheme.
    #[serde(default)]
    criterion: BTreeMap<Scheme, String>,
    /// Money shortfall (per month excluding holiday allowance) per scheme.
    #[serde(default)]
    shortfall_monthly: BTreeMap<Scheme, String>,
    /// Fields that must be reported missing, per scheme.
    #[serde(default)]
    missing: BTreeMap<Scheme, Vec<String>>,
    /// Parameters that must appear as caveats, per scheme.
    #[serde(default)]
    caveats: BTreeMap<Scheme, Vec<String>>,
    /// Households: each named person's right to work on the reference date (`free`, `twv_required`, ...).
    #[serde(default)]
    work: BTreeMap<String, String>,
    /// Households: what an employer needs per person (`nothing`, `work_permit`, ...).
    #[serde(default)]
    employer_needs: BTreeMap<String, String>,
    /// Households: the last day each person's right to work holds.
    #[serde(default)]
    work_until: BTreeMap<String, NaiveDate>,
    /// Households: the family-member decision per person (`eligible`, `not_eligible`, `unknown`, `none`).
    #[serde(default)]
    family_outcome: BTreeMap<String, String>,
    /// Households: the end date of the family-member permit per person.
    #[serde(default)]
    family_end: BTreeMap<String, NaiveDate>,
    /// Households: conversions per person: target -> outcome.
    #[serde(default)]
    conversions: BTreeMap<String, BTreeMap<String, String>>,
    /// Households: deadlines that must be listed, per person, as `kind@YYYY-MM-DD`.
    #[serde(default)]
    deadlines: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectCheck {
    scheme: Scheme,
    code: String,
    status: String,
    #[serde(default)]
    variant: Option<String>,
}

fn check_household(
    rel: &str,
    case: &verblijf_rules::Case,
    params: &ParamSet,
    x: &Expect,
    failures: &mut Vec<String>,
) {
    let h = verblijf_rules::assess_household(case, params);
    let member = |id: &str| {
        h.members
            .iter()
            .find(|m| m.id.as_deref() == Some(id) || (id == "person" && case.person.is_some()))
    };
    for (id, want) in &x.work {
        match member(id) {
            None => failures.push(format!("{rel}: no person {id}")),
            Some(m) if m.work_rights.status.as_str() != want => failures.push(format!(
                "{rel}: {id} may work `{}`, expected `{want}` ({})",
                m.work_rights.status.as_str(),
                m.work_rights.reason.get(verblijf_rules::Lang::En)
            )),
            _ => {}
        }
    }
    for (id, want) in &x.employer_needs {
        let got = member(id).map(|m| {
            serde_json::to_value(m.work_rights.employer_needs)
                .expect("json")
                .as_str()
                .unwrap_or_default()
                .to_string()
        });
        if got.as_deref() != Some(want.as_str()) {
            failures.push(format!(
                "{rel}: {id} employer needs {got:?}, expected {want}"
            ));
        }
    }
    for (id, want) in &x.work_until {
        let got = member(id).and_then(|m| m.work_rights.until);
        if got != Some(*want) {
            failures.push(format!(
                "{rel}: {id} may work until {got:?}, expected {want}"
            ));
        }
    }
    for (id, want) in &x.family_outcome {
        let got = member(id).map(|m| {
            m.family_member
                .as_ref()
                .map_or("none", |d| d.outcome.as_str())
        });
        if got != Some(want.as_str()) {
            let checks = member(id)
                .and_then(|m| m.family_member.as_ref())
                .map(|d| {
                    d.checks
                        .iter()
                        .map(|c| format!("{}:{}:{:?}", c.code, c.variant, c.status))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            failures.push(format!(
                "{rel}: {id} family permit {got:?}, expected {want} [{checks}]"
            ));
        }
    }
    for (id, want) in &x.family_end {
        let got = member(id)
            .and_then(|m| m.family_member.as_ref())
            .and_then(|d| d.permit.as_ref())
            .map(|p| p.end);
        if got != Some(*want) {
            failures.push(format!(
                "{rel}: {id} family permit ends {got:?}, expected {want}"
            ));
        }
    }
    for (id, targets) in &x.conversions {
        let Some(m) = member(id) else {
            failures.push(format!("{rel}: no person {id}"));
            continue;
        };
        for (to, want) in targets {
            let got = m
                .conversions
                .iter()
                .find(|c| c.to == to)
                .map(|c| c.outcome.as_str());
            if got != Some(want.as_str()) {
                failures.push(format!(
                    "{rel}: {id} conversion to {to}: {got:?}, expected {want}"
                ));
            }
        }
    }
    for (id, wanted) in &x.deadlines {
        let Some(m) = member(id) else {
            failures.push(format!("{rel}: no person {id}"));
            continue;
        };
        let have: Vec<String> = m
            .deadlines
            .iter()
            .map(|d| format!("{}@{}", d.kind, d.date))
            .collect();
        for w in wanted {
            if !have.contains(w) {
                failures.push(format!(
                    "{rel}: {id} lacks deadline {w} (has {})",
                    have.join(", ")
                ));
            }
        }
    }
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("tests/cases exists") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// Every golden case that reads and parses, with its file (the first test reports those that do not).
fn readable_cases() -> Vec<(PathBuf, verblijf_rules::Case)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).expect("read case");
            let golden = serde_norway::from_str::<Golden>(&text).ok()?;
            let case_text = serde_norway::to_string(&golden.case).expect("re-serialise case");
            let case = parse_case(&case_text, Format::Yaml).ok()?;
            Some((f, case))
        })
        .collect()
}

#[test]
fn every_golden_case_gives_its_expected_outcomes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    files.sort();
    assert!(
        files.len() >= 80,
        "expected at least 80 golden cases, found {}",
        files.len()
    );
    let params = ParamSet::embedded().expect("embedded parameters load");
    let mut failures = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        let text = std::fs::read_to_string(f).expect("read case");
        let golden: Golden = match serde_norway::from_str(&text) {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("{rel}: cannot read golden file: {e}"));
                continue;
            }
        };
        let case_text = serde_norway::to_string(&golden.case).expect("re-serialise case");
        let case = match parse_case(&case_text, Format::Yaml) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{rel}: case does not parse: {e}"));
                continue;
            }
        };
        let x = &golden.expect;
        if !case.people.is_empty() || !x.work.is_empty() || !x.deadlines.is_empty() {
            check_household(&rel, &case, &params, x, &mut failures);
            if case.person.is_none() {
                continue;
            }
        }
        let a = assess(&case, &params);
        for (scheme, want) in &x.outcomes {
            let got = a
                .decision(*scheme)
                .map(|d| d.outcome.as_str())
                .unwrap_or("?");
            if got != want {
                let d = a.decision(*scheme).expect("decision");
                let checks: Vec<String> = d
                    .checks
                    .iter()
                    .map(|c| format!("{}:{}:{:?}", c.code, c.variant, c.status))
                    .collect();
                failures.push(format!(
                    "{rel}: {} outcome {got}, expected {want} [{}]",
                    scheme.as_str(),
                    checks.join(", ")
                ));
            }
        }
        for ec in &x.checks {
            let d = a.decision(ec.scheme).expect("decision");
            match d.check(&ec.code) {
                None => failures.push(format!(
                    "{rel}: {} has no check {}",
                    ec.scheme.as_str(),
                    ec.code
                )),
                Some(c) => {
                    let status = serde_json::to_value(c.status)
                        .expect("status")
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    if status != ec.status {
                        failures.push(format!(
                            "{rel}: {} status {status}, expected {}",
                            ec.code, ec.status
                        ));
                    }
                    if let Some(v) = &ec.variant {
                        if c.variant != v {
                            failures.push(format!(
                                "{rel}: {} variant {}, expected {v}",
                                ec.code, c.variant
                            ));
                        }
                    }
                }
            }
        }
        for (scheme, want) in &x.permit_end {
            let got = a
                .decision(*scheme)
                .and_then(|d| d.permit.as_ref())
                .map(|p| p.end);
            if got != Some(*want) {
                failures.push(format!(
                    "{rel}: {} permit end {got:?}, expected {want}",
                    scheme.as_str()
                ));
            }
        }
        for (scheme, want) in &x.criterion {
            let got = a
                .decision(*scheme)
                .and_then(|d| d.criterion.as_ref())
                .map(|c| c.band);
            if got != Some(want.as_str()) {
                failures.push(format!(
                    "{rel}: {} criterion {got:?}, expected {want}",
                    scheme.as_str()
                ));
            }
        }
        for (scheme, want) in &x.shortfall_monthly {
            let d = a.decision(*scheme).expect("decision");
            let got = d.checks.iter().find_map(|c| match &c.change {
                Some(verblijf_rules::decision::Change::RaiseSalary {
                    shortfall_monthly, ..
                }) => Some(shortfall_monthly.to_plain()),
                _ => None,
            });
            if got.as_deref() != Some(want.as_str()) {
                failures.push(format!(
                    "{rel}: {} monthly shortfall {got:?}, expected {want}",
                    scheme.as_str()
                ));
            }
        }
        for (scheme, fields) in &x.missing {
            let d = a.decision(*scheme).expect("decision");
            for f in fields {
                if !d.missing.iter().any(|m| m == f) {
                    failures.push(format!(
                        "{rel}: {} does not report {f} missing (reports {:?})",
                        scheme.as_str(),
                        d.missing
                    ));
                }
            }
        }
        for (scheme, params) in &x.caveats {
            let d = a.decision(*scheme).expect("decision");
            for p in params {
                if !d.caveats.iter().any(|c| c.param == p) {
                    failures.push(format!("{rel}: {} has no caveat on {p}", scheme.as_str()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn outcome_only_decisions_give_the_outcomes_criteria_and_terms_of_full_ones() {
    use verblijf_rules::household::{decide_family_member, decide_family_member_as};
    use verblijf_rules::{assess_as, Record};
    let params = ParamSet::embedded().expect("embedded parameters load");
    let mut compared = 0;
    let mut failures = Vec::new();
    for (f, case) in &readable_cases() {
        for person in case.member_slice() {
            let mc = case.member_view(person);
            let full = assess(&mc, &params);
            let lean = assess_as(&mc, &params, Record::Outcomes);
            assert!(lean.decisions.iter().all(|d| d.checks.is_empty()));
            let key = |a: &verblijf_rules::Assessment| {
                a.decisions
                    .iter()
                    .map(|d| (d.scheme, d.outcome, d.criterion.clone(), d.permit.clone()))
                    .collect::<Vec<_>>()
            };
            if key(&full) != key(&lean) || full.eligible != lean.eligible {
                failures.push(format!("{}: {:?}", f.display(), person.id));
            }
            if case.person.is_none() {
                let a = decide_family_member(&params, &case, person);
                let b = decide_family_member_as(&params, &case, person, Record::Outcomes);
                if (a.outcome, &a.permit) != (b.outcome, &b.permit) {
                    failures.push(format!("{}: family member {:?}", f.display(), person.id));
                }
            }
            compared += 1;
        }
    }
    assert!(compared >= 400, "compared only {compared} people");
    assert!(failures.is_empty(), "differ:\n{}", failures.join("\n"));
}

/// Every Dutch text of every answer to a golden case writes its dates the Dutch way (`2 maart 2026`, never
/// `2026-03-02`) and is not the English text (a long sentence the same in both languages was left untranslated).
#[test]
fn the_dutch_texts_of_every_golden_answer_write_dates_in_words_and_are_not_the_english() {
    use serde_json::Value;
    fn iso_date(s: &str) -> bool {
        let b = s.as_bytes();
        b.windows(10).any(|w| {
            w.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            })
        })
    }
    fn walk(v: &Value, at: &str, bad: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let (Some(Value::String(en)), Some(Value::String(nl))) =
                    (m.get("en"), m.get("nl"))
                {
                    if iso_date(nl) {
                        bad.push(format!("{at}: a date in figures: {nl}"));
                    }
                    if en == nl && en.len() > 40 {
                        bad.push(format!("{at}: the same in English and Dutch: {nl}"));
                    }
                }
                for (k, v) in m {
                    walk(v, &format!("{at}.{k}"), bad);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(v, &format!("{at}[{i}]"), bad);
                }
            }
            _ => {}
        }
    }
    let params = ParamSet::embedded().expect("embedded parameters load");
    let (mut seen, mut bad) = (0, Vec::new());
    for (f, case) in &readable_cases() {
        let answer = serde_json::to_value(verblijf_rules::assess_household(case, &params))
            .expect("serialise");
        walk(&answer, &f.display().to_string(), &mut bad);
        seen += 1;
    }
    assert!(seen >= 300, "read only {seen} cases");
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} Dutch texts:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
