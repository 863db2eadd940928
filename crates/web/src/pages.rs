//! The check a person fills in: server-rendered pages in English and Dutch that work without JavaScript. The visitor
//! says who they are (coming to work, a partner, an employer), answers the questions for that role, and gets a
//! result page with every decision, every check with its reason and source, what would change the outcome, the
//! deadlines and the household timeline. A result is a link: the case travels in the URL, so it can be reopened,
//! shared and printed.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use base64::Engine;
use chrono::NaiveDate;
use verblijf_rules::case::*;
use verblijf_rules::decision::{CheckStatus, Decision};
use verblijf_rules::{assess_household, Case, Lang, Money, Outcome};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/check", get(form).post(submit))
        .route("/result", get(result))
}

pub(crate) fn lang_of(q: &HashMap<String, String>) -> Lang {
    q.get("lang")
        .and_then(|l| l.parse().ok())
        .unwrap_or_default()
}

pub(crate) fn t<'a>(lang: Lang, en: &'a str, nl: &'a str) -> &'a str {
    if lang == Lang::En {
        en
    } else {
        nl
    }
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "\
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--accent:#0a58ca;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700}\
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);margin:0;line-height:1.5;font-size:17px}\
header,main,footer{max-width:880px;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid var(--line)}\
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #ffbf47;outline-offset:2px}\
.brand{font-weight:700;font-size:1.2rem;text-decoration:none;color:var(--ink)}\
.note{background:#fff8c5;border:1px solid #d4a72c;padding:.6rem .8rem;border-radius:6px}\
.roles{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(220px,1fr))}.roles a{display:block;border:2px solid var(--line);border-radius:8px;padding:1rem;text-decoration:none;color:var(--ink)}.roles a:hover{border-color:var(--accent)}\
fieldset{border:1px solid var(--line);border-radius:8px;margin:1rem 0;padding:1rem}legend{font-weight:700}\
label{display:block;font-weight:600;margin-top:.8rem}.help{color:var(--muted);font-size:.92rem;margin:.1rem 0 .3rem}\
input,select{font:inherit;padding:.45rem;border:1px solid #8c959f;border-radius:6px;width:100%;max-width:22rem}\
button{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:6px;padding:.6rem 1.2rem;margin-top:1rem;cursor:pointer}\
.error{color:var(--bad);font-weight:600}[hidden]{display:none}\
.decision{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:1rem 0}.decision h3{margin:.2rem 0}\
.eligible{color:var(--ok)}.not_eligible{color:var(--bad)}.unknown{color:var(--warn)}.not_applicable{color:var(--muted)}\
ul.checks{list-style:none;padding:0}ul.checks li{padding:.35rem 0;border-top:1px solid #eaeef2}.code{font-family:ui-monospace,monospace;font-size:.85rem;color:var(--muted)}\
.change{color:var(--accent)}.src{font-size:.85rem;color:var(--muted);word-break:break-all}.law{font-size:.85rem}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.35rem;text-align:left;vertical-align:top}\
.timeline svg{max-width:100%;height:auto}\
.reg{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center;border-bottom:1px solid var(--line);padding-bottom:.6rem;margin-bottom:1rem}.reg form{display:inline;margin:0}.reg button{margin:0;padding:.3rem .8rem}\
.inline{display:inline}.inline button{margin-top:.3rem}.ok{color:var(--ok)}.bad{color:var(--bad)}textarea{font:inherit;width:100%;min-height:5rem;border:1px solid #8c959f;border-radius:6px}textarea[name=csv]{font-family:ui-monospace,monospace;font-size:.85rem;min-height:10rem}td:first-child{white-space:nowrap}\
.danger{background:var(--bad)}.actions a{margin-right:1rem}\
@media print{header nav,.noprint,button{display:none}body{font-size:12pt}a{color:var(--ink);text-decoration:none}.decision{break-inside:avoid}}";

pub(crate) fn page(lang: Lang, title: &str, switch_to: &str, body: &str) -> Html<String> {
    let other = if lang == Lang::En {
        "Nederlands"
    } else {
        "English"
    };
    Html(format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} · Verblijf</title><style>{STYLE}</style></head><body><header><a class=\"brand\" href=\"/?lang={}\">Verblijf</a><nav><a href=\"{}\" lang=\"{}\" hreflang=\"{}\">{other}</a></nav></header><main id=\"main\">{body}</main><footer><p class=\"note\">{}</p><p class=\"src\"><a href=\"/api/docs\">API</a> · {}</p></footer></body></html>",
        if lang == Lang::En { "en" } else { "nl" },
        esc(title),
        if lang == Lang::En { "en" } else { "nl" },
        esc(switch_to),
        if lang == Lang::En { "nl" } else { "en" },
        if lang == Lang::En { "nl" } else { "en" },
        t(lang, "Guidance only, not a decision of the IND or UWV. Check the official pages before you act.", "Alleen ter informatie, geen beslissing van de IND of UWV. Controleer de officiële pagina's voordat u iets doet."),
        verblijf_rules::ENGINE_VERSION
    ))
}

