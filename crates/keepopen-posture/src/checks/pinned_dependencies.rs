//! `posture-pinned-dependencies`: builds fetch exactly what was reviewed.
//!
//! After Scorecard's Pinned-Dependencies (`checks/raw/pinned_dependencies.go`
//! and `shell_download_validate.go`), each dependency is counted by type:
//! - GitHub Actions `uses:` in `.github/workflows/`, pinned by a full commit
//!   SHA (or `docker://…@sha256:`); local `./` actions are skipped;
//! - Dockerfile `FROM` images, pinned by `@sha256:` digest (or `${…}`), with
//!   `ARG` defaults substituted; `scratch` is skipped, and a stage reused in
//!   a later `FROM` counts again, pinned when that stage was;
//! - in Dockerfiles, CI configuration and shell scripts: `npm` installs
//!   (pinned only as `npm ci`), `pip install` (pinned with
//!   `--require-hashes`, as wheels only, or as `--no-deps` editable installs
//!   of local or commit-pinned sources), `go get`/`go install` (pinned at a
//!   full semantic version or hash), and downloads piped to an interpreter
//!   (always unpinned, unless every URL is a commit-pinned
//!   raw.githubusercontent.com file).
//!
//! keepopen's addition: `pip install -r FILE` counts as pinned when FILE
//! carries `--hash=`, since pip then checks every hash; Scorecard counts it
//! unpinned. keepopen also reads GitLab, Azure, CircleCI, Jenkins and
//! pre-commit files, which Scorecard does not, and does not count
//! Chocolatey or NuGet commands, which Scorecard does.
//!
//! The score is Scorecard's (`checks/evaluation/pinned_dependencies.go`):
//! every dependency weighs 10, except that when both GitHub-owned
//! (`actions/…`, `github/…`) and third-party actions are present they weigh
//! 2 and 8; the score is `10 × pinned weight / total weight`, rounded down.
//! With nothing to count the check does not apply, as Scorecard's result is
//! inconclusive.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::result;
use crate::text::{extension, file_name, is_ci_config, is_dockerfile, lines};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

mod commands;

pub struct PinnedDependencies;

const ID: &str = "posture-pinned-dependencies";
const FIX: &str = "Pin actions by commit SHA and base images by digest, install with npm ci or pip --require-hashes, and verify downloads instead of piping them to a shell.";
const ABOUT: About = About {
    id: ID,
    name: "Pinned dependencies",
    description: "Whether actions, base images and installs are pinned by hash or digest, and nothing fetched from the network is piped to a shell (Scorecard Pinned-Dependencies).",
    fix: FIX,
};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|_| unreachable!())
}

static DIGEST: LazyLock<Regex> = LazyLock::new(|| re(r"@sha256:([a-f0-9]{64}|\$\{.*\})"));
static USES: LazyLock<Regex> = LazyLock::new(|| re(r#"^\s*(?:-\s+)?uses:\s*["']?([^"'\s#]+)"#));
static ACTION_SHA: LazyLock<Regex> = LazyLock::new(|| re(r"@[a-fA-F0-9]{40,}"));
static DOCKER_ACTION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^docker://.*@sha256:[a-fA-F0-9]{64}"));

/// Scorecard's dependency types, with actions split by owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    GitHubOwnedAction,
    ThirdPartyAction,
    ContainerImage,
    DownloadThenRun,
    Go,
    Npm,
    Pip,
}

/// Every dependency counted, and evidence for each unpinned one.
#[derive(Default)]
struct Tally {
    deps: Vec<(Kind, bool)>,
    evidence: Vec<Evidence>,
}

impl Tally {
    fn add(&mut self, kind: Kind, pinned: bool, path: &str, line: u32, note: &str) {
        self.deps.push((kind, pinned));
        if !pinned {
            self.evidence.push(Evidence::new(path, line, note));
        }
    }
}

impl Check for PinnedDependencies {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut tally = Tally::default();
        for path in tree.paths() {
            let docker = is_dockerfile(path);
            let workflow = is_workflow(path);
            let Some(bytes) = tree.bytes(path) else {
                continue;
            };
            // Most files are none of these: their first line says so,
            // without reading the rest as text.
            let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
            let first = String::from_utf8_lossy(first.strip_suffix(b"\r").unwrap_or(first));
            if !docker && !is_ci_config(path) && !is_shell_script(path, &first) {
                continue;
            }
            let text = String::from_utf8_lossy(bytes);
            if docker {
                if is_template(path) {
                    continue;
                }
                dockerfile_images(path, &text, &mut tally);
            }
            if workflow {
                actions(path, &text, &mut tally);
            }
            commands::scan(tree, path, &text, &mut tally);
        }
        let Some(score) = score(&tally.deps) else {
            return result(ID, Status::NotApplicable, None, Vec::new(), FIX);
        };
        let status = if tally.evidence.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        };
        result(ID, status, Some(score), tally.evidence, FIX)
    }
}

