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
use keepopen_findings::{Level, Problem};
use keepopen_report::{Assessed, OrgReport, OrgRow, Report};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One repository to scan, as found or listed.
struct Entry {
    path: PathBuf,
    visibility: Option<String>,
    /// Why it cannot be scanned, when that is known before trying.
    error: Option<String>,
}

pub fn run(a: &OrgArgs) -> Result<ExitCode> {
    let mut entries = match (&a.dir, &a.list) {
        (_, Some(list)) => listed(list)?,
        (Some(dir), None) => discovered(dir)?,
        (None, None) => anyhow::bail!("give a folder of clones or --list FILE"),
    };
    if let Some((i, n)) = a.shard {
        entries.retain(|e| shard_of(&e.path, n) == i);
    }
    let mut rows = Vec::new();
    let mut incomplete = false;
    let mut blocking = false;
    let total = entries.len();
    for (done, e) in entries.iter().enumerate() {
        if !a.no_progress && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            eprintln!("[{}/{total}] {}", done + 1, e.path.display());
        }
        let row = match &e.error {
            Some(why) => failed(e, why.clone()),
            None => scan_one(a, e).unwrap_or_else(|err| failed(e, format!("{err:#}"))),
        };
        incomplete |= !row.errors.is_empty();
        blocking |= row.blocking > 0;
        rows.push(row);
    }
    let report = OrgReport {
        rows: &rows,
        shard: a.shard,
    };
    let mut buf = Vec::new();
    match a.format {
        OrgFormat::Human => report.write_human(&mut buf)?,
        OrgFormat::Json => report.write_json(&mut buf)?,
        OrgFormat::Csv => report.write_csv(&mut buf)?,
        OrgFormat::Markdown => report.write_markdown(&mut buf)?,
    }
    match &a.output {
        Some(p) => std::fs::write(p, &buf)
            .with_context(|| format!("cannot write the report to {}", p.display()))?,
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(&buf).and_then(|_| out.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e).context("writing the report");
            }
        }
    }
    for r in rows.iter().filter(|r| !r.errors.is_empty()) {
        for e in &r.errors {
            eprintln!(
                "error: {}: {}",
                keepopen_findings::printable(&r.path),
                keepopen_findings::printable(e)
            );
        }
    }
    Ok(if incomplete {
        ExitCode::from(2)
    } else if blocking {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
    }
}

/// The shard a repository falls to: by its remote URL when it has one (so
/// that two clones of one repository agree), else its path.
fn shard_of(path: &Path, n: u32) -> u32 {
    let identity = keepopen_source::git::identity(path);
    let key = identity
        .remote
        .unwrap_or_else(|| path.display().to_string());
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % u64::from(n)) as u32
}

fn is_repository(path: &Path) -> bool {
    path.join(".git").exists()
        || (path.join("HEAD").is_file()
            && path.join("objects").is_dir()
            && path.join("refs").is_dir())
}

/// The repositories under `dir`, three levels deep, not looking inside a
/// repository; sorted, so that runs agree.
fn discovered(dir: &Path) -> Result<Vec<Entry>> {
    if !dir.is_dir() {
        anyhow::bail!("{}: not a folder", dir.display());
    }
    let mut found = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        if is_repository(&d) {
            found.push(d);
            continue;
        }
        if depth == 3 {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&d) else {
            found.push(d);
            continue;
        };
        for entry in rd.flatten() {
            let p = entry.path();
            // Symbolic links are not followed: a loop, or a path outside
            // the organisation's folder.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((p, depth + 1));
            }
        }
    }
    found.sort();
    Ok(found
        .into_iter()
        .map(|path| {
            let error = (!is_repository(&path))
                .then(|| "cannot be listed: its folder is unreadable".to_string());
            Entry {
                path,
                visibility: None,
                error,
            }
        })
        .collect())
}

/// The repositories a list names. A path that is missing or not a
/// repository is a row with its error; a line that cannot be read is an
/// error naming the line.
fn listed(list: &Path) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(list)
        .with_context(|| format!("cannot read the list {}", list.display()))?;
    let base = list.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (path, visibility) = match line.rsplit_once(char::is_whitespace) {
            Some((p, v)) if matches!(v, "public" | "private") => (p.trim(), Some(v.to_string())),
            _ => (line, None),
        };
        let path = if Path::new(path).is_absolute() {
            PathBuf::from(path)
        } else {
            base.join(path)
        };
        let error = if !path.exists() {
            Some(format!("{}:{}: no such folder", list.display(), n + 1))
        } else if !is_repository(&path) {
            Some(format!(
                "{}:{}: not a git repository",
                list.display(),
                n + 1
            ))
        } else {
            None
        };
        out.push(Entry {
            path,
            visibility,
            error,
        });
    }
    Ok(out)
}

/// One repository through the scan pipeline, as `keepopen scan` would with
/// `--ignore-repo-config`.
fn scan_one(a: &OrgArgs, e: &Entry) -> Result<OrgRow> {
    let args = ScanArgs {
        paths: vec![e.path.clone()],
        format: OutputFormat::Json,
        output: None,
        show_secrets: false,
        config: a.config.clone(),
        ignore_repo_config: true,
        baseline: None,
        fail_on: a.fail_on.clone(),
        db: a.db.clone(),
        detectors: Vec::new(),
        no_history: a.no_history,
        no_worktree: false,
        no_ignore: false,
        exclude: Vec::new(),
        max_blob_size: a.max_blob_size,
        threads: a.threads,
        no_progress: true,
        color: ColorChoice::Never,
        allow_incomplete: false,
    };
    let mut s = Settings::from_args(&args)?;
    s.private = e.visibility.as_deref() == Some("private");
    let mut collector = keepopen_report::Collector::new(None);
    let scanned = super::scan::scan(&s, &mut collector);
    let outcome = scanned.outcome;
    let (mut findings, _) = collector.finish();
    let mut problems: Vec<Problem> = outcome.problems.clone();
    problems.extend(super::scan::apply_triage(&s, &mut findings));
    let assessments: Vec<Assessed> =
        super::scan::assess(&s, &outcome, &mut findings, scanned.dependencies.as_ref());
    let report = Report {
        findings: &findings,
        problems: &problems,
        stats: &outcome.stats,
        rules: &s.rules,
        fail_on: s.fail_on,
        workflows_fail_on: s.workflows_fail_on,
        show_secrets: false,
        baseline_suppressed: 0,
        color: false,
        posture: None,
        dependencies: None,
        repositories: &outcome.repositories,
        assessments: &[],
    };
    let blocking = report.blocking_count();
    let facts = outcome.facts.first();
    Ok(OrgRow {
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
    })
}
