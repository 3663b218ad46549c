//! Following a value back from a sink, within its function: is what
//! reaches `execute` a constant, something unknown (a parameter, a call's
//! result), a string built from something not constant (concatenation,
//! `format`, an f-string, `paste`, a template literal), or input itself (a
//! request parameter, a command-line argument)?
//!
//! Flow-insensitive and intraprocedural, as the issue asks: every earlier
//! assignment to a name in the enclosing function (else in the file) may
//! reach the use, and a call is opaque unless it builds a string.

use crate::lang::Lang;
use crate::syntax::Syntax;
use ast_grep_core::Node;
use ast_grep_core::tree_sitter::StrDoc;
use serde::Deserialize;
use std::collections::HashMap;

pub type N<'r> = Node<'r, StrDoc<Lang>>;

/// What a value is, ordered from harmless to input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Constant,
    Unknown,
    /// A string built from a part that is not constant.
    Built,
    Input,
}

/// Can a value in `text`, a file in `lang`, be input? Input starts at a
/// source the language names (`$_GET`, `request.args`), whose text an
/// expression starts with, or at a request handler's parameter: either
/// is written in the file. When this is false no value there is
/// [`Level::Input`], so a rule that asks for input need not parse it.
pub fn may_hold_input(lang: Lang, text: &str) -> bool {
    lang.syntax().sources.iter().any(|s| text.contains(s))
        || crate::handler::may_bind_input(lang, text)
}

/// How far back a value is followed: names through names.
const MAX_DEPTH: u32 = 12;

/// How many nodes one value may cost to follow; past it, the value is
/// unknown. With the index below, a file costs time linear in its size
/// whatever it holds.
const BUDGET: u32 = 4000;

/// How many assignments to one name are followed, the nearest first.
const MAX_VALUES: usize = 32;

/// One assignment: its node id, its value, whether it adds to the old
/// value (`+=`), and where it ends.
type Assigned<'r> = (usize, N<'r>, bool, usize);

/// Following values within one file: every scope's assignments indexed
/// by name once, on first use.
pub struct Flow<'r> {
    syntax: &'static Syntax,
    /// Assignments by scope (a function's node id; `None`: the file's top
    /// level), then by name, in source order.
    index: HashMap<Option<usize>, HashMap<String, Vec<Assigned<'r>>>>,
    /// Assignments already followed for this value: `q = q + x` ends.
    seen: Vec<usize>,
    spent: u32,
}

impl<'r> Flow<'r> {
    pub fn new(lang: Lang) -> Self {
        Flow {
            syntax: lang.syntax(),
            index: HashMap::new(),
            seen: Vec::new(),
            spent: 0,
        }
    }

    /// What `node` is.
    pub fn level(&mut self, node: &N<'r>) -> Level {
        self.seen.clear();
        self.spent = 0;
        self.eval(node, 0)
    }

    fn eval(&mut self, node: &N<'r>, depth: u32) -> Level {
        self.spent += 1;
        if depth > MAX_DEPTH || self.spent > BUDGET {
            return Level::Unknown;
        }
        let s = self.syntax;
        let kind = node.kind();
        let kind = kind.as_ref();
        if self.is_source(node) {
            return Level::Input;
        }
        if self.is_argument(node) {
            return Level::Built;
        }
        // `$_FILES['f']['tmp_name']`: input's container, but a path the
        // server chose.
        if s.accesses.contains(&kind) && self.server_made(&node.text()) {
            return Level::Constant;
        }
        if s.strings.contains(&kind) {
            return self.string(node, depth);
        }
        // A function is code, not a string: `setTimeout(function () {…})`.
        if s.functions.contains(&kind) {
            return Level::Constant;
        }
        if s.constants.contains(&kind) {
            return Level::Constant;
        }
        if s.identifiers.contains(&kind) {
            return self.name(node, depth);
        }
        if s.accesses.contains(&kind) {
            let Some(object) = node.named_children().next() else {
                return Level::Unknown;
            };
            // The program's own state and settings (`self.table`,
            // `$this->table`) are not where input arrives.
            if s.selves.contains(&object.text().as_ref()) {
                return Level::Constant;
            }
            return match self.eval(&object, depth + 1) {
                Level::Input => Level::Input,
                _ => Level::Unknown,
            };
        }
        if let Some((_, callee)) = s.calls.iter().find(|(k, _)| *k == kind) {
            return self.call(node, callee, depth);
        }
        // A conditional's value is one of its branches, never its test.
        let test = node.field("condition").map(|c| c.range());
        let parts: Vec<N<'r>> = node
            .named_children()
            .filter(|c| c.kind() != "comment" && Some(c.range()) != test)
            .collect();
        if test.is_some() {
            return parts
                .iter()
                .map(|p| self.eval(p, depth + 1))
                .max()
                .unwrap_or(Level::Unknown);
        }
        if parts.is_empty() {
            return Level::Unknown;
        }
        let levels: Vec<Level> = parts.iter().map(|p| self.eval(p, depth + 1)).collect();
        let most = levels.iter().copied().max().unwrap_or(Level::Unknown);
        // A string joined to something not constant is built; the string
        // may be a join itself (`$this->p . ' ' . $r['f']`).
        let joins_string = parts.len() > 1 && parts.iter().any(|p| self.stringy(p, 0));
        if joins_string && most > Level::Constant {
            most.max(Level::Built)
        } else {
            most
        }
    }

