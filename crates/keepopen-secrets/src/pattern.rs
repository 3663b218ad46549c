//! A rule's regex, compiled on its first keyword hit. Most rules never hit
//! in a given repository, and compiling 400 regexes up front cost most of a
//! second on every run.

use regex::bytes::{Regex, RegexBuilder};
use std::sync::OnceLock;

pub(crate) struct Compiled {
    pub regex: Regex,
    /// The capture group holding the secret: `secret`, else 1, else 0.
    pub secret_group: usize,
    /// The capture group holding the variable's name, if the rule has one.
    pub name_group: Option<usize>,
}

pub(crate) struct Pattern {
    source: String,
    anchored: bool,
    cell: OnceLock<Result<Compiled, String>>,
}

impl Pattern {
    pub fn new(source: &str, anchored: bool) -> Self {
        Pattern {
            source: source.to_string(),
            anchored,
            cell: OnceLock::new(),
        }
    }

    /// Whether the regex must match where the keyword starts.
    pub fn anchored(&self) -> bool {
        self.anchored
    }

    /// The compiled regex, or why it cannot be compiled.
    pub fn get(&self) -> Result<&Compiled, &str> {
        self.cell
            .get_or_init(|| compile(&self.source, self.anchored))
            .as_ref()
            .map_err(String::as_str)
    }
}

fn compile(source: &str, anchored: bool) -> Result<Compiled, String> {
    let text = if anchored {
        format!("^(?:{source})")
    } else {
        source.to_string()
    };
    let regex = RegexBuilder::new(&text)
        .size_limit(1 << 22)
        .dfa_size_limit(1 << 22)
        .build()
        .map_err(|e| e.to_string())?;
    let names: Vec<Option<&str>> = regex.capture_names().collect();
    let secret = names.iter().position(|n| *n == Some("secret"));
    let name_group = names.iter().position(|n| *n == Some("name"));
    let secret_group = secret.unwrap_or(if regex.captures_len() > 1 { 1 } else { 0 });
    Ok(Compiled {
        regex,
        secret_group,
        name_group,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_found_and_anchoring_holds() {
        let p = Pattern::new(r"(?P<name>[a-z_]+)\s*=\s*'(?P<secret>[^']+)'", false);
        let c = p.get().expect("compiles");
        assert_eq!((c.secret_group, c.name_group), (2, Some(1)));
        let a = Pattern::new(r"ghp_[a-z]+", true);
        assert!(a.get().expect("compiles").regex.is_match(b"ghp_abc"));
        assert!(!a.get().expect("compiles").regex.is_match(b"x ghp_abc"));
        assert!(Pattern::new(r"(", false).get().is_err());
    }
}
