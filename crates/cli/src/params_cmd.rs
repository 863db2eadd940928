//! `verblijf params [NAME] [--date D]`: the law as data, with sources.

use anstream::println;
use chrono::NaiveDate;
use owo_colors::OwoColorize;
use verblijf_rules::decision::basis_text;
use verblijf_rules::params::{DatedValue, Param, Unit, Value};
use verblijf_rules::{Lang, ParamSet};

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// A parameter, such as `hsm.salary_30plus` (or a prefix such as `hsm.`). Without it, every parameter.
    name: Option<String>,
    /// The date whose values to show. Default: today, or for one parameter, its whole history.
    #[arg(long)]
    date: Option<NaiveDate>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[arg(long, default_value = "en", value_parser = crate::parse_lang)]
    lang: Lang,
}

pub fn run(args: Args, params: &ParamSet) -> Result<(), Failure> {
    let selected: Vec<&Param> = match &args.name {
        None => params.iter().collect(),
        Some(n) => params
            .iter()
            .filter(|p| p.id == *n || (n.ends_with('.') && p.id.starts_with(n.as_str())))
            .collect(),
    };
    if selected.is_empty() {
        let known: Vec<&str> = params.iter().map(|p| p.id.as_str()).collect();
        return Err(Failure::Case(format!(
            "no parameter `{}`; known: {}",
            args.name.unwrap_or_default(),
            known.join(", ")
        )));
    }
    let single = selected.len() == 1 && args.name.as_deref().is_some_and(|n| !n.ends_with('.'));
    let date = match (args.date, single) {
        (Some(d), _) => Some(d),
        (None, true) => None,
        (None, false) => Some(crate::today()),
    };
    if args.json {
        let out: Vec<serde_json::Value> = selected
            .iter()
            .map(|p| {
                let values: Vec<&DatedValue> = match date {
                    Some(d) => p.at(d).into_iter().collect(),
                    None => p.values.iter().collect(),
                };
                serde_json::json!({ "id": p.id, "title": p.title, "unit": p.unit, "description": p.description, "values": values, "date": date })
            })
            .collect();
        let s = serde_json::to_string_pretty(&out).map_err(|e| Failure::Io(e.to_string()))?;
        println!("{s}");
        return Ok(());
    }
    if let Some(d) = date {
        println!(
            "{} {d}",
            if args.lang == Lang::En {
                "Parameters in force on"
            } else {
                "Parameters van kracht op"
            }
            .bold()
        );
    }
    println!("{} {}", "params".dimmed(), params.hash().dimmed());
    for p in selected {
        println!();
        println!("{}  {}", p.id.bold(), p.title.get(args.lang));
        match date {
            Some(d) => match p.at(d) {
                Some(v) => value_line(p, v, args.lang),
                None => println!(
                    "  {}",
                    if args.lang == Lang::En {
                        format!("no value known for {d}")
                    } else {
                        format!("geen waarde bekend voor {d}")
                    }
                    .yellow()
                ),
            },
            None => p.values.iter().for_each(|v| value_line(p, v, args.lang)),
        }
    }
    Ok(())
}

fn value_line(p: &Param, v: &DatedValue, lang: Lang) {
    let from = v.from.map_or("…".to_string(), |d| d.to_string());
    let until = v.until.map_or("…".to_string(), |d| d.to_string());
    let value = match (&v.value, p.unit) {
        (Value::Amount(m), _) => {
            let b = v.basis.map(|b| basis_text(b, lang)).unwrap_or_default();
            if lang == Lang::Nl {
                format!("{} {b}", m.to_dutch())
            } else {
                format!("{m} {b}")
            }
        }
        (Value::Number(n), Unit::Percent) => format!("{}.{:02} %", n / 100, n % 100),
        (Value::Number(n), u) => format!("{} {}", n / 100, format!("{u:?}").to_lowercase()),
        (Value::Flag(f), _) => f.to_string(),
        (Value::Date(d), _) => d.to_string(),
        (Value::Code(c), _) => c.clone(),
    };
    let s = &v.source;
    let status = format!("{:?}", s.status).to_lowercase();
    println!("  {from} – {until}  {}  [{status}]", value.green());
    println!("    {}", s.url.dimmed());
    if let Some(l) = &s.legal_basis {
        println!("    {}", l.dimmed());
    }
    if let Some(n) = &s.note {
        println!("    {}", n.yellow());
    }
}
