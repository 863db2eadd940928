//! Policy simulation (what-if): a population under the law in force and under a reform. A reform is a YAML file
//! of parameter overrides over date ranges; the report counts outcomes under each, lists the people whose outcome
//! flips and why, and shows the distribution of salary margins against the criterion, as a self-contained HTML page
//! with SVG charts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::NaiveDate;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use verblijf_rules::params::{DatedValue, Source, Status, Value};
use verblijf_rules::{assess, Case, CheckStatus, Money, Outcome, ParamSet, Scheme};

/// A reform: parameter overrides over date ranges.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reform {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub overrides: Vec<Override>,
}

/// One override: either a new `value`, or `percent` of the values in force (110 raises by 10 %).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub param: String,
    pub from: NaiveDate,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    #[serde(default)]
    pub value: Option<serde_norway::Value>,
    #[serde(default)]
    pub percent: Option<serde_norway::Value>,
}

/// Reads a reform and applies it to a parameter set. Errors name the override and what is wrong.
pub fn apply(params: &ParamSet, reform_yaml: &str) -> Result<(Reform, ParamSet), String> {
    let de = serde_norway::Deserializer::from_str(reform_yaml);
    let reform: Reform = serde_path_to_error_free(de)?;
    let mut set = params.clone();
    for (i, o) in reform.overrides.iter().enumerate() {
        let at = |m: String| format!("overrides[{i}] ({}): {m}", o.param);
        let p = set
            .get(&o.param)
            .ok_or_else(|| at("no such parameter; see `verblijf params`".into()))?
            .clone();
        if o.until.is_some_and(|u| u < o.from) {
            return Err(at("`until` is before `from`".into()));
        }
        let source = Arc::new(Source {
            url: format!("reform:{}", reform.name),
            title: Some(reform.name.clone()),
            legal_basis: None,
            status: Status::Proposed,
            note: reform.description.clone(),
            checked: o.from,
        });
        match (&o.value, &o.percent) {
            (Some(v), None) => {
                let value = match p.unit {
                    verblijf_rules::params::Unit::Eur => Value::Amount(
                        serde_norway::from_value::<Money>(v.clone())
                            .map_err(|e| at(format!("value: {e}")))?,
                    ),
                    verblijf_rules::params::Unit::Boolean => Value::Flag(
                        v.as_bool()
                            .ok_or_else(|| at("value: expected true or false".into()))?,
                    ),
                    verblijf_rules::params::Unit::Code => Value::Code(
                        v.as_str()
                            .ok_or_else(|| at("value: expected text".into()))?
                            .to_string(),
                    ),
                    verblijf_rules::params::Unit::Date => Value::Date(
                        v.as_str()
                            .and_then(|s| s.parse().ok())
                            .ok_or_else(|| at("value: expected a date".into()))?,
                    ),
                    _ => {
                        let text = match v {
                            serde_norway::Value::Number(n) => n.to_string(),
                            _ => return Err(at("value: expected a number".into())),
                        };
                        Value::Number(
                            Money::parse(&text)
                                .map_err(|e| at(format!("value: {e}")))?
                                .cents(),
                        )
                    }
                };
                // The basis of the value in force at `from` (or the last one) carries over.
                let basis = p.at(o.from).or(p.values.last()).and_then(|v| v.basis);
                let dv = DatedValue {
                    from: Some(o.from),
                    until: o.until,
                    value,
                    basis,
                    source: source.clone(),
                };
                set = set
                    .with_override(&o.param, dv)
                    .map_err(|e| at(e.to_string()))?;
            }
            (None, Some(pct)) => {
                let text = match pct {
                    serde_norway::Value::Number(n) => n.to_string(),
                    _ => return Err(at("percent: expected a number such as 110".into())),
                };
                let pct = Money::parse(&text)
                    .map_err(|e| at(format!("percent: {e}")))?
                    .cents();
                let overlapping: Vec<DatedValue> = p
                    .values
                    .iter()
                    .filter(|v| {
                        v.until.is_none_or(|u| u >= o.from)
                            && o.until.is_none_or(|ou| v.from.is_none_or(|f| f <= ou))
                    })
                    .cloned()
                    .collect();
                if overlapping.is_empty() {
                    return Err(at(format!(
                        "percent: no value in force from {} to scale; give `value` instead",
                        o.from
                    )));
                }
                for v in overlapping {
                    let from = v.from.map_or(o.from, |f| f.max(o.from));
                    let until = match (v.until, o.until) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    let value = match v.value {
                        Value::Amount(m) => Value::Amount(Money::from_cents(div_round(
                            m.cents() as i128 * pct as i128,
                            10_000,
                        )
                            as i64)),
                        Value::Number(n) => {
                            Value::Number(div_round(n as i128 * pct as i128, 10_000) as i64)
                        }
                        _ => {
                            return Err(
                                at("percent: only amounts and numbers can be scaled".into()),
                            )
                        }
                    };
                    let dv = DatedValue {
                        from: Some(from),
                        until,
                        value,
                        basis: v.basis,
                        source: source.clone(),
                    };
                    set = set
                        .with_override(&o.param, dv)
                        .map_err(|e| at(e.to_string()))?;
                }
            }
            _ => return Err(at("give exactly one of `value` and `percent`".into())),
        }
    }
    Ok((reform, set))
}

