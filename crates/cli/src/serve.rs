//! `verblijf serve`: the JSON API and the check a person fills in, over HTTP.
//!
//! Settings, strongest first: flags, environment (`VERBLIJF_ADDR`, `VERBLIJF_PARAMS`, `VERBLIJF_LOG`, `VERBLIJF_DB`,
//! `VERBLIJF_BEHIND_HTTPS`, `VERBLIJF_SESSION_IDLE_MINUTES`, `VERBLIJF_SESSION_MAX_HOURS`, `VERBLIJF_MAX_CONNECTIONS`,
//! `VERBLIJF_HEADER_TIMEOUT_SECS`, `VERBLIJF_SMTP_URL`, `VERBLIJF_MAIL_FROM`, `VERBLIJF_PUBLIC_URL`,
//! `VERBLIJF_REMINDER_CHECK_MINUTES`), a YAML config file (`--config`), and the defaults (127.0.0.1:8080, the built-in
//! parameters, the register in the SQLite file `verblijf.db`, sessions of 30 minutes idle and 12 hours at most,
//! cookies without `Secure`, 512 connections at most, 10 seconds to send headers, no email; with email, reminders
//! checked every 15 minutes and links to the address listened on). The database and SMTP URLs are printed only with
//! their passwords redacted.

use std::path::PathBuf;

use serde::Deserialize;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "VERBLIJF_ADDR")]
    addr: Option<String>,
    /// A YAML file with `addr`, `params`, `log` (`text` or `json`), `db`, `behind_https`, `session_idle_minutes`,
    /// `session_max_hours`, `max_connections`, `header_timeout_secs`, `smtp_url`, `mail_from`, `public_url` and
    /// `reminder_check_minutes`.
    #[arg(long, env = "VERBLIJF_CONFIG")]
    config: Option<PathBuf>,
    /// Log format: `text` or `json`.
    #[arg(long, env = "VERBLIJF_LOG")]
    log: Option<String>,
    /// The case register: a SQLite file (created on first run) or a `postgres://` URL.
    #[arg(long, env = "VERBLIJF_DB")]
    db: Option<String>,
    /// The server is reached over HTTPS (directly or behind a proxy): the register's cookies get `Secure`.
    #[arg(long, env = "VERBLIJF_BEHIND_HTTPS")]
    behind_https: bool,
    /// Minutes without use after which a register session ends (default 30).
    #[arg(long, env = "VERBLIJF_SESSION_IDLE_MINUTES")]
    session_idle_minutes: Option<u64>,
    /// Hours after sign-in after which a register session ends however busy (default 12).
    #[arg(long, env = "VERBLIJF_SESSION_MAX_HOURS")]
    session_max_hours: Option<u64>,
    /// The most connections served at once (default 512); keep it below the open-file limit (`ulimit -n`).
    #[arg(long, env = "VERBLIJF_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Seconds a client has to send a request's headers; an idle connection is closed after as long (default 10).
    #[arg(long, env = "VERBLIJF_HEADER_TIMEOUT_SECS")]
    header_timeout_secs: Option<u64>,
    /// Send email through this SMTP server: sign-ups are confirmed by email and users can choose reminders.
    /// `smtp://host:port` (no TLS), `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`.
    #[arg(long, env = "VERBLIJF_SMTP_URL")]
    smtp_url: Option<String>,
    /// The sender of the register's email (default `Verblijf <verblijf@localhost>`).
    #[arg(long, env = "VERBLIJF_MAIL_FROM")]
    mail_from: Option<String>,
    /// The address people reach the server at, for the links in emails (default: http:// and the address listened
    /// on).
    #[arg(long, env = "VERBLIJF_PUBLIC_URL")]
    public_url: Option<String>,
    /// Minutes between checks for due reminders (default 15).
    #[arg(long, env = "VERBLIJF_REMINDER_CHECK_MINUTES")]
    reminder_check_minutes: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Config {
    addr: Option<String>,
    params: Option<PathBuf>,
    log: Option<String>,
    db: Option<String>,
    behind_https: Option<bool>,
    session_idle_minutes: Option<u64>,
    session_max_hours: Option<u64>,
    max_connections: Option<usize>,
    header_timeout_secs: Option<u64>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    public_url: Option<String>,
    reminder_check_minutes: Option<u64>,
}

