//! The history walk cut into runs gives what one walk gives: the same
//! placements (first commit of each blob at each path), the same named
//! files, the same gaps, each once.

use super::{History, Oid, test_git as git};
use crate::{Key, Progress, Source};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// `git` in `dir` with `input` on standard input, dated `date` (seconds
/// since the epoch) when it is not 0; its standard output, trimmed.
fn git_in(dir: &Path, args: &[&str], input: &str, date: i64) -> String {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org");
    if date > 0 {
        cmd.env("GIT_AUTHOR_DATE", format!("{date} +0000"))
            .env("GIT_COMMITTER_DATE", format!("{date} +0000"));
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git runs");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("git ends");
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// 300 commits on `main`: `a.txt` changes every time; the key blob is at
/// `x/key.txt` in commits 10 to 49, at `y/key.txt` from 200 and at
/// `x/key.txt` again from 250; a folder `d` is renamed `e` at 150; `.env`
/// changes at 5 and 260. A side branch from commit 20, and the tip of
/// `main`, hold a blob the repository does not have.
fn history(dir: &Path) -> (Oid, Oid) {
    git(dir, &["init", "-q", "-b", "main"]);
    let key = "not a real key, only the blob the test looks for\n";
    let mut stream = String::new();
    for i in 1..=300i64 {
        let _ = write!(
            stream,
            "commit refs/heads/main\nmark :{i}\ncommitter t <t@example.org> {} +0000\ndata 3\nc{}\n",
            1_700_000_000 + i * 60,
            i % 10
        );
        if i > 1 {
            let _ = writeln!(stream, "from :{}", i - 1);
        }
        let a = format!("version {i}\n");
        let _ = write!(stream, "M 100644 inline a.txt\ndata {}\n{a}\n", a.len());
        let mut put = |path: &str, text: &str| {
            let _ = write!(
                stream,
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            );
        };
        match i {
            1 => put("d/inner.txt", "inside d\n"),
            5 => put(".env", "FIRST=1\n"),
            10 | 250 => put("x/key.txt", key),
            200 => put("y/key.txt", key),
            260 => put(".env", "SECOND=2\n"),
            _ => {}
        }
        match i {
            50 => stream.push_str("D x/key.txt\n"),
            150 => stream.push_str("R d e\n"),
            _ => {}
        }
        stream.push('\n');
    }
    git_in(dir, &["fast-import", "--quiet"], &stream, 0);
    let ghost = "1234567890123456789012345678901234567890";
    let with_ghost = |at: &str, date: i64| {
        let listing = git_in(dir, &["ls-tree", at], "", 0);
        let tree = git_in(
            dir,
            &["mktree", "--missing"],
            &format!("{listing}\n100644 blob {ghost}\tghost.txt\n"),
            0,
        );
        git_in(
            dir,
            &["commit-tree", &tree, "-p", at, "-m", "ghost"],
            "",
            date,
        )
    };
    let side = with_ghost("main~280", 1_700_000_000 + 20 * 60 + 30);
    git(dir, &["branch", "side", &side]);
    let tip = with_ghost("main", 1_700_000_000 + 301 * 60);
    git(dir, &["update-ref", "refs/heads/main", &tip]);
    let key_oid = git_in(dir, &["hash-object", "--stdin"], key, 0);
    let a_oid = git_in(dir, &["hash-object", "--stdin"], "version 120\n", 0);
    (
        Oid::from_hex(key_oid.as_bytes()).expect("oid"),
        Oid::from_hex(a_oid.as_bytes()).expect("oid"),
    )
}

fn located(dir: &Path, min_run: usize, wanted: &HashSet<Oid>) -> super::Located {
    let h = History::open(dir).expect("opens").min_run(min_run);
    let seen = std::sync::Mutex::new(0usize);
    let visit = |item: crate::Item<'_>| {
        if matches!(item.key, Key::Blob(_)) {
            *seen.lock().expect("lock") += 1;
        }
    };
    h.for_each(&visit, &Progress::default());
    assert!(*seen.lock().expect("lock") > 300, "every blob read");
    let by_name = |p: &str| p.ends_with(".env");
    let hint = |n: &[u8]| n == b".env";
    h.locate(wanted, &by_name, &hint)
}

#[test]
fn a_history_walked_in_runs_is_placed_as_in_one_walk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (key, a120) = history(dir.path());
    let wanted: HashSet<Oid> = [key, a120].into_iter().collect();
    let one = located(dir.path(), usize::MAX, &wanted);
    let runs = located(dir.path(), 1, &wanted);
    assert_eq!(one.commits, 302);
    assert_eq!(runs.commits, one.commits);
    assert_eq!(runs.places, one.places);
    assert_eq!(runs.named, one.named);
    assert_eq!(runs.head, one.head);
    assert_eq!(runs.unreachable, one.unreachable);
    assert_eq!(runs.problems, one.problems);
    // And what one walk gives is right: each path once, with the first
    // commit that put the key there, in commit order.
    let places: Vec<(String, String)> = one.places[&key]
        .iter()
        .map(|p| (p.path.clone(), p.commit.to_string()))
        .collect();
    let commit = |back: u32| {
        let out = Command::new("git")
            .args(["rev-parse", &format!("main~{back}")])
            .current_dir(dir.path())
            .output()
            .expect("git");
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_string()
    };
    // main~N is commit 301 - N (the tip is the ghost commit, 301).
    assert_eq!(
        places,
        [
            ("x/key.txt".to_string(), commit(291)),
            ("y/key.txt".to_string(), commit(101)),
        ]
    );
    assert_eq!(one.places[&a120].len(), 1);
    assert_eq!(one.places[&a120][0].commit.to_string(), commit(181));
    let named: Vec<&str> = one.named.iter().map(|(_, p)| p.path.as_str()).collect();
    assert_eq!(named, [".env", ".env"]);
    // The blob neither run holds is named once, at its first commit (the
    // side branch's), though both runs met it.
    let ghost: Vec<&crate::Problem> = one
        .problems
        .iter()
        .filter(|p| {
            p.subject
                .contains("1234567890123456789012345678901234567890")
        })
        .collect();
    assert_eq!(ghost.len(), 1, "{:?}", one.problems);
    let side = Command::new("git")
        .args(["rev-parse", "side"])
        .current_dir(dir.path())
        .output()
        .expect("git");
    let side = String::from_utf8(side.stdout).expect("utf-8");
    assert!(
        ghost[0].message.contains(side.trim()),
        "{}",
        ghost[0].message
    );
    assert!(
        ghost[0].message.contains("`ghost.txt`"),
        "{}",
        ghost[0].message
    );
}

