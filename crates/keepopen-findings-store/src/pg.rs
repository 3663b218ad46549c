//! The findings of runs on a shared PostgreSQL database: the tables of
//! `schema/pg/`, the same as the SQLite file's, written and read the same
//! way. A repository's findings go in one statement per repository (arrays
//! unnested), not one round trip per finding.

use crate::writer::Row;
use crate::{Backend, OrgRun, Run, RunInfo, StoreError, StoredFinding};
use keepopen_findings::{Finding, Repository, Triage, TriageState};
use keepopen_store::{Component, PgDb, PgUrl, migration};
use postgres::GenericClient;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

/// The PostgreSQL dialect of [`crate::SCHEMA`]: one file per migration,
/// the same number, the same tables.
pub const PG_SCHEMA: Component = Component {
    name: "findings",
    migrations: &[
        migration!("pg/001-findings.sql"),
        migration!("pg/002-triage.sql"),
        migration!("pg/003-assessments.sql"),
        migration!("pg/004-assessment-state.sql"),
    ],
};

/// The findings of runs in a PostgreSQL database.
pub struct PgStore {
    db: PgDb,
}

const INSERT_REPOSITORY: &str = "INSERT INTO repositories (run_id, root, remote, head)
    VALUES ($1, $2, $3, $4) RETURNING id";

const INSERT_ASSESSMENT: &str = "INSERT INTO assessments (run_id, repository_id, root,
    recommendation, report_row, state) VALUES ($1, $2, $3, $4, $5::text::json, $6)";

impl PgStore {
    /// Connects to `url` and brings its findings tables up to date.
    pub fn open(url: &PgUrl) -> Result<Self, StoreError> {
        let mut db = PgDb::connect(url)?;
        db.migrate(&PG_SCHEMA)?;
        Ok(PgStore { db })
    }

    /// Connects to `url` to read: its findings tables must be at this
    /// keepopen's version.
    pub fn read(url: &PgUrl) -> Result<Self, StoreError> {
        let mut db = PgDb::connect(url)?;
        db.require(&PG_SCHEMA)?;
        Ok(PgStore { db })
    }

    fn err(&self) -> impl Fn(postgres::Error) -> StoreError + use<> {
        let target = self.db.url().redacted();
        move |e| StoreError::Postgres {
            target: target.clone(),
            message: keepopen_store::describe_pg(&e),
        }
    }

    fn record(&self, what: String, message: String) -> StoreError {
        StoreError::Record {
            path: self.db.url().redacted().into(),
            what,
            message,
        }
    }
}

/// A repository's findings, in one INSERT of unnested arrays.
fn insert_findings(
    c: &mut impl GenericClient,
    run_id: i64,
    repository_id: Option<i64>,
    rows: &[Row],
) -> Result<u64, postgres::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let text = |f: &dyn Fn(&Row) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let opt = |f: &dyn Fn(&Row) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let int = |f: &dyn Fn(&Row) -> Option<i64>| rows.iter().map(f).collect::<Vec<_>>();
    let flag = |f: &dyn Fn(&Row) -> bool| rows.iter().map(f).collect::<Vec<bool>>();
    c.execute(
        "INSERT INTO findings (run_id, repository_id, rule, category, severity, confidence,
           fingerprint, path, line, column_number, commit_id, commit_time, commit_line, author,
           in_head, in_worktree, redacted, context, detail)
         SELECT $1, $2, rule, category, severity, confidence, fingerprint, path, line,
           column_number, commit_id, commit_time, commit_line, author, in_head, in_worktree,
           redacted, context, detail
         FROM UNNEST($3::text[], $4::text[], $5::text[], $6::text[],
           $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::text[], $12::bigint[],
           $13::bigint[], $14::text[], $15::boolean[], $16::boolean[], $17::text[],
           $18::text[], $19::text[]) WITH ORDINALITY AS u (rule, category, severity,
           confidence, fingerprint, path, line, column_number, commit_id, commit_time,
           commit_line, author, in_head, in_worktree, redacted, context, detail, ord)
         ORDER BY ord",
        &[
            &run_id,
            &repository_id,
            &text(&|r| r.rule.clone()),
            &text(&|r| r.category.as_str().to_string()),
            &text(&|r| r.severity.as_str().to_string()),
            &text(&|r| r.confidence.as_str().to_string()),
            &text(&|r| r.fingerprint.clone()),
            &text(&|r| r.path.clone()),
            &int(&|r| Some(i64::from(r.line))),
            &int(&|r| Some(i64::from(r.column))),
            &opt(&|r| r.commit.clone()),
            &int(&|r| r.commit_time),
            &int(&|r| r.commit_line.map(i64::from)),
            &opt(&|r| r.author.clone()),
            &flag(&|r| r.in_head),
            &flag(&|r| r.in_worktree),
            &text(&|r| r.redacted.clone()),
            &text(&|r| r.context.clone()),
            &opt(&|r| r.detail.clone()),
        ],
    )
}

impl Backend for PgStore {
    fn name(&self) -> String {
        self.db.url().redacted()
    }

