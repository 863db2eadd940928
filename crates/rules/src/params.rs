//! Law as data: every amount, date and boundary the rules use is a dated, cited parameter loaded from `params/`.
//!
//! One YAML file per parameter, named by its path (`params/hsm/salary_30plus.yaml` is `hsm.salary_30plus`). Each
//! value has a period (`from`, `until`, both inclusive), a unit, a source, a verification status and the date it
//! was last checked. The set is validated when it is loaded; a lookup on a date that no value covers is an explicit
//! [`ParamError::NotCovered`], never last year's figure.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::money::Money;
use crate::text::Text;

/// The unit of a parameter's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Eur,
    Years,
    Months,
    Days,
    Weeks,
    Points,
    Rank,
    Percent,
    HoursPerWeek,
    Boolean,
    Date,
    Code,
}

impl Unit {
    fn is_whole_number(self) -> bool {
        matches!(
            self,
            Unit::Years
                | Unit::Months
                | Unit::Days
                | Unit::Weeks
                | Unit::Points
                | Unit::Rank
                | Unit::HoursPerWeek
        )
    }
}

/// Whether a money amount is per month or per year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Year,
}

/// Whether a money amount includes the holiday allowance (vakantiebijslag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayAllowanceBasis {
    Included,
    Excluded,
}

/// The basis of a money amount: per month or per year, with or without holiday allowance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Basis {
    pub period: Period,
    pub holiday_allowance: HolidayAllowanceBasis,
}

impl Basis {
    pub const MONTHLY_EXCLUDING: Basis = Basis {
        period: Period::Month,
        holiday_allowance: HolidayAllowanceBasis::Excluded,
    };
}

/// How far a value can be trusted, as the reference marks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Confirmed by an official text or several independent sources.
    Verified,
    /// Only one source found.
    SingleSource,
    /// Computed from sourced figures, not printed in a source.
    Derived,
    /// Sources disagree; the value is the recommended reading.
    Conflict,
    /// Not verified; the value is the recommended default.
    Unverified,
    /// Not law: a value of a reform being simulated.
    Proposed,
}

impl Status {
    /// Values with this status put a caveat on any decision that uses them.
    pub fn needs_caveat(self) -> bool {
        matches!(
            self,
            Status::Derived | Status::Conflict | Status::Unverified | Status::Proposed
        )
    }
}

/// Where a value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub checked: NaiveDate,
}

/// A parameter value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Amount(Money),
    /// A number in hundredths (8 % is 800; 30 years is 3000), so that percentages stay exact.
    Number(i64),
    Flag(bool),
    Date(NaiveDate),
    Code(String),
}

/// One dated value of a parameter.
#[derive(Clone, Debug, Serialize)]
pub struct DatedValue {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub value: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    pub source: Arc<Source>,
}

impl DatedValue {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// A parameter: its values over time.
#[derive(Clone, Debug, Serialize)]
pub struct Param {
    pub id: String,
    pub title: Text,
    pub unit: Unit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub values: Vec<DatedValue>,
    /// Each code value's entries, sorted, beside `values` (read once, searched per person).
    #[serde(skip)]
    lists: Vec<Option<CodeList>>,
}

impl Param {
    pub fn at(&self, date: NaiveDate) -> Option<&DatedValue> {
        self.index_at(date).map(|i| &self.values[i])
    }

    fn index_at(&self, date: NaiveDate) -> Option<usize> {
        if self.values.len() <= 6 {
            return self.values.iter().position(|v| v.covers(date));
        }
        // Values are in date order without overlaps: the candidate is the last one starting on or before the date.
        let i = self
            .values
            .partition_point(|v| v.from.is_none_or(|f| f <= date));
        i.checked_sub(1).filter(|i| self.values[*i].covers(date))
    }
}

/// The entries of a comma-separated code list (`"AT,BE,BG"`), trimmed and sorted for a binary search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeList(Box<[Box<str>]>);

impl CodeList {
    pub fn new(list: &str) -> CodeList {
        let mut entries: Vec<Box<str>> = list
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(Box::from)
            .collect();
        entries.sort();
        entries.dedup();
        CodeList(entries.into_boxed_slice())
    }

