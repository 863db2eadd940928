//! `verblijf generate N`: a deterministic synthetic population in the roster CSV format.

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// How many people.
    n: u64,
    /// The seed: the same seed and size give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let out = std::io::stdout().lock();
    verblijf_roster::generate::write_population(args.n, args.seed, out)
        .map_err(|e| Failure::Io(e.to_string()))
}
