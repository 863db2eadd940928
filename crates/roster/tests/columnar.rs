//! Rosters as Parquet and Arrow IPC files: the same people as in a CSV roster give the same results row for row,
//! and a bad value gets the same error, naming the column, as in CSV.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringArray,
    StringBuilder,
};
use arrow::datatypes::{DataType, Date32Type, Field, Schema};
use arrow::record_batch::RecordBatch;
use verblijf_roster::batch::{
    assess_batches, run, run_columnar, InputFormat, Options, OutputFormat, Progress,
};
use verblijf_roster::columnar::{open, ColumnarFormat, ColumnarWriter};
use verblijf_rules::ParamSet;

fn params() -> ParamSet {
    ParamSet::embedded().expect("params")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verblijf-columnar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// The type a roster column gets in a typed file: dates as dates, amounts as floats, counts as integers, the
/// sponsor flag as a boolean, the rest as text.
fn column_type(name: &str) -> DataType {
    match name {
        "reference_date" | "filing_date" | "birth_date" | "graduation_date" | "contract_start"
        | "permit_from" | "permit_until" | "relationship_from" | "relationship_until" => {
            DataType::Date32
        }
        "gross_monthly_salary" => DataType::Float64,
        "education_months" | "ranking_edition" | "ranking_position" => DataType::Int64,
        "recognised_sponsor" => DataType::Boolean,
        _ => DataType::Utf8,
    }
}

/// A CSV roster as one record batch with typed columns (or all text).
fn csv_to_batch(csv_text: &str, typed: bool) -> RecordBatch {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let names: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("record")).collect();
    let mut fields = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let t = if typed {
            column_type(name)
        } else {
            DataType::Utf8
        };
        let values = rows.iter().map(|r| r.get(i).filter(|s| !s.is_empty()));
        let col: ArrayRef = match t {
            DataType::Date32 => {
                let mut b = Date32Builder::new();
                for v in values {
                    b.append_option(v.map(|s| {
                        Date32Type::from_naive_date(s.parse().expect("a date in the roster"))
                    }));
                }
                Arc::new(b.finish())
            }
            DataType::Float64 => {
                let mut b = Float64Builder::new();
                for v in values {
                    b.append_option(v.map(|s| s.parse::<f64>().expect("an amount")));
                }
                Arc::new(b.finish())
            }
            DataType::Int64 => {
                let mut b = Int64Builder::new();
                for v in values {
                    b.append_option(v.map(|s| s.parse::<i64>().expect("a number")));
                }
                Arc::new(b.finish())
            }
            DataType::Boolean => {
                let mut b = BooleanBuilder::new();
                for v in values {
                    b.append_option(v.map(|s| s == "true"));
                }
                Arc::new(b.finish())
            }
            _ => {
                let mut b = StringBuilder::new();
                for v in values {
                    b.append_option(v);
                }
                Arc::new(b.finish())
            }
        };
        fields.push(Field::new(name, t, true));
        cols.push(col);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).expect("batch")
}

fn write_file(path: &Path, format: ColumnarFormat, batch: &RecordBatch) {
    let f = std::fs::File::create(path).expect("create");
    let mut w = ColumnarWriter::new(format, f, batch.schema()).expect("writer");
    // In slices, so the reader sees several batches and households that cross a batch's edge.
    let mut at = 0;
    while at < batch.num_rows() {
        let n = 97.min(batch.num_rows() - at);
        w.write(&batch.slice(at, n)).expect("write");
        at += n;
    }
    w.finish().expect("finish");
}

fn csv_batch(roster: &str, output: OutputFormat) -> (Vec<u8>, String) {
    let mut out = Vec::new();
    let mut rej = Vec::new();
    run(
        roster.as_bytes(),
        &mut out,
        &mut rej,
        &params(),
        &Options {
            input: InputFormat::Csv,
            output,
            threads: 2,
            chunk_rows: 50,
            ..Options::default()
        },
        &Progress::default(),
    )
    .expect("csv batch runs");
    (out, String::from_utf8(rej).expect("utf8"))
}