    /// Is `item` (trimmed) one of the entries?
    pub fn contains(&self, item: &str) -> bool {
        let item = item.trim();
        !item.is_empty() && self.0.binary_search_by(|e| (**e).cmp(item)).is_ok()
    }
}

fn code_lists(values: &[DatedValue]) -> Vec<Option<CodeList>> {
    values
        .iter()
        .map(|v| match &v.value {
            Value::Code(c) => Some(CodeList::new(c)),
            _ => None,
        })
        .collect()
}

/// Why a parameter set could not be loaded, or a value could not be found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamError {
    Parse {
        file: String,
        message: String,
    },
    Invalid {
        file: String,
        field: String,
        message: String,
    },
    Missing {
        id: String,
    },
    NotCovered {
        id: String,
        date: NaiveDate,
    },
    WrongUnit {
        id: String,
        expected: &'static str,
    },
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Parse { file, message } => write!(f, "{file}: {message}"),
            ParamError::Invalid {
                file,
                field,
                message,
            } => write!(f, "{file}: field `{field}`: {message}"),
            ParamError::Missing { id } => write!(f, "the parameter set has no parameter `{id}`"),
            ParamError::NotCovered { id, date } => {
                write!(f, "no value of `{id}` is known for {date}")
            }
            ParamError::WrongUnit { id, expected } => {
                write!(f, "parameter `{id}` does not hold {expected}")
            }
        }
    }
}

impl std::error::Error for ParamError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    title: Text,
    unit: Unit,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    legal_basis: Option<String>,
    #[serde(default)]
    period: Option<Period>,
    #[serde(default)]
    holiday_allowance: Option<HolidayAllowanceBasis>,
    values: Vec<RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    #[serde(default)]
    from: Option<NaiveDate>,
    #[serde(default)]
    until: Option<NaiveDate>,
    value: serde_norway::Value,
    #[serde(default)]
    period: Option<Period>,
    #[serde(default)]
    holiday_allowance: Option<HolidayAllowanceBasis>,
    source: String,
    #[serde(default)]
    source_title: Option<String>,
    #[serde(default)]
    legal_basis: Option<String>,
    status: Status,
    #[serde(default)]
    note: Option<String>,
    checked: NaiveDate,
}

