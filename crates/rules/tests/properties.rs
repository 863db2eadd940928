//! Properties that must hold for every case: monotonic in salary, no way back into the under-30 band, no panics.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use verblijf_rules::case::*;
use verblijf_rules::{assess, decide, Money, Outcome, ParamSet};

fn params() -> &'static ParamSet {
    use std::sync::OnceLock;
    static P: OnceLock<ParamSet> = OnceLock::new();
    P.get_or_init(|| ParamSet::embedded().expect("embedded parameters load"))
}

fn date(from: &str, days: u64) -> NaiveDate {
    from.parse::<NaiveDate>()
        .expect("date")
        .checked_add_days(Days::new(days))
        .expect("in range")
}

fn arb_date(lo: &'static str, span_days: u64) -> impl Strategy<Value = NaiveDate> {
    (0..span_days).prop_map(move |d| date(lo, d))
}

fn arb_opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Option<T>> {
    prop_oneof![Just(None), s.prop_map(Some)]
}

fn arb_education() -> impl Strategy<Value = Education> {
    (
        prop_oneof![
            Just(EducationLevel::Associate),
            Just(EducationLevel::Bachelor),
            Just(EducationLevel::Master),
            Just(EducationLevel::PostMaster),
            Just(EducationLevel::Phd)
        ],
        prop_oneof![
            Just(Provenance::DutchAccredited),
            Just(Provenance::Foreign),
            Just(Provenance::ErasmusMundus)
        ],
        prop_oneof![
            Just(ProgrammeKind::Regular),
            Just(ProgrammeKind::CulturalPolicy),
            Just(ProgrammeKind::DevelopmentCooperation)
        ],
        arb_opt(any::<bool>()),
        arb_opt(0u16..60),
        arb_opt(arb_date("2000-01-01", 10_000)),
        proptest::collection::vec(
            (
                prop_oneof![
                    Just(RankingList::The),
                    Just(RankingList::Qs),
                    Just(RankingList::Arwu)
                ],
                2000u16..2030,
                1u16..400,
            )
                .prop_map(|(list, edition, position)| Ranking {
                    list,
                    edition,
                    position,
                    scope: RankingScope::General,
                }),
            0..3,
        ),
    )
        .prop_map(
            |(
                level,
                provenance,
                programme_kind,
                bologna_country,
                duration_months,
                graduation_date,
                rankings,
            )| Education {
                level,
                provenance,
                programme_kind,
                institution: None,
                country: None,
                bologna_country,
                duration_months,
                graduation_date,
                rankings,
            },
        )
}

fn arb_permit() -> impl Strategy<Value = HeldPermit> {
    (
        prop_oneof![
            Just(PermitKind::HighlySkilledMigrant),
            Just(PermitKind::OrientationYear),
            Just(PermitKind::ZoekjaarAfgestudeerden),
            Just(PermitKind::RegelingHoogopgeleiden),
            Just(PermitKind::Study),
            Just(PermitKind::EuBlueCard),
        ],
        arb_date("2005-01-01", 8_000),
        arb_opt(0u64..2000),
        arb_opt(prop_oneof![
            Just(CriterionBand::Under30),
            Just(CriterionBand::ThirtyPlus),
            Just(CriterionBand::Reduced),
            Just(CriterionBand::Exempt)
        ]),
    )
        .prop_map(|(kind, from, len, criterion)| HeldPermit {
            kind,
            from,
            until: len.map(|l| from.checked_add_days(Days::new(l)).expect("in range")),
            criterion,
            employer: None,
            sponsor: None,
            sponsor_permit: None,
            withdrawn: None,
        })
}

fn arb_job() -> impl Strategy<Value = JobOffer> {
    (
        arb_opt(any::<bool>()),
        arb_opt((0i64..1_000_000).prop_map(Money::from_cents)),
        prop_oneof![
            Just(HolidayAllowance::PaidSeparately),
            Just(HolidayAllowance::IncludedInMonthly),
            Just(HolidayAllowance::NotPaid)
        ],
        prop_oneof![
            Just(ThirteenthMonth::None),
            Just(ThirteenthMonth::PaidMonthly),
            Just(ThirteenthMonth::PaidYearly)
        ],
        arb_opt(arb_date("2004-01-01", 9_000)),
        arb_opt(prop_oneof![Just(None), (0u64..4000).prop_map(Some)]),
        prop_oneof![
            Just(Role::Regular),
            Just(Role::ScientificResearcher),
            Just(Role::PhdResearcher),
            Just(Role::PhysicianInTraining),
            Just(Role::GuestLecturer)
        ],
        any::<bool>(),
    )
        .prop_map(
            |(
                recognised_sponsor,
                salary,
                holiday_allowance,
                thirteenth_month,
                start,
                end,
                role,
                ict,
            )| JobOffer {
                employer: None,
                recognised_sponsor,
                gross_monthly_salary: salary,
                guaranteed_monthly_allowances: None,
                holiday_allowance,
                thirteenth_month,
                contract_start: start,
                contract_end: end.map(|e| match (e, start) {
                    (Some(days), Some(s)) => {
                        ContractEnd::On(s.checked_add_days(Days::new(days)).expect("in range"))
                    }
                    _ => ContractEnd::Indefinite,
                }),
                role,
                intra_corporate_transfer: ict,
            },
        )
}