fn swap_lang(path: &str, q: &HashMap<String, String>, lang: Lang) -> String {
    let mut parts: Vec<String> = q
        .iter()
        .filter(|(k, _)| k.as_str() != "lang")
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    parts.sort();
    parts.push(format!(
        "lang={}",
        if lang == Lang::En { "nl" } else { "en" }
    ));
    format!("{path}?{}", parts.join("&"))
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn home(Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let lang = lang_of(&q);
    let l = if lang == Lang::En { "en" } else { "nl" };
    let body = format!(
        "<h1>{}</h1><p>{}</p><div class=\"roles\"><a href=\"/check?role=worker&amp;lang={l}\"><strong>{}</strong><br>{}</a><a href=\"/check?role=partner&amp;lang={l}\"><strong>{}</strong><br>{}</a><a href=\"/check?role=employer&amp;lang={l}\"><strong>{}</strong><br>{}</a></div>",
        t(lang, "Which Dutch residence permit fits, and may you work?", "Welke Nederlandse verblijfsvergunning past, en mag u werken?"),
        t(lang, "Answer a few questions. The check applies the rules in force on the date you choose and shows every step, with its source in the law.", "Beantwoord een paar vragen. De check past de regels toe die gelden op de datum die u kiest en laat elke stap zien, met de bron in de wet."),
        t(lang, "I want to come to work", "Ik wil komen werken"),
        t(lang, "As a highly skilled migrant, with an EU Blue Card, in an orientation year, or self-employed.", "Als kennismigrant, met een Europese blauwe kaart, in een zoekjaar of als zelfstandige."),
        t(lang, "I am a partner", "Ik ben partner"),
        t(lang, "Of someone with a Dutch residence permit: may I live and work here?", "Van iemand met een Nederlandse verblijfsvergunning: mag ik hier wonen en werken?"),
        t(lang, "I am an employer", "Ik ben werkgever"),
        t(lang, "May I hire this person, and what would I need?", "Mag ik deze persoon in dienst nemen, en wat heb ik nodig?"),
    );
    page(
        lang,
        t(lang, "Check", "Check"),
        &swap_lang("/", &q, lang),
        &body,
    )
}

struct Field<'a> {
    name: &'a str,
    label: (&'a str, &'a str),
    help: (&'a str, &'a str),
    kind: Kind<'a>,
}

enum Kind<'a> {
    Date,
    Money,
    Number,
    Select(&'a [(&'a str, &'a str, &'a str)]),
}

const YES_NO: &[(&str, &str, &str)] = &[
    ("", "Don't know", "Weet ik niet"),
    ("yes", "Yes", "Ja"),
    ("no", "No", "Nee"),
];
const LEVELS: &[(&str, &str, &str)] = &[
    ("", "None or not given", "Geen of niet opgegeven"),
    ("bachelor", "Bachelor", "Bachelor"),
    ("master", "Master", "Master"),
    ("phd", "PhD (doctorate)", "Promotie (PhD)"),
    ("post_master", "Post-master", "Postmaster"),
];
const WHERE: &[(&str, &str, &str)] = &[
    (
        "dutch_accredited",
        "In the Netherlands (accredited programme)",
        "In Nederland (geaccrediteerde opleiding)",
    ),
    ("foreign", "Abroad", "In het buitenland"),
    ("erasmus_mundus", "Erasmus Mundus", "Erasmus Mundus"),
];
const ROLES: &[(&str, &str, &str)] = &[
    ("regular", "Other work", "Ander werk"),
    (
        "scientific_researcher",
        "Scientific researcher",
        "Wetenschappelijk onderzoeker",
    ),
    ("phd_researcher", "PhD researcher", "Promovendus"),
    (
        "physician_in_training",
        "Physician in training",
        "Arts in opleiding tot specialist",
    ),
    ("guest_lecturer", "Guest lecturer", "Gastdocent"),
];
const HA: &[(&str, &str, &str)] = &[
    (
        "paid_separately",
        "Paid separately (usually in May)",
        "Apart uitbetaald (meestal in mei)",
    ),
    (
        "included_in_monthly",
        "Included in the monthly salary",
        "Inbegrepen in het maandsalaris",
    ),
    ("not_paid", "Not paid", "Niet betaald"),
];
const SPONSOR: &[(&str, &str, &str)] = &[
    (
        "highly_skilled_migrant",
        "Highly skilled migrant",
        "Kennismigrant",
    ),
    ("eu_blue_card", "EU Blue Card", "Europese blauwe kaart"),
    (
        "intra_corporate_transferee",
        "Intra-corporate transfer (ICT)",
        "Overplaatsing binnen een concern (ICT)",
    ),
    (
        "orientation_year",
        "Orientation year",
        "Zoekjaar hoogopgeleiden",
    ),
    ("self_employed", "Self-employed", "Zelfstandige"),
    ("study", "Study", "Studie"),
    (
        "scientific_researcher",
        "Scientific researcher",
        "Wetenschappelijk onderzoeker",
    ),
    ("start_up", "Start-up", "Start-up"),
    (
        "dutch_or_eu",
        "Dutch or EU citizen",
        "Nederlander of EU-burger",
    ),
];
const OWN: &[(&str, &str, &str)] = &[
    (
        "family_member",
        "Family member (partner or child) of a permit holder",
        "Gezinslid (partner of kind) van een vergunninghouder",
    ),
    (
        "highly_skilled_migrant",
        "Highly skilled migrant",
        "Kennismigrant",
    ),
    ("eu_blue_card", "EU Blue Card", "Europese blauwe kaart"),
    (
        "orientation_year",
        "Orientation year",
        "Zoekjaar hoogopgeleiden",
    ),
    ("study", "Study", "Studie"),
    ("self_employed", "Self-employed", "Zelfstandige"),
    (
        "permanent_residence",
        "Permanent residence",
        "Verblijfsvergunning voor onbepaalde tijd",
    ),
];