fn serde_path_to_error_free(de: serde_norway::Deserializer<'_>) -> Result<Reform, String> {
    Reform::deserialize(de).map_err(|e| format!("reform: {e}"))
}

fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    if 2 * (n % d).abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// A person whose outcome differs under the reform.
#[derive(Clone, Debug, Serialize)]
pub struct Flip {
    pub id: String,
    pub scheme: Scheme,
    pub before: Outcome,
    pub after: Outcome,
    /// The check that decided it under the reform, with its reason.
    pub why: String,
}

/// The comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub reform: Reform,
    pub people: u64,
    pub baseline_hash: String,
    pub reform_hash: String,
    /// scheme -> outcome -> (before, after)
    pub counts: BTreeMap<Scheme, BTreeMap<Outcome, (u64, u64)>>,
    pub flips_total: u64,
    /// The first flips, in input order.
    pub flips: Vec<Flip>,
    /// HSM salary margin against the criterion, in percent of the criterion, in 5-point bins from -50 to +100:
    /// bin -> (before, after).
    pub margins: BTreeMap<i64, (u64, u64)>,
}

const MAX_FLIPS_LISTED: usize = 500;

fn margin_bin(d: &verblijf_rules::Decision) -> Option<i64> {
    let c = d.criterion.as_ref()?;
    if c.amount.cents() == 0 {
        return None;
    }
    let pct = (c.margin as i128 * 100 / c.amount.cents() as i128) as i64;
    Some((pct.clamp(-50, 100) / 5) * 5 - if pct < 0 && pct % 5 != 0 { 5 } else { 0 })
}

