//! The deadlines of a household: permit ends, extension windows, the end of a family permit with the sponsor's,
//! a 30th birthday that changes the salary criterion, a graduation window closing, a contract end, and changes a
//! recognised sponsor must report.
//!
//! Each deadline names the parameter it is counted from (`permits.extension_earliest_months`,
//! `sponsor.report_change_days`, `hsm.age_band_threshold`, `education.graduation_window_years`), whose values cite
//! their sources; a deadline whose figure has no value on the date is left out.

use super::*;

/// A date on which something changes or must be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub date: NaiveDate,
    pub person: Option<String>,
    /// `permit_end`, `extension_window_opens`, `ends_with_sponsor`, `orientation_year_end`, `thirtieth_birthday`,
    /// `graduation_window_closes`, `contract_end`, `report_change`.
    pub kind: &'static str,
    /// The facts the text is written from (written only when shown).
    pub about: About,
    pub param: &'static str,
}

/// What a deadline is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum About {
    PermitEnd {
        permit: PermitKind,
        extendable: bool,
    },
    ExtensionOpens {
        permit: PermitKind,
        end: NaiveDate,
    },
    EndsWithSponsor,
    OrientationYearEnd,
    ThirtiethBirthday,
    GraduationWindow {
        graduated: NaiveDate,
        level: crate::case::EducationLevel,
    },
    ContractEnd,
    ReportContractEnd {
        end: NaiveDate,
    },
    ReportRelationshipEnd {
        ended: NaiveDate,
    },
}

impl Deadline {
    /// What happens and what to do, in both languages.
    pub fn what(&self) -> Text {
        let d = self.date;
        let nl = |d: NaiveDate| Day(d, Lang::Nl);
        let nd = nl(d);
        match self.about {
            About::PermitEnd { permit, extendable } => {
                let k = kind_text(permit);
                Text::owned(
                    format!("The {} permit ends on {d}.{}", k.en, if extendable { " File the extension before then." } else { " It cannot be extended; change to another permit before then." }),
                    format!("De vergunning {} eindigt op {nd}.{}", k.nl, if extendable { " Vraag voor die datum verlenging aan." } else { " Die kan niet worden verlengd; stap daarvoor over op een andere vergunning." }),
                )
            }
            About::ExtensionOpens { permit, end } => {
                let k = kind_text(permit);
                let hsm = permit == PermitKind::HighlySkilledMigrant;
                Text::owned(
                    format!("From {d} the extension of the {} permit (ending {end}) can be filed{}.", k.en, if hsm { "; the salary criterion of the filing date and the age then apply" } else { "" }),
                    format!("Vanaf {nd} kan verlenging van de vergunning {} (einde {}) worden aangevraagd{}.", k.nl, nl(end), if hsm { "; het salariscriterium en de leeftijd op de aanvraagdatum gelden" } else { "" }),
                )
            }
            About::EndsWithSponsor => Text::owned(
                format!("The family permit ends with the sponsor's permit on {d}. Extend the sponsor's permit first, then the family permit."),
                format!("De gezinsvergunning eindigt met de vergunning van de referent op {nd}. Verleng eerst de vergunning van de referent, dan de gezinsvergunning."),
            ),
            About::OrientationYearEnd => Text::owned(
                format!("The orientation year ends on {d} and cannot be extended. Apply for another permit (highly skilled migrant at the reduced criterion, self-employed, start-up) before then."),
                format!("Het zoekjaar eindigt op {nd} en kan niet worden verlengd. Vraag daarvoor een andere vergunning aan (kennismigrant tegen het verlaagde criterium, zelfstandige, start-up)."),
            ),
            About::ThirtiethBirthday => {
                let before = day_before(d);
                Text::owned(
                    format!("30th birthday on {d}: an application, extension or change of employer filed from that day uses the 30-and-over criterion (file by {before} to keep the under-30 one). An employer need not raise the salary during the current permit."),
                    format!("30e verjaardag op {nd}: een aanvraag, verlenging of werkgeverswissel vanaf die dag valt onder het criterium voor 30 jaar en ouder (dien uiterlijk {} in om het criterium voor jonger dan 30 te houden). De werkgever hoeft het salaris tijdens de huidige vergunning niet te verhogen.", nl(before)),
                )
            }
            About::GraduationWindow { graduated, level } => {
                let l = level.as_str().replace('_', "-");
                Text::owned(
                    format!("Three years after graduating ({graduated}): the last day to apply for an orientation year on this {l} or for the reduced highly skilled migrant criterion."),
                    format!("Drie jaar na afstuderen ({}): de laatste dag om op deze {l} een zoekjaar of het verlaagde kennismigrantencriterium aan te vragen.", nl(graduated)),
                )
            }
            About::ContractEnd => Text::owned(
                format!("The employment contract ends on {d}. A new contract or employer must be arranged, and the sponsor reports the end within 4 weeks."),
                format!("Het arbeidscontract eindigt op {nd}. Regel een nieuw contract of een nieuwe werkgever; de referent meldt het einde binnen 4 weken."),
            ),
            About::ReportContractEnd { end } => Text::owned(
                format!("Last day for the sponsor to report the end of the contract ({end}) to the IND."),
                format!("Laatste dag waarop de referent het einde van het contract ({}) aan de IND meldt.", nl(end)),
            ),
            About::ReportRelationshipEnd { ended } => Text::owned(
                format!("The relationship ended on {ended}: the sponsor must report it to the IND by {d}; the family permit no longer meets its conditions."),
                format!("De relatie is op {} beëindigd: de referent moet dit uiterlijk {nd} aan de IND melden; de gezinsvergunning voldoet niet meer aan de voorwaarden.", nl(ended)),
            ),
        }
    }
}

