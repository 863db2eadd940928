//! Reading a case from JSON or YAML, with errors that name the field, the line and what was expected.

use std::fmt;

use crate::case::{Case, ContractEnd, Person, Relationship};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// Guesses the format from a file name, or else from the first character of the text.
    pub fn detect(name: Option<&str>, text: &str) -> Format {
        match name
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase())
        {
            Some(e) if e == "json" || e == "jsonl" => Format::Json,
            Some(e) if e == "yaml" || e == "yml" => Format::Yaml,
            _ if text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{') =>
            {
                Format::Json
            }
            _ => Format::Yaml,
        }
    }
}

/// A case that could not be read: which field, where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseError {
    /// The path of the field, such as `person.job_offer.gross_monthly_salary`; empty for a syntax error.
    pub field: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}")?;
            if let Some(col) = self.column {
                write!(f, ", column {col}")?;
            }
            write!(f, ": ")?;
        }
        if !self.field.is_empty() && self.field != "." {
            write!(f, "field `{}`: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CaseError {}

/// Reads and validates a case.
pub fn parse_case(text: &str, format: Format) -> Result<Case, CaseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let case: Case = match format {
        Format::Json => {
            let de = &mut serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let field = e.path().to_string();
                let inner = e.into_inner();
                CaseError {
                    field,
                    line: Some(inner.line()),
                    column: Some(inner.column()),
                    message: clean_message(&inner.to_string()),
                }
            })?
        }
        Format::Yaml => {
            if text.trim().is_empty() {
                return Err(CaseError {
                    field: String::new(),
                    line: None,
                    column: None,
                    message: "the case is empty".into(),
                });
            }
            let de = serde_norway::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let field = e.path().to_string();
                let inner = e.into_inner();
                let loc = inner.location();
                let message = clean_message(&inner.to_string());
                let message = message
                    .strip_prefix(&format!("{field}: "))
                    .map(str::to_string)
                    .unwrap_or(message);
                CaseError {
                    field,
                    line: loc.as_ref().map(|l| l.line()),
                    column: loc.as_ref().map(|l| l.column()),
                    message,
                }
            })?
        }
    };
    validate(&case)?;
    Ok(case)
}

/// Strips the location that serde appends, since we report it separately.
fn clean_message(m: &str) -> String {
    let m = match m.find(" at line ") {
        Some(i) => &m[..i],
        None => m,
    };
    m.trim_start_matches(|c: char| c == '.' || c == ':' || c.is_whitespace())
        .to_string()
}

fn err(field: impl Into<String>, message: impl Into<String>) -> CaseError {
    CaseError {
        field: field.into(),
        line: None,
        column: None,
        message: message.into(),
    }
}

/// Checks that cannot be expressed in the types: one form (a person or a household), ids that link up, and the
/// order of dates.
pub fn validate(case: &Case) -> Result<(), CaseError> {
    match (&case.person, case.people.is_empty()) {
        (Some(_), false) => {
            return Err(err(
                "people",
                "give either `person` (one person) or `people` (a household), not both",
            ))
        }
        (None, true) => {
            return Err(err(
                "person",
                "missing: give `person` (one person) or `people` (a household)",
            ))
        }
        _ => {}
    }
    if case.person.is_some() && !case.relationships.is_empty() {
        return Err(err(
            "relationships",
            "relationships need a household: list everyone under `people`",
        ));
    }
    let mut ids: Vec<&str> = Vec::new();
    for (i, p) in case.people.iter().enumerate() {
        match p.id.as_deref() {
            None | Some("") => {
                return Err(err(
                    format!("people[{i}].id"),
                    "every person in a household needs an id",
                ))
            }
            Some(id) if ids.contains(&id) => {
                return Err(err(
                    format!("people[{i}].id"),
                    format!("the id `{id}` is used twice"),
                ))
            }
            Some(id) => ids.push(id),
        }
    }
    let known = |field: String, id: &str| -> Result<(), CaseError> {
        if ids.contains(&id) {
            Ok(())
        } else {
            Err(err(
                field,
                format!(
                    "no person with id `{id}` in `people` (known: {})",
                    ids.join(", ")
                ),
            ))
        }
    };
    for (i, r) in case.relationships.iter().enumerate() {
        match r {
            Relationship::Partner {
                partners,
                from,
                until,
                ..
            } => {
                known(format!("relationships[{i}].partners[0]"), &partners[0])?;
                known(format!("relationships[{i}].partners[1]"), &partners[1])?;
                if partners[0] == partners[1] {
                    return Err(err(
                        format!("relationships[{i}].partners"),
                        "a person cannot be their own partner",
                    ));
                }
                if let (Some(f), Some(u)) = (from, until) {
                    if u < f {
                        return Err(err(
                            format!("relationships[{i}].until"),
                            format!("{u} is before `from` {f}"),
                        ));
                    }
                }
            }
            Relationship::Child { parent, child } => {
                known(format!("relationships[{i}].parent"), parent)?;
                known(format!("relationships[{i}].child"), child)?;
                if parent == child {
                    return Err(err(
                        format!("relationships[{i}].child"),
                        "a person cannot be their own child",
                    ));
                }
            }
        }
    }
    let members: Vec<(String, &Person)> = match &case.person {
        Some(p) => vec![("person".to_string(), p)],
        None => case
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("people[{i}]"), p))
            .collect(),
    };
    for (path, p) in members {
        validate_person(case, &path, p)?;
        for (i, h) in p.permits.iter().enumerate() {
            if let Some(s) = &h.sponsor {
                if case.person.is_some() {
                    return Err(err(format!("{path}.permits[{i}].sponsor"), "a sponsor id needs a household: list the sponsor under `people`, or give `sponsor_permit`"));
                }
                known(format!("{path}.permits[{i}].sponsor"), s)?;
            }
        }
    }
    Ok(())
}

