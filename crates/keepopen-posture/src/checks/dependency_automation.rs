//! `posture-dependency-automation`: something proposes dependency updates,
//! for every ecosystem the repository uses.
//!
//! Scorecard's Dependency-Update-Tool scores 10 for a Dependabot or Renovate
//! configuration. Renovate covers every manager it knows by default, so it
//! passes outright; for Dependabot the `package-ecosystem:` values are
//! compared with the ecosystems the tree's lockfiles and manifests show, and
//! the score falls to the covered share when some are missing.

use std::collections::BTreeSet;

use super::result;
use crate::text::{extension, file_name, is_dockerfile, lines};
use crate::{Check, CheckResult, Evidence, Status, Tree};

pub struct DependencyAutomation;

const ID: &str = "posture-dependency-automation";
const FIX: &str = "Add a .github/dependabot.yml with an update entry for each package ecosystem the repository uses, or a Renovate configuration.";

const RENOVATE: &[&str] = &[
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
];

impl Check for DependencyAutomation {
    fn id(&self) -> &'static str {
        ID
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let present = ecosystems(tree);
        if let Some(path) = RENOVATE.iter().find(|p| tree.contains(p)) {
            let ev = Evidence::new(*path, 0, "Renovate configuration");
            return result(ID, Status::Pass, Some(10), vec![ev], FIX);
        }
        let config = [".github/dependabot.yml", ".github/dependabot.yaml"]
            .into_iter()
            .find(|p| tree.contains(p));
        let Some(config) = config else {
            if present.is_empty() {
                return result(ID, Status::NotApplicable, None, Vec::new(), FIX);
            }
            let ev = present
                .iter()
                .map(|(eco, path)| {
                    Evidence::new(
                        path.clone(),
                        0,
                        format!("{eco} dependencies, no update tool"),
                    )
                })
                .collect();
            return result(ID, Status::Fail, Some(0), ev, FIX);
        };
        let text = tree.text(config).unwrap_or_default();
        let mut evidence = Vec::new();
        let mut covered = BTreeSet::new();
        for (n, line) in lines(&text) {
            let line = line.trim().trim_start_matches("- ").trim();
            if let Some(value) = line.strip_prefix("package-ecosystem:") {
                let eco = value
                    .split('#')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\'']);
                evidence.push(Evidence::new(config, n, format!("Dependabot covers {eco}")));
                covered.insert(eco.to_owned());
            }
        }
        let missing: Vec<_> = present
            .iter()
            .filter(|(eco, _)| !covered.contains(*eco))
            .collect();
        for (eco, path) in &missing {
            evidence.push(Evidence::new(
                path.clone(),
                0,
                format!("{eco} not covered by Dependabot"),
            ));
        }
        if missing.is_empty() {
            return result(ID, Status::Pass, Some(10), evidence, FIX);
        }
        let share = (present.len() - missing.len()) * 10 / present.len();
        result(
            ID,
            Status::Fail,
            Some(u8::try_from(share).unwrap_or(0)),
            evidence,
            FIX,
        )
    }
}

/// Each Dependabot ecosystem the tree uses, with the first file showing it.
fn ecosystems(tree: &Tree) -> Vec<(&'static str, String)> {
    let mut found: Vec<(&'static str, String)> = Vec::new();
    for path in tree.paths() {
        let Some(eco) = ecosystem_of(path) else {
            continue;
        };
        if !found.iter().any(|(e, _)| *e == eco) {
            found.push((eco, path.to_owned()));
        }
    }
    found.sort();
    found
}

fn ecosystem_of(path: &str) -> Option<&'static str> {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    if path.starts_with(".github/workflows/")
        && matches!(extension(path).as_deref(), Some("yml" | "yaml"))
    {
        return Some("github-actions");
    }
    if is_dockerfile(path) {
        return Some("docker");
    }
    Some(match name {
        "Cargo.lock" => "cargo",
        "package-lock.json" | "yarn.lock" | "pnpm-lock.yaml" => "npm",
        "poetry.lock" | "Pipfile.lock" => "pip",
        "uv.lock" => "uv",
        "Gemfile.lock" => "bundler",
        "go.mod" => "gomod",
        "composer.lock" => "composer",
        "packages.config" => "nuget",
        "pom.xml" => "maven",
        "build.gradle" | "build.gradle.kts" | "settings.gradle" | "settings.gradle.kts" => "gradle",
        _ if lower.starts_with("requirements") && lower.ends_with(".txt") => "pip",
        _ if lower.ends_with(".csproj") => "nuget",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const DEPENDABOT: &str = "version: 2\nupdates:\n  - package-ecosystem: \"cargo\"\n    directory: /\n  - package-ecosystem: github-actions # ci\n";

    #[test]
    fn full_coverage_passes() {
        let t = tree(&[
            (".github/dependabot.yml", DEPENDABOT),
            ("Cargo.lock", ""),
            (".github/workflows/ci.yml", ""),
        ]);
        let r = DependencyAutomation.run(&t);
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
        assert_eq!(r.evidence[0].line, 3);
    }

    #[test]
    fn uncovered_ecosystem_is_partial() {
        let t = tree(&[
            (".github/dependabot.yml", DEPENDABOT),
            ("Cargo.lock", ""),
            ("web/yarn.lock", ""),
            ("api/requirements-dev.txt", ""),
            (".github/workflows/ci.yml", ""),
        ]);
        let r = DependencyAutomation.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(5)));
        let notes: Vec<_> = r.evidence.iter().map(|e| e.note.as_str()).collect();
        assert!(notes.contains(&"npm not covered by Dependabot"));
        assert!(notes.contains(&"pip not covered by Dependabot"));
    }

    #[test]
    fn renovate_passes() {
        let r =
            DependencyAutomation.run(&tree(&[(".github/renovate.json5", "{}"), ("go.mod", "")]));
        assert_eq!(r.status, Status::Pass);
    }

    #[test]
    fn no_tool_fails_and_nothing_to_update_is_not_applicable() {
        let r = DependencyAutomation.run(&tree(&[("Dockerfile", "FROM x")]));
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
        let r = DependencyAutomation.run(&tree(&[("README.md", "")]));
        assert_eq!(r.status, Status::NotApplicable);
    }
}
