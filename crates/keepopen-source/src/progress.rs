//! Counters a source bumps as it goes, and the phase the run is in, for a
//! progress bar to read: a bar that sits at 100% while history is being
//! attributed says which phase holds it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// What a run is doing, in the order a run does it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Reading files and objects through the detectors.
    #[default]
    Scanning = 0,
    /// Opening the history's packs and indexes, before the first object.
    ReadingPacks = 1,
    /// Attributing history matches to paths and commits.
    Locating = 2,
    /// Waiting for the repository posture checks.
    Posture = 3,
    /// Rendering and writing the report.
    Writing = 4,
}

impl Phase {
    const ALL: [Phase; 5] = [
        Phase::Scanning,
        Phase::ReadingPacks,
        Phase::Locating,
        Phase::Posture,
        Phase::Writing,
    ];

    /// The words the progress bar shows.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Scanning => "scanning",
            Phase::ReadingPacks => "reading packs",
            Phase::Locating => "locating findings in history",
            Phase::Posture => "posture checks",
            Phase::Writing => "writing the report",
        }
    }
}

#[derive(Default, Debug)]
pub struct Progress {
    pub items: AtomicU64,
    pub bytes: AtomicU64,
    /// The number of items expected, when the source knows it up front.
    pub total_items: AtomicU64,
    phase: AtomicU8,
    /// Every phase entered, in order: a handful per run.
    entered: Mutex<Vec<Phase>>,
}

impl Progress {
    pub fn add(&self, bytes: usize) {
        // The first object read ends the reading of packs.
        if self.phase.load(Ordering::Relaxed) == Phase::ReadingPacks as u8 {
            self.enter(Phase::Scanning);
        }
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

    /// Enters `phase`, unless the run is in it already.
    pub fn enter(&self, phase: Phase) {
        let was = self.phase.swap(phase as u8, Ordering::Relaxed);
        let mut entered = self.entered.lock().unwrap_or_else(|e| e.into_inner());
        if was != phase as u8 || entered.is_empty() {
            entered.push(phase);
        }
    }

    /// The phase the run is in now.
    pub fn phase(&self) -> Phase {
        let n = self.phase.load(Ordering::Relaxed);
        Phase::ALL
            .into_iter()
            .find(|p| *p as u8 == n)
            .unwrap_or_default()
    }

    /// Every phase entered so far, in order.
    pub fn phases(&self) -> Vec<Phase> {
        self.entered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_object_read_ends_the_reading_of_packs() {
        let p = Progress::default();
        p.enter(Phase::Scanning);
        p.enter(Phase::ReadingPacks);
        assert_eq!(p.phase(), Phase::ReadingPacks);
        p.add(10);
        p.add(10);
        assert_eq!(p.phase(), Phase::Scanning);
        p.enter(Phase::Locating);
        p.enter(Phase::Locating);
        assert_eq!(
            p.phases(),
            vec![
                Phase::Scanning,
                Phase::ReadingPacks,
                Phase::Scanning,
                Phase::Locating
            ]
        );
        assert_eq!(p.phase().label(), "locating findings in history");
    }
}
