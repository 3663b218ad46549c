//! The code rules as a pipeline detector: every source file as it stands
//! now (history's old code no longer runs), parsed once, every rule for
//! its language matched on the tree, each hit with a value to follow
//! followed back before it counts.

use crate::flow::{self, Level};
use crate::lang::Lang;
use crate::prefilter::{Cond, Literals};
use crate::rules::{Rule, Variant};
use crate::{php, skip, web};
use ast_grep_core::Matcher;
use ast_grep_core::matcher::MatcherExt;
use ast_grep_core::tree_sitter::LanguageExt;
use keepopen_content::{Content, Detector, Needs, Out, Reads};
use keepopen_findings::{Confidence, Match, PathContext};

pub struct CodeWeaknesses {
    /// The rule files (built-in, then a team's own): name and text.
    sources: Vec<(String, String)>,
    disabled: std::collections::HashSet<String>,
    /// Per language, its rules compiled when the first file in it is met:
    /// a scan of a few staged Python files compiles no PHP pattern.
    compiled: Vec<(Lang, std::sync::OnceLock<Result<Compiled, String>>)>,
    /// Every rule for every language, for [`CodeWeaknesses::rules`].
    all: std::sync::OnceLock<Vec<Rule>>,
}

/// One language's rules, and which variants can match a node of each
/// kind: one walk of a file's tree tries only those, as ast-grep's own
/// combined scan does, instead of one walk per rule.
struct Compiled {
    rules: Vec<Rule>,
    dispatch: Dispatch,
}

struct Dispatch {
    /// By node kind id: (rule, variant) pairs.
    by_kind: Vec<Vec<(usize, usize)>>,
    /// Variants that do not say which kinds they match.
    any: Vec<(usize, usize)>,
    /// The literals the variants need (see `prefilter`).
    literals: Literals,
    /// By rule and variant: what the variant needs, and what each of its
    /// alternatives does.
    needs: Vec<Vec<TextNeeds>>,
}

/// What a variant needs in a file's text, and what each of its
/// alternatives does; none for a variant not written for the language.
type TextNeeds = Option<(Cond, Vec<Cond>)>;

/// How a variant is tried on a file's nodes.
enum Plan {
    /// Not at all: it cannot match here.
    Skip,
    /// The whole rule on every node of its kinds.
    Full,
    /// These alternatives first, the whole rule only where one matches.
    Alts(Vec<usize>),
}

impl Plan {
    /// The plan for a variant with these `needs` in a file that holds the
    /// literals `present`.
    fn of(needs: &TextNeeds, present: &[bool]) -> Plan {
        let Some((need, alts)) = needs else {
            // Not a variant for this language.
            return Plan::Skip;
        };
        if !crate::prefilter::admits(need, alts, present) {
            return Plan::Skip;
        }
        let possible: Vec<usize> = (0..alts.len())
            .filter(|&i| alts[i].holds(present))
            .collect();
        if possible.len() == alts.len() {
            Plan::Full
        } else {
            Plan::Alts(possible)
        }
    }

    /// The variant's match at `node`, if it matches there.
    fn try_node<'r>(
        &self,
        variant: &Variant,
        lang: Lang,
        node: &ast_grep_core::Node<'r, ast_grep_core::tree_sitter::StrDoc<Lang>>,
    ) -> Option<ast_grep_core::NodeMatch<'r, ast_grep_core::tree_sitter::StrDoc<Lang>>> {
        match self {
            Plan::Skip => return None,
            Plan::Full => {}
            Plan::Alts(possible) => {
                let filter = variant.filter(lang)?;
                // No alternative that can match in this file matches this
                // node: neither does the rule, whose other alternatives
                // cannot match anywhere here.
                if !possible
                    .iter()
                    .any(|&i| filter.alts[i].matcher.match_node(node.clone()).is_some())
                {
                    return None;
                }
            }
        }
        variant.matcher(lang)?.match_node(node.clone())
    }
}

