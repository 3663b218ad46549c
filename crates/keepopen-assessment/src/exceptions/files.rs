//! The register's files in a repository's work tree: read, created,
//! renewed and closed the same way by `keepopen exception` and by the
//! dashboard. These are the only writes keepopen makes into a repository,
//! because a record is meant to be committed and reviewed.

use super::{DIR, Exception, Record, Unreadable, read};
use std::path::{Path, PathBuf};

/// Why a record could not be written, removed or read: what a caller
/// needs to answer (refuse the input, say it exists, say it is not there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// The id, the folder or the record's fields are not acceptable.
    Invalid(String),
    /// A record with that id is already there.
    Exists(String),
    /// No record with that id.
    Missing(String),
    /// The file system refused.
    Io(String),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::Invalid(m)
            | RecordError::Exists(m)
            | RecordError::Missing(m)
            | RecordError::Io(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RecordError {}

/// How long a new exception runs when its expiry is not given.
pub const DEFAULT_MONTHS: i8 = 6;

/// The expiry a new record gets: `expires` when given, else
/// [`DEFAULT_MONTHS`] after `approved` (empty if `approved` is not a date,
/// which the record's own check then names).
pub fn expiry_or_default(approved: &str, expires: Option<&str>) -> String {
    match expires.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => e.to_string(),
        None => approved
            .trim()
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().months(DEFAULT_MONTHS)).ok())
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

/// An id names the record's file: letters, digits, `.`, `_` and `-`, at
/// most 80, not starting with `.`.
pub fn check_id(id: &str) -> Result<(), RecordError> {
    let ok = !id.is_empty()
        && id.len() <= 80
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !id.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(RecordError::Invalid(format!(
            "exception id `{}`: use letters, digits, `.`, `_` and `-` (at most 80), not starting with `.`",
            keepopen_findings::printable(id)
        )))
    }
}

fn file(root: &Path, id: &str) -> Result<PathBuf, RecordError> {
    check_id(id)?;
    if !root.is_dir() {
        return Err(RecordError::Invalid(format!(
            "{}: not a folder",
            root.display()
        )));
    }
    Ok(root.join(DIR).join(format!("{id}.toml")))
}

fn checked(id: &str, record: &Record) -> Result<String, RecordError> {
    let missing = record.missing();
    if !missing.is_empty() {
        return Err(RecordError::Invalid(format!(
            "exception {id}: empty {}",
            missing.join(", ")
        )));
    }
    if let Some(why) = record.date_problem() {
        return Err(RecordError::Invalid(format!("exception {id}: {why}")));
    }
    let body = record
        .to_toml()
        .map_err(|e| RecordError::Invalid(format!("writing the record: {e}")))?;
    Ok(format!(
        "# keepopen exception {id}: a narrow, time-bound exception to keeping this code open.\n# Review it in a pull request; `keepopen exception list` shows the register.\n\n{body}"
    ))
}

/// Writes a new record, never over an existing one.
pub fn create(root: &Path, id: &str, record: &Record) -> Result<PathBuf, RecordError> {
    let path = file(root, id)?;
    let text = checked(id, record)?;
    let dir = root.join(DIR);
    std::fs::create_dir_all(&dir)
        .map_err(|e| RecordError::Io(format!("cannot create {}: {e}", dir.display())))?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => RecordError::Exists(format!(
                "{} exists: an exception is changed by renewing it, not by writing over it",
                path.display()
            )),
            _ => RecordError::Io(format!("cannot write {}: {e}", path.display())),
        })?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| RecordError::Io(format!("cannot write {}: {e}", path.display())))?;
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
) -> Result<PathBuf, RecordError> {
    let path = file(root, id)?;
    let mut record = one(root, id)?.record;
    record.approver = approver.trim().to_string();
    record.approved = approved.trim().to_string();
    record.expires = expires.trim().to_string();
    let text = checked(id, &record)?;
    std::fs::write(&path, text)
        .map_err(|e| RecordError::Io(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// Ends an exception: its record is removed from the work tree, for the
/// removal to be committed and reviewed like its creation.
pub fn close(root: &Path, id: &str) -> Result<PathBuf, RecordError> {
    let path = file(root, id)?;
    if !path.is_file() {
        return Err(RecordError::Missing(format!(
            "{}: no such exception",
            path.display()
        )));
    }
    std::fs::remove_file(&path)
        .map_err(|e| RecordError::Io(format!("cannot remove {}: {e}", path.display())))?;
    Ok(path)
}

/// One record, read.
pub fn one(root: &Path, id: &str) -> Result<Exception, RecordError> {
    let path = file(root, id)?;
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            RecordError::Missing(format!("{}: no such exception", path.display()))
        }
        _ => RecordError::Io(format!("cannot read {}: {e}", path.display())),
    })?;
    let (mut ok, bad) = read(&[(format!("{DIR}/{id}.toml"), bytes)]);
    match (ok.pop(), bad.into_iter().next()) {
        (Some(e), _) => Ok(e),
        (None, Some(u)) => Err(RecordError::Invalid(format!(
            "{}: {}",
            path.display(),
            u.why
        ))),
        (None, None) => Err(RecordError::Invalid(format!(
            "{}: not a record",
            path.display()
        ))),
    }
}

/// The records in a repository's work tree, and those that cannot be read.
pub fn list(root: &Path) -> Result<(Vec<Exception>, Vec<Unreadable>), RecordError> {
    let dir = root.join(DIR);
    let mut files = Vec::new();
    if dir.is_dir() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| RecordError::Io(format!("cannot list {}: {e}", dir.display())))?;
        for entry in entries {
            let entry = entry
                .map_err(|e| RecordError::Io(format!("cannot list {}: {e}", dir.display())))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if !name.ends_with(".toml") || !is_file {
                continue;
            }
            let bytes = std::fs::read(entry.path()).map_err(|e| {
                RecordError::Io(format!("cannot read {}: {e}", entry.path().display()))
            })?;
            files.push((format!("{DIR}/{name}"), bytes));
        }
    }
    Ok(read(&files))
}
