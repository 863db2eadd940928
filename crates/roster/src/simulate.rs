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
use verblijf_rules::{assess, Case, CheckStatus, Lang, Money, Outcome, ParamSet, Scheme};

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

/// The flips of one scheme from one outcome to another that the same check decided.
#[derive(Clone, Debug, Serialize)]
pub struct FlipGroup {
    pub scheme: Scheme,
    pub before: Outcome,
    pub after: Outcome,
    /// The code of the deciding check: the first that fails under the reform, else the first unknown under it, else
    /// the first that failed under the law, else the first that was unknown under the law (what the reform settled).
    pub check: String,
    pub count: u64,
    /// The reason of the first person's deciding check, in English and Dutch.
    pub reason_en: String,
    pub reason_nl: String,
    /// The ids of the first few people, in input order.
    pub examples: Vec<String>,
}

/// A parameter the reform changes: its value on the override's first day under the law and under the reform.
#[derive(Clone, Debug, Serialize)]
pub struct ParamChange {
    pub param: String,
    pub title_en: String,
    pub title_nl: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub before: String,
    pub after: String,
}

/// The highly skilled migrant decisions of one group of people, under the law and under the reform.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct GroupCounts {
    pub people: u64,
    pub eligible: (u64, u64),
    pub not_eligible: (u64, u64),
    pub unknown: (u64, u64),
}

/// The comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub reform: Reform,
    pub people: u64,
    pub baseline_hash: String,
    pub reform_hash: String,
    pub engine: String,
    /// The parameters the reform changes, before and after.
    pub params: Vec<ParamChange>,
    /// scheme -> outcome -> (before, after)
    pub counts: BTreeMap<Scheme, BTreeMap<Outcome, (u64, u64)>>,
    pub flips_total: u64,
    /// The first flips, in input order.
    pub flips: Vec<Flip>,
    /// Every flip, grouped by scheme, outcomes and the deciding check; the largest groups first.
    pub groups: Vec<FlipGroup>,
    /// The highly skilled migrant decisions by `age` band, `nationality`, `criterion` (the salary criterion applied
    /// under the reform) and `salary` band: dimension -> group -> counts.
    pub breakdowns: BTreeMap<String, BTreeMap<String, GroupCounts>>,
    /// HSM salary margin against the criterion, in percent of the criterion, in 5-point bins from -50 to +100:
    /// bin -> (before, after). The bins -50 and 100 hold everyone below and above.
    pub margins: BTreeMap<i64, (u64, u64)>,
}

const MAX_FLIPS_LISTED: usize = 500;
const EXAMPLES_PER_GROUP: usize = 5;

fn margin_bin(d: &verblijf_rules::Decision) -> Option<i64> {
    let c = d.criterion.as_ref()?;
    if c.amount.cents() == 0 {
        return None;
    }
    let pct = (c.margin as i128 * 100 / c.amount.cents() as i128) as i64;
    Some((pct.clamp(-50, 100) / 5) * 5 - if pct < 0 && pct % 5 != 0 { 5 } else { 0 })
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Amount(m) => m.to_string(),
        Value::Number(n) => {
            let s = Money::from_cents(*n).to_plain();
            s.trim_end_matches(".00").to_string()
        }
        Value::Flag(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Code(c) => c.clone(),
    }
}

fn param_changes(reform: &Reform, baseline: &ParamSet, reformed: &ParamSet) -> Vec<ParamChange> {
    reform
        .overrides
        .iter()
        .map(|o| {
            let at = |set: &ParamSet| {
                set.at(&o.param, o.from)
                    .map(|v| value_text(&v.value))
                    .unwrap_or_else(|_| "—".into())
            };
            let title = baseline.get(&o.param).map(|p| p.title.clone());
            ParamChange {
                param: o.param.clone(),
                title_en: title.as_ref().map(|t| t.en.to_string()).unwrap_or_default(),
                title_nl: title.as_ref().map(|t| t.nl.to_string()).unwrap_or_default(),
                from: o.from,
                until: o.until,
                before: at(baseline),
                after: at(reformed),
            }
        })
        .collect()
}

