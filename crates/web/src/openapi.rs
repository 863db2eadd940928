//! The OpenAPI 3.1 document, generated from the code: the case schema comes from the case types (schemars), the
//! operations from the table below, which names the handlers the router serves.

use axum::response::{Html, IntoResponse};
use axum::Json;
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};
use verblijf_rules::Case;

fn problem() -> Value {
    json!({ "description": "A problem (RFC 9457): what was wrong and what was expected.", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } })
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({ "description": desc, "content": { "application/json": { "schema": schema } } })
}

/// A register operation: bearer token, and the problems every register call can answer with.
fn register_op(
    id: &str,
    summary: &str,
    params: Vec<Value>,
    body: Option<&str>,
    responses: Value,
) -> Value {
    let mut op = json!({ "operationId": id, "summary": summary, "tags": ["register"], "security": [ { "bearer": [] } ], "parameters": params });
    if let Some(b) = body {
        op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{b}") } } } });
    }
    let mut r = responses;
    for code in ["401", "403", "404", "409", "422"] {
        r[code] = problem();
    }
    op["responses"] = r;
    op
}

fn person_id() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": "the person's id", "schema": { "type": "string" } })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The register's schemas for careers and settings.
fn register_schemas(schemas: &mut Map<String, Value>) {
    let text = json!({ "type": "string" });
    let opt_text = json!({ "type": ["string", "null"] });
    let opt_date = json!({ "type": ["string", "null"], "format": "date" });
    schemas.insert("ConsentInput".into(), json!({ "type": "object", "additionalProperties": false, "required": ["text", "version"],
        "description": "The consent the partner gave, recorded on their behalf by an owner or adviser.",
        "properties": { "text": { "type": "string", "description": "the text the partner agreed to, word for word" },
            "version": { "type": "string", "description": "the version of that text" },
            "given_at": { "type": "string", "description": "when the partner gave it: a date or an RFC 3339 time, not in the future (default: now)" } } }));
    schemas.insert("CareerProfileInput".into(), json!({ "type": "object", "additionalProperties": false,
        "properties": { "skills": { "type": "array", "maxItems": 50, "items": text },
            "languages": { "type": "array", "maxItems": 20, "items": text },
            "education_level": { "enum": verblijf_store::EDUCATION_LEVELS },
            "education_field": text, "available_from": { "type": "string", "format": "date" },
            "hours_per_week": { "type": "integer", "minimum": 1, "maximum": 60 }, "note": { "type": "string", "maxLength": 1000 } } }));
    schemas.insert("NewCareer".into(), json!({ "type": "object", "additionalProperties": false, "required": ["consent"],
        "properties": { "consent": schema_ref("ConsentInput"), "profile": schema_ref("CareerProfileInput") } }));
    schemas.insert("CareerProfile".into(), json!({ "type": "object",
        "properties": { "skills": { "type": "array", "items": text }, "languages": { "type": "array", "items": text },
            "education_level": opt_text, "education_field": opt_text, "available_from": opt_date,
            "hours_per_week": { "type": ["integer", "null"] }, "note": opt_text, "updated_at": text } }));
    schemas.insert("Career".into(), json!({ "type": "object", "description": "A person's consents (history, oldest first) and, while one is active, their profile.",
        "properties": { "person_id": text, "active": { "type": "boolean" },
            "consents": { "type": "array", "items": { "type": "object", "properties": {
                "id": text, "person_id": text, "given_at": text, "recorded_by": text, "version": text, "text": text,
                "withdrawn_at": opt_text, "withdrawn_by": opt_text } } },
            "profile": { "oneOf": [ schema_ref("CareerProfile"), { "type": "null" } ] } } }));
    schemas.insert("Candidates".into(), json!({ "type": "object", "properties": { "date": { "type": "string", "format": "date" },
        "candidates": { "type": "array", "items": { "type": "object", "properties": {
            "person_id": text, "name": text, "household_id": opt_text, "household": opt_text, "consent_given_at": text,
            "consent_version": text, "profile": schema_ref("CareerProfile"),
            "work_rights": { "type": ["object", "null"], "description": "the right to work on the date: status, basis, until, employer_needs, reason, citation" } } } } } }));
    schemas.insert("CareerReport".into(), json!({ "type": "object", "properties": {
        "date": { "type": "string", "format": "date" }, "candidates": { "type": "integer" }, "may_work_freely": { "type": "integer" },
        "by_status": { "type": "object", "additionalProperties": { "type": "integer" } },
        "free": { "type": "array", "items": { "type": "object", "properties": {
            "person_id": text, "name": text, "household": opt_text, "until": opt_date, "basis": text,
            "available_from": opt_date, "hours_per_week": { "type": ["integer", "null"] } } } } } }));
    let days =
        json!({ "type": "integer", "minimum": 0, "maximum": verblijf_store::MAX_WARNING_DAYS });
    let mut warning = Map::new();
    for (name, _) in verblijf_store::WarningDays::default().named() {
        warning.insert(name.into(), days.clone());
    }
    schemas.insert("Settings".into(), json!({ "type": "object", "additionalProperties": false,
        "description": "Days of warning before each kind of deadline; a field left out takes its default.",
        "properties": { "warning_days": { "type": "object", "additionalProperties": false, "properties": warning } } }));
    schemas.insert("Alerts".into(), json!({ "type": "object", "properties": { "date": { "type": "string", "format": "date" },
        "alerts": { "type": "array", "items": { "type": "object", "properties": {
            "date": { "type": "string", "format": "date" }, "household_id": text, "household": text, "person_id": text, "person": text,
            "kind": text, "what": { "type": "object" }, "warn_from": { "type": "string", "format": "date" }, "due": { "type": "boolean" } } } } } }));
}

