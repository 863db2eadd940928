//! Rosters and results as columns: Apache Parquet and Arrow IPC files (`.arrow`, `.feather`), and Arrow record
//! batches handed over in memory (the Python package).
//!
//! A roster read from columns goes through the same row reader as a CSV roster: each column is seen as text (a
//! date column as `YYYY-MM-DD`, a number as its digits, a boolean as `true`/`false`, a null as an empty field), so a
//! bad value gets the same error, naming the column and the row. Rows are numbered from 1, the first row of data.
//! Results are written with types: dates as `date32`, amounts as `decimal128(18, 2)`, the rest as text (an empty
//! CSV field is a null).

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Date32Builder, Decimal128Builder, StringArray, StringBuilder};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Date32Type, Field, Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use chrono::NaiveDate;
use verblijf_rules::{Money, Scheme};

use crate::output::{PersonResult, OUTPUT_COLUMNS};
use crate::row::Header;

/// Record batches, read one after the other.
pub type Batches = Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>> + Send>;

/// A columnar file format, chosen by a file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnarFormat {
    /// Apache Parquet (`.parquet`, `.pq`).
    Parquet,
    /// The Arrow IPC file format (`.arrow`, `.feather`, `.ipc`); a stream (`.arrows`) is read too.
    Ipc,
}

impl ColumnarFormat {
    /// The format a path's extension names, if it is a columnar one.
    pub fn from_path(path: &Path) -> Option<ColumnarFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "parquet" | "pq" => Some(ColumnarFormat::Parquet),
            "arrow" | "feather" | "ipc" | "arrows" => Some(ColumnarFormat::Ipc),
            _ => None,
        }
    }
}

/// Rows per record batch when reading a file.
const READ_BATCH_ROWS: usize = 8192;

/// Opens a Parquet or Arrow IPC file as record batches.
pub fn open(path: &Path, format: ColumnarFormat) -> Result<(SchemaRef, Batches), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    match format {
        ColumnarFormat::Parquet => {
            let builder =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                    .map_err(|e| format!("not a Parquet file: {e}"))?;
            let reader = builder
                .with_batch_size(READ_BATCH_ROWS)
                .build()
                .map_err(|e| e.to_string())?;
            let schema = arrow::record_batch::RecordBatchReader::schema(&reader);
            Ok((schema, Box::new(reader)))
        }
        ColumnarFormat::Ipc => {
            match arrow::ipc::reader::FileReader::try_new_buffered(file, None) {
                Ok(reader) => {
                    let schema = reader.schema();
                    Ok((schema, Box::new(reader)))
                }
                Err(file_err) => {
                    // Not the file format: perhaps the stream format.
                    let file = File::open(path).map_err(|e| e.to_string())?;
                    let reader = arrow::ipc::reader::StreamReader::try_new_buffered(file, None)
                        .map_err(|_| format!("not an Arrow IPC file or stream: {file_err}"))?;
                    let schema = reader.schema();
                    Ok((schema, Box::new(reader)))
                }
            }
        }
    }
}

/// The roster columns of a schema: the header the row reader uses, and where each of its columns is in a batch.
/// Columns that pandas adds for an index (`__index_level_0__`) are passed over; any other unknown column is an
/// error, as in a CSV header.
#[derive(Clone, Debug)]
pub struct RosterColumns {
    pub header: Header,
    positions: Vec<usize>,
    names: Vec<String>,
    /// The `household` column, as a position in `positions`.
    household: Option<usize>,
}

impl RosterColumns {
    pub fn from_schema(schema: &Schema) -> Result<RosterColumns, String> {
        let mut positions = Vec::new();
        let mut names = Vec::new();
        for (i, f) in schema.fields().iter().enumerate() {
            if f.name().starts_with("__index_level_") {
                continue;
            }
            positions.push(i);
            names.push(f.name().clone());
        }
        let fields: Vec<&str> = names.iter().map(String::as_str).collect();
        let header = Header::parse(&fields)?;
        let household = names.iter().position(|n| n == "household");
        Ok(RosterColumns {
            header,
            positions,
            names,
            household,
        })
    }

    /// The roster columns of a batch, each as text.
    pub fn text(&self, batch: &RecordBatch) -> Result<TextColumns, String> {
        let mut cols = Vec::with_capacity(self.positions.len());
        for (&p, name) in self.positions.iter().zip(&self.names) {
            let col = batch
                .columns()
                .get(p)
                .ok_or_else(|| format!("column `{name}` is missing from a batch"))?;
            cols.push(as_text(name, col)?);
        }
        Ok(TextColumns {
            cols,
            household: self.household,
            rows: batch.num_rows(),
        })
    }
}

