//! Version ordering for the package ecosystems that OSV advisories name, so
//! that an `introduced`/`fixed`/`last_affected` range can be matched against
//! a dependency's version using that ecosystem's own rules.
//!
//! Every comparator takes arbitrary input without panicking: a version the
//! ecosystem would reject comes back as [`VersionError::Invalid`], never as a
//! guessed ordering.

use std::cmp::Ordering;

mod cran;
mod debian;
mod maven;
mod nuget;
mod numeric;
mod packagist;
mod pep440;
mod rubygems;
mod semver;

/// A version-ordering scheme, named after the OSV ecosystem(s) that use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    /// SemVer 2.0.0 precedence, as npm, crates.io and Go (leading `v`,
    /// pseudo-versions) use it.
    SemVer,
    /// PEP 440, as PyPI uses it.
    Pypi,
    /// Maven's `ComparableVersion`.
    Maven,
    /// RubyGems' `Gem::Version`.
    RubyGems,
    /// NuGet's `NuGetVersion`.
    NuGet,
    /// PHP's `version_compare`, as Composer and Packagist use it.
    Packagist,
    /// R's `package_version`.
    Cran,
    /// dpkg's version comparison.
    Debian,
}

impl Ecosystem {
    /// Every ecosystem, for callers (and tests) that need to walk them all.
    pub const ALL: [Ecosystem; 8] = [
        Ecosystem::SemVer,
        Ecosystem::Pypi,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
        Ecosystem::NuGet,
        Ecosystem::Packagist,
        Ecosystem::Cran,
        Ecosystem::Debian,
    ];

    /// The ordering scheme for an OSV `affected[].package.ecosystem` value.
    ///
    /// A release suffix after `:` (`Debian:12`) does not change the ordering,
    /// so it is ignored here; callers keep it if they need it. Ecosystems this
    /// crate does not order (Ubuntu, Alpine, Hackage, Pub, Red Hat, ...) give
    /// `None` rather than a lookalike.
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        let base = name.split_once(':').map_or(name, |(base, _)| base);
        match base {
            "npm" | "crates.io" | "Go" => Some(Ecosystem::SemVer),
            "PyPI" => Some(Ecosystem::Pypi),
            "Maven" => Some(Ecosystem::Maven),
            "RubyGems" => Some(Ecosystem::RubyGems),
            "NuGet" => Some(Ecosystem::NuGet),
            "Packagist" => Some(Ecosystem::Packagist),
            "CRAN" => Some(Ecosystem::Cran),
            "Debian" => Some(Ecosystem::Debian),
            _ => None,
        }
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::SemVer => "SemVer",
            Ecosystem::Pypi => "PyPI",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Cran => "CRAN",
            Ecosystem::Debian => "Debian",
        }
    }
}

/// Why a version could not be ordered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The string is not a version under the ecosystem's rules.
    #[error("invalid {ecosystem} version {version:?}: {reason}")]
    Invalid {
        ecosystem: &'static str,
        version: String,
        reason: String,
    },
}

impl VersionError {
    pub(crate) fn invalid(eco: Ecosystem, version: &str, reason: impl Into<String>) -> Self {
        VersionError::Invalid {
            ecosystem: eco.name(),
            version: version.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Orders two versions of the same ecosystem.
///
/// Fails if either version is not valid under that ecosystem's rules.
pub fn compare(eco: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    match eco {
        Ecosystem::SemVer => semver::compare(a, b),
        Ecosystem::Pypi => pep440::compare(a, b),
        Ecosystem::Maven => maven::compare(a, b),
        Ecosystem::RubyGems => rubygems::compare(a, b),
        Ecosystem::NuGet => nuget::compare(a, b),
        Ecosystem::Packagist => packagist::compare(a, b),
        Ecosystem::Cran => cran::compare(a, b),
        Ecosystem::Debian => debian::compare(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_map_to_schemes() {
        assert_eq!(Ecosystem::from_osv("npm"), Some(Ecosystem::SemVer));
        assert_eq!(Ecosystem::from_osv("Go"), Some(Ecosystem::SemVer));
        assert_eq!(Ecosystem::from_osv("crates.io"), Some(Ecosystem::SemVer));
        assert_eq!(Ecosystem::from_osv("Debian:12"), Some(Ecosystem::Debian));
        assert_eq!(Ecosystem::from_osv("CRAN"), Some(Ecosystem::Cran));
        assert_eq!(Ecosystem::from_osv("Ubuntu:22.04:LTS"), None);
        assert_eq!(Ecosystem::from_osv("pypi"), None);
        assert_eq!(Ecosystem::from_osv(""), None);
    }

    #[test]
    fn errors_name_the_ecosystem_and_version() {
        let err = compare(Ecosystem::Debian, "", "1.0").err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.starts_with("invalid Debian version \"\""), "{text}");
    }

    /// Every comparator must survive arbitrary input: advisories and
    /// lockfiles are untrusted.
    #[test]
    fn no_comparator_panics_on_noise() {
        const ALPHABET: &[u8] = b"0123456789..--++~~::_vV!abcdeprlsAZ#* \t\xc3\xa9";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut strings = Vec::new();
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            strings.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        strings.push("9".repeat(200));
        strings.push(format!("1.{}", "9".repeat(200)));
        strings.push(format!("1:{}-1", "0".repeat(100)));
        strings.push(format!("1!{}", "9".repeat(50)));
        for eco in Ecosystem::ALL {
            for pair in strings.windows(2) {
                let _ = compare(eco, &pair[0], &pair[1]);
                let _ = compare(eco, &pair[0], &pair[0]);
            }
        }
    }
}
