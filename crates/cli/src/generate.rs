//! `verblijf generate N`: a deterministic synthetic population in the roster CSV format.

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// How many people.
    n: u64,
    /// The seed: the same seed and size give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The earliest reference date.
    #[arg(long, default_value = "2015-01-01")]
    from: chrono::NaiveDate,
    /// The latest reference date.
    #[arg(long, default_value = "2026-12-31")]
    to: chrono::NaiveDate,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let out = std::io::stdout().lock();
    if args.to < args.from {
        return Err(Failure::Case(format!(
            "--to {} is before --from {}",
            args.to, args.from
        )));
    }
    verblijf_roster::generate::write_population_between(args.n, args.seed, args.from, args.to, out)
        .map_err(|e| Failure::Io(e.to_string()))
}