/// A small fast hash for parameter ids, which are looked up about ninety times per assessment. It mixes the
/// length and the first and last eight bytes: ids differ there (`work.own_study`, `hsm.salary_30plus`), and the
/// map compares whole keys anyway.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn mix(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        if n >= 8 {
            let first = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
            let last = u64::from_le_bytes(bytes[n - 8..].try_into().unwrap_or_default());
            self.mix(first);
            self.mix(last ^ n as u64);
        } else {
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(bytes);
            self.mix(u64::from_le_bytes(buf) ^ ((n as u64) << 56));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A validated set of parameters and the hash that identifies it.
#[derive(Clone, Debug)]
pub struct ParamSet {
    params: FxMap<String, Param>,
    hash: Arc<str>,
}

/// The parameter files compiled into the binary: (relative path without `.yaml`, contents).
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_params.rs"));

impl ParamSet {
    /// The parameter set compiled into the program.
    pub fn embedded() -> Result<ParamSet, ParamError> {
        ParamSet::from_sources(EMBEDDED.iter().map(|(p, c)| (p.to_string(), c.to_string())))
    }

    /// Builds a set from `(path, contents)` pairs, where the path is relative to the parameter folder, with `/`
    /// between folders and with or without `.yaml`.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<ParamSet, ParamError> {
        let mut files: Vec<(String, String)> = sources
            .into_iter()
            .map(|(p, c)| {
                (
                    p.trim_end_matches(".yaml")
                        .trim_end_matches(".yml")
                        .replace('\\', "/"),
                    c,
                )
            })
            .collect();
        files.sort();
        let mut hasher = Sha256::new();
        let mut params = FxMap::default();
        for (path, contents) in &files {
            hasher.update(path.as_bytes());
            hasher.update([0]);
            hasher.update(contents.as_bytes());
            hasher.update([0]);
            let id = path.replace('/', ".");
            let param = parse_param(&id, &format!("{path}.yaml"), contents)?;
            params.insert(id, param);
        }
        let digest = hasher.finalize();
        let hash = digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        let set = ParamSet {
            params,
            hash: hash.into(),
        };
        for (id, unit) in crate::rules::REQUIRED_PARAMS {
            match set.params.get(*id) {
                None => return Err(ParamError::Missing { id: id.to_string() }),
                Some(p) if p.unit != *unit => {
                    return Err(ParamError::Invalid {
                        file: format!("{}.yaml", id.replace('.', "/")),
                        field: "unit".into(),
                        message: format!("expected {unit:?}, found {:?}", p.unit),
                    })
                }
                Some(_) => {}
            }
        }
        Ok(set)
    }

    /// SHA-256 of the parameter files, in path order: the same hash means the same law.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The hash, shared (for receipts).
    pub fn hash_shared(&self) -> Arc<str> {
        self.hash.clone()
    }

    pub fn get(&self, id: &str) -> Option<&Param> {
        self.params.get(id)
    }

    /// Every parameter, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Param> {
        let mut all: Vec<&Param> = self.params.values().collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all.into_iter()
    }

    pub fn at(&self, id: &str, date: NaiveDate) -> Result<&DatedValue, ParamError> {
        let p = self
            .params
            .get(id)
            .ok_or_else(|| ParamError::Missing { id: id.into() })?;
        p.at(date).ok_or_else(|| ParamError::NotCovered {
            id: id.into(),
            date,
        })
    }

    /// Replaces or adds dated values (used by what-if runs): each override's period is carved out of the
    /// existing values, which are split where needed. The hash changes with the override.
    pub fn with_override(&self, id: &str, value: DatedValue) -> Result<ParamSet, ParamError> {
        let mut set = self.clone();
        let p = set
            .params
            .get_mut(id)
            .ok_or_else(|| ParamError::Missing { id: id.into() })?;
        let mut out = Vec::with_capacity(p.values.len() + 2);
        for v in p.values.drain(..) {
            // Part before the override.
            if let Some(of) = value.from {
                if v.from.is_none_or(|f| f < of) {
                    let end = of.pred_opt().unwrap_or(of);
                    let until = Some(v.until.map_or(end, |u| u.min(end)));
                    if v.from.is_none_or(|f| f <= end) {
                        out.push(DatedValue { until, ..v.clone() });
                    }
                }
            }
            // Part after the override.
            if let Some(ou) = value.until {
                if v.until.is_none_or(|u| u > ou) {
                    let start = ou.succ_opt().unwrap_or(ou);
                    let from = Some(v.from.map_or(start, |f| f.max(start)));
                    out.push(DatedValue { from, ..v.clone() });
                }
            }
        }
        let mut hasher = Sha256::new();
        hasher.update(set.hash.as_bytes());
        hasher.update(
            format!(
                "{id}\0{:?}\0{:?}\0{:?}",
                value.from, value.until, value.value
            )
            .as_bytes(),
        );
        let hash: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        out.push(value);
        out.sort_by_key(|v| v.from);
        p.lists = code_lists(&out);
        p.values = out;
        set.hash = hash.into();
        Ok(set)
    }

    pub fn amount(
        &self,
        id: &str,
        date: NaiveDate,
    ) -> Result<(Money, Basis, &DatedValue), ParamError> {
        let v = self.at(id, date)?;
        match (&v.value, v.basis) {
            (Value::Amount(m), Some(b)) => Ok((*m, b, v)),
            _ => Err(ParamError::WrongUnit {
                id: id.into(),
                expected: "an amount",
            }),
        }
    }

    /// A whole number (years, months, points, rank…).
    pub fn whole(&self, id: &str, date: NaiveDate) -> Result<(i64, &DatedValue), ParamError> {
        let v = self.at(id, date)?;
        match v.value {
            Value::Number(n) => Ok((n / 100, v)),
            _ => Err(ParamError::WrongUnit {
                id: id.into(),
                expected: "a number",
            }),
        }
    }

    /// A number in hundredths (a percentage of 8 % is 800).
    pub fn hundredths(&self, id: &str, date: NaiveDate) -> Result<(i64, &DatedValue), ParamError> {
        let v = self.at(id, date)?;
        match v.value {
            Value::Number(n) => Ok((n, v)),
            _ => Err(ParamError::WrongUnit {
                id: id.into(),
                expected: "a number",
            }),
        }
    }

    pub fn flag(&self, id: &str, date: NaiveDate) -> Result<(bool, &DatedValue), ParamError> {
        let v = self.at(id, date)?;
        match v.value {
            Value::Flag(b) => Ok((b, v)),
            _ => Err(ParamError::WrongUnit {
                id: id.into(),
                expected: "a yes/no value",
            }),
        }
    }

    pub fn date(&self, id: &str, date: NaiveDate) -> Result<(NaiveDate, &DatedValue), ParamError> {
        let v = self.at(id, date)?;
        match v.value {
            Value::Date(d) => Ok((d, v)),
            _ => Err(ParamError::WrongUnit {
                id: id.into(),
                expected: "a date",
            }),
        }
    }

    pub fn code(&self, id: &str, date: NaiveDate) -> Result<(&str, &DatedValue), ParamError> {
        let v = self.at(id, date)?;
        match &v.value {
            Value::Code(c) => Ok((c.as_str(), v)),
            _ => Err(ParamError::WrongUnit {
                id: id.into(),
                expected: "a code",
            }),
        }
    }

    /// A code list's entries on a date, for searching, with the value they come from.
    pub fn code_list(
        &self,
        id: &str,
        date: NaiveDate,
    ) -> Result<(&CodeList, &DatedValue), ParamError> {
        let p = self
            .params
            .get(id)
            .ok_or_else(|| ParamError::Missing { id: id.into() })?;
        let i = p.index_at(date).ok_or_else(|| ParamError::NotCovered {
            id: id.into(),
            date,
        })?;
        match p.lists.get(i) {
            Some(Some(list)) => Ok((list, &p.values[i])),
            _ => Err(ParamError::WrongUnit {
                id: id.into(),
                expected: "a code",
            }),
        }
    }

    /// The first day of the first value of a parameter (for "in force from").
    pub fn first_from(&self, id: &str) -> Option<NaiveDate> {
        self.params
            .get(id)
            .and_then(|p| p.values.first())
            .and_then(|v| v.from)
    }

    /// The day after the value covering `date` ends, if it does (the first day a rule may stop applying).
    pub fn next_change_after(&self, id: &str, date: NaiveDate) -> Option<NaiveDate> {
        let p = self.params.get(id)?;
        p.values.iter().filter_map(|v| v.from).find(|f| *f > date)
    }

    /// The first day after `date` from which a value of the parameter satisfies `ok` (the first date a rule
    /// that blocks a case stops applying).
    pub fn first_date_after(
        &self,
        id: &str,
        date: NaiveDate,
        ok: impl Fn(&Value) -> bool,
    ) -> Option<NaiveDate> {
        let p = self.params.get(id)?;
        p.values
            .iter()
            .filter(|v| v.from.is_some_and(|f| f > date) && ok(&v.value))
            .find_map(|v| v.from)
    }
}

