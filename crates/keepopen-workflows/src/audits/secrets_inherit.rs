//! `secrets: inherit` hands every repository and organisation secret to the
//! called workflow, not just the ones it needs.

use github_actions_models::workflow::Job;
use github_actions_models::workflow::job::Secrets;
use keepopen_findings::{Confidence, Severity};

use crate::context::Ctx;
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-secrets-inherit",
    name: "Secrets inherited by reusable workflow",
    description: "A reusable-workflow call passes every secret with `secrets: inherit` instead of naming the ones it needs.",
    severity: Severity::Medium,
    fix: "Pass the called workflow only the secrets it needs, by name, instead of `secrets: inherit`.",
};

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (id, job) in &cx.wf.jobs {
        if let Job::ReusableWorkflowCallJob(j) = job
            && j.secrets == Some(Secrets::Inherit)
        {
            out.push(cx.finding(
                &INFO,
                Severity::Medium,
                Confidence::High,
                format!("jobs.{id}.secrets"),
                None,
                format!(
                    "`{}` receives every secret via `secrets: inherit`",
                    j.uses.raw()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn inherit_is_found() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/w.yml@main\n    secrets: inherit\n",
        );
        assert_eq!((f.len(), f[0].line), (1, 5));
    }

    #[test]
    fn named_secrets_are_clean() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/w.yml@main\n    secrets:\n      token: ${{ secrets.TOKEN }}\n",
        );
        assert!(f.is_empty());
    }
}
