//! `keepopen org` through the real CLI, on a folder of clones built here
//! (bare and not), and on a list with a path that is not there.

use crate::support::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn clone(from: &Path, to: &Path, bare: bool) {
    let mut args = vec!["clone", "-q"];
    if bare {
        args.push("--mirror");
    }
    let (from, to) = (from.to_string_lossy(), to.to_string_lossy());
    args.extend([from.as_ref(), to.as_ref()]);
    let out = Command::new("git").args(&args).output().expect("git clone");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Three repositories: one owned and clean, one with a leaked token, one
/// idle with no owner; the last as a bare mirror.
fn organisation() -> (tempfile::TempDir, String) {
    let org = tempfile::tempdir().expect("tempdir");
    let mut clean = Repo::new();
    clean.write(
        "README.md",
        "# Guidance\n\nMaintained by the standards team: standards@example.org\n",
    );
    clean.write(
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities privately to security@example.org.\n",
    );
    clean.write("guide/intro.md", "# Intro\n");
    clean.commit("guidance");
    let mut leaky = Repo::new();
    leaky.write(
        "README.md",
        "# Tool\n\nMaintained by the data team: data@example.org\n",
    );
    leaky.write(
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities privately to security@example.org.\n",
    );
    leaky.write("app.py", format!("TOKEN = \"{}\"\n", github_token(31)));
    leaky.commit("tool");
    let mut idle = Repo::new();
    idle.write("model.R", "x <- 1\n");
    idle.commit("model");
    std::fs::create_dir_all(org.path().join("team-a")).expect("mkdir");
    std::fs::create_dir_all(org.path().join("not-a-repo/notes")).expect("mkdir");
    clone(clean.path(), &org.path().join("team-a/guidance"), false);
    clone(leaky.path(), &org.path().join("team-a/tool"), false);
    clone(idle.path(), &org.path().join("model.git"), true);
    let p = org.path().to_string_lossy().into_owned();
    (org, p)
}

fn org_json(args: &[&str], cwd: &Path) -> (Option<i32>, Value) {
    let mut all = vec!["org"];
    all.extend_from_slice(args);
    all.extend(["--format", "json", "--no-progress"]);
    let out = keepopen(&all, cwd);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

fn by_path<'a>(v: &'a Value, tail: &str) -> &'a Value {
    v["repositories"]
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(tail)))
        })
        .unwrap_or_else(|| panic!("no row for {tail}: {v:#}"))
}

#[test]
fn an_organisation_folder_gives_one_recommendation_per_repository() {
    let (org, p) = organisation();
    let (code, v) = org_json(&[&p], org.path());
    assert_eq!(code, Some(1), "a token blocks: {v:#}");
    assert_eq!(
        v["summary"]["repositories"], 3,
        "the folder that is not a repository is not one: {v:#}"
    );
    assert_eq!(
        by_path(&v, "team-a/tool")["recommendation"],
        "open-after-fixes"
    );
    assert_eq!(
        by_path(&v, "team-a/tool")["fixes"][0]["kind"],
        "rotate-credentials"
    );
    assert_eq!(
        by_path(&v, "model.git")["recommendation"],
        "archive",
        "bare, idle, no owner"
    );
    assert_eq!(by_path(&v, "team-a/guidance")["class"], "documentation");
    assert_eq!(by_path(&v, "team-a/tool")["findings"]["blocking"], 1);
    assert!(!v.to_string().contains(&github_token(31)), "redacted");
    let schema: Value = serde_json::from_str(keepopen_report::ORG_SCHEMA).expect("schema");
    assert_eq!(schema["properties"]["version"]["const"], v["version"]);

    // The same run as CSV: a header and a row per repository.
    let out = keepopen(&["org", &p, "--format", "csv", "--no-progress"], org.path());
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.contains("model.git") && l.contains(",archive,")),
        "{csv}"
    );
}

#[test]
fn a_list_names_what_is_missing_and_scans_the_rest() {
    let (org, p) = organisation();
    let list = org.path().join("repos.txt");
    std::fs::write(
        &list,
        format!("# our repositories\n{p}/team-a/tool public\n{p}/gone private\n{p}/not-a-repo\nmodel.git\n{p}/team-a/guidance private # closed in May\n"),
    )
    .expect("list");
    let l = list.to_string_lossy().into_owned();
    let (code, v) = org_json(&["--list", &l], org.path());
    assert_eq!(code, Some(2), "incomplete: {v:#}");
    assert_eq!(v["summary"]["repositories"], 5);
    assert_eq!(v["summary"]["by_recommendation"]["error"], 2);
    let gone = by_path(&v, "/gone");
    assert_eq!(gone["recommendation"], "error");
    assert!(
        gone["errors"][0]
            .to_string()
            .contains("repos.txt:3: no such folder"),
        "{gone:#}"
    );
    assert_eq!(gone["visibility"], "private");
    assert!(
        by_path(&v, "not-a-repo")["errors"][0]
            .to_string()
            .contains("not a git repository")
    );
    assert_eq!(by_path(&v, "team-a/tool")["visibility"], "public");
    assert_eq!(
        by_path(&v, "model.git")["recommendation"],
        "archive",
        "relative to the list"
    );
}

#[test]
fn shards_split_the_organisation_without_overlap() {
    let (org, p) = organisation();
    let mut seen: Vec<String> = Vec::new();
    for shard in ["0/2", "1/2"] {
        let (_, v) = org_json(&[&p, "--shard", shard], org.path());
        assert_eq!(v["shard"], shard);
        for r in v["repositories"].as_array().cloned().unwrap_or_default() {
            seen.push(r["path"].as_str().unwrap_or_default().to_string());
        }
    }
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "no repository in two shards");
    assert_eq!(seen.len(), 3, "every repository in one shard: {seen:?}");
    let out = keepopen(&["org", &p, "--shard", "2/2"], org.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("I must be below N"));
}