/// Pending blobs are placed only at the paths wanted for them, in runs as
/// in one walk; one met only elsewhere is neither placed nor looked for
/// among unreachable commits.
#[test]
fn pending_blobs_are_placed_only_where_they_are_wanted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (key, a120) = history(dir.path());
    // A commit no ref reaches holds a120 at `y/a120.txt`, where it is
    // wanted; a reachable commit holds it at `a.txt`, where it is not.
    let a_hex = a120.to_string();
    let inner = git_in(
        dir.path(),
        &["mktree"],
        &format!("100644 blob {a_hex}\ta120.txt\n"),
        0,
    );
    let outer = git_in(
        dir.path(),
        &["mktree"],
        &format!("040000 tree {inner}\ty\n"),
        0,
    );
    git_in(
        dir.path(),
        &["commit-tree", &outer, "-m", "dangling"],
        "",
        1_700_100_000,
    );
    let pending: HashSet<Oid> = [key, a120].into_iter().collect();
    let at = |p: &str| p.starts_with("y/");
    let name = |n: &[u8]| n.ends_with(b".txt");
    let walk = |min_run: usize| {
        let h = History::open(dir.path()).expect("opens").min_run(min_run);
        h.for_each(&|_| {}, &Progress::default());
        let p = super::Pending {
            blobs: &pending,
            at: &at,
            name: &name,
        };
        h.locate_pending(&HashSet::new(), &p, &|_| false, &|_| false)
    };
    let (one, runs) = (walk(usize::MAX), walk(1));
    let paths: Vec<&str> = one.places[&key].iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["y/key.txt"]);
    // Reached at `a.txt`: not placed, and not looked for where no ref
    // reaches (the dangling commit's `y/a120.txt`).
    assert!(!one.places.contains_key(&a120), "{:?}", one.places);
    assert!(one.unreachable.is_empty(), "{:?}", one.unreachable);
    assert_eq!(runs.places, one.places);
    assert_eq!(runs.unreachable, one.unreachable);
}

/// Blobs read again after the scan: each one there is handed over with
/// its bytes, and one that is not is named.
#[test]
fn blobs_are_read_again_and_a_missing_one_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (key, _) = history(dir.path());
    let h = History::open(dir.path()).expect("opens");
    let absent = Oid::from_hex(b"1234567890123456789012345678901234567890").expect("oid");
    let got = std::sync::Mutex::new(Vec::new());
    let failed = h.reread(&[key, absent], &|id, data| {
        got.lock().expect("lock").push((id, data.to_vec()));
    });
    let got = got.into_inner().expect("lock");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, key);
    assert_eq!(
        got[0].1,
        b"not a real key, only the blob the test looks for\n"
    );
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, absent);
}
