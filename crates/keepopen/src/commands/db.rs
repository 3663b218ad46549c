//! `keepopen db import|status|update`: the local OSV advisory database.
//! Only `import` and `update` write to it (and create it); `status` reads
//! it as it is.

use crate::args::{DbArgs, DbCommand};
use crate::clock::now;
use anyhow::{Context, Result};
use keepopen_advisory_store::{AdvisoryStore, StoreError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The ecosystems of the lockfiles keepopen reads, as osv.dev names them.
const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "crates.io",
    "npm",
    "PyPI",
    "CRAN",
    "RubyGems",
    "Go",
    "Packagist",
    "NuGet",
    "Maven",
];

/// The advisory data's file: `--db`, or with a PostgreSQL store (which
/// holds runs, findings and triage) `KEEPOPEN_ADVISORIES` or the default.
fn path(db: &DbArgs) -> PathBuf {
    keepopen_store::Location::or_default(db.db.as_deref()).advisories()
}

/// The store at `path` for writing, created (with its folder) if needed.
fn open(path: &Path) -> Result<AdvisoryStore> {
    Ok(AdvisoryStore::open(path)?)
}

pub fn run(cmd: &DbCommand) -> Result<ExitCode> {
    match cmd {
        DbCommand::Import { paths, db } => import(paths, db),
        DbCommand::Status { db } => status(db),
        DbCommand::Update { ecosystems, db } => update(ecosystems, db),
    }
}

fn import(paths: &[std::path::PathBuf], db: &DbArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let mut store = open(&path(db))?;
    let mut failed = 0;
    for path in paths {
        if !path.exists() {
            eprintln!("error: {}: no such file or folder", path.display());
            failed += 1;
            continue;
        }
        let loaded = keepopen_advisories::load(path);
        for e in &loaded.errors {
            eprintln!("error: {e}");
        }
        failed += loaded.errors.len();
        let source = path.display().to_string();
        let batch: Vec<_> = loaded
            .records
            .into_iter()
            .map(|r| (r, source.clone()))
            .collect();
        let stats = store
            .import(&batch, now())
            .with_context(|| format!("importing {}", path.display()))?;
        eprintln!(
            "{}: {} records ({} new, {} updated, {} unchanged)",
            path.display(),
            batch.len(),
            stats.inserted,
            stats.updated,
            stats.unchanged
        );
        for (eco, n) in &stats.unordered {
            eprintln!(
                "note: {n} affected packages of ecosystem `{eco}` are stored but not matched: keepopen has no version order for it"
            );
        }
    }
    eprintln!(
        "{}: {} advisories in all, in {:.2} s",
        store.path().display(),
        store.count()?,
        started.elapsed().as_secs_f64()
    );
    // Records that did not load are named above; the others are in.
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

const IMPORT_SOME: &str = "Import some with `keepopen db import PATH` (an osv.dev all.zip or a folder of OSV records) or `keepopen db update`.";

/// Reads the store as it is: a missing one is said, not created.
fn status(db: &DbArgs) -> Result<ExitCode> {
    let path = path(db);
    let store = match AdvisoryStore::read(&path) {
        Ok(store) => store,
        Err(StoreError::Missing { .. }) => {
            println!("no advisory database at {}. {IMPORT_SOME}", path.display());
            return Ok(ExitCode::SUCCESS);
        }
        Err(StoreError::Absent { .. }) => {
            println!("{}: no advisories. {IMPORT_SOME}", path.display());
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e.into()),
    };
    let rows = store.status()?;
    if rows.is_empty() {
        println!("{}: no advisories. {IMPORT_SOME}", store.path().display());
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", store.path().display());
    println!(
        "{:<14} {:>10}  {:<22} imported",
        "ecosystem", "advisories", "newest record"
    );
    let now = now();
    for r in rows {
        let days = (now - r.imported_at).max(0) / 86_400;
        println!(
            "{:<14} {:>10}  {:<22} {} day{} ago",
            r.ecosystem,
            r.advisories,
            r.newest_modified.as_deref().unwrap_or("-"),
            days,
            if days == 1 { "" } else { "s" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Where osv.dev publishes its per-ecosystem exports; `KEEPOPEN_OSV_URL`
/// points elsewhere (a mirror inside a closed network, or a test server).
const OSV_EXPORTS: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// No export is near this; a response this large is not one.
const MAX_EXPORT: u64 = 4 << 30;

/// Downloads each ecosystem's `all.zip` and imports it. Without a network
/// it says so, names what it could not reach, and changes nothing: the
/// store is opened (and created) only once an export is in hand.
fn update(ecosystems: &[String], db: &DbArgs) -> Result<ExitCode> {
    let path = path(db);
    let mut opened: Option<AdvisoryStore> = None;
    let base = std::env::var("KEEPOPEN_OSV_URL").unwrap_or_else(|_| OSV_EXPORTS.to_string());
    let list: Vec<&str> = if ecosystems.is_empty() {
        DEFAULT_ECOSYSTEMS.to_vec()
    } else {
        ecosystems.iter().map(String::as_str).collect()
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(std::time::Duration::from_secs(15)))
        .timeout_global(Some(std::time::Duration::from_secs(1800)))
        .build()
        .into();
    let mut failed = 0;
    for eco in list {
        let url = format!("{}/{eco}/all.zip", base.trim_end_matches('/'));
        let body = agent
            .get(&url)
            .call()
            .and_then(|mut r| r.body_mut().with_config().limit(MAX_EXPORT).read_to_vec());
        let bytes = match body {
            Ok(b) => b,
            Err(ureq::Error::StatusCode(code)) => {
                eprintln!("error: {url}: the server answered {code}");
                failed += 1;
                continue;
            }
            Err(e) => {
                eprintln!("error: offline: cannot reach {url}: {e}");
                eprintln!(
                    "fetch the export where a network is available and run `keepopen db import --db {} FILE.zip`",
                    path.display()
                );
                failed += 1;
                continue;
            }
        };
        if opened.is_none() {
            opened = Some(open(&path)?);
        }
        let Some(store) = opened.as_mut() else {
            continue;
        };
        // The archive is read from a file beside the store, then removed.
        let part = store.path().with_extension(format!("{eco}.part.zip"));
        std::fs::write(&part, &bytes)
            .with_context(|| format!("cannot write {}", part.display()))?;
        let loaded = keepopen_advisories::load(&part);
        let _ = std::fs::remove_file(&part);
        for e in &loaded.errors {
            eprintln!("error: {url}: {}", e.message);
        }
        failed += loaded.errors.len();
        let batch: Vec<_> = loaded
            .records
            .into_iter()
            .map(|r| (r, url.clone()))
            .collect();
        let stats = store
            .import(&batch, now())
            .with_context(|| format!("importing {url}"))?;
        eprintln!(
            "{eco}: {} records ({} new, {} updated, {} unchanged)",
            batch.len(),
            stats.inserted,
            stats.updated,
            stats.unchanged
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
