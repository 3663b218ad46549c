//! pip requirements files (`requirements*.txt`, `requirements/*.txt`).
//!
//! Only `name==version` and `name===version` are pins. Everything else pip
//! accepts (ranges, URLs, editable installs) is noted and never guessed;
//! `-r` and `-c` includes are noted, not followed, since the file they name
//! is parsed on its own if it is a requirements file.

use crate::{LockError, Lockfile, Package, Parsed, pep503};

pub(crate) struct Requirements;

impl Lockfile for Requirements {
    fn name(&self) -> &'static str {
        "requirements-txt"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        crate::reject_conflicts(path, text)?;
        let mut parsed = Parsed::default();
        for (line, logical) in logical_lines(text) {
            requirement(path, line, &logical, &mut parsed);
        }
        Ok(parsed)
    }
}

/// Lines with `\` continuations joined and comments removed, each with the
/// number of the line it starts on.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0u32;
    for (n, raw) in text.lines().enumerate() {
        let n = u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
        if current.is_empty() {
            start = n;
        }
        let without_comment = strip_comment(raw);
        match without_comment.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(without_comment);
                let logical = std::mem::take(&mut current);
                if !logical.trim().is_empty() {
                    out.push((start, logical.trim().to_owned()));
                }
            }
        }
    }
    if !current.trim().is_empty() {
        out.push((start, current.trim().to_owned()));
    }
    out
}

/// pip treats `#` as a comment at the start of a line or after whitespace.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            return line.get(..i).unwrap_or_default().trim_end();
        }
    }
    line.trim_end()
}

fn requirement(path: &str, line: u32, logical: &str, parsed: &mut Parsed) {
    let mut note = |what: &str| {
        parsed
            .notes
            .push(format!("{path}:{line}: `{logical}` {what}: not matched"))
    };
    for include in ["-r", "--requirement", "-c", "--constraint"] {
        if logical
            .strip_prefix(include)
            .is_some_and(|rest| rest.starts_with([' ', '=', '\t']) || include.len() == 2)
        {
            parsed.notes.push(format!(
                "{path}:{line}: `{logical}` includes another file: not followed"
            ));
            return;
        }
    }
    if logical.starts_with("-e") || logical.starts_with("--editable") {
        note("is an editable install, not pinned");
        return;
    }
    if logical.starts_with('-') {
        // --index-url, --hash on its own line, --find-links...: not packages.
        return;
    }
    // Options after the requirement (`--hash=...`) and environment markers.
    let spec = logical.split(" -").next().unwrap_or_default();
    let spec = spec.split(';').next().unwrap_or_default().trim();
    if spec.contains("://") || spec.contains(" @ ") || spec.starts_with(['.', '/']) {
        note("is a URL or path, not pinned");
        return;
    }
    let name_end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = spec.get(..name_end).unwrap_or_default();
    let mut rest = spec.get(name_end..).unwrap_or_default().trim_start();
    if rest.starts_with('[') {
        let Some(close) = rest.find(']') else {
            note("has unclosed extras");
            return;
        };
        rest = rest.get(close + 1..).unwrap_or_default().trim_start();
    }
    let pinned = rest.strip_prefix("===").or_else(|| rest.strip_prefix("=="));
    match pinned.map(str::trim) {
        _ if name.is_empty() => note("is not a requirement"),
        Some(version)
            if !version.is_empty()
                && !version.contains([',', '*', ' ', '<', '>', '!', '~', '=']) =>
        {
            parsed.packages.push(Package {
                ecosystem: "PyPI",
                name: pep503(name),
                version: version.to_owned(),
                dev: false,
                line,
            });
        }
        _ if rest.is_empty() => note("has no version, not a pin"),
        _ => note("is a range, not a pin"),
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "requirements.txt",
    "# Production dependencies
--index-url https://pypi.org/simple
-r base.txt
Flask==2.3.3
requests[security,socks]==2.31.0 ; python_version >= \"3.8\"
Django_Rest.framework===3.14.0  # pinned by the platform team
numpy==1.26.4 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
flask-cors>=4
gunicorn
-e git+https://example.org/team/lib.git#egg=lib
pandas==2.*
https://example.org/wheels/thing-1.0-py3-none-any.whl
",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Parsed {
        Requirements
            .parse("requirements.txt", text.as_bytes())
            .must()
    }

    #[test]
    fn pins_with_extras_markers_hashes_and_continuations() {
        let parsed = parse(FIXTURE.1);
        let got = parsed.versions();
        assert_eq!(
            got,
            vec![
                ("flask", "2.3.3", 4),
                ("requests", "2.31.0", 5),
                ("django-rest-framework", "3.14.0", 6),
                ("numpy", "1.26.4", 7),
            ]
        );
        assert!(
            parsed
                .packages
                .iter()
                .all(|p| p.ecosystem == "PyPI" && !p.dev)
        );
    }

    #[test]
    fn everything_unpinned_is_noted_never_guessed() {
        let notes = parse(FIXTURE.1).notes;
        assert_eq!(notes.len(), 6, "{notes:#?}");
        assert_eq!(
            notes[0],
            "requirements.txt:3: `-r base.txt` includes another file: not followed"
        );
        assert_eq!(
            notes[1],
            "requirements.txt:10: `flask-cors>=4` is a range, not a pin: not matched"
        );
        assert!(notes[2].starts_with("requirements.txt:11: `gunicorn` has no version"));
        assert!(notes[3].contains("editable"));
        assert!(notes[4].contains("`pandas==2.*` is a range"));
        assert!(notes[5].contains("URL or path"));
    }

    #[test]
    fn constraint_files_are_noted() {
        let parsed = parse("-c constraints.txt\n--constraint=other.txt\n");
        assert_eq!(parsed.notes.len(), 2);
        assert!(parsed.packages.is_empty());
    }

    #[test]
    fn files_are_matched_by_name_and_folder() {
        for path in [
            "requirements.txt",
            "a/requirements-dev.txt",
            "requirements/prod.txt",
            "x\\requirements\\base.txt",
        ] {
            assert_eq!(
                crate::parser_for(path).map(|p| p.name()),
                Some("requirements-txt"),
                "{path}"
            );
        }
        assert!(crate::parser_for("docs/notes.txt").is_none());
    }

    #[test]
    fn invalid_utf8_names_file_and_line() {
        let err = Requirements
            .parse("requirements.txt", b"a==1\n\xff==2\n")
            .must_err();
        assert_eq!(err.to_string(), "requirements.txt:2: not UTF-8 text");
    }
}
