//! Weaknesses in the code itself (category `code`): rules as data in
//! ast-grep's format, matched on tree-sitter syntax trees, with the value
//! reaching a sink followed back within its function. See `rules/` for
//! every rule, its CWE, its path to harm, its fix and its examples.

mod detector;
mod examples;
mod flow;
mod handler;
mod lang;
mod notebook;
mod php;
mod prefilter;
mod rules;
mod skip;
mod syntax;
mod web;

#[cfg(test)]
mod tests;

pub use detector::{CodeWeaknesses, is_code_file};
pub use examples::check_examples;
pub use lang::Lang;
pub use rules::{Rule, RuleError, builtin};

use keepopen_findings::RuleInfo;

/// The registry entries of the built-in code rules and a team's own
/// (`custom`: file and text, already checked by [`with_custom`]; one that
/// does not parse is left out here, and named where the detector is
/// built). The built-in files are part of the binary and checked by
/// tests, so a broken one is a bug.
pub fn catalogue(custom: &[(String, String)]) -> Vec<RuleInfo> {
    // Descriptions only: no pattern is compiled.
    let mut rules = match rules::builtin_as(rules::Compile::Nothing) {
        Ok(rules) => rules,
        Err(e) => panic!("built-in code rules: {e}"),
    };
    rules.extend(
        custom
            .iter()
            .filter_map(|(f, t)| rules::parse_as(f, t, rules::Compile::Nothing).ok()),
    );
    rules.iter().map(Rule::info).collect()
}

/// Checks a team's own rules (`custom`: file and text): each parsed and
/// compiled for every language it names; an id of a built-in rule, or one
/// given twice, is an error naming the file. The built-in rules are read
/// as descriptions only: they are compiled where they are used.
pub fn check_custom(custom: &[(String, String)]) -> Result<(), RuleError> {
    if custom.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<String> = rules::builtin_as(rules::Compile::Nothing)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    for (file, text) in custom {
        let rule = rules::parse(file, text)?;
        if ids.contains(&rule.id) {
            return Err(RuleError::Parse {
                file: file.clone(),
                message: format!(
                    "the id `{}` is already a code rule's; choose another id",
                    rule.id
                ),
            });
        }
        ids.push(rule.id);
    }
    Ok(())
}

/// The built-in rules and a team's own, each custom file parsed and
/// compiled; an id of a built-in rule, or one given twice, is an error
/// naming the file.
pub fn with_custom(custom: &[(String, String)]) -> Result<Vec<Rule>, RuleError> {
    let mut all = builtin()?;
    for (file, text) in custom {
        let rule = rules::parse(file, text)?;
        if all.iter().any(|r| r.id == rule.id) {
            return Err(RuleError::Parse {
                file: file.clone(),
                message: format!(
                    "the id `{}` is already a code rule's; choose another id",
                    rule.id
                ),
            });
        }
        all.push(rule);
    }
    Ok(all)
}
