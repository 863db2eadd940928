//! The web: a JSON API under `/api/v1` with an OpenAPI 3.1 document, health and metrics, and the check a person
//! fills in (server-rendered pages in English and Dutch that work without JavaScript).
//!
//! [`app`] builds the router from a state, so tests can serve it on any port; `verblijf serve` binds it.

// A problem is built once per failed request; boxing it buys nothing measurable.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod error;
pub mod login_limit;
pub mod mail;
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
    /// Failed sign-ins per address and account (sign-in limits, shared by the API and the pages).
    pub login_limits: Arc<login_limit::LoginLimiter>,
    /// How the register's web pages keep people signed in.
    pub sessions: SessionSettings,
    /// Email (sign-up confirmation, reminders), when the server has SMTP settings.
    pub mailer: Option<Arc<mail::Mailer>>,
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
            login_limits: Arc::default(),
            sessions: SessionSettings::default(),
            mailer: None,
        }
    }

    /// The same state with other session settings.
    pub fn with_sessions(mut self, sessions: SessionSettings) -> AppState {
        self.sessions = sessions;
        self
    }

    /// The same state sending email.
    pub fn with_mailer(mut self, mailer: mail::Mailer) -> AppState {
        self.mailer = Some(Arc::new(mailer));
        self
    }

    /// The same state with a case register.
    pub fn with_store(mut self, store: verblijf_store::Store) -> AppState {
        self.store = Some(Arc::new(store));
        self
    }
}

/// The address of the client a request came from (the peer of the connection), when the server knows it. Behind a
/// reverse proxy this is the proxy: `X-Forwarded-For` is not trusted, since any client can send it.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Seconds for a `Retry-After` header: the wait rounded up, at least one.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_millis().div_ceil(1000).max(1) as u64
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
/// other site may frame a page. A page may read from this server only (`connect-src 'self'`).
pub static CONTENT_SECURITY_POLICY: std::sync::LazyLock<axum::http::HeaderValue> =
    std::sync::LazyLock::new(|| {
        use base64::Engine as _;
        use sha2::Digest as _;
        // The hash of the script as the page holds it, computed here so that a change to the script cannot leave the
        // policy behind.
        let hash = base64::engine::general_purpose::STANDARD
            .encode(sha2::Sha256::digest(pages::script_body()));
        axum::http::HeaderValue::from_str(&format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ))
    .expect("the policy is ASCII")
    });

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
    if res.status() == axum::http::StatusCode::INTERNAL_SERVER_ERROR && is_plain_text(&res) {
        res = header_value_failure_refused(res).await;
    } else if res.status().is_client_error() && is_plain_text(&res) {
        res = rejection_as_problem(res).await;
    }
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        if html {
            CONTENT_SECURITY_POLICY.clone()
        } else {
            HeaderValue::from_static(CONTENT_SECURITY_POLICY_DATA)
        },
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

fn is_plain_text(res: &axum::response::Response) -> bool {
    res.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"))
}

/// axum's text when a value put into a response header (a redirect's `Location` built from a form field) holds a
/// newline or another character a header cannot carry.
const HEADER_VALUE_FAILURE: &[u8] = b"failed to parse header value";

/// A 500 with axum's header-value text was caused by the input, so it becomes a 400 that says so; any other plain
/// 500 is passed on as it was.
async fn header_value_failure_refused(res: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, 1024).await {
        Ok(bytes) if bytes.as_ref() == HEADER_VALUE_FAILURE => error::Problem::new(
            axum::http::StatusCode::BAD_REQUEST,
            "invalid-character",
            "A value is not valid",
            "a value holds a newline or another control character that cannot be part of a link",
        )
        .into_response(),
        Ok(bytes) => axum::response::Response::from_parts(parts, axum::body::Body::from(bytes)),
        Err(_) => axum::response::Response::from_parts(parts, axum::body::Body::empty()),
    }
}

/// axum's own refusals (a body too large, a body that is not UTF-8, a form or query it cannot read) are plain text;
/// every refusal of this server is `application/problem+json`, so they are answered as problems with axum's text as
/// the detail.
async fn rejection_as_problem(res: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = res.status();
    let (kind, title) = match status.as_u16() {
        413 => ("too-large", "The request body is too large"),
        415 => ("unsupported-media-type", "The content type is not accepted"),
        _ => ("bad-request", "The request is not valid"),
    };
    let detail = match axum::body::to_bytes(res.into_body(), 4096).await {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => String::new(),
    };
    let detail = if status.as_u16() == 413 {
        format!("a request body is at most {BODY_LIMIT} bytes ({detail})")
    } else {
        detail
    };
    error::Problem::new(status, kind, title, detail).into_response()
}

/// How the server treats connections.
#[derive(Clone, Copy, Debug)]
pub struct ServeLimits {
    /// The longest a client may take to send a request's headers, counted from when the server waits for them; a
    /// kept-alive connection that sends nothing is closed after this too.
    pub header_read: Duration,
    /// The most connections served at once; beyond it new connections wait in the listen queue (they hold no file
    /// descriptor of the server until accepted). Keep it below the process's open-file limit.
    pub max_connections: usize,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_read: Duration::from_secs(10),
            max_connections: 512,
        }
    }
}

/// Serves until the future `shutdown` completes (graceful: requests in flight finish), with the default
/// [`ServeLimits`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, shutdown, ServeLimits::default()).await
}

/// Serves with the given limits: a connection that is slow to send its headers, or idle, is closed; at most
/// `max_connections` are served at once; an accept error (such as too many open files) is logged and accepting goes
/// on after a pause, so the server never stops answering once connections are freed.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    limits: ServeLimits,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let router = app(state);
    // HTTP/1.1 only: detecting HTTP/2 first means reading from the client with no deadline, which a client that
    // sends nothing holds open for ever. The header deadline runs from the moment the server waits for a request.
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            _ = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => match slot { Ok(s) => s, Err(_) => break },
        };
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed; retrying shortly");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let svc = router.clone().map_request(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req
            },
        );
        let builder = builder.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let conn = builder
                .serve_connection(
                    TokioIo::new(stream),
                    hyper_util::service::TowerToHyperService::new(svc),
                )
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.as_mut().await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Requests in flight finish: every connection gives its slot back when it ends.
    let _ = slots
        .acquire_many(limits.max_connections.max(1) as u32)
        .await;
    Ok(())
}
