//! The pages behind the register's email: a user's reminders (off, daily or weekly, and in which language), the
//! link in a reminder that turns it off without signing in, and the link that confirms a sign-up.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use verblijf_rules::Lang;
use verblijf_store::{Reminders, StoreError};

use super::{
    anonymous_ok, anonymous_page, csrf_refused, form_html, form_token, href, message_page,
    no_register, start_session, store_error, Field, Kind, Signed,
};
use crate::pages::{esc, lang_of, t};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/register/reminders",
            get(reminders_page).post(save_reminders),
        )
        .route(
            "/register/unsubscribe",
            get(unsubscribe_page).post(unsubscribe),
        )
        .route("/register/confirm", get(confirm_page).post(confirm))
}

type Q = Query<HashMap<String, String>>;
type F = Form<HashMap<String, String>>;

fn reminder_fields(lang: Lang) -> Vec<Field> {
    let o = |v: &str, en: &str, nl: &str| (v.to_string(), t(lang, en, nl).to_string());
    vec![
        Field::new(
            "reminders",
            "Email me the deadlines that are due",
            "Mail mij de termijnen die aan de orde zijn",
            Kind::Select(vec![
                o("off", "Never", "Nooit"),
                o("daily", "Every day", "Elke dag"),
                o("weekly", "Every week", "Elke week"),
            ]),
        )
        .help(
            "An email lists the deadlines whose warning period has started; on a day with none, nothing is sent.",
            "Een e-mail noemt de termijnen waarvan de waarschuwingsperiode is begonnen; op een dag zonder zulke termijnen wordt niets verstuurd.",
        ),
        Field::new(
            "lang",
            "Language of the email",
            "Taal van de e-mail",
            Kind::Select(vec![
                ("en".into(), "English".into()),
                ("nl".into(), "Nederlands".into()),
            ]),
        ),
    ]
}

fn reminders_body(
    sig: &Signed,
    mail: bool,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    saved: bool,
    reminded_at: Option<&str>,
) -> String {
    let lang = sig.lang;
    let mut h = format!(
        "<h1>{}</h1><p>{} <a href=\"{}\">{}</a></p>",
        t(lang, "Email reminders", "Herinneringen per e-mail"),
        t(lang, "The register can email you the deadlines of your organisation whose warning period has started, every day or every week. Each email has a link that stops them. How many days ahead a warning starts is a setting of the organisation:", "Het register kan u elke dag of elke week de termijnen van uw organisatie mailen waarvan de waarschuwingsperiode is begonnen. Elke e-mail heeft een link om ermee te stoppen. Hoeveel dagen vooraf een waarschuwing begint, is een instelling van de organisatie:"),
        href(lang, "/register/settings"),
        t(lang, "warning periods", "waarschuwingsperiodes"),
    );
    if !mail {
        h.push_str(&format!(
            "<p class=\"note\" role=\"status\">{}</p>",
            t(lang, "This server has no email set up (its SMTP settings), so it sends no reminders yet; what you choose here is kept for when it does.", "Deze server heeft geen e-mail ingesteld (de SMTP-instellingen), dus hij verstuurt nog geen herinneringen; wat u hier kiest, blijft bewaard voor als dat wel zo is.")
        ));
    }
    if saved {
        h.push_str(&format!(
            "<p class=\"note\" role=\"status\">{}</p>",
            t(lang, "Saved.", "Opgeslagen.")
        ));
    }
    h.push_str(&form_html(
        lang,
        &href(lang, "/register/reminders"),
        &sig.csrf_field(),
        &reminder_fields(lang),
        values,
        errors,
        t(lang, "Save", "Opslaan"),
    ));
    if let Some(at) = reminded_at {
        h.push_str(&format!(
            "<p class=\"help\">{} {}</p>",
            t(lang, "Last checked:", "Laatst gecontroleerd:"),
            esc(at.get(..16).unwrap_or(at)).replace('T', " ")
        ));
    }
    h
}

