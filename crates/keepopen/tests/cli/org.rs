//! `keepopen org` through the real CLI, on a folder of clones built here
//! (bare and not), and on a list with a path that is not there.

use crate::support::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

pub(crate) fn clone(from: &Path, to: &Path, bare: bool) {
    let mut args = vec!["clone", "-q"];
    if bare {
        args.push("--mirror");
    }
    let (from, to) = (from.to_string_lossy(), to.to_string_lossy());
    args.extend([from.as_ref(), to.as_ref()]);
    let out = Command::new("git").args(&args).output().expect("git clone");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Three repositories: one owned and clean, one with a leaked token, one
/// idle with no owner; the last as a bare mirror.
pub(crate) fn organisation() -> (tempfile::TempDir, String) {
    let org = tempfile::tempdir().expect("tempdir");
    let mut clean = Repo::new();
    clean.write(
        "README.md",
        "# Guidance\n\nMaintained by the standards team: standards@example.org\n",
    );
    clean.write(
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities privately to security@example.org.\n",
    );
    clean.write("guide/intro.md", "# Intro\n");
    clean.commit("guidance");
    let mut leaky = Repo::new();
    leaky.write(
        "README.md",
        "# Tool\n\nMaintained by the data team: data@example.org\n",
    );
    leaky.write(
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities privately to security@example.org.\n",
    );
    leaky.write("app.py", format!("TOKEN = \"{}\"\n", github_token(31)));
    leaky.commit("tool");
    let mut idle = Repo::new();
    idle.write("model.R", "x <- 1\n");
    idle.commit("model");
    std::fs::create_dir_all(org.path().join("team-a")).expect("mkdir");
    std::fs::create_dir_all(org.path().join("not-a-repo/notes")).expect("mkdir");
    clone(clean.path(), &org.path().join("team-a/guidance"), false);
    clone(leaky.path(), &org.path().join("team-a/tool"), false);
    clone(idle.path(), &org.path().join("model.git"), true);
    let p = org.path().to_string_lossy().into_owned();
    (org, p)
}

pub(crate) fn org_json(args: &[&str], cwd: &Path) -> (Option<i32>, Value) {
    let mut all = vec!["org"];
    all.extend_from_slice(args);
    if !args.contains(&"--db") {
        all.push("--no-store");
    }
    all.extend(["--format", "json", "--no-progress"]);
    let out = keepopen(&all, cwd);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

fn by_path<'a>(v: &'a Value, tail: &str) -> &'a Value {
    v["repositories"]
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(tail)))
        })
        .unwrap_or_else(|| panic!("no row for {tail}: {v:#}"))
}

#[test]
fn an_organisation_folder_gives_one_recommendation_per_repository() {
    let (org, p) = organisation();
    let (code, v) = org_json(&[&p], org.path());
    assert_eq!(code, Some(1), "a token blocks: {v:#}");
    assert_eq!(
        v["summary"]["repositories"], 3,
        "the folder that is not a repository is not one: {v:#}"
    );
    assert_eq!(
        by_path(&v, "team-a/tool")["recommendation"],
        "open-after-fixes"
    );
    assert_eq!(
        by_path(&v, "team-a/tool")["fixes"][0]["kind"],
        "rotate-credentials"
    );
    assert_eq!(
        by_path(&v, "model.git")["recommendation"],
        "archive",
        "bare, idle, no owner"
    );
    assert_eq!(by_path(&v, "team-a/guidance")["class"], "documentation");
    assert_eq!(by_path(&v, "team-a/tool")["findings"]["blocking"], 1);
    assert!(!v.to_string().contains(&github_token(31)), "redacted");
    // One repository at a time or several: the same report, in path order.
    for jobs in ["1", "3"] {
        let (_, other) = org_json(&[&p, "--jobs", jobs], org.path());
        assert_eq!(other, v, "--jobs {jobs}");
    }
    let schema: Value = serde_json::from_str(keepopen_report::ORG_SCHEMA).expect("schema");
    assert_eq!(schema["properties"]["version"]["const"], v["version"]);

    // The same run as CSV: a header and a row per repository.
    let out = keepopen(
        &["org", &p, "--format", "csv", "--no-progress", "--no-store"],
        org.path(),
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.contains("model.git") && l.contains(",archive,")),
        "{csv}"
    );
}

