//! The `GITHUB_TOKEN` should be read-only unless a job needs more, as in
//! OpenSSF Scorecard's Token-Permissions check: read-only or empty permissions
//! at the top, write scopes granted per job. Without any `permissions:` the
//! token gets the repository default, which for older repositories is
//! read-write on everything.

use github_actions_models::common::{BasePermission, Permission, Permissions};
use github_actions_models::workflow::Job;
use keepopen_findings::{Confidence, Severity};

use crate::context::Ctx;
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-excessive-permissions",
    name: "Excessive permissions",
    description: "The workflow's GITHUB_TOKEN may have write access it does not need: write-all, write scopes at the top level, or no permissions at all.",
    severity: Severity::High,
    fix: "Set `permissions: contents: read` at the top of the workflow and grant write scopes only to the jobs that need them.",
};

/// A workflow that runs only when another calls it: its token's
/// permissions are the caller's, so a missing `permissions:` here is not
/// the repository default (zizmor and Scorecard skip it too).
fn only_called(cx: &Ctx<'_>) -> bool {
    if !cx.wf.on.events.workflow_call.is_present() {
        return false;
    }
    let keys = cx.loc.child_keys("on");
    if keys.is_empty() {
        // `on: workflow_call` or `on: [workflow_call]`.
        let line = cx.loc.line("on") as usize;
        return cx
            .loc
            .text(line)
            .is_some_and(|l| l.replace(['[', ']', ' '], "").trim_end() == "on:workflow_call");
    }
    keys.iter().all(|k| *k == "workflow_call")
}

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let top = &cx.wf.permissions;
    match top {
        Permissions::Base(BasePermission::WriteAll) => out.push(cx.finding(
            &INFO,
            Severity::High,
            Confidence::High,
            "permissions".into(),
            None,
            "workflow grants `write-all` to every job".into(),
        )),
        Permissions::Explicit(scopes) => {
            for (scope, level) in scopes {
                if *level == Permission::Write {
                    out.push(cx.finding(
                        &INFO,
                        Severity::Medium,
                        Confidence::High,
                        format!("permissions.{scope}"),
                        None,
                        format!("workflow-level `{scope}: write` applies to every job; grant it on the job that needs it"),
                    ));
                }
            }
        }
        _ => {}
    }
    let top_missing = *top == Permissions::Base(BasePermission::Default) && !only_called(cx);
    for (id, job) in &cx.wf.jobs {
        let perms = match job {
            Job::NormalJob(j) => &j.permissions,
            Job::ReusableWorkflowCallJob(j) => &j.permissions,
        };
        match perms {
            Permissions::Base(BasePermission::WriteAll) => out.push(cx.finding(
                &INFO,
                Severity::Medium,
                Confidence::High,
                format!("jobs.{id}.permissions"),
                None,
                format!("job `{id}` grants `write-all`"),
            )),
            Permissions::Base(BasePermission::Default) if top_missing => out.push(cx.finding(
                &INFO,
                Severity::Medium,
                Confidence::Medium,
                format!("jobs.{id}"),
                None,
                format!("job `{id}` has no permissions: at job or workflow level, so its token gets the repository default (possibly write-all)"),
            )),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn a_workflow_only_called_by_others_takes_its_callers_permissions() {
        let body = "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n";
        let missing = |on: &str| {
            findings(INFO.id, &format!("{on}{body}"))
                .iter()
                .filter(|f| f.audit == INFO.id && f.message.contains("has no permissions"))
                .count()
        };
        assert_eq!(
            missing("on:\n  workflow_call:\n    inputs:\n      x:\n        type: string\n"),
            0
        );
        assert_eq!(missing("on: workflow_call\n"), 0);
        assert_eq!(
            missing("on:\n  workflow_call:\n  push:\n"),
            1,
            "a push runs with the default token"
        );
        assert_eq!(missing("on: push\n"), 1);
    }

    #[test]
    fn missing_permissions_flag_each_job() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n  b:\n    permissions:\n      contents: read\n    runs-on: x\n    steps: [{run: echo}]\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].line, f[0].location.as_str()), (3, "jobs.a"));
    }

    #[test]
    fn write_all_and_top_level_write_scopes() {
        let f = findings(
            INFO.id,
            "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n",
        );
        assert_eq!((f.len(), f[0].severity, f[0].line), (1, Severity::High, 2));
        let f = findings(
            INFO.id,
            "on: push\npermissions:\n  contents: read\n  packages: write\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n",
        );
        assert_eq!((f.len(), f[0].line), (1, 4));
        assert_eq!(f[0].location, "permissions.packages");
    }

    #[test]
    fn read_only_top_level_with_job_write_is_clean() {
        let f = findings(
            INFO.id,
            "on: push\npermissions:\n  contents: read\njobs:\n  a:\n    permissions:\n      packages: write\n    runs-on: x\n    steps: [{run: echo}]\n",
        );
        assert!(f.is_empty());
    }
}
