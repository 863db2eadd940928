//! Readable explanations for the terminal, in colour when the output is a terminal.

use anstream::println;
use owo_colors::OwoColorize;
use verblijf_rules::decision::{basis_text, Change, CheckStatus, Day, Decision, ShortDay};
use verblijf_rules::{Assessment, Lang, Outcome, Scheme};

pub fn scheme_name(s: Scheme, lang: Lang) -> &'static str {
    match (s, lang) {
        (Scheme::HighlySkilledMigrant, Lang::En) => "Highly skilled migrant (kennismigrant)",
        (Scheme::HighlySkilledMigrant, Lang::Nl) => "Kennismigrant",
        (Scheme::EuBlueCard, Lang::En) => "EU Blue Card",
        (Scheme::EuBlueCard, Lang::Nl) => "Europese blauwe kaart",
        (Scheme::OrientationYear, Lang::En) => "Orientation year (zoekjaar hoogopgeleiden)",
        (Scheme::OrientationYear, Lang::Nl) => "Zoekjaar hoogopgeleiden",
        (Scheme::RegelingHoogopgeleiden, Lang::En) => {
            "Admission scheme for highly educated migrants (2009-2016)"
        }
        (Scheme::RegelingHoogopgeleiden, Lang::Nl) => "Regeling hoogopgeleiden (2009-2016)",
        (Scheme::ZoekjaarAfgestudeerden, Lang::En) => "Search year for graduates (2007-2016)",
        (Scheme::ZoekjaarAfgestudeerden, Lang::Nl) => "Zoekjaar afgestudeerden (2007-2016)",
        (Scheme::SelfEmployed, Lang::En) => "Self-employed person",
        (Scheme::SelfEmployed, Lang::Nl) => "Zelfstandige",
        (Scheme::FamilyMember, Lang::En) => "Family member (dependant permit)",
        (Scheme::FamilyMember, Lang::Nl) => "Gezinslid (verblijf bij gezinslid)",
    }
}

pub fn change_text(c: &Change, lang: Lang) -> String {
    let en = lang == Lang::En;
    match c {
        Change::RaiseSalary {
            shortfall,
            basis,
            shortfall_monthly,
        } => {
            let monthly = *basis == verblijf_rules::params::Basis::MONTHLY_EXCLUDING;
            match (en, monthly) {
                (true, true) => format!("raise the salary that counts by {shortfall} {}", basis_text(*basis, lang)),
                (true, false) => format!("raise the salary that counts by {shortfall} {} ({shortfall_monthly} a month, excluding holiday allowance)", basis_text(*basis, lang)),
                (false, true) => format!("verhoog het salaris dat telt met {} {}", shortfall.to_dutch(), basis_text(*basis, lang)),
                (false, false) => format!("verhoog het salaris dat telt met {} {} ({} per maand, exclusief vakantiegeld)", shortfall.to_dutch(), basis_text(*basis, lang), shortfall_monthly.to_dutch()),
            }
        }
        Change::FileOnOrBefore { date, keeps } => {
            let what = keeps_text(keeps, lang);
            if en {
                format!("file on or before {date} to keep {what}")
            } else {
                format!(
                    "dien uiterlijk {} in om {what} te behouden",
                    Day(*date, lang)
                )
            }
        }
        Change::ClosedOn { date, .. } => {
            if en {
                format!("the window closed on {date}")
            } else {
                format!("de termijn sloot op {}", Day(*date, lang))
            }
        }
        Change::FileOnOrAfter { date, .. } => {
            if en {
                format!("possible from {date}")
            } else {
                format!("mogelijk vanaf {}", Day(*date, lang))
            }
        }
        Change::SchemeEnded { last_day } => {
            if en {
                format!("the scheme ended on {last_day}")
            } else {
                format!("de regeling eindigde op {}", Day(*last_day, lang))
            }
        }
        Change::MorePoints { needed } => {
            if en {
                format!("{needed} more points")
            } else {
                format!("{needed} punten meer")
            }
        }
        Change::LongerContract { months } => {
            if en {
                format!("a contract of at least {months} months")
            } else {
                format!("een contract van ten minste {months} maanden")
            }
        }
    }
}

