//! The register's web pages under `/register`, in English and Dutch: sign-up (an organisation and its owner),
//! sign-in and sign-out with server-side sessions, a dashboard of deadlines, people and households with their
//! permits, contracts and relationships, a household's assessment and timeline, and roster import and export.
//!
//! Sessions: a random token in the cookie `verblijf_session` (`HttpOnly; SameSite=Lax; Path=/`, and `Secure` when
//! the server is behind HTTPS), kept in the store only as its hash, ended by sign-out, idleness or age
//! ([`crate::SessionSettings`]). Every form carries a token against cross-site requests: the session's, or for the
//! forms before sign-in one that must match a cookie set with the form. Every read and write goes through the store
//! with the session's actor, so organisation and role are checked there; pages also hide what a viewer cannot do.

mod careers;
mod household;
mod mail;
mod records;
mod roster;
mod settings;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use verblijf_rules::Lang;
use verblijf_store::{Role, Session, Store, StoreError};

use crate::pages::{esc, page, t, urlencode};
use crate::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "verblijf_session";
/// The cookie that the sign-in and sign-up forms' token must match (there is no session yet).
pub const FORM_COOKIE: &str = "verblijf_form";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(dashboard))
        .route("/register/sign-up", get(sign_up_form).post(sign_up))
        .route("/register/sign-in", get(sign_in_form).post(sign_in))
        .route("/register/sign-out", post(sign_out))
        .merge(records::routes())
        .merge(household::routes())
        .merge(roster::routes())
        .merge(careers::routes())
        .merge(settings::routes())
        .merge(mail::routes())
}

pub(crate) fn code(lang: Lang) -> &'static str {
    if lang == Lang::En {
        "en"
    } else {
        "nl"
    }
}

fn other(lang: Lang) -> Lang {
    if lang == Lang::En {
        Lang::Nl
    } else {
        Lang::En
    }
}

