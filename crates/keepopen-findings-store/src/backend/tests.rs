//! One suite, run on both back ends: a real SQLite file in a temporary
//! folder, and a database of its own on the PostgreSQL server the test
//! script starts (`KEEPOPEN_TEST_POSTGRES`). Each case also runs the same
//! steps on both and compares what they read back.

use super::*;
use keepopen_findings::{Category, Confidence, Location as At, Match, Severity, TriageState};
use keepopen_store::Scratch;
use std::sync::Arc;

/// Each back end, fresh; the guards keep the file and the database alive.
struct Fresh {
    stores: Vec<(&'static str, Box<dyn Backend>)>,
    _dir: tempfile::TempDir,
    _scratch: Option<Scratch>,
}

fn fresh(label: &str) -> Fresh {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut stores: Vec<(&'static str, Box<dyn Backend>)> = vec![(
        "sqlite",
        open(&Location::File(dir.path().join("store.db"))).expect("sqlite"),
    )];
    let scratch = Scratch::new(label).map(|s| s.expect("a scratch database"));
    if let Some(s) = &scratch {
        stores.push((
            "postgres",
            open(&Location::Postgres(s.url.clone())).expect("postgres"),
        ));
    }
    Fresh {
        stores,
        _dir: dir,
        _scratch: scratch,
    }
}

fn repository(name: &str) -> Repository {
    Repository {
        root: format!("clones/{name}"),
        remote: Some(format!("https://git.example.org/nhs/{name}.git")),
        head: Some(format!("{:0>40}", name.len())),
    }
}

/// A token-shaped value made at test time.
fn made_up(seed: u8) -> String {
    let body: String = (0..32)
        .map(|i| (b'a' + ((i * 7 + seed) % 26)) as char)
        .collect();
    ["kp", "fake_", &body].concat()
}

fn finding(r: &Repository, path: &str, secret: &str, line: u32) -> Finding {
    Finding::new(
        Match {
            remedy: None,
            rule: "generic-api-key".into(),
            category: Category::Secret,
            severity: Severity::High,
            confidence: Confidence::Medium,
            secret: secret.into(),
            line,
            column: 4,
            context: format!("TOKEN = \"{secret}\""),
            detail: None,
        },
        At {
            repository: Some(Arc::new(r.clone())),
            path: path.into(),
            commit: Some("c".repeat(40)),
            commit_time: Some(1_700_000_000),
            commit_line: Some(line),
            author: Some("A Developer".into()),
            in_head: true,
            in_worktree: false,
            ..Default::default()
        },
    )
}

fn info(options: serde_json::Value) -> RunInfo {
    RunInfo {
        started_at: 100,
        keepopen_version: "0.1.0".into(),
        options,
    }
}

fn row(root: &str, recommendation: &str) -> serde_json::Value {
    // Keys out of alphabetical order: read back exactly as written.
    serde_json::json!({"path": root, "recommendation": recommendation, "class": "analysis"})
}

/// What a store holds after the steps, to compare back ends.
type Seen = (Vec<serde_json::Value>, Vec<StoredFinding>, Vec<Option<i64>>);

