//! The code rules, as data: one YAML file per rule under `rules/`, each a
//! stable id with its CWE, the realistic path to harm, the fix, and one or
//! more variants in ast-grep's rule format (`pattern`, `kind`, `inside`,
//! `has`, `any`, `not`, `constraints`), per language, each with the
//! snippets that must and must not match.
//!
//! `flows: Q` asks that the value the metavariable `$Q` captured be
//! followed back within its function (see `flow`), and that it be built
//! from something not constant (`from: built`, the default) or be input
//! itself (`from: input`).

use crate::flow::Level;
use crate::lang::Lang;
use crate::prefilter::Filter;
use ast_grep_config::{DeserializeEnv, RuleCore, SerializableRule, SerializableRuleCore};
use keepopen_findings::{Category, Confidence, RuleInfo, RuleKind, Severity};
use serde::Deserialize;
use std::collections::HashMap;

/// The rule files, embedded: one per id.
const FILES: &[(&str, &str)] = &[
    (
        "sql-injection.yml",
        include_str!("../rules/sql-injection.yml"),
    ),
    (
        "command-injection.yml",
        include_str!("../rules/command-injection.yml"),
    ),
    (
        "code-injection.yml",
        include_str!("../rules/code-injection.yml"),
    ),
    (
        "unsafe-deserialisation.yml",
        include_str!("../rules/unsafe-deserialisation.yml"),
    ),
    (
        "tls-verification-off.yml",
        include_str!("../rules/tls-verification-off.yml"),
    ),
    (
        "weak-password-hash.yml",
        include_str!("../rules/weak-password-hash.yml"),
    ),
    (
        "insecure-random-token.yml",
        include_str!("../rules/insecure-random-token.yml"),
    ),
    (
        "debug-in-production.yml",
        include_str!("../rules/debug-in-production.yml"),
    ),
    (
        "allowed-hosts-wildcard.yml",
        include_str!("../rules/allowed-hosts-wildcard.yml"),
    ),
    (
        "cors-wildcard-credentials.yml",
        include_str!("../rules/cors-wildcard-credentials.yml"),
    ),
    (
        "jwt-unverified.yml",
        include_str!("../rules/jwt-unverified.yml"),
    ),
    (
        "path-traversal.yml",
        include_str!("../rules/path-traversal.yml"),
    ),
    ("xss-sink.yml", include_str!("../rules/xss-sink.yml")),
    (
        "open-admin-port.yml",
        include_str!("../rules/open-admin-port.yml"),
    ),
    (
        "public-storage.yml",
        include_str!("../rules/public-storage.yml"),
    ),
    (
        "public-database.yml",
        include_str!("../rules/public-database.yml"),
    ),
    (
        "encryption-disabled.yml",
        include_str!("../rules/encryption-disabled.yml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("code rule file {file}: {message}")]
    Parse { file: String, message: String },
    #[error("code rule `{id}`, variant {variant} ({lang}): {message}")]
    Compile {
        id: String,
        variant: usize,
        lang: &'static str,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    id: String,
    name: String,
    /// `code` (the default) or `exposure`: configuration that helps an
    /// attacker.
    #[serde(default = "code")]
    category: Category,
    severity: Severity,
    #[serde(default = "medium")]
    confidence: Confidence,
    cwe: String,
    /// The realistic path from this code to harm.
    harm: String,
    fix: String,
    #[serde(default)]
    references: Vec<String>,
    /// The same check in the anchor tools, for cross-reference.
    #[serde(default)]
    bandit: Vec<String>,
    #[serde(default)]
    semgrep: Vec<String>,
    #[serde(default)]
    checkov: Vec<String>,
    variants: Vec<VariantFile>,
}

fn code() -> Category {
    Category::Code
}

fn medium() -> Confidence {
    Confidence::Medium
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantFile {
    languages: Vec<Lang>,
    rule: SerializableRule,
    #[serde(default)]
    constraints: Option<HashMap<String, SerializableRule>>,
    #[serde(default)]
    utils: Option<HashMap<String, SerializableRule>>,
    #[serde(default)]
    flows: Option<String>,
    #[serde(default = "built")]
    from: Level,
    /// Where the variant applies only to some files: settings modules.
    #[serde(default)]
    paths: Vec<String>,
    /// Text the file must hold for the variant to apply (an import), so
    /// that a bare `exec(…)` is only read as `child_process.exec` where the
    /// module is loaded.
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    examples: Examples,
}

fn built() -> Level {
    Level::Built
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<String>,
    #[serde(default)]
    pub good: Vec<String>,
}

/// One rule, compiled.
pub struct Rule {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: String,
    pub harm: String,
    pub fix: String,
    pub references: Vec<String>,
    pub anchors: Vec<String>,
    pub variants: Vec<Variant>,
}

/// One variant, compiled once per language it applies to.
pub struct Variant {
    pub languages: Vec<Lang>,
    pub matchers: Vec<(Lang, RuleCore)>,
    /// What the variant needs in a file's text, per language (see
    /// `prefilter`).
    pub filters: Vec<(Lang, Filter)>,
    pub flows: Option<String>,
    pub from: Level,
    pub paths: Vec<String>,
    pub requires: Vec<String>,
    pub examples: Examples,
    /// The language the examples are written in.
    pub example_lang: Lang,
}

impl Variant {
    pub fn filter(&self, lang: Lang) -> Option<&Filter> {
        self.filters
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, f)| f)
    }

    pub fn matcher(&self, lang: Lang) -> Option<&RuleCore> {
        self.matchers
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, m)| m)
    }

    /// Does the file hold what the variant requires?
    pub fn holds(&self, text: &str) -> bool {
        self.requires.is_empty() || self.requires.iter().any(|r| text.contains(r.as_str()))
    }

    /// Does the variant apply to the file at `path`?
    pub fn applies_to(&self, path: &str) -> bool {
        self.paths.is_empty() || {
            let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
            self.paths.iter().any(|p| glob_name(p, &name))
        }
    }
}

