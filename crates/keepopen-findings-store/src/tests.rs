//! A real SQLite file in a temporary folder, written through the sink as
//! the pipeline would, then read back and searched byte by byte.

use super::*;
use crate::writer::BATCH;
use keepopen_findings::{
    Category, Confidence, Finding, Location, Match, Repository, Severity, Sink, redact_for,
};
use std::path::Path;
use std::sync::Arc;

/// A token-shaped value made up at test time, so no live-looking secret
/// sits in the repository: `len` characters after a made-up prefix.
fn fake_secret(seed: u32, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    let body: String = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            ALPHABET[x as usize % ALPHABET.len()] as char
        })
        .collect();
    format!("kpfake_{body}")
}

fn repository(name: &str) -> Arc<Repository> {
    Arc::new(Repository {
        root: format!("clones/{name}"),
        remote: Some(format!("https://git.example.org/nhs/{name}.git")),
        head: Some(format!("{:0>40}", name.len())),
    })
}

fn finding(
    repository: Option<&Arc<Repository>>,
    path: &str,
    category: Category,
    value: &str,
    context: String,
) -> Finding {
    let m = Match {
        remedy: None,
        rule: format!("{category}-rule"),
        category,
        severity: Severity::High,
        confidence: Confidence::Medium,
        secret: value.to_string(),
        line: 3,
        column: 9,
        context,
        detail: None,
    };
    Finding::new(
        m,
        Location {
            repository: repository.cloned(),
            path: path.into(),
            in_head: true,
            in_worktree: true,
            ..Default::default()
        },
    )
}

fn secret_at(repository: &Arc<Repository>, path: &str, secret: &str) -> Finding {
    finding(
        Some(repository),
        path,
        Category::Secret,
        secret,
        format!("API_TOKEN = \"{secret}\"  # {secret}"),
    )
}

fn run_info(started_at: i64) -> RunInfo {
    RunInfo {
        started_at,
        keepopen_version: "0.1.0".into(),
        options: serde_json::json!({"detectors": ["secrets", "personal"], "history": true}),
    }
}

/// Every file SQLite keeps for the store (the database, its WAL, the
/// shared-memory index), as bytes.
fn store_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("read")))
        .collect()
}

/// No run of `window` characters of `value` is anywhere in the store's
/// files: not the value, not a piece of it.
fn assert_absent(dir: &Path, value: &str, window: usize) {
    let bytes = value.as_bytes();
    for (file, data) in store_bytes(dir) {
        for piece in bytes.windows(window.min(bytes.len())) {
            assert!(
                !data.windows(piece.len()).any(|w| w == piece),
                "{file} holds {:?}, part of a raw value",
                String::from_utf8_lossy(piece)
            );
        }
    }
}

