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
        &format!("/api/v1/register/alerts.ics?date=2025-06-01&token={t}"),
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