/// A link within the register, in the page's language.
/// A link in the register in a language: `lang` joins the query, before any `#fragment`.
pub(crate) fn href(lang: Lang, path: &str) -> String {
    let (path, fragment) = match path.find('#') {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={}{fragment}", code(lang))
}

fn lang_of_query(q: Option<&str>) -> Lang {
    q.unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("lang="))
        .and_then(|l| l.parse().ok())
        .unwrap_or_default()
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value with the flags every cookie of the register carries.
fn set_cookie(s: &AppState, name: &str, value: &str, max_age_secs: u64) -> String {
    format!(
        "{name}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_secs}{}",
        if s.sessions.behind_https {
            "; Secure"
        } else {
            ""
        }
    )
}

/// Equal strings, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn random_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The signed-in user of a request, from the session cookie; without a live session, a redirect to sign-in.
pub(crate) struct Signed {
    pub session: Session,
    pub store: Arc<Store>,
    pub lang: Lang,
}

impl Signed {
    pub fn actor(&self) -> &verblijf_store::Actor {
        &self.session.actor
    }
    pub fn can_write(&self) -> bool {
        self.session.actor.role != Role::Viewer
    }
    pub fn csrf_field(&self) -> String {
        format!(
            "<input type=\"hidden\" name=\"_csrf\" value=\"{}\">",
            esc(&self.session.csrf_token)
        )
    }
    /// Checks a form's token, and for a change the role: the refusal page otherwise.
    pub fn check(&self, f: &HashMap<String, String>, write: bool) -> Result<(), Response> {
        let sent = f.get("_csrf").map(String::as_str).unwrap_or("");
        if !same(sent, &self.session.csrf_token) {
            return Err(csrf_refused(self.lang));
        }
        if write && !self.can_write() {
            return Err(viewer_refused(self.lang));
        }
        Ok(())
    }
    /// A page with the register's navigation.
    pub fn page(&self, status: StatusCode, title: &str, path: &str, body: &str) -> Response {
        let lang = self.lang;
        let s = &self.session;
        let role = match s.actor.role {
            Role::Owner => t(lang, "owner", "eigenaar"),
            Role::Adviser => t(lang, "adviser", "adviseur"),
            Role::Viewer => t(lang, "viewer (read only)", "kijker (alleen lezen)"),
        };
        let import = if self.can_write() {
            format!(
                "<a href=\"{}\">{}</a>",
                href(lang, "/register/import"),
                t(lang, "Import", "Importeren")
            )
        } else {
            String::new()
        };
        let users = if s.actor.role == Role::Owner {
            format!(
                "<a href=\"{}\">{}</a>",
                href(lang, "/register/users"),
                t(lang, "Users", "Gebruikers")
            )
        } else {
            String::new()
        };
        let nav = format!(
            "<nav class=\"reg\" aria-label=\"{}\"><strong>{}</strong><a href=\"{}\">{}</a><a href=\"{}\">{}</a><a href=\"{}\">{}</a><a href=\"{}\">{}</a>{import}<a href=\"{}\">{}</a><a href=\"{}\">{}</a>{users}<span class=\"src\">{} · {}</span><form method=\"post\" action=\"{}\">{}<button type=\"submit\">{}</button></form></nav>",
            t(lang, "Register", "Register"),
            esc(&s.organisation),
            href(lang, "/register"),
            t(lang, "Deadlines", "Termijnen"),
            href(lang, "/register/households"),
            t(lang, "Households", "Huishoudens"),
            href(lang, "/register/people"),
            t(lang, "People", "Personen"),
            href(lang, "/register/careers"),
            t(lang, "Partner careers", "Werk voor partners"),
            href(lang, "/register/export"),
            t(lang, "Export", "Exporteren"),
            href(lang, "/register/settings"),
            t(lang, "Settings", "Instellingen"),
            esc(&s.email),
            role,
            href(lang, "/register/sign-out"),
            self.csrf_field(),
            t(lang, "Sign out", "Afmelden"),
        );
        html(status, lang, title, path, &format!("{nav}{body}"))
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Response> {
        let lang = lang_of_query(parts.uri.query());
        let Some(store) = s.store.clone() else {
            return Err(no_register(lang));
        };
        let next = parts.uri.path().to_string();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in(lang, &next, false));
        };
        match store.session(&token, s.sessions.limits).await {
            Ok(session) => Ok(Signed {
                session,
                store,
                lang,
            }),
            Err(StoreError::Unauthenticated) => {
                let mut r = to_sign_in(lang, &next, true);
                if let Ok(v) = set_cookie(s, SESSION_COOKIE, "", 0).parse() {
                    r.headers_mut().insert(header::SET_COOKIE, v);
                }
                Err(r)
            }
            Err(e) => Err(store_error(lang, e)),
        }
    }
}

fn to_sign_in(lang: Lang, next: &str, expired: bool) -> Response {
    Redirect::to(&href(
        lang,
        &format!(
            "/register/sign-in?next={}{}",
            urlencode(next),
            if expired { "&expired=1" } else { "" }
        ),
    ))
    .into_response()
}

/// A page of the register (signed in or not) with the language switch to the same `path`.
pub(crate) fn html(
    status: StatusCode,
    lang: Lang,
    title: &str,
    path: &str,
    body: &str,
) -> Response {
    (status, page(lang, title, &href(other(lang), path), body)).into_response()
}

pub(crate) fn message_page(lang: Lang, status: StatusCode, title: &str, detail: &str) -> Response {
    html(
        status,
        lang,
        title,
        "/register",
        &format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"{}\">{}</a></p>",
            esc(title),
            esc(detail),
            href(lang, "/register"),
            t(lang, "To the register", "Naar het register")
        ),
    )
}

pub(crate) fn csrf_refused(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::FORBIDDEN,
        t(lang, "The form was refused", "Het formulier is geweigerd"),
        t(lang, "The form did not carry this session's security token, so it may not have come from this site. Nothing was changed. Open the page again and send the form from there.", "Het formulier had niet het beveiligingstoken van deze sessie, dus het kwam mogelijk niet van deze site. Er is niets gewijzigd. Open de pagina opnieuw en verstuur het formulier vanaf daar."),
    )
}

