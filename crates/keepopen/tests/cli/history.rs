//! Secrets anywhere in history: deleted, on branches, tags, stashes and
//! notes, and the provenance of each finding.

use crate::support::*;

#[test]
fn a_secret_committed_then_deleted_is_reported_with_the_commit_that_added_it() {
    let mut r = Repo::new();
    r.write("README.md", "# demo\n");
    r.commit("start");
    let token = github_token(1);
    r.write(
        "app/settings.py",
        format!("DEBUG = False\nGITHUB_TOKEN = \"{token}\"\n"),
    );
    let added = r.commit("add settings");
    r.write(
        "app/settings.py",
        "DEBUG = False\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n",
    );
    r.commit("use the environment");

    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1, "{v}");
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["rule"], "github-pat-classic");
    assert_eq!(f[0]["category"], "secret");
    assert_eq!(f[0]["path"], "app/settings.py");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["column"], 17);
    assert_eq!(f[0]["commit"], added.as_str());
    assert_eq!(f[0]["commit_time"], "2024-03-02T12:00:00Z");
    assert_eq!(f[0]["in_head"], false);
    assert_eq!(f[0]["secret"], token.as_str());
    assert_ne!(f[0]["redacted"], token.as_str());
}

#[test]
fn every_ref_is_scanned_branches_tags_stashes_and_notes() {
    let mut r = Repo::new();
    r.write("a.txt", "hello\n");
    r.commit("start");
    let (t_branch, t_tag, t_stash, t_stash_old, t_note) = (
        github_token(10),
        github_token(11),
        github_token(12),
        github_token(13),
        github_token(14),
    );
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("feature.py", format!("T = '{t_branch}'\n"));
    r.commit("feature work");
    r.git(&["checkout", "-q", "main"]);
    r.git(&["checkout", "-q", "--detach"]);
    r.write("release.cfg", format!("token={t_tag}\n"));
    r.commit("release");
    r.git(&["tag", "-a", "v1", "-m", "v1"]);
    r.git(&["checkout", "-q", "main"]);
    r.write("a.txt", format!("old stash {t_stash_old}\n"));
    r.git(&["stash", "-q"]);
    r.write("a.txt", format!("stash {t_stash}\n"));
    r.git(&["stash", "-q"]);
    r.git(&["notes", "add", "-m", &format!("note {t_note}")]);

    let (_, v) = scan_json(r.path(), &[]);
    let found = secrets(&v);
    for (what, t) in [
        ("branch", &t_branch),
        ("tag", &t_tag),
        ("stash", &t_stash),
        ("older stash", &t_stash_old),
        ("note", &t_note),
    ] {
        assert!(found.contains(t), "the {what} token was missed: {v:#}");
    }
}

#[test]
fn one_secret_in_many_commits_is_one_finding() {
    let mut r = Repo::new();
    let token = github_token(20);
    r.write("conf.py", format!("TOKEN = '{token}'\n"));
    let first = r.commit("one");
    for i in 0..5 {
        r.write("conf.py", format!("TOKEN = '{token}'\nVERSION = {i}\n"));
        r.commit(&format!("bump {i}"));
    }
    let (_, v) = scan_json(r.path(), &[]);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["commit"], first.as_str());
    assert_eq!(f[0]["in_head"], true);
    assert_eq!(f[0]["in_worktree"], true);
    assert_eq!(v["summary"]["commits"], 6);
}

#[test]
fn uncommitted_files_in_the_working_tree_are_scanned() {
    let mut r = Repo::new();
    r.write("a.txt", "x\n");
    r.commit("start");
    let token = github_token(30);
    r.write("scratch/notes.R", format!("gh_pat <- \"{token}\"\n"));
    let (_, v) = scan_json(r.path(), &[]);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["path"], "scratch/notes.R");
    assert!(f[0].get("commit").is_none());
    assert_eq!(f[0]["in_worktree"], true);
}

