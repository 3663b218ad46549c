//! `keepopen org DIR` and `keepopen org --list FILE`: every repository of
//! an organisation, one after the other through the same pipeline as
//! `keepopen scan`, each with its recommendation, in one report. A
//! repository that cannot be scanned is a row with its error, and the rest
//! go on. `--shard I/N` takes the repositories whose hash falls to shard I,
//! so that N machines (a Kubernetes Indexed Job, a CI matrix) share one
//! organisation.

use crate::args::{ColorChoice, OrgArgs, OrgFormat, OutputFormat, ScanArgs};
use crate::settings::Settings;
use anyhow::{Context, Result};
use keepopen_findings::Level;
use keepopen_findings_store::{Backend, OrgRun};
use keepopen_report::{OrgReport, OrgRow};
use keepopen_store::Location;
use listing::{Entry, discovered, listed, shard_of};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod listing;

pub fn run(a: &OrgArgs) -> Result<ExitCode> {
    if a.format == OrgFormat::Html && a.no_store {
        anyhow::bail!(
            "--format html reads the run's findings back from the store: drop --no-store"
        );
    }
    let mut entries = match (&a.dir, &a.list) {
        (_, Some(list)) => listed(list)?,
        (Some(dir), None) => discovered(dir)?,
        (None, None) => anyhow::bail!("give a folder of clones or --list FILE"),
    };
    if let Some((i, n)) = a.shard {
        entries.retain(|e| shard_of(&e.path, n) == i);
    }
    let mut store_failed = false;
    let mut store = if a.no_store {
        None
    } else {
        match open_run(&Location::or_default(a.db.as_deref()), a) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("error: the run is not kept in the store: {e:#}");
                store_failed = true;
                None
            }
        }
    };
    if let Some((_, run)) = &store
        && run.resumed
    {
        eprintln!(
            "resuming run {}: {} of {} repositories already done",
            run.run_id,
            run.done.len(),
            entries.len()
        );
    }
    let advisories = Location::or_default(a.db.as_deref()).advisories();
    let inputs = store.as_mut().map_or_else(String::new, |(s, _)| {
        format!(
            "advisories {}; triage {}",
            keepopen_findings_store::advisory_state(&advisories),
            s.triage_state()
        )
    });
    let config_text = a
        .config
        .as_ref()
        .and_then(|c| std::fs::read(c).ok())
        .unwrap_or_default();
    // One cache of scanned blobs for the whole run: forks and copies share
    // blobs, and every repository here shares one configuration.
    let cache = std::sync::Arc::new(keepopen_scan::BlobCache::default());
    let mut rows: Vec<serde_json::Value> = Vec::new();
    let mut reused = 0;
    let total = entries.len();
    // First, on this thread: what needs no scan (done before a kill,
    // unchanged since a stored run). The rest is scanned by `jobs` workers;
    // this thread alone writes the store, one repository per transaction.
    let mut todo: Vec<(&Entry, String, Option<String>)> = Vec::new();
    for e in &entries {
        let root = e.path.display().to_string();
        if store
            .as_ref()
            .is_some_and(|(_, run)| run.done.contains(&root))
        {
            continue;
        }
        let state = match (&e.error, a.rescan) {
            (None, false) => repository_state(a, e, &inputs, &config_text),
            _ => None,
        };
        if let (Some((s, run)), Some(st)) = (&mut store, &state) {
            match s.reuse(run.run_id, &root, st) {
                Ok(true) => {
                    reused += 1;
                    continue;
                }
                Ok(false) => {}
                Err(err) => eprintln!(
                    "note: {root}: the last result could not be reused ({err}): scanning it"
                ),
            }
        }
        todo.push((e, root, state));
    }
    let jobs = a.jobs.clamp(1, todo.len().max(1));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let inner = if a.threads > 0 {
        a.threads
    } else {
        (cores / jobs).max(1)
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let show = !a.no_progress && std::io::IsTerminal::is_terminal(&std::io::stderr());
    std::thread::scope(|scope| {
        let (tx, results) = std::sync::mpsc::channel();
        for _ in 0..jobs {
            let tx = tx.clone();
            let (todo, next, cache) = (&todo, &next, &cache);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((e, _, _)) = todo.get(i) else { break };
                    let scanned = match &e.error {
                        Some(why) => (failed(e, why.clone()), Vec::new(), None),
                        None => match scan_one(a, e, cache, inner) {
                            Ok(scanned) => scanned,
                            Err(err) => (failed(e, format!("{err:#}")), Vec::new(), None),
                        },
                    };
                    if tx.send((i, scanned)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (done, (i, (row, findings, identity))) in results.into_iter().enumerate() {
            let (_, root, state) = &todo[i];
            let json = row.to_json();
            if show {
                let read = &json["scanned"];
                eprintln!(
                    "[{}/{}] {root}: {} blobs, {:.1} MB, {} commits, {}",
                    done + 1,
                    todo.len(),
                    read["blobs"].as_u64().unwrap_or(0),
                    read["bytes"].as_u64().unwrap_or(0) as f64 / 1e6,
                    read["commits"].as_u64().unwrap_or(0),
                    json["recommendation"].as_str().unwrap_or("")
                );
            }
            if let Some((s, run)) = &mut store
                && let Err(err) = s.put_repository(
                    run.run_id,
                    root,
                    identity.as_ref(),
                    findings,
                    row.status(),
                    &json,
                    state.as_deref(),
                )
            {
                eprintln!("error: {root}: not kept in the store: {err}");
                store_failed = true;
            }
            rows.push(json);
        }
    });
    // Workers finish in any order: the report is in path order.
    rows.sort_by(|x, y| x["path"].as_str().cmp(&y["path"].as_str()));
    let (hits, hit_bytes) = cache.hits();
    if hits > 0 && !a.no_progress {
        eprintln!(
            "{hits} blobs ({:.1} MB) were shared with repositories scanned before them in this run: each was scanned once",
            hit_bytes as f64 / 1e6
        );
    }
    if reused > 0 && !a.no_progress {
        eprintln!(
            "{reused} of {total} repositories unchanged since a stored run: their results were reused (--rescan to scan them again)"
        );
    }
    // The report is read back from the store, so that a resumed run's
    // equals that of a run never stopped.
    let mut html = None;
    if let Some((s, run)) = &mut store {
        s.finish_run(run.run_id, crate::clock::now())?;
        rows = s.org_rows(run.run_id)?;
        if a.format == OrgFormat::Html {
            html = Some(html_parts(s.as_mut(), &[run.run_id])?);
        }
    }
    let code = exit_code(&rows, store_failed);
    write(
        &OrgReport {
            rows: &rows,
            shard: a.shard,
        },
        a.format,
        a.output.as_deref(),
        html.as_ref(),
    )?;
    Ok(code)
}

/// What the HTML report needs beyond the rows: the runs' findings (as
/// stored: redacted), each with the verdict that stands on it, and where
/// they came from.
fn html_parts(
    store: &mut dyn Backend,
    runs: &[i64],
) -> Result<(Vec<keepopen_report::HtmlFinding>, keepopen_report::HtmlMeta)> {
    let now = crate::clock::now();
    let triage = store.triage()?;
    let mut findings = Vec::new();
    for id in runs {
        for f in store.findings(*id)? {
            let verdict = triage
                .get(&f.fingerprint)
                .filter(|t| t.stands(now))
                .map(keepopen_findings::Triage::label);
            findings.push(keepopen_report::HtmlFinding {
                triage: verdict,
                ..f.into()
            });
        }
    }
    let started = store
        .runs()?
        .into_iter()
        .filter(|r| runs.contains(&r.id))
        .map(|r| r.started_at)
        .min();
    let ids: Vec<String> = runs.iter().map(i64::to_string).collect();
    let run = if runs.len() == 1 {
        format!("run {}", ids[0])
    } else {
        format!("runs {}", ids.join(", "))
    };
    Ok((findings, keepopen_report::HtmlMeta { run, started }))
}

/// `keepopen report`: a stored organisation run, rendered again.
pub fn report(
    run: Option<i64>,
    format: OrgFormat,
    output: Option<&Path>,
    db: &crate::args::DbArgs,
) -> Result<ExitCode> {
    let at = Location::or_default(db.db.as_deref());
    let mut store = keepopen_findings_store::read(&at)?;
    let (runs, finished) = match run {
        Some(id) => (vec![id], true),
        None => store
            .latest_org()?
            .with_context(|| format!("{at} holds no organisation run"))?,
    };
    let rows: Vec<serde_json::Value> = store.rows_of(&runs)?.into_iter().map(|(_, r)| r).collect();
    let ids = runs
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if rows.is_empty() {
        anyhow::bail!("{at}: run {ids} holds no repositories");
    }
    if !finished {
        eprintln!(
            "note: run {ids} did not finish (or a shard has no run yet): run the same `keepopen org` command again to resume it"
        );
    }
    // One shard's run alone says which shard it is.
    let shard = match runs.as_slice() {
        [one] => store
            .runs()?
            .into_iter()
            .find(|r| r.id == *one)
            .and_then(|r| keepopen_findings_store::shard(&r.options)),
        _ => None,
    };
    let html = match format {
        OrgFormat::Html => Some(html_parts(store.as_mut(), &runs)?),
        _ => None,
    };
    write(
        &OrgReport { rows: &rows, shard },
        format,
        output,
        html.as_ref(),
    )?;
    Ok(exit_code(&rows, false))
}

/// 2 when a repository could not be read (or a row not kept), else 1 when
/// something blocks, else 0.
fn exit_code(rows: &[serde_json::Value], store_failed: bool) -> ExitCode {
    let errors = rows
        .iter()
        .any(|r| r["errors"].as_array().is_some_and(|e| !e.is_empty()));
    let blocking = rows
        .iter()
        .any(|r| r["findings"]["blocking"].as_u64().unwrap_or(0) > 0);
    for r in rows {
        for e in r["errors"].as_array().into_iter().flatten() {
            eprintln!(
                "error: {}: {}",
                keepopen_findings::printable(r["path"].as_str().unwrap_or("")),
                keepopen_findings::printable(e.as_str().unwrap_or(""))
            );
        }
    }
    if errors || store_failed {
        ExitCode::from(2)
    } else if blocking {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

type HtmlParts = (Vec<keepopen_report::HtmlFinding>, keepopen_report::HtmlMeta);

fn write(
    report: &OrgReport<'_>,
    format: OrgFormat,
    output: Option<&Path>,
    html: Option<&HtmlParts>,
) -> Result<()> {
    let mut buf = Vec::new();
    match format {
        OrgFormat::Human => report.write_human(&mut buf)?,
        OrgFormat::Json => report.write_json(&mut buf)?,
        OrgFormat::Csv => report.write_csv(&mut buf)?,
        OrgFormat::Markdown => report.write_markdown(&mut buf)?,
        OrgFormat::Html => {
            let (findings, meta) =
                html.context("the HTML report needs the run kept in the store")?;
            report.write_html(findings, meta, &mut buf)?
        }
    }
    super::scan::emit(&buf, output)
}

/// The store, and the run this command writes: the unfinished one with
/// the same options (resumed), else a new one.
fn open_run(at: &Location, a: &OrgArgs) -> Result<(Box<dyn Backend>, OrgRun)> {
    let abs = |p: &Option<PathBuf>| {
        p.as_ref().map(|p| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        })
    };
    let options = serde_json::json!({
        "command": "org",
        "dir": abs(&a.dir),
        "list": abs(&a.list),
        "shard": a.shard.map(|(i, n)| format!("{i}/{n}")),
        "config": abs(&a.config),
        "fail_on": a.fail_on,
        "no_history": a.no_history,
        "max_blob_size": a.max_blob_size,
    });
    let mut store = keepopen_findings_store::open(at)?;
    let run = store.begin_or_resume(&keepopen_findings_store::RunInfo {
        started_at: crate::clock::now(),
        keepopen_version: env!("CARGO_PKG_VERSION").to_string(),
        options,
    })?;
    Ok((store, run))
}

/// What a repository's result is computed from: its refs and object
/// store, this keepopen, the options and config that change results, the
/// advisory data and triage in the store, and the day (maintenance and
/// expiry count days). `None` for a repository with a work tree, which is
/// always scanned.
fn repository_state(a: &OrgArgs, e: &Entry, inputs: &str, config: &[u8]) -> Option<String> {
    let repo = keepopen_source::git::state(&e.path)?;
    let mut h = Sha256::new();
    for part in [
        format!("keepopen {}", env!("CARGO_PKG_VERSION")).as_bytes(),
        format!(
            "fail_on {:?}; no_history {}; max_blob_size {:?}; visibility {:?}",
            a.fail_on, a.no_history, a.max_blob_size, e.visibility
        )
        .as_bytes(),
        config,
        inputs.as_bytes(),
        crate::clock::today().to_string().as_bytes(),
        repo.as_bytes(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    Some(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn failed(e: &Entry, why: String) -> OrgRow {
    OrgRow {
        path: e.path.display().to_string(),
        remote: None,
        visibility: e.visibility.clone(),
        assessed: None,
        posture_score: None,
        last_commit: None,
        findings: Vec::new(),
        blocking: 0,
        errors: vec![why],
        scanned: None,
    }
}

/// One repository of a stored organisation run scanned again, for the
/// dashboard: with the run's options (config, threshold, history, size
/// limit), the result ready to replace the old one.
pub(crate) fn rescan(
    root: &str,
    options: &serde_json::Value,
    visibility: Option<&str>,
    db: Option<&Path>,
) -> Result<keepopen_dashboard::Rescanned> {
    let text = |k: &str| options[k].as_str().map(str::to_string);
    let a = OrgArgs {
        dir: None,
        list: None,
        shard: None,
        format: OrgFormat::Json,
        output: None,
        config: text("config").map(PathBuf::from),
        fail_on: text("fail_on"),
        db: db.map(Path::to_path_buf),
        no_history: options["no_history"].as_bool().unwrap_or(false),
        no_store: false,
        rescan: true,
        max_blob_size: options["max_blob_size"].as_u64(),
        jobs: 1,
        threads: 0,
        no_progress: true,
    };
    let path = PathBuf::from(root);
    let e = Entry {
        error: (!path.exists()).then(|| format!("{root}: not found")),
        path,
        visibility: visibility.map(str::to_string),
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cache = std::sync::Arc::new(keepopen_scan::BlobCache::default());
    let (row, findings, repository) = match &e.error {
        Some(why) => (failed(&e, why.clone()), Vec::new(), None),
        None => scan_one(&a, &e, &cache, cores)
            .unwrap_or_else(|err| (failed(&e, format!("{err:#}")), Vec::new(), None)),
    };
    Ok(keepopen_dashboard::Rescanned {
        recommendation: row.status().to_string(),
        row: row.to_json(),
        findings,
        repository,
    })
}

/// One repository through the scan pipeline, as `keepopen scan` would with
/// `--ignore-repo-config`.
fn scan_one(
    a: &OrgArgs,
    e: &Entry,
    cache: &std::sync::Arc<keepopen_scan::BlobCache>,
    threads: usize,
) -> Result<(
    OrgRow,
    Vec<keepopen_findings::Finding>,
    Option<keepopen_findings::Repository>,
)> {
    let args = ScanArgs {
        paths: vec![e.path.clone()],
        format: OutputFormat::Json,
        output: None,
        also: Vec::new(),
        show_secrets: false,
        config: a.config.clone(),
        ignore_repo_config: true,
        baseline: None,
        fail_on: a.fail_on.clone(),
        db: a.db.clone(),
        detectors: Vec::new(),
        no_history: a.no_history,
        no_worktree: false,
        staged: false,
        since: None,
        range: None,
        no_ignore: false,
        exclude: Vec::new(),
        max_blob_size: a.max_blob_size,
        threads,
        no_progress: true,
        color: ColorChoice::Never,
        allow_incomplete: false,
    };
    let mut s = Settings::from_args(&args)?;
    s.plan.blob_cache = Some(cache.clone());
    s.private = e.visibility.as_deref() == Some("private");
    let mut collector = keepopen_report::Collector::new(None);
    let scanned = super::scan::scan(&s, &mut collector);
    let outcome = scanned.outcome;
    let super::scan::Judged {
        findings,
        problems,
        assessments,
        ..
    } = super::scan::judge(&s, &outcome, collector);
    let thresholds = keepopen_report::Thresholds {
        fail_on: s.fail_on,
        workflows_fail_on: s.workflows_fail_on,
    };
    let blocking = findings.iter().filter(|f| thresholds.blocks(f)).count();
    let facts = outcome.facts.first();
    let identity = outcome.repositories.first().map(|r| (**r).clone());
    let kept = findings.clone();
    let scanned = Some(outcome.stats.clone());
    let row = OrgRow {
        scanned,
        path: e.path.display().to_string(),
        remote: outcome.repositories.first().and_then(|r| r.remote.clone()),
        visibility: e.visibility.clone(),
        posture_score: facts.and_then(|f| keepopen_posture::aggregate(&f.checks)),
        last_commit: facts.and_then(|f| f.last_commit),
        assessed: assessments.into_iter().next(),
        blocking,
        errors: problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .map(|p| p.to_string())
            .collect(),
        findings,
    };
    Ok((row, kept, identity))
}