fn fields(role: &str) -> Vec<Field<'static>> {
    let date = Field {
        name: "date",
        label: (
            "Date of the application (or of the question)",
            "Datum van de aanvraag (of van de vraag)",
        ),
        help: (
            "The rules and amounts of this date apply.",
            "De regels en bedragen van deze datum gelden.",
        ),
        kind: Kind::Date,
    };
    let birth = Field {
        name: "birth_date",
        label: ("Date of birth", "Geboortedatum"),
        help: (
            "From the 30th birthday a higher salary criterion applies.",
            "Vanaf de 30e verjaardag geldt een hoger salariscriterium.",
        ),
        kind: Kind::Date,
    };
    let mut f = vec![date, birth];
    match role {
        "partner" | "employer" => {
            if role == "employer" {
                f.push(Field {
                    name: "own_permit",
                    label: (
                        "The person's residence permit",
                        "De verblijfsvergunning van de persoon",
                    ),
                    help: ("As on the residence card.", "Zoals op de verblijfspas."),
                    kind: Kind::Select(OWN),
                });
            }
            f.push(Field {
                name: "sponsor_permit",
                label: (
                    "The partner's (sponsor's) permit",
                    "De vergunning van de partner (referent)",
                ),
                help: (
                    "A family member's right to work follows this permit.",
                    "Het recht op werk van een gezinslid volgt deze vergunning.",
                ),
                kind: Kind::Select(SPONSOR),
            });
            f.push(Field {
                name: "sponsor_birth_date",
                label: (
                    "The partner's date of birth",
                    "Geboortedatum van de partner",
                ),
                help: (
                    "Both partners must be 21 or older.",
                    "Beide partners moeten 21 jaar of ouder zijn.",
                ),
                kind: Kind::Date,
            });
            f.push(Field {
                name: "sponsor_until",
                label: (
                    "Until when the partner's permit is valid",
                    "Tot wanneer de vergunning van de partner geldig is",
                ),
                help: (
                    "A family permit never runs longer.",
                    "Een gezinsvergunning loopt nooit langer.",
                ),
                kind: Kind::Date,
            });
            f.push(Field {
                name: "permit_from",
                label: ("Family permit valid from", "Gezinsvergunning geldig vanaf"),
                help: (
                    "Leave empty if there is none yet.",
                    "Leeg laten als die er nog niet is.",
                ),
                kind: Kind::Date,
            });
            f.push(Field {
                name: "permit_until",
                label: ("Family permit valid until", "Gezinsvergunning geldig tot"),
                help: ("", ""),
                kind: Kind::Date,
            });
        }
        _ => {
            f.push(Field {
                name: "education_level",
                label: ("Highest completed degree", "Hoogste afgeronde opleiding"),
                help: ("", ""),
                kind: Kind::Select(LEVELS),
            });
            f.push(Field {
                name: "education_where",
                label: ("Where", "Waar"),
                help: ("", ""),
                kind: Kind::Select(WHERE),
            });
            f.push(Field { name: "graduation_date", label: ("Graduation date", "Datum van afstuderen"), help: ("Within three years of it, a lower (reduced) salary criterion and the orientation year can apply.", "Binnen drie jaar daarna kunnen een lager (verlaagd) salariscriterium en het zoekjaar gelden."), kind: Kind::Date });
            f.push(Field {
                name: "ranking",
                label: (
                    "Best place of the university on THE, QS or ARWU (optional)",
                    "Beste plaats van de universiteit op THE, QS of ARWU (optioneel)",
                ),
                help: (
                    "Foreign degrees count for the orientation year from a top-200 institution.",
                    "Buitenlandse diploma's tellen voor het zoekjaar bij een top-200-instelling.",
                ),
                kind: Kind::Number,
            });
            f.push(Field {
                name: "speaks",
                label: (
                    "Do you speak English or Dutch?",
                    "Spreekt u Engels of Nederlands?",
                ),
                help: (
                    "Counts in the points test of the 2009 scheme.",
                    "Telt mee in de puntentoets van de regeling uit 2009.",
                ),
                kind: Kind::Select(YES_NO),
            });
            f.push(Field {
                name: "nl_before",
                label: (
                    "Have you studied or worked in the Netherlands before?",
                    "Heeft u eerder in Nederland gestudeerd of gewerkt?",
                ),
                help: ("", ""),
                kind: Kind::Select(YES_NO),
            });
            f.push(Field { name: "recognised_sponsor", label: ("Is the employer a recognised sponsor?", "Is de werkgever erkend referent?"), help: ("A recognised sponsor (erkend referent) is an employer the IND has recognised; only they can employ a highly skilled migrant. The IND publishes the register.", "Een erkend referent is een werkgever die door de IND is erkend; alleen die kan een kennismigrant in dienst nemen. De IND publiceert het register."), kind: Kind::Select(YES_NO) });
            f.push(Field {
                name: "salary",
                label: ("Gross monthly salary (euro)", "Bruto maandsalaris (euro)"),
                help: (
                    "The fixed monthly wage, without holiday allowance or a 13th month.",
                    "Het vaste maandloon, zonder vakantiegeld of dertiende maand.",
                ),
                kind: Kind::Money,
            });
            f.push(Field {
                name: "holiday_allowance",
                label: ("Holiday allowance", "Vakantiegeld"),
                help: ("", ""),
                kind: Kind::Select(HA),
            });
            f.push(Field {
                name: "contract_end",
                label: (
                    "Last day of the contract (empty: indefinite)",
                    "Laatste dag van het contract (leeg: onbepaalde tijd)",
                ),
                help: ("", ""),
                kind: Kind::Date,
            });
            f.push(Field { name: "work_role", label: ("Kind of work", "Soort werk"), help: ("Researchers, physicians in training and guest lecturers need only the minimum wage.", "Onderzoekers, artsen in opleiding en gastdocenten hebben alleen het minimumloon nodig."), kind: Kind::Select(ROLES) });
            f.push(Field {
                name: "oy_from",
                label: (
                    "Orientation year held from (optional)",
                    "Zoekjaar gehad vanaf (optioneel)",
                ),
                help: ("", ""),
                kind: Kind::Date,
            });
            f.push(Field {
                name: "oy_until",
                label: ("Orientation year until", "Zoekjaar tot en met"),
                help: ("", ""),
                kind: Kind::Date,
            });
        }
    }
    f
}