impl Dispatch {
    fn of(rules: &[Rule], lang: Lang) -> Self {
        let filters = || {
            rules
                .iter()
                .flat_map(|r| r.variants.iter())
                .filter_map(|v| v.filter(lang))
        };
        let literals = Literals::of(
            filters().flat_map(|f| std::iter::once(&f.req).chain(f.alts.iter().map(|a| &a.req))),
        );
        let needs = rules
            .iter()
            .map(|r| {
                r.variants
                    .iter()
                    .map(|v| {
                        v.filter(lang).map(|f| {
                            (
                                literals.cond(&f.req),
                                f.alts.iter().map(|a| literals.cond(&a.req)).collect(),
                            )
                        })
                    })
                    .collect()
            })
            .collect();
        let mut d = Dispatch {
            by_kind: Vec::new(),
            any: Vec::new(),
            literals,
            needs,
        };
        for (ri, rule) in rules.iter().enumerate() {
            for (vi, variant) in rule.variants.iter().enumerate() {
                let Some(matcher) = variant.matcher(lang) else {
                    continue;
                };
                match matcher.potential_kinds() {
                    Some(kinds) => {
                        for kind in &kinds {
                            if d.by_kind.len() <= kind {
                                d.by_kind.resize_with(kind + 1, Vec::new);
                            }
                            d.by_kind[kind].push((ri, vi));
                        }
                    }
                    None => d.any.push((ri, vi)),
                }
            }
        }
        d
    }
}

/// A file the code rules read: a source file in a language they know,
/// outside vendored folders. Third-party copies are other people's code:
/// the dependency check reports them when they are known to be
/// vulnerable, and the secrets and personal-data detectors still read them.
pub fn is_code_file(path: &str) -> bool {
    Lang::of_path(path).is_some()
        && !matches!(
            PathContext::of(path, None),
            PathContext::Vendored | PathContext::Minified
        )
}

/// One rule's hit in a file.
pub struct Hit {
    pub line: u32,
    /// The match's last line.
    pub end_line: u32,
    pub column: u32,
    /// The matched code, whitespace collapsed: the finding's identity.
    pub code: String,
    pub level: Option<Level>,
    /// Where a setting switches the code on (`if os.environ.get(…)`), for
    /// a pattern that is a choice, not a flow: the line of that test.
    pub switch: Option<u32>,
}

impl CodeWeaknesses {
    /// The built-in rules less `disabled`.
    pub fn new(disabled: &std::collections::HashSet<String>) -> Result<Self, crate::RuleError> {
        Self::with_custom(disabled, &[])
    }

    /// The built-in rules and a team's own (`custom`: file and text), less
    /// `disabled`.
    /// The team's rules are compiled here, for every language they name,
    /// so that a mistake is an error now; the built-in ones, which tests
    /// compile, when a file in their language is first met.
    pub fn with_custom(
        disabled: &std::collections::HashSet<String>,
        custom: &[(String, String)],
    ) -> Result<Self, crate::RuleError> {
        crate::check_custom(custom)?;
        let mut sources: Vec<(String, String)> = crate::rules::files()
            .iter()
            .map(|(f, t)| (f.to_string(), t.to_string()))
            .collect();
        sources.extend(custom.iter().cloned());
        Ok(CodeWeaknesses {
            sources,
            disabled: disabled.clone(),
            compiled: Lang::ALL
                .iter()
                .map(|&l| (l, std::sync::OnceLock::new()))
                .collect(),
            all: std::sync::OnceLock::new(),
        })
    }

    /// Every rule, compiled for every language (for the examples' checks).
    pub fn rules(&self) -> &[Rule] {
        self.all.get_or_init(|| {
            self.compile(crate::rules::Compile::All)
                .unwrap_or_else(|e| panic!("code rules checked when built: {e}"))
        })
    }

