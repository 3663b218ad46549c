//! A self-hosted runner that runs jobs started by outsiders (a fork's pull
//! request, an issue comment) gives them code execution on your machine and
//! often persistence on it, since those runners are not wiped between jobs.

use github_actions_models::common::expr::LoE;
use github_actions_models::workflow::job::RunsOn;
use keepopen_findings::{Confidence, Severity};

use crate::context::Ctx;
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-self-hosted-runner",
    name: "Self-hosted runner on public triggers",
    description: "A job runs on a self-hosted runner in a workflow that outsiders can trigger, giving them code execution on that machine.",
    severity: Severity::High,
};

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let e = &cx.wf.on.events;
    let public = [
        ("pull_request", e.pull_request.is_present()),
        ("pull_request_target", e.pull_request_target.is_present()),
        ("pull_request_review", e.pull_request_review.is_present()),
        (
            "pull_request_review_comment",
            e.pull_request_review_comment.is_present(),
        ),
        ("issue_comment", e.issue_comment.is_present()),
        ("issues", e.issues.is_present()),
        ("discussion", e.discussion.is_present()),
        ("discussion_comment", e.discussion_comment.is_present()),
        ("fork", e.fork.is_present()),
        ("watch", e.watch.is_present()),
    ];
    let Some((trigger, _)) = public.iter().find(|(_, present)| *present) else {
        return;
    };
    for (id, job) in cx.normal_jobs() {
        let labels = match &job.runs_on {
            LoE::Literal(RunsOn::Target(labels)) => labels,
            LoE::Literal(RunsOn::Group { labels, .. }) => labels,
            LoE::Expr(_) => continue,
        };
        if labels
            .iter()
            .any(|l| l.trim().eq_ignore_ascii_case("self-hosted"))
        {
            out.push(cx.finding(
                &INFO,
                Severity::High,
                Confidence::Medium,
                format!("jobs.{id}.runs-on"),
                Some("self-hosted"),
                format!("job `{id}` runs on a self-hosted runner and the workflow is triggered by `{trigger}`"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn self_hosted_on_pull_request_is_found_at_the_label() {
        let f = findings(
            INFO.id,
            "on: [pull_request]\njobs:\n  a:\n    runs-on:\n      - linux\n      - self-hosted\n    steps: [{run: echo}]\n",
        );
        assert_eq!((f.len(), f[0].line), (1, 6));
    }

    #[test]
    fn self_hosted_on_push_and_hosted_on_pr_are_clean() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: [self-hosted]\n    steps: [{run: echo}]\n",
        );
        assert!(f.is_empty());
        let f = findings(
            INFO.id,
            "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n",
        );
        assert!(f.is_empty());
    }
}
