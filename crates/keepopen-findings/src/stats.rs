//! What a run read, and how long it took.

use std::time::Duration;

/// Counts for one run, over every root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: u64,
    pub blobs: u64,
    pub bytes: u64,
    pub commits: u64,
    pub duration: Duration,
    /// Matches in blobs that no ref reaches (not exposed to a clone).
    pub unreachable_matches: u64,
    /// Matches dropped by excludes, allow-lists or path rules.
    pub filtered: u64,
}