fn age_band(m: &verblijf_rules::case::Person, on: NaiveDate) -> String {
    let Some(age) = m.birth_date.and_then(|b| on.years_since(b)) else {
        return "unknown".into();
    };
    match age {
        0..=24 => "under 25",
        25..=29 => "25–29",
        30..=34 => "30–34",
        35..=39 => "35–39",
        40..=49 => "40–49",
        _ => "50 or older",
    }
    .into()
}

fn salary_band(m: &verblijf_rules::case::Person) -> String {
    let Some(s) = m.job_offer.as_ref().and_then(|j| j.gross_monthly_salary) else {
        return "no salary".into();
    };
    match s.cents() / 100_000 {
        ..=3 => "under €4,000",
        4 => "€4,000–4,999",
        5 => "€5,000–5,999",
        6 => "€6,000–6,999",
        _ => "€7,000 or more",
    }
    .into()
}

/// A flip group's key: scheme, outcome before, outcome after, the deciding check's code.
type GroupKey = (Scheme, Outcome, Outcome, String);
/// A flip group's tally: count, first row, the first person's reasons (English, Dutch), example ids.
type GroupTally = (u64, usize, [String; 2], Vec<String>);

/// What one thread counts over its share of the population.
#[derive(Default)]
struct Tally {
    counts: BTreeMap<Scheme, BTreeMap<Outcome, (u64, u64)>>,
    flips: Vec<(usize, Flip)>,
    flips_total: u64,
    groups: BTreeMap<GroupKey, GroupTally>,
    breakdowns: BTreeMap<String, BTreeMap<String, GroupCounts>>,
    margins: BTreeMap<i64, (u64, u64)>,
    people: u64,
}

impl Tally {
    fn person(
        &mut self,
        row: usize,
        m: &verblijf_rules::case::Person,
        case: &Case,
        a: &Assess,
        b: &Assess,
    ) {
        self.people += 1;
        let id = m.id.clone().unwrap_or_default();
        for (da, db) in a.decisions.iter().zip(&b.decisions) {
            let e = self.counts.entry(da.scheme).or_default();
            e.entry(da.outcome).or_default().0 += 1;
            e.entry(db.outcome).or_default().1 += 1;
            if da.outcome != db.outcome {
                self.flip(row, &id, da, db);
            }
        }
        let hsm_a = a.decision(Scheme::HighlySkilledMigrant);
        let hsm_b = b.decision(Scheme::HighlySkilledMigrant);
        if let Some(bin) = hsm_a.and_then(margin_bin) {
            self.margins.entry(bin).or_default().0 += 1;
        }
        if let Some(bin) = hsm_b.and_then(margin_bin) {
            self.margins.entry(bin).or_default().1 += 1;
        }
        let (Some(da), Some(db)) = (hsm_a, hsm_b) else {
            return;
        };
        let criterion = db
            .criterion
            .as_ref()
            .or(da.criterion.as_ref())
            .map_or("none", |c| c.band);
        let groups = [
            ("age", age_band(m, case.reference_date)),
            (
                "nationality",
                m.nationality
                    .as_ref()
                    .map_or("unknown".into(), |n| n.as_str().to_string()),
            ),
            ("criterion", criterion.to_string()),
            ("salary", salary_band(m)),
        ];
        for (dim, group) in groups {
            let g = self
                .breakdowns
                .entry(dim.into())
                .or_default()
                .entry(group)
                .or_default();
            g.people += 1;
            for (side, o) in [(0, da.outcome), (1, db.outcome)] {
                let pair = match o {
                    Outcome::Eligible => &mut g.eligible,
                    Outcome::NotEligible => &mut g.not_eligible,
                    Outcome::Unknown => &mut g.unknown,
                    _ => continue,
                };
                if side == 0 {
                    pair.0 += 1;
                } else {
                    pair.1 += 1;
                }
            }
        }
    }

