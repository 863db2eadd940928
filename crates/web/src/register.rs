//! The case register over HTTP (`/api/v1/register/...`): organisations, households, people, permits, contracts and
//! relationships, assessments kept as snapshots, export and erasure, the audit log, partner careers (consent,
//! profile, candidates and the report) and the organisation's settings. Every request but creating
//! an organisation carries `Authorization: Bearer <token>`; every read and write is checked against the token's
//! organisation and role by the store.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use verblijf_store::{
    Actor, CareerProfileInput, ConsentInput, ContractInput, PermitInput, PersonInput, Role, Store,
    StoreError,
};

use crate::error::Problem;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/register/organisations", post(create_organisation))
        .route("/api/v1/register/confirmations", post(confirm_sign_up))
        .route(
            "/api/v1/register/households",
            post(create_household).get(households),
        )
        .route(
            "/api/v1/register/households/{id}",
            get(household).put(update_household),
        )
        .route(
            "/api/v1/register/households/{id}/members",
            get(household_members),
        )
        .route(
            "/api/v1/register/households/{id}/relationships",
            get(household_relationships),
        )
        .route(
            "/api/v1/register/households/{id}/assess",
            post(assess_household),
        )
        .route(
            "/api/v1/register/households/{id}/assessments",
            get(assessments),
        )
        .route("/api/v1/register/households/{id}/changes", get(changes))
        .route("/api/v1/register/people", post(add_person).get(people))
        .route(
            "/api/v1/register/people/{id}",
            get(person).put(update_person).delete(erase_person),
        )
        .route("/api/v1/register/people/{id}/export", get(export_person))
        .route("/api/v1/register/people/{id}/permits", get(person_permits))
        .route(
            "/api/v1/register/people/{id}/contracts",
            get(person_contracts),
        )
        .route("/api/v1/register/permits", post(add_permit))
        .route(
            "/api/v1/register/permits/{id}",
            get(permit).put(update_permit),
        )
        .route("/api/v1/register/contracts", post(add_contract))
        .route(
            "/api/v1/register/contracts/{id}",
            get(contract).put(update_contract),
        )
        .route("/api/v1/register/relationships", post(add_relationship))
        .route(
            "/api/v1/register/relationships/{id}",
            get(relationship)
                .put(update_relationship)
                .delete(delete_relationship),
        )
        .route("/api/v1/register/audit", get(audit))
        .route("/api/v1/register/users", post(add_user))
        .route("/api/v1/register/login", post(login))
        .route("/api/v1/register/tokens", post(create_token).get(tokens))
        .route(
            "/api/v1/register/tokens/{id}",
            axum::routing::delete(revoke_token),
        )
        .route("/api/v1/register/feed-token", post(create_feed_token))
        .route("/api/v1/register/alerts", get(alerts))
        .route("/api/v1/register/alerts.ics", get(alerts_ics))
        .route(
            "/api/v1/register/people/{id}/career",
            get(career)
                .post(give_consent)
                .put(update_profile)
                .delete(withdraw_consent),
        )
        .route("/api/v1/register/careers", get(candidates))
        .route("/api/v1/register/careers/report", get(career_report))
        .route(
            "/api/v1/register/settings",
            get(settings).put(update_settings),
        )
        .route_layer(axum::middleware::from_fn(no_nul_in_uri))
}

/// Text in the register never holds the NUL character (PostgreSQL cannot store it): an id or query that does is
/// refused as such, before it reaches the database.
async fn no_nul_in_uri(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Result<Response, Problem> {
    let uri = req.uri();
    let has_nul = |s: &str| s.to_ascii_lowercase().contains("%00");
    if has_nul(uri.path()) {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "no record has an id with the NUL character",
        ));
    }
    if uri.query().is_some_and(has_nul) {
        return Err(Problem::bad_query(
            "query",
            "a query parameter holds the NUL character (U+0000)",
        ));
    }
    Ok(next.run(req).await)
}

