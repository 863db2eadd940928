//! The roster CSV format: one row per person, a flat set of columns, households by adjacent rows that share a
//! `household` value. The columns, in the order `generate` writes them, are [`COLUMNS`]; any order is accepted, an
//! unknown column is an error, and only `id` and `reference_date` are required.

use serde::de::IntoDeserializer;

use chrono::NaiveDate;
use verblijf_rules::case::*;
use verblijf_rules::{Case, Money};

/// The columns of a roster, with what each holds.
pub const COLUMNS: &[(&str, &str)] = &[
    ("id", "required; unique within the household"),
    (
        "household",
        "rows next to each other with the same value form one household; empty: the person alone",
    ),
    ("reference_date", "required; YYYY-MM-DD"),
    ("filing_date", "YYYY-MM-DD; default the reference date"),
    (
        "application_kind",
        "first, extension, change_of_employer, current_permit",
    ),
    (
        "scheme",
        "the scheme applied for, such as highly_skilled_migrant",
    ),
    ("birth_date", "YYYY-MM-DD"),
    ("nationality", "ISO 3166-1 alpha-2, such as IN"),
    (
        "education_level",
        "associate, bachelor, master, post_master, phd",
    ),
    (
        "education_provenance",
        "dutch_accredited, foreign, erasmus_mundus",
    ),
    ("graduation_date", "YYYY-MM-DD"),
    ("education_months", "nominal length in months"),
    ("ranking_list", "the, qs, arwu"),
    ("ranking_edition", "year of the edition"),
    ("ranking_position", "place on the list"),
    ("recognised_sponsor", "true or false"),
    (
        "gross_monthly_salary",
        "euro, excluding holiday allowance, such as 5200 or 5200.50",
    ),
    (
        "holiday_allowance",
        "paid_separately, included_in_monthly, not_paid",
    ),
    ("thirteenth_month", "none, paid_monthly, paid_yearly"),
    ("contract_start", "YYYY-MM-DD"),
    ("contract_end", "YYYY-MM-DD or indefinite"),
    (
        "role",
        "regular, scientific_researcher, phd_researcher, physician_in_training, guest_lecturer",
    ),
    (
        "permit_kind",
        "the permit held, such as highly_skilled_migrant or family_member",
    ),
    ("permit_from", "YYYY-MM-DD"),
    ("permit_until", "YYYY-MM-DD"),
    ("permit_criterion", "under30, 30plus, reduced, exempt"),
    (
        "sponsor",
        "for a family_member permit: the id of the sponsor in the same household",
    ),
    ("partner", "the id of the partner in the same household"),
    ("partnership_form", "married, registered, unmarried"),
    ("relationship_from", "YYYY-MM-DD"),
    (
        "relationship_until",
        "YYYY-MM-DD, when the relationship ended",
    ),
    ("parent", "the id of a parent in the same household"),
];

