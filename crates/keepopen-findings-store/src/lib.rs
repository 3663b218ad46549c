//! The findings of runs, one component of the store (its tables in
//! `schema/`, and their PostgreSQL dialect in `schema/pg/`): each run, the repositories it scanned, and what it found in
//! each. A run is written through a [`RunWriter`], a
//! [`Sink`](keepopen_findings::Sink) the pipeline streams findings into;
//! each finding's value is redacted as it arrives, as a report shows it by
//! default, so the raw secret never reaches the file.

mod backend;
mod org;
mod pg;
mod read;
mod triage;
mod writer;

pub use backend::{Backend, open, read, shard};
pub use keepopen_store::StoreError;
pub use org::{OrgRun, advisory_state};
pub use pg::{PG_SCHEMA, PgStore};
pub use read::{Run, StoredFinding};
pub use triage::read_triage;
pub use writer::{RunInfo, RunWriter, Written};

use keepopen_store::{Component, Db, migration};
use std::path::Path;

/// The findings tables' migrations.
pub const SCHEMA: Component = Component {
    name: "findings",
    migrations: &[
        migration!("001-findings.sql"),
        migration!("002-triage.sql"),
        migration!("003-assessments.sql"),
        migration!("004-assessment-state.sql"),
    ],
};

/// The findings of runs in a store file.
pub struct FindingsStore {
    db: Db,
}

impl FindingsStore {
    /// Opens (creating if needed) the store at `path` and brings its
    /// findings tables up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::on(Db::open(path)?)
    }

    /// Opens the store at `path` for reading only, changing nothing: its
    /// findings tables must be at this keepopen's version.
    pub fn read(path: &Path) -> Result<Self, StoreError> {
        let db = Db::read(path)?;
        db.require(&SCHEMA)?;
        Ok(FindingsStore { db })
    }

    /// The findings in an open store file.
    pub fn on(mut db: Db) -> Result<Self, StoreError> {
        db.migrate(&SCHEMA)?;
        Ok(FindingsStore { db })
    }

    pub fn path(&self) -> &Path {
        self.db.path()
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn db_mut(&mut self) -> &mut Db {
        &mut self.db
    }

    /// The file, for what else it holds.
    pub fn into_db(self) -> Db {
        self.db
    }
}

#[cfg(test)]
mod tests;