/// The path of the first string (or key) in a JSON value that holds the NUL character.
fn nul_at(v: &Value, path: &str) -> Option<String> {
    match v {
        Value::String(s) => s.contains('\0').then(|| path.to_string()),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| nul_at(x, &format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_at(x, &here)
            }
        }),
        _ => None,
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::NotFound(what) => Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                format!("{what} not found"),
            ),
            StoreError::Forbidden(why) => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", why)
            }
            StoreError::Invalid { field, message, .. } => Problem {
                field: Some(field.clone()),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-field",
                    "A field is not valid",
                    format!("field `{field}`: {message}"),
                )
            },
            StoreError::Conflict(m) => {
                Problem::new(StatusCode::CONFLICT, "conflict", "Conflict", m)
            }
            StoreError::Unauthenticated => Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Not signed in",
                "send `Authorization: Bearer <token>` with a valid token",
            ),
            StoreError::Database(m) => {
                tracing::error!(error = %m, "register database error");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "register-unavailable",
                    "The register is unavailable",
                    "the database did not answer; try again",
                )
            }
        }
    }
}

pub(crate) fn store(s: &AppState) -> Result<Arc<Store>, Problem> {
    s.store.clone().ok_or_else(|| {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no-register",
            "No register",
            "this server runs without a register (start it with --db)",
        )
    })
}

/// The signed-in actor, from the bearer token.
pub struct Authed(pub Actor);

impl FromRequestParts<AppState> for Authed {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Self::Rejection> {
        let store = store(s)?;
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(StoreError::Unauthenticated)?;
        Ok(Authed(store.authenticate_token(token.trim()).await?))
    }
}

/// A write needs an owner or adviser: a viewer is refused before the body is read, whatever it holds.
fn writer(a: &Actor) -> Result<(), Problem> {
    match a.role {
        Role::Viewer => Err(StoreError::Forbidden("a viewer can only read".into()).into()),
        _ => Ok(()),
    }
}

/// An owner-only call: anyone else is refused before the body is read.
fn owner(a: &Actor, why: &str) -> Result<(), Problem> {
    match a.role {
        Role::Owner => Ok(()),
        _ => Err(StoreError::Forbidden(why.into()).into()),
    }
}

/// The longest text a JSON body may hold in one string, in characters (names have their own, shorter limit in the
/// store; a consent text or a note fits easily).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The path of the first string in a JSON value longer than [`MAX_TEXT_CHARS`], and its length.
fn too_long_at(v: &Value, path: &str) -> Option<(String, usize)> {
    match v {
        Value::String(s) => {
            let n = s.chars().count();
            (n > MAX_TEXT_CHARS).then(|| (path.to_string(), n))
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| too_long_at(x, &format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            too_long_at(x, &here)
        }),
        _ => None,
    }
}

/// Reads a JSON body into a type, with the field at fault named: its path (`consent.text`), which for an unknown
/// field ends in that field; a missing field's name is added to its parent's path.
fn body<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Problem> {
    if text.contains("\\u0000") || text.contains('\0') {
        if let Some(field) = serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| nul_at(&v, ""))
        {
            return Err(Problem {
                field: Some(field),
                ..Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-body",
                    "The request body is not valid",
                    "text may not hold the NUL character (U+0000)",
                )
            });
        }
    }
    if let Some((field, n)) = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| too_long_at(&v, ""))
    {
        return Err(Problem {
            field: Some(field),
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
                "The request body is not valid",
                format!("a text is at most {MAX_TEXT_CHARS} characters, found {n}"),
            )
        });
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.inner().to_string();
        let missing = (msg.starts_with("missing field") || msg.starts_with("duplicate field"))
            .then(|| msg.split('`').nth(1))
            .flatten();
        let field = match (missing, path.as_str()) {
            (Some(n), "." | "") => Some(n.to_string()),
            (Some(n), p) => Some(format!("{p}.{n}")),
            (None, "." | "") => None,
            (None, p) => Some(p.to_string()),
        };
        Problem {
            field,
            ..Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
                "The request body is not valid",
                msg,
            )
        }
    })?;
    // Nothing but white space may follow the JSON value (`{"name":"x"} trailing` is refused).
    de.end().map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-body",
            "The request body is not valid",
            format!("only one JSON value may be sent: {e}"),
        )
    })?;
    Ok(value)
}

