//! The scripts of the GitHub Action (`action.yml`), the Azure Pipelines
//! template and the GitLab job, read from those files and run with bash
//! and the variables each CI system would set: on a pull request they
//! report only the token the pull request adds, write every report they
//! promise, and their verdict fails on blocking findings.

use crate::support::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml(rel: &str) -> yaml_serde::Value {
    let text = std::fs::read_to_string(root().join(rel)).expect(rel);
    yaml_serde::from_str(&text).expect(rel)
}

/// The `run:` script of the action's step `id`.
fn action_step(id: &str) -> String {
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let step = steps
        .iter()
        .find(|s| s["id"].as_str() == Some(id) || s["name"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step {id}"));
    step["run"].as_str().expect("run").to_string()
}

fn bash(script: &str, cwd: &Path, env: &BTreeMap<&str, String>) -> Output {
    Command::new("bash")
        .args(["-c", script])
        .current_dir(cwd)
        .envs(env)
        .env("KEEPOPEN_DB", "/nonexistent/keepopen-tests.db")
        .output()
        .expect("bash runs")
}

fn said(o: &Output) -> String {
    format!(
        "exit {:?}\n{}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A repository whose main branch already holds a token, and a pull
/// request's commit that adds another: (repo, base, old token, new token).
fn pull_request() -> (Repo, String, String, String) {
    let mut r = Repo::new();
    let (old, new) = (github_token(71), github_token(72));
    r.write("README.md", "# Referrals\n");
    r.write("settings/old.env", format!("GITHUB_TOKEN={old}\n"));
    let base = r.commit("main");
    r.write("src/client.py", format!("TOKEN = \"{new}\"\n"));
    r.commit("the pull request");
    (r, base, old, new)
}

/// The files of the SARIF's token findings (a whole scan adds posture
/// checks).
fn results(sarif: &Path) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sarif).expect("sarif")).expect("json");
    v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "github-pat-classic")
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

fn outputs(file: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn github_env(r: &Repo, tmp: &Path, event: &str) -> BTreeMap<&'static str, String> {
    let mut env = BTreeMap::new();
    env.insert("KEEPOPEN", env!("CARGO_BIN_EXE_keepopen").to_string());
    env.insert("INPUT_PATH", r.path().to_string_lossy().into_owned());
    env.insert("INPUT_SINCE", "auto".into());
    env.insert("INPUT_BASELINE", String::new());
    env.insert("INPUT_FAIL_ON", String::new());
    env.insert("INPUT_SUMMARY", "true".into());
    env.insert("INPUT_ARGS", String::new());
    env.insert("EVENT_NAME", event.into());
    env.insert("RUNNER_TEMP", tmp.to_string_lossy().into_owned());
    env.insert(
        "GITHUB_OUTPUT",
        tmp.join("output").to_string_lossy().into_owned(),
    );
    env.insert(
        "GITHUB_STEP_SUMMARY",
        tmp.join("summary.md").to_string_lossy().into_owned(),
    );
    for k in ["PR_BASE_SHA", "PUSH_BEFORE", "MERGE_GROUP_BASE_SHA"] {
        env.insert(k, String::new());
    }
    env
}

#[test]
fn the_action_reports_what_a_pull_request_adds_and_its_verdict_fails() {
    let (r, base, old, new) = pull_request();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut env = github_env(&r, tmp.path(), "pull_request");
    env.insert("PR_BASE_SHA", base);
    let out = bash(&action_step("scan"), r.path(), &env);
    assert!(out.status.success(), "{}", said(&out));
    let o = outputs(&tmp.path().join("output"));
    assert_eq!(o.get("exit-code").map(String::as_str), Some("1"), "{o:?}");
    let sarif = PathBuf::from(o.get("sarif-file").expect("sarif-file"));
    assert_eq!(results(&sarif), ["src/client.py"], "only the new token");
    let summary = std::fs::read_to_string(tmp.path().join("summary.md")).expect("summary");
    assert!(summary.contains("src/client.py"), "{summary}");
    assert!(!summary.contains("settings/old.env"), "{summary}");
    for text in [&summary, &std::fs::read_to_string(&sarif).expect("sarif")] {
        assert!(
            !text.contains(&new) && !text.contains(&old),
            "a token shown"
        );
    }

    // The verdict fails the job on blocking findings, and only then.
    let verdict = action_step("keepopen verdict");
    let code = |c: &str| {
        let env = BTreeMap::from([("CODE", c.to_string())]);
        bash(&verdict, r.path(), &env).status.code()
    };
    assert_eq!(
        (code("0"), code("1"), code("2"), code("")),
        (Some(0), Some(1), Some(2), Some(2))
    );
    // Nothing was written into the repository.
    assert_eq!(r.git(&["status", "--porcelain", "--ignored"]), "");
}

#[test]
fn the_action_scans_everything_on_a_new_branch_and_after_a_force_push() {
    let (r, _, _, _) = pull_request();
    for before in ["0000000000000000000000000000000000000000", &"e".repeat(40)] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut env = github_env(&r, tmp.path(), "push");
        env.insert("PUSH_BEFORE", before.to_string());
        let out = bash(&action_step("scan"), r.path(), &env);
        assert!(out.status.success(), "{}", said(&out));
        let o = outputs(&tmp.path().join("output"));
        let mut found = results(Path::new(o.get("sarif-file").expect("sarif")));
        found.sort();
        assert_eq!(found, ["settings/old.env", "src/client.py"], "{before}");
    }
}