async fn reminders_page(State(s): State<AppState>, sig: Signed, Query(q): Q) -> Response {
    let lang = sig.lang;
    let current = match sig.store.reminder_settings(sig.actor()).await {
        Ok(c) => c,
        Err(e) => return store_error(lang, e),
    };
    let values = HashMap::from([
        (
            "reminders".to_string(),
            current.reminders.as_str().to_string(),
        ),
        // Until reminders are first turned on, the email's language is offered as the page's.
        (
            "lang".to_string(),
            if current.reminded_at.is_none() && current.reminders == Reminders::Off {
                super::code(lang).to_string()
            } else {
                current.lang.clone()
            },
        ),
    ]);
    let body = reminders_body(
        &sig,
        s.mailer.is_some(),
        &values,
        &HashMap::new(),
        q.contains_key("saved"),
        current.reminded_at.as_deref(),
    );
    sig.page(
        StatusCode::OK,
        t(lang, "Email reminders", "Herinneringen per e-mail"),
        "/register/reminders",
        &body,
    )
}

async fn save_reminders(State(s): State<AppState>, sig: Signed, Form(f): F) -> Response {
    let lang = sig.lang;
    // Any role chooses its own reminders: a viewer reads the deadlines too.
    if let Err(r) = sig.check(&f, false) {
        return r;
    }
    let typed = f.get("reminders").map(|v| v.trim()).unwrap_or("");
    let errors = match Reminders::from_name(typed) {
        None => HashMap::from([(
            "reminders".to_string(),
            if lang == Lang::En {
                format!("Expected never, every day or every week (off, daily, weekly), found {typed:?}.")
            } else {
                format!("Verwacht nooit, elke dag of elke week (off, daily, weekly), gevonden: {typed:?}.")
            },
        )]),
        Some(r) => {
            let mail_lang = f.get("lang").map(|v| v.trim()).unwrap_or("");
            match sig.store.set_reminders(sig.actor(), r, mail_lang).await {
                Ok(_) => {
                    return Redirect::to(&href(lang, "/register/reminders?saved=1")).into_response()
                }
                Err(StoreError::Invalid { field, message, nl }) => {
                    HashMap::from([(field, super::in_lang(lang, message, nl))])
                }
                Err(e) => return store_error(lang, e),
            }
        }
    };
    let body = reminders_body(&sig, s.mailer.is_some(), &f, &errors, false, None);
    sig.page(
        StatusCode::UNPROCESSABLE_ENTITY,
        t(lang, "Email reminders", "Herinneringen per e-mail"),
        "/register/reminders",
        &body,
    )
}

fn token_of(q: &HashMap<String, String>, f: Option<&HashMap<String, String>>) -> String {
    f.and_then(|f| f.get("token"))
        .or_else(|| q.get("token"))
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

fn link_not_valid(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::NOT_FOUND,
        t(lang, "This link is not valid", "Deze link is niet geldig"),
        t(lang, "The link is not known, was used already or has expired. Copy the whole link from the email; or start again.", "De link is onbekend, al gebruikt of verlopen. Kopieer de hele link uit de e-mail, of begin opnieuw."),
    )
}

/// The link in a reminder: a button that turns reminders off (a link checker that opens the page changes nothing).
async fn unsubscribe_page(Query(q): Q) -> Response {
    let lang = lang_of(&q);
    let token = token_of(&q, None);
    let body = format!(
        "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"token\" value=\"{}\"><button type=\"submit\">{}</button></form>",
        t(lang, "Stop the reminders", "Herinneringen stoppen"),
        t(lang, "Stop the emails with deadlines from this register? You can turn them on again in the register at any time.", "Wilt u de e-mails met termijnen uit dit register stoppen? U kunt ze in het register altijd weer aanzetten."),
        href(lang, "/register/unsubscribe"),
        esc(&token),
        t(lang, "Stop the reminders", "Herinneringen stoppen"),
    );
    super::html(
        StatusCode::OK,
        lang,
        t(lang, "Stop the reminders", "Herinneringen stoppen"),
        "/register/unsubscribe",
        &body,
    )
}

