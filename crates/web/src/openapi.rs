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

/// A register operation anyone may call (creating an organisation, signing in): no token.
fn public_op(id: &str, summary: &str, body: &str, responses: Value) -> Value {
    let mut op = register_op(id, summary, vec![], Some(body), responses);
    op["security"] = json!([]);
    if let Some(r) = op["responses"].as_object_mut() {
        r.remove("401");
        r.remove("403");
        r.remove("404");
    }
    op
}

fn path_id(what: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": format!("the {what}'s id"), "schema": { "type": "string" } })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": schema_ref(name) })
}

fn person_id() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": "the person's id", "schema": { "type": "string" } })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The register's schemas: its records, the bodies it reads, careers and settings.
fn register_schemas(schemas: &mut Map<String, Value>) {
    let text = json!({ "type": "string" });
    let opt_text = json!({ "type": ["string", "null"] });
    let opt_date = json!({ "type": ["string", "null"], "format": "date" });
    let date = json!({ "type": "string", "format": "date" });
    let object = |required: &[&str], properties: Value| json!({ "type": "object", "additionalProperties": false, "required": required, "properties": properties });
    let record = |properties: Value| json!({ "type": "object", "properties": properties });
    let role = json!({ "enum": ["owner", "adviser", "viewer"] });
    let permit_kind = schemas
        .get("PermitKind")
        .map(|_| schema_ref("PermitKind"))
        .unwrap_or_else(|| text.clone());
    schemas.insert("NewOrganisation".into(), object(&["name", "email", "password"], json!({
        "name": text, "email": { "type": "string", "format": "email" }, "password": { "type": "string", "minLength": 10 } })));
    schemas.insert(
        "Organisation".into(),
        record(json!({ "id": text, "name": text })),
    );
    schemas.insert(
        "User".into(),
        record(json!({ "user_id": text, "organisation_id": text, "role": role })),
    );
    schemas.insert(
        "OrganisationCreated".into(),
        record(
            json!({ "organisation": schema_ref("Organisation"), "user": schema_ref("User"),
        "token": { "type": "string", "description": "an API token for the owner, shown once" } }),
        ),
    );
    schemas.insert(
        "ConfirmationSent".into(),
        record(
            json!({ "status": { "type": "string", "enum": ["confirmation_sent"] },
        "email": text, "expires_in_hours": { "type": "integer" } }),
        ),
    );
    schemas.insert(
        "Confirmation".into(),
        object(
            &["token"],
            json!({ "token": { "type": "string", "description": "the token of the link in the sign-up's email" } }),
        ),
    );
    schemas.insert("NewUser".into(), object(&["email", "password", "role"], json!({
        "email": { "type": "string", "format": "email" }, "password": { "type": "string", "minLength": 10 }, "role": role })));
    schemas.insert(
        "Credentials".into(),
        object(
            &["email", "password"],
            json!({ "email": text, "password": text }),
        ),
    );
    schemas.insert("SignedIn".into(), record(json!({ "token": { "type": "string", "description": "a new API token, shown once" }, "user": schema_ref("User") })));
    schemas.insert(
        "HouseholdInput".into(),
        object(&["name"], json!({ "name": text })),
    );
    schemas.insert(
        "Household".into(),
        record(json!({ "id": text, "name": text })),
    );
    schemas.insert("PersonInput".into(), object(&["name"], json!({
        "household_id": opt_text, "name": text,
        "bsn": { "type": ["string", "null"], "description": "citizen service number: nine digits that pass the eleven-test" },
        "birth_date": opt_date,
        "nationality": { "type": ["string", "null"], "description": "ISO 3166-1 alpha-2, such as IN" } })));
    schemas.insert(
        "Person".into(),
        record(
            json!({ "id": text, "household_id": opt_text, "name": text, "bsn": opt_text,
        "birth_date": opt_date, "nationality": opt_text, "erased": { "type": "boolean" } }),
        ),
    );
    schemas.insert(
        "PersonWithPermits".into(),
        record(json!({ "person": schema_ref("Person"), "permits": array_of("Permit") })),
    );
    schemas.insert("PermitInput".into(), object(&["person_id", "kind", "valid_from"], json!({
        "person_id": text, "kind": permit_kind, "document_number": opt_text, "valid_from": date, "valid_until": opt_date,
        "sponsor_person_id": { "type": ["string", "null"], "description": "for a family-member permit: the sponsor's id" },
        "restriction_text": opt_text })));
    schemas.insert("Permit".into(), record(json!({ "id": text, "person_id": text, "kind": text, "document_number": opt_text,
        "valid_from": date, "valid_until": opt_date, "sponsor_person_id": opt_text, "restriction_text": opt_text })));
    let salary = json!({ "oneOf": [ schema_ref("Money"), { "type": "null" } ], "description": "gross a month, excluding holiday allowance" });
    schemas.insert("ContractInput".into(), object(&["person_id"], json!({
        "person_id": text, "employer": opt_text, "gross_monthly_salary": salary, "start_date": opt_date,
        "end_date": { "type": ["string", "null"], "format": "date", "description": "not before start_date; none: indefinite" } })));
    schemas.insert("ContractChange".into(), object(&[], json!({
        "employer": opt_text, "gross_monthly_salary": salary, "start_date": opt_date,
        "end_date": { "type": ["string", "null"], "format": "date", "description": "not before start_date; none: indefinite" } })));
    schemas.insert("Contract".into(), record(json!({ "id": text, "person_id": text, "employer": opt_text,
        "gross_monthly_salary_cents": { "type": ["integer", "null"] }, "start_date": opt_date, "end_date": opt_date })));
    schemas.insert("RelationshipInput".into(), object(&["kind", "a", "b"], json!({
        "kind": { "enum": ["partner", "child"], "description": "partner (a and b), or child (a is the parent of b)" },
        "a": text, "b": { "type": "string", "description": "someone other than a" },
        "form": { "enum": ["married", "registered", "unmarried", null], "description": "a partner link's form (default married); a child link has none" },
        "from": opt_date, "until": { "type": ["string", "null"], "format": "date", "description": "not before from" } })));
    schemas.insert("RelationshipChange".into(), object(&[], json!({
        "form": { "enum": ["married", "registered", "unmarried", null], "description": "a partner link's form; a child link has none" },
        "from": opt_date, "until": { "type": ["string", "null"], "format": "date", "description": "not before from" } })));
    schemas.insert(
        "Relationship".into(),
        record(
            json!({ "id": text, "kind": text, "person_a": text, "person_b": text,
        "form": opt_text, "from": opt_date, "until": opt_date }),
        ),
    );
    schemas.insert("Created".into(), record(json!({ "id": text })));
    schemas.insert(
        "Snapshot".into(),
        record(
            json!({ "id": text, "household_id": text, "reference_date": date, "engine": text,
        "params_hash": text, "result": schema_ref("Assessment"), "created_at": text }),
        ),
    );
    schemas.insert(
        "Assessed".into(),
        record(
            json!({ "snapshot": { "type": "string", "description": "the id of the kept snapshot" },
        "assessment": schema_ref("Assessment") }),
        ),
    );
    schemas.insert("Changes".into(), record(json!({
        "previous": { "type": ["object", "null"], "properties": { "snapshot": text, "params_hash": text, "reference_date": date } },
        "params_changed": { "type": ["boolean", "null"] },
        "changes": { "type": "array", "items": { "type": "object", "properties": { "person": text, "what": text, "before": opt_text, "after": text } } },
        "assessment": schema_ref("Assessment") })));
    schemas.insert("Export".into(), record(json!({ "person": schema_ref("Person"), "permits": array_of("Permit"),
        "contracts": { "type": "array", "items": { "type": "object" } }, "career": { "type": "object" },
        "assessments": { "type": "array", "description": "every kept assessment that mentions the person, with their part of it", "items": { "type": "object", "properties": {
            "id": text, "household_id": text, "reference_date": date, "engine": text, "params_hash": text, "created_at": text,
            "member": { "type": ["object", "null"] } } } } })));
    schemas.insert(
        "AuditEntry".into(),
        record(
            json!({ "seq": { "type": "integer" }, "actor": opt_text, "action": text, "entity": text,
        "entity_id": text, "before": {}, "after": {}, "at": text }),
        ),
    );
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
    let token_info = json!({ "type": "object", "properties": { "id": text, "user_id": text, "name": { "type": ["string", "null"] },
        "scope": { "type": "string", "enum": ["api", "feed"] }, "created_at": text, "expires_at": { "type": ["string", "null"] }, "revoked_at": { "type": ["string", "null"] } } });
    schemas.insert("TokenInfo".into(), token_info);
    schemas.insert("NewToken".into(), json!({ "type": "object", "additionalProperties": false, "required": ["name"],
        "properties": { "name": { "type": "string", "minLength": 1, "maxLength": 100 }, "expires_in_days": { "type": "integer", "minimum": 1, "maximum": 366 } } }));
    schemas.insert("TokenCreated".into(), json!({ "type": "object", "properties": { "token": text, "info": schema_ref("TokenInfo") } }));
    schemas.insert("FeedTokenCreated".into(), json!({ "type": "object", "properties": { "token": text, "info": schema_ref("TokenInfo"), "path": text } }));
    schemas.insert("Alerts".into(), json!({ "type": "object", "properties": { "date": { "type": "string", "format": "date" },
        "alerts": { "type": "array", "items": { "type": "object", "properties": {
            "date": { "type": "string", "format": "date" }, "household_id": text, "household": text, "person_id": text, "person": text,
            "kind": text, "what": { "type": "object" }, "warn_from": { "type": "string", "format": "date" }, "due": { "type": "boolean" } } } },
        "unreadable": { "type": "array", "description": "Households whose records do not make a valid case: left out of the alerts until corrected",
            "items": { "type": "object", "properties": { "household_id": text, "household": text, "field": text, "message": text } } } } }));
}

