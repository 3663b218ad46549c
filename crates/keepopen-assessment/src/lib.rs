//! The keep-open assessment of one repository: what it is ([`Class`]),
//! whether it can stay open ([`Recommendation`]), the reasons, each naming
//! the findings or checks and the policy rule behind it, and an ordered fix
//! plan concrete enough to follow without reading the findings.
//!
//! It reads what the pipeline already decided (findings with their path
//! context and whether they block, the posture checklist, the class of the
//! files, the last commit) and decides nothing about content itself.

mod class;
pub mod clock;
pub mod exceptions;
mod plan;
mod policy;
mod serving;
pub mod verdict;

pub use class::{Class, Classified, classify};
pub use plan::FixStep;
pub use policy::{MINIMUM, Policy, PolicyRule, RULES};
pub use serving::{serves, settle_by_class};

use keepopen_findings::{Category, Finding, Remedy, RuleInfo};
use keepopen_posture::{CheckResult, Status};

/// The four answers, with these ids everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recommendation {
    Open,
    OpenAfterFixes,
    ExceptionReview,
    Archive,
}

impl Recommendation {
    pub const ALL: [Recommendation; 4] = [
        Recommendation::Open,
        Recommendation::OpenAfterFixes,
        Recommendation::ExceptionReview,
        Recommendation::Archive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::Open => "open",
            Recommendation::OpenAfterFixes => "open-after-fixes",
            Recommendation::ExceptionReview => "exception-review",
            Recommendation::Archive => "archive",
        }
    }
}

impl std::fmt::Display for Recommendation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One sentence, and the policy rule that made it count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    pub rule: &'static str,
    pub text: String,
}

/// The assessment of one repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub class: Classified,
    pub recommendation: Recommendation,
    pub reasons: Vec<Reason>,
    pub fixes: Vec<FixStep>,
}

/// What the assessment reads.
pub struct Facts<'a> {
    /// The repository's findings, as the report shows them.
    pub findings: &'a [Finding],
    /// Whether a finding blocks, as the report decides it.
    pub blocking: &'a dyn Fn(&Finding) -> bool,
    /// The posture checklist, when it ran.
    pub posture: Option<&'a [CheckResult]>,
    pub class: Classified,
    /// The newest commit's time and the clock, in Unix seconds.
    pub last_commit: Option<i64>,
    pub now: i64,
    pub rules: &'a [RuleInfo],
    /// The Dependabot ecosystems the files use (`pip`, `docker`,
    /// `github-actions`), for the dependency-automation step.
    pub ecosystems: Vec<String>,
    /// Sound exceptions in force, each with the fingerprints it covers
    /// (see [`exceptions::check`]).
    pub exceptions: &'a [(exceptions::Exception, Vec<String>)],
    /// Whether the repository is private now, when the organisation's list
    /// says: a private repository is opened once its plan is done.
    pub private: bool,
}

const DAY: i64 = 86_400;

