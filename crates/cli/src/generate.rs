//! `verblijf generate N`: a deterministic synthetic population in the roster format.

use std::path::PathBuf;

use verblijf_roster::columnar::ColumnarFormat;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// How many people.
    n: u64,
    /// The seed: the same seed and size give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The earliest reference (and filing) date: the dates are drawn evenly from `--from` to `--until`.
    #[arg(long, default_value = "2015-01-01")]
    from: chrono::NaiveDate,
    /// The latest reference (and filing) date, included.
    #[arg(long, default_value = "2026-12-31", visible_alias = "to")]
    until: chrono::NaiveDate,
    /// Where to write the roster (default: standard output, CSV). By extension: `.parquet` Parquet, `.arrow` or
    /// `.feather` Arrow IPC, with dates, amounts and counts typed; anything else CSV.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<(), Failure> {
    if args.until < args.from {
        return Err(Failure::Case(format!(
            "--until {} is before --from {}",
            args.until, args.from
        )));
    }
    let write = |out: &mut dyn std::io::Write| {
        verblijf_roster::generate::write_population_between(
            args.n, args.seed, args.from, args.until, out,
        )
        .map_err(|e| Failure::Io(e.to_string()))
    };
    let Some(path) = &args.out else {
        return write(&mut std::io::stdout().lock());
    };
    let file =
        std::fs::File::create(path).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
    match ColumnarFormat::from_path(path) {
        None => write(&mut std::io::BufWriter::new(file)),
        Some(format) => {
            // The CSV roster in memory, then read into typed columns.
            let mut csv = Vec::new();
            write(&mut csv)?;
            verblijf_roster::columnar::write_roster_from_csv(csv.as_slice(), file, format)
                .map(|_| ())
                .map_err(|e| Failure::Io(format!("{}: {e}", path.display())))
        }
    }
}
