//! The organisation's settings (how many days before each kind of deadline it is warned: owners change them,
//! others read them) and its users (owners only: the list, and adding a user with a role and a first password).

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use verblijf_rules::Lang;
use verblijf_store::{OrganisationSettings, Role, StoreError, WarningDays, MAX_WARNING_DAYS};

use super::{field_error, form_html, href, owner_refused, store_error, Field, Kind, Signed};
use crate::pages::{esc, t};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register/settings", get(settings_page).post(save_settings))
        .route("/register/users", get(users_page).post(add_user))
}

type Q = Query<HashMap<String, String>>;
type F = Form<HashMap<String, String>>;

/// Each kind of deadline: its setting's name and what it is, in English and Dutch.
const KINDS: [(&str, &str, &str); 8] = [
    (
        "permit_end",
        "Before a permit of one's own ends",
        "Voor het einde van een eigen verblijfsvergunning",
    ),
    (
        "dependant_permit_end",
        "Before a family member's permit ends (theirs, or their sponsor's)",
        "Voor het einde van de vergunning van een gezinslid (de eigen, of die van de referent)",
    ),
    (
        "extension_window",
        "Before the extension can first be filed",
        "Voordat de verlenging op zijn vroegst kan worden aangevraagd",
    ),
    (
        "contract_end",
        "Before an employment contract ends",
        "Voor het einde van een arbeidscontract",
    ),
    (
        "report_change",
        "Before the last day to report a change to the IND",
        "Voor de laatste dag om een wijziging aan de IND te melden",
    ),
    (
        "orientation_year_end",
        "Before an orientation year ends",
        "Voor het einde van een zoekjaar",
    ),
    (
        "thirtieth_birthday",
        "Before a highly skilled migrant turns 30",
        "Voordat een kennismigrant 30 wordt",
    ),
    (
        "graduation_window",
        "Before the three years after graduating end",
        "Voor het einde van de drie jaar na het afstuderen",
    ),
];

fn settings_fields() -> Vec<Field> {
    KINDS
        .iter()
        .map(|(name, en, nl)| {
            Field::new(name, en, nl, Kind::Number).help(
                "Days ahead, a whole number from 0 to 730.",
                "Dagen vooraf, een heel getal van 0 tot en met 730.",
            )
        })
        .collect()
}

