//! `posture-dependency-automation`: something proposes dependency updates,
//! for every ecosystem the repository uses.
//!
//! The score is Scorecard's Dependency-Update-Tool
//! (`checks/evaluation/dependency_update_tool.go`, files from
//! `checks/raw/dependency_update_tool.go`): 10 when a Dependabot, Renovate or
//! Scala Steward configuration is in one of the places Scorecard looks (any
//! case), otherwise 0, whatever the repository holds. Scorecard also gives
//! 10 when it finds commits by Dependabot through the hosting API; that is
//! not done here.
//!
//! PyUp (`.pyup.yml`), which Scorecard also accepts, covers pip alone.
//!
//! Passing asks more than the score: Renovate and Scala Steward cover every
//! manager they know by default, but Dependabot's `package-ecosystem:`
//! values are compared with the ecosystems the tree's lockfiles and
//! manifests show, and the check fails while any is missing. Its score is
//! then the share of ecosystems covered (a "FAIL 10/10" said nothing), and
//! the evidence says Scorecard would give 10.
//!
//! A tree with nothing to update (no lockfile, manifest, Dockerfile or
//! workflow; an R or SQL analysis, say) is not applicable, where Scorecard
//! gives 0 whatever the tree holds: there is no gap to fix.

use std::collections::BTreeSet;

use super::result;
use crate::text::{extension, file_name, is_dockerfile, lines};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

pub struct DependencyAutomation;

const ID: &str = "posture-dependency-automation";
const FIX: &str = "Add a .github/dependabot.yml with an update entry for each package ecosystem the repository uses, or a Renovate configuration.";
const ABOUT: About = About {
    id: ID,
    name: "Dependency automation",
    description: "Whether Dependabot (or PyUp, for pip) covers each package ecosystem the lockfiles use, or Renovate or Scala Steward is configured (Scorecard Dependency-Update-Tool).",
    fix: FIX,
};

const DEPENDABOT: &[&str] = &[".github/dependabot.yml", ".github/dependabot.yaml"];

/// PyUp, which Scorecard also accepts: it updates Python requirements
/// only.
const PYUP: &str = ".pyup.yml";

/// Renovate and Scala Steward configurations, in lower case.
const OTHER_TOOLS: &[(&str, &str)] = &[
    ("renovate.json", "Renovate"),
    ("renovate.json5", "Renovate"),
    (".renovaterc", "Renovate"),
    (".renovaterc.json", "Renovate"),
    (".renovaterc.json5", "Renovate"),
    (".github/renovate.json", "Renovate"),
    (".github/renovate.json5", "Renovate"),
    (".gitlab/renovate.json", "Renovate"),
    (".gitlab/renovate.json5", "Renovate"),
    (".scala-steward.conf", "Scala Steward"),
    ("scala-steward.conf", "Scala Steward"),
    (".github/.scala-steward.conf", "Scala Steward"),
    (".github/scala-steward.conf", "Scala Steward"),
    (".config/.scala-steward.conf", "Scala Steward"),
    (".config/scala-steward.conf", "Scala Steward"),
];

