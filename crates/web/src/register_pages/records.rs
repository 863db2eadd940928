//! People, households, permits, contracts and relationships: lists with search, a person's page, and the forms
//! that add and change them. A bad field re-shows the form with the field named, what was expected, and what was
//! typed.

use std::collections::HashMap;

use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use verblijf_rules::{Lang, Money};
use verblijf_store::{ContractInput, PermitInput, PersonInput, PersonRecord};

use super::{field_error, form_html, href, opt, store_error, Field, Kind, Signed};
use crate::pages::{esc, t};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register/people", get(people))
        .route(
            "/register/people/new",
            get(new_person_form).post(new_person),
        )
        .route("/register/people/{id}", get(person_page))
        .route(
            "/register/people/{id}/edit",
            get(edit_person_form).post(edit_person),
        )
        .route("/register/people/{id}/erase", post(erase_person))
        .route("/register/people/{id}/export", get(export_person))
        .route("/register/households", get(households))
        .route(
            "/register/households/new",
            get(new_household_form).post(new_household),
        )
        .route(
            "/register/households/{id}/edit",
            get(edit_household_form).post(edit_household),
        )
        .route(
            "/register/permits/new",
            get(new_permit_form).post(new_permit),
        )
        .route(
            "/register/permits/{id}/edit",
            get(edit_permit_form).post(edit_permit),
        )
        .route(
            "/register/contracts/new",
            get(new_contract_form).post(new_contract),
        )
        .route(
            "/register/contracts/{id}/edit",
            get(edit_contract_form).post(edit_contract),
        )
        .route(
            "/register/relationships/new",
            get(new_relationship_form).post(new_relationship),
        )
        .route(
            "/register/relationships/{id}/edit",
            get(edit_relationship_form).post(edit_relationship),
        )
        .route(
            "/register/relationships/{id}/remove",
            axum::routing::post(remove_relationship),
        )
}

type Q = Query<HashMap<String, String>>;
type F = Form<HashMap<String, String>>;

/// Permit kinds with their names.
pub(crate) const PERMIT_KINDS: &[(&str, &str, &str)] = &[
    (
        "highly_skilled_migrant",
        "Highly skilled migrant",
        "Kennismigrant",
    ),
    ("eu_blue_card", "EU Blue Card", "Europese blauwe kaart"),
    (
        "intra_corporate_transferee",
        "Intra-corporate transferee (ICT)",
        "Overplaatsing binnen een concern (ICT)",
    ),
    (
        "orientation_year",
        "Orientation year",
        "Zoekjaar hoogopgeleiden",
    ),
    (
        "zoekjaar_afgestudeerden",
        "Search year for graduates (2007–2016)",
        "Zoekjaar afgestudeerden (2007–2016)",
    ),
    (
        "regeling_hoogopgeleiden",
        "Admission scheme for highly educated migrants (2009–2016)",
        "Regeling hoogopgeleiden (2009–2016)",
    ),
    ("study", "Study", "Studie"),
    (
        "scientific_researcher",
        "Scientific researcher",
        "Wetenschappelijk onderzoeker",
    ),
    ("self_employed", "Self-employed", "Zelfstandige"),
    ("start_up", "Start-up", "Start-up"),
    ("family_member", "Family member", "Gezinslid"),
    ("paid_employment", "Paid employment", "Arbeid in loondienst"),
    (
        "permanent_residence",
        "Permanent residence",
        "Verblijfsvergunning voor onbepaalde tijd",
    ),
    (
        "eu_long_term_resident",
        "EU long-term resident",
        "EU-langdurig ingezetene",
    ),
];

pub(crate) fn permit_label(lang: Lang, kind: &str) -> String {
    PERMIT_KINDS
        .iter()
        .find(|(k, ..)| *k == kind)
        .map(|(_, en, nl)| t(lang, en, nl).to_string())
        .unwrap_or_else(|| kind.replace('_', " "))
}

pub(crate) fn money_text(lang: Lang, cents: i64) -> String {
    let m = Money::from_cents(cents);
    if lang == Lang::En {
        m.to_string()
    } else {
        m.to_dutch()
    }
}

fn form_page(
    sig: &Signed,
    status: StatusCode,
    title: &str,
    path: &str,
    intro: &str,
    form: String,
) -> Response {
    sig.page(
        status,
        title,
        path,
        &format!("<h1>{}</h1>{intro}{form}", esc(title)),
    )
}

fn created_redirect(lang: Lang, path: &str) -> Response {
    Redirect::to(&href(lang, path)).into_response()
}

// ---- people ----

async fn people(sig: Signed, Query(q): Q) -> Response {
    let lang = sig.lang;
    let search = opt(&q, "q");
    let list = match sig.store.people(sig.actor(), search.as_deref()).await {
        Ok(l) => l,
        Err(e) => return store_error(lang, e),
    };
    let names: HashMap<String, String> = match sig.store.households(sig.actor()).await {
        Ok(h) => h.into_iter().map(|h| (h.id, h.name)).collect(),
        Err(e) => return store_error(lang, e),
    };
    let mut body = format!("<h1>{}</h1>", t(lang, "People", "Personen"));
    if q.contains_key("erased") {
        body.push_str(&format!("<p class=\"note\" role=\"status\">{}</p>", t(lang, "The person was erased: their personal data is gone, the audit log keeps only that it happened.", "De persoon is gewist: de persoonsgegevens zijn weg, het auditlogboek bewaart alleen dat het gebeurde.")));
    }
    body.push_str(&search_form(
        lang,
        "/register/people",
        search.as_deref(),
        t(lang, "Search by name", "Zoeken op naam"),
    ));
    if sig.can_write() {
        body.push_str(&format!(
            "<p class=\"actions\"><a href=\"{}\">{}</a></p>",
            href(lang, "/register/people/new"),
            t(lang, "Add a person", "Persoon toevoegen")
        ));
    }
    body.push_str(&format!("<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Name", "Naam"), t(lang, "Date of birth", "Geboortedatum"), t(lang, "Nationality", "Nationaliteit"), t(lang, "Household", "Huishouden")));
    for p in &list {
        let h = p
            .household_id
            .as_ref()
            .and_then(|h| names.get(h).map(|n| (h, n)))
            .map(|(h, n)| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    href(lang, &format!("/register/households/{h}")),
                    esc(n)
                )
            })
            .unwrap_or_default();
        body.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{h}</td></tr>",
            href(lang, &format!("/register/people/{}", p.id)),
            esc(&p.name),
            esc(p.birth_date.as_deref().unwrap_or("")),
            esc(p.nationality.as_deref().unwrap_or(""))
        ));
    }
    body.push_str("</tbody></table>");
    if list.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            t(lang, "Nobody found.", "Niemand gevonden.")
        ));
    }
    sig.page(
        StatusCode::OK,
        t(lang, "People", "Personen"),
        "/register/people",
        &body,
    )
}

