//! The files at HEAD of a repository without a work tree (a bare mirror):
//! what posture checks and workflow audits read when there is no checkout.

use crate::Problem;
use std::path::Path;

/// One file at HEAD: its path, the first bytes of its blob (as many as
/// were asked for) and the blob's whole length.
pub type HeadFile = (String, Vec<u8>, u64);

/// HEAD's files.
#[derive(Debug, Default)]
pub struct HeadFiles {
    /// Path, the first `max_bytes` of each blob, and its whole length.
    pub files: Vec<HeadFile>,
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
    listed(path, &|_| true)
        .map(|(_, listed)| listed.into_iter().map(|(p, _)| p).collect())
        .unwrap_or_default()
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
    let (repo, listed) = listed(path, wanted)?;
    let mut out = HeadFiles::default();
    for (path, oid) in listed {
        match repo.find_blob(oid) {
            Ok(blob) => {
                let data = &blob.data[..blob.data.len().min(max_bytes)];
                out.files
                    .push((path, data.to_vec(), blob.data.len() as u64));
            }
            Err(e) => {
                out.missing.push(unreadable(&repo, &path, oid, &e));
                // The file is there, though its content is not.
                out.files.push((path, Vec::new(), 0));
            }
        }
    }
    Ok(out)
}

/// [`head_files_where`] without holding the files: each is read on the
/// threads of the current rayon pool and handed to `visit` with its index
/// in HEAD's order, then dropped. A blob that cannot be read is handed
/// over empty, and named in the problems returned.
pub fn each_head_file(
    path: &Path,
    wanted: &dyn Fn(&str) -> bool,
    visit: &(dyn Fn(usize, &str, &[u8]) + Sync),
) -> Result<Vec<Problem>, Problem> {
    use rayon::prelude::*;
    let (repo, listed) = listed(path, wanted)?;
    let repo = repo.into_sync();
    let missing = std::sync::Mutex::new(Vec::new());
    listed.par_iter().enumerate().for_each_init(
        || repo.to_thread_local(),
        |repo, (i, (path, oid))| match repo.find_blob(*oid) {
            Ok(blob) => visit(i, path, &blob.data),
            Err(e) => {
                missing
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, unreadable(repo, path, *oid, &e)));
                visit(i, path, &[]);
            }
        },
    );
    let mut missing = missing.into_inner().unwrap_or_else(|e| e.into_inner());
    missing.sort_by_key(|(i, _)| *i);
    Ok(missing.into_iter().map(|(_, p)| p).collect())
}

/// How many bytes HEAD's files hold, each counted up to `cap`, read from
/// the objects' headers alone (no blob is inflated); `None` when HEAD or a
/// header cannot be read, past `limit` (counting stops there), or when
/// HEAD holds more than `max_files` files (none is counted then: a header
/// costs a few microseconds, and a tree of small files has many).
pub fn head_bytes(path: &Path, cap: u64, limit: u64, max_files: usize) -> Option<u64> {
    let (repo, listed) = listed(path, &|_| true).ok()?;
    if listed.len() > max_files {
        return None;
    }
    let mut total = 0u64;
    for (_, oid) in listed {
        total += repo.find_header(oid).ok()?.size().min(cap);
        if total > limit {
            return None;
        }
    }
    Some(total)
}

/// A HEAD blob that cannot be read. One the repository does not hold (a
/// partial clone's, say) is named as the history walk names it, so that
/// the two are reported once.
fn unreadable(
    repo: &gix::Repository,
    path: &str,
    oid: gix::ObjectId,
    e: &dyn std::fmt::Display,
) -> Problem {
    if !repo.has_object(oid) {
        return super::gaps::missing_blob(oid, &format!("`{path}` at HEAD"));
    }
    Problem::error(
        format!("{path} (at HEAD, object {oid})"),
        format!("cannot be read: {e}"),
    )
}

