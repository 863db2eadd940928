//! What a decision is: an outcome, every check that led to it, what would change it, and caveats.
//!
//! Checks hold structured facts; their plain-language reasons are rendered on demand (see [`Check::reason`]), so
//! an assessment without explanation costs no text.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::case::{RankingList, Scheme};
use crate::code::Code;
use crate::money::Money;
use crate::params::{Basis, DatedValue, Source, Status};
use crate::text::{Lang, Text};

/// The outcome of a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Eligible,
    NotEligible,
    /// A fact the decision needs is missing from the case, or no parameter value covers the date.
    Unknown,
    /// The scheme is not in force on the filing date.
    NotApplicable,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Eligible => "eligible",
            Outcome::NotEligible => "not_eligible",
            Outcome::Unknown => "unknown",
            Outcome::NotApplicable => "not_applicable",
        }
    }

    pub fn text(self) -> Text {
        match self {
            Outcome::Eligible => Text::new("eligible", "komt in aanmerking"),
            Outcome::NotEligible => Text::new("not eligible", "komt niet in aanmerking"),
            Outcome::Unknown => Text::new("unknown", "onbekend"),
            Outcome::NotApplicable => Text::new("not applicable", "niet van toepassing"),
        }
    }
}

/// The result of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    Unknown,
    /// Informs (which criterion applies, an end date, a condition not assessed); does not decide.
    Info,
}

/// A fact that a check compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fact {
    Money {
        amount: Money,
        #[serde(flatten)]
        basis: Basis,
    },
    Date {
        date: NaiveDate,
    },
    Age {
        years: i64,
    },
    Years {
        years: i64,
    },
    Months {
        months: i64,
    },
    Points {
        points: i64,
    },
    Rank {
        list: RankingList,
        edition: u16,
        position: u16,
    },
    Flag {
        value: bool,
    },
    Code {
        code: &'static str,
    },
    Missing {
        field: &'static str,
    },
}

impl Fact {
    pub fn money(amount: Money, basis: Basis) -> Fact {
        Fact::Money { amount, basis }
    }

    /// The fact written out in a language.
    pub fn render(&self, lang: Lang) -> String {
        FactText(Some(self), lang).to_string()
    }

    /// Writes the fact in a language.
    pub fn write(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, lang) {
            (Fact::Money { amount, basis }, Lang::En) => {
                write!(f, "{amount} {}", basis_text(*basis, Lang::En))
            }
            (Fact::Money { amount, basis }, Lang::Nl) => {
                write!(f, "{} {}", amount.dutch(), basis_text(*basis, Lang::Nl))
            }
            (Fact::Date { date }, lang) => fmt::Display::fmt(&Day(*date, lang), f),
            (Fact::Age { years }, Lang::En) => write!(f, "age {years}"),
            (Fact::Age { years }, Lang::Nl) => write!(f, "{years} jaar oud"),
            (Fact::Years { years }, Lang::En) => write!(f, "{years} years"),
            (Fact::Years { years }, Lang::Nl) => write!(f, "{years} jaar"),
            (Fact::Months { months }, Lang::En) => write!(f, "{months} months"),
            (Fact::Months { months }, Lang::Nl) => write!(f, "{months} maanden"),
            (Fact::Points { points }, Lang::En) => write!(f, "{points} points"),
            (Fact::Points { points }, Lang::Nl) => write!(f, "{points} punten"),
            (
                Fact::Rank {
                    list,
                    edition,
                    position,
                },
                _,
            ) => write!(f, "{} {edition} #{position}", ranking_name(*list)),
            (Fact::Flag { value }, Lang::En) => f.write_str(if *value { "yes" } else { "no" }),
            (Fact::Flag { value }, Lang::Nl) => f.write_str(if *value { "ja" } else { "nee" }),
            (Fact::Code { code }, _) => {
                for (i, part) in code.split('_').enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    f.write_str(part)?;
                }
                Ok(())
            }
            (Fact::Missing { field }, Lang::En) => write!(f, "not given ({field})"),
            (Fact::Missing { field }, Lang::Nl) => write!(f, "niet opgegeven ({field})"),
        }
    }
}

