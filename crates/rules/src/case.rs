//! The case format: a person (and what they apply for) on a reference date, in JSON or YAML with one schema.
//!
//! Unknown fields are refused. A fact that is absent is `None`: the decisions that need it answer `unknown` and
//! name it; nothing is guessed. Flags that describe an exception (such as `intra_corporate_transfer`) default to
//! `false`, and the documentation says so.

use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize};

use crate::money::Money;

/// A case: one person on a reference date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Verblijf case", extend("$id" = "https://verblijf.nl/schema/case.json"))]
pub struct Case {
    /// The date on which the case is assessed (YYYY-MM-DD). The filing date defaults to it.
    pub reference_date: NaiveDate,
    /// One person. Give either `person` or `people`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
    /// A household: every person with an `id`. Give either `person` or `people`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<Person>,
    /// Family links between the people of a household.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relationships: Vec<Relationship>,
    /// What is applied for. When absent, every scheme is assessed for a first application filed on the reference
    /// date. In a household, each person may carry their own `application`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
}

/// A family link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Relationship {
    /// Two partners: married, registered or unmarried.
    Partner {
        /// The ids of the two partners.
        partners: [String; 2],
        form: PartnershipForm,
        /// When the relationship (or living together) began.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        /// When it ended (separation, divorce, death); absent while it lasts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    /// A parent and a child.
    Child { parent: String, child: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnershipForm {
    Married,
    Registered,
    Unmarried,
}

/// The person assessed.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// An identifier of your choice (for rosters and households).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// ISO 3166-1 alpha-2 country code of the nationality, such as `IN` or `TR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<CountryCode>,
    /// Where the person is when the application is filed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Completed programmes, most recent last or in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<Education>,
    /// Periods of scientific research in the Netherlands (under a researcher permit, or as a highly skilled
    /// migrant employed as a researcher).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub research: Vec<ResearchPeriod>,
    /// Has the person worked in the Netherlands before? (A success indicator in the 2009 points test.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previously_worked_in_nl: Option<bool>,
    /// Has the person studied in the Netherlands before? (A success indicator in the 2009 points test.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previously_studied_in_nl: Option<bool>,
    /// Languages the person speaks, as ISO 639-1 codes (`nl`, `en`, `fr`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<LanguageCode>>,
    /// Residence permits held now or before, including earlier orientation years.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permits: Vec<HeldPermit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_offer: Option<JobOffer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_employment: Option<SelfEmployment>,
    /// Years of relevant professional experience (the EU Blue Card experience route).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub professional_experience_years: Option<u8>,
    /// Has the person passed the civic-integration exam? (Continued residence after a relationship ends.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub civic_integration_exam_passed: Option<bool>,
    /// Gross monthly income excluding holiday allowance, when the person sponsors a family member and it is not
    /// the `job_offer` salary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor_income_monthly: Option<Money>,
    /// In a household: what this person applies for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    Abroad,
    Netherlands,
}

/// A completed programme of higher education.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Education {
    pub level: EducationLevel,
    /// `dutch_accredited` (a programme in the Dutch register, CROHO), `foreign`, or `erasmus_mundus`.
    pub provenance: Provenance,
    /// `regular`, or one of the programmes named in the orientation-year rules.
    #[serde(default, skip_serializing_if = "ProgrammeKind::is_regular")]
    pub programme_kind: ProgrammeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    /// ISO 3166-1 alpha-2 code of the country where the diploma was obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// Was the diploma obtained in a country that signed the Bologna Declaration?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bologna_country: Option<bool>,
    /// Nominal length of the programme in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u16>,
    /// Date of graduation or doctorate (in the Netherlands: the date of the last exam; abroad: the date on the
    /// diploma).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graduation_date: Option<NaiveDate>,
    /// The institution's places on the THE, QS and ARWU lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rankings: Vec<Ranking>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    Associate,
    Bachelor,
    Master,
    PostMaster,
    Phd,
}

impl EducationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            EducationLevel::Associate => "associate",
            EducationLevel::Bachelor => "bachelor",
            EducationLevel::Master => "master",
            EducationLevel::PostMaster => "post_master",
            EducationLevel::Phd => "phd",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    DutchAccredited,
    Foreign,
    ErasmusMundus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    #[default]
    Regular,
    CulturalPolicy,
    DevelopmentCooperation,
}

