//! `gradle.lockfile`: `group:artifact:version=configuration,...` lines. A
//! package is dev-only when every configuration locking it is a test one.

use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct GradleLockfile;

impl Lockfile for GradleLockfile {
    fn name(&self) -> &'static str {
        "gradle-lockfile"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        crate::reject_conflicts(path, text)?;
        let mut parsed = Parsed::default();
        for (n, raw) in text.lines().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
                continue;
            }
            let (coordinates, configurations) = line.split_once('=').unwrap_or((line, ""));
            let parts: Vec<&str> = coordinates.split(':').collect();
            let [group, artifact, version] = parts.as_slice() else {
                return Err(LockError::at_line(
                    path,
                    n,
                    "expected `group:artifact:version=configurations`",
                ));
            };
            let dev = !configurations.is_empty()
                && configurations
                    .split(',')
                    .all(|c| c.trim().to_ascii_lowercase().contains("test"));
            parsed.packages.push(Package {
                ecosystem: "Maven",
                name: format!("{group}:{artifact}"),
                version: (*version).to_owned(),
                dev,
                line: n,
            });
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "gradle.lockfile",
    "# This is a Gradle generated file for dependency locking.
# Manual edits can break the build and are not advised.
# This file is expected to be part of source control.
com.fasterxml.jackson.core:jackson-databind:2.17.0=compileClasspath,runtimeClasspath
junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath
empty=annotationProcessor
",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        GradleLockfile.parse("gradle.lockfile", text.as_bytes())
    }

    #[test]
    fn coordinates_with_test_configurations_as_dev() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.rows();
        assert_eq!(
            got,
            vec![
                (
                    "com.fasterxml.jackson.core:jackson-databind",
                    "2.17.0",
                    false,
                    4
                ),
                ("junit:junit", "4.13.2", true, 5),
            ]
        );
    }

    #[test]
    fn malformed_line_names_the_line() {
        let err = parse("a:b=compileClasspath\n").must_err();
        assert_eq!(
            err.to_string(),
            "gradle.lockfile:1: expected `group:artifact:version=configurations`"
        );
    }
}
