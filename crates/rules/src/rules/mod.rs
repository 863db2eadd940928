//! The rules, one module per scheme. Each module opens with the rule's id, its article, the dates it is in force
//! and a paragraph in plain language; each check's reason is written beside the rule that makes it.

pub mod blue_card;
pub(crate) mod common;
pub mod hoogopgeleiden;
pub mod hsm;
pub mod orientation_year;
pub mod self_employed;
pub mod zoekjaar;

use crate::code::Code;
use std::fmt;

use chrono::NaiveDate;

use crate::decision::{Builder, Change, Check, CheckStatus, Citation, Day, Fact, FactText};
use crate::params::{ParamSet, Unit, Value};
use crate::text::Lang;

/// Every parameter the rules read, with its unit: a parameter set without one of them is refused when loaded.
pub const REQUIRED_PARAMS: &[(&str, Unit)] = &[
    ("hsm.in_force", Unit::Boolean),
    ("hsm.salary_30plus", Unit::Eur),
    ("hsm.salary_under30", Unit::Eur),
    ("hsm.salary_reduced", Unit::Eur),
    ("hsm.age_band_threshold", Unit::Years),
    ("hsm.recognised_sponsor_required", Unit::Boolean),
    ("hsm.ict_excluded", Unit::Boolean),
    ("hsm.exempt_roles", Unit::Code),
    ("hsm.market_conformity_required", Unit::Boolean),
    ("hsm.monthly_payment_required", Unit::Boolean),
    ("hsm.max_validity_years", Unit::Years),
    ("hsm.reduced_regime", Unit::Code),
    ("hsm.reduced_kept_on_extension", Unit::Boolean),
    ("hsm.immediately_after_days", Unit::Days),
    ("hsm.current_permit_reference", Unit::Code),
    ("permits.end_day_convention", Unit::Code),
    ("education.graduation_window_years", Unit::Years),
    ("education.graduation_window_inclusive", Unit::Boolean),
    ("rankings.edition_tolerance_years", Unit::Years),
    ("orientation_year.in_force", Unit::Boolean),
    ("orientation_year.ranking_top", Unit::Rank),
    ("orientation_year.ranking_on_graduation_date", Unit::Boolean),
    (
        "orientation_year.post_master_min_months_dutch",
        Unit::Months,
    ),
    ("orientation_year.foreign_min_months", Unit::Months),
    ("orientation_year.duration_months", Unit::Months),
    ("orientation_year.repeat_after", Unit::Code),
    ("orientation_year.language_requirement", Unit::Boolean),
    ("regeling_hoogopgeleiden.in_force", Unit::Boolean),
    ("regeling_hoogopgeleiden.ranking_top", Unit::Rank),
    ("regeling_hoogopgeleiden.ranking_edition", Unit::Years),
    ("regeling_hoogopgeleiden.points_master", Unit::Points),
    ("regeling_hoogopgeleiden.points_phd", Unit::Points),
    ("regeling_hoogopgeleiden.points_age", Unit::Points),
    ("regeling_hoogopgeleiden.points_indicator", Unit::Points),
    ("regeling_hoogopgeleiden.pass_mark", Unit::Points),
    ("regeling_hoogopgeleiden.age_min", Unit::Years),
    ("regeling_hoogopgeleiden.age_max", Unit::Years),
    ("regeling_hoogopgeleiden.duration_months", Unit::Months),
    ("zoekjaar_afgestudeerden.in_force", Unit::Boolean),
    ("zoekjaar_afgestudeerden.duration_months", Unit::Months),
    ("blue_card.in_force", Unit::Boolean),
    ("blue_card.salary_standard", Unit::Eur),
    ("blue_card.salary_graduate", Unit::Eur),
    ("blue_card.min_contract_months", Unit::Months),
    ("blue_card.max_validity_years", Unit::Years),
    ("blue_card.validity_extra_months", Unit::Months),
    ("blue_card.min_programme_months", Unit::Months),
    ("blue_card.experience_route", Unit::Boolean),
    ("blue_card.experience_years", Unit::Years),
    ("blue_card.graduate_threshold_in_force", Unit::Boolean),
    ("self_employed.min_points_per_part", Unit::Points),
    ("self_employed.min_points_total", Unit::Points),
    ("self_employed.highly_educated_min_points", Unit::Points),
    ("self_employed.max_validity_years", Unit::Years),
    ("self_employed.exempt_nationalities", Unit::Code),
    ("self_employed.start_up_deemed", Unit::Boolean),
    ("self_employed.treaty_min_capital", Unit::Eur),
    ("wages.minimum_wage", Unit::Eur),
    ("hsm.current_permit_reference", Unit::Code),
    ("family.max_validity_years", Unit::Years),
    ("family.min_partner_age", Unit::Years),
    ("family.income_exempt_sponsors", Unit::Code),
    ("family.income_norm_partner", Unit::Eur),
    ("family.income_norm_single_parent", Unit::Eur),
    ("family.non_temporary_purposes", Unit::Code),
    ("family.continued_residence_years", Unit::Years),
    ("family.continued_residence_years_turkish", Unit::Years),
    ("sponsor.report_change_days", Unit::Days),
    ("permits.extension_earliest_months", Unit::Months),
    ("work.student_hours_per_week", Unit::HoursPerWeek),
    ("work.free_movement_nationalities", Unit::Code),
    ("work.family_of_dutch_or_eu", Unit::Code),
    ("work.family_of_highly_skilled_migrant", Unit::Code),
    ("work.family_of_eu_blue_card", Unit::Code),
    ("work.family_of_intra_corporate_transferee", Unit::Code),
    ("work.family_of_orientation_year", Unit::Code),
    ("work.family_of_zoekjaar_afgestudeerden", Unit::Code),
    ("work.family_of_regeling_hoogopgeleiden", Unit::Code),
    ("work.family_of_study", Unit::Code),
    ("work.family_of_scientific_researcher", Unit::Code),
    ("work.family_of_self_employed", Unit::Code),
    ("work.family_of_start_up", Unit::Code),
    ("work.family_of_paid_employment", Unit::Code),
    ("work.family_of_permanent_residence", Unit::Code),
    ("work.family_of_eu_long_term_resident", Unit::Code),
    ("work.own_highly_skilled_migrant", Unit::Code),
    ("work.own_eu_blue_card", Unit::Code),
    ("work.own_intra_corporate_transferee", Unit::Code),
    ("work.own_orientation_year", Unit::Code),
    ("work.own_zoekjaar_afgestudeerden", Unit::Code),
    ("work.own_regeling_hoogopgeleiden", Unit::Code),
    ("work.own_study", Unit::Code),
    ("work.own_scientific_researcher", Unit::Code),
    ("work.own_self_employed", Unit::Code),
    ("work.own_start_up", Unit::Code),
    ("work.own_paid_employment", Unit::Code),
    ("work.own_permanent_residence", Unit::Code),
    ("work.own_eu_long_term_resident", Unit::Code),
    ("wages.holiday_allowance_rate", Unit::Percent),
];

