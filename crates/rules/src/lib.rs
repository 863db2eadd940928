//! Verblijf rules: the Dutch rules on skilled migration as code.
//!
//! Pure: no IO, no clock. A decision is a function of a [`Case`], its dates, and a [`ParamSet`] (the law as dated,
//! cited data). See `ARCHITECTURE.md` for the map.

pub mod case;
pub mod code;
pub mod decision;
pub mod household;
pub mod input;
pub mod law;
pub mod money;
pub mod params;
pub mod rules;
pub mod text;
pub mod timeline;

use chrono::NaiveDate;
use serde::Serialize;

pub use case::{Case, Scheme};
pub use code::Code;
pub use decision::{Check, CheckStatus, Decision, Outcome, Record};
pub use household::{assess_household, work_rights, HouseholdAssessment, WorkRights, WorkStatus};
pub use input::{parse_case, CaseError, Format};
pub use money::Money;
pub use params::{ParamError, ParamSet};
pub use text::{Lang, Text};

/// The version of the engine, part of every receipt.
pub const ENGINE_VERSION: &str = concat!("verblijf-rules ", env!("CARGO_PKG_VERSION"));

/// What is needed to reproduce an answer: the engine, the law and the dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub engine: &'static str,
    pub params_hash: std::sync::Arc<str>,
    pub reference_date: NaiveDate,
    pub filing_date: NaiveDate,
}

/// An assessment of one person: a decision per scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub receipt: Receipt,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The scheme applied for, when the case names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_for: Option<Scheme>,
    /// The schemes the person is eligible for.
    pub eligible: Vec<Scheme>,
    pub decisions: Vec<Decision>,
}

impl Assessment {
    pub fn decision(&self, scheme: Scheme) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.scheme == scheme)
    }
}

/// Decides one scheme.
pub fn decide(scheme: Scheme, case: &Case, params: &ParamSet) -> Decision {
    decide_as(scheme, case, params, Record::Full)
}

/// Decides one scheme, keeping what `record` asks for.
pub fn decide_as(scheme: Scheme, case: &Case, params: &ParamSet, record: Record) -> Decision {
    match scheme {
        Scheme::HighlySkilledMigrant => rules::hsm::decide_as(case, params, record),
        Scheme::EuBlueCard => rules::blue_card::decide_as(case, params, record),
        Scheme::OrientationYear => rules::orientation_year::decide_as(case, params, record),
        Scheme::RegelingHoogopgeleiden => rules::hoogopgeleiden::decide_as(case, params, record),
        Scheme::ZoekjaarAfgestudeerden => rules::zoekjaar::decide_as(case, params, record),
        Scheme::SelfEmployed => rules::self_employed::decide_as(case, params, record),
        Scheme::FamilyMember => {
            household::decide_family_member_as(params, case, case.subject(), record)
        }
    }
}

/// Assesses a case under every scheme.
pub fn assess(case: &Case, params: &ParamSet) -> Assessment {
    assess_as(case, params, Record::Full)
}

/// Assesses a case under every scheme, keeping what `record` asks for: with [`Record::Outcomes`] each decision
/// has its outcome, criterion and permit terms but no checks (what a batch row without explanation needs).
pub fn assess_as(case: &Case, params: &ParamSet, record: Record) -> Assessment {
    let decisions: Vec<Decision> = Scheme::ALL
        .iter()
        .map(|s| decide_as(*s, case, params, record))
        .collect();
    let eligible = decisions
        .iter()
        .filter(|d| d.outcome == Outcome::Eligible)
        .map(|d| d.scheme)
        .collect();
    Assessment {
        receipt: Receipt {
            engine: ENGINE_VERSION,
            params_hash: params.hash_shared(),
            reference_date: case.reference_date,
            filing_date: case.filing_date(),
        },
        person: case.subject().id.clone(),
        applied_for: case.application.as_ref().and_then(|a| a.scheme),
        eligible,
        decisions,
    }
}

/// The JSON Schema of the case format, generated from the types.
pub fn case_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Case)).unwrap_or_default()
}
