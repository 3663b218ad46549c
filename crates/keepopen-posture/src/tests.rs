//! Whole-crate behaviour: the registry, the aggregate, and bad input.

use super::*;

#[test]
fn registry_ids_are_unique_and_prefixed() {
    let ids: Vec<_> = checks().iter().map(|c| c.id()).collect();
    assert_eq!(ids.len(), 8);
    for id in &ids {
        assert!(id.starts_with("posture-"));
        assert!(weight(id) > 0.0);
        assert_eq!(ids.iter().filter(|i| *i == id).count(), 1);
    }
}

#[test]
fn run_all_returns_one_result_per_check_in_order() {
    let results = run_all(&Tree::from_files(Vec::new()));
    let ids: Vec<_> = results.iter().map(|r| r.id).collect();
    let expected: Vec<_> = checks().iter().map(|c| c.id()).collect();
    assert_eq!(ids, expected);
}

fn scored(id: &'static str, score: Option<u8>) -> CheckResult {
    CheckResult {
        id,
        status: Status::Pass,
        score,
        evidence: Vec::new(),
        fix: "",
    }
}

#[test]
fn weights_are_scorecard_risk_levels() {
    // docs/checks/internal/checks.yaml: Maintained, Dependency-Update-Tool
    // and Binary-Artifacts are High; Pinned-Dependencies, SAST and
    // Security-Policy Medium; License Low.
    let got: Vec<_> = [
        "posture-binary-artifacts",
        "posture-dependency-automation",
        "posture-maintained",
        "posture-pinned-dependencies",
        "posture-ci-hygiene",
        "posture-security-policy",
        "posture-licence",
        "posture-unknown",
    ]
    .map(weight)
    .to_vec();
    assert_eq!(got, [7.5, 7.5, 7.5, 5.0, 5.0, 5.0, 2.5, 0.0]);
}

#[test]
fn aggregate_weights_scores() {
    assert_eq!(aggregate(&[]), None);
    assert_eq!(aggregate(&[scored("posture-ownership", None)]), None);
    // High 7.5 at 10 and Low 2.5 at 0: 75 / 10.
    let got = aggregate(&[
        scored("posture-binary-artifacts", Some(10)),
        scored("posture-licence", Some(0)),
    ]);
    assert_eq!(got, Some(7.5));
    // Scorecard's sum of weight × score over the sum of weights, unrounded:
    // (7.5 × 9 + 5 × 6 + 2.5 × 9 + 7.5 × 0) / 22.5 = 120 / 22.5.
    let mut results = vec![
        scored("posture-binary-artifacts", Some(9)),
        scored("posture-security-policy", Some(6)),
        scored("posture-licence", Some(9)),
        scored("posture-maintained", Some(0)),
        // Inconclusive results and unscored checks do not count.
        scored("posture-pinned-dependencies", None),
        scored("posture-committed-env-and-dumps", None),
    ];
    let want = 120.0 / 22.5;
    assert!(aggregate(&results).is_some_and(|a| (a - want).abs() < 1e-12));
    results[0].status = Status::NotApplicable;
    // Without binary artifacts: 52.5 / 15.
    assert_eq!(aggregate(&results), Some(3.5));
}

#[test]
fn bad_input_never_panics() {
    let files = vec![
        (
            "README.md".to_owned(),
            vec![0xff, 0xfe, 0x00, 0x7f, b'E', b'L', b'F'],
        ),
        ("CODEOWNERS".to_owned(), Vec::new()),
        ("SECURITY.md".to_owned(), vec![0xc3, 0x28, b'@', 0xa0]),
        ("LICENSE".to_owned(), vec![0x80; 4096]),
        (".github/dependabot.yml".to_owned(), vec![0xff; 10]),
        (
            ".github/workflows/ci.yml".to_owned(),
            b"run: cargo test \xff\xfe".to_vec(),
        ),
        (
            "Dockerfile".to_owned(),
            b"FROM\nFROM \xff\nRUN curl |".to_vec(),
        ),
        ("x.exe".to_owned(), Vec::new()),
        ("dump.sql".to_owned(), vec![0xff; 3]),
        ("".to_owned(), Vec::new()),
        ("a/".to_owned(), Vec::new()),
    ];
    let tree = Tree::from_files(files);
    let results = run_all(&tree);
    assert_eq!(results.len(), 8);
    let _ = maintained(Some(0), Some(1), i64::MIN, &tree);
    let _ = maintained(Some(i64::MAX), None, i64::MIN, &tree);
    assert!(aggregate(&results).is_some());
}

