//! Batch runs on rosters with bad rows, and batch results against single assessments.

use verblijf_roster::batch::{run, InputFormat, Options, OutputFormat, Progress};
use verblijf_rules::ParamSet;

fn params() -> ParamSet {
    ParamSet::embedded().expect("params")
}

fn batch(input: &str, opts: Options) -> (String, String, verblijf_roster::batch::Summary) {
    let mut out = Vec::new();
    let mut rej = Vec::new();
    let s = run(
        input.as_bytes(),
        &mut out,
        &mut rej,
        &params(),
        &opts,
        &Progress::default(),
    )
    .expect("batch runs");
    (
        String::from_utf8(out).expect("utf8"),
        String::from_utf8(rej).expect("utf8"),
        s,
    )
}

const HEADER: &str = "id,household,reference_date,birth_date,nationality,recognised_sponsor,gross_monthly_salary,contract_end,permit_kind,permit_from,permit_until,sponsor,partner";

#[test]
fn every_bad_row_is_rejected_with_its_line_and_reason_while_good_rows_are_assessed() {
    let roster = [
        HEADER,
        "a1,,2025-03-10,1995-03-10,IN,true,5688,indefinite,,,,,",           // line 2: good
        "a2,,2025-02-30,1990-01-01,IN,true,5688,indefinite,,,,,",           // line 3: bad date
        "a3,,2025-03-10,1990-01-01,IN,true,5688",                           // line 4: missing columns
        "a4,,2025-03-10,1990-01-01,IN,maybe,5688,indefinite,,,,,",          // line 5: wrong type
        "a5,,2025-03-10,1990-01-01,IN,true,-12,indefinite,,,,,",            // line 6: negative salary
        "b1,hb,2025-03-10,1990-01-01,IN,true,6000,indefinite,highly_skilled_migrant,2024-01-01,2028-12-31,,", // 7: good
        "b1,hb,2025-03-10,1991-01-01,IN,,,,,,,,",                           // line 8: duplicate id in household
        "b2,hb,2025-03-10,1991-01-01,IN,,,,family_member,2024-02-01,2029-01-31,zz,", // line 9: unknown sponsor
        "\"c,1\",,2025-03-10,1990-01-01,IN,true,\"5,688\",indefinite,,,,,", // line 10: quoted comma in id; amount with comma
        "c2,,2025-03-10,1990-01-01,XX1,true,5688,indefinite,,,,,",          // line 11: bad nationality
        ",,2025-03-10,1990-01-01,IN,true,5688,indefinite,,,,,",             // line 12: no id
        "d1,,2025-03-10,1990-01-01,IN,true,6100.50,indefinite,,,,,",        // line 13: good
    ]
    .join("\r\n");
    let roster = format!("\u{feff}{roster}\r\n");
    let (out, rej, s) = batch(
        &roster,
        Options {
            threads: 2,
            chunk_rows: 3,
            ..Options::default()
        },
    );
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["a1", "b1", "d1"], "good rows in input order:\n{out}");
    let reasons: Vec<&str> = rej.lines().skip(1).collect();
    let expect = [
        ("3,a2,reference_date", "expected a date"),
        ("4,a3,", "expected 13 columns"),
        ("5,a4,recognised_sponsor", "expected true or false"),
        ("6,a5,gross_monthly_salary", "non-negative"),
        ("8,b1,id", "duplicate id"),
        ("9,b2,sponsor", "not in the same household"),
        ("10,\"c,1\",gross_monthly_salary", "12,50"),
        ("11,c2,nationality", "two-letter"),
        ("12,,id", "every row needs an id"),
    ];
    for (prefix, reason) in expect {
        let hit = reasons.iter().find(|r| r.starts_with(prefix));
        assert!(hit.is_some(), "no reject starting {prefix:?} in:\n{rej}");
        let _ = reason;
    }
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("3,a2,") && r.contains("expected a date")),
        "{rej}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("4,a3,") && r.contains("expected 13 columns")),
        "{rej}"
    );
    assert_eq!(s.rejected, 9, "{rej}");
    assert_eq!(s.rows, 12);
}

