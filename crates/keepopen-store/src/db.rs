//! One open store file: the connection every component's tables share,
//! set up the same way whoever opens it. Commands that write (`db import`,
//! `db update`) open it with [`Db::open`]; everything else reads it with
//! [`Db::read`], which leaves the file and its folder exactly as they were.

use crate::{Component, StoreError, migrate};
use rusqlite::{Connection, OpenFlags};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another to finish before giving up, unless
/// `KEEPOPEN_LOCK_WAIT` (seconds) says otherwise.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// [`BUSY_TIMEOUT`], or `KEEPOPEN_LOCK_WAIT` seconds when that is set.
pub fn lock_wait() -> Duration {
    std::env::var("KEEPOPEN_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(BUSY_TIMEOUT, Duration::from_secs)
}

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
        conn.busy_timeout(lock_wait()).map_err(&sql)?;
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

    /// Opens the store at `path` for reading only. It creates no file, no
    /// folder, no table and no `-wal` or `-shm` file, and never changes the
    /// journal mode, so a scan can read a database in a folder it cannot
    /// write, or one another program owns. A missing file, an SQLite file
    /// keepopen did not make, and a layout older or newer than this build's
    /// are each their own [`StoreError`].
    pub fn read(path: &Path) -> Result<Self, StoreError> {
        if let Err(source) = std::fs::metadata(path) {
            return Err(if source.kind() == std::io::ErrorKind::NotFound {
                StoreError::Missing {
                    path: path.to_owned(),
                }
            } else {
                StoreError::Unreadable {
                    path: path.to_owned(),
                    source,
                }
            });
        }
        let wal = beside(path, "-wal");
        let shm = beside(path, "-shm");
        // A log with content holds writes the file does not have yet, and a
        // log with its shared memory beside it means another connection may
        // be writing: both are read through SQLite's locks (`mode=ro`), which
        // then creates nothing, since the files are there. Otherwise nothing
        // is writing, and `immutable` reads the file alone: no locks, no
        // -shm, no -wal, whatever the folder allows.
        let pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        let live = wal.exists() && shm.exists();
        let query = if pending || live {
            "mode=ro"
        } else {
            "immutable=1"
        };
        let sql = StoreError::sqlite(path);
        let uri = uri(path, query).map_err(|source| StoreError::Unreadable {
            path: path.to_owned(),
            source,
        })?;
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(&sql)?;
        conn.busy_timeout(lock_wait()).map_err(&sql)?;
        // The first read of the file: where a log it cannot see through
        // fails, say why.
        if let Err(source) = conn.pragma_query_value(None, "schema_version", |r| r.get::<_, i64>(0))
        {
            return Err(if pending && !shm.exists() {
                StoreError::UnfinishedWrite {
                    path: path.to_owned(),
                    source,
                }
            } else {
                sql(source)
            });
        }
        migrate::check_layout(&conn, path)?;
        Ok(Db {
            conn,
            path: path.to_owned(),
        })
    }

    /// Checks, changing nothing, that `component`'s tables are in the file
    /// at the version this build knows: [`StoreError::Absent`],
    /// [`StoreError::TooOld`] or [`StoreError::TooNew`] otherwise.
    pub fn require(&self, component: &Component) -> Result<(), StoreError> {
        migrate::check(&self.conn, &self.path, component)
    }

    /// Applies the migrations of `component` the file has not had. A file
    /// with more of them than this keepopen knows is refused.
    pub fn migrate(&mut self, component: &Component) -> Result<(), StoreError> {
        migrate::migrate(&mut self.conn, &self.path, component)
    }

    /// Begins a write transaction that takes the write lock at once, so
    /// that it never fails half-way on a lock another writer took first.
    pub fn immediate(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::sqlite(&path))
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
        StoreError::sqlite(&self.path)(source)
    }
}

/// `path` with `suffix` added to its file name: SQLite's `-wal` and `-shm`.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A `file:` URI for `path` with `query`: absolute, so that no part of the
/// path reads as an authority, and with the three characters a URI gives a
/// meaning (`%`, `?`, `#`) percent-encoded.
fn uri(path: &Path, query: &str) -> std::io::Result<OsString> {
    let abs = std::path::absolute(path)?;
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        abs.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = abs.to_string_lossy().replace('\\', "/").into_bytes();
    let mut out = b"file://".to_vec();
    if !bytes.starts_with(b"/") {
        out.push(b'/');
    }
    for b in bytes {
        match b {
            b'%' | b'?' | b'#' => out.extend(format!("%{b:02X}").bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'?');
    out.extend(query.bytes());
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Ok(OsString::from_vec(out))
    }
    #[cfg(not(unix))]
    Ok(OsString::from(String::from_utf8_lossy(&out).into_owned()))
}
