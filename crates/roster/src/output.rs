//! What a batch writes per person: the outcome of each decision, the criterion that applied, the salary margin,
//! the right to work, the next deadline, and optionally the full explanation.

use chrono::NaiveDate;
use serde::Serialize;
use verblijf_rules::household::{deadlines, decide_family_member, person_status, work_rights};
use verblijf_rules::{assess, Case, Outcome, ParamSet, Scheme};

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
    pub hsm_required: Option<String>,
    /// Counted salary minus the criterion, in the criterion's basis (negative: the shortfall).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hsm_margin: Option<String>,
    pub work_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_until: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_deadline: Option<(NaiveDate, &'static str)>,
    /// The full assessment as JSON, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
}

fn cents(c: i64) -> String {
    verblijf_rules::Money::from_cents(c).to_plain()
}

/// Assesses every person of a case (one person or a household) for a batch.
pub fn assess_rows(
    case: &Case,
    household: Option<&str>,
    p: &ParamSet,
    explain: bool,
) -> Vec<PersonResult> {
    let date = case.reference_date;
    case.members()
        .into_iter()
        .map(|person| {
            let mc = case.for_member(person);
            let a = assess(&mc, p);
            let family = (case.person.is_none() && person_status(p, person, date).is_err())
                .then(|| decide_family_member(p, case, person));
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
            PersonResult {
                id: person.id.clone().unwrap_or_default(),
                household: household.map(str::to_string),
                reference_date: date,
                filing_date: mc.filing_date(),
                eligible: a.eligible.clone(),
                outcomes: a.decisions.iter().map(|d| (d.scheme, d.outcome)).collect(),
                family_member: family.as_ref().map(|d| d.outcome),
                hsm_criterion: hsm.map(|c| c.band),
                hsm_required: hsm.map(|c| c.amount.to_plain()),
                hsm_margin: hsm.map(|c| cents(c.margin)),
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

    /// The CSV fields, in [`OUTPUT_COLUMNS`] order (without `explanation` unless it was asked for).
    pub fn csv_fields(&self, explain: bool) -> Vec<String> {
        let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        vec![
            self.id.clone(),
            self.household.clone().unwrap_or_default(),
            self.reference_date.to_string(),
            self.filing_date.to_string(),
            self.eligible
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            self.outcome(Scheme::HighlySkilledMigrant).into(),
            self.outcome(Scheme::EuBlueCard).into(),
            self.outcome(Scheme::OrientationYear).into(),
            self.outcome(Scheme::RegelingHoogopgeleiden).into(),
            self.outcome(Scheme::ZoekjaarAfgestudeerden).into(),
            self.outcome(Scheme::SelfEmployed).into(),
            self.family_member.map(|o| o.as_str()).unwrap_or("").into(),
            self.hsm_criterion.unwrap_or("").into(),
            self.hsm_required.clone().unwrap_or_default(),
            self.hsm_margin.clone().unwrap_or_default(),
            self.work_status.into(),
            d(self.work_until),
            d(self.next_deadline.map(|n| n.0)),
            self.next_deadline.map(|n| n.1).unwrap_or("").into(),
        ]
        .into_iter()
        .chain(explain.then(|| {
            self.explanation
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default()
        }))
        .collect()
    }
}