    fn flip(
        &mut self,
        row: usize,
        id: &str,
        da: &verblijf_rules::Decision,
        db: &verblijf_rules::Decision,
    ) {
        self.flips_total += 1;
        let decisive = db
            .checks
            .iter()
            .find(|c| c.status == CheckStatus::Fail)
            .or_else(|| db.checks.iter().find(|c| c.status == CheckStatus::Unknown))
            .or_else(|| da.checks.iter().find(|c| c.status == CheckStatus::Fail))
            .or_else(|| da.checks.iter().find(|c| c.status == CheckStatus::Unknown));
        let code = decisive.map(|c| c.code.to_string()).unwrap_or_default();
        let reasons = || {
            decisive.map_or([String::new(), String::new()], |c| {
                [
                    c.reason(verblijf_rules::Lang::En),
                    c.reason(verblijf_rules::Lang::Nl),
                ]
            })
        };
        if self.flips.len() < MAX_FLIPS_LISTED {
            let [en, _] = reasons();
            let why = if code.is_empty() {
                en
            } else {
                format!("{code}: {en}")
            };
            self.flips.push((
                row,
                Flip {
                    id: id.to_string(),
                    scheme: da.scheme,
                    before: da.outcome,
                    after: db.outcome,
                    why,
                },
            ));
        }
        let g = self
            .groups
            .entry((da.scheme, da.outcome, db.outcome, code))
            .or_insert_with(|| (0, row, reasons(), Vec::new()));
        g.0 += 1;
        if g.3.len() < EXAMPLES_PER_GROUP {
            g.3.push(id.to_string());
        }
    }

    fn merge(&mut self, other: Tally) {
        self.people += other.people;
        self.flips_total += other.flips_total;
        self.flips.extend(other.flips);
        for (s, m) in other.counts {
            for (o, (x, y)) in m {
                let e = self.counts.entry(s).or_default().entry(o).or_default();
                e.0 += x;
                e.1 += y;
            }
        }
        for (k, (n, row, reasons, examples)) in other.groups {
            let g = self
                .groups
                .entry(k)
                .or_insert_with(|| (0, row, reasons.clone(), Vec::new()));
            g.0 += n;
            if row < g.1 {
                g.1 = row;
                g.2 = reasons;
            }
            g.3.extend(examples);
        }
        for (dim, m) in other.breakdowns {
            for (group, c) in m {
                let g = self
                    .breakdowns
                    .entry(dim.clone())
                    .or_default()
                    .entry(group)
                    .or_default();
                g.people += c.people;
                for (a, b) in [
                    (&mut g.eligible, c.eligible),
                    (&mut g.not_eligible, c.not_eligible),
                    (&mut g.unknown, c.unknown),
                ] {
                    a.0 += b.0;
                    a.1 += b.1;
                }
            }
        }
        for (bin, (x, y)) in other.margins {
            let e = self.margins.entry(bin).or_default();
            e.0 += x;
            e.1 += y;
        }
    }
}

type Assess = verblijf_rules::Assessment;

