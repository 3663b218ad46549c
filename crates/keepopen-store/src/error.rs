//! The one error type of the store crates: each names the file, so a
//! message says which database is broken, too new or unwritable.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("store {path}: cannot create its folder: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file was written by a keepopen that knows more migrations of
    /// `component` than this one.
    #[error(
        "store {path}: its {component} schema is at version {found}; this keepopen knows up to {known}: use a newer keepopen or another --db"
    )]
    TooNew {
        path: PathBuf,
        component: String,
        found: i64,
        known: i64,
    },
    /// A schema file that did not apply; the transaction it ran in was
    /// rolled back, so the file is as it was before.
    #[error("store {path}: migration {component}/{file} failed: {source}")]
    Migration {
        path: PathBuf,
        component: &'static str,
        file: &'static str,
        source: rusqlite::Error,
    },
    /// The file keeps its schema versions in a way this keepopen does not
    /// know (`PRAGMA user_version` past [`crate::LAYOUT`]).
    #[error(
        "store {path} has schema layout {found}; this keepopen knows up to {known}: use a newer keepopen or another --db"
    )]
    LayoutTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// A value that could not be written or read back: `what` names it
    /// (`advisory GHSA-…`, `finding 12`).
    #[error("store {path}: {what} could not be stored or read: {message}")]
    Record {
        path: PathBuf,
        what: String,
        message: String,
    },
}

impl StoreError {
    /// Wraps SQLite's errors on the file at `path`, for `map_err`.
    pub fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: path.to_owned(),
            source,
        }
    }
}