/// Runs a population (cases with ids) under both parameter sets, on `threads` threads.
pub fn compare(
    cases: &[Case],
    baseline: &ParamSet,
    reformed: &ParamSet,
    reform: Reform,
    threads: usize,
) -> Report {
    struct Part {
        counts: BTreeMap<Scheme, BTreeMap<Outcome, (u64, u64)>>,
        flips: Vec<(usize, Flip)>,
        flips_total: u64,
        margins: BTreeMap<i64, (u64, u64)>,
        people: u64,
    }
    let threads = threads.max(1);
    let per = cases.len().div_ceil(threads).max(1);
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(per)
            .enumerate()
            .map(|(ci, chunk)| {
                scope.spawn(move || {
                    let mut part = Part {
                        counts: BTreeMap::new(),
                        flips: Vec::new(),
                        flips_total: 0,
                        margins: BTreeMap::new(),
                        people: 0,
                    };
                    for (k, case) in chunk.iter().enumerate() {
                        for m in case.members() {
                            part.people += 1;
                            let mc = case.for_member(m);
                            let a = assess(&mc, baseline);
                            let b = assess(&mc, reformed);
                            for (da, db) in a.decisions.iter().zip(&b.decisions) {
                                let e = part.counts.entry(da.scheme).or_default();
                                e.entry(da.outcome).or_default().0 += 1;
                                e.entry(db.outcome).or_default().1 += 1;
                                if da.outcome != db.outcome {
                                    part.flips_total += 1;
                                    if part.flips.len() < MAX_FLIPS_LISTED {
                                        let decisive = db
                                            .checks
                                            .iter()
                                            .find(|c| c.status == CheckStatus::Fail)
                                            .or_else(|| {
                                                db.checks
                                                    .iter()
                                                    .find(|c| c.status == CheckStatus::Unknown)
                                            })
                                            .or_else(|| {
                                                da.checks
                                                    .iter()
                                                    .find(|c| c.status == CheckStatus::Fail)
                                            });
                                        let why = decisive
                                            .map(|c| {
                                                format!(
                                                    "{}: {}",
                                                    c.code,
                                                    c.reason(verblijf_rules::Lang::En)
                                                )
                                            })
                                            .unwrap_or_default();
                                        part.flips.push((
                                            ci * per + k,
                                            Flip {
                                                id: m.id.clone().unwrap_or_default(),
                                                scheme: da.scheme,
                                                before: da.outcome,
                                                after: db.outcome,
                                                why,
                                            },
                                        ));
                                    }
                                }
                            }
                            let hsm = |x: &verblijf_rules::Assessment| {
                                x.decision(Scheme::HighlySkilledMigrant)
                                    .and_then(margin_bin)
                            };
                            if let Some(bin) = hsm(&a) {
                                part.margins.entry(bin).or_default().0 += 1;
                            }
                            if let Some(bin) = hsm(&b) {
                                part.margins.entry(bin).or_default().1 += 1;
                            }
                        }
                    }
                    part
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut report = Report {
        reform,
        people: 0,
        baseline_hash: baseline.hash().to_string(),
        reform_hash: reformed.hash().to_string(),
        counts: BTreeMap::new(),
        flips_total: 0,
        flips: Vec::new(),
        margins: BTreeMap::new(),
    };
    let mut flips = Vec::new();
    for part in parts {
        report.people += part.people;
        report.flips_total += part.flips_total;
        flips.extend(part.flips);
        for (s, m) in part.counts {
            for (o, (x, y)) in m {
                let e = report.counts.entry(s).or_default().entry(o).or_default();
                e.0 += x;
                e.1 += y;
            }
        }
        for (bin, (x, y)) in part.margins {
            let e = report.margins.entry(bin).or_default();
            e.0 += x;
            e.1 += y;
        }
    }
    flips.sort_by_key(|(i, _)| *i);
    report.flips = flips
        .into_iter()
        .map(|(_, f)| f)
        .take(MAX_FLIPS_LISTED)
        .collect();
    report
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A grouped bar chart: people eligible per scheme, before and after.
fn eligible_chart(r: &Report) -> String {
    let schemes: Vec<Scheme> = r.counts.keys().copied().collect();
    let get = |s: &Scheme, after: bool| {
        r.counts
            .get(s)
            .and_then(|m| m.get(&Outcome::Eligible))
            .map_or(0, |(a, b)| if after { *b } else { *a })
    };
    let max = schemes
        .iter()
        .map(|s| get(s, false).max(get(s, true)))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (860, 380)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let n = schemes.len() as u32;
        let chart = ChartBuilder::on(&root)
            .caption("People eligible, per scheme", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(70)
            .build_cartesian_2d(0u32..n * 3, 0u64..(max + max / 10 + 1));
        if let Ok(mut chart) = chart {
            let labels: Vec<String> = schemes
                .iter()
                .map(|s| s.as_str().replace('_', " "))
                .collect();
            let _ = chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(n as usize * 3)
                .x_label_formatter(&|x| {
                    if x % 3 == 1 {
                        labels.get((*x / 3) as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_desc("people")
                .draw();
            let before = RGBColor(140, 149, 159);
            let after = RGBColor(31, 111, 235);
            let _ = chart
                .draw_series(schemes.iter().enumerate().map(|(i, s)| {
                    let x = i as u32 * 3;
                    Rectangle::new([(x, 0), (x + 1, get(s, false))], before.filled())
                }))
                .map(|s| {
                    s.label("law in force").legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 10, y + 5)], before.filled())
                    })
                });
            let _ = chart
                .draw_series(schemes.iter().enumerate().map(|(i, s)| {
                    let x = i as u32 * 3 + 1;
                    Rectangle::new([(x, 0), (x + 1, get(s, true))], after.filled())
                }))
                .map(|s| {
                    s.label("reform").legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 10, y + 5)], after.filled())
                    })
                });
            let _ = chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .draw();
        }
        let _ = root.present();
    }
    svg
}