impl Serialize for Deadline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Deadline", 5)?;
        st.serialize_field("date", &self.date)?;
        if let Some(p) = &self.person {
            st.serialize_field("person", p)?;
        }
        st.serialize_field("kind", self.kind)?;
        st.serialize_field("what", &self.what())?;
        st.serialize_field("param", self.param)?;
        st.end()
    }
}

pub(super) fn extendable(k: PermitKind) -> bool {
    !matches!(
        k,
        PermitKind::OrientationYear
            | PermitKind::RegelingHoogopgeleiden
            | PermitKind::ZoekjaarAfgestudeerden
            | PermitKind::StartUp
    )
}

/// The deadlines of one person from `date` on.
pub fn deadlines(p: &ParamSet, case: &Case, person: &Person, date: NaiveDate) -> Vec<Deadline> {
    let mut dl = Collected {
        out: Vec::new(),
        who: person.id.clone(),
        from: date,
    };
    // A deadline whose figure has no value on the date is left out rather than computed from a number of the
    // rules' own; the decisions that rest on the same parameter say it is unknown.
    let report_days = p
        .whole("sponsor.report_change_days", date)
        .map(|(d, _)| d)
        .ok();
    let ext_months = p
        .whole("permits.extension_earliest_months", date)
        .map(|(m, _)| m)
        .ok();
    permit_deadlines(p, case, person, date, ext_months, &mut dl);
    personal_deadlines(p, case, person, date, report_days, &mut dl);
    let mut out = dl.out;
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(b.kind)));
    out
}

/// The deadlines of one person being collected: those on or after `from` are kept.
struct Collected {
    out: Vec<Deadline>,
    who: Option<String>,
    from: NaiveDate,
}

impl Collected {
    fn push(&mut self, d: NaiveDate, kind: &'static str, about: About, param: &'static str) {
        if d >= self.from {
            self.out.push(Deadline {
                date: d,
                person: self.who.clone(),
                kind,
                about,
                param,
            });
        }
    }
}

