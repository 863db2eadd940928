//! Amounts of money in euro, held as whole cents. Never a float: a criterion compared "at least" must compare
//! exactly, and `5688.00 >= 5688` must not depend on rounding.

use std::fmt;

use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// An amount in euro, as whole cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn from_euros(euros: i64) -> Self {
        Money(euros * 100)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parses "5688", "5688.5", "5688.50", "5,688.50" is refused (a comma is ambiguous between locales).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().trim_start_matches('€').trim();
        if t.is_empty() {
            return Err("expected an amount in euro, found nothing".into());
        }
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let bad = || format!("expected an amount in euro such as 5688 or 5688.50, found {text:?}");
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "expected at most two decimals (whole cents), found {text:?}"
            ));
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac_cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse::<i64>().map_err(|_| bad())?,
        };
        let cents = whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac_cents))
            .ok_or_else(|| format!("amount {text:?} is too large"))?;
        Ok(Money(if negative { -cents } else { cents }))
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }

    /// Multiplies by a whole number (12 months in a year).
    pub fn times(self, n: i64) -> Money {
        Money(self.0.saturating_mul(n))
    }

    /// Multiplies by `1 + rate`, where the rate is in hundredths of a percent (800 = 8.00 %), rounding half away from
    /// zero to whole cents.
    pub fn plus_rate(self, rate_basis_points: i64) -> Money {
        let scaled = (self.0 as i128) * (10_000 + rate_basis_points as i128);
        Money(div_round(scaled, 10_000) as i64)
    }

    /// Divides by `1 + rate` (removes an allowance that is included in an amount), rounding to whole cents.
    pub fn minus_included_rate(self, rate_basis_points: i64) -> Money {
        let scaled = (self.0 as i128) * 10_000;
        Money(div_round(scaled, 10_000 + rate_basis_points as i128) as i64)
    }

    /// Divides by a whole number, rounding up to the next cent (the least amount that, times `n`, reaches
    /// `self`).
    pub fn div_ceil(self, n: i64) -> Money {
        Money(self.0.div_euclid(n) + i64::from(self.0.rem_euclid(n) != 0))
    }

    /// Divides by `1 + rate`, rounding up to the next cent.
    pub fn minus_included_rate_ceil(self, rate_basis_points: i64) -> Money {
        let n = (self.0 as i128) * 10_000;
        let d = 10_000 + rate_basis_points as i128;
        Money((n.div_euclid(d) + i128::from(n.rem_euclid(d) != 0)) as i64)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d.abs() {
        q + n.signum() * d.signum()
    } else {
        q
    }
}

/// Writes an amount into a buffer from its end: `-` when negative, the euro sign (and space) given, the euros with a
/// separator every three digits, the decimal mark and two cents. Returns where the text starts.
fn write_amount(
    amount: i64,
    euro_sign: &str,
    thousands: Option<u8>,
    decimal: u8,
    buf: &mut [u8; 40],
) -> usize {
    let abs = amount.unsigned_abs();
    let (mut euros, cents) = (abs / 100, abs % 100);
    let mut i = buf.len();
    let mut push = |b: u8, i: &mut usize| {
        *i -= 1;
        buf[*i] = b;
    };
    push(b'0' + (cents % 10) as u8, &mut i);
    push(b'0' + (cents / 10) as u8, &mut i);
    push(decimal, &mut i);
    let mut digits = 0;
    loop {
        if digits > 0 && digits % 3 == 0 {
            if let Some(t) = thousands {
                push(t, &mut i);
            }
        }
        push(b'0' + (euros % 10) as u8, &mut i);
        digits += 1;
        euros /= 10;
        if euros == 0 {
            break;
        }
    }
    for &b in euro_sign.as_bytes().iter().rev() {
        push(b, &mut i);
    }
    if amount < 0 {
        push(b'-', &mut i);
    }
    i
}

fn write_money(
    m: Money,
    euro_sign: &str,
    thousands: Option<u8>,
    decimal: u8,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let mut buf = [0u8; 40];
    let start = write_amount(m.0, euro_sign, thousands, decimal, &mut buf);
    // Only ASCII digits, separators and the euro sign were written.
    f.write_str(std::str::from_utf8(&buf[start..]).map_err(|_| fmt::Error)?)
}

impl fmt::Display for Money {
    /// "€5,688.00": a thousands separator for reading; `to_plain` gives the machine form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_money(*self, "€", Some(b','), b'.', f)
    }
}

/// An amount written the Dutch way: "€ 5.688,00".
#[derive(Clone, Copy)]
pub struct Dutch(Money);

impl fmt::Display for Dutch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_money(self.0, "€ ", Some(b'.'), b',', f)
    }
}

