//! Triage in the store: one verdict per fingerprint, replaced when set
//! again, read back by every run.

use crate::{FindingsStore, SCHEMA, StoreError};
use keepopen_findings::{Triage, TriageState};
use keepopen_store::Db;
use rusqlite::params;
use std::collections::HashMap;
use std::path::Path;

impl FindingsStore {
    /// Sets the verdict on `fingerprint`, replacing any earlier one.
    pub fn set_triage(&mut self, fingerprint: &str, t: &Triage) -> Result<(), StoreError> {
        let db = self.db();
        db.conn()
            .execute(
                "INSERT INTO triage (fingerprint, state, reason, expires_at, set_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (fingerprint) DO UPDATE SET state = excluded.state,
                   reason = excluded.reason, expires_at = excluded.expires_at,
                   set_at = excluded.set_at",
                params![
                    fingerprint,
                    t.state.as_str(),
                    t.reason,
                    t.expires_at,
                    t.set_at
                ],
            )
            .map_err(|e| db.err(e))?;
        Ok(())
    }

    /// Every verdict, by fingerprint.
    pub fn triage(&self) -> Result<HashMap<String, Triage>, StoreError> {
        all(self.db())
    }
}

/// The verdicts in the store at `path`, read without changing it: none when
/// there is no store file, or it has no findings tables yet.
pub fn read_triage(path: &Path) -> Result<HashMap<String, Triage>, StoreError> {
    let db = match Db::read(path) {
        Ok(db) => db,
        Err(StoreError::Missing { .. }) => return Ok(HashMap::new()),
        Err(e) => return Err(e),
    };
    match db.version(SCHEMA.name)? {
        // No findings tables, or none with triage yet: nothing triaged.
        v if v < 2 => Ok(HashMap::new()),
        // A newer keepopen's store is refused, naming both versions.
        v if v > SCHEMA.migrations.len() as i64 => db.require(&SCHEMA).map(|_| HashMap::new()),
        _ => all(&db),
    }
}

fn all(db: &Db) -> Result<HashMap<String, Triage>, StoreError> {
    let mut stmt = db
        .conn()
        .prepare("SELECT fingerprint, state, reason, expires_at, set_at FROM triage")
        .map_err(|e| db.err(e))?;
    let rows = stmt
        .query_map([], |r| {
            let state: String = r.get(1)?;
            let state = state.parse::<TriageState>().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
            })?;
            Ok((
                r.get::<_, String>(0)?,
                Triage {
                    state,
                    reason: r.get(2)?,
                    expires_at: r.get(3)?,
                    set_at: r.get(4)?,
                },
            ))
        })
        .map_err(|e| db.err(e))?;
    rows.collect::<Result<_, _>>().map_err(|e| db.err(e))
}