fn render_form(
    lang: Lang,
    role: &str,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> String {
    let title = match role {
        "partner" => t(lang, "I am a partner", "Ik ben partner"),
        "employer" => t(lang, "I am an employer", "Ik ben werkgever"),
        _ => t(lang, "I want to come to work", "Ik wil komen werken"),
    };
    let mut h = format!("<h1>{title}</h1>");
    if !errors.is_empty() {
        h.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            t(
                lang,
                "Some answers need attention.",
                "Sommige antwoorden moeten worden aangepast."
            )
        ));
    }
    h.push_str(&format!("<form method=\"post\" action=\"/check\" novalidate><input type=\"hidden\" name=\"role\" value=\"{}\"><input type=\"hidden\" name=\"lang\" value=\"{}\"><fieldset><legend>{}</legend>", esc(role), if lang == Lang::En { "en" } else { "nl" }, t(lang, "Your situation", "Uw situatie")));
    for f in fields(role) {
        h.push_str(&format!("<div class=\"field\" id=\"w-{}\">", f.name));
        let id = format!("f-{}", f.name);
        let v = values.get(f.name).map(String::as_str).unwrap_or("");
        let help = t(lang, f.help.0, f.help.1);
        let described = if help.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{id}-help\"")
        };
        h.push_str(&format!(
            "<label for=\"{id}\">{}</label>",
            t(lang, f.label.0, f.label.1)
        ));
        if !help.is_empty() {
            h.push_str(&format!(
                "<p class=\"help\" id=\"{id}-help\">{}</p>",
                esc(help)
            ));
        }
        if let Some(e) = errors.get(f.name) {
            h.push_str(&format!(
                "<p class=\"error\" id=\"{id}-error\">{}</p>",
                esc(e)
            ));
        }
        let invalid = if errors.contains_key(f.name) {
            " aria-invalid=\"true\""
        } else {
            ""
        };
        match f.kind {
            Kind::Date => h.push_str(&format!("<input type=\"date\" id=\"{id}\" name=\"{}\" value=\"{}\"{described}{invalid}>", f.name, esc(v))),
            Kind::Money => h.push_str(&format!("<input type=\"text\" inputmode=\"decimal\" id=\"{id}\" name=\"{}\" value=\"{}\" placeholder=\"5200\"{described}{invalid}>", f.name, esc(v))),
            Kind::Number => h.push_str(&format!("<input type=\"text\" inputmode=\"numeric\" id=\"{id}\" name=\"{}\" value=\"{}\"{described}{invalid}>", f.name, esc(v))),
            Kind::Select(opts) => {
                h.push_str(&format!("<select id=\"{id}\" name=\"{}\"{described}{invalid}>", f.name));
                for (val, en, nl) in opts {
                    let sel = if *val == v { " selected" } else { "" };
                    h.push_str(&format!("<option value=\"{val}\"{sel}>{}</option>", t(lang, en, nl)));
                }
                h.push_str("</select>");
            }
        }
        h.push_str("</div>");
    }
    h.push_str(&format!(
        "</fieldset><button type=\"submit\">{}</button></form>{SHOW_WHAT_MATTERS}",
        t(lang, "Show the result", "Toon het resultaat")
    ));
    h
}

