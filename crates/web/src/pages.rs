//! The check a person fills in: server-rendered pages in English and Dutch that work without JavaScript. The visitor
//! says who they are (coming to work, a partner, an employer), answers the questions for that role, and gets a
//! result page that starts with one sentence per person, then the right to work, every decision with the checks
//! that decide it first (the rest folded), the deadlines, the timeline and a recap of the answers.
//!
//! Pages are askama templates (`crates/web/templates/`, escaped by default, checked when the crate builds); their
//! texts come from one catalogue per language ([`catalogue`]). The answers are kept on the server only, under an
//! unguessable id, for [`KEPT_FOR_HOURS`] hours or until the person deletes them: no birth date or salary travels in
//! a link.

mod catalogue;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use chrono::{Datelike, NaiveDate};
use verblijf_rules::case::*;
use verblijf_rules::decision::{CheckStatus, Decision};
use verblijf_rules::{assess_household, Case, Lang, Money, Outcome};

pub use catalogue::Catalogue;

use crate::AppState;

/// How long the answers behind a result are kept.
pub const KEPT_FOR_HOURS: u64 = 24;
/// At most this many results are kept at once; the oldest goes first (memory stays bounded under any load).
const KEPT_AT_MOST: usize = 10_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/check", get(form).post(submit))
        .route("/result", get(result))
        .route("/result/delete", post(delete))
        .layer(Extension(Kept::default()))
}

pub(crate) fn lang_of(q: &HashMap<String, String>) -> Lang {
    q.get("lang")
        .and_then(|l| l.parse().ok())
        .unwrap_or_default()
}

/// The register's pages still choose their texts inline; the check's pages use the catalogue.
pub(crate) fn t<'a>(lang: Lang, en: &'a str, nl: &'a str) -> &'a str {
    if lang == Lang::En {
        en
    } else {
        nl
    }
}

/// Escaping for the register's pages, which still build their HTML in code; the check's templates escape by
/// themselves.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn code(lang: Lang) -> &'static str {
    if lang == Lang::En {
        "en"
    } else {
        "nl"
    }
}

/// A date as a reader of the page writes it: `2026-12-02` in English (unambiguous), `2 december 2026` in Dutch.
pub fn date_text(d: NaiveDate, lang: Lang) -> String {
    verblijf_rules::decision::Day(d, lang).to_string()
}

/// An amount in euro as typed. On a Dutch page the comma is the decimal sign and a point groups thousands
/// (`5.500,00`, `5500,00`, `5.500`, `5500`); on an English page the point is the decimal sign and a comma groups
/// thousands (`5,500.00`). A euro sign and spaces are ignored.
pub fn parse_amount(text: &str, lang: Lang) -> Result<Money, String> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect();
    let (group, decimal) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let (whole, frac) = match t.rsplit_once(decimal) {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (t.clone(), None),
    };
    // A group sign only between groups of three digits: `5.500` is five thousand five hundred on a Dutch page, but
    // `55.00` is a mistake, not fifty-five.
    let groups: Vec<&str> = whole.split(group).collect();
    let grouped_well = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    // On a Dutch page `5500.50` is still understood: a point followed by one or two digits and nothing else.
    if lang == Lang::Nl && frac.is_none() && groups.len() == 2 && groups[1].len() <= 2 {
        return Money::parse(&whole);
    }
    if !grouped_well {
        return Err(format!("badly grouped amount {text:?}"));
    }
    let plain = match frac {
        Some(f) => format!("{}.{f}", groups.concat()),
        None => groups.concat(),
    };
    Money::parse(&plain)
}

const STYLE: &str = "\
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--accent:#0a58ca;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700}\
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);margin:0;line-height:1.5;font-size:17px}\
header,main,footer{max-width:880px;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid var(--line)}\
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #ffbf47;outline-offset:2px}\
.brand{font-weight:700;font-size:1.2rem;text-decoration:none;color:var(--ink)}\
.note{background:#fff8c5;border:1px solid #d4a72c;padding:.6rem .8rem;border-radius:6px}\
.roles{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(220px,1fr))}.roles a{display:block;border:2px solid var(--line);border-radius:8px;padding:1rem;text-decoration:none;color:var(--ink)}.roles a:hover{border-color:var(--accent)}\
fieldset{border:1px solid var(--line);border-radius:8px;margin:1rem 0;padding:1rem}legend{font-weight:700}\
label{display:block;font-weight:600;margin-top:.8rem}.help{color:var(--muted);font-size:.92rem;margin:.1rem 0 .3rem}\
input,select{font:inherit;padding:.45rem;border:1px solid #8c959f;border-radius:6px;width:100%;max-width:22rem}\
button{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:6px;padding:.6rem 1.2rem;margin-top:1rem;cursor:pointer}\
.error{color:var(--bad);font-weight:600}[hidden]{display:none}\
.summary{border-left:4px solid var(--accent);background:#f6f8fa;padding:.4rem 1rem;margin:1rem 0}.summary h2{margin:.3rem 0}.sentence{font-size:1.05rem}\
.decision{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:1rem 0}.decision h3{margin:.2rem 0}.deciding{font-weight:600;margin:.4rem 0 0}\
details{margin:.4rem 0}summary{cursor:pointer;color:var(--accent)}\
.eligible{color:var(--ok)}.not_eligible{color:var(--bad)}.unknown{color:var(--warn)}.not_applicable{color:var(--muted)}\
ul.checks{list-style:none;padding:0}ul.checks li{padding:.35rem 0;border-top:1px solid #eaeef2}.code{font-family:ui-monospace,monospace;font-size:.85rem;color:var(--muted)}\
.change{color:var(--accent)}.src,.caveat{font-size:.85rem;color:var(--muted);overflow-wrap:anywhere}.law{font-size:.85rem}\
dl{display:grid;grid-template-columns:minmax(10rem,1fr) 2fr;gap:.2rem 1rem}dt{color:var(--muted)}dd{margin:0}\
.kept{border-top:1px solid var(--line);margin-top:1.5rem}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:.35rem;text-align:left;vertical-align:top}td.date{white-space:nowrap}\
.timeline svg{max-width:100%;height:auto}\
.reg{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center;border-bottom:1px solid var(--line);padding-bottom:.6rem;margin-bottom:1rem}.reg form{display:inline;margin:0}.reg button{margin:0;padding:.3rem .8rem}\
.inline{display:inline}.inline button{margin-top:.3rem}.ok{color:var(--ok)}.bad{color:var(--bad)}textarea{font:inherit;width:100%;min-height:5rem;border:1px solid #8c959f;border-radius:6px}textarea[name=csv]{font-family:ui-monospace,monospace;font-size:.85rem;min-height:10rem}td:first-child{white-space:nowrap}\
.danger{background:var(--bad)}.actions a{margin-right:1rem}\
@media print{header nav,.noprint,button,footer .src{display:none}body{font-size:11pt}main{max-width:none}a{color:var(--ink);text-decoration:none}.law a::after{content:' (' attr(href) ')';font-size:8pt;overflow-wrap:anywhere}.decision,section.summary{break-inside:avoid}details>summary{display:none}details>*{display:block}}";

