//! docs/roster-format.md documents every roster column, and only those.

use verblijf_roster::row::COLUMNS;

#[test]
fn every_column_is_documented_in_the_roster_format() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/roster-format.md"),
    )
    .expect("docs/roster-format.md");
    let table = doc
        .split("## Columns")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a section `## Columns`");
    let documented: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    for (column, _) in COLUMNS {
        assert!(
            documented.contains(column),
            "column `{column}` is read by the roster but not documented in docs/roster-format.md"
        );
    }
    for column in &documented {
        assert!(
            COLUMNS.iter().any(|(c, _)| c == column),
            "docs/roster-format.md documents `{column}`, which the roster does not read"
        );
    }
    assert_eq!(
        documented.len(),
        COLUMNS.len(),
        "a column is documented twice"
    );
}
