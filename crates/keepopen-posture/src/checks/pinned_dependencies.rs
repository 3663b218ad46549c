//! `posture-pinned-dependencies`: builds fetch exactly what was reviewed.
//!
//! After Scorecard's Pinned-Dependencies, for Dockerfiles and CI scripts:
//! `FROM` images pinned by `@sha256:` digest (not `scratch` or an earlier
//! build stage), `npm ci` rather than `npm install`, `pip install` with
//! `--require-hashes` or from a requirements file carrying `--hash=`, and no
//! `curl … | sh` downloads. The score is the pinned share of everything
//! counted, 0 to 10; with nothing to count the check does not apply.
//! GitHub Actions `uses:` pinning is checked by the workflows crate.

use std::sync::LazyLock;

use regex::Regex;

use super::result;
use crate::text::{is_ci_config, is_dockerfile, lines, parent};
use crate::{Check, CheckResult, Evidence, Status, Tree};

pub struct PinnedDependencies;

const ID: &str = "posture-pinned-dependencies";
const FIX: &str = "Pin base images by digest, install with npm ci or pip --require-hashes, and verify downloads instead of piping them to a shell.";

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|_| unreachable!())
}

static NPM: LazyLock<Regex> = LazyLock::new(|| re(r"\bnpm\s+(ci|install|i)\b"));
static PIP: LazyLock<Regex> = LazyLock::new(|| re(r"\bpip3?(\.\d+)?\s+install\b(.*)"));
static PIPE_SHELL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(curl|wget)\b[^|]*\|\s*(sudo\s+)?(\S*/)?(ba|z|da|k)?sh\b|\b(ba)?sh\s+<\(\s*(curl|wget)\b",
    )
});

/// Pinned and unpinned counts, and evidence for each unpinned item.
#[derive(Default)]
struct Tally {
    pinned: usize,
    evidence: Vec<Evidence>,
}

impl Tally {
    fn unpinned(&mut self, path: &str, line: u32, note: String) {
        self.evidence.push(Evidence::new(path, line, note));
    }
}

impl Check for PinnedDependencies {
    fn id(&self) -> &'static str {
        ID
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut tally = Tally::default();
        for path in tree.paths() {
            let docker = is_dockerfile(path);
            if !docker && !is_ci_config(path) {
                continue;
            }
            let Some(text) = tree.text(path) else {
                continue;
            };
            if docker {
                dockerfile_images(path, &text, &mut tally);
            }
            commands(tree, path, &text, &mut tally);
        }
        let total = tally.pinned + tally.evidence.len();
        if total == 0 {
            return result(ID, Status::NotApplicable, None, Vec::new(), FIX);
        }
        let score = u8::try_from((tally.pinned * 10 + total / 2) / total).unwrap_or(0);
        let status = if tally.evidence.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        };
        result(ID, status, Some(score), tally.evidence, FIX)
    }
}

fn dockerfile_images(path: &str, text: &str, tally: &mut Tally) {
    let mut stages: Vec<String> = Vec::new();
    for (n, line) in lines(text) {
        let mut words = line.split_whitespace();
        if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("FROM")) {
            continue;
        }
        let mut words = words.skip_while(|w| w.starts_with("--"));
        let Some(image) = words.next() else { continue };
        let lower = image.to_ascii_lowercase();
        let earlier_stage = stages.contains(&lower);
        if let (Some(kw), Some(name)) = (words.next(), words.next())
            && kw.eq_ignore_ascii_case("AS")
        {
            stages.push(name.to_ascii_lowercase());
        }
        if lower == "scratch" || image.starts_with('$') || earlier_stage {
            continue;
        }
        if image.contains("@sha256:") {
            tally.pinned += 1;
        } else {
            tally.unpinned(path, n, format!("image {image} not pinned by digest"));
        }
    }
}

