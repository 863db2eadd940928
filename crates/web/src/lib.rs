//! The web: a JSON API under `/api/v1` with an OpenAPI 3.1 document, health and metrics, and the check a person
//! fills in (server-rendered pages in English and Dutch that work without JavaScript).
//!
//! [`app`] builds the router from a state, so tests can serve it on any port; `verblijf serve` binds it.

// A problem is built once per failed request; boxing it buys nothing measurable.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod error;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod register;
pub mod register_pages;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use verblijf_rules::ParamSet;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub params: Arc<ParamSet>,
    pub metrics: Arc<metrics::Metrics>,
    /// The case register, when the server has one.
    pub store: Option<Arc<verblijf_store::Store>>,
    /// Recent failed sign-ins per email address (login rate limiting).
    pub login_failures:
        Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<std::time::Instant>>>>,
    /// How the register's web pages keep people signed in.
    pub sessions: SessionSettings,
}

/// Sessions of the register's web pages.
#[derive(Clone, Copy, Debug, Default)]
pub struct SessionSettings {
    /// Idle timeout and absolute lifetime (defaults: 30 minutes, 12 hours).
    pub limits: verblijf_store::SessionLimits,
    /// The server is reached over HTTPS (directly or behind a proxy): cookies get the `Secure` flag.
    pub behind_https: bool,
}

impl AppState {
    pub fn new(params: ParamSet) -> AppState {
        AppState {
            params: Arc::new(params),
            metrics: Arc::new(metrics::Metrics::default()),
            store: None,
            login_failures: Arc::default(),
            sessions: SessionSettings::default(),
        }
    }

    /// The same state with other session settings.
    pub fn with_sessions(mut self, sessions: SessionSettings) -> AppState {
        self.sessions = sessions;
        self
    }

    /// The same state with a case register.
    pub fn with_store(mut self, store: verblijf_store::Store) -> AppState {
        self.store = Some(Arc::new(store));
        self
    }
}

/// The largest request body accepted (a household of many people fits in a few kilobytes).
pub const BODY_LIMIT: usize = 256 * 1024;
/// The longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The whole application.
pub fn app(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(register::routes())
        .merge(register_pages::routes())
        .route("/healthz", axum::routing::get(api::healthz))
        .route("/metrics", axum::routing::get(metrics::handler))
        .route("/api/openapi.json", axum::routing::get(openapi::handler))
        .route("/api/docs", axum::routing::get(openapi::docs))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// The Content-Security-Policy of every HTML page. Styles are inline (`<style>` and `style=` attributes), so
/// `style-src` allows inline styles; the one script (the check's enhancement that hides questions which cannot change
/// the answer) is allowed by its SHA-256 alone, so no injected script runs. Forms post only to this server and no
/// other site may frame a page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-KjeAIRWYM6+H6x0GpmRBqgCHIO87OhuOowd1bDLcIc4='; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of every other answer (JSON, CSV, calendar, metrics): nothing in it may load or run, nor be framed.
pub const CONTENT_SECURITY_POLICY_DATA: &str = "default-src 'none'; frame-ancestors 'none'";

/// Middleware: security headers on every answer. Query strings may hold a calendar token, so no page sends a
/// `Referer`.
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if html {
            CONTENT_SECURITY_POLICY
        } else {
            CONTENT_SECURITY_POLICY_DATA
        }),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

/// Serves until the future `shutdown` completes (graceful: requests in flight finish).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