fn statuses(results: &[CheckResult]) -> Vec<(&'static str, Status)> {
    results.iter().map(|r| (r.id, r.status)).collect()
}

#[test]
fn from_dir_well_kept_repository_passes_everything() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    std::fs::create_dir_all(root.join(".github/workflows"))?;
    std::fs::create_dir_all(root.join(".git"))?;
    std::fs::create_dir_all(root.join("node_modules/x"))?;
    std::fs::write(root.join(".git/evil.exe"), b"MZ\0\0")?;
    std::fs::write(root.join("node_modules/x/.env"), "X=1")?;
    std::fs::write(root.join(".github/CODEOWNERS"), "* @org/team\n")?;
    std::fs::write(
        root.join("SECURITY.md"),
        "Report vulnerabilities to security@example.gov.uk; we disclose them once fixed.",
    )?;
    std::fs::write(
        root.join("LICENSE"),
        "Permission is hereby granted, free of charge, to any person obtaining a copy",
    )?;
    let dependabot = "updates:\n  - package-ecosystem: cargo\n  - package-ecosystem: github-actions\n  - package-ecosystem: docker\n";
    std::fs::write(root.join(".github/dependabot.yml"), dependabot)?;
    std::fs::write(root.join("Cargo.lock"), "")?;
    std::fs::write(
        root.join("Dockerfile"),
        format!("FROM rust@sha256:{} AS b\nFROM scratch\n", "0a".repeat(32)),
    )?;
    let ci = format!(
        "steps:\n  - run: gitleaks detect\n  - uses: github/codeql-action/analyze@{}\n  - run: cargo test\n",
        "1f".repeat(20)
    );
    std::fs::write(root.join(".github/workflows/ci.yml"), ci)?;
    std::fs::write(root.join(".env.example"), "X=\n")?;
    let tree = Tree::from_dir(root)?;
    let results = run_all(&tree);
    assert!(
        statuses(&results).iter().all(|(_, s)| *s == Status::Pass),
        "{results:#?}"
    );
    assert_eq!(aggregate(&results), Some(10.0));
    assert_eq!(maintained(None, Some(20), 0, &tree).status, Status::Pass);
    Ok(())
}

#[test]
fn from_dir_neglected_repository_fails_everything() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    std::fs::create_dir_all(root.join("bin"))?;
    std::fs::write(
        root.join("README.md"),
        "# Old tool\n\nThis project is no longer maintained.\n",
    )?;
    std::fs::write(root.join("SECURITY.md"), "Be careful.")?;
    std::fs::write(root.join("LICENSE"), "All rights reserved.")?;
    std::fs::write(root.join("package-lock.json"), "{}")?;
    std::fs::write(root.join("bin/tool"), b"\x7fELF\x02\x01\x01")?;
    std::fs::write(root.join("Dockerfile"), "FROM node:22\nRUN npm install\n")?;
    std::fs::write(root.join(".env"), "X=1\n")?;
    let tree = Tree::from_dir(root)?;
    let results = run_all(&tree);
    assert!(
        statuses(&results).iter().all(|(_, s)| *s == Status::Fail),
        "{results:#?}"
    );
    let m = maintained(Some(0), Some(30), 0, &tree);
    assert_eq!((m.status, m.evidence[0].line), (Status::Fail, 3));
    Ok(())
}
