//! Configuration that helps an attacker (category `exposure`): internal
//! hostnames and private addresses, connection strings to internal
//! servers, Azure identifiers that combine into an attack path, Terraform
//! state, kubeconfigs, host inventories, and containers that run as root
//! with credentials in their image. Infrastructure-as-code
//! misconfigurations (open ports, public storage) are code rules on
//! Terraform's syntax tree: see `keepopen-code`.

mod address;
mod cloud;
mod connection;
mod detector;
mod dockerfile;
mod inventory;
mod rules;
mod state;

#[cfg(test)]
mod tests;

pub use detector::{EMITS, Exposure, is_config_file};
pub use rules::{Rule, RuleError, builtin};

use keepopen_content::{Content, Detector};
use keepopen_findings::RuleInfo;

/// The registry entries. `rules.yml` is part of the binary and checked by
/// tests, so a broken one is a bug.
pub fn catalogue() -> Vec<RuleInfo> {
    match builtin() {
        Ok(rules) => rules.iter().map(Rule::info).collect(),
        Err(e) => panic!("built-in exposure rules: {e}"),
    }
}

/// Every rule's examples, run through the detector: each `bad` file must
/// be found by its rule, no `good` file may be. What failed, one line
/// each.
pub fn check_examples(detector: &Exposure) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in detector.rules() {
        let found = |e: &rules::Example| {
            detector
                .look_at(&Content::new(e.text.as_bytes(), Some(&e.path)))
                .matches
                .iter()
                .any(|m| m.rule == rule.id)
        };
        if rule.examples.bad.is_empty() {
            failures.push(format!("{}: no example it finds", rule.id));
        }
        for bad in rule.examples.bad.iter().filter(|e| !found(e)) {
            failures.push(format!("{}: missed {}", rule.id, bad.path));
        }
        for good in rule.examples.good.iter().filter(|e| found(e)) {
            failures.push(format!("{}: found {}", rule.id, good.path));
        }
    }
    failures
}
