//! What a bare repository holds, cheaply: every ref and its target, HEAD,
//! the packs by name and size, and each loose-object folder's last change.
//! Two equal states mean the object store and refs are the same, so an
//! organisation re-run can reuse the last scan of the repository instead
//! of reading its history again. A repository with a work tree has none:
//! its files can change without git knowing, so it is always scanned.

use std::fmt::Write;
use std::path::Path;

/// The state text of the bare repository at `path`, or `None` (a work
/// tree, or a repository that cannot be opened or listed).
pub fn state(path: &Path) -> Option<String> {
    let history = super::History::open(path).ok()?;
    if history.workdir().is_some() {
        return None;
    }
    let (roots, head, problems) = history.roots();
    if !problems.is_empty() {
        return None;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "HEAD {}",
        head.map(|h| h.to_string()).unwrap_or_default()
    );
    for (id, name) in &roots {
        let _ = writeln!(out, "ref {name} {id}");
    }
    let objects = history.repo.objects_dir().to_path_buf();
    let mut packs: Vec<(String, u64)> = std::fs::read_dir(objects.join("pack"))
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name, e.metadata().ok()?.len()))
        })
        .collect();
    packs.sort();
    for (name, len) in packs {
        let _ = writeln!(out, "pack {name} {len}");
    }
    // A loose object added or removed changes its folder's mtime.
    for entry in std::fs::read_dir(&objects).ok()?.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.len() == 2 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
            let modified = entry.metadata().ok()?.modified().ok()?;
            let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
            let _ = writeln!(out, "loose {name} {}", since.as_nanos());
        }
    }
    if let Ok(alternates) = std::fs::read_to_string(objects.join("info/alternates")) {
        let _ = writeln!(out, "alternates {alternates}");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::test_git as git;

    #[test]
    fn a_bare_repository_has_a_state_that_changes_with_a_new_commit_and_a_work_tree_has_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let work = dir.path().join("work");
        std::fs::create_dir(&work).expect("mkdir");
        git(&work, &["init", "-q", "-b", "main"]);
        std::fs::write(work.join("a.txt"), "one").expect("write");
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", "one"]);
        assert_eq!(state(&work), None, "a work tree is always scanned");
        let bare = dir.path().join("bare.git");
        git(dir.path(), &["clone", "-q", "--mirror", "work", "bare.git"]);
        let first = state(&bare).expect("a state");
        assert_eq!(state(&bare).as_deref(), Some(first.as_str()), "stable");
        std::fs::write(work.join("a.txt"), "two").expect("write");
        git(&work, &["commit", "-q", "-am", "two"]);
        git(
            &bare,
            &["fetch", "-q", "origin", "+refs/heads/*:refs/heads/*"],
        );
        let second = state(&bare).expect("a state");
        assert_ne!(first, second, "a new commit changes the state");
        assert_eq!(state(&dir.path().join("nothing")), None);
    }
}
