//! The register over HTTP, on a real server with a SQLite register: an organisation, a household of three, its
//! assessment kept as a snapshot, export and erasure, and another organisation refused.

mod common;

use common::*;
use serde_json::Value;

async fn register_server() -> Server {
    let dir = std::env::temp_dir().join(format!(
        "verblijf-web-register-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let store = verblijf_store::Store::open(dir.join("r.db").to_str().expect("utf8"))
        .await
        .expect("store");
    start_with(Some(store)).await
}

fn json(r: &Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {} {}", r.status, r.body))
}

/// A calendar feed token of the token's user.
async fn feed_token(s: &Server, t: &str) -> String {
    let r = call(s, "POST", "/api/v1/register/feed-token", Some(t), "").await;
    assert_eq!(r.status, 201, "{}", r.body);
    json(&r)["token"].as_str().expect("token").to_string()
}

async fn org(s: &Server, email: &str) -> String {
    let r = call(
        s,
        "POST",
        "/api/v1/register/organisations",
        None,
        &format!(
            r#"{{"name":"Org of {email}","email":"{email}","password":"correct horse battery"}}"#
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    json(&r)["token"].as_str().expect("token").to_string()
}

#[tokio::test]
async fn a_household_of_three_is_kept_assessed_exported_and_erased() {
    let s = register_server().await;
    let t = org(&s, "hr@acme.example").await;
    let h = json(
        &call(
            &s,
            "POST",
            "/api/v1/register/households",
            Some(&t),
            r#"{"name":"Sharma"}"#,
        )
        .await,
    )["id"]
        .as_str()
        .expect("id")
        .to_string();
    let add = |name: &str, birth: &str| {
        format!(
            r#"{{"household_id":"{h}","name":"{name}","birth_date":"{birth}","nationality":"IN"}}"#
        )
    };
    let anna = json(
        &call(
            &s,
            "POST",
            "/api/v1/register/people",
            Some(&t),
            &add("Anna", "1994-08-20"),
        )
        .await,
    )["id"]
        .as_str()
        .expect("id")
        .to_string();
    let ben = json(
        &call(
            &s,
            "POST",
            "/api/v1/register/people",
            Some(&t),
            &add("Ben", "1992-02-11"),
        )
        .await,
    )["id"]
        .as_str()
        .expect("id")
        .to_string();
    let cleo = json(
        &call(
            &s,
            "POST",
            "/api/v1/register/people",
            Some(&t),
            &add("Cleo", "2020-04-02"),
        )
        .await,
    )["id"]
        .as_str()
        .expect("id")
        .to_string();
    for (who, kind, until, sponsor) in [
        (&anna, "highly_skilled_migrant", "2026-08-31", None),
        (&ben, "family_member", "2028-10-14", Some(&anna)),
        (&cleo, "family_member", "2026-08-31", Some(&anna)),
    ] {
        let sponsor = sponsor
            .map(|a| format!(r#","sponsor_person_id":"{a}""#))
            .unwrap_or_default();
        let r = call(&s, "POST", "/api/v1/register/permits", Some(&t), &format!(r#"{{"person_id":"{who}","kind":"{kind}","valid_from":"2023-10-15","valid_until":"{until}"{sponsor}}}"#)).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = call(
        &s,
        "POST",
        "/api/v1/register/relationships",
        Some(&t),
        &format!(
            r#"{{"kind":"partner","a":"{anna}","b":"{ben}","form":"married","from":"2018-05-05"}}"#
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    call(
        &s,
        "POST",
        "/api/v1/register/relationships",
        Some(&t),
        &format!(r#"{{"kind":"child","a":"{anna}","b":"{cleo}"}}"#),
    )
    .await;
    let r = call(
        &s,
        "POST",
        &format!("/api/v1/register/households/{h}/assess?date=2025-06-01"),
        Some(&t),
        "",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let a = json(&r);
    let ben_work = a["assessment"]["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["id"] == ben.as_str())
        .expect("ben")["work_rights"]
        .clone();
    assert_eq!(ben_work["status"], "free");
    assert_eq!(ben_work["until"], "2026-08-31");
    let snaps = json(
        &call(
            &s,
            "GET",
            &format!("/api/v1/register/households/{h}/assessments"),
            Some(&t),
            "",
        )
        .await,
    );
    assert_eq!(snaps.as_array().map(Vec::len), Some(1));
    // Nothing changed under the same law; a later date ends the family permits with Anna's.
    let same = json(
        &call(
            &s,
            "GET",
            &format!("/api/v1/register/households/{h}/changes"),
            Some(&t),
            "",
        )
        .await,
    );
    assert_eq!(same["params_changed"], false);
    assert_eq!(same["changes"].as_array().map(Vec::len), Some(0), "{same}");
    let later = json(
        &call(
            &s,
            "GET",
            &format!("/api/v1/register/households/{h}/changes?date=2026-09-01"),
            Some(&t),
            "",
        )
        .await,
    );
    assert!(
        later["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["person"] == ben.as_str()
                && c["what"] == "work_rights"
                && c["before"] == "free"
                && c["after"] == "not_allowed"),
        "{later}"
    );
    // Alerts, as JSON and as a calendar feed.
    let alerts = json(
        &call(
            &s,
            "GET",
            "/api/v1/register/alerts?date=2025-06-01",
            Some(&t),
            "",
        )
        .await,
    );
    let list = alerts["alerts"].as_array().expect("alerts");
    assert!(
        list.iter().any(|a| a["person"] == "Ben"
            && a["kind"] == "ends_with_sponsor"
            && a["date"] == "2026-08-31"),
        "{alerts}"
    );
    assert!(
        list.iter().any(|a| a["person"] == "Anna"
            && a["kind"] == "extension_window_opens"
            && a["date"] == "2026-05-31"),
        "{alerts}"
    );
    let ics = call(
        &s,
        "GET",
        &format!(
            "/api/v1/register/alerts.ics?date=2025-06-01&token={}",
            feed_token(&s, &t).await
        ),
        None,
        "",
    )
    .await;
    assert_eq!(ics.status, 200);
    assert!(ics
        .headers
        .to_ascii_lowercase()
        .contains("content-type: text/calendar"));
    assert!(
        ics.body.starts_with("BEGIN:VCALENDAR")
            && ics.body.contains("DTSTART;VALUE=DATE:20260831")
            && ics.body.contains("SUMMARY:Ben: ends with sponsor"),
        "{}",
        ics.body
    );
    assert_eq!(
        call(
            &s,
            "GET",
            "/api/v1/register/alerts.ics?token=vbl_wrong",
            None,
            ""
        )
        .await
        .status,
        401
    );
    // Export and erase.
    let export = json(
        &call(
            &s,
            "GET",
            &format!("/api/v1/register/people/{ben}/export"),
            Some(&t),
            "",
        )
        .await,
    );
    assert_eq!(export["person"]["name"], "Ben");
    assert_eq!(
        call(
            &s,
            "DELETE",
            &format!("/api/v1/register/people/{ben}"),
            Some(&t),
            ""
        )
        .await
        .status,
        204
    );
    let after = call(
        &s,
        "GET",
        &format!("/api/v1/register/people/{ben}/export"),
        Some(&t),
        "",
    )
    .await;
    assert!(
        !after.body.contains("Ben") && !after.body.contains("1992-02-11"),
        "{}",
        after.body
    );
    let audit = json(&call(&s, "GET", "/api/v1/register/audit", Some(&t), "").await);
    assert_eq!(
        audit
            .as_array()
            .and_then(|a| a.last())
            .map(|e| e["action"].clone()),
        Some(Value::from("erase"))
    );
}

#[tokio::test]
async fn requests_without_a_token_or_from_another_organisation_are_refused_without_a_leak() {
    let s = register_server().await;
    let a = org(&s, "a@a.example").await;
    let b = org(&s, "b@b.example").await;
    let p = json(
        &call(
            &s,
            "POST",
            "/api/v1/register/people",
            Some(&a),
            r#"{"name":"Private Person","bsn":"111222333"}"#,
        )
        .await,
    )["id"]
        .as_str()
        .expect("id")
        .to_string();
    for (method, path) in [
        ("GET", format!("/api/v1/register/people/{p}")),
        ("GET", format!("/api/v1/register/people/{p}/export")),
        ("DELETE", format!("/api/v1/register/people/{p}")),
    ] {
        let r = call(&s, method, &path, Some(&b), "").await;
        assert_eq!(r.status, 404, "{method} {path}: {}", r.body);
        assert!(!r.body.contains("Private") && !r.body.contains("111222333"));
        let r = call(&s, method, &path, None, "").await;
        assert_eq!(r.status, 401, "{method} {path}");
        let r = call(&s, method, &path, Some("vbl_wrong"), "").await;
        assert_eq!(r.status, 401, "{method} {path}");
    }
    let people_b = json(&call(&s, "GET", "/api/v1/register/people", Some(&b), "").await);
    assert_eq!(people_b.as_array().map(Vec::len), Some(0));
    // Bad input names the field.
    let r = call(
        &s,
        "POST",
        "/api/v1/register/people",
        Some(&a),
        r#"{"name":"X","bsn":"123456789"}"#,
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(json(&r)["field"], "bsn");
    let r = call(
        &s,
        "POST",
        "/api/v1/register/people",
        Some(&a),
        r#"{"name":"X","salary":1}"#,
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(json(&r)["field"], "salary");
}

#[tokio::test]
async fn a_viewer_reads_but_cannot_write_and_sign_in_is_rate_limited() {
    let s = register_server().await;
    let owner = org(&s, "o@v.example").await;
    let r = call(
        &s,
        "POST",
        "/api/v1/register/users",
        Some(&owner),
        r#"{"email":"v@v.example","password":"viewer password 1","role":"viewer"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = call(
        &s,
        "POST",
        "/api/v1/register/login",
        None,
        r#"{"email":"v@v.example","password":"viewer password 1"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let viewer = json(&r)["token"].as_str().expect("token").to_string();
    assert_eq!(
        call(&s, "GET", "/api/v1/register/people", Some(&viewer), "")
            .await
            .status,
        200
    );
    assert_eq!(
        call(
            &s,
            "POST",
            "/api/v1/register/people",
            Some(&viewer),
            r#"{"name":"N"}"#
        )
        .await
        .status,
        403
    );
    assert_eq!(
        call(
            &s,
            "POST",
            "/api/v1/register/users",
            Some(&viewer),
            r#"{"email":"x@v.example","password":"long enough pw","role":"owner"}"#
        )
        .await
        .status,
        403
    );
    let r = call(
        &s,
        "POST",
        "/api/v1/register/users",
        Some(&owner),
        r#"{"email":"y@v.example","password":"long enough pw","role":"king"}"#,
    )
    .await;
    assert_eq!(json(&r)["field"], "role");
    for _ in 0..5 {
        assert_eq!(
            call(
                &s,
                "POST",
                "/api/v1/register/login",
                None,
                r#"{"email":"v@v.example","password":"wrong wrong wrong"}"#
            )
            .await
            .status,
            401
        );
    }
    let r = call(
        &s,
        "POST",
        "/api/v1/register/login",
        None,
        r#"{"email":"v@v.example","password":"viewer password 1"}"#,
    )
    .await;
    assert_eq!(
        r.status, 429,
        "the sixth attempt within a minute waits, even with the right password"
    );
}

async fn post_id(s: &Server, t: &str, path: &str, body: &str) -> String {
    let r = call(s, "POST", path, Some(t), body).await;
    assert_eq!(r.status, 201, "{path}: {}", r.body);
    json(&r)["id"].as_str().expect("id").to_string()
}

/// A household: a highly skilled migrant until 2026-08-31 and a partner on a family permit; returns the partner's id.
async fn couple(s: &Server, t: &str, household: &str, sponsor: &str, partner: &str) -> String {
    let h = post_id(
        s,
        t,
        "/api/v1/register/households",
        &format!(r#"{{"name":"{household}"}}"#),
    )
    .await;
    let a = post_id(
        s,
        t,
        "/api/v1/register/people",
        &format!(r#"{{"household_id":"{h}","name":"{sponsor}","birth_date":"1994-08-20","nationality":"IN"}}"#),
    )
    .await;
    let b = post_id(
        s,
        t,
        "/api/v1/register/people",
        &format!(r#"{{"household_id":"{h}","name":"{partner}","birth_date":"1992-02-11","nationality":"IN"}}"#),
    )
    .await;
    post_id(s, t, "/api/v1/register/permits", &format!(r#"{{"person_id":"{a}","kind":"highly_skilled_migrant","valid_from":"2023-09-01","valid_until":"2026-08-31"}}"#)).await;
    post_id(s, t, "/api/v1/register/permits", &format!(r#"{{"person_id":"{b}","kind":"family_member","valid_from":"2023-10-15","valid_until":"2028-10-14","sponsor_person_id":"{a}"}}"#)).await;
    post_id(
        s,
        t,
        "/api/v1/register/relationships",
        &format!(r#"{{"kind":"partner","a":"{a}","b":"{b}","form":"married"}}"#),
    )
    .await;
    b
}

const OPT_IN: &str = r#"{"consent":{"text":"I agree that my employer's organisation may see my career profile and right to work until I withdraw.","version":"careers-2025-06","given_at":"2025-05-30"},"profile":{"skills":["Data analysis","Haskell"],"languages":["en","nl (A2)"],"education_level":"master","education_field":"Econometrics","available_from":"2025-07-01","hours_per_week":32}}"#;

#[tokio::test]
async fn partners_who_opt_in_are_candidates_and_others_see_nothing() {
    let s = register_server().await;
    let t = org(&s, "hr@acme.example").await;
    let other = org(&s, "hr@other.example").await;
    let ben = couple(&s, &t, "Sharma", "Anna", "Ben").await;
    let yara = couple(&s, &t, "Okafor", "Zed", "Yara").await;
    let career = format!("/api/v1/register/people/{ben}/career");
    // Not opted in: nobody is a candidate.
    let r = call(
        &s,
        "GET",
        "/api/v1/register/careers?date=2025-06-01",
        Some(&t),
        "",
    )
    .await;
    assert_eq!(json(&r)["candidates"], serde_json::json!([]), "{}", r.body);
    // Bad input names the field.
    for (body, field) in [
        (
            r#"{"consent":{"text":"x","version":"1"},"profile":{"hours_per_week":"many"}}"#,
            "profile.hours_per_week",
        ),
        (r#"{"consent":{"text":"x"}}"#, "consent.version"),
        (
            r#"{"consent":{"text":"x","version":"1"},"profile":{"skils":[]}}"#,
            "profile.skils",
        ),
        (
            r#"{"consent":{"text":"x","version":"1"},"profile":{"education_level":"guru"}}"#,
            "education_level",
        ),
        (
            r#"{"consent":{"text":"x","version":"1","given_at":"2999-01-01"}}"#,
            "consent.given_at",
        ),
    ] {
        let r = call(&s, "POST", &career, Some(&t), body).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert!(r.headers.contains("application/problem+json"));
        assert_eq!(json(&r)["field"], field, "{body}");
    }
    let r = call(&s, "POST", &career, Some(&t), OPT_IN).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(json(&r)["active"], true);
    assert_eq!(
        call(&s, "POST", &career, Some(&t), OPT_IN).await.status,
        409
    );
    let r = call(
        &s,
        "GET",
        "/api/v1/register/careers?date=2025-06-01",
        Some(&t),
        "",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = json(&r);
    let candidates = list["candidates"].as_array().expect("candidates");
    assert_eq!(candidates.len(), 1, "{list}");
    assert_eq!(candidates[0]["name"], "Ben");
    assert_eq!(candidates[0]["profile"]["skills"][1], "Haskell");
    assert_eq!(candidates[0]["work_rights"]["status"], "free");
    assert_eq!(candidates[0]["work_rights"]["until"], "2026-08-31");
    let report = json(
        &call(
            &s,
            "GET",
            "/api/v1/register/careers/report?date=2025-06-01",
            Some(&t),
            "",
        )
        .await,
    );
    assert_eq!(report["candidates"], 1);
    assert_eq!(report["may_work_freely"], 1);
    assert_eq!(report["free"][0]["until"], "2026-08-31");
    for body in [list.to_string(), report.to_string()] {
        for hidden in [yara.as_str(), "Yara", "Zed", "Okafor", "Anna"] {
            assert!(!body.contains(hidden), "{hidden} shown: {body}");
        }
    }
    assert_eq!(
        call(
            &s,
            "GET",
            "/api/v1/register/careers?date=soon",
            Some(&t),
            ""
        )
        .await
        .status,
        400
    );
    // Another organisation: not found for every method, nothing leaked, empty lists.
    for method in ["GET", "POST", "PUT", "DELETE"] {
        let body = match method {
            "POST" => OPT_IN,
            "PUT" => r#"{"skills":["x"]}"#,
            _ => "",
        };
        let r = call(&s, method, &career, Some(&other), body).await;
        assert_eq!(r.status, 404, "{method}: {}", r.body);
        for secret in ["Ben", "Haskell", "Econometrics"] {
            assert!(!r.body.contains(secret), "{method} leaked {secret}");
        }
        assert_eq!(call(&s, method, &career, None, body).await.status, 401);
    }
    let r = call(&s, "GET", "/api/v1/register/careers", Some(&other), "").await;
    assert_eq!(json(&r)["candidates"], serde_json::json!([]));
    let r = call(
        &s,
        "GET",
        "/api/v1/register/careers/report",
        Some(&other),
        "",
    )
    .await;
    assert_eq!(json(&r)["candidates"], 0);
    // The profile changes; withdrawal hides Ben and deletes it, the consent stays in his export.
    let r = call(
        &s,
        "PUT",
        &career,
        Some(&t),
        r#"{"skills":["Rust"],"hours_per_week":40}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["profile"]["skills"], serde_json::json!(["Rust"]));
    let r = call(&s, "DELETE", &career, Some(&t), "").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["profile"], Value::Null);
    let r = call(
        &s,
        "GET",
        "/api/v1/register/careers?date=2025-06-01",
        Some(&t),
        "",
    )
    .await;
    assert_eq!(json(&r)["candidates"], serde_json::json!([]));
    assert_eq!(call(&s, "DELETE", &career, Some(&t), "").await.status, 409);
    let export = json(
        &call(
            &s,
            "GET",
            &format!("/api/v1/register/people/{ben}/export"),
            Some(&t),
            "",
        )
        .await,
    );
    assert_eq!(
        export["career"]["consents"][0]["version"],
        "careers-2025-06"
    );
    assert!(export["career"]["consents"][0]["withdrawn_at"].is_string());
    assert!(!export.to_string().contains("Rust"));
}

#[tokio::test]
async fn owners_set_warning_periods_and_alerts_follow_them() {
    let s = register_server().await;
    let t = org(&s, "hr@acme.example").await;
    let other = org(&s, "hr@other.example").await;
    let ben = couple(&s, &t, "Sharma", "Anna", "Ben").await;
    let r = call(&s, "GET", "/api/v1/register/settings", Some(&t), "").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["warning_days"]["dependant_permit_end"], 90);
    let due = |body: &Value| -> bool {
        body["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .any(|a| a["person_id"] == ben.as_str() && a["kind"] == "ends_with_sponsor")
    };
    let path = "/api/v1/register/alerts?date=2025-06-01&due=true";
    assert!(!due(&json(&call(&s, "GET", path, Some(&t), "").await)));
    let all = json(
        &call(
            &s,
            "GET",
            "/api/v1/register/alerts?date=2025-06-01",
            Some(&t),
            "",
        )
        .await,
    );
    assert!(due(&all), "without ?due every deadline ahead is listed");
    // A viewer may not change settings; bad values name the field.
    let r = call(
        &s,
        "POST",
        "/api/v1/register/users",
        Some(&t),
        r#"{"email":"v@acme.example","password":"viewer password 1","role":"viewer"}"#,
    )
    .await;
    assert_eq!(r.status, 201);
    let viewer = json(
        &call(
            &s,
            "POST",
            "/api/v1/register/login",
            None,
            r#"{"email":"v@acme.example","password":"viewer password 1"}"#,
        )
        .await,
    )["token"]
        .as_str()
        .expect("token")
        .to_string();
    let set = r#"{"warning_days":{"dependant_permit_end":500}}"#;
    assert_eq!(
        call(&s, "PUT", "/api/v1/register/settings", Some(&viewer), set)
            .await
            .status,
        403
    );
    for (body, field) in [
        (
            r#"{"warning_days":{"contract_end":-5}}"#,
            "warning_days.contract_end",
        ),
        (
            r#"{"warning_days":{"birthday":5}}"#,
            "warning_days.birthday",
        ),
        (r#"{"warnings":{}}"#, "warnings"),
    ] {
        let r = call(&s, "PUT", "/api/v1/register/settings", Some(&t), body).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(json(&r)["field"], field);
    }
    let r = call(&s, "PUT", "/api/v1/register/settings", Some(&t), set).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(json(&r)["warning_days"]["dependant_permit_end"], 500);
    assert_eq!(json(&r)["warning_days"]["permit_end"], 90);
    assert!(due(&json(&call(&s, "GET", path, Some(&t), "").await)));
    assert_eq!(
        json(&call(&s, "GET", "/api/v1/register/settings", Some(&other), "").await)["warning_days"]
            ["dependant_permit_end"],
        90,
        "another organisation keeps its own"
    );
    let ics = call(
        &s,
        "GET",
        &format!(
            "/api/v1/register/alerts.ics?date=2025-06-01&token={}",
            feed_token(&s, &t).await
        ),
        None,
        "",
    )
    .await;
    assert!(
        ics.body.contains("BEGIN:VALARM") && ics.body.contains("TRIGGER:-P500D"),
        "{}",
        ics.body
    );
    // The routes are in the OpenAPI document.
    let doc = json(&call(&s, "GET", "/api/openapi.json", None, "").await);
    for (path, method) in [
        ("/api/v1/register/people/{id}/career", "post"),
        ("/api/v1/register/people/{id}/career", "delete"),
        ("/api/v1/register/careers", "get"),
        ("/api/v1/register/careers/report", "get"),
        ("/api/v1/register/settings", "put"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
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

async fn status(s: &Server, method: &str, path: &str, t: &str, body: &str) -> (u16, Value) {
    let r = call(s, method, path, Some(t), body).await;
    let v = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, v)
}

#[tokio::test]
async fn households_permits_and_contracts_are_read_and_changed_and_bad_ones_refused() {
    let s = register_server().await;
    let t = org(&s, "o@edit.example").await;
    let h = post_id(
        &s,
        &t,
        "/api/v1/register/households",
        r#"{"name":"Sharma"}"#,
    )
    .await;
    let anna = post_id(
        &s,
        &t,
        "/api/v1/register/people",
        &format!(r#"{{"household_id":"{h}","name":"Anna 100%","birth_date":"1994-08-20"}}"#),
    )
    .await;
    let ben = post_id(
        &s,
        &t,
        "/api/v1/register/people",
        &format!(r#"{{"household_id":"{h}","name":"Ben_S","birth_date":"1992-02-11"}}"#),
    )
    .await;
    // A household renamed and read back, with its members.
    let (code, v) = status(
        &s,
        "PUT",
        &format!("/api/v1/register/households/{h}"),
        &t,
        r#"{"name":"Sharma-Rao"}"#,
    )
    .await;
    assert_eq!((code, v["name"].clone()), (200, Value::from("Sharma-Rao")));
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/households/{h}"),
        &t,
        "",
    )
    .await;
    assert_eq!((code, v["name"].clone()), (200, Value::from("Sharma-Rao")));
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/households/{h}/members"),
        &t,
        "",
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(v.as_array().map(Vec::len), Some(2), "{v}");
    // A person changed.
    let (code, v) = status(
        &s,
        "PUT",
        &format!("/api/v1/register/people/{ben}"),
        &t,
        &format!(r#"{{"household_id":"{h}","name":"Ben_S","birth_date":"1992-02-12"}}"#),
    )
    .await;
    assert_eq!(
        (code, v["birth_date"].clone()),
        (200, Value::from("1992-02-12")),
        "{v}"
    );
    // A permit added, read, changed; listed under its person.
    let permit = post_id(&s, &t, "/api/v1/register/permits", &format!(r#"{{"person_id":"{anna}","kind":"highly_skilled_migrant","valid_from":"2023-09-01","valid_until":"2026-08-31"}}"#)).await;
    let (code, v) = status(&s, "PUT", &format!("/api/v1/register/permits/{permit}"), &t, &format!(r#"{{"person_id":"{anna}","kind":"highly_skilled_migrant","valid_from":"2023-09-01","valid_until":"2028-08-31"}}"#)).await;
    assert_eq!(
        (code, v["valid_until"].clone()),
        (200, Value::from("2028-08-31")),
        "{v}"
    );
    let (code, v) = status(&s, "PUT", &format!("/api/v1/register/permits/{permit}"), &t, &format!(r#"{{"person_id":"{anna}","kind":"highly_skilled_migrant","valid_from":"2023-09-01","valid_until":"2022-08-31"}}"#)).await;
    assert_eq!(
        (code, v["field"].clone()),
        (422, Value::from("valid_until")),
        "{v}"
    );
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/permits/{permit}"),
        &t,
        "",
    )
    .await;
    assert_eq!(
        (code, v["valid_until"].clone()),
        (200, Value::from("2028-08-31"))
    );
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/people/{anna}/permits"),
        &t,
        "",
    )
    .await;
    assert_eq!(
        (code, v[0]["id"].clone()),
        (200, Value::from(permit.as_str()))
    );
    // A contract that ends before it starts is refused, added or changed.
    let (code, v) = status(
        &s,
        "POST",
        "/api/v1/register/contracts",
        &t,
        &format!(r#"{{"person_id":"{anna}","start_date":"2025-06-01","end_date":"2025-05-31"}}"#),
    )
    .await;
    assert_eq!(
        (code, v["field"].clone()),
        (422, Value::from("end_date")),
        "{v}"
    );
    let contract = post_id(&s, &t, "/api/v1/register/contracts", &format!(r#"{{"person_id":"{anna}","employer":"Acme","gross_monthly_salary":"5600.50","start_date":"2025-06-01"}}"#)).await;
    let (code, v) = status(&s, "PUT", &format!("/api/v1/register/contracts/{contract}"), &t, r#"{"employer":"Acme","gross_monthly_salary":6000,"start_date":"2025-06-01","end_date":"2027-05-31"}"#).await;
    assert_eq!(
        (
            code,
            v["gross_monthly_salary_cents"].clone(),
            v["end_date"].clone()
        ),
        (200, Value::from(600_000), Value::from("2027-05-31")),
        "{v}"
    );
    let (code, v) = status(
        &s,
        "PUT",
        &format!("/api/v1/register/contracts/{contract}"),
        &t,
        r#"{"start_date":"2025-06-01","end_date":"2025-01-01"}"#,
    )
    .await;
    assert_eq!(
        (code, v["field"].clone()),
        (422, Value::from("end_date")),
        "{v}"
    );
    let (code, v) = status(
        &s,
        "PUT",
        &format!("/api/v1/register/contracts/{contract}"),
        &t,
        r#"{"person_id":"x"}"#,
    )
    .await;
    assert_eq!(
        (code, v["field"].clone()),
        (422, Value::from("person_id")),
        "{v}"
    );
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/contracts/{contract}"),
        &t,
        "",
    )
    .await;
    assert_eq!((code, v["employer"].clone()), (200, Value::from("Acme")));
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/people/{anna}/contracts"),
        &t,
        "",
    )
    .await;
    assert_eq!((code, v.as_array().map(Vec::len)), (200, Some(1)));
    // Links: not to oneself, a known form, none for a child.
    for (body, field) in [
        (
            format!(r#"{{"kind":"partner","a":"{anna}","b":"{anna}"}}"#),
            "b",
        ),
        (
            format!(r#"{{"kind":"partner","a":"{anna}","b":"{ben}","form":"engaged"}}"#),
            "form",
        ),
        (
            format!(r#"{{"kind":"child","a":"{anna}","b":"{ben}","form":"married"}}"#),
            "form",
        ),
    ] {
        let (code, v) = status(&s, "POST", "/api/v1/register/relationships", &t, &body).await;
        assert_eq!(
            (code, v["field"].clone()),
            (422, Value::from(field)),
            "{body}: {v}"
        );
    }
    post_id(
        &s,
        &t,
        "/api/v1/register/relationships",
        &format!(r#"{{"kind":"partner","a":"{anna}","b":"{ben}","form":"registered"}}"#),
    )
    .await;
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/households/{h}/relationships"),
        &t,
        "",
    )
    .await;
    assert_eq!(
        (code, v[0]["form"].clone()),
        (200, Value::from("registered")),
        "{v}"
    );
    // `%` and `_` in a search match themselves.
    let (_, v) = status(&s, "GET", "/api/v1/register/people?search=%25", &t, "").await;
    assert_eq!(
        v.as_array()
            .map(|a| a.iter().map(|p| p["name"].clone()).collect::<Vec<_>>()),
        Some(vec![Value::from("Anna 100%")])
    );
    let (_, v) = status(&s, "GET", "/api/v1/register/people?search=_", &t, "").await;
    assert_eq!(
        v.as_array()
            .map(|a| a.iter().map(|p| p["name"].clone()).collect::<Vec<_>>()),
        Some(vec![Value::from("Ben_S")])
    );
    // Another organisation sees none of it.
    let other = org(&s, "o@other-edit.example").await;
    for path in [
        format!("/api/v1/register/households/{h}"),
        format!("/api/v1/register/households/{h}/members"),
        format!("/api/v1/register/households/{h}/relationships"),
        format!("/api/v1/register/people/{anna}/permits"),
        format!("/api/v1/register/people/{anna}/contracts"),
        format!("/api/v1/register/permits/{permit}"),
        format!("/api/v1/register/contracts/{contract}"),
    ] {
        let r = call(&s, "GET", &path, Some(&other), "").await;
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(!r.body.contains("Anna") && !r.body.contains("Acme"));
    }
    let (code, _) = status(
        &s,
        "PUT",
        &format!("/api/v1/register/contracts/{contract}"),
        &other,
        r#"{"employer":"Mine"}"#,
    )
    .await;
    assert_eq!(code, 404);
    // A viewer is refused a write before the body is read, whatever it holds.
    let r = call(
        &s,
        "POST",
        "/api/v1/register/users",
        Some(&t),
        r#"{"email":"v@edit.example","password":"viewer password 1","role":"viewer"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let viewer = json(
        &call(
            &s,
            "POST",
            "/api/v1/register/login",
            None,
            r#"{"email":"v@edit.example","password":"viewer password 1"}"#,
        )
        .await,
    )["token"]
        .as_str()
        .expect("token")
        .to_string();
    for (method, path) in [
        ("POST", "/api/v1/register/households".to_string()),
        ("POST", "/api/v1/register/people".to_string()),
        ("POST", "/api/v1/register/permits".to_string()),
        ("POST", "/api/v1/register/contracts".to_string()),
        ("POST", "/api/v1/register/relationships".to_string()),
        ("POST", "/api/v1/register/users".to_string()),
        ("PUT", "/api/v1/register/settings".to_string()),
        ("PUT", format!("/api/v1/register/households/{h}")),
        ("PUT", format!("/api/v1/register/people/{anna}")),
        ("PUT", format!("/api/v1/register/permits/{permit}")),
        ("PUT", format!("/api/v1/register/contracts/{contract}")),
        ("POST", format!("/api/v1/register/people/{ben}/career")),
        ("PUT", format!("/api/v1/register/people/{ben}/career")),
    ] {
        for body in ["{not json", r#"{"unknown":1}"#, ""] {
            let r = call(&s, method, &path, Some(&viewer), body).await;
            assert_eq!(r.status, 403, "{method} {path} {body:?}: {}", r.body);
        }
    }
    for (method, path) in [
        ("POST", format!("/api/v1/register/households/{h}/assess")),
        ("DELETE", format!("/api/v1/register/people/{anna}")),
        ("DELETE", format!("/api/v1/register/people/{ben}/career")),
    ] {
        assert_eq!(
            call(&s, method, &path, Some(&viewer), "").await.status,
            403,
            "{method} {path}"
        );
    }
    let (code, v) = status(
        &s,
        "GET",
        &format!("/api/v1/register/contracts/{contract}"),
        &viewer,
        "",
    )
    .await;
    assert_eq!((code, v["employer"].clone()), (200, Value::from("Acme")));
}

#[tokio::test]
async fn erasure_removes_the_snapshots_that_mention_the_person_and_export_shows_them_first() {
    let s = register_server().await;
    let t = org(&s, "o@erase.example").await;
    let ben = couple(&s, &t, "Quarterfield", "Zephyrine Quarterfield", "Ben").await;
    let members = json(
        &call(
            &s,
            "GET",
            "/api/v1/register/people?search=zephyrine",
            Some(&t),
            "",
        )
        .await,
    );
    let zq = members[0]["id"].as_str().expect("id").to_string();
    let h = members[0]["household_id"]
        .as_str()
        .expect("household")
        .to_string();
    let r = call(
        &s,
        "POST",
        &format!("/api/v1/register/households/{h}/assess?date=2025-06-01"),
        Some(&t),
        "",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body.contains(zq.as_str()));
    let export = json(
        &call(
            &s,
            "GET",
            &format!("/api/v1/register/people/{zq}/export"),
            Some(&t),
            "",
        )
        .await,
    );
    assert_eq!(
        export["assessments"].as_array().map(Vec::len),
        Some(1),
        "{export}"
    );
    assert_eq!(export["assessments"][0]["member"]["id"], zq.as_str());
    assert_eq!(
        call(
            &s,
            "DELETE",
            &format!("/api/v1/register/people/{zq}"),
            Some(&t),
            ""
        )
        .await
        .status,
        204
    );
    let snaps = json(
        &call(
            &s,
            "GET",
            &format!("/api/v1/register/households/{h}/assessments"),
            Some(&t),
            "",
        )
        .await,
    );
    assert_eq!(snaps, serde_json::json!([]));
    let audit = call(&s, "GET", "/api/v1/register/audit", Some(&t), "").await;
    assert!(
        !audit.body.contains("Zephyrine") && !audit.body.contains("1994-08-20"),
        "{}",
        audit.body
    );
    // The partner's household assesses without her, and the alerts still answer.
    let r = call(
        &s,
        "POST",
        &format!("/api/v1/register/households/{h}/assess?date=2025-06-01"),
        Some(&t),
        "",
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(!r.body.contains(zq.as_str()) && r.body.contains(ben.as_str()));
    assert_eq!(
        call(
            &s,
            "GET",
            "/api/v1/register/alerts?date=2025-06-01",
            Some(&t),
            ""
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn text_with_the_nul_character_is_refused_by_name_not_a_server_error() {
    let s = register_server().await;
    let t = org(&s, "o@nul.example").await;
    let (code, v) = status(
        &s,
        "POST",
        "/api/v1/register/households",
        &t,
        r#"{"name":"a\u0000b"}"#,
    )
    .await;
    assert_eq!(
        (code, v["field"].clone()),
        (422, Value::from("name")),
        "{v}"
    );
    let (code, v) = status(
        &s,
        "POST",
        "/api/v1/register/people/x/career",
        &t,
        r#"{"consent":{"text":"ok","version":"v\u0000"}}"#,
    )
    .await;
    assert_eq!(
        (code, v["field"].clone()),
        (422, Value::from("consent.version")),
        "{v}"
    );
    let r = call(
        &s,
        "POST",
        "/api/v1/register/login",
        None,
        r#"{"email":"a\u0000@b.example","password":"x"}"#,
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        call(&s, "GET", "/api/v1/register/people/a%00b", Some(&t), "")
            .await
            .status,
        404
    );
    assert_eq!(
        call(
            &s,
            "GET",
            "/api/v1/register/people?search=%00",
            Some(&t),
            ""
        )
        .await
        .status,
        400
    );
}

#[tokio::test]
async fn a_link_is_read_changed_when_a_partnership_ends_and_removed() {
    let s = register_server().await;
    let t = org(&s, "o@links.example").await;
    let other = org(&s, "o@other-links.example").await;
    let ben = couple(&s, &t, "Sharma", "Anna", "Ben").await;
    let (st, person) = status(&s, "GET", &format!("/api/v1/register/people/{ben}"), &t, "").await;
    assert_eq!(st, 200);
    let household = person["person"]["household_id"]
        .as_str()
        .or_else(|| person["household_id"].as_str())
        .expect("household")
        .to_string();
    let (st, links) = status(
        &s,
        "GET",
        &format!("/api/v1/register/households/{household}/relationships"),
        &t,
        "",
    )
    .await;
    assert_eq!(st, 200, "{links}");
    let id = links[0]["id"].as_str().expect("link id").to_string();
    let path = format!("/api/v1/register/relationships/{id}");
    let (st, link) = status(&s, "GET", &path, &t, "").await;
    assert_eq!((st, link["kind"].as_str()), (200, Some("partner")));
    // The partnership ends.
    let (st, ended) = status(
        &s,
        "PUT",
        &path,
        &t,
        r#"{"form":"married","until":"2025-03-01"}"#,
    )
    .await;
    assert_eq!(st, 200, "{ended}");
    assert_eq!(ended["until"], "2025-03-01");
    // Bad terms name the field.
    let (st, p) = status(
        &s,
        "PUT",
        &path,
        &t,
        r#"{"from":"2025-03-02","until":"2025-03-01"}"#,
    )
    .await;
    assert_eq!((st, p["field"].as_str()), (422, Some("until")), "{p}");
    let (st, p) = status(&s, "PUT", &path, &t, r#"{"kind":"child"}"#).await;
    assert_eq!(st, 422, "{p}");
    // Another organisation finds nothing, and learns nothing.
    for method in ["GET", "PUT", "DELETE"] {
        let (st, p) = status(&s, method, &path, &other, "{}").await;
        assert_eq!(st, 404, "{method}: {p}");
        assert!(!p.to_string().contains("Anna") && !p.to_string().contains(&id));
    }
    // Removed.
    let (st, _) = status(&s, "DELETE", &path, &t, "").await;
    assert_eq!(st, 204);
    let (st, _) = status(&s, "GET", &path, &t, "").await;
    assert_eq!(st, 404);
}