/// Two histograms: the HSM salary margin against the criterion, before and after.
fn margin_chart(r: &Report) -> String {
    let max = r
        .margins
        .values()
        .map(|(a, b)| *a.max(b))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (860, 380)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let chart = ChartBuilder::on(&root)
            .caption(
                "Salary margin against the highly skilled migrant criterion",
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(-55i64..105i64, 0u64..(max + max / 10 + 1));
        if let Ok(mut chart) = chart {
            let _ = chart
                .configure_mesh()
                .x_desc("counted salary minus criterion, % of the criterion (0 = exactly at it)")
                .y_desc("people")
                .x_label_formatter(&|x| format!("{x}%"))
                .draw();
            let before = RGBColor(140, 149, 159);
            let after = RGBColor(31, 111, 235);
            let _ = chart
                .draw_series(r.margins.iter().map(|(bin, (a, _))| {
                    Rectangle::new([(*bin, 0), (*bin + 2, *a)], before.filled())
                }))
                .map(|s| {
                    s.label("law in force").legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 10, y + 5)], before.filled())
                    })
                });
            let _ = chart
                .draw_series(r.margins.iter().map(|(bin, (_, b))| {
                    Rectangle::new([(*bin + 2, 0), (*bin + 4, *b)], after.filled())
                }))
                .map(|s| {
                    s.label("reform").legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 10, y + 5)], after.filled())
                    })
                });
            let _ = chart.draw_series(std::iter::once(PathElement::new(
                vec![(0i64, 0u64), (0, max + max / 10)],
                RED.stroke_width(2),
            )));
            let _ = chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .draw();
        }
        let _ = root.present();
    }
    svg
}