fn settings_values(w: &WarningDays) -> HashMap<String, String> {
    w.named()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn settings_body(
    sig: &Signed,
    current: &WarningDays,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    saved: bool,
) -> String {
    let lang = sig.lang;
    let mut h = format!(
        "<h1>{}</h1><p>{}</p>",
        t(lang, "Settings", "Instellingen"),
        t(lang, "How many days before each kind of deadline the organisation is warned. A deadline is shown as due on the deadlines page, and reminded of in the calendar feed, from that day on; every deadline ahead stays listed.", "Hoeveel dagen voor elke soort termijn de organisatie wordt gewaarschuwd. Vanaf die dag staat een termijn als aan de orde op de pagina met termijnen en herinnert de agenda-feed eraan; elke komende termijn blijft in de lijst.")
    );
    h.push_str(&format!(
        "<p><a href=\"{}\">{}</a>: {}</p>",
        super::href(lang, "/register/reminders"),
        t(lang, "Email reminders", "Herinneringen per e-mail"),
        t(
            lang,
            "each user chooses a daily or weekly email of the deadlines that are due.",
            "elke gebruiker kiest een dagelijkse of wekelijkse e-mail van de termijnen die aan de orde zijn."
        )
    ));
    if saved {
        h.push_str(&format!(
            "<p class=\"note\" role=\"status\">{}</p>",
            t(
                lang,
                "The settings are saved.",
                "De instellingen zijn opgeslagen."
            )
        ));
    }
    let defaults = WarningDays::default();
    if sig.actor().role == Role::Owner {
        h.push_str(&format!(
            "<h2>{}</h2>",
            t(lang, "Warning periods", "Waarschuwingsperiodes")
        ));
        h.push_str(&form_html(
            lang,
            &href(lang, "/register/settings"),
            &sig.csrf_field(),
            &settings_fields(),
            values,
            errors,
            t(lang, "Save the settings", "Instellingen opslaan"),
        ));
        h.push_str(&format!(
            "<p class=\"help\">{} {}.</p>",
            t(lang, "Defaults:", "Standaard:"),
            KINDS
                .iter()
                .zip(defaults.named())
                .map(|((_, en, nl), (_, d))| format!("{} {d}", t(lang, en, nl).to_lowercase()))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    } else {
        h.push_str(&format!(
            "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t(lang, "Warning periods", "Waarschuwingsperiodes"),
            t(lang, "Kind of deadline", "Soort termijn"),
            t(lang, "Days ahead", "Dagen vooraf"),
            t(lang, "Default", "Standaard"),
        ));
        for (((_, en, nl), (_, d)), (_, def)) in
            KINDS.iter().zip(current.named()).zip(defaults.named())
        {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{d}</td><td>{def}</td></tr>",
                t(lang, en, nl)
            ));
        }
        h.push_str(&format!(
            "</tbody></table><p>{}</p>",
            t(
                lang,
                "Only an owner changes the settings.",
                "Alleen een eigenaar wijzigt de instellingen."
            )
        ));
    }
    h
}

async fn settings_page(sig: Signed, Query(q): Q) -> Response {
    let lang = sig.lang;
    let current = match sig.store.settings(sig.actor()).await {
        Ok(s) => s.warning_days,
        Err(e) => return store_error(lang, e),
    };
    let body = settings_body(
        &sig,
        &current,
        &settings_values(&current),
        &HashMap::new(),
        q.contains_key("saved"),
    );
    sig.page(
        StatusCode::OK,
        t(lang, "Settings", "Instellingen"),
        "/register/settings",
        &body,
    )
}

/// Reads the form: every field that is not a whole number of days from 0 to 730 is an error, all at once.
fn read_settings(
    lang: Lang,
    f: &HashMap<String, String>,
) -> Result<OrganisationSettings, HashMap<String, String>> {
    let mut v = serde_json::Map::new();
    let mut errors = HashMap::new();
    for (name, ..) in KINDS {
        let typed = f.get(name).map(|s| s.trim()).unwrap_or("");
        match typed.parse::<i64>() {
            Ok(d) if (0..=MAX_WARNING_DAYS).contains(&d) => {
                v.insert(name.to_string(), d.into());
            }
            _ => {
                errors.insert(
                    name.to_string(),
                    if lang == Lang::En {
                        format!("Expected a whole number of days from 0 to {MAX_WARNING_DAYS}, found {typed:?}.")
                    } else {
                        format!("Verwacht een heel aantal dagen van 0 tot en met {MAX_WARNING_DAYS}, gevonden: {typed:?}.")
                    },
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    OrganisationSettings::from_json(&serde_json::json!({ "warning_days": v })).map_err(
        |e| match e {
            StoreError::Invalid { field, message, nl } => HashMap::from([(
                field.trim_start_matches("warning_days.").to_string(),
                super::in_lang(lang, message, nl),
            )]),
            other => HashMap::from([("_".to_string(), other.to_string())]),
        },
    )
}

async fn save_settings(sig: Signed, Form(f): F) -> Response {
    let lang = sig.lang;
    if let Err(r) = sig.check(&f, false) {
        return r;
    }
    if sig.actor().role != Role::Owner {
        return owner_refused(lang);
    }
    let errors = match read_settings(lang, &f) {
        Ok(settings) => match sig.store.update_settings(sig.actor(), settings).await {
            Ok(_) => {
                return Redirect::to(&href(lang, "/register/settings?saved=1")).into_response()
            }
            Err(StoreError::Forbidden(_)) => return owner_refused(lang),
            Err(StoreError::Invalid { field, message, nl }) => HashMap::from([(
                field.trim_start_matches("warning_days.").to_string(),
                super::in_lang(lang, message, nl),
            )]),
            Err(e) => return store_error(lang, e),
        },
        Err(e) => e,
    };
    let current = match sig.store.settings(sig.actor()).await {
        Ok(s) => s.warning_days,
        Err(e) => return store_error(lang, e),
    };
    let body = settings_body(&sig, &current, &f, &errors, false);
    sig.page(
        StatusCode::UNPROCESSABLE_ENTITY,
        t(lang, "Settings", "Instellingen"),
        "/register/settings",
        &body,
    )
}

fn role_label(lang: Lang, r: Role) -> &'static str {
    match r {
        Role::Owner => t(lang, "owner", "eigenaar"),
        Role::Adviser => t(lang, "adviser", "adviseur"),
        Role::Viewer => t(lang, "viewer (read only)", "kijker (alleen lezen)"),
    }
}

fn user_fields(lang: Lang) -> Vec<Field> {
    let roles = [Role::Adviser, Role::Viewer, Role::Owner]
        .into_iter()
        .map(|r| {
            (
                match r {
                    Role::Owner => "owner",
                    Role::Adviser => "adviser",
                    Role::Viewer => "viewer",
                }
                .to_string(),
                role_label(lang, r).to_string(),
            )
        })
        .collect();
    vec![
        Field::new("email", "Email address", "E-mailadres", Kind::Email),
        Field::new("role", "Role", "Rol", Kind::Select(roles)).help(
            "An adviser keeps the register; a viewer only reads it; an owner also manages users and settings.",
            "Een adviseur houdt het register bij; een kijker leest alleen; een eigenaar beheert ook gebruikers en instellingen.",
        ),
        Field::new(
            "password",
            "First password",
            "Eerste wachtwoord",
            Kind::NewPassword,
        )
        .help(
            "At least 10 characters. Give it to the user in a safe way.",
            "Ten minste 10 tekens. Geef het op een veilige manier aan de gebruiker.",
        ),
    ]
}

async fn users_body(
    sig: &Signed,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    added: bool,
) -> Result<String, Response> {
    let lang = sig.lang;
    let users = sig
        .store
        .users(sig.actor())
        .await
        .map_err(|e| store_error(lang, e))?;
    let mut h = format!("<h1>{}</h1>", t(lang, "Users", "Gebruikers"));
    if added {
        h.push_str(&format!(
            "<p class=\"note\" role=\"status\">{}</p>",
            t(
                lang,
                "The user is added and can sign in.",
                "De gebruiker is toegevoegd en kan zich aanmelden."
            )
        ));
    }
    h.push_str(&format!(
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "Email address", "E-mailadres"),
        t(lang, "Role", "Rol"),
        t(lang, "Since", "Sinds"),
    ));
    for u in &users {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&u.email),
            role_label(lang, u.role),
            esc(u.created_at.get(..10).unwrap_or(&u.created_at)),
        ));
    }
    h.push_str(&format!(
        "</tbody></table><h2>{}</h2>",
        t(lang, "Add a user", "Gebruiker toevoegen")
    ));
    h.push_str(&form_html(
        lang,
        &href(lang, "/register/users"),
        &sig.csrf_field(),
        &user_fields(lang),
        values,
        errors,
        t(lang, "Add the user", "Gebruiker toevoegen"),
    ));
    Ok(h)
}

