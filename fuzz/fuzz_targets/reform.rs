//! The reform parser: any text applied to the law in force gives a reformed law or an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use verblijf_roster::simulate::apply;
use verblijf_rules::ParamSet;

fn params() -> &'static ParamSet {
    static PARAMS: OnceLock<ParamSet> = OnceLock::new();
    PARAMS.get_or_init(|| ParamSet::embedded().expect("the embedded parameters load"))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = apply(params(), text);
    }
});
