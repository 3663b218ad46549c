//! Package-manager installs and piped downloads in commands, after
//! Scorecard's `checks/raw/shell_download_validate.go`, read line by line
//! rather than through a shell parser.

use std::sync::LazyLock;

use regex::Regex;

use super::{Kind, Tally, re};
use crate::Tree;
use crate::text::{file_name, lines, parent};

static PIPE_RUN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(curl|wget|gsutil)\b[^|]*\|\s*(sudo\s+)?(\S*/)?(ba|z|da|k|mk)?sh\b|\b(curl|wget|gsutil)\b[^|]*\|\s*(sudo\s+)?(\S*/)?(python[0-9.]*|perl|ruby|php|node|nodejs)\b|\b(ba)?sh\s+<\(\s*(curl|wget)\b",
    )
});
static URL: LazyLock<Regex> = LazyLock::new(|| re(r#"https?://[^\s"'|)]+"#));
static RAW_AT_SHA: LazyLock<Regex> =
    LazyLock::new(|| re(r"^https://raw\.githubusercontent\.com/[^/]+/[^/]+/[a-fA-F0-9]{40}/."));
static PIP_FLAG: LazyLock<Regex> = LazyLock::new(|| re(r"^(--?\w+)+$"));
static GIT_AT_SHA: LazyLock<Regex> =
    LazyLock::new(|| re(r"^git(\+(https?|ssh|git))?://.*(.git)?@[a-fA-F0-9]{40}(#egg=.*)?$"));
static GO_MODULE: LazyLock<Regex> = LazyLock::new(|| re(r"\w+\.\w+/\w+"));
static SEMVER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^v\d+\.\d+\.\d+(-[0-9A-Za-z-.]+)?(\+[0-9A-Za-z-.]+)?$"));
static HASH: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Fa-f0-9]{40,}$"));

/// Counts the installs and downloads on each non-comment line.
pub(super) fn scan(tree: &Tree, path: &str, text: &str, tally: &mut Tally) {
    for (n, line) in lines(text) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if PIPE_RUN.is_match(line) && !all_urls_pinned(line) {
            let note = "download piped to an interpreter";
            tally.add(Kind::DownloadThenRun, false, path, n, note);
        }
        for words in commands(line) {
            // `echo "== pip install x"` prints; it installs nothing.
            if words
                .first()
                .is_some_and(|w| matches!(file_name(w), "echo" | "printf"))
            {
                continue;
            }
            let Some((i, tool)) = words.iter().enumerate().find_map(|(i, w)| {
                let name = file_name(w.trim_matches(['"', '\'']));
                matches!(name, "npm" | "pip" | "pip3" | "go")
                    .then_some((i, name))
                    .or_else(|| python_pip(&words[i..]).then_some((i, "python")))
            }) else {
                continue;
            };
            let mut args = &words[i + 1..];
            if tool == "python" {
                args = &args[args.iter().position(|w| *w == "install").unwrap_or(0)..];
            }
            let found = match tool {
                "npm" => npm(args).map(|p| (Kind::Npm, p, "npm install instead of npm ci")),
                "go" => go(args).map(|p| (Kind::Go, p, "go install without a full version")),
                _ => pip(tree, path, args).map(|p| (Kind::Pip, p, "pip install without hashes")),
            };
            if let Some((kind, pinned, note)) = found {
                tally.add(kind, pinned, path, n, note);
            }
        }
    }
}

/// The line cut into commands at `&&`, `||`, `;` and `|`, as words.
fn commands(line: &str) -> Vec<Vec<&str>> {
    line.split("&&")
        .flat_map(|s| s.split("||"))
        .flat_map(|s| s.split([';', '|']))
        .map(|s| s.split_whitespace().collect())
        .collect()
}

/// `python -m pip install …` at the start of `words`.
fn python_pip(words: &[&str]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    matches!(file_name(first), "python" | "python3" | "python2.7")
        && words
            .windows(3)
            .any(|w| w[0] == "-m" && w[1] == "pip" && w[2] == "install")
}

fn all_urls_pinned(line: &str) -> bool {
    let mut urls = URL.find_iter(line).peekable();
    urls.peek().is_some() && urls.all(|u| RAW_AT_SHA.is_match(u.as_str()))
}

/// `Some(pinned)` for an npm install, update or ci; pinned only as `ci`.
fn npm(args: &[&str]) -> Option<bool> {
    let verbs = ["install", "i", "install-test", "update", "ci"];
    args.iter()
        .any(|a| verbs.iter().any(|v| a.eq_ignore_ascii_case(v)))
        .then(|| args.iter().any(|a| a.eq_ignore_ascii_case("ci")))
}

