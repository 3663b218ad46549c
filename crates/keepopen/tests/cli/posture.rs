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
fn the_default_scan_reports_workflow_audits_and_the_posture_checklist() {
    let mut r = Repo::new();
    r.write(".github/workflows/triage.yml", WORKFLOW);
    r.commit("workflow");
    let (code, v) = scan_json_default(r.path(), &[]);
    assert_eq!(code, 1, "an issue title expanded into run: blocks: {v:#}");
    let fs = findings(&v);
    let inj = fs
        .iter()
        .find(|f| f["rule"] == "workflow-template-injection")
        .expect("template injection");
    assert_eq!(inj["path"], ".github/workflows/triage.yml");
    assert_eq!(inj["line"], 11);
    assert_eq!(inj["category"], "workflow");
    assert_eq!(inj["blocking"], true);
    // Failing checks are findings that never block; the whole checklist and
    // its score ride along.
    let policy = fs
        .iter()
        .find(|f| f["rule"] == "posture-security-policy")
        .expect("security policy finding");
    assert_eq!(policy["blocking"], false);
    let checks = v["posture"]["checks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(checks.len(), 9, "{:#}", v["posture"]);
    assert!(checks.iter().any(|c| c["id"] == "posture-maintained"));
    assert!(v["posture"]["aggregate"].as_f64().is_some());
    assert_eq!(v["summary"]["blocking"], 1, "{:#}", v["summary"]);
    assert_eq!(v["summary"]["workflows_fail_on"], "high");

    // The same results in Markdown and SARIF.
    let p = r.path().to_string_lossy().into_owned();
    let md = keepopen(
        &["scan", &p, "--format", "markdown", "--no-progress"],
        r.path(),
    );
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains("### Posture") && md.contains("`posture-licence` | fail"),
        "{md}"
    );
    assert!(md.contains("workflow-template-injection"), "{md}");
    let sarif = keepopen(
        &["scan", &p, "--format", "sarif", "--no-progress"],
        r.path(),
    );
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["properties"]["posture"]["checks"]
            .as_array()
            .map(Vec::len),
        Some(9)
    );
    assert!(
        run["results"]
            .to_string()
            .contains("workflow-template-injection")
    );
}

#[test]
fn unpinned_actions_inform_unless_the_workflows_threshold_says_otherwise() {
    let mut r = Repo::new();
    r.write(
        ".github/workflows/ci.yml",
        "on: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n",
    );
    r.commit("ci");
    let (code, v) = scan_json_default(r.path(), &[]);
    let unpinned = findings(&v)
        .into_iter()
        .find(|f| f["rule"] == "workflow-unpinned-uses")
        .expect("unpinned action");
    assert_eq!(
        (code, unpinned["blocking"].clone()),
        (0, false.into()),
        "{v:#}"
    );
    r.write(".keepopen.toml", "[workflows]\nfail_on = \"low\"\n");
    let (code, v) = scan_json_default(r.path(), &[]);
    assert_eq!(code, 1, "{:#}", v["summary"]);
    // Only the content detectors: no checklist at all.
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!((code, v.get("posture")), (0, None));
}

