//! A person's verdict on one finding, kept in the store by fingerprint
//! across runs: `false-positive`, `accepted-risk` (with a reason and an
//! expiry) or `fixed`. A triaged finding stays in every report, marked,
//! and leaves the keep-open recommendation and the exit code while the
//! verdict stands.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TriageState {
    FalsePositive,
    AcceptedRisk,
    Fixed,
}

impl TriageState {
    pub const ALL: [TriageState; 3] = [
        TriageState::FalsePositive,
        TriageState::AcceptedRisk,
        TriageState::Fixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TriageState::FalsePositive => "false-positive",
            TriageState::AcceptedRisk => "accepted-risk",
            TriageState::Fixed => "fixed",
        }
    }
}

impl std::str::FromStr for TriageState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TriageState::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!("unknown triage state `{s}`; known: false-positive, accepted-risk, fixed")
            })
    }
}

impl std::fmt::Display for TriageState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verdict on one fingerprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Triage {
    pub state: TriageState,
    pub reason: String,
    /// Seconds since the epoch; required for `accepted-risk`.
    pub expires_at: Option<i64>,
    pub set_at: i64,
}

impl Triage {
    /// Whether the verdict still stands at `now`: an accepted risk lapses
    /// at its expiry.
    pub fn stands(&self, now: i64) -> bool {
        self.expires_at.is_none_or(|e| now < e)
    }

    /// `state: reason`, as reports show a verdict beside its finding.
    pub fn label(&self) -> String {
        format!("{}: {}", self.state, self.reason)
    }
}