/// A batch's roster columns as text.
pub struct TextColumns {
    cols: Vec<StringArray>,
    household: Option<usize>,
    rows: usize,
}

impl TextColumns {
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Row `i` as the CSV reader would give it.
    pub fn record(&self, i: usize, rec: &mut csv::StringRecord) {
        rec.clear();
        for c in &self.cols {
            rec.push_field(if c.is_null(i) { "" } else { c.value(i) });
        }
    }

    /// The household of row `i`, if it has one.
    pub fn household(&self, i: usize) -> Option<&str> {
        let c = &self.cols[self.household?];
        (!c.is_null(i))
            .then(|| c.value(i).trim())
            .filter(|s| !s.is_empty())
    }
}

/// A column as text, as it would stand in a CSV roster.
fn as_text(name: &str, col: &ArrayRef) -> Result<StringArray, String> {
    let unreadable = |e: ArrowError| format!("column `{name}`: {e}");
    let text = match col.data_type() {
        DataType::Utf8 => col.clone(),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            // Whole numbers without a decimal point (pandas keeps an integer column with gaps as floats), a
            // missing value (NaN) as a null.
            let f = cast(col, &DataType::Float64).map_err(unreadable)?;
            let f = f
                .as_any()
                .downcast_ref::<arrow::array::Float64Array>()
                .ok_or_else(|| format!("column `{name}`: not read as numbers"))?;
            let s: StringArray = f
                .iter()
                .map(|v| v.filter(|v| !v.is_nan()).map(|v| format!("{v}")))
                .collect();
            Arc::new(s)
        }
        DataType::Timestamp(..) | DataType::Date64 => {
            let d = cast(col, &DataType::Date32).map_err(unreadable)?;
            cast(&d, &DataType::Utf8).map_err(unreadable)?
        }
        DataType::Date32
        | DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Decimal128(..)
        | DataType::Decimal256(..)
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Dictionary(..) => cast(col, &DataType::Utf8).map_err(unreadable)?,
        other => {
            return Err(format!(
                "column `{name}` holds {other}: expected text, numbers, dates or true/false"
            ))
        }
    };
    text.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| format!("column `{name}`: not read as text"))
}