prop_compose! {
    fn arb_case()(
        reference_date in arb_date("2003-01-01", 9_500),
        age_days in 0u64..25_000,
        education in proptest::collection::vec(arb_education(), 0..3),
        permits in proptest::collection::vec(arb_permit(), 0..3),
        job in arb_opt(arb_job()),
        worked in arb_opt(any::<bool>()),
        langs in arb_opt(Just(vec![])),
        experience in arb_opt(0u8..20),
        kind in prop_oneof![Just(ApplicationKind::First), Just(ApplicationKind::Extension), Just(ApplicationKind::ChangeOfEmployer), Just(ApplicationKind::CurrentPermit)],
        pts in arb_opt((0u16..120, 0u16..120, 0u16..120)),
        start_up in any::<bool>(),
    ) -> Case {
        let birth = reference_date.checked_sub_days(Days::new(age_days));
        Case {
            reference_date,
            people: vec![],
            relationships: vec![],
            person: Some(Person {
                birth_date: birth,
                education,
                permits,
                job_offer: job,
                previously_worked_in_nl: worked,
                languages: langs,
                professional_experience_years: experience,
                self_employment: pts.map(|(a, b, c)| SelfEmployment {
                    points: Some(SelfEmployedPoints { personal_experience: a, business_plan: b, added_value: c }),
                    start_up_facilitator_statement: start_up,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            application: Some(Application { kind, scheme: None, filing_date: None }),
        }
    }
}

fn hsm_case(birth: NaiveDate, filing: NaiveDate, salary_cents: i64) -> Case {
    Case {
        reference_date: filing,
        people: vec![],
        relationships: vec![],
        person: Some(Person {
            birth_date: Some(birth),
            job_offer: Some(JobOffer {
                recognised_sponsor: Some(true),
                gross_monthly_salary: Some(Money::from_cents(salary_cents)),
                contract_end: Some(ContractEnd::Indefinite),
                ..Default::default()
            }),
            ..Default::default()
        }),
        application: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_case_the_schema_admits_makes_a_decision_panic(case in arb_case()) {
        let a = assess(&case, params());
        prop_assert_eq!(a.decisions.len(), Scheme::ALL.len());
        for d in &a.decisions {
            for c in &d.checks {
                prop_assert!(!c.reason(verblijf_rules::Lang::En).is_empty());
                prop_assert!(!c.reason(verblijf_rules::Lang::Nl).is_empty());
            }
            if d.outcome == Outcome::Unknown {
                prop_assert!(d.checks.iter().any(|c| c.status == verblijf_rules::CheckStatus::Unknown));
            }
        }
        prop_assert!(serde_json::to_string(&a).is_ok());
    }

    #[test]
    fn a_higher_salary_never_turns_eligible_into_not_eligible(case in arb_case(), raise in 0i64..500_000) {
        let mut richer = case.clone();
        if let Some(j) = richer.person.as_mut().and_then(|p| p.job_offer.as_mut()) {
            j.gross_monthly_salary = Some(Money::from_cents(j.gross_monthly_salary.map_or(0, |m| m.cents()) + raise));
        }
        for s in [Scheme::HighlySkilledMigrant, Scheme::EuBlueCard] {
            if decide(s, &case, params()).outcome == Outcome::Eligible {
                prop_assert_eq!(decide(s, &richer, params()).outcome, Outcome::Eligible);
            }
        }
    }

    #[test]
    fn a_later_filing_date_never_moves_a_person_back_into_the_under_30_band(
        age_days in 7_000u64..16_000, filing in arb_date("2015-01-01", 4_300), later in 1u64..2_000,
    ) {
        let birth = filing.checked_sub_days(Days::new(age_days)).expect("in range");
        let band = |d: NaiveDate| {
            let dec = decide(Scheme::HighlySkilledMigrant, &hsm_case(birth, d, 1_000_000), params());
            dec.check("HSM-AGE-BAND").map(|c| c.variant)
        };
        let later = filing.checked_add_days(Days::new(later)).expect("in range");
        if band(filing) == Some("30plus") {
            prop_assert_eq!(band(later), Some("30plus"));
        }
    }
}

#[test]
fn salary_exactly_at_the_criterion_passes_and_one_cent_under_fails() {
    let birth: NaiveDate = "1990-01-01".parse().unwrap();
    let filing: NaiveDate = "2026-02-01".parse().unwrap();
    let at = decide(
        Scheme::HighlySkilledMigrant,
        &hsm_case(birth, filing, 594_200),
        params(),
    );
    let under = decide(
        Scheme::HighlySkilledMigrant,
        &hsm_case(birth, filing, 594_199),
        params(),
    );
    assert_eq!(at.outcome, Outcome::Eligible);
    assert_eq!(under.outcome, Outcome::NotEligible);
}

#[test]
fn a_date_no_criterion_covers_is_unknown_and_says_so() {
    let birth: NaiveDate = "1990-01-01".parse().unwrap();
    let d = decide(
        Scheme::HighlySkilledMigrant,
        &hsm_case(birth, "2027-01-05".parse().unwrap(), 900_000),
        params(),
    );
    assert_eq!(d.outcome, Outcome::Unknown);
    let c = d.check("HSM-SALARY").expect("salary check");
    assert_eq!(c.variant, "no_value");
    assert!(
        c.reason(verblijf_rules::Lang::En)
            .contains("No value of `hsm.salary_30plus` is known for 2027-01-05"),
        "{}",
        c.reason(verblijf_rules::Lang::En)
    );
}
