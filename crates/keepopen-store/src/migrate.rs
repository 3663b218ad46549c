//! Forward migrations, kept per component. Each concern that stores
//! something (the advisory database, the findings of runs) owns an ordered
//! list of schema files and a row in `keepopen_schema` saying how many of
//! them the file has had, so concerns can be added and grow independently
//! in one file. Each migration runs in its own write transaction, which
//! re-reads the version first: two processes opening a new file at once
//! apply each migration once.

use crate::StoreError;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::Path;

/// One schema file of a component.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// Its file name, numbered from `001-`: the version it brings the
    /// component to.
    pub file: &'static str,
    pub sql: &'static str,
}

/// One concern's schema: its row in `keepopen_schema`, and its migrations
/// in order. Its version is how many of them have run; a published
/// migration is never edited, only followed by another.
#[derive(Clone, Copy, Debug)]
pub struct Component {
    pub name: &'static str,
    pub migrations: &'static [Migration],
}

/// A [`Migration`] from the calling crate's `schema/` folder, compiled in.
#[macro_export]
macro_rules! migration {
    ($file:literal) => {
        $crate::Migration {
            file: $file,
            sql: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/", $file)),
        }
    };
}

/// What `PRAGMA user_version` holds in a file whose versions are kept per
/// component. Before that, it counted the one list of migrations, which
/// had one member (the advisory tables): a keepopen of that time sees 2 as
/// a newer schema and refuses the file by name rather than misreading it.
pub const LAYOUT: i64 = 2;

/// The component versions a file at `user_version` 1 holds: it was written
/// before the split, by `001-advisories.sql` alone.
const BEFORE_LAYOUT: &[(&str, i64)] = &[("advisories", 1)];

const KEEPOPEN_SCHEMA: &str = include_str!("../schema/keepopen-schema.sql");

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Brings a file of any earlier layout to [`LAYOUT`]: a new file gets the
/// `keepopen_schema` table, a file from before the split also the row
/// saying its advisory tables are at version 1.
pub(crate) fn adopt(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let sql = StoreError::sqlite(path);
    if user_version(conn).map_err(&sql)? == LAYOUT {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&sql)?;
    let found = user_version(&tx).map_err(&sql)?;
    let before: &[(&str, i64)] = match found {
        LAYOUT => return Ok(()),
        0 => &[],
        1 => BEFORE_LAYOUT,
        _ => {
            return Err(StoreError::LayoutTooNew {
                path: path.to_owned(),
                found,
                known: LAYOUT,
            });
        }
    };
    tx.execute_batch(KEEPOPEN_SCHEMA).map_err(&sql)?;
    for (component, version) in before {
        tx.execute(
            "INSERT INTO keepopen_schema (component, version) VALUES (?1, ?2)",
            params![component, version],
        )
        .map_err(&sql)?;
    }
    tx.pragma_update(None, "user_version", LAYOUT)
        .map_err(&sql)?;
    tx.commit().map_err(&sql)
}

/// Checks, without changing anything, that a file read as it is has this
/// build's layout: an SQLite file keepopen never wrote (layout 0), an
/// older layout and a newer one are each refused by name.
pub(crate) fn check_layout(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let path = path.to_owned();
    match user_version(conn).map_err(StoreError::sqlite(&path))? {
        LAYOUT => Ok(()),
        0 => Err(StoreError::NotAStore { path }),
        found if found < LAYOUT => Err(StoreError::LayoutTooOld {
            path,
            found,
            known: LAYOUT,
        }),
        found => Err(StoreError::LayoutTooNew {
            path,
            found,
            known: LAYOUT,
        }),
    }
}

/// Checks, without migrating, that `component`'s tables are in the file at
/// the version this build knows.
pub(crate) fn check(
    conn: &Connection,
    path: &Path,
    component: &Component,
) -> Result<(), StoreError> {
    let found = version(conn, component.name).map_err(StoreError::sqlite(path))?;
    at_known(path, component, found)
}

/// `found`, the version `component` is at in the store at `path`, against
/// the one this build knows: [`StoreError::Absent`],
/// [`StoreError::TooOld`] or [`StoreError::TooNew`] when they differ.
pub(crate) fn at_known(path: &Path, component: &Component, found: i64) -> Result<(), StoreError> {
    let path = path.to_owned();
    let known = component.migrations.len() as i64;
    let name = component.name.to_string();
    match found {
        0 => Err(StoreError::Absent {
            path,
            component: name,
        }),
        f if f < known => Err(StoreError::TooOld {
            path,
            component: name,
            found,
            known,
        }),
        f if f > known => Err(StoreError::TooNew {
            path,
            component: name,
            found,
            known,
        }),
        _ => Ok(()),
    }
}

/// The version `component` is at in the file: 0 when it has none yet.
pub(crate) fn version(conn: &Connection, component: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT version FROM keepopen_schema WHERE component = ?1",
        params![component],
        |r| r.get(0),
    )
    .optional()
    .map(|v| v.unwrap_or(0))
}

/// Applies the migrations of `component` the file has not had yet.
pub(crate) fn migrate(
    conn: &mut Connection,
    path: &Path,
    component: &Component,
) -> Result<(), StoreError> {
    let sql = StoreError::sqlite(path);
    let known = component.migrations.len() as i64;
    let too_new = |found| StoreError::TooNew {
        path: path.to_owned(),
        component: component.name.to_string(),
        found,
        known,
    };
    // Reading first leaves an up-to-date file without a write lock.
    let found = version(conn, component.name).map_err(&sql)?;
    if found > known {
        return Err(too_new(found));
    }
    if found == known {
        return Ok(());
    }
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&sql)?;
        let found = version(&tx, component.name).map_err(&sql)?;
        if found > known {
            return Err(too_new(found));
        }
        let Some(next) = component.migrations.get(found as usize) else {
            return Ok(());
        };
        debug_assert!(
            next.file.starts_with(&format!("{:03}-", found + 1)),
            "{} is migration {} of {}",
            next.file,
            found + 1,
            component.name
        );
        tx.execute_batch(next.sql)
            .map_err(|source| StoreError::Migration {
                path: path.to_owned(),
                component: component.name,
                file: next.file,
                source,
            })?;
        tx.execute(
            "INSERT INTO keepopen_schema (component, version) VALUES (?1, ?2)
             ON CONFLICT (component) DO UPDATE SET version = excluded.version",
            params![component.name, found + 1],
        )
        .map_err(&sql)?;
        tx.commit().map_err(&sql)?;
    }
}
