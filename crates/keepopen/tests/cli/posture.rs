//! Posture through the real CLI: `keepopen posture` on repositories built
//! here, and the opt-in `workflows` and `posture` detectors of `scan`.

use crate::support::*;

const WORKFLOW: &str = "name: triage\non:\n  issues:\n    types: [opened]\npermissions:\n  contents: read\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.event.issue.title }}\"\n";

#[test]
fn posture_lists_each_check_and_fails_what_is_missing() {
    let mut r = Repo::new();
    r.write(
        "README.md",
        "# demo\n\nMaintained by the data team: data-team@example.org\n",
    );
    r.write("SECURITY.md", "# Security\n\nReport vulnerabilities privately to security@example.org. We disclose fixes within 90 days.\n");
    r.write(".github/workflows/triage.yml", WORKFLOW);
    r.write("app.py", "print('hi')\n");
    r.commit("start");
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(&["posture", &p, "--json"], r.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let status = |id: &str| -> String {
        v["checks"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == id))
            .and_then(|c| c["status"].as_str())
            .unwrap_or("missing")
            .to_string()
    };
    assert_eq!(status("posture-ownership"), "pass");
    assert_eq!(status("posture-security-policy"), "pass");
    assert_eq!(status("posture-licence"), "fail");
    assert_eq!(
        status("posture-maintained"),
        "fail",
        "one commit in 90 days is below Scorecard's bar"
    );
    assert!(v["aggregate"].as_f64().is_some());
    assert!(
        v["not_assessed_offline"]
            .to_string()
            .contains("Branch-Protection")
    );
    r.write("LICENSE", "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND\n");
    let out = keepopen(&["posture", &p, "--json"], r.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let licence = v["checks"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "posture-licence"))
        .cloned();
    assert_eq!(
        licence.map(|c| c["status"].clone()),
        Some(serde_json::json!("pass"))
    );
}

#[test]
fn workflow_audits_and_posture_are_findings_when_asked_for() {
    let mut r = Repo::new();
    r.write(".github/workflows/triage.yml", WORKFLOW);
    r.commit("workflow");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(
        (code, findings(&v).len()),
        (0, 0),
        "not run by default: {v:#}"
    );
    let (code, v) = scan_json(r.path(), &["--detectors", "workflows", "--no-history"]);
    assert_eq!(code, 1, "{v:#}");
    let fs = findings(&v);
    let inj = fs
        .iter()
        .find(|f| f["rule"] == "workflow-template-injection")
        .expect("template injection");
    assert_eq!(inj["path"], ".github/workflows/triage.yml");
    assert_eq!(inj["line"], 11);
    assert_eq!(inj["category"], "posture");
    let (_, v) = scan_json(r.path(), &["--detectors", "posture", "--no-history"]);
    let rules: Vec<String> = findings(&v)
        .iter()
        .filter_map(|f| f["rule"].as_str().map(String::from))
        .collect();
    assert!(
        rules.contains(&"posture-security-policy".to_string()),
        "{rules:?}"
    );
    assert!(rules.iter().all(|r| r.starts_with("posture-")), "{rules:?}");
}
