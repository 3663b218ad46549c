//! File-name rules as one matcher. A history walk asks about every entry of
//! every tree (two million in a large repository), so the common answer,
//! "no rule can match this name", must cost a hash lookup, not a glob.

use globset::{Candidate, Glob, GlobSet, GlobSetBuilder};
use std::collections::HashSet;

pub(crate) struct NameRules {
    /// Every filename glob of every rule, and the rule each belongs to.
    all: GlobSet,
    owner: Vec<usize>,
    /// Necessary conditions on the last path component: exact names,
    /// extensions (`*.p12`), and anything else as globs.
    names: HashSet<Vec<u8>>,
    extensions: HashSet<Vec<u8>>,
    other: Option<GlobSet>,
}

impl NameRules {
    /// `rules` pairs a rule index with its filename globs.
    pub fn new(rules: &[(usize, &[String])]) -> Result<Option<Self>, globset::Error> {
        if rules.iter().all(|(_, g)| g.is_empty()) {
            return Ok(None);
        }
        let (mut all, mut other) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        let (mut owner, mut names, mut extensions, mut others) =
            (Vec::new(), HashSet::new(), HashSet::new(), 0);
        for (rule, globs) in rules {
            for g in globs.iter() {
                all.add(Glob::new(g)?);
                owner.push(*rule);
                let last = g.rsplit('/').next().unwrap_or(g);
                let wild = |s: &str| s.contains(['*', '?', '[', '{']);
                match last.strip_prefix("*.") {
                    Some(ext) if !wild(ext) => {
                        extensions.insert(ext.as_bytes().to_vec());
                    }
                    _ if !wild(last) => {
                        names.insert(last.as_bytes().to_vec());
                    }
                    _ => {
                        other.add(Glob::new(last)?);
                        others += 1;
                    }
                }
            }
        }
        Ok(Some(NameRules {
            all: all.build()?,
            owner,
            names,
            extensions,
            other: if others > 0 {
                Some(other.build()?)
            } else {
                None
            },
        }))
    }

    /// Could any rule match a file called `name` (the last component)?
    pub fn may_match(&self, name: &[u8]) -> bool {
        self.names.contains(name)
            || name
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'.')
                .any(|(i, _)| self.extensions.contains(&name[i + 1..]))
            || self
                .other
                .as_ref()
                .is_some_and(|o| o.is_match(String::from_utf8_lossy(name).as_ref()))
    }

    /// The rules whose globs match `path`, each once.
    pub fn matching(&self, path: &str) -> Vec<usize> {
        let mut rules: Vec<usize> = self
            .all
            .matches_candidate(&Candidate::new(path))
            .into_iter()
            .map(|i| self.owner[i])
            .collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_extensions_and_globs_are_prefiltered_and_matched() {
        let globs = [
            vec!["**/*.p12".to_string(), "**/*.pfx".to_string()],
            vec!["**/id_rsa".to_string()],
            vec!["**/*.tfstate.*.backup".to_string()],
        ];
        let rules: Vec<(usize, &[String])> = globs
            .iter()
            .enumerate()
            .map(|(i, g)| (i, g.as_slice()))
            .collect();
        let n = NameRules::new(&rules).expect("globs").expect("some");
        assert!(
            n.may_match(b"client.p12")
                && n.may_match(b"id_rsa")
                && n.may_match(b"a.tfstate.1.backup")
        );
        assert!(!n.may_match(b"main.rs") && !n.may_match(b"id_rsa.pub"));
        assert_eq!(n.matching("certs/client.p12"), vec![0]);
        assert_eq!(n.matching("home/.ssh/id_rsa"), vec![1]);
        assert!(n.matching("src/main.rs").is_empty());
    }
}
