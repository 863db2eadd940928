//! The roster's CSV rows, through its public reader: any bytes after a header of every column, and any bytes as a
//! whole roster, give cases and rejected rows or an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use verblijf_roster::row::{read_roster, COLUMNS};

fn header() -> &'static [u8] {
    static HEADER: OnceLock<Vec<u8>> = OnceLock::new();
    HEADER.get_or_init(|| {
        let names: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
        format!("{}\n", names.join(",")).into_bytes()
    })
}

fuzz_target!(|data: &[u8]| {
    let mut with_header = header().to_vec();
    with_header.extend_from_slice(data);
    let _ = read_roster(with_header.as_slice());
    let _ = read_roster(data);
});
