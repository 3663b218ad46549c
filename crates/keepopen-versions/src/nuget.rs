//! NuGet's `NuGetVersion` ordering (<https://learn.microsoft.com/nuget/concepts/package-versioning>,
//! `VersionComparer.Default` in NuGet.Client): up to four numeric parts
//! (missing ones are 0, leading zeros allowed, so `1.0.01` = `1.0.1.0`),
//! then SemVer 2.0.0 pre-release precedence with labels compared
//! case-insensitively; build metadata is ignored. Numbers are compared at
//! any width rather than rejected past `int.MaxValue`.

use std::cmp::Ordering;

use crate::numeric::{cmp_digits, is_digits};
use crate::{Ecosystem, VersionError};

struct NuGetVersion<'a> {
    parts: Vec<&'a str>,
    labels: Vec<&'a str>,
}

fn is_label(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn parse(input: &str) -> Result<NuGetVersion<'_>, VersionError> {
    let err = |reason: &str| VersionError::invalid(Ecosystem::NuGet, input, reason);
    let s = input.trim();
    let (s, metadata) = match s.split_once('+') {
        Some((rest, metadata)) => (rest, Some(metadata)),
        None => (s, None),
    };
    if let Some(metadata) = metadata
        && !metadata.split('.').all(is_label)
    {
        return Err(err("metadata must be dot-separated [0-9A-Za-z-] labels"));
    }
    let (numbers, release) = match s.split_once('-') {
        Some((numbers, release)) => (numbers, Some(release)),
        None => (s, None),
    };
    let parts: Vec<&str> = numbers.split('.').collect();
    if parts.len() > 4 || !parts.iter().all(|part| is_digits(part)) {
        return Err(err("expected one to four numeric parts"));
    }
    let labels: Vec<&str> = match release {
        Some(release) => release.split('.').collect(),
        None => Vec::new(),
    };
    if !labels.iter().all(|label| is_label(label)) {
        return Err(err(
            "release labels must be dot-separated [0-9A-Za-z-] labels",
        ));
    }
    Ok(NuGetVersion { parts, labels })
}

fn cmp_label(a: &str, b: &str) -> Ordering {
    match (is_digits(a), is_digits(b)) {
        (true, true) => cmp_digits(a, b),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b.bytes().map(|c| c.to_ascii_uppercase())),
    }
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let (a, b) = (parse(a)?, parse(b)?);
    for i in 0..4 {
        let x = a.parts.get(i).copied().unwrap_or("0");
        let y = b.parts.get(i).copied().unwrap_or("0");
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return Ok(ord);
        }
    }
    Ok(match (a.labels.is_empty(), b.labels.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a
            .labels
            .iter()
            .zip(&b.labels)
            .map(|(x, y)| cmp_label(x, y))
            .find(|ord| *ord != Ordering::Equal)
            .unwrap_or_else(|| a.labels.len().cmp(&b.labels.len())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn pads_to_four_parts_and_ignores_metadata() {
        assert_eq!(cmp("1.0", "1.0.0.0+build"), Ordering::Equal);
        assert_eq!(cmp("1.0.01", "1.0.1.0"), Ordering::Equal);
        assert_eq!(cmp("1.0.0", "1.0.0.1-alpha"), Ordering::Less);
    }

    #[test]
    fn labels_are_case_insensitive_semver() {
        assert_eq!(cmp("1.0.0-BETA", "1.0.0-beta"), Ordering::Equal);
        assert_eq!(cmp("1.0.0-beta.2", "1.0.0-beta.10"), Ordering::Less);
        assert_eq!(cmp("1.0.0-beta", "1.0.0"), Ordering::Less);
    }

    #[test]
    fn rejects_malformed_versions() {
        assert!(compare("1.2.3.4.5", "1.0").is_err());
        assert!(compare("1.0-", "1.0").is_err());
        assert!(compare("a.b", "1.0").is_err());
    }
}
