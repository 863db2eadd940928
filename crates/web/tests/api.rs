//! Black-box tests: the app served on a random port, spoken to over real TCP.

mod common;

use common::*;
use verblijf_rules::ParamSet;

const ENGINEER: &str = r#"{"reference_date":"2026-03-02","person":{"id":"e1","birth_date":"1996-09-14","job_offer":{"recognised_sponsor":true,"gross_monthly_salary":4500,"contract_end":"indefinite"}}}"#;

#[tokio::test]
async fn health_says_which_engine_and_law_it_serves() {
    let s = start().await;
    let r = get(&s, "/healthz").await;
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["status"], "ok");
    assert_eq!(v["params_hash"].as_str().map(str::len), Some(64));
}

#[tokio::test]
async fn assess_gives_the_same_answer_as_the_library_with_a_receipt() {
    let s = start().await;
    let r = post_json(&s, "/api/v1/assess", ENGINEER).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    let params = ParamSet::embedded().expect("params");
    let case = verblijf_rules::parse_case(ENGINEER, verblijf_rules::Format::Json).expect("case");
    let expected = serde_json::to_value(verblijf_rules::assess(&case, &params)).expect("json");
    assert_eq!(v, expected);
    assert_eq!(v["decisions"][0]["outcome"], "eligible");
}

#[tokio::test]
async fn a_bad_case_is_a_problem_that_names_the_field() {
    let s = start().await;
    let bad = ENGINEER.replace("4500", "-4500");
    let r = post_json(&s, "/api/v1/assess", &bad).await;
    assert_eq!(r.status, 422);
    assert!(
        r.headers
            .to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{}",
        r.headers
    );
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["field"], "person.job_offer.gross_monthly_salary");
    assert!(v["detail"]
        .as_str()
        .expect("detail")
        .contains("non-negative"));
    for body in [
        "",
        "{",
        "[]",
        "null",
        "{\"reference_date\":1}",
        "\u{0}\u{1}",
    ] {
        let r = post_json(&s, "/api/v1/assess", body).await;
        assert!(
            r.status == 400 || r.status == 422,
            "{body:?} gave {}",
            r.status
        );
        assert!(r.body.contains("\"detail\""), "{}", r.body);
    }
    let r = get(&s, "/api/v1/assess").await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_without_a_500() {
    let s = start().await;
    let big = format!(
        "{{\"reference_date\":\"2026-01-01\",\"person\":{{\"id\":\"{}\"}}}}",
        "x".repeat(verblijf_web::BODY_LIMIT + 10)
    );
    let r = post_json(&s, "/api/v1/assess", &big).await;
    assert_eq!(r.status, 413, "{}", r.body);
}

#[tokio::test]
async fn can_work_answers_for_a_household_member() {
    let s = start().await;
    let case = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/household-four.yaml"
    ))
    .expect("example");
    let case = verblijf_rules::parse_case(&case, verblijf_rules::Format::Yaml).expect("case");
    let json = serde_json::to_string(&case).expect("json");
    let r = post_json(&s, "/api/v1/can-work?person=ben", &json).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["work_rights"]["status"], "free");
    assert_eq!(v["work_rights"]["until"], "2026-08-31");
    let r = post_json(&s, "/api/v1/can-work?person=zoe", &json).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("\"field\":\"person\""), "{}", r.body);
    let r = post_json(&s, "/api/v1/can-work?person=ben&date=2026-02-30", &json).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn parameters_in_force_and_one_history_with_sources() {
    let s = start().await;
    let r = get(&s, "/api/v1/params?date=2013-06-01").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    let p = v["params"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["id"] == "hsm.salary_30plus")
        .expect("param")
        .clone();
    assert_eq!(p["value"]["value"], "52010.00");
    let r = get(&s, "/api/v1/params/hsm.salary_30plus").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert!(v["param"]["values"].as_array().expect("values").len() >= 15);
    assert!(v["param"]["values"][0]["source"]["url"]
        .as_str()
        .expect("url")
        .starts_with("http"));
    assert_eq!(get(&s, "/api/v1/params/no.such").await.status, 404);
    assert_eq!(get(&s, "/api/v1/params?date=yesterday").await.status, 400);
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let s = start().await;
    let r = get(&s, "/api/openapi.json").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(v["openapi"], "3.1.0");
    for path in [
        "/api/v1/assess",
        "/api/v1/can-work",
        "/api/v1/params",
        "/api/v1/params/{id}",
        "/api/v1/schema",
        "/healthz",
    ] {
        assert!(v["paths"][path].is_object(), "{path}");
    }
    // Every $ref resolves inside the document.
    let text = r.body.clone();
    for part in text.split("\"$ref\":\"").skip(1) {
        let target = part.split('"').next().expect("ref");
        let pointer = target.trim_start_matches('#');
        assert!(v.pointer(pointer).is_some(), "dangling $ref {target}");
    }
    let docs = get(&s, "/api/docs").await;
    assert!(docs.body.contains("/api/v1/assess"));
}

#[tokio::test]
async fn metrics_count_requests_and_decisions() {
    let s = start().await;
    post_json(&s, "/api/v1/assess", ENGINEER).await;
    let r = get(&s, "/metrics").await;
    assert!(r.body.contains("verblijf_http_requests_total{route=\"/api/v1/assess\",method=\"POST\",status=\"200\"} 1"), "{}", r.body);
    assert!(
        r.body.contains(
            "verblijf_decisions_total{scheme=\"highly_skilled_migrant\",outcome=\"eligible\"} 1"
        ),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains("verblijf_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn the_check_works_without_javascript_in_both_languages() {
    let s = start().await;
    let home = get(&s, "/?lang=nl").await;
    assert!(home.body.contains("Ik wil komen werken") && home.body.contains("lang=\"nl\""));
    let form = get(&s, "/check?role=worker&lang=en").await;
    assert!(
        form.body.contains("<label for=\"f-salary\">"),
        "labels tie to inputs"
    );
    let r = request(&s, "POST", "/check", "application/x-www-form-urlencoded", b"role=worker&lang=en&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary=4500&work_role=regular").await;
    assert_eq!(r.status, 303, "{}", r.headers);
    let location = r
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .expect("redirect")
        .trim()
        .to_string();
    let result = get(&s, &location).await;
    assert_eq!(result.status, 200);
    assert!(
        result
            .body
            .contains("highly skilled migrant — <span class=\"eligible\">eligible</span>"),
        "{}",
        result.body
    );
    assert!(result.body.contains("file on or before 2026-09-13"));
    let nl = get(&s, &location.replace("lang=en", "lang=nl")).await;
    assert!(nl.body.contains("komt in aanmerking"));
    let bad = request(
        &s,
        "POST",
        "/check",
        "application/x-www-form-urlencoded",
        b"role=worker&lang=en&date=2026-13-01&salary=abc",
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Expected a date such as") && bad.body.contains("aria-invalid"));
    assert_eq!(get(&s, "/result?c=%%%").await.status, 400);
}
