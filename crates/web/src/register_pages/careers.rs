//! Partner careers: on a partner's page, the consent an owner or adviser records on the partner's behalf (the text
//! and version agreed to, and when), the profile they share, the withdrawal and the history of consents; and
//! `/register/careers`, the organisation's opted-in partners with their right to work on a date, until when it
//! holds, and who of them may work freely. Only partners with an active consent are read for that page, so nothing
//! about anyone else appears on it.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use verblijf_rules::{Lang, WorkStatus};
use verblijf_store::{
    Candidate, Career, CareerProfile, CareerProfileInput, ConsentInput, PermitRecord, PersonRecord,
    StoreError, EDUCATION_LEVELS,
};

use super::{code, form_html, href, opt, store_error, Field, Kind, Signed};
use crate::pages::{esc, t};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register/careers", get(careers))
        .route("/register/people/{id}/career", post(give_consent))
        .route("/register/people/{id}/career/profile", post(update_profile))
        .route("/register/people/{id}/career/withdraw", post(withdraw))
}

type Q = Query<HashMap<String, String>>;
type F = Form<HashMap<String, String>>;

/// The version of the consent text below; the language is added (`careers-1-en`), since the text differs.
pub(crate) const CONSENT_VERSION: &str = "careers-1";

/// The text a partner agrees to, word for word, in the page's language.
pub(crate) fn consent_text(lang: Lang, organisation: &str) -> String {
    if lang == Lang::En {
        format!("I agree that {organisation} keeps my skills, languages, education, from when I could start work and how many hours a week I would work, together with my right to work in the Netherlands and until when it holds, and shows these to the users of its register to find work for me. I can withdraw this consent at any time; my profile is then deleted, and only the fact that I gave and withdrew consent is kept.")
    } else {
        format!("Ik ga ermee akkoord dat {organisation} mijn vaardigheden, talen, opleiding, vanaf wanneer ik kan beginnen en hoeveel uur per week ik zou werken bewaart, samen met mijn recht om in Nederland te werken en tot wanneer dat geldt, en deze laat zien aan de gebruikers van haar register om werk voor mij te vinden. Ik kan deze toestemming altijd intrekken; mijn profiel wordt dan verwijderd en alleen het feit dat ik toestemming gaf en introk blijft bewaard.")
    }
}

fn consent_version(lang: Lang) -> String {
    format!("{CONSENT_VERSION}-{}", code(lang))
}

pub(crate) fn education_label(lang: Lang, level: &str) -> String {
    let (en, nl) = match level {
        "secondary" => ("Secondary education", "Voortgezet onderwijs"),
        "vocational" => (
            "Vocational education (MBO)",
            "Middelbaar beroepsonderwijs (mbo)",
        ),
        "associate" => ("Associate degree", "Associate degree"),
        "bachelor" => ("Bachelor", "Bachelor"),
        "master" => ("Master", "Master"),
        "post_master" => ("Post-master", "Postmaster"),
        "phd" => ("Doctorate (PhD)", "Doctoraat (PhD)"),
        other => return other.replace('_', " "),
    };
    t(lang, en, nl).to_string()
}

/// The right to work in the words the household pages use.
pub(crate) fn status_text(lang: Lang, status: WorkStatus) -> String {
    status.text().get(lang).to_string()
}

fn status_class(status: WorkStatus) -> &'static str {
    match status {
        WorkStatus::Free => "eligible",
        WorkStatus::NotAllowed => "not_eligible",
        _ => "unknown",
    }
}

const STATUSES: [WorkStatus; 7] = [
    WorkStatus::Free,
    WorkStatus::OnlyForSponsor,
    WorkStatus::OnlyForEmployer,
    WorkStatus::SelfEmploymentOnly,
    WorkStatus::TwvRequired,
    WorkStatus::NotAllowed,
    WorkStatus::Unknown,
];

fn basis_text(lang: Lang, basis: &str) -> String {
    match basis {
        "family_permit" => t(
            lang,
            "a family member's permit",
            "een verblijfsvergunning als gezinslid",
        ),
        "own_permit" => t(
            lang,
            "a permit of their own",
            "een eigen verblijfsvergunning",
        ),
        "citizen" => t(
            lang,
            "Dutch or EU citizenship",
            "Nederlandse of EU-nationaliteit",
        ),
        other => other,
    }
    .to_string()
}

