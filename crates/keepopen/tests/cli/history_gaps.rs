//! History that cannot all be read is never a silent gap: every object
//! history references and the repository does not hold is an error naming
//! it, a path and a commit; the scan exits 2 and still reports the rest.

use crate::support::{Repo, github_token, scan_json, secrets};
use std::path::{Path, PathBuf};
use std::process::Command;

fn loose(r: &Repo, id: &str) -> PathBuf {
    r.path().join(".git/objects").join(&id[..2]).join(&id[2..])
}

fn errors(v: &serde_json::Value) -> String {
    v["summary"]["errors"].to_string()
}

fn in_pack_dir(r: &Repo, ext: &str) -> PathBuf {
    std::fs::read_dir(r.path().join(".git/objects/pack"))
        .expect("pack dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .expect("a pack file")
}

#[test]
fn a_deleted_loose_blob_is_named_with_its_path_and_commit() {
    let mut r = Repo::new();
    let kept = github_token(300);
    let lost = github_token(301);
    r.write("kept.py", format!("T = '{kept}'\n"));
    r.write("config/lost.py", format!("U = '{lost}'\n"));
    let commit = r.commit("two secrets");
    let blob = r.git(&["rev-parse", "HEAD:config/lost.py"]);
    std::fs::remove_file(loose(&r, &blob)).expect("remove the blob");
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(code, 2, "an incomplete scan exits 2: {v:#}");
    assert_eq!(secrets(&v), vec![kept], "the rest is still scanned");
    let errors = errors(&v);
    for part in [blob.as_str(), "config/lost.py", commit.as_str()] {
        assert!(errors.contains(part), "names {part}: {errors}");
    }
}

#[test]
fn a_missing_parent_commit_is_an_error_in_a_full_clone() {
    let mut r = Repo::new();
    r.write("a.txt", "one\n");
    let first = r.commit("first");
    r.write("b.txt", "two\n");
    let second = r.commit("second");
    std::fs::remove_file(loose(&r, &first)).expect("remove the first commit");
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(code, 2, "{v:#}");
    let errors = errors(&v);
    assert!(
        errors.contains(&first) && errors.contains(&second),
        "the missing commit and its child are named: {errors}"
    );
}

#[test]
fn a_branch_at_a_missing_commit_is_named() {
    let mut r = Repo::new();
    let token = github_token(302);
    r.write("a.py", format!("T = '{token}'\n"));
    r.commit("a");
    let ghost = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(r.path().join(".git/refs/heads/ghost"), format!("{ghost}\n"))
        .expect("write ref");
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(secrets(&v), vec![token]);
    let errors = errors(&v);
    assert!(
        errors.contains("refs/heads/ghost") && errors.contains(ghost),
        "the branch and its commit are named: {errors}"
    );
}

#[test]
fn a_pack_without_its_index_is_still_read() {
    let mut r = Repo::new();
    let token = github_token(303);
    r.write("a.py", format!("T = '{token}'\n"));
    r.commit("a");
    r.write("a.py", "T = ''\n");
    r.commit("removed");
    r.pack();
    let idx = in_pack_dir(&r, "idx");
    std::fs::remove_file(&idx).expect("remove the index");
    let before = listing(&r.path().join(".git"));
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(secrets(&v), vec![token], "{v:#}");
    assert_eq!(code, 1, "complete, with a finding: {v:#}");
    assert!(
        v["summary"]["notes"].to_string().contains("no index"),
        "the pack's missing index is said: {v:#}"
    );
    assert_eq!(
        before,
        listing(&r.path().join(".git")),
        "no index is written into the repository"
    );
}

#[test]
fn a_blobless_partial_clone_says_how_many_blobs_are_absent_and_how_to_fetch_them() {
    let mut src = Repo::new();
    src.git(&["config", "uploadpack.allowFilter", "true"]);
    for i in 0..3 {
        src.write("a.py", format!("T = '{}'\n", github_token(310 + i)));
        src.commit(&format!("v{i}"));
    }
    src.write("a.py", "T = ''\n");
    src.commit("clean");
    let dir = tempfile::tempdir().expect("tempdir");
    let clone = dir.path().join("clone");
    let url = format!("file://{}", src.path().display());
    let ok = Command::new("git")
        .args(["clone", "-q", "--filter=blob:none", &url])
        .arg(&clone)
        .status()
        .expect("git clone")
        .success();
    assert!(ok);
    let (code, v) = scan_json(&clone, &["--no-worktree"]);
    assert_eq!(code, 2, "{v:#}");
    let errors = errors(&v);
    assert!(
        errors.contains("partial clone: 3 blobs")
            && errors.contains("git backfill")
            && errors.contains("`a.py` in commit"),
        "{errors}"
    );
}

#[test]
fn an_alternates_file_that_names_its_own_repository_is_read_once() {
    let mut r = Repo::new();
    let token = github_token(320);
    r.write("a.py", format!("T = '{token}'\n"));
    r.commit("a");
    let objects = r.path().join(".git/objects");
    std::fs::create_dir_all(objects.join("info")).expect("info");
    std::fs::write(
        objects.join("info/alternates"),
        format!("{}\n../objects\n", objects.display()),
    )
    .expect("alternates");
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(secrets(&v), vec![token]);
}

#[test]
fn an_unlistable_object_folder_is_an_error() {
    let mut r = Repo::new();
    let token = github_token(321);
    r.write("a.py", format!("T = '{token}'\n"));
    r.commit("a");
    let blob = r.git(&["rev-parse", "HEAD:a.py"]);
    let fan = r.path().join(".git/objects").join(&blob[..2]);
    // Root reads any folder, so unreadable is made unlistable: a file.
    let aside = r.path().join("aside");
    std::fs::rename(&fan, &aside).expect("move the folder");
    std::fs::write(&fan, "").expect("a file where the folder was");
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(code, 2, "{v:#}");
    let errors = errors(&v);
    assert!(
        errors.contains(&format!("objects/{}", &blob[..2])) && errors.contains(&blob),
        "the folder and the blob it held are named: {errors}"
    );
}

#[test]
fn a_sha256_repository_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sha = dir.path().join("sha");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(dir.path())
            .status()
            .expect("git runs")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "--object-format=sha256", "sha"]);
    let token = github_token(322);
    std::fs::write(sha.join("a.py"), format!("T = '{token}'\n")).expect("write");
    git(&["-C", "sha", "add", "a.py"]);
    git(&["-C", "sha", "commit", "-qm", "a"]);
    std::fs::write(sha.join("a.py"), "T = ''\n").expect("write");
    git(&["-C", "sha", "commit", "-qam", "clean"]);
    let (code, v) = scan_json(&sha, &["--no-worktree"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(secrets(&v), vec![token]);
    let commit = v["findings"][0]["commit"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(commit.len(), 64, "a SHA-256 commit id: {v:#}");
}

fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .expect("read dir")
            .filter_map(Result::ok)
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_tag_and_a_stash_at_missing_commits_are_named() {
    let mut r = Repo::new();
    let token = github_token(303);
    r.write("a.py", format!("T = '{token}'\n"));
    r.commit("a");
    let ghost_tag = "1123456789abcdef0123456789abcdef01234567";
    let ghost_stash = "2123456789abcdef0123456789abcdef01234567";
    std::fs::create_dir_all(r.path().join(".git/refs/tags")).expect("tags dir");
    std::fs::write(
        r.path().join(".git/refs/tags/v0-lost"),
        format!("{ghost_tag}\n"),
    )
    .expect("write tag");
    std::fs::write(r.path().join(".git/refs/stash"), format!("{ghost_stash}\n"))
        .expect("write stash");
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(secrets(&v), vec![token], "the rest is still scanned");
    let errors = errors(&v);
    for part in ["refs/tags/v0-lost", ghost_tag, ghost_stash] {
        assert!(errors.contains(part), "names {part}: {errors}");
    }
}

/// SARIF says a run that could not read everything was not successful,
/// and lists what was not read, on a real incomplete scan.
#[test]
fn sarif_of_an_incomplete_scan_is_not_successful_and_lists_the_gap() {
    let mut r = Repo::new();
    r.write("lost.py", format!("U = '{}'\n", github_token(304)));
    r.commit("one");
    let blob = r.git(&["rev-parse", "HEAD:lost.py"]);
    std::fs::remove_file(loose(&r, &blob)).expect("remove the blob");
    std::fs::remove_file(r.path().join("lost.py")).expect("remove the file");
    let out = crate::support::keepopen(
        &[
            "scan",
            ".",
            "--format",
            "sarif",
            "--no-progress",
            "--detectors",
            "secrets",
        ],
        r.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false, "{inv:#}");
    assert!(
        inv["toolExecutionNotifications"]
            .to_string()
            .contains(&blob),
        "{inv:#}"
    );
}
