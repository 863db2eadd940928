//! Citations that would survive a lawyer's reading: a `verified` parameter value cites an official publication (a
//! host of `params/official-hosts.txt`), and every check the rules emit, and every household answer, has a legal
//! basis in `law/checks.yaml` that names a law of `law/laws.yaml` by its official identifier.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use verblijf_rules::params::Status;
use verblijf_rules::{assess_household, parse_case, Format, ParamSet};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The hosts of `params/official-hosts.txt`: one a line, `#` starts a comment.
fn official_hosts() -> Vec<String> {
    read("params/official-hosts.txt")
        .lines()
        .map(|l| {
            l.split('#')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// The host of an `http(s)://` address, lower case; `None` for anything else.
fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.trim_end_matches('.').to_ascii_lowercase())
}

/// Is `host` one of `hosts`, or a subdomain of one?
fn is_official(host: &str, hosts: &[String]) -> bool {
    hosts.iter().any(|h| {
        host == h
            || host
                .strip_suffix(h.as_str())
                .is_some_and(|p| p.ends_with('.'))
    })
}

#[test]
fn every_verified_value_cites_an_official_publication() {
    let hosts = official_hosts();
    let params = ParamSet::embedded().expect("the parameter set loads");
    let mut offending = Vec::new();
    let mut verified = 0;
    for p in params.iter() {
        for (i, v) in p.values.iter().enumerate() {
            if v.source.status != Status::Verified {
                continue;
            }
            verified += 1;
            match host_of(&v.source.url) {
                Some(h) if is_official(&h, &hosts) => {}
                _ => offending.push(format!("{}[{i}]: {}", p.id, v.source.url)),
            }
        }
    }
    assert!(verified > 0, "no verified value was seen");
    assert!(
        offending.is_empty(),
        "values marked `verified` whose source is not an official publication (params/official-hosts.txt); \
         cite the official text or mark them `single_source`:\n{}",
        offending.join("\n")
    );
}

#[test]
fn the_official_host_list_holds_bare_host_names() {
    let hosts = official_hosts();
    assert!(!hosts.is_empty(), "params/official-hosts.txt lists no host");
    for h in &hosts {
        assert!(
            h.contains('.')
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "`{h}` in params/official-hosts.txt is not a bare host name"
        );
    }
}

#[test]
fn an_address_is_official_only_on_a_listed_host_or_its_subdomain() {
    let hosts = vec!["ind.nl".to_string()];
    assert!(is_official(
        &host_of("https://ind.nl/en/x").unwrap(),
        &hosts
    ));
    assert!(is_official(
        &host_of("https://www.ind.nl/x").unwrap(),
        &hosts
    ));
    assert!(!is_official(&host_of("https://find.nl/x").unwrap(), &hosts));
    assert!(!is_official(
        &host_of("https://ind.nl.example.com/").unwrap(),
        &hosts
    ));
    assert_eq!(host_of("seed:reference"), None);
}

// ---------------------------------------------------------------------------------------------------------------
// law/laws.yaml and law/checks.yaml

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Laws {
    laws: Vec<Law>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Law {
    id: String,
    kind: String,
    name: Names,
    abbreviation: String,
    #[serde(default)]
    bwb_id: Option<String>,
    #[serde(default)]
    celex: Option<String>,
    #[serde(default)]
    eli: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    publication: Option<String>,
    #[serde(default)]
    publication_url: Option<String>,
    #[serde(default)]
    valid_from: Option<NaiveDate>,
    #[serde(default)]
    valid_until: Option<NaiveDate>,
    #[serde(default)]
    unverified: bool,
    #[serde(default)]
    note: Option<String>,
    verified_by: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Names {
    nl: String,
    en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Checks {
    checks: BTreeMap<String, Check>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    bases: Vec<Basis>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Basis {
    #[serde(default)]
    from: Option<NaiveDate>,
    #[serde(default)]
    until: Option<NaiveDate>,
    law: String,
    article: String,
    #[serde(default)]
    paragraph: Option<String>,
    #[serde(default)]
    item: Option<String>,
    #[serde(default)]
    unverified: bool,
    #[serde(default)]
    note: Option<String>,
    en: String,
    nl: String,
}

fn laws() -> Laws {
    serde_norway::from_str(&read("law/laws.yaml")).unwrap_or_else(|e| panic!("law/laws.yaml: {e}"))
}

fn checks() -> Checks {
    serde_norway::from_str(&read("law/checks.yaml"))
        .unwrap_or_else(|e| panic!("law/checks.yaml: {e}"))
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every string literal of the rules' source that reads like a check code: `"[A-Z][A-Z0-9]*-[A-Z0-9-]*"`.
fn check_codes_in_source() -> BTreeSet<String> {
    let mut files = Vec::new();
    rs_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut codes = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read source");
        codes.extend(code_literals(&text));
    }
    codes
}

fn code_literals(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_uppercase() || b[j].is_ascii_digit() || b[j] == b'-') {
            j += 1;
        }
        let cand = &text[start..j];
        let well_formed = j < b.len()
            && b[j] == b'"'
            && cand.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
            && cand.contains('-');
        if well_formed {
            out.push(cand.to_string());
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn a_check_code_is_found_in_source_text() {
    let src = r#"b.push("HSM-SALARY", "x"); let s = "not-a-code"; put("OY-IN-FORCE")"#;
    assert_eq!(code_literals(src), vec!["HSM-SALARY", "OY-IN-FORCE"]);
}

#[test]
fn every_check_code_the_rules_emit_has_a_legal_basis() {
    let codes = check_codes_in_source();
    assert!(
        codes.contains("HSM-SALARY"),
        "the source scan found no check code"
    );
    let checks = checks();
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !checks.checks.contains_key(*c))
        .collect();
    assert!(
        missing.is_empty(),
        "check codes without a legal basis in law/checks.yaml: {missing:?}"
    );
}

#[test]
fn every_check_code_in_law_checks_is_one_the_rules_emit() {
    let codes = check_codes_in_source();
    let stale: Vec<_> = checks()
        .checks
        .keys()
        .filter(|k| k.contains('-') && !k.contains('.') && !codes.contains(*k))
        .cloned()
        .collect();
    assert!(
        stale.is_empty(),
        "law/checks.yaml has codes the rules do not emit: {stale:?}"
    );
}

/// Is there a basis for a work-rights parameter: its own entry, or the entry of its family (`work.own`,
/// `work.family_of`)?
fn work_basis<'a>(checks: &'a Checks, id: &str) -> Option<&'a Check> {
    checks.checks.get(id).or_else(|| {
        ["work.own", "work.family_of"]
            .iter()
            .find(|p| id.starts_with(&format!("{p}_")))
            .and_then(|p| checks.checks.get(*p))
    })
}

#[test]
fn every_work_rights_parameter_has_a_legal_basis() {
    let params = ParamSet::embedded().expect("the parameter set loads");
    let checks = checks();
    let work: Vec<_> = params
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| id.starts_with("work."))
        .collect();
    assert!(work.len() > 10, "the work parameters were not found");
    let missing: Vec<_> = work
        .iter()
        .filter(|id| work_basis(&checks, id).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "work parameters without a legal basis: {missing:?}"
    );
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("tests/cases").flatten() {
        let p = e.path();
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

#[derive(Deserialize)]
struct Golden {
    case: serde_norway::Value,
}

#[test]
fn every_deadline_and_conversion_of_the_golden_households_has_a_legal_basis() {
    let params = ParamSet::embedded().expect("the parameter set loads");
    let checks = checks();
    let mut files = Vec::new();
    case_files(&root().join("tests/cases"), &mut files);
    files.sort();
    let mut seen = BTreeSet::new();
    for f in &files {
        let golden: Golden =
            serde_norway::from_str(&std::fs::read_to_string(f).expect("read case"))
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let text = serde_norway::to_string(&golden.case).expect("re-serialise case");
        let Ok(case) = parse_case(&text, Format::Yaml) else {
            continue;
        };
        let h = assess_household(&case, &params);
        for m in &h.members {
            for d in &m.deadlines {
                seen.insert(format!("deadline.{}", d.kind));
            }
            for c in &m.conversions {
                seen.insert(format!("conversion.{}", c.to));
            }
        }
    }
    assert!(
        seen.iter().any(|k| k.starts_with("deadline.")),
        "the golden households gave no deadline"
    );
    assert!(
        seen.iter().any(|k| k.starts_with("conversion.")),
        "the golden households gave no conversion"
    );
    let missing: Vec<_> = seen
        .iter()
        .filter(|k| !checks.checks.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "household answers without a legal basis in law/checks.yaml: {missing:?}"
    );
}

fn is_bwb_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && s.starts_with("BWB")
        && matches!(b[3], b'R' | b'V')
        && b[4..].iter().all(u8::is_ascii_digit)
}

fn is_celex(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[0] == b'3'
        && b[1..5].iter().all(u8::is_ascii_digit)
        && matches!(b[5], b'L' | b'R' | b'D')
        && b[6..].iter().all(u8::is_ascii_digit)
}

#[test]
fn identifiers_of_the_official_form_are_told_from_others() {
    assert!(is_bwb_id("BWBR0011825"));
    assert!(is_bwb_id("BWBV0001000"));
    assert!(!is_bwb_id("BWBR001182"));
    assert!(!is_bwb_id("BWBX0011825"));
    assert!(is_celex("32021L1883"));
    assert!(is_celex("32016R0679"));
    assert!(!is_celex("2021L1883"));
    assert!(!is_celex("32021X1883"));
}

#[test]
fn every_law_has_an_official_identifier_or_says_why_not() {
    let hosts = official_hosts();
    let laws = laws();
    let mut ids = BTreeSet::new();
    for l in &laws.laws {
        assert!(ids.insert(l.id.clone()), "law id `{}` appears twice", l.id);
        assert!(
            !l.verified_by.is_empty(),
            "law `{}` says nowhere where it was seen",
            l.id
        );
        if let Some(b) = &l.bwb_id {
            assert!(
                is_bwb_id(b),
                "law `{}`: bwb_id `{b}` is not ^BWB[RV][0-9]{{7}}$",
                l.id
            );
        }
        if let Some(c) = &l.celex {
            assert!(
                is_celex(c),
                "law `{}`: celex `{c}` is not ^3[0-9]{{4}}[LRD][0-9]{{4}}$",
                l.id
            );
        }
        if l.bwb_id.is_none() && l.celex.is_none() && l.publication.is_none() {
            assert!(
                l.unverified && l.note.is_some(),
                "law `{}` has no BWB id, CELEX number or publication, and no note saying why",
                l.id
            );
        }
        for u in l.url.iter().chain(l.publication_url.iter()) {
            let h = host_of(u).unwrap_or_default();
            assert!(
                is_official(&h, &hosts),
                "law `{}`: {u} is not an official address",
                l.id
            );
        }
        if let (Some(b), Some(u)) = (&l.bwb_id, &l.url) {
            assert_eq!(
                u,
                &format!("https://wetten.overheid.nl/{b}"),
                "law `{}`",
                l.id
            );
        }
        if let (Some(c), Some(u)) = (&l.celex, &l.url) {
            assert_eq!(
                u,
                &format!("https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:{c}"),
                "law `{}`",
                l.id
            );
        }
    }
}

#[test]
fn every_legal_basis_names_a_known_law_and_a_period_in_order() {
    let laws = laws();
    let ids: BTreeSet<_> = laws.laws.iter().map(|l| l.id.as_str()).collect();
    let checks = checks();
    assert!(!checks.checks.is_empty());
    for (key, check) in &checks.checks {
        assert!(!check.bases.is_empty(), "`{key}` has no legal basis");
        for b in &check.bases {
            assert!(
                ids.contains(b.law.as_str()),
                "`{key}` cites law `{}`, which law/laws.yaml does not hold",
                b.law
            );
            assert!(!b.article.trim().is_empty(), "`{key}`: empty article");
            assert!(
                !b.en.trim().is_empty() && !b.nl.trim().is_empty(),
                "`{key}`: a basis needs its description in English and Dutch"
            );
            if b.unverified {
                assert!(
                    b.note.is_some(),
                    "`{key}`: an unverified basis says why in a note"
                );
            }
            if let (Some(f), Some(u)) = (b.from, b.until) {
                assert!(
                    f <= u,
                    "`{key}`: basis of art. {} runs from {f} to {u}",
                    b.article
                );
            }
        }
    }
}
