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

fn levels(text: &str) -> Vec<(Severity, u32)> {
    findings(INFO.id, text)
        .iter()
        .map(|f| (f.severity, f.line))
        .collect()
}

fn step(run: &str) -> String {
    format!(
        "on: [push, workflow_dispatch]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n"
    )
}

#[test]
fn issue_title_in_run_is_high_at_its_own_line() {
    let f = findings(INFO.id, ISSUE);
    assert_eq!(f.len(), 2);
    assert_eq!((f[0].severity, f[0].line), (Severity::High, 10));
    assert_eq!(f[0].location, "jobs.triage.steps[0].run");
    assert!(f[0].message.contains("github.event.issue.title"));
}

#[test]
fn undeclared_inputs_in_github_script_are_low() {
    let f = findings(INFO.id, ISSUE);
    assert_eq!((f[1].severity, f[1].line), (Severity::Low, 14));
    assert_eq!(f[1].location, "jobs.triage.steps[1].with.script");
}

#[test]
fn values_passed_through_env_are_clean() {
    let f = findings(
        INFO.id,
        "on: issues\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TITLE: ${{ github.event.issue.title }}\n        run: echo \"$TITLE\" ${{ github.sha }}\n",
    );
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn only_contexts_that_flow_into_the_value_count() {
    // A comparison is a boolean; `&&` yields its right side only.
    assert!(levels(&step("echo ${{ github.event.issue.title == 'x' }}")).is_empty());
    assert!(levels(&step("echo ${{ github.event.issue.title && 'yes' }}")).is_empty());
    assert_eq!(
        levels(&step("echo ${{ github.event.issue.title || 'none' }}")),
        [(Severity::High, 6)]
    );
    assert_eq!(
        levels(&step("echo ${{ format('{0}', github.head_ref) }}")),
        [(Severity::High, 6)]
    );
    // Unknown functions like contains() return booleans.
    assert!(levels(&step("echo ${{ contains(github.head_ref, 'x') }}")).is_empty());
}

#[test]
fn fixed_values_and_secrets_are_not_reported() {
    for expr in [
        "github.sha",
        "github.event.pull_request.number",
        "github.event.pull_request.head.sha",
        "github.run_id",
        "secrets.TOKEN",
        "steps.a.outcome",
        "needs.b.result",
        "runner.os",
    ] {
        assert!(
            levels(&step(&format!("echo ${{{{ {expr} }}}}"))).is_empty(),
            "{expr}"
        );
    }
}

#[test]
fn refs_are_medium_and_outputs_informational() {
    assert_eq!(
        levels(&step("echo ${{ github.ref_name }}")),
        [(Severity::Medium, 6)]
    );
    assert_eq!(
        levels(&step(
            "echo ${{ steps.v.outputs.version }} ${{ vars.NAME }}"
        )),
        [(Severity::Info, 6), (Severity::Info, 6)]
    );
}

#[test]
fn typed_inputs_are_judged_by_their_type() {
    let wf = "\
on:
  workflow_dispatch:
    inputs:
      tag:
        type: string
      dry:
        type: boolean
      level:
        type: choice
        options: [a, b]
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ inputs.tag }} ${{ inputs.dry }} ${{ github.event.inputs.level }}
";
    assert_eq!(levels(wf), [(Severity::Medium, 15)]);
}

#[test]
fn env_and_matrix_are_reported_only_when_set_by_expressions() {
    let wf = "\
on: pull_request
env:
  STATIC: yes
  DYNAMIC: ${{ github.head_ref }}
jobs:
  t:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [18, 20]
    steps:
      - run: echo ${{ env.STATIC }} ${{ env.DYNAMIC }} ${{ env.FROM_GITHUB_ENV }} ${{ matrix.node }}
  u:
    runs-on: ubuntu-latest
    strategy:
      matrix: ${{ fromJSON(needs.x.outputs.m) }}
    steps:
      - run: echo ${{ matrix.name }}
";
    assert_eq!(
        levels(wf),
        [
            (Severity::Low, 12),
            (Severity::Low, 12),
            (Severity::Medium, 18)
        ]
    );
}

#[test]
fn repeated_expressions_get_their_own_lines() {
    let wf =
        step("|\n          echo ${{ github.head_ref }}\n          echo ${{ github.head_ref }}");
    assert_eq!(levels(&wf), [(Severity::High, 7), (Severity::High, 8)]);
}

#[test]
fn other_script_actions_are_sinks_and_bad_expressions_are_skipped() {
    let wf = "\
on: issue_comment
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: azure/cli@v2
        with:
          inlineScript: echo ${{ github.event.comment.body }}
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.comment.body }}
      - run: echo ${{ github.event.comment.body ==== }}
";
    let f = findings(INFO.id, wf);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].location, "jobs.t.steps[0].with.inlineScript");
    assert_eq!(f[0].line, 8);
}

fn pr_job(job_if: &str, step_if: &str) -> String {
    format!(
        "on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n{job_if}    steps:\n      - run: echo \"${{{{ github.event.pull_request.base.ref }}}}\" ${{{{ github.head_ref }}}}\n{step_if}"
    )
}

#[test]
fn a_job_that_skips_forks_makes_pull_request_fields_low_and_says_why() {
    for guard in [
        "github.event.pull_request.head.repo.full_name == github.repository",
        "${{ github.repository == github.event.pull_request.head.repo.full_name }}",
        "\"!github.event.pull_request.head.repo.fork\"",
        "github.event.pull_request.head.repo.fork == false && github.actor != 'dependabot[bot]'",
    ] {
        let f = findings(INFO.id, &pr_job(&format!("    if: {guard}\n"), ""));
        assert_eq!(f.len(), 2, "{guard}: {f:?}");
        for one in &f {
            assert_eq!(one.severity, Severity::Low, "{guard}: {one:?}");
            assert!(
                one.message.contains("skips pull requests from forks"),
                "{one:?}"
            );
        }
    }
    // A step's own guard counts too.
    let f = findings(
        INFO.id,
        &pr_job(
            "",
            "        if: github.event.pull_request.head.repo.full_name == github.repository\n",
        ),
    );
    assert!(f.iter().all(|x| x.severity == Severity::Low), "{f:?}");
}

#[test]
fn a_guard_that_is_ored_negated_or_inverted_guards_nothing() {
    let severities = |text: &str| levels(text).into_iter().map(|(s, _)| s).collect::<Vec<_>>();
    let unguarded = severities(&pr_job("", ""));
    assert!(
        unguarded.iter().any(|s| *s > Severity::Low),
        "{unguarded:?}"
    );
    for guard in [
        "github.event.pull_request.head.repo.full_name == github.repository || github.event_name == 'push'",
        "github.event.pull_request.head.repo.full_name != github.repository",
        "\"!(github.event.pull_request.head.repo.full_name == github.repository)\"",
        "github.event.pull_request.head.repo.fork",
        "\"!github.event.pull_request.head.repo.forks_count\"",
    ] {
        let f = severities(&pr_job(&format!("    if: {guard}\n"), ""));
        assert_eq!(f, unguarded, "{guard}");
    }
}

#[test]
fn a_fork_guard_does_not_lower_other_contexts() {
    let f = findings(
        INFO.id,
        "on: issues\njobs:\n  t:\n    runs-on: ubuntu-latest\n    if: github.event.pull_request.head.repo.full_name == github.repository\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n",
    );
    assert_eq!(f[0].severity, Severity::High);
}