fn file_batch(path: &Path, format: ColumnarFormat, output: OutputFormat) -> (Vec<u8>, String) {
    let (schema, batches) = open(path, format).expect("opens");
    let mut out = Vec::new();
    let mut rej = Vec::new();
    run_columnar(
        &schema,
        batches,
        &mut out,
        &mut rej,
        &params(),
        &Options {
            output,
            threads: 2,
            chunk_rows: 50,
            ..Options::default()
        },
        &Progress::default(),
    )
    .expect("columnar batch runs");
    (out, String::from_utf8(rej).expect("utf8"))
}

fn population(n: u64) -> String {
    let mut roster = Vec::new();
    verblijf_roster::generate::write_population(n, 7, &mut roster).expect("generate");
    String::from_utf8(roster).expect("utf8")
}

#[test]
fn a_roster_as_typed_parquet_gives_the_same_results_as_the_same_roster_as_csv_row_for_row() {
    let roster = population(700);
    let path = temp("typed.parquet");
    write_file(&path, ColumnarFormat::Parquet, &csv_to_batch(&roster, true));
    let (from_csv, rej_csv) = csv_batch(&roster, OutputFormat::Csv);
    let (from_parquet, rej_parquet) = file_batch(&path, ColumnarFormat::Parquet, OutputFormat::Csv);
    let from_csv = String::from_utf8(from_csv).expect("utf8");
    let from_parquet = String::from_utf8(from_parquet).expect("utf8");
    assert_eq!(from_csv.lines().count(), 701, "a result per person");
    assert_eq!(from_csv, from_parquet);
    assert_eq!(rej_csv, "line,id,column,reason\n");
    assert_eq!(rej_parquet, "row,id,column,reason\n");
}

#[test]
fn a_roster_as_an_arrow_ipc_file_of_text_columns_gives_the_same_results_as_csv() {
    let roster = population(300);
    let path = temp("text.arrow");
    write_file(&path, ColumnarFormat::Ipc, &csv_to_batch(&roster, false));
    let (from_csv, _) = csv_batch(&roster, OutputFormat::Csv);
    let (from_arrow, _) = file_batch(&path, ColumnarFormat::Ipc, OutputFormat::Csv);
    assert_eq!(
        String::from_utf8(from_csv).expect("utf8"),
        String::from_utf8(from_arrow).expect("utf8")
    );
}

/// A results file read back as text, as the CSV results would show it.
fn results_as_csv(path: &Path, format: ColumnarFormat) -> Vec<Vec<String>> {
    let (schema, batches) = open(path, format).expect("opens");
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut rows = vec![names];
    for b in batches {
        let b = b.expect("batch");
        let cols: Vec<StringArray> = b
            .columns()
            .iter()
            .map(|c| {
                let t = arrow::compute::cast(c, &DataType::Utf8).expect("cast");
                t.as_any()
                    .downcast_ref::<StringArray>()
                    .expect("text")
                    .clone()
            })
            .collect();
        for i in 0..b.num_rows() {
            rows.push(
                cols.iter()
                    .map(|c| {
                        if c.is_null(i) {
                            String::new()
                        } else {
                            c.value(i).to_string()
                        }
                    })
                    .collect(),
            );
        }
    }
    rows
}

#[test]
fn results_written_as_parquet_and_as_arrow_hold_what_the_csv_results_hold_with_dates_and_amounts_typed(
) {
    let roster = population(400);
    let (csv_out, _) = csv_batch(&roster, OutputFormat::Csv);
    let expected: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_out.as_slice())
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    for (format, output, name) in [
        (
            ColumnarFormat::Parquet,
            OutputFormat::Parquet,
            "out.parquet",
        ),
        (ColumnarFormat::Ipc, OutputFormat::Arrow, "out.arrow"),
    ] {
        let (bytes, _) = csv_batch(&roster, output);
        let path = temp(name);
        std::fs::write(&path, bytes).expect("write");
        let (schema, _) = open(&path, format).expect("opens");
        assert_eq!(
            schema
                .field_with_name("reference_date")
                .expect("column")
                .data_type(),
            &DataType::Date32
        );
        assert_eq!(
            schema
                .field_with_name("hsm_margin")
                .expect("column")
                .data_type(),
            &DataType::Decimal128(18, 2)
        );
        assert_eq!(results_as_csv(&path, format), expected, "{name}");
    }
}

