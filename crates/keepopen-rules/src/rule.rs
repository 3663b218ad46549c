//! One rule and the file format that holds rules.

use keepopen_findings::{Confidence, Severity};
use serde::Deserialize;
use std::collections::HashSet;

/// Written inside example tokens so that rule files never hold a whole
/// live-looking secret; removed before examples are tested.
pub const SPLIT_MARKER: &str = "«»";

/// Joins an example written with [`SPLIT_MARKER`]s.
pub fn unsplit(example: &str) -> String {
    example.replace(SPLIT_MARKER, "")
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("rule file {file}: {message}")]
    Parse { file: String, message: String },
    #[error("rule `{id}`: {message}")]
    Invalid { id: String, message: String },
}

/// A file of rules: `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub rule: Vec<Rule>,
}

impl RuleFile {
    /// Parses and fully validates a file of rules (a team's own).
    pub fn parse(file: &str, text: &str) -> Result<Self, RuleError> {
        let parsed = Self::parse_fields(file, text)?;
        for r in &parsed.rule {
            r.validate()?;
        }
        Ok(parsed)
    }

    /// Parses and checks everything but the patterns' syntax: for the
    /// built-in rules, whose patterns the test suite compiles, so that
    /// every run does not pay for parsing 400 regexes.
    pub fn parse_fields(file: &str, text: &str) -> Result<Self, RuleError> {
        let parsed: RuleFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        for r in &parsed.rule {
            r.validate_fields()?;
        }
        Ok(parsed)
    }
}

fn default_window() -> usize {
    512
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
    pub confidence: Confidence,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub validator: Option<String>,
    #[serde(default)]
    pub min_entropy: Option<f64>,
    #[serde(default = "default_window")]
    pub window: usize,
    #[serde(default)]
    pub generic: bool,
    /// The match begins where a keyword begins (`ghp_…`, `https://…`), so
    /// the regex runs anchored at each hit instead of searching a window.
    #[serde(default)]
    pub anchored: bool,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub filename: Vec<String>,
    #[serde(default)]
    pub references: Vec<String>,
    /// Where the provider revokes and reissues this credential (an https
    /// page): the first step of the keep-open fix plan.
    #[serde(default)]
    pub revoke: Option<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

impl Rule {
    fn invalid(&self, message: impl Into<String>) -> RuleError {
        RuleError::Invalid {
            id: self.id.clone(),
            message: message.into(),
        }
    }

    /// Is this a rule on file names rather than on content?
    pub fn is_filename_rule(&self) -> bool {
        !self.filename.is_empty()
    }

    /// Static checks: everything that can be known without running the
    /// rule, the pattern's syntax included.
    pub fn validate(&self) -> Result<(), RuleError> {
        self.validate_fields()?;
        if let Some(p) = &self.pattern {
            regex_syntax::ParserBuilder::new()
                .utf8(false)
                .build()
                .parse(p)
                .map_err(|e| self.invalid(format!("pattern does not compile: {e}")))?;
        }
        Ok(())
    }

    /// The static checks but the pattern's syntax.
    pub fn validate_fields(&self) -> Result<(), RuleError> {
        let id_ok = !self.id.is_empty()
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !self.id.starts_with('-')
            && !self.id.ends_with('-');
        if !id_ok {
            return Err(self.invalid("the id must be kebab-case: a-z, 0-9 and `-`"));
        }
        if self.name.trim().is_empty() || self.description.trim().is_empty() {
            return Err(self.invalid("a rule needs a name and a description"));
        }
        match (&self.pattern, self.is_filename_rule()) {
            (Some(_), true) => {
                return Err(self.invalid("a rule has a pattern or a filename, not both"));
            }
            (None, false) => return Err(self.invalid("a rule needs a pattern or a filename")),
            (Some(_), false) => {
                if self.keywords.is_empty() {
                    return Err(
                        self.invalid("a pattern rule needs at least one keyword for the prefilter")
                    );
                }
                if let Some(k) = self.keywords.iter().find(|k| k.len() < 3 || !k.is_ascii()) {
                    return Err(
                        self.invalid(format!("keyword `{k}` must be ASCII and at least 3 bytes"))
                    );
                }
            }
            (None, true) => {}
        }
        for g in self.paths.iter().chain(&self.filename) {
            globset::Glob::new(g).map_err(|e| self.invalid(format!("glob `{g}`: {e}")))?;
        }
        if let Some(r) = &self.revoke
            && (!r.starts_with("https://") || r.len() < 12 || r.contains(char::is_whitespace))
        {
            return Err(self.invalid(format!("revoke `{r}` must be one https:// address")));
        }
        if self.window == 0 || self.window > 1 << 16 {
            return Err(self.invalid("window must be between 1 and 65536 bytes"));
        }
        if let Some(e) = self.min_entropy
            && !(0.0..=8.0).contains(&e)
        {
            return Err(self.invalid("min_entropy is in bits per byte, between 0 and 8"));
        }
        if self.examples.is_empty() {
            return Err(self.invalid("a rule needs at least one positive example"));
        }
        Ok(())
    }
}

pub(crate) fn check_unique(rules: &[Rule]) -> Result<(), RuleError> {
    let mut seen = HashSet::new();
    for r in rules {
        if !seen.insert(r.id.as_str()) {
            return Err(r.invalid("this id is used by another rule"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[rule]]
id = "demo-token"
name = "Demo token"
description = "Lets an attacker do demo things."
severity = "high"
confidence = "medium"
keywords = ["demo_"]
pattern = '''demo_([a-z]{8})'''
examples = ["demo_«»abcdefgh"]
"#;

    #[test]
    fn a_good_file_parses() {
        let f = RuleFile::parse("demo.toml", GOOD).expect("parses");
        assert_eq!(f.rule[0].window, 512);
        assert_eq!(unsplit(&f.rule[0].examples[0]), "demo_abcdefgh");
    }

    #[test]
    fn errors_name_the_file_or_the_rule() {
        let bad_toml = RuleFile::parse("x.toml", "[[rule]\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(bad_toml.contains("x.toml"), "{bad_toml}");
        let bad_regex = GOOD.replace("([a-z]{8})", "([a-z]{8}");
        let e = RuleFile::parse("x.toml", &bad_regex)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("demo-token") && e.contains("compile"), "{e}");
        let unknown = GOOD.replace("severity = \"high\"", "severity = \"dire\"");
        assert!(RuleFile::parse("x.toml", &unknown).is_err());
        let short_kw = GOOD.replace("[\"demo_\"]", "[\"de\"]");
        assert!(RuleFile::parse("x.toml", &short_kw).is_err());
    }
}