pub fn run(args: Args, params_flag: Option<PathBuf>) -> Result<(), Failure> {
    let config: Config = match &args.config {
        None => Config::default(),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Failure::Io(format!("{}: {e}", p.display())))?;
            serde_norway::from_str(&text)
                .map_err(|e| Failure::Case(format!("{}: {e}", p.display())))?
        }
    };
    let addr = args
        .addr
        .or(config.addr)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let params = crate::load_params(params_flag.or(config.params).as_deref())?;
    let log = args.log.or(config.log).unwrap_or_else(|| "text".into());
    let db = args
        .db
        .or(config.db)
        .unwrap_or_else(|| "verblijf.db".into());
    let defaults = verblijf_store::SessionLimits::default();
    let sessions = verblijf_web::SessionSettings {
        limits: verblijf_store::SessionLimits {
            idle: args
                .session_idle_minutes
                .or(config.session_idle_minutes)
                .map_or(defaults.idle, |m| {
                    std::time::Duration::from_secs(m.max(1) * 60)
                }),
            absolute: args
                .session_max_hours
                .or(config.session_max_hours)
                .map_or(defaults.absolute, |h| {
                    std::time::Duration::from_secs(h.max(1) * 3600)
                }),
        },
        behind_https: args.behind_https || config.behind_https.unwrap_or(false),
    };
    let serve_defaults = verblijf_web::ServeLimits::default();
    let limits = verblijf_web::ServeLimits {
        max_connections: args
            .max_connections
            .or(config.max_connections)
            .unwrap_or(serve_defaults.max_connections)
            .max(1),
        header_read: args
            .header_timeout_secs
            .or(config.header_timeout_secs)
            .map_or(serve_defaults.header_read, |s| {
                std::time::Duration::from_secs(s.max(1))
            }),
    };
    let smtp_url = args.smtp_url.or(config.smtp_url);
    let mail_from = args
        .mail_from
        .or(config.mail_from)
        .unwrap_or_else(|| "Verblijf <verblijf@localhost>".into());
    let public_url = args.public_url.or(config.public_url);
    let reminder_every = std::time::Duration::from_secs(
        args.reminder_check_minutes
            .or(config.reminder_check_minutes)
            .unwrap_or(15)
            .max(1)
            * 60,
    );
    let subscriber = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| "info".into()),
    );
    match log.as_str() {
        "json" => subscriber.json().init(),
        "text" => subscriber.init(),
        other => {
            return Err(Failure::Case(format!(
                "--log: expected `text` or `json`, found `{other}`"
            )))
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Io(e.to_string()))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| Failure::Io(format!("cannot listen on {addr}: {e}")))?;
        let local = listener.local_addr().map_err(|e| Failure::Io(e.to_string()))?;
        tracing::info!(addr = %local, params = params.hash(), "serving; the check is at http://{local}/");
        anstream::eprintln!("verblijf: serving on http://{local}/ (API docs at http://{local}/api/docs); Ctrl-C stops");
        // The URL may hold the database's password: only its redacted form is ever printed.
        let shown = verblijf_store::redact_url(&db);
        let store = verblijf_store::Store::open(&db).await.map_err(|e| Failure::Io(verblijf_store::redact_in(&format!("the register at {shown}: {e}"), &db)))?;
        tracing::info!(db = %shown, backend = ?store.backend, "register open");
        let mut state = verblijf_web::AppState::new(params).with_store(store).with_sessions(sessions);
        if let Some(url) = smtp_url {
            let settings = verblijf_web::mail::MailSettings {
                public_url: public_url.unwrap_or_else(|| format!("http://{local}")),
                smtp_url: url.clone(),
                from: mail_from,
            };
            let mailer = verblijf_web::mail::Mailer::new(&settings).map_err(|e| Failure::Case(verblijf_store::redact_in(&e, &url)))?;
            tracing::info!(smtp = %verblijf_store::redact_url(&url), public_url = %settings.public_url, "email on: sign-ups are confirmed by email, reminders checked every {} minutes", reminder_every.as_secs() / 60);
            state = state.with_mailer(mailer);
            verblijf_web::mail::spawn_reminders(state.clone(), reminder_every);
        }
        verblijf_web::serve_with(listener, state, shutdown(), limits).await.map_err(|e| Failure::Io(e.to_string()))
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