pub(crate) fn search_form(lang: Lang, action: &str, value: Option<&str>, label: &str) -> String {
    format!(
        "<form method=\"get\" action=\"{action}\" role=\"search\"><input type=\"hidden\" name=\"lang\" value=\"{}\"><label for=\"q\">{label}</label><input type=\"search\" id=\"q\" name=\"q\" value=\"{}\"> <button type=\"submit\">{}</button></form>",
        super::code(lang),
        esc(value.unwrap_or("")),
        t(lang, "Search", "Zoeken")
    )
}

async fn person_fields(sig: &Signed) -> Result<Vec<Field>, Response> {
    let lang = sig.lang;
    let households = sig
        .store
        .households(sig.actor())
        .await
        .map_err(|e| store_error(lang, e))?;
    let mut opts = vec![(String::new(), t(lang, "(none)", "(geen)").to_string())];
    opts.extend(households.into_iter().map(|h| (h.id, h.name)));
    Ok(vec![
        Field::new("name", "Name", "Naam", Kind::Text),
        Field::new(
            "household_id",
            "Household",
            "Huishouden",
            Kind::Select(opts),
        ),
        Field::new("birth_date", "Date of birth", "Geboortedatum", Kind::Date),
        Field::new("nationality", "Nationality", "Nationaliteit", Kind::Text).help(
            "Two capital letters, such as IN or NL.",
            "Twee hoofdletters, zoals IN of NL.",
        ),
        Field::new(
            "bsn",
            "Citizen service number (BSN)",
            "Burgerservicenummer (BSN)",
            Kind::Text,
        )
        .help("Nine digits; optional.", "Negen cijfers; optioneel."),
    ])
}

fn person_input(f: &HashMap<String, String>) -> PersonInput {
    PersonInput {
        household_id: opt(f, "household_id"),
        name: f.get("name").cloned().unwrap_or_default(),
        bsn: opt(f, "bsn"),
        birth_date: opt(f, "birth_date"),
        nationality: opt(f, "nationality"),
    }
}

fn person_values(p: &PersonRecord) -> HashMap<String, String> {
    let mut v = HashMap::from([("name".to_string(), p.name.clone())]);
    for (k, x) in [
        ("household_id", &p.household_id),
        ("birth_date", &p.birth_date),
        ("nationality", &p.nationality),
        ("bsn", &p.bsn),
    ] {
        if let Some(x) = x {
            v.insert(k.to_string(), x.clone());
        }
    }
    v
}

async fn person_form(
    sig: &Signed,
    status: StatusCode,
    id: Option<&str>,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Response {
    let lang = sig.lang;
    let fields = match person_fields(sig).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (title, path) = match id {
        None => (
            t(lang, "Add a person", "Persoon toevoegen"),
            "/register/people/new".to_string(),
        ),
        Some(id) => (
            t(lang, "Change a person", "Persoon wijzigen"),
            format!("/register/people/{id}/edit"),
        ),
    };
    let form = form_html(
        lang,
        &href(lang, &path),
        &sig.csrf_field(),
        &fields,
        values,
        errors,
        t(lang, "Save", "Opslaan"),
    );
    form_page(sig, status, title, &path, "", form)
}

async fn new_person_form(sig: Signed, Query(q): Q) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    let mut values = HashMap::new();
    if let Some(h) = opt(&q, "household") {
        if let Err(e) = sig.store.household(sig.actor(), &h).await {
            return store_error(sig.lang, e);
        }
        values.insert("household_id".to_string(), h);
    }
    person_form(&sig, StatusCode::OK, None, &values, &HashMap::new()).await
}

async fn new_person(sig: Signed, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    match sig.store.add_person(sig.actor(), person_input(&f)).await {
        Ok(p) => created_redirect(sig.lang, &format!("/register/people/{}", p.id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => {
                person_form(&sig, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors).await
            }
            Err(r) => r,
        },
    }
}

async fn edit_person_form(sig: Signed, Path(id): Path<String>) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    match sig.store.person(sig.actor(), &id).await {
        Ok(p) if !p.erased => {
            person_form(
                &sig,
                StatusCode::OK,
                Some(&id),
                &person_values(&p),
                &HashMap::new(),
            )
            .await
        }
        Ok(_) => super::not_found(sig.lang),
        Err(e) => store_error(sig.lang, e),
    }
}