pub(crate) fn viewer_refused(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::FORBIDDEN,
        t(lang, "Not allowed", "Niet toegestaan"),
        t(
            lang,
            "Your role is viewer: you can read the register but not change it. Nothing was changed.",
            "Uw rol is kijker: u kunt het register lezen maar niet wijzigen. Er is niets gewijzigd.",
        ),
    )
}

pub(crate) fn owner_refused(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::FORBIDDEN,
        t(lang, "Not allowed", "Niet toegestaan"),
        t(
            lang,
            "Only an owner of the register can do this. Nothing was changed.",
            "Alleen een eigenaar van het register kan dit doen. Er is niets gewijzigd.",
        ),
    )
}

pub(crate) fn not_found(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::NOT_FOUND,
        t(lang, "Not found", "Niet gevonden"),
        t(
            lang,
            "There is no such record in your organisation's register.",
            "Dit staat niet in het register van uw organisatie.",
        ),
    )
}

pub(crate) fn no_register(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        t(lang, "No register", "Geen register"),
        t(
            lang,
            "This server runs without a register (start it with --db).",
            "Deze server draait zonder register (start hem met --db).",
        ),
    )
}

/// A store error that is not about a form field, as a page. Another organisation's record is "not found", the same
/// page as a record that does not exist.
pub(crate) fn store_error(lang: Lang, e: StoreError) -> Response {
    match e {
        StoreError::NotFound(_) => not_found(lang),
        StoreError::Forbidden(_) => viewer_refused(lang),
        StoreError::Unauthenticated => to_sign_in(lang, "/register", true),
        StoreError::Invalid { field, message, nl } => message_page(
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Not valid", "Niet geldig"),
            &format!("{field}: {}", in_lang(lang, message, nl)),
        ),
        StoreError::Conflict(m) => message_page(
            lang,
            StatusCode::CONFLICT,
            t(lang, "Conflict", "Conflict"),
            &m,
        ),
        StoreError::Database(m) => {
            tracing::error!(error = %m, "register database error");
            message_page(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                t(
                    lang,
                    "The register is unavailable",
                    "Het register is niet beschikbaar",
                ),
                t(
                    lang,
                    "The database did not answer; try again.",
                    "De database antwoordde niet; probeer het opnieuw.",
                ),
            )
        }
    }
}

/// A form field.
pub(crate) struct Field {
    pub name: &'static str,
    pub label: (&'static str, &'static str),
    pub help: (&'static str, &'static str),
    pub kind: Kind,
}

pub(crate) enum Kind {
    Text,
    Email,
    Password,
    /// A password chosen for someone else (not filled in by the browser's password manager).
    NewPassword,
    Date,
    Money,
    /// A whole number.
    Number,
    /// Longer text over several lines.
    TextArea,
    /// A box to tick; sent as `yes`.
    Checkbox,
    /// (value, label)
    Select(Vec<(String, String)>),
}

impl Field {
    pub fn new(name: &'static str, en: &'static str, nl: &'static str, kind: Kind) -> Field {
        Field {
            name,
            label: (en, nl),
            help: ("", ""),
            kind,
        }
    }
    pub fn help(mut self, en: &'static str, nl: &'static str) -> Field {
        self.help = (en, nl);
        self
    }
}