fn created(v: Value) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewOrganisation {
    name: String,
    email: String,
    password: String,
}

async fn create_organisation(State(s): State<AppState>, text: String) -> Result<Response, Problem> {
    let b: NewOrganisation = body(&text)?;
    let store = store(&s)?;
    // With email, the organisation is created once its owner's address is confirmed; the answer is the same whether
    // the address is new or has an account, and only the email says which.
    if let Some(mailer) = s.mailer.clone() {
        let outcome = store.start_sign_up(&b.name, &b.email, &b.password).await?;
        let email = b.email.trim().to_lowercase();
        let (org, to) = (b.name.trim().to_string(), email.clone());
        tokio::spawn(async move {
            if let Err(e) = mailer
                .send_sign_up(verblijf_rules::Lang::En, &org, &to, &outcome)
                .await
            {
                tracing::warn!(error = %e, "the email answering a sign-up could not be sent");
            }
        });
        return Ok((
            StatusCode::ACCEPTED,
            Json(json!({
                "status": "confirmation_sent",
                "email": email,
                "expires_in_hours": verblijf_store::SIGN_UP_CONFIRM_HOURS,
            })),
        )
            .into_response());
    }
    let (org, owner) = store
        .create_organisation(&b.name, &b.email, &b.password)
        .await?;
    let token = store.create_token(&owner).await?;
    Ok(created(
        json!({ "organisation": org, "user": owner, "token": token }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Confirmation {
    token: String,
}

/// Confirms a sign-up with the token from its email: the organisation, its owner and an API token, as creating an
/// organisation gives them on a server without email.
async fn confirm_sign_up(State(s): State<AppState>, text: String) -> Result<Response, Problem> {
    let b: Confirmation = body(&text)?;
    let store = store(&s)?;
    let (org, owner) = store.confirm_sign_up(&b.token).await?;
    let token = store.create_token(&owner).await?;
    Ok(created(
        json!({ "organisation": org, "user": owner, "token": token }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Named {
    name: String,
}

async fn create_household(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Response, Problem> {
    writer(&a)?;
    let b: Named = body(&text)?;
    Ok(created(json!(
        store(&s)?.create_household(&a, &b.name).await?
    )))
}

async fn households(State(s): State<AppState>, Authed(a): Authed) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.households(&a).await?)))
}

async fn add_person(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Response, Problem> {
    writer(&a)?;
    let input: PersonInput = body(&text)?;
    Ok(created(json!(store(&s)?.add_person(&a, input).await?)))
}

#[derive(Deserialize)]
struct Search {
    search: Option<String>,
}

async fn people(
    State(s): State<AppState>,
    Authed(a): Authed,
    Query(q): Query<Search>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(
        store(&s)?.people(&a, q.search.as_deref()).await?
    )))
}

async fn person(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let st = store(&s)?;
    let p = st.person(&a, &id).await?;
    let permits = st.permits(&a, &id).await?;
    Ok(Json(json!({ "person": p, "permits": permits })))
}

async fn erase_person(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    writer(&a)?;
    store(&s)?.erase_person(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn export_person(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(store(&s)?.export_person(&a, &id).await?))
}

async fn add_permit(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Response, Problem> {
    writer(&a)?;
    let input: PermitInput = body(&text)?;
    Ok(created(json!(store(&s)?.add_permit(&a, input).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewContract {
    person_id: String,
    #[serde(default)]
    employer: Option<String>,
    #[serde(default)]
    gross_monthly_salary: Option<verblijf_rules::Money>,
    #[serde(default)]
    start_date: Option<String>,
    #[serde(default)]
    end_date: Option<String>,
}

async fn add_contract(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Response, Problem> {
    writer(&a)?;
    let b: NewContract = body(&text)?;
    let c = store(&s)?
        .add_contract(
            &a,
            &b.person_id,
            b.employer,
            b.gross_monthly_salary.map(|m| m.cents()),
            b.start_date,
            b.end_date,
        )
        .await?;
    Ok(created(json!(c)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRelationship {
    kind: String,
    a: String,
    b: String,
    #[serde(default)]
    form: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    until: Option<String>,
}

async fn add_relationship(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Response, Problem> {
    writer(&a)?;
    let r: NewRelationship = body(&text)?;
    let id = store(&s)?
        .add_relationship(&a, &r.kind, &r.a, &r.b, r.form.as_deref(), r.from, r.until)
        .await?;
    Ok(created(json!({ "id": id })))
}

async fn relationship(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.relationship(&a, &id).await?)))
}

/// The body of a relationship's change: its form and dates (who it links, and how, stay).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationshipChange {
    #[serde(default)]
    form: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    until: Option<String>,
}

/// Replaces a relationship's form and dates: a partnership that ended gets its `until`.
async fn update_relationship(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    text: String,
) -> Result<Json<Value>, Problem> {
    writer(&a)?;
    let b: RelationshipChange = body(&text)?;
    Ok(Json(json!(
        store(&s)?
            .update_relationship(&a, &id, b.form, b.from, b.until)
            .await?
    )))
}

/// Removes a link recorded in error.
async fn delete_relationship(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    writer(&a)?;
    store(&s)?.delete_relationship(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn household(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.household(&a, &id).await?)))
}

async fn update_household(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    text: String,
) -> Result<Json<Value>, Problem> {
    writer(&a)?;
    let b: Named = body(&text)?;
    Ok(Json(json!(
        store(&s)?.update_household(&a, &id, &b.name).await?
    )))
}

async fn household_members(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.household_members(&a, &id).await?)))
}

async fn household_relationships(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.relationships(&a, &id).await?)))
}

async fn update_person(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    text: String,
) -> Result<Json<Value>, Problem> {
    writer(&a)?;
    let input: PersonInput = body(&text)?;
    Ok(Json(json!(store(&s)?.update_person(&a, &id, input).await?)))
}

async fn person_permits(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.permits(&a, &id).await?)))
}

async fn person_contracts(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.contracts(&a, &id).await?)))
}