/// `Some(pinned)` for `go get` or `go install` with a package: pinned when
/// the first package is local or at a full semantic version or hash.
fn go(args: &[&str]) -> Option<bool> {
    let (verb, rest) = args.split_first()?;
    if !matches!(*verb, "get" | "install") || rest.is_empty() {
        return None;
    }
    let flags = ["-d", "-f", "-t", "-u", "-v", "-fix", "-insecure"];
    let insecure = rest.contains(&"-insecure");
    for pkg in rest.iter().filter(|w| !flags.contains(w)) {
        if !GO_MODULE.is_match(pkg) {
            return Some(true);
        }
        if let [_, version] = pkg.split('@').collect::<Vec<_>>()[..]
            && (version == "none"
                || HASH.is_match(version)
                || (!insecure && SEMVER.is_match(version)))
        {
            return Some(true);
        }
    }
    Some(false)
}

/// `Some(pinned)` for the words from `install` on, by Scorecard's rules
/// plus keepopen's hashed requirements files.
fn pip(tree: &Tree, path: &str, args: &[&str]) -> Option<bool> {
    if args.first() != Some(&"install") {
        return None;
    }
    let args = &args[1..];
    let hashed = args.iter().enumerate().any(|(i, w)| {
        let file = match *w {
            "-r" | "--requirement" => args.get(i + 1).copied(),
            _ => w
                .strip_prefix("--requirement=")
                .or_else(|| w.strip_prefix("-r"))
                .filter(|f| !f.is_empty()),
        };
        file.is_some_and(|f| requirements_hashed(tree, path, f))
    });
    if hashed {
        return Some(true);
    }
    let (mut no_deps, mut editable, mut editable_pinned) = (false, false, true);
    let (mut hashes, mut more, mut wheel) = (false, false, false);
    for arg in args {
        match *arg {
            a if a.eq_ignore_ascii_case("--no-deps") => no_deps = true,
            "-e" | "--editable" => editable = true,
            a if a.eq_ignore_ascii_case("--require-hashes") => {
                hashes = true;
                break;
            }
            a if PIP_FLAG.is_match(a) => {}
            a if a.ends_with(".whl") => wheel = true,
            a if editable => {
                let remote = ["git", "svn", "hg", "bzr"].iter().any(|v| a.starts_with(v));
                editable_pinned &= !remote || GIT_AT_SHA.is_match(a);
            }
            _ => more = true,
        }
    }
    Some(if editable {
        no_deps && editable_pinned
    } else {
        hashes || (!more && wheel)
    })
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

    fn pip_args(line: &str) -> Option<bool> {
        let words: Vec<&str> = line.split_whitespace().collect();
        pip(&tree(&[]), "Dockerfile", &words)
    }

    #[test]
    fn pip_follows_scorecard() {
        assert_eq!(pip_args("install flask"), Some(false));
        assert_eq!(pip_args("install"), Some(false));
        assert_eq!(pip_args("install ."), Some(false));
        assert_eq!(pip_args("install --require-hashes -r r.txt"), Some(true));
        assert_eq!(pip_args("install dist/x.whl"), Some(true));
        assert_eq!(pip_args("install dist/x.whl flask"), Some(false));
        assert_eq!(pip_args("install -e ."), Some(false));
        assert_eq!(pip_args("install --no-deps -e ."), Some(true));
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let git = format!("install --no-deps -e git+https://x.org/p.git@{sha}");
        assert_eq!(pip_args(&git), Some(true));
        assert_eq!(
            pip_args("install --no-deps -e git+https://x.org/p.git@v1"),
            Some(false)
        );
        assert_eq!(pip_args("--quiet install flask"), None);
        assert_eq!(
            pip_args("install --no-deps -e . --require-hashes"),
            Some(true)
        );
        assert_eq!(pip_args("install -e . --require-hashes"), Some(false));
        assert_eq!(pip_args("list"), None);
    }

    #[test]
    fn go_follows_scorecard() {
        let go_args = |s: &str| go(&s.split_whitespace().collect::<Vec<_>>());
        assert_eq!(go_args("install example.com/x/cmd@v1.2.3"), Some(true));
        assert_eq!(go_args("install example.com/x/cmd@latest"), Some(false));
        assert_eq!(go_args("get -insecure example.com/x/y@v1.2.3"), Some(false));
        assert_eq!(go_args("install ./cmd/tool"), Some(true));
        assert_eq!(go_args("build ./..."), None);
        assert_eq!(go_args("install"), None);
    }

    #[test]
    fn commands_on_lines() {
        let ci = "steps:\n  - run: npm install\n  - run: pip install -r requirements.txt\n  - run: npm ci && python3 -m pip install requests\n  - run: curl -sSL https://x.sh | bash\n  - run: curl https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/i.sh | sh\n# npm install\n";
        let t = tree(&[
            (".github/workflows/ci.yml", ci),
            ("requirements.txt", "flask==3.0 --hash=sha256:00\n"),
        ]);
        let mut tally = Tally::default();
        let text = t.text(".github/workflows/ci.yml").unwrap_or_default();
        scan(&t, ".github/workflows/ci.yml", &text, &mut tally);
        use Kind::*;
        assert_eq!(
            tally.deps,
            [
                (Npm, false),
                (Pip, true),
                (Npm, true),
                (Pip, false),
                (DownloadThenRun, false)
            ]
        );
        let got: Vec<_> = tally.evidence.iter().map(|e| e.line).collect();
        assert_eq!(got, [2, 4, 5]);
    }
}