/// A fact (or nothing, when absent) in a language, written when displayed.
#[derive(Clone, Copy)]
pub struct FactText<'a>(pub Option<&'a Fact>, pub Lang);

impl fmt::Display for FactText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(fact) => fact.write(self.1, f),
            None => Ok(()),
        }
    }
}

/// A value that may be absent, written as nothing when it is.
#[derive(Clone, Copy)]
pub struct Maybe<T>(pub Option<T>);

impl<T: fmt::Display> fmt::Display for Maybe<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(v) => v.fmt(f),
            None => Ok(()),
        }
    }
}

/// A date as `YYYY-MM-DD`, written without the general formatter (dates fill most reasons).
#[derive(Clone, Copy)]
pub struct IsoDate(pub NaiveDate);

impl IsoDate {
    /// The ten bytes of the date, for years 0 to 9999 (every date a case can hold).
    pub fn bytes(self) -> Option<[u8; 10]> {
        use chrono::Datelike;
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        if !(0..=9999).contains(&y) {
            return None;
        }
        let y = y as u32;
        let digit = |n: u32| b'0' + n as u8;
        Some([
            digit(y / 1000),
            digit(y / 100 % 10),
            digit(y / 10 % 10),
            digit(y % 10),
            b'-',
            digit(m / 10),
            digit(m % 10),
            b'-',
            digit(d / 10),
            digit(d % 10),
        ])
    }
}

/// A date as a reader of the language writes it: `2026-12-02` in English (unambiguous, as in the rest of the
/// answer), `2 december 2026` in Dutch.
#[derive(Clone, Copy)]
pub struct Day(pub NaiveDate, pub Lang);

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Datelike;
        const MONTHS: [&str; 12] = [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ];
        match self.1 {
            Lang::En => fmt::Display::fmt(&IsoDate(self.0), f),
            Lang::Nl => write!(
                f,
                "{} {} {}",
                self.0.day(),
                MONTHS[self.0.month0() as usize],
                self.0.year()
            ),
        }
    }
}

/// A date in figures as a reader of the language writes it, ten characters wide: `2026-12-02` in English,
/// `02-12-2026` in Dutch. For columns and labels where a date in words does not fit.
#[derive(Clone, Copy)]
pub struct ShortDay(pub NaiveDate, pub Lang);

impl fmt::Display for ShortDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Datelike;
        match self.1 {
            Lang::En => fmt::Display::fmt(&IsoDate(self.0), f),
            Lang::Nl => write!(
                f,
                "{:02}-{:02}-{:04}",
                self.0.day(),
                self.0.month(),
                self.0.year()
            ),
        }
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bytes() {
            // The bytes are ASCII digits and dashes only.
            Some(buf) => f.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?),
            None => self.0.fmt(f),
        }
    }
}

pub fn ranking_name(list: RankingList) -> &'static str {
    match list {
        RankingList::The => "THE",
        RankingList::Qs => "QS",
        RankingList::Arwu => "ARWU",
    }
}

pub fn basis_text(b: Basis, lang: Lang) -> &'static str {
    use crate::params::{HolidayAllowanceBasis as H, Period as P};
    match (b.period, b.holiday_allowance, lang) {
        (P::Month, H::Excluded, Lang::En) => "a month, excluding holiday allowance",
        (P::Month, H::Included, Lang::En) => "a month, including holiday allowance",
        (P::Year, H::Excluded, Lang::En) => "a year, excluding holiday allowance",
        (P::Year, H::Included, Lang::En) => "a year, including holiday allowance",
        (P::Month, H::Excluded, Lang::Nl) => "per maand, exclusief vakantiegeld",
        (P::Month, H::Included, Lang::Nl) => "per maand, inclusief vakantiegeld",
        (P::Year, H::Excluded, Lang::Nl) => "per jaar, exclusief vakantiegeld",
        (P::Year, H::Included, Lang::Nl) => "per jaar, inclusief vakantiegeld",
    }
}

