//! `verblijf serve`: the JSON API and the check a person fills in, over HTTP.
//!
//! Settings, strongest first: flags, environment (`VERBLIJF_ADDR`, `VERBLIJF_PARAMS`, `VERBLIJF_LOG`, `VERBLIJF_DB`), a
//! YAML config file (`--config`), and the defaults (127.0.0.1:8080, the built-in parameters, the register in the
//! SQLite file `verblijf.db`).

use std::path::PathBuf;

use serde::Deserialize;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "VERBLIJF_ADDR")]
    addr: Option<String>,
    /// A YAML file with `addr`, `params` and `log` (`text` or `json`).
    #[arg(long, env = "VERBLIJF_CONFIG")]
    config: Option<PathBuf>,
    /// Log format: `text` or `json`.
    #[arg(long, env = "VERBLIJF_LOG")]
    log: Option<String>,
    /// The case register: a SQLite file (created on first run) or a `postgres://` URL.
    #[arg(long, env = "VERBLIJF_DB")]
    db: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Config {
    addr: Option<String>,
    params: Option<PathBuf>,
    log: Option<String>,
    db: Option<String>,
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
        let store = verblijf_store::Store::open(&db).await.map_err(|e| Failure::Io(format!("the register at {db}: {e}")))?;
        tracing::info!(db = %db, backend = ?store.backend, "register open");
        let state = verblijf_web::AppState::new(params).with_store(store);
        verblijf_web::serve(listener, state, shutdown()).await.map_err(|e| Failure::Io(e.to_string()))
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
