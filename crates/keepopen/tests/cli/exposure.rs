//! Exposed configuration through the real CLI, on repositories built here:
//! a Terraform state blocks and is in the fix plan, internal hosts and
//! connection strings are reported with their values redacted, fixtures
//! are lowered, every format carries them, and hostile files are noted
//! while the rest is still read.

use crate::support::*;
use serde_json::Value;

const STATE: &str = "{\n  \"version\": 4,\n  \"terraform_version\": \"1.6.0\",\n  \"lineage\": \"5a1f0c1e-3d2b-4c5a-9e8f-7a6b5c4d3e2f\",\n  \"resources\": [ { \"mode\": \"managed\", \"type\": \"azurerm_postgresql_server\", \"name\": \"db\" } ]\n}\n";

fn exposure(v: &Value) -> Vec<(String, String, i64, String, bool)> {
    findings(v)
        .iter()
        .filter(|f| f["category"] == "exposure")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_i64().unwrap_or_default(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["blocking"] == true,
            )
        })
        .collect()
}

fn estate() -> Repo {
    let mut r = Repo::new();
    r.owned("Referrals");
    r.write("infra/terraform.tfstate", STATE);
    r.write(
        "config/production.yml",
        "api:\n  base: https://pas-api.trust.internal/v2\ndatabase:\n  url: jdbc:postgresql://10.20.4.17:5432/referrals\n  subnet: 10.20.0.0/16\n",
    );
    r.write(
        "Dockerfile",
        "FROM python:3.12-slim\nARG PIP_INDEX_TOKEN\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
    );
    r.write(
        "tests/fixtures/settings.yml",
        "database:\n  url: jdbc:postgresql://10.99.0.5:5432/test\n",
    );
    r.write(
        "config/dump.json",
        format!("{{\"pad\": \"{}\"}}\n", "x".repeat(1 << 21)),
    );
    r.write("config/legacy.ini", b"[db]\nhost = 10.1.2.\xff3\n");
    r.commit("estate");
    r
}

#[test]
fn exposed_configuration_is_found_graded_and_planned() {
    let r = estate();
    let (code, v) = scan_json_default(r.path(), &["--detectors", "exposure,posture"]);
    assert_eq!(code, 1, "{v:#}");
    let got = exposure(&v);
    let want = |rule: &str, path: &str, line: i64, sev: &str, blocks: bool| {
        assert!(
            got.contains(&(rule.into(), path.into(), line, sev.into(), blocks)),
            "{rule} {path}:{line} {sev} {blocks} not in {got:#?}"
        );
    };
    // Everything at or above `fail_on` (low by default) blocks, except in
    // fixtures.
    for (rule, path, line, sev, blocks) in [
        (
            "exposure-terraform-state",
            "infra/terraform.tfstate",
            1,
            "high",
            true,
        ),
        (
            "exposure-internal-host",
            "config/production.yml",
            2,
            "low",
            true,
        ),
        (
            "exposure-connection-string",
            "config/production.yml",
            4,
            "medium",
            true,
        ),
        (
            "exposure-root-container-credentials",
            "Dockerfile",
            2,
            "medium",
            true,
        ),
        (
            "exposure-connection-string",
            "tests/fixtures/settings.yml",
            2,
            "low",
            false,
        ),
    ] {
        want(rule, path, line, sev, blocks);
    }
    // A range is layout, not a host; nothing else was reported.
    assert_eq!(got.len(), 5, "{got:#?}");
    // Values are redacted by default: the report is not a map of the
    // estate.
    let text = scan_text(&r, "exposure", "json");
    assert!(text.contains("exposure-internal-host"), "{text}");
    for value in ["pas-api.trust.internal", "10.20.4.17"] {
        assert!(!text.contains(value), "{value} shown in {text}");
    }
    // The state is in the fix plan, first among the findings to act on.
    let a = &v["assessments"][0];
    let plan = a["fixes"].to_string();
    assert!(plan.contains("infra/terraform.tfstate"), "{plan}");
    assert_ne!(a["recommendation"], "open", "{a:#}");
    // Hostile files are noted by name, not fatal.
    let problems = v["summary"].to_string();
    for (path, why) in [
        ("config/dump.json", "1 MiB"),
        ("config/legacy.ini", "UTF-8"),
    ] {
        assert!(
            problems.contains(path) && problems.contains(why),
            "{path}: {why} not in {problems}"
        );
    }
}

#[test]
fn every_format_carries_exposed_configuration() {
    let mut r = Repo::new();
    r.write("infra/terraform.tfstate", STATE);
    r.commit("state");
    for (format, want) in [
        ("sarif", "exposure-terraform-state"),
        ("markdown", "exposure-terraform-state"),
        ("human", "exposure-terraform-state"),
        ("csv", "exposure-terraform-state"),
    ] {
        let text = scan_text(&r, "exposure", format);
        assert!(text.contains(want), "{format}: {text}");
        assert!(text.contains("terraform.tfstate"), "{format}: {text}");
    }
}

#[test]
fn exposure_rules_can_be_disabled_and_explained() {
    let r = estate();
    std::fs::write(
        r.path().join(".keepopen.toml"),
        "[rules]\ndisable = [\"exposure-internal-host\"]\n",
    )
    .expect("config");
    let (_, v) = scan_json_default(r.path(), &["--detectors", "exposure"]);
    assert!(
        exposure(&v).iter().all(|f| f.0 != "exposure-internal-host"),
        "{v:#}"
    );
    let out = keepopen(&["explain", "exposure-kubeconfig"], r.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("CWE-522"), "{text}");
    assert!(text.contains("get-credentials"), "{text}");
}