fn parse_param(id: &str, file: &str, contents: &str) -> Result<Param, ParamError> {
    let de = serde_norway::Deserializer::from_str(contents);
    let raw: RawParam = serde_path_to_error::deserialize(de).map_err(|e| ParamError::Parse {
        file: file.into(),
        message: format!("field `{}`: {}", e.path(), e.inner()),
    })?;
    let invalid = |i: usize, field: &str, message: String| ParamError::Invalid {
        file: file.into(),
        field: format!("values[{i}].{field}"),
        message,
    };
    if raw.values.is_empty() {
        return Err(ParamError::Invalid {
            file: file.into(),
            field: "values".into(),
            message: "no values".into(),
        });
    }
    let mut values = Vec::with_capacity(raw.values.len());
    let last = raw.values.len() - 1;
    let defaults = ParamDefaults {
        unit: raw.unit,
        period: raw.period,
        holiday_allowance: raw.holiday_allowance,
    };
    for (i, rv) in raw.values.into_iter().enumerate() {
        if !(rv.source.starts_with("https://")
            || rv.source.starts_with("http://")
            || rv.source.starts_with("seed:"))
        {
            return Err(invalid(
                i,
                "source",
                format!("expected a URL, found {:?}", rv.source),
            ));
        }
        if rv.from.is_none() && i != 0 {
            return Err(invalid(
                i,
                "from",
                "only the first value may have an open start".into(),
            ));
        }
        if rv.until.is_none() && i != last {
            return Err(invalid(
                i,
                "until",
                "only the last value may be open-ended".into(),
            ));
        }
        if let (Some(f), Some(u)) = (rv.from, rv.until) {
            if u < f {
                return Err(invalid(i, "until", format!("{u} is before `from` {f}")));
            }
        }
        let value = convert_value(raw.unit, &rv.value).map_err(|m| invalid(i, "value", m))?;
        let basis = amount_basis(&defaults, &rv, |f, m| invalid(i, f, m))?;
        let source = Arc::new(Source {
            url: rv.source,
            title: rv.source_title,
            legal_basis: rv.legal_basis.or_else(|| raw.legal_basis.clone()),
            status: rv.status,
            note: rv.note,
            checked: rv.checked,
        });
        values.push(DatedValue {
            from: rv.from,
            until: rv.until,
            value,
            basis,
            source,
        });
    }
    check_order(&values, invalid)?;
    Ok(Param {
        id: id.into(),
        title: raw.title,
        unit: raw.unit,
        description: raw.description,
        lists: code_lists(&values),
        values,
    })
}

