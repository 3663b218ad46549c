//! The repositories an organisation run takes: found under a folder, or
//! named by a list with an optional visibility column, and the shard each
//! falls to.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One repository to scan, as found or listed.
pub(super) struct Entry {
    pub path: PathBuf,
    pub visibility: Option<String>,
    /// Why it cannot be scanned, when that is known before trying.
    pub error: Option<String>,
}

/// The shard a repository falls to: by its remote URL when it has one (so
/// that two clones of one repository agree), else its path.
pub(super) fn shard_of(path: &Path, n: u32) -> u32 {
    let identity = keepopen_source::git::identity(path);
    let key = identity
        .remote
        .unwrap_or_else(|| path.display().to_string());
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % u64::from(n)) as u32
}

fn is_repository(path: &Path) -> bool {
    path.join(".git").exists()
        || (path.join("HEAD").is_file()
            && path.join("objects").is_dir()
            && path.join("refs").is_dir())
}

/// The repositories under `dir`, three levels deep, not looking inside a
/// repository; sorted, so that runs agree.
pub(super) fn discovered(dir: &Path) -> Result<Vec<Entry>> {
    if !dir.is_dir() {
        anyhow::bail!("{}: not a folder", dir.display());
    }
    let mut found = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        if is_repository(&d) {
            found.push(d);
            continue;
        }
        if depth == 3 {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&d) else {
            found.push(d);
            continue;
        };
        for entry in rd.flatten() {
            let p = entry.path();
            // Symbolic links are not followed: a loop, or a path outside
            // the organisation's folder.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((p, depth + 1));
            }
        }
    }
    found.sort();
    Ok(found
        .into_iter()
        .map(|path| {
            let error = (!is_repository(&path))
                .then(|| "cannot be listed: its folder is unreadable".to_string());
            Entry {
                path,
                visibility: None,
                error,
            }
        })
        .collect())
}

/// The repositories a list names. A path that is missing or not a
/// repository is a row with its error; a line that cannot be read is an
/// error naming the line.
pub(super) fn listed(list: &Path) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(list)
        .with_context(|| format!("cannot read the list {}", list.display()))?;
    let base = list.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (path, visibility) = match line.rsplit_once(char::is_whitespace) {
            Some((p, v)) if matches!(v, "public" | "private") => (p.trim(), Some(v.to_string())),
            _ => (line, None),
        };
        let path = if Path::new(path).is_absolute() {
            PathBuf::from(path)
        } else {
            base.join(path)
        };
        let error = if !path.exists() {
            Some(format!("{}:{}: no such folder", list.display(), n + 1))
        } else if !is_repository(&path) {
            Some(format!(
                "{}:{}: not a git repository",
                list.display(),
                n + 1
            ))
        } else {
            None
        };
        out.push(Entry {
            path,
            visibility,
            error,
        });
    }
    Ok(out)
}