/// An enhancement: hide the questions that cannot change the answer given what is filled in so far (where and when
/// only once a degree is chosen, a ranking only for a foreign degree, language and earlier stays only for dates
/// before March 2016, when the points test applied). Without JavaScript every question shows, and the answers are
/// used the same way.
const SHOW_WHAT_MATTERS: &str = r#"<script>(function(){
var f=document.querySelector('form');if(!f)return;
function v(n){var e=f.elements[n];return e?e.value:'';}
function show(n,on){var w=document.getElementById('w-'+n);if(w)w.hidden=!on;}
function update(){var deg=v('education_level')!=='';
show('education_where',deg);show('graduation_date',deg);show('ranking',deg&&v('education_where')==='foreign');
var d=v('date');var old=d!==''&&d<'2016-03-01';show('speaks',old);show('nl_before',old);
show('oy_until',v('oy_from')!=='');
var own=v('own_permit');var fam=own===''||own==='family_member';
['sponsor_permit','sponsor_birth_date','sponsor_until'].forEach(function(n){show(n,fam);});}
f.addEventListener('input',update);f.addEventListener('change',update);update();})();</script>"#;

pub async fn form(Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let lang = lang_of(&q);
    let role = q.get("role").map(String::as_str).unwrap_or("worker");
    let mut values = HashMap::new();
    values.insert(
        "date".to_string(),
        chrono::Utc::now().date_naive().to_string(),
    );
    page(
        lang,
        t(lang, "Check", "Check"),
        &swap_lang("/check", &q, lang),
        &render_form(lang, role, &values, &HashMap::new()),
    )
}

