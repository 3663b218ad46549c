//! The store's mechanism: one embedded SQLite file, the default for every
//! run, or a PostgreSQL database ([`PgDb`]) for shared, sharded
//! organisation runs, that each concern
//! keeps its own tables in. [`Db::open`] opens it the one way for writing
//! (WAL, foreign keys), [`Db::read`] for reading only, changing nothing;
//! each concern is a [`Component`] with its own `schema/*.sql`
//! files, applied in order and tracked in its own row of
//! `keepopen_schema`. The concerns themselves live in their own crates:
//! `keepopen-advisory-store`, `keepopen-findings-store`. Every statement
//! is parameterised.

mod db;
mod error;
mod location;
mod migrate;
mod pg;

pub use db::{BUSY_TIMEOUT, Db, lock_wait};
pub use error::StoreError;
pub use location::{Location, PgUrl};
pub use migrate::{Component, LAYOUT, Migration};
pub use pg::{PgDb, Scratch, describe as describe_pg, test_server};

use std::path::PathBuf;

/// Where the store file lives unless `--db` says otherwise: `KEEPOPEN_DB`
/// when that names a file, else `$XDG_DATA_HOME/keepopen/keepopen.db`, else
/// under `~/.local/share`. (A `KEEPOPEN_DB` that is a `postgres://` URL is
/// read by [`Location::or_default`].)
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KEEPOPEN_DB")
        && let Location::File(f) = Location::parse(std::path::Path::new(&p))
    {
        return f;
    }
    xdg_path()
}

/// Where the advisory data is read from when the store is a PostgreSQL
/// database: `KEEPOPEN_ADVISORIES`, else the default store file. Advisory
/// data is reference data each machine keeps (`keepopen db update`); runs,
/// findings and triage are what a shared database shares.
pub fn advisories_path() -> PathBuf {
    match std::env::var_os("KEEPOPEN_ADVISORIES") {
        Some(p) => PathBuf::from(p),
        None => default_path(),
    }
}

fn xdg_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("keepopen").join("keepopen.db")
}

#[cfg(test)]
mod tests;
