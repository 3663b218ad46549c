//! dpkg's version ordering, as `dpkg --compare-versions` does it
//! (deb-version(7), <https://www.debian.org/doc/debian-policy/ch-controlfields.html#version>,
//! and `verrevcmp` in dpkg's `lib/dpkg/version.c`): `[epoch:]upstream[-revision]`,
//! the epoch compared as a number, then upstream and revision each by the
//! `verrevcmp` loop, in which `~` sorts before everything (even the end of
//! the string), letters before other characters, and digit runs compare
//! numerically.

use std::cmp::Ordering;

use crate::numeric::{cmp_digits, is_digits};
use crate::{Ecosystem, VersionError};

struct DebVersion<'a> {
    epoch: &'a str,
    upstream: &'a str,
    revision: &'a str,
}

/// Splits as dpkg's `parseversion` does: the epoch ends at the first `:`,
/// the revision starts after the last `-`.
fn parse(input: &str) -> Result<DebVersion<'_>, VersionError> {
    let err = |reason: &str| VersionError::invalid(Ecosystem::Debian, input, reason);
    let s = input.trim();
    if s.is_empty() {
        return Err(err("version string is empty"));
    }
    if s.chars().any(char::is_whitespace) {
        return Err(err("version string has embedded spaces"));
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((epoch, rest)) => (epoch, rest),
        None => ("0", s),
    };
    if !is_digits(epoch) {
        return Err(err("epoch in version is not a number"));
    }
    if rest.is_empty() {
        return Err(err("nothing after colon in version number"));
    }
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((upstream, revision)) => (upstream, revision),
        None => (rest, ""),
    };
    if upstream.is_empty() {
        return Err(err("version number is empty"));
    }
    if rest.contains('-') && revision.is_empty() {
        return Err(err("revision number is empty"));
    }
    Ok(DebVersion {
        epoch,
        upstream,
        revision,
    })
}

/// dpkg's `order()`: where a non-digit character sorts; 0 is the end of the
/// string (and, inside the non-digit loop, a digit).
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`: alternate non-digit runs (by [`order`]) and digit
/// runs (numerically) until one side differs.
fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let is_digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !is_digit(a, i)) || (j < b.len() && !is_digit(b, j)) {
            let (x, y) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        let start_a = i;
        while is_digit(a, i) {
            i += 1;
        }
        let start_b = j;
        while is_digit(b, j) {
            j += 1;
        }
        // Both slices are ASCII digits, so they are valid UTF-8.
        let x = std::str::from_utf8(&a[start_a.min(a.len())..i.min(a.len())]).unwrap_or("");
        let y = std::str::from_utf8(&b[start_b.min(b.len())..j.min(b.len())]).unwrap_or("");
        let ord = cmp_digits(x, y);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let (a, b) = (parse(a)?, parse(b)?);
    Ok(cmp_digits(a.epoch, b.epoch)
        .then_with(|| verrevcmp(a.upstream, b.upstream))
        .then_with(|| verrevcmp(a.revision, b.revision)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn tilde_sorts_before_everything_even_the_end() {
        assert_eq!(cmp("1.0~rc1", "1.0"), Ordering::Less);
        assert_eq!(cmp("1.0~~", "1.0~"), Ordering::Less);
        assert_eq!(cmp("1.2.3-1~deb7u1", "1.2.3-1"), Ordering::Less);
    }

    #[test]
    fn letters_sort_before_other_characters() {
        assert_eq!(cmp("1.0a", "1.0+"), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0a"), Ordering::Less);
        assert_eq!(
            cmp("2.7.4+reloaded2-13ubuntu1", "2.7.4+reloaded2-13+deb9u1"),
            Ordering::Less
        );
    }

    #[test]
    fn epoch_and_revision_follow_dpkg() {
        assert_eq!(cmp("1:0.1", "9.9"), Ordering::Greater);
        assert_eq!(cmp("0:1.0", "1.0-0"), Ordering::Equal);
        assert_eq!(cmp("1.0-1.2-3", "1.0-1.2-4"), Ordering::Less);
        assert_eq!(cmp("1:2:3-1", "1:2:3-1"), Ordering::Equal);
    }

    #[test]
    fn rejects_what_dpkg_rejects() {
        assert!(compare("", "1.0").is_err());
        assert!(compare("a:1.0", "1.0").is_err());
        assert!(compare("1:", "1.0").is_err());
        assert!(compare("1.0-", "1.0").is_err());
        assert!(compare("1 0", "1.0").is_err());
    }
}
