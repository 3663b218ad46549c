//! `pnpm-lock.yaml`: lockfile versions 5 (`/name/1.2.3:`), 6
//! (`/name@1.2.3:`) and 9 (`name@1.2.3:` plus `snapshots:`).
//!
//! Versions 5 and 6 mark dev-only packages with `dev: true`. Version 9 does
//! not, so a package is dev-only there when it is reachable through
//! `snapshots` from some importer's `devDependencies` and from none of their
//! `dependencies` or `optionalDependencies`.

use std::collections::HashSet;

use yaml_serde::Value;

use super::yaml_util::{self, entries, scalar};
use crate::lines::YamlLines;
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct PnpmLock;

impl Lockfile for PnpmLock {
    fn name(&self) -> &'static str {
        "pnpm-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        crate::reject_conflicts(path, text)?;
        let yaml = yaml_util::parse(path, text)?;
        let version = scalar(yaml.get("lockfileVersion"))
            .ok_or_else(|| LockError::invalid(path, "no lockfileVersion"))?;
        let major = version.split('.').next().unwrap_or_default();
        if !matches!(major, "5" | "6" | "9") {
            return Err(LockError::unknown_version(path, "lockfileVersion", version));
        }
        let slash_style = major == "5";
        let dev_only = if major == "9" {
            v9_dev_only(&yaml)
        } else {
            HashSet::new()
        };
        let lines = YamlLines::new(text);
        let mut parsed = Parsed::default();
        for (key, entry) in entries(yaml.get("packages")) {
            let line = lines.get("packages", key);
            let spec = key.strip_prefix('/').unwrap_or(key);
            let split = if slash_style {
                spec.rsplit_once('/')
            } else {
                spec.get(1..)
                    .and_then(|s| s.find('@'))
                    .and_then(|at| Some((spec.get(..at + 1)?, spec.get(at + 2..)?)))
            };
            let Some((name, version)) = split.filter(|(name, _)| !name.is_empty()) else {
                parsed.notes.push(format!(
                    "{path}:{line}: `{key}` is not `name@version`: not matched"
                ));
                continue;
            };
            let version = strip_peers(version);
            if version.contains(':')
                || version.contains('/')
                || !key.starts_with('/') && major != "9"
            {
                parsed.notes.push(format!(
                    "{path}:{line}: `{key}` is not from the registry: not matched"
                ));
                continue;
            }
            let dev = match entry.get("dev").and_then(Value::as_bool) {
                Some(dev) => dev,
                None => dev_only.contains(&format!("{name}@{version}")),
            };
            parsed.packages.push(Package {
                ecosystem: "npm",
                name: name.to_owned(),
                version: version.to_owned(),
                dev,
                line,
            });
        }
        Ok(parsed)
    }
}

/// `1.2.3(react@18.0.0)` and v5's `1.2.3_react@18.0.0` are `1.2.3`.
fn strip_peers(version: &str) -> &str {
    let end = version.find(['(', '_']).unwrap_or(version.len());
    version.get(..end).unwrap_or(version)
}

/// `name@version` of every v9 package reached only from dev dependencies.
fn v9_dev_only(yaml: &Value) -> HashSet<String> {
    let snapshots = yaml.get("snapshots");
    let roots = |sections: &[&str]| -> Vec<String> {
        let mut out = Vec::new();
        for (_, importer) in entries(yaml.get("importers")) {
            for section in sections {
                for (name, dep) in entries(importer.get(*section)) {
                    if let Some(version) = scalar(dep.get("version")) {
                        out.push(format!("{name}@{version}"));
                    }
                }
            }
        }
        out
    };
    let prod: HashSet<String> = reach(snapshots, roots(&["dependencies", "optionalDependencies"]))
        .iter()
        .map(|key| strip_key_peers(key))
        .collect();
    reach(snapshots, roots(&["devDependencies"]))
        .iter()
        .map(|key| strip_key_peers(key))
        .filter(|base| !prod.contains(base))
        .collect()
}

/// `@a/b@1.0.0(c@1.0.0)` is `@a/b@1.0.0`.
fn strip_key_peers(key: &str) -> String {
    key.split('(').next().unwrap_or(key).to_owned()
}