fn date_param(desc: &str) -> Value {
    json!({ "name": "date", "in": "query", "required": false, "description": desc, "schema": { "type": "string", "format": "date" } })
}

/// The document.
pub fn document() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    let root = settings.into_generator().into_root_schema_for::<Case>();
    let mut case = serde_json::to_value(&root).unwrap_or_default();
    let mut schemas: Map<String, Value> = case
        .pointer_mut("/components/schemas")
        .and_then(|v| v.as_object_mut().map(std::mem::take))
        .unwrap_or_default();
    if let Some(obj) = case.as_object_mut() {
        obj.remove("components");
        obj.remove("$schema");
        obj.remove("$id");
    }
    schemas.insert("Case".into(), case);
    register_schemas(&mut schemas);
    schemas.insert(
        "Problem".into(),
        json!({ "type": "object", "required": ["type", "title", "status", "detail"], "properties": {
            "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" },
            "field": { "type": "string", "description": "the path of the field at fault, such as person.birth_date" },
            "line": { "type": "integer" }, "column": { "type": "integer" } } }),
    );
    schemas.insert(
        "Receipt".into(),
        json!({ "type": "object", "required": ["engine", "params_hash", "reference_date"], "properties": {
            "engine": { "type": "string" }, "params_hash": { "type": "string" }, "reference_date": { "type": "string", "format": "date" }, "filing_date": { "type": "string", "format": "date" } } }),
    );
    schemas.insert(
        "Assessment".into(),
        json!({ "type": "object", "description": "One person: a decision per scheme (or, for a household, `members` with each person's assessment, right to work, conversions and deadlines).",
            "properties": {
                "receipt": { "$ref": "#/components/schemas/Receipt" },
                "eligible": { "type": "array", "items": { "type": "string" } },
                "decisions": { "type": "array", "items": { "type": "object", "properties": {
                    "scheme": { "type": "string" }, "outcome": { "enum": ["eligible", "not_eligible", "unknown", "not_applicable"] },
                    "checks": { "type": "array", "items": { "type": "object", "properties": {
                        "code": { "type": "string" }, "status": { "enum": ["pass", "fail", "unknown", "info"] },
                        "reason": { "type": "object", "properties": { "en": { "type": "string" }, "nl": { "type": "string" } } },
                        "citation": { "type": "object" } } } } } } },
                "members": { "type": "array", "items": { "type": "object" } },
                "deadlines": { "type": "array", "items": { "type": "object" } } } }),
    );
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Verblijf API", "version": env!("CARGO_PKG_VERSION"),
            "description": "Dutch skilled-migration rules as code: which permits a person or household qualifies for, who may work and until when, and why, citing the law. Guidance, not a decision of the IND." },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": {
            "/api/v1/assess": { "post": {
                "operationId": "assess", "summary": "Assess a case (one person or a household)",
                "parameters": [ date_param("assess on this date instead of the case's reference date") ],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Case" } } } },
                "responses": { "200": ok("The assessment, with its receipt", json!({ "$ref": "#/components/schemas/Assessment" })), "400": problem(), "413": problem(), "422": problem() } } },
            "/api/v1/can-work": { "post": {
                "operationId": "canWork", "summary": "May a person work on a date, and what does an employer need?",
                "parameters": [ { "name": "person", "in": "query", "required": false, "description": "the person's id (needed for a household)", "schema": { "type": "string" } }, date_param("the date to answer for") ],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Case" } } } },
                "responses": { "200": ok("The right to work", json!({ "type": "object", "properties": { "receipt": { "$ref": "#/components/schemas/Receipt" }, "work_rights": { "type": "object" } } })), "400": problem(), "422": problem() } } },
            "/api/v1/params": { "get": {
                "operationId": "paramsOn", "summary": "The parameters (law as data) in force on a date, with sources",
                "parameters": [ date_param("default: today") ],
                "responses": { "200": ok("Every parameter's value on the date", json!({ "type": "object" })), "400": problem() } } },
            "/api/v1/params/{id}": { "get": {
                "operationId": "paramHistory", "summary": "One parameter's history with sources",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" }, "example": "hsm.salary_30plus" } ],
                "responses": { "200": ok("The parameter", json!({ "type": "object" })), "404": problem() } } },
            "/api/v1/schema": { "get": {
                "operationId": "caseSchema", "summary": "The JSON Schema of the case format",
                "responses": { "200": ok("The schema", json!({ "type": "object" })) } } },
            "/api/v1/register/people/{id}/career": {
                "get": register_op("career", "A person's consent history and, while consent is active, their career profile", vec![person_id()], None,
                    json!({ "200": ok("The careers record", schema_ref("Career")) })),
                "post": register_op("giveCareerConsent", "Record a partner's consent to be seen as a candidate, with their profile (owner or adviser, on the partner's behalf)", vec![person_id()], Some("NewCareer"),
                    json!({ "201": ok("The careers record", schema_ref("Career")) })),
                "put": register_op("updateCareerProfile", "Replace the profile of a partner who has opted in", vec![person_id()], Some("CareerProfileInput"),
                    json!({ "200": ok("The careers record", schema_ref("Career")) })),
                "delete": register_op("withdrawCareerConsent", "Record that the partner withdrew consent: the consent ends (kept as history), the profile is deleted", vec![person_id()], None,
                    json!({ "200": ok("The careers record", schema_ref("Career")) })) },
            "/api/v1/register/careers": { "get": register_op("careerCandidates", "Partners who opted in, with their right to work on the date and until when it holds (no one else)",
                vec![date_param("default: today")], None, json!({ "200": ok("The candidates", schema_ref("Candidates")), "400": problem() })) },
            "/api/v1/register/careers/report": { "get": register_op("careerReport", "Which opted-in partners may work freely (no work permit, no salary criterion) on the date",
                vec![date_param("default: today")], None, json!({ "200": ok("The report", schema_ref("CareerReport")), "400": problem() })) },
            "/api/v1/register/settings": {
                "get": register_op("settings", "The organisation's settings: days of warning per kind of deadline", vec![], None,
                    json!({ "200": ok("The settings", schema_ref("Settings")) })),
                "put": register_op("updateSettings", "Replace the organisation's settings (owners only)", vec![], Some("Settings"),
                    json!({ "200": ok("The settings", schema_ref("Settings")) })) },
            "/api/v1/register/alerts": { "get": register_op("alerts", "Every deadline of the organisation's households from the date on, with the day its warning starts",
                vec![date_param("default: today"), json!({ "name": "due", "in": "query", "required": false, "description": "true: only deadlines whose warning period has started", "schema": { "type": "boolean" } })],
                None, json!({ "200": ok("The alerts", schema_ref("Alerts")), "400": problem() })) },
            "/healthz": { "get": { "operationId": "health", "summary": "Health", "responses": { "200": ok("Up", json!({ "type": "object" })) } } }
        },
        "components": { "schemas": schemas, "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "an API token of the organisation (from creating it, or signing in)" } } }
    })
}