    fn compile(&self, how: crate::rules::Compile) -> Result<Vec<Rule>, crate::RuleError> {
        let mut rules = Vec::new();
        for (file, text) in &self.sources {
            let rule = crate::rules::parse_as(file, text, how)?;
            if !self.disabled.contains(&rule.id) {
                rules.push(rule);
            }
        }
        Ok(rules)
    }

    /// `lang`'s rules, compiled on first use.
    fn for_lang(&self, lang: Lang) -> Option<&Result<Compiled, String>> {
        let (_, cell) = self.compiled.iter().find(|(l, _)| *l == lang)?;
        Some(cell.get_or_init(|| {
            let rules = self
                .compile(crate::rules::Compile::Only(lang))
                .map_err(|e| e.to_string())?;
            let dispatch = Dispatch::of(&rules, lang);
            Ok(Compiled { rules, dispatch })
        }))
    }
}

/// Every hit of `variant` in a parsed file, following values with `flow`
/// (one per file: it indexes the file's assignments once).
pub fn hits<'r>(
    variant: &Variant,
    lang: Lang,
    root: &'r ast_grep_core::AstGrep<ast_grep_core::tree_sitter::StrDoc<Lang>>,
    flow: &mut flow::Flow<'r>,
) -> Vec<Hit> {
    let Some(matcher) = variant.matcher(lang) else {
        return Vec::new();
    };
    root.root()
        .find_all(matcher)
        .filter_map(|m| judge(variant, &m, flow))
        .collect()
}

/// A match of `variant` as a hit, once the value it follows (if any) is
/// judged to be what the variant asks for.
fn judge<'r>(
    variant: &Variant,
    m: &ast_grep_core::NodeMatch<'r, ast_grep_core::tree_sitter::StrDoc<Lang>>,
    flow: &mut flow::Flow<'r>,
) -> Option<Hit> {
    let level = match &variant.flows {
        Some(var) => {
            let value = m.get_env().get_match(var)?.clone();
            let l = flow.level(&value);
            if l < variant.from {
                return None;
            }
            Some(l)
        }
        None => None,
    };
    let start = m.start_pos();
    let switch = if variant.flows.is_none() {
        switched_on(m)
    } else {
        None
    };
    Some(Hit {
        switch,
        end_line: m.end_pos().line() as u32 + 1,
        line: start.line() as u32 + 1,
        column: start.column(m) as u32 + 1,
        code: identity(m),
        level,
    })
}

/// The line of the `if` that runs this code only when a setting says so
/// (`if getenv('SKIP_TLS_VERIFY')`, `if (Yii::app()->params['…'])`): then
/// the insecure choice is an option someone turns on, not the default.
fn switched_on(
    m: &ast_grep_core::NodeMatch<'_, ast_grep_core::tree_sitter::StrDoc<Lang>>,
) -> Option<u32> {
    const SETTINGS: &[&str] = &[
        "env", "Env", "ENV", "config", "Config", "CONFIG", "setting", "Setting", "SETTING",
        "params", "option", "Option", "flag", "Flag", "DEBUG", "debug",
        // An opt-in flag says what it does: `if TLSSkipVerify`.
        "Skip", "skip", "Insecure", "insecure", "Disable", "disable",
    ];
    let functions = m.lang().syntax().functions;
    for a in m.ancestors() {
        let kind = a.kind();
        if functions.contains(&kind.as_ref()) {
            return None;
        }
        if !kind.starts_with("if") && kind != "elif_clause" {
            continue;
        }
        let test = a.field("condition").or_else(|| a.named_children().next())?;
        let text = test.text();
        if SETTINGS.iter().any(|s| text.contains(s)) {
            return Some(test.start_pos().line() as u32 + 1);
        }
    }
    None
}