fn keeps_text(k: &str, lang: Lang) -> &'static str {
    match (k, lang) {
        ("under30_band", Lang::En) => "the under-30 criterion",
        ("under30_band", Lang::Nl) => "het criterium voor jonger dan 30",
        ("reduced_criterion", Lang::En) => "the reduced criterion",
        ("reduced_criterion", Lang::Nl) => "het verlaagde criterium",
        ("graduate_threshold", Lang::En) => "the recent-graduate threshold",
        ("graduate_threshold", Lang::Nl) => "de norm voor recent afgestudeerden",
        (_, Lang::En) => "the three-year window",
        (_, Lang::Nl) => "de termijn van drie jaar",
    }
}

fn label(lang: Lang, en: &'static str, nl: &'static str) -> &'static str {
    if lang == Lang::En {
        en
    } else {
        nl
    }
}

pub fn assessment(a: &Assessment, lang: Lang) {
    let title = label(lang, "Assessment", "Beoordeling");
    let filed = label(lang, "filing date", "datum van aanvraag");
    println!(
        "{} {} ({filed} {})",
        title.bold(),
        Day(a.receipt.reference_date, lang),
        Day(a.receipt.filing_date, lang)
    );
    if let Some(p) = &a.person {
        println!("{}: {p}", label(lang, "Person", "Persoon"));
    }
    let eligible: Vec<&str> = a.eligible.iter().map(|s| scheme_name(*s, lang)).collect();
    let none = label(lang, "none", "geen");
    println!(
        "{}: {}",
        label(lang, "Eligible for", "Komt in aanmerking voor"),
        if eligible.is_empty() {
            none.to_string()
        } else {
            eligible.join("; ")
        }
    );
    for d in &a.decisions {
        if d.outcome == Outcome::NotApplicable && a.applied_for != Some(d.scheme) {
            continue;
        }
        println!();
        decision(d, lang);
    }
    let hidden: Vec<&str> = a
        .decisions
        .iter()
        .filter(|d| d.outcome == Outcome::NotApplicable && a.applied_for != Some(d.scheme))
        .map(|d| scheme_name(d.scheme, lang))
        .collect();
    if !hidden.is_empty() {
        println!();
        println!(
            "{}: {}",
            label(
                lang,
                "Not in force on the filing date",
                "Niet van kracht op de datum van aanvraag"
            ),
            hidden.join("; ").dimmed()
        );
    }
    println!();
    println!(
        "{} {} · params {} · {} {}",
        label(lang, "Receipt:", "Bewijs:").dimmed(),
        a.receipt.engine.dimmed(),
        (&a.receipt.params_hash[..16]).dimmed(),
        label(lang, "reference date", "peildatum").dimmed(),
        ShortDay(a.receipt.reference_date, lang).dimmed()
    );
    println!(
        "{}",
        label(
            lang,
            "Guidance only, not a decision of the IND.",
            "Alleen ter informatie, geen beslissing van de IND."
        )
        .dimmed()
    );
}

pub fn decision(d: &Decision, lang: Lang) {
    let name = scheme_name(d.scheme, lang);
    let outcome = d.outcome.text();
    let outcome = outcome.get(lang);
    match d.outcome {
        Outcome::Eligible => println!(
            "{} {} — {}",
            "✔".green().bold(),
            name.bold(),
            outcome.green().bold()
        ),
        Outcome::NotEligible => println!(
            "{} {} — {}",
            "✘".red().bold(),
            name.bold(),
            outcome.red().bold()
        ),
        Outcome::Unknown => println!(
            "{} {} — {}",
            "?".yellow().bold(),
            name.bold(),
            outcome.yellow().bold()
        ),
        Outcome::NotApplicable => {
            println!("{} {} — {}", "·".dimmed(), name.bold(), outcome.dimmed())
        }
    }
    for c in &d.checks {
        let mark = match c.status {
            CheckStatus::Pass => "✔".green().to_string(),
            CheckStatus::Fail => "✘".red().to_string(),
            CheckStatus::Unknown => "?".yellow().to_string(),
            CheckStatus::Info => "i".blue().to_string(),
        };
        println!("  {mark} {:<22} {}", c.code.as_str().bold(), c.reason(lang));
        if let Some(ch) = &c.change {
            println!("      {} {}", "→".cyan(), change_text(ch, lang).cyan());
        }
        for b in verblijf_rules::law::LegalBases::embedded().on(c.code.as_str(), d.filing_date) {
            let unverified = if b.unverified {
                label(
                    lang,
                    " (article not verified)",
                    " (artikel niet geverifieerd)",
                )
            } else {
                ""
            };
            let url = b
                .url(d.filing_date)
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            println!(
                "      {} {}{unverified}{}",
                "§".cyan(),
                b.citation(),
                url.dimmed()
            );
        }
        let src = match &c.citation.source {
            Some(s) => format!("{} · {}", c.citation.param, s.url),
            None => c.citation.param.to_string(),
        };
        println!("      {}", src.dimmed());
    }
    if !d.missing.is_empty() {
        println!(
            "  {} {}",
            label(lang, "Missing:", "Ontbreekt:").yellow(),
            d.missing.join(", ")
        );
    }
    if let Some(p) = &d.permit {
        println!(
            "  {} {} → {} ({})",
            label(lang, "Permit:", "Vergunning:").bold(),
            Day(p.start, lang),
            Day(p.end, lang),
            p.end_reason_text().get(lang)
        );
    }
    for c in &d.caveats {
        println!("  {} {}", "!".yellow(), c.text().get(lang).yellow());
    }
}