#[test]
fn bad_workflows_and_a_huge_codeowners_are_named_and_the_scan_goes_on() {
    let mut r = Repo::new();
    r.write(".github/workflows/broken.yml", "on: push\njobs:\n  a: [\n");
    r.write(
        ".github/workflows/latin1.yml",
        b"on: push # caf\xe9\njobs: {}\n",
    );
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(WORKFLOW.encode_utf16().flat_map(u16::to_le_bytes));
    r.write(".github/workflows/utf16.yml", utf16);
    r.write("CODEOWNERS", "* @org/team\n".repeat(300_000));
    r.commit("odd files");
    let (code, v) = scan_json_default(r.path(), &["--no-history"]);
    assert_eq!(code, 1, "the UTF-16 workflow is still audited: {v:#}");
    let problems = v["summary"].to_string();
    assert!(
        problems.contains(".github/workflows/broken.yml: invalid YAML at line"),
        "{problems}"
    );
    assert!(
        problems.contains(".github/workflows/latin1.yml: not UTF-8 text"),
        "{problems}"
    );
    let fs = findings(&v);
    assert!(
        fs.iter().any(|f| f["rule"] == "workflow-template-injection"
            && f["path"] == ".github/workflows/utf16.yml"
            && f["line"] == 11),
        "{fs:#?}"
    );
    let owners = v["posture"]["checks"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "posture-ownership"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(owners["status"], "fail");
    assert!(
        owners["evidence"]
            .to_string()
            .contains("GitHub ignores CODEOWNERS files of 3 MB or more"),
        "{owners:#}"
    );
}

#[test]
fn a_bare_mirror_is_checked_from_heads_files() {
    let mut r = Repo::new();
    r.write(".github/workflows/triage.yml", WORKFLOW);
    r.write("SECURITY.md", "# Security\n\nReport vulnerabilities privately to security@example.org. We disclose fixes within 90 days.\n");
    // A compiled file the binary-artifacts check reads the head of, and a
    // file past what the checks read of any one.
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(4096, 0);
    r.write("tools/helper", elf);
    r.write("data/big.txt", "x".repeat(1_500_000));
    // Past GitHub's limit: a mirror's copy is cut short, its size is not.
    r.write("CODEOWNERS", "* @org/team\n".repeat(300_000));
    r.commit("start");
    let (_mirror, bare) = r.mirror();
    let (code, from_clone) = scan_json_default(r.path(), &[]);
    let (bare_code, from_bare) = scan_json_default(&bare, &[]);
    assert_eq!((code, bare_code), (1, 1));
    let rules = |v: &serde_json::Value| -> Vec<(String, String, u64)> {
        let mut out: Vec<_> = findings(v)
            .iter()
            .filter(|f| f["category"] == "posture" || f["category"] == "workflow")
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or_default().to_string(),
                    f["path"].as_str().unwrap_or_default().to_string(),
                    f["line"].as_u64().unwrap_or_default(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let got = rules(&from_bare);
    assert!(
        got.iter()
            .any(|(r, p, l)| r == "workflow-template-injection"
                && p == ".github/workflows/triage.yml"
                && *l == 11),
        "{got:?}"
    );
    assert_eq!(got, rules(&from_clone));
    assert_eq!(
        from_bare["posture"]["checks"],
        from_clone["posture"]["checks"]
    );
    // HEAD's files reach the checks from the pipeline's read of them, also
    // when no detector reads current files: the same checklist.
    let (_, v) = scan_json_default(&bare, &["--detectors", "posture"]);
    assert_eq!(v["posture"]["checks"], from_clone["posture"]["checks"]);
}

/// A HEAD too large to hand from the pipeline to the checks (over 16 MiB)
/// is read by the checks themselves: the same checklist as a clone's.
#[test]
fn a_bare_mirror_with_a_large_head_is_checked_from_heads_files() {
    let mut r = Repo::new();
    r.write("SECURITY.md", "# Security\n\nReport vulnerabilities privately to security@example.org. We disclose fixes within 90 days.\n");
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(4096, 0);
    r.write("tools/helper", elf);
    for i in 0..17 {
        r.write(&format!("data/zeros-{i}.dat"), vec![0u8; 1 << 20]);
    }
    r.write("CODEOWNERS", "* @org/team\n".repeat(300_000));
    r.commit("start");
    let (_mirror, bare) = r.mirror();
    let (_, from_clone) = scan_json_default(r.path(), &[]);
    let (_, from_bare) = scan_json_default(&bare, &[]);
    let checks = &from_bare["posture"]["checks"];
    for said in [
        "binary artifact (no extension, ELF)",
        "GitHub ignores CODEOWNERS files of 3 MB or more",
    ] {
        assert!(checks.to_string().contains(said), "{said}: {checks:#}");
    }
    assert_eq!(*checks, from_clone["posture"]["checks"]);
}

/// Issue 11: a failing check about the repository as a whole (no
/// SECURITY.md, no licence) was a SARIF result at uri `.`, which GitHub
/// code scanning does not show. It points at the README now, a CI check at
/// the workflow; JSON keeps `.` and the fingerprint it had.
#[test]
fn sarif_results_about_the_repository_point_at_a_file() {
    let mut r = Repo::new();
    r.write("README.md", "# demo\n");
    r.write("src/app.py", "print(1)\n");
    r.write(".github/workflows/triage.yml", WORKFLOW);
    r.commit("readme, code and a workflow");
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(
        &["scan", &p, "--format", "sarif", "--no-progress"],
        r.path(),
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let uri_of = |rule: &str| {
        results
            .iter()
            .find(|x| x["ruleId"] == rule)
            .map(|x| x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone())
    };
    for x in &results {
        let uri = x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        assert!(!matches!(uri, "" | "." | "./"), "{x:#}");
    }
    assert_eq!(uri_of("posture-security-policy"), Some("README.md".into()));
    assert_eq!(uri_of("posture-licence"), Some("README.md".into()));
    let (_, v) = scan_json_default(r.path(), &[]);
    let policy = findings(&v)
        .into_iter()
        .find(|f| f["rule"] == "posture-security-policy")
        .expect("security policy finding");
    assert_eq!(policy["path"], ".");
    let fp = sarif["runs"][0]["results"]
        .as_array()
        .and_then(|rs| rs.iter().find(|x| x["ruleId"] == "posture-security-policy"))
        .map(|x| x["partialFingerprints"]["primaryLocationLineHash"].clone())
        .expect("fingerprint");
    assert_eq!(
        fp,
        format!("{}:1", policy["fingerprint"].as_str().unwrap_or(""))
    );
}