async fn permit(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.permit(&a, &id).await?)))
}

/// Replaces a permit (also which person holds it, within the organisation).
async fn update_permit(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    text: String,
) -> Result<Json<Value>, Problem> {
    writer(&a)?;
    let input: PermitInput = body(&text)?;
    Ok(Json(json!(store(&s)?.update_permit(&a, &id, input).await?)))
}

async fn contract(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.contract(&a, &id).await?)))
}

/// The body of a contract's change: as when adding one, without the person (a contract stays with its person).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractChange {
    #[serde(default)]
    employer: Option<String>,
    #[serde(default)]
    gross_monthly_salary: Option<verblijf_rules::Money>,
    #[serde(default)]
    start_date: Option<String>,
    #[serde(default)]
    end_date: Option<String>,
}

/// Replaces a contract's employer, salary and dates.
async fn update_contract(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    text: String,
) -> Result<Json<Value>, Problem> {
    writer(&a)?;
    let b: ContractChange = body(&text)?;
    let c = ContractInput {
        employer: b.employer,
        gross_monthly_salary_cents: b.gross_monthly_salary.map(|m| m.cents()),
        start_date: b.start_date,
        end_date: b.end_date,
    };
    Ok(Json(json!(store(&s)?.update_contract(&a, &id, c).await?)))
}

#[derive(Deserialize)]
struct DateQuery {
    date: Option<String>,
}

