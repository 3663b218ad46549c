//! `Gemfile.lock`: the `specs:` of each `GEM` section, `    name (1.2.3)`
//! at four spaces. Platform suffixes (`1.15.4-x86_64-linux`) are dropped:
//! RubyGems writes a prerelease with a dot, so a `-` starts the platform.
//! Gems from `GIT` and `PATH` sections are noted; Bundler records no
//! groups in the lock, so `dev` stays false.

use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct GemfileLock;

impl Lockfile for GemfileLock {
    fn name(&self) -> &'static str {
        "gemfile-lock"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        crate::reject_conflicts(path, text)?;
        let mut parsed = Parsed::default();
        let mut section = "";
        let mut in_specs = false;
        for (n, line) in text.lines().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
            if !line.starts_with(' ') {
                section = line.trim();
                in_specs = false;
                continue;
            }
            if line.trim() == "specs:" {
                in_specs = true;
                continue;
            }
            let Some(spec) = line
                .strip_prefix("    ")
                .filter(|s| in_specs && !s.starts_with(' '))
            else {
                continue;
            };
            let Some((name, version)) = spec.strip_suffix(')').and_then(|s| s.split_once(" ("))
            else {
                return Err(LockError::at_line(path, n, "expected `name (version)`"));
            };
            if section != "GEM" {
                parsed.notes.push(format!(
                    "{path}:{n}: `{name}` {version} comes from {section}, not RubyGems: not matched"
                ));
                continue;
            }
            let version = version.split('-').next().unwrap_or_default();
            parsed.packages.push(Package {
                ecosystem: "RubyGems",
                name: name.to_owned(),
                version: version.to_owned(),
                dev: false,
                line: n,
            });
        }
        Ok(parsed)
    }
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "Gemfile.lock",
    "GIT
  remote: https://example.org/nhs/design-gem.git
  revision: 0123456789abcdef
  specs:
    design-gem (2.1.0)

GEM
  remote: https://rubygems.org/
  specs:
    actionpack (7.1.3)
      rack (>= 2.2.4)
    nokogiri (1.16.5-x86_64-linux)
      racc (~> 1.4)
    rack (3.0.11)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  actionpack
  design-gem!

BUNDLED WITH
   2.5.9
",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        GemfileLock.parse("Gemfile.lock", text.as_bytes())
    }

    #[test]
    fn gem_specs_with_platforms_stripped() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.versions();
        assert_eq!(
            got,
            vec![
                ("actionpack", "7.1.3", 10),
                ("nokogiri", "1.16.5", 12),
                ("rack", "3.0.11", 14)
            ]
        );
        assert_eq!(
            parsed.notes,
            vec!["Gemfile.lock:5: `design-gem` 2.1.0 comes from GIT, not RubyGems: not matched"]
        );
    }

    #[test]
    fn conflict_markers_name_the_line() {
        let text = FIXTURE
            .1
            .replace("    rack (3.0.11)\n", "<<<<<<< ours\n    rack (3.0.11)\n");
        assert_eq!(
            parse(&text).must_err().to_string(),
            "Gemfile.lock:14: merge conflict marker"
        );
    }

    #[test]
    fn malformed_spec_names_the_line() {
        let err = parse("GEM\n  specs:\n    rack 3.0\n").must_err();
        assert_eq!(err.to_string(), "Gemfile.lock:3: expected `name (version)`");
    }
}
