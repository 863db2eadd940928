//! One complete assessment of one person (every scheme), with and without rendering the explanation.

use std::fmt::Write;

use verblijf_rules::rules::Reason;
use verblijf_rules::{assess, parse_case, Format, Lang, ParamSet};

fn main() {
    divan::main();
}

const ENGINEER: &str = include_str!("../../../examples/engineer-29.yaml");

#[divan::bench]
fn assessment_without_explanation(bencher: divan::Bencher) {
    let params = ParamSet::embedded().expect("params");
    let case = parse_case(ENGINEER, Format::Yaml).expect("case");
    bencher.bench_local(|| assess(divan::black_box(&case), &params));
}

#[divan::bench]
fn assessment_with_explanation_in_both_languages(bencher: divan::Bencher) {
    let params = ParamSet::embedded().expect("params");
    let case = parse_case(ENGINEER, Format::Yaml).expect("case");
    let mut text = String::with_capacity(1 << 14);
    bencher.bench_local(|| {
        let a = assess(divan::black_box(&case), &params);
        // Every check's reason in English and Dutch, written into one buffer as a page or an answer is.
        text.clear();
        for d in &a.decisions {
            for c in &d.checks {
                for lang in [Lang::En, Lang::Nl] {
                    let _ = writeln!(text, "{}", Reason(c, lang));
                }
            }
        }
        text.len()
    });
}
