//! The audits as a pipeline detector: every workflow file of the working
//! tree (`.github/workflows/*.yml`) and every composite action
//! (`action.yml`), one finding per audit hit at its line.
//! Workflows in history no longer run, so only paths are looked at.

use crate::{AUDITS, audit, audit_action, is_action_file};
use keepopen_content::{Content, Detector};
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

/// Actions under `node_modules/` or `vendor/` are other people's copies.
fn is_vendored(path: &str) -> bool {
    path.split('/')
        .any(|part| matches!(part, "node_modules" | "vendor" | "third_party"))
}

/// Is `id` one of the audits?
pub fn known(id: &str) -> bool {
    AUDITS.iter().any(|a| a.id == id)
}

impl Detector for WorkflowAudits {
    fn detect(&self, content: &Content<'_>, out: &mut dyn FnMut(Match)) {
        self.detect_reporting(content, out, &mut |_| {});
    }

    fn detect_reporting(
        &self,
        content: &Content<'_>,
        out: &mut dyn FnMut(Match),
        trouble: &mut dyn FnMut(String),
    ) {
        let Some(path) = content.path else {
            return;
        };
        let action = is_action_file(path) && !is_vendored(path);
        if !action && !is_workflow(path) {
            return;
        }
        let text = match crate::decode(content.data) {
            Ok(text) => text,
            Err(message) => {
                trouble(
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
                trouble(e.to_string());
                return;
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        for f in findings {
            let context = lines
                .get((f.line as usize).saturating_sub(1))
                .map(|l| l.trim().chars().take(240).collect())
                .unwrap_or_default();
            out(Match {
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
        let mut got = Vec::new();
        WorkflowAudits.detect(
            &Content::new(wf.as_bytes(), Some(".github/workflows/ci.yml")),
            &mut |m| got.push(m),
        );
        let ids: Vec<&str> = got.iter().map(|m| m.rule.as_str()).collect();
        assert!(ids.contains(&"workflow-dangerous-triggers"), "{ids:?}");
        assert!(ids.contains(&"workflow-unpinned-uses"), "{ids:?}");
        assert!(
            got.iter()
                .all(|m| m.category == Category::Workflow && m.line >= 1)
        );
        let mut none = Vec::new();
        WorkflowAudits.detect(
            &Content::new(wf.as_bytes(), Some("docs/ci.yml")),
            &mut |m| none.push(m),
        );
        assert!(none.is_empty());
    }

    #[test]
    fn composite_actions_are_audited_unless_vendored() {
        let action = "runs:\n  using: composite\n  steps:\n    - run: echo ${{ github.event.issue.title }}\n      shell: bash\n";
        let run = |path: &str| {
            let mut got = Vec::new();
            WorkflowAudits.detect(&Content::new(action.as_bytes(), Some(path)), &mut |m| {
                got.push(m)
            });
            got
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
