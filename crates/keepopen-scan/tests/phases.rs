//! The phases a run goes through, as the progress bar names them: over a
//! real git repository with a working tree, history and posture checks.

use keepopen_content::{Content, Detector, Needs, Out, Reads};
use keepopen_scan::{Plan, run};
use keepopen_source::{Phase, Progress};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A detector of every blob that finds nothing: history is read only for
/// detectors that read it.
struct EveryBlob;

impl Detector for EveryBlob {
    fn needs(&self) -> Needs<'_> {
        Needs {
            reads: Reads::Everything,
            paths: None,
        }
    }

    fn detect(&self, _: &Content<'_>, _: &mut Out) {}
}

#[test]
fn a_run_enters_each_phase_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q"]);
    std::fs::write(dir.path().join("README.md"), "# demo\n").expect("write");
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "first"]);
    git(dir.path(), &["gc", "-q"]);
    let plan = Plan {
        roots: vec![dir.path().to_path_buf()],
        history: true,
        worktree: true,
        respect_ignore_files: true,
        excludes: None,
        allow_secrets: Vec::new(),
        max_blob_size: 1 << 20,
        threads: 1,
        posture: true,
        disabled: Default::default(),
        now: 0,
        contexts: Default::default(),
        blob_cache: None,
        scope: None,
    };
    let progress = Progress::default();
    let mut findings = Vec::new();
    run(&plan, &[&EveryBlob], &progress, &mut findings);
    assert_eq!(
        progress.phases(),
        // The working tree is scanned while history is located.
        vec![
            Phase::ReadingPacks,
            Phase::Scanning,
            Phase::Locating,
            Phase::Posture
        ]
    );
}