async fn edit_person(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    match sig
        .store
        .update_person(sig.actor(), &id, person_input(&f))
        .await
    {
        Ok(p) => created_redirect(sig.lang, &format!("/register/people/{}", p.id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => {
                person_form(
                    &sig,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(&id),
                    &f,
                    &errors,
                )
                .await
            }
            Err(r) => r,
        },
    }
}

async fn person_page(sig: Signed, Path(id): Path<String>, Query(q): Q) -> Response {
    person_view(&sig, &id, &q, StatusCode::OK, None).await
}

/// A person's page; `posted` is a careers form sent back with what was wrong with it.
pub(crate) async fn person_view(
    sig: &Signed,
    id: &str,
    q: &HashMap<String, String>,
    status: StatusCode,
    posted: Option<super::careers::Posted<'_>>,
) -> Response {
    let id = id.to_string();
    let lang = sig.lang;
    let a = sig.actor();
    let p = match sig.store.person(a, &id).await {
        Ok(p) if !p.erased => p,
        Ok(_) => return super::not_found(lang),
        Err(e) => return store_error(lang, e),
    };
    let (permits, contracts, everyone) = match (
        sig.store.permits(a, &id).await,
        sig.store.contracts(a, &id).await,
        sig.store.people(a, None).await,
    ) {
        (Ok(x), Ok(y), Ok(z)) => (x, y, z),
        (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => return store_error(lang, e),
    };
    let name_of = |pid: &str| {
        everyone
            .iter()
            .find(|x| x.id == pid)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let mut body = format!("<h1>{}</h1>", esc(&p.name));
    if q.contains_key("erase_unconfirmed") {
        body.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            t(
                lang,
                "Tick the box to confirm the erasure.",
                "Vink het vakje aan om het wissen te bevestigen."
            )
        ));
    }
    body.push_str("<table><tbody>");
    let household = match &p.household_id {
        Some(h) => match sig.store.household(a, h).await {
            Ok(h) => format!(
                "<a href=\"{}\">{}</a>",
                href(lang, &format!("/register/households/{}", h.id)),
                esc(&h.name)
            ),
            Err(_) => String::new(),
        },
        None => t(lang, "(none)", "(geen)").to_string(),
    };
    for (k, v) in [
        (t(lang, "Household", "Huishouden"), household),
        (
            t(lang, "Date of birth", "Geboortedatum"),
            esc(p.birth_date.as_deref().unwrap_or("")),
        ),
        (
            t(lang, "Nationality", "Nationaliteit"),
            esc(p.nationality.as_deref().unwrap_or("")),
        ),
        ("BSN", esc(p.bsn.as_deref().unwrap_or(""))),
    ] {
        body.push_str(&format!("<tr><th scope=\"row\">{k}</th><td>{v}</td></tr>"));
    }
    body.push_str("</tbody></table>");
    if sig.can_write() {
        body.push_str(&format!(
            "<p class=\"actions\"><a href=\"{}\">{}</a><a href=\"{}\">{}</a><a href=\"{}\">{}</a></p>",
            href(lang, &format!("/register/people/{id}/edit")),
            t(lang, "Change", "Wijzigen"),
            href(lang, &format!("/register/permits/new?person={id}")),
            t(lang, "Add a permit", "Vergunning toevoegen"),
            href(lang, &format!("/register/contracts/new?person={id}")),
            t(lang, "Add a contract", "Contract toevoegen"),
        ));
    }
    body.push_str(&format!("<h2>{}</h2>", t(lang, "Permits", "Vergunningen")));
    body.push_str(&permits_table(lang, &permits, &name_of, sig.can_write()));
    body.push_str(&format!("<h2>{}</h2>", t(lang, "Contracts", "Contracten")));
    body.push_str(&contracts_table(lang, &contracts, sig.can_write()));
    match super::careers::section(sig, &p, &permits, q, posted).await {
        Ok(h) => body.push_str(&h),
        Err(r) => return r,
    }
    body.push_str(&format!(
        "<h2>{}</h2><p><a href=\"{}\">{}</a></p>",
        t(
            lang,
            "Everything held on this person",
            "Alles wat over deze persoon is vastgelegd"
        ),
        href(lang, &format!("/register/people/{id}/export")),
        t(
            lang,
            "Export as JSON (right of access)",
            "Exporteren als JSON (recht op inzage)"
        )
    ));
    if sig.can_write() {
        body.push_str(&format!(
            "<h2>{}</h2><p>{}</p><form method=\"post\" action=\"{}\">{}<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" style=\"width:auto\"> {}</label><button type=\"submit\" class=\"danger\">{}</button></form>",
            t(lang, "Erase", "Wissen"),
            t(lang, "Erasing removes this person's personal data from the register for good; the audit log keeps only that an erasure happened.", "Wissen verwijdert de persoonsgegevens van deze persoon definitief uit het register; het auditlogboek bewaart alleen dat er gewist is."),
            href(lang, &format!("/register/people/{id}/erase")),
            sig.csrf_field(),
            t(lang, "I understand this cannot be undone", "Ik begrijp dat dit niet ongedaan kan worden gemaakt"),
            t(lang, "Erase this person", "Deze persoon wissen"),
        ));
    }
    sig.page(status, &p.name, &format!("/register/people/{id}"), &body)
}

pub(crate) fn permits_table(
    lang: Lang,
    permits: &[verblijf_store::PermitRecord],
    name_of: &dyn Fn(&str) -> String,
    edit: bool,
) -> String {
    if permits.is_empty() {
        return format!("<p>{}</p>", t(lang, "No permits.", "Geen vergunningen."));
    }
    let mut h = format!("<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\"><span hidden>{}</span></th></tr></thead><tbody>", t(lang, "Permit", "Vergunning"), t(lang, "From", "Van"), t(lang, "Until", "Tot en met"), t(lang, "Sponsor", "Referent"), t(lang, "Document", "Document"), t(lang, "Actions", "Acties"));
    for p in permits {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&permit_label(lang, &p.kind)),
            esc(&p.valid_from),
            esc(p.valid_until.as_deref().unwrap_or("")),
            esc(&p
                .sponsor_person_id
                .as_deref()
                .map(name_of)
                .unwrap_or_default()),
            esc(p.document_number.as_deref().unwrap_or("")),
            if edit {
                format!(
                    "<a href=\"{}\">{}</a>",
                    href(lang, &format!("/register/permits/{}/edit", p.id)),
                    t(lang, "Change", "Wijzigen")
                )
            } else {
                String::new()
            }
        ));
    }
    h.push_str("</tbody></table>");
    h
}

