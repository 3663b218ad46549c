//! The local store's mechanism: one embedded SQLite file, the default for
//! every run (PostgreSQL comes later, for shared use), that each concern
//! keeps its own tables in. [`Db::open`] opens it the one way for writing
//! (WAL, foreign keys), [`Db::read`] for reading only, changing nothing;
//! each concern is a [`Component`] with its own `schema/*.sql`
//! files, applied in order and tracked in its own row of
//! `keepopen_schema`. The concerns themselves live in their own crates:
//! `keepopen-advisory-store`, `keepopen-findings-store`. Every statement
//! is parameterised.

mod db;
mod error;
mod migrate;

pub use db::Db;
pub use error::StoreError;
pub use migrate::{Component, LAYOUT, Migration};

use std::path::PathBuf;

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

#[cfg(test)]
mod tests;
