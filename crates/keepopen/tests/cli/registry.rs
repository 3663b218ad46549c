//! One id per detector, everywhere: every id any detector emits is listed
//! by `rules list`, explained by `keepopen explain`, and honoured by
//! `rules.disable`; an unknown id is an error, never a silent fallback.

use crate::support::*;
use serde_json::Value;
use std::collections::HashMap;

const WORKFLOW: &str = "name: triage\non:\n  issues:\n    types: [opened]\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo \"${{ github.event.issue.title }}\"\n";

/// `rules list --format json`: id to (category, detector).
fn listed(cwd: &std::path::Path) -> HashMap<String, (String, String)> {
    let out = keepopen(&["rules", "list", "--format", "json"], cwd);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v.as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("id"), (s("category"), s("detector")))
        })
        .collect()
}

/// A repository that every detector finds something in.
fn everything() -> Repo {
    let mut r = Repo::new();
    r.write(
        "app/settings.py",
        format!("TOKEN = \"{}\"\n", github_token(7)),
    );
    let rows: String = (0..6)
        .map(|i| format!("{},1980-01-0{},LS1 4AP\n", nhs_number(i), i + 1))
        .collect();
    r.write(
        "data/patients.csv",
        format!("nhs_number,date_of_birth,postcode\n{rows}"),
    );
    r.write(".github/workflows/triage.yml", WORKFLOW);
    r.commit("start");
    r
}

#[test]
fn every_listed_id_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ids = listed(dir.path());
    let detectors: std::collections::HashSet<&str> =
        ids.values().map(|(_, d)| d.as_str()).collect();
    for d in [
        "secrets",
        "personal",
        "dependencies",
        "workflows",
        "posture",
    ] {
        assert!(detectors.contains(d), "no ids from {d}");
    }
    assert!(ids.len() > 400, "{}", ids.len());
    for id in ids.keys() {
        let out = keepopen(&["explain", id], dir.path());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "explain {id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.starts_with(id.as_str()) && text.contains("What to do: "),
            "{text}"
        );
        assert!(text.contains(&format!("rules.md#{id}")), "{text}");
    }
}

#[test]
fn every_id_a_scan_emits_is_in_the_catalogue_with_its_category() {
    let r = everything();
    let ids = listed(r.path());
    let (_, v) = scan_json_default(r.path(), &[]);
    let found = findings(&v);
    let categories: std::collections::HashSet<&str> = found
        .iter()
        .filter_map(|f| f["category"].as_str())
        .collect();
    for c in ["secret", "personal-data", "workflow", "posture"] {
        assert!(categories.contains(c), "no {c} finding: {v:#}");
    }
    for f in &found {
        let id = f["rule"].as_str().expect("rule");
        let (category, _) = ids
            .get(id)
            .unwrap_or_else(|| panic!("`{id}` is not listed"));
        assert_eq!(f["category"].as_str(), Some(category.as_str()), "{f:#}");
    }
    // SARIF names every rule it reports, each with its documentation.
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(
        &["scan", &p, "--format", "sarif", "--no-progress"],
        r.path(),
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for result in sarif["runs"][0]["results"].as_array().expect("results") {
        let id = result["ruleId"].as_str().expect("ruleId");
        let rule = rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"));
        assert!(
            rule["helpUri"]
                .as_str()
                .is_some_and(|u| u.ends_with(&format!("#{id}")))
        );
    }
}

#[test]
fn rules_disable_silences_any_detectors_id_and_refuses_unknown_ones() {
    let r = everything();
    r.write(
        ".keepopen.toml",
        "[rules]\ndisable = [\"workflow-template-injection\", \"posture-licence\", \"nhs-number\"]\n",
    );
    let (_, v) = scan_json_default(r.path(), &[]);
    let found = findings(&v);
    let rules: Vec<String> = found
        .iter()
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect();
    for id in [
        "workflow-template-injection",
        "posture-licence",
        "nhs-number",
    ] {
        assert!(
            !rules.iter().any(|r| r == id),
            "{id} still reported: {rules:?}"
        );
    }
    assert!(rules.iter().any(|r| r == "github-pat-classic"), "{rules:?}");
    assert!(
        rules.iter().any(|r| r == "workflow-unpinned-uses"),
        "{rules:?}"
    );

    r.write(
        ".keepopen.toml",
        "[rules]\ndisable = [\"template-injection\"]\n",
    );
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(&["scan", &p, "--no-progress"], r.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`template-injection`"), "{err}");
    assert!(err.contains("workflow-template-injection"), "{err}");
}

#[test]
fn explain_of_an_unknown_id_fails_and_names_ids_like_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = keepopen(&["explain", "pat-classic"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("github-pat-classic"), "{err}");
}
