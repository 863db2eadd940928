//! The legal basis of every check: which provision of which law requires it, as data (`law/` at the repository
//! root, embedded at build time), separate from the source of a figure (the parameter's citation).
//!
//! `law/laws.yaml` names each law with its official identifier (a BWB id for Dutch law, a CELEX number for EU
//! law); `law/checks.yaml` gives, for each check code and household answer, the dated provisions it rests on. From
//! these fields a basis is written as a Dutch lawyer cites it ("art. 3.30b lid 1 Vb 2000"), as a Juriconnect
//! reference at the date assessed (`jci1.3:c:BWBR0011825&artikel=3.30b&lid=1&z=D&g=D`) and as a link to the text in
//! force on that date (wetten.overheid.nl resolves the Juriconnect reference as its path). The formats are those
//! recorded in `law/README.md`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::decision::IsoDate;
use crate::text::Text;

/// The embedded files of `law/`.
const LAWS_YAML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../law/laws.yaml"));
const CHECKS_YAML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../law/checks.yaml"
));

/// A law, regulation, policy text or treaty that checks rest on.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Law {
    pub id: String,
    /// `wet`, `amvb`, `ministeriele_regeling`, `beleidsregel`, `eu_richtlijn`, `amvb_wijziging`, `verdrag`.
    pub kind: String,
    pub name: LawName,
    /// As a Dutch lawyer writes it in a citation (`Vb 2000`).
    pub abbreviation: String,
    #[serde(default)]
    pub bwb_id: Option<String>,
    #[serde(default)]
    pub celex: Option<String>,
    /// The text's base address (wetten.overheid.nl, EUR-Lex or the official publication), where confirmed.
    #[serde(default)]
    pub url: Option<String>,
    /// An identifier could not be confirmed (and is left out).
    #[serde(default)]
    pub unverified: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LawName {
    pub nl: String,
    pub en: String,
}

/// One provision a check rests on, in the period it applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegalBasis {
    pub law: Arc<Law>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub article: String,
    /// The paragraph (lid).
    pub paragraph: Option<String>,
    /// The item (onderdeel), with its sub-item where it matters (`a, 1°`).
    pub item: Option<String>,
    /// What the provision requires, in both languages.
    pub text: Text,
    /// The article (or its paragraph) was not read in a text of the law; `note` says what is known.
    pub unverified: bool,
    pub note: Option<String>,
    /// The citation as written (see [`LegalBasis::citation`]), composed once when read.
    written: String,
}

impl LegalBasis {
    /// Whether the provision applied on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }

    /// The citation as a Dutch lawyer writes it: `art. 3.30b lid 1 onder a Vb 2000`; a policy rule by its
    /// paragraph: `Vc 2000 B15/11`.
    pub fn citation(&self) -> &str {
        &self.written
    }

    fn write_citation(&self) -> String {
        let mut s = String::with_capacity(32);
        if self.law.kind == "beleidsregel" {
            let _ = write!(s, "{} {}", self.law.abbreviation, self.article);
            return s;
        }
        let _ = write!(s, "art. {}", self.article);
        if let Some(p) = &self.paragraph {
            let _ = write!(s, " lid {p}");
        }
        if let Some(i) = &self.item {
            let _ = write!(s, " onder {i}");
        }
        let _ = write!(s, " {}", self.law.abbreviation);
        s
    }

    /// The Juriconnect reference of the provision at `date`, for Dutch law with a BWB id:
    /// `jci1.3:c:BWBR0011825&artikel=3.30b&lid=1&onderdeel=a&z=D&g=D`.
    pub fn juriconnect(&self, date: NaiveDate) -> Option<String> {
        self.jci(date).map(|j| j.to_string())
    }

    /// The Juriconnect reference, written when displayed.
    fn jci(&self, date: NaiveDate) -> Option<Jci<'_>> {
        let bwb = self.law.bwb_id.as_deref()?;
        (self.law.kind != "beleidsregel").then_some(Jci {
            bwb,
            basis: self,
            date,
        })
    }

    /// A link to the provision in the text in force on `date` (wetten.overheid.nl resolves a Juriconnect reference
    /// as its path); for EU law and policy rules, the text's own address where it is known.
    pub fn url(&self, date: NaiveDate) -> Option<String> {
        match self.jci(date) {
            Some(j) => Some(format!("{WETTEN}{j}")),
            None => self.law.url.clone(),
        }
    }
}

/// Where wetten.overheid.nl resolves a Juriconnect reference.
const WETTEN: &str = "https://wetten.overheid.nl/";

/// A Juriconnect reference, written straight into its output.
struct Jci<'a> {
    bwb: &'a str,
    basis: &'a LegalBasis,
    date: NaiveDate,
}

