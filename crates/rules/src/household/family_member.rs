//! FAM: the family-member (dependant) permit of one member of a household.
//!
//! Article: art. 3.13–3.17 Vb 2000 (residence with a partner or child; both partners 21 or older), art. 3.22, 3.74
//! and 3.75 Vb 2000 (the sponsor's income, and when a sponsor's permit meets it), art. 3.58 lid 9 Vb 2000 (the
//! validity: never beyond the sponsor's permit). Each check's provisions are in `law/checks.yaml`. Parameters:
//! `family.*`.

use super::*;

/// FAM: the family-member (dependant) permit for one member of a household.
pub fn decide_family_member(p: &ParamSet, case: &Case, person: &Person) -> Decision {
    decide_family_member_as(p, case, person, crate::decision::Record::Full)
}

/// The family-member decision, keeping what `record` asks for.
pub fn decide_family_member_as(
    p: &ParamSet,
    case: &Case,
    person: &Person,
    record: crate::decision::Record,
) -> Decision {
    let member_case = case.for_member(person);
    let filing = member_case.filing_date();
    let mut b = Builder::recording(Scheme::FamilyMember, filing, record);
    let Some((sponsor, link)) = sponsor_of(p, case, person, filing) else {
        let c = crate::rules::cite_any(&mut b, p, "family.max_validity_years", filing);
        b.push(Check::new(
            Code::Family(Family::Link),
            "none",
            CheckStatus::Fail,
            c,
        ));
        b.not_in_force();
        return b.finish();
    };
    let m = Member {
        p,
        case,
        person,
        sponsor,
        link,
        filing,
    };
    self::link(&m, &mut b);
    let (status, sponsor_end) = self::sponsor(&m, &mut b);
    partner_ages(&m, &mut b);
    income(&m, &mut b, &status);
    validity(&m, &mut b, sponsor_end);
    b.finish()
}

/// The facts every condition of the family-member permit reads: the member, the sponsor they join and how.
#[derive(Clone, Copy)]
struct Member<'a> {
    p: &'a ParamSet,
    case: &'a Case,
    person: &'a Person,
    sponsor: &'a Person,
    /// `partner` or `child`.
    link: &'static str,
    filing: NaiveDate,
}

/// The sponsor's status on the filing date, as `person_status` gives it.
type Status = Result<(SponsorStatus, Option<NaiveDate>), &'static str>;

/// FAM-LINK: the member joins a partner or parent in the household, and a partnership still lasts on the filing
/// date (art. 3.13 lid 1, 3.14 and 3.17 Vb 2000).
fn link(m: &Member<'_>, b: &mut Builder) {
    let Member {
        p,
        case,
        person,
        link,
        filing,
        ..
    } = *m;
    let sponsor_id: &'static str = if m.link == "partner" {
        "partner"
    } else {
        "parent"
    };
    let c = crate::rules::cite_any(b, p, "family.max_validity_years", filing);
    let ended = person
        .id
        .as_deref()
        .and_then(|id| partner_of(case, id))
        .and_then(|(r, _)| match r {
            Relationship::Partner { until, .. } => *until,
            _ => None,
        });
    match (link, ended) {
        ("partner", Some(u)) if u <= filing => b.push(
            Check::new(
                Code::Family(Family::Link),
                "relationship_ended",
                CheckStatus::Fail,
                c,
            )
            .actual(Fact::Date { date: u }),
        ),
        _ => b.push(Check::new(
            Code::Family(Family::Link),
            sponsor_id,
            CheckStatus::Pass,
            c,
        )),
    }
}

