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