/// What every page around its content shows.
struct Chrome {
    lang: &'static str,
    other: &'static str,
    other_name: &'static str,
    title: String,
    switch_to: String,
    guidance: &'static str,
    engine: &'static str,
    style: &'static str,
}

impl Chrome {
    fn new(lang: Lang, title: &str, switch_to: &str) -> Chrome {
        let m = Catalogue::of(lang);
        Chrome {
            lang: code(lang),
            other: code(if lang == Lang::En { Lang::Nl } else { Lang::En }),
            other_name: m.t("lang.other"),
            title: title.to_string(),
            // Escaped here the way the register's pages and their tests write a link (`&amp;`).
            switch_to: esc(switch_to),
            guidance: m.t("footer.guidance"),
            engine: verblijf_rules::ENGINE_VERSION,
            style: STYLE,
        }
    }
}

#[derive(Template)]
#[template(path = "raw.html")]
struct RawPage<'a> {
    c: Chrome,
    body: &'a str,
}

fn render(t: &impl Template) -> Html<String> {
    // A template that compiled renders; writing into a String cannot fail but for a formatter error of a value.
    Html(t.render().unwrap_or_else(|e| {
        tracing::error!("a page did not render: {e}");
        String::from("<!doctype html><title>Verblijf</title><p>The page could not be shown.</p>")
    }))
}