#[test]
fn a_bad_value_in_a_parquet_column_is_rejected_with_its_row_and_column_as_in_csv() {
    let roster = [
        "id,household,reference_date,birth_date,gross_monthly_salary,recognised_sponsor",
        "a1,,2025-03-10,1995-03-10,5688,true",
        "a2,,2025-03-10,1990-02-30,5688,true",
        "a3,,2025-03-10,1990-01-01,-12,true",
        "a4,,2025-03-10,1990-01-01,6000,maybe",
        "a5,,2025-03-10,1990-01-01,6000,true",
    ]
    .join("\n")
        + "\n";
    let path = temp("bad.parquet");
    write_file(
        &path,
        ColumnarFormat::Parquet,
        &csv_to_batch(&roster, false),
    );
    let (out_csv, rej_csv) = csv_batch(&roster, OutputFormat::Csv);
    let (out_parquet, rej_parquet) = file_batch(&path, ColumnarFormat::Parquet, OutputFormat::Csv);
    assert_eq!(out_csv, out_parquet);
    let csv_lines: Vec<&str> = rej_csv.lines().collect();
    let parquet_lines: Vec<&str> = rej_parquet.lines().collect();
    assert_eq!(
        parquet_lines,
        vec![
            "row,id,column,reason",
            "2,a2,birth_date,\"expected a date YYYY-MM-DD, found \"\"1990-02-30\"\"\"",
            "3,a3,gross_monthly_salary,\"expected a non-negative amount in euro, found -12\"",
            "4,a4,recognised_sponsor,\"expected true or false, found \"\"maybe\"\"\"",
        ]
    );
    // The same reasons as for the CSV roster, where the same rows are lines 3 to 5 (the header is line 1).
    for (c, p) in csv_lines.iter().zip(&parquet_lines).skip(1) {
        let (cl, crest) = c.split_once(',').expect("line");
        let (pl, prest) = p.split_once(',').expect("row");
        assert_eq!(crest, prest);
        assert_eq!(
            cl.parse::<u64>().expect("line"),
            pl.parse::<u64>().expect("row") + 1
        );
    }
}

#[test]
fn a_typed_column_with_a_negative_amount_gets_the_same_error_as_in_csv() {
    let roster = "id,reference_date,gross_monthly_salary\nb1,2025-03-10,-12.5\n";
    let batch = csv_to_batch(roster, true);
    let assessed = assess_batches(
        &batch.schema(),
        Box::new(std::iter::once(Ok(batch.clone()))),
        &params(),
        &Options::default(),
    )
    .expect("runs");
    assert_eq!(
        assessed.batches.iter().map(|b| b.num_rows()).sum::<usize>(),
        0
    );
    assert_eq!(assessed.rejects.len(), 1);
    let e = &assessed.rejects[0];
    assert_eq!((e.line, e.field.as_str()), (1, "gross_monthly_salary"));
    assert_eq!(
        e.message,
        "expected a non-negative amount in euro, found -12.5"
    );
}

#[test]
fn an_unknown_column_or_a_column_of_lists_stops_a_columnar_batch_with_its_name() {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, true),
        Field::new("reference_date", DataType::Utf8, true),
        Field::new("salary", DataType::Utf8, true),
    ]));
    let e = assess_batches(
        &schema,
        Box::new(std::iter::empty()),
        &params(),
        &Options::default(),
    )
    .err()
    .expect("refused");
    assert!(e.to_string().contains("unknown column `salary`"), "{e}");

    let list =
        arrow::array::ListArray::from_iter_primitive::<arrow::datatypes::Int32Type, _, _>(vec![
            Some(vec![Some(1)]),
        ]);
    let batch = RecordBatch::try_from_iter(vec![
        ("id", Arc::new(StringArray::from(vec!["c1"])) as ArrayRef),
        (
            "reference_date",
            Arc::new(StringArray::from(vec!["2025-03-10"])) as ArrayRef,
        ),
        ("education_months", Arc::new(list) as ArrayRef),
    ])
    .expect("batch");
    let e = assess_batches(
        &batch.schema(),
        Box::new(std::iter::once(Ok(batch.clone()))),
        &params(),
        &Options::default(),
    )
    .err()
    .expect("refused");
    assert!(
        e.to_string().contains("column `education_months` holds"),
        "{e}"
    );
}