/// FAM-SPONSOR: the sponsor holds a valid residence permit or is a Dutch, EU, EEA or Swiss national (art. 3.15
/// lid 1 Vb 2000). Returns the status and the last day it holds.
fn sponsor(m: &Member<'_>, b: &mut Builder) -> (Status, Option<NaiveDate>) {
    let Member {
        p, sponsor, filing, ..
    } = *m;
    let status = person_status(p, sponsor, filing);
    let c = crate::rules::cite_any(b, p, "family.max_validity_years", filing);
    let sponsor_end = match status {
        Ok((s, end)) => {
            b.push(
                Check::new(
                    Code::Family(Family::Sponsor),
                    status_code(s),
                    CheckStatus::Pass,
                    c,
                )
                .actual(end.map(|date| Fact::Date { date })),
            );
            end
        }
        Err(FREE_MOVEMENT) => {
            crate::rules::common::missing(b, Code::Family(Family::Sponsor), FREE_MOVEMENT, filing);
            None
        }
        Err("sponsor_has_no_valid_permit") => {
            b.push(Check::new(
                Code::Family(Family::Sponsor),
                "no_valid_permit",
                CheckStatus::Fail,
                c,
            ));
            None
        }
        Err(_) => {
            b.push(
                Check::new(
                    Code::Family(Family::Sponsor),
                    "missing",
                    CheckStatus::Unknown,
                    c,
                )
                .actual(Fact::Missing {
                    field: "people[].permits",
                }),
            );
            None
        }
    };
    (status, sponsor_end)
}

/// FAM-AGE: both partners are at least `family.min_partner_age` (art. 3.14 onder a and b, 3.15 lid 1 Vb 2000).
fn partner_ages(m: &Member<'_>, b: &mut Builder) {
    let Member {
        p,
        person,
        sponsor,
        link,
        filing,
        ..
    } = *m;
    if link == "partner" {
        if let Ok((min, v)) = p.whole("family.min_partner_age", filing) {
            let c = b.cite("family.min_partner_age", v);
            let ages: Vec<Option<i64>> = [person, sponsor]
                .iter()
                .map(|m| m.birth_date.map(|d| age_on(d, filing)))
                .collect();
            let (status, actual) = match (ages[0], ages[1]) {
                (Some(a), Some(s)) => (
                    if a.min(s) >= min {
                        CheckStatus::Pass
                    } else {
                        CheckStatus::Fail
                    },
                    Fact::Age { years: a.min(s) },
                ),
                _ => (
                    CheckStatus::Unknown,
                    Fact::Missing {
                        field: "people[].birth_date",
                    },
                ),
            };
            b.push(
                Check::new(Code::Family(Family::Age), "both_partners", status, c)
                    .actual(actual)
                    .required(Fact::Years { years: min }),
            );
        } else {
            crate::rules::common::missing(
                b,
                Code::Family(Family::Age),
                "family.min_partner_age",
                filing,
            );
        }
    }
}