#[test]
fn findings_of_two_repositories_go_through_the_sink_and_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = FindingsStore::open(&dir.path().join("keepopen.db")).expect("open");
    let (alpha, beta) = (repository("alpha"), repository("beta"));
    let (s1, s2, s3) = (fake_secret(1, 36), fake_secret(2, 36), fake_secret(3, 20));

    let mut writer = store.begin_run(&run_info(1_000)).expect("begin");
    let run_id = writer.run_id();
    let sink: &mut dyn Sink = &mut writer;
    sink.put(secret_at(&alpha, "app/settings.py", &s1));
    let mut old = secret_at(&alpha, "deploy/.env", &s2);
    old.location.commit = Some("c".repeat(40));
    old.location.commit_time = Some(1_700_000_000);
    old.location.commit_line = Some(7);
    old.location.author = Some("A. Developer".into());
    old.location.in_head = false;
    old.location.in_worktree = false;
    sink.put(old);
    sink.put(secret_at(&beta, "app/settings.py", &s3));
    let mut loose = finding(
        None,
        "notes.txt",
        Category::Posture,
        "no licence",
        "-".into(),
    );
    loose.m.detail = Some("no LICENSE file".into());
    sink.put(loose);
    let written = writer.finish(2_000).expect("finish");
    assert_eq!(
        written,
        Written {
            run_id,
            findings: 4
        }
    );

    let runs = store.runs().expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].finished_at, Some(2_000));
    assert_eq!(runs[0].options, run_info(1_000).options);

    let found = store.findings(run_id).expect("findings");
    let roots: Vec<_> = found
        .iter()
        .map(|f| f.repository.as_ref().map(|r| r.root.as_str()))
        .collect();
    assert_eq!(
        roots,
        [
            Some("clones/alpha"),
            Some("clones/alpha"),
            Some("clones/beta"),
            None
        ]
    );
    assert_eq!(found[0].repository.as_ref(), Some(alpha.as_ref()));
    assert_eq!(found[0].redacted, redact_for(Category::Secret, &s1));
    assert_eq!(
        found[0].context,
        format!("API_TOKEN = \"{0}\"  # {0}", found[0].redacted)
    );
    assert_eq!(
        found[0].fingerprint,
        keepopen_findings::fingerprint("secret-rule", "app/settings.py", &s1)
    );
    assert_eq!(
        (
            found[0].severity,
            found[0].confidence,
            found[0].line,
            found[0].column
        ),
        (Severity::High, Confidence::Medium, 3, 9)
    );
    let old = &found[1];
    assert_eq!(old.commit.as_deref(), Some("c".repeat(40).as_str()));
    assert_eq!(
        (old.commit_time, old.commit_line, old.author.as_deref()),
        (Some(1_700_000_000), Some(7), Some("A. Developer"))
    );
    assert!(!old.in_head && !old.in_worktree && found[0].in_head);
    // Not sensitive: shown as found.
    assert_eq!(found[3].redacted, "no licence");
    assert_eq!(found[3].detail.as_deref(), Some("no LICENSE file"));

    let repositories: i64 = store
        .db()
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM repositories WHERE run_id = ?1",
            [run_id],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        repositories, 2,
        "one row per repository, however many findings"
    );
}

#[test]
fn no_raw_secret_or_piece_of_one_reaches_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = FindingsStore::open(&dir.path().join("keepopen.db")).expect("open");
    let repo = repository("alpha");
    let short = fake_secret(4, 30);
    let long = fake_secret(5, 300);
    // An NHS-number-shaped value, made up here rather than written out.
    let personal: String = (0..10)
        .map(|i| char::from(b'0' + (i * 7 + 3) % 10))
        .collect();

    let mut writer = store.begin_run(&run_info(1)).expect("begin");
    writer.put(secret_at(&repo, "a.py", &short));
    // As the secret detector cuts a long line: 80 bytes before the match,
    // 240 in all, so the token's end is cut off.
    let line = format!("{}SAS = \"{long}\"", " ".repeat(60));
    let mut cut = secret_at(&repo, "b.py", &long);
    cut.m.context = line[60 - 20..60 - 20 + 240].to_string();
    writer.put(cut);
    writer.put(finding(
        Some(&repo),
        "patients.csv",
        Category::PersonalData,
        &personal,
        format!("{personal},1987-03-12,LS1 4AP"),
    ));
    writer.finish(2).expect("finish");

    // While open, much of it is in the WAL; after, in the database.
    assert_absent(dir.path(), &short, 12);
    assert_absent(dir.path(), &long, 12);
    assert_absent(dir.path(), &personal, 10);
    let found = store.findings(1).expect("findings");
    assert_eq!(
        found[2].redacted,
        redact_for(Category::PersonalData, &personal)
    );
    drop(store);
    assert_absent(dir.path(), &short, 12);
    assert_absent(dir.path(), &long, 12);
    assert_absent(dir.path(), &personal, 10);
}

