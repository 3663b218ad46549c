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

impl Stats {
    /// Adds the counts of a part of the run that ran beside this one (the
    /// duration is the run's, and stays).
    pub fn add_counts(&mut self, other: &Stats) {
        self.files += other.files;
        self.blobs += other.blobs;
        self.bytes += other.bytes;
        self.commits += other.commits;
        self.unreachable_matches += other.unreachable_matches;
        self.filtered += other.filtered;
    }
}
