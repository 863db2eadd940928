//! Rosters in and out of the register, in the batch CSV format (`docs/roster-format.md`). An upload (a file or
//! pasted text) first shows a preview: each row with what it would create, and each row that cannot be used with
//! its line number and why. Confirming creates all the usable rows in one transaction. The export writes the same
//! format (so an export imports again) or everything as JSON.
//!
//! A row becomes a person named by its `id`, in a household named by its `household` (none when empty), with the
//! row's permit, a contract from the salary and contract dates, and the partner and parent links. The other columns
//! describe an application and have no place in the register; the preview lists those it leaves aside.

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde_json::json;
use verblijf_roster::row::{household_case, parse_row, Header, Row};
use verblijf_rules::case::{ContractEnd, PartnershipForm};
use verblijf_rules::Lang;
use verblijf_store::{
    check_import_person, ContractInput, ImportHousehold, ImportPartners, ImportPermit,
    ImportPerson, PersonInput, StoreError,
};

use super::records::{money_text, permit_label};
use super::{href, store_error, Signed};
use crate::pages::{esc, t};
use crate::AppState;

/// The largest roster an import takes (the rest of the app keeps its smaller limit): about 60,000 rows.
pub const IMPORT_LIMIT: usize = 8 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    let limit = || axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT);
    Router::new()
        .route(
            "/register/import",
            get(import_form).post(preview).layer(limit()),
        )
        .route(
            "/register/import/confirm",
            axum::routing::post(confirm).layer(limit()),
        )
        .route("/register/export", get(export_page))
        .route("/register/export.csv", get(export_csv))
        .route("/register/export.json", get(export_json))
}

/// The columns the register keeps; `reference_date` is required by the format but not kept.
const KEPT: &[&str] = &[
    "id",
    "household",
    "reference_date",
    "birth_date",
    "nationality",
    "gross_monthly_salary",
    "contract_start",
    "contract_end",
    "permit_kind",
    "permit_from",
    "permit_until",
    "sponsor",
    "partner",
    "partnership_form",
    "relationship_from",
    "relationship_until",
    "parent",
];

/// One line of the preview.
struct PlanRow {
    line: u64,
    household: Option<String>,
    id: String,
    creates: String,
    error: Option<String>,
}

/// What an import would do.
#[derive(Default)]
struct Plan {
    header_error: Option<String>,
    left_aside: Vec<String>,
    rows: Vec<PlanRow>,
    households: Vec<ImportHousehold>,
}

fn word<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn import_person(row: &Row) -> ImportPerson {
    let p = &row.person;
    let permit = p.permits.first().map(|h| ImportPermit {
        kind: word(&h.kind),
        valid_from: h.from.to_string(),
        valid_until: h.until.map(|d| d.to_string()),
        sponsor: h.sponsor.clone(),
    });
    let contract = p.job_offer.as_ref().and_then(|j| {
        let end = match j.contract_end {
            Some(ContractEnd::On(d)) => Some(d.to_string()),
            _ => None,
        };
        let c = ContractInput {
            employer: None,
            gross_monthly_salary_cents: j.gross_monthly_salary.map(|m| m.cents()),
            start_date: j.contract_start.map(|d| d.to_string()),
            end_date: end,
        };
        (c.gross_monthly_salary_cents.is_some()
            || c.start_date.is_some()
            || j.contract_end.is_some())
        .then_some(c)
    });
    let key = p.id.clone().unwrap_or_default();
    ImportPerson {
        key: key.clone(),
        person: PersonInput {
            household_id: None,
            name: key,
            bsn: None,
            birth_date: p.birth_date.map(|d| d.to_string()),
            nationality: p.nationality.as_ref().map(|c| c.to_string()),
        },
        permit,
        contract,
    }
}

