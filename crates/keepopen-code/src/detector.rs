//! The code rules as a pipeline detector: every source file as it stands
//! now (history's old code no longer runs), parsed once, every rule for
//! its language matched on the tree, each hit with a value to follow
//! followed back before it counts.

use crate::flow::{self, Level};
use crate::lang::Lang;
use crate::rules::{Rule, Variant};
use crate::{php, skip, web};
use ast_grep_core::tree_sitter::LanguageExt;
use keepopen_content::{Content, Detector, Needs, Out, Reads};
use keepopen_findings::{Category, Confidence, Match, PathContext, Severity};

pub struct CodeWeaknesses {
    rules: Vec<Rule>,
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
}

impl CodeWeaknesses {
    /// The built-in rules less `disabled`.
    pub fn new(disabled: &std::collections::HashSet<String>) -> Result<Self, crate::RuleError> {
        let rules = crate::rules::builtin()?
            .into_iter()
            .filter(|r| !disabled.contains(&r.id))
            .collect();
        Ok(CodeWeaknesses { rules })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

/// Every hit of `variant` in a parsed file.
pub fn hits(
    variant: &Variant,
    lang: Lang,
    root: &ast_grep_core::AstGrep<ast_grep_core::tree_sitter::StrDoc<Lang>>,
) -> Vec<Hit> {
    let Some(matcher) = variant.matcher(lang) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in root.root().find_all(matcher) {
        let level = match &variant.flows {
            Some(var) => {
                let env = m.get_env();
                let Some(value) = env.get_match(var) else {
                    continue;
                };
                let l = flow::level(value);
                if l < variant.from {
                    continue;
                }
                Some(l)
            }
            None => None,
        };
        let start = m.start_pos();
        out.push(Hit {
            end_line: m.end_pos().line() as u32 + 1,
            line: start.line() as u32 + 1,
            column: start.column(&m) as u32 + 1,
            code: collapse(&m.text()),
            level,
        });
    }
    out
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

fn lower(s: Severity) -> Severity {
    match s {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium => Severity::Low,
        Severity::Low | Severity::Info => Severity::Info,
    }
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
        if let Some(why) = skip::reason(path, text) {
            out.trouble(why);
            return;
        }
        let source = source_text(lang, text);
        let root = lang.ast_grep(source.as_ref());
        if skip::depth(root.root().get_inner_node()) > skip::MAX_DEPTH {
            out.trouble(format!(
                "nested deeper than {} levels, so not matched",
                skip::MAX_DEPTH
            ));
            return;
        }
        let facing = web::network_facing(lang, path, text);
        let lines: Vec<&str> = text.lines().collect();
        let mut seen: Vec<(usize, u32, u32)> = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            for variant in rule
                .variants
                .iter()
                .filter(|v| v.applies_to(path) && v.holds(text))
            {
                for hit in hits(variant, lang, &root) {
                    if suppressed(&lines, hit.line, hit.end_line) {
                        continue;
                    }
                    if seen.contains(&(ri, hit.line, hit.column)) {
                        continue;
                    }
                    seen.push((ri, hit.line, hit.column));
                    out.found(to_match(rule, &hit, facing, &lines));
                }
            }
        }
    }
}

fn to_match(rule: &Rule, hit: &Hit, facing: bool, lines: &[&str]) -> Match {
    let context = lines
        .get((hit.line as usize).saturating_sub(1))
        .map(|l| l.trim().chars().take(240).collect())
        .unwrap_or_default();
    // Input reaching the sink is the weakness at its full severity; a
    // string built from a value this function does not know the origin of
    // is one band lower, as is code that never faces the network.
    let (mut severity, confidence, mut detail) = match hit.level {
        Some(Level::Input) => (
            rule.severity,
            Confidence::High,
            "input (a request parameter or command-line argument) reaches it".to_string(),
        ),
        Some(_) => (
            lower(rule.severity),
            Confidence::Medium,
            "what reaches it is built from a value whose origin this function does not show; \
             check where it comes from (one band lower)"
                .to_string(),
        ),
        None => (rule.severity, rule.confidence, String::new()),
    };
    if !facing {
        if !detail.is_empty() {
            detail.push_str("; ");
        }
        detail.push_str("nothing in this file faces the network, so one band lower");
        severity = lower(severity);
    }
    Match {
        rule: rule.id.clone(),
        category: Category::Code,
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
