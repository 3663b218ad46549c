//! Scans what a change adds (`--staged`, `--since`, `--range`) instead of
//! the working tree and the whole history: each added blob once, through
//! the same detectors, at its path. A match the replaced version of the
//! file already held is not the change's doing and is not reported, so a
//! hook or a pull request check fails on what it adds, as gitleaks'
//! `--staged` (added lines only) does; the detectors still read whole
//! files, which patient tables and code rules need.

use crate::collect::{Filters, Part, Tagged, What};
use crate::{Plan, Scope, Stats};
use keepopen_content::Content;
use keepopen_findings::{Location, PathContext, sniff};
use keepopen_source::git::{Change, Changes, Reader};
use keepopen_source::{Phase, Problem, Progress};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// One change, read and detected.
struct Detected {
    found: Vec<Tagged>,
    problems: Vec<Problem>,
    sniffed: Option<PathContext>,
    bytes: u64,
}

pub(crate) fn scan(
    plan: &Plan,
    scope: &Scope,
    root: &Path,
    filters: &Filters<'_>,
    progress: &Progress,
    stats: &mut Stats,
    part: &mut Part,
) {
    progress.enter(Phase::Scanning);
    let changes = match scope {
        Scope::Staged => keepopen_source::git::staged(root),
        Scope::Range { base, tip } => keepopen_source::git::range(root, base, tip.as_deref()),
    };
    let changes = match changes {
        Ok(c) => c,
        Err(p) => return part.problems.push(p),
    };
    part.problems.extend(changes.problems.iter().cloned());
    if changes.changes.is_empty() {
        part.problems.push(Problem::note(
            root.display().to_string(),
            match scope {
                Scope::Staged => "nothing staged: nothing to scan".to_string(),
                Scope::Range { base, tip } => format!(
                    "the range {base}..{} adds no file: nothing to scan",
                    tip.as_deref().unwrap_or("HEAD")
                ),
            },
        ));
    }
    stats.commits += changes.commits as u64;
    let detect = |reader: &mut Reader, c: &Change| detect_one(plan, filters, reader, c);
    let detected: Vec<Detected> = keepopen_source::on_threads(plan.threads, || {
        changes
            .changes
            .par_iter()
            .map_init(|| changes.reader(), detect)
            .collect()
    });
    place(&changes, detected, filters, stats, part);
}

/// The subject a problem with a change names: its path, and its commit.
fn subject(c: &Change) -> String {
    match &c.commit {
        Some(i) => format!("{} (in commit {})", c.path, i.id.to_hex_with_len(10)),
        None => format!("{} (staged)", c.path),
    }
}

/// Which detectors read a change: all of them for the file as it will
/// stand, the detectors of every blob for a version the range replaced.
fn what(c: &Change) -> What<'_> {
    if c.at_tip {
        What::File(&c.path)
    } else {
        What::Changed(&c.path)
    }
}

fn detect_one(plan: &Plan, filters: &Filters<'_>, reader: &mut Reader, c: &Change) -> Detected {
    let mut out = Detected {
        found: Vec::new(),
        problems: Vec::new(),
        sniffed: None,
        bytes: 0,
    };
    if plan.excludes.as_ref().is_some_and(|g| g.is_match(&c.path)) {
        return out;
    }
    let data = match reader.read(&c.blob, plan.max_blob_size) {
        Ok(d) => d,
        Err(why) => {
            let over = why.contains("over the size limit");
            out.problems.push(if over {
                Problem::skip(subject(c), why)
            } else {
                Problem::error(subject(c), why)
            });
            return out;
        }
    };
    out.bytes = data.len() as u64;
    let (mut found, trouble) = filters.detect(&Content::new(&data, Some(&c.path)), what(c));
    out.problems
        .extend(trouble.iter().map(|t| t.problem(subject(c))));
    if found.is_empty() {
        return out;
    }
    // What the replaced version already held is not this change's.
    if let Some(before) = c.before
        && let Ok(old) = reader.read(&before, plan.max_blob_size)
    {
        let (held, _) = filters.detect(&Content::new(&old, Some(&c.path)), what(c));
        let held: HashSet<(usize, &str, &str)> = held
            .iter()
            .map(|(i, m)| (*i, m.rule.as_str(), m.secret.as_str()))
            .collect();
        found.retain(|(i, m)| !held.contains(&(*i, m.rule.as_str(), m.secret.as_str())));
    }
    if !found.is_empty() {
        out.sniffed = sniff(&data);
    }
    out.found = found;
    out
}

/// Each change's matches as findings at its path and commit.
fn place(
    changes: &Changes,
    detected: Vec<Detected>,
    filters: &Filters<'_>,
    stats: &mut Stats,
    part: &mut Part,
) {
    for (c, d) in changes.changes.iter().zip(detected) {
        if d.bytes > 0 || d.problems.is_empty() {
            stats.files += 1;
            stats.bytes += d.bytes;
        }
        part.problems.extend(d.problems);
        for m in &d.found {
            let Some(m) = filters.place(m, &c.path, stats) else {
                continue;
            };
            let location = Location {
                path: c.path.clone(),
                commit: c.commit.as_ref().map(|i| i.id.to_string()),
                commit_time: c.commit.as_ref().map(|i| i.time),
                author: c
                    .commit
                    .as_ref()
                    .filter(|i| !i.author.is_empty())
                    .map(|i| i.author.clone()),
                in_head: c.at_tip,
                // Staged content is the file as it is now.
                in_worktree: c.commit.is_none(),
                ..Default::default()
            };
            part.findings.push(filters.finding(m, location, d.sniffed));
        }
    }
}