    /// Is `node` a string: a literal, or a join or format holding one?
    fn stringy(&self, node: &N<'r>, depth: u32) -> bool {
        let s = self.syntax;
        let kind = node.kind();
        let kind = kind.as_ref();
        if s.strings.contains(&kind) {
            return true;
        }
        if depth > 8
            || s.calls.iter().any(|(k, _)| *k == kind)
            || s.accesses.contains(&kind)
            || s.identifiers.contains(&kind)
        {
            return false;
        }
        node.named_children().any(|c| self.stringy(&c, depth + 1))
    }

    /// Input is a name, a member or element of one, or a call: never an
    /// expression that merely starts with one (`$_GET['x'] ? 'a' : 'b'`).
    fn is_source(&self, node: &N<'_>) -> bool {
        self.starts_with_any(node, self.syntax.sources) && !self.server_made(&node.text())
    }

    /// A command-line argument or standard input (see `Syntax::arguments`).
    fn is_argument(&self, node: &N<'_>) -> bool {
        self.starts_with_any(node, self.syntax.arguments)
    }

    /// Is `node` a name, an access or a call whose text starts with one of
    /// `prefixes`?
    fn starts_with_any(&self, node: &N<'_>, prefixes: &[&str]) -> bool {
        let s = self.syntax;
        let kind = node.kind();
        let kind = kind.as_ref();
        let value_root = s.accesses.contains(&kind)
            || s.identifiers.contains(&kind)
            || s.calls.iter().any(|(k, _)| *k == kind);
        value_root && {
            let text = node.text();
            prefixes.iter().any(|p| text.starts_with(p))
        }
    }

    fn server_made(&self, text: &str) -> bool {
        self.syntax.server_made.iter().any(|p| text.contains(p))
    }

    fn string(&mut self, node: &N<'r>, depth: u32) -> Level {
        let s = self.syntax;
        let mut most = Level::Constant;
        if s.dollar_names && dollar_name(&node.text()) {
            most = Level::Built;
        }
        for part in node.dfs().skip(1) {
            if s.interpolations.contains(&part.kind().as_ref()) {
                let inner = if s.identifiers.contains(&part.kind().as_ref())
                    || s.accesses.contains(&part.kind().as_ref())
                {
                    self.eval(&part, depth + 1)
                } else {
                    part.named_children()
                        .map(|c| self.eval(&c, depth + 1))
                        .max()
                        .unwrap_or(Level::Unknown)
                };
                if inner > Level::Constant {
                    most = most.max(inner.max(Level::Built));
                }
            }
        }
        most
    }