/// The Azure template's scan step: its bash and env.
fn azure_scan() -> String {
    let t = yaml("ci/azure-pipelines/keepopen.yml");
    let steps = t["steps"].as_sequence().expect("steps");
    steps
        .iter()
        .find(|s| s["displayName"].as_str() == Some("keepopen scan"))
        .and_then(|s| s["bash"].as_str())
        .expect("the scan step")
        .to_string()
}

#[test]
fn the_azure_template_writes_junit_and_sarif_for_what_a_pull_request_adds() {
    let (r, base, _, _) = pull_request();
    // The clone an Azure agent makes: the target branch as origin/main.
    r.git(&["update-ref", "refs/remotes/origin/main", &base]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let bin = tmp.path().join("root/bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_keepopen"), bin.join("keepopen"))
        .expect("symlink");
    let (sarif_dir, junit_dir) = (tmp.path().join("sarif"), tmp.path().join("junit"));
    let env = BTreeMap::from([
        (
            "KEEPOPEN_ROOT",
            tmp.path().join("root").display().to_string(),
        ),
        ("INPUT_PATH", r.path().display().to_string()),
        ("INPUT_SINCE", "auto".to_string()),
        ("INPUT_BASELINE", String::new()),
        ("INPUT_FAIL_ON", String::new()),
        ("INPUT_ARGS", String::new()),
        ("BUILD_REASON", "PullRequest".to_string()),
        ("TARGET_BRANCH", "refs/heads/main".to_string()),
        ("SARIF_DIR", sarif_dir.display().to_string()),
        ("JUNIT_DIR", junit_dir.display().to_string()),
    ]);
    let out = bash(&azure_scan(), r.path(), &env);
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("##vso[task.setvariable variable=KEEPOPEN_EXIT]1"),
        "{}",
        said(&out)
    );
    assert_eq!(
        results(&sarif_dir.join("keepopen.sarif")),
        ["src/client.py"]
    );
    let junit = std::fs::read_to_string(junit_dir.join("keepopen-junit.xml")).expect("junit");
    assert!(junit.contains("src/client.py") && !junit.contains("settings/old.env"));
    assert!(junit.contains("<failure"), "{junit}");
}

#[test]
fn the_gitlab_job_reports_what_a_merge_request_adds_and_fails() {
    let (r, base, _, _) = pull_request();
    let job = yaml("ci/gitlab/keepopen.gitlab-ci.yml");
    let script: Vec<&str> = job["keepopen"]["script"]
        .as_sequence()
        .expect("script")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    // The binary where the job's cache keeps it, in the work tree.
    let bin = r.path().join(".keepopen/bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    std::fs::copy(env!("CARGO_BIN_EXE_keepopen"), bin.join("keepopen")).expect("copy");
    let env = BTreeMap::from([("CI_MERGE_REQUEST_DIFF_BASE_SHA", base)]);
    let out = bash(&script.join("\n"), r.path(), &env);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(r.path().join("gl-secret-detection-report.json")).expect("report"),
    )
    .expect("json");
    let files: Vec<&str> = report["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .filter_map(|v| v["location"]["file"].as_str())
        .collect();
    assert_eq!(files, ["src/client.py"], "{report}");
    let junit = std::fs::read_to_string(r.path().join("keepopen-junit.xml")).expect("junit");
    assert!(junit.contains("src/client.py"));

    // On the default branch: the whole repository, less the job's cached
    // binary in the work tree (whose rule examples would be findings).
    for f in ["gl-secret-detection-report.json", "keepopen-junit.xml"] {
        std::fs::remove_file(r.path().join(f)).expect("rm");
    }
    let out = bash(&script.join("\n"), r.path(), &BTreeMap::new());
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    let junit = std::fs::read_to_string(r.path().join("keepopen-junit.xml")).expect("junit");
    assert!(junit.contains("settings/old.env") && junit.contains("src/client.py"));
    assert!(
        !junit.contains(".keepopen/"),
        "the cached binary was read: {junit}"
    );
    // Nothing in .git was touched: the only changes are the job's files.
    let status = r.git(&["status", "--porcelain", "--untracked-files=all"]);
    let mut changed: Vec<&str> = status.lines().collect();
    changed.sort();
    assert_eq!(
        changed,
        [
            "?? .keepopen/bin/keepopen",
            "?? gl-secret-detection-report.json",
            "?? keepopen-junit.xml"
        ]
    );
    let exclude = std::fs::read_to_string(r.path().join(".git/info/exclude")).unwrap_or_default();
    assert!(!exclude.contains("keepopen"), "{exclude}");
}