fn validate_person(case: &Case, path: &str, p: &Person) -> Result<(), CaseError> {
    if let Some(b) = p.birth_date {
        if b > case.reference_date {
            return Err(err(
                format!("{path}.birth_date"),
                format!("{b} is after the reference date {}", case.reference_date),
            ));
        }
    }
    for (i, e) in p.education.iter().enumerate() {
        if let (Some(g), Some(b)) = (e.graduation_date, p.birth_date) {
            if g < b {
                return Err(err(
                    format!("{path}.education[{i}].graduation_date"),
                    format!("{g} is before the birth date {b}"),
                ));
            }
        }
        for (j, r) in e.rankings.iter().enumerate() {
            if r.position == 0 {
                return Err(err(
                    format!("{path}.education[{i}].rankings[{j}].position"),
                    "expected a place of 1 or more",
                ));
            }
            if !(1900..=2100).contains(&r.edition) {
                return Err(err(
                    format!("{path}.education[{i}].rankings[{j}].edition"),
                    format!("expected a year such as 2024, found {}", r.edition),
                ));
            }
        }
    }
    for (i, r) in p.research.iter().enumerate() {
        if r.until < r.from {
            return Err(err(
                format!("{path}.research[{i}].until"),
                format!("{} is before `from` {}", r.until, r.from),
            ));
        }
    }
    for (i, h) in p.permits.iter().enumerate() {
        if let Some(u) = h.until {
            if u < h.from {
                return Err(err(
                    format!("{path}.permits[{i}].until"),
                    format!("{u} is before `from` {}", h.from),
                ));
            }
        }
        if let Some(w) = h.withdrawn {
            if w < h.from {
                return Err(err(
                    format!("{path}.permits[{i}].withdrawn"),
                    format!("{w} is before `from` {}", h.from),
                ));
            }
        }
    }
    if let Some(j) = &p.job_offer {
        if let (Some(s), Some(ContractEnd::On(e))) = (j.contract_start, j.contract_end) {
            if e < s {
                return Err(err(
                    format!("{path}.job_offer.contract_end"),
                    format!("{e} is before the contract start {s}"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_salary_names_the_field_and_the_line() {
        let yaml =
            "reference_date: 2025-01-01\nperson:\n  job_offer:\n    gross_monthly_salary: -5\n";
        let e = parse_case(yaml, Format::Yaml).unwrap_err();
        assert_eq!(e.field, "person.job_offer.gross_monthly_salary");
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("non-negative"), "{e}");
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let yaml = "reference_date: 2025-01-01\nperson:\n  salary: 5000\n";
        let e = parse_case(yaml, Format::Yaml).unwrap_err();
        assert!(e.message.contains("unknown field `salary`"), "{e}");
    }

    #[test]
    fn an_unknown_permit_kind_lists_the_known_ones() {
        let json = r#"{"reference_date":"2025-01-01","person":{"permits":[{"kind":"tourist","from":"2020-01-01"}]}}"#;
        let e = parse_case(json, Format::Json).unwrap_err();
        assert_eq!(e.field, "person.permits[0].kind");
        assert!(e.message.contains("orientation_year"), "{e}");
    }

    #[test]
    fn a_wrong_date_names_the_field() {
        let yaml = "reference_date: 2025-02-30\nperson: {}\n";
        let e = parse_case(yaml, Format::Yaml).unwrap_err();
        assert_eq!(e.field, "reference_date");
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn a_contract_that_ends_before_it_starts_is_refused() {
        let yaml = "reference_date: 2025-01-01\nperson:\n  job_offer:\n    contract_start: 2025-02-01\n    contract_end: 2025-01-01\n";
        let e = parse_case(yaml, Format::Yaml).unwrap_err();
        assert_eq!(e.field, "person.job_offer.contract_end");
    }

    #[test]
    fn a_case_written_as_json_reads_back_the_same() {
        let yaml = "reference_date: 2025-01-01\nperson:\n  nationality: IN\n  languages: [en]\n  job_offer:\n    gross_monthly_salary: 5000.5\n    contract_end: indefinite\n";
        let case = parse_case(yaml, Format::Yaml).unwrap();
        let json = serde_json::to_string(&case).unwrap();
        assert_eq!(parse_case(&json, Format::Json).unwrap(), case);
    }

    #[test]
    fn json_and_yaml_read_to_the_same_case() {
        let yaml = "reference_date: 2025-01-01\nperson:\n  birth_date: 1990-05-05\n  job_offer:\n    gross_monthly_salary: 5000.5\n    contract_end: indefinite\n";
        let json = r#"{"reference_date":"2025-01-01","person":{"birth_date":"1990-05-05","job_offer":{"gross_monthly_salary":"5000.50","contract_end":"indefinite"}}}"#;
        assert_eq!(
            parse_case(yaml, Format::Yaml).unwrap(),
            parse_case(json, Format::Json).unwrap()
        );
    }
}