/// What would make a failed check pass, or until when a passing one holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Raise the counted salary by this much (in the criterion's basis, and per month excluding holiday
    /// allowance).
    RaiseSalary {
        shortfall: Money,
        #[serde(flatten)]
        basis: Basis,
        shortfall_monthly: Money,
    },
    /// File on or before this date to keep this result.
    FileOnOrBefore {
        date: NaiveDate,
        keeps: &'static str,
    },
    /// A window closed on this date (the last day it was open).
    ClosedOn {
        date: NaiveDate,
        window: &'static str,
    },
    /// The blocking rule stops applying (or the scheme starts) on this date.
    FileOnOrAfter {
        date: NaiveDate,
        because: &'static str,
    },
    /// The scheme ended; the last day it could be applied for.
    SchemeEnded { last_day: NaiveDate },
    /// Points short of the pass mark.
    MorePoints { needed: i64 },
    /// A contract of at least this many months.
    LongerContract { months: i64 },
}

/// A citation: the parameter a check rests on and the source of the value used. Serialised compactly (parameter,
/// URL, title, legal basis, status); the value's note and check date are in the parameter (`verblijf params`, the
/// parameters endpoint), and a note that matters is already a caveat of the decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    pub param: &'static str,
    /// Absent when no value of the parameter covers the date.
    pub source: Option<Arc<Source>>,
}

impl Serialize for Citation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Citation", 5)?;
        st.serialize_field("param", self.param)?;
        if let Some(src) = &self.source {
            st.serialize_field("url", &src.url)?;
            if let Some(t) = &src.title {
                st.serialize_field("title", t)?;
            }
            if let Some(l) = &src.legal_basis {
                st.serialize_field("legal_basis", l)?;
            }
            st.serialize_field("status", &src.status)?;
        }
        st.end()
    }
}

/// One check in a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// A stable code such as `HSM-SALARY`.
    pub code: Code,
    /// Which reading of the rule applied (such as `under30`, `reduced`), for the reason and for machines.
    pub variant: &'static str,
    pub status: CheckStatus,
    pub actual: Option<Fact>,
    pub required: Option<Fact>,
    pub citation: Citation,
    pub change: Option<Change>,
}

impl Check {
    /// A check of a condition, with the citation it rests on; its facts and change are added with
    /// [`Check::actual`], [`Check::required`] and [`Check::change`].
    pub fn new(
        code: impl Into<Code>,
        variant: &'static str,
        status: CheckStatus,
        citation: Citation,
    ) -> Check {
        Check {
            code: code.into(),
            variant,
            status,
            actual: None,
            required: None,
            citation,
            change: None,
        }
    }

    /// An `unknown` check saying that no value of parameter `param` covers `date`: a figure missing for a date is
    /// never replaced by a number of the rules' own.
    pub fn no_value(code: impl Into<Code>, param: &'static str, date: NaiveDate) -> Check {
        Check::new(
            code,
            "no_value",
            CheckStatus::Unknown,
            Citation {
                param,
                source: None,
            },
        )
        .required(Fact::Date { date })
    }

    /// The fact of the case that was compared (absent: nothing to show).
    pub fn actual(mut self, fact: impl Into<Option<Fact>>) -> Check {
        self.actual = fact.into();
        self
    }

    /// What the condition requires.
    pub fn required(mut self, fact: impl Into<Option<Fact>>) -> Check {
        self.required = fact.into();
        self
    }

    /// What would change the result, or until when it holds.
    pub fn change(mut self, change: impl Into<Option<Change>>) -> Check {
        self.change = change.into();
        self
    }

    /// The plain-language reason, in the given language.
    pub fn reason(&self, lang: Lang) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(192);
        let _ = write!(s, "{}", crate::rules::Reason(self, lang));
        s
    }
}

impl Serialize for Check {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_check(self, None, s)
    }
}

/// A check of a decision filed on a date: serialised with the legal bases that applied on that date.
pub struct CheckOn<'a>(pub &'a Check, pub NaiveDate);

impl Serialize for CheckOn<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_check(self.0, Some(self.1), s)
    }
}

