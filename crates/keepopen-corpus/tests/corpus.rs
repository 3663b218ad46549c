//! Builds real corpora (a few seconds each) and checks determinism, the
//! shape of the history and that every label points where it says.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use keepopen_corpus::{FEATURE_BRANCH, HOTFIX_TAG, Labels, RELEASE_TAGS, State, build};

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The file at `rev`, or `None` when it is not in that tree.
fn show(repo: &Path, rev: &str, path: &str) -> Option<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .expect("git runs");
    out.status.success().then_some(out.stdout)
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn same_seed_gives_identical_labels_and_commits() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let la = build(a.path(), 7).expect("first build");
    let lb = build(b.path(), 7).expect("second build");
    assert_eq!(la, lb);
    let read = Labels::read(&a.path().join("labels.json")).expect("labels.json");
    assert_eq!(read, la);
    let refs = |d: &Path| git(&d.join("repo"), &["show-ref", "--head"]);
    assert_eq!(refs(a.path()), refs(b.path()), "commit ids differ");

    let c = tempfile::tempdir().expect("tempdir");
    let lc = build(c.path(), 8).expect("other seed");
    assert_ne!(la.planted[0].secret, lc.planted[0].secret);
}

#[test]
fn history_has_branches_tags_and_deleted_secrets_only_in_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let labels = build(dir.path(), 3).expect("build");
    let repo = dir.path().join("repo");

    let branches: BTreeSet<String> = git(&repo, &["branch", "--format=%(refname:short)"])
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(
        branches.contains("main") && branches.contains(FEATURE_BRANCH),
        "{branches:?}"
    );
    let tags: BTreeSet<String> = git(&repo, &["tag"]).lines().map(str::to_owned).collect();
    assert!(tags.contains(HOTFIX_TAG));
    for t in RELEASE_TAGS {
        assert!(tags.contains(*t));
    }
    let annotated = git(&repo, &["cat-file", "-t", HOTFIX_TAG]);
    assert_eq!(annotated.trim(), "tag");
    assert!(
        git(&repo, &["branch", "--contains", HOTFIX_TAG])
            .trim()
            .is_empty(),
        "hotfix reachable from a branch"
    );
    let commits: usize = git(&repo, &["rev-list", "--count", "--all"])
        .trim()
        .parse()
        .expect("count");
    assert!(commits >= 30, "{commits} commits");

    let head_files: BTreeSet<String> = git(&repo, &["ls-tree", "-r", "--name-only", "main"])
        .lines()
        .map(str::to_owned)
        .collect();
    let main_log = git(&repo, &["log", "main", "--name-only", "--format="]);
    let all_log = git(&repo, &["log", "--all", "--name-only", "--format="]);
    let main_paths: BTreeSet<&str> = main_log.lines().collect();
    let all_paths: BTreeSet<&str> = all_log.lines().collect();

    let mut deleted_files = 0;
    for p in &labels.planted {
        let at_head = show(&repo, "main", &p.path);
        let secret_at_head = match (&at_head, &p.secret) {
            (Some(c), Some(s)) => contains(c, s),
            (Some(_), None) => true,
            (None, _) => false,
        };
        match p.state {
            State::Head => {
                assert!(secret_at_head, "{} missing at HEAD", p.id);
                if let (Some(line), Some(c)) = (p.line, &at_head) {
                    let text = String::from_utf8_lossy(c);
                    let l = text.lines().nth(line as usize - 1).expect("line exists");
                    let s = p.secret.as_deref().unwrap_or("");
                    assert!(
                        l.contains(s) || l.contains("BEGIN") || l.contains("User-Key-File"),
                        "{}: {l}",
                        p.id
                    );
                }
            }
            State::Deleted => {
                assert!(!secret_at_head, "{} still at HEAD", p.id);
                assert!(
                    main_paths.contains(p.path.as_str()),
                    "{} not in main's history",
                    p.id
                );
                if !head_files.contains(&p.path) {
                    deleted_files += 1;
                }
            }
            State::Branch | State::Tag => {
                assert!(at_head.is_none(), "{} at HEAD", p.id);
                assert!(
                    !main_paths.contains(p.path.as_str()),
                    "{} in main's history",
                    p.id
                );
                assert!(
                    all_paths.contains(p.path.as_str()),
                    "{} not in git log --all",
                    p.id
                );
                let rev = if p.state == State::Branch {
                    FEATURE_BRANCH
                } else {
                    HOTFIX_TAG
                };
                let c = show(&repo, rev, &p.path).expect("file on its branch or tag");
                assert!(
                    p.secret.as_ref().is_none_or(|s| contains(&c, s)),
                    "{}",
                    p.id
                );
            }
        }
    }
    assert!(deleted_files > 0, "no deleted files");
    for state in [State::Head, State::Deleted, State::Branch, State::Tag] {
        assert!(
            labels.planted.iter().any(|p| p.state == state),
            "no {state:?}"
        );
    }
    for d in &labels.decoys {
        let c = show(&repo, "main", &d.path).expect("decoy file at HEAD");
        let text = String::from_utf8_lossy(&c);
        let l = text.lines().nth(d.line as usize - 1).expect("line exists");
        assert!(l.contains(&d.value), "{}: {l}", d.id);
    }
}

/// A token-like run: 20+ characters of base64 alphabet mixing cases and
/// digits. Source must hold none (tokens are generated at run time).
fn token_like(run: &str) -> bool {
    let count = |f: fn(&char) -> bool| run.chars().filter(f).count();
    run.len() >= 20
        && count(char::is_ascii_uppercase) >= 3
        && count(char::is_ascii_lowercase) >= 3
        && count(char::is_ascii_digit) >= 3
}

#[test]
fn source_holds_no_token_literals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src"), root.join("tests")];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).expect("utf-8 source");
            for run in text.split(|c: char| !(c.is_ascii_alphanumeric() || "+/=".contains(c))) {
                assert!(
                    !token_like(run),
                    "{}: token-like literal {run}",
                    p.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 10);
}
