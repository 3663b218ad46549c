//! The repository's files as the checks see them: relative `/`-separated
//! paths, contents read only when a check asks, and never more than 1 MiB of
//! any one file.

use keepopen_findings::Problem;
use keepopen_source::walk::{self, IgnoreFiles, Walk};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Larger files are read only up to this many bytes: every check here looks
/// at configuration, policy text or magic bytes, all of which sit at the top.
pub const MAX_READ: u64 = 1024 * 1024;

/// The repository's files: relative paths mapped to lazily read contents.
#[derive(Debug, Default)]
pub struct Tree {
    files: BTreeMap<String, Entry>,
    problems: Vec<Problem>,
}

#[derive(Debug)]
struct Entry {
    disk: Option<PathBuf>,
    bytes: OnceLock<Vec<u8>>,
    /// The whole file's length, for a file held in memory.
    len: Option<u64>,
}

impl Tree {
    /// Walks `root` with the scan's walker, skipping `.git` and the folders
    /// that hold other people's code ([`keepopen_findings::VENDORED_DIRS`])
    /// at any depth and never following symbolic links. What the repository
    /// holds, not what a build left beside it: the `.gitignore` rules apply
    /// (git itself need not be installed) and hidden files such as
    /// `.github/` are kept. A folder or file the walk cannot read is left out
    /// and named in [`Tree::problems`]; only a root that is not a folder is
    /// an error.
    pub fn from_dir(root: &Path) -> io::Result<Tree> {
        Self::from_dir_keeping(root, &|_| true)
    }

    /// [`Tree::from_dir`] with only the files whose path (relative, with
    /// `/`) `keep` accepts: the scan's `--exclude` applies to the posture
    /// checks as to every detector.
    pub fn from_dir_keeping(root: &Path, keep: &(dyn Fn(&str) -> bool + Sync)) -> io::Result<Tree> {
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: not a folder", root.display()),
            ));
        }
        let found = Mutex::new(Vec::new());
        let problems = Walk::new(root)
            .ignore_files(IgnoreFiles::Everywhere)
            .skip_dirs(keepopen_findings::is_vendored_dir)
            .files(&|path| {
                let rel = walk::relative(root, path);
                if !keep(&rel) {
                    return None;
                }
                let entry = Entry {
                    disk: Some(path.to_path_buf()),
                    bytes: OnceLock::new(),
                    len: None,
                };
                found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((rel, entry));
                None
            });
        let files = found
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect();
        Ok(Tree { files, problems })
    }

    /// A tree held in memory, for tests and for callers that already have the
    /// blobs (HEAD of a bare mirror). Contents past [`MAX_READ`] are cut and
    /// the folders [`Tree::from_dir`] skips are left out, as on disk.
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Tree {
        Self::from_cut_files(
            files
                .into_iter()
                .map(|(path, bytes)| {
                    let len = bytes.len() as u64;
                    (path, bytes, len)
                })
                .collect(),
        )
    }

    /// [`Tree::from_files`] where each file may already be cut short: its
    /// whole length is given beside it (a check on size, such as GitHub's
    /// limit on CODEOWNERS, reads that).
    pub fn from_cut_files(files: Vec<(String, Vec<u8>, u64)>) -> Tree {
        let files = files
            .into_iter()
            .filter(|(path, _, _)| !skipped(path))
            .map(|(path, mut bytes, len)| {
                let len = Some(len);
                bytes.truncate(MAX_READ as usize);
                let entry = Entry {
                    disk: None,
                    bytes: OnceLock::from(bytes),
                    len,
                };
                (path.replace('\\', "/"), entry)
            })
            .collect();
        Tree {
            files,
            problems: Vec::new(),
        }
    }

    /// What the walk could not read, each named by its path. The checks
    /// judge the tree without it, so a caller should report these.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Every file path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The first [`MAX_READ`] bytes of a file. A file that cannot be read
    /// reads as empty: a posture check has nothing to say about it.
    pub fn bytes(&self, path: &str) -> Option<&[u8]> {
        let entry = self.files.get(path)?;
        let bytes = entry.bytes.get_or_init(|| match &entry.disk {
            Some(disk) => read_capped(disk).unwrap_or_default(),
            None => Vec::new(),
        });
        Some(bytes)
    }

    /// The file's whole length in bytes, however much of it is read.
    pub fn len(&self, path: &str) -> Option<u64> {
        let entry = self.files.get(path)?;
        match (&entry.disk, entry.len) {
            (_, Some(len)) => Some(len),
            (Some(disk), None) => fs::metadata(disk).ok().map(|m| m.len()),
            (None, None) => Some(0),
        }
    }

    /// The file as text, invalid UTF-8 replaced.
    pub fn text(&self, path: &str) -> Option<Cow<'_, str>> {
        self.bytes(path).map(String::from_utf8_lossy)
    }
}