fn commands(tree: &Tree, path: &str, text: &str, tally: &mut Tally) {
    for (n, line) in lines(text) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(m) = NPM.captures(line) {
            if &m[1] == "ci" {
                tally.pinned += 1;
            } else {
                tally.unpinned(path, n, "npm install instead of npm ci".to_owned());
            }
        }
        if let Some(m) = PIP.captures(line) {
            match pip_pinned(tree, path, &m[2]) {
                Some(true) => tally.pinned += 1,
                Some(false) => tally.unpinned(path, n, "pip install without hashes".to_owned()),
                None => {}
            }
        }
        if PIPE_SHELL.is_match(line) {
            tally.unpinned(path, n, "download piped to a shell".to_owned());
        }
    }
}

/// Whether a `pip install`'s arguments pin by hash; `None` for installs of
/// local paths only, which fetch nothing by themselves.
fn pip_pinned(tree: &Tree, path: &str, args: &str) -> Option<bool> {
    if args.contains("--require-hashes") {
        return Some(true);
    }
    let words: Vec<&str> = args
        .split_whitespace()
        .take_while(|w| !matches!(*w, "&&" | ";" | "||" | "|"))
        .collect();
    let mut packages = 0;
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if matches!(word, "-r" | "--requirement") {
            let file = words.get(i + 1).copied().unwrap_or("");
            return Some(requirements_hashed(tree, path, file));
        }
        if let Some(file) = word
            .strip_prefix("--requirement=")
            .or_else(|| word.strip_prefix("-r"))
            .filter(|f| !f.is_empty())
        {
            return Some(requirements_hashed(tree, path, file));
        }
        if !word.starts_with('-') && !word.starts_with('.') && !word.starts_with('/') {
            packages += 1;
        }
        i += 1;
    }
    (packages > 0).then_some(false)
}

fn requirements_hashed(tree: &Tree, config: &str, file: &str) -> bool {
    let file = file.trim_matches(['"', '\'']).trim_start_matches("./");
    let dir = parent(config);
    let nested = if dir.is_empty() {
        file.to_owned()
    } else {
        format!("{dir}/{file}")
    };
    [file.to_owned(), nested]
        .iter()
        .any(|p| tree.text(p).is_some_and(|t| t.contains("--hash=")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const PINNED_DOCKER: &str = "FROM node:22@sha256:abc AS build\nRUN npm ci\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\n";

    #[test]
    fn pinned_dockerfile_passes() {
        let r = PinnedDependencies.run(&tree(&[("Dockerfile", PINNED_DOCKER)]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
    }

    #[test]
    fn unpinned_items_are_reported_per_line() {
        let docker =
            "FROM python:3.12-slim\nRUN pip install flask\nRUN curl -sSL https://x.sh | bash\n";
        let ci = "steps:\n  - run: npm install\n  - run: pip install -r requirements.txt\n  - run: npm ci\n";
        let t = tree(&[
            ("app/Dockerfile", docker),
            (".github/workflows/ci.yml", ci),
            ("requirements.txt", "flask==3.0 --hash=sha256:00\n"),
        ]);
        let r = PinnedDependencies.run(&t);
        assert_eq!(r.status, Status::Fail);
        // 2 pinned (hashed -r, npm ci) of 6.
        assert_eq!(r.score, Some(3));
        let got: Vec<_> = r
            .evidence
            .iter()
            .map(|e| (e.path.as_str(), e.line))
            .collect();
        assert_eq!(
            got,
            [
                (".github/workflows/ci.yml", 2),
                ("app/Dockerfile", 1),
                ("app/Dockerfile", 2),
                ("app/Dockerfile", 3)
            ]
        );
    }

    #[test]
    fn local_installs_and_require_hashes() {
        let ci = "run: pip install -e .\nrun: pip install --require-hashes -r r.txt\n";
        let r = PinnedDependencies.run(&tree(&[(".gitlab-ci.yml", ci)]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
    }

    #[test]
    fn nothing_to_pin_is_not_applicable() {
        let r = PinnedDependencies.run(&tree(&[("README.md", "npm install")]));
        assert_eq!(r.status, Status::NotApplicable);
    }
}
