//! Rescans started from the dashboard: one repository scanned again with
//! the options its run was started with, its result replacing the old one
//! in that run. Each has a status that the page follows live, through
//! server-sent events.

use crate::App;
use crate::error::ApiError;
use keepopen_findings::{Finding, Repository};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::watch;

/// A repository's new result.
pub struct Rescanned {
    pub row: Value,
    pub findings: Vec<Finding>,
    pub repository: Option<Repository>,
    /// The row's recommendation, as the store keeps it.
    pub recommendation: String,
}

/// The seam to the scan pipeline: the command line supplies it.
pub trait Rescan: Send + Sync {
    /// Scans the repository at `root` again as an organisation run with
    /// `options` (its stored options) would; `visibility` is what the
    /// run's list said of it. `progress` takes a short line of what it is
    /// doing now.
    fn rescan(
        &self,
        root: &str,
        options: &Value,
        visibility: Option<&str>,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Rescanned, String>;
}

/// Where a rescan is.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub id: u64,
    pub repository: String,
    /// queued, scanning, writing, done or failed.
    pub state: &'static str,
    pub message: String,
    pub elapsed_ms: u64,
    /// The new recommendation, once done.
    pub recommendation: Option<String>,
}

impl Status {
    pub fn finished(&self) -> bool {
        matches!(self.state, "done" | "failed")
    }
}

/// The most statuses kept: the oldest finished ones are forgotten.
const KEPT: usize = 200;

pub struct Jobs {
    rescan: Arc<dyn Rescan>,
    next: AtomicU64,
    all: Mutex<BTreeMap<u64, watch::Sender<Status>>>,
    running: Mutex<HashSet<String>>,
}

impl Jobs {
    pub fn new(rescan: Arc<dyn Rescan>) -> Self {
        Jobs {
            rescan,
            next: AtomicU64::new(1),
            all: Mutex::new(BTreeMap::new()),
            running: Mutex::new(HashSet::new()),
        }
    }

    pub fn watch(&self, id: u64) -> Option<watch::Receiver<Status>> {
        self.all
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .map(|s| s.subscribe())
    }
}

/// Starts a rescan of the repository at `path` in the newest run.
pub async fn start(app: &Arc<App>, path: &str) -> Result<Status, ApiError> {
    let (data, _) = crate::snapshot::get(app).await?;
    let org = data.org.as_ref().ok_or_else(no_run)?;
    let &i = org
        .by_path
        .get(path)
        .ok_or_else(|| unknown_repository(path))?;
    let run_id = org.row_run[i];
    let options = org.options.get(&run_id).cloned().unwrap_or(Value::Null);
    let visibility = org.rows[i]["visibility"].as_str().map(str::to_string);
    let jobs = &app.jobs;
    if !jobs
        .running
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(path.to_string())
    {
        return Err(ApiError::conflict(format!(
            "{}: a rescan of it is already running",
            keepopen_findings::printable(path)
        )));
    }
    let id = jobs.next.fetch_add(1, Ordering::SeqCst);
    let status = Status {
        id,
        repository: path.to_string(),
        state: "queued",
        message: "waiting to start".into(),
        elapsed_ms: 0,
        recommendation: None,
    };
    let (tx, _) = watch::channel(status.clone());
    {
        let mut all = jobs.all.lock().unwrap_or_else(|p| p.into_inner());
        all.insert(id, tx.clone());
        while all.len() > KEPT {
            let Some(old) = all
                .iter()
                .find(|(_, s)| s.borrow().finished())
                .map(|(k, _)| *k)
            else {
                break;
            };
            all.remove(&old);
        }
    }
    let began = Instant::now();
    // The clock, every second until it is over.
    let ticker = tx.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            every.tick().await;
            if ticker.borrow().finished() {
                break;
            }
            ticker.send_modify(|s| s.elapsed_ms = began.elapsed().as_millis() as u64);
        }
    });
    let a = app.clone();
    let root = path.to_string();
    tokio::task::spawn_blocking(move || {
        let set = |state: &'static str, message: String| {
            tx.send_modify(|s| {
                s.state = state;
                s.message = message;
                s.elapsed_ms = began.elapsed().as_millis() as u64;
            })
        };
        set("scanning", "reading the repository".into());
        let progress = |line: &str| set("scanning", line.to_string());
        // A panic in the pipeline would leave the repository marked as
        // rescanning for good: it ends the rescan as failed instead.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            a.jobs
                .rescan
                .rescan(&root, &options, visibility.as_deref(), &progress)
        }))
        .unwrap_or_else(|_| {
            Err("the scan stopped unexpectedly (a bug in keepopen): the old result is kept".into())
        });
        let outcome = result.and_then(|r| {
            set("writing", "writing the result to the store".into());
            let mut store = a.store.lock().unwrap_or_else(|p| p.into_inner());
            store
                .put_repository(
                    run_id,
                    &root,
                    r.repository.as_ref(),
                    r.findings,
                    &r.recommendation,
                    &r.row,
                    None,
                )
                .map_err(|e| format!("the result was not kept: {e}"))?;
            Ok(r.recommendation)
        });
        a.snapshot.invalidate();
        a.jobs
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&root);
        match outcome {
            Ok(rec) => tx.send_modify(|s| {
                s.state = "done";
                s.message = format!("scanned again: {rec}");
                s.recommendation = Some(rec);
                s.elapsed_ms = began.elapsed().as_millis() as u64;
            }),
            Err(e) => set("failed", e),
        }
    });
    Ok(status)
}

pub fn no_run() -> ApiError {
    ApiError::missing(
        "the store holds no organisation run yet: run `keepopen org DIR --db STORE` first",
    )
}

pub fn unknown_repository(path: &str) -> ApiError {
    ApiError::missing(format!(
        "`{}` is not a repository of the newest organisation run",
        keepopen_findings::printable(path)
    ))
}
