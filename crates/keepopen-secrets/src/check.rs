//! `keepopen rules check`: every rule must find each of its examples and
//! none of its negative examples, through the whole engine (prefilter,
//! regex, checksum and decoy filters), as a user's scan would.

use crate::engine::Engine;
use keepopen_content::Content;
use keepopen_rules::unsplit;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub example: String,
    pub problem: &'static str,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rule `{}` {}: {}", self.rule, self.problem, self.example)
    }
}

/// Runs every rule's examples. An empty result means every rule holds.
pub fn check_examples(engine: &Engine) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in engine.rules() {
        if rule.is_filename_rule() {
            for ex in &rule.examples {
                if !engine.match_filename(ex).iter().any(|m| m.rule == rule.id) {
                    failures.push(fail(&rule.id, ex, "does not match its example file name"));
                }
            }
            for ex in &rule.negative_examples {
                if engine.match_filename(ex).iter().any(|m| m.rule == rule.id) {
                    failures.push(fail(&rule.id, ex, "matches its negative example file name"));
                }
            }
            continue;
        }
        let path = example_path(rule);
        // The rule alone: another, more specific rule may rightly claim the
        // same secret in a full scan.
        let alone = match Engine::new(vec![rule.clone()]) {
            Ok(e) if let Some((_, err)) = e.compile_now(|_| true).pop() => {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    example: err,
                    problem: "does not compile",
                });
                continue;
            }
            Ok(e) => e,
            Err(e) => {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    example: e.to_string(),
                    problem: "does not compile",
                });
                continue;
            }
        };
        for ex in &rule.examples {
            let text = unsplit(ex);
            let found = alone.scan(&Content::new(text.as_bytes(), path.as_deref()));
            if !found.iter().any(|m| m.rule == rule.id) {
                failures.push(fail(&rule.id, ex, "misses its example"));
            }
            // The rule file itself must scan clean: the example as written
            // (still split) must not be found by any rule.
            let raw = engine.scan(&Content::new(ex.as_bytes(), path.as_deref()));
            if !raw.is_empty() {
                failures.push(fail(
                    &rule.id,
                    ex,
                    "is found as written: split it with «» so the rule file scans clean",
                ));
            }
        }
        for ex in &rule.negative_examples {
            let text = unsplit(ex);
            let found = alone.scan(&Content::new(text.as_bytes(), path.as_deref()));
            if found.iter().any(|m| m.rule == rule.id) {
                failures.push(fail(&rule.id, ex, "matches its negative example"));
            }
        }
    }
    failures
}

/// A path that satisfies the rule's `paths`, for rules that need one.
fn example_path(rule: &keepopen_rules::Rule) -> Option<String> {
    rule.paths
        .first()
        .map(|g| g.replace("**/", "").replace('*', "example"))
}

fn fail(rule: &str, example: &str, problem: &'static str) -> ExampleFailure {
    ExampleFailure {
        rule: rule.to_string(),
        example: example.to_string(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_rule_finds_its_examples_and_none_of_its_negatives() {
        let rules = keepopen_rules::builtin().unwrap_or_else(|e| panic!("{e}"));
        let engine = Engine::new(rules).unwrap_or_else(|e| panic!("{e}"));
        let failures = check_examples(&engine);
        let text: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            text.join("\n")
        );
    }
}