/// A form: an error summary linking to each field at fault, then the fields with labels, help and errors, keeping
/// what was typed (never a password).
#[allow(clippy::too_many_arguments)]
pub(crate) fn form_html(
    lang: Lang,
    action: &str,
    hidden: &str,
    fields: &[Field],
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    submit: &str,
) -> String {
    let mut h = String::new();
    if !errors.is_empty() {
        h.push_str(&format!(
            "<div class=\"error\" role=\"alert\"><p>{}</p><ul>",
            t(
                lang,
                "Some fields need attention:",
                "Sommige velden moeten worden aangepast:"
            )
        ));
        for f in fields {
            if let Some(e) = errors.get(f.name) {
                h.push_str(&format!(
                    "<li><a href=\"#f-{}\">{}</a>: {}</li>",
                    f.name,
                    t(lang, f.label.0, f.label.1),
                    esc(e)
                ));
            }
        }
        for (k, e) in errors {
            if !fields.iter().any(|f| f.name == k) {
                h.push_str(&format!("<li>{}</li>", esc(e)));
            }
        }
        h.push_str("</ul></div>");
    }
    h.push_str(&format!(
        "<form method=\"post\" action=\"{}\" novalidate>{hidden}",
        esc(action)
    ));
    for f in fields {
        let id = format!("f-{}", f.name);
        let v = match f.kind {
            Kind::Password | Kind::NewPassword => "",
            _ => values.get(f.name).map(String::as_str).unwrap_or(""),
        };
        let help = t(lang, f.help.0, f.help.1);
        let mut described = Vec::new();
        if !matches!(f.kind, Kind::Checkbox) {
            h.push_str(&format!(
                "<label for=\"{id}\">{}</label>",
                t(lang, f.label.0, f.label.1)
            ));
        }
        if !help.is_empty() {
            h.push_str(&format!(
                "<p class=\"help\" id=\"{id}-help\">{}</p>",
                esc(help)
            ));
            described.push(format!("{id}-help"));
        }
        let invalid = if let Some(e) = errors.get(f.name) {
            h.push_str(&format!(
                "<p class=\"error\" id=\"{id}-error\">{}</p>",
                esc(e)
            ));
            described.push(format!("{id}-error"));
            " aria-invalid=\"true\""
        } else {
            ""
        };
        let described = if described.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", described.join(" "))
        };
        let attrs = format!("id=\"{id}\" name=\"{}\"{described}{invalid}", f.name);
        match &f.kind {
            Kind::Text => h.push_str(&format!("<input type=\"text\" {attrs} value=\"{}\">", esc(v))),
            Kind::Email => h.push_str(&format!("<input type=\"email\" autocomplete=\"username\" {attrs} value=\"{}\">", esc(v))),
            Kind::Password => h.push_str(&format!("<input type=\"password\" autocomplete=\"current-password\" {attrs}>")),
            Kind::NewPassword => h.push_str(&format!("<input type=\"password\" autocomplete=\"new-password\" {attrs}>")),
            Kind::Date => h.push_str(&format!("<input type=\"date\" {attrs} value=\"{}\">", esc(v))),
            Kind::Number => h.push_str(&format!("<input type=\"text\" inputmode=\"numeric\" {attrs} value=\"{}\">", esc(v))),
            Kind::TextArea => h.push_str(&format!("<textarea rows=\"4\" {attrs}>{}</textarea>", esc(v))),
            Kind::Checkbox => h.push_str(&format!(
                "<div class=\"check\"><input type=\"checkbox\" value=\"yes\" style=\"width:auto\" {attrs}{}> <label for=\"{id}\" style=\"display:inline\">{}</label></div>",
                if v == "yes" { " checked" } else { "" },
                t(lang, f.label.0, f.label.1)
            )),
            Kind::Money => h.push_str(&format!("<input type=\"text\" inputmode=\"decimal\" placeholder=\"5200.00\" {attrs} value=\"{}\">", esc(v))),
            Kind::Select(opts) => {
                h.push_str(&format!("<select {attrs}>"));
                for (val, label) in opts {
                    let sel = if val == v { " selected" } else { "" };
                    h.push_str(&format!(
                        "<option value=\"{}\"{sel}>{}</option>",
                        esc(val),
                        esc(label)
                    ));
                }
                h.push_str("</select>");
            }
        }
    }
    h.push_str(&format!(
        "<div><button type=\"submit\">{}</button></div></form>",
        esc(submit)
    ));
    h
}

