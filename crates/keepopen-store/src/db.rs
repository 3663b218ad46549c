//! One open store file: the connection every component's tables share,
//! set up the same way whoever opens it.

use crate::{Component, StoreError, migrate};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open store file. Components bring their own tables up to date on it
/// with [`Db::migrate`] and then read and write them through
/// [`Db::conn`].
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

impl Db {
    /// Opens (creating it and its folder if needed) the store at `path`:
    /// WAL, so that readers do not wait for a writer; foreign keys
    /// enforced; and the schema versions kept per component.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: path.to_owned(),
                source,
            })?;
        }
        let sql = StoreError::sqlite(path);
        let mut conn = Connection::open(path).map_err(&sql)?;
        // A second writer (two `db import`s at once) waits its turn rather
        // than failing with "database is locked".
        conn.busy_timeout(BUSY_TIMEOUT).map_err(&sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(&sql)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(&sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(&sql)?;
        migrate::adopt(&mut conn, path)?;
        Ok(Db {
            conn,
            path: path.to_owned(),
        })
    }

    /// Applies the migrations of `component` the file has not had. A file
    /// with more of them than this keepopen knows is refused.
    pub fn migrate(&mut self, component: &Component) -> Result<(), StoreError> {
        migrate::migrate(&mut self.conn, &self.path, component)
    }

    /// The version `component` is at: 0 when the file has none of it.
    pub fn version(&self, component: &str) -> Result<i64, StoreError> {
        migrate::version(&self.conn, component).map_err(|e| self.err(e))
    }

    /// Every component the file holds, with its version, by name.
    pub fn versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut q = self
            .conn
            .prepare("SELECT component, version FROM keepopen_schema ORDER BY component")
            .map_err(|e| self.err(e))?;
        let rows = q
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// For transactions.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// SQLite's `source`, on this file.
    pub fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}
