//! `labels.json` of the personal-data corpus: one unit per planted thing.
//!
//! A unit is a table column (all its values), one distinct number in free
//! text, or one aggregate table. Its `expect` says how a scanner should
//! treat it; `rule` is the detector rule id that should (or, for
//! aggregates, must not) report it.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// How a scanner should treat a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// Must be reported as `rule`; counts towards recall.
    Required,
    /// May be reported as `rule` (a quasi-identifier column); recall is
    /// shown but not a target, and a matching finding is not a false positive.
    Optional,
    /// A valid number with no context at all: tallied on its own, neither
    /// recall nor a false positive.
    Lone,
    /// Must give no finding: with `rule` set, no finding of that rule at
    /// the path (an aggregate table); without, no finding on its values
    /// (except rules listed in `tolerate`).
    Never,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub kind: String,
    pub expect: Expect,
    /// The rule that should report it (`Required`, `Optional`) or must not
    /// (`Never` on aggregates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Relative to `DIR/files`, with `/`.
    pub path: String,
    /// Where in the file: `csv`, `tsv`, `pipe`, `json`, `jsonl`, `sql`,
    /// `comment`, `notebook-table`, `notebook-print`, `aggregate`, ...
    pub context: String,
    /// The column's header, for table units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// For decoys: what sort (`invalid-checksum`, `check-digit-10`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decoy: Option<String>,
    /// The values as written (distinct, in order of first appearance).
    pub values: Vec<String>,
    /// Rules that may report a decoy's value without it counting against
    /// the scanner (a phone number reported as `phone-number`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerate: Vec<String>,
    /// 1-based line, for a number planted in source code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// The expectation and rule for a unit kind.
pub fn expectation(kind: &str) -> (Expect, Option<&'static str>) {
    match kind {
        "nhs-number" => (Expect::Required, Some("nhs-number")),
        "hc-number" => (Expect::Required, Some("hc-number")),
        "chi-number" => (Expect::Required, Some("chi-number")),
        "national-insurance-number" => (Expect::Required, Some("national-insurance-number")),
        "nhs-number-test-range" => (Expect::Required, Some("nhs-number-test-range")),
        "small-number-unsuppressed" => (Expect::Required, Some("small-number-unsuppressed")),
        "postcode" => (Expect::Optional, Some("postcode")),
        "date-of-birth" => (Expect::Optional, Some("date-of-birth")),
        "email-address" => (Expect::Optional, Some("email-address")),
        "phone-number" => (Expect::Optional, Some("phone-number")),
        "nhs-number-lone" => (Expect::Lone, None),
        "decoy-aggregate" => (Expect::Never, Some("small-number-unsuppressed")),
        _ => (Expect::Never, None),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalLabels {
    pub version: u32,
    pub seed: u64,
    pub units: Vec<Unit>,
}

impl PersonalLabels {
    pub fn read(path: &Path) -> anyhow::Result<PersonalLabels> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self)? + "\n";
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    }
}
