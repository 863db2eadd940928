//! Runs one assessment many times, for a profiler (`valgrind --tool=callgrind`).

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
        .unwrap_or(20_000);
    let mut eligible = 0;
    for _ in 0..n {
        eligible += assess(std::hint::black_box(&case), &params).eligible.len();
    }
    println!("{eligible}");
}