pub(crate) fn contracts_table(
    lang: Lang,
    contracts: &[verblijf_store::ContractRecord],
    edit: bool,
) -> String {
    if contracts.is_empty() {
        return format!("<p>{}</p>", t(lang, "No contracts.", "Geen contracten."));
    }
    let mut h = format!("<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\"><span hidden>{}</span></th></tr></thead><tbody>", t(lang, "Employer", "Werkgever"), t(lang, "Gross a month", "Bruto per maand"), t(lang, "Start", "Begin"), t(lang, "End", "Einde"), t(lang, "Actions", "Acties"));
    for c in contracts {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(c.employer.as_deref().unwrap_or("")),
            c.gross_monthly_salary_cents
                .map(|m| esc(&money_text(lang, m)))
                .unwrap_or_default(),
            esc(c.start_date.as_deref().unwrap_or("")),
            esc(c
                .end_date
                .as_deref()
                .unwrap_or(t(lang, "indefinite", "onbepaalde tijd"))),
            if edit {
                format!(
                    "<a href=\"{}\">{}</a>",
                    href(lang, &format!("/register/contracts/{}/edit", c.id)),
                    t(lang, "Change", "Wijzigen")
                )
            } else {
                String::new()
            }
        ));
    }
    h.push_str("</tbody></table>");
    h
}

async fn erase_person(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    if let Err(e) = sig.store.person(sig.actor(), &id).await {
        return store_error(sig.lang, e);
    }
    if f.get("confirm").map(String::as_str) != Some("yes") {
        return Redirect::to(&href(
            sig.lang,
            &format!("/register/people/{id}?erase_unconfirmed=1"),
        ))
        .into_response();
    }
    match sig.store.erase_person(sig.actor(), &id).await {
        Ok(()) => Redirect::to(&href(sig.lang, "/register/people?erased=1")).into_response(),
        Err(e) => store_error(sig.lang, e),
    }
}

async fn export_person(sig: Signed, Path(id): Path<String>) -> Response {
    match sig.store.export_person(sig.actor(), &id).await {
        Ok(v) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"person.json\"",
                ),
            ],
            serde_json::to_string_pretty(&v).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => store_error(sig.lang, e),
    }
}

// ---- households ----

async fn households(sig: Signed, Query(q): Q) -> Response {
    let lang = sig.lang;
    let search = opt(&q, "q").map(|s| s.to_lowercase());
    let (list, people) = match (
        sig.store.households(sig.actor()).await,
        sig.store.people(sig.actor(), None).await,
    ) {
        (Ok(h), Ok(p)) => (h, p),
        (Err(e), _) | (_, Err(e)) => return store_error(lang, e),
    };
    let list: Vec<_> = list
        .into_iter()
        .filter(|h| {
            search
                .as_ref()
                .is_none_or(|s| h.name.to_lowercase().contains(s))
        })
        .collect();
    let mut body = format!("<h1>{}</h1>", t(lang, "Households", "Huishoudens"));
    body.push_str(&search_form(
        lang,
        "/register/households",
        search.as_deref(),
        t(lang, "Search by name", "Zoeken op naam"),
    ));
    if sig.can_write() {
        body.push_str(&format!(
            "<p class=\"actions\"><a href=\"{}\">{}</a></p>",
            href(lang, "/register/households/new"),
            t(lang, "Add a household", "Huishouden toevoegen")
        ));
    }
    body.push_str(&format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "Household", "Huishouden"),
        t(lang, "Members", "Leden")
    ));
    for h in &list {
        let members: Vec<String> = people
            .iter()
            .filter(|p| p.household_id.as_deref() == Some(h.id.as_str()))
            .map(|p| esc(&p.name))
            .collect();
        body.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
            href(lang, &format!("/register/households/{}", h.id)),
            esc(&h.name),
            members.join(", ")
        ));
    }
    body.push_str("</tbody></table>");
    if list.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            t(lang, "No households found.", "Geen huishoudens gevonden.")
        ));
    }
    sig.page(
        StatusCode::OK,
        t(lang, "Households", "Huishoudens"),
        "/register/households",
        &body,
    )
}

fn household_fields() -> Vec<Field> {
    vec![Field::new("name", "Name", "Naam", Kind::Text)
        .help("Usually the family name.", "Meestal de familienaam.")]
}

fn household_form(
    sig: &Signed,
    status: StatusCode,
    id: Option<&str>,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Response {
    let lang = sig.lang;
    let (title, path) = match id {
        None => (
            t(lang, "Add a household", "Huishouden toevoegen"),
            "/register/households/new".to_string(),
        ),
        Some(id) => (
            t(lang, "Rename a household", "Huishouden hernoemen"),
            format!("/register/households/{id}/edit"),
        ),
    };
    let form = form_html(
        lang,
        &href(lang, &path),
        &sig.csrf_field(),
        &household_fields(),
        values,
        errors,
        t(lang, "Save", "Opslaan"),
    );
    form_page(sig, status, title, &path, "", form)
}

async fn new_household_form(sig: Signed) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    household_form(&sig, StatusCode::OK, None, &HashMap::new(), &HashMap::new())
}

