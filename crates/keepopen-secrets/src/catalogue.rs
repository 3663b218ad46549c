//! Secret rules as catalogue entries, for the registry: built-in and a
//! team's own alike.

use keepopen_findings::{Category, RuleInfo, RuleKind};
use keepopen_rules::Rule;

/// What to do about any leaked credential.
pub const FIX: &str = "Revoke or rotate the credential at its provider first: deleting it from the code does not remove it from git history, where anyone with a clone can read it. Then move it to a secret store or an environment variable.";

/// One entry per rule.
pub fn catalogue(rules: &[Rule]) -> Vec<RuleInfo> {
    rules
        .iter()
        .map(|r| RuleInfo {
            id: r.id.clone(),
            name: r.name.clone(),
            description: r.description.trim().to_string(),
            severity: r.severity,
            category: Category::Secret,
            references: r.references.clone(),
            fix: FIX.to_string(),
            revoke: r.revoke.clone(),
            kind: if r.is_filename_rule() {
                RuleKind::Filename
            } else {
                RuleKind::Pattern
            },
        })
        .collect()
}
