//! The OSV advisory database, one component of the local store (its
//! tables in `schema/`): advisories imported in one transaction (a record
//! whose `modified` is unchanged is left alone), counted per ecosystem for
//! `db status`, and read back by package for matching. Only `db import`
//! and `db update` write ([`AdvisoryStore::open`]); a scan reads the file
//! as it is ([`AdvisoryStore::read`]).

pub use keepopen_store::{StoreError, default_path};

use keepopen_advisories::Record;
use keepopen_store::{Component, Db, migration};
use keepopen_versions::Ecosystem;
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;
use std::path::Path;

/// The advisory tables' migrations.
pub const SCHEMA: Component = Component {
    name: "advisories",
    migrations: &[migration!("001-advisories.sql")],
};

/// The advisory database in a store file.
pub struct AdvisoryStore {
    db: Db,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportStats {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Records naming ecosystems with no version order here, by ecosystem:
    /// stored, and counted so that `db import` can say they will not match.
    pub unordered: BTreeMap<String, usize>,
}

/// One ecosystem's part of the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcosystemStatus {
    pub ecosystem: String,
    pub advisories: usize,
    /// The newest `modified` date among them.
    pub newest_modified: Option<String>,
    /// When they were last imported, seconds since the epoch.
    pub imported_at: i64,
}

fn name_key(ecosystem: &str, name: &str) -> (String, String) {
    let base = ecosystem.split(':').next().unwrap_or("").to_string();
    let name = match Ecosystem::from_osv(&base) {
        Some(eco) => keepopen_advisories::normalise(eco, name),
        None => name.to_string(),
    };
    (base, name)
}

