//! The texts of the check's pages, one catalogue per language (`crates/web/i18n/en.txt`, `nl.txt`), embedded at build
//! time. A page asks for a text by its key; the tests check that both catalogues hold the same keys and that every
//! key the pages and templates ask for is in both.

use std::collections::HashMap;
use std::sync::LazyLock;

use verblijf_rules::Lang;

pub(crate) const EN_SOURCE: &str = include_str!("../../i18n/en.txt");
pub(crate) const NL_SOURCE: &str = include_str!("../../i18n/nl.txt");

/// The texts of one language.
pub struct Catalogue {
    lang: Lang,
    texts: HashMap<&'static str, &'static str>,
}

/// Reads `key = text` lines; `#` starts a comment line. A line that is neither is a mistake in the catalogue, which
/// the tests find (the parser keeps what it can read).
pub(crate) fn parse(source: &'static str) -> Vec<(&'static str, &'static str)> {
    source
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

static EN: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    lang: Lang::En,
    texts: parse(EN_SOURCE).into_iter().collect(),
});
static NL: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    lang: Lang::Nl,
    texts: parse(NL_SOURCE).into_iter().collect(),
});

impl Catalogue {
    pub fn of(lang: Lang) -> &'static Catalogue {
        if lang == Lang::En {
            &EN
        } else {
            &NL
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text of a key. A key missing from the catalogue shows as a question mark (the tests make sure none is).
    pub fn t(&self, key: &str) -> &'static str {
        self.texts.get(key).copied().unwrap_or_else(|| {
            tracing::warn!("no text for {key:?} in the catalogue");
            "?"
        })
    }

    /// The text of a key with its `{name}` places filled in.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
}