fn describe(lang: Lang, row: &Row, p: &ImportPerson) -> String {
    let mut parts = vec![format!(
        "{} {}{}",
        t(lang, "person", "persoon"),
        esc(&p.person.name),
        [
            p.person
                .birth_date
                .as_deref()
                .map(|b| format!("{} {b}", t(lang, "born", "geboren"))),
            p.person.nationality.clone()
        ]
        .into_iter()
        .flatten()
        .map(|x| format!(", {}", esc(&x)))
        .collect::<String>()
    )];
    if let Some(pm) = &p.permit {
        parts.push(format!(
            "{} {} {} – {}{}",
            t(lang, "permit", "vergunning"),
            esc(&permit_label(lang, &pm.kind)),
            pm.valid_from,
            pm.valid_until.as_deref().unwrap_or("…"),
            pm.sponsor
                .as_deref()
                .map(|s| format!(" ({} {})", t(lang, "sponsor", "referent"), esc(s)))
                .unwrap_or_default()
        ));
    }
    if let Some(c) = &p.contract {
        parts.push(format!(
            "{}{} {} – {}",
            t(lang, "contract", "contract"),
            c.gross_monthly_salary_cents
                .map(|m| format!(
                    " {} {}",
                    esc(&money_text(lang, m)),
                    t(lang, "a month", "per maand")
                ))
                .unwrap_or_default(),
            c.start_date.as_deref().unwrap_or("…"),
            c.end_date
                .as_deref()
                .unwrap_or(t(lang, "indefinite", "onbepaalde tijd"))
        ));
    }
    if let Some((partner, ..)) = &row.partner {
        parts.push(format!(
            "{} {}",
            t(lang, "partner of", "partner van"),
            esc(partner)
        ));
    }
    if let Some(parent) = &row.parent {
        parts.push(format!(
            "{} {}",
            t(lang, "child of", "kind van"),
            esc(parent)
        ));
    }
    parts.join("; ")
}

fn plan(lang: Lang, text: &str) -> Plan {
    let mut out = Plan::default();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            out.header_error = Some(
                t(
                    lang,
                    "The roster is empty: expected a header row and one row per person.",
                    "Het rooster is leeg: verwacht een kopregel en een regel per persoon.",
                )
                .into(),
            );
            return out;
        }
        Err(e) => {
            out.header_error = Some(e.to_string());
            return out;
        }
    }
    let fields: Vec<&str> = rec.iter().collect();
    let header = match Header::parse(&fields) {
        Ok(h) => h,
        Err(e) => {
            out.header_error = Some(format!("{} 1: {e}", t(lang, "line", "regel")));
            return out;
        }
    };
    out.left_aside = fields
        .iter()
        .map(|f| f.trim().trim_start_matches('\u{feff}').to_string())
        .filter(|f| !KEPT.contains(&f.as_str()))
        .collect();
    let mut group: Vec<Row> = Vec::new();
    let mut line = 1u64;
    for rec in rdr.records() {
        line += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.rows.push(PlanRow {
                    line,
                    household: None,
                    id: String::new(),
                    creates: String::new(),
                    error: Some(e.to_string()),
                });
                continue;
            }
        };
        let rec: csv::StringRecord = rec.iter().map(formula_unescaped).collect();
        match parse_row(&header, &rec, line) {
            Err(e) => out.rows.push(PlanRow {
                line,
                household: None,
                id: e.id.clone().unwrap_or_default(),
                creates: String::new(),
                error: Some(e.to_string()),
            }),
            Ok(row) => {
                let p = import_person(&row);
                if let Err(e) = check_import_person(&p) {
                    let msg = match e {
                        StoreError::Invalid { field, message, nl } => format!(
                            "{} {line}: {} `{field}`: {}",
                            t(lang, "line", "regel"),
                            t(lang, "column", "kolom"),
                            super::in_lang(lang, message, nl)
                        ),
                        e => e.to_string(),
                    };
                    out.rows.push(PlanRow {
                        line,
                        household: row.household.clone(),
                        id: p.key,
                        creates: String::new(),
                        error: Some(msg),
                    });
                    continue;
                }
                let same = row.household.is_some()
                    && group.last().is_some_and(|g| g.household == row.household);
                if !same {
                    flush(lang, &mut group, &mut out);
                }
                group.push(row);
            }
        }
    }
    flush(lang, &mut group, &mut out);
    out.rows.sort_by_key(|r| r.line);
    out
}

