//! The hooks in `.pre-commit-hooks.yaml`, run by the real `pre-commit` from
//! PyPI through git's own hook: `git commit` of a planted token is refused,
//! a clean commit goes through, and an unstaged token is not read.
//!
//! `pre-commit` is found through `KEEPOPEN_PRE_COMMIT` or on PATH. Without
//! it the tests say so and pass, unless `KEEPOPEN_REQUIRE_TOOLS=1` (as the
//! test script sets), when they fail. The `language: rust` hook builds
//! keepopen from the committed source with `cargo install` (minutes on two
//! cores), so it runs only with `KEEPOPEN_TEST_PRE_COMMIT_RUST=1`, which the
//! test script sets.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn required() -> bool {
    std::env::var("KEEPOPEN_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// The `pre-commit` executable, or None (with a message) when the test
/// cannot run here.
fn pre_commit() -> Option<PathBuf> {
    let exe = std::env::var_os("KEEPOPEN_PRE_COMMIT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("pre-commit"));
    match Command::new(&exe).arg("--version").output() {
        Ok(o) if o.status.success() => Some(exe),
        other => {
            assert!(
                !required(),
                "pre-commit is required (KEEPOPEN_REQUIRE_TOOLS=1) and {} did not run: {other:?}",
                exe.display()
            );
            eprintln!("pre-commit not found (pip install pre-commit): hook test skipped");
            None
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A repository whose commits go through pre-commit's git hook, with one
/// hook of keepopen's from `hook_repo` at `rev`.
struct Hooked {
    repo: Repo,
    home: tempfile::TempDir,
    exe: PathBuf,
    path: std::ffi::OsString,
}

impl Hooked {
    fn new(exe: PathBuf, hook_repo: &Path, rev: &str, id: &str) -> Self {
        let mut repo = Repo::new();
        repo.write(
            ".pre-commit-config.yaml",
            format!(
                "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {id}\n",
                hook_repo.display()
            ),
        );
        repo.write("README.md", "# Clinic letters\n");
        repo.commit("start");
        // keepopen-system finds the binary under test first on PATH.
        let bin = Path::new(env!("CARGO_BIN_EXE_keepopen"))
            .parent()
            .expect("bin dir")
            .to_path_buf();
        let mut dirs = vec![bin];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).expect("PATH");
        let hooked = Hooked {
            repo,
            home: tempfile::tempdir().expect("tempdir"),
            exe,
            path,
        };
        let out = hooked.run(Command::new(&hooked.exe).arg("install"));
        assert!(out.status.success(), "pre-commit install: {}", text(&out));
        hooked
    }

    fn run(&self, cmd: &mut Command) -> Output {
        cmd.current_dir(self.repo.path())
            .env("PRE_COMMIT_HOME", self.home.path())
            .env("PATH", &self.path)
            .env("KEEPOPEN_DB", "/nonexistent/keepopen-tests.db")
            // The inner `cargo install` of the rust hook builds in its own
            // target directory: the one of the running `cargo test` is locked.
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .expect("runs")
    }

    /// `git commit` of what is staged, through the installed hook.
    fn commit(&self, msg: &str) -> Output {
        self.run(Command::new("git").args([
            "-c",
            "user.name=Test Author",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            msg,
        ]))
    }

    fn head(&self) -> String {
        self.repo.git(&["rev-parse", "HEAD"])
    }
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The three commits every hook must get right.
fn refuses_a_token_and_passes_a_clean_commit(h: &Hooked) {
    // A clean change goes through; a token left unstaged is not read.
    let token = github_token(41);
    h.repo.write("letters/template.md", "Dear patient,\n");
    h.repo
        .write("scratch.env", format!("GITHUB_TOKEN={token}\n"));
    h.repo.git(&["add", "letters/template.md"]);
    let before = h.head();
    let out = h.commit("letter template");
    assert!(out.status.success(), "clean commit refused: {}", text(&out));
    assert_ne!(h.head(), before, "the clean commit was not made");

    // A staged token is refused, and nothing is committed.
    h.repo.git(&["add", "scratch.env"]);
    let before = h.head();
    let out = h.commit("settings");
    assert!(!out.status.success(), "token commit passed: {}", text(&out));
    assert_eq!(h.head(), before, "the refused commit was made");
    let said = text(&out);
    assert!(
        said.contains("scratch.env") && said.contains("github"),
        "the refusal does not name the file and rule: {said}"
    );
    assert!(!said.contains(&token), "the token was printed: {said}");

    // Once the token is unstaged and replaced, the commit goes through.
    h.repo
        .write("scratch.env", "GITHUB_TOKEN=${GITHUB_TOKEN}\n");
    h.repo.git(&["add", "scratch.env"]);
    let out = h.commit("settings from the environment");
    assert!(out.status.success(), "fixed commit refused: {}", text(&out));
}

/// A repository holding only the hooks file, as keepopen's own repository
/// has it: the system hook needs nothing else.
fn hooks_only_repo() -> (Repo, String) {
    let mut r = Repo::new();
    r.write(
        ".pre-commit-hooks.yaml",
        std::fs::read(root().join(".pre-commit-hooks.yaml")).expect("hooks file"),
    );
    let rev = r.commit("hooks");
    (r, rev)
}

#[test]
fn the_system_hook_refuses_a_commit_with_a_token_and_passes_a_clean_one() {
    let Some(exe) = pre_commit() else { return };
    let (hooks, rev) = hooks_only_repo();
    let h = Hooked::new(exe, hooks.path(), &rev, "keepopen-system");
    refuses_a_token_and_passes_a_clean_commit(&h);
}

#[test]
fn the_rust_hook_builds_keepopen_from_source_and_refuses_a_token() {
    if std::env::var("KEEPOPEN_TEST_PRE_COMMIT_RUST").is_ok_and(|v| v == "1") {
        let Some(exe) = pre_commit() else { return };
        // pre-commit clones keepopen's repository at its committed HEAD and
        // runs `cargo install --path .` there.
        let root = root().canonicalize().expect("root");
        let rev = Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(&root)
            .output()
            .expect("git");
        assert!(rev.status.success(), "keepopen's source is not a git clone");
        let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
        let h = Hooked::new(exe, &root, &rev, "keepopen");
        refuses_a_token_and_passes_a_clean_commit(&h);
    } else {
        assert!(
            !required() || std::env::var_os("KEEPOPEN_TEST_PRE_COMMIT_RUST").is_some(),
            "KEEPOPEN_REQUIRE_TOOLS=1 without KEEPOPEN_TEST_PRE_COMMIT_RUST: say 0 or 1"
        );
        eprintln!("KEEPOPEN_TEST_PRE_COMMIT_RUST is not 1: the language: rust hook is not built");
    }
}
