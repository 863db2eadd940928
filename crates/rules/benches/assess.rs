//! One complete assessment of one person (every scheme), with and without rendering the explanation.

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
    bencher.bench_local(|| {
        let a = assess(divan::black_box(&case), &params);
        let mut n = 0usize;
        for d in &a.decisions {
            for c in &d.checks {
                n += c.reason(Lang::En).len() + c.reason(Lang::Nl).len();
            }
        }
        n
    });
}