/// The layout around a body the register's pages build in code.
pub(crate) fn page(lang: Lang, title: &str, switch_to: &str, body: &str) -> Html<String> {
    render(&RawPage {
        c: Chrome::new(lang, title, switch_to),
        body,
    })
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
        code(if lang == Lang::En { Lang::Nl } else { Lang::En })
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

const ROLES: [&str; 3] = ["worker", "partner", "employer"];

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    m: &'static Catalogue,
    roles: Vec<(&'static str, &'static str, &'static str)>,
}

pub async fn home(Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let lang = lang_of(&q);
    let m = Catalogue::of(lang);
    render(&HomePage {
        c: Chrome::new(lang, m.t("title.check"), &swap_lang("/", &q, lang)),
        m,
        roles: ROLES
            .iter()
            .map(|r| {
                (
                    *r,
                    m.t(&format!("role.{r}")),
                    m.t(&format!("role.{r}.card")),
                )
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    heading: String,
    paragraphs: Vec<String>,
    link: String,
    link_text: String,
}

/// A page that says what went wrong (or what was done) and links to a new check.
fn message(lang: Lang, status: StatusCode, heading: &str, paragraphs: Vec<String>) -> Response {
    let m = Catalogue::of(lang);
    let l = code(lang);
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        render(&MessagePage {
            c: Chrome::new(
                lang,
                heading,
                &format!("/?lang={}", if l == "en" { "nl" } else { "en" }),
            ),
            heading: heading.to_string(),
            paragraphs,
            link: format!("/?lang={l}"),
            link_text: m.t("error.start_again").to_string(),
        }),
    )
        .into_response()
}

/// The role as asked for, or a 400 page naming the field: the role decides which questions are asked and what is
/// kept, so an unknown one is refused rather than guessed.
fn role_of(q: &HashMap<String, String>, lang: Lang) -> Result<&'static str, Response> {
    let Some(raw) = q.get("role") else {
        return Ok("worker");
    };
    if let Some(r) = ROLES.iter().find(|r| **r == raw.as_str()) {
        return Ok(r);
    }
    let m = Catalogue::of(lang);
    let text = if raw.chars().any(char::is_control) {
        m.f("error.control", &[("field", "role")])
    } else {
        m.f("error.role.text", &[("value", raw)])
    };
    Err(message(
        lang,
        StatusCode::UNPROCESSABLE_ENTITY,
        m.t("error.role.title"),
        vec![text],
    ))
}

/// One question of the form. Its label is `field.<name>.label` in the catalogue, its help `field.<name>.help`.
struct Field {
    name: &'static str,
    help: bool,
    kind: Kind,
}

enum Kind {
    Date,
    Money,
    Number,
    /// The choices: the value sent and the catalogue key of its label.
    Select(&'static [(&'static str, &'static str)]),
}

const YES_NO: &[(&str, &str)] = &[
    ("", "option.unknown"),
    ("yes", "option.yes"),
    ("no", "option.no"),
];
const LEVELS: &[(&str, &str)] = &[
    ("", "option.none"),
    ("bachelor", "option.level.bachelor"),
    ("master", "option.level.master"),
    ("phd", "option.level.phd"),
    ("post_master", "option.level.post_master"),
];
const WHERE: &[(&str, &str)] = &[
    ("dutch_accredited", "option.where.dutch_accredited"),
    ("foreign", "option.where.foreign"),
    ("erasmus_mundus", "option.where.erasmus_mundus"),
];
const WORK_ROLES: &[(&str, &str)] = &[
    ("regular", "option.work.regular"),
    ("scientific_researcher", "option.work.scientific_researcher"),
    ("phd_researcher", "option.work.phd_researcher"),
    ("physician_in_training", "option.work.physician_in_training"),
    ("guest_lecturer", "option.work.guest_lecturer"),
];
const HA: &[(&str, &str)] = &[
    ("paid_separately", "option.ha.paid_separately"),
    ("included_in_monthly", "option.ha.included_in_monthly"),
    ("not_paid", "option.ha.not_paid"),
];
const PARTNERSHIP: &[(&str, &str)] = &[
    ("", "option.choose"),
    ("married", "option.partnership.married"),
    ("registered", "option.partnership.registered"),
    ("unmarried", "option.partnership.unmarried"),
];
const SPONSOR: &[(&str, &str)] = &[
    (
        "highly_skilled_migrant",
        "option.permit.highly_skilled_migrant",
    ),
    ("eu_blue_card", "option.permit.eu_blue_card"),
    (
        "intra_corporate_transferee",
        "option.permit.intra_corporate_transferee",
    ),
    ("orientation_year", "option.permit.orientation_year"),
    ("self_employed", "option.permit.self_employed"),
    ("study", "option.permit.study"),
    (
        "scientific_researcher",
        "option.permit.scientific_researcher",
    ),
    ("start_up", "option.permit.start_up"),
    ("dutch_or_eu", "option.permit.dutch_or_eu"),
];
const OWN: &[(&str, &str)] = &[
    ("family_member", "option.permit.family_member"),
    (
        "highly_skilled_migrant",
        "option.permit.highly_skilled_migrant",
    ),
    ("eu_blue_card", "option.permit.eu_blue_card"),
    ("orientation_year", "option.permit.orientation_year"),
    ("study", "option.permit.study"),
    ("self_employed", "option.permit.self_employed"),
    ("permanent_residence", "option.permit.permanent_residence"),
];

const fn q(name: &'static str, help: bool, kind: Kind) -> Field {
    Field { name, help, kind }
}

fn fields(role: &str) -> Vec<Field> {
    let mut f = vec![
        q("date", true, Kind::Date),
        q("birth_date", true, Kind::Date),
    ];
    if role == "worker" {
        f.extend([
            q("education_level", false, Kind::Select(LEVELS)),
            q("education_where", false, Kind::Select(WHERE)),
            q("graduation_date", true, Kind::Date),
            q("ranking", true, Kind::Number),
            q("speaks", true, Kind::Select(YES_NO)),
            q("nl_before", false, Kind::Select(YES_NO)),
            q("recognised_sponsor", true, Kind::Select(YES_NO)),
            q("salary", true, Kind::Money),
            q("holiday_allowance", false, Kind::Select(HA)),
            q("contract_end", false, Kind::Date),
            q("work_role", true, Kind::Select(WORK_ROLES)),
            q("oy_from", false, Kind::Date),
            q("oy_until", false, Kind::Date),
        ]);
    } else {
        if role == "employer" {
            f.push(q("own_permit", true, Kind::Select(OWN)));
        }
        f.extend([
            q("sponsor_permit", true, Kind::Select(SPONSOR)),
            q("sponsor_birth_date", true, Kind::Date),
            q("partnership", true, Kind::Select(PARTNERSHIP)),
            q("sponsor_from", true, Kind::Date),
            q("sponsor_until", true, Kind::Date),
            q("permit_from", true, Kind::Date),
            q("permit_until", false, Kind::Date),
        ]);
    }
    f
}

struct OptionView {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

struct FieldView {
    name: &'static str,
    label: &'static str,
    help: Option<&'static str>,
    error: Option<String>,
    kind: Kind,
    value: String,
    options: Vec<OptionView>,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    c: Chrome,
    m: &'static Catalogue,
    heading: &'static str,
    role: &'static str,
    has_errors: bool,
    fields: Vec<FieldView>,
    script: &'static str,
}

fn label_of(m: &Catalogue, name: &str) -> &'static str {
    m.t(&format!("field.{name}.label"))
}

fn help_of(m: &Catalogue, name: &str) -> &'static str {
    m.t(&format!("field.{name}.help"))
}

fn render_form(
    lang: Lang,
    role: &'static str,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Html<String> {
    let m = Catalogue::of(lang);
    let fields = fields(role)
        .into_iter()
        .map(|f| {
            let value = values.get(f.name).cloned().unwrap_or_default();
            let options = match f.kind {
                Kind::Select(opts) => opts
                    .iter()
                    .map(|(v, key)| OptionView {
                        value: v,
                        label: m.t(key),
                        selected: *v == value,
                    })
                    .collect(),
                _ => vec![],
            };
            FieldView {
                name: f.name,
                label: label_of(m, f.name),
                help: f.help.then(|| help_of(m, f.name)),
                error: errors.get(f.name).cloned(),
                kind: f.kind,
                value,
                options,
            }
        })
        .collect();
    let q = HashMap::from([("role".to_string(), role.to_string())]);
    render(&FormPage {
        c: Chrome::new(lang, m.t("title.check"), &swap_lang("/check", &q, lang)),
        m,
        heading: m.t(role_key(role)),
        role,
        has_errors: !errors.is_empty(),
        fields,
        script: SHOW_WHAT_MATTERS,
    })
}

fn role_key(role: &str) -> &'static str {
    match role {
        "partner" => "role.partner",
        "employer" => "role.employer",
        _ => "role.worker",
    }
}

/// An enhancement: hide the questions that cannot change the answer given what is filled in so far (where and when
/// only once a degree is chosen, a ranking only for a foreign degree, language and earlier stays only for dates
/// before March 2016, when the points test applied). Without JavaScript every question shows, and the answers are
/// used the same way. The content security policy allows exactly this script by its hash.
/// The text of the check's one script, between its tags: what the Content-Security-Policy allows by its hash.
pub(crate) fn script_body() -> &'static str {
    SHOW_WHAT_MATTERS
        .strip_prefix("<script>")
        .and_then(|s| s.strip_suffix("</script>"))
        .expect("the script is one <script> element")
}

const SHOW_WHAT_MATTERS: &str = r#"<script>(function(){
var f=document.querySelector('form');if(!f)return;
function v(n){var e=f.elements[n];return e?e.value:'';}
function show(n,on){var w=document.getElementById('w-'+n);if(w)w.hidden=!on;}
function update(){var deg=v('education_level')!=='';
show('education_where',deg);show('graduation_date',deg);show('ranking',deg&&v('education_where')==='foreign');
var d=v('date');var old=d!==''&&d<'2016-03-01';show('speaks',old);show('nl_before',old);
show('oy_until',v('oy_from')!=='');
var own=v('own_permit');var fam=own===''||own==='family_member';
['sponsor_permit','sponsor_birth_date','partnership','sponsor_from','sponsor_until'].forEach(function(n){show(n,fam);});}
f.addEventListener('input',update);f.addEventListener('change',update);update();})();</script>"#;