/// FAM-INCOME: the sponsor's income meets the norm, or the sponsor's salary criterion is taken to meet it (art.
/// 3.22 lid 1, 3.74 lid 1 onder a and 3.75 lid 1 Vb 2000).
fn income(m: &Member<'_>, b: &mut Builder, status: &Status) {
    let Member {
        p,
        case,
        sponsor,
        link,
        filing,
        ..
    } = *m;
    if let Ok((s, _)) = *status {
        let id = "family.income_exempt_sponsors";
        let exempt = crate::rules::common::lookup(
            b,
            Code::Family(Family::Income),
            id,
            filing,
            p.code_list(id, filing),
        );
        if let Some((_, c)) = exempt
            .as_ref()
            .filter(|(list, _)| list.contains(status_code(s)))
        {
            b.push(Check::new(
                Code::Family(Family::Income),
                "salary_criterion_suffices",
                CheckStatus::Info,
                c.clone(),
            ));
        } else if exempt.is_some() {
            let income = sponsor.sponsor_income_monthly.or(sponsor
                .job_offer
                .as_ref()
                .and_then(|j| j.gross_monthly_salary));
            // A sponsor without a partner in the household who brings a child: the single-parent norm.
            let sponsor_has_partner = sponsor.id.as_deref().and_then(|sid| partner_of(case, sid)).is_some_and(|(r, _)| {
                matches!(r, Relationship::Partner { until, .. } if until.is_none_or(|u| u > filing))
            });
            let norm_id = if link == "child" && !sponsor_has_partner {
                "family.income_norm_single_parent"
            } else {
                "family.income_norm_partner"
            };
            match p.amount(norm_id, filing) {
                Ok((norm, basis, v)) => {
                    let c = b.cite(norm_id, v);
                    let (st, actual) = match income {
                        Some(m) => (
                            if m >= norm {
                                CheckStatus::Pass
                            } else {
                                CheckStatus::Fail
                            },
                            Fact::money(m, basis),
                        ),
                        None => (
                            CheckStatus::Unknown,
                            Fact::Missing {
                                field: "people[].sponsor_income_monthly",
                            },
                        ),
                    };
                    let change =
                        (st == CheckStatus::Fail).then(|| crate::decision::Change::RaiseSalary {
                            shortfall: norm.saturating_sub(income.unwrap_or_default()),
                            basis,
                            shortfall_monthly: norm.saturating_sub(income.unwrap_or_default()),
                        });
                    b.push(
                        Check::new(
                            Code::Family(Family::Income),
                            if norm_id == "family.income_norm_single_parent" {
                                "single_parent_norm"
                            } else {
                                "income_norm"
                            },
                            st,
                            c,
                        )
                        .actual(actual)
                        .required(Fact::money(norm, basis))
                        .change(change),
                    );
                }
                Err(_) => b.push(
                    Check::new(
                        Code::Family(Family::Income),
                        "no_value",
                        CheckStatus::Unknown,
                        Citation {
                            param: norm_id,
                            source: None,
                        },
                    )
                    .required(Fact::Date { date: filing }),
                ),
            }
        }
    }
}

/// FAM-VALIDITY: at most `family.max_validity_years`, never beyond the sponsor's permit (art. 3.58 lid 9 onder a
/// and c Vb 2000).
fn validity(m: &Member<'_>, b: &mut Builder, sponsor_end: Option<NaiveDate>) {
    let Member {
        p, person, filing, ..
    } = *m;
    if let Ok((years, v)) = p.whole("family.max_validity_years", filing) {
        let c = b.cite("family.max_validity_years", v);
        let start = person
            .permits
            .iter()
            .filter(|h| h.kind == PermitKind::FamilyMember && valid_on(h, filing))
            .map(|h| h.from)
            .max()
            .unwrap_or(filing);
        let Some(cap) = max_end(p, b, Code::Family(Family::Validity), start, years, filing) else {
            return;
        };
        let (end, reason) = match sponsor_end {
            Some(e) if e < cap => (e, "sponsor_permit_end"),
            _ => (cap, "maximum_validity"),
        };
        b.push(
            Check::new(Code::Family(Family::Validity), reason, CheckStatus::Info, c)
                .actual(Fact::Date { date: end })
                .required(Fact::Years { years }),
        );
        b.decision.permit = Some(PermitTerms {
            start,
            end,
            end_reason: reason,
        });
    } else {
        crate::rules::common::missing(
            b,
            Code::Family(Family::Validity),
            "family.max_validity_years",
            filing,
        );
    }
}

