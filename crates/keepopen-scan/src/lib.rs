//! The scan pipeline. For each root: the working tree and the git history
//! hand every unique piece of content to the detectors once; history
//! matches are then located (paths, first commits, presence at HEAD);
//! findings are filtered by path, excludes and allow-lists, and merged so
//! that one secret at one path is one finding however many commits hold it.
//! Beside the content, on its own thread, the repository checks: posture,
//! and the workflows of a bare repository.

mod collect;
mod merge;
pub mod repo_checks;

use globset::GlobSet;
use keepopen_content::Detector;
use keepopen_findings::Finding;
use keepopen_source::{Problem, Progress};
use regex::Regex;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to scan and how. Built once from flags and config by the CLI.
pub struct Plan {
    pub roots: Vec<PathBuf>,
    pub history: bool,
    pub worktree: bool,
    pub respect_ignore_files: bool,
    pub excludes: Option<GlobSet>,
    pub allow_secrets: Vec<Regex>,
    pub max_file_size: u64,
    pub threads: usize,
    /// Run the repository posture checks.
    pub posture: bool,
    /// Audit the workflows at HEAD of a bare repository (the content
    /// pipeline audits those of a work tree).
    pub bare_workflows: bool,
    /// `rules.disable`: ids no detector reports, repository checks included.
    pub disabled: std::collections::HashSet<String>,
    /// The clock `posture-maintained` counts back from, seconds since the
    /// epoch: read once at the edge.
    pub now: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: u64,
    pub blobs: u64,
    pub bytes: u64,
    pub commits: u64,
    pub duration: Duration,
    /// Matches in blobs that no ref reaches (not exposed to a clone).
    pub unreachable_matches: u64,
    /// Matches dropped by excludes, allow-lists or path rules.
    pub filtered: u64,
}

pub struct Outcome {
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
    pub stats: Stats,
    /// Each root's repository, in the order given.
    pub repositories: Vec<std::sync::Arc<keepopen_findings::Repository>>,
    /// The posture checklist, when one repository was scanned with posture
    /// checks.
    pub checklist: Option<Vec<keepopen_posture::CheckResult>>,
}

/// Runs the plan with `detectors`: the content pipeline, and beside it, on
/// their own thread, the repository checks. `progress` is bumped as content
/// is read.
pub fn run(plan: &Plan, detectors: &[&dyn Detector], progress: &Progress) -> Outcome {
    let mut outcome = std::thread::scope(|scope| {
        let checks = scope.spawn(|| repo_checks::run(plan));
        let mut outcome = content(plan, detectors, progress);
        let checked = checks.join().unwrap_or_default();
        checked.add_to(&mut outcome, plan.roots.len() > 1);
        outcome
    });
    outcome
        .findings
        .retain(|f| !plan.disabled.contains(&f.m.rule));
    outcome
}

/// Every root's working tree and history through the detectors.
fn content(plan: &Plan, detectors: &[&dyn Detector], progress: &Progress) -> Outcome {
    let started = Instant::now();
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    let mut stats = Stats::default();
    let mut repositories = Vec::new();
    for root in &plan.roots {
        let repository = std::sync::Arc::new(keepopen_source::git::identity(root));
        let mut part = collect::scan_root(plan, root, detectors, progress, &mut stats);
        for f in &mut part.findings {
            f.location.repository = Some(repository.clone());
        }
        repositories.push(repository);
        findings.append(&mut part.findings);
        problems.append(&mut part.problems);
    }
    let mut findings = merge::merge(findings);
    sort(&mut findings);
    problems
        .sort_by(|a, b| (b.level, &a.subject, &a.message).cmp(&(a.level, &b.subject, &b.message)));
    stats.duration = started.elapsed();
    Outcome {
        findings,
        problems,
        stats,
        repositories,
        checklist: None,
    }
}

/// The report's order: most severe first, then by repository, path, line
/// and rule, with the fingerprint last so that the order is total and the
/// report does not depend on which worker met which blob first.
fn sort(findings: &mut [Finding]) {
    let key = |f: &Finding| {
        (
            std::cmp::Reverse(f.m.severity),
            f.location.repository.as_ref().map(|r| r.root.clone()),
            f.location.path.clone(),
            f.m.line,
            f.m.rule.clone(),
            f.fingerprint.clone(),
        )
    };
    findings.sort_by_cached_key(key);
}
