//! Text a variant cannot match without, read from the rule itself: every
//! named leaf of a pattern (`execute` in `$C.execute($Q)`) is compared
//! with the code's text as it is, so a file whose source never holds that
//! text cannot match the pattern. A leaf that is an identifier is a whole
//! token of the file where it matches: `exec` inside `execute` or
//! `exec_all` does not count. A file is searched once for every such
//! text of its language; a variant none of whose alternatives can match
//! there is not tried on its nodes, and of a variant's alternatives
//! (`any:`) only those that can are tried before the whole rule is.

use crate::lang::Lang;
use aho_corasick::{AhoCorasick, MatchKind};
use ast_grep_config::{DeserializeEnv, RuleCore, SerializableRule, SerializableRuleCore};
use ast_grep_core::matcher::PatternNode;
use ast_grep_core::tree_sitter::LanguageExt;
use ast_grep_core::{MatchStrictness, Pattern};
use serde_json::Value;
use std::collections::HashMap;

/// What a rule needs in the file's text, as literals.
#[derive(Clone, Debug, PartialEq)]
pub enum Req {
    /// Nothing known: the rule may match anywhere.
    True,
    Lit(String),
    /// An identifier's text, as a whole token: no letter, digit or `_` on
    /// either side (the lexer would have read them into the identifier).
    Word(String),
    /// An identifier's text as a whole token, at least once not certainly
    /// other than a call with an argument: followed (after whitespace) by
    /// `(` and then by anything but `)`, or by a character a comment, a
    /// line continuation or type arguments can start with, which the text
    /// alone cannot see past. See [`call_follows`].
    Call(String),
    All(Vec<Req>),
    Any(Vec<Req>),
}

impl Req {
    fn all(reqs: Vec<Req>) -> Req {
        let mut out: Vec<Req> = Vec::new();
        for r in reqs {
            match r {
                Req::True => {}
                Req::All(inner) => out.extend(inner),
                r => out.push(r),
            }
        }
        match out.len() {
            0 => Req::True,
            1 => out.pop().unwrap_or(Req::True),
            _ => Req::All(out),
        }
    }

    fn any(reqs: Vec<Req>) -> Req {
        if reqs.is_empty() || reqs.contains(&Req::True) {
            return Req::True;
        }
        let mut out: Vec<Req> = Vec::new();
        for r in reqs {
            match r {
                Req::Any(inner) => out.extend(inner),
                r => out.push(r),
            }
        }
        if out.len() == 1 {
            out.pop().unwrap_or(Req::True)
        } else {
            Req::Any(out)
        }
    }

    fn literals<'a>(&'a self, out: &mut Vec<(&'a str, Token)>) {
        match self {
            Req::True => {}
            Req::Lit(s) => out.push((s, Token::Anywhere)),
            Req::Word(s) => out.push((s, Token::Word)),
            Req::Call(s) => out.push((s, Token::Call)),
            Req::All(v) | Req::Any(v) => v.iter().for_each(|r| r.literals(out)),
        }
    }
}

/// How a literal must stand in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Token {
    Anywhere,
    Word,
    Call,
}

/// What `rule` (ast-grep's rule object, serialised) needs in the text of
/// the file it matches in, for `lang`. Only what is certain: a pattern's
/// named leaves under the default strictness, which compares their text;
/// what a node related to the match (`has`, `inside`, `follows`,
/// `precedes`) needs is needed in the file too. `kind`, `regex`, `not` and
/// the rest need nothing known.
pub fn requirement(rule: &Value, lang: Lang) -> Req {
    let Value::Object(map) = rule else {
        return Req::True;
    };
    let mut parts = Vec::new();
    for (key, value) in map {
        match key.as_str() {
            "pattern" => parts.push(pattern_requirement(value, lang)),
            "regex" => parts.push(regex_requirement(value)),
            "has" | "inside" | "follows" | "precedes" => parts.push(requirement(value, lang)),
            "all" => {
                if let Value::Array(rules) = value {
                    parts.extend(rules.iter().map(|r| requirement(r, lang)));
                }
            }
            "any" => {
                if let Value::Array(rules) = value {
                    parts.push(Req::any(
                        rules.iter().map(|r| requirement(r, lang)).collect(),
                    ));
                }
            }
            _ => {}
        }
    }
    Req::all(parts)
}

