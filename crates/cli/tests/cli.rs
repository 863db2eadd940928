//! The `verblijf` binary, run as a user would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn verblijf(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_verblijf"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run verblijf");
    if let Some(s) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(s.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_explains_the_example_in_english_and_dutch() {
    let en = verblijf(&["check", "examples/engineer-29.yaml"], None);
    assert!(en.status.success(), "{}", stderr(&en));
    let out = stdout(&en);
    assert!(
        out.contains("Highly skilled migrant (kennismigrant) — eligible"),
        "{out}"
    );
    assert!(
        out.contains("file on or before 2026-09-13 to keep the under-30 criterion"),
        "{out}"
    );
    assert!(out.contains("hsm.salary_under30"), "{out}");
    let nl = verblijf(
        &["check", "examples/engineer-29.yaml", "--lang", "nl"],
        None,
    );
    assert!(
        stdout(&nl).contains("Kennismigrant — komt in aanmerking"),
        "{}",
        stdout(&nl)
    );
}

#[test]
fn check_json_carries_the_receipt_and_every_check() {
    let o = verblijf(&["check", "examples/engineer-29.yaml", "--json"], None);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["receipt"]["reference_date"], "2026-03-02");
    assert_eq!(v["receipt"]["params_hash"].as_str().map(str::len), Some(64));
    let hsm = &v["decisions"][0];
    assert_eq!(hsm["scheme"], "highly_skilled_migrant");
    assert_eq!(hsm["outcome"], "eligible");
    let salary = hsm["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["code"] == "HSM-SALARY")
        .expect("salary check");
    assert_eq!(salary["required"]["amount"], "4357.00");
    assert!(salary["reason"]["nl"]
        .as_str()
        .expect("nl")
        .contains("voldoet"));
    assert!(salary["citation"]["url"]
        .as_str()
        .expect("url")
        .starts_with("https://"));
}

#[test]
fn the_date_flag_moves_the_person_into_the_30_plus_band() {
    let o = verblijf(
        &[
            "check",
            "examples/engineer-29.yaml",
            "--date",
            "2026-09-14",
            "--json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["decisions"][0]["criterion"]["band"], "30plus");
    assert_eq!(v["decisions"][0]["outcome"], "not_eligible");
}

#[test]
fn a_negative_salary_names_the_file_line_and_field_and_exits_3() {
    let o = verblijf(
        &["check", "-"],
        Some("reference_date: 2025-01-01\nperson:\n  job_offer:\n    gross_monthly_salary: -5\n"),
    );
    assert_eq!(o.status.code(), Some(3));
    let e = stderr(&o);
    assert!(e.contains("standard input: line 4"), "{e}");
    assert!(e.contains("person.job_offer.gross_monthly_salary"), "{e}");
}

#[test]
fn malformed_yaml_and_unknown_kinds_exit_3_without_a_panic() {
    for bad in [
        "reference_date: [\n",
        "reference_date: 2025-13-01\nperson: {}\n",
        "reference_date: 2025-01-01\nperson:\n  permits: [{kind: tourist, from: 2020-01-01}]\n",
        "{\"reference_date\": 5}",
    ] {
        let o = verblijf(&["check", "-"], Some(bad));
        assert_eq!(o.status.code(), Some(3), "{bad}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn a_missing_file_exits_4() {
    let o = verblijf(&["check", "no-such-case.yaml"], None);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("no-such-case.yaml"));
}

#[test]
fn params_show_the_2013_yearly_and_2026_monthly_tables() {
    let o = verblijf(&["params", "hsm.", "--date", "2013-06-01"], None);
    let out = stdout(&o);
    assert!(
        out.contains("€52,010.00 a year, including holiday allowance"),
        "{out}"
    );
    assert!(out.contains("€38,141.00 a year"), "{out}");
    let o = verblijf(&["params", "hsm.", "--date", "2026-06-01"], None);
    let out = stdout(&o);
    assert!(
        out.contains("€5,942.00 a month, excluding holiday allowance"),
        "{out}"
    );
    assert!(out.contains("€4,357.00"), "{out}");
    assert!(out.contains("€3,122.00"), "{out}");
}

#[test]
fn params_say_when_no_value_is_known() {
    let o = verblijf(
        &["params", "hsm.salary_30plus", "--date", "2027-01-05"],
        None,
    );
    assert!(
        stdout(&o).contains("no value known for 2027-01-05"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn another_parameter_folder_is_validated_when_loaded() {
    let dir = std::env::temp_dir().join(format!("verblijf-params-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("hsm")).expect("mkdir");
    std::fs::write(dir.join("hsm/in_force.yaml"), "title: {en: x, nl: y}\nunit: boolean\nvalues:\n  - value: true\n    source: https://example.org\n    status: verified\n    checked: 2026-01-01\n").expect("write");
    let o = verblijf(
        &[
            "--params",
            dir.to_str().expect("utf8"),
            "check",
            "examples/engineer-29.yaml",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("has no parameter"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn schema_prints_the_committed_json_schema() {
    let o = verblijf(&["schema"], None);
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/case.schema.json"
    ))
    .expect("schema file");
    assert!(
        stdout(&o) == committed,
        "docs/case.schema.json differs from `verblijf schema`"
    );
}

#[test]
fn can_work_answers_for_a_partner_of_a_highly_skilled_migrant() {
    let o = verblijf(
        &[
            "can-work",
            "examples/household-four.yaml",
            "--person",
            "ben",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("free to work, no work permit (TWV) needed"),
        "{out}"
    );
    assert!(out.contains("Until: 2026-08-31"), "{out}");
    assert!(
        out.contains("nothing: no work permit and no salary criterion"),
        "{out}"
    );
    assert!(
        out.contains("work.family_of_highly_skilled_migrant"),
        "{out}"
    );
    let nl = verblijf(
        &[
            "can-work",
            "examples/household-four.yaml",
            "--person",
            "ben",
            "--lang",
            "nl",
        ],
        None,
    );
    assert!(
        stdout(&nl).contains("arbeid vrij toegestaan, TWV niet vereist"),
        "{}",
        stdout(&nl)
    );
}

#[test]
fn can_work_after_the_sponsors_permit_ends_is_not_allowed() {
    let o = verblijf(
        &[
            "can-work",
            "examples/household-four.yaml",
            "--person",
            "ben",
            "--date",
            "2026-09-01",
            "--json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["status"], "not_allowed", "{v}");
}

#[test]
fn can_work_names_an_unknown_person() {
    let o = verblijf(
        &[
            "can-work",
            "examples/household-four.yaml",
            "--person",
            "zoe",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("no person with id `zoe`") && stderr(&o).contains("anna"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_shows_every_member_of_a_household() {
    let o = verblijf(&["check", "examples/household-four.yaml"], None);
    let out = stdout(&o);
    for id in [
        "── anna ──",
        "── ben ──",
        "── cleo ──",
        "── dev ──",
        "All deadlines",
    ] {
        assert!(out.contains(id), "{id}: {out}");
    }
    let j = verblijf(&["check", "examples/household-four.yaml", "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&stdout(&j)).expect("json");
    assert_eq!(v["members"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["members"][1]["work_rights"]["status"], "free");
}

#[test]
fn timeline_writes_an_svg_with_every_person_and_deadline() {
    let out = std::env::temp_dir().join(format!("verblijf-timeline-{}.svg", std::process::id()));
    let o = verblijf(
        &[
            "timeline",
            "examples/household-four.yaml",
            "--out",
            out.to_str().expect("utf8"),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).expect("svg written");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for id in ["anna", "ben", "cleo", "dev", "2026-08-31", "Deadlines"] {
        assert!(svg.contains(id), "{id} missing");
    }
    std::fs::remove_file(&out).ok();
}

#[test]
fn the_committed_timeline_picture_is_up_to_date() {
    let o = verblijf(&["timeline", "examples/household-four.yaml"], None);
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/household-four.svg"
    ))
    .unwrap_or_default();
    assert!(stdout(&o) == committed, "docs/household-four.svg is stale: run `cargo run -q -- timeline examples/household-four.yaml --out docs/household-four.svg`");
}

#[test]
fn batch_reads_and_writes_parquet_and_arrow_by_extension_with_the_same_results_as_csv() {
    let dir = std::env::temp_dir().join(format!("verblijf-cli-columnar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    for out in ["pop.csv", "pop.parquet", "pop.feather"] {
        let g = verblijf(
            &[
                "generate",
                "500",
                "--seed",
                "3",
                "--from",
                "2026-01-01",
                "--until",
                "2027-12-31",
                "--out",
                &p(out),
            ],
            None,
        );
        assert!(g.status.success(), "{}", stderr(&g));
    }
    let csv = verblijf(&["batch", &p("pop.csv"), "--out", &p("from-csv.csv")], None);
    assert!(csv.status.success(), "{}", stderr(&csv));
    let expected = std::fs::read_to_string(p("from-csv.csv")).expect("results");
    assert_eq!(expected.lines().count(), 501);
    for input in ["pop.parquet", "pop.feather"] {
        let o = verblijf(&["batch", &p(input), "--out", &p("r.csv")], None);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("500 rows read"), "{}", stderr(&o));
        assert_eq!(
            std::fs::read_to_string(p("r.csv")).expect("results"),
            expected,
            "{input}"
        );
    }
    // Parquet out, then that file read back and written as CSV through a batch of its own is not possible (results
    // are not a roster), so the Parquet results are checked by their shape: a Parquet file with the result rows.
    let o = verblijf(
        &["batch", &p("pop.parquet"), "--out", &p("results.parquet")],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(p("results.parquet")).expect("results");
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
    let o = verblijf(
        &["batch", &p("pop.parquet"), "--out", &p("results.arrow")],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        &std::fs::read(p("results.arrow")).expect("results")[..6],
        b"ARROW1"
    );
    // A roster as Parquet is read by `simulate` too.
    let s = verblijf(
        &[
            "simulate",
            &p("pop.parquet"),
            "--reform",
            "examples/reforms/hsm-2027-proposal.yaml",
            "--out",
            &p("report.html"),
        ],
        None,
    );
    assert!(s.status.success(), "{}", stderr(&s));
    assert!(stderr(&s).contains("500 people"), "{}", stderr(&s));
    assert!(!stderr(&s).contains("touches no row"), "{}", stderr(&s));
}

#[test]
fn simulate_warns_when_the_reforms_dates_touch_no_row_of_the_population() {
    let dir = std::env::temp_dir().join(format!("verblijf-cli-untouched-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let pop = dir.join("pop.csv").to_string_lossy().into_owned();
    let g = verblijf(
        &[
            "generate",
            "200",
            "--from",
            "2015-01-01",
            "--until",
            "2020-12-31",
            "--out",
            &pop,
        ],
        None,
    );
    assert!(g.status.success(), "{}", stderr(&g));
    let report = dir.join("report.html").to_string_lossy().into_owned();
    let s = verblijf(
        &[
            "simulate",
            &pop,
            "--reform",
            "examples/reforms/hsm-2027-proposal.yaml",
            "--out",
            &report,
        ],
        None,
    );
    assert!(s.status.success(), "{}", stderr(&s));
    let err = stderr(&s);
    assert!(
        err.contains("warning: examples/reforms/hsm-2027-proposal.yaml: the reform touches no row"),
        "{err}"
    );
    assert!(err.contains("0 outcomes change"), "{err}");
}

#[test]
fn a_file_that_is_not_parquet_is_refused_with_its_name() {
    let dir = std::env::temp_dir().join(format!("verblijf-cli-notparquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let f = dir.join("roster.parquet");
    std::fs::write(&f, "id,reference_date\na,2026-01-01\n").expect("write");
    let o = verblijf(
        &[
            "batch",
            &f.to_string_lossy(),
            "--out",
            &dir.join("o.csv").to_string_lossy(),
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("roster.parquet: not a Parquet file"),
        "{}",
        stderr(&o)
    );
}
