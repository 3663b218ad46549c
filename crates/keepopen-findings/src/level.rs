//! Ordered levels shared by rules, findings, configuration and reports.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// How sure the detector is that the match is real.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// Which capability produced a finding. The JSON names are frozen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Secret,
    PersonalData,
    DisclosureControl,
    Dependency,
    /// GitHub Actions workflow audits: their own detector, with their own
    /// `fail_on`.
    Workflow,
    Posture,
    Code,
    Exposure,
}

macro_rules! names {
    ($ty:ty, $what:literal, $($variant:ident => $name:literal),+ $(,)?) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $name),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.to_ascii_lowercase().as_str() {
                    $($name => Ok(<$ty>::$variant),)+
                    other => Err(format!(
                        concat!("unknown ", $what, " `{}` (expected one of: {})"),
                        other,
                        [$($name),+].join(", ")
                    )),
                }
            }
        }
    };
}

names!(Severity, "severity", Info => "info", Low => "low", Medium => "medium", High => "high", Critical => "critical");
names!(Confidence, "confidence", Low => "low", Medium => "medium", High => "high");
names!(Category, "category", Secret => "secret", PersonalData => "personal-data",
    DisclosureControl => "disclosure-control", Dependency => "dependency",
    Workflow => "workflow", Posture => "posture", Code => "code", Exposure => "exposure");

impl Severity {
    /// One band lower (`info` stays `info`): how the detectors grade weaker
    /// evidence and code that faces no network.
    pub fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }

    /// One band higher (`critical` stays `critical`).
    pub fn raise(self) -> Severity {
        match self {
            Severity::Info => Severity::Low,
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }

    /// The `security-severity` score GitHub code scanning reads from SARIF
    /// rules: above 9.0 is critical, 7.0 to 8.9 high, 4.0 to 6.9 medium.
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "0.0",
        }
    }
}

/// What a code finding's detail says when its file shows no network of
/// its own (no web framework, no route, not a migration or a script): the
/// detector lowers it one band, and the keep-open assessment puts it back
/// where the repository serves requests. One phrase, so both sides agree.
pub const SILENT_FILE: &str = "nothing in this file shows whether it faces the network";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_from_info_to_critical() {
        assert!(Severity::Info < Severity::Low);
        assert!(Severity::High < Severity::Critical);
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert!(
            "severe"
                .parse::<Severity>()
                .is_err_and(|e| e.contains("critical"))
        );
    }

    #[test]
    fn category_names_are_the_frozen_json_names() {
        assert_eq!(Category::PersonalData.as_str(), "personal-data");
        assert_eq!(
            serde_json::to_string(&Category::DisclosureControl).unwrap_or_default(),
            "\"disclosure-control\""
        );
    }
}