fn pattern_requirement(value: &Value, lang: Lang) -> Req {
    // The pattern's own text, when it is all pattern (not a context).
    let mut written = None;
    let pattern = match value {
        Value::String(src) => {
            written = Some(src.as_str());
            Pattern::try_new(src, lang)
        }
        Value::Object(map) => {
            // A strictness other than the default may skip leaves or their text.
            if map.get("strictness").is_some_and(|s| !s.is_null()) {
                return Req::True;
            }
            let Some(Value::String(context)) = map.get("context") else {
                return Req::True;
            };
            match map.get("selector") {
                Some(Value::String(selector)) => Pattern::contextual(context, selector, lang),
                _ => Pattern::try_new(context, lang),
            }
        }
        _ => return Req::True,
    };
    let Ok(pattern) = pattern else {
        return Req::True;
    };
    if !matches!(pattern.strictness, MatchStrictness::Smart) {
        return Req::True;
    }
    let mut leaves = Vec::new();
    named_leaves(&pattern.node, &mut leaves);
    let ts = lang.get_ts_language();
    Req::all(
        leaves
            .into_iter()
            .map(|(text, kind)| {
                let name = ts.node_kind_for_id(kind).unwrap_or_default();
                if is_identifier_kind(name) && is_word(&text) {
                    if written.is_some_and(|src| called_with_argument(src, &text)) {
                        Req::Call(text)
                    } else {
                        Req::Word(text)
                    }
                } else {
                    Req::Lit(text)
                }
            })
            .collect(),
    )
}

/// Does the pattern text `src` call `word` with at least one argument
/// somewhere: `word`, as a whole token, then `(`, then neither `)` nor a
/// `$$$` list (which may be empty)? A match of the pattern then holds the
/// same tokens in the same order, with only whitespace or comments
/// between them.
fn called_with_argument(src: &str, word: &str) -> bool {
    let bytes = src.as_bytes();
    src.match_indices(word).any(|(at, _)| {
        let end = at + word.len();
        whole_token(bytes, at, end)
            && argument(bytes, skip_space(bytes, end))
                .is_some_and(|arg| !bytes[arg..].starts_with(b"$$$"))
    })
}

/// Is `bytes[start..end]` a whole token: no letter, digit or `_` on
/// either side?
pub(crate) fn whole_token(bytes: &[u8], start: usize, end: usize) -> bool {
    let word_at = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_some_and(|&b| is_word_byte(b))
    };
    !word_at(start.checked_sub(1)) && !word_at(Some(end))
}

