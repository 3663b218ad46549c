//! The audits as a pipeline detector: every workflow file of the working
//! tree (`.github/workflows/*.yml`) and every composite action
//! (`action.yml`), one finding per audit hit at its line.
//! Workflows in history no longer run, so only paths are looked at.

use crate::{AUDITS, audit, audit_action, is_action_file};
use keepopen_content::{Content, Detector, Needs, Out, Reads};
use keepopen_findings::{Category, Match};

pub struct WorkflowAudits;

/// Is `path` a GitHub Actions workflow?
pub fn is_workflow(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let Some((dir, name)) = lower.rsplit_once('/') else {
        return false;
    };
    (dir == ".github/workflows" || dir.ends_with("/.github/workflows"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// Is `id` one of the audits?
pub fn known(id: &str) -> bool {
    AUDITS.iter().any(|a| a.id == id)
}

/// A file the audits read: a workflow, or a composite action of the
/// repository's own (actions in vendored folders are other people's copies).
pub fn is_audited(path: &str) -> bool {
    is_workflow(path) || (is_action_file(path) && !keepopen_findings::is_vendored(path))
}

impl Detector for WorkflowAudits {
    fn name(&self) -> &'static str {
        "the workflow audits"
    }

    fn needs(&self) -> Needs<'_> {
        Needs {
            reads: Reads::CurrentFiles(is_audited),
            paths: None,
        }
    }

    fn detect(&self, content: &Content<'_>, out: &mut Out) {
        let Some(path) = content.path.filter(|p| is_audited(p)) else {
            return;
        };
        let action = !is_workflow(path);
        let text = match crate::decode(content.data) {
            Ok(text) => text,
            Err(message) => {
                out.trouble(
                    crate::WorkflowError::Encoding {
                        path: path.to_owned(),
                        message,
                    }
                    .to_string(),
                );
                return;
            }
        };
        let audited = if action {
            audit_action(path, &text)
        } else {
            audit(path, &text)
        };
        let findings = match audited {
            Ok(f) => f,
            Err(e) => {
                out.trouble(e.to_string());
                return;
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        for f in findings {
            let context = lines
                .get((f.line as usize).saturating_sub(1))
                .map(|l| l.trim().chars().take(240).collect())
                .unwrap_or_default();
            out.found(Match {
                remedy: None,
                rule: f.audit.to_string(),
                category: Category::Workflow,
                severity: f.severity,
                confidence: f.confidence,
                // The yamlpath identifies the finding across line moves.
                secret: f.key,
                line: f.line,
                column: 1,
                context,
                detail: Some(f.message),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflows_are_found_by_path_and_audited() {
        assert!(is_workflow(".github/workflows/ci.yml"));
        assert!(is_workflow("sub/.github/workflows/x.yaml"));
        assert!(!is_workflow(".github/dependabot.yml"));
        let wf = "on: pull_request_target\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n";
        let got = WorkflowAudits
            .look_at(&Content::new(
                wf.as_bytes(),
                Some(".github/workflows/ci.yml"),
            ))
            .matches;
        let ids: Vec<&str> = got.iter().map(|m| m.rule.as_str()).collect();
        assert!(ids.contains(&"workflow-dangerous-triggers"), "{ids:?}");
        assert!(ids.contains(&"workflow-unpinned-uses"), "{ids:?}");
        assert!(
            got.iter()
                .all(|m| m.category == Category::Workflow && m.line >= 1)
        );
        let none = WorkflowAudits.look_at(&Content::new(wf.as_bytes(), Some("docs/ci.yml")));
        assert!(none.is_empty());
        assert!(!is_audited("docs/ci.yml"));
    }

    #[test]
    fn composite_actions_are_audited_unless_vendored() {
        let action = "runs:\n  using: composite\n  steps:\n    - run: echo ${{ github.event.issue.title }}\n      shell: bash\n";
        let run = |path: &str| {
            WorkflowAudits
                .look_at(&Content::new(action.as_bytes(), Some(path)))
                .matches
        };
        let got = run(".github/actions/greet/action.yml");
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].rule.as_str(), got[0].line),
            ("workflow-template-injection", 4)
        );
        assert!(run("node_modules/x/action.yml").is_empty());
    }
}