fn profile_fields(lang: Lang) -> Vec<Field> {
    let mut levels = vec![(
        String::new(),
        t(lang, "(not given)", "(niet opgegeven)").to_string(),
    )];
    levels.extend(
        EDUCATION_LEVELS
            .iter()
            .map(|l| (l.to_string(), education_label(lang, l))),
    );
    vec![
        Field::new("skills", "Skills", "Vaardigheden", Kind::Text).help(
            "Separated by commas, such as: accounting, Python, nursing.",
            "Gescheiden door komma's, zoals: boekhouden, Python, verpleging.",
        ),
        Field::new("languages", "Languages", "Talen", Kind::Text).help(
            "Separated by commas, with a level if known, such as: English, Dutch (B1).",
            "Gescheiden door komma's, met een niveau als dat bekend is, zoals: Engels, Nederlands (B1).",
        ),
        Field::new(
            "education_level",
            "Education level",
            "Opleidingsniveau",
            Kind::Select(levels),
        ),
        Field::new(
            "education_field",
            "Field of education",
            "Studierichting",
            Kind::Text,
        ),
        Field::new(
            "available_from",
            "Available from",
            "Beschikbaar vanaf",
            Kind::Date,
        ),
        Field::new(
            "hours_per_week",
            "Hours a week",
            "Uren per week",
            Kind::Number,
        )
        .help("A whole number from 1 to 60.", "Een heel getal van 1 tot en met 60."),
        Field::new("note", "Note", "Opmerking", Kind::TextArea).help(
            "At most 1,000 characters. Only what the partner wants to share.",
            "Ten hoogste 1.000 tekens. Alleen wat de partner wil delen.",
        ),
    ]
}

fn consent_fields(lang: Lang) -> Vec<Field> {
    let mut f = vec![
        Field::new(
            "agreed",
            "The partner agreed to this text",
            "De partner ging akkoord met deze tekst",
            Kind::Checkbox,
        ),
        Field::new(
            "given_at",
            "Date the partner agreed",
            "Datum waarop de partner akkoord ging",
            Kind::Date,
        )
        .help("Not in the future.", "Niet in de toekomst."),
    ];
    f.extend(profile_fields(lang));
    f
}

