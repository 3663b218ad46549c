//! The working tree: every regular file under a root, walked by
//! [`Walk`](crate::walk::Walk). `.gitignore` rules are honoured inside a git
//! repository unless turned off (an ignored file is not published), `.git`
//! is never entered, symbolic links are not followed (so loops cannot
//! happen), and files larger than `--max-blob-size` (the limit history
//! blobs are held to) are reported and skipped.

use crate::walk::{self, IgnoreFiles, Walk};
use crate::{Item, Key, Problem, Progress, Source};
use globset::GlobSet;
use keepopen_content::Content;
use std::path::{Path, PathBuf};

pub struct WorkTree {
    root: PathBuf,
    excludes: Option<GlobSet>,
    max_blob_size: u64,
    respect_ignore_files: bool,
    threads: usize,
}

impl WorkTree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        WorkTree {
            root: root.into(),
            excludes: None,
            max_blob_size: crate::limit::DEFAULT_MAX_BLOB_SIZE,
            respect_ignore_files: true,
            threads: 0,
        }
    }

    pub fn excludes(mut self, globs: Option<GlobSet>) -> Self {
        self.excludes = globs;
        self
    }

    /// Files bigger than `bytes` are named and left out.
    pub fn max_blob_size(mut self, bytes: u64) -> Self {
        self.max_blob_size = bytes;
        self
    }

    pub fn respect_ignore_files(mut self, yes: bool) -> Self {
        self.respect_ignore_files = yes;
        self
    }

    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// The path of `p` relative to the root, with `/` separators. A root
    /// that is itself a file is named by its file name.
    pub fn relative(&self, p: &Path) -> String {
        walk::relative(&self.root, p)
    }

    fn excluded(&self, rel: &str) -> bool {
        self.excludes.as_ref().is_some_and(|g| g.is_match(rel))
    }

    fn visit_file(
        &self,
        path: &Path,
        visit: &(dyn Fn(Item<'_>) + Sync),
        progress: &Progress,
    ) -> Option<Problem> {
        let rel = self.relative(path);
        if self.excluded(&rel) {
            return None;
        }
        let size = match std::fs::metadata(path) {
            Ok(m) => m.len(),
            Err(e) => return Some(Problem::error(rel, format!("cannot read: {e}"))),
        };
        if size > self.max_blob_size {
            return Some(Problem::skip(
                rel,
                crate::limit::over_limit(size, self.max_blob_size),
            ));
        }
        match std::fs::read(path) {
            Ok(data) => {
                progress.add(data.len());
                visit(Item {
                    key: Key::Path(rel.clone()),
                    content: Content::new(&data, Some(&rel)),
                });
                None
            }
            Err(e) => Some(Problem::error(rel, format!("cannot read: {e}"))),
        }
    }
}

impl Source for WorkTree {
    fn for_each(&self, visit: &(dyn Fn(Item<'_>) + Sync), progress: &Progress) -> Vec<Problem> {
        let ignore_files = if self.respect_ignore_files {
            IgnoreFiles::InGitRepository
        } else {
            IgnoreFiles::Off
        };
        Walk::new(&self.root)
            .ignore_files(ignore_files)
            .threads(self.threads)
            .files(&|path| self.visit_file(path, visit, progress))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn collect(wt: &WorkTree) -> (Vec<String>, Vec<Problem>) {
        let seen = Mutex::new(Vec::new());
        let problems = wt.for_each(
            &|item| {
                if let Key::Path(p) = item.key {
                    seen.lock().expect("lock").push(p);
                }
            },
            &Progress::default(),
        );
        let mut seen = seen.into_inner().expect("lock");
        seen.sort();
        (seen, problems)
    }

    #[test]
    fn walks_files_skips_git_and_reports_oversized_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git/objects")).expect("mkdir");
        std::fs::write(root.join(".git/config"), "x").expect("write");
        std::fs::create_dir_all(root.join("src")).expect("mkdir");
        std::fs::write(root.join("src/a.py"), "print(1)").expect("write");
        std::fs::write(root.join(".env"), "A=1").expect("write");
        // Sparse: its size is declared, not written.
        let big = std::fs::File::create(root.join("big.bin")).expect("create");
        big.set_len(3 << 20).expect("set_len");
        let (seen, problems) = collect(&WorkTree::new(root).max_blob_size(1 << 20));
        assert_eq!(seen, vec![".env", "src/a.py"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].level, crate::Level::Skip);
        assert_eq!(
            problems[0].to_string(),
            "big.bin: 3 MiB (3145728 bytes) is over the 1 MiB limit; raise it with --max-blob-size"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_do_not_hang_the_walk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).expect("mkdir");
        std::os::unix::fs::symlink(root, root.join("a/loop")).expect("symlink");
        std::fs::write(root.join("a/f.txt"), "x").expect("write");
        let (seen, _) = collect(&WorkTree::new(root));
        assert_eq!(seen, vec!["a/f.txt"]);
    }

    #[test]
    fn a_missing_root_is_a_named_error() {
        let (_, problems) = collect(&WorkTree::new("/no/such/place/ko"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].subject.contains("/no/such/place/ko"));
    }
}