/// The register's records: organisations, users, households, people, permits, contracts, links, snapshots,
/// export, erasure, the audit log and the calendar feed (careers, settings and alerts are in [`document`]).
fn register_paths() -> Map<String, Value> {
    let mut paths = Map::new();
    paths.insert("/api/v1/register/organisations".into(), json!({ "post": public_op("createOrganisation", "Create a register: an organisation and its owner, with the owner's first API token. On a server that sends email (--smtp-url), the answer is 202 whether or not the address has an account, and the email carries the link that confirms it (see confirmSignUp)", "NewOrganisation",
                json!({ "201": ok("The organisation, its owner and a token (a server without email)", schema_ref("OrganisationCreated")),
                        "202": ok("An email was sent to the address (a server with email)", schema_ref("ConfirmationSent")) })) }));
    let mut confirm = public_op("confirmSignUp", "Confirm a sign-up with the token of the link in its email (valid 24 hours, once): the organisation, its owner and a token", "Confirmation",
                json!({ "201": ok("The organisation, its owner and a token", schema_ref("OrganisationCreated")) }));
    // An unknown, used or expired link.
    confirm["responses"]["404"] = problem();
    paths.insert(
        "/api/v1/register/confirmations".into(),
        json!({ "post": confirm }),
    );
    paths.insert("/api/v1/register/login".into(), json!({ "post": public_op("login", "Sign in and get a new API token (failed attempts are limited per address)", "Credentials",
                json!({ "201": ok("A token", schema_ref("SignedIn")), "401": problem(), "429": problem() })) }));
    paths.insert("/api/v1/register/tokens".into(), json!({
                "get": register_op("tokens", "The user's own API and feed tokens (an owner's: all of the organisation's), never the tokens themselves", vec![], None, json!({ "200": ok("The tokens", array_of("TokenInfo")) })),
                "post": register_op("createToken", "Create a named API token with an expiry (1 to 366 days, default 90); it carries the user's role", vec![], Some("NewToken"), json!({ "201": ok("The token, shown once", schema_ref("TokenCreated")) })) }));
    paths.insert("/api/v1/register/tokens/{id}".into(), json!({ "delete": register_op("revokeToken", "Revoke a token at once (one's own; an owner: any of the organisation's). Signing out of the web pages does not revoke API tokens", vec![path_id("token")], None,
                json!({ "204": { "description": "Revoked" } })) }));
    paths.insert("/api/v1/register/feed-token".into(), json!({ "post": register_op("createFeedToken", "A new calendar feed token: it opens alerts.ics?token= and nothing else; the user's previous feed token is revoked", vec![], None,
                json!({ "201": ok("The feed token, shown once, and the feed's path", schema_ref("FeedTokenCreated")) })) }));
    paths.insert("/api/v1/register/users".into(), json!({ "post": register_op("addUser", "Add a user to the organisation (owners only)", vec![], Some("NewUser"),
                json!({ "201": ok("The user", schema_ref("User")) })) }));
    paths.insert("/api/v1/register/households".into(), json!({
                "get": register_op("households", "The organisation's households", vec![], None, json!({ "200": ok("The households", array_of("Household")) })),
                "post": register_op("createHousehold", "Create a household", vec![], Some("HouseholdInput"), json!({ "201": ok("The household", schema_ref("Household")) })) }));
    paths.insert("/api/v1/register/households/{id}".into(), json!({
                "get": register_op("household", "One household", vec![path_id("household")], None, json!({ "200": ok("The household", schema_ref("Household")) })),
                "put": register_op("updateHousehold", "Rename a household", vec![path_id("household")], Some("HouseholdInput"), json!({ "200": ok("The household", schema_ref("Household")) })) }));
    paths.insert("/api/v1/register/households/{id}/members".into(), json!({ "get": register_op("householdMembers", "The household's members (not erased)", vec![path_id("household")], None,
                json!({ "200": ok("The members", array_of("Person")) })) }));
    paths.insert("/api/v1/register/households/{id}/relationships".into(), json!({ "get": register_op("householdRelationships", "The links between the household's members", vec![path_id("household")], None,
                json!({ "200": ok("The links", array_of("Relationship")) })) }));
    paths.insert("/api/v1/register/households/{id}/assess".into(), json!({ "post": register_op("assessHousehold", "Assess the household as the register holds it and keep the answer as a snapshot", vec![path_id("household"), date_param("default: today")], None,
                json!({ "201": ok("The snapshot's id and the assessment", schema_ref("Assessed")), "400": problem() })) }));
    paths.insert("/api/v1/register/households/{id}/assessments".into(), json!({ "get": register_op("assessments", "The household's kept snapshots, oldest first", vec![path_id("household")], None,
                json!({ "200": ok("The snapshots", array_of("Snapshot")) })) }));
    paths.insert("/api/v1/register/households/{id}/changes".into(), json!({ "get": register_op("changes", "Re-assess the household under the law in force now and say what changed since its last snapshot", vec![path_id("household"), date_param("default: the last snapshot's date")], None,
                json!({ "200": ok("What changed", schema_ref("Changes")), "400": problem() })) }));
    paths.insert("/api/v1/register/people".into(), json!({
                "get": register_op("people", "The organisation's people (not erased), by name", vec![json!({ "name": "search", "in": "query", "required": false, "description": "only those whose name contains this (case-insensitive; % and _ match themselves)", "schema": { "type": "string" } })], None,
                    json!({ "200": ok("The people", array_of("Person")) })),
                "post": register_op("addPerson", "Add a person", vec![], Some("PersonInput"), json!({ "201": ok("The person", schema_ref("Person")) })) }));
    paths.insert("/api/v1/register/people/{id}".into(), json!({
                "get": register_op("person", "One person with their permits", vec![person_id()], None, json!({ "200": ok("The person", schema_ref("PersonWithPermits")) })),
                "put": register_op("updatePerson", "Replace a person's details", vec![person_id()], Some("PersonInput"), json!({ "200": ok("The person", schema_ref("Person")) })),
                "delete": register_op("erasePerson", "Erase a person: their personal data, permits, contracts, links, career data and the snapshots that mention them are removed; the audit log keeps a record without personal data", vec![person_id()], None,
                    json!({ "204": { "description": "Erased" } })) }));
    paths.insert("/api/v1/register/people/{id}/export".into(), json!({ "get": register_op("exportPerson", "Everything held on a person (right of access), with their part of each kept snapshot", vec![person_id()], None,
                json!({ "200": ok("The export", schema_ref("Export")) })) }));
    paths.insert("/api/v1/register/people/{id}/permits".into(), json!({ "get": register_op("personPermits", "A person's permits, by start", vec![person_id()], None,
                json!({ "200": ok("The permits", array_of("Permit")) })) }));
    paths.insert("/api/v1/register/people/{id}/contracts".into(), json!({ "get": register_op("personContracts", "A person's contracts, newest first (the first is the one the rules read)", vec![person_id()], None,
                json!({ "200": ok("The contracts", array_of("Contract")) })) }));
    paths.insert("/api/v1/register/permits".into(), json!({ "post": register_op("addPermit", "Add a permit", vec![], Some("PermitInput"), json!({ "201": ok("The permit", schema_ref("Permit")) })) }));
    paths.insert("/api/v1/register/permits/{id}".into(), json!({
                "get": register_op("permit", "One permit", vec![path_id("permit")], None, json!({ "200": ok("The permit", schema_ref("Permit")) })),
                "put": register_op("updatePermit", "Replace a permit (also which person holds it)", vec![path_id("permit")], Some("PermitInput"), json!({ "200": ok("The permit", schema_ref("Permit")) })) }));
    paths.insert("/api/v1/register/contracts".into(), json!({ "post": register_op("addContract", "Add a contract", vec![], Some("ContractInput"), json!({ "201": ok("The contract", schema_ref("Contract")) })) }));
    paths.insert("/api/v1/register/contracts/{id}".into(), json!({
                "get": register_op("contract", "One contract", vec![path_id("contract")], None, json!({ "200": ok("The contract", schema_ref("Contract")) })),
                "put": register_op("updateContract", "Replace a contract's employer, salary and dates", vec![path_id("contract")], Some("ContractChange"), json!({ "200": ok("The contract", schema_ref("Contract")) })) }));
    paths.insert("/api/v1/register/relationships".into(), json!({ "post": register_op("addRelationship", "Link two people: partners, or a parent and child", vec![], Some("RelationshipInput"),
                json!({ "201": ok("The link's id", schema_ref("Created")) })) }));
    paths.insert("/api/v1/register/relationships/{id}".into(), json!({
                "get": register_op("relationship", "One link", vec![path_id("relationship")], None, json!({ "200": ok("The link", schema_ref("Relationship")) })),
                "put": register_op("updateRelationship", "Replace a link's form and dates (a partnership that ended gets its until)", vec![path_id("relationship")], Some("RelationshipChange"), json!({ "200": ok("The link", schema_ref("Relationship")) })),
                "delete": register_op("deleteRelationship", "Remove a link recorded in error", vec![path_id("relationship")], None, json!({ "204": { "description": "Removed" } })) }));
    paths.insert("/api/v1/register/audit".into(), json!({ "get": register_op("audit", "The organisation's audit log, oldest first", vec![], None, json!({ "200": ok("The entries", array_of("AuditEntry")) })) }));
    paths.insert("/api/v1/register/alerts.ics".into(), json!({ "get": {
                "operationId": "alertsCalendar", "summary": "The organisation's deadlines as an iCalendar feed, each reminding when its warning starts", "tags": ["register"],
                "security": [ { "bearer": [] }, {} ],
                "parameters": [ date_param("default: today"),
                    { "name": "token", "in": "query", "required": false, "description": "a calendar feed token (POST /api/v1/register/feed-token), for calendar apps that cannot send a header; an API token is refused here", "schema": { "type": "string" } },
                    { "name": "lang", "in": "query", "required": false, "schema": { "enum": ["en", "nl"] } } ],
                "responses": { "200": { "description": "The feed", "content": { "text/calendar": { "schema": { "type": "string" } } } }, "400": problem(), "401": problem() } } }));
    paths
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
        "LegalBasis".into(),
        json!({ "type": "object", "required": ["citation", "law", "article"], "properties": {
            "citation": { "type": "string", "examples": ["art. 3.30a lid 1 Vb 2000"] },
            "law": { "type": "string" }, "bwb_id": { "type": "string", "pattern": "^BWB[RV][0-9]{7}$" },
            "celex": { "type": "string" }, "article": { "type": "string" }, "paragraph": { "type": "string" },
            "item": { "type": "string" },
            "juriconnect": { "type": "string", "examples": ["jci1.3:c:BWBR0011825&artikel=3.30a&lid=1&z=2026-03-02&g=2026-03-02"] },
            "url": { "type": "string", "format": "uri" },
            "unverified": { "type": "boolean", "description": "The article (or its paragraph) was not read in a text of the law." } } }),
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
                        "code": { "enum": verblijf_rules::Code::all().map(|c| c.as_str()).collect::<Vec<_>>(),
                            "description": "The legal condition checked: a stable code." },
                        "status": { "enum": ["pass", "fail", "unknown", "info"] },
                        "reason": { "type": "object", "properties": { "en": { "type": "string" }, "nl": { "type": "string" } } },
                        "citation": { "type": "object", "description": "The parameter whose figure the check used, and where that figure was published." },
                        "legal_basis": { "type": "array", "description": "The provisions that require the check, as they applied on the filing date.",
                            "items": { "$ref": "#/components/schemas/LegalBasis" } } } } } } } },
                "members": { "type": "array", "items": { "type": "object" } },
                "deadlines": { "type": "array", "items": { "type": "object" } } } }),
    );
    let mut doc = json!({
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
    });
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(register_paths());
    }
    doc
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route the register's router serves, as (path, method), read from its source.
    fn register_routes() -> Vec<(String, String)> {
        let src = include_str!("register.rs");
        let table = src
            .split("pub fn routes()")
            .nth(1)
            .and_then(|s| s.split("\n}\n").next())
            .expect("the route table");
        let mut out = Vec::new();
        for part in table.split(".route(").skip(1) {
            let path = part.split('"').nth(1).expect("a path").to_string();
            let mut rest = &part[part.find(',').expect("handlers")..];
            while let Some(i) = ["get(", "post(", "put(", "delete("]
                .iter()
                .filter_map(|m| rest.find(m).map(|i| (i, *m)))
                .min()
                .map(|(i, m)| (i, m.trim_end_matches('(')))
            {
                out.push((path.clone(), i.1.to_string()));
                rest = &rest[i.0 + i.1.len()..];
            }
        }
        out
    }

    #[test]
    fn every_register_route_is_in_the_document_with_security_and_problems() {
        let doc = document();
        let routes = register_routes();
        assert!(routes.len() > 30, "{routes:?}");
        let public = [
            "/api/v1/register/organisations",
            "/api/v1/register/confirmations",
            "/api/v1/register/login",
        ];
        for (path, method) in &routes {
            let op = &doc["paths"][path][method];
            assert!(
                op.is_object(),
                "{method} {path} is not in the OpenAPI document"
            );
            assert!(op["operationId"].is_string(), "{method} {path}");
            if public.contains(&path.as_str()) {
                assert_eq!(op["security"], json!([]), "{method} {path}");
            } else {
                assert!(
                    op["security"]
                        .as_array()
                        .is_some_and(|s| s.iter().any(|s| s.get("bearer").is_some())),
                    "{method} {path} has no bearer security"
                );
                assert!(op["responses"]["401"].is_object(), "{method} {path}");
            }
            // Assessing and making a feed token take no body.
            let bodiless = path.ends_with("/assess") || path.ends_with("/feed-token");
            if method == "put" || (method == "post" && !bodiless) {
                assert!(
                    op.pointer("/requestBody/content/application~1json/schema/$ref")
                        .is_some(),
                    "{method} {path} has no request schema"
                );
                assert_eq!(
                    op["responses"]["422"]["content"]["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{method} {path}"
                );
            }
            let success = op["responses"]
                .as_object()
                .and_then(|r| r.keys().find(|k| k.starts_with('2')).cloned());
            assert!(success.is_some(), "{method} {path} has no success response");
        }
        // And nothing in the document under the register that the router does not serve.
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            if !path.starts_with("/api/v1/register/") {
                continue;
            }
            for method in ops.as_object().expect("ops").keys() {
                assert!(
                    routes.iter().any(|(p, m)| p == path && m == method),
                    "{method} {path} is documented but not served"
                );
            }
        }
        let text = doc.to_string();
        for part in text.split("\"$ref\":\"").skip(1) {
            let target = part.split('"').next().expect("ref");
            assert!(
                doc.pointer(target.trim_start_matches('#')).is_some(),
                "dangling $ref {target}"
            );
        }
    }
}