#[test]
fn a_list_names_what_is_missing_and_scans_the_rest() {
    let (org, p) = organisation();
    let list = org.path().join("repos.txt");
    std::fs::write(
        &list,
        format!("# our repositories\n{p}/team-a/tool public\n{p}/gone private\n{p}/not-a-repo\nmodel.git\n{p}/team-a/guidance private # closed in May\n"),
    )
    .expect("list");
    let l = list.to_string_lossy().into_owned();
    let (code, v) = org_json(&["--list", &l], org.path());
    assert_eq!(code, Some(2), "incomplete: {v:#}");
    assert_eq!(v["summary"]["repositories"], 5);
    assert_eq!(v["summary"]["by_recommendation"]["error"], 2);
    let gone = by_path(&v, "/gone");
    assert_eq!(gone["recommendation"], "error");
    assert!(
        gone["errors"][0]
            .to_string()
            .contains("repos.txt:3: no such folder"),
        "{gone:#}"
    );
    assert_eq!(gone["visibility"], "private");
    assert!(
        by_path(&v, "not-a-repo")["errors"][0]
            .to_string()
            .contains("not a git repository")
    );
    assert_eq!(by_path(&v, "team-a/tool")["visibility"], "public");
    assert_eq!(
        by_path(&v, "model.git")["recommendation"],
        "archive",
        "relative to the list"
    );
}

#[test]
fn shards_split_the_organisation_without_overlap() {
    let (org, p) = organisation();
    let mut seen: Vec<String> = Vec::new();
    for shard in ["0/2", "1/2"] {
        let (_, v) = org_json(&[&p, "--shard", shard], org.path());
        assert_eq!(v["shard"], shard);
        for r in v["repositories"].as_array().cloned().unwrap_or_default() {
            seen.push(r["path"].as_str().unwrap_or_default().to_string());
        }
    }
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "no repository in two shards");
    assert_eq!(seen.len(), 3, "every repository in one shard: {seen:?}");
    let out = keepopen(&["org", &p, "--shard", "2/2", "--no-store"], org.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("I must be below N"));
}

/// The shard count a deployment example uses, checked against its command.
fn shards_in(text: &str, count_key: &str, index_var: &str) -> u32 {
    let n: u32 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix(count_key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no `{count_key}` line"));
    let shard = format!("--shard \"${{{index_var}}}/{n}\"");
    assert!(
        text.contains(&shard),
        "the command shards by {index_var} over {n}: {shard}"
    );
    n
}

#[test]
fn the_deployment_examples_shard_the_organisation_once_over() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
    let job = std::fs::read_to_string(root.join("kubernetes/keepopen-org-job.yaml")).expect("job");
    assert!(job.contains("completionMode: Indexed"));
    let n = shards_in(&job, "completions:", "JOB_COMPLETION_INDEX");
    assert!(job.contains(&format!("parallelism: {n}")));
    let actions =
        std::fs::read_to_string(root.join("github-actions/keepopen-org.yml")).expect("workflow");
    let matrix: Vec<&str> = actions
        .lines()
        .find_map(|l| l.trim().strip_prefix("shard: ["))
        .and_then(|r| r.split(']').next())
        .map(|r| r.split(',').map(str::trim).collect())
        .expect("a shard matrix");
    let m = matrix.len() as u32;
    assert!(
        actions.contains(&format!("--shard \"${{SHARD}}/{m}\"")),
        "matrix of {m}"
    );
    assert_eq!(matrix, (0..m).map(|i| i.to_string()).collect::<Vec<_>>());
    // Both write one PostgreSQL database, its password from a secret and
    // never on a command line.
    for text in [&job, &actions] {
        assert!(
            text.contains("--db \"${KEEPOPEN_DB_URL}\"")
                || text.contains("--db \"$KEEPOPEN_DB_URL\"")
        );
        assert!(text.contains("PGPASSWORD"));
    }
    assert!(actions.contains("keepopen report --db"));

    // What the examples run: every shard of N, together, covers each
    // repository exactly once.
    let (org, p) = organisation();
    let mut seen = Vec::new();
    for i in 0..n {
        let (_, v) = org_json(&[&p, "--shard", &format!("{i}/{n}")], org.path());
        for r in v["repositories"].as_array().cloned().unwrap_or_default() {
            seen.push(r["path"].as_str().unwrap_or_default().to_string());
        }
    }
    seen.sort();
    let all = seen.len();
    seen.dedup();
    assert_eq!((all, seen.len()), (3, 3), "{seen:?}");
}