fn serialize_check<S: Serializer>(
    this: &Check,
    date: Option<NaiveDate>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct("Check", 9)?;
    st.serialize_field("code", &this.code)?;
    st.serialize_field("variant", this.variant)?;
    st.serialize_field("status", &this.status)?;
    st.serialize_field("actual", &this.actual)?;
    st.serialize_field("required", &this.required)?;
    st.serialize_field(
        "reason",
        &InBothLanguages(|lang| crate::rules::Reason(this, lang)),
    )?;
    st.serialize_field("citation", &this.citation)?;
    if let Some(date) = date {
        st.serialize_field(
            "legal_basis",
            &crate::law::BasesOn {
                key: this.code.as_str(),
                date,
            },
        )?;
    }
    st.serialize_field("change", &this.change)?;
    st.end()
}

/// A text in both languages, serialised as `{"en": …, "nl": …}` (the shape of [`Text`]), each language written
/// straight into the output by the function given, when serialised.
pub struct InBothLanguages<F>(pub F);

impl<F: Fn(Lang) -> D, D: fmt::Display> Serialize for InBothLanguages<F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Text", 2)?;
        st.serialize_field("en", &Collect((self.0)(Lang::En)))?;
        st.serialize_field("nl", &Collect((self.0)(Lang::Nl)))?;
        st.end()
    }
}

/// Serialises anything displayable as a string, without an intermediate `String`.
pub struct Collect<T>(pub T);

impl<T: fmt::Display> Serialize for Collect<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A caveat: the decision rests on a value the reference marks as derived, conflicting or unverified. Its text is
/// written when it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caveat {
    pub param: &'static str,
    pub status: Status,
    pub source: Arc<Source>,
}

impl Caveat {
    pub fn new(param: &'static str, source: &Arc<Source>) -> Caveat {
        Caveat {
            param,
            status: source.status,
            source: source.clone(),
        }
    }

    pub fn text(&self) -> Text {
        caveat_text(self.param, &self.source)
    }
}

impl Serialize for Caveat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Caveat", 3)?;
        st.serialize_field("param", self.param)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("text", &self.text())?;
        st.end()
    }
}

/// The terms of the permit that would be granted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermitTerms {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Why it ends then (`contract_end`, `maximum_validity`, `one_year`...).
    pub end_reason: &'static str,
}

impl PermitTerms {
    /// Why the permit ends then, in words.
    pub fn end_reason_text(&self) -> Text {
        let (en, nl) = match self.end_reason {
            "contract_end" => ("the contract ends", "einde van het contract"),
            "contract_end_plus_three_months" => (
                "the contract's end plus three months",
                "einde van het contract plus drie maanden",
            ),
            "maximum_validity" => ("the longest term allowed", "de langste toegestane duur"),
            "one_year" | "one_year_not_extendable" => {
                ("one year, not extendable", "één jaar, niet te verlengen")
            }
            "sponsor_permit_end" => (
                "the sponsor's permit ends",
                "einde van de vergunning van de referent",
            ),
            other => (other, other),
        };
        Text::new(en, nl)
    }
}

/// The criterion a salary was compared against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedCriterion {
    /// `30plus`, `under30`, `reduced`, `exempt_minimum_wage`, `blue_card_standard`, `blue_card_graduate`.
    pub band: &'static str,
    pub amount: Money,
    #[serde(flatten)]
    pub basis: Basis,
    /// Counted salary minus the criterion, in the criterion's basis (negative: short).
    pub margin: i64,
}

/// A decision on one scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub scheme: Scheme,
    pub outcome: Outcome,
    pub filing_date: NaiveDate,
    pub checks: Vec<Check>,
    /// Fields of the case that are missing and needed.
    pub missing: Vec<&'static str>,
    pub caveats: Vec<Caveat>,
    pub criterion: Option<AppliedCriterion>,
    pub permit: Option<PermitTerms>,
}

