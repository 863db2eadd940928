//! `verblijf`: the Dutch skilled-migration rules on the command line.
//!
//! Exit codes: 0 done; 2 wrong usage; 3 the case could not be read (the message names the file, line and field);
//! 4 a file could not be read or written; 5 the parameter set is invalid.

mod alerts;
mod batch;
mod can_work;
mod check;
mod generate;
mod params_cmd;
mod render;
mod schema;
mod serve;
mod simulate;
mod timeline;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use verblijf_rules::{Lang, ParamSet};

#[derive(Parser)]
#[command(
    name = "verblijf",
    version,
    about = "Dutch skilled-migration rules: who qualifies for which permit, and why"
)]
struct Cli {
    /// Load the parameters (the law as data) from this folder instead of the set built in.
    #[arg(long, global = true, value_name = "DIR", env = "VERBLIJF_PARAMS")]
    params: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the JSON API and the check in the browser (default http://127.0.0.1:8080).
    Serve(serve::Args),
    /// Assess a case (a YAML or JSON file, or `-` for standard input).
    Check(check::Args),
    /// May a person work on a date, on what terms, and what does an employer need?
    CanWork(can_work::Args),
    /// Draw a household's permits and deadlines on a time axis (SVG).
    Timeline(timeline::Args),
    /// Assess a whole roster (CSV or JSON Lines), streaming on every core.
    Batch(batch::Args),
    /// Write a deterministic synthetic population of N people (roster CSV) to standard output.
    Generate(generate::Args),
    /// Run a population under the law in force and under a reform, and report what changes (HTML).
    Simulate(simulate::Args),
    /// The deadlines of every household in an organisation's register.
    Alerts(alerts::Args),
    /// Show the parameters in force on a date, or one parameter's history, with their sources.
    Params(params_cmd::Args),
    /// Print the JSON Schema of the case format.
    Schema,
}

/// A failure, with the exit code it maps to.
pub enum Failure {
    Case(String),
    Io(String),
    Params(String),
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Case(_) => 3,
            Failure::Io(_) => 4,
            Failure::Params(_) => 5,
        }
    }
    fn message(&self) -> &str {
        match self {
            Failure::Case(m) | Failure::Io(m) | Failure::Params(m) => m,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => {
            load_params(cli.params.as_deref()).and_then(|p| check::run(args, &p))
        }
        Command::Params(args) => {
            load_params(cli.params.as_deref()).and_then(|p| params_cmd::run(args, &p))
        }
        Command::Schema => schema::run(),
        Command::Alerts(args) => {
            load_params(cli.params.as_deref()).and_then(|p| alerts::run(args, &p))
        }
        Command::Serve(args) => serve::run(args, cli.params.clone()),
        Command::Generate(args) => generate::run(args),
        Command::Simulate(args) => {
            load_params(cli.params.as_deref()).and_then(|p| simulate::run(args, &p))
        }
        Command::Batch(args) => {
            load_params(cli.params.as_deref()).and_then(|p| batch::run(args, &p))
        }
        Command::CanWork(args) => {
            load_params(cli.params.as_deref()).and_then(|p| can_work::run(args, &p))
        }
        Command::Timeline(args) => {
            load_params(cli.params.as_deref()).and_then(|p| timeline::run(args, &p))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            anstream::eprintln!("verblijf: {}", f.message());
            ExitCode::from(f.code())
        }
    }
}

/// The built-in parameter set, or the one in `dir`.
pub fn load_params(dir: Option<&Path>) -> Result<ParamSet, Failure> {
    let Some(dir) = dir else {
        return ParamSet::embedded()
            .map_err(|e| Failure::Params(format!("built-in parameters: {e}")));
    };
    let mut files = Vec::new();
    collect_yaml(dir, dir, &mut files).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Failure::Params(format!(
                "--params {}: no such folder (expected a folder of parameter files, *.yaml)",
                dir.display()
            ))
        } else {
            Failure::Io(format!("--params {}: {e}", dir.display()))
        }
    })?;
    if files.is_empty() {
        return Err(Failure::Params(format!(
            "{}: no parameter files (*.yaml) found",
            dir.display()
        )));
    }
    ParamSet::from_sources(files).map_err(|e| Failure::Params(format!("{}: {e}", dir.display())))
}

fn collect_yaml(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_yaml(&path, root, out)?;
        } else if path.extension().is_some_and(|x| x == "yaml") {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}

/// Today's date in the Netherlands' calendar is close enough to the machine's local date for a default.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}
