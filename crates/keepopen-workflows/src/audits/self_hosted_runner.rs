//! A self-hosted runner that runs jobs started by outsiders (a fork's pull
//! request, an issue comment) gives them code execution on your machine and
//! often persistence on it, since those runners are not wiped between jobs.

use github_actions_expressions::Expr;
use github_actions_expressions::literal::Literal;
use github_actions_models::common::expr::LoE;
use github_actions_models::workflow::job::{NormalJob, RunsOn};
use keepopen_findings::{Confidence, Severity};

use crate::context::{Ctx, matrix_entries};
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-self-hosted-runner",
    name: "Self-hosted runner on public triggers",
    description: "A job runs on a self-hosted runner in a workflow that outsiders can trigger, giving them code execution on that machine.",
    severity: Severity::High,
    fix: "Run workflows that outside events can trigger on GitHub-hosted or ephemeral, isolated runners, never on a persistent self-hosted one.",
};

fn is_self_hosted(label: &str) -> bool {
    label.trim().eq_ignore_ascii_case("self-hosted")
}

/// `runs-on: ${{ matrix.os }}` and the like: whether any value the
/// expression can take, through string literals and the job's literal
/// matrix, is or contains the `self-hosted` label.
fn expression_is_self_hosted(job: &NormalJob, expr: &str) -> bool {
    let Ok(parsed) = Expr::parse(expr) else {
        return false;
    };
    let label = |v: &yaml_serde::Value| match v {
        yaml_serde::Value::String(s) => is_self_hosted(s),
        yaml_serde::Value::Sequence(items) => items
            .iter()
            .any(|i| matches!(i, yaml_serde::Value::String(s) if is_self_hosted(s))),
        _ => false,
    };
    parsed
        .leaf_expressions()
        .iter()
        .any(|leaf| match &leaf.inner {
            Expr::Literal(Literal::String(s)) => is_self_hosted(s),
            Expr::Context(c) if c.child_of("matrix") => c
                .single_tail()
                .and_then(|k| matrix_entries(job, k))
                .is_some_and(|values| values.into_iter().any(label)),
            _ => false,
        })
}

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
        let self_hosted = match &job.runs_on {
            LoE::Literal(RunsOn::Target(labels)) | LoE::Literal(RunsOn::Group { labels, .. }) => {
                labels.iter().any(|l| is_self_hosted(l))
            }
            LoE::Expr(e) => expression_is_self_hosted(job, e.as_bare()),
        };
        if self_hosted {
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

    #[test]
    fn self_hosted_through_the_matrix_is_found() {
        let wf = "on: pull_request\njobs:\n  a:\n    strategy:\n      matrix:\n        os: [[self-hosted, ubuntu], ubuntu-latest]\n    runs-on: ${{ matrix.os }}\n    steps: [{run: echo}]\n";
        let f = findings(INFO.id, wf);
        assert_eq!((f.len(), f[0].line), (1, 7), "{f:?}");
        let hosted = wf.replace("[self-hosted, ubuntu], ", "");
        assert!(findings(INFO.id, &hosted).is_empty());
        let literal = "on: pull_request\njobs:\n  a:\n    runs-on: ${{ inputs.big && 'self-hosted' || 'ubuntu-latest' }}\n    steps: [{run: echo}]\n";
        assert_eq!(findings(INFO.id, literal).len(), 1);
    }
}
