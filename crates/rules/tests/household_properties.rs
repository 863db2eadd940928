//! Properties of households: a family permit never outlives its sponsor's, and time never brings an ended permit
//! back.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use verblijf_rules::case::*;
use verblijf_rules::household::{decide_family_member, work_rights};
use verblijf_rules::{ParamSet, WorkStatus};

fn params() -> &'static ParamSet {
    use std::sync::OnceLock;
    static P: OnceLock<ParamSet> = OnceLock::new();
    P.get_or_init(|| ParamSet::embedded().expect("embedded parameters load"))
}

fn day(n: u64) -> NaiveDate {
    "2005-01-01"
        .parse::<NaiveDate>()
        .expect("date")
        .checked_add_days(Days::new(n))
        .expect("in range")
}

fn permit(
    kind: PermitKind,
    from: NaiveDate,
    len: Option<u64>,
    sponsor: Option<&str>,
    withdrawn: Option<u64>,
) -> HeldPermit {
    HeldPermit {
        kind,
        from,
        until: len.map(|l| from.checked_add_days(Days::new(l)).expect("in range")),
        criterion: None,
        employer: None,
        sponsor: sponsor.map(str::to_string),
        sponsor_permit: None,
        withdrawn: withdrawn.map(|w| from.checked_add_days(Days::new(w + 1)).expect("in range")),
    }
}

fn arb_sponsor_kind() -> impl Strategy<Value = PermitKind> {
    prop_oneof![
        Just(PermitKind::HighlySkilledMigrant),
        Just(PermitKind::EuBlueCard),
        Just(PermitKind::IntraCorporateTransferee),
        Just(PermitKind::OrientationYear),
        Just(PermitKind::Study),
        Just(PermitKind::SelfEmployed),
        Just(PermitKind::StartUp),
        Just(PermitKind::ScientificResearcher),
        Just(PermitKind::PermanentResidence),
    ]
}

prop_compose! {
    fn arb_household()(
        sponsor_kind in arb_sponsor_kind(),
        s_from in 0u64..6000, s_len in proptest::option::of(30u64..3000), s_withdrawn in proptest::option::of(0u64..2000),
        f_from in 0u64..6000, f_len in proptest::option::of(30u64..3000),
        rel_end in proptest::option::of(0u64..7000),
        reference in 0u64..7500,
    ) -> Case {
        let sponsor = Person {
            id: Some("s".into()),
            birth_date: Some(day(0) - Days::new(12_000)),
            nationality: Some("IN".parse().expect("code")),
            permits: vec![permit(sponsor_kind, day(s_from), s_len, None, s_withdrawn)],
            ..Default::default()
        };
        let partner = Person {
            id: Some("f".into()),
            birth_date: Some(day(0) - Days::new(11_000)),
            nationality: Some("IN".parse().expect("code")),
            permits: vec![permit(PermitKind::FamilyMember, day(f_from), f_len, Some("s"), None)],
            ..Default::default()
        };
        Case {
            reference_date: day(reference),
            person: None,
            people: vec![sponsor, partner],
            relationships: vec![Relationship::Partner { partners: ["s".into(), "f".into()], form: PartnershipForm::Married, from: Some(day(0)), until: rel_end.map(day) }],
            application: None,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_dependant_permit_never_ends_after_its_sponsors(case in arb_household()) {
        let partner = case.member("f").expect("partner");
        let sponsor = case.member("s").expect("sponsor");
        let d = decide_family_member(params(), &case, partner);
        let sponsor_end = verblijf_rules::household::last_day(&sponsor.permits[0]);
        if let (Some(terms), Some(end)) = (d.permit.as_ref(), sponsor_end) {
            prop_assert!(terms.end <= end, "family permit ends {} after the sponsor's {}", terms.end, end);
        }
        // And the right to work that rests on it ends no later either.
        let w = work_rights(params(), &case, partner, case.reference_date);
        if let (Some(until), Some(end), Some(_)) = (w.until, sponsor_end, w.sponsor_status) {
            prop_assert!(until <= end);
        }
    }

    #[test]
    fn adding_days_never_resurrects_an_ended_permit(case in arb_household(), later in 1u64..4000) {
        for id in ["s", "f"] {
            let person = case.member(id).expect("member");
            let starts: Vec<NaiveDate> = person.permits.iter().map(|h| h.from).collect();
            let now = case.reference_date;
            // Only when every permit has started: a permit that has not begun may of course begin later.
            if starts.iter().any(|s| *s > now) {
                continue;
            }
            let ended = person.permits.iter().all(|h| !verblijf_rules::household::valid_on(h, now));
            let then = now.checked_add_days(Days::new(later)).expect("in range");
            if ended {
                prop_assert!(person.permits.iter().all(|h| !verblijf_rules::household::valid_on(h, then)));
                prop_assert_eq!(work_rights(params(), &case, person, then).status, WorkStatus::NotAllowed);
            }
        }
    }
}
