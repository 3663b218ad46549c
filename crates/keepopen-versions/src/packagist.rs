//! Packagist ordering: PHP's `version_compare`
//! (<https://www.php.net/manual/en/function.version-compare.php>,
//! `ext/standard/versioning.c`) after stripping a leading `v`/`V`, which is
//! how Composer and OSV's Packagist data compare release names.
//!
//! The version is canonicalised (`-`, `_`, `+` and other punctuation become
//! `.`, and a `.` goes between digit and non-digit runs), split on `.`, and
//! compared part by part: numbers numerically, other parts by the special
//! form they start with, `dev` < `alpha` = `a` < `beta` = `b` < `RC` = `rc`
//! < `#` (a number) < `pl` = `p`, unknown words before all of them. When one
//! side runs out, a following number makes the longer side newer, and a
//! following word is weighed against `#`.
//!
//! Deliberate departures from PHP, none of which a real Packagist release
//! name exercises: numbers are compared at any width (PHP saturates at
//! `PHP_INT_MAX`); a literal `#` is kept as the `#` form rather than read as
//! punctuation; and comparison is a total order (PHP's recursion makes
//! `"1." < "1."`). Composer's `VersionParser::normalize` padding to four
//! parts is not applied: OSV ranges compare the names as published, where
//! `1.0.0 > 1.0`.

use std::cmp::Ordering;

use crate::numeric::{cmp_digits, is_digits};
use crate::{Ecosystem, VersionError};

/// `php_canonicalize_version`, keeping `#` as a character of its own.
fn canonicalize(s: &str) -> String {
    let is_digit = |c: char| c.is_ascii_digit();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '#';
    let mut out = String::with_capacity(s.len() * 2);
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return out;
    };
    out.push(if is_word(first) { first } else { '.' });
    let mut prev = first;
    for c in chars {
        let last_out_is_dot = out.ends_with('.');
        let transition = prev != '.' && c != '.' && is_digit(prev) != is_digit(c);
        if !is_word(c) {
            if !last_out_is_dot {
                out.push('.');
            }
        } else if transition && is_word(prev) {
            if !last_out_is_dot {
                out.push('.');
            }
            out.push(c);
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// `compare_special_version_forms`: the order of the form a part starts
/// with, `-1` for none.
fn special_form(part: &str) -> i8 {
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| part.starts_with(name))
        .map_or(-1, |(_, order)| *order)
}

const NUMBER_FORM: i8 = 4;

fn cmp_part(a: &str, b: &str) -> Ordering {
    match (is_digits(a), is_digits(b)) {
        (true, true) => cmp_digits(a, b),
        (true, false) => NUMBER_FORM.cmp(&special_form(b)),
        (false, true) => special_form(a).cmp(&NUMBER_FORM),
        (false, false) => special_form(a).cmp(&special_form(b)),
    }
}

/// How the leftover parts of the longer version compare with the end of
/// the shorter one (PHP's `version_compare(rest, "#N#")`).
fn cmp_leftover(rest: &[&str]) -> Ordering {
    for part in rest {
        if is_digits(part) {
            return Ordering::Greater;
        }
        let ord = special_form(part).cmp(&NUMBER_FORM);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

fn parse(input: &str) -> Result<String, VersionError> {
    let s = input.trim().trim_start_matches(['v', 'V']);
    if s.is_empty() {
        return Err(VersionError::invalid(
            Ecosystem::Packagist,
            input,
            "version string is empty",
        ));
    }
    Ok(canonicalize(s))
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let (a, b) = (parse(a)?, parse(b)?);
    let a: Vec<&str> = a.split('.').collect();
    let b: Vec<&str> = b.split('.').collect();
    for (x, y) in a.iter().zip(&b) {
        let ord = cmp_part(x, y);
        if ord != Ordering::Equal {
            return Ok(ord);
        }
    }
    Ok(match a.len().cmp(&b.len()) {
        Ordering::Greater => cmp_leftover(&a[b.len()..]),
        Ordering::Less => cmp_leftover(&b[a.len()..]).reverse(),
        Ordering::Equal => Ordering::Equal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn canonicalises_like_php() {
        assert_eq!(canonicalize("1.0rc1"), "1.0.rc.1");
        assert_eq!(canonicalize("1.25.0-beta2.1"), "1.25.0.beta.2.1");
        assert_eq!(canonicalize("1__2"), "1.2");
        assert_eq!(canonicalize("dev-foo"), "dev.foo");
    }

    #[test]
    fn orders_the_special_forms() {
        let chain = ["1.0-dev", "1.0a1", "1.0b1", "1.0RC1", "1.0", "1.0pl1"];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
        assert_eq!(cmp("1.0rc1", "1.0RC1"), Ordering::Equal);
        assert_eq!(cmp("1.0.0rc2", "1.0.0.rc2"), Ordering::Equal);
    }

    #[test]
    fn longer_is_newer_unless_it_continues_with_a_prerelease() {
        assert_eq!(cmp("1.0.0", "1.0"), Ordering::Greater);
        assert_eq!(cmp("1.0-beta", "1.0"), Ordering::Less);
        assert_eq!(cmp("v1.0", "V1.0"), Ordering::Equal);
    }

    #[test]
    fn rejects_empty_versions() {
        assert!(compare("", "1.0").is_err());
        assert!(compare("v", "1.0").is_err());
    }
}