/// A trimmed, non-empty form value.
pub(crate) fn opt(f: &HashMap<String, String>, name: &str) -> Option<String> {
    f.get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The store's English or Dutch text of a refused field, for the page's language.
pub(crate) fn in_lang(lang: Lang, en: String, nl: String) -> String {
    match lang {
        Lang::En => en,
        Lang::Nl => nl,
    }
}

/// A store refusal of a field becomes that field's error; anything else a page.
pub(crate) fn field_error(lang: Lang, e: StoreError) -> Result<HashMap<String, String>, Response> {
    match e {
        StoreError::Invalid { field, message, nl } => {
            Ok(HashMap::from([(field, in_lang(lang, message, nl))]))
        }
        e => Err(store_error(lang, e)),
    }
}

#[derive(serde::Deserialize)]
struct DashQuery {
    lang: Option<String>,
    date: Option<String>,
}

/// The organisation's deadlines, soonest first.
async fn dashboard(State(s): State<AppState>, sig: Signed, Query(q): Query<DashQuery>) -> Response {
    let _ = q.lang;
    let lang = sig.lang;
    let today = chrono::Utc::now().date_naive();
    let date = q
        .date
        .as_deref()
        .and_then(|d| d.parse().ok())
        .unwrap_or(today);
    let list = match sig.store.alert_list(sig.actor(), &s.params, date).await {
        Ok(a) => a,
        Err(e) => return store_error(lang, e),
    };
    let alerts = list.alerts;
    let mut body = format!(
        "<h1>{}</h1><p>{} {}.</p>",
        t(lang, "Deadlines", "Termijnen"),
        t(
            lang,
            "Every deadline of every household in the register, soonest first, from",
            "Elke termijn van elk huishouden in het register, de eerste eerst, vanaf"
        ),
        verblijf_rules::decision::Day(date, lang)
    );
    // A household whose records cannot be read is flagged here, and the others' deadlines follow as usual.
    if !list.unreadable.is_empty() {
        body.push_str(&format!(
            "<div class=\"error\" role=\"alert\" id=\"unreadable\"><p>{}</p><ul>",
            t(
                lang,
                "These households have a record that needs correcting; their deadlines are not listed until it is:",
                "Deze huishoudens hebben een gegeven dat verbeterd moet worden; hun termijnen staan er pas weer bij als dat gebeurd is:"
            )
        ));
        for u in &list.unreadable {
            body.push_str(&format!(
                "<li><a href=\"{}\">{}</a>: <code>{}</code> {}</li>",
                href(lang, &format!("/register/households/{}", u.household_id)),
                esc(&u.household),
                esc(&u.field),
                esc(&u.message)
            ));
        }
        body.push_str("</ul></div>");
    }
    if alerts.is_empty() {
        body.push_str(&format!(
            "<p>{} <a href=\"{}\">{}</a></p>",
            t(lang, "No deadlines ahead.", "Geen termijnen in zicht."),
            href(lang, "/register/households"),
            t(lang, "Households", "Huishoudens")
        ));
    } else {
        let (due, later): (Vec<_>, Vec<_>) = alerts.iter().partition(|a| a.due);
        body.push_str(&format!(
            "<p>{} <a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p>",
            t(lang, "A deadline is due once its warning period has started; how many days ahead is the organisation's setting.", "Een termijn is aan de orde zodra de waarschuwingsperiode is begonnen; hoeveel dagen vooraf is een instelling van de organisatie."),
            href(lang, "/register/settings"),
            t(lang, "Warning periods", "Waarschuwingsperiodes"),
            href(lang, "/register/reminders"),
            t(lang, "Email reminders", "Herinneringen per e-mail")
        ));
        body.push_str(&format!(
            "<h2 id=\"due\">{} ({})</h2>",
            t(lang, "Due now", "Nu aan de orde"),
            due.len()
        ));
        if due.is_empty() {
            body.push_str(&format!(
                "<p>{}</p>",
                t(
                    lang,
                    "No deadline is inside its warning period.",
                    "Geen termijn valt binnen de waarschuwingsperiode."
                )
            ));
        } else {
            body.push_str(&alerts_table(lang, &due, "due"));
        }
        body.push_str(&format!(
            "<h2 id=\"later\">{} ({})</h2>",
            t(lang, "Later", "Later"),
            later.len()
        ));
        if later.is_empty() {
            body.push_str(&format!(
                "<p>{}</p>",
                t(lang, "No later deadlines.", "Geen latere termijnen.")
            ));
        } else {
            body.push_str(&alerts_table(lang, &later, "later"));
        }
    }
    sig.page(
        StatusCode::OK,
        t(lang, "Deadlines", "Termijnen"),
        "/register",
        &body,
    )
}

/// Deadlines, soonest first, with the day each one's warning starts.
fn alerts_table(lang: Lang, alerts: &[&verblijf_store::Alert], labelled_by: &str) -> String {
    let mut h = format!("<table aria-labelledby=\"{labelled_by}\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Date", "Datum"), t(lang, "Household", "Huishouden"), t(lang, "Person", "Persoon"), t(lang, "What happens, what to do", "Wat er gebeurt, wat te doen"), t(lang, "Warning from", "Waarschuwing vanaf"));
    for a in alerts {
        h.push_str(&format!(
            "<tr><td class=\"date\">{}</td><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"date\">{}</td></tr>",
            verblijf_rules::decision::ShortDay(a.date, lang),
            href(lang, &format!("/register/households/{}", a.household_id)),
            esc(&a.household),
            esc(&a.person),
            esc(a.what.get(lang)),
            verblijf_rules::decision::ShortDay(a.warn_from, lang)
        ));
    }
    h.push_str("</tbody></table>");
    h
}

