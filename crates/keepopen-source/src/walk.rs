//! The one folder walk: every regular file under a root, in parallel with
//! the `ignore` crate. Hidden files are kept, `.git` is never entered,
//! symbolic links are not followed (so loops cannot happen), and anything
//! the walk cannot read is returned as a [`Problem`] naming it, never
//! dropped. The working-tree source and the posture checks both walk with
//! it, so they see the same files and report the same troubles.

use crate::Problem;
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Which ignore files (`.gitignore`, `.ignore`, `.git/info/exclude`, and
/// those of parent folders) the walk honours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IgnoreFiles {
    /// None: every file is walked.
    Off,
    /// Git's files only inside a git repository, as git does.
    InGitRepository,
    /// Git's files also outside one, for a copy of a repository's files
    /// whose `.git` is gone (git need not be installed either way).
    Everywhere,
}

/// A walk of the files under one root.
pub struct Walk<'a> {
    root: &'a Path,
    ignore_files: IgnoreFiles,
    skip_dir: fn(&str) -> bool,
    threads: usize,
}

impl<'a> Walk<'a> {
    /// A walk of `root` honouring ignore files inside a git repository.
    pub fn new(root: &'a Path) -> Self {
        Walk {
            root,
            ignore_files: IgnoreFiles::InGitRepository,
            skip_dir: |_| false,
            threads: 0,
        }
    }

    pub fn ignore_files(mut self, which: IgnoreFiles) -> Self {
        self.ignore_files = which;
        self
    }

    /// Folders, by name, not entered (besides `.git`, which never is).
    pub fn skip_dirs(mut self, skip: fn(&str) -> bool) -> Self {
        self.skip_dir = skip;
        self
    }

    /// Walking threads; 0 picks as many as there are cores.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Hands the path of every regular file to `visit`, from many threads,
    /// and returns what could not be walked: a missing root, a folder that
    /// cannot be listed, an entry that cannot be read. `visit` may return
    /// a problem of its own with the file, which joins them.
    pub fn files(&self, visit: &(dyn Fn(&Path) -> Option<Problem> + Sync)) -> Vec<Problem> {
        if !self.root.exists() {
            return vec![Problem::error(
                self.root.display().to_string(),
                "no such file or directory",
            )];
        }
        let problems = Mutex::new(Vec::new());
        let push = |p: Problem| problems.lock().unwrap_or_else(|e| e.into_inner()).push(p);
        let honour = self.ignore_files != IgnoreFiles::Off;
        let skip_dir = self.skip_dir;
        WalkBuilder::new(self.root)
            .hidden(false)
            .follow_links(false)
            .git_ignore(honour)
            .git_exclude(honour)
            .git_global(false)
            .ignore(honour)
            .parents(honour)
            .require_git(self.ignore_files != IgnoreFiles::Everywhere)
            .threads(self.threads)
            .filter_entry(move |e| {
                let name = e.file_name().to_string_lossy();
                name != ".git" && !(e.file_type().is_some_and(|t| t.is_dir()) && skip_dir(&name))
            })
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(e) => {
                            if e.file_type().is_some_and(|t| t.is_file())
                                && let Some(p) = visit(e.path())
                            {
                                push(p);
                            }
                        }
                        Err(err) => push(walk_problem(&err)),
                    }
                    WalkState::Continue
                })
            });
        problems.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// The path of `p` relative to `root`, with `/` separators. A root that is
/// itself a file is named by its file name.
pub fn relative(root: &Path, p: &Path) -> String {
    let rel = match p.strip_prefix(root) {
        Ok(r) if !r.as_os_str().is_empty() => r.to_path_buf(),
        _ => p
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| p.to_path_buf()),
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A walk error as a problem named by the path it is about.
fn walk_problem(err: &ignore::Error) -> Problem {
    fn path_of(err: &ignore::Error) -> Option<String> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
            _ => None,
        }
    }
    /// The error without the path the subject already names.
    fn inner(err: &ignore::Error) -> &ignore::Error {
        match err {
            ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
                inner(err)
            }
            other => other,
        }
    }
    match path_of(err) {
        Some(path) => Problem::error(path, inner(err)),
        None => Problem::error("working tree", err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(w: &Walk<'_>) -> (Vec<String>, Vec<Problem>) {
        let seen = Mutex::new(Vec::new());
        let problems = w.files(&|p| {
            seen.lock().expect("lock").push(relative(w.root, p));
            None
        });
        let mut seen = seen.into_inner().expect("lock");
        seen.sort();
        (seen, problems)
    }

    #[test]
    fn git_and_skipped_folders_are_not_entered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for d in [".git", "node_modules/x", "src/node_modules", "src/inner"] {
            std::fs::create_dir_all(root.join(d)).expect("mkdir");
        }
        for f in [
            ".git/config",
            "node_modules/x/a.js",
            "src/node_modules/b.js",
            "src/inner/c.rs",
            ".env",
        ] {
            std::fs::write(root.join(f), "x").expect("write");
        }
        let (seen, problems) = walk(&Walk::new(root).skip_dirs(|n| n == "node_modules"));
        assert_eq!(seen, [".env", "src/inner/c.rs"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn ignore_files_apply_outside_git_only_when_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::write(root.join(".gitignore"), "*.log\n").expect("write");
        std::fs::write(root.join("build.log"), "x").expect("write");
        let (seen, _) = walk(&Walk::new(root));
        assert_eq!(seen, [".gitignore", "build.log"]);
        let (seen, _) = walk(&Walk::new(root).ignore_files(IgnoreFiles::Everywhere));
        assert_eq!(seen, [".gitignore"]);
    }

    /// What the walk reports for an error the walker gives: the path as
    /// the subject, said once. (Runs as root too, where no folder is
    /// unreadable.)
    #[test]
    fn a_walk_error_names_its_path_once() {
        let denied = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: "repo/locked".into(),
                err: Box::new(ignore::Error::Io(std::io::Error::from(
                    std::io::ErrorKind::PermissionDenied,
                ))),
            }),
        };
        let p = walk_problem(&denied);
        assert_eq!(p.subject, "repo/locked");
        assert_eq!(p.level, crate::Level::Error);
        assert!(
            p.message.to_lowercase().contains("permission denied"),
            "{p}"
        );
        assert!(!p.message.contains("repo/locked"), "{p}");
        let looped = walk_problem(&ignore::Error::Loop {
            ancestor: "repo".into(),
            child: "repo/a/link".into(),
        });
        assert_eq!(looped.subject, "repo/a/link");
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_reported_and_the_walk_goes_on() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let locked = root.join("locked");
        std::fs::create_dir_all(&locked).expect("mkdir");
        std::fs::write(locked.join("a.txt"), "x").expect("write");
        std::fs::write(root.join("b.txt"), "x").expect("write");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        // Root (and CAP_DAC_OVERRIDE) reads it anyway: nothing to report.
        let bites = std::fs::read_dir(&locked).is_err();
        let (seen, problems) = walk(&Walk::new(root));
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        if bites {
            assert_eq!(seen, ["b.txt"]);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].subject.ends_with("locked"), "{problems:?}");
        }
    }
}
