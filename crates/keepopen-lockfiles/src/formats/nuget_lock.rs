//! NuGet's `packages.lock.json`: `dependencies.<target framework>.<name>`
//! with the `resolved` version. Project references are skipped; a package
//! locked for several frameworks at one version is reported once.

use std::collections::HashSet;

use serde_json::Value;

use super::npm::parse_json;
use crate::lines::JsonLines;
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct NugetLock;

impl Lockfile for NugetLock {
    fn name(&self) -> &'static str {
        "nuget-packages-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let json = parse_json(path, text)?;
        match json.get("version") {
            Some(v) if matches!(v.as_u64(), Some(1 | 2)) => {}
            Some(v) => return Err(LockError::unknown_version(path, "version", v.to_string())),
            None => return Err(LockError::invalid(path, "no `version`")),
        }
        let frameworks = json
            .get("dependencies")
            .and_then(Value::as_object)
            .ok_or_else(|| LockError::invalid(path, "expected a `dependencies` object"))?;
        let lines = JsonLines::new(text);
        let mut seen = HashSet::new();
        let mut parsed = Parsed::default();
        for (framework, packages) in frameworks {
            let Some(packages) = packages.as_object() else {
                continue;
            };
            for (name, entry) in packages {
                if entry.get("type").and_then(Value::as_str) == Some("Project") {
                    continue;
                }
                let line = lines.get(&["dependencies", framework, name]);
                let Some(version) = entry.get("resolved").and_then(Value::as_str) else {
                    parsed.notes.push(format!(
                        "{path}:{line}: `{name}` has no resolved version: not matched"
                    ));
                    continue;
                };
                if seen.insert((name.clone(), version.to_owned())) {
                    parsed.packages.push(Package {
                        ecosystem: "NuGet",
                        name: name.clone(),
                        version: version.to_owned(),
                        dev: false,
                        line,
                    });
                }
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "packages.lock.json",
    r#"{
  "version": 1,
  "dependencies": {
    "net8.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.3, )",
        "resolved": "13.0.3",
        "contentHash": "AA=="
      },
      "System.Text.Json": {
        "type": "Transitive",
        "resolved": "8.0.0"
      },
      "Shared.Library": {
        "type": "Project"
      }
    },
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "resolved": "13.0.3"
      }
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
        NugetLock.parse("packages.lock.json", text.as_bytes())
    }

    #[test]
    fn resolved_versions_once_per_package() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.versions();
        // serde_json orders frameworks by name: net6.0 comes first.
        assert_eq!(
            got,
            vec![
                ("Newtonsoft.Json", "13.0.3", 20),
                ("System.Text.Json", "8.0.0", 11)
            ]
        );
    }

    #[test]
    fn unknown_version_is_an_error() {
        let err = parse(r#"{"version": 3, "dependencies": {}}"#).must_err();
        assert_eq!(err.to_string(), "packages.lock.json: unknown version 3");
    }

    #[test]
    fn truncated_json_names_the_file() {
        assert!(
            parse(&FIXTURE.1[..100])
                .must_err()
                .to_string()
                .starts_with("packages.lock.json:")
        );
    }
}
