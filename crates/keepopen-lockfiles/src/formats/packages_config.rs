//! NuGet's older `packages.config`: `<package id="..." version="..."/>`,
//! dev-only where `developmentDependency="true"`.

use super::xml_util;
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct PackagesConfig;

impl Lockfile for PackagesConfig {
    fn name(&self) -> &'static str {
        "nuget-packages-config"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let root = xml_util::parse(path, text)?;
        if root.name != "packages" {
            return Err(LockError::at_line(
                path,
                root.line,
                "expected a <packages> root element",
            ));
        }
        let mut parsed = Parsed::default();
        for package in root.children("package") {
            let line = package.line;
            let (Some(id), Some(version)) = (package.attr("id"), package.attr("version")) else {
                parsed.notes.push(format!(
                    "{path}:{line}: <package> without id or version: not matched"
                ));
                continue;
            };
            parsed.packages.push(Package {
                ecosystem: "NuGet",
                name: id.to_owned(),
                version: version.to_owned(),
                dev: package.attr("developmentDependency") == Some("true"),
                line,
            });
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "packages.config",
    r#"<?xml version="1.0" encoding="utf-8"?>
<packages>
  <package id="EntityFramework" version="6.4.4" targetFramework="net48" />
  <package id="StyleCop.Analyzers" version="1.1.118" targetFramework="net48" developmentDependency="true" />
  <package id="Broken" targetFramework="net48" />
</packages>
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        PackagesConfig.parse("packages.config", text.as_bytes())
    }

    #[test]
    fn packages_with_dev_flags_and_lines() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.rows();
        assert_eq!(
            got,
            vec![
                ("EntityFramework", "6.4.4", false, 3),
                ("StyleCop.Analyzers", "1.1.118", true, 4)
            ]
        );
        assert_eq!(parsed.notes.len(), 1);
    }

    #[test]
    fn truncated_xml_names_the_file() {
        let err = parse(&FIXTURE.1[..120]).must_err().to_string();
        assert!(err.starts_with("packages.config:"), "{err}");
    }

    #[test]
    fn mismatched_tags_name_the_file() {
        let err = parse("<packages>\n<package id=\"a\" version=\"1\">\n</packages>")
            .must_err()
            .to_string();
        assert!(err.starts_with("packages.config:"), "{err}");
    }
}