/// Assesses a household as it stands in the register, keeps the answer as a snapshot, and returns both.
async fn assess_household(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    Query(q): Query<DateQuery>,
) -> Result<Response, Problem> {
    writer(&a)?;
    let (snap, result) = assess_and_keep(&s, &a, &id, q.date).await?;
    Ok(created(
        json!({ "snapshot": snap.id, "assessment": result }),
    ))
}

/// Assesses a household on `date` (default today) and keeps the answer as a snapshot.
pub(crate) async fn assess_and_keep(
    s: &AppState,
    a: &Actor,
    id: &str,
    date: Option<String>,
) -> Result<(verblijf_store::AssessmentRecord, Value), Problem> {
    let st = store(s)?;
    let date = date.unwrap_or_else(|| chrono::Utc::now().date_naive().to_string());
    if date.parse::<chrono::NaiveDate>().is_err() {
        return Err(Problem::bad_query(
            "date",
            format!("expected a date YYYY-MM-DD, found {date:?}"),
        ));
    }
    let case = st.household_case(a, id, &date).await?;
    let case = verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
        .map_err(|e| Problem::bad_case(&e))?;
    let h = verblijf_rules::assess_household(&case, &s.params);
    let result = serde_json::to_value(&h).map_err(|e| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            e.to_string(),
        )
    })?;
    let snap = st
        .save_assessment(
            a,
            id,
            &date,
            h.receipt.engine,
            &h.receipt.params_hash,
            &result,
        )
        .await?;
    Ok((snap, result))
}

async fn assessments(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.assessments(&a, &id).await?)))
}

async fn audit(State(s): State<AppState>, Authed(a): Authed) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.audit_log(&a).await?)))
}

/// Every deadline of every household in the actor's organisation from `date` on.
pub async fn organisation_alerts(
    s: &AppState,
    a: &Actor,
    date: chrono::NaiveDate,
) -> Result<verblijf_store::AlertList, Problem> {
    Ok(store(s)?.alert_list(a, &s.params, date).await?)
}

#[derive(Deserialize)]
struct AlertQuery {
    date: Option<String>,
    token: Option<String>,
    lang: Option<String>,
    due: Option<String>,
}

fn alert_date(q: &AlertQuery) -> Result<chrono::NaiveDate, Problem> {
    query_date(&q.date)
}

/// A `?date=` query, today when absent.
fn query_date(d: &Option<String>) -> Result<chrono::NaiveDate, Problem> {
    match d {
        None => Ok(chrono::Utc::now().date_naive()),
        Some(d) => d.parse().map_err(|_| {
            Problem::bad_query("date", format!("expected a date YYYY-MM-DD, found {d:?}"))
        }),
    }
}

/// `?due=true`: only the alerts whose warning period (the organisation's settings) has started.
fn query_due(d: &Option<String>) -> Result<bool, Problem> {
    match d.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(Problem::bad_query(
            "due",
            format!("expected true or false, found {other:?}"),
        )),
    }
}

async fn alerts(
    State(s): State<AppState>,
    Authed(a): Authed,
    Query(q): Query<AlertQuery>,
) -> Result<Json<Value>, Problem> {
    let date = alert_date(&q)?;
    let due = query_due(&q.due)?;
    let mut list = organisation_alerts(&s, &a, date).await?;
    if due {
        list.alerts.retain(|al| al.due);
    }
    Ok(Json(
        json!({ "date": date, "alerts": list.alerts, "unreadable": list.unreadable }),
    ))
}