#[test]
fn a_run_is_kept_in_the_store_and_shown_again_without_scanning() {
    let (org, p) = organisation();
    let store = tempfile::tempdir().expect("tempdir");
    let db = store.path().join("keepopen.db");
    let d = db.to_string_lossy().into_owned();
    let (code, live) = org_json(&[&p, "--db", &d], org.path());
    assert_eq!(code, Some(1));
    let out = keepopen(&["report", "--db", &d, "--format", "json"], org.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(again, live, "the stored run renders as the live one did");
    assert!(
        !std::fs::read(&db)
            .expect("db")
            .windows(10)
            .any(|w| w == &github_token(31).as_bytes()[..10]),
        "the store holds no raw token"
    );
    let out = keepopen(&["report", "--db", &d, "--format", "markdown"], org.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("| `archive` |"));
    // An empty store is named, not shown as an empty organisation.
    let empty = store.path().join("empty.db");
    let out = keepopen(&["report", "--db", &empty.to_string_lossy()], org.path());
    assert_eq!(out.status.code(), Some(2));
}

/// Many small repositories, so that a run is still going when it is killed.
fn many(n: usize) -> (tempfile::TempDir, String) {
    let org = tempfile::tempdir().expect("tempdir");
    for i in 0..n {
        let mut r = Repo::new();
        r.write(
            "README.md",
            format!("# Repo {i}\n\nMaintained by team {i}: team{i}@example.org\n"),
        );
        if i % 3 == 0 {
            r.write(
                "settings.py",
                format!("TOKEN = \"{}\"\n", github_token(100 + i as u64)),
            );
        }
        for c in 0..3 {
            r.write("model.R", format!("x <- {i}{c}\n"));
            r.commit(&format!("c{c}"));
        }
        clone(
            r.path(),
            &org.path().join(format!("repo-{i:03}")),
            i % 2 == 0,
        );
    }
    let p = org.path().to_string_lossy().into_owned();
    (org, p)
}

/// A store the kill-and-resume test writes: a real SQLite file, or a
/// database of its own on the test script's PostgreSQL server.
enum Store {
    File(std::path::PathBuf),
    Pg(keepopen_store::Scratch),
}

impl Store {
    fn arg(&self) -> String {
        match self {
            Store::File(p) => p.to_string_lossy().into_owned(),
            Store::Pg(s) => s.url.secret().to_string(),
        }
    }

    /// One count; 0 while the tables are not there yet.
    fn count(&self, sql: &str) -> i64 {
        match self {
            Store::File(p) => {
                rusqlite::Connection::open_with_flags(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                    .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
                    .unwrap_or(0)
            }
            Store::Pg(s) => postgres::Client::connect(s.url.secret(), postgres::NoTls)
                .and_then(|mut c| c.query_one(sql, &[]))
                .map(|r| r.get(0))
                .unwrap_or(0),
        }
    }
}

/// Kills (SIGKILL) an organisation run once some repositories, not all,
/// are stored; runs the same command again; and checks that it resumed to
/// the result of a run never stopped, with no row written twice or lost.
fn killed_and_resumed(fresh: &dyn Fn(usize) -> Store) {
    let (org, p) = many(24);
    let whole = fresh(0);
    let (_, expected) = org_json(&[&p, "--db", &whole.arg()], org.path());
    assert_eq!(expected["summary"]["repositories"], 24);
    let rows = "SELECT count(*) FROM assessments";
    let mut killed = None;
    for attempt in 1..=5 {
        let store = fresh(attempt);
        let mut child = Command::new(env!("CARGO_BIN_EXE_keepopen"))
            .args([
                "org",
                &p,
                "--db",
                &store.arg(),
                "--format",
                "json",
                "--no-progress",
            ])
            .env("KEEPOPEN_DB", "/nonexistent/keepopen-tests.db")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let mut at = None;
        loop {
            if store.count(rows) >= 3 {
                let _ = child.kill();
                let _ = child.wait();
                at = Some(store.count(rows));
                break;
            }
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        if let Some(n) = at.filter(|n| *n < 24) {
            killed = Some((store, n));
            break;
        }
    }
    let (store, killed_at) = killed.expect("the run was killed part-way in one of five tries");
    let (code, resumed) = org_json(&[&p, "--db", &store.arg()], org.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        resumed, expected,
        "killed after {killed_at}, resumed, and equal to an uninterrupted run"
    );
    assert_eq!(
        (
            store.count(rows),
            store.count("SELECT count(DISTINCT root) FROM assessments"),
            store.count("SELECT count(*) FROM runs"),
        ),
        (24, 24, 1),
        "one run, each repository once"
    );
    let findings = "SELECT count(*) FROM findings";
    assert_eq!(
        store.count(findings),
        whole.count(findings),
        "no finding written twice or lost"
    );
    assert!(whole.count(findings) > 0);
}

#[test]
fn a_run_killed_part_way_resumes_to_the_same_result_with_no_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    killed_and_resumed(&|i| Store::File(dir.path().join(format!("run-{i}.db"))));
}

#[test]
fn a_run_killed_part_way_resumes_on_postgres_too() {
    if keepopen_store::test_server().is_none() {
        eprintln!("no KEEPOPEN_TEST_POSTGRES: skipped (scripts/test.sh starts a server)");
        return;
    }
    killed_and_resumed(&|_| {
        Store::Pg(
            keepopen_store::Scratch::new("killed")
                .expect("a test server")
                .expect("a scratch database"),
        )
    });
}

#[test]
fn a_rerun_reuses_unchanged_mirrors_and_scans_a_changed_one() {
    let (org, p) = organisation();
    let store = tempfile::tempdir().expect("tempdir");
    let d = store
        .path()
        .join("keepopen.db")
        .to_string_lossy()
        .into_owned();
    let run = |extra: &[&str]| {
        let mut args = vec!["org", p.as_str(), "--db", d.as_str(), "--format", "json"];
        args.extend_from_slice(extra);
        let out = keepopen(&args, org.path());
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        (v, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (first, _) = run(&[]);
    let (second, said) = run(&[]);
    assert!(
        said.contains("1 of 3 repositories unchanged"),
        "the bare mirror is reused: {said}"
    );
    assert_eq!(second, first, "a reused result is the same result");

    // A new commit fetched into the mirror: scanned again.
    let mirror = org.path().join("model.git");
    let work = tempfile::tempdir().expect("tempdir");
    let w = work.path().join("w");
    clone(&mirror, &w, false);
    std::fs::write(w.join("notes.txt"), "more\n").expect("write");
    let git = |dir: &Path, args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&w, &["add", "-A"]);
    git(&w, &["commit", "-q", "-m", "more"]);
    git(&w, &["push", "-q", "origin", "HEAD:main"]);
    let (third, said) = run(&[]);
    assert!(!said.contains("unchanged since a stored run"), "{said}");
    assert!(by_path(&third, "model.git")["last_commit"].is_string());
    assert_ne!(
        by_path(&third, "model.git")["last_commit"],
        by_path(&first, "model.git")["last_commit"],
        "the new commit is seen"
    );
    let (_, said) = run(&["--rescan"]);
    assert!(
        !said.contains("unchanged since a stored run"),
        "--rescan scans all: {said}"
    );
}

#[test]
fn a_fork_shares_its_blobs_which_are_scanned_once_with_the_same_findings() {
    let (org, p) = organisation();
    // A fork: another mirror of the leaky tool, at another path.
    clone(
        &org.path().join("team-a/tool"),
        &org.path().join("forks/tool-fork.git"),
        true,
    );
    let out = keepopen(&["org", &p, "--no-store", "--format", "json"], org.path());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("were shared with repositories scanned before them"),
        "{said}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let (tool, fork) = (by_path(&v, "team-a/tool"), by_path(&v, "tool-fork.git"));
    assert_eq!(
        fork["findings"]["by_category"], tool["findings"]["by_category"],
        "{v:#}"
    );
    assert_eq!(fork["findings"]["blocking"], 1);
    assert_eq!(fork["recommendation"], "open-after-fixes");
}

/// The same Python settings file in a repository of Python and in two of
/// JavaScript: the Python password rule is left to the second look in the
/// JavaScript ones only (few of their files are Python), so a blob's
/// first look in one is not the first look another needs. Each of the
/// three reports the password once, whichever was scanned first.
#[test]
fn a_blob_shared_by_repositories_of_different_languages_is_judged_in_each() {
    let org = tempfile::tempdir().expect("tempdir");
    let password = format!(
        "Qz7{}",
        random_chars(
            43,
            13,
            b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        )
    );
    let settings = format!("DB_PASSWORD = \"{password}\"\n");
    let mut python = Repo::new();
    for i in 0..5 {
        python.write(&format!("pkg/m{i}.py"), format!("X{i} = {i}\n"));
    }
    python.write("pkg/settings.py", &settings);
    python.commit("python");
    let javascript = || {
        let mut r = Repo::new();
        for i in 0..30 {
            r.write(
                &format!("src/m{i}.js"),
                format!("export const m{i} = {i};\n"),
            );
        }
        r.write("tools/settings.py", &settings);
        r.commit("settings");
        std::fs::remove_file(r.path().join("tools/settings.py")).expect("rm");
        r.commit("no settings");
        r
    };
    let (first, last) = (javascript(), javascript());
    clone(first.path(), &org.path().join("a-web.git"), true);
    clone(python.path(), &org.path().join("b-model.git"), true);
    clone(last.path(), &org.path().join("c-web.git"), true);
    let p = org.path().to_string_lossy().into_owned();
    // One at a time, in order, so that each finds the blob cached.
    let (_, v) = org_json(&[&p, "--jobs", "1"], org.path());
    for name in ["a-web.git", "b-model.git", "c-web.git"] {
        assert_eq!(
            by_path(&v, name)["findings"]["by_category"]["secret"],
            1,
            "{name}: {v:#}"
        );
    }
}
