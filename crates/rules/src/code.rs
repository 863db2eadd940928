//! The legal conditions a decision checks, one enum per scheme and one variant per condition.
//!
//! A check's code is one of these values, never a string: a typo is a compile error, and a `match` on the
//! conditions of a scheme is checked for completeness. The stable codes (`HSM-SALARY`, ...) are the API: each
//! variant serialises as its code, and [`Code::parse`] reads one back.

use std::fmt;

use serde::{Serialize, Serializer};

macro_rules! conditions {
    ($(
        $(#[$meta:meta])*
        $scheme:ident ($outer:ident, $prefix:literal) {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, )*
        }
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum $scheme {
                $( $(#[$vmeta])* $variant, )*
            }

            impl $scheme {
                /// Every condition of the scheme, in the order of the enum.
                pub const ALL: &'static [$scheme] = &[$($scheme::$variant),*];

                /// The stable code, such as `HSM-SALARY`.
                pub const fn as_str(self) -> &'static str {
                    match self {
                        $( $scheme::$variant => $code, )*
                    }
                }
            }

            impl From<$scheme> for Code {
                fn from(c: $scheme) -> Code {
                    Code::$outer(c)
                }
            }
        )*

        /// A condition of any scheme.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $outer($scheme), )*
        }

        impl Code {
            /// Every condition of every scheme.
            pub fn all() -> impl Iterator<Item = Code> {
                std::iter::empty()
                    $( .chain($scheme::ALL.iter().map(|&c| Code::$outer(c))) )*
            }

            /// The stable code, such as `HSM-SALARY`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Code::$outer(c) => c.as_str(), )*
                }
            }

            /// The prefix of the scheme's codes, such as `HSM`.
            pub const fn prefix(self) -> &'static str {
                match self {
                    $( Code::$outer(_) => $prefix, )*
                }
            }
        }
    };
}

conditions! {
    /// The highly skilled migrant scheme (kennismigrantenregeling).
    Hsm (Hsm, "HSM") {
        InForce => "HSM-IN-FORCE",
        Sponsor => "HSM-SPONSOR",
        JobOffer => "HSM-JOB-OFFER",
        IctScope => "HSM-ICT-SCOPE",
        ExemptRole => "HSM-EXEMPT-ROLE",
        AgeBand => "HSM-AGE-BAND",
        Reduced => "HSM-REDUCED",
        CurrentPermit => "HSM-CURRENT-PERMIT",
        Salary => "HSM-SALARY",
        MarketConformity => "HSM-MARKET-CONFORMITY",
        MonthlyPayment => "HSM-MONTHLY-PAYMENT",
        Validity => "HSM-VALIDITY",
    }
    /// The EU Blue Card.
    BlueCard (BlueCard, "BC") {
        InForce => "BC-IN-FORCE",
        Sponsor => "BC-SPONSOR",
        JobOffer => "BC-JOB-OFFER",
        Qualification => "BC-QUALIFICATION",
        ContractLength => "BC-CONTRACT-LENGTH",
        Threshold => "BC-THRESHOLD",
        Salary => "BC-SALARY",
        Validity => "BC-VALIDITY",
    }
    /// The orientation year for highly educated persons (zoekjaar hoogopgeleiden).
    OrientationYear (OrientationYear, "OY") {
        InForce => "OY-IN-FORCE",
        Programme => "OY-PROGRAMME",
        Ranking => "OY-RANKING",
        Window => "OY-WINDOW",
        Once => "OY-ONCE",
        Language => "OY-LANGUAGE",
        Validity => "OY-VALIDITY",
    }
    /// The points-based admission scheme for highly educated migrants of 2009 (regeling hoogopgeleiden).
    Hoogopgeleiden (Hoogopgeleiden, "H09") {
        InForce => "H09-IN-FORCE",
        DegreeLevel => "H09-DEGREE-LEVEL",
        Institution => "H09-INSTITUTION",
        Window => "H09-WINDOW",
        Once => "H09-ONCE",
        Points => "H09-POINTS",
        Validity => "H09-VALIDITY",
    }
    /// The search year for graduates of a Dutch institution (zoekjaar afgestudeerden).
    Zoekjaar (Zoekjaar, "ZA") {
        InForce => "ZA-IN-FORCE",
        DutchDegree => "ZA-DUTCH-DEGREE",
        AfterStudy => "ZA-AFTER-STUDY",
        Once => "ZA-ONCE",
        Validity => "ZA-VALIDITY",
    }
    /// Self-employment.
    SelfEmployed (SelfEmployed, "SE") {
        Treaty => "SE-TREATY",
        Points => "SE-POINTS",
        Validity => "SE-VALIDITY",
    }
    /// The family-member permit.
    Family (Family, "FAM") {
        Sponsor => "FAM-SPONSOR",
        Link => "FAM-LINK",
        Age => "FAM-AGE",
        Income => "FAM-INCOME",
        Validity => "FAM-VALIDITY",
    }
}

impl Code {
    /// The code for its stable string, such as `HSM-SALARY`.
    pub fn parse(s: &str) -> Option<Code> {
        Code::all().find(|c| c.as_str() == s)
    }

    /// Whether this is the check that a scheme is in force on the filing date.
    pub const fn is_in_force(self) -> bool {
        matches!(
            self,
            Code::Hsm(Hsm::InForce)
                | Code::BlueCard(BlueCard::InForce)
                | Code::OrientationYear(OrientationYear::InForce)
                | Code::Hoogopgeleiden(Hoogopgeleiden::InForce)
                | Code::Zoekjaar(Zoekjaar::InForce)
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_and_parses_back_to_itself() {
        let all: Vec<Code> = Code::all().collect();
        for c in &all {
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            assert!(c.as_str().starts_with(c.prefix()));
            assert_eq!(all.iter().filter(|d| d.as_str() == c.as_str()).count(), 1);
        }
        assert_eq!(Code::parse(&["HSM", "SALARYY"].join("-")), None);
    }
}
