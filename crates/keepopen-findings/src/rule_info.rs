//! A catalogue entry: what one id that a detector emits means. The
//! registry gathers one per id from every detector; `rules list`,
//! `explain`, SARIF rule metadata and the documentation all read them.

use crate::level::{Category, Severity};

/// How a rule finds what it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// A pattern over content (a secret rule's regex).
    Pattern,
    /// A file name alone (a key store).
    Filename,
    /// Code: a checksum, a parser, an audit, a check.
    Logic,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Pattern => "pattern",
            RuleKind::Filename => "filename",
            RuleKind::Logic => "logic",
        }
    }
}

/// One id's entry in the catalogue.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    /// The stable id: the ignore comment, `rules.disable`, the SARIF
    /// `ruleId` and `keepopen explain` all use it.
    pub id: String,
    pub name: String,
    pub description: String,
    /// The default severity (the highest, where findings vary).
    pub severity: Severity,
    pub category: Category,
    pub references: Vec<String>,
    /// One or two sentences on how to put a finding right.
    pub fix: String,
    pub kind: RuleKind,
    /// Where the provider revokes and reissues the credential, for a
    /// secret rule that says (its `revoke` field): the first step of the
    /// keep-open fix plan.
    pub revoke: Option<String>,
}

/// Where each id is documented: one page, one anchor per id.
pub const DOCS_PAGE: &str = "https://github.com/keepopen/keepopen/blob/main/docs/rules.md";

impl RuleInfo {
    /// MITRE's page for a CWE id (`CWE-89`): the first reference of every
    /// code and exposure rule.
    pub fn cwe_url(cwe: &str) -> String {
        format!(
            "https://cwe.mitre.org/data/definitions/{}.html",
            cwe.trim_start_matches("CWE-")
        )
    }

    /// The id's documentation anchor, for SARIF `helpUri` and `explain`.
    pub fn docs_url(&self) -> String {
        format!("{DOCS_PAGE}#{}", self.id)
    }
}
