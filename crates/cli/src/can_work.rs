//! `verblijf can-work CASE --person ID`: may this person work here, on what terms, until when, and what does an
//! employer need?

use std::path::PathBuf;

use anstream::println;
use chrono::NaiveDate;
use owo_colors::OwoColorize;
use verblijf_rules::{work_rights, Lang, ParamSet, WorkStatus};

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The case file (YAML or JSON), or `-` for standard input.
    case: PathBuf,
    /// The id of the person (may be left out for a one-person case).
    #[arg(long)]
    person: Option<String>,
    /// The date to answer for (default: the case's reference date).
    #[arg(long)]
    date: Option<NaiveDate>,
    #[arg(long)]
    json: bool,
    #[arg(long, default_value = "en", value_parser = crate::parse_lang)]
    lang: Lang,
}

pub fn run(args: Args, params: &ParamSet) -> Result<(), Failure> {
    let case = crate::check::read_case(&args.case, None)?;
    let person = match (&args.person, &case.person) {
        (None, Some(p)) => p,
        (Some(id), _) => case.member(id).ok_or_else(|| {
            let ids: Vec<String> = case.members().iter().filter_map(|p| p.id.clone()).collect();
            Failure::Case(format!(
                "--person: no person with id `{id}` in the case (known: {})",
                ids.join(", ")
            ))
        })?,
        (None, None) => {
            let ids: Vec<String> = case.members().iter().filter_map(|p| p.id.clone()).collect();
            return Err(Failure::Case(format!(
                "--person is needed for a household (one of: {})",
                ids.join(", ")
            )));
        }
    };
    let date = args.date.unwrap_or(case.reference_date);
    let w = work_rights(params, &case, person, date);
    if args.json {
        let s = serde_json::to_string_pretty(&w).map_err(|e| Failure::Io(e.to_string()))?;
        println!("{s}");
        return Ok(());
    }
    let lang = args.lang;
    let en = lang == Lang::En;
    let who = person
        .id
        .clone()
        .unwrap_or_else(|| (if en { "the person" } else { "de persoon" }).to_string());
    let status = w.status.text();
    let status = status.get(lang);
    let line = match w.status {
        WorkStatus::Free => status.green().bold().to_string(),
        WorkStatus::NotAllowed => status.red().bold().to_string(),
        WorkStatus::Unknown => status.yellow().bold().to_string(),
        _ => status.yellow().bold().to_string(),
    };
    println!(
        "{} {} {date}: {line}",
        if en { "May" } else { "Mag" }.bold(),
        format!("{who} {}", if en { "work on" } else { "werken op" }).bold()
    );
    if let Some(u) = w.until {
        println!("  {} {u}", if en { "Until:" } else { "Tot en met:" });
    }
    if let Some(h) = w.hours_per_week {
        println!(
            "  {} {h} {}",
            if en { "Hours:" } else { "Uren:" },
            if en {
                "a week, or full-time in June to August"
            } else {
                "per week, of voltijds in juni tot en met augustus"
            }
        );
    }
    let needs = w.employer_needs.text();
    println!(
        "  {} {}",
        if en {
            "An employer needs:"
        } else {
            "Een werkgever heeft nodig:"
        },
        needs.get(lang).bold()
    );
    println!("  {}", w.reason.get(lang));
    if let Some(d) = w.rule_changes_on {
        println!(
            "  {} {d}",
            if en {
                "The rule changes on"
            } else {
                "De regel verandert op"
            }
        );
    }
    if let Some(c) = &w.citation {
        let src = c
            .source
            .as_ref()
            .map(|s| {
                format!(
                    " · {}{}",
                    s.url,
                    s.legal_basis
                        .as_deref()
                        .map(|l| format!(" · {l}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        println!("  {}", format!("{}{src}", c.param).dimmed());
    }
    if let Some(m) = w.missing {
        println!(
            "  {} {m}",
            if en { "Missing:" } else { "Ontbreekt:" }.yellow()
        );
    }
    for c in &w.caveats {
        println!("  {} {}", "!".yellow(), c.text().get(lang).yellow());
    }
    println!(
        "{}",
        if en {
            "Guidance only, not a decision of the IND or UWV."
        } else {
            "Alleen ter informatie, geen beslissing van de IND of UWV."
        }
        .dimmed()
    );
    Ok(())
}
