//! Bad input: every case gives a clear message naming the thing, the scan
//! goes on with everything else, and nothing is written into the
//! repository.

use crate::support::*;
use std::process::Command;

#[test]
fn binary_non_utf8_long_lines_and_symlink_loops_do_not_stop_the_scan() {
    let mut r = Repo::new();
    let token = github_token(100);
    r.write("blob.bin", [0u8, 159, 146, 150, 0, 1, 2, 3]);
    r.write("latin1.txt", b"caf\xe9 na\xefve\n");
    r.write(
        "min.js",
        format!(
            "{}var t=\"{token}\";{}\n",
            "a;".repeat(200_000),
            "b;".repeat(200_000)
        ),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(r.path(), r.path().join("loop")).expect("symlink");
    r.commit("odd files");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(secrets(&v), vec![token], "{v:#}");
    // Minified code: reported at low, with the reason, and not blocking.
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(findings(&v)[0]["path_context"], "minified", "{v:#}");
    let ctx = findings(&v)[0]["context"].as_str().unwrap_or("").len();
    assert!(
        ctx <= 400,
        "the context of a very long line is trimmed ({ctx} bytes)"
    );
}

#[test]
fn a_folder_that_is_not_a_repository_is_scanned_as_files_with_a_note() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = github_token(110);
    std::fs::write(dir.path().join("conf.py"), format!("T = '{token}'\n")).expect("write");
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(secrets(&v), vec![token]);
    let notes = v["summary"]["notes"].to_string();
    assert!(notes.contains("not a git repository"), "{notes}");
}

#[test]
fn a_missing_path_is_a_named_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    let (code, v) = scan_json(&missing, &[]);
    assert_eq!(code, 2);
    assert!(v["summary"]["errors"].to_string().contains("nope"), "{v:#}");
}

#[test]
fn oversized_files_are_named_and_skipped() {
    let mut r = Repo::new();
    r.write("big.csv", "x,y\n".repeat(1000));
    r.write("small.py", format!("T = '{}'\n", github_token(120)));
    r.commit("sizes");
    let (_, v) = scan_json(r.path(), &["--no-history", "--max-file-size", "100"]);
    assert_eq!(secrets(&v).len(), 1);
    assert!(
        v["summary"]["skipped"].to_string().contains("big.csv"),
        "{v:#}"
    );
}

#[test]
fn a_shallow_clone_is_scanned_with_a_note() {
    let mut r = Repo::new();
    let old = github_token(130);
    r.write("a.py", format!("T = '{old}'\n"));
    r.commit("old");
    r.write("a.py", "T = None\n");
    r.commit("new");
    let shallow = tempfile::tempdir().expect("tempdir");
    let dest = shallow.path().join("s");
    let url = format!("file://{}", r.path().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&dest)
        .output()
        .expect("clone");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, v) = scan_json(&dest, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        v["summary"]["notes"].to_string().contains("shallow"),
        "{v:#}"
    );
}

#[test]
fn a_damaged_pack_is_named_and_the_rest_is_still_scanned() {
    let mut r = Repo::new();
    let packed = github_token(140);
    r.write("a.py", format!("T = '{packed}'\n"));
    for i in 0..30 {
        r.write(
            &format!("f{i}.txt"),
            format!("file {i} {}\n", "data ".repeat(50)),
        );
    }
    r.commit("packed");
    r.pack();
    let loose = github_token(141);
    r.write("b.py", format!("U = '{loose}'\n"));
    r.commit("loose");
    let pack_dir = r.path().join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .expect("pack dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack");
    let mut bytes = std::fs::read(&pack).expect("read pack");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&pack, bytes).expect("truncate pack");
    let (code, v) = scan_json(r.path(), &["--no-worktree"]);
    assert!(
        secrets(&v).contains(&loose),
        "loose objects are still scanned: {v:#}"
    );
    let errors = v["summary"]["errors"].to_string();
    assert!(
        errors.contains(".pack"),
        "the damaged pack is named: {errors}"
    );
    assert!(code == 1 || code == 2, "{code}");
}

