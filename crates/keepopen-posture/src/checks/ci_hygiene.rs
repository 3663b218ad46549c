//! `posture-ci-hygiene`: CI runs the automated hygiene GDS asks for.
//!
//! Reads every CI configuration (GitHub workflows, Azure Pipelines, GitLab
//! CI, pre-commit, CircleCI, Jenkins) for four categories: secret scanning,
//! dependency scanning, static analysis (the tools Scorecard's SAST check
//! recognises) and tests (Scorecard's CI-Tests, read from configuration
//! rather than pull-request history). A Dependabot configuration also counts
//! as dependency scanning. The score is 2.5 per category present, rounded;
//! the check passes when all four are.

use std::sync::LazyLock;

use regex::Regex;

use super::result;
use crate::text::{is_ci_config, lines};
use crate::{Check, CheckResult, Evidence, Status, Tree};

pub struct CiHygiene;

const ID: &str = "posture-ci-hygiene";
const FIX: &str = "Run secret scanning, dependency scanning, static analysis and the tests in CI on every change.";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|_| unreachable!())
}

static CATEGORIES: LazyLock<[(&str, Regex); 4]> = LazyLock::new(|| {
    [
        (
            "secret scanning",
            re(
                r"(?i)\b(gitleaks|trufflehog|detect-secrets|keepopen|git-secrets|noseyparker|kingfisher)\b",
            ),
        ),
        (
            "dependency scanning",
            re(
                r"(?i)\b(dependabot|osv-scanner|pip-audit|npm audit|yarn audit|pnpm audit|trivy|snyk|safety (check|scan)|pyupio/safety|cargo[- ]audit|cargo[- ]deny|govulncheck|bundler-audit|dependency-review-action|dependency-check)\b",
            ),
        ),
        (
            "static analysis",
            re(
                r"(?i)(github/codeql-action|\bsemgrep\b|\bbandit\b|\bsonarcloud\b|\bsonarqube\b|sonarsource/|\bsnyk code\b|\bsnyk/actions/\S*code)",
            ),
        ),
        (
            "tests",
            re(
                r"(?i)\b(pytest|npm (run )?test|yarn test|pnpm test|cargo test|cargo nextest|go test|dotnet test|r cmd check|rcmdcheck|check-r-package|testthat|tox|nox|jest|vitest|mvn (\S+ )*(test|verify)|gradlew? (\S+ )*(test|check)|rspec|phpunit)\b",
            ),
        ),
    ]
});

impl Check for CiHygiene {
    fn id(&self) -> &'static str {
        ID
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let categories = &*CATEGORIES;
        let mut found = [false; 4];
        let mut evidence = Vec::new();
        for path in tree.paths().filter(|p| is_ci_config(p)) {
            let Some(text) = tree.text(path) else {
                continue;
            };
            for (i, (name, pattern)) in categories.iter().enumerate() {
                let hit = lines(&text)
                    .filter(|(_, l)| !l.trim_start().starts_with('#'))
                    .find_map(|(n, l)| pattern.find(l).map(|m| (n, m.as_str().to_owned())));
                if let Some((n, what)) = hit {
                    found[i] = true;
                    evidence.push(Evidence::new(path, n, format!("{name}: {what}")));
                }
            }
        }
        for path in [".github/dependabot.yml", ".github/dependabot.yaml"] {
            if tree.contains(path) {
                found[1] = true;
                evidence.push(Evidence::new(path, 0, "dependency scanning: dependabot"));
            }
        }
        let present = found.iter().filter(|f| **f).count();
        let score = u8::try_from((present * 10 + 2) / 4).unwrap_or(10);
        let status = if present == 4 {
            Status::Pass
        } else {
            Status::Fail
        };
        for (i, (name, _)) in categories.iter().enumerate() {
            if !found[i] {
                evidence.push(Evidence::new("", 0, format!("no {name} found in CI")));
            }
        }
        result(ID, status, Some(score), evidence, FIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const WORKFLOW: &str = "jobs:\n  test:\n    steps:\n      - uses: github/codeql-action/init@v3\n      - uses: gitleaks/gitleaks-action@v2\n      - run: pip-audit\n      - run: pytest -q\n";

    #[test]
    fn all_four_pass() {
        let r = CiHygiene.run(&tree(&[(".github/workflows/ci.yml", WORKFLOW)]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
        let lines: Vec<_> = r.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 6, 4, 7]);
    }

    #[test]
    fn categories_across_files_add_up() {
        let t = tree(&[
            (
                ".pre-commit-config.yaml",
                "repos:\n  - repo: https://github.com/Yelp/detect-secrets\n",
            ),
            (".gitlab-ci.yml", "test:\n  script: cargo test --all\n"),
        ]);
        let r = CiHygiene.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(5)));
        assert!(
            r.evidence
                .iter()
                .any(|e| e.note == "no static analysis found in CI")
        );
    }

    #[test]
    fn comments_and_other_files_do_not_count() {
        let t = tree(&[
            (".github/workflows/ci.yml", "# run: pytest\n"),
            ("docs/ci.yml", "pytest"),
        ]);
        let r = CiHygiene.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
    }

    #[test]
    fn dependabot_config_counts_as_dependency_scanning() {
        let t = tree(&[
            (".github/dependabot.yml", "version: 2\n"),
            ("Jenkinsfile", "sh 'mvn -B test'\n"),
        ]);
        assert_eq!(CiHygiene.run(&t).score, Some(5));
    }
}