async fn new_household(sig: Signed, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    match sig
        .store
        .create_household(sig.actor(), f.get("name").map(String::as_str).unwrap_or(""))
        .await
    {
        Ok(h) => created_redirect(sig.lang, &format!("/register/households/{}", h.id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => household_form(&sig, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors),
            Err(r) => r,
        },
    }
}

async fn edit_household_form(sig: Signed, Path(id): Path<String>) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    match sig.store.household(sig.actor(), &id).await {
        Ok(h) => household_form(
            &sig,
            StatusCode::OK,
            Some(&id),
            &HashMap::from([("name".to_string(), h.name)]),
            &HashMap::new(),
        ),
        Err(e) => store_error(sig.lang, e),
    }
}

async fn edit_household(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    match sig
        .store
        .update_household(
            sig.actor(),
            &id,
            f.get("name").map(String::as_str).unwrap_or(""),
        )
        .await
    {
        Ok(h) => created_redirect(sig.lang, &format!("/register/households/{}", h.id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => household_form(
                &sig,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&id),
                &f,
                &errors,
            ),
            Err(r) => r,
        },
    }
}

// ---- permits ----

async fn people_options(
    sig: &Signed,
    none: Option<&str>,
) -> Result<Vec<(String, String)>, Response> {
    let people = sig
        .store
        .people(sig.actor(), None)
        .await
        .map_err(|e| store_error(sig.lang, e))?;
    let mut opts: Vec<(String, String)> = none
        .map(|n| (String::new(), n.to_string()))
        .into_iter()
        .collect();
    opts.extend(people.into_iter().map(|p| (p.id, p.name)));
    Ok(opts)
}