/// Runs a population (cases with ids) under both parameter sets, on `threads` threads.
pub fn compare(
    cases: &[Case],
    baseline: &ParamSet,
    reformed: &ParamSet,
    reform: Reform,
    threads: usize,
) -> Report {
    let threads = threads.max(1);
    let per = cases.len().div_ceil(threads).max(1);
    let parts: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(per)
            .enumerate()
            .map(|(ci, chunk)| {
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    for (k, case) in chunk.iter().enumerate() {
                        for m in case.members() {
                            let mc = case.for_member(m);
                            let a = assess(&mc, baseline);
                            let b = assess(&mc, reformed);
                            tally.person(ci * per + k, m, case, &a, &b);
                        }
                    }
                    tally
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut all = Tally::default();
    for part in parts {
        all.merge(part);
    }
    all.flips.sort_by_key(|(i, _)| *i);
    let mut groups: Vec<(usize, FlipGroup)> = all
        .groups
        .into_iter()
        .map(
            |((scheme, before, after, check), (count, row, [en, nl], mut examples))| {
                examples.truncate(EXAMPLES_PER_GROUP);
                (
                    row,
                    FlipGroup {
                        scheme,
                        before,
                        after,
                        check,
                        count,
                        reason_en: en,
                        reason_nl: nl,
                        examples,
                    },
                )
            },
        )
        .collect();
    groups.sort_by(|(ra, a), (rb, b)| b.count.cmp(&a.count).then(ra.cmp(rb)));
    Report {
        params: param_changes(&reform, baseline, reformed),
        reform,
        people: all.people,
        baseline_hash: baseline.hash().to_string(),
        reform_hash: reformed.hash().to_string(),
        engine: verblijf_rules::ENGINE_VERSION.to_string(),
        counts: all.counts,
        flips_total: all.flips_total,
        flips: all
            .flips
            .into_iter()
            .map(|(_, f)| f)
            .take(MAX_FLIPS_LISTED)
            .collect(),
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        breakdowns: all.breakdowns,
        margins: all.margins,
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A word of the report in English or Dutch.
fn t(lang: Lang, key: &str) -> &'static str {
    let (en, nl) = match key {
        "title" => ("What if", "Wat als"),
        "people" => ("people", "personen"),
        "summary" => (
            "people assessed under the law in force and under the reform; outcomes that change:",
            "personen beoordeeld onder het geldende recht en onder de hervorming; uitkomsten die veranderen:",
        ),
        "the_reform" => ("The reform: parameters before and after", "De hervorming: parameters ervoor en erna"),
        "parameter" => ("parameter", "parameter"),
        "from" => ("from", "vanaf"),
        "until" => ("until", "tot en met"),
        "law" => ("law in force", "geldend recht"),
        "law_short" => ("law", "nu"),
        "reform_short" => ("reform", "hervormd"),
        "reform" => ("reform", "hervorming"),
        "outcomes" => ("Outcomes per scheme", "Uitkomsten per regeling"),
        "scheme" => ("scheme", "regeling"),
        "change" => ("change", "verandering"),
        "eligible_change" => (
            "Change in people eligible, per scheme",
            "Verandering in het aantal personen dat in aanmerking komt, per regeling",
        ),
        "no_change" => ("no change", "geen verandering"),
        "flips" => ("Whose outcome changes, and why", "Wiens uitkomst verandert, en waarom"),
        "flips_intro" => (
            "The changes grouped by the check that decided them under the reform, the largest groups first, with the reason of the first person in each and a few of the people.",
            "De veranderingen gegroepeerd naar de toets die onder de hervorming besliste, de grootste groepen eerst, met de reden van de eerste persoon in elke groep en enkele van de personen.",
        ),
        "check" => ("deciding check", "beslissende toets"),
        "count" => ("people", "personen"),
        "reason" => ("reason (first person)", "reden (eerste persoon)"),
        "examples" => ("for example", "bijvoorbeeld"),
        "breakdowns" => (
            "Highly skilled migrants by group",
            "Kennismigranten per groep",
        ),
        "breakdowns_intro" => (
            "People eligible and not eligible as a highly skilled migrant, under the law in force → under the reform. Green: better for the people in the group; red: worse.",
            "Personen die wel en niet in aanmerking komen als kennismigrant, onder het geldende recht → onder de hervorming. Groen: beter voor de groep; rood: slechter.",
        ),
        "age" => ("By age", "Naar leeftijd"),
        "nationality" => ("By nationality", "Naar nationaliteit"),
        "criterion" => ("By salary criterion applied (under the reform)", "Naar toegepast salariscriterium (onder de hervorming)"),
        "salary" => ("By gross monthly salary", "Naar bruto maandsalaris"),
        "group" => ("group", "groep"),
        "margins" => (
            "Salary margin against the highly skilled migrant criterion",
            "Salarismarge ten opzichte van het kennismigrantencriterium",
        ),
        "margins_caption" => (
            "Grey: law in force; blue: reform. Only people whose highly skilled migrant decision compared a salary. The outer bars gather everyone at −50 % or below and at +100 % or above.",
            "Grijs: geldend recht; blauw: hervorming. Alleen personen bij wie de kennismigrantenbeslissing een salaris vergeleek. De buitenste staven verzamelen iedereen op −50 % of lager en op +100 % of hoger.",
        ),
        "margin_axis" => (
            "counted salary minus criterion, % of the criterion (0 = exactly at it)",
            "meegeteld salaris min criterium, % van het criterium (0 = precies erop)",
        ),
        "receipts" => ("Receipts", "Verantwoording"),
        "baseline_hash" => ("parameters of the law in force", "parameters van het geldende recht"),
        "reform_hash" => ("parameters under the reform", "parameters onder de hervorming"),
        "engine" => ("engine", "rekenkern"),
        "disclaimer" => (
            "A simulation under stated assumptions on the population given, not a decision of the IND.",
            "Een simulatie onder de genoemde aannames op de gegeven populatie, geen besluit van de IND.",
        ),
        "none_flip" => ("No outcome changes.", "Geen uitkomst verandert."),
        _ => ("", ""),
    };
    match lang {
        Lang::Nl => nl,
        _ => en,
    }
}

fn scheme_name(s: Scheme, lang: Lang) -> &'static str {
    let nl = lang == Lang::Nl;
    match s {
        Scheme::HighlySkilledMigrant if nl => "Kennismigrant",
        Scheme::HighlySkilledMigrant => "Highly skilled migrant",
        Scheme::EuBlueCard if nl => "Europese blauwe kaart",
        Scheme::EuBlueCard => "EU Blue Card",
        Scheme::OrientationYear if nl => "Zoekjaar hoogopgeleiden",
        Scheme::OrientationYear => "Orientation year",
        Scheme::RegelingHoogopgeleiden if nl => "Regeling hoogopgeleiden (2009)",
        Scheme::RegelingHoogopgeleiden => "Highly educated persons scheme (2009)",
        Scheme::ZoekjaarAfgestudeerden if nl => "Zoekjaar afgestudeerden (2009)",
        Scheme::ZoekjaarAfgestudeerden => "Search year for graduates (2009)",
        Scheme::SelfEmployed if nl => "Zelfstandige",
        Scheme::SelfEmployed => "Self-employed",
        Scheme::FamilyMember if nl => "Gezinslid",
        Scheme::FamilyMember => "Family member",
    }
}

fn outcome_name(o: Outcome, lang: Lang) -> &'static str {
    let nl = lang == Lang::Nl;
    match o {
        Outcome::Eligible if nl => "komt in aanmerking",
        Outcome::Eligible => "eligible",
        Outcome::NotEligible if nl => "komt niet in aanmerking",
        Outcome::NotEligible => "not eligible",
        Outcome::Unknown if nl => "onbekend",
        Outcome::Unknown => "unknown",
        Outcome::NotApplicable if nl => "niet van toepassing",
        _ => "not applicable",
    }
}

/// A group's name in the report's language.
fn group_name(dim: &str, g: &str, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let s = match (dim, g) {
        (_, "unknown") if nl => "onbekend",
        ("age", "under 25") if nl => "jonger dan 25",
        ("age", "50 or older") if nl => "50 of ouder",
        ("criterion", "30plus") if nl => "30 jaar of ouder",
        ("criterion", "30plus") => "30 or older",
        ("criterion", "under30") if nl => "jonger dan 30",
        ("criterion", "under30") => "under 30",
        ("criterion", "reduced") if nl => "verlaagd (na studie of zoekjaar)",
        ("criterion", "reduced") => "reduced (after study or orientation year)",
        ("criterion", "exempt_minimum_wage") if nl => "vrijgesteld: minimumloon",
        ("criterion", "exempt_minimum_wage") => "exempt: minimum wage",
        ("criterion", "none") if nl => "geen salaris vergeleken",
        ("criterion", "none") => "no salary compared",
        ("salary", "no salary") if nl => "geen salaris",
        ("salary", "under €4,000") if nl => "onder € 4.000",
        ("salary", "€4,000–4,999") if nl => "€ 4.000–4.999",
        ("salary", "€5,000–5,999") if nl => "€ 5.000–5.999",
        ("salary", "€6,000–6,999") if nl => "€ 6.000–6.999",
        ("salary", "€7,000 or more") if nl => "€ 7.000 of meer",
        _ => g,
    };
    s.to_string()
}

/// Whether more people with this outcome is better (+1), worse (-1) or neither (0) for them.
fn more_is(o: Outcome) -> i8 {
    match o {
        Outcome::Eligible => 1,
        Outcome::NotEligible | Outcome::Unknown => -1,
        _ => 0,
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else if n < 0 {
        format!("−{}", -n)
    } else {
        "0".into()
    }
}

/// "+12 (+1.3 %)", coloured: green when the change is good for the people concerned, red when bad.
fn change_cell(before: u64, after: u64, good_if_more: i8, lang: Lang) -> String {
    let d = after as i64 - before as i64;
    if d == 0 {
        return "<td class=\"nochange\">0</td>".into();
    }
    let pct = if before > 0 {
        let p = d as f64 * 100.0 / before as f64;
        let text = format!("{}{:.1} %", if p > 0.0 { "+" } else { "−" }, p.abs());
        format!(
            " ({})",
            if lang == Lang::Nl {
                text.replace('.', ",")
            } else {
                text
            }
        )
    } else {
        String::new()
    };
    let class = match (d > 0, good_if_more) {
        (_, 0) => "",
        (true, 1) | (false, -1) => "good",
        _ => "bad",
    };
    format!("<td class=\"{class}\">{}{pct}</td>", signed(d))
}

/// Horizontal bars of the change in people eligible per scheme: the change stays visible however small.
fn eligible_change_bars(r: &Report, lang: Lang) -> String {
    let changes: Vec<(Scheme, u64, u64)> = r
        .counts
        .iter()
        .map(|(s, m)| {
            let (a, b) = m.get(&Outcome::Eligible).copied().unwrap_or((0, 0));
            (*s, a, b)
        })
        .collect();
    let max = changes
        .iter()
        .map(|(_, a, b)| (*b as i64 - *a as i64).unsigned_abs())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut h = format!(
        "<h3>{}</h3><div class=\"bars\">",
        t(lang, "eligible_change")
    );
    for (s, a, b) in changes {
        let d = b as i64 - a as i64;
        let width =
            (d.unsigned_abs() as f64 * 50.0 / max as f64).max(if d == 0 { 0.0 } else { 0.6 });
        let (class, side) = if d >= 0 {
            ("good", format!("left:50%;width:{width:.1}%"))
        } else {
            (
                "bad",
                format!("left:{:.1}%;width:{width:.1}%", 50.0 - width),
            )
        };
        let label = if d == 0 {
            t(lang, "no_change").to_string()
        } else {
            format!("{} ({a} → {b})", signed(d))
        };
        let _ = write!(
            h,
            "<div class=\"barrow\"><span class=\"barname\">{}</span><span class=\"bartrack\"><span class=\"bar {class}\" style=\"{side}\"></span><span class=\"axis\"></span></span><span class=\"barlabel\">{label}</span></div>",
            scheme_name(s, lang)
        );
    }
    h.push_str("</div>");
    h
}

/// Two histograms: the HSM salary margin against the criterion, before and after.
fn margin_chart(r: &Report, lang: Lang) -> String {
    let max = r
        .margins
        .values()
        .map(|(a, b)| *a.max(b))
        .max()
        .unwrap_or(1)
        .max(1);
    let top = max + max / 8 + 1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(64)
            .y_label_area_size(80)
            .build_cartesian_2d(-55i64..106i64, 0u64..top);
        if let Ok(mut chart) = chart {
            let _ = chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(17)
                .x_desc(t(lang, "margin_axis"))
                .y_desc(t(lang, "people"))
                .label_style(("sans-serif", 17))
                .axis_desc_style(("sans-serif", 18))
                .x_label_formatter(&|x| match *x {
                    x if x <= -50 => "≤ −50 %".into(),
                    x if x >= 100 => "≥ 100 %".into(),
                    x => format!("{x} %"),
                })
                .draw();
            let before = RGBColor(140, 149, 159);
            let after = RGBColor(31, 111, 235);
            let _ = chart
                .draw_series(r.margins.iter().map(|(bin, (a, _))| {
                    Rectangle::new([(*bin, 0), (*bin + 2, *a)], before.filled())
                }))
                .map(|s| {
                    s.label(t(lang, "law")).legend(move |(x, y)| {
                        Rectangle::new([(x, y - 6), (x + 12, y + 6)], before.filled())
                    })
                });
            let _ = chart
                .draw_series(r.margins.iter().map(|(bin, (_, b))| {
                    Rectangle::new([(*bin + 2, 0), (*bin + 4, *b)], after.filled())
                }))
                .map(|s| {
                    s.label(t(lang, "reform")).legend(move |(x, y)| {
                        Rectangle::new([(x, y - 6), (x + 12, y + 6)], after.filled())
                    })
                });
            let _ = chart.draw_series(std::iter::once(PathElement::new(
                vec![(0i64, 0u64), (0, top)],
                BLACK.stroke_width(2),
            )));
            let _ = chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font(("sans-serif", 17))
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .draw();
        }
        let _ = root.present();
    }
    svg
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#1f2328;font-size:16px;line-height:1.45}table{border-collapse:collapse;margin:.6rem 0 1.4rem}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:right;vertical-align:top}td{white-space:nowrap}td.l{white-space:normal}th{background:#f6f8fa}td.l,th.l{text-align:left}.good{color:#1a7f37;font-weight:600}.bad{color:#b42318;font-weight:600}.nochange{color:#57606a}code{font-size:.9em}small,.muted{color:#57606a}svg{max-width:100%;height:auto}.bars{margin:.5rem 0 1.5rem}.barrow{display:flex;align-items:center;gap:.8rem;margin:.25rem 0}.barname{width:19rem;text-align:right}.bartrack{position:relative;flex:1;height:1.3rem;background:#f6f8fa}.bar{position:absolute;top:0;bottom:0}.bar.good{background:#1a7f37}.bar.bad{background:#b42318}.axis{position:absolute;left:50%;top:-2px;bottom:-2px;border-left:2px solid #57606a}.barlabel{width:11rem}.wide{overflow-x:auto}table.counts{font-size:14px}table.counts td{white-space:normal}.receipts td{text-align:left;font-family:ui-monospace,monospace;font-size:.85em}@media print{body{margin:0}}";

/// The report as a self-contained HTML page, in English.
pub fn html(r: &Report) -> String {
    html_in(r, Lang::En)
}

/// The report as a self-contained HTML page (inline CSS and SVG, no script), in English or Dutch.
pub fn html_in(r: &Report, lang: Lang) -> String {
    let code = if lang == Lang::Nl { "nl" } else { "en" };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}: {}</title><style>{STYLE}</style></head><body>",
        t(lang, "title"),
        esc(&r.reform.name)
    );
    let _ = write!(h, "<h1>{}: {}</h1>", t(lang, "title"), esc(&r.reform.name));
    if let Some(d) = &r.reform.description {
        let _ = write!(h, "<p>{}</p>", esc(d));
    }
    let _ = write!(
        h,
        "<p><b>{}</b> {} <b>{}</b>.</p>",
        r.people,
        t(lang, "summary"),
        r.flips_total
    );
    reform_table(&mut h, r, lang);
    counts_table(&mut h, r, lang);
    h.push_str(&eligible_change_bars(r, lang));
    flip_groups(&mut h, r, lang);
    breakdowns(&mut h, r, lang);
    let _ = write!(
        h,
        "<h2>{}</h2><figure>{}<figcaption><small>{}</small></figcaption></figure>",
        t(lang, "margins"),
        margin_chart(r, lang),
        t(lang, "margins_caption")
    );
    let _ = writeln!(
        h,
        "<h2>{}</h2><table class=\"receipts\"><tr><th class=l>{}</th><td>{}</td></tr><tr><th class=l>{}</th><td>{}</td></tr><tr><th class=l>{}</th><td>{}</td></tr></table><p><small>{}</small></p></body></html>",
        t(lang, "receipts"),
        t(lang, "baseline_hash"),
        esc(&r.baseline_hash),
        t(lang, "reform_hash"),
        esc(&r.reform_hash),
        t(lang, "engine"),
        esc(&r.engine),
        t(lang, "disclaimer")
    );
    h
}