/// The repository and the blobs of HEAD's tree whose path `wanted`
/// accepts, in the tree's order. Repository configuration is not trusted.
fn listed(
    path: &Path,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<(gix::Repository, Vec<(String, gix::ObjectId)>), Problem> {
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
    let listed = recorder
        .records
        .into_iter()
        .filter(|e| e.mode.is_blob())
        .map(|e| (e.filepath.to_string(), e.oid))
        .filter(|(p, _)| wanted(p))
        .collect();
    drop(tree);
    Ok((repo, listed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::test_git as git;

    /// A repository at `dir/work` with `files` committed.
    fn committed(dir: &Path, files: &[(String, String)]) -> std::path::PathBuf {
        let work = dir.join("work");
        std::fs::create_dir_all(&work).expect("mkdir");
        git(&work, &["init", "-q"]);
        for (path, text) in files {
            let at = work.join(path);
            std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
            std::fs::write(at, text).expect("write");
        }
        git(&work, &["add", "."]);
        git(&work, &["commit", "-q", "-m", "one"]);
        work
    }

    fn owned(files: &[(&str, &str)]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn a_bare_mirror_gives_heads_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let work = committed(
            dir.path(),
            &owned(&[
                ("README.md", "hello world"),
                (".github/workflows/ci.yml", "on: push"),
            ]),
        );
        git(dir.path(), &["clone", "-q", "--bare", "work", "bare.git"]);
        let bare = dir.path().join("bare.git");
        assert!(is_bare(&bare));
        assert!(!is_bare(&work));
        let mut files = head_files(&bare, 5).expect("files").files;
        files.sort();
        assert_eq!(
            files,
            [
                (".github/workflows/ci.yml".to_string(), b"on: p".to_vec(), 8),
                ("README.md".to_string(), b"hello".to_vec(), 11),
            ]
        );
        assert!(head_files(dir.path(), 5).is_err());
    }

    #[test]
    fn heads_bytes_are_counted_from_headers_each_up_to_the_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let long = "x".repeat(100);
        let work = committed(
            dir.path(),
            &owned(&[("a.txt", "0123456789"), ("b/c.txt", &long)]),
        );
        git(dir.path(), &["clone", "-q", "--bare", "work", "bare.git"]);
        let bare = dir.path().join("bare.git");
        assert_eq!(head_bytes(&bare, 50, 1000, 2), Some(60));
        assert_eq!(head_bytes(&work, 1000, 1000, 2), Some(110));
        assert_eq!(head_bytes(&bare, 50, 59, 2), None, "past the limit");
        assert_eq!(head_bytes(&bare, 50, 1000, 1), None, "too many files");
        assert_eq!(head_bytes(dir.path(), 50, 1000, 2), None, "no repository");
    }

    /// Each wanted file is handed over once with its index in HEAD's
    /// order; one whose blob is gone is handed over empty and named.
    #[test]
    fn each_head_file_reads_every_wanted_file_once_and_names_a_missing_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut files: Vec<(String, String)> = (0..20)
            .map(|i| (format!("src/f{i:02}.py"), format!("x = {i}\n")))
            .collect();
        files.extend(owned(&[("gone.py", "lost\n"), ("README.md", "not wanted")]));
        let work = committed(dir.path(), &files);
        git(
            dir.path(),
            &["clone", "-q", "--bare", "--no-local", "work", "bare.git"],
        );
        let bare = dir.path().join("bare.git");
        git(&bare, &["repack", "-q", "-a", "-d"]);
        // The blob of gone.py, loose in the work repository, is unpacked
        // from the mirror's pack by rewriting the pack without it.
        let gone = std::process::Command::new("git")
            .args(["hash-object", "gone.py"])
            .current_dir(&work)
            .output()
            .expect("git");
        let gone = String::from_utf8(gone.stdout)
            .expect("utf-8")
            .trim()
            .to_string();
        let keep: Vec<String> = {
            let out = std::process::Command::new("git")
                .args([
                    "cat-file",
                    "--batch-all-objects",
                    "--batch-check=%(objectname)",
                ])
                .current_dir(&bare)
                .output()
                .expect("git");
            String::from_utf8(out.stdout)
                .expect("utf-8")
                .lines()
                .filter(|l| *l != gone)
                .map(str::to_string)
                .collect()
        };
        let pack_dir = bare.join("objects/pack");
        let old: Vec<_> = std::fs::read_dir(&pack_dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .collect();
        let mut child = std::process::Command::new("git")
            .args(["pack-objects", "-q", "objects/pack/pack"])
            .current_dir(&bare)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("git");
        use std::io::Write as _;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(keep.join("\n").as_bytes())
            .expect("write");
        assert!(child.wait().expect("git").success());
        old.iter()
            .for_each(|p| std::fs::remove_file(p).expect("rm"));
        let seen = std::sync::Mutex::new(Vec::new());
        let missing = each_head_file(&bare, &|p| p.ends_with(".py"), &|i, p, data| {
            seen.lock()
                .expect("lock")
                .push((i, p.to_string(), data.to_vec()));
        })
        .expect("listed");
        let mut seen = seen.into_inner().expect("lock");
        seen.sort();
        let indexes: Vec<usize> = seen.iter().map(|(i, _, _)| *i).collect();
        assert_eq!(indexes, (0..21).collect::<Vec<_>>());
        assert!(seen.iter().all(|(_, p, _)| p.ends_with(".py")));
        let empty: Vec<&str> = seen
            .iter()
            .filter(|(_, _, d)| d.is_empty())
            .map(|(_, p, _)| p.as_str())
            .collect();
        assert_eq!(empty, ["gone.py"]);
        assert_eq!(missing.len(), 1, "{missing:?}");
        // Named as the walk of history names a missing blob, so the two
        // are reported once.
        assert!(
            missing[0].subject.starts_with("blob ")
                && missing[0].message.contains("it is `gone.py` at HEAD"),
            "{missing:?}"
        );
        let f05 = seen
            .iter()
            .find(|(_, p, _)| p == "src/f05.py")
            .expect("f05");
        assert_eq!(f05.2, b"x = 5\n");
    }
}
