//! A progress bar on standard error for scans longer than a moment, and
//! nothing at all when standard error is not a terminal or with
//! `--no-progress`. It names the phase the run is in (reading packs,
//! scanning, locating findings in history, posture checks, writing the
//! report), so that a bar full while history is attributed is not taken
//! for a hang.

use indicatif::{ProgressBar, ProgressStyle};
use keepopen_source::{Phase, Progress};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Bar {
    done: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Bar {
    /// Starts watching `progress`; draws only after half a second.
    pub fn start(progress: Arc<Progress>, enabled: bool) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        if !enabled {
            return Bar { done, handle: None };
        }
        let flag = done.clone();
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            let mut bar: Option<ProgressBar> = None;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if started.elapsed() < Duration::from_millis(500) {
                    continue;
                }
                let (items, bytes, total) = progress.snapshot();
                let b = bar.get_or_insert_with(|| {
                    let b = ProgressBar::new(total.max(1));
                    b.set_style(
                        ProgressStyle::with_template(TEMPLATE)
                            .unwrap_or_else(|_| ProgressStyle::default_bar())
                            .progress_chars("=> "),
                    );
                    b
                });
                b.set_prefix(prefix(progress.phase()));
                b.set_length(total.max(items));
                b.set_position(items);
                b.set_message(indicatif::HumanBytes(bytes).to_string());
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        });
        Bar {
            done,
            handle: Some(handle),
        }
    }

    /// Stops drawing and clears the bar.
    pub fn finish(self) {}
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

const TEMPLATE: &str = "{spinner} {prefix} [{bar:30}] {pos}/{len} objects · {msg} · {elapsed}";

/// What the bar says the run is doing.
fn prefix(phase: Phase) -> &'static str {
    phase.label()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_names_each_phase() {
        assert!(ProgressStyle::with_template(TEMPLATE).is_ok());
        let said: Vec<&str> = [
            Phase::ReadingPacks,
            Phase::Scanning,
            Phase::Locating,
            Phase::Posture,
            Phase::Writing,
        ]
        .into_iter()
        .map(prefix)
        .collect();
        assert_eq!(
            said,
            [
                "reading packs",
                "scanning",
                "locating findings in history",
                "posture checks",
                "writing the report"
            ]
        );
    }

    #[test]
    fn a_disabled_bar_draws_nothing_and_stops_at_once() {
        let bar = Bar::start(Arc::new(Progress::default()), false);
        assert!(bar.handle.is_none());
        bar.finish();
    }
}
