//! Secret rules as data. Each provider's rules live in one TOML file under
//! `rules/`, compiled in; a team's own rules use the same format in
//! `.keepopen.toml`. This crate parses and validates them; the
//! `keepopen-secrets` engine runs them.

mod rule;

pub use rule::{Rule, RuleError, RuleFile, SPLIT_MARKER, unsplit};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Every built-in rule, in file then declaration order.
pub fn builtin() -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    for (name, text) in BUILTIN {
        rules.extend(RuleFile::parse_fields(name, text)?.rule);
    }
    rule::check_unique(&rules)?;
    Ok(rules)
}

/// The names of the built-in rule files, for `keepopen rules list`.
pub fn builtin_files() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_rule_file_parses_and_ids_are_unique() {
        let rules = super::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(!rules.is_empty());
        for r in &rules {
            r.validate().unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
