//! Maven's version ordering as osv-scalibr implements it
//! (`semantic/version-maven.go` in google/osv-scalibr), which is what
//! osv-scanner uses to decide whether a Maven version falls in an OSV range.
//! keepopen follows it exactly, so that it reports the same affected
//! versions as osv-scanner does, and agrees with every line of osv-scalibr's
//! published ordering vectors.
//!
//! This is the ordering of `org.apache.maven.artifact.versioning.ComparableVersion`
//! as of maven-artifact 3.8.6 (<https://maven.apache.org/pom.html#version-order-specification>),
//! before MNG-7644 (Maven 3.8.7+, 3.9), which made `1.0.0.RC1` sort like
//! `1.0.0-RC1`. Here `2.9.0.RC1` is still newer than `2.9.0-1`, as in
//! osv-scalibr's vectors (the generated file was produced with 3.8.6).
//!
//! The version is split into tokens on `.` and `-` and at every
//! digit/letter transition, each token remembering the separator before it
//! (a transition counts as `-`). Tokens are lower-cased; an empty token is
//! `0`, `cr` is `rc`, `ga`, `final` and `release` are the empty qualifier,
//! and `a`, `b`, `m` directly followed by a digit mean alpha, beta,
//! milestone. Then, following the spec's prose ("null values are trimmed at
//! each hyphen"), trailing null tokens (`0` and the empty qualifier) are
//! removed from the end and again before each remaining `-`, so
//! `1-ga-1` = `1-1` (where Maven itself would keep `1-ga-1` as
//! `[1, [[1]]]`).
//!
//! Two versions compare token by token, the shorter padded with null tokens
//! that take the separator of the token opposite (`.0`, or `-` and the empty
//! qualifier). Tokens with the same separator compare as numbers if both
//! are; otherwise a number wins over a qualifier unless it is padding, and
//! qualifiers rank alpha < beta < milestone < rc < snapshot < "" < sp <
//! unknown (unknown ones, including padding `0`, byte-wise among
//! themselves). Tokens with different separators rank
//! `.qualifier` < `-qualifier` < `-number` < `.number`.
//!
//! Deviations from osv-scalibr, which only touch input no real version
//! has: surrounding whitespace is ignored (osv-scalibr would read it as a
//! qualifier), and an empty version (osv-scalibr: `0`) or one with more
//! than [`MAX_DEPTH`] `-`-separated tokens is rejected rather than ordered.

use std::cmp::Ordering;

use crate::numeric::{cmp_digits, is_digits};
use crate::{Ecosystem, VersionError};

/// Each `-` (or digit/letter transition) is a level of nesting in Maven's
/// `ComparableVersion`; more of them than this is no real version, so it is
/// rejected rather than ordered (Maven itself would recurse that deep).
const MAX_DEPTH: usize = 64;

/// The separator in front of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// The first token has none.
    Start,
    Dot,
    /// A `-`, or a transition between digits and letters.
    Hyphen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    sep: Sep,
    /// A number without leading zeros (`0` for zero), or a lower-cased
    /// qualifier with its aliases resolved (`""` for the release).
    value: String,
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

/// Known qualifiers by position, unknown ones after all of them and
/// byte-wise among themselves.
fn qualifier_rank(q: &str) -> (usize, &str) {
    match QUALIFIERS.iter().position(|known| *known == q) {
        Some(i) => (i, ""),
        None => (QUALIFIERS.len(), q),
    }
}

impl Token {
    /// Builds a token from one run of digits or of non-digits; `followed_by_digit`
    /// is whether a digit comes straight after it.
    fn new(sep: Sep, text: &str, followed_by_digit: bool) -> Token {
        let text = text.to_lowercase();
        let value = if is_digits(&text) {
            match text.trim_start_matches('0') {
                "" => "0",
                digits => digits,
            }
        } else {
            match (followed_by_digit, text.as_str()) {
                (_, "") => "0",
                (_, "cr") => "rc",
                (_, "ga" | "final" | "release") => "",
                (true, "a") => "alpha",
                (true, "b") => "beta",
                (true, "m") => "milestone",
                (_, other) => other,
            }
        };
        Token {
            sep,
            value: value.to_owned(),
        }
    }

