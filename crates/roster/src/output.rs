//! What a batch writes per person: the outcome of each decision, the criterion that applied, the salary margin,
//! the right to work, the next deadline, and optionally the full explanation.

use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;
use verblijf_rules::household::{deadlines, decide_family_member_as, person_status, work_rights};

use verblijf_rules::decision::IsoDate;
use verblijf_rules::{assess_as, Case, Money, Outcome, ParamSet, Record, Scheme};

/// The columns of a result CSV.
pub const OUTPUT_COLUMNS: &[&str] = &[
    "id",
    "household",
    "reference_date",
    "filing_date",
    "eligible",
    "highly_skilled_migrant",
    "eu_blue_card",
    "orientation_year",
    "regeling_hoogopgeleiden",
    "zoekjaar_afgestudeerden",
    "self_employed",
    "family_member",
    "hsm_criterion",
    "hsm_required",
    "hsm_margin",
    "work_status",
    "work_until",
    "next_deadline",
    "next_deadline_kind",
    "explanation",
];

/// The result for one person.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PersonResult {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub household: Option<String>,
    pub reference_date: NaiveDate,
    pub filing_date: NaiveDate,
    pub eligible: Vec<Scheme>,
    pub outcomes: Vec<(Scheme, Outcome)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_member: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hsm_criterion: Option<&'static str>,
    /// The criterion compared, in its own basis (per month or year).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hsm_required: Option<Money>,
    /// Counted salary minus the criterion, in the criterion's basis (negative: the shortfall).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hsm_margin: Option<Money>,
    pub work_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_until: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_deadline: Option<(NaiveDate, &'static str)>,
    /// The full assessment as JSON, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
}

/// Assesses every person of a case (one person or a household) for a batch.
pub fn assess_rows(
    case: &Case,
    household: Option<&str>,
    p: &ParamSet,
    explain: bool,
) -> Vec<PersonResult> {
    let date = case.reference_date;
    // Without an explanation, the decisions keep their outcomes only.
    let record = if explain {
        Record::Full
    } else {
        Record::Outcomes
    };
    case.member_slice()
        .iter()
        .map(|person| {
            let mc = case.member_view(person);
            let a = assess_as(&mc, p, record);
            let family = (case.person.is_none() && person_status(p, person, date).is_err())
                .then(|| decide_family_member_as(p, case, person, record));
            let family = family.filter(|d| d.outcome != Outcome::NotApplicable);
            let w = work_rights(p, case, person, date);
            let next = deadlines(p, case, person, date)
                .into_iter()
                .next()
                .map(|d| (d.date, d.kind));
            let hsm = a
                .decision(Scheme::HighlySkilledMigrant)
                .and_then(|d| d.criterion.as_ref());
            let explanation = explain.then(|| {
                serde_json::json!({ "assessment": &a, "family_member": &family, "work_rights": &w })
            });
            let criterion = hsm.map(|c| (c.band, c.amount, c.margin));
            PersonResult {
                id: person.id.clone().unwrap_or_default(),
                household: household.map(str::to_string),
                reference_date: date,
                filing_date: mc.filing_date(),
                outcomes: a.decisions.iter().map(|d| (d.scheme, d.outcome)).collect(),
                eligible: a.eligible,
                family_member: family.as_ref().map(|d| d.outcome),
                hsm_criterion: criterion.map(|c| c.0),
                hsm_required: criterion.map(|c| c.1),
                hsm_margin: criterion.map(|c| Money::from_cents(c.2)),
                work_status: w.status.as_str(),
                work_until: w.until,
                next_deadline: next,
                explanation,
            }
        })
        .collect()
}

impl PersonResult {
    fn outcome(&self, s: Scheme) -> &'static str {
        self.outcomes
            .iter()
            .find(|(x, _)| *x == s)
            .map_or("", |(_, o)| o.as_str())
    }

    /// Writes the row, in [`OUTPUT_COLUMNS`] order (without `explanation` unless it was asked for), with no
    /// text built on the way: dates and amounts go from stack buffers straight into the writer.
    pub fn write_csv<W: Write>(&self, explain: bool, w: &mut csv::Writer<W>) -> csv::Result<()> {
        let date = |w: &mut csv::Writer<W>, d: Option<NaiveDate>| match d {
            None => w.write_field(""),
            Some(d) => match IsoDate(d).bytes() {
                Some(b) => w.write_field(b),
                None => w.write_field(d.to_string()),
            },
        };
        let money = |w: &mut csv::Writer<W>, m: Option<Money>| {
            let mut buf = [0u8; 40];
            let n = m.map_or(0, |m| m.plain_into(&mut buf));
            w.write_field(&buf[buf.len() - n..])
        };
        w.write_field(&self.id)?;
        w.write_field(self.household.as_deref().unwrap_or(""))?;
        date(w, Some(self.reference_date))?;
        date(w, Some(self.filing_date))?;
        let mut eligible = [0u8; 256];
        let mut n = 0;
        for (i, s) in self.eligible.iter().enumerate() {
            let name = s.as_str().as_bytes();
            let sep = usize::from(i > 0);
            if n + sep + name.len() > eligible.len() {
                break;
            }
            if sep == 1 {
                eligible[n] = b';';
            }
            eligible[n + sep..n + sep + name.len()].copy_from_slice(name);
            n += sep + name.len();
        }
        w.write_field(&eligible[..n])?;
        for s in [
            Scheme::HighlySkilledMigrant,
            Scheme::EuBlueCard,
            Scheme::OrientationYear,
            Scheme::RegelingHoogopgeleiden,
            Scheme::ZoekjaarAfgestudeerden,
            Scheme::SelfEmployed,
        ] {
            w.write_field(self.outcome(s))?;
        }
        w.write_field(self.family_member.map_or("", |o| o.as_str()))?;
        w.write_field(self.hsm_criterion.unwrap_or(""))?;
        money(w, self.hsm_required)?;
        money(w, self.hsm_margin)?;
        w.write_field(self.work_status)?;
        date(w, self.work_until)?;
        date(w, self.next_deadline.map(|n| n.0))?;
        w.write_field(self.next_deadline.map_or("", |n| n.1))?;
        if explain {
            let e = self
                .explanation
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default();
            w.write_field(e)?;
        }
        w.write_record(None::<&[u8]>)
    }
}