impl Check for DependencyAutomation {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let present = ecosystems(tree);
        let (mut config, mut pyup) = (None, None);
        for path in tree.paths() {
            let lower = path.to_ascii_lowercase();
            if let Some((_, tool)) = OTHER_TOOLS.iter().find(|(name, _)| *name == lower) {
                let ev = Evidence::new(path, 0, format!("{tool} configuration"));
                return result(ID, Status::Pass, Some(10), vec![ev], FIX);
            }
            if config.is_none() && DEPENDABOT.contains(&lower.as_str()) {
                config = Some(path);
            }
            if lower == PYUP {
                pyup = Some(path);
            }
        }
        if config.is_none() && pyup.is_none() {
            if present.is_empty() {
                // Nothing an update tool could update: no lockfile,
                // manifest, Dockerfile or workflow. Scorecard still gives
                // 0, which the evidence says, but it is not a gap.
                let ev = Evidence::new(
                    "",
                    0,
                    "no lockfile, manifest, Dockerfile or workflow for an update tool to update (Scorecard would give 0)",
                );
                return result(ID, Status::NotApplicable, None, vec![ev], FIX);
            }
            let mut ev: Vec<Evidence> = present
                .iter()
                .map(|(eco, path)| {
                    Evidence::new(
                        path.clone(),
                        0,
                        format!("{eco} dependencies, no update tool"),
                    )
                })
                .collect();
            ev.push(Evidence::new(
                "",
                0,
                "no Dependabot, Renovate, PyUp or Scala Steward configuration (Dependabot commits, which Scorecard also accepts, need the hosting API)",
            ));
            return result(ID, Status::Fail, Some(0), ev, FIX);
        }
        let mut evidence = Vec::new();
        let mut covered = BTreeSet::new();
        if let Some(path) = pyup {
            evidence.push(Evidence::new(path, 0, "PyUp covers pip"));
            covered.insert("pip".to_owned());
        }
        if let Some(config) = config {
            for (n, eco) in dependabot_entries(&tree.text(config).unwrap_or_default()) {
                evidence.push(Evidence::new(config, n, format!("Dependabot covers {eco}")));
                covered.insert(eco);
            }
        }
        let missing: Vec<&(&str, String)> = present
            .iter()
            .filter(|(eco, _)| !covered.contains(*eco))
            .collect();
        if missing.is_empty() {
            return result(ID, Status::Pass, Some(10), evidence, FIX);
        }
        let tools = match (config, pyup) {
            (Some(_), Some(_)) => "Dependabot or PyUp",
            (None, Some(_)) => "PyUp",
            _ => "Dependabot",
        };
        for (eco, path) in &missing {
            evidence.push(Evidence::new(
                path.clone(),
                0,
                format!("{eco} not covered by {tools}"),
            ));
        }
        let done = present.len() - missing.len();
        evidence.push(Evidence::new(
            "",
            0,
            format!(
                "{done} of {} ecosystems covered; Scorecard's Dependency-Update-Tool would score 10, as it asks only for a configuration",
                present.len()
            ),
        ));
        // Whole tenths covered, rounded down: 2 of 3 is 6/10.
        let score = u8::try_from(done * 10 / present.len()).unwrap_or(0);
        result(ID, Status::Fail, Some(score), evidence, FIX)
    }
}

/// Each `package-ecosystem:` of a `dependabot.yml`, with its line.
fn dependabot_entries(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (n, line) in lines(text) {
        let line = line.trim().trim_start_matches("- ").trim();
        if let Some(value) = line.strip_prefix("package-ecosystem:") {
            let eco = value
                .split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            out.push((n, eco.to_owned()));
        }
    }
    out
}

/// The Dependabot ecosystems the tree uses (`pip`, `docker`,
/// `github-actions`, …), by Dependabot's names: what a `dependabot.yml`
/// must cover.
pub fn dependabot_ecosystems(tree: &Tree) -> Vec<&'static str> {
    ecosystems(tree).into_iter().map(|(e, _)| e).collect()
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
    // Lockfiles are recognised as the dependency scan recognises them, so
    // the two never disagree on what a repository uses.
    if let Some(parser) = keepopen_lockfiles::parser_for(path) {
        if keepopen_lockfiles::is_vendored(path) {
            return None;
        }
        return dependabot_ecosystem(parser.name());
    }
    Some(match name {
        "build.gradle" | "build.gradle.kts" | "settings.gradle" | "settings.gradle.kts" => "gradle",
        _ if lower.ends_with(".csproj") => "nuget",
        _ => return None,
    })
}