/// Snapshot keys reachable from `start` through `dependencies` and
/// `optionalDependencies`.
fn reach(snapshots: Option<&Value>, start: Vec<String>) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut todo = start;
    while let Some(key) = todo.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        let Some(snapshot) = snapshots.and_then(|s| s.get(key.as_str())) else {
            continue;
        };
        for section in ["dependencies", "optionalDependencies"] {
            for (name, version) in entries(snapshot.get(section)) {
                if let Some(version) = scalar(Some(version)) {
                    todo.push(format!("{name}@{version}"));
                }
            }
        }
    }
    seen
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "pnpm-lock.yaml",
    r#"lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)
    devDependencies:
      vitest:
        specifier: ^1.5.0
        version: 1.5.0

packages:

  react-dom@18.2.0:
    resolution: {integrity: sha512-AA==}
    peerDependencies:
      react: ^18.2.0

  react@18.2.0:
    resolution: {integrity: sha512-AA==}

  vitest@1.5.0:
    resolution: {integrity: sha512-AA==}

  tinypool@0.8.4:
    resolution: {integrity: sha512-AA==}

snapshots:

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      react: 18.2.0

  react@18.2.0: {}

  vitest@1.5.0:
    dependencies:
      react: 18.2.0
      tinypool: 0.8.4

  tinypool@0.8.4: {}
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        PnpmLock.parse("pnpm-lock.yaml", text.as_bytes())
    }

    fn summary(parsed: &Parsed) -> Vec<(&str, &str, bool, u32)> {
        parsed.rows()
    }

    #[test]
    fn v9_packages_with_dev_reached_only_from_dev_dependencies() {
        let parsed = parse(FIXTURE.1).must();
        assert_eq!(
            summary(&parsed),
            vec![
                ("react-dom", "18.2.0", false, 21),
                ("react", "18.2.0", false, 26),
                ("vitest", "1.5.0", true, 29),
                ("tinypool", "0.8.4", true, 32),
            ]
        );
    }

    #[test]
    fn v6_keys_and_dev_flags() {
        let text = "lockfileVersion: '6.0'\n\npackages:\n\n  /@babel/core@7.24.0(supports-color@8.1.1):\n    resolution: {integrity: sha512-AA==}\n    dev: true\n\n  /ms@2.1.3:\n    resolution: {integrity: sha512-AA==}\n    dev: false\n";
        assert_eq!(
            summary(&parse(text).must()),
            vec![
                ("@babel/core", "7.24.0", true, 5),
                ("ms", "2.1.3", false, 9)
            ]
        );
    }

    #[test]
    fn v5_slash_keys_with_peer_suffixes() {
        let text = "lockfileVersion: 5.4\n\npackages:\n\n  /@types/react/18.0.0:\n    dev: true\n\n  /react-redux/8.0.5_react@18.2.0:\n    dev: false\n\n  github.com/example/thing/abc:\n    name: thing\n";
        let parsed = parse(text).must();
        assert_eq!(
            summary(&parsed),
            vec![
                ("@types/react", "18.0.0", true, 5),
                ("react-redux", "8.0.5", false, 8)
            ]
        );
        assert_eq!(parsed.notes.len(), 1);
    }

    #[test]
    fn unknown_lockfile_version_is_an_error() {
        let err = parse("lockfileVersion: '12.0'\n").must_err();
        assert_eq!(
            err.to_string(),
            "pnpm-lock.yaml: unknown lockfileVersion 12.0"
        );
    }

    #[test]
    fn conflict_markers_name_the_line() {
        let text = FIXTURE.1.replace("  tinypool@0.8.4: {}\n", "=======\n");
        assert!(
            parse(&text)
                .must_err()
                .to_string()
                .starts_with("pnpm-lock.yaml:")
        );
    }

    #[test]
    fn truncated_yaml_names_the_file() {
        let err =
            parse("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: ")
                .must_err();
        assert!(err.to_string().starts_with("pnpm-lock.yaml:"), "{err}");
    }
}
