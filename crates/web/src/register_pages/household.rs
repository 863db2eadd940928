//! A household's page: its members with their permits and contracts, how they are related, today's assessment
//! (right to work, permits, deadlines), the timeline, and the kept assessments: a button re-runs the assessment,
//! keeps it as a snapshot and shows what changed since the one kept before.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde_json::Value;
use verblijf_rules::{Lang, Outcome};

use super::records::{contracts_table, permits_table};
use super::{href, store_error, Signed};
use crate::pages::{esc, t};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register/households/{id}", get(household_page))
        .route("/register/households/{id}/assess", post(assess))
}

/// Replaces every string equal to a person's id with their name, so that the timeline and deadlines read as names.
fn rename(v: &mut Value, names: &HashMap<String, String>) {
    match v {
        Value::String(s) => {
            if let Some(n) = names.get(s.as_str()) {
                *s = n.clone();
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename(x, names)),
        Value::Object(o) => o.values_mut().for_each(|x| rename(x, names)),
        _ => {}
    }
}

fn what_label(lang: Lang, what: &str) -> String {
    if what == "work_rights" {
        return t(lang, "right to work", "recht op werk").to_string();
    }
    serde_json::from_value::<verblijf_rules::Scheme>(Value::String(what.into()))
        .map(|s| verblijf_rules::rules::scheme_label(s).get(lang).to_string())
        .unwrap_or_else(|_| what.replace('_', " "))
}

fn changes_html(lang: Lang, changes: &Value, names: &HashMap<String, String>) -> String {
    let mut h = String::new();
    if changes["params_changed"] == Value::Bool(true) {
        h.push_str(&format!(
            "<p class=\"note\">{}</p>",
            t(
                lang,
                "The law (the parameter set) has changed since then.",
                "De wet (de set parameters) is sindsdien gewijzigd."
            )
        ));
    }
    let list = changes["changes"].as_array().cloned().unwrap_or_default();
    if list.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>",
            t(
                lang,
                "No outcome or right to work has changed.",
                "Geen uitkomst of recht op werk is veranderd."
            )
        ));
        return h;
    }
    h.push_str(&format!("<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Person", "Persoon"), t(lang, "What", "Wat"), t(lang, "Before", "Voorheen"), t(lang, "Now", "Nu")));
    for c in &list {
        let who = c["person"].as_str().unwrap_or_default();
        let word = |v: &Value| v.as_str().unwrap_or("—").replace('_', " ");
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(names.get(who).map(String::as_str).unwrap_or(t(
                lang,
                "(no longer in the household)",
                "(niet meer in het huishouden)"
            ))),
            esc(&what_label(lang, c["what"].as_str().unwrap_or_default())),
            esc(&word(&c["before"])),
            esc(&word(&c["after"]))
        ));
    }
    h.push_str("</tbody></table>");
    h
}

async fn household_page(
    State(s): State<AppState>,
    sig: Signed,
    Path(id): Path<String>,
) -> Response {
    render(&s, &sig, &id, None).await
}

async fn assess(
    State(s): State<AppState>,
    sig: Signed,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    if let Err(e) = sig.store.household(sig.actor(), &id).await {
        return store_error(sig.lang, e);
    }
    let today = chrono::Utc::now().date_naive().to_string();
    // What changed is measured against the snapshot kept before this one.
    let changes = match crate::register::changes_since_last(
        &s,
        sig.actor(),
        &id,
        Some(today.clone()),
    )
    .await
    {
        Ok(c) => c,
        Err(p) => return problem_page(&sig, p),
    };
    if let Err(p) = crate::register::assess_and_keep(&s, sig.actor(), &id, Some(today)).await {
        return problem_page(&sig, p);
    }
    render(&s, &sig, &id, Some(changes)).await
}

