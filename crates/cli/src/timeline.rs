//! `verblijf timeline CASE --out household.svg`: each person's permits as bars on a date axis, deadlines marked.

use std::path::PathBuf;

use chrono::NaiveDate;
use verblijf_rules::{assess_household, Lang, ParamSet};

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The case file (YAML or JSON), or `-` for standard input.
    case: PathBuf,
    /// Where to write the SVG (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The date to draw from (default: the case's reference date).
    #[arg(long)]
    date: Option<NaiveDate>,
    #[arg(long, default_value = "en", value_parser = crate::parse_lang)]
    lang: Lang,
}

pub fn run(args: Args, params: &ParamSet) -> Result<(), Failure> {
    let case = crate::check::read_case(&args.case, args.date)?;
    let h = assess_household(&case, params);
    let svg = verblijf_rules::timeline::svg(&case, &h, args.lang);
    match args.out {
        Some(path) => std::fs::write(&path, svg)
            .map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?,
        None => print!("{svg}"),
    }
    Ok(())
}