pub async fn handler() -> Json<Value> {
    Json(document())
}

/// API documentation a person can read in the browser, rendered from the same document.
pub async fn docs() -> impl IntoResponse {
    let doc = document();
    let mut h = String::from("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Verblijf API</title><style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}code,pre{background:#f6f8fa;border-radius:4px}pre{padding:.8rem;overflow:auto}h2 code{font-size:1rem}.m{font-weight:bold;color:#0969da}</style></head><body><h1>Verblijf API</h1>");
    h.push_str(&format!("<p>{}</p><p>The machine-readable document: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code> and name the field at fault.</p>", doc["info"]["description"].as_str().unwrap_or_default()));
    if let Some(paths) = doc["paths"].as_object() {
        for (path, ops) in paths {
            if let Some(ops) = ops.as_object() {
                for (method, op) in ops {
                    h.push_str(&format!(
                        "<h2><span class=\"m\">{}</span> <code>{path}</code></h2><p>{}</p>",
                        method.to_uppercase(),
                        op["summary"].as_str().unwrap_or_default()
                    ));
                    if let Some(params) = op["parameters"].as_array() {
                        h.push_str("<ul>");
                        for p in params {
                            h.push_str(&format!(
                                "<li><code>{}</code> ({}): {}</li>",
                                p["name"].as_str().unwrap_or_default(),
                                p["in"].as_str().unwrap_or_default(),
                                p["description"].as_str().unwrap_or_default()
                            ));
                        }
                        h.push_str("</ul>");
                    }
                    let takes_case = op
                        .pointer("/requestBody/content/application~1json/schema/$ref")
                        .and_then(Value::as_str)
                        == Some("#/components/schemas/Case");
                    if method == "post" && takes_case {
                        h.push_str(&format!("<pre>curl -s -X POST http://127.0.0.1:8080{path} -H 'content-type: application/json' \\\n  -d '{{\"reference_date\":\"2026-03-02\",\"person\":{{\"birth_date\":\"1996-09-14\",\"job_offer\":{{\"recognised_sponsor\":true,\"gross_monthly_salary\":4500,\"contract_end\":\"indefinite\"}}}}}}'</pre>"));
                    }
                }
            }
        }
    }
    h.push_str("<p>The case format: <a href=\"/api/v1/schema\">JSON Schema</a>.</p></body></html>");
    Html(h)
}
