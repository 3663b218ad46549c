//! The keep-open assessment through the real CLI, on repositories built
//! here: the class, the recommendation with its policy rule, the fix plan,
//! the `[policy]` section and `keepopen explain policy`.

use crate::support::*;
use serde_json::Value;

/// A Flask service that meets the minimum standard.
fn service() -> Repo {
    let mut r = Repo::new();
    r.write("requirements.txt", "flask==3.0.0\ngunicorn==22.0.0\n");
    r.write(
        "Dockerfile",
        "FROM python:3.12-slim\nEXPOSE 8080\nCMD [\"gunicorn\", \"app:app\"]\n",
    );
    r.write("app.py", "from flask import Flask\napp = Flask(__name__)\n");
    r.owned("Booking service");
    r.write(
        ".github/dependabot.yml",
        "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: \"/\"\n    schedule:\n      interval: weekly\n  - package-ecosystem: docker\n    directory: \"/\"\n    schedule:\n      interval: weekly\n  - package-ecosystem: github-actions\n    directory: \"/\"\n    schedule:\n      interval: weekly\n",
    );
    r.commit("service");
    r
}

fn assessment(v: &Value) -> Value {
    v["assessments"][0].clone()
}

fn report(r: &Repo) -> (Option<i32>, Value) {
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(&["scan", &p, "--format", "json", "--no-progress"], r.path());
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

#[test]
fn a_service_that_meets_the_standard_stays_open_and_a_leak_makes_an_ordered_plan() {
    let mut r = service();
    let (_, v) = report(&r);
    let a = assessment(&v);
    assert_eq!(a["class"], "service", "{a:#}");
    assert!(
        a["class_evidence"]
            .to_string()
            .contains("flask in requirements.txt"),
        "{a:#}"
    );
    assert_eq!(a["recommendation"], "open", "{a:#}");
    assert_eq!(a["reasons"][0]["rule"], "policy-open");
    assert_eq!(a["fixes"].as_array().map(Vec::len), Some(0));

    let token = github_token(7);
    r.write("config.py", format!("GITHUB_TOKEN = \"{token}\"\n"));
    r.commit("add config");
    let (code, v) = report(&r);
    assert_eq!(code, Some(1));
    let a = assessment(&v);
    assert_eq!(a["recommendation"], "open-after-fixes", "{a:#}");
    assert_eq!(a["reasons"][0]["rule"], "policy-blocking");
    let kinds: Vec<&str> = a["fixes"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["rotate-credentials", "purge-history"], "{a:#}");
    let rotate = a["fixes"][0]["actions"].to_string();
    assert!(rotate.contains("config.py:1"), "{rotate}");
    assert!(rotate.contains("does not un-publish"), "{rotate}");
    let fingerprint = v["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["path"] == "config.py"))
        .map(|f| f["fingerprint"].clone())
        .expect("the token is a finding");
    assert_eq!(a["fixes"][0]["findings"][0], fingerprint);
    assert!(
        !v.to_string().contains(&token),
        "the plan is redacted like the rest"
    );

    // The human report carries the same decision.
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(&["scan", &p, "--no-progress", "--color", "never"], r.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("keep-open recommendation: open-after-fixes"),
        "{text}"
    );
    assert!(text.contains("1. Rotate 1 leaked credential"), "{text}");
    assert!(!text.contains(&token));
}

#[test]
fn idle_code_with_no_owner_is_archived() {
    // The helper dates commits in March 2024: idle for well over a year.
    let mut r = Repo::new();
    r.write("analysis/model.R", "library(dplyr)\nx <- 1\n");
    r.write("analysis/explore.ipynb", "{\"cells\": []}\n");
    r.write("README.md", "# Waiting list model\n");
    r.commit("model");
    let (_, v) = report(&r);
    let a = assessment(&v);
    assert_eq!(a["class"], "analysis", "{a:#}");
    assert_eq!(a["recommendation"], "archive", "{a:#}");
    assert_eq!(a["reasons"][0]["rule"], "policy-archive");
    assert!(
        a["reasons"][0]["text"].to_string().contains("no owner"),
        "{a:#}"
    );

    // A named owner keeps it from the archive; the minimum standard is
    // then what stands between it and `open`.
    r.write(".github/CODEOWNERS", "* @nhs-example/analysts\n");
    r.commit("owner");
    let a = assessment(&report(&r).1);
    assert_eq!(a["recommendation"], "open-after-fixes", "{a:#}");
    assert_eq!(a["reasons"][0]["rule"], "policy-minimum");
    assert!(a["fixes"].to_string().contains("SECURITY.md"), "{a:#}");
}

#[test]
fn the_policy_section_is_applied_and_explained() {
    let mut r = Repo::new();
    r.write("analysis/model.R", "x <- 1\n");
    r.write("README.md", "# Model\n");
    r.write(
        ".keepopen.toml",
        "[policy]\narchive_after_days = 100000\nminimum = []\n",
    );
    r.commit("model");
    let a = assessment(&report(&r).1);
    assert_eq!(a["recommendation"], "open", "{a:#}");

    let out = keepopen(&["explain", "policy"], r.path());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("archive_after_days = 100000"), "{text}");
    for rule in [
        "policy-archive",
        "policy-exception",
        "policy-blocking",
        "policy-minimum",
        "policy-open",
    ] {
        assert!(text.contains(rule), "{rule}: {text}");
    }

    r.write(
        ".keepopen.toml",
        "[policy]\nminimum = [\"posture-securty-policy\"]\n",
    );
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(&["scan", &p, "--no-progress"], r.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".keepopen.toml") && err.contains("posture-securty-policy"),
        "{err}"
    );
}

