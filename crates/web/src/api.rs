//! The JSON API under `/api/v1`: the same answers as `verblijf check --json`, receipts included.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};
use verblijf_rules::{assess, assess_household, parse_case, work_rights, Case, Format};

use crate::error::Problem;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/assess", post(assess_case))
        .route("/api/v1/can-work", post(can_work))
        .route("/api/v1/params", get(params_on))
        .route("/api/v1/params/{id}", get(param_history))
        .route("/api/v1/schema", get(schema))
}

pub async fn healthz(State(s): State<AppState>) -> Json<Value> {
    Json(
        json!({ "status": "ok", "engine": verblijf_rules::ENGINE_VERSION, "params_hash": s.params.hash() }),
    )
}

#[derive(Deserialize)]
pub struct DateQuery {
    date: Option<String>,
}

fn parse_date(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>, Problem> {
    match s {
        None => Ok(None),
        Some(d) => d.parse().map(Some).map_err(|_| {
            Problem::bad_query(field, format!("expected a date YYYY-MM-DD, found {d:?}"))
        }),
    }
}

/// Reads the body as a case (JSON), with field-level errors; `date` overrides the reference date.
fn read_case(body: &str, date: Option<NaiveDate>) -> Result<Case, Problem> {
    if body.trim().is_empty() {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "empty-body",
            "No case",
            "send a case as JSON in the request body; see /api/v1/schema",
        ));
    }
    let mut case = parse_case(body, Format::Json).map_err(|e| Problem::bad_case(&e))?;
    if let Some(d) = date {
        case.reference_date = d;
        verblijf_rules::input::validate(&case).map_err(|e| Problem::bad_case(&e))?;
    }
    Ok(case)
}

/// Assesses a case: one person gives an assessment, a household a household assessment. The answer is serialised
/// straight into the response body.
pub async fn assess_case(
    State(s): State<AppState>,
    Query(q): Query<DateQuery>,
    body: String,
) -> Result<axum::response::Response, Problem> {
    let date = parse_date("date", q.date.as_deref())?;
    let case = read_case(&body, date)?;
    let bytes = if case.people.is_empty() {
        let a = assess(&case, &s.params);
        s.metrics.decisions(
            a.decisions
                .iter()
                .map(|d| (d.scheme.as_str(), d.outcome.as_str())),
        );
        serde_json::to_vec(&a)
    } else {
        let h = assess_household(&case, &s.params);
        s.metrics.decisions(
            h.members
                .iter()
                .flat_map(|m| m.assessment.decisions.iter())
                .map(|d| (d.scheme.as_str(), d.outcome.as_str())),
        );
        serde_json::to_vec(&h)
    };
    let bytes = bytes.map_err(|e| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            e.to_string(),
        )
    })?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CanWorkQuery {
    person: Option<String>,
    date: Option<String>,
}

/// May a person work on a date, on what terms, and what would an employer need?
pub async fn can_work(
    State(s): State<AppState>,
    Query(q): Query<CanWorkQuery>,
    body: String,
) -> Result<Json<Value>, Problem> {
    let date = parse_date("date", q.date.as_deref())?;
    let case = read_case(&body, None)?;
    let person = match (&q.person, &case.person) {
        (None, Some(p)) => p,
        (Some(id), _) => case.member(id).ok_or_else(|| {
            let ids: Vec<String> = case.members().iter().filter_map(|p| p.id.clone()).collect();
            Problem::bad_query(
                "person",
                format!(
                    "no person with id `{id}` in the case (known: {})",
                    ids.join(", ")
                ),
            )
        })?,
        (None, None) => {
            return Err(Problem::bad_query(
                "person",
                "a household needs `?person=<id>`",
            ))
        }
    };
    let w = work_rights(
        &s.params,
        &case,
        person,
        date.unwrap_or(case.reference_date),
    );
    Ok(Json(
        json!({ "receipt": { "engine": verblijf_rules::ENGINE_VERSION, "params_hash": s.params.hash(), "reference_date": case.reference_date }, "work_rights": w }),
    ))
}

/// The value of every parameter in force on a date (default: today).
pub async fn params_on(
    State(s): State<AppState>,
    Query(q): Query<DateQuery>,
) -> Result<Json<Value>, Problem> {
    let date =
        parse_date("date", q.date.as_deref())?.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let values: Vec<Value> = s
        .params
        .iter()
        .map(|p| json!({ "id": p.id, "title": p.title, "unit": p.unit, "value": p.at(date) }))
        .collect();
    Ok(Json(
        json!({ "date": date, "params_hash": s.params.hash(), "params": values }),
    ))
}

/// One parameter's whole history with sources.
pub async fn param_history(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let p = s.params.get(&id).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-parameter",
            "No such parameter",
            format!("no parameter `{id}`; GET /api/v1/params lists them"),
        )
    })?;
    Ok(Json(json!({ "params_hash": s.params.hash(), "param": p })))
}

pub async fn schema() -> Json<Value> {
    Json(verblijf_rules::case_schema())
}
