//! Serialises one assessment (with every reason in both languages) many times, for a profiler.

use verblijf_rules::{assess, parse_case, Format, ParamSet};

fn main() {
    let params = ParamSet::embedded().expect("params");
    let case = parse_case(
        include_str!("../../../examples/engineer-29.yaml"),
        Format::Yaml,
    )
    .expect("case");
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5_000);
    let a = assess(&case, &params);
    let mut bytes = 0;
    for _ in 0..n {
        bytes += serde_json::to_vec(std::hint::black_box(&a))
            .map(|v| v.len())
            .unwrap_or(0);
    }
    println!("{bytes}");
}
