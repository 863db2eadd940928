//! The catalogue of bad inputs for the JSON API and the pages: each one sent to a real server with a real SQLite
//! register, answered with the status it must get and, where a field is at fault, with that field named (the
//! problem's `field` in the API, the field's error next to it on a page). Never a 500. The table is the list in
//! `docs/bad-inputs.md`; a test keeps the two the same (`VERBLIJF_WRITE_DOCS=1` rewrites the list from the table).

mod common;

use std::collections::HashMap;

use common::*;
use serde_json::Value;

/// Where a bad input is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Surface {
    /// The JSON API, as the register's owner where the path is the register's.
    Api,
    /// The JSON API with no token.
    ApiAnonymous,
    /// A page's form, sent with its form token (and, for the register, an owner's session).
    Page,
}

struct Bad {
    surface: Surface,
    method: &'static str,
    /// With `{person}`, `{household}`, `{permit}`, `{contract}` for records that exist, `{foreign}` for a person
    /// of another organisation.
    path: &'static str,
    /// For a page, the page whose form is sent (its form token is used).
    form_page: &'static str,
    content_type: &'static str,
    body: String,
    status: u16,
    field: Option<&'static str>,
    what: String,
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

fn api(
    path: &'static str,
    body: impl Into<String>,
    status: u16,
    field: Option<&'static str>,
    what: impl Into<String>,
) -> Bad {
    Bad {
        surface: Surface::Api,
        method: "POST",
        path,
        form_page: "",
        content_type: JSON,
        body: body.into(),
        status,
        field,
        what: what.into(),
    }
}

fn page(
    form_page: &'static str,
    path: &'static str,
    fields: &[(&str, &str)],
    status: u16,
    field: Option<&'static str>,
    what: impl Into<String>,
) -> Bad {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    Bad {
        surface: Surface::Page,
        method: "POST",
        path,
        form_page,
        content_type: FORM,
        body: body.join("&"),
        status,
        field,
        what: what.into(),
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Dates that no date field takes: impossible, non-canonical, not a date, or the wrong type.
const BAD_DATES: &[(&str, &str)] = &[
    ("\"2026-02-30\"", "a day that does not exist"),
    ("\"2026-13-01\"", "a month that does not exist"),
    ("\"05-01-2026\"", "a date written day first"),
    ("\"yesterday\"", "a word for a date"),
    ("20260105", "a number for a date"),
];

fn case_with(reference: &str, person: &str) -> String {
    format!(r#"{{"reference_date":{reference},"person":{person}}}"#)
}

fn assess_cases() -> Vec<Bad> {
    let mut v = Vec::new();
    for (d, what) in BAD_DATES {
        v.push(api(
            "/api/v1/assess",
            case_with(d, "{}"),
            422,
            Some("reference_date"),
            format!("assess: reference_date {what} ({d})"),
        ));
        v.push(api(
            "/api/v1/assess",
            case_with("\"2026-03-02\"", &format!(r#"{{"birth_date":{d}}}"#)),
            422,
            Some("person.birth_date"),
            format!("assess: person.birth_date {what} ({d})"),
        ));
        v.push(api(
            "/api/v1/assess",
            format!(r#"{{"reference_date":"2026-03-02","filing_date":{d},"person":{{}}}}"#),
            422,
            Some("filing_date"),
            format!("assess: filing_date {what} ({d})"),
        ));
        v.push(api(
            "/api/v1/assess",
            case_with(
                "\"2026-03-02\"",
                &format!(r#"{{"job_offer":{{"contract_end":{d}}}}}"#),
            ),
            422,
            Some("person.job_offer.contract_end"),
            format!("assess: person.job_offer.contract_end {what} ({d})"),
        ));
    }
    let person_fields: &[(&str, &str, &'static str, &str)] = &[
        (
            r#"{"nationality":"XX1"}"#,
            "",
            "person.nationality",
            "a nationality of three characters",
        ),
        (
            r#"{"nationality":"in "}"#,
            "",
            "person.nationality",
            "a nationality with a space",
        ),
        (
            r#"{"nationality":7}"#,
            "",
            "person.nationality",
            "a number for a nationality",
        ),
        (
            r#"{"location":"moon"}"#,
            "",
            "person.location",
            "an unknown location",
        ),
        (
            r#"{"previously_worked_in_nl":"yes"}"#,
            "",
            "person.previously_worked_in_nl",
            "a word for a yes or no",
        ),
        (
            r#"{"professional_experience_years":-1}"#,
            "",
            "person.professional_experience_years",
            "negative years of experience",
        ),
        (
            r#"{"professional_experience_years":300}"#,
            "",
            "person.professional_experience_years",
            "300 years of experience",
        ),
        (
            r#"{"education":[{"level":"kindergarten"}]}"#,
            "",
            "person.education[0].level",
            "an unknown education level",
        ),
        (
            r#"{"education":{"level":"master"}}"#,
            "",
            "person.education",
            "an education that is not a list",
        ),
        (
            r#"{"education":[{"level":"master","provenance":"mars"}]}"#,
            "",
            "person.education[0].provenance",
            "an unknown provenance",
        ),
        (
            r#"{"education":[{"level":"master","graduation_date":"2019-06-31"}]}"#,
            "",
            "person.education[0].graduation_date",
            "a graduation date that does not exist",
        ),
        (
            r#"{"languages":["english"]}"#,
            "",
            "person.languages[0]",
            "a language not as a code",
        ),
        (
            r#"{"job_offer":{"gross_monthly_salary":"abc"}}"#,
            "",
            "person.job_offer.gross_monthly_salary",
            "a salary that is a word",
        ),
        (
            r#"{"job_offer":{"gross_monthly_salary":"12.345"}}"#,
            "",
            "person.job_offer.gross_monthly_salary",
            "a salary with three decimals",
        ),
        (
            r#"{"job_offer":{"gross_monthly_salary":1e400}}"#,
            "",
            "person.job_offer.gross_monthly_salary",
            "a salary beyond any number",
        ),
        (
            r#"{"job_offer":{"recognised_sponsor":"maybe"}}"#,
            "",
            "person.job_offer.recognised_sponsor",
            "a word for a yes or no",
        ),
        (
            r#"{"job_offer":{"holiday_allowance":"sometimes"}}"#,
            "",
            "person.job_offer.holiday_allowance",
            "an unknown holiday allowance",
        ),
        (
            r#"{"job_offer":{"role":"astronaut"}}"#,
            "",
            "person.job_offer.role",
            "an unknown role",
        ),
        (
            r#"{"job_offer":{"salary":5000}}"#,
            "",
            "person.job_offer.salary",
            "an unknown field in the job offer",
        ),
        (
            r#"{"permits":[{"kind":"golden_ticket"}]}"#,
            "",
            "person.permits[0].kind",
            "an unknown permit kind",
        ),
        (
            r#"{"shoe_size":44}"#,
            "",
            "person.shoe_size",
            "an unknown field in the person",
        ),
    ];
    for (person, _, field, what) in person_fields {
        v.push(api(
            "/api/v1/assess",
            case_with("\"2026-03-02\"", person),
            422,
            Some(field),
            format!("assess: {what} ({field})"),
        ));
    }
    let whole: &[(&str, &'static str, &str)] = &[
        (
            r#"{"reference_date":"2026-03-02","person":{},"application":{"kind":"renewal"}}"#,
            "application.kind",
            "an unknown application kind",
        ),
        (
            r#"{"reference_date":"2026-03-02","person":{},"application":{"kind":"first","scheme":"golden_visa"}}"#,
            "application.scheme",
            "an unknown scheme",
        ),
        (
            r#"{"reference_date":"2026-03-02","person":{},"colour":"blue"}"#,
            "colour",
            "an unknown field in the case",
        ),
        (
            r#"{"reference_date":"2026-03-02","person":{"birth_date":"1990-01-01","birth_date":"1991-01-01"}}"#,
            "person",
            "a key given twice",
        ),
    ];
    for (body, field, what) in whole {
        v.push(api(
            "/api/v1/assess",
            *body,
            422,
            Some(field),
            format!("assess: {what}"),
        ));
    }
    v.push(api(
        "/api/v1/assess",
        r#"{"person":{}}"#,
        422,
        None,
        "assess: no reference date",
    ));
    v.push(api(
        "/api/v1/assess",
        "",
        400,
        None,
        "assess: an empty body",
    ));
    v.push(api(
        "/api/v1/assess",
        "[1,2]",
        422,
        None,
        "assess: a list for a case",
    ));
    v.push(api(
        "/api/v1/assess",
        "{\"reference_date\":",
        422,
        None,
        "assess: JSON cut short",
    ));
    v.push(api(
        "/api/v1/assess",
        format!("{}1{}", "[".repeat(5000), "]".repeat(5000)),
        422,
        None,
        "assess: 5000 nested lists",
    ));
    v.push(api(
        "/api/v1/assess",
        format!(
            r#"{{"reference_date":"2026-03-02","person":{{"id":"{}"}}}}"#,
            "x".repeat(3 << 20)
        ),
        413,
        None,
        "assess: a body of 3 MB",
    ));
    let mut bad_utf8 = api(
        "/api/v1/assess",
        "",
        400,
        None,
        "assess: a body that is not UTF-8",
    );
    bad_utf8.body = String::from("\u{0}");
    v.push(bad_utf8);
    v
}

fn other_api_cases() -> Vec<Bad> {
    let good_case =
        r#"{"reference_date":"2026-03-02","person":{"id":"a","birth_date":"1996-09-14"}}"#;
    let household =
        r#"{"reference_date":"2026-03-02","household":{"members":[{"id":"a"},{"id":"b"}]}}"#;
    let mut v = vec![
        api(
            "/api/v1/can-work?date=2026-02-30",
            good_case,
            400,
            Some("date"),
            "can-work: a date that does not exist",
        ),
        api(
            "/api/v1/can-work?date=soon",
            good_case,
            400,
            Some("date"),
            "can-work: a word for a date",
        ),
        api(
            "/api/v1/can-work?person=zz",
            good_case,
            400,
            Some("person"),
            "can-work: a person not in the case",
        ),
        api(
            "/api/v1/can-work",
            household,
            422,
            Some("household"),
            "can-work: a household under an unknown key",
        ),
        api(
            "/api/v1/can-work",
            r#"{"person":{}}"#,
            422,
            None,
            "can-work: no reference date",
        ),
    ];
    for (path, field, what) in [
        (
            "/api/v1/params?date=2026-02-30",
            Some("date"),
            "params: a date that does not exist",
        ),
        (
            "/api/v1/params?date=tomorrow",
            Some("date"),
            "params: a word for a date",
        ),
        (
            "/api/v1/params?date=20260101",
            Some("date"),
            "params: a date without dashes",
        ),
        (
            "/api/v1/params/no.such.parameter",
            None,
            "params: an unknown parameter",
        ),
        ("/api/v1/no-such-endpoint", None, "an unknown endpoint"),
    ] {
        let status = if field.is_some() { 400 } else { 404 };
        let mut b = api(path, "", status, field, what);
        b.method = "GET";
        v.push(b);
    }
    v
}

const PASSWORD: &str = "correct horse battery";

fn register_cases() -> Vec<Bad> {
    let mut v = Vec::new();
    let people = "/api/v1/register/people";
    v.push(api(
        people,
        r#"{"name":"Anna","birth_date":"1990-1-5"}"#,
        422,
        Some("birth_date"),
        "add a person: a birth date not written YYYY-MM-DD",
    ));
    for (d, what) in BAD_DATES {
        v.push(api(
            people,
            format!(r#"{{"name":"Anna","birth_date":{d}}}"#),
            422,
            Some("birth_date"),
            format!("add a person: birth_date {what} ({d})"),
        ));
        v.push(api(
            "/api/v1/register/permits",
            format!(
                r#"{{"person_id":"{{person}}","kind":"highly_skilled_migrant","valid_from":{d}}}"#
            ),
            422,
            Some("valid_from"),
            format!("add a permit: valid_from {what} ({d})"),
        ));
        v.push(api(
            "/api/v1/register/contracts",
            format!(r#"{{"person_id":"{{person}}","employer":"Acme","start_date":{d}}}"#),
            422,
            Some("start_date"),
            format!("add a contract: start_date {what} ({d})"),
        ));
    }
    let person_bad: &[(&str, &'static str, &str)] = &[
        (
            r#"{"name":"Anna","birth_date":"2999-01-01"}"#,
            "birth_date",
            "a birth date in the future",
        ),
        (
            r#"{"name":"Anna","birth_date":"0000-01-01"}"#,
            "birth_date",
            "a birth date in year 0",
        ),
        (
            r#"{"name":"Anna","birth_date":"+10000-01-01"}"#,
            "birth_date",
            "a birth date in year 10000",
        ),
        (r#"{"name":""}"#, "name", "an empty name"),
        (r#"{"name":"   "}"#, "name", "a name of spaces"),
        (
            r#"{"name":"\u200b\u200b"}"#,
            "name",
            "a name of zero-width spaces",
        ),
        (
            r#"{"name":"\ufeff"}"#,
            "name",
            "a name that is a byte-order mark",
        ),
        (r#"{"name":"An\u0000na"}"#, "name", "a name with a NUL"),
        (
            r#"{"name":"An\u0007na"}"#,
            "name",
            "a name with a control character",
        ),
        (r#"{"name":7}"#, "name", "a number for a name"),
        (r#"{"birth_date":"1990-01-01"}"#, "name", "no name"),
        (
            r#"{"name":"Anna","bsn":"123456789"}"#,
            "bsn",
            "a BSN that fails the eleven test",
        ),
        (
            r#"{"name":"Anna","bsn":"12345"}"#,
            "bsn",
            "a BSN of five digits",
        ),
        (
            r#"{"name":"Anna","bsn":"abcdefghi"}"#,
            "bsn",
            "a BSN of letters",
        ),
        (
            r#"{"name":"Anna","nationality":"Dutch"}"#,
            "nationality",
            "a nationality as a word",
        ),
        (
            r#"{"name":"Anna","nationality":"X1"}"#,
            "nationality",
            "a nationality with a digit",
        ),
        (
            r#"{"name":"Anna","shoe_size":44}"#,
            "shoe_size",
            "an unknown field",
        ),
        (
            r#"{"name":"Anna","name":"Bea"}"#,
            "name",
            "a key given twice",
        ),
    ];
    for (body, field, what) in person_bad {
        v.push(api(
            people,
            *body,
            422,
            Some(field),
            format!("add a person: {what}"),
        ));
    }
    v.push(api(
        people,
        format!(r#"{{"name":"{}"}}"#, "a".repeat(200_000)),
        422,
        Some("name"),
        "add a person: a name of 200,000 characters",
    ));
    v.push(api(
        people,
        r#"{"name":"Anna"} trailing"#,
        422,
        None,
        "add a person: JSON with trailing text",
    ));
    let permit_bad: &[(&str, &'static str, &str)] = &[
        (
            r#"{"person_id":"{person}","kind":"golden_ticket","valid_from":"2025-01-01"}"#,
            "kind",
            "an unknown permit kind",
        ),
        (
            r#"{"person_id":"{person}","kind":"highly_skilled_migrant","valid_from":"2026-10-01","valid_until":"2026-09-30"}"#,
            "valid_until",
            "an end before its start",
        ),
        (
            r#"{"person_id":"{person}","kind":"highly_skilled_migrant","valid_from":"2026-10-01","valid_until":"2026-9-30"}"#,
            "valid_until",
            "an end not written YYYY-MM-DD",
        ),
        (
            r#"{"person_id":"{person}","kind":"highly_skilled_migrant"}"#,
            "valid_from",
            "no start",
        ),
        (
            r#"{"kind":"highly_skilled_migrant","valid_from":"2025-01-01"}"#,
            "person_id",
            "no person",
        ),
        (
            r#"{"person_id":"{person}","kind":"family_member","valid_from":"2025-01-01","sponsor_person_id":"nobody"}"#,
            "sponsor_person_id",
            "a sponsor that does not exist",
        ),
    ];
    for (body, field, what) in permit_bad {
        v.push(api(
            "/api/v1/register/permits",
            *body,
            422,
            Some(field),
            format!("add a permit: {what}"),
        ));
    }
    let contract_bad: &[(&str, &'static str, &str)] = &[
        (
            r#"{"person_id":"{person}","employer":"Acme","gross_monthly_salary_cents":-100}"#,
            "gross_monthly_salary_cents",
            "a negative salary",
        ),
        (
            r#"{"person_id":"{person}","employer":"Acme","gross_monthly_salary_cents":"5000"}"#,
            "gross_monthly_salary_cents",
            "a salary as text",
        ),
        (
            r#"{"person_id":"{person}","employer":"Acme","gross_monthly_salary_cents":1.5}"#,
            "gross_monthly_salary_cents",
            "a salary with a fraction of a cent",
        ),
        (
            r#"{"person_id":"{person}","employer":"Acme","start_date":"2026-05-01","end_date":"2026-04-30"}"#,
            "end_date",
            "an end before its start",
        ),
        (
            r#"{"person_id":"{person}","employer":"Acme","end_date":"2026-02-29"}"#,
            "end_date",
            "an end that does not exist",
        ),
    ];
    for (body, field, what) in contract_bad {
        v.push(api(
            "/api/v1/register/contracts",
            *body,
            422,
            Some(field),
            format!("add a contract: {what}"),
        ));
    }
    let rel_bad: &[(&str, &'static str, &str)] = &[
        (
            r#"{"kind":"cousin","a":"{person}","b":"{person2}"}"#,
            "kind",
            "an unknown kind",
        ),
        (
            r#"{"kind":"partner","a":"{person}","b":"{person}"}"#,
            "b",
            "a person as their own partner",
        ),
        (
            r#"{"kind":"partner","a":"{person}","b":"{person2}","from":"2026-02-30"}"#,
            "from",
            "a start that does not exist",
        ),
        (
            r#"{"kind":"partner","a":"{person}","b":"{person2}","form":"situationship"}"#,
            "form",
            "an unknown partnership form",
        ),
    ];
    for (body, field, what) in rel_bad {
        v.push(api(
            "/api/v1/register/relationships",
            *body,
            422,
            Some(field),
            format!("add a relationship: {what}"),
        ));
    }
    let hh_bad: &[(&str, &'static str, &str)] = &[
        (r#"{"name":""}"#, "name", "an empty name"),
        (
            r#"{"name":"\u200b"}"#,
            "name",
            "a name of a zero-width space",
        ),
        (r#"{"name":42}"#, "name", "a number for a name"),
    ];
    for (body, field, what) in hh_bad {
        v.push(api(
            "/api/v1/register/households",
            *body,
            422,
            Some(field),
            format!("add a household: {what}"),
        ));
    }
    let users_bad: &[(&str, &'static str, &str)] = &[
        (
            r#"{"email":"not-an-email","password":"correct horse battery","role":"viewer"}"#,
            "email",
            "an email without @",
        ),
        (
            r#"{"email":"v@acme.example","password":"short","role":"viewer"}"#,
            "password",
            "a password that is too short",
        ),
        (
            r#"{"email":"v@acme.example","password":"correct horse battery","role":"emperor"}"#,
            "role",
            "an unknown role",
        ),
        (
            r#"{"password":"correct horse battery","role":"viewer"}"#,
            "email",
            "no email",
        ),
    ];
    for (body, field, what) in users_bad {
        v.push(api(
            "/api/v1/register/users",
            *body,
            422,
            Some(field),
            format!("add a user: {what}"),
        ));
    }
    let tokens_bad: &[(&str, &'static str, &str)] = &[
        (
            r#"{"name":"ci","expires_in_days":0}"#,
            "expires_in_days",
            "an expiry of 0 days",
        ),
        (
            r#"{"name":"ci","expires_in_days":-3}"#,
            "expires_in_days",
            "a negative expiry",
        ),
        (
            r#"{"name":"ci","expires_in_days":100000}"#,
            "expires_in_days",
            "an expiry of 100,000 days",
        ),
        (r#"{"name":""}"#, "name", "an empty token name"),
    ];
    for (body, field, what) in tokens_bad {
        v.push(api(
            "/api/v1/register/tokens",
            *body,
            422,
            Some(field),
            format!("create a token: {what}"),
        ));
    }
    let orgs_bad: &[(&str, &'static str, &str)] = &[
        (
            r#"{"name":"","email":"o@new.example","password":"correct horse battery"}"#,
            "name",
            "an empty organisation name",
        ),
        (
            r#"{"name":"New","email":"o@","password":"correct horse battery"}"#,
            "email",
            "an email without a domain",
        ),
        (
            r#"{"name":"New","email":"o@new.example","password":"abc"}"#,
            "password",
            "a password that is too short",
        ),
        (
            r#"{"name":"New","email":"o@new.example"}"#,
            "password",
            "no password",
        ),
    ];
    for (body, field, what) in orgs_bad {
        let mut b = api(
            "/api/v1/register/organisations",
            *body,
            422,
            Some(field),
            format!("sign up: {what}"),
        );
        b.surface = Surface::ApiAnonymous;
        v.push(b);
    }
    for (method, path, status, what) in [
        (
            "GET",
            "/api/v1/register/people",
            401,
            "list people without a token",
        ),
        (
            "GET",
            "/api/v1/register/audit",
            401,
            "read the audit log without a token",
        ),
        (
            "POST",
            "/api/v1/register/people",
            401,
            "add a person without a token",
        ),
    ] {
        let mut b = api(path, r#"{"name":"Anna"}"#, status, None, what);
        b.method = method;
        b.surface = Surface::ApiAnonymous;
        v.push(b);
    }
    let mut bad_token = api(
        "/api/v1/register/people",
        "",
        401,
        None,
        "list people with a made-up token",
    );
    bad_token.method = "GET";
    bad_token.surface = Surface::ApiAnonymous;
    bad_token.form_page = "vbl_0000";
    v.push(bad_token);
    for (path, what) in [
        (
            "/api/v1/register/people/{foreign}",
            "read a person of another organisation",
        ),
        (
            "/api/v1/register/people/no-such-id",
            "read a person that does not exist",
        ),
        (
            "/api/v1/register/households/no-such-id",
            "read a household that does not exist",
        ),
    ] {
        let mut b = api(path, "", 404, None, what);
        b.method = "GET";
        v.push(b);
    }
    for (path, body, what) in [
        (
            "/api/v1/register/people",
            r#"{"name":"Anna","household_id":"not-a-household"}"#,
            "add a person: a household that does not exist",
        ),
        (
            "/api/v1/register/permits",
            r#"{"person_id":"no-such-person","kind":"highly_skilled_migrant","valid_from":"2025-01-01"}"#,
            "add a permit: a person that does not exist",
        ),
        (
            "/api/v1/register/permits",
            r#"{"person_id":"{foreign}","kind":"highly_skilled_migrant","valid_from":"2025-01-01"}"#,
            "add a permit: a person of another organisation",
        ),
        (
            "/api/v1/register/contracts",
            r#"{"person_id":"no-such-person","employer":"Acme"}"#,
            "add a contract: a person that does not exist",
        ),
        (
            "/api/v1/register/relationships",
            r#"{"kind":"partner","a":"{person}","b":"nobody"}"#,
            "add a relationship: a partner that does not exist",
        ),
    ] {
        v.push(api(path, body, 404, None, what));
    }
    let login = "/api/v1/register/login";
    for (body, status, field, what) in [
        (
            r#"{"email":"owner@acme.example","password":"wrong password here"}"#,
            401,
            None,
            "sign in with a wrong password",
        ),
        (
            r#"{"email":"owner@acme.example"}"#,
            422,
            Some("password"),
            "sign in without a password",
        ),
        (
            r#"{"password":"correct horse battery"}"#,
            422,
            Some("email"),
            "sign in without an email",
        ),
    ] {
        let mut b = api(login, body, status, field, what);
        b.surface = Surface::ApiAnonymous;
        v.push(b);
    }
    v
}

fn page_cases() -> Vec<Bad> {
    let check = |extra: &[(&str, &str)], field: &'static str, what: &str| {
        let mut fields = vec![("role", "worker"), ("lang", "en"), ("date", "2026-03-02")];
        fields.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        fields.extend_from_slice(extra);
        page(
            "",
            "/check",
            &fields,
            422,
            Some(field),
            format!("check form: {what}"),
        )
    };
    let mut v = vec![
        check(&[("date", "")], "date", "no date"),
        check(
            &[("date", "2026-02-30")],
            "date",
            "a date that does not exist",
        ),
        check(&[("date", "soon")], "date", "a word for a date"),
        check(
            &[("birth_date", "1990-02-30")],
            "birth_date",
            "a birth date that does not exist",
        ),
        check(
            &[("birth_date", "2999-01-01")],
            "birth_date",
            "a birth date in the future",
        ),
        check(&[("salary", "abc")], "salary", "a salary that is a word"),
        check(&[("salary", "-5200")], "salary", "a negative salary"),
        check(
            &[("salary", "5200.123")],
            "salary",
            "a salary with three decimals",
        ),
        check(
            &[
                ("education_level", "master"),
                ("graduation_date", "2019-13-01"),
            ],
            "graduation_date",
            "a graduation month that does not exist",
        ),
        check(
            &[("education_level", "master"), ("ranking", "first")],
            "ranking",
            "a ranking that is a word",
        ),
        check(
            &[("contract_end", "2026-04-31")],
            "contract_end",
            "a contract end that does not exist",
        ),
        check(
            &[("oy_from", "2025-02-29")],
            "oy_from",
            "an orientation year start that does not exist",
        ),
    ];
    for (fields, status, what) in [
        (
            vec![("role", "worker\n"), ("lang", "en")],
            422,
            "check form: a role with a newline",
        ),
        (
            vec![("role", "wizard"), ("lang", "en")],
            422,
            "check form: an unknown role",
        ),
    ] {
        v.push(page("", "/check", &fields, status, None, what));
    }
    let people_form = |fields: &[(&str, &str)], field: &'static str, what: &str| {
        let mut all = vec![
            ("name", "Anna"),
            ("household_id", ""),
            ("birth_date", "1990-01-01"),
            ("nationality", "IN"),
            ("bsn", ""),
        ];
        all.retain(|(k, _)| !fields.iter().any(|(e, _)| e == k));
        all.extend_from_slice(fields);
        page(
            "/register/people/new",
            "/register/people/new?lang=en",
            &all,
            422,
            Some(field),
            format!("register, new person: {what}"),
        )
    };
    v.extend([
        people_form(&[("name", "")], "name", "an empty name"),
        people_form(
            &[("name", "\u{200b}")],
            "name",
            "a name of a zero-width space",
        ),
        people_form(
            &[("birth_date", "1990-02-30")],
            "birth_date",
            "a birth date that does not exist",
        ),
        people_form(
            &[("birth_date", "2999-01-01")],
            "birth_date",
            "a birth date in the future",
        ),
        people_form(
            &[("bsn", "123456789")],
            "bsn",
            "a BSN that fails the eleven test",
        ),
        people_form(
            &[("nationality", "Dutch")],
            "nationality",
            "a nationality as a word",
        ),
    ]);
    let permit_form = |fields: &[(&str, &str)], field: &'static str, what: &str| {
        let mut all = vec![
            ("person_id", "{person}"),
            ("kind", "highly_skilled_migrant"),
            ("valid_from", "2025-10-15"),
            ("valid_until", "2030-10-14"),
            ("sponsor_person_id", ""),
            ("document_number", ""),
            ("restriction_text", ""),
        ];
        all.retain(|(k, _)| !fields.iter().any(|(e, _)| e == k));
        all.extend_from_slice(fields);
        page(
            "/register/permits/new?person={person}",
            "/register/permits/new?lang=en",
            &all,
            422,
            Some(field),
            format!("register, new permit: {what}"),
        )
    };
    v.extend([
        permit_form(
            &[("valid_from", "2025-02-29")],
            "valid_from",
            "a start that does not exist",
        ),
        permit_form(
            &[("valid_until", "2024-01-01")],
            "valid_until",
            "an end before its start",
        ),
        permit_form(&[("valid_from", "")], "valid_from", "no start"),
    ]);
    v.push(page(
        "/register/households/new",
        "/register/households/new?lang=en",
        &[("name", "")],
        422,
        Some("name"),
        "register, new household: an empty name",
    ));
    let mut no_token = page(
        "",
        "/register/households/new?lang=en",
        &[("name", "Family")],
        403,
        None,
        "register, new household: no form token",
    );
    no_token.form_page = "-";
    v.push(no_token);
    v
}

fn catalogue() -> Vec<Bad> {
    let mut v = assess_cases();
    v.extend(other_api_cases());
    v.extend(register_cases());
    v.extend(page_cases());
    v
}

/// The ids of the records the bad inputs point at.
struct Fixture {
    token: String,
    ids: HashMap<&'static str, String>,
    cookies: String,
}

async fn fixture(s: &Server) -> Fixture {
    let signed = call(
        s,
        "POST",
        "/api/v1/register/organisations",
        None,
        &format!(r#"{{"name":"Acme","email":"owner@acme.example","password":"{PASSWORD}"}}"#),
    )
    .await;
    assert_eq!(signed.status, 201, "{}", signed.body);
    let token = json(&signed)["token"].as_str().expect("token").to_string();
    let other = call(
        s,
        "POST",
        "/api/v1/register/organisations",
        None,
        &format!(r#"{{"name":"Other","email":"owner@other.example","password":"{PASSWORD}"}}"#),
    )
    .await;
    let other_token = json(&other)["token"].as_str().expect("token").to_string();
    let mut ids = HashMap::new();
    for (key, t) in [
        ("person", &token),
        ("person2", &token),
        ("foreign", &other_token),
    ] {
        let r = call(
            s,
            "POST",
            "/api/v1/register/people",
            Some(t),
            r#"{"name":"Anna"}"#,
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.insert(key, json(&r)["id"].as_str().expect("id").to_string());
    }
    // A web session of the owner, for the register's forms.
    let form = get(s, "/register/sign-in").await;
    let mut cookies = cookies_of(&form, "");
    let r = request_headers(
        s,
        "POST",
        "/register/sign-in?lang=en",
        FORM,
        &cookie_line(&cookies),
        format!(
            "_csrf={}&email=owner%40acme.example&password={}",
            csrf(&form.body),
            enc(PASSWORD)
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(r.status, 303, "sign-in: {}", r.body);
    cookies = cookies_of(&r, &cookies);
    Fixture {
        token,
        ids,
        cookies,
    }
}

fn json(r: &Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {} {}", r.status, r.body))
}

fn csrf(body: &str) -> String {
    body.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no form token in {body}"))
        .to_string()
}

/// The cookies of `previous` (`a=1; b=2`) with those a reply sets.
fn cookies_of(r: &Reply, previous: &str) -> String {
    let mut jar: Vec<(String, String)> = previous
        .split("; ")
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for line in r.headers.lines() {
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower
            .starts_with("set-cookie:")
            .then(|| line["set-cookie:".len()..].trim())
        {
            if let Some((k, val)) = v.split(';').next().and_then(|kv| kv.split_once('=')) {
                jar.retain(|(name, _)| name != k);
                if !val.is_empty() {
                    jar.push((k.to_string(), val.to_string()));
                }
            }
        }
    }
    jar.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn cookie_line(cookies: &str) -> String {
    if cookies.is_empty() {
        String::new()
    } else {
        format!("Cookie: {cookies}\r\n")
    }
}

fn fill(text: &str, f: &Fixture) -> String {
    let mut t = text.to_string();
    for (k, v) in &f.ids {
        t = t.replace(&format!("{{{k}}}"), v);
        t = t.replace(&format!("%7B{k}%7D"), v);
    }
    t
}

async fn send(s: &Server, b: &Bad, f: &Fixture) -> Reply {
    let path = fill(b.path, f);
    let mut body = fill(&b.body, f).into_bytes();
    if b.what.ends_with("not UTF-8") {
        body = b"{\"reference_date\":\"2026-03-02\",\"person\":{\"id\":\"\xff\xfe\"}}".to_vec();
    }
    match b.surface {
        Surface::Api => request_as(s, b.method, &path, b.content_type, Some(&f.token), &body).await,
        Surface::ApiAnonymous => {
            let token = b.form_page.starts_with("vbl_").then_some(b.form_page);
            request_as(s, b.method, &path, b.content_type, token, &body).await
        }
        Surface::Page => {
            let mut fields = String::from_utf8(body).expect("form body");
            if b.form_page != "-" {
                let form_page = if b.form_page.is_empty() {
                    "/check?role=worker&lang=en".to_string()
                } else {
                    fill(b.form_page, f)
                };
                let p = request_headers(
                    s,
                    "GET",
                    &form_page,
                    "text/plain",
                    &cookie_line(&f.cookies),
                    b"",
                )
                .await;
                assert_eq!(p.status, 200, "{form_page}: {}", p.body);
                if p.body.contains("name=\"_csrf\"") {
                    fields = format!("_csrf={}&{fields}", csrf(&p.body));
                }
            }
            request_headers(
                s,
                b.method,
                &path,
                b.content_type,
                &cookie_line(&f.cookies),
                fields.as_bytes(),
            )
            .await
        }
    }
}

/// What is wrong with an answer to a bad input, if anything.
fn judge(b: &Bad, r: &Reply) -> Option<String> {
    if r.status != b.status {
        return Some(format!(
            "answered {} instead of {}: {}",
            r.status,
            b.status,
            short(&r.body)
        ));
    }
    match b.surface {
        Surface::Api | Surface::ApiAnonymous => {
            let lower = r.headers.to_ascii_lowercase();
            if !lower.contains("content-type: application/problem+json") {
                return Some(format!("not application/problem+json: {}", r.headers));
            }
            let Ok(problem) = serde_json::from_str::<Value>(&r.body) else {
                return Some(format!("not JSON: {}", short(&r.body)));
            };
            if let Some(field) = b.field {
                if problem["field"].as_str() != Some(field) {
                    return Some(format!(
                        "names field {} instead of `{field}`: {}",
                        problem["field"],
                        short(&r.body)
                    ));
                }
            }
        }
        Surface::Page => {
            if let Some(field) = b.field {
                if !r.body.contains(&format!("id=\"f-{field}-error\"")) {
                    return Some(format!(
                        "the page shows no error at the field `{field}`: {}",
                        short(&r.body)
                    ));
                }
            }
        }
    }
    None
}

fn short(s: &str) -> String {
    s.chars().take(300).collect()
}

#[tokio::test]
async fn every_bad_input_of_the_api_and_the_pages_is_refused_with_its_status_and_field() {
    let dir = std::env::temp_dir().join(format!("verblijf-web-catalogue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("r.db");
    let _ = std::fs::remove_file(&db);
    let store = verblijf_store::Store::open(db.to_str().expect("utf8"))
        .await
        .expect("store");
    let s = start_with(Some(store)).await;
    let f = fixture(&s).await;
    let table = catalogue();
    let mut failures = Vec::new();
    for b in &table {
        let r = send(&s, b, &f).await;
        if let Some(why) = judge(b, &r) {
            failures.push(format!("{}: {why}", b.what));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad inputs were not answered as they must be:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn the_catalogue_holds_distinct_inputs_and_is_the_list_in_the_docs() {
    let table = catalogue();
    let mut seen = std::collections::HashSet::new();
    for b in &table {
        assert!(
            seen.insert((
                b.method,
                b.path,
                b.content_type,
                b.body.clone(),
                b.what.clone()
            )),
            "listed twice: {}",
            b.what
        );
    }
    let rows: Vec<String> = table
        .iter()
        .map(|b| {
            let surface = match b.surface {
                Surface::Api => "API (owner's token)",
                Surface::ApiAnonymous => "API (no token)",
                Surface::Page => "page form",
            };
            let path = b.path.split('?').next().unwrap_or(b.path);
            format!(
                "| {} | {surface} | `{} {path}` | {} | {} |",
                b.what.replace('|', "\\|"),
                b.method,
                b.status,
                b.field
                    .map(|f| format!("`{f}`"))
                    .unwrap_or_else(|| "—".into())
            )
        })
        .collect();
    let section = format!(
        "| bad input | sent to | request | status | field named |\n| --- | --- | --- | --- | --- |\n{}\n",
        rows.join("\n")
    );
    docs_section("web", &section);
}

/// Checks (or, with `VERBLIJF_WRITE_DOCS=1`, writes) the part of `docs/bad-inputs.md` between the markers of
/// `name`.
fn docs_section(name: &str, section: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/bad-inputs.md");
    let doc = std::fs::read_to_string(path).expect("docs/bad-inputs.md");
    let begin = format!("<!-- {name}: begin -->\n");
    let end = format!("<!-- {name}: end -->");
    let (head, rest) = doc.split_once(&begin).expect("begin marker");
    let (current, tail) = rest.split_once(&end).expect("end marker");
    if std::env::var_os("VERBLIJF_WRITE_DOCS").is_some() {
        std::fs::write(path, format!("{head}{begin}{section}{end}{tail}")).expect("write docs");
        return;
    }
    assert_eq!(
        current, section,
        "docs/bad-inputs.md differs from the table in the test; VERBLIJF_WRITE_DOCS=1 rewrites it"
    );
}
