//! `verblijf batch ROSTER --out RESULTS`: assess a whole roster, streaming, on every core.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use verblijf_roster::batch::{
    run as run_batch, run_columnar, InputFormat, Options, OutputFormat, Progress,
};
use verblijf_roster::columnar::ColumnarFormat;
use verblijf_rules::ParamSet;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The roster: CSV (the roster format), JSON Lines (one case a line, `.jsonl`), Parquet (`.parquet`) or Arrow
    /// IPC (`.arrow`, `.feather`), by extension; or `-` for CSV on standard input.
    roster: PathBuf,
    /// Where to write the results (default: standard output, CSV). By extension: `.jsonl` JSON Lines, `.parquet`
    /// Parquet, `.arrow` or `.feather` Arrow IPC, anything else CSV.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where to write rejected rows (default: next to the output as `<out>.rejects.csv`, or `rejects.csv`).
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Read JSON Lines instead of CSV (default: by the file's extension).
    #[arg(long)]
    jsonl: bool,
    /// Add the full explanation of each person to the results.
    #[arg(long)]
    explain: bool,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Only parse and write, without the rules (to measure the floor).
    #[arg(long, hide = true)]
    parse_only: bool,
}

pub fn run(args: Args, params: &ParamSet) -> Result<(), Failure> {
    let stdin = args.roster.as_os_str() == "-";
    let columnar_in = (!stdin && !args.jsonl)
        .then(|| ColumnarFormat::from_path(&args.roster))
        .flatten();
    let jsonl_in = args.jsonl
        || args
            .roster
            .extension()
            .is_some_and(|e| e == "jsonl" || e == "ndjson");
    let output_format = match args.out.as_deref().and_then(ColumnarFormat::from_path) {
        Some(ColumnarFormat::Parquet) => OutputFormat::Parquet,
        Some(ColumnarFormat::Ipc) => OutputFormat::Arrow,
        None if args
            .out
            .as_ref()
            .is_some_and(|o| o.extension().is_some_and(|e| e == "jsonl")) =>
        {
            OutputFormat::Jsonl
        }
        None => OutputFormat::Csv,
    };
    let output: Box<dyn std::io::Write + Send> = match &args.out {
        Some(p) => {
            Box::new(File::create(p).map_err(|e| Failure::Io(format!("{}: {e}", p.display())))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let rejects_path = args.rejects.clone().unwrap_or_else(|| match &args.out {
        Some(o) => PathBuf::from(format!("{}.rejects.csv", o.display())),
        None => PathBuf::from("rejects.csv"),
    });
    let rejects = File::create(&rejects_path)
        .map_err(|e| Failure::Io(format!("{}: {e}", rejects_path.display())))?;
    let mut opts = Options {
        input: if jsonl_in {
            InputFormat::Jsonl
        } else {
            InputFormat::Csv
        },
        output: output_format,
        explain: args.explain,
        parse_only: args.parse_only,
        ..Options::default()
    };
    if let Some(t) = args.threads {
        opts.threads = t.max(1);
    }
    enum Input {
        Bytes(Box<dyn Read + Send>),
        Columns(
            arrow::datatypes::SchemaRef,
            verblijf_roster::columnar::Batches,
        ),
    }
    let (input, size) = if stdin {
        (Input::Bytes(Box::new(std::io::stdin())), 0)
    } else if let Some(format) = columnar_in {
        let (schema, batches) = verblijf_roster::columnar::open(&args.roster, format)
            .map_err(|e| Failure::Case(format!("{}: {e}", args.roster.display())))?;
        // The progress of a columnar file is counted in rows.
        let rows = match format {
            ColumnarFormat::Parquet => verblijf_roster::columnar::parquet_rows(&args.roster),
            ColumnarFormat::Ipc => 0,
        };
        (Input::Columns(schema, batches), rows)
    } else {
        let f = File::open(&args.roster)
            .map_err(|e| Failure::Io(format!("{}: {e}", args.roster.display())))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        (Input::Bytes(Box::new(f)), size)
    };
    let progress = Progress::default();
    let show = std::io::stderr().is_terminal();
    let done = std::sync::atomic::AtomicBool::new(false);
    let bar = show.then(|| {
        let bar = if size > 0 {
            indicatif::ProgressBar::new(size)
        } else {
            indicatif::ProgressBar::new_spinner()
        };
        let style = if size > 0 {
            "{bar:40} {percent:>3}%  {msg}  eta {eta}"
        } else {
            "{spinner} {msg}"
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(style)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let result = std::thread::scope(|scope| {
        let ticker = scope.spawn(|| {
            let Some(bar) = &bar else { return };
            let start = std::time::Instant::now();
            while !done.load(Ordering::Relaxed) {
                let rows = progress.rows_done.load(Ordering::Relaxed);
                let rate = rows as f64 / start.elapsed().as_secs_f64().max(0.001);
                bar.set_position(progress.bytes_read.load(Ordering::Relaxed));
                bar.set_message(format!(
                    "{rows} rows, {rate:.0} rows/s, {} rejected",
                    progress.rejected.load(Ordering::Relaxed)
                ));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        let r = match input {
            Input::Bytes(input) => run_batch(input, output, rejects, params, &opts, &progress),
            Input::Columns(schema, batches) => {
                run_columnar(&schema, batches, output, rejects, params, &opts, &progress)
            }
        };
        done.store(true, Ordering::Relaxed);
        let _ = ticker.join();
        r
    });
    let s = result.map_err(|e| match e {
        verblijf_roster::batch::BatchError::Header(m) => {
            Failure::Case(format!("{}: {m}", args.roster.display()))
        }
        verblijf_roster::batch::BatchError::Io(e) => Failure::Io(e.to_string()),
    })?;
    let rate = s.rows as f64 / s.elapsed.as_secs_f64().max(1e-9);
    anstream::eprintln!(
        "{} rows read, {} people assessed, {} rows rejected (see {}), in {:.2} s ({rate:.0} rows/s)",
        s.rows,
        s.people,
        s.rejected,
        rejects_path.display(),
        s.elapsed.as_secs_f64()
    );
    Ok(())
}
