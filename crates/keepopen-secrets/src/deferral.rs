//! Rules restricted to some paths, left out of a history blob's first look
//! until its paths are known. A history blob is scanned before the walk
//! that finds its paths; a rule for Python files would otherwise search the
//! keyword windows of every blob of a JavaScript history, only for its
//! matches to be dropped at their paths. Which rules wait is chosen per
//! repository from the files it holds now: those at few of them.

use crate::engine::EngineError;
use globset::{Glob, GlobSet, GlobSetBuilder};
use keepopen_content::Deferral;
use keepopen_rules::Rule;

/// A rule is left until a blob's paths are known when at most one in this
/// many of the repository's files are at its paths: a blob read again
/// costs more than one rule's search of its windows.
const DEFER_UP_TO_ONE_IN: usize = 20;

/// Which rules a scan runs.
#[derive(Clone, Copy)]
pub(crate) enum Which<'a> {
    All,
    /// All but the deferred rules (a history blob before its paths are
    /// known); the flag is set when one of those had a keyword hit.
    AllBut(&'a Deferral, &'a std::cell::Cell<bool>),
    /// Only these (by index).
    Only(&'a [bool]),
}

impl Which<'_> {
    pub(crate) fn runs(&self, r: u32) -> bool {
        match self {
            Which::All => true,
            Which::AllBut(deferral, hit) => {
                let deferred = deferral.contains(r);
                if deferred {
                    hit.set(true);
                }
                !deferred
            }
            Which::Only(set) => set[r as usize],
        }
    }
}

/// The path globs of every rule restricted to some paths.
pub(crate) struct Restricted {
    rules: usize,
    /// All of them in one set, and the rule (by index) of each glob.
    globs: GlobSet,
    rule_of: Vec<u32>,
    /// Per glob: the end every file name it matches has, or `None` when a
    /// name alone cannot tell.
    name_ends: Vec<(u32, Option<Vec<u8>>)>,
    /// Per rule: whether it may match in a lockfile. Generic assignments
    /// never do ([`crate::Engine::applies_to_path`]), so a lockfile is not
    /// read again for them: a NuGet or npm lockfile's hashes hold `pwd`
    /// by chance, and a history can hold thousands of its versions.
    in_lockfiles: Vec<bool>,
}

impl Restricted {
    pub(crate) fn new(rules: &[&Rule]) -> Result<Self, EngineError> {
        let mut b = GlobSetBuilder::new();
        let mut rule_of = Vec::new();
        let mut ends = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            for g in &rule.paths {
                let glob = Glob::new(g).map_err(|e| EngineError::Rule {
                    id: rule.id.clone(),
                    message: e.to_string(),
                })?;
                b.add(glob);
                rule_of.push(i as u32);
                ends.extend(name_ends(g).into_iter().map(|end| (i as u32, end)));
            }
        }
        let globs = b
            .build()
            .map_err(|e| EngineError::Prefilter(e.to_string()))?;
        Ok(Restricted {
            in_lockfiles: rules.iter().map(|r| !r.generic || r.anchored).collect(),
            rules: rules.len(),
            globs,
            rule_of,
            name_ends: ends,
        })
    }

    /// The rules to defer in a repository holding `paths_now`: those that
    /// apply at few of them, and whose paths a file name can rule out
    /// (otherwise every path of every blob one may match is built while
    /// locating).
    pub(crate) fn deferral(&self, paths_now: &[&str]) -> Deferral {
        let mut at = vec![0usize; self.rules];
        let mut hits = Vec::new();
        for path in paths_now {
            self.globs.matches_into(path, &mut hits);
            let mut rules: Vec<u32> = hits.iter().map(|&g| self.rule_of[g]).collect();
            rules.dedup();
            rules.into_iter().for_each(|r| at[r as usize] += 1);
        }
        let rare = |r: u32| at[r as usize] * DEFER_UP_TO_ONE_IN <= paths_now.len();
        let by_name = |r: u32| {
            self.name_ends
                .iter()
                .all(|(rule, end)| *rule != r || end.is_some())
        };
        Deferral::new(
            self.rule_of
                .iter()
                .copied()
                .filter(|&r| rare(r) && by_name(r))
                .collect(),
        )
    }

    /// The rules `deferral` holds that apply at one of `paths`.
    pub(crate) fn at(&self, deferral: &Deferral, paths: &[&str]) -> Vec<bool> {
        let mut set = vec![false; self.rules];
        for path in paths {
            for r in self.deferred_at(deferral, path) {
                set[r as usize] = true;
            }
        }
        set
    }

    pub(crate) fn defers_at(&self, deferral: &Deferral, path: &str) -> bool {
        !deferral.is_empty() && self.deferred_at(deferral, path).next().is_some()
    }

    /// The rules `deferral` holds that may match at `path`.
    fn deferred_at<'a>(
        &'a self,
        deferral: &'a Deferral,
        path: &str,
    ) -> impl Iterator<Item = u32> + 'a {
        let lockfile = crate::lockfile::is_lockfile(path);
        self.globs
            .matches(path)
            .into_iter()
            .map(|g| self.rule_of[g])
            .filter(move |&r| deferral.contains(r) && (!lockfile || self.in_lockfiles[r as usize]))
    }

    pub(crate) fn defers_name(&self, deferral: &Deferral, name: &[u8]) -> bool {
        self.name_ends
            .iter()
            .any(|(r, end)| deferral.contains(*r) && end.as_ref().is_none_or(|e| name.ends_with(e)))
    }
}

/// What every file name a path glob matches ends with: the glob's literal
/// end after its last `/` (`.py` of `**/*.py`, `.env` of `**/.env`), one
/// per alternative of a final `{a,b}`; `[None]` when the glob ends in a
/// wildcard or the end cannot be read. A path the glob matches ends with
/// that literal, which holds no `/`, so its file name does too.
fn name_ends(glob: &str) -> Vec<Option<Vec<u8>>> {
    const WILD: &[char] = &['*', '?', '[', ']', '{', '}', '\\'];
    let last = |lit: &str| -> Option<Vec<u8>> {
        let end = lit.rsplit('/').next().unwrap_or(lit);
        (!end.is_empty()).then(|| end.as_bytes().to_vec())
    };
    if let Some(head) = glob.strip_suffix('}') {
        let Some(open) = head.rfind('{') else {
            return vec![None];
        };
        let alternatives: Vec<&str> = head[open + 1..].split(',').collect();
        // `x/{a,}`: an empty alternative leaves what comes before it.
        if alternatives
            .iter()
            .any(|a| a.contains(WILD) || last(a).is_none())
        {
            return vec![None];
        }
        return alternatives.into_iter().map(last).collect();
    }
    let tail = match glob.rfind(WILD) {
        Some(i) => &glob[i + 1..],
        None => glob,
    };
    vec![last(tail)]
}

#[cfg(test)]
#[path = "deferral_tests.rs"]
mod tests;