/// The schema of the results, in [`OUTPUT_COLUMNS`] order (without `explanation` unless asked for).
pub fn results_schema(explain: bool) -> SchemaRef {
    let fields: Vec<Field> = OUTPUT_COLUMNS
        .iter()
        .filter(|c| explain || **c != "explanation")
        .map(|&c| {
            let t = match c {
                "reference_date" | "filing_date" | "work_until" | "next_deadline" => {
                    DataType::Date32
                }
                "hsm_required" | "hsm_margin" => DataType::Decimal128(18, 2),
                _ => DataType::Utf8,
            };
            Field::new(c, t, !matches!(c, "id" | "reference_date" | "filing_date"))
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The results of a chunk as a record batch of [`results_schema`].
pub fn results_batch(results: &[PersonResult], explain: bool) -> Result<RecordBatch, ArrowError> {
    let n = results.len();
    let text = |f: &dyn Fn(&PersonResult) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::with_capacity(n, n * 8);
        for r in results {
            b.append_option(f(r).filter(|s| !s.is_empty()));
        }
        Arc::new(b.finish())
    };
    let date = |f: &dyn Fn(&PersonResult) -> Option<NaiveDate>| -> ArrayRef {
        let mut b = Date32Builder::with_capacity(n);
        for r in results {
            b.append_option(f(r).map(Date32Type::from_naive_date));
        }
        Arc::new(b.finish())
    };
    let money = |f: &dyn Fn(&PersonResult) -> Option<Money>| -> Result<ArrayRef, ArrowError> {
        let mut b = Decimal128Builder::with_capacity(n);
        for r in results {
            b.append_option(f(r).map(|m| i128::from(m.cents())));
        }
        Ok(Arc::new(b.finish().with_precision_and_scale(18, 2)?))
    };
    let outcome = |s: Scheme| {
        text(&move |r: &PersonResult| {
            r.outcomes
                .iter()
                .find(|(x, _)| *x == s)
                .map(|(_, o)| o.as_str())
        })
    };
    let eligible: ArrayRef = {
        let mut b = StringBuilder::with_capacity(n, n * 24);
        let mut s = String::with_capacity(128);
        for r in results {
            s.clear();
            for (i, e) in r.eligible.iter().enumerate() {
                if i > 0 {
                    s.push(';');
                }
                s.push_str(e.as_str());
            }
            b.append_value(&s);
        }
        Arc::new(b.finish())
    };
    let mut cols: Vec<ArrayRef> = vec![
        text(&|r| Some(r.id.as_str())),
        text(&|r| r.household.as_deref()),
        date(&|r| Some(r.reference_date)),
        date(&|r| Some(r.filing_date)),
        eligible,
        outcome(Scheme::HighlySkilledMigrant),
        outcome(Scheme::EuBlueCard),
        outcome(Scheme::OrientationYear),
        outcome(Scheme::RegelingHoogopgeleiden),
        outcome(Scheme::ZoekjaarAfgestudeerden),
        outcome(Scheme::SelfEmployed),
        text(&|r| r.family_member.map(|o| o.as_str())),
        text(&|r| r.hsm_criterion),
        money(&|r| r.hsm_required)?,
        money(&|r| r.hsm_margin)?,
        text(&|r| Some(r.work_status)),
        date(&|r| r.work_until),
        date(&|r| r.next_deadline.map(|d| d.0)),
        text(&|r| r.next_deadline.map(|d| d.1)),
    ];
    if explain {
        let mut b = StringBuilder::with_capacity(n, n * 4096);
        for r in results {
            b.append_option(r.explanation.as_ref().map(|e| e.to_string()));
        }
        cols.push(Arc::new(b.finish()));
    }
    RecordBatch::try_new(results_schema(explain), cols)
}

/// Rows per Parquet row group: small enough that a batch's memory stays flat.
const ROW_GROUP_ROWS: usize = 131_072;

/// A writer of result batches to a Parquet or Arrow IPC file.
pub enum ColumnarWriter<W: Write + Send> {
    Parquet(Box<parquet::arrow::ArrowWriter<W>>),
    Ipc(Box<arrow::ipc::writer::FileWriter<std::io::BufWriter<W>>>),
}

impl<W: Write + Send> ColumnarWriter<W> {
    pub fn new(
        format: ColumnarFormat,
        out: W,
        schema: SchemaRef,
    ) -> Result<ColumnarWriter<W>, String> {
        match format {
            ColumnarFormat::Parquet => {
                let props = parquet::file::properties::WriterProperties::builder()
                    .set_compression(parquet::basic::Compression::SNAPPY)
                    .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
                    .build();
                parquet::arrow::ArrowWriter::try_new(out, schema, Some(props))
                    .map(|w| ColumnarWriter::Parquet(Box::new(w)))
                    .map_err(|e| e.to_string())
            }
            ColumnarFormat::Ipc => arrow::ipc::writer::FileWriter::try_new_buffered(out, &schema)
                .map(|w| ColumnarWriter::Ipc(Box::new(w)))
                .map_err(|e| e.to_string()),
        }
    }

    pub fn write(&mut self, batch: &RecordBatch) -> std::io::Result<()> {
        match self {
            ColumnarWriter::Parquet(w) => w.write(batch).map_err(std::io::Error::other),
            ColumnarWriter::Ipc(w) => w.write(batch).map_err(std::io::Error::other),
        }
    }

    pub fn finish(self) -> std::io::Result<()> {
        match self {
            ColumnarWriter::Parquet(w) => w.close().map(|_| ()).map_err(std::io::Error::other),
            ColumnarWriter::Ipc(mut w) => {
                w.finish().map_err(std::io::Error::other)?;
                w.into_inner().map_err(std::io::Error::other)?.flush()
            }
        }
    }
}

/// The number of rows in a Parquet file, from its footer (0 when it cannot be read).
pub fn parquet_rows(path: &Path) -> u64 {
    File::open(path)
        .ok()
        .and_then(|f| parquet::file::reader::SerializedFileReader::new(f).ok())
        .map_or(0, |r| {
            use parquet::file::reader::FileReader;
            u64::try_from(r.metadata().file_metadata().num_rows()).unwrap_or(0)
        })
}

/// Reads a whole columnar roster into cases (for simulations), rows numbered from 1.
pub fn read_roster(
    schema: &Schema,
    batches: Batches,
) -> Result<(Vec<verblijf_rules::Case>, Vec<crate::row::RowError>), String> {
    let columns = RosterColumns::from_schema(schema)?;
    let mut households = crate::row::Households::default();
    let mut rec = csv::StringRecord::new();
    let mut row = 0u64;
    for batch in batches {
        let batch = batch.map_err(|e| e.to_string())?;
        let text = columns.text(&batch)?;
        for i in 0..text.rows() {
            row += 1;
            text.record(i, &mut rec);
            households.add(crate::row::parse_row(&columns.header, &rec, row));
        }
    }
    Ok(households.finish())
}

/// The type a roster column gets in a Parquet or Arrow roster written by [`write_roster_from_csv`]: dates as
/// `date32`, the salary as `decimal128(18, 2)`, counts as `int64`, the sponsor flag as a boolean, the rest as text.
pub fn roster_column_type(name: &str) -> DataType {
    match name {
        "reference_date" | "filing_date" | "birth_date" | "graduation_date" | "contract_start"
        | "permit_from" | "permit_until" | "relationship_from" | "relationship_until" => {
            DataType::Date32
        }
        "gross_monthly_salary" => DataType::Decimal128(18, 2),
        "education_months" | "ranking_edition" | "ranking_position" => DataType::Int64,
        "recognised_sponsor" => DataType::Boolean,
        _ => DataType::Utf8,
    }
}

/// Copies a roster from CSV into a Parquet or Arrow IPC file with typed columns ([`roster_column_type`]); a value
/// that does not fit its column's type is an error naming the column and line. Returns the number of rows.
pub fn write_roster_from_csv<R: std::io::Read, W: Write + Send>(
    input: R,
    out: W,
    format: ColumnarFormat,
) -> Result<u64, String> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let names: Vec<String> = rdr
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let types: Vec<DataType> = names.iter().map(|n| roster_column_type(n)).collect();
    let schema: SchemaRef = Arc::new(Schema::new(
        names
            .iter()
            .zip(&types)
            .map(|(n, t)| Field::new(n, t.clone(), true))
            .collect::<Vec<_>>(),
    ));
    let mut w = ColumnarWriter::new(format, out, schema.clone())?;
    let mut rows: Vec<csv::StringRecord> = Vec::with_capacity(READ_BATCH_ROWS);
    let mut line = 1u64;
    let mut total = 0u64;
    let mut records = rdr.records();
    loop {
        let next = records.next();
        if let Some(r) = next.as_ref() {
            rows.push(r.as_ref().map_err(|e| e.to_string())?.clone());
        }
        if (next.is_none() || rows.len() == READ_BATCH_ROWS) && !rows.is_empty() {
            let mut cols: Vec<ArrayRef> = Vec::with_capacity(names.len());
            for (i, (name, t)) in names.iter().zip(&types).enumerate() {
                let bad = |row: usize, v: &str| {
                    format!(
                        "line {}: column `{name}`: {v:?} is not of the type {t}",
                        line + 1 + row as u64
                    )
                };
                let values = rows
                    .iter()
                    .map(|r| r.get(i).map(str::trim).filter(|s| !s.is_empty()));
                let col: ArrayRef = match t {
                    DataType::Date32 => {
                        let mut b = Date32Builder::with_capacity(rows.len());
                        for (row, v) in values.enumerate() {
                            b.append_option(
                                v.map(|s| {
                                    s.parse::<NaiveDate>()
                                        .map(Date32Type::from_naive_date)
                                        .map_err(|_| bad(row, s))
                                })
                                .transpose()?,
                            );
                        }
                        Arc::new(b.finish())
                    }
                    DataType::Decimal128(..) => {
                        let mut b = Decimal128Builder::with_capacity(rows.len());
                        for (row, v) in values.enumerate() {
                            b.append_option(
                                v.map(|s| {
                                    Money::parse(s)
                                        .map(|m| i128::from(m.cents()))
                                        .map_err(|_| bad(row, s))
                                })
                                .transpose()?,
                            );
                        }
                        Arc::new(
                            b.finish()
                                .with_precision_and_scale(18, 2)
                                .map_err(|e| e.to_string())?,
                        )
                    }
                    DataType::Int64 => {
                        let mut b = arrow::array::Int64Builder::with_capacity(rows.len());
                        for (row, v) in values.enumerate() {
                            b.append_option(
                                v.map(|s| s.parse::<i64>().map_err(|_| bad(row, s)))
                                    .transpose()?,
                            );
                        }
                        Arc::new(b.finish())
                    }
                    DataType::Boolean => {
                        let mut b = arrow::array::BooleanBuilder::with_capacity(rows.len());
                        for (row, v) in values.enumerate() {
                            b.append_option(
                                v.map(|s| match s.to_ascii_lowercase().as_str() {
                                    "true" | "yes" | "1" => Ok(true),
                                    "false" | "no" | "0" => Ok(false),
                                    _ => Err(bad(row, s)),
                                })
                                .transpose()?,
                            );
                        }
                        Arc::new(b.finish())
                    }
                    _ => {
                        let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 8);
                        for v in values {
                            b.append_option(v);
                        }
                        Arc::new(b.finish())
                    }
                };
                cols.push(col);
            }
            let batch = RecordBatch::try_new(schema.clone(), cols).map_err(|e| e.to_string())?;
            w.write(&batch).map_err(|e| e.to_string())?;
            line += rows.len() as u64;
            total += rows.len() as u64;
            rows.clear();
        }
        if next.is_none() {
            break;
        }
    }
    w.finish().map_err(|e| e.to_string())?;
    Ok(total)
}