pub async fn form(
    Extension(kept): Extension<Kept>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    // "Change your answers" opens the form with the answers kept under the result's id.
    if let Some(entry) = q.get("answers").and_then(|id| kept.get(id)) {
        return render_form(lang, entry.role, &entry.answers, &HashMap::new()).into_response();
    }
    let role = match role_of(&q, lang) {
        Ok(r) => r,
        Err(page) => return page,
    };
    let values = HashMap::from([(
        "date".to_string(),
        chrono::Utc::now().date_naive().to_string(),
    )]);
    render_form(lang, role, &values, &HashMap::new()).into_response()
}

/// Builds the case from the form, or says which answers are wrong (in the page's language, naming each field).
fn case_from_form(
    f: &HashMap<String, String>,
    role: &str,
    lang: Lang,
) -> Result<Case, HashMap<String, String>> {
    let m = Catalogue::of(lang);
    let mut errors = HashMap::new();
    let get = |k: &str| f.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    for field in fields(role) {
        if let (Kind::Select(opts), Some(v)) = (&field.kind, get(field.name)) {
            if !opts.iter().any(|(o, _)| *o == v) {
                errors.insert(field.name.into(), m.f("error.choice", &[("value", v)]));
            }
        }
    }
    let date = |k: &str, errors: &mut HashMap<String, String>| -> Option<NaiveDate> {
        let v = get(k)?;
        match v.parse() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert(k.into(), m.t("error.date").into());
                None
            }
        }
    };
    let reference = date("date", &mut errors);
    let birth = date("birth_date", &mut errors);
    if reference.is_none() && !errors.contains_key("date") {
        errors.insert("date".into(), m.t("error.date_needed").into());
    }
    if let (Some(b), Some(r)) = (birth, reference) {
        if b > r {
            errors.insert("birth_date".into(), m.t("error.birth_after").into());
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
                        errors.insert("ranking".into(), m.t("error.ranking").into());
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
                            edition: graduation.map_or(2025, |g| g.year() as u16),
                            position,
                            scope: RankingScope::General,
                        })
                        .collect(),
                });
            } else {
                errors.insert("education_level".into(), m.t("error.degree").into());
            }
        }
        let salary = match get("salary") {
            None => None,
            Some(s) => match parse_amount(s, lang) {
                Ok(amount) if !amount.is_negative() => Some(amount),
                _ => {
                    errors.insert("salary".into(), m.t("error.money").into());
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
        let own: Option<PermitKind> =
            word("own_permit").and_then(|v| serde_json::from_value(v).ok());
        // The partner (the sponsor) is part of the case only for a family member's permit; how the partners live
        // together is then asked, never assumed.
        let family = own.is_none_or(|k| k == PermitKind::FamilyMember);
        let form: Option<PartnershipForm> =
            word("partnership").and_then(|v| serde_json::from_value(v).ok());
        if family && form.is_none() && !errors.contains_key("partnership") {
            errors.insert("partnership".into(), m.t("error.partnership").into());
        }
        let sponsor_from = date("sponsor_from", &mut errors);
        let sponsor_until = date("sponsor_until", &mut errors);
        let from = date("permit_from", &mut errors);
        let until = date("permit_until", &mut errors);
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
                        // Not asked for a start, the permit is taken as held from the date of the question:
                        // no earlier history is made up.
                        from: sponsor_from.unwrap_or(r),
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
        if let (true, Some(form)) = (family, form) {
            relationships.push(Relationship::Partner {
                partners: ["partner".into(), "you".into()],
                form,
                from: None,
                until: None,
            });
            people.push(sponsor);
        }
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
    verblijf_rules::input::validate(&case).map_err(|e| {
        HashMap::from([(
            "date".to_string(),
            m.f("error.case", &[("detail", &e.to_string())]),
        )])
    })?;
    Ok(case)
}

/// The answers behind the results, kept in this server's memory only, each under an unguessable id (a random UUID)
/// for [`KEPT_FOR_HOURS`] hours or until deleted. Nothing is written to disk, so a restart forgets them all.
#[derive(Clone, Default)]
pub struct Kept(Arc<Mutex<HashMap<String, Entry>>>);

#[derive(Clone)]
struct Entry {
    role: &'static str,
    answers: HashMap<String, String>,
    kept_at: Instant,
    until: chrono::DateTime<chrono::Utc>,
}

impl Kept {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves the map as it was between two whole operations.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn put(&self, role: &'static str, answers: HashMap<String, String>) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let mut map = self.lock();
        let life = Duration::from_secs(KEPT_FOR_HOURS * 3600);
        map.retain(|_, e| e.kept_at.elapsed() < life);
        if map.len() >= KEPT_AT_MOST {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, e)| e.kept_at)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        let until = chrono::Utc::now() + chrono::Duration::hours(KEPT_FOR_HOURS as i64);
        map.insert(
            id.clone(),
            Entry {
                role,
                answers,
                kept_at: Instant::now(),
                until,
            },
        );
        id
    }

    fn get(&self, id: &str) -> Option<Entry> {
        let life = Duration::from_secs(KEPT_FOR_HOURS * 3600);
        let mut map = self.lock();
        match map.get(id) {
            Some(e) if e.kept_at.elapsed() < life => Some(e.clone()),
            Some(_) => {
                map.remove(id);
                None
            }
            None => None,
        }
    }

    fn remove(&self, id: &str) -> bool {
        self.lock().remove(id).is_some()
    }
}

pub async fn submit(
    Extension(kept): Extension<Kept>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&f);
    let role = match role_of(&f, lang) {
        Ok(r) => r,
        Err(page) => return page,
    };
    match case_from_form(&f, role, lang) {
        Ok(_) => {
            // Only the answers to this role's questions are kept.
            let answers = fields(role)
                .iter()
                .filter_map(|q| f.get(q.name).map(|v| (q.name.to_string(), v.clone())))
                .collect();
            let id = kept.put(role, answers);
            Redirect::to(&format!("/result?id={id}&lang={}", code(lang))).into_response()
        }
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            render_form(lang, role, &f, &errors),
        )
            .into_response(),
    }
}