/// The deadlines of the permits a person holds: their ends (a family permit's with the sponsor's), the windows in
/// which an extension may be filed, and an orientation year's end.
fn permit_deadlines(
    p: &ParamSet,
    case: &Case,
    person: &Person,
    date: NaiveDate,
    ext_months: Option<i64>,
    dl: &mut Collected,
) {
    for h in person
        .permits
        .iter()
        .filter(|h| h.until.is_none_or(|u| u >= date) && h.withdrawn.is_none_or(|w| w > date))
    {
        let mut end = last_day(h);
        if h.kind == PermitKind::FamilyMember {
            if let Ok((_, Some(sponsor_end))) = sponsor_status(p, case, h, date.max(h.from)) {
                if end.is_none_or(|e| sponsor_end < e) {
                    end = Some(sponsor_end);
                    dl.push(
                        sponsor_end,
                        "ends_with_sponsor",
                        About::EndsWithSponsor,
                        "family.max_validity_years",
                    );
                }
            }
        }
        let Some(end) = end else { continue };
        if h.kind == PermitKind::OrientationYear {
            dl.push(
                end,
                "orientation_year_end",
                About::OrientationYearEnd,
                "orientation_year.duration_months",
            );
            continue;
        }
        if h.kind != PermitKind::FamilyMember || end == last_day(h).unwrap_or(end) {
            dl.push(
                end,
                "permit_end",
                About::PermitEnd {
                    permit: h.kind,
                    extendable: extendable(h.kind),
                },
                "permits.extension_earliest_months",
            );
        }
        if let (true, Some(ext_months)) = (extendable(h.kind), ext_months) {
            let opens = add_months(end, -ext_months);
            dl.push(
                opens,
                "extension_window_opens",
                About::ExtensionOpens {
                    permit: h.kind,
                    end,
                },
                "permits.extension_earliest_months",
            );
        }
    }
}

/// The deadlines of the person's own facts: a 30th birthday that changes the salary criterion, graduation windows
/// closing, a contract's end and the changes a sponsor must report.
fn personal_deadlines(
    p: &ParamSet,
    case: &Case,
    person: &Person,
    date: NaiveDate,
    report_days: Option<i64>,
    dl: &mut Collected,
) {
    let holds_or_applies_hsm = person
        .permits
        .iter()
        .any(|h| h.kind == PermitKind::HighlySkilledMigrant && valid_on(h, date))
        || person.job_offer.is_some();
    if let (Some(b), true) = (person.birth_date, holds_or_applies_hsm) {
        if let Ok((t, _)) = p.whole("hsm.age_band_threshold", date) {
            dl.push(
                add_years(b, t),
                "thirtieth_birthday",
                About::ThirtiethBirthday,
                "hsm.age_band_threshold",
            );
        }
    }
    if let Ok((years, _)) = p.whole("education.graduation_window_years", date) {
        for e in &person.education {
            let Some(g) = e.graduation_date else { continue };
            dl.push(
                add_years(g, years),
                "graduation_window_closes",
                About::GraduationWindow {
                    graduated: g,
                    level: e.level,
                },
                "education.graduation_window_years",
            );
        }
    }
    if let Some(crate::case::ContractEnd::On(end)) =
        person.job_offer.as_ref().and_then(|j| j.contract_end)
    {
        dl.push(
            end,
            "contract_end",
            About::ContractEnd,
            "sponsor.report_change_days",
        );
        if let Some(report_days) = report_days {
            dl.push(
                end + chrono::Duration::days(report_days),
                "report_change",
                About::ReportContractEnd { end },
                "sponsor.report_change_days",
            );
        }
    }
    if let Some(id) = person.id.as_deref() {
        if let (Some((Relationship::Partner { until: Some(u), .. }, _)), Some(report_days)) =
            (partner_of(case, id), report_days)
        {
            dl.push(
                *u + chrono::Duration::days(report_days),
                "report_change",
                About::ReportRelationshipEnd { ended: *u },
                "sponsor.report_change_days",
            );
        }
    }
}
