//! The register's files in a repository's work tree: read, created,
//! renewed and closed the same way by `keepopen exception` and by the
//! dashboard. These are the only writes keepopen makes into a repository,
//! because a record is meant to be committed and reviewed.

use super::{DIR, Exception, Record, Unreadable, read};
use std::path::{Path, PathBuf};

/// An id names the record's file: letters, digits, `.`, `_` and `-`, at
/// most 80, not starting with `.`.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 80
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !id.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "exception id `{}`: use letters, digits, `.`, `_` and `-` (at most 80), not starting with `.`",
            keepopen_findings::printable(id)
        ))
    }
}

fn file(root: &Path, id: &str) -> Result<PathBuf, String> {
    check_id(id)?;
    if !root.is_dir() {
        return Err(format!("{}: not a folder", root.display()));
    }
    Ok(root.join(DIR).join(format!("{id}.toml")))
}

fn checked(id: &str, record: &Record) -> Result<String, String> {
    let missing = record.missing();
    if !missing.is_empty() {
        return Err(format!("exception {id}: empty {}", missing.join(", ")));
    }
    if let Some(why) = record.date_problem() {
        return Err(format!("exception {id}: {why}"));
    }
    let body = record
        .to_toml()
        .map_err(|e| format!("writing the record: {e}"))?;
    Ok(format!(
        "# keepopen exception {id}: a narrow, time-bound exception to keeping this code open.\n# Review it in a pull request; `keepopen exception list` shows the register.\n\n{body}"
    ))
}

/// Writes a new record, never over an existing one.
pub fn create(root: &Path, id: &str, record: &Record) -> Result<PathBuf, String> {
    let path = file(root, id)?;
    let text = checked(id, record)?;
    let dir = root.join(DIR);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} exists: an exception is changed by renewing it, not by writing over it",
                path.display()
            ),
            _ => format!("cannot write {}: {e}", path.display()),
        })?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Approves a record again: a new approver, approval date and expiry,
/// the threat model kept as it is.
pub fn renew(
    root: &Path,
    id: &str,
    approver: &str,
    approved: &str,
    expires: &str,
) -> Result<PathBuf, String> {
    let path = file(root, id)?;
    let mut record = one(root, id)?.record;
    record.approver = approver.trim().to_string();
    record.approved = approved.trim().to_string();
    record.expires = expires.trim().to_string();
    let text = checked(id, &record)?;
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Ends an exception: its record is removed from the work tree, for the
/// removal to be committed and reviewed like its creation.
pub fn close(root: &Path, id: &str) -> Result<PathBuf, String> {
    let path = file(root, id)?;
    if !path.is_file() {
        return Err(format!("{}: no such exception", path.display()));
    }
    std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    Ok(path)
}

/// One record, read.
pub fn one(root: &Path, id: &str) -> Result<Exception, String> {
    let path = file(root, id)?;
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{}: no such exception", path.display()),
        _ => format!("cannot read {}: {e}", path.display()),
    })?;
    let (mut ok, bad) = read(&[(format!("{DIR}/{id}.toml"), bytes)]);
    match (ok.pop(), bad.into_iter().next()) {
        (Some(e), _) => Ok(e),
        (None, Some(u)) => Err(format!("{}: {}", path.display(), u.why)),
        (None, None) => Err(format!("{}: not a record", path.display())),
    }
}

/// The records in a repository's work tree, and those that cannot be read.
pub fn list(root: &Path) -> Result<(Vec<Exception>, Vec<Unreadable>), String> {
    let dir = root.join(DIR);
    let mut files = Vec::new();
    if dir.is_dir() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if !name.ends_with(".toml") || !is_file {
                continue;
            }
            let bytes = std::fs::read(entry.path())
                .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
            files.push((format!("{DIR}/{name}"), bytes));
        }
    }
    Ok(read(&files))
}