fn resume_and_all_or_nothing(s: &mut dyn Backend) -> Seen {
    let options = serde_json::json!({"command": "org", "list": "repos.txt", "shard": null});
    let run = s.begin_or_resume(&info(options.clone())).expect("begin");
    assert!(!run.resumed && run.done.is_empty());
    let alpha = repository("alpha");
    let secret = made_up(1);
    let f = finding(&alpha, "a.py", &secret, 3);
    let a = row("clones/alpha", "open-after-fixes");
    s.put_repository(
        run.run_id,
        "clones/alpha",
        Some(&alpha),
        vec![f.clone(), finding(&alpha, "b.py", &made_up(2), 9)],
        "open-after-fixes",
        &a,
        None,
    )
    .expect("alpha");
    assert_eq!(s.findings(run.run_id).expect("findings").len(), 2);
    // The same root again (a rescan) replaces its result, and a
    // replacement that fails leaves the earlier result whole.
    s.put_repository(
        run.run_id,
        "clones/alpha",
        Some(&alpha),
        vec![f.clone()],
        "open-after-fixes",
        &a,
        None,
    )
    .expect("alpha again");
    assert_eq!(s.findings(run.run_id).expect("findings").len(), 1);
    assert!(
        s.put_repository(
            run.run_id,
            "clones/alpha",
            Some(&alpha),
            vec![finding(&alpha, "z.py", &made_up(4), 1)],
            "close-it",
            &row("clones/alpha", "close-it"),
            None
        )
        .is_err()
    );
    assert_eq!(s.org_rows(run.run_id).expect("rows"), vec![a.clone()]);
    s.put_repository(
        run.run_id,
        "clones/alpha",
        Some(&alpha),
        vec![f, finding(&alpha, "b.py", &made_up(2), 9)],
        "open-after-fixes",
        &a,
        None,
    )
    .expect("alpha a third time");
    // A recommendation outside the list breaks its CHECK: nothing stays.
    let beta = repository("beta");
    assert!(
        s.put_repository(
            run.run_id,
            "clones/beta",
            Some(&beta),
            vec![finding(&beta, "c.py", &made_up(3), 1)],
            "close-it",
            &row("clones/beta", "close-it"),
            None
        )
        .is_err()
    );
    let stored = s.findings(run.run_id).expect("findings");
    assert_eq!(stored.len(), 2, "alpha's two findings only");
    assert!(
        stored
            .iter()
            .all(|f| !f.redacted.contains(&secret) && !f.context.contains(&secret)),
        "values are redacted before they are written"
    );

    // The same options resume the run, skipping what it holds.
    let again = s.begin_or_resume(&info(options.clone())).expect("resume");
    assert!(again.resumed);
    assert_eq!(again.run_id, run.run_id);
    assert_eq!(again.done, HashSet::from(["clones/alpha".to_string()]));
    let gone = row("clones/Gone", "error");
    s.put_repository(
        again.run_id,
        "clones/Gone",
        None,
        vec![],
        "error",
        &gone,
        None,
    )
    .expect("an error row");
    assert_eq!(
        s.latest_org().expect("latest"),
        Some((vec![run.run_id], false))
    );
    s.finish_run(run.run_id, 200).expect("finish");
    assert_eq!(
        s.latest_org().expect("latest"),
        Some((vec![run.run_id], true))
    );
    let rows = s.org_rows(run.run_id).expect("rows");
    assert_eq!(rows, vec![gone, a], "byte order: capitals first");
    assert!(
        !s.begin_or_resume(&info(options)).expect("new").resumed,
        "a finished run is not resumed"
    );
    let finished = s
        .runs()
        .expect("runs")
        .iter()
        .map(|r| r.finished_at)
        .collect();
    (
        rows,
        strip(s.findings(run.run_id).expect("findings")),
        finished,
    )
}

/// Run ids differ between stores that ran different steps before.
fn strip(mut v: Vec<StoredFinding>) -> Vec<StoredFinding> {
    for f in &mut v {
        f.run_id = 0;
    }
    v
}

#[test]
fn a_run_resumes_with_what_it_holds_and_a_repository_is_all_or_nothing() {
    let mut f = fresh("resume");
    let seen: Vec<(&str, Seen)> = f
        .stores
        .iter_mut()
        .map(|(name, s)| (*name, resume_and_all_or_nothing(s.as_mut())))
        .collect();
    for (name, s) in &seen[1..] {
        assert_eq!(s, &seen[0].1, "{name} reads back what sqlite does");
    }
}

fn reuse_steps(s: &mut dyn Backend) -> Seen {
    let first = s
        .begin_or_resume(&info(serde_json::json!({"command": "org", "n": 1})))
        .expect("run 1")
        .run_id;
    let alpha = repository("alpha");
    let a = row("clones/alpha", "open-after-fixes");
    let f = finding(&alpha, "a.py", &made_up(5), 2);
    s.put_repository(
        first,
        "clones/alpha",
        Some(&alpha),
        vec![f],
        "open-after-fixes",
        &a,
        Some("s1"),
    )
    .expect("put");
    s.finish_run(first, 200).expect("finish");
    let second = s
        .begin_or_resume(&info(serde_json::json!({"command": "org", "n": 2})))
        .expect("run 2")
        .run_id;
    assert!(!s.reuse(second, "clones/alpha", "s2").expect("other state"));
    assert!(s.reuse(second, "clones/alpha", "s1").expect("same state"));
    assert_eq!(s.org_rows(second).expect("rows"), vec![a]);
    let copied = strip(s.findings(second).expect("copied"));
    assert_eq!(copied, strip(s.findings(first).expect("first")));
    assert_eq!(copied.len(), 1);
    assert_eq!(s.triage_state(), "0 0");
    (s.org_rows(second).expect("rows"), copied, vec![])
}