    fn is_number(&self) -> bool {
        is_digits(&self.value)
    }

    /// `0` or the empty qualifier: what trimming removes.
    fn is_null(&self) -> bool {
        self.value == "0" || self.value.is_empty()
    }

    /// The null token padding the other version opposite `self`.
    fn padding(&self) -> Token {
        let value = match self.sep {
            // `sp` is the one qualifier above the empty one, so it is
            // padded with the empty qualifier rather than `0`.
            Sep::Dot if self.value != "sp" => "0",
            _ => "",
        };
        Token {
            sep: self.sep,
            value: value.to_owned(),
        }
    }

    /// Where a token stands against one with a different separator:
    /// `.qualifier` < `-qualifier` < `-number` < `.number`. The first token
    /// always meets another first token, so `Start` only needs some rank.
    fn separator_rank(&self) -> u8 {
        match (self.sep, self.is_number()) {
            (Sep::Dot | Sep::Start, false) => 0,
            (Sep::Hyphen, false) => 1,
            (Sep::Hyphen, true) => 2,
            (Sep::Dot | Sep::Start, true) => 3,
        }
    }

    /// Orders two tokens, either of which may be padding (`self_pad`,
    /// `other_pad`).
    fn cmp_token(&self, self_pad: bool, other: &Token, other_pad: bool) -> Ordering {
        if self.sep != other.sep {
            return self.separator_rank().cmp(&other.separator_rank());
        }
        match (self.is_number(), other.is_number()) {
            (true, true) => cmp_digits(&self.value, &other.value),
            // A number beats a qualifier, but padding `0` does not: it then
            // ranks as the unknown qualifier "0".
            (true, false) if !self_pad => Ordering::Greater,
            (false, true) if !other_pad => Ordering::Less,
            _ => qualifier_rank(&self.value).cmp(&qualifier_rank(&other.value)),
        }
    }
}

/// Splits `version` into tokens, resolving aliases, before trimming.
fn tokenize(version: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut sep = Sep::Start;
    let mut rest = version;
    loop {
        let (segment, next) = match rest.find(['.', '-']) {
            Some(at) => (&rest[..at], Some(at)),
            None => (rest, None),
        };
        push_segment(&mut tokens, sep, segment);
        let Some(at) = next else { break };
        sep = if rest[at..].starts_with('-') {
            Sep::Hyphen
        } else {
            Sep::Dot
        };
        rest = &rest[at + 1..];
    }
    tokens
}

/// Adds the tokens of one `.`/`-`-free segment: its runs of digits and of
/// non-digits, the first after `sep` and the others after a transition.
fn push_segment(tokens: &mut Vec<Token>, sep: Sep, segment: &str) {
    let mut sep = sep;
    let mut start = 0;
    let mut chars = segment.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let Some(&(at, next)) = chars.peek() else {
            break;
        };
        if c.is_ascii_digit() != next.is_ascii_digit() {
            tokens.push(Token::new(sep, &segment[start..at], next.is_ascii_digit()));
            sep = Sep::Hyphen;
            start = at;
        }
    }
    tokens.push(Token::new(sep, &segment[start..], false));
}

/// Drops the trailing null tokens, then those in front of each remaining
/// `-` token, from the end towards the start. The first token always stays.
fn trim(tokens: Vec<Token>) -> Vec<Token> {
    let mut keep = vec![true; tokens.len()];
    // One past the next token to look at.
    let mut end = tokens.len();
    while end > 1 {
        let i = end - 1;
        if tokens[i].is_null() {
            keep[i] = false;
            end = i;
            continue;
        }
        // Skip this non-null token and the others back to its `-`.
        match tokens[..=i].iter().rposition(|t| t.sep == Sep::Hyphen) {
            Some(hyphen) => end = hyphen,
            None => break,
        }
    }
    tokens
        .into_iter()
        .zip(keep)
        .filter_map(|(token, kept)| kept.then_some(token))
        .collect()
}