async fn users_page(sig: Signed, Query(q): Q) -> Response {
    let lang = sig.lang;
    if sig.actor().role != Role::Owner {
        return owner_refused(lang);
    }
    let values = HashMap::from([("role".to_string(), "adviser".to_string())]);
    match users_body(&sig, &values, &HashMap::new(), q.contains_key("added")).await {
        Ok(body) => sig.page(
            StatusCode::OK,
            t(lang, "Users", "Gebruikers"),
            "/register/users",
            &body,
        ),
        Err(r) => r,
    }
}

async fn add_user(sig: Signed, Form(f): F) -> Response {
    let lang = sig.lang;
    if let Err(r) = sig.check(&f, false) {
        return r;
    }
    if sig.actor().role != Role::Owner {
        return owner_refused(lang);
    }
    let email = f.get("email").map(String::as_str).unwrap_or("");
    let password = f.get("password").map(String::as_str).unwrap_or("");
    let errors = match f.get("role").and_then(|r| Role::from_name(r)) {
        None => HashMap::from([(
            "role".to_string(),
            t(
                lang,
                "Choose owner, adviser or viewer.",
                "Kies eigenaar, adviseur of kijker.",
            )
            .to_string(),
        )]),
        Some(role) => match sig.store.add_user(sig.actor(), email, password, role).await {
            Ok(_) => return Redirect::to(&href(lang, "/register/users?added=1")).into_response(),
            Err(StoreError::Conflict(_)) => HashMap::from([(
                "email".to_string(),
                t(
                    lang,
                    "There is already an account with this email address.",
                    "Er is al een account met dit e-mailadres.",
                )
                .to_string(),
            )]),
            Err(StoreError::Forbidden(_)) => return owner_refused(lang),
            Err(e) => match field_error(lang, e) {
                Ok(errs) => errs,
                Err(r) => return r,
            },
        },
    };
    match users_body(&sig, &f, &errors, false).await {
        Ok(body) => sig.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "Users", "Gebruikers"),
            "/register/users",
            &body,
        ),
        Err(r) => r,
    }
}
