//! Text in the two languages of the project.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A language the explanations are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "nl" => Ok(Lang::Nl),
            other => Err(format!("expected `en` or `nl`, found `{other}`")),
        }
    }
}

/// The same text in English and Dutch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: Cow<'static, str>,
    pub nl: Cow<'static, str>,
}

impl Text {
    pub const fn new(en: &'static str, nl: &'static str) -> Text {
        Text {
            en: Cow::Borrowed(en),
            nl: Cow::Borrowed(nl),
        }
    }

    pub fn owned(en: String, nl: String) -> Text {
        Text {
            en: Cow::Owned(en),
            nl: Cow::Owned(nl),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
        }
    }
}