#[test]
fn reopening_migrates_nothing_and_runs_accumulate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("keepopen.db");
    let repo = repository("alpha");
    let mut first = 0;
    for (i, started) in [10, 20].into_iter().enumerate() {
        let mut store = FindingsStore::open(&path).expect("open");
        assert_eq!(store.db().version("findings").expect("version"), 4);
        let mut writer = store.begin_run(&run_info(started)).expect("begin");
        writer.put(secret_at(&repo, "a.py", &fake_secret(i as u32, 30)));
        let written = writer.finish(started + 1).expect("finish");
        if i == 0 {
            first = written.run_id;
        }
    }
    let store = FindingsStore::open(&path).expect("open");
    let runs = store.runs().expect("runs");
    assert_eq!(
        runs.iter().map(|r| r.started_at).collect::<Vec<_>>(),
        [10, 20]
    );
    assert_eq!(store.findings(first).expect("first").len(), 1);
    assert_eq!(
        store.db().versions().expect("versions"),
        vec![("findings".to_string(), 4)]
    );
}

#[test]
fn advisories_and_findings_share_one_file_each_with_its_own_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("keepopen.db");
    // A file from before the split, as `db import` left it.
    let old = rusqlite::Connection::open(&path).expect("open");
    old.execute_batch(include_str!(
        "../../keepopen-advisory-store/schema/001-advisories.sql"
    ))
    .expect("old schema");
    old.pragma_update(None, "user_version", 1).expect("version");
    drop(old);

    let mut advisories = keepopen_advisory_store::AdvisoryStore::open(&path).expect("advisories");
    let record = keepopen_advisories::load::parse_json(
        br#"{"id":"PYSEC-1","modified":"2024-01-01","affected":[{"package":{"ecosystem":"PyPI","name":"flask"}}]}"#,
    )
    .expect("parses")
    .remove(0);
    advisories
        .import(&[(record, "pypa".into())], 5)
        .expect("import");
    // One connection, handed from one component to the other.
    let mut findings = FindingsStore::on(advisories.into_db()).expect("findings");
    let mut writer = findings.begin_run(&run_info(7)).expect("begin");
    writer.put(secret_at(&repository("alpha"), "a.py", &fake_secret(9, 30)));
    writer.finish(8).expect("finish");
    drop(findings);

    let findings = FindingsStore::open(&path).expect("reopen findings");
    let advisories = keepopen_advisory_store::AdvisoryStore::open(&path).expect("reopen");
    assert_eq!(advisories.count().expect("count"), 1);
    assert_eq!(findings.findings(1).expect("findings").len(), 1);
    assert_eq!(
        findings.db().versions().expect("versions"),
        vec![("advisories".to_string(), 1), ("findings".to_string(), 4)]
    );
}

#[test]
fn every_category_severity_and_confidence_fits_the_schema_and_nothing_else_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = FindingsStore::open(&dir.path().join("keepopen.db")).expect("open");
    let repo = repository("alpha");
    let mut writer = store.begin_run(&run_info(1)).expect("begin");
    for (i, category) in Category::ALL.iter().enumerate() {
        let mut f = finding(Some(&repo), "f", *category, "value", "ctx".into());
        f.m.severity = Severity::ALL[i % Severity::ALL.len()];
        f.m.confidence = Confidence::ALL[i % Confidence::ALL.len()];
        writer.put(f);
    }
    for (i, severity) in Severity::ALL.iter().enumerate() {
        let mut f = finding(Some(&repo), "g", Category::Secret, "value", "ctx".into());
        f.m.severity = *severity;
        f.m.confidence = Confidence::ALL[i % Confidence::ALL.len()];
        writer.put(f);
    }
    let written = writer.finish(2).expect("every name is allowed");
    let back = store.findings(written.run_id).expect("read back");
    assert_eq!(back.len(), Category::ALL.len() + Severity::ALL.len());
    assert_eq!(back[1].category, Category::ALL[1]);

    // A valid row by SQL, with one column's value replaced by `value`.
    let insert = |column: &str, value: &dyn rusqlite::ToSql| {
        let valid = [
            ("run_id", "1"),
            ("rule", "'r'"),
            ("category", "'secret'"),
            ("severity", "'low'"),
            ("confidence", "'low'"),
            ("fingerprint", "'f'"),
            ("path", "'p'"),
            ("line", "1"),
            ("column_number", "1"),
            ("in_head", "0"),
            ("in_worktree", "0"),
            ("redacted", "'x'"),
            ("context", "'x'"),
            ("repository_id", "NULL"),
            ("detail", "NULL"),
            ("commit_time", "NULL"),
        ];
        let names: Vec<&str> = valid.iter().map(|(n, _)| *n).collect();
        let values: Vec<&str> = valid
            .iter()
            .map(|(n, v)| if *n == column { "?1" } else { v })
            .collect();
        let sql = format!(
            "INSERT INTO findings ({}) VALUES ({})",
            names.join(", "),
            values.join(", ")
        );
        store.db().conn().execute(&sql, [value])
    };
    assert!(insert("detail", &"fine").is_ok());
    for (column, bad) in [
        ("category", &"secrets" as &dyn rusqlite::ToSql),
        ("severity", &"severe"),
        ("confidence", &"certain"),
        ("in_head", &2),
        ("line", &-1),
        ("repository_id", &999),
        ("commit_time", &"yesterday"),
    ] {
        assert!(insert(column, bad).is_err(), "{column} took a bad value");
    }
}