fn exception_new(r: &Repo, id: &str, extra: &[&str]) -> std::process::Output {
    let p = r.path().to_string_lossy().into_owned();
    let mut args = vec![
        "exception",
        "new",
        id,
        "--repo",
        &p,
        "--attacker",
        "an opportunistic scanner of public code",
        "--publication-adds",
        "the exact endpoint and library version",
        "--path-to-harm",
        "a forged token for the legacy API",
        "--alternatives",
        "replacement planned for 2027",
        "--compensating-controls",
        "the gateway checks tokens first",
        "--approver",
        "A. Person, SIRO",
    ];
    args.extend_from_slice(extra);
    keepopen(&args, r.path())
}

#[test]
fn an_exception_is_written_listed_and_takes_its_findings_out_of_the_recommendation() {
    let mut r = service();
    let token = github_token(11);
    r.write("legacy/config.py", format!("TOKEN = \"{token}\"\n"));
    r.commit("legacy");
    assert_eq!(
        assessment(&report(&r).1)["recommendation"],
        "open-after-fixes"
    );

    // Longer than 12 months is refused, and nothing is written.
    let out = exception_new(
        &r,
        "legacy-token",
        &[
            "--scope",
            "legacy/",
            "--approved",
            "2026-12-01",
            "--expires",
            "2028-01-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 12 months"));
    assert!(
        !r.path()
            .join(".keepopen/exceptions/legacy-token.toml")
            .exists()
    );

    let out = exception_new(&r, "legacy-token", &["--scope", "legacy/"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = r.path().join(".keepopen/exceptions/legacy-token.toml");
    let text = std::fs::read_to_string(&file).expect("record written");
    assert!(
        text.contains("path_to_harm = \"a forged token for the legacy API\""),
        "{text}"
    );
    // Not written over.
    assert_eq!(
        exception_new(&r, "legacy-token", &["--scope", "legacy/"])
            .status
            .code(),
        Some(2)
    );
    r.commit("exception");

    let (_, v) = report(&r);
    let a = assessment(&v);
    assert_eq!(a["recommendation"], "open", "{a:#}");
    assert_eq!(a["reasons"][0]["rule"], "policy-exception");
    assert!(
        a["reasons"][0]["text"].to_string().contains("legacy-token"),
        "{a:#}"
    );
    assert!(
        v["findings"].to_string().contains("legacy/config.py"),
        "excepted findings stay visible"
    );

    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(&["exception", "list", &p, "--json"], r.path());
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list["exceptions"][0]["id"], "legacy-token");
    assert_eq!(list["exceptions"][0]["standing"], "active");

    // Expired: a finding about the record, and the token blocks again.
    let expired = text
        .lines()
        .map(|l| {
            if l.starts_with("approved") {
                "approved = \"2025-01-01\"".to_string()
            } else if l.starts_with("expires") {
                "expires = \"2025-06-30\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&file, expired).expect("write");
    r.commit("let it lapse");
    let (_, v) = report(&r);
    assert_eq!(assessment(&v)["recommendation"], "open-after-fixes");
    let register: Vec<&Value> = v["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter(|f| f["rule"] == "exception-expired")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(register.len(), 1, "{v:#}");
    assert_eq!(
        register[0]["path"],
        ".keepopen/exceptions/legacy-token.toml"
    );
    let out = keepopen(&["exception", "list", &p], r.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("expired"));
}

#[test]
fn a_malformed_exception_record_is_a_finding_naming_the_field() {
    let mut r = service();
    r.write(
        ".keepopen/exceptions/typo.toml",
        "scope = [\"a/\"]\napprover_name = \"x\"\n",
    );
    r.commit("typo");
    let (_, v) = report(&r);
    let f = v["findings"]
        .as_array()
        .and_then(|fs| {
            fs.iter()
                .find(|f| f["rule"] == "exception-invalid")
                .cloned()
        })
        .expect("a finding about the record");
    assert_eq!(f["path"], ".keepopen/exceptions/typo.toml");
    assert!(f["context"].to_string().contains("approver_name"), "{f:#}");
    let out = keepopen(&["explain", "exception-invalid"], r.path());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_triaged_finding_stays_visible_and_leaves_the_recommendation_and_exit_code() {
    let mut r = service();
    let token = github_token(21);
    r.write("app_settings.py", format!("TOKEN = \"{token}\"\n"));
    r.commit("example");
    let store = tempfile::tempdir().expect("tempdir");
    let db = store.path().join("keepopen.db");
    let db_arg = db.to_string_lossy().into_owned();
    let p = r.path().to_string_lossy().into_owned();
    let scan = |format: &str| {
        keepopen(
            &[
                "scan",
                &p,
                "--format",
                format,
                "--no-progress",
                "--color",
                "never",
                "--db",
                &db_arg,
            ],
            r.path(),
        )
    };
    let out = scan("json");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let fp = v["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["path"] == "app_settings.py"))
        .and_then(|f| f["fingerprint"].as_str())
        .expect("the token is found")
        .to_string();

    // An accepted risk needs an expiry; an unknown state is named.
    let triage = |args: &[&str]| {
        let mut all = vec!["triage", fp.as_str()];
        all.extend_from_slice(args);
        all.extend(["--db", &db_arg]);
        keepopen(&all, r.path())
    };
    let out = triage(&["accepted-risk", "--reason", "rotated already"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--expires"));
    let out = triage(&["wontfix", "--reason", "x"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("false-positive, accepted-risk, fixed"));
    let out = triage(&[
        "false-positive",
        "--reason",
        "a revoked token kept as a documented example",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = scan("json");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = v["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["fingerprint"] == fp.as_str()).cloned())
        .expect("still in the report");
    assert_eq!(f["triage"]["state"], "false-positive");
    assert_eq!(f["blocking"], false);
    let a = assessment(&v);
    assert_eq!(a["recommendation"], "open", "{a:#}");
    assert!(a["reasons"].to_string().contains("policy-triage"), "{a:#}");
    let text = String::from_utf8_lossy(&scan("human").stdout).into_owned();
    assert!(
        text.contains("triaged false-positive: a revoked token kept as a documented example"),
        "{text}"
    );
}
