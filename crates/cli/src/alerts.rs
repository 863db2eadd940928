//! `verblijf alerts --db DB`: the deadlines of every household in an organisation's register (`--due`: only those
//! whose warning period, set per organisation, has started).

use anstream::println;
use chrono::NaiveDate;
use owo_colors::OwoColorize;
use verblijf_rules::{Lang, ParamSet};

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The register: a SQLite file or a `postgres://` URL.
    #[arg(long, env = "VERBLIJF_DB", default_value = "verblijf.db")]
    db: String,
    /// An API token of the organisation (from creating it, or `POST /api/v1/register/organisations`).
    #[arg(long, env = "VERBLIJF_TOKEN")]
    token: String,
    /// From this date (default: today).
    #[arg(long)]
    date: Option<NaiveDate>,
    /// Only deadlines within this many days.
    #[arg(long)]
    within: Option<i64>,
    /// Only deadlines whose warning period (the organisation's settings) has started.
    #[arg(long)]
    due: bool,
    #[arg(long)]
    json: bool,
    #[arg(long, default_value = "en", value_parser = crate::parse_lang)]
    lang: Lang,
}

pub fn run(args: Args, params: &ParamSet) -> Result<(), Failure> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Io(e.to_string()))?;
    let date = args.date.unwrap_or_else(crate::today);
    let alerts = rt.block_on(async {
        let store = verblijf_store::Store::open(&args.db)
            .await
            .map_err(|e| Failure::Io(format!("{}: {e}", args.db)))?;
        let actor = store
            .authenticate_token(&args.token)
            .await
            .map_err(|e| Failure::Case(format!("--token: {e}")))?;
        store
            .alerts(&actor, params, date)
            .await
            .map_err(|e| Failure::Io(e.to_string()))
    })?;
    let alerts: Vec<_> = alerts
        .into_iter()
        .filter(|a| args.within.is_none_or(|w| (a.date - date).num_days() <= w))
        .filter(|a| !args.due || a.due)
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&alerts).map_err(|e| Failure::Io(e.to_string()))?
        );
        return Ok(());
    }
    for a in &alerts {
        println!(
            "{}  {:<20} {}",
            a.date.to_string().cyan(),
            format!("{} ({})", a.person, a.household).bold(),
            a.what.get(args.lang)
        );
    }
    if alerts.is_empty() {
        println!(
            "{}",
            if args.lang == Lang::En {
                "No deadlines ahead."
            } else {
                "Geen termijnen."
            }
        );
    }
    Ok(())
}