/// Builds the case from the form, or says which answers are wrong.
fn case_from_form(
    f: &HashMap<String, String>,
    lang: Lang,
) -> Result<Case, HashMap<String, String>> {
    let mut errors = HashMap::new();
    let get = |k: &str| f.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let date = |k: &str, errors: &mut HashMap<String, String>| -> Option<NaiveDate> {
        let v = get(k)?;
        match v.parse() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert(
                    k.into(),
                    t(
                        lang,
                        "Expected a date such as 2026-03-01.",
                        "Verwacht een datum zoals 2026-03-01.",
                    )
                    .into(),
                );
                None
            }
        }
    };
    let reference = date("date", &mut errors);
    let birth = date("birth_date", &mut errors);
    let role = get("role").unwrap_or("worker");
    if reference.is_none() && !errors.contains_key("date") {
        errors.insert(
            "date".into(),
            t(lang, "The date is needed.", "De datum is nodig.").into(),
        );
    }
    if let (Some(b), Some(r)) = (birth, reference) {
        if b > r {
            errors.insert(
                "birth_date".into(),
                t(
                    lang,
                    "The date of birth is after the date of the application.",
                    "De geboortedatum ligt na de datum van de aanvraag.",
                )
                .into(),
            );
        }
    }
    let word = |k: &str| {
        get(k).and_then(|v| {
            serde_json::from_value::<serde_json::Value>(serde_json::Value::String(v.into())).ok()
        })
    };
    let mut person = Person {
        id: Some("you".into()),
        birth_date: birth,
        ..Default::default()
    };
    let mut people = Vec::new();
    let mut relationships = Vec::new();
    if role == "worker" {
        if get("education_level").is_some() {
            let level: Option<EducationLevel> =
                word("education_level").and_then(|v| serde_json::from_value(v).ok());
            let provenance: Option<Provenance> =
                word("education_where").and_then(|v| serde_json::from_value(v).ok());
            let rank = match get("ranking") {
                None => None,
                Some(r) => match r.parse::<u16>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        errors.insert(
                            "ranking".into(),
                            t(
                                lang,
                                "Expected a place such as 57.",
                                "Verwacht een plaats zoals 57.",
                            )
                            .into(),
                        );
                        None
                    }
                },
            };
            let graduation = date("graduation_date", &mut errors);
            if let (Some(level), Some(provenance)) = (level, provenance) {
                person.education.push(Education {
                    level,
                    provenance,
                    programme_kind: ProgrammeKind::Regular,
                    institution: None,
                    country: None,
                    bologna_country: None,
                    duration_months: None,
                    graduation_date: graduation,
                    rankings: rank
                        .into_iter()
                        .map(|position| Ranking {
                            list: RankingList::Qs,
                            edition: graduation.map_or(2025, |g| chrono::Datelike::year(&g) as u16),
                            position,
                            scope: RankingScope::General,
                        })
                        .collect(),
                });
            } else {
                errors.insert(
                    "education_level".into(),
                    t(
                        lang,
                        "Choose a degree and where it was obtained.",
                        "Kies een opleiding en waar die is behaald.",
                    )
                    .into(),
                );
            }
        }
        let salary = match get("salary") {
            None => None,
            Some(s) => match Money::parse(&s.replace(['€', ' '], "")) {
                Ok(m) if !m.is_negative() => Some(m),
                _ => {
                    errors.insert(
                        "salary".into(),
                        t(
                            lang,
                            "Expected an amount in euro such as 5200 or 5200.50.",
                            "Verwacht een bedrag in euro zoals 5200 of 5200.50.",
                        )
                        .into(),
                    );
                    None
                }
            },
        };
        let end = date("contract_end", &mut errors);
        let sponsor = match get("recognised_sponsor") {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        };
        person.job_offer = Some(JobOffer {
            recognised_sponsor: sponsor,
            gross_monthly_salary: salary,
            holiday_allowance: word("holiday_allowance")
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default(),
            contract_end: Some(end.map_or(ContractEnd::Indefinite, ContractEnd::On)),
            role: word("work_role")
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default(),
            ..Default::default()
        });
        person.languages = match get("speaks") {
            Some("yes") => Some("en".parse().into_iter().collect()),
            Some("no") => Some(vec![]),
            _ => None,
        };
        person.previously_studied_in_nl = match get("nl_before") {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        };
        person.previously_worked_in_nl = person.previously_studied_in_nl;
        if let Some(from) = date("oy_from", &mut errors) {
            person.permits.push(HeldPermit {
                kind: PermitKind::OrientationYear,
                from,
                until: date("oy_until", &mut errors),
                criterion: None,
                employer: None,
                sponsor: None,
                sponsor_permit: None,
                withdrawn: None,
            });
        }
    } else {
        let sponsor_status: Option<SponsorStatus> =
            word("sponsor_permit").and_then(|v| serde_json::from_value(v).ok());
        let sponsor_until = date("sponsor_until", &mut errors);
        let from = date("permit_from", &mut errors);
        let until = date("permit_until", &mut errors);
        let own: Option<PermitKind> =
            word("own_permit").and_then(|v| serde_json::from_value(v).ok());
        let sponsor_birth = date("sponsor_birth_date", &mut errors);
        let mut sponsor = Person {
            id: Some("partner".into()),
            birth_date: sponsor_birth,
            ..Default::default()
        };
        match sponsor_status {
            Some(SponsorStatus::DutchOrEu) => sponsor.nationality = "NL".parse().ok(),
            Some(s) => {
                let kind = serde_json::to_value(s)
                    .ok()
                    .and_then(|v| serde_json::from_value::<PermitKind>(v).ok());
                if let (Some(kind), Some(r)) = (kind, reference) {
                    sponsor.permits.push(HeldPermit {
                        kind,
                        from: chrono::Datelike::with_year(&r, chrono::Datelike::year(&r) - 1)
                            .unwrap_or(r),
                        until: sponsor_until,
                        criterion: None,
                        employer: None,
                        sponsor: None,
                        sponsor_permit: None,
                        withdrawn: None,
                    });
                }
            }
            None => {}
        }
        match own.unwrap_or(PermitKind::FamilyMember) {
            PermitKind::FamilyMember => {
                if let Some(from) = from {
                    person.permits.push(HeldPermit {
                        kind: PermitKind::FamilyMember,
                        from,
                        until,
                        criterion: None,
                        employer: None,
                        sponsor: Some("partner".into()),
                        sponsor_permit: None,
                        withdrawn: None,
                    });
                }
            }
            kind => {
                if let Some(r) = reference {
                    person.permits.push(HeldPermit {
                        kind,
                        from: from.unwrap_or(r),
                        until,
                        criterion: None,
                        employer: None,
                        sponsor: None,
                        sponsor_permit: None,
                        withdrawn: None,
                    });
                }
            }
        }
        relationships.push(Relationship::Partner {
            partners: ["partner".into(), "you".into()],
            form: PartnershipForm::Married,
            from: None,
            until: None,
        });
        people.push(sponsor);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let reference = reference.unwrap_or_default();
    let case = if role == "worker" {
        Case {
            reference_date: reference,
            person: Some(person),
            people: vec![],
            relationships: vec![],
            application: None,
        }
    } else {
        people.insert(0, person);
        Case {
            reference_date: reference,
            person: None,
            people,
            relationships,
            application: None,
        }
    };
    verblijf_rules::input::validate(&case)
        .map_err(|e| HashMap::from([("date".to_string(), e.to_string())]))?;
    Ok(case)
}

