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
    /// [`crate::Db::read`] of a path with no file: reading creates none.
    #[error("store {path}: no such file")]
    Missing { path: PathBuf },
    /// The file (or its folder) could not be looked at.
    #[error("store {path}: cannot read it: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An SQLite file keepopen did not make: [`crate::Db::read`] leaves it
    /// as it is rather than adding keepopen's tables to it.
    #[error("{path} is an SQLite file but not a keepopen store")]
    NotAStore { path: PathBuf },
    /// A file of an earlier layout, read without upgrading it: a writing
    /// command (`db import`, `db update`) upgrades it.
    #[error(
        "store {path} has schema layout {found}, older than this keepopen's {known}: run `keepopen db import` or `keepopen db update` on it, which upgrades it"
    )]
    LayoutTooOld {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// A store without `component`'s tables, read without adding them.
    #[error("store {path} holds no {component} tables")]
    Absent { path: PathBuf, component: String },
    /// `component`'s tables at an earlier version, read without migrating.
    #[error(
        "store {path}: its {component} schema is at version {found}, older than this keepopen's {known}: run `keepopen db import` or `keepopen db update` on it, which upgrades it"
    )]
    TooOld {
        path: PathBuf,
        component: String,
        found: i64,
        known: i64,
    },
    /// A write-ahead log with content beside the file (a write in progress,
    /// or one a crash left), which a reader can only see through the
    /// shared-memory file SQLite could not create beside it.
    #[error(
        "store {path}: a write is in progress or was left unfinished in its -wal file, and reading it needs a -shm file that cannot be created in its folder ({source}); run `keepopen db import` or `db update` where the folder is writable, or wait for the write to end"
    )]
    UnfinishedWrite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// A PostgreSQL store's error; `target` is its URL without the
    /// password.
    #[error("store {target}: {message}")]
    Postgres { target: String, message: String },
    /// A PostgreSQL server that could not be reached or refused the login.
    #[error("cannot reach the PostgreSQL store at {host}: {message}")]
    Unreachable { host: String, message: String },
    /// Another process held the file's write lock for longer than a writer
    /// waits.
    #[error(
        "store {path} is locked: another keepopen (or another program) has held its write lock for over {waited_secs} s; wait for it to finish, or give another --db"
    )]
    Locked { path: PathBuf, waited_secs: u64 },
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
    /// A lock still held after [`crate::db::lock_wait`] is
    /// [`StoreError::Locked`].
    pub fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Locked {
                    path: path.to_owned(),
                    waited_secs: crate::db::lock_wait().as_secs(),
                }
            }
            _ => StoreError::Sqlite {
                path: path.to_owned(),
                source,
            },
        }
    }
}
