//! `--staged`, `--since` and `--range`: only what a commit or a pull
//! request adds, on real repositories the tests build.

use crate::support::*;
use serde_json::Value;

fn problems(v: &Value) -> String {
    format!("{} {}", v["summary"]["notes"], v["summary"]["errors"])
}

fn paths(v: &Value) -> Vec<String> {
    let mut p: Vec<String> = findings(v)
        .iter()
        .map(|f| f["path"].as_str().unwrap_or_default().to_string())
        .collect();
    p.sort();
    p
}

#[test]
fn staged_scans_what_is_staged_and_nothing_else() {
    let mut r = Repo::new();
    let (in_history, staged, unstaged, untracked) = (
        github_token(40),
        github_token(41),
        github_token(42),
        github_token(43),
    );
    r.write("old.py", format!("T = '{in_history}'\n"));
    r.write("app.py", "print('hello')\n");
    r.commit("start");
    r.write("old.py", "T = os.environ['T']\n");
    r.commit("use the environment");
    r.write("config/new.py", format!("TOKEN = '{staged}'\n"));
    r.git(&["add", "config/new.py"]);
    // Edited but not staged, and never added: not the next commit.
    r.write("app.py", format!("print('{unstaged}')\n"));
    r.write("scratch.py", format!("X = '{untracked}'\n"));
    let before = snapshot_tree(r.path());

    let (code, v) = scan_json(r.path(), &["--staged"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(secrets(&v), vec![staged.clone()], "{v:#}");
    let f = &findings(&v)[0];
    assert_eq!(f["path"], "config/new.py");
    assert_eq!(f["line"], 1);
    assert!(f["commit"].is_null(), "staged content has no commit: {f}");
    assert_eq!(
        before,
        snapshot_tree(r.path()),
        "the scan wrote nothing, index included"
    );
}

#[test]
fn staged_reports_what_the_change_adds_not_what_the_file_held() {
    let mut r = Repo::new();
    let (held, added) = (github_token(44), github_token(45));
    r.write("settings.py", format!("A = '{held}'\n"));
    r.write("moved/keep.py", format!("K = '{held}'\n"));
    r.commit("start");
    // A line added beside an old secret, and a file moved unchanged.
    r.write("settings.py", format!("A = '{held}'\nDEBUG = False\n"));
    r.git(&["add", "settings.py"]);
    r.git(&["mv", "moved/keep.py", "kept.py"]);
    let (code, v) = scan_json(r.path(), &["--staged"]);
    assert_eq!(code, 0, "nothing new: {v:#}");
    assert!(findings(&v).is_empty(), "{v:#}");

    r.write("settings.py", format!("A = '{held}'\nB = '{added}'\n"));
    r.git(&["add", "settings.py"]);
    let (code, v) = scan_json(r.path(), &["--staged"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(secrets(&v), vec![added], "{v:#}");
    assert_eq!(findings(&v)[0]["line"], 2);
}

/// Folders git's cache tree says are unchanged are not read; those above
/// a change, a move or a deletion are, to the file.
#[test]
fn staged_finds_each_change_among_many_unchanged_folders() {
    let mut r = Repo::new();
    let (held, deep, fresh, beside) = (
        github_token(50),
        github_token(51),
        github_token(52),
        github_token(53),
    );
    for d in 0..30 {
        r.write(&format!("mod{d}/sub/a.py"), format!("A = {d}\n"));
        r.write(&format!("mod{d}/b.py"), format!("B = {d}\n"));
    }
    r.write("mod3/sub/held.py", format!("H = '{held}'\n"));
    r.commit("start");
    // A checkout's index: every folder of the cache tree valid.
    r.git(&["read-tree", "HEAD"]);
    r.write("mod7/sub/a.py", format!("A = '{deep}'\n"));
    r.write("mod9/sub/deeper/new.py", format!("N = '{fresh}'\n"));
    r.write("new/c.py", format!("C = '{beside}'\n"));
    r.git(&["add", "mod7", "mod9", "new"]);
    // Moved unchanged, and deleted: nothing new.
    r.git(&["mv", "mod3/sub/held.py", "mod4/held.py"]);
    r.git(&["rm", "-q", "mod5/b.py"]);

    let (code, v) = scan_json(r.path(), &["--staged", "--detectors", "secrets"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        paths(&v),
        ["mod7/sub/a.py", "mod9/sub/deeper/new.py", "new/c.py"],
        "{v:#}"
    );
    let mut found = secrets(&v);
    found.sort();
    let mut want = vec![deep, fresh, beside];
    want.sort();
    assert_eq!(found, want);
    assert!(!secrets(&v).contains(&held), "the moved file is not new");
}

#[test]
fn staged_in_a_new_repository_reads_every_staged_file() {
    let r = Repo::new();
    let token = github_token(46);
    r.write("a.py", format!("T = '{token}'\n"));
    r.git(&["add", "a.py"]);
    let (code, v) = scan_json(r.path(), &["--staged"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(secrets(&v), vec![token]);
}

#[test]
fn nothing_staged_is_said_and_passes() {
    let mut r = Repo::new();
    r.write("a.py", "print(1)\n");
    r.commit("start");
    r.write("a.py", format!("print('{}')\n", github_token(47)));
    let (code, v) = scan_json(r.path(), &["--staged"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(findings(&v).is_empty());
    assert!(problems(&v).contains("nothing staged"), "{v:#}");
}

#[test]
fn staged_outside_a_repository_is_an_error_naming_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.py"), "print(1)\n").expect("write");
    let p = dir.path().to_string_lossy().into_owned();
    let out = keepopen(&["scan", &p, "--staged", "--no-progress"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&p) && err.contains("not a git repository"),
        "{err}"
    );
}

/// main: a secret that is history before the branch; feature: one commit
/// adds a secret and the next removes it and adds another elsewhere;
/// main moves on with a third, which feature merges in.
fn branched() -> (Repo, [String; 4], [String; 2]) {
    let mut r = Repo::new();
    let t: [String; 4] = std::array::from_fn(|i| github_token(50 + i as u64));
    r.write("base.py", format!("T = '{}'\n", t[0]));
    r.write("README.md", "# demo\n");
    r.commit("start");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("feature.py", format!("T = '{}'\n", t[1]));
    let c2 = r.commit("add a token");
    r.write("feature.py", "T = os.environ['T']\n");
    r.write("other/config.yml", format!("token: {}\n", t[2]));
    let c3 = r.commit("move it");
    r.git(&["checkout", "-q", "main"]);
    r.write("main.py", format!("T = '{}'\n", t[3]));
    r.commit("main moves on");
    r.git(&["checkout", "-q", "feature"]);
    r.git(&["merge", "-q", "--no-edit", "main"]);
    (r, t, [c2, c3])
}

#[test]
fn since_scans_only_what_the_commits_after_the_ref_add() {
    let (r, t, [c2, c3]) = branched();
    let before = snapshot_tree(r.path());
    let (code, v) = scan_json(r.path(), &["--since", "main"]);
    assert_eq!(code, 1, "{v:#}");
    let mut got = secrets(&v);
    got.sort();
    let mut want = vec![t[1].clone(), t[2].clone()];
    want.sort();
    assert_eq!(
        got, want,
        "not main's own, nor what the merge brought in: {v:#}"
    );
    for f in findings(&v) {
        let (path, commit) = (
            f["path"].as_str().unwrap_or_default(),
            f["commit"].as_str().unwrap_or_default(),
        );
        match path {
            "feature.py" => {
                assert_eq!(commit, c2);
                assert_eq!(f["in_head"], false, "removed again: {f}");
            }
            "other/config.yml" => {
                assert_eq!(commit, c3);
                assert_eq!(f["in_head"], true);
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(before, snapshot_tree(r.path()));

    // The same with both ends named; and a range that adds nothing.
    let (code, v) = scan_json(r.path(), &["--range", &format!("main..{c2}")]);
    assert_eq!(code, 1);
    assert_eq!(secrets(&v), vec![t[1].clone()]);
    let (code, v) = scan_json(r.path(), &["--range", "feature..feature"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(problems(&v).contains("adds no file"), "{v:#}");
}

#[test]
fn since_with_a_baseline_fails_only_on_what_the_branch_adds() {
    let mut r = Repo::new();
    let old = github_token(60);
    r.write("x.py", format!("T = '{old}'\n"));
    r.commit("start");
    r.write("x.py", "T = os.environ['T']\n");
    r.commit("remove it");
    let baseline = r.path().join("baseline.json");
    let b = baseline.to_string_lossy().into_owned();
    let out = keepopen(
        &[
            "baseline",
            "create",
            &r.path().to_string_lossy(),
            "--output",
            &b,
            "--detectors",
            "secrets",
            "--no-progress",
        ],
        r.path(),
    );
    assert!(out.status.success(), "{out:?}");
    r.git(&["checkout", "-q", "-b", "feature"]);
    // Put back as it was: the same finding the team already accepted.
    r.write("x.py", format!("T = '{old}'\n"));
    r.commit("put it back");
    let (code, v) = scan_json(r.path(), &["--since", "main"]);
    assert_eq!(code, 1, "without the baseline it counts: {v:#}");
    let (code, v) = scan_json(r.path(), &["--since", "main", "--baseline", &b]);
    assert_eq!(code, 0, "{v:#}");
    assert!(findings(&v).is_empty(), "{v:#}");
}

#[test]
fn a_ref_that_does_not_exist_is_an_error_naming_it() {
    let mut r = Repo::new();
    r.write("a.py", "print(1)\n");
    r.commit("start");
    let p = r.path().to_string_lossy().into_owned();
    for args in [
        vec!["--since", "no-such-branch"],
        vec!["--range", "main..no-such-branch"],
    ] {
        let mut all = vec!["scan", p.as_str(), "--no-progress"];
        all.extend(args);
        let out = keepopen(&all, r.path());
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no-such-branch"), "{err}");
    }
    let out = keepopen(
        &[
            "scan",
            p.as_str(),
            "--range",
            "main...HEAD",
            "--no-progress",
        ],
        r.path(),
    );
    assert_eq!(out.status.code(), Some(2), "three dots refused");
}

#[test]
fn a_shallow_clone_without_the_base_scans_what_it_holds_and_says_so() {
    let (r, t, _) = branched();
    let base = r.git(&["rev-parse", "main~1"]);
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", r.path().display());
    let out = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", "--branch", "feature", &url])
        .arg(clone.path().join("c"))
        .output()
        .expect("git clone");
    assert!(out.status.success(), "{out:?}");
    let c = clone.path().join("c");
    let (code, v) = scan_json(&c, &["--since", &base]);
    assert_eq!(code, 1, "{v:#}");
    assert!(problems(&v).contains("shallow clone"), "{v:#}");
    // The one commit it holds is the range: its whole tree.
    let got = secrets(&v);
    assert!(got.contains(&t[2]) && got.contains(&t[0]), "{v:#}");
    assert!(paths(&v).contains(&"other/config.yml".to_string()));
}
