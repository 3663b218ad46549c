//! PEP 440 ordering (<https://peps.python.org/pep-0440/#summary-of-permitted-suffixes-and-relative-ordering>)
//! as PyPI uses it: epochs, pre-, post- and dev-releases, local versions,
//! and the normalisations PEP 440 allows (`1.0-1` is `1.0.post1`, `c` is
//! `rc`, case-insensitive). The parsing and ordering are `pep440_rs`'s, the
//! implementation `uv` relies on. Versions that only setuptools' old
//! `LegacyVersion` accepted (`0.1-bulbasaur`) are errors: modern `packaging`
//! dropped them, so there is no agreed order to follow.

use std::cmp::Ordering;
use std::str::FromStr;

use crate::{Ecosystem, VersionError};

fn parse(input: &str) -> Result<pep440_rs::Version, VersionError> {
    pep440_rs::Version::from_str(input.trim())
        .map_err(|e| VersionError::invalid(Ecosystem::Pypi, input, e.to_string()))
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse(a)?.cmp(&parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn orders_the_pep_440_suffixes() {
        let chain = [
            "1.0.dev0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0b2",
            "1.0rc1",
            "1.0",
            "1.0+local.7",
            "1.0.post1.dev0",
            "1.0.post1",
            "1!0.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
    }

    #[test]
    fn applies_the_permitted_normalisations() {
        assert_eq!(cmp("1.0-1", "1.0.post1"), Ordering::Equal);
        assert_eq!(cmp("1.0C1", "1.0rc1"), Ordering::Equal);
        assert_eq!(cmp("v1.0", "1.0.0"), Ordering::Equal);
    }

    #[test]
    fn rejects_legacy_versions() {
        assert!(compare("0.1-bulbasaur", "1.0").is_err());
        assert!(compare("", "1.0").is_err());
    }
}
