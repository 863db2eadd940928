//! The native part of the Python package `verblijf` (the module `verblijf._verblijf`). The Python side
//! (python/src/verblijf) turns dicts, DataFrames and JSON into what these functions take and back.
//!
//! - `assess_json(case, date)`: a case as YAML or JSON text, assessed; the JSON answer of `verblijf check --json`
//!   and the web API;
//! - `assess_arrow(table, explain, threads, reform)`: any Arrow table or record batch (through the Arrow PyCapsule
//!   interface) with the roster columns, under the law in force or a reform's YAML, assessed by the batch code of the roster crate on every core with the GIL
//!   released; gives the result table and the rejected rows;
//! - `params_json(date)`: the parameters in force on a date;
//! - `simulate_json(table, reform, threads)`: a population under the law and under a reform, compared.

use std::sync::OnceLock;

use chrono::NaiveDate;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use verblijf_roster::batch::{assess_batches, Options};
use verblijf_rules::{assess, assess_household, parse_case, Format, ParamSet};

static PARAMS: OnceLock<Result<ParamSet, String>> = OnceLock::new();

/// The parameters of the law embedded in the package.
fn params() -> PyResult<&'static ParamSet> {
    PARAMS
        .get_or_init(|| ParamSet::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| PyRuntimeError::new_err(format!("the embedded parameters: {e}")))
}

fn parse_date(field: &str, d: Option<&str>) -> PyResult<Option<NaiveDate>> {
    d.map(|s| {
        s.trim().parse::<NaiveDate>().map_err(|_| {
            PyValueError::new_err(format!("{field}: expected a date YYYY-MM-DD, found {s:?}"))
        })
    })
    .transpose()
}

/// Assesses a case given as YAML or JSON text; `date` (YYYY-MM-DD) replaces its reference date. Returns the JSON
/// answer: an assessment for one person, a household assessment for a household.
#[pyfunction]
#[pyo3(signature = (case, date=None))]
fn assess_json(py: Python<'_>, case: &str, date: Option<&str>) -> PyResult<String> {
    let date = parse_date("date", date)?;
    let p = params()?;
    let format = Format::detect(None, case);
    let mut c = parse_case(case, format).map_err(|e| PyValueError::new_err(e.to_string()))?;
    if let Some(d) = date {
        c.reference_date = d;
        verblijf_rules::input::validate(&c)
            .map_err(|e| PyValueError::new_err(format!("with date {d}: {e}")))?;
    }
    py.detach(|| {
        if c.people.is_empty() {
            serde_json::to_string(&assess(&c, p))
        } else {
            serde_json::to_string(&assess_household(&c, p))
        }
    })
    .map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Rejected rows: `(row, id, column, reason)`.
type Rejected = Vec<(u64, Option<String>, String, String)>;

/// Assesses a roster table, under the law in force or, given a reform's YAML, under the reform. Returns the
/// results as a pyarrow Table and the rejected rows as a list of `(row, id, column, reason)`, rows numbered from 1.
#[pyfunction]
#[pyo3(signature = (table, explain=false, threads=None, reform=None))]
fn assess_arrow<'py>(
    py: Python<'py>,
    table: PyTable,
    explain: bool,
    threads: Option<usize>,
    reform: Option<&str>,
) -> PyResult<(Bound<'py, PyAny>, Rejected)> {
    let reformed = reform
        .map(|r| {
            verblijf_roster::simulate::apply(params()?, r)
                .map(|(_, set)| set)
                .map_err(|e| PyValueError::new_err(format!("reform: {e}")))
        })
        .transpose()?;
    let p = match &reformed {
        Some(set) => set,
        None => params()?,
    };
    let (batches, schema) = table.into_inner();
    let mut opts = Options {
        explain,
        ..Options::default()
    };
    if let Some(t) = threads {
        opts.threads = t.max(1);
    }
    let assessed = py
        .detach(|| assess_batches(&schema, Box::new(batches.into_iter().map(Ok)), p, &opts))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let rejects = assessed
        .rejects
        .into_iter()
        .map(|e| (e.line, e.id, e.field, e.message))
        .collect();
    let out = PyTable::try_new(assessed.batches, assessed.schema)?.into_pyarrow(py)?;
    Ok((out, rejects))
}

/// The parameters in force on a date (YYYY-MM-DD), as JSON: `{date, params_hash, params: [{id, title, unit,
/// value}]}`, as the web API's `/api/v1/params` gives them.
#[pyfunction]
fn params_json(date: &str) -> PyResult<String> {
    let date = parse_date("date", Some(date))?.unwrap_or_default();
    let p = params()?;
    let values: Vec<serde_json::Value> = p
        .iter()
        .map(|x| serde_json::json!({ "id": x.id, "title": x.title, "unit": x.unit, "value": x.at(date) }))
        .collect();
    serde_json::to_string(
        &serde_json::json!({ "date": date, "params_hash": p.hash(), "params": values }),
    )
    .map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// A population (a roster table) under the law and under a reform (the YAML of `verblijf simulate --reform`),
/// compared. Returns the report as JSON, the same figures `verblijf simulate --json` writes (with `html_lang`, `en`
/// or `nl`: the HTML report of `verblijf simulate --out`, in that language), the number of rows
/// left out, and, when no row's dates fall where the reform changes anything, the sentence saying so (the warning
/// `verblijf simulate` prints).
#[pyfunction]
#[pyo3(signature = (table, reform, threads=None, html_lang=None))]
fn simulate_json(
    py: Python<'_>,
    table: PyTable,
    reform: &str,
    threads: Option<usize>,
    html_lang: Option<&str>,
) -> PyResult<(String, usize, Option<String>)> {
    let lang = match html_lang {
        None => None,
        Some("en") => Some(verblijf_rules::Lang::En),
        Some("nl") => Some(verblijf_rules::Lang::Nl),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "lang: expected 'en' or 'nl', found {other:?}"
            )))
        }
    };
    let p = params()?;
    let (reform, reformed) = verblijf_roster::simulate::apply(p, reform)
        .map_err(|e| PyValueError::new_err(format!("reform: {e}")))?;
    let (batches, schema) = table.into_inner();
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    py.detach(|| {
        let (cases, errors) =
            verblijf_roster::columnar::read_roster(&schema, Box::new(batches.into_iter().map(Ok)))
                .map_err(PyValueError::new_err)?;
        let untouched = verblijf_roster::simulate::untouched(&reform, &cases);
        let report = verblijf_roster::simulate::compare(&cases, p, &reformed, reform, threads);
        let text = match lang {
            Some(lang) => verblijf_roster::simulate::html_in(&report, lang),
            None => serde_json::to_string(&report)
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))?,
        };
        Ok((text, errors.len(), untouched))
    })
}

/// The native module.
#[pymodule]
fn _verblijf(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(assess_json, m)?)?;
    m.add_function(wrap_pyfunction!(assess_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(params_json, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_json, m)?)?;
    m.add("ENGINE_VERSION", verblijf_rules::ENGINE_VERSION)?;
    Ok(())
}
