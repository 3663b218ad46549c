//! Weaknesses in the code itself (category `code`): rules as data in
//! ast-grep's format, matched on tree-sitter syntax trees, with the value
//! reaching a sink followed back within its function. See `rules/` for
//! every rule, its CWE, its path to harm, its fix and its examples.

mod detector;
mod examples;
mod flow;
mod handler;
mod lang;
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

/// The registry entries of the built-in code rules. The rule files are
/// part of the binary and checked by tests, so a broken one is a bug.
pub fn catalogue() -> Vec<RuleInfo> {
    match builtin() {
        Ok(rules) => rules.iter().map(Rule::info).collect(),
        Err(e) => panic!("built-in code rules: {e}"),
    }
}