/// An amount in the machine form: "5688.00".
#[derive(Clone, Copy)]
pub struct Plain(Money);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_money(self.0, "", None, b'.', f)
    }
}

impl Money {
    /// "5688.00": the form used in JSON and CSV.
    pub fn to_plain(self) -> String {
        Plain(self).to_string()
    }

    /// Writes the machine form ("5688.00") at the end of `buf`; returns its length.
    pub fn plain_into(self, buf: &mut [u8; 40]) -> usize {
        buf.len() - write_amount(self.0, "", None, b'.', buf)
    }

    /// "€ 5.688,00".
    pub fn to_dutch(self) -> String {
        Dutch(self).to_string()
    }

    /// The amount the Dutch way, written when displayed.
    pub fn dutch(self) -> Dutch {
        Dutch(self)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&Plain(*self))
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Accepts a number or a string. A case or parameter never holds a negative amount.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative amount in euro with at most two decimals, such as 5688 or \"5688.50\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(100))
                    .map(Money)
                    .ok_or_else(|| E::custom("amount too large"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                if v < 0 {
                    return Err(E::custom(format!(
                        "expected a non-negative amount in euro, found {v}"
                    )));
                }
                self.visit_u64(v as u64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                // The text of a YAML or JSON number reaches us as a float; its shortest decimal rendering is the
                // text that was written, so we parse that and never compute with the float.
                if !v.is_finite() {
                    return Err(E::custom(
                        "expected an amount in euro, found a non-finite number",
                    ));
                }
                if v < 0.0 {
                    return Err(E::custom(format!(
                        "expected a non-negative amount in euro, found {v}"
                    )));
                }
                Money::parse(&format!("{v}")).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                let m = Money::parse(v).map_err(E::custom)?;
                if m.is_negative() {
                    return Err(E::custom(format!(
                        "expected a non-negative amount in euro, found {v}"
                    )));
                }
                Ok(m)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount in euro, gross, with at most two decimals. A number (5688.5) or a string (\"5688.50\"). Never negative.",
            "anyOf": [
                { "type": "number", "minimum": 0, "multipleOf": 0.01 },
                { "type": "string", "pattern": "^[0-9]+(\\.[0-9]{1,2})?$" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_whole_and_decimal_amounts_exactly() {
        assert_eq!(Money::parse("5688").unwrap(), Money::from_cents(568_800));
        assert_eq!(Money::parse("4371.84").unwrap(), Money::from_cents(437_184));
        assert_eq!(Money::parse("0.5").unwrap(), Money::from_cents(50));
        assert!(Money::parse("1.234").is_err());
        assert!(Money::parse("12,50").is_err());
        assert!(Money::parse("abc").is_err());
    }

    #[test]
    fn a_yaml_float_becomes_exact_cents() {
        let m: Money = serde_norway::from_str("4371.84").unwrap();
        assert_eq!(m.cents(), 437_184);
        let m: Money = serde_json::from_str("1594.2").unwrap();
        assert_eq!(m.cents(), 159_420);
    }

    #[test]
    fn a_negative_amount_is_refused() {
        assert!(serde_norway::from_str::<Money>("-1").is_err());
        assert!(serde_json::from_str::<Money>("-0.5").is_err());
        assert!(serde_json::from_str::<Money>("\"-3\"").is_err());
    }

    #[test]
    fn holiday_allowance_is_added_and_removed_to_the_cent() {
        let base = Money::from_euros(4100);
        assert_eq!(base.times(12).plus_rate(800), Money::from_euros(53_136));
        assert_eq!(
            Money::from_cents(437_184).minus_included_rate(800),
            Money::from_euros(4048)
        );
    }

    #[test]
    fn displays_with_grouping_in_english_and_dutch() {
        assert_eq!(Money::from_cents(568_800).to_string(), "€5,688.00");
        assert_eq!(Money::from_cents(568_800).to_dutch(), "€ 5.688,00");
        assert_eq!(Money::from_cents(50).to_plain(), "0.50");
        assert_eq!(Money::from_cents(0).to_string(), "€0.00");
        assert_eq!(Money::from_cents(99_999).to_string(), "€999.99");
        assert_eq!(Money::from_cents(100_000).to_string(), "€1,000.00");
        assert_eq!(
            Money::from_cents(-123_456_789).to_string(),
            "-€1,234,567.89"
        );
        assert_eq!(
            Money::from_cents(-123_456_789).to_dutch(),
            "-€ 1.234.567,89"
        );
        assert_eq!(Money::from_cents(-5).to_plain(), "-0.05");
        assert_eq!(
            Money::from_cents(i64::MIN).to_plain(),
            "-92233720368547758.08"
        );
        assert_eq!(
            serde_json::to_string(&Money::from_cents(7_012_345)).unwrap(),
            "\"70123.45\""
        );
    }
}