/// Checks one household's links; its usable rows join the plan, the others become errors.
fn flush(lang: Lang, group: &mut Vec<Row>, out: &mut Plan) {
    if group.is_empty() {
        return;
    }
    let rows = std::mem::take(group);
    let (case, errors) = household_case(rows.clone());
    let kept: Vec<u64> = case.map(|(_, lines)| lines).unwrap_or_default();
    let name = rows[0].household.clone();
    let mut h = ImportHousehold {
        name: name.clone(),
        ..Default::default()
    };
    for row in &rows {
        let p = import_person(row);
        if !kept.contains(&row.line) {
            let error = errors
                .iter()
                .find(|e| e.line == row.line)
                .map(|e| e.to_string())
                .or_else(|| {
                    errors.first().map(|e| {
                        format!(
                            "{} ({e})",
                            t(
                                lang,
                                "left out with its household",
                                "weggelaten met het huishouden"
                            )
                        )
                    })
                })
                .unwrap_or_default();
            out.rows.push(PlanRow {
                line: row.line,
                household: name.clone(),
                id: p.key,
                creates: String::new(),
                error: Some(error),
            });
            continue;
        }
        let me = p.key.clone();
        if let Some((partner, form, from, until)) = &row.partner {
            let already = h
                .partners
                .iter()
                .any(|l| (l.a == me && &l.b == partner) || (&l.a == partner && l.b == me));
            if !already {
                h.partners.push(ImportPartners {
                    a: me.clone(),
                    b: partner.clone(),
                    form: Some(word::<PartnershipForm>(form)),
                    from: from.map(|d| d.to_string()),
                    until: until.map(|d| d.to_string()),
                });
            }
        }
        if let Some(parent) = &row.parent {
            h.children.push((parent.clone(), me.clone()));
        }
        out.rows.push(PlanRow {
            line: row.line,
            household: name.clone(),
            id: p.key.clone(),
            creates: describe(lang, row, &p),
            error: None,
        });
        h.people.push(p);
    }
    if !h.people.is_empty() {
        out.households.push(h);
    }
}

fn import_body(sig: &Signed, text: &str, error: Option<&str>) -> String {
    let lang = sig.lang;
    let columns = verblijf_roster::row::COLUMNS
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| KEPT.contains(c))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "<h1>{}</h1><p>{}</p><p class=\"src\">{} {columns}</p>{}<form method=\"post\" action=\"{}\" enctype=\"multipart/form-data\">{}<label for=\"f-file\">{}</label><input type=\"file\" id=\"f-file\" name=\"file\" accept=\".csv,text/csv\"><label for=\"f-csv\">{}</label><textarea id=\"f-csv\" name=\"csv\" rows=\"10\">\n{}</textarea><div><button type=\"submit\">{}</button></div></form>",
        t(lang, "Import a roster", "Een rooster importeren"),
        t(lang, "A CSV file in the roster format: a header row, then one row per person; rows next to each other with the same household form one household. You will see what would be created before anything is.", "Een CSV-bestand in het roosterformaat: een kopregel, dan een regel per persoon; regels na elkaar met hetzelfde huishouden vormen één huishouden. U ziet wat er zou worden aangemaakt voordat er iets gebeurt."),
        t(lang, "Columns the register keeps:", "Kolommen die het register bewaart:"),
        error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e))).unwrap_or_default(),
        href(lang, "/register/import"),
        sig.csrf_field(),
        t(lang, "A CSV file", "Een CSV-bestand"),
        t(lang, "Or paste the roster", "Of plak het rooster"),
        esc(text),
        t(lang, "Preview", "Voorbeeld bekijken"),
    )
}

async fn import_form(sig: Signed) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    sig.page(
        StatusCode::OK,
        t(sig.lang, "Import", "Importeren"),
        "/register/import",
        &import_body(&sig, "", None),
    )
}

/// The upload's fields: a multipart form (file or textarea) or a plain form.
async fn upload(s: &AppState, req: Request) -> Result<HashMap<String, String>, String> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(f) = Form::<HashMap<String, String>>::from_request(req, s)
            .await
            .map_err(|e| e.body_text())?;
        return Ok(f);
    }
    let mut m = Multipart::from_request(req, s)
        .await
        .map_err(|e| e.body_text())?;
    let mut f = HashMap::new();
    while let Some(field) = m.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|e| e.body_text())?;
        f.insert(name, String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(f)
}

