//! `posture-ci-hygiene`: CI runs the automated hygiene GDS asks for.
//!
//! Reads every CI configuration (GitHub workflows, Azure Pipelines, GitLab
//! CI, pre-commit, CircleCI, Jenkins) for four categories: secret scanning,
//! dependency scanning, static analysis and tests. A Dependabot
//! configuration also counts as dependency scanning. The check passes when
//! all four are present.
//!
//! The score is Scorecard's SAST (`checks/evaluation/sast.go`) as Scorecard
//! computes it without a hosting API: 10 when a tool it recognises is
//! configured — a GitHub workflow step using `github/codeql-action/analyze`,
//! `snyk/actions/…`, `facebook/pysa-action`, `JetBrains/qodana-action` or
//! `hadolint/hadolint-action`, or a `pom.xml` naming `sonar.host.url` —
//! otherwise 0. Online, Scorecard also scores the share of recent merged
//! pull requests whose checks ran a SAST tool (weighted 3 to CodeQL's 7);
//! that needs the hosting API and is not approximated. Other static
//! analysers (Semgrep, Bandit, SonarCloud steps) satisfy the category but
//! not the score. Scorecard's CI-Tests reads pull-request checks, so it has
//! no offline score; the tests category here is keepopen's own.

use std::sync::LazyLock;

use regex::Regex;

use super::result;
use crate::text::{file_name, is_ci_config, lines};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

pub struct CiHygiene;

const ID: &str = "posture-ci-hygiene";
const FIX: &str = "Run secret scanning, dependency scanning, static analysis and the tests in CI on every change.";
const ABOUT: About = About {
    id: ID,
    name: "CI hygiene",
    description: "Whether CI runs secret scanning, dependency scanning, static analysis and tests on every change (Scorecard SAST, as far as files show it).",
    fix: FIX,
};

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
                r"(?i)(github/codeql-action|\bsemgrep\b|\bbandit\b|\bsonarcloud\b|\bsonarqube\b|sonarsource/|\bsnyk code\b|\bsnyk/actions/|facebook/pysa-action|jetbrains/qodana-action|hadolint/hadolint-action)",
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

/// The actions Scorecard's SAST check recognises, by name without `@ref`.
static SAST_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(github/codeql-action/analyze|snyk/actions/.*|facebook/pysa-action|JetBrains/qodana-action|hadolint/hadolint-action)$",
    )
});
static USES: LazyLock<Regex> = LazyLock::new(|| re(r#"^\s*(?:-\s+)?uses:\s*["']?([^"'@\s#]+)"#));
static SONAR: LazyLock<Regex> =
    LazyLock::new(|| re(r"<sonar\.host\.url>\s*(\S+)\s*</sonar\.host\.url>"));

/// The first SAST tool Scorecard would find in the files: path, line, name.
fn scorecard_sast(tree: &Tree) -> Option<(String, u32, String)> {
    for path in tree.paths() {
        let lower = path.to_ascii_lowercase();
        let workflow = lower.starts_with(".github/workflows/")
            && (lower.ends_with(".yml") || lower.ends_with(".yaml"));
        if workflow {
            let Some(text) = tree.text(path) else {
                continue;
            };
            let hit = lines(&text).find_map(|(n, l)| {
                let name = USES.captures(l)?.get(1)?.as_str();
                let name = name.trim_start_matches("actions://");
                SAST_ACTION.is_match(name).then(|| (n, name.to_owned()))
            });
            if let Some((n, name)) = hit {
                return Some((path.to_owned(), n, name));
            }
        } else if file_name(&lower) == "pom.xml" {
            let Some(text) = tree.text(path) else {
                continue;
            };
            if let Some(m) = SONAR.find(&text) {
                let n = text[..m.start()].matches('\n').count() + 1;
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                return Some((path.to_owned(), n, "Sonar (sonar.host.url)".to_owned()));
            }
        }
    }
    None
}

impl Check for CiHygiene {
    fn about(&self) -> &'static About {
        &ABOUT
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
        let sast = scorecard_sast(tree);
        let score = if let Some((path, n, name)) = sast {
            found[2] = true;
            let note = format!("SAST score 10: {name}, a tool Scorecard recognises");
            evidence.push(Evidence::new(path, n, note));
            10
        } else {
            let note = "SAST score 0: no tool Scorecard's SAST check recognises is configured";
            evidence.push(Evidence::new("", 0, note));
            0
        };
        let present = found.iter().filter(|f| **f).count();
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

    const WORKFLOW: &str = "jobs:\n  test:\n    steps:\n      - uses: github/codeql-action/init@v3\n      - uses: gitleaks/gitleaks-action@v2\n      - run: pip-audit\n      - run: pytest -q\n      - uses: 'github/codeql-action/analyze@v3' # sast\n";

    #[test]
    fn all_four_pass_and_codeql_scores_ten() {
        let r = CiHygiene.run(&tree(&[(".github/workflows/ci.yml", WORKFLOW)]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
        let lines: Vec<_> = r.evidence.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 6, 4, 7, 8]);
        assert!(r.evidence[4].note.contains("github/codeql-action/analyze"));
    }

    #[test]
    fn sast_score_is_ten_or_zero_whatever_else_is_missing() {
        let t = tree(&[(
            ".github/workflows/lint.yaml",
            "steps:\n  - uses: hadolint/hadolint-action@v3\n",
        )]);
        let r = CiHygiene.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(10)));
        // Semgrep and CodeQL's init step satisfy the category, not the score.
        let t = tree(&[(
            ".github/workflows/ci.yml",
            "steps:\n  - uses: github/codeql-action/init@v3\n  - run: semgrep ci\n",
        )]);
        let r = CiHygiene.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
        assert!(
            r.evidence
                .iter()
                .any(|e| e.note.starts_with("static analysis"))
        );
        assert!(
            !r.evidence
                .iter()
                .any(|e| e.note == "no static analysis found in CI")
        );
    }

    #[test]
    fn sonar_in_pom_scores_ten() {
        let pom = "<project>\n  <properties>\n    <sonar.host.url>https://sonarcloud.io</sonar.host.url>\n";
        let r = CiHygiene.run(&tree(&[("svc/pom.xml", pom)]));
        assert_eq!(r.score, Some(10));
        assert_eq!(
            (r.evidence[0].path.as_str(), r.evidence[0].line),
            ("svc/pom.xml", 3)
        );
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
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
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
        assert!(!r.evidence.iter().any(|e| e.note.starts_with("tests:")));
    }

    #[test]
    fn dependabot_config_counts_as_dependency_scanning() {
        let t = tree(&[
            (".github/dependabot.yml", "version: 2\n"),
            ("Jenkinsfile", "sh 'mvn -B test'\n"),
        ]);
        let r = CiHygiene.run(&t);
        assert!(
            r.evidence
                .iter()
                .any(|e| e.note == "dependency scanning: dependabot")
        );
        assert!(r.evidence.iter().any(|e| e.note == "tests: mvn -B test"));
    }
}
