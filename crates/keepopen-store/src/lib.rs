//! The local store: one embedded SQLite file, the default for every run
//! (PostgreSQL comes later, for shared use). Its schema lives in
//! `schema/*.sql`, one file per version, applied in order: STRICT tables,
//! CHECK constraints, WAL, foreign keys, and `PRAGMA user_version` as the
//! schema version. Every statement is parameterised.

mod advisories;

pub use advisories::{EcosystemStatus, ImportStats};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The migrations, in order; the schema version is how many have run.
const MIGRATIONS: &[&str] = &[include_str!("../schema/001-advisories.sql")];

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
    #[error(
        "store {path} has schema version {found}; this keepopen knows up to {known}: use a newer keepopen or another --db"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    #[error("store {path}: advisory {id} could not be stored or read: {message}")]
    Record {
        path: PathBuf,
        id: String,
        message: String,
    },
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Where the store lives unless `--db` or `KEEPOPEN_DB` says otherwise:
/// `$XDG_DATA_HOME/keepopen/keepopen.db`, else under `~/.local/share`.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KEEPOPEN_DB") {
        return PathBuf::from(p);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("keepopen").join("keepopen.db")
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: path.to_owned(),
                source,
            })?;
        }
        let sql = |source| StoreError::Sqlite {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version the file is at.
    pub fn version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let found = self.version()?;
        if found > MIGRATIONS.len() as i64 {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known: MIGRATIONS.len(),
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
            let tx = self.conn.transaction().map_err(|e| StoreError::Sqlite {
                path: self.path.clone(),
                source: e,
            })?;
            tx.execute_batch(sql)
                .and_then(|_| tx.pragma_update(None, "user_version", (i + 1) as i64))
                .and_then(|_| tx.commit())
                .map_err(|e| StoreError::Sqlite {
                    path: self.path.clone(),
                    source: e,
                })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_is_at_the_latest_version_in_wal_mode() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/keepopen.db");
        let store = Store::open(&path).expect("opens");
        assert_eq!(store.version().expect("version"), MIGRATIONS.len() as i64);
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        drop(store);
        // Opening again runs nothing twice.
        Store::open(&path).expect("reopens");
    }

    #[test]
    fn a_store_from_a_newer_keepopen_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k.db");
        let c = Connection::open(&path).expect("open");
        c.pragma_update(None, "user_version", 99).expect("set");
        drop(c);
        let err = Store::open(&path).err().expect("refused").to_string();
        assert!(
            err.contains("schema version 99") && err.contains("k.db"),
            "{err}"
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("junk.db");
        std::fs::write(
            &path,
            b"this is not sqlite, not even close, and long enough",
        )
        .expect("write");
        let err = Store::open(&path).err().expect("refused").to_string();
        assert!(err.contains("junk.db"), "{err}");
    }
}
