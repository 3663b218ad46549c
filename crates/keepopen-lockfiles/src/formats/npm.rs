//! `package-lock.json` and `npm-shrinkwrap.json`: version 1 (nested
//! `dependencies`) and versions 2 and 3 (flat `packages` keyed by
//! `node_modules/...` paths).

use serde_json::{Map, Value};

use crate::lines::JsonLines;
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct PackageLock;

/// Parses JSON, or an error naming the file, line and column.
pub(crate) fn parse_json(path: &str, text: &str) -> Result<Value, LockError> {
    serde_json::from_str(text).map_err(|e| {
        LockError::at_line(
            path,
            u32::try_from(e.line()).unwrap_or(0),
            format!("invalid JSON: {e}"),
        )
    })
}

impl Lockfile for PackageLock {
    fn name(&self) -> &'static str {
        "package-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let json = parse_json(path, text)?;
        let root = json
            .as_object()
            .ok_or_else(|| LockError::invalid(path, "expected a JSON object"))?;
        let lines = JsonLines::new(text);
        let mut parsed = Parsed::default();
        match root.get("lockfileVersion") {
            Some(v) if v.as_u64() == Some(1) => {
                if let Some(deps) = root.get("dependencies").and_then(Value::as_object) {
                    let mut key_path = vec!["dependencies".to_owned()];
                    walk_v1(path, deps, &mut key_path, &lines, &mut parsed);
                }
            }
            Some(v) if matches!(v.as_u64(), Some(2 | 3)) => {
                let packages = root
                    .get("packages")
                    .and_then(Value::as_object)
                    .ok_or_else(|| LockError::invalid(path, "expected a `packages` object"))?;
                for (key, entry) in packages {
                    let line = lines.get(&["packages", key]);
                    flat_entry(path, key, entry, line, &mut parsed);
                }
            }
            Some(v) => {
                return Err(LockError::unknown_version(
                    path,
                    "lockfileVersion",
                    v.to_string(),
                ));
            }
            None => return Err(LockError::invalid(path, "no lockfileVersion")),
        }
        Ok(parsed)
    }
}

/// One `packages` entry of a v2/v3 lockfile.
fn flat_entry(path: &str, key: &str, entry: &Value, line: u32, parsed: &mut Parsed) {
    // "" is the project itself; keys outside node_modules are workspace
    // folders; links point at them.
    let Some(idx) = key.rfind("node_modules/") else {
        return;
    };
    if entry.get("link").and_then(Value::as_bool) == Some(true) {
        return;
    }
    let installed = key.get(idx + "node_modules/".len()..).unwrap_or_default();
    // An alias (`"b": "npm:real@1"`) installs `real` under the folder `b`.
    let name = entry
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(installed);
    push(path, name, entry, line, parsed);
}

fn walk_v1(
    path: &str,
    deps: &Map<String, Value>,
    key_path: &mut Vec<String>,
    lines: &JsonLines,
    parsed: &mut Parsed,
) {
    for (name, entry) in deps {
        key_path.push(name.clone());
        let refs: Vec<&str> = key_path.iter().map(String::as_str).collect();
        let line = lines.get(&refs);
        match entry.get("version").and_then(Value::as_str) {
            // An alias records `npm:real@1.2.3` as its version.
            Some(version) if version.starts_with("npm:") => {
                let spec = version.trim_start_matches("npm:");
                match spec.get(1..).and_then(|s| s.rfind('@')).map(|i| i + 1) {
                    Some(at) => parsed.packages.push(Package {
                        ecosystem: "npm",
                        name: spec.get(..at).unwrap_or_default().to_owned(),
                        version: spec.get(at + 1..).unwrap_or_default().to_owned(),
                        dev: is_dev(entry),
                        line,
                    }),
                    None => not_pinned(path, name, version, line, parsed),
                }
            }
            _ => push(path, name, entry, line, parsed),
        }
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            key_path.push("dependencies".to_owned());
            walk_v1(path, nested, key_path, lines, parsed);
            key_path.pop();
        }
        key_path.pop();
    }
}

fn is_dev(entry: &Value) -> bool {
    entry.get("dev").and_then(Value::as_bool) == Some(true)
}

