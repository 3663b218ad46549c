//! Counters a source bumps as it goes, for a progress bar to read.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default, Debug)]
pub struct Progress {
    pub items: AtomicU64,
    pub bytes: AtomicU64,
    /// The number of items expected, when the source knows it up front.
    pub total_items: AtomicU64,
}

impl Progress {
    pub fn add(&self, bytes: usize) {
        self.items.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn expect(&self, items: u64) {
        self.total_items.fetch_add(items, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> (u64, u64, u64) {
        (
            self.items.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            self.total_items.load(Ordering::Relaxed),
        )
    }
}
