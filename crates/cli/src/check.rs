//! `verblijf check CASE`: assess a case and explain the answer.

use std::io::Read;
use std::path::PathBuf;

use chrono::NaiveDate;
use verblijf_rules::{assess, parse_case, Format, Lang, ParamSet};

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The case file (YAML or JSON), or `-` for standard input.
    case: PathBuf,
    /// Print the assessment as JSON.
    #[arg(long)]
    json: bool,
    /// Language of the explanation.
    #[arg(long, default_value = "en", value_parser = crate::parse_lang)]
    lang: Lang,
    /// Assess on this date instead of the case's reference date (YYYY-MM-DD).
    #[arg(long)]
    date: Option<NaiveDate>,
}

pub fn run(args: Args, params: &ParamSet) -> Result<(), Failure> {
    let (name, text) = if args.case.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::Io(format!("standard input: {e}")))?;
        ("standard input".to_string(), s)
    } else {
        let name = args.case.display().to_string();
        let text =
            std::fs::read_to_string(&args.case).map_err(|e| Failure::Io(format!("{name}: {e}")))?;
        (name, text)
    };
    let format = Format::detect(args.case.to_str(), &text);
    let mut case = parse_case(&text, format).map_err(|e| Failure::Case(format!("{name}: {e}")))?;
    if let Some(d) = args.date {
        case.reference_date = d;
        verblijf_rules::input::validate(&case)
            .map_err(|e| Failure::Case(format!("{name} (with --date {d}): {e}")))?;
    }
    let a = assess(&case, params);
    if args.json {
        let s = serde_json::to_string_pretty(&a).map_err(|e| Failure::Io(e.to_string()))?;
        println!("{s}");
    } else {
        crate::render::assessment(&a, args.lang);
    }
    Ok(())
}
