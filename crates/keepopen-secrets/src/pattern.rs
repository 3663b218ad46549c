//! A rule's regex, compiled on its first keyword hit. Most rules never hit
//! in a given repository, and compiling 400 regexes up front cost most of a
//! second on every run.

use regex::bytes::{Regex, RegexBuilder};
use std::sync::OnceLock;

pub(crate) struct Compiled {
    pub regex: Regex,
    /// The capture group holding the secret: `secret`, else 1, else 0.
    pub secret_group: usize,
    /// The capture group holding the variable's name, if the rule has one.
    pub name_group: Option<usize>,
}

pub(crate) struct Pattern {
    source: String,
    anchored: bool,
    cell: OnceLock<Result<Compiled, String>>,
}

impl Pattern {
    pub fn new(source: &str, anchored: bool) -> Self {
        Pattern {
            source: source.to_string(),
            anchored,
            cell: OnceLock::new(),
        }
    }

    /// Whether the regex must match where the keyword starts.
    pub fn anchored(&self) -> bool {
        self.anchored
    }

    /// The compiled regex, or why it cannot be compiled.
    pub fn get(&self) -> Result<&Compiled, &str> {
        self.cell
            .get_or_init(|| compile(&self.source, self.anchored))
            .as_ref()
            .map_err(String::as_str)
    }
}

fn compile(source: &str, anchored: bool) -> Result<Compiled, String> {
    let source = ascii_word_boundaries(source);
    let text = if anchored {
        format!("^(?:{source})")
    } else {
        source
    };
    let regex = RegexBuilder::new(&text)
        .size_limit(1 << 22)
        .dfa_size_limit(1 << 22)
        .build()
        .map_err(|e| e.to_string())?;
    let names: Vec<Option<&str>> = regex.capture_names().collect();
    let secret = names.iter().position(|n| *n == Some("secret"));
    let name_group = names.iter().position(|n| *n == Some("name"));
    let secret_group = secret.unwrap_or(if regex.captures_len() > 1 { 1 } else { 0 });
    Ok(Compiled {
        regex,
        secret_group,
        name_group,
    })
}

/// `source` with every word boundary (`\b`, `\B`) made an ASCII one, as
/// in gitleaks' RE2 rules: a token's edge is where ASCII letters, digits
/// and `_` stop. A Unicode boundary makes the regex's fast DFA give up at
/// the first non-ASCII byte and fall back to a slower engine for the whole
/// window, which on text with accents or emoji was a sixth of the time.
fn ascii_word_boundaries(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars();
    // Inside a character class `\b` is not a boundary; classes nest.
    let mut class = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                // `\b{start}` and its kind are left as written.
                Some(b @ ('b' | 'B')) if class == 0 && !chars.as_str().starts_with('{') => {
                    out.push_str("(?-u:\\");
                    out.push(b);
                    out.push(')');
                }
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' => {
                class += 1;
                out.push(c);
                // A `]` first in a class is a literal, not its end.
                let rest = chars.as_str();
                let skip = match rest.as_bytes() {
                    [b'^', b']', ..] => 2,
                    [b']', ..] => 1,
                    _ => 0,
                };
                out.push_str(&rest[..skip]);
                chars = rest[skip..].chars();
            }
            ']' if class > 0 => {
                class -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii_ones_outside_classes_only() {
        assert_eq!(
            ascii_word_boundaries(r"\b(ghp_[a-z]{4})\B"),
            r"(?-u:\b)(ghp_[a-z]{4})(?-u:\B)"
        );
        // An escaped backslash before `b`, and classes (one starting with
        // `]`, one nested) are left alone.
        assert_eq!(ascii_word_boundaries(r"\\b"), r"\\b");
        assert_eq!(ascii_word_boundaries(r"\b{start}x"), r"\b{start}x");
        assert_eq!(ascii_word_boundaries(r"[]\b]x\b"), r"[]\b]x(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"[^]a[b]]\b"), r"[^]a[b]](?-u:\b)");
        // A token right after a non-ASCII letter now has an edge there, as
        // in RE2; between ASCII word characters it still has none.
        let p = Pattern::new(r"\bghp_[a-z]{4}\b", false);
        let re = &p.get().expect("compiles").regex;
        assert!(re.is_match("é ghp_abcd".as_bytes()));
        assert!(re.is_match("éghp_abcd".as_bytes()));
        assert!(!re.is_match(b"xghp_abcd"));
        assert!(!re.is_match(b"ghp_abcdx"));
    }

    #[test]
    fn groups_are_found_and_anchoring_holds() {
        let p = Pattern::new(r"(?P<name>[a-z_]+)\s*=\s*'(?P<secret>[^']+)'", false);
        let c = p.get().expect("compiles");
        assert_eq!((c.secret_group, c.name_group), (2, Some(1)));
        let a = Pattern::new(r"ghp_[a-z]+", true);
        assert!(a.get().expect("compiles").regex.is_match(b"ghp_abc"));
        assert!(!a.get().expect("compiles").regex.is_match(b"x ghp_abc"));
        assert!(Pattern::new(r"(", false).get().is_err());
    }
}