#[test]
fn a_missing_object_is_named_and_the_rest_is_still_scanned() {
    let mut r = Repo::new();
    let token = github_token(150);
    r.write("keep/a.py", format!("T = '{token}'\n"));
    r.write("lost/b.txt", "will vanish\n");
    r.commit("two dirs");
    let tree = r.git(&["rev-parse", "HEAD:lost"]);
    let obj = r
        .path()
        .join(".git/objects")
        .join(&tree[..2])
        .join(&tree[2..]);
    std::fs::remove_file(obj).expect("remove loose tree");
    let (_, v) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(secrets(&v), vec![token], "{v:#}");
    assert!(
        v["summary"]["errors"].to_string().contains(&tree),
        "the missing tree is named: {v:#}"
    );
}

/// A blob HEAD holds and the repository does not is met twice, by the
/// read of HEAD's files (code for the code rules) and by the walk of
/// history, and named once, as missing.
#[test]
fn a_missing_blob_at_head_is_named_once() {
    let mut r = Repo::new();
    r.write("keep/a.py", "x = 1\n");
    r.write("lost/b.py", "y = 2  # will vanish\n");
    r.commit("two files");
    let blob = r.git(&["rev-parse", "HEAD:lost/b.py"]);
    let (_dir, bare) = r.mirror();
    let obj = bare.join("objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(obj).expect("remove the mirror's loose blob");
    let (code, v) = scan_json_default(&bare, &[]);
    assert_eq!(code, 2, "{v:#}");
    let errors = v["summary"]["errors"].to_string();
    assert_eq!(errors.matches(&blob).count(), 1, "{errors}");
    assert!(errors.contains("missing from the repository"), "{errors}");
}

#[test]
fn submodules_are_skipped_without_failing() {
    let mut sub = Repo::new();
    sub.write("s.txt", "sub\n");
    sub.commit("sub");
    let mut r = Repo::new();
    r.write("a.txt", "main\n");
    r.commit("main");
    let url = format!("file://{}", sub.path().display());
    r.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "-q",
        "add",
        &url,
        "vendor/sub",
    ]);
    r.commit("add submodule");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn scanning_writes_nothing_into_the_repository() {
    let mut r = Repo::new();
    r.write("a.py", format!("T = '{}'\n", github_token(160)));
    r.commit("one");
    let before = snapshot_tree(r.path());
    let p = r.path().to_string_lossy().into_owned();
    for format in [
        "human", "json", "sarif", "markdown", "csv", "junit", "gitlab",
    ] {
        let out = keepopen(&["scan", &p, "--format", format, "--no-progress"], r.path());
        assert_eq!(out.status.code(), Some(1));
    }
    assert!(
        before == snapshot_tree(r.path()),
        "the scan changed files in the repository"
    );
}

#[test]
fn a_missing_path_beside_a_repository_with_findings_exits_2_with_the_error_on_stderr() {
    let mut r = Repo::new();
    r.write("config.env", format!("TOKEN={}\n", github_token(51)));
    r.commit("add config");
    let missing = r.path().join("nope");
    let (repo, nope) = (
        r.path().to_str().expect("utf-8"),
        missing.to_str().expect("utf-8"),
    );
    let out = keepopen(&["scan", "--no-progress", repo, nope], r.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error:") && stderr.contains("nope"),
        "{stderr}"
    );
    let allowed = keepopen(
        &["scan", "--no-progress", "--allow-incomplete", repo, nope],
        r.path(),
    );
    assert_eq!(allowed.status.code(), Some(1), "findings still block");
}

#[test]
fn baseline_create_over_a_missing_path_exits_2_unless_incomplete_is_allowed() {
    let r = Repo::new();
    let missing = r.path().join("nope");
    let nope = missing.to_str().expect("utf-8");
    let out = keepopen(&["baseline", "create", "--no-progress", nope], r.path());
    assert_eq!(out.status.code(), Some(2));
    let allowed = keepopen(
        &[
            "baseline",
            "create",
            "--no-progress",
            "--allow-incomplete",
            nope,
        ],
        r.path(),
    );
    assert_eq!(allowed.status.code(), Some(0));
}

/// A repository git knows but keepopen cannot open must not pass as "not a
/// git repository" with a clean exit: its whole history would go unread.
#[test]
fn a_repository_whose_history_cannot_be_opened_is_an_error_and_exits_2() {
    let mut v99 = Repo::new();
    v99.write("a.txt", "a\n");
    v99.commit("a");
    v99.git(&["config", "core.repositoryformatversion", "99"]);
    let (code, v) = scan_json(v99.path(), &[]);
    assert_eq!(code, 2, "{v:#}");
    let errors = v["summary"]["errors"].to_string();
    assert!(errors.contains("history not scanned"), "{v:#}");
}