impl Serialize for Decision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Checks<'a>(&'a [Check], NaiveDate);
        impl Serialize for Checks<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|c| CheckOn(c, self.1)))
            }
        }
        let mut st = s.serialize_struct("Decision", 8)?;
        st.serialize_field("scheme", &self.scheme)?;
        st.serialize_field("outcome", &self.outcome)?;
        st.serialize_field("filing_date", &self.filing_date)?;
        st.serialize_field("checks", &Checks(&self.checks, self.filing_date))?;
        st.serialize_field("missing", &self.missing)?;
        st.serialize_field("caveats", &self.caveats)?;
        if let Some(c) = &self.criterion {
            st.serialize_field("criterion", c)?;
        }
        if let Some(p) = &self.permit {
            st.serialize_field("permit", p)?;
        }
        st.end()
    }
}

impl Decision {
    pub fn check(&self, code: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.code == code)
    }
}

/// What a decision keeps of its checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Record {
    /// Every check with its facts, citation and change, the missing facts and the caveats: an explained answer.
    #[default]
    Full,
    /// The outcome, the criterion and the permit's terms only: `checks`, `missing` and `caveats` stay empty, and
    /// nothing is allocated for them (batch rows whose explanation is not asked for).
    Outcomes,
}

/// The statuses of an outcome-only decision, inline: no decision makes more checks than this, and one that did
/// would keep its worst status in the last place (the outcome stays right; only a later change of a status by code
/// could miss it).
const INLINE_CHECKS: usize = 32;

/// How much a status weighs in an outcome: a failure decides, an unknown undecides, the rest do neither.
fn weight(s: CheckStatus) -> u8 {
    match s {
        CheckStatus::Fail => 2,
        CheckStatus::Unknown => 1,
        CheckStatus::Pass | CheckStatus::Info => 0,
    }
}

#[derive(Clone, Copy)]
struct Statuses {
    len: u8,
    items: [(Code, CheckStatus); INLINE_CHECKS],
}

impl Statuses {
    fn push(&mut self, code: Code, status: CheckStatus) {
        let i = usize::from(self.len);
        if i < INLINE_CHECKS {
            self.items[i] = (code, status);
            self.len += 1;
        } else if weight(status) > weight(self.items[INLINE_CHECKS - 1].1) {
            self.items[INLINE_CHECKS - 1] = (code, status);
        }
    }
    fn as_slice(&self) -> &[(Code, CheckStatus)] {
        &self.items[..usize::from(self.len)]
    }
    fn as_mut_slice(&mut self) -> &mut [(Code, CheckStatus)] {
        &mut self.items[..usize::from(self.len)]
    }
}

/// Builds a decision check by check, collecting caveats and missing facts (or, for [`Record::Outcomes`], only the
/// status of each check).
pub(crate) struct Builder {
    pub decision: Decision,
    in_force: bool,
    statuses: Option<Statuses>,
}

impl Builder {
    pub fn recording(scheme: Scheme, filing_date: NaiveDate, record: Record) -> Builder {
        let full = record == Record::Full;
        Builder {
            decision: Decision {
                scheme,
                outcome: Outcome::Unknown,
                filing_date,
                checks: if full {
                    Vec::with_capacity(10)
                } else {
                    Vec::new()
                },
                missing: Vec::new(),
                caveats: Vec::new(),
                criterion: None,
                permit: None,
            },
            in_force: true,
            statuses: None,
        }
        .with_statuses(!full)
    }

    fn with_statuses(mut self, on: bool) -> Builder {
        if on {
            self.statuses = Some(Statuses {
                len: 0,
                items: [(Code::Hsm(crate::code::Hsm::InForce), CheckStatus::Info); INLINE_CHECKS],
            });
        }
        self
    }

    /// Does this decision keep every check (an explained answer)?
    pub fn full(&self) -> bool {
        self.statuses.is_none()
    }

    /// A citation of a value. A check that carries it puts its caveat (if any) on the decision.
    pub fn cite(&mut self, param: &'static str, v: &DatedValue) -> Citation {
        Citation {
            param,
            source: self.full().then(|| v.source.clone()),
        }
    }

    /// Puts a value's caveat on the decision: for values that decided something without being a check's citation.
    pub fn caveat(&mut self, param: &'static str, v: &DatedValue) {
        if self.full() {
            self.caveat_source(param, &v.source);
        }
    }