impl ProgrammeKind {
    fn is_regular(&self) -> bool {
        *self == ProgrammeKind::Regular
    }
}

/// A place on a university ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ranking {
    pub list: RankingList,
    /// The edition's year as the publisher names it (for example 2024).
    pub edition: u16,
    /// The place on the list (1 is first). For a band such as 201-250, give its first place.
    #[schemars(range(min = 1))]
    pub position: u16,
    /// `general` (the default), `faculty` or `subject` list.
    #[serde(default)]
    pub scope: RankingScope,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankingList {
    /// Times Higher Education World University Rankings (up to 2009 the joint THE-QS list, "THES").
    The,
    /// QS World University Rankings.
    Qs,
    /// Academic Ranking of World Universities (Shanghai Jiao Tong).
    Arwu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankingScope {
    #[default]
    General,
    Faculty,
    Subject,
}

/// A period of scientific research in the Netherlands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResearchPeriod {
    pub from: NaiveDate,
    /// The day the research (or the research permit) ended.
    pub until: NaiveDate,
    /// Under which permit the research was done.
    pub permit: ResearchPermit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResearchPermit {
    /// Researcher under Directive (EU) 2016/801 or earlier 2005/71/EC.
    ResearcherDirective,
    /// Highly skilled migrant employed as a researcher.
    HighlySkilledMigrantResearcher,
}

/// A residence permit held now or before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeldPermit {
    pub kind: PermitKind,
    pub from: NaiveDate,
    /// Last day of validity; absent for a permit of indefinite duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// For a highly skilled migrant permit: the salary criterion it was granted under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criterion: Option<CriterionBand>,
    /// For a family-member permit: the id of the sponsor in this household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<String>,
    /// For a family-member permit whose sponsor is not in the case: the sponsor's permit kind (or `dutch_or_eu`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor_permit: Option<SponsorStatus>,
    /// The day the permit was withdrawn, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
}

/// Kinds of residence permit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermitKind {
    HighlySkilledMigrant,
    EuBlueCard,
    IntraCorporateTransferee,
    /// Orientation year (zoekjaar hoogopgeleiden), from 1 March 2016.
    OrientationYear,
    /// Search year for graduates of Dutch institutions (zoekjaar afgestudeerden), December 2007 to February 2016.
    ZoekjaarAfgestudeerden,
    /// Admission scheme for highly educated migrants (regeling hoogopgeleiden), 2009 to February 2016.
    RegelingHoogopgeleiden,
    Study,
    ScientificResearcher,
    SelfEmployed,
    StartUp,
    FamilyMember,
    PaidEmployment,
    PermanentResidence,
    EuLongTermResident,
}

impl PermitKind {
    pub fn is_search_year(self) -> bool {
        matches!(
            self,
            PermitKind::OrientationYear
                | PermitKind::ZoekjaarAfgestudeerden
                | PermitKind::RegelingHoogopgeleiden
        )
    }
}

/// A sponsor's status: a permit kind, or Dutch / EU citizenship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SponsorStatus {
    DutchOrEu,
    HighlySkilledMigrant,
    EuBlueCard,
    IntraCorporateTransferee,
    OrientationYear,
    ZoekjaarAfgestudeerden,
    RegelingHoogopgeleiden,
    Study,
    ScientificResearcher,
    SelfEmployed,
    StartUp,
    PaidEmployment,
    PermanentResidence,
    EuLongTermResident,
}

/// The salary criterion a highly skilled migrant permit was granted under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CriterionBand {
    Under30,
    #[serde(rename = "30plus")]
    ThirtyPlus,
    Reduced,
    Exempt,
}

