//! Organisation runs in the store. Each repository's findings and its row
//! of the organisation report go in one transaction, so that a run killed
//! part-way (`kill -9`, a lost machine) holds whole repositories only.
//! Started again with the same options, the run resumes: it skips the
//! repositories it holds, and its report, read back from the store,
//! equals that of a run never stopped.

use crate::writer::{INSERT_FINDING, Row};
use crate::{FindingsStore, RunInfo, StoreError};
use keepopen_findings::{Finding, Repository};
use rusqlite::{OptionalExtension, params};
use std::collections::HashSet;

/// A run being written, new or resumed.
#[derive(Debug)]
pub struct OrgRun {
    pub run_id: i64,
    /// The roots it already holds.
    pub done: HashSet<String>,
    pub resumed: bool,
}

impl FindingsStore {
    /// The unfinished run with exactly these options, resumed; else a new
    /// one.
    pub fn begin_or_resume(&mut self, run: &RunInfo) -> Result<OrgRun, StoreError> {
        let db = self.db();
        let err = |e| db.err(e);
        let options = run.options.to_string();
        let open: Option<i64> = db
            .conn()
            .query_row(
                "SELECT id FROM runs WHERE finished_at IS NULL AND options = ?1
                   AND keepopen_version = ?2 ORDER BY id DESC LIMIT 1",
                params![options, run.keepopen_version],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        if let Some(run_id) = open {
            let mut q = db
                .conn()
                .prepare("SELECT root FROM assessments WHERE run_id = ?1")
                .map_err(err)?;
            let done = q
                .query_map(params![run_id], |r| r.get(0))
                .map_err(err)?
                .collect::<Result<_, _>>()
                .map_err(err)?;
            return Ok(OrgRun {
                run_id,
                done,
                resumed: true,
            });
        }
        let run_id = self.insert_run(run)?;
        Ok(OrgRun {
            run_id,
            done: HashSet::new(),
            resumed: false,
        })
    }

    /// Writes one repository: its identity (when it was scanned), its
    /// findings (values redacted) and its report row, all or nothing,
    /// replacing any result the run already holds for `root`.
    /// `state` is what the result was computed from, when the repository
    /// has one (see [`FindingsStore::reuse`]).
    #[allow(clippy::too_many_arguments)]
    pub fn put_repository(
        &mut self,
        run_id: i64,
        root: &str,
        repository: Option<&Repository>,
        findings: Vec<Finding>,
        recommendation: &str,
        row: &serde_json::Value,
        state: Option<&str>,
    ) -> Result<(), StoreError> {
        let path = self.db().path().to_owned();
        let sql = StoreError::sqlite(&path);
        let tx = self.db_mut().immediate()?;
        {
            // A repository scanned again in the same run (a dashboard
            // rescan) replaces its earlier result.
            for sql_text in FORGET {
                tx.execute(sql_text, params![run_id, root]).map_err(&sql)?;
            }
            let repository_id: Option<i64> = match repository {
                Some(r) => Some(
                    tx.query_row(
                        "INSERT INTO repositories (run_id, root, remote, head)
                         VALUES (?1, ?2, ?3, ?4) RETURNING id",
                        params![run_id, root, r.remote, r.head],
                        |x| x.get(0),
                    )
                    .map_err(&sql)?,
                ),
                None => None,
            };
            let mut stmt = tx.prepare_cached(INSERT_FINDING).map_err(&sql)?;
            for f in findings {
                Row::new(f)
                    .insert(&mut stmt, run_id, repository_id)
                    .map_err(&sql)?;
            }
            let row = row.to_string();
            insert_assessment(
                &tx,
                run_id,
                repository_id,
                root,
                recommendation,
                &row,
                state,
            )
            .map_err(&sql)?;
        }
        tx.commit().map_err(&sql)
    }

    /// Copies into run `run_id` the newest earlier result of `root`
    /// computed from the same `state`: its repository, findings and row,
    /// in one transaction. False when there is none, and nothing is
    /// written.
    pub fn reuse(&mut self, run_id: i64, root: &str, state: &str) -> Result<bool, StoreError> {
        let path = self.db().path().to_owned();
        let sql = StoreError::sqlite(&path);
        let tx = self.db_mut().immediate()?;
        let earlier: Option<(i64, Option<i64>, String, String)> = tx
            .query_row(
                "SELECT run_id, repository_id, recommendation, report_row FROM assessments
                 WHERE root = ?1 AND state = ?2 AND run_id <> ?3
                 ORDER BY id DESC LIMIT 1",
                params![root, state, run_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(&sql)?;
        let Some((old_run, old_repository, recommendation, row)) = earlier else {
            return Ok(false);
        };
        let repository_id: Option<i64> = match old_repository {
            Some(old) => Some(
                tx.query_row(
                    "INSERT INTO repositories (run_id, root, remote, head)
                     SELECT ?1, root, remote, head FROM repositories WHERE id = ?2
                     RETURNING id",
                    params![run_id, old],
                    |r| r.get(0),
                )
                .map_err(&sql)?,
            ),
            None => None,
        };
        if let Some(new) = repository_id {
            tx.execute(
                "INSERT INTO findings (run_id, repository_id, rule, category, severity,
                   confidence, fingerprint, path, line, column_number, commit_id, commit_time,
                   commit_line, author, in_head, in_worktree, redacted, context, detail)
                 SELECT ?1, ?2, rule, category, severity, confidence, fingerprint, path, line,
                   column_number, commit_id, commit_time, commit_line, author, in_head,
                   in_worktree, redacted, context, detail
                 FROM findings WHERE run_id = ?3 AND repository_id = ?4 ORDER BY id",
                params![run_id, new, old_run, old_repository],
            )
            .map_err(&sql)?;
        }
        insert_assessment(
            &tx,
            run_id,
            repository_id,
            root,
            &recommendation,
            &row,
            Some(state),
        )
        .map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(true)
    }

    /// The count and newest time of the triage verdicts.
    pub fn triage_state(&self) -> String {
        self.db()
            .conn()
            .query_row(
                "SELECT count(*) || ' ' || coalesce(max(set_at), 0) FROM triage",
                [],
                |r| r.get(0),
            )
            .unwrap_or_default()
    }

    /// Marks the run finished.
    pub fn finish_run(&mut self, run_id: i64, finished_at: i64) -> Result<(), StoreError> {
        let db = self.db();
        db.conn()
            .execute(
                "UPDATE runs SET finished_at = ?1 WHERE id = ?2",
                params![finished_at, run_id],
            )
            .map_err(|e| db.err(e))?;
        Ok(())
    }

    /// The report rows of run `run_id`, by path: workers finish in any
    /// order, and a report must not.
    pub fn org_rows(&self, run_id: i64) -> Result<Vec<serde_json::Value>, StoreError> {
        let db = self.db();
        let err = |e| db.err(e);
        let mut q = db
            .conn()
            .prepare("SELECT report_row FROM assessments WHERE run_id = ?1 ORDER BY root, id")
            .map_err(err)?;
        let rows: Vec<String> = q
            .query_map(params![run_id], |r| r.get(0))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        rows.iter()
            .map(|t| {
                serde_json::from_str(t).map_err(|e| StoreError::Record {
                    path: db.path().to_owned(),
                    what: format!("a report row of run {run_id}"),
                    message: e.to_string(),
                })
            })
            .collect()
    }

    /// The ids of the runs that hold organisation rows.
    pub fn org_run_ids(&self) -> Result<Vec<i64>, StoreError> {
        let db = self.db();
        let err = |e| db.err(e);
        let mut q = db
            .conn()
            .prepare("SELECT DISTINCT run_id FROM assessments ORDER BY run_id")
            .map_err(err)?;
        q.query_map([], |r| r.get(0))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)
    }
}

/// Deletes one repository's result from a run (`?1` the run, `?2` the
/// root): the same statements in both dialects once numbered as `$`.
pub(crate) const FORGET: [&str; 3] = [
    "DELETE FROM assessments WHERE run_id = ?1 AND root = ?2",
    "DELETE FROM findings WHERE run_id = ?1 AND repository_id IN
       (SELECT id FROM repositories WHERE run_id = ?1 AND root = ?2)",
    "DELETE FROM repositories WHERE run_id = ?1 AND root = ?2",
];

/// What in the advisory data changes results: its count and newest
/// `modified`. Nothing when the file has no advisory tables, or is none.
pub fn advisory_state(path: &std::path::Path) -> String {
    let Ok(db) = keepopen_store::Db::read(path) else {
        return String::new();
    };
    db.conn()
        .query_row(
            "SELECT count(*) || ' ' || coalesce(max(modified), '') FROM advisory",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default()
}

/// One repository's row of an organisation run.
fn insert_assessment(
    tx: &rusqlite::Transaction<'_>,
    run_id: i64,
    repository_id: Option<i64>,
    root: &str,
    recommendation: &str,
    row: &str,
    state: Option<&str>,
) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO assessments (run_id, repository_id, root, recommendation, report_row,
           state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![run_id, repository_id, root, recommendation, row, state],
    )
}
