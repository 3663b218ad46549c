//! GitHub Actions workflow audits, in the manner of zizmor: one file per
//! audit under `audits/`, one registry line per audit below.
//!
//! [`audit`] parses one workflow file and returns every finding, each with the
//! 1-based line of the offending key or value and its yamlpath.

mod action;
mod audits;
mod capability;
mod context;
mod error;
mod expr;
mod locate;

use context::Ctx;
use github_actions_models::workflow::Workflow;
use keepopen_findings::{Confidence, Severity};

pub use action::{audit_action, is_action_file};
pub use error::WorkflowError;

mod detector;
pub use detector::{WorkflowAudits, is_audited, is_workflow, known};

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
    /// How to put a finding right.
    pub fix: &'static str,
}

/// Every audit as a catalogue entry, for the registry.
pub fn catalogue() -> Vec<keepopen_findings::RuleInfo> {
    AUDITS
        .iter()
        .map(|a| keepopen_findings::RuleInfo {
            id: a.id.to_string(),
            name: a.name.to_string(),
            description: a.description.to_string(),
            severity: a.severity,
            category: keepopen_findings::Category::Workflow,
            references: vec![format!(
                "https://docs.zizmor.sh/audits/#{}",
                a.id.trim_start_matches("workflow-")
            )],
            fix: a.fix.to_string(),
            kind: keepopen_findings::RuleKind::Logic,
            revoke: None,
        })
        .collect()
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

/// Audits one workflow file's bytes: UTF-8 (with or without a byte-order
/// mark), or UTF-16 with one, as an editor on Windows may save it. Anything
/// else is an encoding error naming the first bad byte.
pub fn audit_bytes(path: &str, bytes: &[u8]) -> Result<Vec<Finding>, WorkflowError> {
    let text = decode(bytes).map_err(|message| WorkflowError::Encoding {
        path: path.to_owned(),
        message,
    })?;
    audit(path, &text)
}

pub(crate) fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    let utf16 = |rest: &[u8], le: bool| {
        let units = rest.chunks_exact(2).map(|c| {
            let pair = [c[0], c[1]];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(std::borrow::Cow::Owned)
            .map_err(|e| {
                format!(
                    "invalid UTF-16: unpaired surrogate {:#06x}",
                    e.unpaired_surrogate()
                )
            })
    };
    match bytes {
        [0xff, 0xfe, rest @ ..] => utf16(rest, true),
        [0xfe, 0xff, rest @ ..] => utf16(rest, false),
        _ => std::str::from_utf8(bytes)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| {
                format!(
                    "not UTF-8 text (byte {} of the file); GitHub reads workflows as UTF-8",
                    e.valid_up_to() + 1
                )
            }),
    }
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

/// The 1-based line a YAML error points at, if it points anywhere.
pub(crate) fn yaml_line(e: &yaml_serde::Error) -> Option<u32> {
    e.location()
        .map(|l| u32::try_from(l.line()).unwrap_or(u32::MAX))
}

/// Refuses text nested too deeply for the YAML parser to finish in time.
pub(crate) fn check_depth(path: &str, text: &str) -> Result<(), WorkflowError> {
    match keepopen_content::yaml_depth::too_deep(text) {
        Some(message) => Err(WorkflowError::TooDeep {
            path: path.to_owned(),
            message,
        }),
        None => Ok(()),
    }
}

fn parse(path: &str, text: &str) -> Result<Workflow, WorkflowError> {
    check_depth(path, text)?;
    let line = yaml_line;
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

    const WF: &str =
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n";

    #[test]
    fn utf16_workflows_are_read_and_other_encodings_named() {
        let utf8 = audit_bytes("w.yml", WF.as_bytes()).expect("utf-8");
        let mut le = vec![0xff, 0xfe];
        le.extend(WF.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xfe, 0xff];
        be.extend(WF.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(audit_bytes("w.yml", &le).expect("utf-16le"), utf8);
        assert_eq!(audit_bytes("w.yml", &be).expect("utf-16be"), utf8);
        let latin1 = b"on: push # caf\xe9\njobs: {}\n";
        let e = audit_bytes("dir/w.yml", latin1)
            .expect_err("an error")
            .to_string();
        assert!(e.starts_with("dir/w.yml: not UTF-8 text (byte 15"), "{e}");
        let e = audit_bytes("w.yml", &[0xff, 0xfe, 0x00, 0xd8])
            .expect_err("an error")
            .to_string();
        assert!(e.contains("unpaired surrogate"), "{e}");
    }

    #[test]
    fn anchors_and_aliases_are_followed() {
        let wf = "on: push\njobs:\n  a: &job\n    runs-on: x\n    steps:\n      - run: echo ${{ github.event.head_commit.message }}\n  b: *job\n";
        let f = audit("w.yml", wf).expect("anchors parse");
        let inj: Vec<_> = f
            .iter()
            .filter(|f| f.audit == "workflow-template-injection")
            .collect();
        assert_eq!(inj.len(), 2, "{f:?}");
        assert_eq!(inj[0].line, 6);
        // The alias has no lines of its own: its finding points at its job.
        assert_eq!(inj[1].location, "jobs.b.steps[0].run");
        assert_eq!(inj[1].line, 7);
    }

    #[test]
    fn invalid_yaml_and_non_workflows_name_the_file_and_line() {
        let e = audit("ci.yml", "on: push\njobs:\n  a: [\n")
            .expect_err("an error")
            .to_string();
        assert!(e.starts_with("ci.yml: invalid YAML at line"), "{e}");
        let e = audit("ci.yml", "- a\n- b\n")
            .expect_err("an error")
            .to_string();
        assert_eq!(e, "ci.yml: not a workflow: the document is a list");
        let e = audit("ci.yml", "on: push\n")
            .expect_err("an error")
            .to_string();
        assert_eq!(e, "ci.yml: not a workflow: no `jobs:` key");
    }

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