/// Whether a path lies in a folder the walk skips: `.git` or a vendored
/// folder, at any depth.
fn skipped(path: &str) -> bool {
    let mut parts = path.split(['/', '\\']);
    parts.next_back();
    parts.any(|p| p == ".git") || keepopen_findings::is_vendored(path)
}

fn read_capped(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(MAX_READ)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {

    #[test]
    fn ignored_files_are_not_part_of_the_tree() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(".gitignore"), "__pycache__/\n*.log\n").expect("write");
        std::fs::create_dir_all(dir.path().join("__pycache__")).expect("dir");
        std::fs::write(dir.path().join("__pycache__/x.pyc"), b"\x00\x01").expect("write");
        std::fs::write(dir.path().join("build.log"), "x").expect("write");
        std::fs::create_dir_all(dir.path().join(".github/workflows")).expect("dir");
        std::fs::write(dir.path().join(".github/workflows/ci.yml"), "on: push").expect("write");
        let tree = Tree::from_dir(dir.path()).expect("tree");
        let paths: Vec<&str> = tree.paths().collect();
        assert!(paths.contains(&".github/workflows/ci.yml"), "{paths:?}");
        assert!(
            !paths
                .iter()
                .any(|p| p.contains("__pycache__") || p.ends_with(".log")),
            "{paths:?}"
        );
    }

    use super::*;

    #[test]
    fn from_dir_skips_tool_folders_and_reads_lazily() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        fs::create_dir_all(dir.path().join(".git"))?;
        fs::create_dir_all(dir.path().join("node_modules/x"))?;
        fs::create_dir_all(dir.path().join("src/vendor"))?;
        fs::create_dir_all(dir.path().join("src/inner"))?;
        fs::write(dir.path().join(".git/config"), "x")?;
        fs::write(dir.path().join("node_modules/x/a.js"), "x")?;
        fs::write(dir.path().join("src/vendor/b.c"), "x")?;
        fs::write(dir.path().join("src/inner/c.rs"), "fn main() {}")?;
        fs::write(dir.path().join("README.md"), "hello")?;
        let tree = Tree::from_dir(dir.path())?;
        let paths: Vec<_> = tree.paths().collect();
        assert_eq!(paths, ["README.md", "src/inner/c.rs"]);
        assert_eq!(tree.bytes("README.md"), Some(&b"hello"[..]));
        Ok(())
    }

    #[test]
    fn from_dir_caps_reads() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("big"), vec![b'a'; MAX_READ as usize + 10])?;
        let tree = Tree::from_dir(dir.path())?;
        assert_eq!(tree.bytes("big").map(<[u8]>::len), Some(MAX_READ as usize));
        assert_eq!(tree.len("big"), Some(MAX_READ + 10));
        let mem = Tree::from_files(vec![
            ("big".into(), vec![b'a'; MAX_READ as usize + 3]),
            ("web/node_modules/x/LICENSE".into(), Vec::new()),
            ("vendor/a.c".into(), Vec::new()),
        ]);
        assert_eq!(mem.paths().collect::<Vec<_>>(), ["big"]);
        assert_eq!(mem.len("big"), Some(MAX_READ + 3));
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn from_dir_names_a_folder_it_cannot_read() -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let locked = dir.path().join("docs/locked");
        fs::create_dir_all(&locked)?;
        fs::write(locked.join("SECURITY.md"), "x")?;
        fs::write(dir.path().join("README.md"), "x")?;
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000))?;
        // Root (or CAP_DAC_OVERRIDE) lists it anyway: then there is nothing
        // to report and only the walk itself is exercised.
        let bites = fs::read_dir(&locked).is_err();
        let tree = Tree::from_dir(dir.path());
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755))?;
        let tree = tree?;
        if bites {
            assert_eq!(tree.paths().collect::<Vec<_>>(), ["README.md"]);
            let problems = tree.problems();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].subject.ends_with("docs/locked"), "{problems:?}");
            assert_eq!(problems[0].level, keepopen_findings::Level::Error);
        } else {
            assert!(tree.problems().is_empty());
        }
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn from_dir_does_not_follow_links() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let outside = tempfile::tempdir()?;
        fs::write(outside.path().join("secret"), "x")?;
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link"))?;
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("f"))?;
        let tree = Tree::from_dir(dir.path())?;
        assert_eq!(tree.paths().count(), 0);
        Ok(())
    }
}
