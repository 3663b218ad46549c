//! `renv.lock`: JSON whose `Packages` map names to records with `Version`
//! and `Source`. Only packages from a repository (CRAN, RSPM/P3M, a named
//! `Repository`) are CRAN releases; GitHub, Bioconductor and local installs
//! are noted.

use serde_json::Value;

use super::npm::parse_json;
use crate::lines::JsonLines;
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct RenvLock;

impl Lockfile for RenvLock {
    fn name(&self) -> &'static str {
        "renv-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let json = parse_json(path, text)?;
        let packages = json
            .get("Packages")
            .and_then(Value::as_object)
            .ok_or_else(|| LockError::invalid(path, "expected a `Packages` object"))?;
        let lines = JsonLines::new(text);
        let mut parsed = Parsed::default();
        for (key, entry) in packages {
            let line = lines.get(&["Packages", key]);
            let name = entry.get("Package").and_then(Value::as_str).unwrap_or(key);
            let source = entry
                .get("Source")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            let version = entry.get("Version").and_then(Value::as_str);
            match version {
                Some(version) if matches!(source, "Repository" | "CRAN" | "RSPM") => {
                    parsed.packages.push(Package {
                        ecosystem: "CRAN",
                        name: name.to_owned(),
                        version: version.to_owned(),
                        dev: false,
                        line,
                    });
                }
                _ => parsed.notes.push(format!(
                    "{path}:{line}: `{name}` comes from {source}, not a CRAN repository: not matched"
                )),
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "renv.lock",
    r#"{
  "R": {
    "Version": "4.3.2",
    "Repositories": [{"Name": "CRAN", "URL": "https://cloud.r-project.org"}]
  },
  "Packages": {
    "dplyr": {
      "Package": "dplyr",
      "Version": "1.1.4",
      "Source": "Repository",
      "Repository": "CRAN"
    },
    "jsonlite": {
      "Package": "jsonlite",
      "Version": "1.8.8",
      "Source": "RSPM"
    },
    "nhsplot": {
      "Package": "nhsplot",
      "Version": "0.2.0",
      "Source": "GitHub",
      "RemoteUsername": "example"
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
        RenvLock.parse("renv.lock", text.as_bytes())
    }

    #[test]
    fn repository_packages_are_cran_and_others_noted() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.ecosystems();
        assert_eq!(
            got,
            vec![
                ("CRAN", "dplyr", "1.1.4", 7),
                ("CRAN", "jsonlite", "1.8.8", 13)
            ]
        );
        assert_eq!(
            parsed.notes,
            vec!["renv.lock:18: `nhsplot` comes from GitHub, not a CRAN repository: not matched"]
        );
    }

    #[test]
    fn missing_packages_is_an_error() {
        assert_eq!(
            parse("{\"R\": {}}").must_err().to_string(),
            "renv.lock: expected a `Packages` object"
        );
    }

    #[test]
    fn truncated_json_names_the_file() {
        assert!(
            parse(&FIXTURE.1[..250])
                .must_err()
                .to_string()
                .starts_with("renv.lock:")
        );
    }
}
