//! The files at HEAD of a repository without a work tree (a bare mirror):
//! what posture checks and workflow audits read when there is no checkout.

use crate::Problem;
use std::path::Path;

/// HEAD's files.
#[derive(Debug, Default)]
pub struct HeadFiles {
    /// Path and the first `max_bytes` of each blob.
    pub files: Vec<(String, Vec<u8>)>,
    /// Blobs the tree names that the object database does not hold (a
    /// partial clone, a damaged mirror), by path; their files are listed
    /// empty.
    pub missing: Vec<Problem>,
}

/// Whether `path` is a git repository without a work tree.
pub fn is_bare(path: &Path) -> bool {
    gix::open_opts(path, gix::open::Options::isolated()).is_ok_and(|repo| repo.workdir().is_none())
}

/// The path of every file in HEAD's tree (no blob is read): empty when
/// there is no HEAD. Submodules and links are left out.
pub fn head_paths(path: &Path) -> Vec<String> {
    let Ok(repo) = gix::open_opts(path, gix::open::Options::isolated()) else {
        return Vec::new();
    };
    let Ok(tree) = repo.head_commit().and_then(|c| c.tree()) else {
        return Vec::new();
    };
    let mut recorder = gix::traverse::tree::Recorder::default();
    if tree.traverse().breadthfirst(&mut recorder).is_err() {
        return Vec::new();
    }
    recorder
        .records
        .into_iter()
        .filter(|e| e.mode.is_blob())
        .map(|e| e.filepath.to_string())
        .collect()
}

/// Every file in HEAD's tree with its first `max_bytes` bytes. Submodules
/// and links are left out. Repository configuration is not trusted.
pub fn head_files(path: &Path, max_bytes: usize) -> Result<HeadFiles, Problem> {
    head_files_where(path, max_bytes, &|_| true)
}

/// The files in HEAD's tree whose path `wanted` accepts, each with its
/// first `max_bytes` bytes; only their blobs are read.
pub fn head_files_where(
    path: &Path,
    max_bytes: usize,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<HeadFiles, Problem> {
    let subject = path.display().to_string();
    let repo = gix::open_opts(path, gix::open::Options::isolated())
        .map_err(|e| Problem::note(subject.clone(), format!("not a git repository ({e})")))?;
    let tree = repo
        .head_commit()
        .and_then(|c| c.tree())
        .map_err(|e| Problem::note(subject.clone(), format!("no tree at HEAD ({e})")))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| Problem::error(subject.clone(), format!("cannot read HEAD's tree: {e}")))?;
    let mut out = HeadFiles::default();
    for entry in recorder.records {
        if !entry.mode.is_blob() {
            continue;
        }
        let path = entry.filepath.to_string();
        if !wanted(&path) {
            continue;
        }
        match repo.find_blob(entry.oid) {
            Ok(blob) => {
                let data = &blob.data[..blob.data.len().min(max_bytes)];
                out.files.push((path, data.to_vec()));
            }
            Err(e) => {
                out.missing.push(Problem::error(
                    format!("{path} (at HEAD, object {})", entry.oid),
                    format!("cannot be read: {e}"),
                ));
                // The file is there, though its content is not.
                out.files.push((path, Vec::new()));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::test_git as git;

    #[test]
    fn a_bare_mirror_gives_heads_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let work = dir.path().join("work");
        std::fs::create_dir_all(work.join(".github/workflows")).expect("mkdir");
        git(&work, &["init", "-q"]);
        std::fs::write(work.join("README.md"), "hello world").expect("write");
        std::fs::write(work.join(".github/workflows/ci.yml"), "on: push").expect("write");
        git(&work, &["add", "."]);
        git(&work, &["commit", "-q", "-m", "one"]);
        git(dir.path(), &["clone", "-q", "--bare", "work", "bare.git"]);
        let bare = dir.path().join("bare.git");
        assert!(is_bare(&bare));
        assert!(!is_bare(&work));
        let mut files = head_files(&bare, 5).expect("files").files;
        files.sort();
        assert_eq!(
            files,
            [
                (".github/workflows/ci.yml".to_string(), b"on: p".to_vec()),
                ("README.md".to_string(), b"hello".to_vec()),
            ]
        );
        assert!(head_files(dir.path(), 5).is_err());
    }
}