impl AdvisoryStore {
    /// Opens (creating if needed) the store at `path` and brings its
    /// advisory tables up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::on(Db::open(path)?)
    }

    /// Reads the store at `path` as it is, for a scan: nothing is created
    /// or migrated. A missing file is [`StoreError::Missing`]; a file
    /// without advisory tables [`StoreError::NotAStore`] or
    /// [`StoreError::Absent`]; one written by an older keepopen
    /// [`StoreError::LayoutTooOld`] or [`StoreError::TooOld`] (`db import`
    /// and `db update` upgrade it); a newer one [`StoreError::TooNew`].
    pub fn read(path: &Path) -> Result<Self, StoreError> {
        let db = Db::read(path)?;
        db.require(&SCHEMA)?;
        Ok(AdvisoryStore { db })
    }

    /// The advisory database in an open store file.
    pub fn on(mut db: Db) -> Result<Self, StoreError> {
        db.migrate(&SCHEMA)?;
        Ok(AdvisoryStore { db })
    }

    pub fn path(&self) -> &Path {
        self.db.path()
    }

    /// The file, for what else it holds.
    pub fn into_db(self) -> Db {
        self.db
    }

    /// Imports `records`, each with the file it came from.
    pub fn import(
        &mut self,
        records: &[(Record, String)],
        now: i64,
    ) -> Result<ImportStats, StoreError> {
        let path = self.db.path().to_owned();
        let sql = StoreError::sqlite(&path);
        let mut stats = ImportStats::default();
        // Immediate: a deferred transaction that reads first and then writes
        // fails at once (no busy wait) if another import committed between.
        let tx = self
            .db
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&sql)?;
        {
            let mut existing = tx
                .prepare("SELECT modified FROM advisory WHERE id = ?1")
                .map_err(&sql)?;
            let mut drop_packages = tx
                .prepare("DELETE FROM affected_package WHERE advisory_id = ?1")
                .map_err(&sql)?;
            let mut upsert = tx
                .prepare(
                    "INSERT INTO advisory (id, modified, withdrawn, source, imported_at, record)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (id) DO UPDATE SET modified = excluded.modified,
                       withdrawn = excluded.withdrawn, source = excluded.source,
                       imported_at = excluded.imported_at, record = excluded.record",
                )
                .map_err(&sql)?;
            let mut package = tx
                .prepare(
                    "INSERT OR IGNORE INTO affected_package (advisory_id, ecosystem, base, name)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&sql)?;
            for (r, source) in records {
                let before: Option<Option<String>> = existing
                    .query_row(params![r.id], |row| row.get(0))
                    .optional()
                    .map_err(&sql)?;
                match &before {
                    Some(m) if *m == r.modified => {
                        stats.unchanged += 1;
                        continue;
                    }
                    Some(_) => stats.updated += 1,
                    None => stats.inserted += 1,
                }
                let json = serde_json::to_string(r).map_err(|e| StoreError::Record {
                    path: path.clone(),
                    what: format!("advisory {}", r.id),
                    message: e.to_string(),
                })?;
                drop_packages.execute(params![r.id]).map_err(&sql)?;
                upsert
                    .execute(params![r.id, r.modified, r.withdrawn, source, now, json])
                    .map_err(&sql)?;
                for p in r.affected.iter().filter_map(|a| a.package.as_ref()) {
                    let (base, name) = name_key(&p.ecosystem, &p.name);
                    if base.is_empty() {
                        continue;
                    }
                    if Ecosystem::from_osv(&base).is_none() {
                        *stats.unordered.entry(base.clone()).or_default() += 1;
                    }
                    package
                        .execute(params![r.id, p.ecosystem, base, name])
                        .map_err(&sql)?;
                }
            }
        }
        tx.commit().map_err(&sql)?;
        Ok(stats)
    }

    /// Advisories per ecosystem.
    pub fn status(&self) -> Result<Vec<EcosystemStatus>, StoreError> {
        let mut q = self
            .db
            .conn()
            .prepare(
                "SELECT p.base, COUNT(DISTINCT a.id), MAX(a.modified), MAX(a.imported_at)
                 FROM affected_package p JOIN advisory a ON a.id = p.advisory_id
                 GROUP BY p.base ORDER BY p.base",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = q
            .query_map([], |r| {
                Ok(EcosystemStatus {
                    ecosystem: r.get(0)?,
                    advisories: r.get::<_, i64>(1)? as usize,
                    newest_modified: r.get(2)?,
                    imported_at: r.get(3)?,
                })
            })
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }

    /// How many advisories the store holds.
    pub fn count(&self) -> Result<usize, StoreError> {
        self.db
            .conn()
            .query_row("SELECT COUNT(*) FROM advisory", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.db.err(e))
    }

    /// The newest `modified` date of any advisory in the store: how fresh
    /// the data is, whenever it was imported. `None` when no advisory has
    /// one.
    pub fn newest_modified(&self) -> Result<Option<String>, StoreError> {
        self.db
            .conn()
            .query_row(
                "SELECT MAX(modified) FROM advisory WHERE modified IS NOT NULL",
                [],
                |r| r.get::<_, Option<String>>(0),
            )
            .map_err(|e| self.db.err(e))
    }

    /// The advisories naming package `name` of `ecosystem`.
    pub fn advisories_for(&self, ecosystem: &str, name: &str) -> Result<Vec<Record>, StoreError> {
        let (base, name) = name_key(ecosystem, name);
        let mut q = self
            .db
            .conn()
            .prepare_cached(
                "SELECT DISTINCT a.id, a.record FROM affected_package p
                 JOIN advisory a ON a.id = p.advisory_id
                 WHERE p.base = ?1 AND p.name = ?2 ORDER BY a.id",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = q
            .query_map(params![base, name], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.db.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(|e| self.db.err(e))?;
            let rec = serde_json::from_str(&json).map_err(|e| StoreError::Record {
                path: self.db.path().to_owned(),
                what: format!("advisory {id}"),
                message: e.to_string(),
            })?;
            out.push(rec);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepopen_advisories::load::parse_json;

    fn rec(json: &str) -> Record {
        parse_json(json.as_bytes()).expect("parses").remove(0)
    }

    #[test]
    fn import_is_idempotent_updates_by_modified_and_reads_back_by_package() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = AdvisoryStore::open(&dir.path().join("k.db")).expect("open");
        let a = rec(
            r#"{"id":"PYSEC-1","modified":"2024-01-01","affected":[{"package":{"ecosystem":"PyPI","name":"Flask_Login"}}]}"#,
        );
        let b = rec(
            r#"{"id":"DSA-1","modified":"2024-02-01","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"}},{"package":{"ecosystem":"Hex","name":"plug"}}]}"#,
        );
        let batch = vec![
            (a.clone(), "pypa".to_string()),
            (b.clone(), "debian.zip".to_string()),
        ];
        let st = s.import(&batch, 100).expect("import");
        assert_eq!((st.inserted, st.updated, st.unchanged), (2, 0, 0));
        assert_eq!(st.unordered.get("Hex"), Some(&1));
        let st = s.import(&batch, 200).expect("again");
        assert_eq!((st.inserted, st.updated, st.unchanged), (0, 0, 2));
        let mut a2 = a.clone();
        a2.modified = Some("2024-03-01".into());
        a2.affected[0].package.as_mut().expect("package").name = "other".into();
        let st = s.import(&[(a2, "pypa".into())], 300).expect("update");
        assert_eq!(st.updated, 1);
        assert!(
            s.advisories_for("PyPI", "flask-login")
                .expect("query")
                .is_empty(),
            "old package rows go"
        );
        assert_eq!(
            s.advisories_for("PyPI", "Other").expect("query")[0].id,
            "PYSEC-1"
        );
        assert_eq!(
            s.advisories_for("Debian:11", "openssl").expect("query")[0],
            b
        );
        let status = s.status().expect("status");
        let names: Vec<(&str, usize)> = status
            .iter()
            .map(|e| (e.ecosystem.as_str(), e.advisories))
            .collect();
        assert_eq!(names, vec![("Debian", 1), ("Hex", 1), ("PyPI", 1)]);
        assert_eq!(status[2].imported_at, 300);
        assert_eq!(s.count().expect("count"), 2);
        assert_eq!(
            s.newest_modified().expect("newest").as_deref(),
            Some("2024-03-01"),
            "the data's own date, not the import's"
        );
    }

    #[test]
    fn a_file_written_before_the_split_keeps_its_advisories_at_version_1() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keepopen.db");
        // What keepopen wrote before schemas were kept per component: the
        // advisory tables, and user_version 1.
        let old = rusqlite::Connection::open(&path).expect("open");
        old.execute_batch(include_str!("../schema/001-advisories.sql"))
            .expect("old schema");
        old.execute(
            "INSERT INTO advisory (id, modified, source, imported_at, record)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                "RUSTSEC-1",
                "2024-01-01",
                "rustsec",
                5,
                r#"{"id":"RUSTSEC-1","modified":"2024-01-01","affected":[{"package":{"ecosystem":"crates.io","name":"smallvec"}}]}"#
            ],
        )
        .expect("advisory");
        old.execute(
            "INSERT INTO affected_package (advisory_id, ecosystem, base, name) VALUES (?1, ?2, ?2, ?3)",
            rusqlite::params!["RUSTSEC-1", "crates.io", "smallvec"],
        )
        .expect("package");
        old.pragma_update(None, "user_version", 1).expect("version");
        drop(old);

        let s = AdvisoryStore::open(&path).expect("opens the old file");
        assert_eq!(s.count().expect("count"), 1);
        assert_eq!(
            s.advisories_for("crates.io", "smallvec").expect("q")[0].id,
            "RUSTSEC-1"
        );
        let db = s.into_db();
        assert_eq!(
            db.versions().expect("versions"),
            vec![("advisories".to_string(), 1)]
        );
        drop(db);
        // Opening again migrates nothing: 001 would fail on its tables.
        let s = AdvisoryStore::open(&path).expect("reopens");
        assert_eq!(s.count().expect("count"), 1);
    }

    #[test]
    fn reading_an_imported_store_finds_its_advisories_and_changes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k.db");
        let mut s = AdvisoryStore::open(&path).expect("open");
        let a = rec(
            r#"{"id":"PYSEC-1","modified":"2024-01-01","affected":[{"package":{"ecosystem":"PyPI","name":"flask"}}]}"#,
        );
        s.import(&[(a, "pypa".into())], 1).expect("import");
        drop(s);
        let files = || -> Vec<(String, Vec<u8>)> {
            let mut v: Vec<_> = std::fs::read_dir(dir.path())
                .expect("dir")
                .flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read(e.path()).expect("read"))
                })
                .collect();
            v.sort();
            v
        };
        let before = files();
        let s = AdvisoryStore::read(&path).expect("reads");
        assert_eq!(s.count().expect("count"), 1);
        assert_eq!(s.status().expect("status")[0].ecosystem, "PyPI");
        assert_eq!(
            s.advisories_for("PyPI", "Flask").expect("q")[0].id,
            "PYSEC-1"
        );
        drop(s);
        assert!(files() == before, "no -wal, no -shm, no byte changed");
    }

    #[test]
    fn reading_a_store_without_current_advisory_tables_says_why() {
        let dir = tempfile::tempdir().expect("tempdir");
        let empty = dir.path().join("findings-only.db");
        drop(Db::open(&empty).expect("a store with no advisory tables"));
        assert!(matches!(
            AdvisoryStore::read(&empty),
            Err(StoreError::Absent { .. })
        ));
        let plain = dir.path().join("other.sqlite");
        rusqlite::Connection::open(&plain)
            .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
            .expect("plain file");
        assert!(matches!(
            AdvisoryStore::read(&plain),
            Err(StoreError::NotAStore { .. })
        ));
        let old = dir.path().join("old.db");
        let c = rusqlite::Connection::open(&old).expect("open");
        c.execute_batch(include_str!("../schema/001-advisories.sql"))
            .expect("old schema");
        c.pragma_update(None, "user_version", 1).expect("version");
        drop(c);
        let err = AdvisoryStore::read(&old).err().expect("older");
        assert!(matches!(err, StoreError::LayoutTooOld { .. }), "{err}");
        let newer = dir.path().join("newer.db");
        let db = Db::open(&newer).expect("open");
        db.conn()
            .execute(
                "INSERT INTO keepopen_schema (component, version) VALUES ('advisories', 99)",
                [],
            )
            .expect("newer");
        drop(db);
        assert!(matches!(
            AdvisoryStore::read(&newer),
            Err(StoreError::TooNew { found: 99, .. })
        ));
        assert!(matches!(
            AdvisoryStore::read(&dir.path().join("none.db")),
            Err(StoreError::Missing { .. })
        ));
        assert!(!dir.path().join("none.db").exists());
    }

    #[test]
    fn names_and_values_with_quotes_are_data_not_sql() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = AdvisoryStore::open(&dir.path().join("k.db")).expect("open");
        let evil = rec(
            r#"{"id":"X'); DROP TABLE advisory; --","affected":[{"package":{"ecosystem":"npm","name":"a' OR '1'='1"}}]}"#,
        );
        s.import(&[(evil, "x".into())], 1).expect("import");
        assert_eq!(s.count().expect("count"), 1);
        assert_eq!(s.advisories_for("npm", "a' OR '1'='1").expect("q").len(), 1);
        assert!(s.advisories_for("npm", "b").expect("q").is_empty());
        assert_eq!(s.newest_modified().expect("newest"), None, "no dates");
    }

    #[test]
    fn two_imports_into_one_file_at_once_both_succeed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k.db");
        let batch = |n: usize| -> Vec<(Record, String)> {
            (0..2000)
                .map(|i| {
                    let json = format!(
                        r#"{{"id":"T{n}-{i}","modified":"2024-01-01","affected":[{{"package":{{"ecosystem":"npm","name":"p{i}"}}}}]}}"#
                    );
                    (rec(&json), "t".to_string())
                })
                .collect()
        };
        // Both open first, then import in many small transactions, so that
        // their writes interleave.
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let threads: Vec<_> = (0..2)
            .map(|n| {
                let path = path.clone();
                let records = batch(n);
                let start = start.clone();
                std::thread::spawn(move || {
                    let opened = AdvisoryStore::open(&path);
                    start.wait();
                    let mut s = opened?;
                    for chunk in records.chunks(20) {
                        s.import(chunk, 1)?;
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread").expect("import succeeds");
        }
        let s = AdvisoryStore::open(&path).expect("open");
        assert_eq!(s.count().expect("count"), 4000);
    }
}
