//! .NET's `*.deps.json`: `libraries` keyed `Name/1.2.3`, of which those
//! with `"type": "package"` came from NuGet.

use serde_json::Value;

use super::npm::parse_json;
use crate::lines::JsonLines;
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct DepsJson;

impl Lockfile for DepsJson {
    fn name(&self) -> &'static str {
        "dotnet-deps-json"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let json = parse_json(path, text)?;
        let libraries = json
            .get("libraries")
            .and_then(Value::as_object)
            .ok_or_else(|| LockError::invalid(path, "expected a `libraries` object"))?;
        let lines = JsonLines::new(text);
        let mut parsed = Parsed::default();
        for (key, entry) in libraries {
            if entry.get("type").and_then(Value::as_str) != Some("package") {
                continue;
            }
            let line = lines.get(&["libraries", key]);
            let Some((name, version)) = key.split_once('/') else {
                parsed.notes.push(format!(
                    "{path}:{line}: `{key}` is not `Name/version`: not matched"
                ));
                continue;
            };
            parsed.packages.push(Package {
                ecosystem: "NuGet",
                name: name.to_owned(),
                version: version.to_owned(),
                dev: false,
                line,
            });
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "Clinic.Api.deps.json",
    r#"{
  "runtimeTarget": {
    "name": ".NETCoreApp,Version=v8.0",
    "signature": ""
  },
  "targets": {
    ".NETCoreApp,Version=v8.0": {}
  },
  "libraries": {
    "Clinic.Api/1.0.0": {
      "type": "project",
      "serviceable": false,
      "sha512": ""
    },
    "Serilog/3.1.1": {
      "type": "package",
      "serviceable": true,
      "sha512": "sha512-AA==",
      "path": "serilog/3.1.1"
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
        DepsJson.parse("Clinic.Api.deps.json", text.as_bytes())
    }

    #[test]
    fn package_libraries_only() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.ecosystems();
        assert_eq!(got, vec![("NuGet", "Serilog", "3.1.1", 15)]);
    }

    #[test]
    fn truncated_json_names_the_file() {
        assert!(
            parse(&FIXTURE.1[..150])
                .must_err()
                .to_string()
                .starts_with("Clinic.Api.deps.json:")
        );
    }
}
