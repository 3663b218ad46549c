//! The policy the recommendation follows, in one place: GDS's "AI, open
//! code and vulnerability risk in the public sector" (May 2026). Code stays
//! open by default; each repository meets a minimum standard; closure is a
//! narrow, time-bound exception with a threat model; unmaintained code is
//! archived. A team may tune it in `.keepopen.toml` under `[policy]`, and
//! `keepopen explain policy` prints it with the values in force.

use crate::class::Class;

/// The values the recommendation is computed with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// No commit for this many days, and no owner: `archive`.
    pub archive_after_days: u32,
    /// Posture checks every open repository must pass: the minimum
    /// standard (an owner, a disclosure route, automated hygiene).
    pub minimum: Vec<String>,
    /// Classes in which a blocking weakness with no fix yet calls for an
    /// exception review rather than a fix: where a live service runs.
    pub exception_classes: Vec<Class>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            archive_after_days: 365,
            minimum: MINIMUM.iter().map(|s| s.to_string()).collect(),
            exception_classes: vec![Class::Service],
        }
    }
}

/// The default minimum standard.
pub const MINIMUM: &[&str] = &[
    "posture-ownership",
    "posture-security-policy",
    "posture-dependency-automation",
];

/// One rule of the policy: the id a reason carries, so that a reviewer can
/// see which rule gave each answer.
#[derive(Debug)]
pub struct PolicyRule {
    pub id: &'static str,
    pub gives: &'static str,
    pub when: &'static str,
}

/// The rules, in the order they are tried; the first that holds gives the
/// recommendation, and every one that holds gives its reasons.
pub const RULES: &[PolicyRule] = &[
    PolicyRule {
        id: "policy-archive",
        gives: "archive",
        when: "no commit for `archive_after_days` days and no owner named (posture-ownership fails): code nobody maintains is archived, not kept open or closed",
    },
    PolicyRule {
        id: "policy-exception",
        gives: "exception-review",
        when: "a blocking weakness that cannot be fixed now (a known-vulnerable dependency with no fixed version) in a repository whose class is in `exception_classes`: it starts a threat model and never closes anything by itself",
    },
    PolicyRule {
        id: "policy-triage",
        gives: "(no change)",
        when: "findings a person triaged (`keepopen triage`: false-positive, accepted-risk until its expiry, fixed) leave the recommendation and the exit code; they stay in the report, marked",
    },
    PolicyRule {
        id: "policy-blocking",
        gives: "open-after-fixes",
        when: "a finding that blocks (at or above `fail_on`, workflow audits at `workflows.fail_on`, after the path-context policy): fixed in the plan's order",
    },
    PolicyRule {
        id: "policy-minimum",
        gives: "open-after-fixes",
        when: "a posture check in `minimum` fails: the minimum standard (ownership, a disclosure route, automated hygiene) is part of staying open",
    },
    PolicyRule {
        id: "policy-open",
        gives: "open",
        when: "none of the above: nothing blocks and the minimum standard is met",
    },
];

impl Policy {
    /// The policy as `keepopen explain policy` prints it.
    pub fn explain(&self) -> String {
        let mut out = String::from(
            "The keep-open policy (GDS, \"AI, open code and vulnerability risk in the public sector\", May 2026)\n\n",
        );
        out.push_str("Values in force ([policy] in .keepopen.toml):\n");
        out.push_str(&format!(
            "  archive_after_days = {}\n  minimum = [{}]\n  exception_classes = [{}]\n\n",
            self.archive_after_days,
            self.minimum
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", "),
            self.exception_classes
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        out.push_str("Rules, tried in order; the first that holds gives the recommendation:\n");
        for r in RULES {
            out.push_str(&format!(
                "  {:<18} -> {:<17} when {}\n",
                r.id, r.gives, r.when
            ));
        }
        out.push_str(
            "\nClosing a repository is never a recommendation by itself: an exception is a\n\
             structured, time-bound record with a threat model (the attacker, what publication\n\
             adds, the path to harm), reviewed like code. Privacy is not a substitute control.\n",
        );
        out
    }
}