/// Applies `policy` to `facts`.
pub fn assess(facts: Facts<'_>, policy: &Policy) -> Assessment {
    let excepted = |f: &Finding| {
        facts
            .exceptions
            .iter()
            .any(|(_, fps)| fps.contains(&f.fingerprint))
    };
    let blocking: Vec<&Finding> = facts
        .findings
        .iter()
        .filter(|f| f.m.category != Category::Posture && (facts.blocking)(f) && !excepted(f))
        .collect();
    let failing_minimum: Vec<&CheckResult> = facts
        .posture
        .unwrap_or_default()
        .iter()
        .filter(|c| c.status == Status::Fail && policy.minimum.iter().any(|m| m == c.id))
        .collect();
    let mut reasons = Vec::new();
    let mut answer = Recommendation::Open;

    let owner_named = facts.posture.is_none_or(|checks| {
        !checks
            .iter()
            .any(|c| c.id == "posture-ownership" && c.status == Status::Fail)
    });
    let idle_days = facts
        .last_commit
        .map(|t| facts.now.saturating_sub(t).max(0) / DAY);
    if let Some(days) = idle_days
        && days >= i64::from(policy.archive_after_days)
        && !owner_named
    {
        answer = Recommendation::Archive;
        reasons.push(Reason {
            rule: "policy-archive",
            text: format!(
                "No commit for {days} days (the policy allows {}) and no owner is named (posture-ownership fails): archive it, with a README line saying so.",
                policy.archive_after_days
            ),
        });
    }

    for (e, fps) in facts.exceptions {
        reasons.push(Reason {
            rule: "policy-exception",
            text: format!(
                "Exception {} ({}) covers {}, approved by {} on {} until {}: they leave the recommendation until it expires, and it is approved again or they are fixed by then.",
                e.id,
                e.record.scope.join(", "),
                count(fps.len(), "finding", "findings"),
                e.record.approver.trim(),
                e.record.approved.trim(),
                e.record.expires.trim()
            ),
        });
    }

    let triaged: Vec<&Finding> = facts
        .findings
        .iter()
        .filter(|f| f.triage.is_some())
        .collect();
    if !triaged.is_empty() {
        let mut states: Vec<String> = Vec::new();
        for s in keepopen_findings::TriageState::ALL {
            let n = triaged
                .iter()
                .filter(|f| f.triage.as_ref().is_some_and(|t| t.state == s))
                .count();
            if n > 0 {
                states.push(format!("{n} {s}"));
            }
        }
        reasons.push(Reason {
            rule: "policy-triage",
            text: format!(
                "{} triaged ({}) leave the recommendation: {}.",
                count(triaged.len(), "finding", "findings"),
                states.join(", "),
                name_findings(&triaged)
            ),
        });
    }

    let unfixable: Vec<&Finding> = blocking
        .iter()
        .copied()
        .filter(|f| matches!(&f.m.remedy, Some(Remedy::Upgrade { to: None, .. })))
        .collect();
    if !unfixable.is_empty() && policy.exception_classes.contains(&facts.class.class) {
        if answer == Recommendation::Open {
            answer = Recommendation::ExceptionReview;
        }
        reasons.push(Reason {
            rule: "policy-exception",
            text: format!(
                "{} in a {}, with no fixed version released: {}. Start a threat model (`keepopen exception new`): the attacker, what publication adds, the path to harm; it is narrow and expires within 12 months.",
                count(unfixable.len(), "blocking vulnerable dependency", "blocking vulnerable dependencies"),
                facts.class.class,
                name_findings(&unfixable)
            ),
        });
    }

    if !blocking.is_empty() {
        if answer == Recommendation::Open {
            answer = Recommendation::OpenAfterFixes;
        }
        reasons.push(Reason {
            rule: "policy-blocking",
            text: format!(
                "{} block ({}): {}.",
                count(blocking.len(), "finding", "findings"),
                by_category(&blocking),
                name_findings(&blocking)
            ),
        });
    }

    if !failing_minimum.is_empty() {
        if answer == Recommendation::Open {
            answer = Recommendation::OpenAfterFixes;
        }
        let ids: Vec<&str> = failing_minimum.iter().map(|c| c.id).collect();
        reasons.push(Reason {
            rule: "policy-minimum",
            text: format!(
                "The minimum standard is not met: {} {}.",
                ids.join(", "),
                if ids.len() == 1 { "fails" } else { "fail" }
            ),
        });
    }

    if answer == Recommendation::Open {
        let met = if facts.posture.is_some() {
            format!(
                "the minimum standard is met ({})",
                policy.minimum.join(", ")
            )
        } else {
            "posture checks did not run, so the minimum standard was not checked".to_string()
        };
        reasons.push(Reason {
            rule: "policy-open",
            text: format!("Nothing blocks and {met}."),
        });
    }

    let mut fixes = plan::plan(&facts, &blocking, &failing_minimum);
    // Code to archive is not brought up to the standard: what was leaked
    // is still put right (an archived repository stays readable), then
    // it is archived.
    if answer == Recommendation::Archive {
        fixes.retain(|s| {
            matches!(
                s.kind.as_str(),
                "rotate-credentials" | "purge-history" | "personal-data"
            )
        });
        fixes.push(FixStep {
            kind: "archive".into(),
            title: "Archive the repository".into(),
            actions: vec![
                "Say at the top of the README that it is no longer maintained and where its successor is, if it has one.".into(),
                "Archive it on the host (GitHub: Settings, Archive this repository): it stays readable, and nobody can push to it or open issues by mistake.".into(),
                "If no one needs it any more, delete it instead, after checking nothing depends on it.".into(),
            ],
            findings: Vec::new(),
        });
    }
    // Open by default: a private repository that is not archived and has
    // no exception in force is made public once its plan is done.
    if facts.private && answer != Recommendation::Archive && facts.exceptions.is_empty() {
        let after = if fixes.is_empty() {
            "Nothing stands in the way"
        } else {
            "Once the steps above are done"
        };
        fixes.push(FixStep {
            kind: "make-public".into(),
            title: "Make the repository public".into(),
            actions: vec![format!(
                "{after}: make it public. Code is open by default; keeping it closed needs an exception record with its threat model (`keepopen exception new`), approved and time-bound."
            )],
            findings: Vec::new(),
        });
    }
    Assessment {
        class: facts.class,
        recommendation: answer,
        reasons,
        fixes,
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2 secret, 1 dependency`.
fn by_category(findings: &[&Finding]) -> String {
    let mut counts: Vec<(Category, usize)> = Vec::new();
    for f in findings {
        match counts.iter_mut().find(|(c, _)| *c == f.m.category) {
            Some((_, n)) => *n += 1,
            None => counts.push((f.m.category, 1)),
        }
    }
    counts
        .iter()
        .map(|(c, n)| format!("{n} {}", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first three findings by rule and place, and how many more.
fn name_findings(findings: &[&Finding]) -> String {
    let mut named: Vec<String> = findings
        .iter()
        .take(3)
        .map(|f| {
            format!(
                "{} {} at {}{}",
                f.m.severity,
                f.m.rule,
                f.location.path,
                if f.m.line > 0 {
                    format!(":{}", f.m.line)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    if findings.len() > 3 {
        named.push(format!("and {} more", findings.len() - 3));
    }
    named.join(", ")
}

#[cfg(test)]
mod tests;
