//! `pylock.toml` and `pylock.<name>.toml` (PEP 751): `[[packages]]` tables.
//! Dev-only membership is expressed as markers over dependency groups,
//! which this crate does not evaluate, so `dev` stays false.

use serde::Deserialize;

use super::toml_util;
use crate::{LockError, Lockfile, Package, Parsed, pep503};

pub(crate) struct PyLock;

#[derive(Deserialize)]
struct File {
    #[serde(rename = "lock-version")]
    lock_version: Option<String>,
    #[serde(default)]
    packages: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: toml::Spanned<String>,
    version: Option<String>,
    vcs: Option<toml::Value>,
    directory: Option<toml::Value>,
    archive: Option<toml::Value>,
}

impl Lockfile for PyLock {
    fn name(&self) -> &'static str {
        "pylock-toml"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let file: File = toml_util::parse(path, text)?;
        match file.lock_version.as_deref() {
            Some(v) if v.split('.').next() == Some("1") => {}
            Some(v) => return Err(LockError::unknown_version(path, "lock-version", v)),
            None => return Err(LockError::invalid(path, "no `lock-version`")),
        }
        let mut parsed = Parsed::default();
        for entry in file.packages {
            let line = toml_util::line(text, &entry.name);
            let name = entry.name.into_inner();
            let local = entry.vcs.is_some() || entry.directory.is_some() || entry.archive.is_some();
            match entry.version {
                Some(version) if !local => parsed.packages.push(Package {
                    ecosystem: "PyPI",
                    name: pep503(&name),
                    version,
                    dev: false,
                    line,
                }),
                _ => parsed.notes.push(format!(
                    "{path}:{line}: `{name}` has no index version: not matched"
                )),
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "pylock.toml",
    r#"lock-version = "1.0"
environments = ["sys_platform == 'linux'"]
requires-python = ">=3.12"
created-by = "mousebender"

[[packages]]
name = "attrs"
version = "25.1.0"
requires-python = ">=3.8"
wheels = [
  {name = "attrs-25.1.0-py3-none-any.whl", upload-time = 2025-01-25T11:30:10.164985+00:00, url = "https://example.org/attrs-25.1.0-py3-none-any.whl", size = 63152, hashes = {sha256 = "00"}},
]

[[packages]]
name = "tool"
vcs = { type = "git", url = "https://example.org/tool.git", commit-id = "abc" }
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        PyLock.parse("pylock.toml", text.as_bytes())
    }

    #[test]
    fn packages_with_versions_are_pinned() {
        let parsed = parse(FIXTURE.1).must();
        assert_eq!(parsed.packages.len(), 1);
        assert_eq!(
            (parsed.packages[0].name.as_str(), parsed.packages[0].line),
            ("attrs", 7)
        );
        assert_eq!(
            parsed.notes,
            vec!["pylock.toml:15: `tool` has no index version: not matched"]
        );
    }

    #[test]
    fn named_pylock_files_are_recognised() {
        assert_eq!(
            crate::parser_for("pylock.dev.toml").map(|p| p.name()),
            Some("pylock-toml")
        );
    }

    #[test]
    fn unknown_lock_version_is_an_error() {
        let err = parse("lock-version = \"2.0\"\n").must_err();
        assert_eq!(err.to_string(), "pylock.toml: unknown lock-version 2.0");
    }

    #[test]
    fn broken_toml_names_the_file() {
        assert!(
            parse(&FIXTURE.1[..40])
                .must_err()
                .to_string()
                .starts_with("pylock.toml: invalid TOML")
        );
    }
}