pub(crate) fn form_token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, FORM_COOKIE) {
        Some(t) => (t, false),
        None => (random_token(), true),
    }
}

/// The page of an anonymous form (sign-in, sign-up), setting the form cookie when there is none yet.
#[allow(clippy::too_many_arguments)]
pub(crate) fn anonymous_page(
    s: &AppState,
    lang: Lang,
    status: StatusCode,
    title: &str,
    path: &str,
    body: &str,
    token: &str,
    new_token: bool,
) -> Response {
    let mut r = html(status, lang, title, path, body);
    if new_token {
        if let Ok(v) = set_cookie(s, FORM_COOKIE, token, 24 * 3600).parse() {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    r
}

pub(crate) fn anonymous_ok(headers: &HeaderMap, f: &HashMap<String, String>) -> bool {
    match (cookie(headers, FORM_COOKIE), f.get("_csrf")) {
        (Some(c), Some(sent)) => same(&c, sent),
        _ => false,
    }
}

fn sign_up_fields() -> Vec<Field> {
    vec![
        Field::new("name", "Organisation", "Organisatie", Kind::Text).help(
            "The employer or practice whose register this is.",
            "De werkgever of het kantoor van wie dit register is.",
        ),
        Field::new("email", "Your email address", "Uw e-mailadres", Kind::Email),
        Field::new("password", "Password", "Wachtwoord", Kind::Password)
            .help("At least 10 characters.", "Ten minste 10 tekens."),
    ]
}

fn sign_up_body(
    lang: Lang,
    token: &str,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> String {
    format!(
        "<h1>{}</h1><p>{}</p>{}<p>{} <a href=\"{}\">{}</a></p>",
        t(lang, "Create a register", "Een register aanmaken"),
        t(lang, "A register keeps the people, households, permits and contracts of your organisation, and tells you every deadline. You become its owner.", "Een register houdt de personen, huishoudens, vergunningen en contracten van uw organisatie bij en noemt elke termijn. U wordt de eigenaar."),
        form_html(
            lang,
            &href(lang, "/register/sign-up"),
            &format!("<input type=\"hidden\" name=\"_csrf\" value=\"{}\">", esc(token)),
            &sign_up_fields(),
            values,
            errors,
            t(lang, "Create the register", "Register aanmaken"),
        ),
        t(lang, "Already have one?", "Heeft u er al een?"),
        href(lang, "/register/sign-in"),
        t(lang, "Sign in", "Aanmelden"),
    )
}

async fn sign_up_form(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::pages::lang_of(&q);
    let (token, new) = form_token(&headers);
    let body = sign_up_body(lang, &token, &HashMap::new(), &HashMap::new());
    anonymous_page(
        &s,
        lang,
        StatusCode::OK,
        t(lang, "Create a register", "Een register aanmaken"),
        "/register/sign-up",
        &body,
        &token,
        new,
    )
}

async fn sign_up(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = crate::pages::lang_of(&q);
    if !anonymous_ok(&headers, &f) {
        return csrf_refused(lang);
    }
    let Some(store) = s.store.clone() else {
        return no_register(lang);
    };
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    // With email, a sign-up waits for its address to be confirmed, and the page is the same whether the address is
    // new or has an account: only the email says which.
    if let Some(mailer) = s.mailer.clone() {
        let errors = match store
            .start_sign_up(get("name"), get("email"), get("password"))
            .await
        {
            Ok(outcome) => {
                let (org, email) = (
                    get("name").trim().to_string(),
                    get("email").trim().to_lowercase(),
                );
                tokio::spawn(async move {
                    if let Err(e) = mailer.send_sign_up(lang, &org, &email, &outcome).await {
                        tracing::warn!(error = %e, "the email answering a sign-up could not be sent");
                    }
                });
                return mail::check_your_email(lang, get("email"));
            }
            Err(e) => match field_error(lang, e) {
                Ok(errs) => errs,
                Err(r) => return r,
            },
        };
        let token = cookie(&headers, FORM_COOKIE).unwrap_or_default();
        let body = sign_up_body(lang, &token, &f, &errors);
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            t(lang, "Create a register", "Een register aanmaken"),
            "/register/sign-up",
            &body,
        );
    }
    let result = store
        .create_organisation(get("name"), get("email"), get("password"))
        .await;
    let errors = match result {
        Ok((_, owner)) => return start_session(&s, &store, lang, &owner, "/register").await,
        Err(StoreError::Conflict(_)) => HashMap::from([(
            "email".to_string(),
            t(
                lang,
                "There is already an account with this email address: sign in instead.",
                "Er is al een account met dit e-mailadres: meld u aan.",
            )
            .to_string(),
        )]),
        Err(e) => match field_error(lang, e) {
            Ok(errs) => errs,
            Err(r) => return r,
        },
    };
    let token = cookie(&headers, FORM_COOKIE).unwrap_or_default();
    let body = sign_up_body(lang, &token, &f, &errors);
    html(
        StatusCode::UNPROCESSABLE_ENTITY,
        lang,
        t(lang, "Create a register", "Een register aanmaken"),
        "/register/sign-up",
        &body,
    )
}

pub(crate) async fn start_session(
    s: &AppState,
    store: &Store,
    lang: Lang,
    actor: &verblijf_store::Actor,
    next: &str,
) -> Response {
    match store.create_session(actor, s.sessions.limits).await {
        Ok(token) => {
            let mut r = Redirect::to(&href(lang, next)).into_response();
            if let Ok(v) = set_cookie(
                s,
                SESSION_COOKIE,
                &token,
                s.sessions.limits.absolute.as_secs(),
            )
            .parse()
            {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => store_error(lang, e),
    }
}

fn sign_in_fields() -> Vec<Field> {
    vec![
        Field::new("email", "Email address", "E-mailadres", Kind::Email),
        Field::new("password", "Password", "Wachtwoord", Kind::Password),
    ]
}

fn sign_in_body(
    lang: Lang,
    token: &str,
    next: &str,
    note: &str,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> String {
    format!(
        "<h1>{}</h1>{note}{}<p>{} <a href=\"{}\">{}</a></p>",
        t(lang, "Sign in to the register", "Aanmelden bij het register"),
        form_html(
            lang,
            &href(lang, "/register/sign-in"),
            &format!("<input type=\"hidden\" name=\"_csrf\" value=\"{}\"><input type=\"hidden\" name=\"next\" value=\"{}\">", esc(token), esc(next)),
            &sign_in_fields(),
            values,
            errors,
            t(lang, "Sign in", "Aanmelden"),
        ),
        t(lang, "No register yet?", "Nog geen register?"),
        href(lang, "/register/sign-up"),
        t(lang, "Create one", "Maak er een aan"),
    )
}

/// Only a path inside the register may follow sign-in.
fn safe_next(next: Option<&String>) -> String {
    match next {
        // A control character (a newline) could not go into the redirect's `Location` header.
        Some(n)
            if n.starts_with("/register")
                && !n.contains("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.clone()
        }
        _ => "/register".into(),
    }
}

async fn sign_in_form(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = crate::pages::lang_of(&q);
    let (token, new) = form_token(&headers);
    let note = if q.contains_key("expired") {
        format!("<p class=\"note\" role=\"status\">{}</p>", t(lang, "Your session has ended (after a time without use, or at its maximum length). Please sign in again.", "Uw sessie is beëindigd (na een tijd zonder gebruik, of na de maximale duur). Meld u opnieuw aan."))
    } else if q.contains_key("signed_out") {
        format!(
            "<p class=\"note\" role=\"status\">{}</p>",
            t(lang, "You are signed out. API tokens and calendar links stay valid until they expire or are revoked (DELETE /api/v1/register/tokens/{id}).", "U bent afgemeld. API-tokens en agendalinks blijven geldig tot ze verlopen of worden ingetrokken (DELETE /api/v1/register/tokens/{id}).")
        )
    } else {
        String::new()
    };
    let next = safe_next(q.get("next"));
    let body = sign_in_body(lang, &token, &next, &note, &HashMap::new(), &HashMap::new());
    anonymous_page(
        &s,
        lang,
        StatusCode::OK,
        t(lang, "Sign in", "Aanmelden"),
        "/register/sign-in",
        &body,
        &token,
        new,
    )
}

async fn sign_in(
    State(s): State<AppState>,
    headers: HeaderMap,
    crate::ClientAddr(addr): crate::ClientAddr,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let lang = crate::pages::lang_of(&q);
    if !anonymous_ok(&headers, &f) {
        return csrf_refused(lang);
    }
    let Some(store) = s.store.clone() else {
        return no_register(lang);
    };
    let email = f.get("email").cloned().unwrap_or_default();
    let password = f.get("password").cloned().unwrap_or_default();
    let next = safe_next(f.get("next"));
    let token = cookie(&headers, FORM_COOKIE).unwrap_or_default();
    let values = HashMap::from([("email".to_string(), email.clone())]);
    // Counted before the password is checked, like the API's sign-in ([`crate::login_limit`]).
    let attempt = match s.login_limits.begin(addr, &email) {
        Ok(a) => a,
        Err(wait) => {
            let secs = crate::retry_after_secs(wait);
            let errors = HashMap::from([(
                "email".to_string(),
                in_lang(
                    lang,
                    format!("Too many failed sign-ins from here for this address: wait {secs} seconds and try again."),
                    format!("Te veel mislukte aanmeldingen van hier voor dit adres: wacht {secs} seconden en probeer het opnieuw."),
                ),
            )]);
            let body = sign_in_body(lang, &token, &next, "", &values, &errors);
            let mut r = html(
                StatusCode::TOO_MANY_REQUESTS,
                lang,
                t(lang, "Sign in", "Aanmelden"),
                "/register/sign-in",
                &body,
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
            return r;
        }
    };
    match store.login(&email, &password).await {
        Ok(actor) => {
            s.login_limits.succeeded(attempt);
            start_session(&s, &store, lang, &actor, &next).await
        }
        Err(StoreError::Unauthenticated) => {
            let errors = HashMap::from([(
                "password".to_string(),
                t(
                    lang,
                    "Wrong email address or password.",
                    "Onjuist e-mailadres of wachtwoord.",
                )
                .to_string(),
            )]);
            let body = sign_in_body(lang, &token, &next, "", &values, &errors);
            html(
                StatusCode::UNAUTHORIZED,
                lang,
                t(lang, "Sign in", "Aanmelden"),
                "/register/sign-in",
                &body,
            )
        }
        Err(e) => store_error(lang, e),
    }
}

async fn sign_out(
    State(s): State<AppState>,
    headers: HeaderMap,
    sig: Signed,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = sig.check(&f, false) {
        return r;
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = sig.store.end_session(&token).await {
            return store_error(sig.lang, e);
        }
    }
    let mut r = Redirect::to(&href(sig.lang, "/register/sign-in?signed_out=1")).into_response();
    if let Ok(v) = set_cookie(&s, SESSION_COOKIE, "", 0).parse() {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_goes_before_a_fragment() {
        assert_eq!(
            href(Lang::Nl, "/register/people"),
            "/register/people?lang=nl"
        );
        assert_eq!(
            href(Lang::En, "/register/careers?date=2026-01-01"),
            "/register/careers?date=2026-01-01&lang=en"
        );
        assert_eq!(
            href(Lang::Nl, "/register/people/p1#career"),
            "/register/people/p1?lang=nl#career"
        );
    }
}