/// The organisation's deadlines as an iCalendar feed for calendar apps. Calendar apps cannot send headers, so a
/// token may come as `?token=`: only a calendar feed token (`POST /api/v1/register/feed-token`), which opens this
/// feed and nothing else, so a leaked calendar URL gives no access to the API. An API token is accepted in the
/// `Authorization` header. The server never logs query strings.
async fn alerts_ics(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<AlertQuery>,
) -> Result<Response, Problem> {
    let st = store(&s)?;
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let a = match (&q.token, bearer) {
        (Some(t), _) => st.authenticate_feed_token(t.trim()).await?,
        (None, Some(t)) => st.authenticate_token(t.trim()).await?,
        (None, None) => return Err(StoreError::Unauthenticated.into()),
    };
    let date = alert_date(&q)?;
    let lang: verblijf_rules::Lang = q
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or_default();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut ics = Ics::default();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Verblijf//Register//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Verblijf",
    ] {
        ics.line(l);
    }
    let list = organisation_alerts(&s, &a, date).await?;
    // A household whose records cannot be read is an event on the feed's date, so that it is seen and corrected.
    for u in &list.unreadable {
        let day = date.format("%Y%m%d");
        let next = (date + chrono::Duration::days(1)).format("%Y%m%d");
        let summary = format!("{}: a record needs correcting ({})", u.household, u.field);
        ics.line("BEGIN:VEVENT");
        ics.line(&format!(
            "UID:{}-unreadable-{day}@verblijf",
            ics_text(&u.household_id)
        ));
        ics.line(&format!("DTSTAMP:{stamp}"));
        ics.line(&format!("DTSTART;VALUE=DATE:{day}"));
        ics.line(&format!("DTEND;VALUE=DATE:{next}"));
        ics.line(&format!("SUMMARY:{}", ics_text(&summary)));
        ics.line(&format!("DESCRIPTION:{}", ics_text(&u.message)));
        ics.line("END:VEVENT");
    }
    for al in list.alerts {
        let day = al.date.format("%Y%m%d");
        let next = (al.date + chrono::Duration::days(1)).format("%Y%m%d");
        let summary = format!("{}: {}", al.person, al.kind.replace('_', " "));
        // The calendar reminds at the start of the organisation's warning period for this kind of deadline.
        let warn = (al.date - al.warn_from).num_days();
        ics.line("BEGIN:VEVENT");
        ics.line(&format!(
            "UID:{}-{}-{day}@verblijf",
            ics_text(&al.person_id),
            al.kind
        ));
        ics.line(&format!("DTSTAMP:{stamp}"));
        ics.line(&format!("DTSTART;VALUE=DATE:{day}"));
        ics.line(&format!("DTEND;VALUE=DATE:{next}"));
        ics.line(&format!("SUMMARY:{}", ics_text(&summary)));
        ics.line(&format!("DESCRIPTION:{}", ics_text(al.what.get(lang))));
        ics.line("BEGIN:VALARM");
        ics.line("ACTION:DISPLAY");
        ics.line(&format!("DESCRIPTION:{}", ics_text(&summary)));
        ics.line(&format!("TRIGGER:-P{warn}D"));
        ics.line("END:VALARM");
        ics.line("END:VEVENT");
    }
    ics.line("END:VCALENDAR");
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        ics.0,
    )
        .into_response())
}

/// An iCalendar document being written: content lines ending in CRLF, folded at 75 octets (RFC 5545 section 3.1).
#[derive(Default)]
struct Ics(String);

impl Ics {
    /// Adds one content line, folded: a line longer than 75 octets goes on in lines that start with a space, never
    /// splitting a UTF-8 character.
    fn line(&mut self, l: &str) {
        let mut width = 0;
        for c in l.chars() {
            if width + c.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += c.len_utf8();
        }
        self.0.push_str("\r\n");
    }
}

/// Escapes text for an iCalendar TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and comma are escaped,
/// every line break (CRLF, LF or a bare CR) becomes `\n`, and other control characters, which a TEXT value may not
/// hold, are dropped; so no text can end a line and start a property or an event of its own.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUser {
    email: String,
    password: String,
    role: String,
}

