//! R's `package_version` ordering (`?numeric_version` in base R,
//! <https://stat.ethz.ch/R-manual/R-devel/library/base/html/numeric_version.html>):
//! non-negative integer components separated by `.` or `-`, compared
//! numerically one by one, a version that is a prefix of another sorting
//! first (`0.1.0 < 0.1.0.0`: no zero padding). R's `package_version` insists
//! on at least two components; a single one is accepted here as
//! `numeric_version` does, since nothing about its order is ambiguous.

use std::cmp::Ordering;

use crate::numeric::{cmp_digits, is_digits};
use crate::{Ecosystem, VersionError};

fn parse(input: &str) -> Result<Vec<&str>, VersionError> {
    let parts: Vec<&str> = input.trim().split(['.', '-']).collect();
    if parts.iter().all(|part| is_digits(part)) {
        Ok(parts)
    } else {
        Err(VersionError::invalid(
            Ecosystem::Cran,
            input,
            "components must be numbers separated by '.' or '-'",
        ))
    }
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let (a, b) = (parse(a)?, parse(b)?);
    for (x, y) in a.iter().zip(&b) {
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return Ok(ord);
        }
    }
    Ok(a.len().cmp(&b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn compares_numerically_across_both_separators() {
        assert_eq!(cmp("0.9", "0.75"), Ordering::Less);
        assert_eq!(cmp("0.01.0", "0.1-0"), Ordering::Equal);
        assert_eq!(cmp("1.0-1", "1.0.1"), Ordering::Equal);
    }

    #[test]
    fn a_longer_version_is_newer_even_with_zeros() {
        assert_eq!(cmp("0.1.0", "0.1.0.0"), Ordering::Less);
        assert_eq!(cmp("0.3.2.0", "0.3.2"), Ordering::Greater);
    }

    #[test]
    fn rejects_letters_and_empty_components() {
        assert!(compare("1.0a", "1.0").is_err());
        assert!(compare("1..0", "1.0").is_err());
        assert!(compare("", "1.0").is_err());
    }
}
