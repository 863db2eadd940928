//! Errors as `application/problem+json` (RFC 9457): a type, a title, the status, a detail that says what was
//! expected, and for a bad case the field, line and column.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("https://verblijf.nl/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            line: None,
            column: None,
        }
    }

    pub fn bad_case(e: &verblijf_rules::CaseError) -> Problem {
        Problem {
            field: (!e.field.is_empty() && e.field != ".").then(|| e.field.clone()),
            line: e.line,
            column: e.column,
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-case",
                "The case is not valid",
                e.to_string(),
            )
        }
    }

    pub fn bad_query(field: &str, detail: impl Into<String>) -> Problem {
        Problem {
            field: Some(field.into()),
            ..Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-parameter",
                "A query parameter is not valid",
                detail,
            )
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

pub async fn not_found(uri: axum::http::Uri) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        format!("no page or endpoint at {}; see /api/docs", uri.path()),
    )
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request panicked");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        "the request could not be completed",
    )
    .into_response()
}
