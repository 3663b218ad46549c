//! Reading runs and their findings back, as they were stored: values
//! redacted, repositories by their identity at the time of the run.

use crate::{FindingsStore, StoreError};
use keepopen_findings::{Category, Confidence, Repository, Severity};
use rusqlite::types::Type;
use rusqlite::{Row, params};
use std::str::FromStr;

/// One run.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub id: i64,
    pub started_at: i64,
    /// `None` while it is going, or when it stopped short.
    pub finished_at: Option<i64>,
    pub keepopen_version: String,
    pub options: serde_json::Value,
}

/// One finding of a run, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFinding {
    pub run_id: i64,
    pub repository: Option<Repository>,
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    pub fingerprint: String,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub commit: Option<String>,
    pub commit_time: Option<i64>,
    pub commit_line: Option<u32>,
    pub author: Option<String>,
    pub in_head: bool,
    pub in_worktree: bool,
    /// The value as a report shows it by default.
    pub redacted: String,
    /// The line around it, the value redacted.
    pub context: String,
    pub detail: Option<String>,
}

/// Column `i` read as one of keepopen's named values (a category, a
/// severity); a name the schema's CHECK let through but this keepopen does
/// not know is an error, not a guess.
fn named<T: FromStr<Err = String>>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    text.parse()
        .map_err(|e: String| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, e.into()))
}

fn json(r: &Row<'_>, i: usize) -> rusqlite::Result<serde_json::Value> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, e.into()))
}

impl FindingsStore {
    /// Every run, oldest first.
    pub fn runs(&self) -> Result<Vec<Run>, StoreError> {
        let err = |e| self.db.err(e);
        let mut q = self
            .db
            .conn()
            .prepare(
                "SELECT id, started_at, finished_at, keepopen_version, options
                 FROM runs ORDER BY id",
            )
            .map_err(err)?;
        let rows = q
            .query_map([], |r| {
                Ok(Run {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    finished_at: r.get(2)?,
                    keepopen_version: r.get(3)?,
                    options: json(r, 4)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    /// The findings of run `run_id`, in the order they were written.
    pub fn findings(&self, run_id: i64) -> Result<Vec<StoredFinding>, StoreError> {
        let err = |e| self.db.err(e);
        let mut q = self
            .db
            .conn()
            .prepare(
                "SELECT f.run_id, r.root, r.remote, r.head, f.rule, f.category, f.severity,
                   f.confidence, f.fingerprint, f.path, f.line, f.column_number, f.commit_id,
                   f.commit_time, f.commit_line, f.author, f.in_head, f.in_worktree,
                   f.redacted, f.context, f.detail
                 FROM findings f LEFT JOIN repositories r ON r.id = f.repository_id
                 WHERE f.run_id = ?1 ORDER BY f.id",
            )
            .map_err(err)?;
        let rows = q
            .query_map(params![run_id], |r| {
                let root: Option<String> = r.get(1)?;
                Ok(StoredFinding {
                    run_id: r.get(0)?,
                    repository: match root {
                        Some(root) => Some(Repository {
                            root,
                            remote: r.get(2)?,
                            head: r.get(3)?,
                        }),
                        None => None,
                    },
                    rule: r.get(4)?,
                    category: named(r, 5)?,
                    severity: named(r, 6)?,
                    confidence: named(r, 7)?,
                    fingerprint: r.get(8)?,
                    path: r.get(9)?,
                    line: r.get(10)?,
                    column: r.get(11)?,
                    commit: r.get(12)?,
                    commit_time: r.get(13)?,
                    commit_line: r.get(14)?,
                    author: r.get(15)?,
                    in_head: r.get(16)?,
                    in_worktree: r.get(17)?,
                    redacted: r.get(18)?,
                    context: r.get(19)?,
                    detail: r.get(20)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }
}
