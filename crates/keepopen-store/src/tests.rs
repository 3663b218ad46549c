use super::*;
use rusqlite::Connection;
use std::path::Path;

const WIDGETS_1: Migration = Migration {
    file: "001-widgets.sql",
    sql: "CREATE TABLE widget (id INTEGER PRIMARY KEY) STRICT;",
};
// Fails if run twice: the column would already be there.
const WIDGETS_2: Migration = Migration {
    file: "002-widget-names.sql",
    sql: "ALTER TABLE widget ADD COLUMN name TEXT;",
};
const GADGETS_1: Migration = Migration {
    file: "001-gadgets.sql",
    sql: "CREATE TABLE gadget (id INTEGER PRIMARY KEY) STRICT;",
};

fn widgets(migrations: &'static [Migration]) -> Component {
    Component {
        name: "widgets",
        migrations,
    }
}

const GADGETS: Component = Component {
    name: "gadgets",
    migrations: &[GADGETS_1],
};

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .and_then(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)))
        .expect("user_version")
}

#[test]
fn a_new_file_is_in_wal_mode_and_keeps_versions_per_component() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/keepopen.db");
    let db = Db::open(&path).expect("opens");
    let mode: String = db
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    assert!(db.versions().expect("versions").is_empty());
    drop(db);
    // A keepopen from before the split reads 2 as too new, and says so.
    assert_eq!(user_version(&path), LAYOUT);
}

#[test]
fn components_migrate_in_order_once_each_and_independently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("k.db");
    let mut db = Db::open(&path).expect("opens");
    db.migrate(&widgets(&[WIDGETS_1])).expect("widgets 1");
    db.migrate(&GADGETS).expect("gadgets");
    drop(db);
    for _ in 0..2 {
        let mut db = Db::open(&path).expect("reopens");
        db.migrate(&widgets(&[WIDGETS_1, WIDGETS_2]))
            .expect("widgets 2, then nothing");
        db.migrate(&GADGETS).expect("nothing");
        assert_eq!(
            db.versions().expect("versions"),
            vec![("gadgets".to_string(), 1), ("widgets".to_string(), 2)]
        );
        db.conn()
            .execute(
                "INSERT INTO widget (name) VALUES (?1)",
                ["a'); DROP TABLE widget; --"],
            )
            .expect("insert");
    }
    assert_eq!(
        Db::open(&path).expect("open").version("none").expect("v"),
        0
    );
}

#[test]
fn a_component_newer_than_this_keepopen_is_refused_by_file_and_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("k.db");
    let mut db = Db::open(&path).expect("opens");
    db.migrate(&widgets(&[WIDGETS_1, WIDGETS_2])).expect("2");
    let err = db.migrate(&widgets(&[WIDGETS_1])).expect_err("refused");
    assert!(matches!(
        err,
        StoreError::TooNew {
            found: 2,
            known: 1,
            ..
        }
    ));
    let text = err.to_string();
    assert!(
        text.contains("k.db") && text.contains("widgets schema is at version 2"),
        "{text}"
    );
    // Other components are not held back by it.
    db.migrate(&GADGETS).expect("gadgets");
}

#[test]
fn a_file_of_a_newer_layout_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("k.db");
    let c = Connection::open(&path).expect("open");
    c.pragma_update(None, "user_version", 99).expect("set");
    drop(c);
    let err = Db::open(&path).err().expect("refused").to_string();
    assert!(err.contains("layout 99") && err.contains("k.db"), "{err}");
}

#[test]
fn a_file_from_before_the_split_has_advisories_at_version_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    let c = Connection::open(&path).expect("open");
    c.pragma_update(None, "user_version", 1).expect("set");
    drop(c);
    let db = Db::open(&path).expect("adopted");
    assert_eq!(
        db.versions().expect("versions"),
        vec![("advisories".to_string(), 1)]
    );
    drop(db);
    assert_eq!(user_version(&path), LAYOUT);
    let db = Db::open(&path).expect("again");
    assert_eq!(db.version("advisories").expect("v"), 1);
}

#[test]
fn a_migration_that_fails_is_named_and_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut db = Db::open(&dir.path().join("k.db")).expect("opens");
    const BROKEN: Migration = Migration {
        file: "002-broken.sql",
        sql: "CREATE TABLE half (x INTEGER) STRICT; CREATE TABLE oops (",
    };
    let err = db
        .migrate(&widgets(&[WIDGETS_1, BROKEN]))
        .expect_err("fails");
    let text = err.to_string();
    assert!(text.contains("widgets/002-broken.sql"), "{text}");
    // The first migration is kept, the broken one not half-applied.
    assert_eq!(db.version("widgets").expect("v"), 1);
    let half: i64 = db
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE name = ?1",
            ["half"],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(half, 0);
}

#[test]
fn a_file_that_is_not_a_database_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("junk.db");
    std::fs::write(
        &path,
        b"this is not sqlite, not even close, and long enough",
    )
    .expect("write");
    let err = Db::open(&path).err().expect("refused").to_string();
    assert!(err.contains("junk.db"), "{err}");
}

/// Every entry under `dir` with its bytes (folders as `None`): what a
/// reader must leave exactly as it was.
fn listing(dir: &Path) -> Vec<(std::path::PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                out.push((p.clone(), None));
                stack.push(p);
            } else {
                out.push((p.clone(), Some(std::fs::read(&p).expect("read"))));
            }
        }
    }
    out.sort();
    out
}