async fn preview(State(s): State<AppState>, sig: Signed, req: Request) -> Response {
    let lang = sig.lang;
    let f = match upload(&s, req).await {
        Ok(f) => f,
        Err(e) => {
            return super::message_page(
                lang,
                StatusCode::BAD_REQUEST,
                t(
                    lang,
                    "The upload could not be read",
                    "De upload kon niet worden gelezen",
                ),
                &e,
            )
        }
    };
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let text = match f.get("file").filter(|x| !x.trim().is_empty()) {
        Some(file) => file.clone(),
        None => f.get("csv").cloned().unwrap_or_default(),
    };
    let text = text
        .trim_start_matches('\u{feff}')
        .trim_start_matches(['\r', '\n'])
        .to_string();
    if text.trim().is_empty() {
        let body = import_body(
            &sig,
            "",
            Some(t(
                lang,
                "Choose a CSV file or paste a roster.",
                "Kies een CSV-bestand of plak een rooster.",
            )),
        );
        return sig.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Import", "Importeren"),
            "/register/import",
            &body,
        );
    }
    let p = plan(lang, &text);
    if let Some(e) = &p.header_error {
        let body = import_body(&sig, &text, Some(e));
        return sig.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Import", "Importeren"),
            "/register/import",
            &body,
        );
    }
    let good = p.rows.iter().filter(|r| r.error.is_none()).count();
    let bad = p.rows.len() - good;
    let mut body = format!(
        "<h1>{}</h1><p>{} {good} · {} {bad}</p>",
        t(lang, "Preview of the import", "Voorbeeld van de import"),
        t(
            lang,
            "Rows that can be imported:",
            "Regels die kunnen worden geïmporteerd:"
        ),
        t(
            lang,
            "rows with errors, left out:",
            "regels met fouten, weggelaten:"
        ),
    );
    if !p.left_aside.is_empty() {
        body.push_str(&format!(
            "<p class=\"note\">{} {}</p>",
            t(
                lang,
                "These columns have no place in the register and are not kept:",
                "Deze kolommen hebben geen plaats in het register en worden niet bewaard:"
            ),
            esc(&p.left_aside.join(", "))
        ));
    }
    body.push_str(&format!("<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">id</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Line", "Regel"), t(lang, "Household", "Huishouden"), t(lang, "What would be created, or why not", "Wat er zou worden aangemaakt, of waarom niet")));
    for r in &p.rows {
        let what = match &r.error {
            Some(e) => format!("<span class=\"bad\">✘ {}</span>", esc(e)),
            None => format!("<span class=\"ok\">✔</span> {}", r.creates),
        };
        body.push_str(&format!(
            "<tr id=\"line-{0}\"><td>{0}</td><td>{1}</td><td>{2}</td><td>{what}</td></tr>",
            r.line,
            esc(r
                .household
                .as_deref()
                .unwrap_or(t(lang, "(none)", "(geen)"))),
            esc(&r.id)
        ));
    }
    body.push_str("</tbody></table>");
    if good > 0 {
        body.push_str(&format!(
            "<form method=\"post\" action=\"{}\">{}<textarea name=\"csv\" hidden aria-hidden=\"true\">\n{}</textarea><button type=\"submit\">{} {good} {}</button></form>",
            href(lang, "/register/import/confirm"),
            sig.csrf_field(),
            esc(&text),
            t(lang, "Import", "Importeer"),
            if bad > 0 { t(lang, "rows, leave out the rows with errors", "regels, laat de regels met fouten weg") } else { t(lang, "rows", "regels") }
        ));
    }
    body.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>",
        href(lang, "/register/import"),
        t(lang, "Start again", "Opnieuw beginnen")
    ));
    sig.page(
        StatusCode::OK,
        t(lang, "Preview", "Voorbeeld"),
        "/register/import",
        &body,
    )
}

