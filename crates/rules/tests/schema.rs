//! The committed JSON Schema (`docs/case.schema.json`) must be the one the types generate.

#[test]
fn the_committed_case_schema_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/case.schema.json");
    let generated =
        serde_json::to_string_pretty(&verblijf_rules::case_schema()).expect("schema") + "\n";
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/case.schema.json is stale: run `cargo run -q -- schema > docs/case.schema.json`"
    );
}