/// `listing` is as it was: the same names, then the same bytes.
fn assert_unchanged(dir: &Path, before: &[(std::path::PathBuf, Option<Vec<u8>>)]) {
    let after = listing(dir);
    let names = |l: &[(std::path::PathBuf, Option<Vec<u8>>)]| -> Vec<std::path::PathBuf> {
        l.iter().map(|(p, _)| p.clone()).collect()
    };
    assert_eq!(
        names(&after),
        names(before),
        "no file or folder added or removed"
    );
    for ((p, a), (_, b)) in after.iter().zip(before) {
        assert!(a == b, "{} changed", p.display());
    }
}

fn journal_mode(path: &Path) -> String {
    Connection::open(path)
        .and_then(|c| c.pragma_query_value(None, "journal_mode", |r| r.get(0)))
        .expect("journal_mode")
}

#[test]
fn reading_a_missing_file_is_an_error_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new/dir/keepopen.db");
    let err = Db::read(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("new/dir/keepopen.db"), "{err}");
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[test]
fn reading_an_sqlite_file_keepopen_did_not_make_leaves_it_byte_identical() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.sqlite");
    let c = Connection::open(&path).expect("open");
    c.execute_batch(
        "PRAGMA journal_mode = DELETE; CREATE TABLE theirs (x TEXT); INSERT INTO theirs VALUES ('kept');",
    )
    .expect("their table");
    drop(c);
    let before = listing(dir.path());
    let err = Db::read(&path).err().expect("refused");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err}");
    assert!(err.to_string().contains("other.sqlite"), "{err}");
    assert_unchanged(dir.path(), &before);
    assert_eq!(journal_mode(&path), "delete");
}

#[test]
fn reading_a_store_sees_its_tables_and_leaves_the_folder_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("k.db");
    let mut db = Db::open(&path).expect("opens");
    db.migrate(&widgets(&[WIDGETS_1, WIDGETS_2]))
        .expect("widgets");
    db.conn()
        .execute("INSERT INTO widget (name) VALUES ('a')", [])
        .expect("insert");
    drop(db);
    let before = listing(dir.path());
    let db = Db::read(&path).expect("reads");
    let n: i64 = db
        .conn()
        .query_row("SELECT COUNT(*) FROM widget", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
    db.require(&widgets(&[WIDGETS_1, WIDGETS_2]))
        .expect("current");
    assert!(matches!(
        db.require(&GADGETS),
        Err(StoreError::Absent { .. })
    ));
    assert!(matches!(
        db.require(&widgets(&[WIDGETS_1, WIDGETS_2, GADGETS_1])),
        Err(StoreError::TooOld {
            found: 2,
            known: 3,
            ..
        })
    ));
    assert!(matches!(
        db.require(&widgets(&[WIDGETS_1])),
        Err(StoreError::TooNew { .. })
    ));
    assert!(
        db.conn()
            .execute("INSERT INTO widget (name) VALUES ('b')", [])
            .is_err(),
        "read-only"
    );
    drop(db);
    assert_unchanged(dir.path(), &before);
    assert_eq!(journal_mode(&path), "wal");
}

#[test]
fn reading_sees_writes_still_in_the_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The characters a URI gives a meaning, in the folder's name.
    let path = dir.path().join("a%20b?c#d/k.db");
    let mut db = Db::open(&path).expect("opens");
    db.migrate(&widgets(&[WIDGETS_1])).expect("widgets");
    db.conn()
        .pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    db.conn()
        .execute("INSERT INTO widget (id) VALUES (7)", [])
        .expect("insert");
    let wal = dir.path().join("a%20b?c#d/k.db-wal");
    assert!(std::fs::metadata(&wal).expect("wal").len() > 0);
    let reader = Db::read(&path).expect("reads");
    let id: i64 = reader
        .conn()
        .query_row("SELECT id FROM widget", [], |r| r.get(0))
        .expect("the logged row");
    assert_eq!(id, 7);
}

#[test]
fn reading_a_file_of_another_layout_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (version, old) in [(1, true), (99, false)] {
        let path = dir.path().join(format!("v{version}.db"));
        let c = Connection::open(&path).expect("open");
        c.pragma_update(None, "user_version", version).expect("set");
        drop(c);
        let before = listing(dir.path());
        let err = Db::read(&path).err().expect("refused");
        if old {
            assert!(matches!(err, StoreError::LayoutTooOld { found: 1, .. }));
            assert!(err.to_string().contains("db import"), "{err}");
        } else {
            assert!(matches!(err, StoreError::LayoutTooNew { found: 99, .. }));
        }
        assert_unchanged(dir.path(), &before);
        assert_eq!(user_version(&path), version);
    }
}

#[test]
fn reading_a_file_that_is_not_a_database_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("junk.db");
    std::fs::write(
        &path,
        b"this is not sqlite, not even close, and long enough",
    )
    .expect("write");
    let err = Db::read(&path).err().expect("refused");
    assert!(matches!(err, StoreError::Sqlite { .. }), "{err}");
    assert!(err.to_string().contains("junk.db"), "{err}");
}