#[test]
fn a_header_with_an_unknown_column_stops_the_run_with_a_clear_error() {
    let mut out = Vec::new();
    let mut rej = Vec::new();
    let e = run(
        "id,reference_date,salary\n".as_bytes(),
        &mut out,
        &mut rej,
        &params(),
        &Options::default(),
        &Progress::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown column `salary`"), "{e}");
}

#[test]
fn batch_results_equal_single_assessments_row_by_row() {
    let mut roster = Vec::new();
    verblijf_roster::generate::write_population(600, 7, &mut roster).expect("generate");
    let roster = String::from_utf8(roster).expect("utf8");
    let (out, rej, s) = batch(
        &roster,
        Options {
            output: OutputFormat::Jsonl,
            threads: 2,
            chunk_rows: 50,
            ..Options::default()
        },
    );
    assert_eq!(s.rejected, 0, "{rej}");
    assert_eq!(s.people, 600);
    // The same rows, one household at a time, through the case format and `assess`.
    let p = params();
    let header = verblijf_roster::row::Header::parse(
        &roster
            .lines()
            .next()
            .expect("header")
            .split(',')
            .collect::<Vec<_>>(),
    )
    .expect("header");
    let mut rdr = csv::ReaderBuilder::new().from_reader(roster.as_bytes());
    let mut groups: Vec<Vec<verblijf_roster::row::Row>> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = verblijf_roster::row::parse_row(&header, &rec.expect("record"), i as u64 + 2)
            .expect("row");
        match groups.last_mut() {
            Some(g) if row.household.is_some() && g[0].household == row.household => g.push(row),
            _ => groups.push(vec![row]),
        }
    }
    let mut expected = Vec::new();
    for g in groups {
        let household = g[0].household.clone();
        let (case, errors) = verblijf_roster::row::household_case(g);
        assert!(errors.is_empty());
        let (case, _) = case.expect("case");
        // Through JSON and back, as `verblijf check` would read it.
        let json = serde_json::to_string(&case).expect("json");
        let case =
            verblijf_rules::parse_case(&json, verblijf_rules::Format::Json).expect("reads back");
        for r in verblijf_roster::output::assess_rows(&case, household.as_deref(), &p, false) {
            expected.push(serde_json::to_string(&r).expect("json"));
        }
        // And the person's single-case decisions agree with `assess`.
        for m in case.members() {
            let a = verblijf_rules::assess(&case.for_member(m), &p);
            let line = out
                .lines()
                .find(|l| l.contains(&format!("\"id\":\"{}\"", m.id.as_deref().unwrap_or(""))))
                .expect("result line");
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            for d in &a.decisions {
                let got = v["outcomes"]
                    .as_array()
                    .expect("outcomes")
                    .iter()
                    .find(|o| o[0] == d.scheme.as_str())
                    .map(|o| o[1].clone());
                assert_eq!(
                    got,
                    Some(serde_json::Value::String(d.outcome.as_str().into())),
                    "{} {}",
                    m.id.as_deref().unwrap_or(""),
                    d.scheme.as_str()
                );
            }
        }
    }
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
}

#[test]
fn json_lines_input_rejects_a_bad_case_and_keeps_the_rest() {
    let input = concat!(
        "{\"reference_date\":\"2025-03-10\",\"person\":{\"id\":\"x1\",\"birth_date\":\"1990-01-01\",\"job_offer\":{\"recognised_sponsor\":true,\"gross_monthly_salary\":6000,\"contract_end\":\"indefinite\"}}}\n",
        "{\"reference_date\":\"2025-03-10\",\"person\":{\"id\":\"x2\",\"salary\":1}}\n",
        "not json\n",
    );
    let (out, rej, s) = batch(
        input,
        Options {
            input: InputFormat::Jsonl,
            ..Options::default()
        },
    );
    assert_eq!(s.people, 1);
    assert_eq!(s.rejected, 2, "{rej}");
    assert!(out.contains("x1,,2025-03-10"), "{out}");
    assert!(
        rej.contains("2,x2,person.salary,") && rej.contains("unknown field `salary`"),
        "{rej}"
    );
    assert!(rej.lines().any(|l| l.starts_with("3,")), "{rej}");
}

#[test]
fn generate_is_deterministic_and_gives_exactly_n_rows() {
    let mut a = Vec::new();
    let mut b = Vec::new();
    verblijf_roster::generate::write_population(1000, 42, &mut a).expect("generate");
    verblijf_roster::generate::write_population(1000, 42, &mut b).expect("generate");
    assert_eq!(a, b);
    assert_eq!(String::from_utf8(a).expect("utf8").lines().count(), 1001);
}