fn problem_page(sig: &Signed, p: crate::error::Problem) -> Response {
    super::message_page(
        sig.lang,
        StatusCode::from_u16(p.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
        &p.title,
        &p.detail,
    )
}

async fn render(s: &AppState, sig: &Signed, id: &str, kept_now: Option<Value>) -> Response {
    let lang = sig.lang;
    let a = sig.actor();
    let st = &sig.store;
    let h = match st.household(a, id).await {
        Ok(h) => h,
        Err(e) => return store_error(lang, e),
    };
    let (members, rels, everyone, kept) = match (
        st.household_members(a, id).await,
        st.relationships(a, id).await,
        st.people(a, None).await,
        st.assessments(a, id).await,
    ) {
        (Ok(m), Ok(r), Ok(p), Ok(k)) => (m, r, p, k),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return store_error(lang, e)
        }
    };
    // Names for display, distinct within the household.
    let mut names: HashMap<String, String> = HashMap::new();
    for p in &everyone {
        let mut n = p.name.clone();
        let mut k = 2;
        while names.values().any(|x| *x == n) {
            n = format!("{} ({k})", p.name);
            k += 1;
        }
        names.insert(p.id.clone(), n);
    }
    let name_of = |pid: &str| names.get(pid).cloned().unwrap_or_default();
    let w = sig.can_write();
    let mut body = format!("<h1>{}</h1>", esc(&h.name));
    if w {
        body.push_str(&format!(
            "<p class=\"actions\"><a href=\"{}\">{}</a><a href=\"{}\">{}</a><a href=\"{}\">{}</a></p>",
            href(lang, &format!("/register/people/new?household={id}")),
            t(lang, "Add a person", "Persoon toevoegen"),
            href(lang, &format!("/register/relationships/new?household={id}")),
            t(lang, "Link two people", "Twee personen koppelen"),
            href(lang, &format!("/register/households/{id}/edit")),
            t(lang, "Rename", "Hernoemen"),
        ));
    }
    if let Some(c) = &kept_now {
        body.push_str(&format!("<section class=\"note\" role=\"status\" aria-labelledby=\"kept\"><h2 id=\"kept\">{}</h2>{}</section>", t(lang, "Assessment kept. What changed since the one kept before", "Beoordeling bewaard. Wat er veranderde sinds de vorige bewaarde"), if c["previous"].is_null() { format!("<p>{}</p>", t(lang, "This is the first kept assessment.", "Dit is de eerste bewaarde beoordeling.")) } else { changes_html(lang, c, &names) }));
    }
    // Members.
    body.push_str(&format!("<h2>{}</h2>", t(lang, "Members", "Leden")));
    if members.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            t(lang, "Nobody yet.", "Nog niemand.")
        ));
    }
    for m in &members {
        let (permits, contracts) = match (st.permits(a, &m.id).await, st.contracts(a, &m.id).await)
        {
            (Ok(p), Ok(c)) => (p, c),
            (Err(e), _) | (_, Err(e)) => return store_error(lang, e),
        };
        body.push_str(&format!(
            "<section class=\"decision\" aria-labelledby=\"m-{0}\"><h3 id=\"m-{0}\"><a href=\"{1}\">{2}</a></h3><p>{3}</p>",
            esc(&m.id),
            href(lang, &format!("/register/people/{}", m.id)),
            esc(&name_of(&m.id)),
            esc(&[m.birth_date.as_deref().map(|b| format!("{} {b}", t(lang, "born", "geboren"))), m.nationality.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")),
        ));
        body.push_str(&permits_table(lang, &permits, &name_of, w));
        body.push_str(&contracts_table(lang, &contracts, w));
        if w {
            body.push_str(&format!(
                "<p class=\"actions noprint\"><a href=\"{}\">{}</a><a href=\"{}\">{}</a></p>",
                href(lang, &format!("/register/permits/new?person={}", m.id)),
                t(lang, "Add a permit", "Vergunning toevoegen"),
                href(lang, &format!("/register/contracts/new?person={}", m.id)),
                t(lang, "Add a contract", "Contract toevoegen"),
            ));
        }
        body.push_str("</section>");
    }
    if !rels.is_empty() {
        body.push_str(&format!(
            "<h2>{}</h2><ul>",
            t(lang, "Relationships", "Relaties")
        ));
        for r in &rels {
            let (x, y) = (esc(&name_of(&r.person_a)), esc(&name_of(&r.person_b)));
            let text = if r.kind == "partner" {
                let form = match r.form.as_deref() {
                    Some("registered") => t(lang, "registered partners", "geregistreerd partners"),
                    Some("unmarried") => t(lang, "unmarried partners", "ongehuwd partners"),
                    _ => t(lang, "married", "gehuwd"),
                };
                format!(
                    "{x} {} {y}: {form}{}",
                    t(lang, "and", "en"),
                    r.until
                        .as_deref()
                        .map(|u| format!(" ({} {u})", t(lang, "ended", "geëindigd")))
                        .unwrap_or_default()
                )
            } else {
                format!("{x} {} {y}", t(lang, "is a parent of", "is ouder van"))
            };
            let change = if w {
                format!(
                    " <a href=\"{}\">{}</a>",
                    href(lang, &format!("/register/relationships/{}/edit", r.id)),
                    t(lang, "Change", "Wijzigen")
                )
            } else {
                String::new()
            };
            body.push_str(&format!("<li>{text}{change}</li>"));
        }
        body.push_str("</ul>");
    }
    // Today's assessment.
    let today = chrono::Utc::now().date_naive();
    if !members.is_empty() {
        match st.household_case(a, id, &today.to_string()).await {
            Err(e) => return store_error(lang, e),
            Ok(mut case) => {
                rename(&mut case, &names);
                match verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json) {
                    Err(e) => body.push_str(&format!(
                        "<h2>{}</h2><p class=\"error\">{}: {}</p>",
                        t(lang, "Assessment", "Beoordeling"),
                        t(
                            lang,
                            "The household cannot be assessed yet",
                            "Het huishouden kan nog niet worden beoordeeld"
                        ),
                        esc(&e.to_string())
                    )),
                    Ok(case) => body.push_str(&assessment_html(s, lang, &case)),
                }
            }
        }
    }
    // Kept assessments.
    body.push_str(&format!(
        "<h2>{}</h2>",
        t(lang, "Kept assessments", "Bewaarde beoordelingen")
    ));
    match kept.last() {
        None => body.push_str(&format!(
            "<p>{}</p>",
            t(lang, "None kept yet.", "Nog geen bewaard.")
        )),
        Some(last) => {
            body.push_str(&format!(
                "<p>{} {} ({} {}, {} {}).</p>",
                kept.len(),
                t(lang, "kept; the last on", "bewaard; de laatste op"),
                t(lang, "reference date", "peildatum"),
                esc(&last.reference_date),
                t(lang, "kept at", "bewaard om"),
                esc(&last
                    .created_at
                    .chars()
                    .take(16)
                    .collect::<String>()
                    .replace('T', " "))
            ));
            if kept_now.is_none() {
                match crate::register::changes_since_last(s, a, id, None).await {
                    Ok(c) => body.push_str(&format!(
                        "<h3>{}</h3>{}",
                        t(
                            lang,
                            "Since the last kept assessment",
                            "Sinds de laatste bewaarde beoordeling"
                        ),
                        changes_html(lang, &c, &names)
                    )),
                    Err(p) => body.push_str(&format!("<p class=\"error\">{}</p>", esc(&p.detail))),
                }
            }
        }
    }
    if w && !members.is_empty() {
        body.push_str(&format!(
            "<form method=\"post\" action=\"{}\">{}<button type=\"submit\">{}</button></form>",
            href(lang, &format!("/register/households/{id}/assess")),
            sig.csrf_field(),
            t(
                lang,
                "Assess again and keep",
                "Opnieuw beoordelen en bewaren"
            )
        ));
    }
    sig.page(
        StatusCode::OK,
        &h.name,
        &format!("/register/households/{id}"),
        &body,
    )
}