fn reform_table(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        h,
        "<h2>{}</h2><table><tr><th class=l>{}</th><th class=l>{}</th><th class=l>{}</th><th>{}</th><th>{}</th></tr>",
        t(lang, "the_reform"),
        t(lang, "parameter"),
        t(lang, "from"),
        t(lang, "until"),
        t(lang, "law"),
        t(lang, "reform")
    );
    for p in &r.params {
        let title = if lang == Lang::Nl {
            &p.title_nl
        } else {
            &p.title_en
        };
        let _ = write!(
            h,
            "<tr><td class=l>{}<br><small><code>{}</code></small></td><td class=l>{}</td><td class=l>{}</td><td>{}</td><td><b>{}</b></td></tr>",
            esc(title),
            esc(&p.param),
            p.from,
            p.until.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            esc(&p.before),
            esc(&p.after)
        );
    }
    h.push_str("</table>");
}

fn counts_table(h: &mut String, r: &Report, lang: Lang) {
    let shown = [Outcome::Eligible, Outcome::NotEligible, Outcome::Unknown];
    let _ = write!(
        h,
        "<h2>{}</h2><div class=\"wide\"><table class=\"counts\"><tr><th class=l rowspan=2>{}</th>",
        t(lang, "outcomes"),
        t(lang, "scheme")
    );
    for o in shown {
        let _ = write!(h, "<th colspan=3>{}</th>", outcome_name(o, lang));
    }
    h.push_str("</tr><tr>");
    for _ in shown {
        let _ = write!(
            h,
            "<th>{}</th><th>{}</th><th>{}</th>",
            t(lang, "law_short"),
            t(lang, "reform_short"),
            t(lang, "change")
        );
    }
    h.push_str("</tr>");
    for (s, m) in &r.counts {
        let _ = write!(h, "<tr><td class=l>{}</td>", scheme_name(*s, lang));
        for o in shown {
            let (a, b) = m.get(&o).copied().unwrap_or((0, 0));
            let _ = write!(
                h,
                "<td>{a}</td><td>{b}</td>{}",
                change_cell(a, b, more_is(o), lang)
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</table></div>");
}

fn flip_groups(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(h, "<h2>{}</h2>", t(lang, "flips"));
    if r.groups.is_empty() {
        let _ = write!(h, "<p>{}</p>", t(lang, "none_flip"));
        return;
    }
    let _ = write!(
        h,
        "<p>{}</p><table><tr><th class=l>{}</th><th class=l>{}</th><th>{}</th><th class=l>{}</th><th class=l>{}</th><th class=l>{}</th></tr>",
        t(lang, "flips_intro"),
        t(lang, "scheme"),
        t(lang, "change"),
        t(lang, "count"),
        t(lang, "check"),
        t(lang, "reason"),
        t(lang, "examples")
    );
    for g in &r.groups {
        let class = match more_is(g.after) - more_is(g.before) {
            d if d > 0 => "good",
            d if d < 0 => "bad",
            _ => "",
        };
        let reason = if lang == Lang::Nl {
            &g.reason_nl
        } else {
            &g.reason_en
        };
        let _ = write!(
            h,
            "<tr><td class=l>{}</td><td class=\"l {class}\">{} → {}</td><td>{}</td><td class=l><code>{}</code></td><td class=l>{}</td><td class=l>{}</td></tr>",
            scheme_name(g.scheme, lang),
            outcome_name(g.before, lang),
            outcome_name(g.after, lang),
            g.count,
            esc(&g.check),
            esc(reason),
            esc(&g.examples.join(", "))
        );
    }
    h.push_str("</table>");
}

fn breakdowns(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        h,
        "<h2>{}</h2><p>{}</p>",
        t(lang, "breakdowns"),
        t(lang, "breakdowns_intro")
    );
    for dim in ["age", "nationality", "criterion", "salary"] {
        let Some(groups) = r.breakdowns.get(dim) else {
            continue;
        };
        let mut rows: Vec<(&String, &GroupCounts)> = groups.iter().collect();
        if dim == "nationality" {
            rows.sort_by(|a, b| b.1.people.cmp(&a.1.people).then(a.0.cmp(b.0)));
        } else if dim == "salary" {
            let order = |g: &str| match g {
                "under €4,000" => 0,
                "€4,000–4,999" => 1,
                "€5,000–5,999" => 2,
                "€6,000–6,999" => 3,
                "€7,000 or more" => 4,
                _ => 5,
            };
            rows.sort_by_key(|(g, _)| order(g));
        } else if dim == "age" {
            rows.sort_by_key(|(g, _)| match g.as_str() {
                "under 25" => "0".to_string(),
                "unknown" => "z".to_string(),
                g => g.to_string(),
            });
        }
        let _ = write!(
            h,
            "<h3>{}</h3><table><tr><th class=l>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            t(lang, dim),
            t(lang, "group"),
            t(lang, "people"),
            outcome_name(Outcome::Eligible, lang),
            t(lang, "change"),
            outcome_name(Outcome::NotEligible, lang),
            t(lang, "change")
        );
        for (g, c) in rows {
            let _ = write!(
                h,
                "<tr><td class=l>{}</td><td>{}</td><td>{} → {}</td>{}<td>{} → {}</td>{}</tr>",
                esc(&group_name(dim, g, lang)),
                c.people,
                c.eligible.0,
                c.eligible.1,
                change_cell(c.eligible.0, c.eligible.1, 1, lang),
                c.not_eligible.0,
                c.not_eligible.1,
                change_cell(c.not_eligible.0, c.not_eligible.1, -1, lang)
            );
        }
        h.push_str("</table>");
    }
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