async fn permit_form(
    sig: &Signed,
    status: StatusCode,
    id: Option<&str>,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Response {
    let lang = sig.lang;
    let (people, sponsors) = match (
        people_options(sig, None).await,
        people_options(sig, Some(t(lang, "(none)", "(geen)"))).await,
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let kinds = PERMIT_KINDS
        .iter()
        .map(|(k, en, nl)| (k.to_string(), t(lang, en, nl).to_string()))
        .collect();
    let fields = vec![
        Field::new("person_id", "Person", "Persoon", Kind::Select(people)),
        Field::new("kind", "Permit", "Vergunning", Kind::Select(kinds)),
        Field::new("valid_from", "Valid from", "Geldig vanaf", Kind::Date),
        Field::new(
            "valid_until",
            "Valid until",
            "Geldig tot en met",
            Kind::Date,
        )
        .help("Empty: no end date.", "Leeg: geen einddatum."),
        Field::new(
            "sponsor_person_id",
            "Sponsor",
            "Referent",
            Kind::Select(sponsors),
        )
        .help(
            "For a family member: the person whose permit theirs follows.",
            "Voor een gezinslid: de persoon wiens vergunning de zijne volgt.",
        ),
        Field::new(
            "document_number",
            "Document number",
            "Documentnummer",
            Kind::Text,
        ),
        Field::new(
            "restriction_text",
            "Restriction as on the card",
            "Beperking zoals op de pas",
            Kind::Text,
        ),
    ];
    let (title, path) = match id {
        None => (
            t(lang, "Add a permit", "Vergunning toevoegen"),
            "/register/permits/new".to_string(),
        ),
        Some(id) => (
            t(lang, "Change a permit", "Vergunning wijzigen"),
            format!("/register/permits/{id}/edit"),
        ),
    };
    let form = form_html(
        lang,
        &href(lang, &path),
        &sig.csrf_field(),
        &fields,
        values,
        errors,
        t(lang, "Save", "Opslaan"),
    );
    form_page(sig, status, title, &path, "", form)
}

fn permit_input(f: &HashMap<String, String>) -> PermitInput {
    PermitInput {
        person_id: f.get("person_id").cloned().unwrap_or_default(),
        kind: f.get("kind").cloned().unwrap_or_default(),
        document_number: opt(f, "document_number"),
        valid_from: f
            .get("valid_from")
            .map(|v| v.trim().to_string())
            .unwrap_or_default(),
        valid_until: opt(f, "valid_until"),
        sponsor_person_id: opt(f, "sponsor_person_id"),
        restriction_text: opt(f, "restriction_text"),
    }
}

/// A missing start date is named before the store sees it.
fn permit_errors(lang: Lang, p: &PermitInput) -> HashMap<String, String> {
    let mut e = HashMap::new();
    if p.valid_from.is_empty() {
        e.insert(
            "valid_from".to_string(),
            t(
                lang,
                "expected a date YYYY-MM-DD: the first day the permit is valid",
                "verwacht een datum JJJJ-MM-DD: de eerste dag dat de vergunning geldt",
            )
            .to_string(),
        );
    }
    e
}

async fn new_permit_form(sig: Signed, Query(q): Q) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    let mut values = HashMap::new();
    if let Some(p) = opt(&q, "person") {
        if let Err(e) = sig.store.person(sig.actor(), &p).await {
            return store_error(sig.lang, e);
        }
        values.insert("person_id".to_string(), p);
    }
    permit_form(&sig, StatusCode::OK, None, &values, &HashMap::new()).await
}

async fn new_permit(sig: Signed, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let input = permit_input(&f);
    let errors = permit_errors(sig.lang, &input);
    if !errors.is_empty() {
        return permit_form(&sig, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors).await;
    }
    match sig.store.add_permit(sig.actor(), input).await {
        Ok(p) => created_redirect(sig.lang, &format!("/register/people/{}", p.person_id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => {
                permit_form(&sig, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors).await
            }
            Err(r) => r,
        },
    }
}

async fn edit_permit_form(sig: Signed, Path(id): Path<String>) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    let p = match sig.store.permit(sig.actor(), &id).await {
        Ok(p) => p,
        Err(e) => return store_error(sig.lang, e),
    };
    let mut v = HashMap::from([
        ("person_id".to_string(), p.person_id),
        ("kind".to_string(), p.kind),
        ("valid_from".to_string(), p.valid_from),
    ]);
    for (k, x) in [
        ("valid_until", p.valid_until),
        ("sponsor_person_id", p.sponsor_person_id),
        ("document_number", p.document_number),
        ("restriction_text", p.restriction_text),
    ] {
        if let Some(x) = x {
            v.insert(k.to_string(), x);
        }
    }
    permit_form(&sig, StatusCode::OK, Some(&id), &v, &HashMap::new()).await
}

async fn edit_permit(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    if let Err(e) = sig.store.permit(sig.actor(), &id).await {
        return store_error(sig.lang, e);
    }
    let input = permit_input(&f);
    let errors = permit_errors(sig.lang, &input);
    if !errors.is_empty() {
        return permit_form(
            &sig,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&id),
            &f,
            &errors,
        )
        .await;
    }
    match sig.store.update_permit(sig.actor(), &id, input).await {
        Ok(p) => created_redirect(sig.lang, &format!("/register/people/{}", p.person_id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => {
                permit_form(
                    &sig,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(&id),
                    &f,
                    &errors,
                )
                .await
            }
            Err(r) => r,
        },
    }
}

// ---- contracts ----

fn contract_form(
    sig: &Signed,
    status: StatusCode,
    id: Option<&str>,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Response {
    let lang = sig.lang;
    let fields = vec![
        Field::new("employer", "Employer", "Werkgever", Kind::Text),
        Field::new(
            "gross_monthly_salary",
            "Gross monthly salary (euro)",
            "Bruto maandsalaris (euro)",
            Kind::Money,
        )
        .help(
            "Without holiday allowance, such as 5200 or 5200.50.",
            "Zonder vakantiegeld, zoals 5200 of 5200.50.",
        ),
        Field::new("start_date", "Start", "Begin", Kind::Date),
        Field::new("end_date", "Last day", "Laatste dag", Kind::Date)
            .help("Empty: indefinite.", "Leeg: onbepaalde tijd."),
    ];
    let (title, path, hidden) = match id {
        None => (
            t(lang, "Add a contract", "Contract toevoegen"),
            "/register/contracts/new".to_string(),
            format!(
                "{}<input type=\"hidden\" name=\"person_id\" value=\"{}\">",
                sig.csrf_field(),
                esc(values.get("person_id").map(String::as_str).unwrap_or(""))
            ),
        ),
        Some(id) => (
            t(lang, "Change a contract", "Contract wijzigen"),
            format!("/register/contracts/{id}/edit"),
            sig.csrf_field(),
        ),
    };
    let form = form_html(
        lang,
        &href(lang, &path),
        &hidden,
        &fields,
        values,
        errors,
        t(lang, "Save", "Opslaan"),
    );
    form_page(sig, status, title, &path, "", form)
}

fn contract_input(
    lang: Lang,
    f: &HashMap<String, String>,
) -> Result<ContractInput, HashMap<String, String>> {
    let salary = match opt(f, "gross_monthly_salary") {
        None => None,
        Some(s) => match Money::parse(&s.replace(['€', ' '], "")) {
            Ok(m) if !m.is_negative() => Some(m.cents()),
            _ => {
                return Err(HashMap::from([(
                    "gross_monthly_salary".to_string(),
                    format!(
                        "{} {s:?}",
                        t(
                            lang,
                            "expected an amount in euro such as 5200 or 5200.50, found",
                            "verwacht een bedrag in euro zoals 5200 of 5200.50, gevonden"
                        )
                    ),
                )]))
            }
        },
    };
    Ok(ContractInput {
        employer: opt(f, "employer"),
        gross_monthly_salary_cents: salary,
        start_date: opt(f, "start_date"),
        end_date: opt(f, "end_date"),
    })
}

async fn new_contract_form(sig: Signed, Query(q): Q) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    let Some(p) = opt(&q, "person") else {
        return super::not_found(sig.lang);
    };
    if let Err(e) = sig.store.person(sig.actor(), &p).await {
        return store_error(sig.lang, e);
    }
    contract_form(
        &sig,
        StatusCode::OK,
        None,
        &HashMap::from([("person_id".to_string(), p)]),
        &HashMap::new(),
    )
}

async fn new_contract(sig: Signed, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let person = f.get("person_id").cloned().unwrap_or_default();
    if let Err(e) = sig.store.person(sig.actor(), &person).await {
        return store_error(sig.lang, e);
    }
    let c = match contract_input(sig.lang, &f) {
        Ok(c) => c,
        Err(errors) => {
            return contract_form(&sig, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors)
        }
    };
    if let Some(errors) = contract_order(sig.lang, &c) {
        return contract_form(&sig, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors);
    }
    match sig
        .store
        .add_contract(
            sig.actor(),
            &person,
            c.employer,
            c.gross_monthly_salary_cents,
            c.start_date,
            c.end_date,
        )
        .await
    {
        Ok(c) => created_redirect(sig.lang, &format!("/register/people/{}", c.person_id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => contract_form(&sig, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors),
            Err(r) => r,
        },
    }
}

/// The last day may not come before the start (checked here too, since adding a contract does not check it).
fn contract_order(lang: Lang, c: &ContractInput) -> Option<HashMap<String, String>> {
    match (&c.start_date, &c.end_date) {
        (Some(s), Some(e))
            if e < s
                && s.parse::<chrono::NaiveDate>().is_ok()
                && e.parse::<chrono::NaiveDate>().is_ok() =>
        {
            Some(HashMap::from([(
                "end_date".to_string(),
                format!(
                    "{} {s}",
                    t(
                        lang,
                        "expected a date on or after the start",
                        "verwacht een datum op of na het begin"
                    )
                ),
            )]))
        }
        _ => None,
    }
}

async fn edit_contract_form(sig: Signed, Path(id): Path<String>) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    let c = match sig.store.contract(sig.actor(), &id).await {
        Ok(c) => c,
        Err(e) => return store_error(sig.lang, e),
    };
    let mut v = HashMap::new();
    for (k, x) in [
        ("employer", c.employer),
        ("start_date", c.start_date),
        ("end_date", c.end_date),
        (
            "gross_monthly_salary",
            c.gross_monthly_salary_cents
                .map(|m| Money::from_cents(m).to_plain()),
        ),
    ] {
        if let Some(x) = x {
            v.insert(k.to_string(), x);
        }
    }
    contract_form(&sig, StatusCode::OK, Some(&id), &v, &HashMap::new())
}

async fn edit_contract(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    if let Err(e) = sig.store.contract(sig.actor(), &id).await {
        return store_error(sig.lang, e);
    }
    let c = match contract_input(sig.lang, &f) {
        Ok(c) => c,
        Err(errors) => {
            return contract_form(
                &sig,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&id),
                &f,
                &errors,
            )
        }
    };
    match sig.store.update_contract(sig.actor(), &id, c).await {
        Ok(c) => created_redirect(sig.lang, &format!("/register/people/{}", c.person_id)),
        Err(e) => match field_error(sig.lang, e) {
            Ok(errors) => contract_form(
                &sig,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&id),
                &f,
                &errors,
            ),
            Err(r) => r,
        },
    }
}