    fn call(&mut self, node: &N<'r>, callee_field: &str, depth: u32) -> Level {
        let callee = if callee_field.is_empty() {
            node.named_children().next()
        } else {
            node.field(callee_field)
        };
        let Some(callee) = callee else {
            return Level::Unknown;
        };
        let callee_text = callee.text();
        let name = last_name(&callee_text);
        if SANITISERS.contains(&name) {
            return Level::Constant;
        }
        // `filter_var($x, FILTER_SANITIZE_NUMBER_INT)`: digits and signs.
        if matches!(name, "filter_var" | "filter_input") && node.text().contains("_INT") {
            return Level::Constant;
        }
        let formats = self.syntax.formatters.contains(&name);
        if !formats && !PASSTHROUGH.contains(&name) {
            return Level::Unknown;
        }
        // The receiver of a method (`"…{}".format(x)`) and the arguments.
        let mut parts: Vec<N<'r>> = Vec::new();
        if let Some(object) = callee.named_children().next()
            && callee.named_children().count() > 1
        {
            parts.push(object);
        }
        for child in node.named_children() {
            if child.range() != callee.range() {
                parts.extend(child.named_children());
            }
        }
        let most = parts
            .iter()
            .map(|p| self.eval(p, depth + 1))
            .max()
            .unwrap_or(Level::Constant);
        if !formats {
            // A decoding or a trim keeps what it was given: input stays
            // input, anything else becomes unknown.
            return if most == Level::Input {
                Level::Input
            } else if most == Level::Constant {
                Level::Constant
            } else {
                Level::Unknown
            };
        }
        if most > Level::Constant {
            most.max(Level::Built)
        } else {
            Level::Constant
        }
    }

    /// Every assignment to `node`'s name before it, in its function, else
    /// in the file.
    fn name(&mut self, node: &N<'r>, depth: u32) -> Level {
        let name = node.text().into_owned();
        let use_at = node.range().start;
        let scope = node
            .ancestors()
            .find(|a| self.syntax.functions.contains(&a.kind().as_ref()));
        let file = node.root().root();
        let mut values: Vec<Assigned<'r>> = match &scope {
            Some(f) => self.values(f, Some(f.node_id()), &name, Some(use_at)),
            None => self.values(&file, None, &name, Some(use_at)),
        };
        if values.is_empty() && scope.is_some() {
            // A module's constant, wherever it is set.
            values = self.values(&file, None, &name, None);
        }
        if values.is_empty() {
            let handler_input = scope
                .as_ref()
                .is_some_and(|f| crate::handler::input_parameter(f, &name));
            return if handler_input {
                Level::Input
            } else {
                Level::Unknown
            };
        }
        let mut most = Level::Constant;
        for (id, value, augmented, _) in values.into_iter().rev() {
            if self.seen.contains(&id) {
                continue;
            }
            self.seen.push(id);
            let mut l = self.eval(&value, depth + 1);
            if augmented && l > Level::Constant {
                l = l.max(Level::Built);
            }
            most = most.max(l);
            if most == Level::Input {
                break;
            }
        }
        most
    }

    /// The nearest assignments to `name` in `scope` (whose node is
    /// `root`) that end before `use_at`, at most [`MAX_VALUES`], in source
    /// order; from the index, built on first use by one walk of the scope.
    fn values(
        &mut self,
        root: &N<'r>,
        scope: Option<usize>,
        name: &str,
        use_at: Option<usize>,
    ) -> Vec<Assigned<'r>> {
        if !self.index.contains_key(&scope) {
            let built = self.build(root, scope);
            self.index.insert(scope, built);
        }
        let Some(all) = self.index.get(&scope).and_then(|by_name| by_name.get(name)) else {
            return Vec::new();
        };
        // Sorted by where they end (see `build`).
        let before = use_at.map_or(all.len(), |u| all.partition_point(|a| a.3 <= u));
        all[before.saturating_sub(MAX_VALUES)..before].to_vec()
    }

    /// Every assignment directly in `scope` (not in a function nested in
    /// it), by target name.
    fn build(&self, root: &N<'r>, scope: Option<usize>) -> HashMap<String, Vec<Assigned<'r>>> {
        let s = self.syntax;
        let mut out: HashMap<String, Vec<Assigned<'r>>> = HashMap::new();
        for n in root.dfs() {
            let kind = n.kind();
            let Some(assign) = s.assignments.iter().find(|a| a.kind == kind.as_ref()) else {
                continue;
            };
            let target = if assign.target.is_empty() {
                n.named_children().next()
            } else {
                n.field(assign.target)
            };
            let Some(target) = target else {
                continue;
            };
            if !assignment_operator(&n) {
                continue;
            }
            let inner_scope = n
                .ancestors()
                .find(|a| s.functions.contains(&a.kind().as_ref()));
            if inner_scope.map(|f| f.node_id()) != scope {
                continue;
            }
            let value = match assign.value {
                Some(field) => n.field(field),
                None => n
                    .named_children()
                    .filter(|c| c.range() != target.range())
                    .last(),
            };
            if let Some(value) = value {
                let end = n.range().end;
                // `q: String` declares `q`.
                let name = target.text();
                let name = name.split(':').next().unwrap_or_default().trim();
                out.entry(name.to_string()).or_default().push((
                    n.node_id(),
                    value,
                    augmented(&n),
                    end,
                ));
            }
        }
        for list in out.values_mut() {
            list.sort_by_key(|a| a.3);
        }
        out
    }
}