fn parse(input: &str) -> Result<Vec<Token>, VersionError> {
    let version = input.trim();
    if version.is_empty() {
        return Err(VersionError::invalid(
            Ecosystem::Maven,
            input,
            "version string is empty",
        ));
    }
    let tokens = tokenize(version);
    if tokens.iter().filter(|t| t.sep == Sep::Hyphen).count() > MAX_DEPTH {
        return Err(VersionError::invalid(
            Ecosystem::Maven,
            input,
            "version is nested too deeply",
        ));
    }
    Ok(trim(tokens))
}

fn cmp_tokens(a: &[Token], b: &[Token]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let padding;
        let (left, left_pad, right, right_pad) = match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => (x, false, y, false),
            (Some(x), None) => {
                padding = x.padding();
                (x, false, &padding, true)
            }
            (None, Some(y)) => {
                padding = y.padding();
                (&padding, true, y, false)
            }
            (None, None) => break,
        };
        if left != right {
            return left.cmp_token(left_pad, right, right_pad);
        }
    }
    Ordering::Equal
}

pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(cmp_tokens(&parse(a)?, &parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare(a, b).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn orders_the_well_known_qualifiers() {
        let chain = [
            "1-alpha-1",
            "1-beta-1",
            "1-milestone-1",
            "1-rc-1",
            "1-snapshot",
            "1",
            "1-sp",
            "1-abc",
            "1-1",
            "1.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(cmp(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
        }
    }

    #[test]
    fn resolves_aliases_and_trims_nulls() {
        assert_eq!(cmp("1.0.0", "1"), Ordering::Equal);
        assert_eq!(cmp("1-ga", "1.final"), Ordering::Equal);
        assert_eq!(cmp("1a1", "1-alpha-1"), Ordering::Equal);
        assert_eq!(cmp("1cr", "1RC"), Ordering::Equal);
        assert_eq!(cmp("1.0.01", "1.0.1"), Ordering::Equal);
        assert_eq!(
            cmp("1-1.foo-bar-1-baz-0.1", "1-1.foo-bar1baz-.1"),
            Ordering::Equal
        );
    }

    #[test]
    fn trims_nulls_before_every_hyphen() {
        // The spec's prose, and osv-scalibr; Maven keeps `1-ga-1` nested.
        assert_eq!(cmp("1-1", "1-ga-1"), Ordering::Equal);
        assert_eq!(cmp("1-0-1", "1-1"), Ordering::Equal);
        assert_eq!(cmp("1.0-final-2", "1-2"), Ordering::Equal);
    }

    #[test]
    fn keeps_the_order_from_before_mng_7644() {
        // maven-artifact 3.8.6: a dotted qualifier is not a pre-release.
        assert_eq!(cmp("2.9.0-1", "2.9.0.RC1"), Ordering::Less);
        assert_eq!(cmp("1.0.0.RC1", "1.0.0-RC1"), Ordering::Greater);
        assert_eq!(cmp("1.5.9.RC1", "1.5.9-RC0"), Ordering::Less);
        assert_eq!(cmp("1.1.0-01-glassfish", "1.1.0.Beta1"), Ordering::Less);
    }

    #[test]
    fn pads_with_nulls_of_the_opposite_separator() {
        assert_eq!(cmp("1", "1.sp"), Ordering::Less);
        assert_eq!(cmp("1", "1-sp"), Ordering::Less);
        assert_eq!(cmp("1.alpha", "1"), Ordering::Less);
        assert_eq!(cmp("1", "1.foo"), Ordering::Less);
        assert_eq!(cmp("1", "1.1"), Ordering::Less);
        assert_eq!(cmp("1", "1-1"), Ordering::Less);
    }

    #[test]
    fn rejects_empty_and_absurdly_nested_versions() {
        assert!(compare("", "1").is_err());
        assert!(compare(&"1-".repeat(1000), "1").is_err());
        assert!(compare(&"a1".repeat(1000), "1").is_err());
    }
}
