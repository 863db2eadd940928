//! The legal basis of each check, as the JSON API serves it: over real TCP, against the document that describes it.

mod common;

use common::*;

const ENGINEER: &str = r#"{"reference_date":"2026-03-02","person":{"id":"e1","birth_date":"1996-09-14","job_offer":{"recognised_sponsor":true,"gross_monthly_salary":4500,"contract_end":"indefinite"}}}"#;

#[tokio::test]
async fn every_check_of_an_answer_names_the_provisions_that_require_it_on_the_filing_date() {
    let s = start().await;
    let r = post_json(&s, "/api/v1/assess", ENGINEER).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    let hsm = &v["decisions"][0];
    assert_eq!(hsm["scheme"], "highly_skilled_migrant");
    let sponsor = hsm["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["code"] == "HSM-SPONSOR")
        .expect("the sponsor check");
    let bases = sponsor["legal_basis"].as_array().expect("legal_basis");
    let vb = bases
        .iter()
        .find(|b| b["bwb_id"] == "BWBR0011825")
        .expect("a basis in the Vb 2000");
    assert_eq!(vb["citation"], "art. 3.30a lid 1 Vb 2000");
    assert_eq!(
        vb["juriconnect"],
        "jci1.3:c:BWBR0011825&artikel=3.30a&lid=1&z=2026-03-02&g=2026-03-02"
    );
    assert_eq!(
        vb["url"],
        "https://wetten.overheid.nl/jci1.3:c:BWBR0011825&artikel=3.30a&lid=1&z=2026-03-02&g=2026-03-02"
    );
    for d in v["decisions"].as_array().expect("decisions") {
        for c in d["checks"].as_array().expect("checks") {
            assert!(c["legal_basis"].is_array(), "{c}");
        }
    }
}

#[tokio::test]
async fn the_api_document_lists_every_check_code_and_the_shape_of_a_legal_basis() {
    let s = start().await;
    let r = get(&s, "/api/openapi.json").await;
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    let schemas = &v["components"]["schemas"];
    let codes = schemas["Assessment"]["properties"]["decisions"]["items"]["properties"]["checks"]
        ["items"]["properties"]["code"]["enum"]
        .as_array()
        .expect("the check codes");
    assert!(codes.iter().any(|c| c == "FAM-INCOME"));
    assert_eq!(codes.len(), verblijf_rules::Code::all().count());
    assert!(schemas["LegalBasis"]["properties"]["juriconnect"].is_object());
}

#[tokio::test]
async fn the_result_page_cites_each_check_as_a_lawyer_writes_it_and_links_the_text_in_force() {
    let s = start().await;
    for (lang, label) in [("en", "Law:"), ("nl", "Wet:")] {
        let form = format!("role=worker&lang={lang}&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary=4500");
        let sent = request(
            &s,
            "POST",
            "/check",
            "application/x-www-form-urlencoded",
            form.as_bytes(),
        )
        .await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        let to = sent
            .headers
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .expect("redirect")
            .trim()
            .to_string();
        let r = get(&s, &to).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains(label), "{lang}: no legal basis shown");
        assert!(
            r.body.contains("<a href=\"https://wetten.overheid.nl/jci1.3:c:BWBR0011825&#38;artikel=3.30a&#38;lid=1&#38;z=2026-03-02&#38;g=2026-03-02\">art. 3.30a lid 1 Vb 2000</a>"),
            "{lang}: the sponsor's article is not linked"
        );
    }
}
