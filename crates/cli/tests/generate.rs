//! `verblijf generate` with a chosen date range, and `verblijf simulate` on what it draws.

use std::process::{Command, Output};

fn verblijf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verblijf"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("run verblijf")
}

fn dates_of(csv: &str, column: &str) -> Vec<String> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let at = header.iter().position(|c| *c == column).expect(column);
    lines
        .filter_map(|l| l.split(',').nth(at).map(str::to_string))
        .filter(|d| !d.is_empty())
        .collect()
}

#[test]
fn generate_draws_every_reference_date_between_from_and_until_and_spreads_them_over_both_years() {
    let o = verblijf(&[
        "generate",
        "2000",
        "--from",
        "2026-01-01",
        "--until",
        "2027-12-31",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = String::from_utf8_lossy(&o.stdout);
    let dates = dates_of(&csv, "reference_date");
    assert_eq!(dates.len(), 2000);
    assert!(dates
        .iter()
        .all(|d| d.as_str() >= "2026-01-01" && d.as_str() <= "2027-12-31"));
    let in_2027 = dates.iter().filter(|d| d.starts_with("2027")).count();
    assert!((800..1200).contains(&in_2027), "{in_2027} of 2000 in 2027");
}

#[test]
fn generate_without_a_range_draws_from_2015_to_2026_as_before() {
    let o = verblijf(&["generate", "3000"]);
    assert!(o.status.success());
    let dates = dates_of(&String::from_utf8_lossy(&o.stdout), "reference_date");
    assert!(dates
        .iter()
        .all(|d| d.as_str() >= "2015-01-01" && d.as_str() <= "2026-12-31"));
    assert!(dates.iter().any(|d| d.starts_with("2015")));
    assert!(dates.iter().any(|d| d.starts_with("2026")));
}

#[test]
fn generate_refuses_an_until_before_from_naming_both() {
    let o = verblijf(&[
        "generate",
        "10",
        "--from",
        "2027-01-01",
        "--until",
        "2026-01-01",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--until 2026-01-01 is before --from 2027-01-01"),
        "{err}"
    );
}

#[test]
fn simulate_of_the_2027_proposal_changes_outcomes_on_a_2026_2027_population_without_a_warning() {
    let dir = std::env::temp_dir().join(format!("verblijf-generate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let g = verblijf(&[
        "generate",
        "2000",
        "--from",
        "2026-01-01",
        "--until",
        "2027-12-31",
        "--out",
        &p("pop.parquet"),
    ]);
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    let s = verblijf(&[
        "simulate",
        &p("pop.parquet"),
        "--reform",
        "examples/reforms/hsm-2027-proposal.yaml",
        "--out",
        &p("report.html"),
    ]);
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let err = String::from_utf8_lossy(&s.stderr);
    assert!(!err.contains("warning"), "{err}");
    assert!(!err.contains(" 0 outcomes change"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