/// Calls whose result is what they were given, decoded or trimmed: input
/// through them is still input. (Escaping and number conversions are not
/// here: they make input safe.)
const PASSTHROUGH: &[&str] = &[
    "base64_decode",
    "urldecode",
    "rawurldecode",
    "gzuncompress",
    "gzinflate",
    "gzdecode",
    "stripslashes",
    "trim",
    "b64decode",
    "urlsafe_b64decode",
    "unquote",
    "unquote_plus",
    "decode",
    "strip",
    "lower",
    "upper",
    "str",
    "String",
    "toString",
    "toLowerCase",
    "toUpperCase",
    "get",
    "getlist",
    "Get",
    "decodeURIComponent",
    "decodeURI",
    "atob",
    "from",
    "loads",
];

/// Calls that make what they are given safe to join into a command, a
/// query or markup: quoting, escaping, numbers, a file's base name.
const SANITISERS: &[&str] = &[
    "escapeshellarg",
    "escapeshellcmd",
    "quote",
    "shQuote",
    "htmlspecialchars",
    "htmlentities",
    "intval",
    "floatval",
    "int",
    "float",
    "basename",
    "encodeURIComponent",
    "escape",
    "encode",
    "HtmlEncode",
    "Encode",
    "sanitize",
    "parseInt",
    "parseFloat",
    "Number",
    "mysqli_real_escape_string",
    "real_escape_string",
    "pg_escape_string",
    "pg_escape_literal",
    "dbQuoteString",
    "dbQuoteIdentifier",
    "dbQuoteLiteral",
    "sqlInterpolate",
    "glue_sql",
    "format_html",
    "secure_filename",
    // Identifiers chosen by code: a table name cannot be a bound parameter.
    "quoteValue",
    "quoteTableName",
    "quoteColumnName",
    "quoteName",
    "quoteIdentifier",
    "tableName",
    "getTableAlias",
    "uuid4",
    "uuid1",
    "escape_string",
    "quote_ident",
    "quote_literal",
    "Identifier",
    "Literal",
];

/// `"… $id …"`: a `$` followed by a name's first character.
fn dollar_name(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || w[1] == b'_'))
}

/// The last name of a callee: `format` of `"…".format`, `Sprintf` of
/// `fmt.Sprintf`, `paste0` of `base::paste0`.
fn last_name(callee: &str) -> &str {
    callee
        .rsplit(['.', ':', '>', '$', '\\'])
        .next()
        .unwrap_or(callee)
        .trim()
}

/// The operator between an assignment's target and value, where the
/// grammar puts one (R's `<-` in a `binary_operator`).
fn operator(n: &N<'_>) -> Option<String> {
    // Keywords (`val`, `var`, `let`) are unnamed too: an operator is
    // punctuation.
    n.children()
        .filter(|c| !c.is_named())
        .map(|c| c.text().into_owned())
        .find(|t| !t.is_empty() && !t.chars().any(char::is_alphanumeric))
}

/// Is this node an assignment at all: R spells assignment as a binary
/// operator, so `x + 1` must not count.
fn assignment_operator(n: &N<'_>) -> bool {
    match operator(n) {
        Some(op) => {
            op.ends_with('=') && !matches!(op.as_str(), "==" | "!=" | "<=" | ">=" | "===" | "!==")
                || op == "<-"
                || op == "<<-"
                || op == ":="
        }
        None => true,
    }
}

/// `q += x`, `$q .= $x`.
fn augmented(n: &N<'_>) -> bool {
    n.kind().contains("augmented")
        || operator(n).is_some_and(|op| op.len() >= 2 && op.ends_with('=') && op != ":=")
}
