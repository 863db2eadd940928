//! `verblijf schema`: the JSON Schema of the case format, generated from the types.

use crate::Failure;

pub fn run() -> Result<(), Failure> {
    let schema = verblijf_rules::case_schema();
    let text = serde_json::to_string_pretty(&schema).map_err(|e| Failure::Io(e.to_string()))?;
    println!("{text}");
    Ok(())
}
