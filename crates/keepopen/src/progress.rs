//! A progress bar on standard error for scans longer than a moment, and
//! nothing at all when standard error is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use keepopen_source::Progress;
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
                        ProgressStyle::with_template(
                            "{spinner} scanning [{bar:30}] {pos}/{len} objects · {msg} · {elapsed}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    );
                    b
                });
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

    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
