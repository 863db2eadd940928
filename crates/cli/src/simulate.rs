//! `verblijf simulate POPULATION --reform REFORM.yaml --out report.html [--lang nl]`: the population under the law
//! and under a reform, compared, in a report in English or Dutch.

use std::fs::File;
use std::path::PathBuf;

use verblijf_roster::columnar::ColumnarFormat;
use verblijf_rules::{Lang, ParamSet};

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The population: a roster as CSV (see `verblijf generate`), Parquet (`.parquet`) or Arrow IPC (`.arrow`,
    /// `.feather`), by extension.
    population: PathBuf,
    /// The reform: a YAML file of parameter overrides (see docs/roster-format.md).
    #[arg(long)]
    reform: PathBuf,
    /// Where to write the HTML report.
    #[arg(long, default_value = "report.html")]
    out: PathBuf,
    /// Also write the figures as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// The report's language: `en` or `nl`.
    #[arg(long, default_value = "en", value_parser = crate::parse_lang)]
    lang: Lang,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    threads: Option<usize>,
}

pub fn run(args: Args, params: &ParamSet) -> Result<(), Failure> {
    let reform_text = std::fs::read_to_string(&args.reform)
        .map_err(|e| Failure::Io(format!("{}: {e}", args.reform.display())))?;
    let (reform, reformed) = verblijf_roster::simulate::apply(params, &reform_text)
        .map_err(|e| Failure::Case(format!("{}: {e}", args.reform.display())))?;
    let columnar = ColumnarFormat::from_path(&args.population);
    let (cases, errors) = match columnar {
        Some(format) => verblijf_roster::columnar::open(&args.population, format)
            .and_then(|(schema, batches)| verblijf_roster::columnar::read_roster(&schema, batches)),
        None => {
            let f = File::open(&args.population)
                .map_err(|e| Failure::Io(format!("{}: {e}", args.population.display())))?;
            verblijf_roster::row::read_roster(std::io::BufReader::new(f))
        }
    }
    .map_err(|e| Failure::Case(format!("{}: {e}", args.population.display())))?;
    for e in errors.iter().take(10) {
        // A columnar roster numbers its rows from 1, a CSV one its lines (the header is line 1).
        let e = e.to_string();
        let e = match columnar {
            Some(_) => e.replacen("line ", "row ", 1),
            None => e,
        };
        anstream::eprintln!("{}: {e} (left out)", args.population.display());
    }
    if let Some(w) = verblijf_roster::simulate::untouched(&reform, &cases) {
        anstream::eprintln!("warning: {}: {w}", args.reform.display());
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let report = verblijf_roster::simulate::compare(&cases, params, &reformed, reform, threads);
    std::fs::write(
        &args.out,
        verblijf_roster::simulate::html_in(&report, args.lang),
    )
    .map_err(|e| Failure::Io(format!("{}: {e}", args.out.display())))?;
    if let Some(j) = &args.json {
        let s = serde_json::to_string_pretty(&report).map_err(|e| Failure::Io(e.to_string()))?;
        std::fs::write(j, s).map_err(|e| Failure::Io(format!("{}: {e}", j.display())))?;
    }
    anstream::eprintln!(
        "{} people, {} outcomes change, {} rows left out; report in {}",
        report.people,
        report.flips_total,
        errors.len(),
        args.out.display()
    );
    Ok(())
}
