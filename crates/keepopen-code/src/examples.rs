//! Every variant's examples, run: each `bad` snippet must be found by its
//! rule and hold what its text filter asks for, and no `good` snippet may
//! be found. `keepopen rules check` and the
//! tests run these.

use crate::detector::{hits, source_text};
use crate::rules::Rule;
use ast_grep_core::tree_sitter::LanguageExt;

/// What failed, one line each: the rule, the variant, the snippet.
pub fn check_examples(rules: &[Rule]) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in rules {
        for (i, variant) in rule.variants.iter().enumerate() {
            let lang = variant.example_lang;
            let found = |snippet: &str| {
                if !variant.holds(snippet) {
                    return false;
                }
                let source = source_text(lang, snippet);
                let root = lang.ast_grep(source.as_ref());
                !hits(variant, lang, &root, &mut crate::flow::Flow::new(lang)).is_empty()
            };
            if variant.examples.bad.is_empty() {
                failures.push(format!(
                    "{} variant {}: no example it finds",
                    rule.id,
                    i + 1
                ));
            }
            // What a file must hold for the variant to be tried at all:
            // every example it finds holds it. A variant that asks for
            // input is tried only where input can arrive.
            let passes = |snippet: &str| {
                let source = source_text(lang, snippet);
                variant
                    .filter(lang)
                    .is_none_or(|f| f.admits(source.as_ref()))
                    && (variant.from < crate::flow::Level::Input
                        || crate::flow::may_hold_input(lang, source.as_ref()))
            };
            for bad in &variant.examples.bad {
                if !passes(bad) {
                    failures.push(format!(
                        "{} variant {} ({}): its text filter rules out {:?}",
                        rule.id,
                        i + 1,
                        lang.as_str(),
                        bad.trim()
                    ));
                }
                if !found(bad) {
                    failures.push(format!(
                        "{} variant {} ({}): missed {:?}",
                        rule.id,
                        i + 1,
                        lang.as_str(),
                        bad.trim()
                    ));
                }
            }
            for good in &variant.examples.good {
                if found(good) {
                    failures.push(format!(
                        "{} variant {} ({}): found {:?}",
                        rule.id,
                        i + 1,
                        lang.as_str(),
                        good.trim()
                    ));
                }
            }
        }
    }
    failures
}
