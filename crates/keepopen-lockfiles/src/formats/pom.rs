//! Maven's `pom.xml`: the `<dependency>` elements of `<dependencies>` and
//! `<dependencyManagement>`, with `${...}` resolved from the file's own
//! `<properties>` and `${project.version}`/`${project.groupId}`. What the
//! file alone cannot settle (a version from a parent or BOM, a property
//! defined elsewhere, a range) is noted. `test` scope is dev-only.

use std::collections::HashMap;

use super::xml_util::{self, Element};
use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct PomXml;

impl Lockfile for PomXml {
    fn name(&self) -> &'static str {
        "maven-pom"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        let project = xml_util::parse(path, text)?;
        if project.name != "project" {
            return Err(LockError::at_line(
                path,
                project.line,
                "expected a <project> root element",
            ));
        }
        let properties = properties(&project);
        let mut parsed = Parsed::default();
        let managed = project
            .child("dependencyManagement")
            .and_then(|m| m.child("dependencies"));
        let lists = project.child("dependencies").into_iter().chain(managed);
        for dependency in lists.flat_map(|list| list.children("dependency")) {
            let line = dependency.line;
            let field = |name: &str| dependency.child_text(name).map(|v| resolve(v, &properties));
            let (Some(Some(group)), Some(Some(artifact))) = (field("groupId"), field("artifactId"))
            else {
                parsed.notes.push(format!("{path}:{line}: a dependency without a resolvable groupId and artifactId: not matched"));
                continue;
            };
            let version = match field("version") {
                None => {
                    parsed.notes.push(format!("{path}:{line}: `{group}:{artifact}` has no version here (parent or BOM): not matched"));
                    continue;
                }
                Some(None) => {
                    parsed.notes.push(format!("{path}:{line}: `{group}:{artifact}` version uses a property not defined in this file: not matched"));
                    continue;
                }
                Some(Some(version)) if version.starts_with(['[', '(']) || version.contains(',') => {
                    parsed.notes.push(format!("{path}:{line}: `{group}:{artifact}` version `{version}` is a range, not a pin: not matched"));
                    continue;
                }
                Some(Some(version)) => version,
            };
            parsed.packages.push(Package {
                ecosystem: "Maven",
                name: format!("{group}:{artifact}"),
                version,
                dev: dependency.child_text("scope") == Some("test"),
                line,
            });
        }
        Ok(parsed)
    }
}

/// `<properties>` plus the project's own coordinates, which default to the
/// parent's.
fn properties(project: &Element) -> HashMap<String, String> {
    let mut props: HashMap<String, String> = project
        .child("properties")
        .map(|p| {
            p.children
                .iter()
                .map(|c| (c.name.clone(), c.text.trim().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let parent = project.child("parent");
    for key in ["version", "groupId", "artifactId"] {
        let value = project
            .child_text(key)
            .or_else(|| parent.and_then(|p| p.child_text(key)));
        if let Some(value) = value {
            props.insert(format!("project.{key}"), value.to_owned());
            props.insert(format!("pom.{key}"), value.to_owned());
        }
    }
    if let Some(version) = parent.and_then(|p| p.child_text("version")) {
        props.insert("project.parent.version".to_owned(), version.to_owned());
    }
    props
}

/// Expands `${name}` repeatedly (properties may name properties), or None
/// if one is undefined or they loop.
fn resolve(value: &str, props: &HashMap<String, String>) -> Option<String> {
    let mut out = value.to_owned();
    for _ in 0..16 {
        let Some(start) = out.find("${") else {
            return Some(out);
        };
        let end = start + out.get(start..)?.find('}')?;
        let name = out.get(start + 2..end)?;
        let replacement = props.get(name)?.clone();
        out.replace_range(start..=end, &replacement);
    }
    None
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "pom.xml",
    r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>uk.nhs.example</groupId>
  <artifactId>referrals</artifactId>
  <version>1.4.0</version>
  <properties>
    <jackson.version>2.17.0</jackson.version>
    <jackson.range>${jackson.version}</jackson.range>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.range}</version>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>referrals-common</artifactId>
      <version>${project.version}</version>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
    </dependency>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>elsewhere</artifactId>
      <version>${undefined.version}</version>
    </dependency>
  </dependencies>
</project>
"#,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        PomXml.parse("pom.xml", text.as_bytes())
    }

    #[test]
    fn dependencies_with_properties_resolved_and_test_scope_dev() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.rows();
        assert_eq!(
            got,
            vec![
                (
                    "com.fasterxml.jackson.core:jackson-databind",
                    "2.17.0",
                    false,
                    12
                ),
                ("uk.nhs.example:referrals-common", "1.4.0", false, 17),
                ("org.junit.jupiter:junit-jupiter", "5.10.2", true, 22),
            ]
        );
        assert_eq!(parsed.notes.len(), 2, "{:?}", parsed.notes);
        assert!(parsed.notes[0].starts_with("pom.xml:28: `org.slf4j:slf4j-api` has no version"));
        assert!(
            parsed.notes[1]
                .starts_with("pom.xml:32: `org.example:elsewhere` version uses a property")
        );
    }

    #[test]
    fn ranges_and_property_loops_are_not_pins() {
        let text = "<project><properties><a>${b}</a><b>${a}</b></properties><dependencies>\n<dependency><groupId>g</groupId><artifactId>x</artifactId><version>[1.0,2.0)</version></dependency>\n<dependency><groupId>g</groupId><artifactId>y</artifactId><version>${a}</version></dependency>\n</dependencies></project>";
        let parsed = parse(text).must();
        assert!(parsed.packages.is_empty());
        assert_eq!(parsed.notes.len(), 2);
        assert!(parsed.notes[0].contains("is a range"));
    }

    #[test]
    fn truncated_xml_names_the_file() {
        let err = parse(&FIXTURE.1[..400]).must_err().to_string();
        assert!(err.starts_with("pom.xml:"), "{err}");
    }
}
