//! The seam between the commands and where runs are kept: one trait, with
//! the SQLite file ([`FindingsStore`]) and a shared PostgreSQL database
//! ([`PgStore`](crate::PgStore)) behind it, so that `org`, `report` and
//! `triage` behave the same on both, and one test suite runs on both.

use crate::{FindingsStore, OrgRun, PgStore, Run, RunInfo, StoreError, StoredFinding};
use keepopen_findings::{Finding, Repository, Triage};
use keepopen_store::Location;
use std::collections::HashMap;
#[cfg(test)]
use std::collections::HashSet;

/// A store of runs, findings, organisation rows and triage.
pub trait Backend: Send {
    /// The store, for messages: a path, or a URL without its password.
    fn name(&self) -> String;

    /// The unfinished run with exactly these options, resumed; else a new
    /// one.
    fn begin_or_resume(&mut self, run: &RunInfo) -> Result<OrgRun, StoreError>;

    /// One repository's identity, findings (redacted) and report row, all
    /// or nothing.
    #[allow(clippy::too_many_arguments)]
    fn put_repository(
        &mut self,
        run_id: i64,
        root: &str,
        repository: Option<&Repository>,
        findings: Vec<Finding>,
        recommendation: &str,
        row: &serde_json::Value,
        state: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Copies into `run_id` the newest earlier result of `root` computed
    /// from `state`; false when there is none.
    fn reuse(&mut self, run_id: i64, root: &str, state: &str) -> Result<bool, StoreError>;

    fn finish_run(&mut self, run_id: i64, finished_at: i64) -> Result<(), StoreError>;

    /// A run's report rows, by path (byte order, whatever the collation).
    fn org_rows(&mut self, run_id: i64) -> Result<Vec<serde_json::Value>, StoreError>;

    /// The rows of `runs` (one organisation, its shards read whole), each
    /// with the run that holds it, in path order (byte order).
    fn rows_of(&mut self, runs: &[i64]) -> Result<Vec<(i64, serde_json::Value)>, StoreError> {
        let mut rows = Vec::new();
        for id in runs {
            rows.extend(self.org_rows(*id)?.into_iter().map(|r| (*id, r)));
        }
        rows.sort_by(|x, y| x.1["path"].as_str().cmp(&y.1["path"].as_str()));
        Ok(rows)
    }

    /// Every run, oldest first.
    fn runs(&mut self) -> Result<Vec<Run>, StoreError>;

    /// The ids of the runs that hold organisation rows.
    fn org_run_ids(&mut self) -> Result<Vec<i64>, StoreError>;

    /// A run's findings, in the order they were written.
    fn findings(&mut self, run_id: i64) -> Result<Vec<StoredFinding>, StoreError>;

    fn set_triage(&mut self, fingerprint: &str, t: &Triage) -> Result<(), StoreError>;

    fn triage(&mut self) -> Result<HashMap<String, Triage>, StoreError>;

    /// The count and newest time of the triage verdicts: results computed
    /// before a verdict changed are not reused.
    fn triage_state(&mut self) -> String;

    /// The newest organisation run, finished ones first, with the newest
    /// run of each other shard started with the same options: a sharded
    /// organisation is reported whole. The ids, and whether all finished.
    fn latest_org(&mut self) -> Result<Option<(Vec<i64>, bool)>, StoreError> {
        let with_rows = self.org_run_ids()?;
        let runs: Vec<Run> = self
            .runs()?
            .into_iter()
            .filter(|r| with_rows.contains(&r.id))
            .collect();
        let newest = |pick: &dyn Fn(&Run) -> bool| {
            runs.iter()
                .filter(|r| pick(r))
                .max_by_key(|r| (r.finished_at.is_some(), r.id))
        };
        let Some(latest) = newest(&|_| true) else {
            return Ok(None);
        };
        let Some((_, n)) = shard(&latest.options) else {
            return Ok(Some((vec![latest.id], latest.finished_at.is_some())));
        };
        let mut ids = Vec::new();
        let mut finished = true;
        for i in 0..n {
            let same = |r: &Run| {
                shard(&r.options) == Some((i, n))
                    && without_shard(&r.options) == without_shard(&latest.options)
            };
            if let Some(r) = newest(&same) {
                ids.push(r.id);
                finished &= r.finished_at.is_some();
            } else {
                finished = false;
            }
        }
        Ok(Some((ids, finished)))
    }
}

/// A run's `--shard I/N`, from its options.
pub fn shard(options: &serde_json::Value) -> Option<(u32, u32)> {
    let (i, n) = options["shard"].as_str()?.split_once('/')?;
    Some((i.parse().ok()?, n.parse().ok()?))
}

fn without_shard(options: &serde_json::Value) -> serde_json::Value {
    let mut o = options.clone();
    if let Some(m) = o.as_object_mut() {
        m.remove("shard");
    }
    o
}

/// Opens (creating and migrating as needed) the store at `at`.
pub fn open(at: &Location) -> Result<Box<dyn Backend>, StoreError> {
    Ok(match at {
        Location::File(p) => Box::new(FindingsStore::open(p)?),
        Location::Postgres(u) => Box::new(PgStore::open(u)?),
    })
}

/// Opens the store at `at` to read, changing nothing: its findings tables
/// must be at this keepopen's version.
pub fn read(at: &Location) -> Result<Box<dyn Backend>, StoreError> {
    Ok(match at {
        Location::File(p) => Box::new(FindingsStore::read(p)?),
        Location::Postgres(u) => Box::new(PgStore::read(u)?),
    })
}

impl Backend for FindingsStore {
    fn name(&self) -> String {
        self.path().display().to_string()
    }

    fn begin_or_resume(&mut self, run: &RunInfo) -> Result<OrgRun, StoreError> {
        FindingsStore::begin_or_resume(self, run)
    }

    fn put_repository(
        &mut self,
        run_id: i64,
        root: &str,
        repository: Option<&Repository>,
        findings: Vec<Finding>,
        recommendation: &str,
        row: &serde_json::Value,
        state: Option<&str>,
    ) -> Result<(), StoreError> {
        FindingsStore::put_repository(
            self,
            run_id,
            root,
            repository,
            findings,
            recommendation,
            row,
            state,
        )
    }

    fn reuse(&mut self, run_id: i64, root: &str, state: &str) -> Result<bool, StoreError> {
        FindingsStore::reuse(self, run_id, root, state)
    }

    fn finish_run(&mut self, run_id: i64, finished_at: i64) -> Result<(), StoreError> {
        FindingsStore::finish_run(self, run_id, finished_at)
    }

    fn org_rows(&mut self, run_id: i64) -> Result<Vec<serde_json::Value>, StoreError> {
        FindingsStore::org_rows(self, run_id)
    }

    fn runs(&mut self) -> Result<Vec<Run>, StoreError> {
        FindingsStore::runs(self)
    }

    fn org_run_ids(&mut self) -> Result<Vec<i64>, StoreError> {
        FindingsStore::org_run_ids(self)
    }

    fn findings(&mut self, run_id: i64) -> Result<Vec<StoredFinding>, StoreError> {
        FindingsStore::findings(self, run_id)
    }

    fn set_triage(&mut self, fingerprint: &str, t: &Triage) -> Result<(), StoreError> {
        FindingsStore::set_triage(self, fingerprint, t)
    }

    fn triage(&mut self) -> Result<HashMap<String, Triage>, StoreError> {
        FindingsStore::triage(self)
    }

    fn triage_state(&mut self) -> String {
        FindingsStore::triage_state(self)
    }
}

#[cfg(test)]
mod tests;