pub async fn delete(
    Extension(kept): Extension<Kept>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&f);
    let m = Catalogue::of(lang);
    f.get("id").map(|id| kept.remove(id));
    message(
        lang,
        StatusCode::OK,
        m.t("result.deleted.title"),
        vec![m.t("result.deleted.text").to_string()],
    )
}

struct LawView {
    citation: String,
    url: Option<String>,
    unverified: bool,
}

struct CheckView {
    mark: &'static str,
    class: &'static str,
    reason: String,
    change: Option<String>,
    laws: Vec<LawView>,
    source: Option<(String, String)>,
}

struct DecisionView {
    scheme: &'static str,
    name: String,
    class: &'static str,
    outcome: String,
    deciding: Vec<CheckView>,
    rest: Vec<CheckView>,
    rest_label: String,
    permit: Option<String>,
    caveats: Vec<String>,
}

struct WorkView {
    title: &'static str,
    lead: Option<String>,
    class: &'static str,
    status: String,
    until: Option<String>,
    reason: String,
    employer_needs: String,
}

struct PersonView {
    key: &'static str,
    work: Option<WorkView>,
    decisions: Vec<DecisionView>,
    deadlines: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "result.html")]
struct ResultPage {
    c: Chrome,
    m: &'static Catalogue,
    heading: &'static str,
    rules_on: String,
    summaries: Vec<String>,
    people: Vec<PersonView>,
    timeline: Option<String>,
    recap: Vec<(&'static str, String)>,
    change_href: String,
    id: String,
    kept: String,
    receipt: String,
}

fn check_view(c: &verblijf_rules::Check, date: NaiveDate, m: &Catalogue) -> CheckView {
    let lang = m.lang();
    let (mark, class) = match c.status {
        CheckStatus::Pass => ("✔", "eligible"),
        CheckStatus::Fail => ("✘", "not_eligible"),
        CheckStatus::Unknown => ("?", "unknown"),
        CheckStatus::Info => ("i", "not_applicable"),
    };
    CheckView {
        mark,
        class,
        reason: c.reason(lang),
        change: c.change.as_ref().map(|ch| change_text(ch, m)),
        laws: verblijf_rules::law::LegalBases::embedded()
            .on(c.code.as_str(), date)
            .map(|b| LawView {
                citation: b.citation().to_string(),
                url: b.url(date),
                unverified: b.unverified,
            })
            .collect(),
        source: c.citation.source.as_ref().map(|s| {
            (
                s.url.clone(),
                s.title.clone().unwrap_or_else(|| s.url.clone()),
            )
        }),
    }
}

/// Whether a check is among those that decide the outcome: the ones whose result is the outcome's (the passes of
/// an eligible decision, the failures of a refused one, the open questions of an undecided one), what informs the
/// terms, and whatever says what would change it. The rest is folded.
/// Names joined as a sentence does: `a`, `a and b`, `a, b and c` (`en` in Dutch).
fn and_list(names: &[String], m: &Catalogue) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), m.t("summary.and")),
    }
}

