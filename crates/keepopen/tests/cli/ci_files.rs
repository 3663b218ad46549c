//! keepopen's own CI integrations stay clean: its workflow audits report
//! nothing on the root `action.yml` (a composite action, which the audits
//! read) or on `.github/workflows/*.yml`. A planted composite action with an
//! injected input proves the audits did read actions in this run. The Azure
//! Pipelines and GitLab templates are carried along, but the audits read
//! only GitHub Actions files.

use crate::support::*;
use std::path::Path;

const CONTROL: &str = "\
name: control
inputs:
  who:
    description: name
runs:
  using: composite
  steps:
    - run: echo \"${{ inputs.who }}\"
      shell: bash
";

#[test]
fn the_action_and_workflows_this_repository_ships_pass_its_workflow_audits() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut r = Repo::new();
    let mut files = vec![
        "action.yml".to_string(),
        "ci/azure-pipelines/keepopen.yml".to_string(),
        "ci/gitlab/keepopen.gitlab-ci.yml".to_string(),
    ];
    let workflows = std::fs::read_dir(root.join(".github/workflows")).expect("workflows");
    for entry in workflows {
        let name = entry.expect("entry").file_name();
        files.push(format!(".github/workflows/{}", name.to_string_lossy()));
    }
    for f in &files {
        r.write(f, std::fs::read(root.join(f)).expect(f));
    }
    r.write("control/action.yml", CONTROL);
    r.commit("the CI files");

    let (_, v) = scan_json(r.path(), &["--detectors", "workflows", "--no-history"]);
    let (control, ours): (Vec<_>, Vec<_>) = findings(&v)
        .into_iter()
        .partition(|f| f["path"] == "control/action.yml");
    assert!(
        control
            .iter()
            .any(|f| f["rule"] == "workflow-template-injection"),
        "the planted injection was not found: {v}"
    );
    let ours: Vec<String> = ours
        .iter()
        .map(|f| format!("{} {}:{} {}", f["rule"], f["path"], f["line"], f["detail"]))
        .collect();
    assert!(ours.is_empty(), "workflow findings:\n{}", ours.join("\n"));
    // A file the audits cannot parse is an error, not a finding.
    let errors = &v["summary"]["errors"];
    assert!(
        errors.as_array().is_none_or(|e| e.is_empty()),
        "errors: {errors}"
    );
}
