//! What a team controls: config, ignore comments, baselines, exit codes.

use crate::support::*;

fn repo_with_token(seed: u64) -> (Repo, String) {
    let mut r = Repo::new();
    let token = github_token(seed);
    r.write("src/app.py", format!("TOKEN = \"{token}\"\n"));
    r.commit("token");
    (r, token)
}

#[test]
fn a_clean_repository_exits_zero() {
    let mut r = Repo::new();
    r.write("main.py", "print('hello')\n");
    r.commit("clean");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["total"], 0);
}

#[test]
fn inline_ignore_comments_silence_one_line_or_one_rule() {
    let mut r = Repo::new();
    let (a, b, c) = (github_token(51), github_token(52), github_token(53));
    r.write("a.py", format!("A = '{a}'  # keepopen:ignore\nB = '{b}'  # keepopen:ignore[some-other-rule]\n# keepopen:ignore[github-pat-classic]\nC = '{c}'\n"));
    r.commit("ignores");
    let (_, v) = scan_json(r.path(), &[]);
    assert_eq!(secrets(&v), vec![b], "{v:#}");
}

#[test]
fn config_excludes_paths_disables_rules_and_sets_the_threshold() {
    let (r, token) = repo_with_token(60);
    r.write(
        "tests/fixtures/f.py",
        format!("X = '{}'\n", github_token(61)),
    );
    r.write(".keepopen.toml", "exclude = [\"tests/fixtures/\"]\n");
    let (code, v) = scan_json(r.path(), &["--no-history"]);
    assert_eq!((code, secrets(&v)), (1, vec![token.clone()]), "{v:#}");

    r.write(
        ".keepopen.toml",
        "[rules]\ndisable = [\"github-pat-classic\"]\n",
    );
    let (_, v) = scan_json(r.path(), &["--no-history"]);
    assert!(
        findings(&v)
            .iter()
            .all(|f| f["rule"] != "github-pat-classic"),
        "{v:#}"
    );

    r.write(".keepopen.toml", "fail_on = \"critical\"\n");
    let (code, v) = scan_json(r.path(), &["--no-history", "--exclude", "tests/"]);
    assert_eq!(
        code, 1,
        "a critical token fails a critical threshold: {v:#}"
    );
    assert_eq!(v["summary"]["fail_on"], "critical");
}

/// A repository's own config can turn its whole assessment off: every
/// report says what it turned off, and `--ignore-repo-config` assesses the
/// repository as an outsider would.
#[test]
fn a_repositorys_own_config_is_shown_and_can_be_ignored() {
    let (r, token) = repo_with_token(71);
    r.write(
        ".keepopen.toml",
        "history = false\nexclude = [\"*\"]\n[rules]\ndisable = [\"github-pat-classic\"]\n",
    );
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert!(findings(&v).is_empty(), "{v:#}");
    let notes = v["summary"]["notes"].to_string();
    for part in [
        "the repository's own config",
        "history not scanned",
        "1 path pattern excluded (`*`)",
        "1 rule disabled (`github-pat-classic`)",
        "--ignore-repo-config",
    ] {
        assert!(notes.contains(part), "{part}: {notes}");
    }
    let out = keepopen(
        &["scan", ".", "--detectors", "secrets", "--color", "never"],
        r.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("history not scanned"), "{text}");

    let (code, v) = scan_json(r.path(), &["--ignore-repo-config"]);
    assert_eq!(code, 1, "{v:#}");
    assert!(secrets(&v).contains(&token), "{v:#}");
    assert!(!v["summary"]["notes"].to_string().contains("own config"));
}

#[test]
fn a_threshold_above_every_finding_passes() {
    let mut r = Repo::new();
    let jwt_header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
    let jwt = format!(
        "{jwt_header}.eyJzdWIiOiIxMjM0NTY3ODkwIn0.{}",
        random_chars(
            3,
            43,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )
    );
    r.write("client.ts", format!("const auth = \"Bearer {jwt}\";\n"));
    r.commit("jwt");
    let (code, v) = scan_json(r.path(), &["--fail-on", "critical"]);
    assert!(v["summary"]["total"].as_u64().unwrap_or(0) >= 1, "{v:#}");
    assert_eq!(v["summary"]["blocking"], 0);
    assert_eq!(code, 0);
}

#[test]
fn custom_rules_in_the_config_run_like_built_in_ones() {
    let mut r = Repo::new();
    let token = format!(
        "acme_{}",
        random_chars(70, 20, b"abcdefghijklmnopqrstuvwxyz0123456789")
    );
    r.write("x.cfg", format!("key = {token}\n"));
    r.write(
        ".keepopen.toml",
        concat!(
            "[[rule]]\n",
            "id = \"acme-token\"\n",
            "name = \"ACME token\"\n",
            "description = \"Reads every ACME record.\"\n",
            "severity = \"high\"\n",
            "confidence = \"high\"\n",
            "keywords = [\"acme_\"]\n",
            "pattern = '''\\b(acme_[a-z0-9]{20})\\b'''\n",
            "examples = [\"acme_«»0123456789abcdefghij\"]\n",
        ),
    );
    r.commit("custom");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        findings(&v)
            .iter()
            .any(|f| f["rule"] == "acme-token" && f["secret"] == token.as_str()),
        "{v:#}"
    );
}

#[test]
fn a_baseline_accepts_known_findings_so_only_new_ones_fail() {
    let (mut r, _) = repo_with_token(80);
    let out = tempfile::tempdir().expect("tempdir");
    let baseline = out.path().join("baseline.json");
    let b = baseline.to_string_lossy().into_owned();
    let p = r.path().to_string_lossy().into_owned();
    let created = keepopen(
        &["baseline", "create", &p, "-o", &b, "--no-progress"],
        out.path(),
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let text = std::fs::read_to_string(&baseline).expect("baseline written");
    assert!(
        !text.contains(&github_token(80)),
        "a baseline holds fingerprints, never secrets"
    );

    let (code, v) = scan_json(r.path(), &["--baseline", &b]);
    assert_eq!(
        (code, v["summary"]["baseline_suppressed"].as_u64()),
        (0, Some(1)),
        "{v:#}"
    );

    let new_token = github_token(81);
    r.write("src/new.py", format!("T = '{new_token}'\n"));
    r.commit("new");
    let (code, v) = scan_json(r.path(), &["--baseline", &b]);
    assert_eq!((code, secrets(&v)), (1, vec![new_token]));
}

#[test]
fn tool_failures_exit_two_with_a_message_naming_the_file() {
    let (r, _) = repo_with_token(90);
    r.write(".keepopen.toml", "fail_on = \"dire\"\n");
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(&["scan", &p], r.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".keepopen.toml") && err.contains("dire"),
        "{err}"
    );

    std::fs::remove_file(r.path().join(".keepopen.toml")).expect("remove config");
    let out = keepopen(
        &["scan", &p, "--baseline", "/no/such/baseline.json"],
        r.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/baseline.json"));
}

#[test]
fn rules_list_check_and_explain_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = keepopen(&["rules", "check"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = keepopen(&["rules", "list", "--format", "json"], dir.path());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let n = list.as_array().map_or(0, Vec::len);
    assert!(n >= 150, "only {n} rules");
    let out = keepopen(&["explain", "github-pat-classic"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("GitHub") && text.contains("rotate"),
        "{text}"
    );
    let out = keepopen(&["explain", "no-such-rule"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}