/// The job offered (or held).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobOffer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    /// Is the employer a sponsor recognised by the IND (erkend referent)?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognised_sponsor: Option<bool>,
    /// Fixed gross monthly wage, excluding holiday allowance and any 13th month (unless `holiday_allowance` says
    /// it is included in this amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_monthly_salary: Option<Money>,
    /// Fixed allowances guaranteed and paid every month (they count as salary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guaranteed_monthly_allowances: Option<Money>,
    /// How the holiday allowance is paid. Default `paid_separately` (once a year, usually in May).
    #[serde(default)]
    pub holiday_allowance: HolidayAllowance,
    /// Whether a 13th month is paid, and how. Default `none`.
    #[serde(default)]
    pub thirteenth_month: ThirteenthMonth,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_start: Option<NaiveDate>,
    /// The contract's last day, or `indefinite`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_end: Option<ContractEnd>,
    /// The role, where the rules treat it specially. Default `regular`.
    #[serde(default)]
    pub role: Role,
    /// Is this a transfer within a group from outside the EU, in scope of Directive 2014/66/EU? Default `false`.
    #[serde(default)]
    pub intra_corporate_transfer: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolidayAllowance {
    /// Paid once or twice a year on top of the monthly wage.
    #[default]
    PaidSeparately,
    /// Included in the monthly amount given in `gross_monthly_salary`.
    IncludedInMonthly,
    /// No holiday allowance is paid.
    NotPaid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThirteenthMonth {
    #[default]
    None,
    /// A twelfth of it is paid with every monthly wage.
    PaidMonthly,
    /// Paid once a year (for example in December).
    PaidYearly,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Regular,
    ScientificResearcher,
    PhdResearcher,
    PhysicianInTraining,
    GuestLecturer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Regular => "regular",
            Role::ScientificResearcher => "scientific_researcher",
            Role::PhdResearcher => "phd_researcher",
            Role::PhysicianInTraining => "physician_in_training",
            Role::GuestLecturer => "guest_lecturer",
        }
    }
}

/// A contract's end: a date, or `indefinite`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContractEnd {
    On(NaiveDate),
    Indefinite,
}

impl Serialize for ContractEnd {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ContractEnd::On(d) => d.serialize(s),
            ContractEnd::Indefinite => s.serialize_str("indefinite"),
        }
    }
}

impl<'de> Deserialize<'de> for ContractEnd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "indefinite" {
            return Ok(ContractEnd::Indefinite);
        }
        s.parse::<NaiveDate>().map(ContractEnd::On).map_err(|_| {
            de::Error::custom(format!(
                "expected a date YYYY-MM-DD or `indefinite`, found {s:?}"
            ))
        })
    }
}

impl JsonSchema for ContractEnd {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ContractEnd".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The contract's last day (YYYY-MM-DD), or `indefinite`.",
            "anyOf": [ { "type": "string", "format": "date" }, { "const": "indefinite" } ]
        })
    }
}

/// Self-employment plans (the points test for self-employed persons).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfEmployment {
    /// Points awarded by the RVO per part, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<SelfEmployedPoints>,
    /// Has a start-up completed at least 3 months of guidance by a facilitator, with a positive statement?
    #[serde(default)]
    pub start_up_facilitator_statement: bool,
    /// A treaty that replaces the points test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treaty: Option<Treaty>,
    /// Capital invested in the business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital_invested: Option<Money>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfEmployedPoints {
    pub personal_experience: u16,
    pub business_plan: u16,
    pub added_value: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Treaty {
    /// Dutch-American Friendship Treaty (DAFT).
    DutchAmericanFriendship,
    /// The treaty with Japan.
    Japan,
}

/// What is applied for.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// `first` (default), `extension`, `change_of_employer`, or `current_permit` (is the permit held still met?).
    #[serde(default)]
    pub kind: ApplicationKind,
    /// The scheme applied for; when absent, every scheme is assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    /// The date the application is (or was) submitted to the IND. Defaults to the reference date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filing_date: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    #[default]
    First,
    Extension,
    ChangeOfEmployer,
    /// No application: is the highly skilled migrant permit held still met on the reference date, with the same
    /// employer? The criterion of the grant applies (an employer need not raise the salary when the migrant turns
    /// 30 during the permit).
    CurrentPermit,
}

/// The schemes the engine decides on.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    HighlySkilledMigrant,
    EuBlueCard,
    OrientationYear,
    RegelingHoogopgeleiden,
    ZoekjaarAfgestudeerden,
    SelfEmployed,
    /// The family-member (dependant) permit: decided for members of a household.
    FamilyMember,
}

