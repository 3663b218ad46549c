//! Building the engine: each rule checked, its globs parsed, and the
//! keyword automaton and restricted rules' glob set made beside them.

use super::Engine;
use crate::deferral::Restricted;
use crate::keywords::Keywords;
use crate::names::NameRules;
use crate::pattern::Pattern;
use crate::validate::Validator;
use globset::{Glob, GlobSet, GlobSetBuilder};
use keepopen_rules::Rule;
use std::sync::{Arc, OnceLock};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("rule `{id}`: {message}")]
    Rule { id: String, message: String },
    #[error("building the keyword prefilter: {0}")]
    Prefilter(String),
}

pub(crate) struct Compiled {
    pub(crate) rule: Arc<Rule>,
    pub(super) pattern: Option<Pattern>,
    pub(super) validator: Option<Validator>,
    pub(super) paths: Paths,
}

/// A rule's path globs, checked when the engine is built and made into a
/// set the first time a file's path is tested against them: most rules
/// never are in a run, and building the sets was a fifth of the engine's
/// building (each glob a regex).
pub(super) struct Paths {
    globs: Vec<Glob>,
    pub(super) set: OnceLock<Option<GlobSet>>,
}

impl Paths {
    fn new(id: &str, list: &[String]) -> Result<Self, EngineError> {
        let globs = list
            .iter()
            .map(|g| {
                // `**/x` also matches `x` at the root; globset does this.
                Glob::new(g).map_err(|e| EngineError::Rule {
                    id: id.into(),
                    message: e.to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Paths {
            globs,
            set: OnceLock::new(),
        })
    }

    pub(super) fn is_some(&self) -> bool {
        !self.globs.is_empty()
    }

    /// Whether `path` is one of the rule's: every path is when it names
    /// none. A set that cannot be built (a regex past its size limit) lets
    /// no path in, and the engine said so when it was built (the same
    /// globs make [`Restricted`]'s set).
    pub(super) fn admit(&self, path: &str) -> bool {
        if self.globs.is_empty() {
            return true;
        }
        let set = self.set.get_or_init(|| {
            let mut b = GlobSetBuilder::new();
            self.globs.iter().for_each(|g| {
                b.add(g.clone());
            });
            b.build().ok()
        });
        set.as_ref().is_some_and(|g| g.is_match(path))
    }
}

/// Each rule checked and made ready: its validator, its lazily compiled
/// pattern and its path globs. The first rule that is wrong is named.
fn compile_rules(rules: &[Arc<Rule>]) -> Result<Vec<Compiled>, EngineError> {
    let mut compiled = Vec::with_capacity(rules.len());
    for rule in rules {
        let err = |message: String| EngineError::Rule {
            id: rule.id.clone(),
            message,
        };
        rule.validate_fields().map_err(|e| err(e.to_string()))?;
        let validator = match &rule.validator {
            None => None,
            Some(v) => Some(Validator::from_name(v).ok_or_else(|| {
                err(format!(
                    "unknown validator `{v}` (known: {})",
                    Validator::names().join(", ")
                ))
            })?),
        };
        let pattern = rule
            .pattern
            .as_deref()
            .map(|p| Pattern::new(p, rule.anchored));
        compiled.push(Compiled {
            paths: Paths::new(&rule.id, &rule.paths)?,
            rule: Arc::clone(rule),
            pattern,
            validator,
        });
    }
    Ok(compiled)
}

impl Engine {
    pub fn new(rules: Vec<Rule>) -> Result<Self, EngineError> {
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<u32>> = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            for k in &rule.keywords {
                let k = k.to_ascii_lowercase();
                let idx = match keywords.iter().position(|x| *x == k) {
                    Some(idx) => idx,
                    None => {
                        keywords.push(k);
                        keyword_rules.push(Vec::new());
                        keywords.len() - 1
                    }
                };
                keyword_rules[idx].push(i as u32);
            }
        }
        // The keyword automaton and the set of every restricted rule's
        // globs are built on a thread of their own while the rules are
        // checked: together they are most of a run's fixed cost. Errors
        // are named in the order they were: a rule's, the automaton's,
        // the file names', then the globs'.
        let rules: Vec<Arc<Rule>> = rules.into_iter().map(Arc::new).collect();
        let (ready, (prefilter, restricted)) = std::thread::scope(|scope| {
            let beside = scope.spawn(|| {
                let prefilter = if keywords.is_empty() {
                    Ok(None)
                } else {
                    Keywords::new(&keywords)
                        .map(Some)
                        .map_err(|e| EngineError::Prefilter(e.to_string()))
                };
                let all: Vec<&Rule> = rules.iter().map(Arc::as_ref).collect();
                (prefilter, Restricted::new(&all))
            });
            let ready = compile_rules(&rules).map(|compiled| {
                let per_rule: Vec<(usize, &[String])> = compiled
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i, c.rule.filename.as_slice()))
                    .collect();
                let names =
                    NameRules::new(&per_rule).map_err(|e| EngineError::Prefilter(e.to_string()));
                (compiled, names)
            });
            let beside = beside
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (ready, beside)
        });
        let (compiled, names) = ready?;
        let prefilter = prefilter?;
        let names = names?;
        let restricted = restricted?;
        Ok(Engine {
            restricted,
            rules: compiled,
            prefilter,
            keyword_rules,
            names,
            kept: Default::default(),
            kept_urls: Default::default(),
            searched: Default::default(),
        })
    }
}
