//! The exposure rules as data (`rules.yml`): ids, severities, CWEs, paths
//! to harm, fixes, the anchors' matching checks, and example files.

use keepopen_findings::{Category, Confidence, RuleInfo, RuleKind, Severity};
use serde::Deserialize;

const FILE: &str = include_str!("../rules.yml");
const EXAMPLES: &str = include_str!("../examples/exposure.yml");

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("exposure rules (rules.yml): {0}")]
    Parse(String),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: String,
    pub harm: String,
    pub fix: String,
    #[serde(default)]
    pub checkov: Vec<String>,
    #[serde(default)]
    pub references: Vec<String>,
    /// From `examples/exposure.yml`, by id.
    #[serde(skip)]
    pub examples: Examples,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<Example>,
    #[serde(default)]
    pub good: Vec<Example>,
}

/// A whole file: where it lives matters (a Dockerfile, an inventory).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub path: String,
    pub text: String,
}

/// Every exposure rule of configuration.
pub fn builtin() -> Result<Vec<Rule>, RuleError> {
    let mut rules: Vec<Rule> =
        yaml_serde::from_str(FILE).map_err(|e| RuleError::Parse(e.to_string()))?;
    let mut examples: std::collections::HashMap<String, Examples> = yaml_serde::from_str(EXAMPLES)
        .map_err(|e| RuleError::Parse(format!("examples/exposure.yml: {e}")))?;
    for r in &mut rules {
        r.examples = examples.remove(&r.id).ok_or_else(|| {
            RuleError::Parse(format!(
                "`{}` has no examples in examples/exposure.yml",
                r.id
            ))
        })?;
    }
    if let Some(id) = examples.keys().next() {
        return Err(RuleError::Parse(format!(
            "examples/exposure.yml names `{id}`, which is not a rule"
        )));
    }
    for r in &rules {
        if !r.id.starts_with("exposure-") {
            return Err(RuleError::Parse(format!(
                "`{}`: ids start with `exposure-`",
                r.id
            )));
        }
        if !crate::detector::EMITS.contains(&r.id.as_str()) {
            return Err(RuleError::Parse(format!("`{}`: no check emits it", r.id)));
        }
    }
    for id in crate::detector::EMITS {
        if !rules.iter().any(|r| r.id == *id) {
            return Err(RuleError::Parse(format!(
                "`{id}` is emitted but has no entry"
            )));
        }
    }
    Ok(rules)
}

impl Rule {
    pub fn info(&self) -> RuleInfo {
        let mut references = vec![RuleInfo::cwe_url(&self.cwe)];
        references.extend(self.references.iter().cloned());
        let anchors = if self.checkov.is_empty() {
            String::new()
        } else {
            format!(" Compare: checkov {}.", self.checkov.join(", checkov "))
        };
        RuleInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            description: format!(
                "{} ({}). Path to harm: {}{anchors}",
                self.name,
                self.cwe,
                self.harm.trim()
            ),
            severity: self.severity,
            category: Category::Exposure,
            references,
            fix: self.fix.trim().to_string(),
            kind: RuleKind::Logic,
            revoke: None,
        }
    }
}
