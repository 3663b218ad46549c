//! A detector's raw [`Match`] in one piece of content, and the located
//! [`Finding`] a report shows.

use crate::level::{Category, Confidence, Severity};
use crate::path_context::{ContextPolicy, PathContext};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What a detector saw in one piece of content, before the pipeline knows
/// which paths and commits hold that content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// The detector's stable id (a rule id for secrets).
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    /// The sensitive value itself. Reports redact it unless told otherwise.
    pub secret: String,
    /// 1-based line and column (in bytes) of the start of the secret.
    pub line: u32,
    pub column: u32,
    /// The line holding the secret, trimmed to a readable length. Detectors
    /// whose lines hold other sensitive values (a row of a patient extract)
    /// put a description here instead, already redacted.
    pub context: String,
    /// More about the match, already redacted, for detectors that judge a
    /// whole column or file: `412 rows; e.g. 943 *** **19, 401 *** **27`.
    pub detail: Option<String>,
    /// The exact fix, where the detector knows it (the version that fixes
    /// every advisory of a package): what the keep-open fix plan states
    /// without reading the finding's text.
    pub remedy: Option<Remedy>,
}

/// A fix a detector knows exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// Upgrade one package its lockfile pins.
    Upgrade {
        /// The OSV ecosystem name: "npm", "PyPI".
        ecosystem: String,
        package: String,
        from: String,
        /// The lowest version that fixes every advisory, when one does.
        to: Option<String>,
    },
}

/// Which repository a finding is in: what a run over many roots, or over
/// an organisation, keeps with each finding.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Repository {
    /// The root as given to the scan.
    pub root: String,
    /// The fetch URL of `origin` (else the first remote), credentials removed.
    pub remote: Option<String>,
    /// The commit HEAD pointed at when the scan began.
    pub head: Option<String>,
}

/// Where a finding lives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The repository; `path` is relative to its root.
    pub repository: Option<std::sync::Arc<Repository>>,
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// The first commit that introduced this content at this path, for
    /// content found in history.
    pub commit: Option<String>,
    /// Author date of that commit, seconds since the epoch.
    pub commit_time: Option<i64>,
    pub author: Option<String>,
    /// The line of the match in that commit's blob at `path`. The match's
    /// own line is where it stands now (the working tree, else HEAD) when
    /// it still does, so the two differ when the secret has moved.
    pub commit_line: Option<u32>,
    /// Whether the content is present at HEAD (or in the working tree).
    pub in_head: bool,
    /// Whether the content was seen in the working tree being scanned.
    pub in_worktree: bool,
    /// Content the object store holds that no branch, tag or other ref
    /// reaches: a rebased-away commit, a deleted pull-request ref, a blob
    /// no commit names. Still in every copy of the store.
    pub unreachable: bool,
    /// For a finding about the whole repository (`path` is `.`), a file in
    /// it that stands for the repository where a format must name a file
    /// (SARIF): chosen once by the pipeline, which has the tree. It is not
    /// part of the fingerprint, which keeps `.`.
    pub anchor: Option<String>,
}

/// One reportable finding: a match at a location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub m: Match,
    pub location: Location,
    /// Stable across runs, line moves and re-commits: see [`fingerprint`].
    pub fingerprint: String,
    /// What kind of file it is in: production code, a test, vendored code.
    pub path_context: PathContext,
    /// Set when the context changed its severity or stopped it blocking.
    pub adjusted: Option<Adjusted>,
    /// Why the value can do no harm where it is, when that, rather than the
    /// file's context, is what lowered it: a password that only guards a
    /// disposable container.
    pub harmless: Option<&'static str>,
    /// A person's verdict from the store, when there is one.
    pub triage: Option<crate::Triage>,
}

/// What the [`ContextPolicy`] did to a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Adjusted {
    /// The severity its detector gave it.
    pub from: Severity,
    /// Whether it can still fail the run.
    pub blocks: bool,
}

impl Finding {
    pub fn new(m: Match, location: Location) -> Self {
        let fingerprint = fingerprint(&m.rule, &location.path, &m.secret);
        let path_context = PathContext::of(&location.path, None);
        Finding {
            m,
            location,
            fingerprint,
            path_context,
            adjusted: None,
            harmless: None,
            triage: None,
        }
    }

    /// Records the file's context (its path, and `sniffed` from its
    /// content) and applies `policy` to findings about the file's content:
    /// secrets, personal data, disclosure control, code weaknesses and
    /// exposed configuration. The rest are about the repository and keep
    /// their severity.
    pub fn in_context(mut self, sniffed: Option<PathContext>, policy: &ContextPolicy) -> Self {
        self.path_context = PathContext::of(&self.location.path, sniffed);
        if !matches!(
            self.m.category,
            Category::Secret
                | Category::PersonalData
                | Category::DisclosureControl
                | Category::Code
                | Category::Exposure
        ) {
            return self;
        }
        let from = self.m.severity;
        if self.m.category == Category::Secret
            && let Some(why) = crate::harmless::why(&self.m, &self.location.path)
        {
            self.m.severity = from.min(Severity::Low);
            self.adjusted = Some(Adjusted {
                from,
                blocks: false,
            });
            self.harmless = Some(why);
            return self;
        }
        let rule = policy.rule(self.path_context);
        let to = rule.cap.map_or(from, |cap| from.min(cap));
        if to != from || !rule.blocks {
            self.m.severity = to;
            self.adjusted = Some(Adjusted {
                from,
                blocks: rule.blocks,
            });
        }
        self
    }

    /// Why the context matters, for a reader: `in test code: confirm it is
    /// not a live credential (high before; does not block)`.
    pub fn context_note(&self) -> Option<String> {
        let reason = self.harmless.unwrap_or(self.path_context.reason());
        if reason.is_empty() {
            return None;
        }
        let mut note = reason.to_string();
        if let Some(a) = self.adjusted {
            let mut parts = Vec::new();
            if a.from != self.m.severity {
                parts.push(format!("{} before", a.from));
            }
            if !a.blocks {
                parts.push("does not block".to_string());
            }
            if !parts.is_empty() {
                note.push_str(&format!(" ({})", parts.join("; ")));
            }
        }
        Some(note)
    }
}

/// The identity of a finding for baselines and de-duplication: the rule, the
/// path and the secret, hashed. It survives the secret moving lines and the
/// file being re-committed, and never reveals the secret.
pub fn fingerprint(rule: &str, path: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    for part in [rule, path, secret] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_separate_their_parts() {
        let a = fingerprint("r", "a/b", "s");
        assert_eq!(a, fingerprint("r", "a/b", "s"));
        assert_eq!(a.len(), 32);
        assert_ne!(fingerprint("r", "a", "bs"), fingerprint("r", "ab", "s"));
    }
}
