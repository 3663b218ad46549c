//! A rule's regex, compiled on its first keyword hit. Most rules never hit
//! in a given repository, and compiling 400 regexes up front cost most of a
//! second on every run.

use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, meta};
use std::ops::Range;
use std::sync::OnceLock;

pub(crate) struct Compiled {
    text: String,
    /// The regex as `regex::bytes` builds it (any bytes, Unicode classes),
    /// run both unanchored and anchored: one automaton, compiled once.
    /// With a skeleton, it is compiled when the skeleton first matches:
    /// the rules with skeletons have the largest automata, and most of
    /// those whose keywords a repository holds never match there.
    regex: OnceLock<Result<meta::Regex, String>>,
    /// The regex with every bounded repetition unbounded (`{0,100}` made
    /// `*`), when it has any: it matches wherever the regex does, and its
    /// automaton is a fraction of the size. A window it does not match is
    /// skipped. The generic assignment rules bound each part of a value
    /// to 100 characters, and their own automaton outgrew the regex
    /// engine's fast DFA cache and fell back to its slowest engine, at a
    /// quarter of a JavaScript history's time, on windows with no match.
    skeleton: Option<meta::Regex>,
    /// Whether the regex is run anchored where a skeleton's match starts:
    /// when there is a skeleton and no match can be empty.
    anchored_at: bool,
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

    /// The compiled regex, or why it cannot be compiled. With a skeleton,
    /// the regex itself is compiled later; see [`Pattern::check`].
    pub fn get(&self) -> Result<&Compiled, &str> {
        self.cell
            .get_or_init(|| compile(&self.source, self.anchored))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Compiles everything now: why the pattern cannot be used, if so.
    pub fn check(&self) -> Result<(), String> {
        self.get()?.regex().map(|_| ()).map_err(str::to_string)
    }
}

/// As `regex::bytes` builds a regex: any bytes, Unicode classes, and the
/// engine's size limits.
fn build(text: &str) -> Result<meta::Regex, String> {
    build_with(text, true)
}

/// As [`build`], with or without the lazy DFA. The same matches either
/// way; only which of regex-automata's engines finds them differs.
fn build_with(text: &str, hybrid: bool) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .syntax(regex_automata::util::syntax::Config::new().utf8(false))
        .configure(
            meta::Config::new()
                .utf8_empty(false)
                .nfa_size_limit(Some(1 << 22))
                .hybrid_cache_capacity(1 << 22)
                .hybrid(hybrid),
        )
        .build(text)
        .map_err(|e| e.to_string())
}

/// The regex text a rule's pattern is compiled from.
fn text_of(source: &str, anchored: bool) -> String {
    let source = ascii_word_boundaries(source);
    if anchored {
        format!("^(?:{source})")
    } else {
        source
    }
}