/// The Dependabot ecosystem that updates a lockfile format (by the
/// lockfile parser's id), or `None` where Dependabot has none (R's renv)
/// or the file is build output (.NET `deps.json`).
fn dependabot_ecosystem(parser: &str) -> Option<&'static str> {
    Some(match parser {
        "cargo-lock" => "cargo",
        "package-lock" | "yarn-lock" | "pnpm-lock" => "npm",
        "requirements-txt" | "poetry-lock" | "pipfile-lock" | "pdm-lock" | "pylock-toml" => "pip",
        "uv-lock" => "uv",
        "gemfile-lock" => "bundler",
        "go-mod" => "gomod",
        "composer-lock" => "composer",
        "nuget-packages-config" | "nuget-packages-lock" => "nuget",
        "gradle-lockfile" => "gradle",
        "maven-pom" => "maven",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    #[test]
    fn lockfiles_are_the_dependency_scans_and_vendored_ones_do_not_count() {
        for (path, eco) in [
            ("npm-shrinkwrap.json", Some("npm")),
            ("requirements/dev.txt", Some("pip")),
            ("pdm.lock", Some("pip")),
            ("gems.locked", Some("bundler")),
            ("src/app/packages.lock.json", Some("nuget")),
            ("gradle.lockfile", Some("gradle")),
            ("Dockerfile", Some("docker")),
            ("renv.lock", None),
            ("bin/app.deps.json", None),
            ("node_modules/x/package-lock.json", None),
            (".venv/lib/requirements.txt", None),
        ] {
            assert_eq!(ecosystem_of(path), eco, "{path}");
        }
    }

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
    fn uncovered_ecosystem_fails_and_scores_the_share_covered() {
        let t = tree(&[
            (".github/dependabot.yml", DEPENDABOT),
            ("Cargo.lock", ""),
            ("web/yarn.lock", ""),
            ("api/requirements-dev.txt", ""),
            (".github/workflows/ci.yml", ""),
        ]);
        let r = DependencyAutomation.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(5)), "2 of 4");
        let notes: Vec<_> = r.evidence.iter().map(|e| e.note.as_str()).collect();
        assert!(notes.contains(&"npm not covered by Dependabot"));
        assert!(notes.contains(&"pip not covered by Dependabot"));
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("2 of 4 ecosystems covered") && n.contains("Scorecard")),
            "{notes:?}"
        );
    }

    #[test]
    fn renovate_and_scala_steward_pass_in_any_case() {
        for config in [".github/Renovate.json5", ".config/scala-steward.conf"] {
            let r = DependencyAutomation.run(&tree(&[(config, "{}"), ("go.mod", "")]));
            assert_eq!((r.status, r.score), (Status::Pass, Some(10)), "{config}");
        }
        let r = DependencyAutomation.run(&tree(&[(".github/Dependabot.YML", "")]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
    }

    #[test]
    fn pyup_covers_pip_alone() {
        let r = DependencyAutomation.run(&tree(&[
            (".pyup.yml", "update: all"),
            ("requirements.txt", ""),
        ]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
        assert_eq!(r.evidence[0].note, "PyUp covers pip");
        let r = DependencyAutomation.run(&tree(&[
            (".pyup.yml", "update: all"),
            ("requirements.txt", ""),
            (".github/workflows/ci.yml", ""),
        ]));
        assert_eq!((r.status, r.score), (Status::Fail, Some(5)));
        let notes: Vec<_> = r.evidence.iter().map(|e| e.note.as_str()).collect();
        assert!(
            notes.contains(&"github-actions not covered by PyUp"),
            "{notes:?}"
        );
        let r = DependencyAutomation.run(&tree(&[
            (".pyup.yml", ""),
            (".github/dependabot.yml", DEPENDABOT),
            ("requirements.txt", ""),
            ("Cargo.lock", ""),
            (".github/workflows/ci.yml", ""),
        ]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
    }

    #[test]
    fn no_tool_scores_zero_and_nothing_to_update_is_not_a_gap() {
        let r = DependencyAutomation.run(&tree(&[("Dockerfile", "FROM x")]));
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
        assert_eq!(r.evidence[0].note, "docker dependencies, no update tool");
        let r = DependencyAutomation.run(&tree(&[("README.md", ""), ("go.mod", "")]));
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
        assert!(r.evidence[1].note.contains("need the hosting API"));
        // R, SQL and Python scripts with no lockfile or manifest.
        let r = DependencyAutomation.run(&tree(&[
            ("analysis.R", ""),
            ("DESCRIPTION", "Package: x"),
            ("renv.lock", "{}"),
            ("q/extract.sql", ""),
        ]));
        assert_eq!((r.status, r.score), (Status::NotApplicable, None));
        assert!(r.evidence[0].note.contains("Scorecard would give 0"));
    }
}