/// The report as a self-contained HTML page.
pub fn html(r: &Report) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>body{{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}}table{{border-collapse:collapse;margin:1rem 0}}td,th{{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:right}}th{{background:#f6f8fa}}td.l,th.l{{text-align:left}}.up{{color:#1a7f37}}.down{{color:#cf222e}}svg{{max-width:100%;height:auto}}small{{color:#57606a}}@media print{{body{{margin:0}}}}</style></head><body>",
        esc(&r.reform.name)
    );
    let _ = write!(h, "<h1>What if: {}</h1>", esc(&r.reform.name));
    if let Some(d) = &r.reform.description {
        let _ = write!(h, "<p>{}</p>", esc(d));
    }
    let _ = write!(h, "<p>{} people, under the law in force (parameters <code>{}</code>) and under the reform (<code>{}</code>). {} outcomes change.</p>", r.people, &r.baseline_hash[..16.min(r.baseline_hash.len())], &r.reform_hash[..16.min(r.reform_hash.len())], r.flips_total);
    h.push_str("<h2>The reform</h2><table><tr><th class=l>parameter</th><th class=l>from</th><th class=l>until</th><th>value</th><th>percent</th></tr>");
    for o in &r.reform.overrides {
        let v = |x: &Option<serde_norway::Value>| {
            x.as_ref()
                .and_then(|v| serde_norway::to_string(v).ok())
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let _ = write!(h, "<tr><td class=l><code>{}</code></td><td class=l>{}</td><td class=l>{}</td><td>{}</td><td>{}</td></tr>", esc(&o.param), o.from, o.until.map(|d| d.to_string()).unwrap_or_default(), esc(&v(&o.value)), esc(&v(&o.percent)));
    }
    h.push_str("</table><h2>Outcomes</h2><table><tr><th class=l>scheme</th><th>eligible</th><th>not eligible</th><th>unknown</th><th>not applicable</th></tr>");
    for (s, m) in &r.counts {
        let _ = write!(h, "<tr><td class=l>{}</td>", s.as_str().replace('_', " "));
        for o in [
            Outcome::Eligible,
            Outcome::NotEligible,
            Outcome::Unknown,
            Outcome::NotApplicable,
        ] {
            let (a, b) = m.get(&o).copied().unwrap_or((0, 0));
            let class = if b > a {
                "up"
            } else if b < a {
                "down"
            } else {
                ""
            };
            let _ = write!(h, "<td class=\"{class}\">{a} → {b}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    let _ = write!(h, "<figure>{}</figure>", eligible_chart(r));
    let _ = write!(h, "<figure>{}<figcaption><small>Grey: law in force; blue: reform. Only people whose highly skilled migrant decision compared a salary.</small></figcaption></figure>", margin_chart(r));
    let _ = write!(h, "<h2>Whose outcome flips</h2><p>{} changes{}.</p><table><tr><th class=l>person</th><th class=l>scheme</th><th class=l>before</th><th class=l>after</th><th class=l>why (under the reform)</th></tr>", r.flips_total, if r.flips_total as usize > r.flips.len() { format!("; the first {} are listed", r.flips.len()) } else { String::new() });
    for f in &r.flips {
        let _ = write!(h, "<tr><td class=l>{}</td><td class=l>{}</td><td class=l>{}</td><td class=l>{}</td><td class=l>{}</td></tr>", esc(&f.id), f.scheme.as_str().replace('_', " "), f.before.as_str(), f.after.as_str(), esc(&f.why));
    }
    h.push_str("</table><p><small>A simulation under stated assumptions, not a decision of the IND.</small></p></body></html>\n");
    h
}

/// When no case's reference or filing date falls in any of the reform's date ranges, a sentence saying so (the
/// reform then changes no outcome); `None` when some case is touched or there are no cases.
pub fn untouched(reform: &Reform, cases: &[Case]) -> Option<String> {
    let dates = cases
        .iter()
        .flat_map(|c| [c.reference_date, c.filing_date()]);
    let (first, last) = dates.fold(None, |acc: Option<(NaiveDate, NaiveDate)>, d| {
        Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
    })?;
    let touched = reform.overrides.iter().any(|o| {
        cases.iter().any(|c| {
            [c.reference_date, c.filing_date()]
                .iter()
                .any(|d| *d >= o.from && o.until.is_none_or(|u| *d <= u))
        })
    });
    if touched {
        return None;
    }
    let ranges: Vec<String> = reform
        .overrides
        .iter()
        .map(|o| match o.until {
            Some(u) => format!("{} from {} to {u}", o.param, o.from),
            None => format!("{} from {}", o.param, o.from),
        })
        .collect();
    Some(format!(
        "the reform touches no row: it changes {}, and the population's reference and filing dates run from {first} to {last}, so no outcome can change (`verblijf generate --from … --until …` draws other dates)",
        ranges.join(", ")
    ))
}