    fn caveat_source(&mut self, param: &'static str, s: &Arc<Source>) {
        if s.status.needs_caveat() && !self.decision.caveats.iter().any(|c| c.param == param) {
            self.decision.caveats.push(Caveat::new(param, s));
        }
    }

    pub fn push(&mut self, check: Check) {
        if let Some(st) = self.statuses.as_mut() {
            st.push(check.code, check.status);
            return;
        }
        if let Some(Fact::Missing { field }) = check.actual {
            if !self.decision.missing.contains(&field) {
                self.decision.missing.push(field);
            }
        }
        if let Some(s) = &check.citation.source {
            self.caveat_source(check.citation.param, s);
        }
        self.decision.checks.push(check);
    }

    /// Sets the status of the first check of `code` made so far.
    pub fn set_status(&mut self, code: Code, status: CheckStatus) {
        if let Some(st) = self.statuses.as_mut() {
            if let Some(c) = st.as_mut_slice().iter_mut().find(|c| c.0 == code) {
                c.1 = status;
            }
        } else if let Some(c) = self.decision.checks.iter_mut().find(|c| c.code == code) {
            c.status = status;
        }
    }

    /// The place of the last check of `code` made so far, for [`Builder::undecide_at`].
    pub fn last_of(&self, code: Code) -> Option<usize> {
        match &self.statuses {
            Some(st) => st.as_slice().iter().rposition(|c| c.0 == code),
            None => self.decision.checks.iter().rposition(|c| c.code == code),
        }
    }

    /// Makes the check at `at` undecided (`unknown`, with no change to offer).
    pub fn undecide_at(&mut self, at: usize) {
        if let Some(st) = self.statuses.as_mut() {
            if let Some(c) = st.as_mut_slice().get_mut(at) {
                c.1 = CheckStatus::Unknown;
            }
        } else if let Some(c) = self.decision.checks.get_mut(at) {
            c.status = CheckStatus::Unknown;
            c.change = None;
        }
    }

    pub fn not_in_force(&mut self) {
        self.in_force = false;
    }

    pub fn finish(mut self) -> Decision {
        let (fail, unknown) = match &self.statuses {
            Some(st) => (
                st.as_slice().iter().any(|c| c.1 == CheckStatus::Fail),
                st.as_slice().iter().any(|c| c.1 == CheckStatus::Unknown),
            ),
            None => (
                self.decision
                    .checks
                    .iter()
                    .any(|c| c.status == CheckStatus::Fail),
                self.decision
                    .checks
                    .iter()
                    .any(|c| c.status == CheckStatus::Unknown),
            ),
        };
        let d = &mut self.decision;
        d.outcome = if !self.in_force {
            Outcome::NotApplicable
        } else if fail {
            Outcome::NotEligible
        } else if unknown {
            Outcome::Unknown
        } else {
            Outcome::Eligible
        };
        // The terms of the permit are shown while it may still be granted (eligible, or unknown for a missing fact).
        if matches!(d.outcome, Outcome::NotEligible | Outcome::NotApplicable) {
            d.permit = None;
        }
        self.decision
    }
}

fn caveat_text(param: &str, s: &Source) -> Text {
    let (en, nl) = match s.status {
        Status::Derived => (
            "is derived from sourced figures, not printed in a source",
            "is afgeleid uit bronnen, niet letterlijk in een bron gevonden",
        ),
        Status::Conflict => (
            "is disputed between sources; the recommended reading is used",
            "verschilt tussen bronnen; de aanbevolen lezing is gebruikt",
        ),
        Status::Proposed => (
            "is a simulated reform, not law",
            "is een gesimuleerde wijziging, geen geldend recht",
        ),
        _ => (
            "could not be verified; the recommended default is used",
            "kon niet worden geverifieerd; de aanbevolen standaardwaarde is gebruikt",
        ),
    };
    // The notes of the sources are written in English: the Dutch caveat goes without.
    let note = s
        .note
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    Text::owned(format!("`{param}` {en}{note}."), format!("`{param}` {nl}."))
}
