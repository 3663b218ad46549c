//! `pull_request_target`, `workflow_run` and `issue_comment` run with the
//! base repository's secrets and a write token while being started by outside
//! contributors (zizmor flags the same three).
//! Checking out the pull request's head in such a workflow runs untrusted code
//! with those privileges ("pwn request").

use keepopen_findings::{Confidence, Severity};

use crate::context::{Ctx, input};
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-dangerous-triggers",
    name: "Dangerous triggers",
    description: "pull_request_target, workflow_run or issue_comment runs with secrets and a write token on events outsiders can start; checking out the untrusted head makes it exploitable.",
    severity: Severity::High,
    fix: "Trigger on `pull_request` instead; where `pull_request_target` or `workflow_run` is needed, never check out or run the pull request's code in it, and keep its token read-only.",
};

/// Refs that point at the untrusted head of a pull request or upstream run.
const UNTRUSTED_REFS: &[&str] = &[
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.head_ref",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "refs/pull/",
];

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let events = &cx.wf.on.events;
    let triggers = [
        (
            "pull_request_target",
            events.pull_request_target.is_present(),
        ),
        ("workflow_run", events.workflow_run.is_present()),
        ("issue_comment", events.issue_comment.is_present()),
    ];
    let checks_out_head = cx.uses_action("actions/checkout").iter().any(|(_, step)| {
        input(step, "ref").is_some_and(|r| {
            let r = r.to_ascii_lowercase();
            UNTRUSTED_REFS.iter().any(|u| r.contains(u))
        })
    });
    for (trigger, present) in triggers {
        if !present || (trigger == "pull_request_target" && only_labels(cx)) {
            continue;
        }
        let (severity, message) = if checks_out_head {
            (
                Severity::High,
                format!(
                    "`{trigger}` workflow checks out the untrusted head and runs it with secrets and a write token"
                ),
            )
        } else {
            (
                Severity::Medium,
                format!(
                    "`{trigger}` runs with secrets and a write token on events outsiders can start"
                ),
            )
        };
        out.push(cx.finding(
            &INFO,
            severity,
            Confidence::High,
            format!("on.{trigger}"),
            Some(trigger),
            message,
        ));
    }
}

/// A workflow whose one job has one step, `actions/labeler`: the use
/// `pull_request_target` exists for (labelling fork pull requests without
/// running their code). zizmor makes the same exception.
fn only_labels(cx: &Ctx<'_>) -> bool {
    use github_actions_models::workflow::Job;
    use github_actions_models::workflow::job::Step;
    let mut jobs = cx.wf.jobs.values();
    match (jobs.next(), jobs.next()) {
        (Some(Job::NormalJob(job)), None) => {
            matches!(job.steps.as_slice(), [Step::Uses(u)] if crate::context::is_action(u, "actions/labeler"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn pwn_request_is_high_at_the_trigger_line() {
        let f = findings(
            INFO.id,
            "on:\n  pull_request_target:\n    types: [opened]\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].severity, f[0].line), (Severity::High, 2));
        assert_eq!(f[0].location, "on.pull_request_target");
    }

    #[test]
    fn workflow_run_without_checkout_is_medium_even_in_list_form() {
        let f = findings(
            INFO.id,
            "on: [push, workflow_run]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].severity, f[0].line), (Severity::Medium, 1));
    }

    #[test]
    fn issue_comment_checking_out_the_pull_request_is_high() {
        let f = findings(
            INFO.id,
            "on:\n  issues:\n  issue_comment:\n    types: [created]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.issue.number }}/head\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].severity, f[0].line), (Severity::High, 3));
        assert_eq!(f[0].location, "on.issue_comment");
    }

    #[test]
    fn a_lone_labeler_step_is_the_accepted_use() {
        let wf = "on: pull_request_target\npermissions: {}\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n";
        assert!(findings(INFO.id, wf).is_empty());
        let two = format!("{wf}      - run: echo more\n");
        assert_eq!(findings(INFO.id, &two).len(), 1);
    }

    #[test]
    fn pull_request_is_clean() {
        let f = findings(
            INFO.id,
            "on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.head_ref }}\n",
        );
        assert!(f.is_empty());
    }
}
