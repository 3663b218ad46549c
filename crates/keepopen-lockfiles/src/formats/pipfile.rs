//! `Pipfile.lock`: JSON with `default` and `develop` sections, each mapping
//! a name to `{"version": "==1.2.3", ...}`.

use serde_json::Value;

use super::npm::parse_json;
use crate::lines::JsonLines;
use crate::{LockError, Lockfile, Package, Parsed, pep503};

pub(crate) struct PipfileLock;

impl Lockfile for PipfileLock {
    fn name(&self) -> &'static str {
        "pipfile-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let json = parse_json(path, text)?;
        let spec = json.pointer("/_meta/pipfile-spec");
        if let Some(spec) = spec.filter(|s| !matches!(s.as_u64(), Some(1..=6))) {
            return Err(LockError::unknown_version(
                path,
                "pipfile-spec",
                spec.to_string(),
            ));
        }
        let lines = JsonLines::new(text);
        let mut parsed = Parsed::default();
        for (section, dev) in [("default", false), ("develop", true)] {
            let Some(entries) = json.get(section).and_then(Value::as_object) else {
                continue;
            };
            for (name, entry) in entries {
                let line = lines.get(&[section, name]);
                let version = entry
                    .get("version")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match version
                    .strip_prefix("===")
                    .or_else(|| version.strip_prefix("=="))
                {
                    Some(pinned) if !pinned.is_empty() => parsed.packages.push(Package {
                        ecosystem: "PyPI",
                        name: pep503(name),
                        version: pinned.to_owned(),
                        dev,
                        line,
                    }),
                    _ => parsed.notes.push(format!(
                        "{path}:{line}: `{name}` has no `==` version: not matched"
                    )),
                }
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "Pipfile.lock",
    r#"{
    "_meta": {
        "hash": {"sha256": "00"},
        "pipfile-spec": 6,
        "requires": {"python_version": "3.11"},
        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]
    },
    "default": {
        "Flask": {
            "hashes": ["sha256:00"],
            "index": "pypi",
            "version": "==2.3.3"
        },
        "nhs-lib": {
            "git": "https://example.org/nhs-lib.git",
            "ref": "abc"
        }
    },
    "develop": {
        "pytest": {
            "version": "==8.2.0"
        }
    }
}
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        PipfileLock.parse("Pipfile.lock", text.as_bytes())
    }

    #[test]
    fn default_and_develop_sections() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.rows();
        assert_eq!(
            got,
            vec![("flask", "2.3.3", false, 9), ("pytest", "8.2.0", true, 20)]
        );
        assert_eq!(
            parsed.notes,
            vec!["Pipfile.lock:14: `nhs-lib` has no `==` version: not matched"]
        );
    }

    #[test]
    fn unknown_spec_is_an_error() {
        let err = parse(r#"{"_meta": {"pipfile-spec": 7}}"#).must_err();
        assert_eq!(err.to_string(), "Pipfile.lock: unknown pipfile-spec 7");
    }

    #[test]
    fn truncated_json_names_the_file() {
        assert!(
            parse(&FIXTURE.1[..300])
                .must_err()
                .to_string()
                .starts_with("Pipfile.lock:")
        );
    }
}