// ---- relationships ----

async fn relationship_form(
    sig: &Signed,
    status: StatusCode,
    household: &str,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Response {
    let lang = sig.lang;
    let members = match sig.store.household_members(sig.actor(), household).await {
        Ok(m) => m,
        Err(e) => return store_error(lang, e),
    };
    let opts: Vec<(String, String)> = members.into_iter().map(|p| (p.id, p.name)).collect();
    let fields = vec![
        Field::new(
            "kind",
            "Relationship",
            "Relatie",
            Kind::Select(vec![
                ("partner".into(), t(lang, "Partners", "Partners").into()),
                (
                    "child".into(),
                    t(lang, "Parent and child", "Ouder en kind").into(),
                ),
            ]),
        ),
        Field::new(
            "a",
            "First person (for a child: the parent)",
            "Eerste persoon (bij een kind: de ouder)",
            Kind::Select(opts.clone()),
        ),
        Field::new(
            "b",
            "Second person (for a child: the child)",
            "Tweede persoon (bij een kind: het kind)",
            Kind::Select(opts),
        ),
        Field::new(
            "form",
            "Form of the partnership",
            "Vorm van het partnerschap",
            Kind::Select(vec![
                ("married".into(), t(lang, "Married", "Gehuwd").into()),
                (
                    "registered".into(),
                    t(lang, "Registered partnership", "Geregistreerd partnerschap").into(),
                ),
                (
                    "unmarried".into(),
                    t(lang, "Unmarried, living together", "Ongehuwd samenwonend").into(),
                ),
            ]),
        )
        .help("Partners only.", "Alleen voor partners."),
        Field::new("from", "Since", "Sinds", Kind::Date).help(
            "Partners only; optional.",
            "Alleen voor partners; optioneel.",
        ),
        Field::new("until", "Ended on", "Geëindigd op", Kind::Date).help(
            "Only if the relationship ended.",
            "Alleen als de relatie is geëindigd.",
        ),
    ];
    let path = format!("/register/relationships/new?household={household}");
    let hidden = format!(
        "{}<input type=\"hidden\" name=\"household\" value=\"{}\">",
        sig.csrf_field(),
        esc(household)
    );
    let form = form_html(
        lang,
        &href(lang, "/register/relationships/new"),
        &hidden,
        &fields,
        values,
        errors,
        t(lang, "Save", "Opslaan"),
    );
    let intro = format!("<p>{} <a href=\"{}\">{}</a></p>", t(lang, "To add a person to the household, choose the household on the person's page or", "Om een persoon aan het huishouden toe te voegen, kies het huishouden op de pagina van de persoon of"), href(lang, &format!("/register/people/new?household={household}")), t(lang, "add a new person to it", "voeg er een nieuwe persoon aan toe"));
    form_page(
        sig,
        status,
        t(lang, "Link two people", "Twee personen koppelen"),
        &path,
        &intro,
        form,
    )
}

async fn new_relationship_form(sig: Signed, Query(q): Q) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    let Some(h) = opt(&q, "household") else {
        return super::not_found(sig.lang);
    };
    relationship_form(&sig, StatusCode::OK, &h, &HashMap::new(), &HashMap::new()).await
}

async fn new_relationship(sig: Signed, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let lang = sig.lang;
    let household = f.get("household").cloned().unwrap_or_default();
    let members = match sig.store.household_members(sig.actor(), &household).await {
        Ok(m) => m,
        Err(e) => return store_error(lang, e),
    };
    let (a, b) = (
        f.get("a").cloned().unwrap_or_default(),
        f.get("b").cloned().unwrap_or_default(),
    );
    let kind = f.get("kind").cloned().unwrap_or_default();
    let mut errors = HashMap::new();
    for (k, v) in [("a", &a), ("b", &b)] {
        if !members.iter().any(|m| &m.id == v) {
            errors.insert(
                k.to_string(),
                t(
                    lang,
                    "expected a member of this household",
                    "verwacht een lid van dit huishouden",
                )
                .to_string(),
            );
        }
    }
    if errors.is_empty() && a == b {
        errors.insert(
            "b".to_string(),
            t(
                lang,
                "expected someone other than the first person",
                "verwacht iemand anders dan de eerste persoon",
            )
            .to_string(),
        );
    }
    if !errors.is_empty() {
        return relationship_form(
            &sig,
            StatusCode::UNPROCESSABLE_ENTITY,
            &household,
            &f,
            &errors,
        )
        .await;
    }
    let partner = kind == "partner";
    let form = if partner { opt(&f, "form") } else { None };
    let (from, until) = if partner {
        (opt(&f, "from"), opt(&f, "until"))
    } else {
        (None, None)
    };
    match sig
        .store
        .add_relationship(sig.actor(), &kind, &a, &b, form.as_deref(), from, until)
        .await
    {
        Ok(_) => created_redirect(lang, &format!("/register/households/{household}")),
        Err(e) => match field_error(lang, e) {
            Ok(errors) => {
                relationship_form(
                    &sig,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &household,
                    &f,
                    &errors,
                )
                .await
            }
            Err(r) => r,
        },
    }
}