/// A check decides the outcome when it says what would change it, or its status is the outcome's (a pass of an
/// eligible decision, a fail of a refused one, an unknown of an open one). A note (`info`) without a change is
/// context and goes with the rest, folded.
fn decides(c: &verblijf_rules::Check, outcome: Outcome) -> bool {
    c.change.is_some()
        || matches!(
            (outcome, c.status),
            (Outcome::Eligible, CheckStatus::Pass)
                | (Outcome::NotEligible, CheckStatus::Fail)
                | (Outcome::Unknown, CheckStatus::Unknown)
        )
}

fn decision_view(d: &Decision, m: &Catalogue) -> DecisionView {
    let lang = m.lang();
    let (deciding, rest): (Vec<_>, Vec<_>) = d.checks.iter().partition(|c| decides(c, d.outcome));
    DecisionView {
        scheme: d.scheme.as_str(),
        name: verblijf_rules::rules::scheme_label(d.scheme)
            .get(lang)
            .to_string(),
        class: d.outcome.as_str(),
        outcome: d.outcome.text().get(lang).to_string(),
        deciding: deciding
            .into_iter()
            .map(|c| check_view(c, d.filing_date, m))
            .collect(),
        rest_label: m.f("decision.rest", &[("count", &rest.len().to_string())]),
        rest: rest
            .into_iter()
            .map(|c| check_view(c, d.filing_date, m))
            .collect(),
        permit: d.permit.as_ref().map(|p| {
            m.f(
                "decision.permit",
                &[
                    ("start", &date_text(p.start, lang)),
                    ("end", &date_text(p.end, lang)),
                ],
            )
        }),
        caveats: d
            .caveats
            .iter()
            .map(|c| c.text().get(lang).to_string())
            .collect(),
    }
}

fn change_text(c: &verblijf_rules::decision::Change, m: &Catalogue) -> String {
    use verblijf_rules::decision::Change as C;
    let lang = m.lang();
    let d = |date: &NaiveDate| date_text(*date, lang);
    match c {
        C::RaiseSalary {
            shortfall_monthly, ..
        } => {
            let amount = match lang {
                Lang::En => shortfall_monthly.to_string(),
                Lang::Nl => shortfall_monthly.to_dutch(),
            };
            m.f("change.raise_salary", &[("amount", &amount)])
        }
        C::FileOnOrBefore { date, .. } => m.f("change.file_on_or_before", &[("date", &d(date))]),
        C::ClosedOn { date, .. } => m.f("change.closed_on", &[("date", &d(date))]),
        C::FileOnOrAfter { date, .. } => m.f("change.file_on_or_after", &[("date", &d(date))]),
        C::SchemeEnded { last_day } => m.f("change.scheme_ended", &[("date", &d(last_day))]),
        C::MorePoints { needed } => m.f("change.more_points", &[("needed", &needed.to_string())]),
        C::LongerContract { months } => {
            m.f("change.longer_contract", &[("months", &months.to_string())])
        }
    }
}

/// The case with one more permit held by the person asked about: what the permit they qualify for would let them
/// do is then read from the same rules that answer for a permit held.
fn with_permit(case: &Case, kind: PermitKind, from: NaiveDate, until: Option<NaiveDate>) -> Case {
    let mut case = case.clone();
    let held = HeldPermit {
        kind,
        from,
        until,
        criterion: None,
        employer: None,
        sponsor: (kind == PermitKind::FamilyMember).then(|| "partner".to_string()),
        sponsor_permit: None,
        withdrawn: None,
    };
    if let Some(p) = case.person.as_mut() {
        p.permits.push(held);
    } else if let Some(p) = case.people.first_mut() {
        p.permits.push(held);
    }
    case
}

fn the_person(case: &Case) -> Option<&Person> {
    case.person.as_ref().or(case.people.first())
}

fn work_class(s: verblijf_rules::WorkStatus) -> &'static str {
    use verblijf_rules::WorkStatus as W;
    match s {
        W::Free => "eligible",
        W::NotAllowed => "not_eligible",
        W::Unknown => "unknown",
        _ => "eligible",
    }
}