/// Scorecard's weighted proportional score; `None` with nothing counted.
fn score(deps: &[(Kind, bool)]) -> Option<u8> {
    let mut counts: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    for (kind, pinned) in deps {
        let c = counts.entry(*kind).or_default();
        c.0 += usize::from(*pinned);
        c.1 += 1;
    }
    let both_owners = counts.contains_key(&Kind::GitHubOwnedAction)
        && counts.contains_key(&Kind::ThirdPartyAction);
    let (mut pinned, mut total) = (0, 0);
    for (kind, (p, t)) in counts {
        let weight = match kind {
            Kind::GitHubOwnedAction if both_owners => 2,
            Kind::ThirdPartyAction if both_owners => 8,
            _ => 10,
        };
        pinned += p * weight;
        total += t * weight;
    }
    (total > 0).then(|| u8::try_from((10 * pinned / total).min(10)).unwrap_or(10))
}

fn is_workflow(path: &str) -> bool {
    path.starts_with(".github/workflows/")
        && matches!(extension(path).as_deref(), Some("yml" | "yaml"))
}

/// Scorecard's shell scripts: a `sh`, `bash` or `mksh` shebang, or with no
/// shebang one of those extensions.
fn is_shell_script(path: &str, text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let Some(shebang) = first.strip_prefix("#!") else {
        return matches!(extension(path).as_deref(), Some("sh" | "bash" | "mksh"));
    };
    let mut words = shebang.split(' ').map(file_name);
    let first = words.next().unwrap_or("");
    let shell = |w: &str| matches!(w, "sh" | "bash" | "mksh");
    shell(first) || (first == "env" && words.next().is_some_and(shell))
}

/// Scorecard skips Dockerfiles named as templates.
fn is_template(path: &str) -> bool {
    file_name(path)
        .split(['.', '-', '_'])
        .any(|p| matches!(p.to_ascii_lowercase().as_str(), "template" | "tmpl" | "tpl"))
}

fn actions(path: &str, text: &str, tally: &mut Tally) {
    for (n, line) in lines(text) {
        let Some(uses) = USES.captures(line).and_then(|c| c.get(1)) else {
            continue;
        };
        let uses = uses.as_str();
        if uses.starts_with("./") {
            continue;
        }
        let pinned = ACTION_SHA.is_match(uses) || DOCKER_ACTION.is_match(uses);
        let kind = if uses.starts_with("actions/") || uses.starts_with("github/") {
            Kind::GitHubOwnedAction
        } else {
            Kind::ThirdPartyAction
        };
        let note = format!("action {uses} not pinned by commit SHA");
        tally.add(kind, pinned, path, n, &note);
    }
}