/// Adds a user to the organisation (owners only).
async fn add_user(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Response, Problem> {
    owner(&a, "only an owner manages users")?;
    let b: NewUser = body(&text)?;
    let role = match b.role.as_str() {
        "owner" => verblijf_store::Role::Owner,
        "adviser" => verblijf_store::Role::Adviser,
        "viewer" => verblijf_store::Role::Viewer,
        other => {
            return Err(StoreError::Invalid {
                field: "role".into(),
                message: format!("expected owner, adviser or viewer, found {other:?}"),
                nl: format!("verwacht owner, adviser of viewer, gevonden {other:?}"),
            }
            .into())
        }
    };
    let u = store(&s)?.add_user(&a, &b.email, &b.password, role).await?;
    Ok(created(json!(u)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    email: String,
    password: String,
}

/// Signs in and returns a new API token. Attempts are counted before the password is checked and limited per
/// client address and account ([`crate::login_limit`]).
async fn login(
    State(s): State<AppState>,
    crate::ClientAddr(addr): crate::ClientAddr,
    text: String,
) -> Result<Response, Problem> {
    let b: Credentials = body(&text)?;
    let attempt = match s.login_limits.begin(addr, &b.email) {
        Ok(a) => a,
        Err(wait) => {
            let secs = crate::retry_after_secs(wait);
            return Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, secs.to_string())],
                Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-attempts",
                    "Too many attempts",
                    format!(
                        "too many failed sign-ins from here for this address; wait {secs} seconds"
                    ),
                ),
            )
                .into_response());
        }
    };
    let st = store(&s)?;
    let actor = st.login(&b.email, &b.password).await?;
    s.login_limits.succeeded(attempt);
    let token = st.create_token(&actor).await?;
    Ok(created(json!({ "token": token, "user": actor })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
    #[serde(default = "default_token_days")]
    expires_in_days: i64,
}

fn default_token_days() -> i64 {
    90
}

/// Creates a named API token that expires (any role: it carries the user's own role).
async fn create_token(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Response, Problem> {
    let b: NewToken = body(&text)?;
    let (info, token) = store(&s)?
        .create_named_token(&a, &b.name, b.expires_in_days)
        .await?;
    Ok(created(json!({ "token": token, "info": info })))
}

/// The user's own tokens (an owner's: all of the organisation's), never the tokens themselves.
async fn tokens(State(s): State<AppState>, Authed(a): Authed) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.tokens(&a).await?)))
}