impl std::fmt::Display for Jci<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = self.basis;
        write!(f, "jci1.3:c:{}&artikel={}", self.bwb, b.article)?;
        if let Some(p) = &b.paragraph {
            write!(f, "&lid={p}")?;
        }
        if let Some(letter) = b.item.as_deref().and_then(item_letter) {
            write!(f, "&onderdeel={letter}")?;
        }
        let d = IsoDate(self.date);
        write!(f, "&z={d}&g={d}")
    }
}

/// A link to a provision: wetten.overheid.nl's address of its Juriconnect reference.
struct Link<'a>(Jci<'a>);

impl std::fmt::Display for Link<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(WETTEN)?;
        self.0.fmt(f)
    }
}

/// The letter of an item such as `a` or `a, 1°`, as Juriconnect's `onderdeel` takes it.
fn item_letter(item: &str) -> Option<&str> {
    let letter = item.split([',', ' ']).next()?.trim();
    (!letter.is_empty() && letter.chars().all(|c| c.is_ascii_alphanumeric())).then_some(letter)
}

/// Every check's legal bases, by check code (`HSM-SALARY`) or household answer key (`work.own_study`,
/// `conversion.continued_residence`, `deadline.permit_end`).
#[derive(Debug)]
pub struct LegalBases {
    laws: Vec<Arc<Law>>,
    by_key: HashMap<String, Vec<LegalBasis>>,
}

#[derive(Deserialize)]
struct LawsFile {
    laws: Vec<Law>,
}

#[derive(Deserialize)]
struct ChecksFile {
    checks: HashMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    bases: Vec<RawBasis>,
}

#[derive(Deserialize)]
struct RawBasis {
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
    en: String,
    nl: String,
    #[serde(default)]
    unverified: bool,
    #[serde(default)]
    note: Option<String>,
}

impl LegalBases {
    /// Reads the two files; every basis must name a law of the first, and its period must run forward.
    pub fn parse(laws: &str, checks: &str) -> Result<LegalBases, String> {
        let laws: LawsFile =
            serde_norway::from_str(laws).map_err(|e| format!("law/laws.yaml: {e}"))?;
        let checks: ChecksFile =
            serde_norway::from_str(checks).map_err(|e| format!("law/checks.yaml: {e}"))?;
        let laws: Vec<Arc<Law>> = laws.laws.into_iter().map(Arc::new).collect();
        let mut by_key = HashMap::with_capacity(checks.checks.len());
        for (key, entry) in checks.checks {
            let mut bases = Vec::with_capacity(entry.bases.len());
            for b in entry.bases {
                let law = laws.iter().find(|l| l.id == b.law).ok_or_else(|| {
                    format!("law/checks.yaml: {key} names the law `{}`, which law/laws.yaml does not list", b.law)
                })?;
                if let (Some(f), Some(u)) = (b.from, b.until) {
                    if u < f {
                        return Err(format!(
                            "law/checks.yaml: {key}: a basis ends ({u}) before it starts ({f})"
                        ));
                    }
                }
                let mut basis = LegalBasis {
                    law: law.clone(),
                    from: b.from,
                    until: b.until,
                    article: b.article,
                    paragraph: b.paragraph,
                    item: b.item,
                    text: Text::owned(b.en, b.nl),
                    unverified: b.unverified,
                    note: b.note,
                    written: String::new(),
                };
                basis.written = basis.write_citation();
                bases.push(basis);
            }
            by_key.insert(key, bases);
        }
        Ok(LegalBases { laws, by_key })
    }

    /// The bases embedded from `law/` (read once).
    pub fn embedded() -> &'static LegalBases {
        static BASES: OnceLock<LegalBases> = OnceLock::new();
        BASES.get_or_init(|| {
            // The embedded files are checked by this crate's tests; a build whose files do not read has none.
            LegalBases::parse(LAWS_YAML, CHECKS_YAML).unwrap_or(LegalBases {
                laws: Vec::new(),
                by_key: HashMap::new(),
            })
        })
    }

    /// The bases of `key` that applied on `date`.
    pub fn on<'a>(
        &'a self,
        key: &str,
        date: NaiveDate,
    ) -> impl Iterator<Item = &'a LegalBasis> + 'a {
        self.by_key
            .get(key)
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(move |b| b.covers(date))
    }

    /// Every key with bases.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(String::as_str)
    }

    pub fn laws(&self) -> &[Arc<Law>] {
        &self.laws
    }
}

/// The legal bases of one check on a date, serialised as a list of provisions.
pub struct BasesOn<'a> {
    pub key: &'a str,
    pub date: NaiveDate,
}