    fn begin_or_resume(&mut self, run: &RunInfo) -> Result<OrgRun, StoreError> {
        let err = self.err();
        let options = run.options.to_string();
        let c = self.db.client();
        let open = c
            .query_opt(
                "SELECT id FROM runs WHERE finished_at IS NULL AND options::text = $1
                   AND keepopen_version = $2 ORDER BY id DESC LIMIT 1",
                &[&options, &run.keepopen_version],
            )
            .map_err(&err)?;
        if let Some(r) = open {
            let run_id: i64 = r.get(0);
            let done: HashSet<String> = c
                .query("SELECT root FROM assessments WHERE run_id = $1", &[&run_id])
                .map_err(&err)?
                .iter()
                .map(|r| r.get(0))
                .collect();
            return Ok(OrgRun {
                run_id,
                done,
                resumed: true,
            });
        }
        let run_id: i64 = c
            .query_one(
                "INSERT INTO runs (started_at, keepopen_version, options)
                 VALUES ($1, $2, $3::text::json) RETURNING id",
                &[&run.started_at, &run.keepopen_version, &options],
            )
            .map_err(&err)?
            .get(0);
        Ok(OrgRun {
            run_id,
            done: HashSet::new(),
            resumed: false,
        })
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
        let err = self.err();
        let rows: Vec<Row> = findings.into_iter().map(Row::new).collect();
        let mut tx = self.db.client().transaction().map_err(&err)?;
        for sql in crate::org::FORGET {
            let sql = sql.replace("?1", "$1").replace("?2", "$2");
            tx.execute(&sql, &[&run_id, &root]).map_err(&err)?;
        }
        let repository_id: Option<i64> = match repository {
            Some(r) => Some(
                tx.query_one(INSERT_REPOSITORY, &[&run_id, &root, &r.remote, &r.head])
                    .map_err(&err)?
                    .get(0),
            ),
            None => None,
        };
        insert_findings(&mut tx, run_id, repository_id, &rows).map_err(&err)?;
        tx.execute(
            INSERT_ASSESSMENT,
            &[
                &run_id,
                &repository_id,
                &root,
                &recommendation,
                &row.to_string(),
                &state,
            ],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    fn reuse(&mut self, run_id: i64, root: &str, state: &str) -> Result<bool, StoreError> {
        let err = self.err();
        let mut tx = self.db.client().transaction().map_err(&err)?;
        let earlier = tx
            .query_opt(
                "SELECT run_id, repository_id, recommendation, report_row::text
                 FROM assessments WHERE root = $1 AND state = $2 AND run_id <> $3
                 ORDER BY id DESC LIMIT 1",
                &[&root, &state, &run_id],
            )
            .map_err(&err)?;
        let Some(earlier) = earlier else {
            return Ok(false);
        };
        let (old_run, old_repository, recommendation, row): (i64, Option<i64>, String, String) = (
            earlier.get(0),
            earlier.get(1),
            earlier.get(2),
            earlier.get(3),
        );
        let repository_id: Option<i64> = match old_repository {
            Some(old) => Some(
                tx.query_one(
                    "INSERT INTO repositories (run_id, root, remote, head)
                     SELECT $1, root, remote, head FROM repositories WHERE id = $2
                     RETURNING id",
                    &[&run_id, &old],
                )
                .map_err(&err)?
                .get(0),
            ),
            None => None,
        };
        if let Some(new) = repository_id {
            tx.execute(
                "INSERT INTO findings (run_id, repository_id, rule, category, severity,
                   confidence, fingerprint, path, line, column_number, commit_id, commit_time,
                   commit_line, author, in_head, in_worktree, redacted, context, detail)
                 SELECT $1, $2, rule, category, severity, confidence, fingerprint, path, line,
                   column_number, commit_id, commit_time, commit_line, author, in_head,
                   in_worktree, redacted, context, detail
                 FROM findings WHERE run_id = $3 AND repository_id = $4 ORDER BY id",
                &[&run_id, &new, &old_run, &old_repository],
            )
            .map_err(&err)?;
        }
        tx.execute(
            INSERT_ASSESSMENT,
            &[
                &run_id,
                &repository_id,
                &root,
                &recommendation,
                &row,
                &Some(state),
            ],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(true)
    }

    fn finish_run(&mut self, run_id: i64, finished_at: i64) -> Result<(), StoreError> {
        let err = self.err();
        self.db
            .client()
            .execute(
                "UPDATE runs SET finished_at = $1 WHERE id = $2",
                &[&finished_at, &run_id],
            )
            .map_err(err)?;
        Ok(())
    }

    fn org_rows(&mut self, run_id: i64) -> Result<Vec<serde_json::Value>, StoreError> {
        let err = self.err();
        let texts: Vec<String> = self
            .db
            .client()
            .query(
                "SELECT report_row::text FROM assessments WHERE run_id = $1
                 ORDER BY root COLLATE \"C\", id",
                &[&run_id],
            )
            .map_err(err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        texts
            .iter()
            .map(|t| {
                serde_json::from_str(t).map_err(|e| {
                    self.record(format!("a report row of run {run_id}"), e.to_string())
                })
            })
            .collect()
    }

    fn runs(&mut self) -> Result<Vec<Run>, StoreError> {
        let err = self.err();
        let rows = self
            .db
            .client()
            .query(
                "SELECT id, started_at, finished_at, keepopen_version, options::text
                 FROM runs ORDER BY id",
                &[],
            )
            .map_err(err)?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.get(0);
                let options: String = r.get(4);
                Ok(Run {
                    id,
                    started_at: r.get(1),
                    finished_at: r.get(2),
                    keepopen_version: r.get(3),
                    options: serde_json::from_str(&options)
                        .map_err(|e| self.record(format!("run {id}"), e.to_string()))?,
                })
            })
            .collect()
    }

    fn org_run_ids(&mut self) -> Result<Vec<i64>, StoreError> {
        let err = self.err();
        Ok(self
            .db
            .client()
            .query(
                "SELECT DISTINCT run_id FROM assessments ORDER BY run_id",
                &[],
            )
            .map_err(err)?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn findings(&mut self, run_id: i64) -> Result<Vec<StoredFinding>, StoreError> {
        let err = self.err();
        let rows = self
            .db
            .client()
            .query(
                "SELECT f.run_id, r.root, r.remote, r.head, f.rule, f.category, f.severity,
                   f.confidence, f.fingerprint, f.path, f.line, f.column_number, f.commit_id,
                   f.commit_time, f.commit_line, f.author, f.in_head, f.in_worktree,
                   f.redacted, f.context, f.detail
                 FROM findings f LEFT JOIN repositories r ON r.id = f.repository_id
                 WHERE f.run_id = $1 ORDER BY f.id",
                &[&run_id],
            )
            .map_err(err)?;
        rows.iter()
            .map(|r| {
                let root: Option<String> = r.get(1);
                let bad = |what: &str, e: String| self.record(format!("a finding's {what}"), e);
                let named = |i: usize| r.get::<_, String>(i);
                let small = |i: usize, what: &str| -> Result<u32, StoreError> {
                    u32::try_from(r.get::<_, i64>(i)).map_err(|e| bad(what, e.to_string()))
                };
                Ok(StoredFinding {
                    run_id: r.get(0),
                    repository: root.map(|root| Repository {
                        root,
                        remote: r.get(2),
                        head: r.get(3),
                    }),
                    rule: r.get(4),
                    category: parse(&named(5)).map_err(|e| bad("category", e))?,
                    severity: parse(&named(6)).map_err(|e| bad("severity", e))?,
                    confidence: parse(&named(7)).map_err(|e| bad("confidence", e))?,
                    fingerprint: r.get(8),
                    path: r.get(9),
                    line: small(10, "line")?,
                    column: small(11, "column")?,
                    commit: r.get(12),
                    commit_time: r.get(13),
                    commit_line: r
                        .get::<_, Option<i64>>(14)
                        .map(u32::try_from)
                        .transpose()
                        .map_err(|e| bad("commit line", e.to_string()))?,
                    author: r.get(15),
                    in_head: r.get(16),
                    in_worktree: r.get(17),
                    redacted: r.get(18),
                    context: r.get(19),
                    detail: r.get(20),
                })
            })
            .collect()
    }

    fn set_triage(&mut self, fingerprint: &str, t: &Triage) -> Result<(), StoreError> {
        let err = self.err();
        self.db
            .client()
            .execute(
                "INSERT INTO triage (fingerprint, state, reason, expires_at, set_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (fingerprint) DO UPDATE SET state = excluded.state,
                   reason = excluded.reason, expires_at = excluded.expires_at,
                   set_at = excluded.set_at",
                &[
                    &fingerprint,
                    &t.state.as_str(),
                    &t.reason,
                    &t.expires_at,
                    &t.set_at,
                ],
            )
            .map_err(err)?;
        Ok(())
    }

    fn triage(&mut self) -> Result<HashMap<String, Triage>, StoreError> {
        let err = self.err();
        let rows = self
            .db
            .client()
            .query(
                "SELECT fingerprint, state, reason, expires_at, set_at FROM triage",
                &[],
            )
            .map_err(err)?;
        rows.iter()
            .map(|r| {
                let state: String = r.get(1);
                let state = TriageState::from_str(&state)
                    .map_err(|e| self.record("a triage verdict".into(), e))?;
                Ok((
                    r.get::<_, String>(0),
                    Triage {
                        state,
                        reason: r.get(2),
                        expires_at: r.get(3),
                        set_at: r.get(4),
                    },
                ))
            })
            .collect()
    }

    fn triage_state(&mut self) -> String {
        self.db
            .client()
            .query_one(
                "SELECT count(*)::text || ' ' || coalesce(max(set_at), 0)::text FROM triage",
                &[],
            )
            .map(|r| r.get(0))
            .unwrap_or_default()
    }
}

fn parse<T: FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}