pub async fn submit(Form(f): Form<HashMap<String, String>>) -> Response {
    let lang = lang_of(&f);
    let role = f.get("role").cloned().unwrap_or_else(|| "worker".into());
    match case_from_form(&f, lang) {
        Ok(case) => {
            let json = serde_json::to_vec(&case).unwrap_or_default();
            let c = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
            Redirect::to(&format!(
                "/result?c={c}&role={role}&lang={}",
                if lang == Lang::En { "en" } else { "nl" }
            ))
            .into_response()
        }
        Err(errors) => {
            let q: HashMap<String, String> = HashMap::from([("role".to_string(), role.clone())]);
            let body = render_form(lang, &role, &f, &errors);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    lang,
                    t(lang, "Check", "Check"),
                    &swap_lang("/check", &q, lang),
                    &body,
                ),
            )
                .into_response()
        }
    }
}

fn decision_html(d: &Decision, lang: Lang) -> String {
    let name = verblijf_rules::rules::scheme_label(d.scheme);
    let outcome = d.outcome.text();
    let mut h = format!("<section class=\"decision\" aria-labelledby=\"d-{0}\"><h3 id=\"d-{0}\">{1} — <span class=\"{2}\">{3}</span></h3><ul class=\"checks\">", d.scheme.as_str(), esc(name.get(lang)), d.outcome.as_str(), esc(outcome.get(lang)));
    for c in &d.checks {
        let mark = match c.status {
            CheckStatus::Pass => ("✔", "eligible"),
            CheckStatus::Fail => ("✘", "not_eligible"),
            CheckStatus::Unknown => ("?", "unknown"),
            CheckStatus::Info => ("i", "not_applicable"),
        };
        h.push_str(&format!("<li><span class=\"{}\" aria-hidden=\"true\">{}</span> {} <span class=\"code\">{}</span>", mark.1, mark.0, esc(&c.reason(lang)), c.code));
        if let Some(ch) = &c.change {
            h.push_str(&format!(
                "<br><span class=\"change\">→ {}</span>",
                esc(&change_text(ch, lang))
            ));
        }
        let bases: Vec<String> = verblijf_rules::law::LegalBases::embedded()
            .on(c.code.as_str(), d.filing_date)
            .map(|b| {
                let unverified = if b.unverified {
                    t(
                        lang,
                        " (article not verified)",
                        " (artikel niet geverifieerd)",
                    )
                } else {
                    ""
                };
                match b.url(d.filing_date) {
                    Some(u) => format!(
                        "<a href=\"{}\">{}</a>{unverified}",
                        esc(&u),
                        esc(b.citation())
                    ),
                    None => format!("{}{unverified}", esc(b.citation())),
                }
            })
            .collect();
        if !bases.is_empty() {
            h.push_str(&format!(
                "<br><span class=\"law\">{}: {}</span>",
                t(lang, "Law", "Wet"),
                bases.join("; ")
            ));
        }
        if let Some(s) = &c.citation.source {
            h.push_str(&format!(
                "<br><span class=\"src\">{}: <a href=\"{}\">{}</a></span>",
                t(lang, "Source", "Bron"),
                esc(&s.url),
                esc(s.title.as_deref().unwrap_or(&s.url)),
            ));
        }
        h.push_str("</li>");
    }
    h.push_str("</ul>");
    if let Some(p) = &d.permit {
        h.push_str(&format!(
            "<p>{} {} → {}</p>",
            t(lang, "Permit:", "Vergunning:"),
            p.start,
            p.end
        ));
    }
    for c in &d.caveats {
        h.push_str(&format!(
            "<p class=\"src\">! {}</p>",
            esc(c.text().get(lang))
        ));
    }
    h.push_str("</section>");
    h
}

fn change_text(c: &verblijf_rules::decision::Change, lang: Lang) -> String {
    use verblijf_rules::decision::Change as C;
    let en = lang == Lang::En;
    match c {
        C::RaiseSalary {
            shortfall_monthly, ..
        } => {
            if en {
                format!("a salary {shortfall_monthly} a month higher would pass")
            } else {
                format!(
                    "een salaris dat {} per maand hoger is, zou voldoen",
                    shortfall_monthly.to_dutch()
                )
            }
        }
        C::FileOnOrBefore { date, .. } => {
            if en {
                format!("file on or before {date} to keep this")
            } else {
                format!("dien uiterlijk {date} in om dit te behouden")
            }
        }
        C::ClosedOn { date, .. } => {
            if en {
                format!("this closed on {date}")
            } else {
                format!("dit sloot op {date}")
            }
        }
        C::FileOnOrAfter { date, .. } => {
            if en {
                format!("possible from {date}")
            } else {
                format!("mogelijk vanaf {date}")
            }
        }
        C::SchemeEnded { last_day } => {
            if en {
                format!("the scheme ended on {last_day}")
            } else {
                format!("de regeling eindigde op {last_day}")
            }
        }
        C::MorePoints { needed } => {
            if en {
                format!("{needed} more points")
            } else {
                format!("{needed} punten meer")
            }
        }
        C::LongerContract { months } => {
            if en {
                format!("a contract of at least {months} months")
            } else {
                format!("een contract van ten minste {months} maanden")
            }
        }
    }
}

