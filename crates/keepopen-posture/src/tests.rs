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

#[test]
fn aggregate_weights_scores() {
    let r = |id, score| CheckResult {
        id,
        status: Status::Pass,
        score,
        evidence: Vec::new(),
        fix: "",
    };
    assert_eq!(aggregate(&[]), None);
    assert_eq!(aggregate(&[r("posture-ownership", None)]), None);
    // High 7.5 at 10 and Low 2.5 at 0: 75 / 10.
    let got = aggregate(&[
        r("posture-binary-artifacts", Some(10)),
        r("posture-licence", Some(0)),
    ]);
    assert_eq!(got, Some(7.5));
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
        "FROM rust@sha256:0123 AS b\nFROM scratch\n",
    )?;
    let ci = "steps:\n  - run: gitleaks detect\n  - uses: github/codeql-action/analyze@v3\n  - run: cargo test\n";
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
