//! `uv.lock`: `[[package]]` tables. The project itself and workspace
//! members (`source = { editable = "." }`, `{ virtual = "." }`) are skipped.
//! uv does not mark packages dev-only in the lock itself, so `dev` stays
//! false.

use serde::Deserialize;

use super::toml_util;
use crate::{LockError, Lockfile, Package, Parsed, pep503};

pub(crate) struct UvLock;

#[derive(Deserialize)]
struct File {
    version: Option<i64>,
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: toml::Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    source: toml::Table,
}

impl Lockfile for UvLock {
    fn name(&self) -> &'static str {
        "uv-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let file: File = toml_util::parse(path, text)?;
        match file.version {
            Some(1) => {}
            Some(other) => {
                return Err(LockError::unknown_version(
                    path,
                    "version",
                    other.to_string(),
                ));
            }
            None => return Err(LockError::invalid(path, "no `version`")),
        }
        let mut parsed = Parsed::default();
        for entry in file.package {
            let line = toml_util::line(text, &entry.name);
            let name = entry.name.into_inner();
            if entry.source.contains_key("editable") || entry.source.contains_key("virtual") {
                continue;
            }
            let from_index = entry.source.contains_key("registry");
            match entry.version {
                Some(version) if from_index => parsed.packages.push(Package {
                    ecosystem: "PyPI",
                    name: pep503(&name),
                    version,
                    dev: false,
                    line,
                }),
                _ => parsed.notes.push(format!(
                    "{path}:{line}: `{name}` does not come from a package index: not matched"
                )),
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "uv.lock",
    r#"version = 1
revision = 2
requires-python = ">=3.12"

[[package]]
name = "referral-service"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "pydantic" },
]

[[package]]
name = "pydantic"
version = "2.7.1"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://example.org/pydantic-2.7.1.tar.gz", hash = "sha256:00", size = 1 }

[[package]]
name = "Typing_Extensions"
version = "4.12.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "internal"
version = "1.0.0"
source = { git = "https://example.org/internal.git?rev=1#abc" }
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        UvLock.parse("uv.lock", text.as_bytes())
    }

    #[test]
    fn registry_packages_are_pinned_and_roots_skipped() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.versions();
        assert_eq!(
            got,
            vec![
                ("pydantic", "2.7.1", 14),
                ("typing-extensions", "4.12.0", 20)
            ]
        );
        assert_eq!(parsed.notes.len(), 1);
        assert!(parsed.notes[0].starts_with("uv.lock:25: `internal`"));
    }

    #[test]
    fn unknown_version_is_an_error() {
        assert_eq!(
            parse("version = 2\n").must_err().to_string(),
            "uv.lock: unknown version 2"
        );
    }

    #[test]
    fn truncated_toml_names_the_file() {
        let err = parse(&FIXTURE.1[..FIXTURE.1.len() - 20])
            .must_err()
            .to_string();
        assert!(err.starts_with("uv.lock: invalid TOML at line 27"), "{err}");
    }
}