/// The household a relationship belongs to (its first person's).
async fn household_of(sig: &Signed, r: &verblijf_store::RelationshipRecord) -> Option<String> {
    sig.store
        .person(sig.actor(), &r.person_a)
        .await
        .ok()
        .and_then(|p| p.household_id)
}

/// The form to change a link's form and dates (who it links stays), and to remove a link recorded in error.
fn relationship_edit_page(
    sig: &Signed,
    status: StatusCode,
    r: &verblijf_store::RelationshipRecord,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Response {
    let lang = sig.lang;
    let mut fields = Vec::new();
    if r.kind == "partner" {
        fields.push(Field::new(
            "form",
            "Form of the partnership",
            "Vorm van het partnerschap",
            Kind::Select(vec![
                ("married".into(), t(lang, "Married", "Gehuwd").into()),
                (
                    "registered".into(),
                    t(lang, "Registered partnership", "Geregistreerd partnerschap").into(),
                ),
                (
                    "unmarried".into(),
                    t(lang, "Unmarried, living together", "Ongehuwd samenwonend").into(),
                ),
            ]),
        ));
        fields
            .push(Field::new("from", "Since", "Sinds", Kind::Date).help("Optional.", "Optioneel."));
        fields.push(Field::new("until", "Ended on", "Geëindigd op", Kind::Date).help(
            "When the partnership ended (a divorce, a separation): the family permit no longer rests on it, and the sponsor must report the change.",
            "Wanneer het partnerschap eindigde (een scheiding, uit elkaar gaan): de gezinsvergunning rust er dan niet meer op, en de referent moet de wijziging melden.",
        ));
    }
    let path = format!("/register/relationships/{}/edit", r.id);
    let form = form_html(
        lang,
        &href(lang, &path),
        &sig.csrf_field(),
        &fields,
        values,
        errors,
        t(lang, "Save", "Opslaan"),
    );
    let remove = format!(
        "<h2>{}</h2><p>{}</p><form method=\"post\" action=\"{}\">{}<button type=\"submit\">{}</button></form>",
        t(lang, "Remove the link", "De koppeling verwijderen"),
        t(
            lang,
            "Only for a link recorded in error; a partnership that ended keeps its record with the day it ended.",
            "Alleen voor een koppeling die per vergissing is vastgelegd; een partnerschap dat eindigde blijft bewaard met de dag waarop het eindigde.",
        ),
        href(lang, &format!("/register/relationships/{}/remove", r.id)),
        sig.csrf_field(),
        t(lang, "Remove", "Verwijderen"),
    );
    let title = if r.kind == "partner" {
        t(lang, "Change a partnership", "Een partnerschap wijzigen")
    } else {
        t(
            lang,
            "A parent and child link",
            "Een koppeling van ouder en kind",
        )
    };
    let form = if fields.is_empty() {
        String::new()
    } else {
        form
    };
    form_page(sig, status, title, &path, "", format!("{form}{remove}"))
}

async fn edit_relationship_form(sig: Signed, Path(id): Path<String>) -> Response {
    if !sig.can_write() {
        return super::viewer_refused(sig.lang);
    }
    let r = match sig.store.relationship(sig.actor(), &id).await {
        Ok(r) => r,
        Err(e) => return store_error(sig.lang, e),
    };
    let mut v = HashMap::new();
    for (k, x) in [("form", &r.form), ("from", &r.from), ("until", &r.until)] {
        if let Some(x) = x {
            v.insert(k.to_string(), x.clone());
        }
    }
    relationship_edit_page(&sig, StatusCode::OK, &r, &v, &HashMap::new())
}

async fn edit_relationship(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let lang = sig.lang;
    let r = match sig.store.relationship(sig.actor(), &id).await {
        Ok(r) => r,
        Err(e) => return store_error(lang, e),
    };
    let (form, from, until) = if r.kind == "partner" {
        (opt(&f, "form"), opt(&f, "from"), opt(&f, "until"))
    } else {
        (None, None, None)
    };
    match sig
        .store
        .update_relationship(sig.actor(), &id, form, from, until)
        .await
    {
        Ok(r) => match household_of(&sig, &r).await {
            Some(h) => created_redirect(lang, &format!("/register/households/{h}")),
            None => created_redirect(lang, "/register/households"),
        },
        Err(e) => match field_error(lang, e) {
            Ok(errors) => {
                relationship_edit_page(&sig, StatusCode::UNPROCESSABLE_ENTITY, &r, &f, &errors)
            }
            Err(resp) => resp,
        },
    }
}

async fn remove_relationship(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let lang = sig.lang;
    let r = match sig.store.relationship(sig.actor(), &id).await {
        Ok(r) => r,
        Err(e) => return store_error(lang, e),
    };
    let household = household_of(&sig, &r).await;
    match sig.store.delete_relationship(sig.actor(), &id).await {
        Ok(()) => match household {
            Some(h) => created_redirect(lang, &format!("/register/households/{h}")),
            None => created_redirect(lang, "/register/households"),
        },
        Err(e) => store_error(lang, e),
    }
}