/// The values of a parameter are in date order and do not overlap.
fn check_order(
    values: &[DatedValue],
    invalid: impl Fn(usize, &str, String) -> ParamError,
) -> Result<(), ParamError> {
    for i in 1..values.len() {
        let (prev, cur) = (&values[i - 1], &values[i]);
        let (Some(pf), Some(cf)) = (prev.from, cur.from) else {
            continue;
        };
        if cf <= pf {
            return Err(invalid(
                i,
                "from",
                format!("values must be in date order: {cf} is not after {pf}"),
            ));
        }
        if prev.until.is_none_or(|pu| pu >= cf) {
            return Err(invalid(
                i,
                "from",
                format!(
                    "overlaps the value before it, which runs until {}",
                    prev.until
                        .map_or("further notice".to_string(), |d| d.to_string())
                ),
            ));
        }
    }
    Ok(())
}

/// What a parameter file says for all its values, where a value does not say it itself.
struct ParamDefaults {
    unit: Unit,
    period: Option<Period>,
    holiday_allowance: Option<HolidayAllowanceBasis>,
}

/// The basis of an amount (per month or year, with or without holiday allowance), given on the value or the
/// parameter; `None` for a parameter that is not an amount.
fn amount_basis(
    raw: &ParamDefaults,
    rv: &RawValue,
    invalid: impl Fn(&str, String) -> ParamError,
) -> Result<Option<Basis>, ParamError> {
    Ok(if raw.unit == Unit::Eur {
        let period = rv.period.or(raw.period).ok_or_else(|| {
            invalid(
                "period",
                "an amount needs `period: month` or `period: year`".into(),
            )
        })?;
        let holiday_allowance =
            rv.holiday_allowance
                .or(raw.holiday_allowance)
                .ok_or_else(|| {
                    invalid(
                        "holiday_allowance",
                        "an amount needs `holiday_allowance: included` or `excluded`".into(),
                    )
                })?;
        Some(Basis {
            period,
            holiday_allowance,
        })
    } else {
        None
    })
}

fn convert_value(unit: Unit, v: &serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Y;
    match unit {
        Unit::Eur => {
            let m: Money = serde_norway::from_value(v.clone()).map_err(|e| e.to_string())?;
            Ok(Value::Amount(m))
        }
        Unit::Boolean => match v {
            Y::Bool(b) => Ok(Value::Flag(*b)),
            _ => Err("expected true or false".into()),
        },
        Unit::Date => match v {
            Y::String(s) => s
                .parse()
                .map(Value::Date)
                .map_err(|_| format!("expected a date YYYY-MM-DD, found {s:?}")),
            _ => Err("expected a date YYYY-MM-DD".into()),
        },
        Unit::Code => match v {
            Y::String(s) => Ok(Value::Code(s.clone())),
            _ => Err("expected a code (text)".into()),
        },
        _ => {
            let text = match v {
                Y::Number(n) => n.to_string(),
                _ => return Err("expected a number".into()),
            };
            let m = Money::parse(&text).map_err(|_| {
                format!("expected a number with at most two decimals, found {text}")
            })?;
            if unit.is_whole_number() && m.cents() % 100 != 0 {
                return Err(
                    format!("expected a whole number of {unit:?}, found {text}").to_lowercase()
                );
            }
            Ok(Value::Number(m.cents()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CodeList;

    fn list_contains(list: &str, item: &str) -> bool {
        CodeList::new(list).contains(item)
    }

    #[test]
    fn a_code_list_holds_whole_codes_only() {
        let list = "AT,BE, NL ,GB";
        assert!(list_contains(list, "AT"));
        assert!(list_contains(list, "NL"));
        assert!(list_contains(list, "GB"));
        assert!(!list_contains(list, "A"));
        assert!(!list_contains(list, "T,B"));
        assert!(!list_contains(list, "US"));
        assert!(!list_contains(list, ""));
        let statuses = "dutch_or_eu_citizen,permanent_residence";
        assert!(!list_contains(statuses, "dutch_or_eu"));
        assert!(list_contains(statuses, "permanent_residence"));
        assert!(!list_contains(statuses, "residence"));
    }
}
