//! SemVer 2.0.0 precedence (<https://semver.org/#spec-item-11>), read
//! leniently the way npm, crates.io and Go advisory data need.
//!
//! Hand-written rather than built on the `semver` crate because that crate
//! (rightly, for Cargo) rejects the forms real advisories contain: a leading
//! `v` (Go), a missing minor or patch (`1.2`), leading zeros, numbers wider
//! than 64 bits. Leniencies: `v1.2` = `1.2.0`; more than three numeric
//! components are compared too, missing ones counting as zero. Go
//! pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) need no special
//! case: they are SemVer pre-releases and order as such. Build metadata
//! (`+incompatible`) is validated and then ignored, as the spec says.

use std::cmp::Ordering;

use crate::numeric::{cmp_digits, is_digits};
use crate::{Ecosystem, VersionError};

/// A version reduced to what precedence looks at.
#[derive(Debug)]
struct SemVer<'a> {
    core: Vec<&'a str>,
    pre: Vec<&'a str>,
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn parse(input: &str) -> Result<SemVer<'_>, VersionError> {
    let err = |reason: &str| VersionError::invalid(Ecosystem::SemVer, input, reason);
    let s = input.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let (s, build) = match s.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (s, None),
    };
    if let Some(build) = build
        && !build.split('.').all(is_identifier)
    {
        return Err(err(
            "build metadata must be dot-separated [0-9A-Za-z-] identifiers",
        ));
    }
    let (core, pre) = match s.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (s, None),
    };
    let core: Vec<&str> = core.split('.').collect();
    if !core.iter().all(|part| is_digits(part)) {
        return Err(err("major.minor.patch must be numbers"));
    }
    let pre: Vec<&str> = match pre {
        Some(pre) => pre.split('.').collect(),
        None => Vec::new(),
    };
    if !pre.iter().all(|id| is_identifier(id)) {
        return Err(err(
            "pre-release must be dot-separated [0-9A-Za-z-] identifiers",
        ));
    }
    Ok(SemVer { core, pre })
}

/// Spec item 11.4: numeric identifiers compare numerically and sort before
/// alphanumeric ones, which compare in ASCII order.
fn cmp_identifier(a: &str, b: &str) -> Ordering {
    match (is_digits(a), is_digits(b)) {
        (true, true) => cmp_digits(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.cmp(b),
    }
}

fn cmp_parsed(a: &SemVer<'_>, b: &SemVer<'_>) -> Ordering {
    let width = a.core.len().max(b.core.len()).max(3);
    for i in 0..width {
        let x = a.core.get(i).copied().unwrap_or("0");
        let y = b.core.get(i).copied().unwrap_or("0");
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    match (a.pre.is_empty(), b.pre.is_empty()) {
        (true, true) => Ordering::Equal,
        // A release outranks any of its pre-releases.
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            for (x, y) in a.pre.iter().zip(&b.pre) {
                let ord = cmp_identifier(x, y);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            a.pre.len().cmp(&b.pre.len())
        }
    }
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(cmp_parsed(&parse(a)?, &parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn follows_the_spec_example_chain() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
    }

    #[test]
    fn accepts_go_and_npm_shapes() {
        assert_eq!(cmp("v1.2", "1.2.0"), Ordering::Equal);
        assert_eq!(cmp("v1.2.3+incompatible", "1.2.3"), Ordering::Equal);
        assert_eq!(
            cmp(
                "v0.0.0-20191109021931-daa7c04131f5",
                "v0.0.0-20200101000000-aaaaaaaaaaaa"
            ),
            Ordering::Less
        );
        assert_eq!(
            cmp("v0.0.0-20191109021931-daa7c04131f5", "v0.0.1"),
            Ordering::Less
        );
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        assert!(compare("", "1.0.0").is_err());
        assert!(compare("1.0.0-", "1.0.0").is_err());
        assert!(compare("1..0", "1.0.0").is_err());
        assert!(compare("1.0.0+", "1.0.0").is_err());
        assert!(compare("latest", "1.0.0").is_err());
    }
}