/// A row that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub id: Option<String>,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: ", self.line)?;
        if !self.field.is_empty() {
            write!(f, "column `{}`: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// The position of a column in [`COLUMNS`], found when compiling (an unknown name does not compile).
const fn col_index(name: &str) -> usize {
    let mut i = 0;
    while i < COLUMNS.len() {
        let c = COLUMNS[i].0.as_bytes();
        let n = name.as_bytes();
        if c.len() == n.len() {
            let mut j = 0;
            while j < c.len() && c[j] == n[j] {
                j += 1;
            }
            if j == c.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("not a roster column")
}

/// A column of [`COLUMNS`] by name, as a constant.
macro_rules! col {
    ($name:literal) => {{
        const I: usize = col_index($name);
        I
    }};
}

/// The position of each known column in the header.
#[derive(Clone, Debug)]
pub struct Header {
    /// For each of [`COLUMNS`], its position in the file's header.
    index: [Option<usize>; COLUMNS.len()],
    pub width: usize,
}

impl Header {
    /// Reads a header row. Unknown and repeated columns are errors, `id` and `reference_date` are required.
    pub fn parse(fields: &[&str]) -> Result<Header, String> {
        let mut index = [None; COLUMNS.len()];
        for (i, f) in fields.iter().enumerate() {
            let f = f.trim().trim_start_matches('\u{feff}');
            let Some(col) = COLUMNS.iter().position(|(c, _)| *c == f) else {
                return Err(format!(
                    "unknown column `{f}`; the columns are: {}",
                    COLUMNS
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            if index[col].replace(i).is_some() {
                return Err(format!("column `{f}` appears twice"));
            }
        }
        let missing: Vec<String> = [col_index("id"), col_index("reference_date")]
            .into_iter()
            .filter(|c| index[*c].is_none())
            .map(|c| format!("`{}`", COLUMNS[c].0))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the header has no {} column: every roster needs `id` and `reference_date`",
                missing.join(" or ")
            ));
        }
        Ok(Header {
            index,
            width: fields.len(),
        })
    }

    fn get<'r>(&self, rec: &'r csv::StringRecord, col: usize) -> Option<&'r str> {
        self.index[col]
            .and_then(|i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// A date as `YYYY-MM-DD`, read directly in that form (as every roster writes it), otherwise by chrono's
/// general reader.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    s.parse().ok()
}

/// One row, read but not yet joined to its household.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: u64,
    pub household: Option<String>,
    pub person: Person,
    pub reference_date: NaiveDate,
    pub partner: Option<(
        String,
        PartnershipForm,
        Option<NaiveDate>,
        Option<NaiveDate>,
    )>,
    pub parent: Option<String>,
}

struct Reader<'a> {
    h: &'a Header,
    rec: &'a csv::StringRecord,
    line: u64,
    id: Option<String>,
}

impl Reader<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> RowError {
        RowError {
            line: self.line,
            id: self.id.clone(),
            field: field.into(),
            message: message.into(),
        }
    }
    fn text(&self, col: usize) -> Option<String> {
        self.h.get(self.rec, col).map(str::to_string)
    }
    fn date(&self, col: usize) -> Result<Option<NaiveDate>, RowError> {
        match self.h.get(self.rec, col) {
            None => Ok(None),
            Some(s) => parse_date(s).map(Some).ok_or_else(|| {
                self.err(
                    COLUMNS[col].0,
                    format!("expected a date YYYY-MM-DD, found {s:?}"),
                )
            }),
        }
    }
    /// A value of a snake_case enum, read through serde so that the names are the case format's.
    fn word<T: serde::de::DeserializeOwned>(&self, col: usize) -> Result<Option<T>, RowError> {
        match self.h.get(self.rec, col) {
            None => Ok(None),
            Some(s) => {
                let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
                    s.into_deserializer();
                T::deserialize(de)
                    .map(Some)
                    .map_err(|e| self.err(COLUMNS[col].0, e.to_string()))
            }
        }
    }
    fn money(&self, col: usize) -> Result<Option<Money>, RowError> {
        match self.h.get(self.rec, col) {
            None => Ok(None),
            Some(s) => match Money::parse(s) {
                Ok(m) if !m.is_negative() => Ok(Some(m)),
                Ok(_) => Err(self.err(
                    COLUMNS[col].0,
                    format!("expected a non-negative amount in euro, found {s}"),
                )),
                Err(e) => Err(self.err(COLUMNS[col].0, e)),
            },
        }
    }
    fn number<T: std::str::FromStr>(&self, col: usize, what: &str) -> Result<Option<T>, RowError> {
        match self.h.get(self.rec, col) {
            None => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| self.err(COLUMNS[col].0, format!("expected {what}, found {s:?}"))),
        }
    }
    fn flag(&self, col: usize) -> Result<Option<bool>, RowError> {
        let Some(s) = self.h.get(self.rec, col) else {
            return Ok(None);
        };
        let is = |words: [&str; 3]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
        if is(["true", "yes", "1"]) {
            Ok(Some(true))
        } else if is(["false", "no", "0"]) {
            Ok(Some(false))
        } else {
            let s = s.to_ascii_lowercase();
            Err(self.err(
                COLUMNS[col].0,
                format!("expected true or false, found {s:?}"),
            ))
        }
    }

    /// Refuses a row that gives values whose meaning depends on `lead` without giving `lead`.
    fn orphans<const N: usize>(
        &self,
        lead: &str,
        given: [(&'static str, bool); N],
    ) -> Result<(), RowError> {
        match given.iter().find(|(_, g)| *g) {
            None => Ok(()),
            Some((col, _)) => Err(self.err(
                col,
                format!("given without `{lead}`, which it belongs to: give `{lead}` too, or leave `{col}` empty"),
            )),
        }
    }
}

/// Reads one CSV record into a row.
pub fn parse_row(h: &Header, rec: &csv::StringRecord, line: u64) -> Result<Row, RowError> {
    let mut r = Reader {
        h,
        rec,
        line,
        id: None,
    };
    r.id = r.text(col!("id"));
    if rec.len() != h.width {
        return Err(r.err(
            "",
            format!(
                "expected {} columns as in the header, found {}",
                h.width,
                rec.len()
            ),
        ));
    }
    let Some(id) = r.id.clone() else {
        return Err(r.err("id", "missing: every row needs an id"));
    };
    let Some(reference_date) = r.date(col!("reference_date"))? else {
        return Err(r.err(
            "reference_date",
            "missing: every row needs a reference date",
        ));
    };
    // Every value is read, and so checked, whether or not the column it depends on is given; a value given
    // without that column is refused rather than dropped.
    let provenance = r.word::<Provenance>(col!("education_provenance"))?;
    let ranking = (
        r.word::<RankingList>(col!("ranking_list"))?,
        r.number::<u16>(col!("ranking_edition"), "a year")?,
        r.number::<u16>(col!("ranking_position"), "a place of 1 or more")?,
    );
    let duration_months = r.number(col!("education_months"), "a number of months")?;
    let graduation_date = r.date(col!("graduation_date"))?;
    let education = match r.word::<EducationLevel>(col!("education_level"))? {
        None => {
            r.orphans(
                "education_level",
                [
                    ("education_provenance", provenance.is_some()),
                    ("education_months", duration_months.is_some()),
                    ("graduation_date", graduation_date.is_some()),
                    ("ranking_list", ranking.0.is_some()),
                    ("ranking_edition", ranking.1.is_some()),
                    ("ranking_position", ranking.2.is_some()),
                ],
            )?;
            vec![]
        }
        Some(level) => {
            let Some(provenance) = provenance else {
                return Err(r.err(
                    "education_provenance",
                    "missing: needed with education_level",
                ));
            };
            let rankings = match ranking {
                (Some(list), Some(edition), Some(position)) if position > 0 => vec![Ranking { list, edition, position, scope: RankingScope::General }],
                (None, None, None) => vec![],
                _ => return Err(r.err("ranking_list", "ranking_list, ranking_edition and ranking_position go together (place 1 or more)")),
            };
            vec![Education {
                level,
                provenance,
                programme_kind: ProgrammeKind::Regular,
                institution: None,
                country: None,
                bologna_country: None,
                duration_months,
                graduation_date,
                rankings,
            }]
        }
    };
    let salary = r.money(col!("gross_monthly_salary"))?;
    let recognised = r.flag(col!("recognised_sponsor"))?;
    let start = r.date(col!("contract_start"))?;
    let end = match r.h.get(rec, col!("contract_end")) {
        None => None,
        Some("indefinite") => Some(ContractEnd::Indefinite),
        Some(s) => Some(ContractEnd::On(parse_date(s).ok_or_else(|| {
            r.err(
                "contract_end",
                format!("expected a date YYYY-MM-DD or `indefinite`, found {s:?}"),
            )
        })?)),
    };
    let holiday_allowance = r.word(col!("holiday_allowance"))?;
    let thirteenth_month = r.word(col!("thirteenth_month"))?;
    let role = r.word(col!("role"))?;
    let job_offer = if salary.is_some() || recognised.is_some() || start.is_some() || end.is_some()
    {
        Some(JobOffer {
            recognised_sponsor: recognised,
            gross_monthly_salary: salary,
            holiday_allowance: holiday_allowance.unwrap_or_default(),
            thirteenth_month: thirteenth_month.unwrap_or_default(),
            contract_start: start,
            contract_end: end,
            role: role.unwrap_or_default(),
            ..Default::default()
        })
    } else {
        r.orphans(
            "gross_monthly_salary",
            [
                ("holiday_allowance", holiday_allowance.is_some()),
                ("thirteenth_month", thirteenth_month.is_some()),
                ("role", role.is_some()),
            ],
        )?;
        None
    };
    let permit_from = r.date(col!("permit_from"))?;
    let permit_until = r.date(col!("permit_until"))?;
    let criterion = r.word(col!("permit_criterion"))?;
    let permits = match r.word::<PermitKind>(col!("permit_kind"))? {
        None => {
            r.orphans(
                "permit_kind",
                [
                    ("permit_from", permit_from.is_some()),
                    ("permit_until", permit_until.is_some()),
                    ("permit_criterion", criterion.is_some()),
                ],
            )?;
            vec![]
        }
        Some(kind) => {
            let Some(from) = permit_from else {
                return Err(r.err("permit_from", "missing: needed with permit_kind"));
            };
            vec![HeldPermit {
                kind,
                from,
                until: permit_until,
                criterion,
                employer: None,
                sponsor: r.text(col!("sponsor")),
                sponsor_permit: None,
                withdrawn: None,
            }]
        }
    };
    let application = match (
        r.word::<ApplicationKind>(col!("application_kind"))?,
        r.word::<Scheme>(col!("scheme"))?,
        r.date(col!("filing_date"))?,
    ) {
        (None, None, None) => None,
        (kind, scheme, filing_date) => Some(Application {
            kind: kind.unwrap_or_default(),
            scheme,
            filing_date,
        }),
    };
    let form = r.word(col!("partnership_form"))?;
    let relationship_from = r.date(col!("relationship_from"))?;
    let relationship_until = r.date(col!("relationship_until"))?;
    let partner = match r.text(col!("partner")) {
        None => {
            r.orphans(
                "partner",
                [
                    ("partnership_form", form.is_some()),
                    ("relationship_from", relationship_from.is_some()),
                    ("relationship_until", relationship_until.is_some()),
                ],
            )?;
            None
        }
        Some(p) => Some((
            p,
            form.unwrap_or(PartnershipForm::Married),
            relationship_from,
            relationship_until,
        )),
    };
    let nationality = match r.h.get(rec, col!("nationality")) {
        None => None,
        Some(s) => Some(s.parse().map_err(|e: String| r.err("nationality", e))?),
    };
    let person = Person {
        id: Some(id),
        birth_date: r.date(col!("birth_date"))?,
        nationality,
        education,
        permits,
        job_offer,
        application,
        ..Default::default()
    };
    Ok(Row {
        line,
        household: r.text(col!("household")),
        person,
        reference_date,
        partner,
        parent: r.text(col!("parent")),
    })
}

/// Joins the rows of one household into a case. Rows whose links cannot be resolved, or whose id repeats, are
/// returned as errors and left out; the rest of the household is kept.
pub fn household_case(rows: Vec<Row>) -> (Option<(Case, Vec<u64>)>, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut kept: Vec<Row> = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.person.id.clone().unwrap_or_default();
        if let Some(first) = kept
            .iter()
            .find(|k| k.person.id.as_deref() == Some(id.as_str()))
        {
            errors.push(RowError {
                line: row.line,
                id: Some(id),
                field: "id".into(),
                message: format!(
                    "duplicate id in the household (first on line {})",
                    first.line
                ),
            });
            continue;
        }
        kept.push(row);
    }
    // Links must name someone in the household; a row with a dangling link is rejected (and links to it dropped).
    loop {
        let known = |id: &str| kept.iter().any(|r| r.person.id.as_deref() == Some(id));
        let bad = kept.iter().position(|r| {
            r.partner.as_ref().is_some_and(|(p, ..)| !known(p))
                || r.parent.as_ref().is_some_and(|p| !known(p))
                || r.person
                    .permits
                    .iter()
                    .any(|h| h.sponsor.as_ref().is_some_and(|s| !known(s)))
        });
        let Some(i) = bad else { break };
        let ids: Vec<String> = kept.iter().filter_map(|r| r.person.id.clone()).collect();
        let row = kept.remove(i);
        let (field, target) =
            if let Some((p, ..)) = row.partner.as_ref().filter(|(p, ..)| !ids.contains(p)) {
                ("partner", p.clone())
            } else if let Some(p) = row.parent.as_ref().filter(|p| !ids.contains(p)) {
                ("parent", p.clone())
            } else {
                (
                    "sponsor",
                    row.person
                        .permits
                        .iter()
                        .find_map(|h| h.sponsor.clone())
                        .unwrap_or_default(),
                )
            };
        errors.push(RowError {
            line: row.line,
            id: row.person.id.clone(),
            field: field.into(),
            message: format!("links to `{target}`, who is not in the same household (rows of a household must be adjacent)"),
        });
    }
    if kept.is_empty() {
        return (None, errors);
    }
    let reference_date = kept[0].reference_date;
    let lines: Vec<u64> = kept.iter().map(|r| r.line).collect();
    if kept.len() == 1 && kept[0].household.is_none() {
        let row = kept.pop().expect("one row");
        // The person's application is the case's, as `Case::for_member` would make it, so that the rules can take
        // the case as it is.
        let case = Case {
            reference_date,
            application: row.person.application.clone(),
            person: Some(row.person),
            people: vec![],
            relationships: vec![],
        };
        return finish(case, lines, errors);
    }
    let mut relationships = Vec::new();
    for r in &kept {
        let me = r.person.id.clone().unwrap_or_default();
        if let Some((p, form, from, until)) = &r.partner {
            let already = relationships.iter().any(|x| matches!(x, Relationship::Partner { partners, .. } if partners.contains(&me) && partners.contains(p)));
            if !already {
                relationships.push(Relationship::Partner {
                    partners: [me.clone(), p.clone()],
                    form: *form,
                    from: *from,
                    until: *until,
                });
            }
        }
        if let Some(parent) = &r.parent {
            relationships.push(Relationship::Child {
                parent: parent.clone(),
                child: me.clone(),
            });
        }
    }
    let case = Case {
        reference_date,
        person: None,
        people: kept.into_iter().map(|r| r.person).collect(),
        relationships,
        application: None,
    };
    finish(case, lines, errors)
}

fn finish(
    case: Case,
    lines: Vec<u64>,
    mut errors: Vec<RowError>,
) -> (Option<(Case, Vec<u64>)>, Vec<RowError>) {
    match verblijf_rules::input::validate(&case) {
        Ok(()) => (Some((case, lines)), errors),
        Err(e) => {
            let line = lines.first().copied().unwrap_or(0);
            errors.push(RowError {
                line,
                id: None,
                field: e.field.clone(),
                message: e.message,
            });
            (None, errors)
        }
    }
}

/// Gathers rows into households (adjacent rows with the same `household`) and households into cases.
#[derive(Default)]
pub struct Households {
    cases: Vec<Case>,
    errors: Vec<RowError>,
    group: Vec<Row>,
}

impl Households {
    /// Adds the next row, or the error that reading it gave.
    pub fn add(&mut self, row: Result<Row, RowError>) {
        match row {
            Ok(row) => {
                let same = row.household.is_some()
                    && self
                        .group
                        .last()
                        .is_some_and(|g| g.household == row.household);
                if !same {
                    self.flush();
                }
                self.group.push(row);
            }
            Err(e) => self.errors.push(e),
        }
    }

    fn flush(&mut self) {
        if self.group.is_empty() {
            return;
        }
        let (case, errs) = household_case(std::mem::take(&mut self.group));
        self.errors.extend(errs);
        if let Some((c, _)) = case {
            self.cases.push(c);
        }
    }

    /// The cases, and the rows left out with why.
    pub fn finish(mut self) -> (Vec<Case>, Vec<RowError>) {
        self.flush();
        (self.cases, self.errors)
    }
}

/// Reads a whole roster into cases (for simulations, which hold the population in memory).
pub fn read_roster<R: std::io::Read>(input: R) -> Result<(Vec<Case>, Vec<RowError>), String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut rec = csv::StringRecord::new();
    if !rdr.read_record(&mut rec).map_err(|e| e.to_string())? {
        return Err("the roster is empty".into());
    }
    let fields: Vec<&str> = rec.iter().collect();
    let header = Header::parse(&fields)?;
    let mut households = Households::default();
    let mut line = 1u64;
    for rec in rdr.records() {
        line += 1;
        households.add(match rec {
            Ok(rec) => parse_row(&header, &rec, line),
            Err(e) => Err(RowError {
                line,
                id: None,
                field: String::new(),
                message: e.to_string(),
            }),
        });
    }
    Ok(households.finish())
}