#[test]
fn bare_repositories_and_history_only_scans_work() {
    let mut r = Repo::new();
    let token = github_token(40);
    r.write("x.py", format!("T='{token}'\n"));
    r.commit("one");
    let (_bare, bare_path) = r.mirror();
    let (code, v) = scan_json(&bare_path, &[]);
    assert_eq!(code, 1);
    assert_eq!(secrets(&v), vec![token.clone()]);
    assert_eq!(v["summary"]["files_scanned"], 0);
}

#[test]
fn key_files_are_found_by_name_in_history() {
    let mut r = Repo::new();
    r.write("certs/client.p12", [0x30u8, 0x82, 0x01, 0x00, 0x00, 0x01]);
    r.commit("add cert");
    r.git(&["rm", "-q", "certs/client.p12"]);
    r.commit("remove cert");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1);
    let f = findings(&v);
    assert!(
        f.iter()
            .any(|f| f["path"] == "certs/client.p12" && f["in_head"] == false),
        "{v:#}"
    );
}

#[test]
fn credentials_in_a_lockfile_registry_url_are_found_but_its_hashes_are_not() {
    let mut r = Repo::new();
    let token = random_chars(300, 24, b"abcdefghijklmnopqrstuvwxyz0123456789");
    let integrity = random_chars(
        301,
        86,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    );
    r.write(
        "web/package-lock.json",
        format!(
            "{{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {{\n    \"node_modules/a\": {{\n      \"resolved\": \"https://registry.npmjs.org/a/-/a-1.0.0.tgz\",\n      \"integrity\": \"sha512-{integrity}==\"\n    }},\n    \"node_modules/b\": {{\n      \"resolved\": \"https://ci-bot:{token}@npm.internal.trust.local/b/-/b-2.0.0.tgz\"\n    }}\n  }}\n}}\n"
        ),
    );
    r.commit("lockfile");
    r.git(&["rm", "-q", "web/package-lock.json"]);
    r.commit("drop lockfile");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["secret"], token.as_str());
    assert_eq!(f[0]["line"], 10);
}

#[test]
fn a_renamed_java_keystore_is_found_by_its_bytes() {
    let mut r = Repo::new();
    r.write(
        "backup/store.bin",
        [0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 1],
    );
    r.write(
        "certs/app.jks",
        [0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 3],
    );
    r.commit("keystores");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1);
    let mut paths: Vec<String> = findings(&v)
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("").to_string())
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["backup/store.bin", "certs/app.jks"],
        "one finding per key store: {v:#}"
    );
}

