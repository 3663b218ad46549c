//! The repository's files as the checks see them: relative `/`-separated
//! paths, contents read only when a check asks, and never more than 1 MiB of
//! any one file.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Larger files are read only up to this many bytes: every check here looks
/// at configuration, policy text or magic bytes, all of which sit at the top.
pub const MAX_READ: u64 = 1024 * 1024;

/// The repository's files: relative paths mapped to lazily read contents.
#[derive(Debug, Default)]
pub struct Tree {
    files: BTreeMap<String, Entry>,
}

#[derive(Debug)]
struct Entry {
    disk: Option<PathBuf>,
    bytes: OnceLock<Vec<u8>>,
    /// The whole file's length, for a file held in memory.
    len: Option<u64>,
}

impl Tree {
    /// Walks `root`, skipping `.git` and the folders that hold other
    /// people's code ([`keepopen_findings::VENDORED_DIRS`]) at any depth and
    /// never following symbolic links.
    pub fn from_dir(root: &Path) -> io::Result<Tree> {
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: not a folder", root.display()),
            ));
        }
        let mut files = BTreeMap::new();
        // What the repository holds, not what a build left beside it: the
        // `.gitignore` rules apply (git itself need not be installed), hidden
        // files such as `.github/` are kept, and links are not followed.
        let walk = ignore::WalkBuilder::new(root)
            .hidden(false)
            .follow_links(false)
            .require_git(false)
            .git_global(false)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && (name == ".git" || keepopen_findings::is_vendored_dir(&name)))
            })
            .build();
        for entry in walk {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(
                rel,
                Entry {
                    disk: Some(entry.path().to_path_buf()),
                    bytes: OnceLock::new(),
                    len: None,
                },
            );
        }
        Ok(Tree { files })
    }

    /// A tree held in memory, for tests and for callers that already have the
    /// blobs (HEAD of a bare mirror). Contents past [`MAX_READ`] are cut and
    /// the folders [`Tree::from_dir`] skips are left out, as on disk.
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Tree {
        let files = files
            .into_iter()
            .filter(|(path, _)| !skipped(path))
            .map(|(path, mut bytes)| {
                let len = Some(bytes.len() as u64);
                bytes.truncate(MAX_READ as usize);
                let entry = Entry {
                    disk: None,
                    bytes: OnceLock::from(bytes),
                    len,
                };
                (path.replace('\\', "/"), entry)
            })
            .collect();
        Tree { files }
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