pub async fn result(
    State(s): State<AppState>,
    Extension(kept): Extension<Kept>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = lang_of(&q);
    let m = Catalogue::of(lang);
    let l = code(lang);
    let Some(id) = q.get("id") else {
        return message(
            lang,
            StatusCode::BAD_REQUEST,
            m.t("result.gone.title"),
            vec![m.t("result.no_id").to_string()],
        );
    };
    let Some(entry) = kept.get(id) else {
        return message(
            lang,
            StatusCode::NOT_FOUND,
            m.t("result.gone.title"),
            vec![m.t("result.gone.text").to_string()],
        );
    };
    let role = entry.role;
    let case = match case_from_form(&entry.answers, role, lang) {
        Ok(c) => c,
        Err(errors) => {
            return message(
                lang,
                StatusCode::BAD_REQUEST,
                m.t("result.gone.title"),
                errors.into_values().collect(),
            )
        }
    };
    let h = assess_household(&case, &s.params);
    for member in &h.members {
        for d in &member.assessment.decisions {
            s.metrics.decision(d.scheme.as_str(), d.outcome.as_str());
        }
    }
    let reference = case.reference_date;
    let who = if role == "employer" { "person" } else { "you" };
    let mut summaries = Vec::new();
    let mut people = Vec::new();
    let you = h
        .members
        .iter()
        .find(|m| m.id.as_deref() == Some("you"))
        .or(h.members.first());
    if let Some(member) = you {
        let mut decisions: Vec<&Decision> = member.family_member.iter().collect();
        let order: &[Outcome] = if role == "worker" {
            &[Outcome::Eligible, Outcome::NotEligible, Outcome::Unknown]
        } else {
            &[Outcome::Eligible]
        };
        for o in order {
            decisions.extend(
                member
                    .assessment
                    .decisions
                    .iter()
                    .filter(|d| d.outcome == *o),
            );
        }
        let eligible: Vec<&Decision> = decisions
            .iter()
            .copied()
            .filter(|d| d.outcome == Outcome::Eligible)
            .collect();
        // The right to work: from the permit held, or, when none is held yet, from the first permit the person
        // qualifies for, as if granted on its terms.
        let holds = the_person(&case).is_some_and(|p| !p.permits.is_empty());
        let prospective =
            if holds && member.work_rights.status != verblijf_rules::WorkStatus::Unknown {
                None
            } else {
                eligible.first().and_then(|d| {
                    let kind = serde_json::to_value(d.scheme)
                        .ok()
                        .and_then(|v| serde_json::from_value::<PermitKind>(v).ok())?;
                    let (from, until) = d
                        .permit
                        .as_ref()
                        .map_or((reference, None), |p| (p.start.max(reference), Some(p.end)));
                    let granted = with_permit(&case, kind, from, until);
                    let person = the_person(&granted)?;
                    Some((
                        *d,
                        verblijf_rules::work_rights(&s.params, &granted, person, from),
                    ))
                })
            };
        let work = match &prospective {
            Some((d, w)) => Some((Some(*d), w)),
            None if holds || role != "worker" => Some((None, &member.work_rights)),
            None => None,
        };
        let work_view = work.map(|(granted, w)| {
            let permit_name = granted.map(|d| {
                verblijf_rules::rules::scheme_label(d.scheme)
                    .get(lang)
                    .to_string()
            });
            WorkView {
                title: m.t(match (role, granted.is_some()) {
                    ("employer", _) => "work.title.employer",
                    (_, true) => "work.title.if_granted",
                    _ => "work.title",
                }),
                lead: permit_name
                    .as_ref()
                    .map(|p| m.f("work.if_granted", &[("permit", p)])),
                class: work_class(w.status),
                status: w.status.text().get(lang).to_string(),
                until: w
                    .until
                    .map(|u| m.f("work.until", &[("date", &date_text(u, lang))])),
                reason: w.reason.get(lang).to_string(),
                employer_needs: w.employer_needs.text().get(lang).to_string(),
            }
        });
        // One sentence: what the person qualifies for, whether and how they may work and until when, the next date.
        let mut parts = Vec::new();
        if eligible.is_empty() {
            parts.push(m.t(&format!("summary.none.{who}")).to_string());
        } else {
            let names: Vec<String> = eligible
                .iter()
                .map(|d| {
                    verblijf_rules::rules::scheme_label(d.scheme)
                        .get(lang)
                        .to_string()
                })
                .collect();
            parts.push(m.f(
                &format!("summary.qualifies.{who}"),
                &[("schemes", &and_list(&names, m))],
            ));
        }
        if let Some((granted, w)) = &work {
            let status = w.status.text().get(lang).to_string();
            let mut part = match granted {
                Some(d) => m.f(
                    "summary.work.if_granted",
                    &[
                        (
                            "permit",
                            verblijf_rules::rules::scheme_label(d.scheme).get(lang),
                        ),
                        ("status", &status),
                    ],
                ),
                None => m.f("summary.work", &[("status", &status)]),
            };
            if let Some(u) = w.until {
                part.push_str(", ");
                part.push_str(&m.f("summary.until", &[("date", &date_text(u, lang))]));
            }
            parts.push(part);
        }
        if let Some(next) = member
            .deadlines
            .iter()
            .filter(|d| d.date >= reference)
            .min_by_key(|d| d.date)
        {
            parts.push(m.f(
                "summary.next",
                &[
                    ("date", &date_text(next.date, lang)),
                    ("what", m.t(&format!("deadline.{}", next.kind))),
                ],
            ));
        }
        summaries.push(format!("{}.", parts.join("; ")));
        people.push(PersonView {
            key: "you",
            work: work_view,
            decisions: decisions.into_iter().map(|d| decision_view(d, m)).collect(),
            deadlines: member
                .deadlines
                .iter()
                .map(|d| (date_text(d.date, lang), d.what().get(lang).to_string()))
                .collect(),
        });
    }
    let timeline = case
        .members()
        .iter()
        .any(|p| !p.permits.is_empty())
        .then(|| {
            // The form's people are known by their part in it: label their rows in the page's language.
            verblijf_rules::timeline::svg_named(&case, &h, lang, &|id| {
                // In the employer's check, "you" is the worker, not the employer reading the page.
                let part = match id {
                    "you" => who,
                    "partner" | "person" => id,
                    _ => return None,
                };
                Some(m.t(&format!("timeline.row.{part}")).to_string())
            })
        });
    let recap = fields(role)
        .iter()
        .map(|f| {
            let given = entry
                .answers
                .get(f.name)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty());
            let answer = match (given, &f.kind) {
                (None, _) => m.t("recap.not_given").to_string(),
                (Some(v), Kind::Select(opts)) => opts
                    .iter()
                    .find(|(o, _)| *o == v)
                    .map_or(v.to_string(), |(_, key)| m.t(key).to_string()),
                (Some(v), Kind::Date) => v.parse().map_or(v.to_string(), |d| date_text(d, lang)),
                (Some(v), _) => v.to_string(),
            };
            (label_of(m, f.name), answer)
        })
        .collect();
    let page = ResultPage {
        c: Chrome::new(lang, m.t("title.result"), &swap_lang("/result", &q, lang)),
        m,
        heading: m.t(if role == "employer" {
            "result.title.employer"
        } else {
            "result.title"
        }),
        rules_on: m.f("result.rules_on", &[("date", &date_text(reference, lang))]),
        summaries,
        people,
        timeline,
        recap,
        change_href: format!("/check?answers={id}&lang={l}"),
        id: id.clone(),
        kept: m.f(
            "result.kept",
            &[(
                "until",
                &format!(
                    "{} {} UTC",
                    date_text(entry.until.date_naive(), lang),
                    entry.until.format("%H:%M")
                ),
            )],
        ),
        receipt: m.f(
            "receipt",
            &[
                ("engine", h.receipt.engine),
                ("hash", &h.receipt.params_hash[..16]),
            ],
        ),
    };
    ([(header::CACHE_CONTROL, "no-store")], render(&page)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATES: &[&str] = &[
        include_str!("../templates/layout.html"),
        include_str!("../templates/home.html"),
        include_str!("../templates/form.html"),
        include_str!("../templates/result.html"),
        include_str!("../templates/check.html"),
        include_str!("../templates/message.html"),
    ];
    const NAMESPACES: &[&str] = &[
        "lang.",
        "footer.",
        "title.",
        "home.",
        "role.",
        "form.",
        "field.",
        "option.",
        "error.",
        "result.",
        "who.",
        "summary.",
        "deadline.",
        "work.",
        "permits.",
        "decision.",
        "deadlines.",
        "timeline.",
        "recap.",
        "change.",
    ];

    fn keys(source: &'static str) -> Vec<&'static str> {
        catalogue::parse(source)
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    /// Every quoted string of a text that looks like a catalogue key.
    fn quoted_keys(text: &str) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                (NAMESPACES.iter().any(|n| s.starts_with(n)) || *s == "receipt")
                    && s.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
                    })
                    && !s.ends_with('.')
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn both_catalogues_hold_the_same_keys_each_once_and_every_line_is_read() {
        for source in [catalogue::EN_SOURCE, catalogue::NL_SOURCE] {
            let lines = source
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .count();
            assert_eq!(keys(source).len(), lines, "a line that is not `key = text`");
            let mut sorted = keys(source);
            sorted.sort();
            let before = sorted.len();
            sorted.dedup();
            assert_eq!(before, sorted.len(), "a key twice");
        }
        let mut en = keys(catalogue::EN_SOURCE);
        let mut nl = keys(catalogue::NL_SOURCE);
        en.sort();
        nl.sort();
        assert_eq!(en, nl);
    }

    #[test]
    fn every_key_the_pages_and_templates_ask_for_is_in_both_catalogues() {
        let mut wanted: Vec<String> = TEMPLATES.iter().flat_map(|t| quoted_keys(t)).collect();
        wanted.extend(quoted_keys(include_str!("pages.rs")));
        for role in ROLES {
            wanted.push(format!("role.{role}"));
            wanted.push(format!("role.{role}.card"));
            for f in fields(role) {
                wanted.push(format!("field.{}.label", f.name));
                if f.help {
                    wanted.push(format!("field.{}.help", f.name));
                }
                if let Kind::Select(opts) = f.kind {
                    wanted.extend(opts.iter().map(|(_, k)| k.to_string()));
                }
            }
        }
        for who in ["you", "person"] {
            wanted.push(format!("summary.none.{who}"));
            wanted.push(format!("summary.qualifies.{who}"));
        }
        for kind in [
            "permit_end",
            "extension_window_opens",
            "ends_with_sponsor",
            "orientation_year_end",
            "thirtieth_birthday",
            "graduation_window_closes",
            "contract_end",
            "report_change",
        ] {
            wanted.push(format!("deadline.{kind}"));
        }
        assert!(
            wanted.len() > 100,
            "the scan finds the keys: {}",
            wanted.len()
        );
        for lang in [Lang::En, Lang::Nl] {
            let have = keys(if lang == Lang::En {
                catalogue::EN_SOURCE
            } else {
                catalogue::NL_SOURCE
            });
            for k in &wanted {
                assert!(
                    have.contains(&k.as_str()),
                    "{k} is not in the {lang:?} catalogue"
                );
            }
        }
    }

    #[test]
    fn amounts_are_read_as_each_language_writes_them() {
        let cents = |s: &str, lang| parse_amount(s, lang).map(|m| m.to_string());
        for s in [
            "5.500,00",
            "5500,00",
            "5500",
            "5.500",
            "€ 5.500,00",
            "5500.00",
        ] {
            assert_eq!(cents(s, Lang::Nl), Ok("€5,500.00".to_string()), "{s}");
        }
        assert_eq!(cents("5.200,5", Lang::Nl), Ok("€5,200.50".to_string()));
        for s in ["5,500.00", "5500", "5500.00"] {
            assert_eq!(cents(s, Lang::En), Ok("€5,500.00".to_string()), "{s}");
        }
        for s in ["55.00.0", "5.50.000", ",50", "5.5000"] {
            assert!(parse_amount(s, Lang::Nl).is_err(), "{s}");
        }
    }

    #[test]
    fn dutch_dates_are_written_with_the_month_in_words() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
        assert_eq!(date_text(d, Lang::Nl), "2 december 2026");
        assert_eq!(date_text(d, Lang::En), "2026-12-02");
    }
}
