//! Where organisation runs are kept, through the real CLI: the same run on
//! a real SQLite file and on a database of its own on the PostgreSQL
//! server the test script starts; shards sharing one database; and a
//! store that cannot be reached or is locked.

use crate::org::{org_json, organisation};
use crate::support::*;
use keepopen_store::{Scratch, test_server};
use serde_json::Value;

fn scratch(label: &str) -> Option<Scratch> {
    match Scratch::new(label) {
        Some(s) => Some(s.expect("a scratch database")),
        None => {
            eprintln!("no KEEPOPEN_TEST_POSTGRES: skipped (scripts/test.sh starts a server)");
            None
        }
    }
}

fn report(db: &str, cwd: &std::path::Path) -> (Option<i32>, Value, String) {
    let out = keepopen(&["report", "--db", db, "--format", "json"], cwd);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v, err)
}

#[test]
fn an_organisation_run_on_postgres_reads_back_as_on_sqlite_and_takes_triage_from_it() {
    let Some(pg) = scratch("orgrun") else { return };
    let url = pg.url.secret().to_string();
    let (org, p) = organisation();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir
        .path()
        .join("keepopen.db")
        .to_string_lossy()
        .into_owned();
    let (code, on_file) = org_json(&[&p, "--db", &file], org.path());
    let (pg_code, on_pg) = org_json(&[&p, "--db", &url], org.path());
    assert_eq!((code, pg_code), (Some(1), Some(1)));
    assert_eq!(on_pg, on_file, "the same report from either store");
    let (code, stored, err) = report(&url, org.path());
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        stored, on_pg,
        "re-rendered from PostgreSQL without scanning"
    );

    // A verdict kept in PostgreSQL is read by the next run.
    let tool = org.path().join("team-a/tool");
    let out = keepopen(
        &[
            "scan",
            &tool.to_string_lossy(),
            "--format",
            "json",
            "--no-progress",
            "--db",
            &url,
        ],
        org.path(),
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let fp = v["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["path"] == "app.py"))
        .and_then(|f| f["fingerprint"].as_str())
        .expect("the token is found")
        .to_string();
    let out = keepopen(
        &[
            "triage",
            &fp,
            "false-positive",
            "--reason",
            "a revoked example",
            "--db",
            &url,
        ],
        org.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, again) = org_json(&[&p, "--db", &url], org.path());
    let tool_row = again["repositories"]
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .find(|r| r["path"].as_str().is_some_and(|x| x.ends_with("tool")))
        })
        .expect("the tool's row")
        .clone();
    assert_eq!(tool_row["findings"]["blocking"], 0, "{tool_row:#}");
}

#[test]
fn shards_writing_one_postgres_database_are_reported_as_one_organisation() {
    let Some(pg) = scratch("shards") else { return };
    let url = pg.url.secret().to_string();
    let (org, p) = organisation();
    let (_, whole) = org_json(&[&p], org.path());
    // Started together, as the pods of an Indexed Job are: both migrate
    // the new database, and each applies every migration once.
    let children: Vec<_> = ["0/2", "1/2"]
        .iter()
        .map(|s| {
            std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
                .args([
                    "org",
                    &p,
                    "--shard",
                    s,
                    "--db",
                    &url,
                    "--format",
                    "json",
                    "--no-progress",
                ])
                .current_dir(org.path())
                .env("KEEPOPEN_DB", "/nonexistent/keepopen-tests.db")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start a shard")
        })
        .collect();
    let shards: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("a shard"))
        .collect();
    for out in &shards {
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (_, merged, err) = report(&url, org.path());
    assert_eq!(
        merged["repositories"], whole["repositories"],
        "every shard's rows, in path order: {err}"
    );
}

#[test]
fn an_unreachable_postgres_server_is_exit_2_naming_the_host_and_never_the_password() {
    let word = ["pa", "ss-", "w0rd-", "9x7"].concat();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("postgres://scanner:{word}@127.0.0.1:{port}/keepopen");
    let (org, p) = organisation();
    for args in [
        vec!["report", "--db", &url],
        vec!["org", &p, "--db", &url, "--no-progress", "--format", "json"],
        vec![
            "triage", "abc123", "fixed", "--reason", "gone", "--db", &url,
        ],
    ] {
        let out = keepopen(&args, org.path());
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let text = String::from_utf8_lossy(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        assert!(
            text.contains(&format!("127.0.0.1:{port}")),
            "{args:?}: {text}"
        );
        assert!(
            !text.contains(&word),
            "{args:?} echoed the password: {text}"
        );
    }
}

#[test]
fn a_locked_store_file_is_waited_for_then_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("keepopen.db");
    let d = db.to_string_lossy().into_owned();
    let triage = |reason: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
            .args(["triage", "abc123", "fixed", "--reason", reason, "--db", &d])
            .env("KEEPOPEN_LOCK_WAIT", "1")
            .output()
            .expect("run")
    };
    assert_eq!(triage("first").status.code(), Some(0));
    let holder = rusqlite::Connection::open(&db).expect("open");
    holder
        .execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    let started = std::time::Instant::now();
    let out = triage("second");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "it waited"
    );
    assert!(err.contains("locked") && err.contains(&d), "{err}");
    holder.execute_batch("COMMIT").expect("release");
    assert_eq!(
        triage("third").status.code(),
        Some(0),
        "goes on once released"
    );
}

#[test]
fn the_test_server_is_there_when_the_test_script_says_it_is() {
    // scripts/test.sh sets KEEPOPEN_REQUIRE_POSTGRES=1: then a missing
    // server fails here rather than every PostgreSQL test skipping.
    let _ = test_server();
}