/// Where the first argument starts, when `bytes[open]` is a `(` that is
/// not closed at once (whitespace skipped).
fn argument(bytes: &[u8], open: usize) -> Option<usize> {
    if bytes.get(open) != Some(&b'(') {
        return None;
    }
    let arg = skip_space(bytes, open + 1);
    bytes.get(arg).is_some_and(|&b| b != b')').then_some(arg)
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Could the whole token ending at `end` of `text` be the name of a call
/// with an argument? Yes when `(` follows (after ASCII whitespace) and
/// then anything but `)`; no when `()` follows, or the text ends, or a
/// character that cannot stand between a call's name and its arguments in
/// any of the languages (`=`, `;`, `,`, `.`, `-`, a letter…); and yes, as
/// far as the text can tell, after anything else: `/` or `#` (a comment),
/// `\` (a line continuation), `<` (type arguments), `?` or `!` (an
/// optional or non-null call), a byte that is not ASCII.
pub(crate) fn call_follows(text: &[u8], end: usize) -> bool {
    let next = skip_space(text, end);
    match text.get(next) {
        None => false,
        Some(b'(') => argument(text, next).is_some(),
        Some(&b) => !(is_word_byte(b) || b"=;,.-+*&|>)]}[{:'\"$%^~".contains(&b)),
    }
}

/// A grammar's identifier kinds: `identifier`, `property_identifier`,
/// Kotlin's `simple_identifier`, PHP's `name`. A string's fragment is not
/// one: `"\tfoo"` holds the fragment `foo` right after a `t`.
fn is_identifier_kind(kind: &str) -> bool {
    kind == "name" || kind.ends_with("identifier")
}

/// Text made of ASCII letters, digits and `_`, not starting with a digit.
fn is_word(text: &str) -> bool {
    text.bytes().next().is_some_and(|b| !b.is_ascii_digit()) && text.bytes().all(is_word_byte)
}

pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A regular expression's match starts with one of its prefix literals,
/// when the set of them is finite and none is empty; the node's text holds
/// the match, so the file holds the literal.
fn regex_requirement(value: &Value) -> Req {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let Value::String(re) = value else {
        return Req::True;
    };
    let Ok(hir) = regex_syntax::parse(re) else {
        return Req::True;
    };
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let Some(literals) = seq.literals() else {
        return Req::True;
    };
    let mut any = Vec::new();
    for l in literals {
        match std::str::from_utf8(l.as_bytes()) {
            Ok(s) if !s.is_empty() => any.push(Req::Lit(s.to_string())),
            _ => return Req::True,
        }
    }
    Req::any(any)
}

/// The text of every named leaf: under the default strictness a named
/// leaf matches only a node of the same text (an unnamed one, a keyword
/// or punctuation, is compared by kind alone).
fn named_leaves(node: &PatternNode, out: &mut Vec<(String, u16)>) {
    match node {
        PatternNode::MetaVar { .. } => {}
        PatternNode::Terminal {
            text,
            is_named,
            kind_id,
        } => {
            if *is_named && !text.is_empty() && !out.iter().any(|(t, _)| t == text) {
                out.push((text.clone(), *kind_id));
            }
        }
        PatternNode::Internal { children, .. } => {
            children.iter().for_each(|c| named_leaves(c, out));
        }
    }
}

/// A variant's alternatives, when its rule is a choice (`any:`, alone or
/// as one of `all:`): each is needed for the rule to match, so a node
/// none of them matches cannot match the rule.
pub fn alternatives(rule: &Value) -> Option<&Vec<Value>> {
    let Value::Object(map) = rule else {
        return None;
    };
    let only = |key: &str| map.len() == 1 && map.contains_key(key);
    if only("any") {
        return match map.get("any") {
            Some(Value::Array(alts)) if alts.len() > 1 => Some(alts),
            _ => None,
        };
    }
    if only("all")
        && let Some(Value::Array(parts)) = map.get("all")
    {
        return parts.iter().find_map(alternatives);
    }
    None
}

/// One alternative of a variant, matched alone (without the variant's
/// constraints) to rule nodes out before the whole rule is tried.
pub struct Alt {
    pub matcher: RuleCore,
    pub req: Req,
}

/// What one variant needs, for one language.
pub struct Filter {
    pub req: Req,
    pub alts: Vec<Alt>,
}

impl Filter {
    pub fn of(core: &SerializableRuleCore, lang: Lang) -> Filter {
        let Ok(rule) = serde_json::to_value(&core.rule) else {
            return Filter {
                req: Req::True,
                alts: Vec::new(),
            };
        };
        let req = requirement(&rule, lang);
        let mut alts = Vec::new();
        if let Some(choices) = alternatives(&rule) {
            for choice in choices {
                let compiled = serde_json::from_value::<SerializableRule>(choice.clone())
                    .ok()
                    .and_then(|rule| {
                        SerializableRuleCore {
                            rule,
                            constraints: None,
                            utils: core.utils.clone(),
                            transform: None,
                        }
                        .get_matcher(DeserializeEnv::new(lang))
                        .ok()
                    });
                let Some(matcher) = compiled else {
                    // Every alternative or none: a missing one could be
                    // the one that matches.
                    alts.clear();
                    break;
                };
                alts.push(Alt {
                    req: requirement(choice, lang),
                    matcher,
                });
            }
        }
        Filter { req, alts }
    }
}

/// A requirement over the literals of one language, by number.
#[derive(Debug)]
pub enum Cond {
    True,
    Lit(usize),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

impl Cond {
    pub fn holds(&self, present: &[bool]) -> bool {
        match self {
            Cond::True => true,
            Cond::Lit(i) => present[*i],
            Cond::All(v) => v.iter().all(|c| c.holds(present)),
            Cond::Any(v) => v.iter().any(|c| c.holds(present)),
        }
    }
}

/// Can a variant that needs `need`, and one of `alts` when it is a
/// choice, match in a file that holds the literals `present`?
pub fn admits(need: &Cond, alts: &[Cond], present: &[bool]) -> bool {
    need.holds(present) && (alts.is_empty() || alts.iter().any(|a| a.holds(present)))
}

impl Filter {
    /// [`admits`] for this variant alone, on a file whose source is
    /// `text`: what the detector decides before it parses the file.
    pub fn admits(&self, text: &str) -> bool {
        let literals =
            Literals::of(std::iter::once(&self.req).chain(self.alts.iter().map(|a| &a.req)));
        let alts: Vec<Cond> = self.alts.iter().map(|a| literals.cond(&a.req)).collect();
        admits(&literals.cond(&self.req), &alts, &literals.present(text))
    }
}

/// Every literal one language's rules need, searched for at once.
pub struct Literals {
    /// By text and how it must stand.
    ids: HashMap<(String, Token), usize>,
    /// By pattern of `search`: the ids of its text anywhere, as a word and
    /// as a call's name.
    slots: Vec<[Option<usize>; 3]>,
    search: Option<AhoCorasick>,
}

impl Literals {
    pub fn of<'a>(reqs: impl IntoIterator<Item = &'a Req>) -> Literals {
        let mut ids: HashMap<(String, Token), usize> = HashMap::new();
        let mut texts: HashMap<&str, usize> = HashMap::new();
        let mut list: Vec<&str> = Vec::new();
        let mut slots: Vec<[Option<usize>; 3]> = Vec::new();
        let mut all = Vec::new();
        for r in reqs {
            r.literals(&mut all);
        }
        for (lit, token) in all {
            let key = (lit.to_string(), token);
            if ids.contains_key(&key) {
                continue;
            }
            let id = ids.len();
            ids.insert(key, id);
            let p = *texts.entry(lit).or_insert_with(|| {
                list.push(lit);
                slots.push([None; 3]);
                list.len() - 1
            });
            slots[p][token as usize] = Some(id);
        }
        let search = if list.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&list)
                .ok()
        };
        Literals { ids, slots, search }
    }

    pub fn cond(&self, req: &Req) -> Cond {
        let lit = |key: (String, Token)| match (self.ids.get(&key), &self.search) {
            (Some(&i), Some(_)) => Cond::Lit(i),
            _ => Cond::True,
        };
        match req {
            Req::True => Cond::True,
            Req::Lit(s) => lit((s.clone(), Token::Anywhere)),
            Req::Word(s) => lit((s.clone(), Token::Word)),
            Req::Call(s) => lit((s.clone(), Token::Call)),
            Req::All(v) => Cond::All(v.iter().map(|r| self.cond(r)).collect()),
            Req::Any(v) => Cond::Any(v.iter().map(|r| self.cond(r)).collect()),
        }
    }

    /// Which literals `text` holds, by number.
    pub fn present(&self, text: &str) -> Vec<bool> {
        let mut present = vec![false; self.ids.len()];
        let Some(search) = &self.search else {
            return present;
        };
        let bytes = text.as_bytes();
        let mut left = present.len();
        for m in search.find_overlapping_iter(text) {
            let [anywhere, word, call] = self.slots[m.pattern().as_usize()];
            let whole =
                (word.is_some() || call.is_some()) && whole_token(bytes, m.start(), m.end());
            let called = whole && call.is_some() && call_follows(bytes, m.end());
            for id in [anywhere, word.filter(|_| whole), call.filter(|_| called)]
                .into_iter()
                .flatten()
            {
                if !present[id] {
                    present[id] = true;
                    left -= 1;
                }
            }
            if left == 0 {
                break;
            }
        }
        present
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(yaml: &str, lang: Lang) -> Req {
        let rule: SerializableRule =
            ast_grep_config::from_str(yaml).unwrap_or_else(|e| panic!("{e}"));
        requirement(
            &serde_json::to_value(&rule).unwrap_or_else(|e| panic!("{e}")),
            lang,
        )
    }

    fn lit(s: &str) -> Req {
        Req::Lit(s.into())
    }

    fn word(s: &str) -> Req {
        Req::Word(s.into())
    }

    fn call(s: &str) -> Req {
        Req::Call(s.into())
    }

    #[test]
    fn a_pattern_needs_its_named_leaves() {
        assert_eq!(
            req("pattern: $C.execute($Q)", Lang::Python),
            call("execute")
        );
        assert_eq!(req("pattern: $C->query($Q, $$$)", Lang::Php), call("query"));
        assert_eq!(
            req("pattern: hash('md5', $P)", Lang::Php),
            // A string's text is not a token of its own.
            Req::All(vec![call("hash"), lit("md5")])
        );
        // Called with a list that may be empty, or not called: a word.
        assert_eq!(
            req("pattern: $C.execute($$$)", Lang::Python),
            word("execute")
        );
        assert_eq!(
            req("pattern: $C.execute( $$$A )", Lang::Python),
            word("execute")
        );
        assert_eq!(req("pattern: $C.execute()", Lang::Python), word("execute"));
        assert_eq!(req("pattern: $X = execute", Lang::Python), word("execute"));
        assert_eq!(req("pattern: random.$F($$$)", Lang::Python), word("random"));
        // Keywords are compared by kind: `echo` needs no text.
        assert_eq!(req("pattern: echo $V", Lang::Php), Req::True);
        // Only the selected node of a context.
        assert_eq!(
            req(
                "pattern: {context: 'func t() { $DB.Query($Q) }', selector: call_expression}",
                Lang::Go
            ),
            // The context's text is not looked at for calls.
            word("Query")
        );
    }

    #[test]
    fn choices_and_relations_combine() {
        assert_eq!(
            req(
                "any: [{pattern: eval($X)}, {pattern: exec($X)}]",
                Lang::Python
            ),
            Req::Any(vec![call("eval"), call("exec")])
        );
        assert_eq!(
            req(
                "any: [{pattern: eval($X)}, {kind: call, regex: '\\w'}]",
                Lang::Python
            ),
            Req::True
        );
        assert_eq!(
            req(
                "all: [{kind: assignment}, {has: {field: right, stopBy: end, pattern: random.$F($$$)}}]",
                Lang::Python
            ),
            word("random")
        );
        assert_eq!(req("not: {pattern: eval($X)}", Lang::Python), Req::True);
    }

    #[test]
    fn a_regex_needs_one_of_its_prefixes() {
        assert_eq!(
            req(r"{kind: pair, regex: '^algorithms\s*:'}", Lang::JavaScript),
            lit("algorithms")
        );
        assert_eq!(
            req(
                r"regex: '^(supports|allow)_credentials\s*=\s*True$'",
                Lang::Python
            ),
            Req::Any(vec![lit("supports_credentials"), lit("allow_credentials")])
        );
        // No finite set of prefixes: nothing known.
        assert_eq!(req(r"regex: '\w+ = 1'", Lang::Python), Req::True);
        assert_eq!(req(r"regex: 'a?'", Lang::Python), Req::True);
    }

    #[test]
    fn literals_are_found_overlapping() {
        let reqs = [lit("exec"), lit("execSync"), lit("query")];
        let lits = Literals::of(&reqs);
        let present = lits.present("cp.execSync(cmd)");
        let conds: Vec<bool> = reqs.iter().map(|r| lits.cond(r).holds(&present)).collect();
        assert_eq!(conds, vec![true, true, false]);
    }

    #[test]
    fn a_word_is_found_only_as_a_whole_token() {
        let reqs = [word("exec"), lit("exec"), word("query"), word("q")];
        let lits = Literals::of(&reqs);
        let holds = |text: &str| -> Vec<bool> {
            let present = lits.present(text);
            reqs.iter().map(|r| lits.cond(r).holds(&present)).collect()
        };
        assert_eq!(
            holds("cp.execSync(cmd); my_query"),
            [false, true, false, false]
        );
        assert_eq!(holds("exec"), [true, true, false, false]);
        assert_eq!(holds("$query->exec($q)"), [true, true, true, true]);
        assert_eq!(holds("queryµ\\exec\n"), [true, true, true, false]);
        assert_eq!(holds("qq_exec2"), [false, true, false, false]);
    }

    #[test]
    fn a_call_is_found_only_where_one_with_an_argument_may_be() {
        let reqs = [call("query"), word("query")];
        let lits = Literals::of(&reqs);
        let holds = |text: &str| -> Vec<bool> {
            let present = lits.present(text);
            reqs.iter().map(|r| lits.cond(r).holds(&present)).collect()
        };
        for text in [
            "db.query(sql)",
            "db.query (\n  sql)",
            "$db->query('SELECT 1')",
            "query(/* none */)",
            "q = query; db.query(x)",
            // What the text alone cannot see past.
            "db.query /* c */ (sql)",
            "db.query # c\n(sql)",
            "db.query \\\n(sql)",
            "conn.query<User>(sql)",
            "db.query?.(sql)",
            "db.query!(sql)",
            "db.query\u{a0}(sql)",
        ] {
            assert_eq!(holds(text), [true, true], "{text:?}");
        }
        for text in [
            "db.query()",
            "db.query( \n )",
            "$query = 1; $query->all();",
            "query: 1, query, query; query]",
            "my_query(x)",
            "x.query",
            "query",
            "query -> (x)",
            "query.x(y)",
        ] {
            assert!(!holds(text)[0], "{text:?}");
        }
        assert_eq!(holds("db.query()"), [false, true]);
    }

    /// What `Req::Word` rests on: in every example of every rule, in
    /// every language, an identifier the grammar reads has no letter,
    /// digit or `_` beside it.
    #[test]
    fn identifiers_in_every_example_are_whole_tokens() {
        let rules = crate::builtin().unwrap_or_else(|e| panic!("{e}"));
        let mut seen = 0;
        for rule in &rules {
            for variant in &rule.variants {
                let lang = variant.example_lang;
                for snippet in variant.examples.bad.iter().chain(&variant.examples.good) {
                    let source = crate::detector::source_text(lang, snippet);
                    let text = source.as_bytes();
                    let root = lang.ast_grep(source.as_ref());
                    for node in root.root().dfs() {
                        if !node.is_named_leaf() || !is_identifier_kind(&node.kind()) {
                            continue;
                        }
                        let r = node.range();
                        if !is_word(&node.text()) {
                            continue;
                        }
                        seen += 1;
                        let before = r.start > 0 && is_word_byte(text[r.start - 1]);
                        let after = text.get(r.end).is_some_and(|&b| is_word_byte(b));
                        assert!(
                            !before && !after,
                            "{}: {:?} in {:?}",
                            rule.id,
                            node.text(),
                            snippet
                        );
                    }
                }
            }
        }
        assert!(seen > 500, "{seen} identifiers");
    }
}