/// What identifies a hit across edits: the matched code, whitespace
/// collapsed; in Terraform, the resource it configures (`aws_db_instance.main`),
/// which survives reformatting and, unlike the attribute's line, is not
/// a value the report would mask.
fn identity(m: &ast_grep_core::NodeMatch<'_, ast_grep_core::tree_sitter::StrDoc<Lang>>) -> String {
    if *m.lang() == Lang::Hcl
        && let Some(block) = m.ancestors().filter(|a| a.kind() == "block").last()
    {
        let text = block.text();
        let header = text.split('{').next().unwrap_or_default();
        let labels: Vec<&str> = header
            .split_whitespace()
            .skip(1)
            .map(|l| l.trim_matches('"'))
            .collect();
        if !labels.is_empty() {
            return labels.join(".");
        }
    }
    collapse(&m.text())
}

/// The text rules match: PHP templates as their PHP.
pub fn source_text(lang: Lang, text: &str) -> std::borrow::Cow<'_, str> {
    if lang == Lang::Php {
        std::borrow::Cow::Owned(php::php_only(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The anchors' own comments that silence a finding on its lines:
/// Bandit's `nosec`, Semgrep's `nosemgrep`, Ruff's `noqa: S…` (its Bandit
/// rules), SonarQube's `NOSONAR` and keepopen's own ignore comment. A team
/// that wrote one has looked at the line.
const SILENCERS: &[&str] = &["nosec", "nosemgrep", "NOSONAR", "noqa: S", "noqa:S"];

fn suppressed(lines: &[&str], first: u32, last: u32) -> bool {
    let from = (first as usize).saturating_sub(1);
    let to = (last as usize).min(lines.len());
    lines
        .get(from..to)
        .is_some_and(|span| span.iter().any(|l| SILENCERS.iter().any(|s| l.contains(s))))
}

fn collapse(code: &str) -> String {
    let mut out = String::with_capacity(code.len().min(200));
    for word in code.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() > 200 {
            let mut cut = 200;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            break;
        }
    }
    out
}

impl Detector for CodeWeaknesses {
    fn name(&self) -> &'static str {
        "the code rules"
    }

    fn needs(&self) -> Needs<'_> {
        Needs {
            reads: Reads::CurrentFiles(is_code_file),
            paths: None,
        }
    }

    fn detect(&self, content: &Content<'_>, out: &mut Out) {
        let Some(path) = content.path.filter(|p| is_code_file(p)) else {
            return;
        };
        let Some(lang) = Lang::of_path(path) else {
            return;
        };
        if content.is_binary() {
            return;
        }
        // A bundled library's licence banner (`/*! jQuery v3.7`): a copy.
        if keepopen_findings::sniff(content.data) == Some(PathContext::Vendored) {
            return;
        }
        let Ok(text) = std::str::from_utf8(content.data) else {
            out.trouble("not UTF-8, so not parsed");
            return;
        };
        // A notebook: its code cells, on the notebook's own lines.
        let (lang, notebook) = if path.to_ascii_lowercase().ends_with(".ipynb") {
            match crate::notebook::code_of(text) {
                Ok(nb) => {
                    if nb.unplaced > 0 {
                        out.trouble(format!(
                            "{} lines of code not in nbformat's one-line-per-string layout, so not read",
                            nb.unplaced
                        ));
                    }
                    (nb.lang, Some(nb.text))
                }
                Err(why) => {
                    out.trouble(why);
                    return;
                }
            }
        } else {
            (lang, None)
        };
        let text = notebook.as_deref().unwrap_or(text);
        if let Some(why) = skip::reason(path, text) {
            out.trouble(why);
            return;
        }
        let source = source_text(lang, text);
        let compiled = match self.for_lang(lang) {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                out.trouble(format!(
                    "the code rules for {} did not compile: {e}",
                    lang.as_str()
                ));
                return;
            }
            None => return,
        };
        let (rules, dispatch) = (&compiled.rules, &compiled.dispatch);
        // Which variants apply to this file at all (its name, its imports,
        // the text they need), and which of their alternatives.
        let present = dispatch.literals.present(source.as_ref());
        // A rule that asks for input cannot match where none can arrive.
        let input = flow::may_hold_input(lang, source.as_ref());
        let plans: Vec<Vec<Plan>> = rules
            .iter()
            .zip(&dispatch.needs)
            .map(|(r, needs)| {
                r.variants
                    .iter()
                    .zip(needs)
                    .map(|(v, needs)| {
                        if v.applies_to(path) && v.holds(text) && (input || v.from < Level::Input) {
                            Plan::of(needs, &present)
                        } else {
                            Plan::Skip
                        }
                    })
                    .collect()
            })
            .collect();
        // No variant can match here: nothing to parse for.
        if plans.iter().flatten().all(|p| matches!(p, Plan::Skip)) {
            return;
        }
        let root = lang.ast_grep(source.as_ref());
        // The nodes to try, in the order of a walk of the tree that also
        // measures its depth.
        let wanted = |kind: u16| {
            !dispatch.any.is_empty()
                || dispatch
                    .by_kind
                    .get(kind as usize)
                    .is_some_and(|c| !c.is_empty())
        };
        let Some(nodes) = skip::nodes(root.root().get_inner_node(), wanted) else {
            out.trouble(format!(
                "nested deeper than {} levels, so not matched",
                skip::MAX_DEPTH
            ));
            return;
        };
        let facing = web::network_facing(lang, path, text);
        let lines: Vec<&str> = text.lines().collect();
        let mut flow = flow::Flow::new(lang);
        let mut seen: std::collections::HashSet<(usize, u32, u32)> = Default::default();
        // The same code twice in a file is two findings: the second's
        // identity says it is the second.
        let mut codes: std::collections::HashMap<(usize, String), u32> = Default::default();
        for node in nodes {
            let node = root.adopt(node);
            let kind = node.kind_id() as usize;
            let candidates = dispatch
                .by_kind
                .get(kind)
                .into_iter()
                .flatten()
                .chain(dispatch.any.iter());
            for &(ri, vi) in candidates {
                let rule = &rules[ri];
                let variant = &rule.variants[vi];
                let Some(m) = plans[ri][vi].try_node(variant, lang, &node) else {
                    continue;
                };
                let Some(hit) = judge(variant, &m, &mut flow) else {
                    continue;
                };
                if suppressed(&lines, hit.line, hit.end_line) {
                    continue;
                }
                if !seen.insert((ri, hit.line, hit.column)) {
                    continue;
                }
                let n = codes.entry((ri, hit.code.clone())).or_insert(0);
                *n += 1;
                let mut found = to_match(rule, &hit, facing, &lines);
                if *n > 1 {
                    found.secret = format!("{} #{n}", found.secret);
                }
                out.found(found);
            }
        }
    }
}