async fn confirm(sig: Signed, Form(f): Form<HashMap<String, String>>) -> Response {
    let lang = sig.lang;
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let text = f.get("csv").cloned().unwrap_or_default();
    let text = text.trim_start_matches(['\r', '\n']);
    let p = plan(lang, text);
    if let Some(e) = &p.header_error {
        return super::message_page(
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Nothing was imported", "Er is niets geïmporteerd"),
            e,
        );
    }
    let left_out: Vec<String> = p
        .rows
        .iter()
        .filter(|r| r.error.is_some())
        .map(|r| r.line.to_string())
        .collect();
    match sig.store.import(sig.actor(), p.households).await {
        Ok(sum) => {
            let mut body = format!(
                "<h1>{}</h1><ul><li>{} {}</li><li>{} {}</li><li>{} {}</li><li>{} {}</li><li>{} {}</li></ul>",
                t(lang, "Imported", "Geïmporteerd"),
                sum.households, t(lang, "households", "huishoudens"),
                sum.people, t(lang, "people", "personen"),
                sum.permits, t(lang, "permits", "vergunningen"),
                sum.contracts, t(lang, "contracts", "contracten"),
                sum.relationships, t(lang, "relationships", "relaties"),
            );
            if !left_out.is_empty() {
                body.push_str(&format!(
                    "<p class=\"note\">{} {}</p>",
                    t(
                        lang,
                        "Left out, with errors: lines",
                        "Weggelaten, met fouten: regels"
                    ),
                    left_out.join(", ")
                ));
            }
            body.push_str(&format!(
                "<p class=\"actions\"><a href=\"{}\">{}</a><a href=\"{}\">{}</a></p>",
                href(lang, "/register/households"),
                t(lang, "Households", "Huishoudens"),
                href(lang, "/register"),
                t(lang, "Deadlines", "Termijnen")
            ));
            sig.page(
                StatusCode::OK,
                t(lang, "Imported", "Geïmporteerd"),
                "/register/import",
                &body,
            )
        }
        Err(StoreError::Invalid { field, message, nl }) => super::message_page(
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Nothing was imported", "Er is niets geïmporteerd"),
            &format!("{field}: {}", super::in_lang(lang, message, nl)),
        ),
        Err(e) => store_error(lang, e),
    }
}

async fn export_page(sig: Signed) -> Response {
    let lang = sig.lang;
    let body = format!(
        "<h1>{}</h1><ul><li><a href=\"{}\" download>{}</a>: {}</li><li><a href=\"{}\" download>{}</a>: {}</li></ul>",
        t(lang, "Export", "Exporteren"),
        href(lang, "/register/export.csv"),
        t(lang, "Roster (CSV)", "Rooster (CSV)"),
        t(lang, "one row per person in the roster format, with the latest permit, the newest contract's salary and dates, and the links within the household; it can be imported again.", "een regel per persoon in het roosterformaat, met de laatste vergunning, salaris en data van het nieuwste contract, en de koppelingen binnen het huishouden; het kan opnieuw worden geïmporteerd."),
        href(lang, "/register/export.json"),
        t(lang, "Everything (JSON)", "Alles (JSON)"),
        t(lang, "every household, person (with BSN), permit (with document numbers), contract and relationship.", "elk huishouden, elke persoon (met BSN), vergunning (met documentnummers), contract en relatie."),
    );
    sig.page(
        StatusCode::OK,
        t(lang, "Export", "Exporteren"),
        "/register/export",
        &body,
    )
}

/// Does a spreadsheet read this cell as a formula? `=`, `+`, `-` and `@` start one, and a tab or carriage return
/// before them is skipped by some; apostrophes already in front are looked through, so that escaping round-trips.
fn reads_as_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell of the CSV export, neutralised against formula injection (OWASP's advice): a cell a spreadsheet would run
/// gets an apostrophe in front, which spreadsheets show as text and hide.
fn formula_escaped(cell: &str) -> std::borrow::Cow<'_, str> {
    if reads_as_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The import's inverse of [`formula_escaped`]: the apostrophe the export added is taken off again, so a name such
/// as `=Anna` round-trips; any other cell stays as it is.
fn formula_unescaped(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if reads_as_formula(rest) => rest,
        _ => cell,
    }
}

const EXPORT_COLUMNS: &[&str] = &[
    "id",
    "household",
    "reference_date",
    "birth_date",
    "nationality",
    "gross_monthly_salary",
    "contract_start",
    "contract_end",
    "permit_kind",
    "permit_from",
    "permit_until",
    "sponsor",
    "partner",
    "partnership_form",
    "relationship_from",
    "relationship_until",
    "parent",
];

