//! The catalogue of bad inputs for the command line and the roster: each one given to the `verblijf` binary, which
//! must exit with the code shown and name the field at fault (on standard error, or for a roster row in the rejects
//! file, while the batch goes on). Never a panic. The table is the list in `docs/bad-inputs.md`; a test keeps the
//! two the same (`VERBLIJF_WRITE_DOCS=1` rewrites the list from the table).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

enum Input {
    /// A case file with this name and text, given to `check` (or to the command in `args`, where `{file}` is the
    /// file's path).
    Case(&'static str, String),
    /// A roster of the header and one row, given to `batch`: the row must be rejected, naming the column.
    Row(&'static str, String),
    /// A whole roster file given to `batch`.
    Roster(String),
    /// Only a command line.
    Args,
}

struct Bad {
    args: Vec<&'static str>,
    input: Input,
    exit: i32,
    field: Option<&'static str>,
    what: String,
}

fn case(
    name: &'static str,
    text: impl Into<String>,
    field: &'static str,
    what: impl Into<String>,
) -> Bad {
    Bad {
        args: vec!["check", "{file}"],
        input: Input::Case(name, text.into()),
        exit: 3,
        field: Some(field),
        what: what.into(),
    }
}

fn row(
    header: &'static str,
    row: impl Into<String>,
    field: &'static str,
    what: impl Into<String>,
) -> Bad {
    Bad {
        args: vec!["batch", "{file}"],
        input: Input::Row(header, row.into()),
        exit: 0,
        field: Some(field),
        what: what.into(),
    }
}

fn args(args: &[&'static str], exit: i32, field: Option<&'static str>, what: &str) -> Bad {
    Bad {
        args: args.to_vec(),
        input: Input::Args,
        exit,
        field,
        what: what.into(),
    }
}

fn case_cases() -> Vec<Bad> {
    let mut v = Vec::new();
    for (d, what) in [
        ("2026-02-30", "a day that does not exist"),
        ("2026-13-01", "a month that does not exist"),
        ("20260302", "a date without dashes"),
        ("next week", "words for a date"),
    ] {
        v.push(case(
            "case.yaml",
            format!("reference_date: {d}\nperson: {{}}\n"),
            "reference_date",
            format!("check (YAML): reference_date {what}"),
        ));
        v.push(case(
            "case.json",
            format!(r#"{{"reference_date":"2026-03-02","person":{{"birth_date":"{d}"}}}}"#),
            "person.birth_date",
            format!("check (JSON): person.birth_date {what}"),
        ));
    }
    for (yaml, field, what) in [
        (
            "reference_date: 2026-03-02\nperson:\n  nationality: XX1\n",
            "person.nationality",
            "a nationality of three characters",
        ),
        (
            "reference_date: 2026-03-02\nperson:\n  job_offer:\n    gross_monthly_salary: lots\n",
            "person.job_offer.gross_monthly_salary",
            "a salary that is a word",
        ),
        (
            "reference_date: 2026-03-02\nperson:\n  job_offer:\n    recognised_sponsor: perhaps\n",
            "person.job_offer.recognised_sponsor",
            "a word for a yes or no",
        ),
        (
            "reference_date: 2026-03-02\nperson:\n  education:\n    - level: kindergarten\n",
            "person.education[0].level",
            "an unknown education level",
        ),
        (
            "reference_date: 2026-03-02\nperson:\n  hair: red\n",
            "person.hair",
            "an unknown field in the person",
        ),
        (
            "reference_date: 2026-03-02\nperson: {}\napplication:\n  kind: renewal\n",
            "application.kind",
            "an unknown application kind",
        ),
        ("person: {}\n", "reference_date", "no reference date"),
        (
            "reference_date: 2026-03-02\nperson: {}\nperson: {}\n",
            "person",
            "a key given twice",
        ),
    ] {
        v.push(case(
            "case.yaml",
            yaml,
            field,
            format!("check (YAML): {what}"),
        ));
    }
    let mut can = case(
        "case.yaml",
        "reference_date: 2026-03-02\nperson:\n  nationality: 12\n",
        "person.nationality",
        "can-work: a number for a nationality",
    );
    can.args = vec!["can-work", "{file}"];
    v.push(can);
    let mut timeline = case(
        "case.yaml",
        "reference_date: 2026-03-32\nperson: {}\n",
        "reference_date",
        "timeline: a day that does not exist",
    );
    timeline.args = vec!["timeline", "{file}"];
    v.push(timeline);
    let mut reform = case(
        "reform.yaml",
        "name: x\noverrides:\n  - param: hsm.salary_30plus\n    from: 2027-02-30\n    value: 1\n",
        "from",
        "simulate: a reform date that does not exist",
    );
    reform.args = vec!["simulate", "{roster}", "--reform", "{file}"];
    v.push(reform);
    let mut reform_param = case(
        "reform.yaml",
        "name: x\noverrides:\n  - param: no.such.param\n    from: 2027-01-01\n    value: 1\n",
        "no.such.param",
        "simulate: a reform of a parameter that does not exist",
    );
    reform_param.args = vec!["simulate", "{roster}", "--reform", "{file}"];
    v.push(reform_param);
    v.push(Bad {
        args: vec!["check", "no-such-file.yaml"],
        input: Input::Args,
        exit: 4,
        field: Some("no-such-file.yaml"),
        what: "check: a file that does not exist".into(),
    });
    v
}

fn arg_cases() -> Vec<Bad> {
    vec![
        args(
            &["params", "--date", "2026-02-30"],
            2,
            Some("--date"),
            "params: a day that does not exist",
        ),
        args(
            &["params", "--date", "soon"],
            2,
            Some("--date"),
            "params: a word for a date",
        ),
        args(
            &["params", "no.such.parameter"],
            3,
            Some("no.such.parameter"),
            "params: an unknown parameter",
        ),
        args(
            &["generate", "-5"],
            2,
            Some("<N>"),
            "generate: a negative number of people",
        ),
        args(
            &["generate", "many"],
            2,
            Some("<N>"),
            "generate: a word for a number",
        ),
        args(
            &["generate", "3", "--from", "2026-02-30"],
            2,
            Some("--from"),
            "generate: a start that does not exist",
        ),
        args(
            &["batch", "-", "--threads", "zero"],
            2,
            Some("--threads"),
            "batch: a word for a number of threads",
        ),
        args(&["check"], 2, Some("<CASE>"), "check: no case"),
        args(&["frobnicate"], 2, Some("frobnicate"), "an unknown command"),
        args(
            &["check", "examples/engineer-29.yaml", "--lang", "fr"],
            2,
            Some("--lang"),
            "check: an unknown language",
        ),
        args(
            &[
                "--params",
                "no-such-folder",
                "check",
                "examples/engineer-29.yaml",
            ],
            5,
            Some("no-such-folder"),
            "a parameter folder that does not exist",
        ),
    ]
}

/// The columns of the one-row rosters below.
const H: &str = "id,household,reference_date,filing_date,application_kind,scheme,birth_date,nationality,education_level,\
education_provenance,graduation_date,education_months,ranking_list,ranking_edition,ranking_position,\
recognised_sponsor,gross_monthly_salary,holiday_allowance,thirteenth_month,contract_start,contract_end,role,\
permit_kind,permit_from,permit_until,permit_criterion,sponsor,partner,partnership_form,relationship_from,\
relationship_until,parent";

/// A good row of `H` with one column's value replaced.
fn with(column: &str, value: &str) -> String {
    let good = [
        ("id", "p1"),
        ("reference_date", "2026-03-02"),
        ("birth_date", "1990-01-01"),
        ("nationality", "IN"),
        ("recognised_sponsor", "true"),
        ("gross_monthly_salary", "5688"),
        ("contract_end", "indefinite"),
    ];
    H.split(',')
        .map(|c| {
            if c == column {
                csv_field(value)
            } else {
                good.iter()
                    .find(|(k, _)| *k == c)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

fn row_cases() -> Vec<Bad> {
    let mut v = Vec::new();
    for column in [
        "reference_date",
        "filing_date",
        "birth_date",
        "graduation_date",
        "contract_start",
        "permit_from",
        "permit_until",
        "relationship_from",
    ] {
        for (d, what) in [
            ("2026-02-30", "a day that does not exist"),
            ("someday", "a word for a date"),
        ] {
            v.push(row(
                H,
                with(column, d),
                column,
                format!("roster row: {column} {what}"),
            ));
        }
    }
    for (column, value, what) in [
        ("contract_end", "2026-04-31", "a day that does not exist"),
        ("contract_end", "forever", "a word other than indefinite"),
        ("application_kind", "renewal", "an unknown kind"),
        ("scheme", "golden_visa", "an unknown scheme"),
        ("nationality", "XX1", "three characters"),
        ("nationality", "1N", "a digit"),
        ("education_level", "kindergarten", "an unknown level"),
        ("education_provenance", "mars", "an unknown provenance"),
        ("education_months", "twelve", "a word for a number"),
        ("education_months", "-12", "a negative number"),
        ("ranking_list", "forbes", "an unknown list"),
        ("ranking_edition", "last year", "a word for a year"),
        ("ranking_position", "first", "a word for a place"),
        ("ranking_position", "-1", "a negative place"),
        (
            "recognised_sponsor",
            "maybe",
            "a word other than true or false",
        ),
        ("gross_monthly_salary", "abc", "a word for an amount"),
        ("gross_monthly_salary", "-12", "a negative amount"),
        ("gross_monthly_salary", "12.345", "three decimals"),
        (
            "gross_monthly_salary",
            "1e9999",
            "a number beyond any amount",
        ),
        ("holiday_allowance", "sometimes", "an unknown way"),
        ("thirteenth_month", "weekly", "an unknown way"),
        ("role", "astronaut", "an unknown role"),
        ("permit_kind", "golden_ticket", "an unknown kind"),
        ("permit_criterion", "whatever", "an unknown criterion"),
        ("partnership_form", "situationship", "an unknown form"),
        ("id", "", "an empty id"),
        (
            "graduation_date",
            "2020-06-30",
            "a good date given without education_level",
        ),
        (
            "permit_criterion",
            "under30",
            "a good criterion given without permit_kind",
        ),
        (
            "partnership_form",
            "married",
            "a good form given without partner",
        ),
    ] {
        v.push(row(
            H,
            with(column, value),
            column,
            format!("roster row: {column} {what} ({value:?})"),
        ));
    }
    v.push(row(
        "id,reference_date,gross_monthly_salary",
        "p1,2026-03-02,\"5,688\"",
        "gross_monthly_salary",
        "roster row: an amount with a thousands comma",
    ));
    v.push(row(
        "id,household,reference_date,permit_kind,permit_from,sponsor",
        "p1,h,2026-03-02,family_member,2025-01-01,nobody",
        "sponsor",
        "roster row: a sponsor not in the household",
    ));
    v.push(row(
        "id,household,reference_date,partner",
        "p1,h,2026-03-02,nobody",
        "partner",
        "roster row: a partner not in the household",
    ));
    v.push(row(
        "id,household,reference_date,parent",
        "p1,h,2026-03-02,nobody",
        "parent",
        "roster row: a parent not in the household",
    ));
    for (text, field, what) in [
        ("", "roster", "batch: an empty roster"),
        (
            "idx,reference_date\na,2026-03-02\n",
            "idx",
            "batch: an unknown column",
        ),
        (
            "id,id,reference_date\na,a,2026-03-02\n",
            "id",
            "batch: a column given twice",
        ),
        (
            "household,birth_date\nh,1990-01-01\n",
            "reference_date",
            "batch: no reference_date column",
        ),
    ] {
        v.push(Bad {
            args: vec!["batch", "{file}"],
            input: Input::Roster(text.into()),
            exit: 3,
            field: Some(field),
            what: what.into(),
        });
    }
    v
}

fn catalogue() -> Vec<Bad> {
    let mut v = case_cases();
    v.extend(arg_cases());
    v.extend(row_cases());
    v
}

fn run(args: &[String], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verblijf"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("VERBLIJF_PARAMS")
        .env("TMPDIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run verblijf")
}

fn judge(b: &Bad, dir: &Path) -> Option<String> {
    let roster = dir.join("people.csv");
    std::fs::write(&roster, format!("{H}\n{}\n", with("id", "p1"))).expect("write roster");
    let mut file: Option<PathBuf> = None;
    let rejects = dir.join("rejects.csv");
    let _ = std::fs::remove_file(&rejects);
    match &b.input {
        Input::Case(name, text) => {
            let f = dir.join(name);
            std::fs::write(&f, text).expect("write case");
            file = Some(f);
        }
        Input::Row(header, row) => {
            let f = dir.join("roster.csv");
            std::fs::write(&f, format!("{header}\n{row}\n")).expect("write roster");
            file = Some(f);
        }
        Input::Roster(text) => {
            let f = dir.join("roster.csv");
            std::fs::write(&f, text).expect("write roster");
            file = Some(f);
        }
        Input::Args => {}
    }
    let mut args: Vec<String> = b
        .args
        .iter()
        .map(|a| match *a {
            "{file}" => file.as_ref().expect("a file").display().to_string(),
            "{roster}" => roster.display().to_string(),
            a => a.to_string(),
        })
        .collect();
    if matches!(b.input, Input::Row(..) | Input::Roster(_)) {
        args.extend([
            "--out".to_string(),
            dir.join("out.csv").display().to_string(),
            "--rejects".to_string(),
            rejects.display().to_string(),
        ]);
    }
    if b.args.first() == Some(&"simulate") || b.args.first() == Some(&"timeline") {
        args.extend([
            "--out".to_string(),
            dir.join("out.html").display().to_string(),
        ]);
    }
    let o = run(&args, dir);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    let code = o.status.code().unwrap_or(-1);
    if stderr.contains("panicked") || code == 101 {
        return Some(format!("panicked: {stderr}"));
    }
    if code != b.exit {
        return Some(format!("exited {code} instead of {}: {stderr}", b.exit));
    }
    let field = b.field?;
    if let Input::Row(..) = b.input {
        let rejected = std::fs::read_to_string(&rejects).unwrap_or_default();
        let mut rdr = csv::Reader::from_reader(rejected.as_bytes());
        let columns: Vec<String> = rdr
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| r.get(2).map(str::to_string))
            .collect();
        if columns.len() != 1 || columns[0] != field {
            return Some(format!(
                "rejected {columns:?} instead of the column `{field}`: {rejected}"
            ));
        }
        return None;
    }
    (!stderr.contains(field)).then(|| format!("standard error does not name `{field}`: {stderr}"))
}

#[test]
fn every_bad_input_of_the_command_line_and_the_roster_is_refused_with_its_exit_code_and_field() {
    let dir = std::env::temp_dir().join(format!("verblijf-cli-catalogue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let table = catalogue();
    let failures: Vec<String> = table
        .iter()
        .filter_map(|b| judge(b, &dir).map(|why| format!("{}: {why}", b.what)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad inputs were not refused as they must be:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn the_catalogue_holds_distinct_inputs_and_is_the_list_in_the_docs() {
    let table = catalogue();
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<String> = table
        .iter()
        .map(|b| {
            let (given, input) = match &b.input {
                Input::Case(name, text) => ("file", format!("{name}: {text}")),
                Input::Row(header, row) => ("roster row", format!("{header}\n{row}")),
                Input::Roster(text) => ("roster", text.clone()),
                Input::Args => ("command line", String::new()),
            };
            assert!(
                seen.insert((b.args.clone(), input)),
                "listed twice: {}",
                b.what
            );
            format!(
                "| {} | {given} | `verblijf {}` | {} | {} |",
                b.what.replace('|', "\\|"),
                b.args.join(" "),
                b.exit,
                b.field
                    .map(|f| format!("`{f}`"))
                    .unwrap_or_else(|| "—".into())
            )
        })
        .collect();
    let section = format!(
        "| bad input | given as | command | exit code | field named |\n| --- | --- | --- | --- | --- |\n{}\n",
        rows.join("\n")
    );
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/bad-inputs.md");
    let doc = std::fs::read_to_string(path).expect("docs/bad-inputs.md");
    let (head, rest) = doc
        .split_once("<!-- cli: begin -->\n")
        .expect("begin marker");
    let (current, tail) = rest.split_once("<!-- cli: end -->").expect("end marker");
    if std::env::var_os("VERBLIJF_WRITE_DOCS").is_some() {
        std::fs::write(
            path,
            format!("{head}<!-- cli: begin -->\n{section}<!-- cli: end -->{tail}"),
        )
        .expect("write docs");
        return;
    }
    assert_eq!(
        current, section,
        "docs/bad-inputs.md differs from the table in the test; VERBLIJF_WRITE_DOCS=1 rewrites it"
    );
}