/// The versions of a long file packed as deltas of each other, as `git gc`
/// leaves them, give the same findings as the same history unpacked: the
/// secret added in one version, its value changed in a later one (the
/// keyword in bytes copied from the base, the value new) and a key added
/// at the end are each found at their line and commit.
#[test]
fn versions_packed_as_deltas_are_scanned_as_when_each_is_whole() {
    let mut r = Repo::new();
    let mut lines: Vec<String> = (0..800)
        .map(|i| {
            format!(
                "password_policy_{i} = strict, rotate every {} days\n",
                i % 90
            )
        })
        .collect();
    let (first, second, aws) = (github_token(11), github_token(12), aws_key_id(13));
    // A lockfile, whose URLs with credentials are carried across deltas
    // apart from the keyword hits.
    let mut lock: Vec<String> = (0..800)
        .map(|i| {
            format!("    \"resolved\": \"https://registry.npmjs.org/p{i}/-/p{i}-1.0.0.tgz\",\n")
        })
        .collect();
    let (pass_a, pass_b) = (
        random_chars(21, 24, b"abcdefghijkmnpqrstuvwxyz23456789"),
        random_chars(22, 24, b"abcdefghijkmnpqrstuvwxyz23456789"),
    );
    let url = |p: &str| {
        format!(
            "    \"resolved\": \"https://ci-bot:{p}@npm.internal.trust.local/x/-/x-1.0.0.tgz\",\n"
        )
    };
    for v in 0..12usize {
        lock[(v * 37) % 800] =
            format!("    \"resolved\": \"https://registry.npmjs.org/q{v}/-/q{v}-2.0.{v}.tgz\",\n");
        match v {
            5 => lock.insert(300, url(&pass_a)),
            8 => lock[300] = url(&pass_b),
            _ => {}
        }
        r.write(
            "web/package-lock.json",
            format!("{{\n  \"lockfileVersion\": 3,\n{}}}\n", lock.concat()),
        );
        lines[(v * 61) % 800] = format!("note_{v} = changed in version {v}\n");
        match v {
            4 => lines.insert(400, format!("GITHUB_TOKEN = \"{first}\"\n")),
            7 => lines[400] = format!("GITHUB_TOKEN = \"{second}\"\n"),
            9 => lines.push(format!("aws_access_key_id = {aws}\n")),
            _ => {}
        }
        r.write("deploy/settings.ini", lines.concat());
        r.commit(&format!("version {v}"));
    }
    let key = |v: &serde_json::Value| {
        let mut k: Vec<String> = findings(v)
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {} {}",
                    f["rule"], f["path"], f["line"], f["commit"], f["secret"]
                )
            })
            .collect();
        k.sort();
        k
    };
    let (_, whole) = scan_json(r.path(), &["--detectors", "secrets"]);
    r.pack_objects(&["--window=50", "--depth=50"], true);
    let packed = r.git(&["count-objects", "-v"]);
    assert!(packed.contains("count: 0"), "{packed}");
    let (_, deltas) = scan_json(r.path(), &["--detectors", "secrets"]);
    assert_eq!(key(&deltas), key(&whole));
    let found = secrets(&deltas);
    for s in [&first, &second, &aws] {
        assert!(found.contains(s), "{s} not found: {deltas:#}");
    }
    for p in [&pass_a, &pass_b] {
        assert!(
            found.iter().any(|f| f.contains(p.as_str())),
            "{p} not found: {deltas:#}"
        );
    }
}

/// A repository of JavaScript whose history once held a Python settings
/// file: the Python password rule is left out of the first look at every
/// blob (few files here are Python) and run once the blob is found at a
/// `.py` path. The same bytes at a `.txt` path report nothing; the finding
/// is the one a scan of that commit's files gives, context and all.
#[test]
fn rules_for_a_few_kinds_of_file_are_found_in_history_at_those_paths_only() {
    let mut r = Repo::new();
    for i in 0..30 {
        r.write(
            &format!("src/m{i}.js"),
            format!("export const m{i} = {i};\n"),
        );
    }
    let password = format!(
        "Qz7{}",
        random_chars(
            41,
            13,
            b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        )
    );
    let settings = format!("HOST = \"db.example.org\"\nDB_PASSWORD = \"{password}\"\n");
    r.write("tools/settings.py", &settings);
    r.write("notes/settings.txt", &settings);
    let added = r.commit("settings");
    let at_commit = keepopen(&["scan", ".", "-f", "json", "--no-history"], r.path());
    let at_commit: serde_json::Value = serde_json::from_slice(&at_commit.stdout).expect("json");
    std::fs::remove_file(r.path().join("tools/settings.py")).expect("rm");
    std::fs::remove_file(r.path().join("notes/settings.txt")).expect("rm");
    r.commit("no settings");
    let (_, v) = scan_json(r.path(), &["--detectors", "secrets"]);
    let found: Vec<_> = findings(&v)
        .into_iter()
        .filter(|f| f["rule"] == "generic-python-password")
        .collect();
    assert_eq!(found.len(), 1, "{v:#}");
    assert_eq!(found[0]["path"], "tools/settings.py");
    assert_eq!(found[0]["commit"], added.as_str());
    assert_eq!(found[0]["in_head"], false);
    let now: Vec<_> = findings(&at_commit)
        .into_iter()
        .filter(|f| f["rule"] == "generic-python-password")
        .collect();
    assert_eq!(now.len(), 1, "{at_commit:#}");
    for key in [
        "line",
        "column",
        "context",
        "severity",
        "confidence",
        "fingerprint",
    ] {
        assert_eq!(found[0][key], now[0][key], "{key}");
    }
    assert!(
        !found[0]["context"]
            .as_str()
            .unwrap_or("")
            .contains(&password)
    );
}