/// Turns reminders off: from the page's button, or in one click from the mail program (RFC 8058 sends
/// `List-Unsubscribe=One-Click` to the link itself). The token is the only credential, so there is no form cookie.
async fn unsubscribe(State(s): State<AppState>, Query(q): Q, Form(f): F) -> Response {
    let lang = lang_of(&q);
    let Some(store) = s.store.clone() else {
        return no_register(lang);
    };
    match store.unsubscribe(&token_of(&q, Some(&f))).await {
        Ok(email) => message_page(
            lang,
            StatusCode::OK,
            t(lang, "Reminders stopped", "Herinneringen gestopt"),
            &if lang == Lang::En {
                format!("No more reminders are sent to {email}.")
            } else {
                format!("Er worden geen herinneringen meer gestuurd naar {email}.")
            },
        ),
        Err(StoreError::NotFound(_)) => link_not_valid(lang),
        Err(e) => store_error(lang, e),
    }
}

/// The link in a sign-up's email: a button that creates the register (so that a link checker creates nothing).
async fn confirm_page(State(s): State<AppState>, headers: HeaderMap, Query(q): Q) -> Response {
    let lang = lang_of(&q);
    let Some(store) = s.store.clone() else {
        return no_register(lang);
    };
    let token = token_of(&q, None);
    match store.sign_up_pending(&token).await {
        Ok(true) => {}
        Ok(false) => return link_not_valid(lang),
        Err(e) => return store_error(lang, e),
    }
    let (form, new) = form_token(&headers);
    let body = format!(
        "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"_csrf\" value=\"{}\"><input type=\"hidden\" name=\"token\" value=\"{}\"><button type=\"submit\">{}</button></form>",
        t(lang, "Create the register", "Register aanmaken"),
        t(lang, "Your email address is confirmed. Create the register now; you become its owner and are signed in.", "Uw e-mailadres is bevestigd. Maak het register nu aan; u wordt de eigenaar en bent meteen aangemeld."),
        href(lang, "/register/confirm"),
        esc(&form),
        esc(&token),
        t(lang, "Create the register", "Register aanmaken"),
    );
    anonymous_page(
        &s,
        lang,
        StatusCode::OK,
        t(lang, "Create the register", "Register aanmaken"),
        "/register/confirm",
        &body,
        &form,
        new,
    )
}

async fn confirm(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Q,
    Form(f): F,
) -> Response {
    let lang = lang_of(&q);
    if !anonymous_ok(&headers, &f) {
        return csrf_refused(lang);
    }
    let Some(store) = s.store.clone() else {
        return no_register(lang);
    };
    match store.confirm_sign_up(&token_of(&q, Some(&f))).await {
        Ok((_, owner)) => start_session(&s, &store, lang, &owner, "/register").await,
        Err(StoreError::NotFound(_)) => link_not_valid(lang),
        Err(StoreError::Conflict(_)) => message_page(
            lang,
            StatusCode::CONFLICT,
            t(lang, "There is an account already", "Er is al een account"),
            t(
                lang,
                "This email address got an account in the meantime: sign in with it.",
                "Met dit e-mailadres is intussen een account gemaakt: meld u daarmee aan.",
            ),
        ),
        Err(e) => store_error(lang, e),
    }
}

/// The page a sign-up answers when the server sends email, whether the address was new or not.
pub(crate) fn check_your_email(lang: Lang, email: &str) -> Response {
    let shown = email.trim().to_lowercase();
    let body = format!(
        "<h1>{}</h1><p>{}</p><p>{}</p>",
        t(lang, "Check your email", "Kijk in uw e-mail"),
        esc(&if lang == Lang::En {
            format!("We have sent an email to {shown}. Open the link in it within {} hours to create the register.", verblijf_store::SIGN_UP_CONFIRM_HOURS)
        } else {
            format!("We hebben een e-mail gestuurd naar {shown}. Open de link daarin binnen {} uur om het register aan te maken.", verblijf_store::SIGN_UP_CONFIRM_HOURS)
        }),
        t(lang, "No email after a few minutes? Look in the spam folder, or sign up again.", "Na een paar minuten nog geen e-mail? Kijk bij de ongewenste e-mail, of meld u opnieuw aan."),
    );
    super::html(
        StatusCode::OK,
        lang,
        t(lang, "Check your email", "Kijk in uw e-mail"),
        "/register/sign-up",
        &body,
    )
}