fn dockerfile_images(path: &str, text: &str, tally: &mut Tally) {
    let mut args: BTreeMap<String, String> = BTreeMap::new();
    let mut stages: BTreeMap<String, bool> = BTreeMap::new();
    for (n, line) in lines(text) {
        let mut words = line.split_whitespace();
        let Some(instruction) = words.next() else {
            continue;
        };
        if instruction.eq_ignore_ascii_case("ARG") {
            for (k, v) in words.filter_map(|w| w.split_once('=')) {
                args.insert(k.to_owned(), v.to_owned());
            }
            continue;
        }
        if !instruction.eq_ignore_ascii_case("FROM") {
            continue;
        }
        let values: Vec<String> = words
            .skip_while(|w| w.starts_with("--"))
            .map(|w| {
                args.iter()
                    .fold(w.to_owned(), |w, (k, v)| w.replace(&format!("${{{k}}}"), v))
            })
            .collect();
        let Some(image) = values.first() else {
            continue;
        };
        let alias = (values.len() == 3 && values[1].eq_ignore_ascii_case("AS"))
            .then(|| values[2].to_ascii_lowercase());
        if image.eq_ignore_ascii_case("scratch") {
            if let Some(alias) = alias {
                stages.insert(alias, true);
            }
            continue;
        }
        let pinned =
            stages.get(&image.to_ascii_lowercase()) == Some(&true) || DIGEST.is_match(image);
        if let Some(alias) = alias {
            stages.insert(alias, pinned);
        }
        let note = format!("image {image} not pinned by digest");
        tally.add(Kind::ContainerImage, pinned, path, n, &note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const D: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    fn run(files: &[(&str, &str)]) -> (Status, Option<u8>) {
        let r = PinnedDependencies.run(&tree(files));
        (r.status, r.score)
    }

    #[test]
    fn score_weights_items_and_splits_action_owners() {
        use Kind::*;
        // Plain share, rounded down: 2 of 3 is 6, not 7.
        let deps = [(Npm, true), (Pip, true), (ContainerImage, false)];
        assert_eq!(score(&deps), Some(6));
        // Each item weighs the same whatever its type: 1 of 4 is 2.
        let deps = [(Npm, true), (Pip, false), (Pip, false), (Pip, false)];
        assert_eq!(score(&deps), Some(2));
        // Both owners: GitHub-owned weigh 2, third-party 8: 10 × 8 / 10.
        let deps = [(GitHubOwnedAction, false), (ThirdPartyAction, true)];
        assert_eq!(score(&deps), Some(8));
        // Plus 10 pinned images: 10 × (8 + 100) / (10 + 100) = 9.8, so 9.
        let mut deps = deps.to_vec();
        deps.extend([(ContainerImage, true); 10]);
        assert_eq!(score(&deps), Some(9));
        // GitHub-owned alone weigh 10 each: 1 of 2 is 5.
        let deps = [(GitHubOwnedAction, false), (GitHubOwnedAction, true)];
        assert_eq!(score(&deps), Some(5));
        assert_eq!(score(&[]), None);
    }

    #[test]
    fn dockerfile_stages_args_and_digests() {
        let docker = format!(
            "ARG BASE=node:22@sha256:{D}\nFROM ${{BASE}} AS build\nRUN npm ci\nFROM build AS test\nFROM scratch AS empty\nFROM empty\nFROM --platform=$X python:3.12 AS py\nFROM py\n"
        );
        let r = PinnedDependencies.run(&tree(&[("Dockerfile", &docker)]));
        // 5 images (build, test, empty reused, py, py reused) + npm ci:
        // 4 pinned of 6, so 10 × 4 / 6 = 6.
        assert_eq!((r.status, r.score), (Status::Fail, Some(6)));
        let got: Vec<_> = r.evidence.iter().map(|e| e.line).collect();
        assert_eq!(got, [7, 8]);
        // A short digest is not a digest.
        assert_eq!(run(&[("Dockerfile", "FROM a@sha256:abc\n")]).1, Some(0));
        assert_eq!(
            run(&[("Dockerfile.tmpl", "FROM a\n")]).0,
            Status::NotApplicable
        );
    }

    #[test]
    fn workflow_actions_by_owner() {
        let wf = format!(
            "jobs:\n  a:\n    uses: org/repo/.github/workflows/x.yml@v1\n    steps:\n      - uses: actions/checkout@{SHA}\n      - uses: actions/setup-node@v4\n      - uses: \"other/action@{SHA}\" # v2\n      - uses: ./local\n      - uses: docker://alpine@sha256:{D}\n"
        );
        let r = PinnedDependencies.run(&tree(&[(".github/workflows/ci.yml", &wf)]));
        // GitHub-owned 1 of 2 (weight 2), third-party 2 of 3 (weight 8):
        // 10 × (2 + 16) / (4 + 24) = 6.4, so 6.
        assert_eq!((r.status, r.score), (Status::Fail, Some(6)));
        let got: Vec<_> = r.evidence.iter().map(|e| e.line).collect();
        assert_eq!(got, [3, 6]);
    }

    #[test]
    fn shell_scripts_are_read() {
        let script = "#!/usr/bin/env bash\nnpm install\n";
        assert_eq!(run(&[("scripts/setup", script)]), (Status::Fail, Some(0)));
        assert_eq!(run(&[("build.sh", "npm ci\n")]), (Status::Pass, Some(10)));
        let echoed = "echo \"== pip install x\"; printf 'npm install'\nnpm ci\n";
        assert_eq!(run(&[("build.sh", echoed)]), (Status::Pass, Some(10)));
        assert_eq!(
            run(&[("tool.py", "#!/usr/bin/env python\nnpm install\n")]).0,
            Status::NotApplicable
        );
    }

    #[test]
    fn nothing_to_pin_is_not_applicable() {
        let r = PinnedDependencies.run(&tree(&[("README.md", "npm install")]));
        assert_eq!((r.status, r.score), (Status::NotApplicable, None));
    }
}
