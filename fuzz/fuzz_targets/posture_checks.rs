//! Every posture check over arbitrary file contents: CODEOWNERS, SECURITY.md,
//! licences, Dependabot and Renovate configuration, CI configs, Dockerfiles,
//! shell scripts and requirements files come from any repository, so none of
//! them may panic a check, and every score stays within 0 to 10.
#![no_main]

use keepopen_posture::{Tree, aggregate, maintained, run_all};
use libfuzzer_sys::fuzz_target;

/// Paths the checks read by name; the fuzzed bytes are split among them.
const PATHS: &[&str] = &[
    "CODEOWNERS",
    "SECURITY.md",
    "LICENSE",
    ".github/dependabot.yml",
    "renovate.json",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    ".pre-commit-config.yaml",
    "Dockerfile",
    "scripts/setup.sh",
    "requirements.txt",
    "README.md",
    "package-lock.json",
    "tool.exe",
    "dump.sql",
];

fuzz_target!(|data: &[u8]| {
    let parts: Vec<&[u8]> = data.split(|&b| b == 0xff).collect();
    let files = PATHS
        .iter()
        .zip(parts.iter().chain(std::iter::repeat(&&b""[..])))
        .map(|(p, bytes)| ((*p).to_string(), bytes.to_vec()))
        .collect();
    let tree = Tree::from_files(files);
    let results = run_all(&tree);
    for r in &results {
        assert!(r.score.is_none_or(|s| s <= 10), "{} scored {:?}", r.id, r.score);
    }
    let m = maintained(Some(0), Some(data.len()), 1_700_000_000, &tree);
    assert!(m.score.is_none_or(|s| s <= 10));
    if let Some(a) = aggregate(&results) {
        assert!((0.0..=10.0).contains(&a), "aggregate {a}");
    }
});
