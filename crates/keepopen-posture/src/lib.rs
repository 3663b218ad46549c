//! File-based posture checks: does an open repository show clear ownership, a
//! route to report vulnerabilities, automated hygiene and the ability to fix
//! quickly, as GDS guidance asks?
//!
//! The checks follow OpenSSF Scorecard's file-based checks and compute only
//! what the files (and, for [`maintained`], counts from git history) show,
//! offline. Each check is one file under `checks/` and one line in the
//! registry returned by [`checks`]. [`maintained`] needs history and so is a
//! function rather than a registered check.
//!
//! # Scores and weights
//!
//! Each score follows Scorecard's evaluation code (`checks/evaluation/*.go`
//! in ossf/scorecard), computed from files only; the check files say which
//! parts need a hosting API and are left out rather than guessed.
//! [`aggregate`] is Scorecard's `GetAggregateScore`: the sum of weight ×
//! score over the sum of weights, unrounded, over the checks with a score,
//! each weighted by its Scorecard risk level (Critical 10, High 7.5,
//! Medium 5, Low 2.5, from `docs/checks/internal/checks.yaml`).
//!
//! | id | Scorecard check | risk | weight |
//! |----|-----------------|------|--------|
//! | `posture-binary-artifacts` | Binary-Artifacts | High | 7.5 |
//! | `posture-dependency-automation` | Dependency-Update-Tool | High | 7.5 |
//! | `posture-maintained` | Maintained | High | 7.5 |
//! | `posture-pinned-dependencies` | Pinned-Dependencies | Medium | 5 |
//! | `posture-ci-hygiene` | SAST (score only, as offline) | Medium | 5 |
//! | `posture-security-policy` | Security-Policy | Medium | 5 |
//! | `posture-licence` | License | Low | 2.5 |
//! | `posture-ownership` | none | (Medium) | 5 |
//! | `posture-committed-env-and-dumps` | none | (High) | 7.5 |
//!
//! The last two have no Scorecard score, so their results carry `score: None`
//! and do not enter the aggregate; their weights are recorded for callers
//! that give them one. A check whose status is not applicable, or that has
//! no score (Scorecard's inconclusive result), does not enter it either.
//! A check may fail while scoring 10 where keepopen asks more than Scorecard
//! (CI hygiene's four categories, Dependabot covering every ecosystem).

mod checks;
mod text;
mod tree;

pub use checks::dependency_automation::dependabot_ecosystems;
pub use checks::maintained::maintained;
pub use tree::{MAX_READ, Tree};

/// Scorecard checks that need the hosting platform's API, listed as "not
/// assessed offline" and never guessed.
pub const NOT_ASSESSED_OFFLINE: &[&str] = &[
    "Branch-Protection",
    "Code-Review",
    "Contributors",
    "Signed-Releases",
    "Packaging",
    "Webhooks",
    "CII-Best-Practices",
];

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    NotApplicable,
}

/// One place in the tree that supports a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub path: String,
    /// 1-based line; 0 for the whole file.
    pub line: u32,
    pub note: String,
}

impl Evidence {
    pub fn new(path: impl Into<String>, line: u32, note: impl Into<String>) -> Evidence {
        Evidence {
            path: path.into(),
            line,
            note: note.into(),
        }
    }
}

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub id: &'static str,
    pub status: Status,
    /// 0 to 10, where Scorecard defines a score for the check.
    pub score: Option<u8>,
    pub evidence: Vec<Evidence>,
    /// One sentence on how to pass.
    pub fix: &'static str,
}

/// What a check is, for the catalogue: each check file declares its own.
#[derive(Debug)]
pub struct About {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// One sentence on how to pass.
    pub fix: &'static str,
}

/// A posture check over a repository's files.
pub trait Check: Sync {
    fn about(&self) -> &'static About;
    fn run(&self, tree: &Tree) -> CheckResult;

    fn id(&self) -> &'static str {
        self.about().id
    }
}

/// Every file-based check, in report order.
pub fn checks() -> &'static [&'static dyn Check] {
    checks::REGISTRY
}

/// Every check, [`maintained`] included, as a catalogue entry for the
/// registry; severity from the check's Scorecard risk level.
pub fn catalogue() -> Vec<keepopen_findings::RuleInfo> {
    checks()
        .iter()
        .map(|c| c.about())
        .chain([&checks::maintained::ABOUT])
        .map(|a| keepopen_findings::RuleInfo {
            id: a.id.to_string(),
            name: a.name.to_string(),
            description: a.description.to_string(),
            severity: severity(a.id),
            category: keepopen_findings::Category::Posture,
            references: vec![
                "https://github.com/ossf/scorecard/blob/main/docs/checks.md".to_string(),
            ],
            fix: a.fix.to_string(),
            kind: keepopen_findings::RuleKind::Logic,
            revoke: None,
        })
        .collect()
}

/// Scorecard's risk level as a finding's severity.
pub fn severity(id: &str) -> keepopen_findings::Severity {
    use keepopen_findings::Severity;
    match weight(id) {
        w if w >= 10.0 => Severity::Critical,
        w if w >= 7.5 => Severity::High,
        w if w >= 5.0 => Severity::Medium,
        _ => Severity::Low,
    }
}

/// Runs every registered check over the tree.
pub fn run_all(tree: &Tree) -> Vec<CheckResult> {
    checks().iter().map(|check| check.run(tree)).collect()
}

/// The weight of a check id, after Scorecard's risk levels (see the module
/// documentation); 0 for an unknown id.
pub fn weight(id: &str) -> f64 {
    match id {
        "posture-binary-artifacts"
        | "posture-dependency-automation"
        | "posture-maintained"
        | "posture-committed-env-and-dumps" => 7.5,
        "posture-pinned-dependencies"
        | "posture-ci-hygiene"
        | "posture-security-policy"
        | "posture-ownership" => 5.0,
        "posture-licence" => 2.5,
        _ => 0.0,
    }
}

/// The weighted mean score, 0 to 10, over results that carry a score; `None`
/// when none does.
pub fn aggregate(results: &[CheckResult]) -> Option<f64> {
    let (sum, total) = results
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
        .filter_map(|r| r.score.map(|s| (weight(r.id), f64::from(s.min(10)))))
        .fold((0.0, 0.0), |(sum, total), (w, s)| (sum + w * s, total + w));
    (total > 0.0).then(|| sum / total)
}

#[cfg(test)]
mod tests;