/// The reason of a family check.
pub fn reason(
    c: &crate::decision::Check,
    lang: Lang,
    f: &mut std::fmt::Formatter<'_>,
) -> Option<std::fmt::Result> {
    let en = lang == Lang::En;
    let (a, r) = crate::rules::rendered(c, lang);
    Some(match (c.code, c.variant, c.status) {
        (Code::Family(Family::Link), "none", _) => crate::rules::put(f, en, "No partner or parent in the household holds a permit or citizenship to join.", "Geen partner of ouder in het huishouden heeft een vergunning of nationaliteit om bij in te wonen."),
        (Code::Family(Family::Link), "relationship_ended", _) => if en { write!(f, "The relationship ended on {a}; the family permit no longer meets its conditions (the sponsor must report it).") } else { write!(f, "De relatie is op {a} beëindigd; de gezinsvergunning voldoet niet meer aan de voorwaarden (de referent moet dit melden).") },
        (Code::Family(Family::Link), v, _) => if en { write!(f, "The person joins their {v}, who sponsors them.") } else { write!(f, "De persoon woont bij de {} die referent is.", if v == "partner" { "partner" } else { "ouder" }) },
        (Code::Family(Family::Sponsor), "no_valid_permit", _) => crate::rules::put(f, en, "The sponsor holds no valid residence permit on the date.", "De referent heeft op de datum geen geldige verblijfsvergunning."),
        (Code::Family(Family::Sponsor), "missing", _) => crate::rules::put(f, en, "The sponsor's permits or nationality are needed.", "De vergunningen of nationaliteit van de referent zijn nodig."),
        (Code::Family(Family::Sponsor), v, _) => {
            let status = super::status_of_code(v).map(|s| super::status_text(s).get(lang).to_string()).unwrap_or_else(|| v.replace('_', " "));
            if en { write!(f, "The sponsor's status is \u{201c}{status}\u{201d}{}.", if c.actual.is_none() { String::new() } else { format!(", valid until {a}") }) } else { write!(f, "De status van de referent is \u{201c}{status}\u{201d}{}.", if c.actual.is_none() { String::new() } else { format!(", geldig tot {a}") }) }
        }
        (Code::Family(Family::Age), _, CheckStatus::Pass) => if en { write!(f, "Both partners are at least {r}.") } else { write!(f, "Beide partners zijn ten minste {r}.") },
        (Code::Family(Family::Age), _, CheckStatus::Fail) => if en { write!(f, "The younger partner is {a}; both must be at least {r}.") } else { write!(f, "De jongste partner is {a}; beiden moeten ten minste {r} zijn.") },
        (Code::Family(Family::Age), _, _) => crate::rules::put(f, en, "Both partners' birth dates are needed.", "De geboortedata van beide partners zijn nodig."),
        (Code::Family(Family::Income), "salary_criterion_suffices", _) => crate::rules::put(f, en, "The sponsor's salary criterion is taken to meet the income requirement.", "Het salariscriterium van de referent wordt geacht aan de inkomenseis te voldoen."),
        (Code::Family(Family::Income), "no_value", _) => if en { write!(f, "No income norm is known for {r}.") } else { write!(f, "Voor {r} is geen inkomensnorm bekend.") },
        (Code::Family(Family::Income), _, CheckStatus::Pass) => if en { write!(f, "The sponsor's income, {a}, meets the norm of {r}.") } else { write!(f, "Het inkomen van de referent, {a}, voldoet aan de norm van {r}.") },
        (Code::Family(Family::Income), _, CheckStatus::Fail) => if en { write!(f, "The sponsor's income, {a}, is below the norm of {r}.") } else { write!(f, "Het inkomen van de referent, {a}, is lager dan de norm van {r}.") },
        (Code::Family(Family::Income), _, _) => if en { write!(f, "The sponsor's gross monthly income is needed (norm {r}).") } else { write!(f, "Het bruto maandinkomen van de referent is nodig (norm {r}).") },
        (Code::Family(Family::Validity), "sponsor_permit_end", _) => if en { write!(f, "The family permit would run until {a}, the end of the sponsor's permit.") } else { write!(f, "De gezinsvergunning zou lopen tot {a}, het einde van de vergunning van de referent.") },
        (Code::Family(Family::Validity), _, _) => if en { write!(f, "The family permit would run until {a}: at most {r}.") } else { write!(f, "De gezinsvergunning zou lopen tot {a}: ten hoogste {r}.") },
        _ => return None,
    })
}