/// `settings*.py`-style matching on the file name: one `*`.
fn glob_name(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
        }
        None => pattern == name,
    }
}

/// Every built-in code rule, compiled.
pub fn builtin() -> Result<Vec<Rule>, RuleError> {
    builtin_as(Compile::All)
}

/// Every built-in code rule, compiled as `how` says.
pub(crate) fn builtin_as(how: Compile) -> Result<Vec<Rule>, RuleError> {
    FILES
        .iter()
        .map(|(file, text)| parse_as(file, text, how))
        .collect()
}

/// The built-in rule files: name and text.
pub(crate) fn files() -> &'static [(&'static str, &'static str)] {
    FILES
}

/// Which languages' matchers to build. Compiling the patterns is the cost
/// of starting a scan (tree-sitter parses every pattern), so the detector
/// compiles a language's rules when it first meets a file in it, and the
/// catalogue compiles none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compile {
    All,
    /// One language: a variant for others keeps its languages but has no
    /// matcher or filter.
    Only(Lang),
    /// None: the rule's description, checked as data, for the catalogue.
    Nothing,
}

impl Compile {
    fn wants(self, lang: Lang) -> bool {
        match self {
            Compile::All => true,
            Compile::Only(l) => l == lang,
            Compile::Nothing => false,
        }
    }
}

/// One rule file, compiled.
pub fn parse(file: &str, text: &str) -> Result<Rule, RuleError> {
    parse_as(file, text, Compile::All)
}

/// One rule file, compiled as `how` says.
pub(crate) fn parse_as(file: &str, text: &str, how: Compile) -> Result<Rule, RuleError> {
    let f: File = ast_grep_config::from_str(text).map_err(|e| RuleError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    let mut variants = Vec::new();
    for (i, v) in f.variants.into_iter().enumerate() {
        let core = SerializableRuleCore {
            rule: v.rule,
            constraints: v.constraints,
            utils: v.utils,
            transform: None,
        };
        let Some(&example_lang) = v.languages.first() else {
            return Err(RuleError::Parse {
                file: file.to_string(),
                message: format!("variant {} names no language", i + 1),
            });
        };
        let mut langs: Vec<Lang> = Vec::new();
        for l in &v.languages {
            for fam in l.family() {
                if !langs.contains(fam) {
                    langs.push(*fam);
                }
            }
        }
        let mut matchers = Vec::new();
        let mut filters = Vec::new();
        for lang in langs.iter().filter(|l| how.wants(**l)) {
            filters.push((*lang, Filter::of(&core, *lang)));
            let m =
                core.get_matcher(DeserializeEnv::new(*lang))
                    .map_err(|e| RuleError::Compile {
                        id: f.id.clone(),
                        variant: i + 1,
                        lang: lang.as_str(),
                        message: e.to_string(),
                    })?;
            matchers.push((*lang, m));
        }
        if let Some(var) = &v.flows
            && !core_mentions(&core, var)
        {
            return Err(RuleError::Parse {
                file: file.to_string(),
                message: format!(
                    "variant {} follows ${var}, which no pattern captures",
                    i + 1
                ),
            });
        }
        variants.push(Variant {
            languages: langs,
            matchers,
            filters,
            flows: v.flows,
            from: v.from,
            paths: v.paths,
            requires: v.requires,
            examples: v.examples,
            example_lang,
        });
    }
    let mut anchors: Vec<String> = f.bandit.iter().map(|b| format!("Bandit {b}")).collect();
    anchors.extend(f.semgrep.iter().map(|s| format!("Semgrep {s}")));
    anchors.extend(f.checkov.iter().map(|c| format!("checkov {c}")));
    if !matches!(f.category, Category::Code | Category::Exposure) {
        return Err(RuleError::Parse {
            file: file.to_string(),
            message: format!(
                "category `{}`: code rules are `code` or `exposure`",
                f.category
            ),
        });
    }
    Ok(Rule {
        id: f.id,
        name: f.name,
        category: f.category,
        severity: f.severity,
        confidence: f.confidence,
        cwe: f.cwe,
        harm: f.harm,
        fix: f.fix,
        references: f.references,
        anchors,
        variants,
    })
}

/// Does the rule name `$var` anywhere (a pattern or a constraint)? Its
/// serialised form holds every pattern.
fn core_mentions(core: &SerializableRuleCore, var: &str) -> bool {
    serde_json::to_string(core).is_ok_and(|text| text.contains(&format!("${var}")))
}

impl Rule {
    /// The registry entry.
    pub fn info(&self) -> RuleInfo {
        let mut references = vec![RuleInfo::cwe_url(&self.cwe)];
        references.extend(self.references.iter().cloned());
        let languages: Vec<&str> = {
            let mut v: Vec<&str> = self
                .variants
                .iter()
                .flat_map(|v| v.languages.iter().map(|l| l.as_str()))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let anchors = if self.anchors.is_empty() {
            String::new()
        } else {
            format!(" Compare: {}.", self.anchors.join(", "))
        };
        RuleInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            description: format!(
                "{} ({}). Path to harm: {} Languages: {}.{anchors}",
                self.name,
                self.cwe,
                self.harm.trim(),
                languages.join(", ")
            ),
            severity: self.severity,
            category: self.category,
            references,
            fix: self.fix.trim().to_string(),
            kind: RuleKind::Pattern,
            revoke: None,
        }
    }
}