fn compile(source: &str, anchored: bool) -> Result<Compiled, String> {
    let text = text_of(source, anchored);
    let unbounded = unbounded(&text);
    // A skeleton that does not compile only costs the shortcut.
    let skeleton = (unbounded != text)
        .then(|| build(&unbounded).ok())
        .flatten();
    let regex = OnceLock::new();
    // The groups are the skeleton's (only repetition counts differ), or
    // the regex's, compiled now.
    let groups = match &skeleton {
        Some(sk) => sk,
        None => regex.get_or_init(|| build(&text)).as_ref()?,
    };
    let names: Vec<Option<String>> = groups
        .group_info()
        .pattern_names(regex_automata::PatternID::ZERO)
        .map(|n| n.map(str::to_string))
        .collect();
    let len = groups.captures_len();
    let anchored_at = skeleton.is_some() && re_minimum_len(&text).is_some_and(|n| n > 0);
    let secret = names.iter().position(|n| n.as_deref() == Some("secret"));
    let name_group = names.iter().position(|n| n.as_deref() == Some("name"));
    let secret_group = secret.unwrap_or(if len > 1 { 1 } else { 0 });
    Ok(Compiled {
        text,
        regex,
        skeleton,
        anchored_at,
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

/// The shortest match `text` can have, from its syntax.
fn re_minimum_len(text: &str) -> Option<usize> {
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(text)
        .ok()?
        .properties()
        .minimum_len()
}

/// One match: the whole of it, and the secret and name groups, as byte
/// ranges of the haystack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Groups {
    pub whole: Range<usize>,
    pub secret: Option<Range<usize>>,
    pub name: Option<Range<usize>>,
}

impl Compiled {
    /// Every match in `hay`, with its groups, exactly as `captures_iter`
    /// gives them (leftmost first, one after another).
    ///
    /// With a skeleton, the regex's leftmost match from `pos` starts where
    /// a match of the skeleton can start (every match of the regex is one
    /// of the skeleton's). So the skeleton's leftmost start from `pos` is
    /// tried with the regex anchored there, then the skeleton's next
    /// start, and so on: the regex runs a line's length at each, never
    /// over a whole window.
    pub fn each(&self, hay: &[u8], f: &mut dyn FnMut(Groups)) {
        let Some(skeleton) = self.skeleton.as_ref().filter(|_| self.anchored_at) else {
            if !self.may_match(hay) {
                return;
            }
            let Ok(re) = self.regex() else { return };
            for caps in re.captures_iter(hay) {
                f(self.groups_of(&caps));
            }
            return;
        };
        let find_at = |at: usize| skeleton.find(Input::new(hay).span(at..hay.len()));
        let mut next = find_at(0);
        // The regex is compiled only once the skeleton matches somewhere.
        if next.is_none() {
            return;
        }
        let Ok(re) = self.regex() else { return };
        let mut caps = re.create_captures();
        while let Some(first) = next {
            let mut at = first.start();
            loop {
                let input = Input::new(hay).span(at..hay.len()).anchored(Anchored::Yes);
                re.search_captures(&input, &mut caps);
                if caps.is_match() {
                    break;
                }
                if at >= hay.len() {
                    return;
                }
                match find_at(at + 1) {
                    Some(next) => at = next.start(),
                    None => return,
                }
            }
            let groups = self.groups_of(&caps);
            // Never empty (checked when it was built), so this moves on.
            let pos = groups.whole.end.max(at + 1);
            f(groups);
            next = (pos <= hay.len()).then(|| find_at(pos)).flatten();
        }
    }

    /// The first match in `hay`, as `captures` gives it.
    pub fn first(&self, hay: &[u8]) -> Option<Groups> {
        if !self.may_match(hay) {
            return None;
        }
        let re = self.regex().ok()?;
        let mut caps = re.create_captures();
        re.captures(hay, &mut caps);
        caps.is_match().then(|| self.groups_of(&caps))
    }

    /// The regex, compiled on first use, or why it cannot be.
    pub fn regex(&self) -> Result<&meta::Regex, &str> {
        self.regex
            .get_or_init(|| {
                // Tried only anchored where its skeleton matches, a regex
                // with large counted repetitions ({0,100}) makes new lazy
                // DFA states on nearly every try: building them was most of
                // the regex time on govuk-frontend. Without the DFA, the
                // backtracker or the PikeVM stops as soon as the try fails.
                build_with(&self.text, !(self.skeleton.is_some() && self.anchored_at))
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// False where the skeleton, if there is one, finds no match: then
    /// the regex cannot match either.
    fn may_match(&self, hay: &[u8]) -> bool {
        self.skeleton.as_ref().is_none_or(|s| s.is_match(hay))
    }

    fn groups_of(&self, caps: &Captures) -> Groups {
        self.groups(|i| caps.get_group(i).map(|s| s.range()))
    }

    fn groups(&self, get: impl Fn(usize) -> Option<Range<usize>>) -> Groups {
        Groups {
            whole: get(0).unwrap_or(0..0),
            secret: get(self.secret_group).or_else(|| get(0)),
            name: self.name_group.and_then(&get),
        }
    }
}

/// `source` with every bounded repetition `{m,n}` made `{m,}` (`*` when
/// `m` is 0): a regex that matches a superset of what `source` matches.
/// Escapes (`\x{7E}`, `\p{L}`) and character classes are copied as they
/// are.
fn unbounded(source: &str) -> String {
    let b = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let mut class = 0usize;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                // An escape with a braced argument runs to its `}`.
                i += 2;
                if i < b.len()
                    && b[i] == b'{'
                    && matches!(b[i - 1], b'x' | b'p' | b'P' | b'u' | b'U' | b'b' | b'B')
                {
                    i = b[i..]
                        .iter()
                        .position(|&c| c == b'}')
                        .map_or(b.len(), |p| i + p + 1);
                }
            }
            b'[' => {
                class += 1;
                i += 1;
                // `]` first in a class is a literal.
                if b.get(i) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if class > 0 => {
                class -= 1;
                i += 1;
            }
            b'{' if class == 0 => {
                let end = b[i..].iter().position(|&c| c == b'}').map(|p| i + p);
                let inner = end.map(|e| &source[i + 1..e]);
                match (end, inner.and_then(|t| t.split_once(','))) {
                    (Some(e), Some((m, n)))
                        if !n.is_empty()
                            && m.trim().bytes().all(|c| c.is_ascii_digit())
                            && n.trim().bytes().all(|c| c.is_ascii_digit()) =>
                    {
                        out.push_str(&source[copied..i]);
                        let m = m.trim();
                        if m.is_empty() || m.bytes().all(|c| c == b'0') {
                            out.push('*');
                        } else {
                            out.push('{');
                            out.push_str(m);
                            out.push_str(",}");
                        }
                        i = e + 1;
                        copied = i;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&source[copied.min(source.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A match's range, and its secret group's and its name group's.
    type Spans = (Range<usize>, Option<Range<usize>>, Option<Range<usize>>);

    /// `each` gives what `regex::bytes`' `captures_iter` gives, for every
    /// built-in rule with a skeleton, on text made of its keywords,
    /// assignments, quotes, values of every length around the bounds, and
    /// line breaks.
    #[test]
    fn each_gives_exactly_the_matches_of_captures_iter() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let pieces: &[&str] = &[
            "=", "==", ":", " ", "\t", "\n", "\r\n", "\"", "'", "`", ",", ";", "$", "_", "-", ".",
            "@", "//", "#", "{", "}", "[", "]", "(", ")", "export ", "const ", "é", "Ab1", "x9!",
        ];
        let (mut tried, mut matched) = (0, 0);
        for rule in keepopen_rules::builtin().expect("rules") {
            let Some(source) = rule.pattern.as_deref() else {
                continue;
            };
            let p = Pattern::new(source, rule.anchored);
            let Ok(c) = p.get() else { continue };
            if !c.anchored_at {
                continue;
            }
            let reference =
                regex::bytes::Regex::new(&text_of(source, rule.anchored)).expect("compiles");
            tried += 1;
            for round in 0..100 {
                let mut text = String::new();
                for _ in 0..(20 + next(60)) {
                    let kind = next(6);
                    if kind < 2 {
                        text.push_str(&rule.keywords[next(rule.keywords.len())]);
                    }
                    if kind > 0 && kind < 4 {
                        // Values around common token lengths and the bounds.
                        let len = [1, 8, 16, 20, 24, 32, 36, 40, 43, 64, 99, 100, 101][next(13)];
                        let alphabet: &[u8] = if next(3) == 0 {
                            b"aZ09!#%+/=~xyzQRS-_."
                        } else {
                            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        };
                        text.extend((0..len).map(|_| alphabet[next(alphabet.len())] as char));
                    }
                    if kind >= 4 {
                        text.push_str(pieces[next(pieces.len())]);
                    }
                }
                let hay = text.as_bytes();
                let want: Vec<Spans> = reference
                    .captures_iter(hay)
                    .map(|caps| {
                        let g = c.groups(|i| caps.get(i).map(|m| m.range()));
                        (g.whole, g.secret, g.name)
                    })
                    .collect();
                let mut got = Vec::new();
                c.each(hay, &mut |g| got.push((g.whole, g.secret, g.name)));
                matched += want.len();
                assert_eq!(got, want, "rule {} round {round}: {text:?}", rule.id);
            }
        }
        eprintln!("{tried} rules, {matched} matches compared");
        assert!(tried > 50, "only {tried} rules have a skeleton");
        assert!(matched > 500, "only {matched} matches compared");
    }

    #[test]
    fn bounded_repetitions_are_unbounded_outside_escapes_and_classes() {
        assert_eq!(unbounded(r"a{0,100}?b{2,8}c{3}d{4,}"), r"a*?b{2,}c{3}d{4,}");
        assert_eq!(
            unbounded(r"[\x21-\x7E--[{}]]{0,10}\x{7E}{1,3}"),
            r"[\x21-\x7E--[{}]]*\x{7E}{1,}"
        );
        assert_eq!(
            unbounded(r"\{0,1\}[]{0,2}]\p{L}{0,5}"),
            r"\{0,1\}[]{0,2}]\p{L}*"
        );
        assert_eq!(unbounded(r"a{,5}x{ 0 , 9 }"), r"a*x*");
        // The skeleton matches wherever the rule does, and more.
        let p = Pattern::new(r"key=(?P<secret>[a-z]{0,4}[0-9]{2,3})\b", false);
        let c = p.get().expect("compiles");
        let sk = c.skeleton.as_ref().expect("has a skeleton");
        for text in ["key=ab12", "key=abcdef1234", "key=", "key=12x"] {
            if c.regex().expect("compiles").is_match(text.as_bytes()) {
                assert!(sk.is_match(text.as_bytes()), "{text}");
            }
        }
        assert!(
            !c.regex().expect("compiles").is_match(b"key=abcdef1234")
                && sk.is_match(b"key=abcdef1234")
        );
        assert!(
            Pattern::new(r"ghp_[a-z]+", false)
                .get()
                .expect("compiles")
                .skeleton
                .is_none()
        );
    }

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
        let re = p.get().expect("compiles").regex().expect("compiles");
        assert!(re.is_match("é ghp_abcd".as_bytes()));
        assert!(re.is_match("éghp_abcd".as_bytes()));
        assert!(!re.is_match(b"xghp_abcd"));
        assert!(!re.is_match(b"ghp_abcdx"));
    }

    #[test]
    fn a_skeletons_regex_is_compiled_when_the_skeleton_first_matches() {
        let p = Pattern::new(r"key=(?P<secret>[a-z0-9]{8,100})\b", false);
        let c = p.get().expect("compiles");
        assert_eq!(c.secret_group, 1);
        let mut n = 0;
        c.each(b"no keyword here", &mut |_| n += 1);
        assert!(c.first(b"key=").is_none());
        assert!(c.regex.get().is_none(), "compiled before it was needed");
        c.each(b"x key=abcdef123 y", &mut |g| {
            assert_eq!(g.secret, Some(6..15));
            n += 1
        });
        assert_eq!(n, 1);
        assert!(c.regex.get().is_some());
        // A regex only its skeleton hides the error of is still checked.
        let big = Pattern::new(r"(?:a{0,1000}){0,1000}", false);
        assert!(big.get().is_ok());
        let why = big.check().expect_err("too large to compile");
        assert!(why.contains("NFA"), "{why}");
        let mut hits = 0;
        big.get()
            .expect("skeleton")
            .each(b"aaaa", &mut |_| hits += 1);
        assert_eq!(hits, 0, "a regex that does not compile never matches");
    }

    #[test]
    fn groups_are_found_and_anchoring_holds() {
        let p = Pattern::new(r"(?P<name>[a-z_]+)\s*=\s*'(?P<secret>[^']+)'", false);
        let c = p.get().expect("compiles");
        assert_eq!((c.secret_group, c.name_group), (2, Some(1)));
        let a = Pattern::new(r"ghp_[a-z]+", true);
        assert!(
            a.get()
                .expect("compiles")
                .regex()
                .expect("compiles")
                .is_match(b"ghp_abc")
        );
        assert!(
            !a.get()
                .expect("compiles")
                .regex()
                .expect("compiles")
                .is_match(b"x ghp_abc")
        );
        assert!(Pattern::new(r"(", false).get().is_err());
    }
}
