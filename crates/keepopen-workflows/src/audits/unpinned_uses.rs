//! Tags and branches can be moved to new code by whoever controls the action's
//! repository; only a full commit SHA (or an image digest) pins what runs.

use github_actions_models::common::Uses;
use github_actions_models::workflow::Job;
use keepopen_findings::{Confidence, Severity};

use crate::context::{Ctx, StepRef};
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-unpinned-uses",
    name: "Unpinned uses",
    description: "Remote actions, reusable workflows and docker:// images not pinned to a full commit SHA or digest can change under you.",
    severity: Severity::Medium,
    fix: "Pin each action and reusable workflow to a full 40-character commit SHA, with its version in a comment (`uses: actions/checkout@<sha> # v4`); Dependabot keeps SHA pins current.",
};

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut check = |location: String, uses: &Uses| {
        let Some(problem) = problem(uses) else {
            return;
        };
        out.push(cx.finding(
            &INFO,
            Severity::Medium,
            Confidence::High,
            location,
            None,
            problem,
        ));
    };
    for (path, step) in cx.steps() {
        if let StepRef::Uses(u) = step {
            check(format!("{path}.uses"), &u.uses);
        }
    }
    for (id, job) in &cx.wf.jobs {
        if let Job::ReusableWorkflowCallJob(j) = job {
            check(format!("jobs.{id}.uses"), &j.uses);
        }
    }
}

/// What is wrong with how `uses` is pinned, if anything.
pub(crate) fn problem(uses: &Uses) -> Option<String> {
    Some(match uses {
        Uses::Local(_) => return None,
        Uses::Repository(r) if is_sha(r.git_ref()) => return None,
        Uses::Repository(r) => format!(
            "`{}` is pinned to `{}`, not a full commit SHA",
            r.raw(),
            r.git_ref()
        ),
        Uses::Docker(d) if d.hash().is_some() => return None,
        Uses::Docker(d) => format!("`docker://{}` is not pinned to an @sha256: digest", d.raw()),
    })
}

fn is_sha(git_ref: &str) -> bool {
    git_ref.len() == 40 && git_ref.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn tags_branches_and_docker_tags_are_unpinned() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker://alpine:3.20\n      - uses: ./local/action\n  call:\n    uses: org/repo/.github/workflows/w.yml@main\n",
        );
        let lines: Vec<_> = f.iter().map(|f| f.line).collect();
        assert_eq!(lines, [6, 7, 10]);
        assert_eq!(f[2].location, "jobs.call.uses");
    }

    #[test]
    fn shas_digests_and_local_actions_are_clean() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n      - uses: docker://alpine@sha256:0000000000000000000000000000000000000000000000000000000000000000\n      - uses: ./local\n",
        );
        assert!(f.is_empty());
    }
}