/// Items separated by commas or new lines.
fn items(v: Option<&String>) -> Vec<String> {
    v.map(|s| {
        s.split([',', '\n'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

fn profile_input(
    lang: Lang,
    f: &HashMap<String, String>,
) -> Result<CareerProfileInput, HashMap<String, String>> {
    let hours = match opt(f, "hours_per_week") {
        None => None,
        Some(h) => match h.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return Err(HashMap::from([(
                    "hours_per_week".to_string(),
                    format!(
                        "{} {h:?}",
                        t(
                            lang,
                            "Expected a whole number of hours from 1 to 60, found",
                            "Verwacht een heel aantal uren van 1 tot en met 60, gevonden:"
                        )
                    ),
                )]))
            }
        },
    };
    Ok(CareerProfileInput {
        skills: items(f.get("skills")),
        languages: items(f.get("languages")),
        education_level: opt(f, "education_level"),
        education_field: opt(f, "education_field"),
        available_from: opt(f, "available_from"),
        hours_per_week: hours,
        note: opt(f, "note"),
    })
}

fn profile_values(p: &CareerProfile) -> HashMap<String, String> {
    let mut v = HashMap::from([
        ("skills".to_string(), p.skills.join(", ")),
        ("languages".to_string(), p.languages.join(", ")),
    ]);
    for (k, x) in [
        ("education_level", &p.education_level),
        ("education_field", &p.education_field),
        ("available_from", &p.available_from),
        ("note", &p.note),
    ] {
        if let Some(x) = x {
            v.insert(k.to_string(), x.clone());
        }
    }
    if let Some(h) = p.hours_per_week {
        v.insert("hours_per_week".to_string(), h.to_string());
    }
    v
}

/// A store refusal of a field, as the error of the form's field: `skills[2]` is the skills field,
/// `consent.given_at` the date; one that is not about a field of the form is shown above it.
fn field_errors(lang: Lang, e: StoreError) -> Result<HashMap<String, String>, Response> {
    match e {
        StoreError::Invalid { field, message, nl } => {
            let message = super::in_lang(lang, message, nl);
            let name = match field.as_str() {
                "consent.given_at" => "given_at".to_string(),
                "person_id" => "_".to_string(),
                f => f.split('[').next().unwrap_or(f).to_string(),
            };
            let message = if name == "_" {
                t(lang, "Only a partner in a household can opt in: someone linked as a partner who holds a family-member permit, or no permit of another kind.", "Alleen een partner in een huishouden kan meedoen: iemand die als partner is gekoppeld en een verblijfsvergunning als gezinslid heeft, of geen vergunning van een andere soort.").to_string()
            } else {
                message
            };
            Ok(HashMap::from([(name, message)]))
        }
        e => Err(store_error(lang, e)),
    }
}

/// The day of a moment kept as a date or a time.
fn day(s: &str) -> &str {
    s.get(..10).unwrap_or(s)
}

/// May this person opt in, as the store will check it: a household member with a family-member permit, or a
/// partner with no permit at all. Only decides whether the form is offered.
async fn may_opt_in(
    sig: &Signed,
    p: &PersonRecord,
    permits: &[PermitRecord],
) -> Result<bool, Response> {
    let Some(h) = &p.household_id else {
        return Ok(false);
    };
    if permits.iter().any(|x| x.kind == "family_member") {
        return Ok(true);
    }
    if !permits.is_empty() {
        return Ok(false);
    }
    let rels = sig
        .store
        .relationships(sig.actor(), h)
        .await
        .map_err(|e| store_error(sig.lang, e))?;
    Ok(rels
        .iter()
        .any(|r| r.kind == "partner" && (r.person_a == p.id || r.person_b == p.id)))
}

/// What was posted to a careers form and what was wrong with it, to show again.
pub(crate) struct Posted<'a> {
    pub values: &'a HashMap<String, String>,
    pub errors: &'a HashMap<String, String>,
}

fn profile_html(lang: Lang, p: &CareerProfile) -> String {
    let mut h = String::from("<table><tbody>");
    let none = || String::new();
    for (k, v) in [
        (t(lang, "Skills", "Vaardigheden"), esc(&p.skills.join(", "))),
        (t(lang, "Languages", "Talen"), esc(&p.languages.join(", "))),
        (
            t(lang, "Education", "Opleiding"),
            esc(&[
                p.education_level
                    .as_deref()
                    .map(|l| education_label(lang, l))
                    .unwrap_or_else(none),
                p.education_field.clone().unwrap_or_else(none),
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")),
        ),
        (
            t(lang, "Available from", "Beschikbaar vanaf"),
            esc(p.available_from.as_deref().unwrap_or("")),
        ),
        (
            t(lang, "Hours a week", "Uren per week"),
            p.hours_per_week.map(|h| h.to_string()).unwrap_or_else(none),
        ),
        (
            t(lang, "Note", "Opmerking"),
            esc(p.note.as_deref().unwrap_or("")),
        ),
    ] {
        h.push_str(&format!("<tr><th scope=\"row\">{k}</th><td>{v}</td></tr>"));
    }
    h.push_str("</tbody></table>");
    h
}

fn history_html(lang: Lang, c: &Career) -> String {
    if c.consents.is_empty() {
        return String::new();
    }
    let mut h = format!("<h3>{}</h3><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t(lang, "Consent history", "Geschiedenis van de toestemming"), t(lang, "Given", "Gegeven"), t(lang, "Version", "Versie"), t(lang, "Withdrawn", "Ingetrokken"), t(lang, "Text agreed to", "Tekst waarmee akkoord gegaan"));
    for x in &c.consents {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><details><summary>{}</summary><p>{}</p></details></td></tr>",
            esc(day(&x.given_at)),
            esc(&x.version),
            match &x.withdrawn_at {
                Some(w) => esc(day(w)),
                None => format!("<strong class=\"eligible\">{}</strong>", t(lang, "active", "actief")),
            },
            t(lang, "Show the text", "Toon de tekst"),
            esc(&x.text)
        ));
    }
    h.push_str("</tbody></table>");
    h
}

/// The careers section of a person's page: nothing for someone who cannot opt in and never did.
pub(crate) async fn section(
    sig: &Signed,
    p: &PersonRecord,
    permits: &[PermitRecord],
    q: &HashMap<String, String>,
    posted: Option<Posted<'_>>,
) -> Result<String, Response> {
    let lang = sig.lang;
    let career = sig
        .store
        .career(sig.actor(), &p.id)
        .await
        .map_err(|e| store_error(lang, e))?;
    let eligible = may_opt_in(sig, p, permits).await?;
    if !eligible && career.consents.is_empty() {
        return Ok(String::new());
    }
    let id = &p.id;
    let mut h = format!(
        "<section aria-labelledby=\"career\"><h2 id=\"career\">{}</h2>",
        t(lang, "Partner careers", "Werk voor partners")
    );
    let note = match q.get("career").map(String::as_str) {
        Some("given") => Some(t(lang, "Consent and profile recorded: the partner is now shown on the partner careers page.", "Toestemming en profiel vastgelegd: de partner staat nu op de pagina werk voor partners.")),
        Some("updated") => Some(t(lang, "Profile saved.", "Profiel opgeslagen.")),
        Some("withdrawn") => Some(t(lang, "Consent withdrawn: the profile is deleted and the partner is no longer shown as a candidate. The consent is kept in the history.", "Toestemming ingetrokken: het profiel is verwijderd en de partner staat niet langer als kandidaat vermeld. De toestemming blijft in de geschiedenis bewaard.")),
        _ => None,
    };
    if let Some(n) = note {
        h.push_str(&format!("<p class=\"note\" role=\"status\">{n}</p>"));
    }
    if q.contains_key("withdraw_unconfirmed") {
        h.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            t(
                lang,
                "Tick the box to confirm the withdrawal.",
                "Vink het vakje aan om het intrekken te bevestigen."
            )
        ));
    }
    let empty = HashMap::new();
    let (values, errors) = match &posted {
        Some(p) => (p.values, p.errors),
        None => (&empty, &empty),
    };
    match (
        &career.profile,
        career.consents.iter().find(|c| c.withdrawn_at.is_none()),
    ) {
        (Some(profile), Some(active)) => {
            h.push_str(&format!(
                "<p>{} {} ({} {}).</p>",
                t(
                    lang,
                    "Opted in to be seen as a candidate for work since",
                    "Doet mee als kandidaat voor werk sinds"
                ),
                esc(day(&active.given_at)),
                t(lang, "consent version", "toestemming versie"),
                esc(&active.version)
            ));
            h.push_str(&profile_html(lang, profile));
            if sig.can_write() {
                let values = if posted.is_some() {
                    values.clone()
                } else {
                    profile_values(profile)
                };
                h.push_str(&format!(
                    "<h3>{}</h3>",
                    t(lang, "Change the profile", "Profiel wijzigen")
                ));
                h.push_str(&form_html(
                    lang,
                    &href(lang, &format!("/register/people/{id}/career/profile")),
                    &sig.csrf_field(),
                    &profile_fields(lang),
                    &values,
                    errors,
                    t(lang, "Save the profile", "Profiel opslaan"),
                ));
                h.push_str(&format!(
                    "<h3>{}</h3><p>{}</p><form method=\"post\" action=\"{}\">{}<label><input type=\"checkbox\" name=\"confirm_withdraw\" value=\"yes\" style=\"width:auto\"> {}</label><button type=\"submit\" class=\"danger\">{}</button></form>",
                    t(lang, "Withdraw consent", "Toestemming intrekken"),
                    t(lang, "The partner can withdraw their consent at any time. Their profile is then deleted and they are no longer shown as a candidate; that they gave and withdrew consent stays in the history.", "De partner kan de toestemming altijd intrekken. Het profiel wordt dan verwijderd en de partner staat niet langer als kandidaat vermeld; dat er toestemming was en is ingetrokken blijft in de geschiedenis."),
                    href(lang, &format!("/register/people/{id}/career/withdraw")),
                    sig.csrf_field(),
                    t(lang, "The partner withdrew their consent", "De partner heeft de toestemming ingetrokken"),
                    t(lang, "Withdraw consent", "Toestemming intrekken"),
                ));
            }
        }
        _ => {
            h.push_str(&format!(
                "<p>{}</p>",
                t(lang, "Not opted in. A partner may choose to be seen by the organisation as a candidate for work, with their right to work and a profile they share. The partner is not a user of the register: an owner or adviser records the consent they gave.", "Doet niet mee. Een partner kan ervoor kiezen door de organisatie gezien te worden als kandidaat voor werk, met het recht om te werken en een profiel dat de partner deelt. De partner is geen gebruiker van het register: een eigenaar of adviseur legt de gegeven toestemming vast.")
            ));
            if sig.can_write() && eligible {
                let text = consent_text(lang, &sig.session.organisation);
                let mut values = values.clone();
                if posted.is_none() {
                    values.insert(
                        "given_at".to_string(),
                        chrono::Utc::now().date_naive().to_string(),
                    );
                }
                h.push_str(&format!(
                    "<h3>{}</h3><p>{}</p>",
                    t(lang, "Record consent", "Toestemming vastleggen"),
                    t(lang, "Give the partner this text to read, in full. Record their consent only if they agreed to it.", "Geef de partner deze tekst om helemaal te lezen. Leg de toestemming alleen vast als de partner ermee akkoord ging.")
                ));
                let hidden = format!(
                    "{}<figure><blockquote lang=\"{}\">{}</blockquote><figcaption>{} {}</figcaption></figure>",
                    sig.csrf_field(),
                    code(lang),
                    esc(&text),
                    t(lang, "Consent text, version", "Toestemmingstekst, versie"),
                    esc(&consent_version(lang))
                );
                h.push_str(&form_html(
                    lang,
                    &href(lang, &format!("/register/people/{id}/career")),
                    &hidden,
                    &consent_fields(lang),
                    &values,
                    errors,
                    t(
                        lang,
                        "Record consent and profile",
                        "Toestemming en profiel vastleggen",
                    ),
                ));
            }
        }
    }
    h.push_str(&history_html(lang, &career));
    h.push_str("</section>");
    Ok(h)
}

fn back(lang: Lang, id: &str, what: &str) -> Response {
    Redirect::to(&format!(
        "{}#career",
        href(lang, &format!("/register/people/{id}?career={what}"))
    ))
    .into_response()
}

async fn give_consent(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    let lang = sig.lang;
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    if let Err(e) = sig.store.person(sig.actor(), &id).await {
        return store_error(lang, e);
    }
    let mut errors = HashMap::new();
    if f.get("agreed").map(String::as_str) != Some("yes") {
        errors.insert(
            "agreed".to_string(),
            t(
                lang,
                "Tick the box only if the partner agreed to the text; without it nothing is recorded.",
                "Vink het vakje alleen aan als de partner met de tekst akkoord ging; zonder dat wordt niets vastgelegd.",
            )
            .to_string(),
        );
    }
    let profile = match profile_input(lang, &f) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    if let (true, Some(profile)) = (errors.is_empty(), profile) {
        let consent = ConsentInput {
            text: consent_text(lang, &sig.session.organisation),
            version: consent_version(lang),
            given_at: opt(&f, "given_at"),
        };
        match sig
            .store
            .give_career_consent(sig.actor(), &id, consent, profile)
            .await
        {
            Ok(_) => return back(lang, &id, "given"),
            Err(e) => match field_errors(lang, e) {
                Ok(e) => errors = e,
                Err(r) => return r,
            },
        }
    }
    super::records::person_view(
        &sig,
        &id,
        &HashMap::new(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(Posted {
            values: &f,
            errors: &errors,
        }),
    )
    .await
}

async fn update_profile(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    let lang = sig.lang;
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    let errors = match profile_input(lang, &f) {
        Ok(profile) => match sig
            .store
            .update_career_profile(sig.actor(), &id, profile)
            .await
        {
            Ok(_) => return back(lang, &id, "updated"),
            Err(e) => match field_errors(lang, e) {
                Ok(e) => e,
                Err(r) => return r,
            },
        },
        Err(e) => e,
    };
    super::records::person_view(
        &sig,
        &id,
        &HashMap::new(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(Posted {
            values: &f,
            errors: &errors,
        }),
    )
    .await
}

async fn withdraw(sig: Signed, Path(id): Path<String>, Form(f): F) -> Response {
    let lang = sig.lang;
    if let Err(r) = sig.check(&f, true) {
        return r;
    }
    if let Err(e) = sig.store.person(sig.actor(), &id).await {
        return store_error(lang, e);
    }
    if f.get("confirm_withdraw").map(String::as_str) != Some("yes") {
        return Redirect::to(&format!(
            "{}#career",
            href(
                lang,
                &format!("/register/people/{id}?withdraw_unconfirmed=1")
            )
        ))
        .into_response();
    }
    match sig.store.withdraw_career_consent(sig.actor(), &id).await {
        Ok(_) => back(lang, &id, "withdrawn"),
        Err(e) => store_error(lang, e),
    }
}

fn work_html(lang: Lang, c: &Candidate) -> String {
    match &c.work_rights {
        Some(w) => format!(
            "<strong class=\"{}\">{}</strong><br>{}",
            status_class(w.status),
            esc(&status_text(lang, w.status)),
            match w.until {
                Some(u) => format!("{} {u}", t(lang, "until", "tot en met")),
                None => t(lang, "no end date known", "geen einddatum bekend").to_string(),
            }
        ),
        None => format!(
            "<strong class=\"unknown\">{}</strong><br>{}",
            esc(&status_text(lang, WorkStatus::Unknown)),
            t(lang, "not in a household", "niet in een huishouden")
        ),
    }
}

fn candidate_profile_html(lang: Lang, p: &CareerProfile) -> String {
    let mut parts = Vec::new();
    if !p.skills.is_empty() {
        parts.push(format!(
            "{}: {}",
            t(lang, "Skills", "Vaardigheden"),
            esc(&p.skills.join(", "))
        ));
    }
    if !p.languages.is_empty() {
        parts.push(format!(
            "{}: {}",
            t(lang, "Languages", "Talen"),
            esc(&p.languages.join(", "))
        ));
    }
    let edu: Vec<String> = [
        p.education_level
            .as_deref()
            .map(|l| education_label(lang, l)),
        p.education_field.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !edu.is_empty() {
        parts.push(format!(
            "{}: {}",
            t(lang, "Education", "Opleiding"),
            esc(&edu.join(", "))
        ));
    }
    if let Some(a) = &p.available_from {
        parts.push(format!(
            "{}: {}",
            t(lang, "Available from", "Beschikbaar vanaf"),
            esc(a)
        ));
    }
    if let Some(h) = p.hours_per_week {
        parts.push(format!("{}: {h}", t(lang, "Hours a week", "Uren per week")));
    }
    if let Some(n) = &p.note {
        parts.push(format!("{}: {}", t(lang, "Note", "Opmerking"), esc(n)));
    }
    parts.join("<br>")
}

/// The organisation's opted-in partners on a date, with who of them may work freely.
async fn careers(State(s): State<AppState>, sig: Signed, Query(q): Q) -> Response {
    let lang = sig.lang;
    let today = chrono::Utc::now().date_naive();
    let typed = opt(&q, "date");
    let date = match typed.as_deref().map(str::parse::<chrono::NaiveDate>) {
        None => Ok(today),
        Some(Ok(d)) => Ok(d),
        Some(Err(_)) => Err(()),
    };
    let title = t(lang, "Partner careers", "Werk voor partners");
    let mut body = format!(
        "<h1>{title}</h1><p>{}</p>",
        t(lang, "Partners who opted in to be seen as candidates for work, with their right to work on the date and until when it holds. Only partners whose consent is recorded and not withdrawn are shown; a partner opts in on their own page in the register.", "Partners die ervoor kozen gezien te worden als kandidaat voor werk, met hun recht om te werken op de datum en tot wanneer dat geldt. Alleen partners van wie de toestemming is vastgelegd en niet ingetrokken staan hier; een partner doet mee via de eigen pagina in het register.")
    );
    let shown = match (&date, &typed) {
        (Ok(d), _) => d.to_string(),
        (Err(_), Some(t)) => t.clone(),
        (Err(_), None) => String::new(),
    };
    let (invalid, error) = if date.is_err() {
        (
            " aria-invalid=\"true\" aria-describedby=\"date-error\"",
            format!(
                "<p class=\"error\" id=\"date-error\" role=\"alert\">{}</p>",
                t(
                    lang,
                    "Expected a date as YYYY-MM-DD, such as 2026-01-31.",
                    "Verwacht een datum als JJJJ-MM-DD, zoals 2026-01-31."
                )
            ),
        )
    } else {
        ("", String::new())
    };
    body.push_str(&format!(
        "<form method=\"get\" action=\"/register/careers\"><input type=\"hidden\" name=\"lang\" value=\"{}\"><label for=\"date\">{}</label>{error}<input type=\"date\" id=\"date\" name=\"date\" value=\"{}\"{invalid}> <button type=\"submit\">{}</button></form>",
        code(lang),
        t(lang, "Right to work on", "Recht om te werken op"),
        esc(&shown),
        t(lang, "Show", "Tonen"),
    ));
    let Ok(date) = date else {
        return sig.page(
            StatusCode::UNPROCESSABLE_ENTITY,
            title,
            "/register/careers",
            &body,
        );
    };
    // One assessment of each household serves both the list and the report.
    let list = match sig
        .store
        .career_candidates(sig.actor(), &s.params, date)
        .await
    {
        Ok(l) => l,
        Err(e) => return store_error(lang, e),
    };
    let report = verblijf_store::CareerReport::of(date, &list);
    let path = format!("/register/careers?date={date}");
    if list.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            t(
                lang,
                "No partner has opted in.",
                "Er doet nog geen partner mee."
            )
        ));
        return sig.page(StatusCode::OK, title, &path, &body);
    }
    // The report: who may work freely.
    body.push_str(&format!(
        "<section aria-labelledby=\"free\"><h2 id=\"free\">{} {date}</h2><p>{}</p>",
        t(lang, "Who may work freely on", "Wie vrij mag werken op"),
        if lang == Lang::En {
            format!(
                "{} opted-in partner{}, of whom {} may work freely: any work, without a work permit (TWV) or salary criterion.",
                report.candidates,
                if report.candidates == 1 { "" } else { "s" },
                report.may_work_freely
            )
        } else {
            format!(
                "{} deelnemende partner{}, van wie {} vrij mag werken: elk werk, zonder tewerkstellingsvergunning (TWV) of salariscriterium.",
                report.candidates,
                if report.candidates == 1 { "" } else { "s" },
                report.may_work_freely
            )
        }
    ));
    body.push_str(&format!(
        "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "Opted-in partners by right to work", "Deelnemende partners naar recht om te werken"),
        t(lang, "May work", "Mag werken"),
        t(lang, "Number", "Aantal")
    ));
    for st in STATUSES {
        if let Some(n) = report.by_status.get(st.as_str()) {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{n}</td></tr>",
                esc(&status_text(lang, st))
            ));
        }
    }
    body.push_str("</tbody></table>");
    if !report.free.is_empty() {
        body.push_str(&format!(
            "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t(lang, "May work freely, the soonest end first", "Mag vrij werken, het eerste einde eerst"),
            t(lang, "Name", "Naam"),
            t(lang, "Until", "Tot en met"),
            t(lang, "Rests on", "Op grond van"),
            t(lang, "Available from", "Beschikbaar vanaf"),
            t(lang, "Hours a week", "Uren per week"),
        ));
        for f in &report.free {
            body.push_str(&format!(
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                href(lang, &format!("/register/people/{}", f.person_id)),
                esc(&f.name),
                f.until
                    .map(|u| u.to_string())
                    .unwrap_or_else(|| t(lang, "no end date known", "geen einddatum bekend").to_string()),
                esc(&basis_text(lang, f.basis)),
                esc(f.available_from.as_deref().unwrap_or("")),
                f.hours_per_week.map(|h| h.to_string()).unwrap_or_default(),
            ));
        }
        body.push_str("</tbody></table>");
    }
    body.push_str("</section>");
    // Everyone who opted in.
    body.push_str(&format!(
        "<section aria-labelledby=\"candidates\"><h2 id=\"candidates\">{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{} {date}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t(lang, "Opted-in partners", "Deelnemende partners"),
        t(lang, "Name", "Naam"),
        t(lang, "Household", "Huishouden"),
        t(lang, "May work on", "Mag werken op"),
        t(lang, "Profile", "Profiel"),
        t(lang, "Consent", "Toestemming"),
    ));
    for c in &list {
        let household = match (&c.household_id, &c.household) {
            (Some(h), Some(n)) => format!(
                "<a href=\"{}\">{}</a>",
                href(lang, &format!("/register/households/{h}")),
                esc(n)
            ),
            _ => String::new(),
        };
        body.push_str(&format!(
            "<tr><td><a href=\"{}\">{}</a></td><td>{household}</td><td>{}</td><td>{}</td><td>{}<br><span class=\"src\">{}</span></td></tr>",
            href(lang, &format!("/register/people/{}", c.person_id)),
            esc(&c.name),
            work_html(lang, c),
            candidate_profile_html(lang, &c.profile),
            esc(day(&c.consent_given_at)),
            esc(&c.consent_version),
        ));
    }
    body.push_str("</tbody></table></section>");
    sig.page(StatusCode::OK, title, &path, &body)
}
