//! Runs one assessment many times, for a profiler (`valgrind --tool=callgrind`). With `explain` as the second
//! argument, every check's reason is also rendered in English and Dutch.

use std::fmt::Write;

use verblijf_rules::rules::Reason;
use verblijf_rules::{assess, parse_case, Format, Lang, ParamSet};

fn main() {
    let params = ParamSet::embedded().expect("params");
    let case = parse_case(
        include_str!("../../../examples/engineer-29.yaml"),
        Format::Yaml,
    )
    .expect("case");
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let explain = args.next().as_deref() == Some("explain");
    let mut total = 0;
    let mut text = String::with_capacity(1 << 14);
    for _ in 0..n {
        let a = assess(std::hint::black_box(&case), &params);
        total += a.eligible.len();
        if explain {
            // Every reason in both languages, written into one buffer as a page or an answer would be.
            text.clear();
            for d in &a.decisions {
                for c in &d.checks {
                    for lang in [Lang::En, Lang::Nl] {
                        let _ = writeln!(text, "{}", Reason(c, lang));
                    }
                }
            }
            total += text.len();
        }
    }
    println!("{total}");
}