async fn roster_csv(sig: &Signed) -> Result<String, StoreError> {
    let a = sig.actor();
    let st = &sig.store;
    let households = st.households(a).await?;
    let people = st.people(a, None).await?;
    let permits = st.all_permits(a).await?;
    let contracts = st.all_contracts(a).await?;
    let rels = st.all_relationships(a).await?;
    let today = chrono::Utc::now().date_naive().to_string();
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| StoreError::Database(e.to_string());
    w.write_record(EXPORT_COLUMNS).map_err(fail)?;
    let mut groups: Vec<(Option<String>, Vec<verblijf_store::PersonRecord>)> = Vec::new();
    for h in &households {
        groups.push((Some(h.name.clone()), st.household_members(a, &h.id).await?));
    }
    groups.push((
        None,
        people
            .into_iter()
            .filter(|p| p.household_id.is_none())
            .collect(),
    ));
    for (household, members) in groups {
        // Keys: the name, made distinct within the household.
        let mut keys: HashMap<String, String> = HashMap::new();
        for p in &members {
            let mut k = p.name.clone();
            let mut n = 2;
            while keys.values().any(|x| *x == k) {
                k = format!("{} ({n})", p.name);
                n += 1;
            }
            keys.insert(p.id.clone(), k);
        }
        let inside = |id: &str| {
            if household.is_some() {
                keys.get(id).cloned()
            } else {
                None
            }
        };
        for p in &members {
            let permit = permits.iter().rfind(|x| x.person_id == p.id);
            let contract = contracts.iter().find(|c| c.person_id == p.id);
            let partner = rels.iter().find_map(|r| {
                if r.kind != "partner" {
                    return None;
                }
                let other = if r.person_a == p.id {
                    &r.person_b
                } else if r.person_b == p.id {
                    &r.person_a
                } else {
                    return None;
                };
                inside(other).map(|k| (k, r))
            });
            let parent = rels
                .iter()
                .find(|r| r.kind == "child" && r.person_b == p.id)
                .and_then(|r| inside(&r.person_a));
            let s = |o: Option<&String>| o.cloned().unwrap_or_default();
            let row = [
                keys.get(&p.id).cloned().unwrap_or_default(),
                household.clone().unwrap_or_default(),
                today.clone(),
                s(p.birth_date.as_ref()),
                s(p.nationality.as_ref()),
                contract
                    .and_then(|c| c.gross_monthly_salary_cents)
                    .map(|m| verblijf_rules::Money::from_cents(m).to_plain())
                    .unwrap_or_default(),
                s(contract.and_then(|c| c.start_date.as_ref())),
                contract
                    .map(|c| c.end_date.clone().unwrap_or_else(|| "indefinite".into()))
                    .unwrap_or_default(),
                s(permit.map(|x| &x.kind)),
                s(permit.map(|x| &x.valid_from)),
                s(permit.and_then(|x| x.valid_until.as_ref())),
                permit
                    .and_then(|x| x.sponsor_person_id.as_deref())
                    .and_then(inside)
                    .unwrap_or_default(),
                s(partner.as_ref().map(|(k, _)| k)),
                s(partner.as_ref().and_then(|(_, r)| r.form.as_ref())),
                s(partner.as_ref().and_then(|(_, r)| r.from.as_ref())),
                s(partner.as_ref().and_then(|(_, r)| r.until.as_ref())),
                parent.unwrap_or_default(),
            ];
            w.write_record(row.iter().map(|c| formula_escaped(c).into_owned()))
                .map_err(fail)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| StoreError::Database(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

async fn export_csv(sig: Signed) -> Response {
    match roster_csv(&sig).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"register-roster.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => store_error(sig.lang, e),
    }
}

async fn export_json(sig: Signed) -> Response {
    let a = sig.actor();
    let st = &sig.store;
    let all = async {
        let people = st.people(a, None).await?;
        let mut out = Vec::new();
        for p in &people {
            out.push(json!({ "person": p, "permits": st.permits(a, &p.id).await?, "contracts": st.contracts(a, &p.id).await? }));
        }
        Ok::<_, StoreError>(json!({
            "organisation": sig.session.organisation,
            "exported_at": chrono::Utc::now().to_rfc3339(),
            "households": st.households(a).await?,
            "people": out,
            "relationships": st.all_relationships(a).await?,
        }))
    };
    match all.await {
        Ok(v) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"register.json\"",
                ),
            ],
            serde_json::to_string_pretty(&v).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => store_error(sig.lang, e),
    }
}