/// Records whether a scheme is in force on the filing date. Returns `false` (and marks the decision not
/// applicable) when it is not.
pub(crate) fn in_force(
    b: &mut Builder,
    p: &ParamSet,
    code: Code,
    id: &'static str,
    filing: NaiveDate,
) -> bool {
    let Some((on, c)) = common::lookup(b, code, id, filing, p.flag(id, filing)) else {
        return false;
    };
    if on {
        b.push(
            Check::new(code, "in_force", CheckStatus::Pass, c).actual(Fact::Date { date: filing }),
        );
        return true;
    }
    let values = p.get(id).map(|p| p.values.as_slice()).unwrap_or_default();
    let starts = values
        .iter()
        .find(|v| v.value == Value::Flag(true) && v.from.is_some_and(|f| f > filing))
        .and_then(|v| v.from);
    let ended = values
        .iter()
        .rev()
        .find(|v| v.value == Value::Flag(true) && v.until.is_some_and(|u| u < filing))
        .and_then(|v| v.until);
    let (variant, change) = match (ended, starts) {
        (Some(last_day), _) => ("ended", Some(Change::SchemeEnded { last_day })),
        (None, Some(date)) => (
            "not_yet",
            Some(Change::FileOnOrAfter {
                date,
                because: "scheme_starts",
            }),
        ),
        _ => ("not_in_force", None),
    };
    b.push(
        Check::new(code, variant, CheckStatus::Fail, c)
            .actual(Fact::Date { date: filing })
            .change(change),
    );
    b.not_in_force();
    false
}

/// A citation of a parameter's value on a date (or of the parameter alone when no value covers it).
pub(crate) fn cite_any(
    b: &mut Builder,
    p: &ParamSet,
    id: &'static str,
    date: NaiveDate,
) -> Citation {
    match p.at(id, date) {
        Ok(v) => b.cite(id, v),
        Err(_) => Citation {
            param: id,
            source: None,
        },
    }
}

/// A check's actual and required facts, written out for its reason (nothing for an absent fact).
pub(crate) fn rendered(c: &Check, lang: Lang) -> (FactText<'_>, FactText<'_>) {
    (
        FactText(c.actual.as_ref(), lang),
        FactText(c.required.as_ref(), lang),
    )
}

/// Writes the text in the language asked for.
pub(crate) fn put(f: &mut fmt::Formatter<'_>, en: bool, e: &str, n: &str) -> fmt::Result {
    f.write_str(if en { e } else { n })
}

pub(crate) fn band_name(band: &str, lang: Lang) -> &'static str {
    match (band, lang) {
        ("30plus", Lang::En) => "30-and-over",
        ("30plus", Lang::Nl) => "30-jaar-en-ouder",
        ("under30", Lang::En) => "under-30",
        ("under30", Lang::Nl) => "jonger-dan-30",
        ("reduced", Lang::En) => "reduced (graduate)",
        ("reduced", Lang::Nl) => "verlaagde (afgestudeerden)",
        ("exempt_minimum_wage", Lang::En) => "minimum-wage",
        ("exempt_minimum_wage", Lang::Nl) => "minimumloon-",
        ("blue_card_graduate", Lang::En) => "recent-graduate",
        ("blue_card_graduate", Lang::Nl) => "afgestudeerden-",
        (_, Lang::En) => "standard",
        (_, Lang::Nl) => "standaard",
    }
}

