//! RubyGems' `Gem::Version` ordering (`lib/rubygems/version.rb`,
//! <https://guides.rubygems.org/patterns/#semantic-versioning>): a version
//! must match `Gem::Version::ANCHORED_VERSION_PATTERN`; `-` is read as
//! `.pre.`; segments are the runs of digits or letters; the canonical form
//! drops trailing zeros from the release part and from the prerelease part
//! (which starts at the first letter segment); then segments compare pairwise,
//! missing ones as 0, numbers numerically, strings bytewise, and a string
//! below a number, which is what makes any letter a prerelease.

use std::cmp::Ordering;

use crate::numeric::{cmp_digits, is_digits};
use crate::{Ecosystem, VersionError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    Number(&'a str),
    Text(&'a str),
}

fn is_alnum_run(s: &str, allow_hyphen: bool) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || (allow_hyphen && b == b'-'))
}

/// `[0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`
fn matches_version_pattern(s: &str) -> bool {
    let (release, pre) = match s.split_once('-') {
        Some((release, pre)) => (release, Some(pre)),
        None => (s, None),
    };
    let mut parts = release.split('.');
    let first_ok = parts.next().is_some_and(is_digits);
    let rest_ok = parts.all(|part| is_alnum_run(part, false));
    let pre_ok = pre.is_none_or(|pre| pre.split('.').all(|part| is_alnum_run(part, true)));
    first_ok && rest_ok && pre_ok
}

/// The length of `part` once trailing zero segments are dropped.
fn without_trailing_zeros(part: &[Segment<'_>]) -> usize {
    part.iter()
        .rposition(|s| !matches!(s, Segment::Number(n) if cmp_digits(n, "0").is_eq()))
        .map_or(0, |i| i + 1)
}

/// `Gem::Version#canonical_segments`. Unlike RubyGems, an empty string is
/// an error rather than version `0`: an advisory bound that is blank is a
/// data problem, not the oldest release.
fn parse(input: &str) -> Result<Vec<Segment<'_>>, VersionError> {
    let s = input.trim();
    if !matches_version_pattern(s) {
        return Err(VersionError::invalid(
            Ecosystem::RubyGems,
            input,
            "malformed version number string",
        ));
    }
    // Splitting on '-' as well as '.' is what `gsub("-", ".pre.")` amounts to,
    // once the inserted "pre" segment is put back.
    let mut segments = Vec::new();
    for (i, chunk) in s.split('-').enumerate() {
        if i > 0 {
            segments.push(Segment::Text("pre"));
        }
        for part in chunk.split('.') {
            let mut start = 0;
            let bytes = part.as_bytes();
            for end in 1..=bytes.len() {
                let boundary = end == bytes.len()
                    || bytes[end].is_ascii_digit() != bytes[end - 1].is_ascii_digit();
                if boundary {
                    let run = &part[start..end];
                    segments.push(if is_digits(run) {
                        Segment::Number(run)
                    } else {
                        Segment::Text(run)
                    });
                    start = end;
                }
            }
        }
    }
    let split = segments
        .iter()
        .position(|s| matches!(s, Segment::Text(_)))
        .unwrap_or(segments.len());
    let (release, pre) = segments.split_at(split);
    let mut canonical = release[..without_trailing_zeros(release)].to_vec();
    canonical.extend_from_slice(&pre[..without_trailing_zeros(pre)]);
    Ok(canonical)
}

fn cmp_segments(a: &[Segment<'_>], b: &[Segment<'_>]) -> Ordering {
    let zero = Segment::Number("0");
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(zero);
        let y = b.get(i).copied().unwrap_or(zero);
        let ord = match (x, y) {
            (Segment::Number(x), Segment::Number(y)) => cmp_digits(x, y),
            (Segment::Text(x), Segment::Text(y)) => x.cmp(y),
            (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
            (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(cmp_segments(&parse(a)?, &parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn letters_make_a_prerelease() {
        assert_eq!(cmp("1.2.4.beta", "1.2.4"), Ordering::Less);
        assert_eq!(cmp("1.0.a10", "1.0.a.10"), Ordering::Equal);
        assert_eq!(cmp("1.0.a9", "1.0.a10"), Ordering::Less);
        assert_eq!(cmp("1.0-rc1", "1.0.pre.rc1"), Ordering::Equal);
    }

    #[test]
    fn trailing_zeros_do_not_count() {
        assert_eq!(cmp("1.0.0", "1"), Ordering::Equal);
        assert_eq!(cmp("3.10", "3.2"), Ordering::Greater);
    }

    #[test]
    fn rejects_what_gem_version_rejects() {
        assert!(compare("1beta", "1").is_err());
        assert!(compare("v1.0", "1").is_err());
        assert!(compare("1..0", "1").is_err());
        assert!(compare("", "1").is_err());
    }
}
