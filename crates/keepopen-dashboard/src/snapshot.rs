//! What the pages read: the newest organisation run (every shard of it),
//! loaded once and kept until the store changes, so that a page for a
//! thousand repositories and a hundred thousand findings is served from
//! memory. Triage verdicts are a separate, small layer: a verdict set here
//! or by `keepopen triage` shows without reloading the findings.

use crate::App;
use crate::error::ApiError;
use keepopen_findings::{Triage, TriageState};
use keepopen_report::HtmlFinding;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long a check that the store is unchanged stands: changes made by
/// another process show within this; the dashboard's own at once.
const RECHECK: Duration = Duration::from_millis(500);

/// One finding of the run, as the pages show it.
pub struct Item {
    /// With its fingerprint; its verdict is looked up as a page is made.
    pub html: HtmlFinding,
    /// Its repository's index in [`Org::rows`].
    pub repo: usize,
}

/// The newest organisation run.
pub struct Org {
    pub runs: Vec<i64>,
    pub finished: bool,
    pub started: Option<i64>,
    /// Rows in path order, each with the run that holds it.
    pub rows: Vec<Value>,
    pub row_run: Vec<i64>,
    pub by_path: HashMap<String, usize>,
    pub items: Vec<Item>,
    /// The organisation page's body, rendered once.
    pub page: String,
    /// The run options of each run, for a rescan.
    pub options: HashMap<i64, Value>,
    /// The stored findings counted by category and by severity, once.
    pub by_category: BTreeMap<&'static str, u64>,
    pub by_severity: BTreeMap<&'static str, u64>,
}

pub struct Data {
    generation: String,
    pub org: Option<Org>,
}

pub struct Verdicts {
    pub by_fingerprint: HashMap<String, Triage>,
}

impl Verdicts {
    /// The verdict that stands on `fingerprint` at `now`.
    pub fn standing(&self, fingerprint: &str, now: i64) -> Option<&Triage> {
        self.by_fingerprint
            .get(fingerprint)
            .filter(|t| t.stands(now))
    }

    pub fn state(&self, fingerprint: &str, now: i64) -> Option<TriageState> {
        self.standing(fingerprint, now).map(|t| t.state)
    }
}

/// The two layers, and when they were last checked.
#[derive(Default)]
pub struct Cache {
    data: RwLock<Option<Arc<Data>>>,
    verdicts: RwLock<Option<Arc<Verdicts>>>,
    checked: Mutex<Option<Instant>>,
    dirty: AtomicBool,
    refresh: tokio::sync::Mutex<()>,
}

impl Cache {
    /// The findings or rows changed here: reload before the next page.
    pub fn invalidate(&self) {
        self.dirty.store(true, Ordering::SeqCst);
    }

    fn fresh(&self) -> Option<(Arc<Data>, Arc<Verdicts>)> {
        if self.dirty.load(Ordering::SeqCst) {
            return None;
        }
        let checked = *self.checked.lock().unwrap_or_else(|p| p.into_inner());
        if checked.is_none_or(|t| t.elapsed() > RECHECK) {
            return None;
        }
        let d = self
            .data
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        let v = self
            .verdicts
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        Some((d, v))
    }
}

/// The run and the verdicts as they stand, reloading what changed.
pub async fn get(app: &Arc<App>) -> Result<(Arc<Data>, Arc<Verdicts>), ApiError> {
    if let Some(both) = app.snapshot.fresh() {
        return Ok(both);
    }
    let _one = app.snapshot.refresh.lock().await;
    if let Some(both) = app.snapshot.fresh() {
        return Ok(both);
    }
    let a = app.clone();
    tokio::task::spawn_blocking(move || reload(&a))
        .await
        .map_err(|e| ApiError::store(format!("the reload stopped: {e}")))?
}

fn reload(app: &App) -> Result<(Arc<Data>, Arc<Verdicts>), ApiError> {
    let cache = &app.snapshot;
    let dirty = cache.dirty.swap(false, Ordering::SeqCst);
    let mut store = app.store.lock().unwrap_or_else(|p| p.into_inner());
    let runs = store.runs().map_err(ApiError::store)?;
    let data_gen = format!(
        "{:?}",
        runs.iter()
            .map(|r| (r.id, r.finished_at))
            .collect::<Vec<_>>()
    );
    let old_data = cache.data.read().unwrap_or_else(|p| p.into_inner()).clone();
    let data = match old_data {
        Some(d) if !dirty && d.generation == data_gen => d,
        _ => {
            let org = load(store.as_mut(), &runs).inspect_err(|_| {
                // Reload again next time rather than keep half a view.
                cache.dirty.store(true, Ordering::SeqCst);
            })?;
            let d = Arc::new(Data {
                generation: data_gen,
                org,
            });
            *cache.data.write().unwrap_or_else(|p| p.into_inner()) = Some(d.clone());
            d
        }
    };
    // The verdicts are read whole at every check: a handful of rows, and a
    // verdict changed twice in one second (its time in seconds) still shows.
    let by_fingerprint = store.triage().map_err(ApiError::store)?;
    let old_verdicts = cache
        .verdicts
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let verdicts = match old_verdicts {
        Some(v) if v.by_fingerprint == by_fingerprint => v,
        _ => {
            let v = Arc::new(Verdicts { by_fingerprint });
            *cache.verdicts.write().unwrap_or_else(|p| p.into_inner()) = Some(v.clone());
            v
        }
    };
    *cache.checked.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    Ok((data, verdicts))
}

fn load(
    store: &mut dyn keepopen_findings_store::Backend,
    runs: &[keepopen_findings_store::Run],
) -> Result<Option<Org>, ApiError> {
    let Some((ids, finished)) = store.latest_org().map_err(ApiError::store)? else {
        return Ok(None);
    };
    let (row_run, rows): (Vec<i64>, Vec<Value>) = store
        .rows_of(&ids)
        .map_err(ApiError::store)?
        .into_iter()
        .unzip();
    let by_path: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r["path"].as_str().unwrap_or("").to_string(), i))
        .collect();
    let mut items = Vec::new();
    for id in &ids {
        for f in store.findings(*id).map_err(ApiError::store)? {
            let html = HtmlFinding::from(f);
            if let Some(&repo) = by_path.get(&html.repository) {
                items.push(Item { repo, html });
            }
        }
    }
    items.sort_by(|a, b| {
        a.repo
            .cmp(&b.repo)
            .then(b.html.severity.cmp(&a.html.severity))
            .then_with(|| a.html.path.cmp(&b.html.path))
            .then(a.html.line.cmp(&b.html.line))
    });
    let started = runs
        .iter()
        .filter(|r| ids.contains(&r.id))
        .map(|r| r.started_at)
        .min();
    let options = runs
        .iter()
        .filter(|r| ids.contains(&r.id))
        .map(|r| (r.id, r.options.clone()))
        .collect();
    let (mut by_category, mut by_severity) = (BTreeMap::new(), BTreeMap::new());
    for i in &items {
        *by_category.entry(i.html.category.as_str()).or_default() += 1;
        *by_severity.entry(i.html.severity.as_str()).or_default() += 1;
    }
    let mut org = Org {
        by_category,
        by_severity,
        runs: ids,
        finished,
        started,
        rows,
        row_run,
        by_path,
        items,
        page: String::new(),
        options,
    };
    org.page = crate::pages::organisation_body(&org, None, None).into_string();
    Ok(Some(org))
}