/// The reason of any check, in a language, written into `f` (see [`Reason`]).
pub fn write_reason(c: &Check, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let en = lang == Lang::En;
    if c.variant == "no_value" {
        let d = FactText(c.required.as_ref(), lang);
        return if en {
            write!(
                f,
                "No value of `{}` is known for {d}, so this cannot be decided.",
                c.citation.param
            )
        } else {
            write!(
                f,
                "Voor {d} is geen waarde van `{}` bekend, dus dit kan niet worden beslist.",
                c.citation.param
            )
        };
    }
    if c.code.is_in_force() {
        let d = FactText(c.actual.as_ref(), lang);
        let name = scheme_name(c.code, lang);
        return match (c.variant, &c.change, en) {
            ("in_force", _, true) => write!(f, "The {name} is in force on {d}."),
            ("in_force", _, false) => write!(f, "De {name} is van kracht op {d}."),
            ("ended", Some(Change::SchemeEnded { last_day }), true) => write!(
                f,
                "The {name} ended on {last_day}; it cannot be applied for on {d}."
            ),
            ("ended", Some(Change::SchemeEnded { last_day }), false) => write!(
                f,
                "De {name} is geëindigd op {}; op {d} kan er geen aanvraag voor worden gedaan.",
                Day(*last_day, lang)
            ),
            ("not_yet", Some(Change::FileOnOrAfter { date, .. }), true) => {
                write!(f, "The {name} starts on {date}; it is not in force on {d}.")
            }
            ("not_yet", Some(Change::FileOnOrAfter { date, .. }), false) => write!(
                f,
                "De {name} begint op {}; op {d} is die niet van kracht.",
                Day(*date, lang)
            ),
            (_, _, true) => write!(f, "The {name} is not in force on {d}."),
            (_, _, false) => write!(f, "De {name} is niet van kracht op {d}."),
        };
    }
    let r = match Some(c.code.prefix()) {
        Some("HSM") => hsm::reason(c, lang, f),
        Some("BC") => blue_card::reason(c, lang, f),
        Some("OY") => orientation_year::reason(c, lang, f),
        Some("H09") => hoogopgeleiden::reason(c, lang, f),
        Some("ZA") => zoekjaar::reason(c, lang, f),
        Some("SE") => self_employed::reason(c, lang, f),
        Some("FAM") => crate::household::reason(c, lang, f),
        _ => None,
    };
    r.unwrap_or_else(|| write!(f, "{} ({})", c.code, c.variant))
}

/// A check's reason in one language, written when displayed: into a `String` by `to_string`, or straight into a
/// JSON answer by `collect_str`, with no text in between.
pub struct Reason<'a>(pub &'a Check, pub Lang);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reason(self.0, self.1, f)
    }
}

/// The name of a scheme in both languages.
pub fn scheme_label(s: crate::case::Scheme) -> crate::text::Text {
    use crate::case::Scheme as S;
    use crate::text::Text;
    match s {
        S::HighlySkilledMigrant => Text::new("highly skilled migrant", "kennismigrant"),
        S::EuBlueCard => Text::new("EU Blue Card", "Europese blauwe kaart"),
        S::OrientationYear => Text::new("orientation year", "zoekjaar hoogopgeleiden"),
        S::RegelingHoogopgeleiden => Text::new(
            "admission scheme for highly educated migrants",
            "regeling hoogopgeleiden",
        ),
        S::ZoekjaarAfgestudeerden => {
            Text::new("search year for graduates", "zoekjaar afgestudeerden")
        }
        S::SelfEmployed => Text::new("self-employed", "zelfstandige"),
        S::FamilyMember => Text::new("family member", "gezinslid"),
    }
}

/// The scheme part of a check code (`HSM` of `HSM-SALARY`).
fn scheme_name(code: Code, lang: Lang) -> &'static str {
    match (Some(code.prefix()), lang) {
        (Some("HSM"), Lang::En) => "highly skilled migrant scheme",
        (Some("HSM"), Lang::Nl) => "kennismigrantenregeling",
        (Some("BC"), Lang::En) => "EU Blue Card",
        (Some("BC"), Lang::Nl) => "Europese blauwe kaart",
        (Some("OY"), Lang::En) => "orientation year (zoekjaar hoogopgeleiden)",
        (Some("OY"), Lang::Nl) => "regeling zoekjaar hoogopgeleiden",
        (Some("H09"), Lang::En) => {
            "admission scheme for highly educated migrants (regeling hoogopgeleiden)"
        }
        (Some("H09"), Lang::Nl) => "regeling hoogopgeleiden",
        (Some("ZA"), Lang::En) => "search year for graduates (zoekjaar afgestudeerden)",
        (Some("ZA"), Lang::Nl) => "regeling zoekjaar afgestudeerden",
        (_, Lang::En) => "self-employed scheme",
        (_, Lang::Nl) => "regeling zelfstandigen",
    }
}
