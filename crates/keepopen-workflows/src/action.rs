//! Composite actions (`action.yml` with `runs.using: composite`): their
//! steps run inside the caller's job, so the same injection and pinning
//! audits apply, at `runs.steps[N]` locations. zizmor audits them too.
//! JavaScript and Docker actions have no steps to audit.

use github_actions_models::action::{Action, Runs, StepBody};
use github_actions_models::common::Env;
use github_actions_models::common::expr::LoE;
use keepopen_findings::{Confidence, Severity};

use crate::audits::{template_injection, unpinned_uses};
use crate::context::finding_at;
use crate::locate::Locator;
use crate::{Finding, WorkflowError};

/// Is `path` an action metadata file (`action.yml` or `action.yaml`)?
pub fn is_action_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name == "action.yml" || name == "action.yaml"
}

/// Audits one action metadata file. Actions that are not composite give no
/// findings; text that is not an action is an error naming the file.
pub fn audit_action(path: &str, text: &str) -> Result<Vec<Finding>, WorkflowError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::check_depth(path, text)?;
    let action: Action = yaml_serde::from_str(text).map_err(|e| WorkflowError::NotAnAction {
        path: path.to_owned(),
        line: crate::yaml_line(&e),
        message: e.to_string(),
    })?;
    let Runs::Composite(composite) = &action.runs else {
        return Ok(Vec::new());
    };
    let loc = Locator::new(text);
    let mut out = Vec::new();
    for (i, step) in composite.steps.iter().enumerate() {
        let path = format!("runs.steps[{i}]");
        let scope = StepScope { env: &step.env };
        match &step.body {
            StepBody::Run { run, .. } => {
                template_injection::injections(&scope, &loc, &format!("{path}.run"), run, &mut out);
            }
            StepBody::Uses { uses, with } => {
                if let Some(problem) = unpinned_uses::problem(uses) {
                    out.push(finding_at(
                        &loc,
                        &unpinned_uses::INFO,
                        Severity::Medium,
                        Confidence::High,
                        format!("{path}.uses"),
                        None,
                        problem,
                    ));
                }
                let LoE::Literal(with) = with else {
                    continue;
                };
                for name in template_injection::sink_inputs(uses) {
                    if let Some(script) = with.get(*name) {
                        let location = format!("{path}.with.{name}");
                        let script = script.to_string();
                        template_injection::injections(&scope, &loc, &location, &script, &mut out);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A composite step: inputs are untyped (the caller passes text), env is
/// the step's own, and there is no matrix.
struct StepScope<'a> {
    env: &'a LoE<Env>,
}

impl template_injection::Scope for StepScope<'_> {
    fn input_is_fixed(&self, _name: &str) -> Option<bool> {
        None
    }
    fn env_is_static(&self, name: &str) -> bool {
        template_injection::env_entry_is_static(self.env, name).unwrap_or(false)
    }
    fn matrix_is_static(&self) -> Option<bool> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTION: &str = "\
name: greet
inputs:
  who:
    description: name
runs:
  using: composite
  steps:
    - uses: actions/setup-node@v4
    - run: echo \"${{ inputs.who }} ${{ github.event.pull_request.title }}\"
      shell: bash
    - env:
        SAFE: yes
      run: echo ${{ env.SAFE }} ${{ github.sha }}
      shell: bash
    - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea
      with:
        script: console.log('${{ github.head_ref }}')
";

    #[test]
    fn composite_steps_are_audited_at_their_lines() {
        let f = audit_action("x/action.yml", ACTION).expect("parses");
        let got: Vec<(&str, u32, Severity)> =
            f.iter().map(|f| (f.audit, f.line, f.severity)).collect();
        assert_eq!(
            got,
            [
                ("workflow-unpinned-uses", 8, Severity::Medium),
                ("workflow-template-injection", 9, Severity::Low),
                ("workflow-template-injection", 9, Severity::High),
                ("workflow-template-injection", 17, Severity::High),
            ]
        );
        assert_eq!(f[2].location, "runs.steps[1].run");
        assert_eq!(f[3].location, "runs.steps[3].with.script");
    }

    #[test]
    fn other_actions_and_non_actions() {
        let js = "name: x\nruns:\n  using: node20\n  main: index.js\n";
        assert!(audit_action("action.yml", js).expect("parses").is_empty());
        let e = audit_action("a/action.yaml", "- just\n- a list\n").expect_err("an error");
        assert!(
            e.to_string().starts_with("a/action.yaml: not an action"),
            "{e}"
        );
        assert!(is_action_file("sub/dir/Action.YML"));
        assert!(!is_action_file("actions.yml"));
    }
}