/// Revokes a token at once.
async fn revoke_token(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    store(&s)?.revoke_token(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new calendar feed token for the user (the previous one stops working), with the feed's path.
async fn create_feed_token(
    State(s): State<AppState>,
    Authed(a): Authed,
) -> Result<Response, Problem> {
    let (info, token) = store(&s)?.create_feed_token(&a).await?;
    Ok(created(json!({
        "token": token,
        "info": info,
        "path": format!("/api/v1/register/alerts.ics?token={token}")
    })))
}

/// Re-runs a household under the parameters in force now and says what changed since its last kept assessment:
/// whether the law (parameter set) changed, and every outcome and right to work that differs.
async fn changes(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    Query(q): Query<DateQuery>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(changes_since_last(&s, &a, &id, q.date).await?))
}

/// What changed since a household's last kept assessment, on `date` (default: the date of that assessment, or
/// today when there is none).
pub(crate) async fn changes_since_last(
    s: &AppState,
    a: &Actor,
    id: &str,
    date: Option<String>,
) -> Result<Value, Problem> {
    let st = store(s)?;
    let last = st.assessments(a, id).await?.pop();
    let date = match (&date, &last) {
        (Some(d), _) => d.clone(),
        (None, Some(l)) => l.reference_date.clone(),
        (None, None) => chrono::Utc::now().date_naive().to_string(),
    };
    if date.parse::<chrono::NaiveDate>().is_err() {
        return Err(Problem::bad_query(
            "date",
            format!("expected a date YYYY-MM-DD, found {date:?}"),
        ));
    }
    let case = st.household_case(a, id, &date).await?;
    let case = verblijf_rules::parse_case(&case.to_string(), verblijf_rules::Format::Json)
        .map_err(|e| Problem::bad_case(&e))?;
    let now =
        serde_json::to_value(verblijf_rules::assess_household(&case, &s.params)).map_err(|e| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                e.to_string(),
            )
        })?;
    let Some(last) = last else {
        return Ok(
            json!({ "previous": null, "params_changed": null, "changes": [], "assessment": now }),
        );
    };
    let summary = |v: &Value| -> std::collections::BTreeMap<(String, String), String> {
        let mut m = std::collections::BTreeMap::new();
        for member in v["members"].as_array().into_iter().flatten() {
            let who = member["id"].as_str().unwrap_or_default().to_string();
            for d in member["assessment"]["decisions"]
                .as_array()
                .into_iter()
                .flatten()
            {
                m.insert(
                    (
                        who.clone(),
                        d["scheme"].as_str().unwrap_or_default().to_string(),
                    ),
                    d["outcome"].as_str().unwrap_or_default().to_string(),
                );
            }
            m.insert(
                (who.clone(), "work_rights".into()),
                member["work_rights"]["status"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        m
    };
    let (before, after) = (summary(&last.result), summary(&now));
    let changes: Vec<Value> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|((who, what), v)| json!({ "person": who, "what": what, "before": before.get(&(who.clone(), what.clone())), "after": v }))
        .collect();
    Ok(json!({
        "previous": { "snapshot": last.id, "params_hash": last.params_hash, "reference_date": last.reference_date },
        "params_changed": last.params_hash != s.params.hash(),
        "changes": changes,
        "assessment": now
    }))
}

async fn career(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.career(&a, &id).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCareer {
    consent: ConsentInput,
    #[serde(default)]
    profile: CareerProfileInput,
}

/// Records a partner's consent (given to the organisation, recorded by an owner or adviser) and their profile.
async fn give_consent(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    text: String,
) -> Result<Response, Problem> {
    writer(&a)?;
    let b: NewCareer = body(&text)?;
    Ok(created(json!(
        store(&s)?
            .give_career_consent(&a, &id, b.consent, b.profile)
            .await?
    )))
}

async fn update_profile(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
    text: String,
) -> Result<Json<Value>, Problem> {
    writer(&a)?;
    let p: CareerProfileInput = body(&text)?;
    Ok(Json(json!(
        store(&s)?.update_career_profile(&a, &id, p).await?
    )))
}

/// Records a withdrawal: the consent ends (kept as history) and the profile is deleted.
async fn withdraw_consent(
    State(s): State<AppState>,
    Authed(a): Authed,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    writer(&a)?;
    Ok(Json(json!(
        store(&s)?.withdraw_career_consent(&a, &id).await?
    )))
}

#[derive(Deserialize)]
struct CareerQuery {
    date: Option<String>,
}

/// Opted-in partners with their right to work on the date.
async fn candidates(
    State(s): State<AppState>,
    Authed(a): Authed,
    Query(q): Query<CareerQuery>,
) -> Result<Json<Value>, Problem> {
    let date = query_date(&q.date)?;
    let list = store(&s)?.career_candidates(&a, &s.params, date).await?;
    Ok(Json(json!({ "date": date, "candidates": list })))
}

/// Which opted-in partners may work freely on the date.
async fn career_report(
    State(s): State<AppState>,
    Authed(a): Authed,
    Query(q): Query<CareerQuery>,
) -> Result<Json<Value>, Problem> {
    let date = query_date(&q.date)?;
    Ok(Json(json!(
        store(&s)?.career_report(&a, &s.params, date).await?
    )))
}

async fn settings(State(s): State<AppState>, Authed(a): Authed) -> Result<Json<Value>, Problem> {
    Ok(Json(json!(store(&s)?.settings(&a).await?)))
}

/// Replaces the organisation's settings (owners only); fields left out take their defaults.
async fn update_settings(
    State(s): State<AppState>,
    Authed(a): Authed,
    text: String,
) -> Result<Json<Value>, Problem> {
    owner(&a, "only an owner changes the organisation's settings")?;
    let v: Value = body(&text)?;
    Ok(Json(json!(store(&s)?.update_settings_json(&a, &v).await?)))
}