#[test]
fn a_run_is_written_in_batches_and_the_first_error_is_returned_by_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("keepopen.db");
    let mut store = FindingsStore::open(&path).expect("open");
    let repo = repository("alpha");
    let other = rusqlite::Connection::open(&path).expect("second connection");
    let count = |table: &str| -> i64 {
        other
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    };

    let mut writer = store.begin_run(&run_info(1)).expect("begin");
    for i in 0..BATCH + 1 {
        writer.put(secret_at(&repo, &format!("f{i}.py"), "value"));
    }
    // A full batch is committed as it fills; the run is not finished.
    assert_eq!(count("findings"), BATCH as i64);
    let unfinished: Option<i64> = other
        .query_row("SELECT finished_at FROM runs", [], |r| r.get(0))
        .expect("run");
    assert_eq!(unfinished, None);

    // Someone removes the run under the writer: the next batch fails, and
    // what follows is not written.
    other
        .execute_batch("PRAGMA foreign_keys = ON; DELETE FROM runs;")
        .expect("delete");
    for i in 0..BATCH * 2 {
        writer.put(secret_at(&repo, &format!("g{i}.py"), "value"));
    }
    let err = writer.finish(2).expect_err("the first error");
    assert!(err.to_string().contains("keepopen.db"), "{err}");
    assert_eq!(count("findings"), 0);
}

mod triage {
    use super::*;
    use keepopen_findings::{Triage, TriageState};

    fn verdict(state: TriageState, expires_at: Option<i64>) -> Triage {
        Triage {
            state,
            reason: "the value is a documented placeholder".into(),
            expires_at,
            set_at: 1_800_000_000,
        }
    }

    #[test]
    fn a_verdict_is_kept_by_fingerprint_replaced_when_set_again_and_read_without_writing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.db");
        assert!(read_triage(&path).expect("no file").is_empty());
        assert!(!path.exists(), "reading creates nothing");
        let mut store = FindingsStore::open(&path).expect("open");
        store
            .set_triage("fp-1", &verdict(TriageState::FalsePositive, None))
            .expect("set");
        store
            .set_triage(
                "fp-2",
                &verdict(TriageState::AcceptedRisk, Some(1_900_000_000)),
            )
            .expect("set");
        store
            .set_triage("fp-1", &verdict(TriageState::Fixed, None))
            .expect("replace");
        drop(store);
        let before = std::fs::read(&path).expect("read");
        let all = read_triage(&path).expect("read back");
        assert_eq!(all.len(), 2);
        assert_eq!(all["fp-1"].state, TriageState::Fixed);
        assert_eq!(all["fp-2"].expires_at, Some(1_900_000_000));
        assert!(all["fp-2"].stands(1_899_999_999) && !all["fp-2"].stands(1_900_000_000));
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "read_triage changes nothing"
        );
    }
}
