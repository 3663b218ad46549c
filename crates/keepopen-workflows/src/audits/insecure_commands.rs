//! `ACTIONS_ALLOW_UNSECURE_COMMANDS` re-enables the deprecated `set-env` and
//! `add-path` workflow commands, which let anything printed to the log (an
//! issue title, a test's output) set environment variables such as
//! `LD_PRELOAD` or `NODE_OPTIONS` for later steps.

use github_actions_models::common::Env;
use github_actions_models::common::expr::LoE;
use github_actions_models::workflow::job::Container;
use keepopen_findings::{Confidence, Severity};

use crate::context::{Ctx, StepRef};
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-insecure-commands",
    name: "Insecure workflow commands enabled",
    description: "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables set-env and add-path, letting log output inject environment variables.",
    severity: Severity::High,
    fix: "Remove `ACTIONS_ALLOW_UNSECURE_COMMANDS` and write to the `$GITHUB_ENV` and `$GITHUB_PATH` files instead of `set-env` and `add-path`.",
};

const VAR: &str = "ACTIONS_ALLOW_UNSECURE_COMMANDS";

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut blocks: Vec<(String, &LoE<Env>)> = vec![("env".into(), &cx.wf.env)];
    for (id, job) in cx.normal_jobs() {
        blocks.push((format!("jobs.{id}.env"), &job.env));
        if let Some(Container::Container { env, .. }) = &job.container {
            blocks.push((format!("jobs.{id}.container.env"), env));
        }
    }
    let steps = cx.steps();
    for (path, step) in &steps {
        let shared = match step {
            StepRef::Uses(u) => &u.shared,
            StepRef::Run(r) => &r.shared,
        };
        blocks.push((format!("{path}.env"), &shared.env));
    }
    for (path, env) in blocks {
        let LoE::Literal(env) = env else { continue };
        let Some((key, value)) = env.iter().find(|(k, _)| k.eq_ignore_ascii_case(VAR)) else {
            continue;
        };
        let text = value.to_string();
        let confidence = if value.csharp_bool() || value.actions_toolkit_bool() == Some(true) {
            Confidence::High
        } else if text.contains("${{") {
            Confidence::Low
        } else {
            continue;
        };
        out.push(cx.finding(
            &INFO,
            Severity::High,
            confidence,
            format!("{path}.{key}"),
            None,
            format!("`{key}: {text}` re-enables set-env and add-path"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn truthy_values_in_workflow_and_step_env_are_found() {
        let f = findings(
            INFO.id,
            "on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'TRUE'\n",
        );
        let lines: Vec<_> = f.iter().map(|f| f.line).collect();
        assert_eq!(lines, [3, 10]);
    }

    #[test]
    fn false_is_clean() {
        let f = findings(
            INFO.id,
            "on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: false\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n",
        );
        assert!(f.is_empty());
    }
}
