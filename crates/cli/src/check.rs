//! `verblijf check CASE`: assess a case (one person or a household) and explain the answer.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use verblijf_rules::{assess, assess_household, parse_case, Case, Format, Lang, ParamSet};

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
    let case = read_case(&args.case, args.date)?;
    let json = |v: &dyn erased::Json| -> Result<(), Failure> {
        println!("{}", v.pretty().map_err(Failure::Io)?);
        Ok(())
    };
    if !case.people.is_empty() {
        let h = assess_household(&case, params);
        if args.json {
            return json(&h);
        }
        crate::render::household(&h, args.lang);
        return Ok(());
    }
    let a = assess(&case, params);
    if args.json {
        return json(&a);
    }
    crate::render::assessment(&a, args.lang);
    let h = assess_household(&case, params);
    if let Some(m) = h.members.first() {
        crate::render::member_extras(m, args.lang);
    }
    Ok(())
}

mod erased {
    pub trait Json {
        fn pretty(&self) -> Result<String, String>;
    }
    impl<T: serde::Serialize> Json for T {
        fn pretty(&self) -> Result<String, String> {
            serde_json::to_string_pretty(self).map_err(|e| e.to_string())
        }
    }
}

/// Reads and validates a case from a file or standard input, with `--date` applied.
pub fn read_case(path: &Path, date: Option<NaiveDate>) -> Result<Case, Failure> {
    let (name, text) = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::Io(format!("standard input: {e}")))?;
        ("standard input".to_string(), s)
    } else {
        let name = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| Failure::Io(format!("{name}: {e}")))?;
        (name, text)
    };
    let format = Format::detect(path.to_str(), &text);
    let mut case = parse_case(&text, format).map_err(|e| Failure::Case(format!("{name}: {e}")))?;
    if let Some(d) = date {
        case.reference_date = d;
        verblijf_rules::input::validate(&case)
            .map_err(|e| Failure::Case(format!("{name} (with --date {d}): {e}")))?;
    }
    Ok(case)
}