fn assessment_html(s: &AppState, lang: Lang, case: &verblijf_rules::Case) -> String {
    let h = verblijf_rules::assess_household(case, &s.params);
    let mut body = format!(
        "<h2>{} {}</h2>",
        t(lang, "Assessment on", "Beoordeling op"),
        verblijf_rules::decision::Day(case.reference_date, lang)
    );
    body.push_str(&format!("<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Person", "Persoon"), t(lang, "May work", "Mag werken"), t(lang, "Permits they qualify for", "Vergunningen waarvoor men in aanmerking komt")));
    for m in &h.members {
        let wr = &m.work_rights;
        let mut eligible: Vec<String> = m
            .assessment
            .decisions
            .iter()
            .filter(|d| d.outcome == Outcome::Eligible)
            .map(|d| {
                verblijf_rules::rules::scheme_label(d.scheme)
                    .get(lang)
                    .to_string()
            })
            .collect();
        if let Some(f) = &m.family_member {
            eligible.insert(
                0,
                format!(
                    "{}: {}",
                    t(lang, "family member", "gezinslid"),
                    f.outcome.text().get(lang)
                ),
            );
        }
        body.push_str(&format!(
            "<tr><td>{}</td><td><strong class=\"{}\">{}</strong>{}<br><span class=\"src\">{} {}</span></td><td>{}</td></tr>",
            esc(m.id.as_deref().unwrap_or("")),
            if wr.status == verblijf_rules::WorkStatus::Free { "eligible" } else if wr.status == verblijf_rules::WorkStatus::NotAllowed { "not_eligible" } else { "unknown" },
            esc(wr.status.text().get(lang)),
            wr.until.map(|u| format!(" ({} {})", t(lang, "until", "tot en met"), verblijf_rules::decision::Day(u, lang))).unwrap_or_default(),
            t(lang, "An employer needs:", "Een werkgever heeft nodig:"),
            esc(wr.employer_needs.text().get(lang)),
            esc(&eligible.join("; ")),
        ));
    }
    body.push_str("</tbody></table>");
    body.push_str(&format!("<h2>{}</h2>", t(lang, "Deadlines", "Termijnen")));
    if h.deadlines.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            t(lang, "No deadlines ahead.", "Geen termijnen in zicht.")
        ));
    } else {
        body.push_str(&format!("<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Date", "Datum"), t(lang, "Person", "Persoon"), t(lang, "What happens, what to do", "Wat er gebeurt, wat te doen")));
        for d in &h.deadlines {
            body.push_str(&format!(
                "<tr><td class=\"date\">{}</td><td>{}</td><td>{}</td></tr>",
                verblijf_rules::decision::ShortDay(d.date, lang),
                esc(d.person.as_deref().unwrap_or("")),
                esc(d.what().get(lang))
            ));
        }
        body.push_str("</tbody></table>");
    }
    if case.members().iter().any(|p| !p.permits.is_empty()) {
        body.push_str(&format!(
            "<h2>{}</h2><div class=\"timeline\">{}</div>",
            t(lang, "Timeline", "Tijdlijn"),
            verblijf_rules::timeline::svg(case, &h, lang)
        ));
    }
    body.push_str(&format!(
        "<p class=\"src\">{} {} · params {}</p>",
        t(lang, "Receipt:", "Bewijs:"),
        h.receipt.engine,
        &h.receipt.params_hash[..16.min(h.receipt.params_hash.len())]
    ));
    body
}