#[test]
fn an_unchanged_repository_is_copied_from_its_last_result_and_a_changed_one_is_not() {
    let mut f = fresh("reuse");
    let seen: Vec<Seen> = f
        .stores
        .iter_mut()
        .map(|(_, s)| reuse_steps(s.as_mut()))
        .collect();
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

fn verdict(state: TriageState, expires_at: Option<i64>) -> Triage {
    Triage {
        state,
        reason: "the value is a documented placeholder".into(),
        expires_at,
        set_at: 1_800_000_000,
    }
}

#[test]
fn a_verdict_is_kept_by_fingerprint_replaced_when_set_again_and_checked_by_the_schema() {
    let mut f = fresh("triage");
    for (name, s) in &mut f.stores {
        s.set_triage("fp-1", &verdict(TriageState::FalsePositive, None))
            .expect("set");
        s.set_triage(
            "fp-2",
            &verdict(TriageState::AcceptedRisk, Some(1_900_000_000)),
        )
        .expect("set");
        s.set_triage("fp-1", &verdict(TriageState::Fixed, None))
            .expect("replace");
        assert!(
            s.set_triage("fp-3", &verdict(TriageState::AcceptedRisk, None))
                .is_err(),
            "{name}: an accepted risk needs an expiry"
        );
        let mut blank = verdict(TriageState::FalsePositive, None);
        blank.reason = " ".into();
        assert!(s.set_triage("fp-4", &blank).is_err(), "{name}: a reason");
        let all = s.triage().expect("read");
        assert_eq!(all.len(), 2, "{name}");
        assert_eq!(all["fp-1"].state, TriageState::Fixed);
        assert_eq!(all["fp-2"].expires_at, Some(1_900_000_000));
        assert_eq!(s.triage_state(), "2 1800000000", "{name}");
    }
}

#[test]
fn the_latest_sharded_run_is_reported_whole_with_each_shards_newest_run() {
    let mut f = fresh("shards");
    for (name, s) in &mut f.stores {
        let opts = |shard: &str, n: i64| serde_json::json!({"command": "org", "list": "r.txt", "shard": shard, "n": n});
        let put = |s: &mut Box<dyn Backend>, o: serde_json::Value, root: &str| {
            let id = s.begin_or_resume(&info(o)).expect("run").run_id;
            s.put_repository(id, root, None, vec![], "error", &row(root, "error"), None)
                .expect("row");
            id
        };
        let old0 = put(s, opts("0/2", 1), "a");
        s.finish_run(old0, 300).expect("finish");
        let other = put(s, opts("0/2", 2), "x");
        s.finish_run(other, 300).expect("finish");
        let zero = put(s, opts("0/2", 1), "b");
        let one = put(s, opts("1/2", 1), "c");
        s.finish_run(zero, 301).expect("finish");
        assert_eq!(
            s.latest_org().expect("latest"),
            Some((vec![old0.max(zero), one], false)),
            "{name}: shard 1 is unfinished"
        );
        s.finish_run(one, 302).expect("finish");
        assert_eq!(
            s.latest_org().expect("latest"),
            Some((vec![zero, one], true)),
            "{name}"
        );
        assert_ne!(other, zero);
    }
}

#[test]
fn a_store_from_a_newer_keepopen_is_refused_naming_both_versions() {
    let f = fresh("newer");
    drop(f.stores);
    let file = f._dir.path().join("store.db");
    rusqlite::Connection::open(&file)
        .expect("open")
        .execute(
            "UPDATE keepopen_schema SET version = 99 WHERE component = 'findings'",
            [],
        )
        .expect("bump");
    let mut at = vec![Location::File(file)];
    if let Some(s) = &f._scratch {
        let mut db = keepopen_store::PgDb::connect(&s.url).expect("connect");
        db.client()
            .execute(
                "UPDATE keepopen_schema SET version = 99 WHERE component = 'findings'",
                &[],
            )
            .expect("bump");
        at.push(Location::Postgres(s.url.clone()));
    }
    for at in at {
        for e in [open(&at).err(), read(&at).err()] {
            let e = e.expect("refused").to_string();
            assert!(
                e.contains("version 99") && e.contains("up to 4"),
                "{at}: {e}"
            );
        }
    }
}

#[test]
fn an_unreachable_server_is_named_by_host_and_its_password_is_never_shown() {
    let word = ["s3cr", "et-", "pass"].concat();
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let at = Location::parse(std::path::Path::new(&format!(
        "postgres://scanner:{word}@127.0.0.1:{port}/keepopen"
    )));
    let e = open(&at).err().expect("unreachable").to_string();
    assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(!e.contains(&word), "{e}");
}

#[test]
fn both_schemas_have_the_same_migrations() {
    let names = |c: &keepopen_store::Component| {
        c.migrations
            .iter()
            .map(|m| m.file.rsplit('/').next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&crate::SCHEMA), names(&crate::PG_SCHEMA));
}