fn push(path: &str, name: &str, entry: &Value, line: u32, parsed: &mut Parsed) {
    let Some(version) = entry.get("version").and_then(Value::as_str) else {
        parsed.notes.push(format!(
            "{path}:{line}: `{name}` has no version: not matched"
        ));
        return;
    };
    // git, file and tarball URLs are not registry versions.
    if version.contains(':') || version.contains('/') {
        not_pinned(path, name, version, line, parsed);
        return;
    }
    parsed.packages.push(Package {
        ecosystem: "npm",
        name: name.to_owned(),
        version: version.to_owned(),
        dev: is_dev(entry),
        line,
    });
}

fn not_pinned(path: &str, name: &str, version: &str, line: u32, parsed: &mut Parsed) {
    parsed.notes.push(format!(
        "{path}:{line}: `{name}` is `{version}`, not a registry version: not matched"
    ));
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "package-lock.json",
    r#"{
  "name": "clinic-portal",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "clinic-portal",
      "version": "1.0.0"
    },
    "node_modules/@babel/core": {
      "version": "7.24.0",
      "dev": true
    },
    "node_modules/lodash": {
      "version": "4.17.21"
    },
    "node_modules/lodash/node_modules/minimist": {
      "version": "1.2.8"
    },
    "node_modules/shared-ui": {
      "resolved": "packages/shared-ui",
      "link": true
    },
    "packages/shared-ui": {
      "version": "0.1.0"
    }
  }
}
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        PackageLock.parse("package-lock.json", text.as_bytes())
    }

    fn summary(parsed: &Parsed) -> Vec<(String, String, bool, u32)> {
        parsed
            .packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.dev, p.line))
            .collect()
    }

    #[test]
    fn v3_packages_with_dev_lines_and_nesting() {
        let parsed = parse(FIXTURE.1).must();
        assert_eq!(
            summary(&parsed),
            vec![
                ("@babel/core".into(), "7.24.0".into(), true, 11),
                ("lodash".into(), "4.17.21".into(), false, 15),
                ("minimist".into(), "1.2.8".into(), false, 18),
            ]
        );
        assert!(parsed.packages.iter().all(|p| p.ecosystem == "npm"));
    }

    #[test]
    fn v1_nested_dependencies() {
        let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "express": {
      "version": "4.18.2",
      "requires": { "debug": "2.6.9" },
      "dependencies": {
        "debug": { "version": "2.6.9" }
      }
    },
    "jest": { "version": "29.7.0", "dev": true },
    "local": { "version": "file:../local" },
    "alias": { "version": "npm:@scope/real@2.0.1" }
  }
}"#;
        let parsed = parse(text).must();
        assert_eq!(
            summary(&parsed),
            vec![
                ("@scope/real".into(), "2.0.1".into(), false, 13),
                ("express".into(), "4.18.2".into(), false, 4),
                ("debug".into(), "2.6.9".into(), false, 8),
                ("jest".into(), "29.7.0".into(), true, 11),
            ]
        );
        assert_eq!(parsed.notes.len(), 1, "{:?}", parsed.notes);
        assert!(parsed.notes[0].starts_with("package-lock.json:12:"));
    }

    #[test]
    fn shrinkwrap_is_the_same_format() {
        let parser = crate::parser_for("app/npm-shrinkwrap.json").must();
        assert_eq!(
            parser
                .parse("npm-shrinkwrap.json", FIXTURE.1.as_bytes())
                .must()
                .packages
                .len(),
            3
        );
    }

    #[test]
    fn unknown_lockfile_version_is_an_error() {
        let err = parse(r#"{"lockfileVersion": 9, "packages": {}}"#).must_err();
        assert_eq!(
            err.to_string(),
            "package-lock.json: unknown lockfileVersion 9"
        );
    }

    #[test]
    fn truncated_json_names_file_and_line() {
        let err = parse(&FIXTURE.1[..200]).must_err().to_string();
        assert!(err.starts_with("package-lock.json:"), "{err}");
        assert!(err.contains("invalid JSON"), "{err}");
    }

    #[test]
    fn conflict_markers_are_invalid_json() {
        let text = "{\n<<<<<<< HEAD\n  \"lockfileVersion\": 3\n}";
        assert!(
            parse(text)
                .must_err()
                .to_string()
                .starts_with("package-lock.json:2:")
        );
    }
}