pub async fn result(
    State(s): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let bad = |msg: &str| {
        let body = format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"/?lang={}\">{}</a></p>",
            t(
                lang,
                "This result cannot be opened",
                "Dit resultaat kan niet worden geopend"
            ),
            esc(msg),
            if lang == Lang::En { "en" } else { "nl" },
            t(lang, "Start a new check", "Begin een nieuwe check")
        );
        (StatusCode::BAD_REQUEST, page(lang, "Verblijf", "/", &body)).into_response()
    };
    let Some(c) = q.get("c") else {
        return bad(t(
            lang,
            "The link has no case in it.",
            "De link bevat geen casus.",
        ));
    };
    let Ok(bytes) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(c.trim_end_matches('='))
    else {
        return bad(t(lang, "The link is damaged.", "De link is beschadigd."));
    };
    let text = String::from_utf8_lossy(&bytes);
    let case = match verblijf_rules::parse_case(&text, verblijf_rules::Format::Json) {
        Ok(c) => c,
        Err(e) => return bad(&e.to_string()),
    };
    let h = assess_household(&case, &s.params);
    for m in &h.members {
        for d in &m.assessment.decisions {
            s.metrics.decision(d.scheme.as_str(), d.outcome.as_str());
        }
    }
    let role = q.get("role").map(String::as_str).unwrap_or("worker");
    let mut body = format!(
        "<h1>{}</h1><p>{} {}. <a class=\"noprint\" href=\"javascript:window.print()\">{}</a></p>",
        t(lang, "Your result", "Uw resultaat"),
        t(lang, "Rules in force on", "Regels die gelden op"),
        case.reference_date,
        t(lang, "Print", "Afdrukken")
    );
    let you = h
        .members
        .iter()
        .find(|m| m.id.as_deref() == Some("you"))
        .or(h.members.first());
    if let Some(m) = you {
        let w = &m.work_rights;
        // Someone coming to work has no permit yet: their right to work follows from the permit below.
        let show_work = role != "worker" || case.members().iter().any(|p| !p.permits.is_empty());
        if show_work {
            body.push_str(&format!("<section aria-labelledby=\"work\"><h2 id=\"work\">{}</h2><p><strong class=\"{}\">{}</strong>{}</p><p>{}</p><p>{} {}</p></section>",
            t(lang, "May you work?", "Mag u werken?"),
            if w.status == verblijf_rules::WorkStatus::Free { "eligible" } else if w.status == verblijf_rules::WorkStatus::NotAllowed { "not_eligible" } else { "unknown" },
            esc(w.status.text().get(lang)),
            w.until.map(|u| format!(" ({} {u})", t(lang, "until", "tot en met"))).unwrap_or_default(),
            esc(&w.reason.get(lang)),
            t(lang, "An employer needs:", "Een werkgever heeft nodig:"),
            esc(w.employer_needs.text().get(lang))));
        }
        body.push_str(&format!("<h2>{}</h2>", t(lang, "Permits", "Vergunningen")));
        if let Some(f) = &m.family_member {
            body.push_str(&decision_html(f, lang));
        }
        let order = if role == "worker" {
            vec![Outcome::Eligible, Outcome::NotEligible, Outcome::Unknown]
        } else {
            vec![Outcome::Eligible]
        };
        for o in order {
            for d in m.assessment.decisions.iter().filter(|d| d.outcome == o) {
                body.push_str(&decision_html(d, lang));
            }
        }
        if !m.deadlines.is_empty() {
            body.push_str(&format!("<h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Deadlines", "Termijnen"), t(lang, "Date", "Datum"), t(lang, "What happens, what to do", "Wat er gebeurt, wat te doen")));
            for d in &m.deadlines {
                body.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td></tr>",
                    d.date,
                    esc(d.what().get(lang))
                ));
            }
            body.push_str("</tbody></table>");
        }
    }
    if case.members().iter().any(|p| !p.permits.is_empty()) {
        body.push_str(&format!(
            "<h2>{}</h2><div class=\"timeline\">{}</div>",
            t(lang, "Timeline", "Tijdlijn"),
            verblijf_rules::timeline::svg(&case, &h, lang)
        ));
    }
    body.push_str(&format!(
        "<p class=\"src\">{} {} · params {}</p>",
        t(lang, "Receipt:", "Bewijs:"),
        h.receipt.engine,
        &h.receipt.params_hash[..16]
    ));
    page(
        lang,
        t(lang, "Result", "Resultaat"),
        &swap_lang("/result", &q, lang),
        &body,
    )
    .into_response()
}
