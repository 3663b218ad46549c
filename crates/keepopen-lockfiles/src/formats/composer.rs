//! `composer.lock`: `packages` and `packages-dev` arrays of `{name,
//! version}`. OSV's Packagist ecosystem writes versions without the leading
//! `v` some tags carry; branch versions (`dev-main`) are noted.

use serde_json::Value;

use super::npm::parse_json;
use crate::lines::JsonLines;
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct ComposerLock;

impl Lockfile for ComposerLock {
    fn name(&self) -> &'static str {
        "composer-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let json = parse_json(path, text)?;
        if !json.is_object() {
            return Err(LockError::invalid(path, "expected a JSON object"));
        }
        let lines = JsonLines::new(text);
        let mut parsed = Parsed::default();
        for (section, dev) in [("packages", false), ("packages-dev", true)] {
            let Some(list) = json.get(section).and_then(Value::as_array) else {
                continue;
            };
            for (i, entry) in list.iter().enumerate() {
                let index = i.to_string();
                let line = lines.get(&[section, &index, "name"]);
                let name = entry.get("name").and_then(Value::as_str);
                let version = entry.get("version").and_then(Value::as_str);
                let (Some(name), Some(version)) = (name, version) else {
                    parsed.notes.push(format!(
                        "{path}:{line}: a package without name or version: not matched"
                    ));
                    continue;
                };
                if version.starts_with("dev-") || version.ends_with("-dev") {
                    parsed
                        .notes
                        .push(format!("{path}:{line}: `{name}` is on branch `{version}`, not a release: not matched"));
                    continue;
                }
                parsed.packages.push(Package {
                    ecosystem: "Packagist",
                    name: name.to_owned(),
                    version: version.strip_prefix('v').unwrap_or(version).to_owned(),
                    dev,
                    line,
                });
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "composer.lock",
    r#"{
    "_readme": ["This file locks the dependencies of your project to a known state"],
    "content-hash": "00",
    "packages": [
        {
            "name": "guzzlehttp/guzzle",
            "version": "7.8.1",
            "type": "library"
        },
        {
            "name": "symfony/console",
            "version": "v6.4.7"
        },
        {
            "name": "nhs/forms",
            "version": "dev-main"
        }
    ],
    "packages-dev": [
        {
            "name": "phpunit/phpunit",
            "version": "10.5.20"
        }
    ]
}
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        ComposerLock.parse("composer.lock", text.as_bytes())
    }

    #[test]
    fn packages_and_dev_packages_with_v_stripped() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.rows();
        assert_eq!(
            got,
            vec![
                ("guzzlehttp/guzzle", "7.8.1", false, 6),
                ("symfony/console", "6.4.7", false, 11),
                ("phpunit/phpunit", "10.5.20", true, 21),
            ]
        );
        assert_eq!(parsed.notes.len(), 1);
        assert!(parsed.notes[0].starts_with("composer.lock:15: `nhs/forms`"));
    }

    #[test]
    fn truncated_json_names_the_file() {
        assert!(
            parse(&FIXTURE.1[..200])
                .must_err()
                .to_string()
                .starts_with("composer.lock:")
        );
    }
}