impl Serialize for BasesOn<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for b in LegalBases::embedded().on(self.key, self.date) {
            seq.serialize_element(&BasisOn(b, self.date))?;
        }
        seq.end()
    }
}

/// One provision with the citation, Juriconnect reference and link at a date.
pub struct BasisOn<'a>(pub &'a LegalBasis, pub NaiveDate);

impl Serialize for BasisOn<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let BasisOn(b, date) = self;
        let mut st = s.serialize_struct("LegalBasis", 12)?;
        st.serialize_field("citation", b.citation())?;
        st.serialize_field("law", &b.law.name.nl)?;
        if let Some(id) = &b.law.bwb_id {
            st.serialize_field("bwb_id", id)?;
        }
        if let Some(c) = &b.law.celex {
            st.serialize_field("celex", c)?;
        }
        st.serialize_field("article", &b.article)?;
        if let Some(p) = &b.paragraph {
            st.serialize_field("paragraph", p)?;
        }
        if let Some(i) = &b.item {
            st.serialize_field("item", i)?;
        }
        match b.jci(*date) {
            Some(j) => {
                st.serialize_field("juriconnect", &crate::decision::Collect(&j))?;
                st.serialize_field("url", &crate::decision::Collect(Link(j)))?;
            }
            None => {
                if let Some(u) = &b.law.url {
                    st.serialize_field("url", u)?;
                }
            }
        }
        // What the provision requires (`text`) and why an article is unverified (`note`) are in `law/`, not repeated
        // in every answer: they would double its size.
        if b.unverified {
            st.serialize_field("unverified", &true)?;
        }
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn the_embedded_files_read_and_every_check_code_has_a_basis() {
        let bases = LegalBases::parse(LAWS_YAML, CHECKS_YAML).expect("law/ reads");
        for code in crate::code::Code::all() {
            assert!(
                bases.by_key.contains_key(code.as_str()),
                "law/checks.yaml has no entry for {code}"
            );
        }
    }

    #[test]
    fn a_basis_is_cited_as_a_lawyer_writes_it_with_its_juriconnect_reference_and_link() {
        let laws = r#"
laws:
  - id: vb2000
    kind: amvb
    name: { nl: "Vreemdelingenbesluit 2000", en: "Aliens Decree 2000" }
    abbreviation: "Vb 2000"
    bwb_id: BWBR0011825
    url: "https://wetten.overheid.nl/BWBR0011825"
  - id: vc2000
    kind: beleidsregel
    name: { nl: "Vreemdelingencirculaire 2000 (B)", en: "Aliens Circular 2000" }
    abbreviation: "Vc 2000"
    url: "https://example.org/vc"
"#;
        let checks = r#"
checks:
  BC-CONTRACT-LENGTH:
    bases:
      - { from: 2011-06-19, until: 2023-11-17, law: vb2000, article: "3.30b", paragraph: "1", item: "a, 1°", en: "e", nl: "n" }
  FAM-LINK:
    bases:
      - { law: vc2000, article: "B9/8.1", en: "e", nl: "n" }
"#;
        let bases = LegalBases::parse(laws, checks).expect("reads");
        let b: Vec<_> = bases.on("BC-CONTRACT-LENGTH", d("2016-01-01")).collect();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].citation(), "art. 3.30b lid 1 onder a, 1° Vb 2000");
        assert_eq!(
            b[0].juriconnect(d("2016-01-01")).as_deref(),
            Some("jci1.3:c:BWBR0011825&artikel=3.30b&lid=1&onderdeel=a&z=2016-01-01&g=2016-01-01")
        );
        assert_eq!(
            b[0].url(d("2016-01-01")).as_deref(),
            Some("https://wetten.overheid.nl/jci1.3:c:BWBR0011825&artikel=3.30b&lid=1&onderdeel=a&z=2016-01-01&g=2016-01-01")
        );
        assert_eq!(bases.on("BC-CONTRACT-LENGTH", d("2024-01-01")).count(), 0);
        let v: Vec<_> = bases.on("FAM-LINK", d("2024-01-01")).collect();
        assert_eq!(v[0].citation(), "Vc 2000 B9/8.1");
        assert_eq!(v[0].juriconnect(d("2024-01-01")), None);
        assert_eq!(
            v[0].url(d("2024-01-01")).as_deref(),
            Some("https://example.org/vc")
        );
    }

    #[test]
    fn a_basis_naming_an_unknown_law_is_refused_with_its_key() {
        let err = LegalBases::parse(
            "laws: []",
            "checks:\n  HSM-SALARY:\n    bases:\n      - { law: nope, article: '1', en: e, nl: n }\n",
        )
        .expect_err("refused");
        assert!(err.contains("HSM-SALARY") && err.contains("nope"), "{err}");
    }
}