fn to_match(rule: &Rule, hit: &Hit, facing: web::Facing, lines: &[&str]) -> Match {
    let context = lines
        .get((hit.line as usize).saturating_sub(1))
        .map(|l| l.trim().chars().take(240).collect())
        .unwrap_or_default();
    // Input reaching the sink is the weakness at its full severity. A
    // string built from a value this function does not show the origin of
    // is two bands lower: judged by hand on real repositories, most were
    // identifiers chosen by code, ids from the database, or values quoted
    // elsewhere. Code that never faces the network is one band lower.
    let (mut severity, confidence, mut detail) = match hit.level {
        Some(Level::Input) => (
            rule.severity,
            Confidence::High,
            "input (a request parameter or command-line argument) reaches it".to_string(),
        ),
        Some(_) => (
            rule.severity.lower().lower(),
            Confidence::Low,
            "what reaches it is built from a value whose origin this function does not show; \
             check where it comes from (two bands lower)"
                .to_string(),
        ),
        None => match hit.switch {
            Some(line) => (
                rule.severity.lower().lower(),
                rule.confidence,
                format!(
                    "only when the setting tested at line {line} turns it on (two bands lower); \
                     check it is off wherever the code is deployed"
                ),
            ),
            None => (rule.severity, rule.confidence, String::new()),
        },
    };
    let offline = match facing {
        web::Facing::Yes => None,
        web::Facing::Offline => Some(
            "this file runs by hand or at deployment (a migration, a command, a script, \
             a notebook), never on a request, so one band lower"
                .to_string(),
        ),
        web::Facing::Silent => Some(format!(
            "{}, so one band lower",
            keepopen_findings::SILENT_FILE
        )),
    };
    if let Some(why) = offline {
        if !detail.is_empty() {
            detail.push_str("; ");
        }
        detail.push_str(&why);
        severity = severity.lower();
    }
    Match {
        rule: rule.id.clone(),
        category: rule.category,
        severity,
        confidence,
        secret: hit.code.clone(),
        line: hit.line,
        column: hit.column,
        context,
        detail: (!detail.is_empty()).then_some(detail),
        remedy: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node's match, for every variant of `lang`: by the rule alone,
    /// and as the detector tries it, with the text the file holds.
    fn both_ways(
        rules: &[Rule],
        dispatch: &Dispatch,
        lang: Lang,
        snippet: &str,
    ) -> (Vec<String>, Vec<String>) {
        let source = source_text(lang, snippet);
        let root = lang.ast_grep(source.as_ref());
        let present = dispatch.literals.present(source.as_ref());
        let (mut plain, mut planned) = (Vec::new(), Vec::new());
        for node in root.root().dfs() {
            for (ri, rule) in rules.iter().enumerate() {
                for (vi, variant) in rule.variants.iter().enumerate() {
                    let Some(matcher) = variant.matcher(lang) else {
                        continue;
                    };
                    let say = |m: &ast_grep_core::NodeMatch<'_, _>| {
                        format!("{} {} {:?} {}", rule.id, vi, m.range(), m.text())
                    };
                    if let Some(m) = matcher.match_node(node.clone()) {
                        plain.push(say(&m));
                    }
                    let plan = Plan::of(&dispatch.needs[ri][vi], &present);
                    if let Some(m) = plan.try_node(variant, lang, &node) {
                        planned.push(say(&m));
                    }
                }
            }
        }
        (plain, planned)
    }

    /// Handlers whose parameters are input, in each language that has
    /// them: the rule examples have none.
    const HANDLERS: &[(Lang, &str)] = &[
        (
            Lang::Python,
            "@app.route('/p/<pid>')\ndef show(pid):\n    cur.execute('SELECT * FROM p WHERE id = ' + pid)\n    return mark_safe(pid)\n",
        ),
        (
            Lang::Php,
            "<?php\nclass ReportController extends C {\n  public function actionView($id) {\n    echo $id;\n    include $id;\n  }\n}\n",
        ),
        (
            Lang::CSharp,
            "class ReportController : Controller {\n  public object Show(string id) { return Html.Raw(id); }\n  [HttpGet] object Get(string q) { return Html.Raw(q); }\n}\n",
        ),
        (
            Lang::Java,
            "class R {\n  String show(@RequestParam String id) throws Exception {\n    Runtime.getRuntime().exec(\"ls \" + id);\n    return id;\n  }\n}\n",
        ),
    ];

    #[test]
    fn no_value_is_input_where_the_text_input_needs_is_absent() {
        let detector = CodeWeaknesses::new(&Default::default()).unwrap_or_else(|e| panic!("{e}"));
        let (mut input, mut handled) = (0, 0);
        for &lang in &Lang::ALL {
            let Some(Ok(compiled)) = detector.for_lang(lang) else {
                continue;
            };
            let rules = &compiled.rules[..];
            let mut snippets: Vec<String> = rules
                .iter()
                .flat_map(|r| r.variants.iter())
                .filter(|v| v.languages.contains(&lang))
                .flat_map(|v| v.examples.bad.iter().chain(&v.examples.good))
                .cloned()
                .collect();
            snippets.extend(
                HANDLERS
                    .iter()
                    .filter(|(l, _)| *l == lang)
                    .map(|(_, s)| s.to_string()),
            );
            for snippet in &snippets {
                let source = source_text(lang, snippet);
                let root = lang.ast_grep(source.as_ref());
                let mut flow = flow::Flow::new(lang);
                let found = rules
                    .iter()
                    .flat_map(|r| r.variants.iter())
                    .filter(|v| v.flows.is_some())
                    .flat_map(|v| hits(v, lang, &root, &mut flow))
                    .filter(|h| h.level == Some(Level::Input))
                    .count();
                if found > 0 {
                    assert!(
                        flow::may_hold_input(lang, source.as_ref()),
                        "{lang:?}: input found where none was thought possible: {snippet}"
                    );
                    input += found;
                    if HANDLERS.iter().any(|(_, s)| s == snippet) {
                        handled += 1;
                    }
                }
            }
        }
        assert!(input > 20, "{input}");
        // Every handler above gave input through its parameter.
        assert_eq!(handled, HANDLERS.len());
    }

    #[test]
    fn a_rule_that_asks_for_input_skips_a_file_where_none_can_arrive() {
        let detector = CodeWeaknesses::new(&Default::default()).unwrap_or_else(|e| panic!("{e}"));
        let rules = |text: &str| -> Vec<String> {
            detector
                .look_at(&Content::new(text.as_bytes(), Some("web/page.php")))
                .matches
                .into_iter()
                .map(|m| m.rule)
                .collect()
        };
        let plain = "<?php\nfunction show($name) {\n  echo $name;\n}\n";
        assert!(!flow::may_hold_input(
            Lang::Php,
            &source_text(Lang::Php, plain)
        ));
        assert_eq!(rules(plain), Vec::<String>::new());
        // The same page with the value from the query string.
        let query = plain.replace("echo $name", "echo $_GET['name']");
        assert!(flow::may_hold_input(
            Lang::Php,
            &source_text(Lang::Php, &query)
        ));
        assert_eq!(rules(&query), vec!["code-xss-sink".to_string()]);
        // Or from a Yii action's parameter.
        let action = "<?php\nclass PageController extends C {\n  public function actionShow($name) {\n    echo $name;\n  }\n}\n";
        assert!(flow::may_hold_input(
            Lang::Php,
            &source_text(Lang::Php, action)
        ));
        assert_eq!(rules(action), vec!["code-xss-sink".to_string()]);
        // Outside the PHP blocks, `$_GET` is page text, not input.
        let html = "<p>$_GET</p>\n<?php\nfunction show($name) {\n  echo $name;\n}\n";
        assert!(!flow::may_hold_input(
            Lang::Php,
            &source_text(Lang::Php, html)
        ));
    }

    #[test]
    fn the_text_a_rule_needs_never_changes_what_it_matches() {
        let detector = CodeWeaknesses::new(&Default::default()).unwrap_or_else(|e| panic!("{e}"));
        let mut hits = 0;
        for &lang in &Lang::ALL {
            let Some(Ok(compiled)) = detector.for_lang(lang) else {
                continue;
            };
            let (rules, dispatch) = (&compiled.rules[..], &compiled.dispatch);
            // Each example alone, and all of the language's together.
            let mut snippets: Vec<String> = rules
                .iter()
                .flat_map(|r| r.variants.iter())
                .filter(|v| v.languages.contains(&lang))
                .flat_map(|v| v.examples.bad.iter().chain(&v.examples.good))
                .cloned()
                .collect();
            let joined = snippets
                .iter()
                .map(|s| s.replace("<?php", ""))
                .collect::<Vec<_>>()
                .join("\n");
            snippets.push(format!("<?php\n{joined}"));
            snippets.push(joined);
            for snippet in &snippets {
                let (plain, planned) = both_ways(rules, dispatch, lang, snippet);
                assert_eq!(plain, planned, "{lang:?}: {snippet}");
                hits += plain.len();
            }
        }
        assert!(hits > 100, "{hits}");
    }
}