impl Scheme {
    pub const ALL: [Scheme; 6] = [
        Scheme::HighlySkilledMigrant,
        Scheme::EuBlueCard,
        Scheme::OrientationYear,
        Scheme::RegelingHoogopgeleiden,
        Scheme::ZoekjaarAfgestudeerden,
        Scheme::SelfEmployed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::HighlySkilledMigrant => "highly_skilled_migrant",
            Scheme::EuBlueCard => "eu_blue_card",
            Scheme::OrientationYear => "orientation_year",
            Scheme::RegelingHoogopgeleiden => "regeling_hoogopgeleiden",
            Scheme::ZoekjaarAfgestudeerden => "zoekjaar_afgestudeerden",
            Scheme::SelfEmployed => "self_employed",
            Scheme::FamilyMember => "family_member",
        }
    }
}

/// An ISO 3166-1 alpha-2 country code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl CountryCode {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for CountryCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        if b.len() == 2 && b.iter().all(|c| c.is_ascii_uppercase()) {
            Ok(CountryCode([b[0], b[1]]))
        } else {
            Err(format!("expected a two-letter ISO 3166-1 country code in capitals such as `IN`, found {s:?}"))
        }
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(de::Error::custom)
    }
}

impl Serialize for LanguageCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl JsonSchema for CountryCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 country code" })
    }
}

/// An ISO 639-1 language code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for LanguageCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.len() == 2 && s.bytes().all(|c| c.is_ascii_lowercase()) {
            Ok(LanguageCode(s.to_string()))
        } else {
            Err(format!("expected a two-letter ISO 639-1 language code in lower case such as `nl` or `en`, found {s:?}"))
        }
    }
}

impl<'de> Deserialize<'de> for LanguageCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(de::Error::custom)
    }
}

impl JsonSchema for LanguageCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LanguageCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "pattern": "^[a-z]{2}$", "description": "ISO 639-1 language code" })
    }
}

static NOBODY: std::sync::OnceLock<Person> = std::sync::OnceLock::new();

impl Case {
    /// The person a single-person case is about (the first of a household otherwise).
    pub fn subject(&self) -> &Person {
        self.person
            .as_ref()
            .or(self.people.first())
            .unwrap_or_else(|| NOBODY.get_or_init(Person::default))
    }

    /// Everyone in the case: the one person, or the household.
    pub fn members(&self) -> Vec<&Person> {
        match &self.person {
            Some(p) => vec![p],
            None => self.people.iter().collect(),
        }
    }

    /// The members as a slice: the one person, or the people of the household.
    pub fn member_slice(&self) -> &[Person] {
        match &self.person {
            Some(p) => std::slice::from_ref(p),
            None => &self.people,
        }
    }

    pub fn member(&self, id: &str) -> Option<&Person> {
        self.member_slice()
            .iter()
            .find(|p| p.id.as_deref() == Some(id))
    }

    /// A single-person case for one member of a household, with that member's application.
    /// The case as [`Case::for_member`] gives it, borrowed when the case is already that person's alone (no copy).
    pub fn member_view(&self, p: &Person) -> std::borrow::Cow<'_, Case> {
        let alone = self.person.as_ref().is_some_and(|me| std::ptr::eq(me, p))
            && self.people.is_empty()
            && self.relationships.is_empty()
            && (p.application.is_none() || p.application == self.application);
        if alone {
            std::borrow::Cow::Borrowed(self)
        } else {
            std::borrow::Cow::Owned(self.for_member(p))
        }
    }

    pub fn for_member(&self, p: &Person) -> Case {
        Case {
            reference_date: self.reference_date,
            person: Some(p.clone()),
            people: Vec::new(),
            relationships: Vec::new(),
            application: p.application.clone().or_else(|| self.application.clone()),
        }
    }

    /// The date the application is filed: the application's filing date, or else the reference date.
    pub fn filing_date(&self) -> NaiveDate {
        self.application
            .as_ref()
            .and_then(|a| a.filing_date)
            .unwrap_or(self.reference_date)
    }

    pub fn application_kind(&self) -> ApplicationKind {
        self.application
            .as_ref()
            .map(|a| a.kind)
            .unwrap_or_default()
    }
}
