//! GitHub Actions workflow audits, in the manner of zizmor: one file per
//! audit under `audits/`, one registry line per audit below.
//!
//! [`audit`] parses one workflow file and returns every finding, each with the
//! 1-based line of the offending key or value and its yamlpath.

mod audits;
mod capability;
mod context;
mod error;
mod expr;
mod locate;

use context::Ctx;
use github_actions_models::workflow::Workflow;
use keepopen_findings::{Confidence, Severity};

pub use error::WorkflowError;

mod detector;
pub use detector::{WorkflowAudits, is_workflow, known};

/// One problem in one workflow file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The audit's stable id, e.g. `workflow-template-injection`.
    pub audit: &'static str,
    pub severity: Severity,
    pub confidence: Confidence,
    /// 1-based line of the offending key or value.
    pub line: u32,
    pub message: String,
    /// Where in the document, e.g. `jobs.build.steps[2].run`.
    pub location: String,
    /// What tells this finding apart from others of its audit in the same
    /// file, independent of line numbers: the location, plus the context and
    /// occurrence where one location holds several.
    pub key: String,
}

/// What an audit is, for `keepopen explain` and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// The highest severity the audit reports.
    pub severity: Severity,
}

type Run = fn(&Ctx<'_>, &mut Vec<Finding>);

macro_rules! registry {
    ($($audit:ident),+ $(,)?) => {
        /// Every audit, in the order findings are produced.
        pub static AUDITS: &[AuditInfo] = &[$(audits::$audit::INFO),+];
        const RUNS: &[Run] = &[$(audits::$audit::run),+];
    };
}

registry! {
    dangerous_triggers,
    template_injection,
    excessive_permissions,
    unpinned_uses,
    unpinned_images,
    hardcoded_container_credentials,
    secrets_inherit,
    insecure_commands,
    artipacked,
    self_hosted_runner,
}

/// Audits one workflow file. `path` only names the file in errors.
pub fn audit(path: &str, text: &str) -> Result<Vec<Finding>, WorkflowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let workflow = parse(path, text)?;
    let cx = Ctx::new(&workflow, locate::Locator::new(text));
    let mut findings = Vec::new();
    for run in RUNS {
        run(&cx, &mut findings);
    }
    Ok(findings)
}

fn parse(path: &str, text: &str) -> Result<Workflow, WorkflowError> {
    let line = |e: &yaml_serde::Error| {
        e.location()
            .map(|l| u32::try_from(l.line()).unwrap_or(u32::MAX))
    };
    let value: yaml_serde::Value =
        yaml_serde::from_str(text).map_err(|e| WorkflowError::InvalidYaml {
            path: path.to_owned(),
            line: line(&e),
            message: e.to_string(),
        })?;
    let not = |message: String, line: Option<u32>| WorkflowError::NotAWorkflow {
        path: path.to_owned(),
        line,
        message,
    };
    let map = match &value {
        yaml_serde::Value::Mapping(map) => map,
        yaml_serde::Value::Sequence(_) => return Err(not("the document is a list".into(), None)),
        yaml_serde::Value::Null => return Err(not("the document is empty".into(), None)),
        _ => return Err(not("the document is a scalar".into(), None)),
    };
    for key in ["on", "jobs"] {
        if !map.contains_key(key) {
            return Err(not(format!("no `{key}:` key"), None));
        }
    }
    yaml_serde::from_str(text).map_err(|e| not(e.to_string(), line(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_ids_are_unique_and_prefixed() {
        let mut ids: Vec<_> = AUDITS.iter().map(|a| a.id).collect();
        assert!(ids.iter().all(|id| id.starts_with("workflow-")));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), AUDITS.len());
        assert_eq!(AUDITS.len(), RUNS.len());
    }
}