pub fn work_line(w: &verblijf_rules::WorkRights, lang: Lang) -> String {
    let t = w.status.text();
    let until = w
        .until
        .map(|u| format!(" ({} {})", label(lang, "until", "tot en met"), Day(u, lang)))
        .unwrap_or_default();
    let s = format!("{}{until}", t.get(lang));
    match w.status {
        verblijf_rules::WorkStatus::Free => s.green().to_string(),
        verblijf_rules::WorkStatus::NotAllowed => s.red().to_string(),
        _ => s.yellow().to_string(),
    }
}

/// Right to work, conversions and deadlines of one person.
pub fn member_extras(m: &verblijf_rules::household::MemberAssessment, lang: Lang) {
    println!();
    println!(
        "{} {}",
        label(lang, "Right to work:", "Recht op arbeid:").bold(),
        work_line(&m.work_rights, lang)
    );
    println!("  {}", m.work_rights.reason.get(lang));
    println!(
        "  {} {}",
        label(lang, "An employer needs:", "Een werkgever heeft nodig:"),
        m.work_rights.employer_needs.text().get(lang)
    );
    if !m.conversions.is_empty() {
        println!(
            "{}",
            label(lang, "Can change to:", "Kan overstappen naar:").bold()
        );
        for c in &m.conversions {
            let mark = match c.outcome {
                Outcome::Eligible => "✔".green().to_string(),
                Outcome::NotEligible => "✘".red().to_string(),
                _ => "?".yellow().to_string(),
            };
            println!("  {mark} {}", c.note.get(lang));
        }
    }
    if !m.deadlines.is_empty() {
        println!("{}", label(lang, "Deadlines:", "Termijnen:").bold());
        for d in &m.deadlines {
            println!(
                "  {} {}",
                ShortDay(d.date, lang).to_string().cyan(),
                d.what().get(lang)
            );
        }
    }
}

/// The household view: each person with permit, decisions, right to work and deadlines.
pub fn household(h: &verblijf_rules::HouseholdAssessment, lang: Lang) {
    println!(
        "{} {}",
        label(lang, "Household on", "Huishouden op").bold(),
        Day(h.receipt.reference_date, lang)
    );
    for m in &h.members {
        println!();
        let id = m.id.clone().unwrap_or_default();
        println!("{}", format!("── {id} ──").bold());
        let eligible: Vec<&str> = m
            .assessment
            .eligible
            .iter()
            .map(|s| scheme_name(*s, lang))
            .collect();
        if !eligible.is_empty() {
            println!(
                "{}: {}",
                label(lang, "Eligible for", "Komt in aanmerking voor"),
                eligible.join("; ")
            );
        }
        if let Some(d) = &m.family_member {
            decision(d, lang);
        }
        member_extras(m, lang);
    }
    println!();
    println!("{}", label(lang, "All deadlines", "Alle termijnen").bold());
    for d in &h.deadlines {
        println!(
            "  {} {:<8} {}",
            ShortDay(d.date, lang).to_string().cyan(),
            d.person.clone().unwrap_or_default(),
            d.what().get(lang)
        );
    }
    println!();
    println!(
        "{} {} · params {}",
        label(lang, "Receipt:", "Bewijs:").dimmed(),
        h.receipt.engine.dimmed(),
        (&h.receipt.params_hash[..16]).dimmed()
    );
    println!(
        "{}",
        label(
            lang,
            "Guidance only, not a decision of the IND.",
            "Alleen ter informatie, geen beslissing van de IND."
        )
        .dimmed()
    );
}
