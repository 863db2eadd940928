//! The case parser: any bytes, read as YAML and as JSON, give a case or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verblijf_rules::{parse_case, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_case(text, Format::Yaml);
        let _ = parse_case(text, Format::Json);
    }
});
