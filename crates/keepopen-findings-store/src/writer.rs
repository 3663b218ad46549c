//! Writing one run: the run's row first, then its findings in batches,
//! each batch one transaction, and the time it finished last, so a run
//! that stopped short is one without `finished_at`. [`Sink::put`] cannot
//! fail, so the writer keeps the first error, writes nothing after it,
//! and [`RunWriter::finish`] returns it.

use crate::{FindingsStore, StoreError};
use keepopen_findings::{
    Category, Confidence, Finding, Repository, Severity, Sink, redact_for, redact_in_for,
};
use keepopen_store::Db;
use rusqlite::params;
use std::collections::HashMap;
use std::sync::Arc;

/// Findings written per transaction: enough that a run's many findings
/// cost few commits, few enough that others sharing the file (a `db
/// import`, a dashboard) wait little for the write lock.
pub(crate) const BATCH: usize = 500;

/// What a run is, as it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct RunInfo {
    /// Seconds since the epoch.
    pub started_at: i64,
    pub keepopen_version: String,
    /// The command's validated options, without credentials.
    pub options: serde_json::Value,
}

/// What a finished run wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub run_id: i64,
    pub findings: usize,
}

/// A finding as it is stored: its value redacted, the raw one dropped.
pub(crate) struct Row {
    pub(crate) repository: Option<Arc<Repository>>,
    pub(crate) rule: String,
    pub(crate) category: Category,
    pub(crate) severity: Severity,
    pub(crate) confidence: Confidence,
    pub(crate) fingerprint: String,
    pub(crate) path: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) commit: Option<String>,
    pub(crate) commit_time: Option<i64>,
    pub(crate) commit_line: Option<u32>,
    pub(crate) author: Option<String>,
    pub(crate) in_head: bool,
    pub(crate) in_worktree: bool,
    pub(crate) redacted: String,
    pub(crate) context: String,
    pub(crate) detail: Option<String>,
}

impl Row {
    /// Redacts as the reports do by default: the value by its category,
    /// and every copy or cut-off piece of it in the context.
    pub(crate) fn new(f: Finding) -> Row {
        let m = f.m;
        let l = f.location;
        Row {
            redacted: redact_for(m.category, &m.secret),
            context: redact_in_for(m.category, &m.context, &m.secret),
            repository: l.repository,
            rule: m.rule,
            category: m.category,
            severity: m.severity,
            confidence: m.confidence,
            fingerprint: f.fingerprint,
            path: l.path,
            line: m.line,
            column: m.column,
            commit: l.commit,
            commit_time: l.commit_time,
            commit_line: l.commit_line,
            author: l.author,
            in_head: l.in_head,
            in_worktree: l.in_worktree,
            detail: m.detail,
        }
    }
}

/// The statement every finding is written with.
pub(crate) const INSERT_FINDING: &str = "INSERT INTO findings (run_id, repository_id, rule,
    category, severity, confidence, fingerprint, path, line, column_number, commit_id,
    commit_time, commit_line, author, in_head, in_worktree, redacted, context, detail)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

impl Row {
    /// Writes the row with [`INSERT_FINDING`].
    pub(crate) fn insert(
        &self,
        stmt: &mut rusqlite::CachedStatement<'_>,
        run_id: i64,
        repository_id: Option<i64>,
    ) -> rusqlite::Result<usize> {
        stmt.execute(params![
            run_id,
            repository_id,
            self.rule,
            self.category.as_str(),
            self.severity.as_str(),
            self.confidence.as_str(),
            self.fingerprint,
            self.path,
            self.line,
            self.column,
            self.commit,
            self.commit_time,
            self.commit_line,
            self.author,
            self.in_head,
            self.in_worktree,
            self.redacted,
            self.context,
            self.detail,
        ])
    }
}

/// One run being written; a [`Sink`]. Findings not yet written when it is
/// dropped without [`finish`](RunWriter::finish) are lost, and the run
/// stays unfinished.
pub struct RunWriter<'a> {
    db: &'a mut Db,
    run_id: i64,
    pending: Vec<Row>,
    /// Repository ids in this run, by root.
    repositories: HashMap<String, i64>,
    written: usize,
    error: Option<StoreError>,
}

impl FindingsStore {
    /// Records the start of a run and returns its id.
    pub(crate) fn insert_run(&self, run: &RunInfo) -> Result<i64, StoreError> {
        self.db
            .conn()
            .query_row(
                "INSERT INTO runs (started_at, keepopen_version, options)
                 VALUES (?1, ?2, ?3) RETURNING id",
                params![
                    run.started_at,
                    run.keepopen_version,
                    run.options.to_string()
                ],
                |r| r.get(0),
            )
            .map_err(|e| self.db.err(e))
    }

    /// Records the start of a run and returns the sink for its findings.
    pub fn begin_run(&mut self, run: &RunInfo) -> Result<RunWriter<'_>, StoreError> {
        let run_id = self.insert_run(run)?;
        Ok(RunWriter {
            db: &mut self.db,
            run_id,
            pending: Vec::with_capacity(BATCH),
            repositories: HashMap::new(),
            written: 0,
            error: None,
        })
    }
}

impl RunWriter<'_> {
    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// Writes what is left, marks the run finished at `finished_at`, and
    /// says how many findings it holds; or returns the first error met,
    /// leaving the run unfinished.
    pub fn finish(mut self, finished_at: i64) -> Result<Written, StoreError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.flush(Some(finished_at))?;
        Ok(Written {
            run_id: self.run_id,
            findings: self.written,
        })
    }

    /// Writes the pending findings (and their repositories) in one
    /// transaction, with the run's end when it is given.
    fn flush(&mut self, finished_at: Option<i64>) -> Result<(), StoreError> {
        let path = self.db.path().to_owned();
        let sql = StoreError::sqlite(&path);
        let tx = self.db.immediate()?;
        {
            let mut repository = tx
                .prepare_cached(
                    "INSERT INTO repositories (run_id, root, remote, head)
                     VALUES (?1, ?2, ?3, ?4) RETURNING id",
                )
                .map_err(&sql)?;
            let mut finding = tx.prepare_cached(INSERT_FINDING).map_err(&sql)?;
            for row in &self.pending {
                let repository_id = match &row.repository {
                    None => None,
                    Some(r) => match self.repositories.get(&r.root) {
                        Some(id) => Some(*id),
                        None => {
                            let id: i64 = repository
                                .query_row(params![self.run_id, r.root, r.remote, r.head], |x| {
                                    x.get(0)
                                })
                                .map_err(&sql)?;
                            self.repositories.insert(r.root.clone(), id);
                            Some(id)
                        }
                    },
                };
                row.insert(&mut finding, self.run_id, repository_id)
                    .map_err(&sql)?;
            }
            if let Some(at) = finished_at {
                let changed = tx
                    .execute(
                        "UPDATE runs SET finished_at = ?1 WHERE id = ?2",
                        params![at, self.run_id],
                    )
                    .map_err(&sql)?;
                if changed != 1 {
                    return Err(StoreError::Record {
                        path: path.clone(),
                        what: format!("run {}", self.run_id),
                        message: "it is no longer in the store".into(),
                    });
                }
            }
        }
        tx.commit().map_err(&sql)?;
        self.written += self.pending.len();
        self.pending.clear();
        Ok(())
    }
}

impl Sink for RunWriter<'_> {
    fn put(&mut self, finding: Finding) {
        if self.error.is_some() {
            return;
        }
        self.pending.push(Row::new(finding));
        if self.pending.len() >= BATCH
            && let Err(e) = self.flush(None)
        {
            self.pending.clear();
            self.error = Some(e);
        }
    }
}
