//! The scan pipeline. For each root: the working tree and the git history
//! hand every unique piece of content to the detectors once; history
//! matches are then located (paths, first commits, presence at HEAD);
//! findings are filtered by path, excludes and allow-lists, and merged so
//! that one secret at one path is one finding however many commits hold it.
//! A bare repository has no working tree: the detectors that read current
//! files only (lockfiles, workflows) read HEAD's. Beside the content, on
//! its own thread, the repository checks (posture).

mod blob_cache;
mod changed;
mod collect;
mod history;
mod merge;
pub mod repo_checks;
mod trouble;

pub use blob_cache::BlobCache;
use globset::GlobSet;
use keepopen_content::Detector;
pub use keepopen_findings::Stats;
use keepopen_findings::{Finding, Sink, report_order};
use keepopen_source::{Problem, Progress};
use regex::Regex;
use std::path::PathBuf;
use std::time::Instant;

/// What to scan and how. Built once from flags and config by the CLI.
pub struct Plan {
    pub roots: Vec<PathBuf>,
    pub history: bool,
    pub worktree: bool,
    pub respect_ignore_files: bool,
    pub excludes: Option<GlobSet>,
    pub allow_secrets: Vec<Regex>,
    /// Working-tree files and history objects bigger than this are
    /// reported and skipped: one limit for both (`--max-blob-size`).
    pub max_blob_size: u64,
    pub threads: usize,
    /// Run the repository posture checks.
    pub posture: bool,
    /// `rules.disable`: ids no detector reports, repository checks included.
    pub disabled: std::collections::HashSet<String>,
    /// The clock `posture-maintained` counts back from, seconds since the
    /// epoch: read once at the edge.
    pub now: i64,
    /// How a file's context (test, vendored, …) changes its findings.
    pub contexts: keepopen_findings::ContextPolicy,
    /// Blobs already scanned by this process (an organisation run shares
    /// one across its repositories, which must share one configuration).
    pub blob_cache: Option<std::sync::Arc<BlobCache>>,
    /// Only what a change adds (`--staged`, `--since`, `--range`), instead
    /// of the working tree and the whole history.
    pub scope: Option<Scope>,
}

/// A change whose additions alone are scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// What is staged in the index: the next commit.
    Staged,
    /// What the commits reachable from `tip` (default HEAD) and not from
    /// `base` add.
    Range { base: String, tip: Option<String> },
}

pub struct Outcome {
    pub problems: Vec<Problem>,
    pub stats: Stats,
    /// Each root's repository, in the order given.
    pub repositories: Vec<std::sync::Arc<keepopen_findings::Repository>>,
    /// The posture checklist, when one repository was scanned with posture
    /// checks.
    pub checklist: Option<Vec<keepopen_posture::CheckResult>>,
    /// What the keep-open assessment needs beside the findings, per root
    /// the repository checks read: its class and its newest commit.
    pub facts: Vec<RootFacts>,
}

/// One root's class (from its files) and newest commit time.
#[derive(Clone, Debug)]
pub struct RootFacts {
    /// The root as given to the scan (`Repository::root`).
    pub root: String,
    pub class: keepopen_assessment::Classified,
    pub last_commit: Option<i64>,
    /// This root's posture checklist.
    pub checks: Vec<keepopen_posture::CheckResult>,
    /// The exceptions register's files (`.keepopen/exceptions/*.toml`),
    /// path and bytes.
    pub exception_files: Vec<(String, Vec<u8>)>,
    /// The Dependabot ecosystems the files use (`pip`, `docker`, …).
    pub dependabot: Vec<String>,
}

/// Runs the plan with `detectors`: the content pipeline, and beside it, on
/// their own thread, the repository checks. Findings stream into `sink`
/// root by root, each once it is final (merged across the versions of
/// history that hold it), in report order within its root; the repository
/// checks' come last. `progress` is bumped as content is read.
pub fn run(
    plan: &Plan,
    detectors: &[&dyn Detector],
    progress: &Progress,
    sink: &mut dyn Sink,
) -> Outcome {
    let mut sink = Enabled {
        disabled: &plan.disabled,
        sink,
    };
    std::thread::scope(|scope| {
        let started = Instant::now();
        let (heads, waiting) = repo_checks::head_channels(plan);
        let checks = scope.spawn(move || {
            let checked = repo_checks::run(plan, waiting);
            timing("repository checks", started);
            checked
        });
        let mut outcome = content(plan, detectors, progress, &mut sink, heads);
        timing("content", started);
        if plan.posture {
            progress.enter(keepopen_source::Phase::Posture);
        }
        let checked = checks.join().unwrap_or_default();
        checked.add_to(&mut outcome, &mut sink, plan.roots.len() > 1);
        outcome
    })
}

/// Passes on what `rules.disable` does not name.
struct Enabled<'a> {
    disabled: &'a std::collections::HashSet<String>,
    sink: &'a mut dyn Sink,
}

impl Sink for Enabled<'_> {
    fn put(&mut self, finding: Finding) {
        if !self.disabled.contains(&finding.m.rule) {
            self.sink.put(finding);
        }
    }
}

/// With `KEEPOPEN_TIMINGS` set, how long each phase took, on stderr: for
/// benchmarking, not for users.
pub(crate) fn timing(what: &str, since: Instant) {
    if std::env::var_os("KEEPOPEN_TIMINGS").is_some() {
        eprintln!("timing: {what}: {:.3} s", since.elapsed().as_secs_f64());
    }
}

/// Every root's working tree and history through the detectors.
/// `heads` are the repository checks' channels for HEAD's files, one per
/// root (see [`collect::HeadFiles`]).
fn content(
    plan: &Plan,
    detectors: &[&dyn Detector],
    progress: &Progress,
    sink: &mut dyn Sink,
    heads: Vec<Option<collect::HeadFiles>>,
) -> Outcome {
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut stats = Stats::default();
    let mut repositories = Vec::new();
    let mut heads = heads.into_iter();
    for root in &plan.roots {
        let head = heads.next().flatten();
        let repository = std::sync::Arc::new(keepopen_source::git::identity(root));
        let mut part = collect::scan_root(plan, root, detectors, progress, &mut stats, head);
        if plan.history {
            part.problems.extend(keepopen_source::git::pull_refs_note(
                root,
                repository.remote.as_deref(),
            ));
        }
        for f in &mut part.findings {
            f.location.repository = Some(repository.clone());
        }
        repositories.push(repository);
        let mut findings = merge::merge(part.findings);
        report_order(&mut findings);
        findings.into_iter().for_each(|f| sink.put(f));
        problems.append(&mut part.problems);
    }
    problems
        .sort_by(|a, b| (b.level, &a.subject, &a.message).cmp(&(a.level, &b.subject, &b.message)));
    // A missing blob at HEAD is met by the walk of history too: once.
    problems.dedup_by(|a, b| {
        a.level == b.level && a.subject == b.subject && keepopen_source::git::names_a_blob(a)
    });
    stats.duration = started.elapsed();
    Outcome {
        problems,
        stats,
        repositories,
        checklist: None,
        facts: Vec::new(),
    }
}
