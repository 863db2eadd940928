//! One assessment: any case the parser accepts (YAML or JSON) is assessed under every scheme without a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use verblijf_rules::{assess, parse_case, Format, ParamSet};

fn params() -> &'static ParamSet {
    static PARAMS: OnceLock<ParamSet> = OnceLock::new();
    PARAMS.get_or_init(|| ParamSet::embedded().expect("the embedded parameters load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let format = Format::detect(None, text);
    if let Ok(case) = parse_case(text, format) {
        let _ = assess(&case, params());
    }
});
