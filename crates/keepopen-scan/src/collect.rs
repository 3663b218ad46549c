//! Scans one root: its working tree and its history, then locates history
//! matches and turns every match into a finding at a path.

use crate::trouble::Trouble;
use crate::{Plan, Stats};
use keepopen_content::{Content, Deferral, Detector, Out, PathRules, Reads};
use keepopen_findings::{Finding, Location, Match, PathContext, redact_context, sniff};
use keepopen_source::git::History;
use keepopen_source::worktree::WorkTree;
use keepopen_source::{Item, Key, Phase, Problem, Progress, Source};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub(crate) struct Part {
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) struct Filters<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) detectors: &'a [&'a dyn Detector],
    /// Per detector, the rules its first look at a history blob leaves
    /// out until the blob's paths are known (chosen per repository).
    pub(crate) deferrals: Vec<Deferral>,
}

/// A match, with the index of the detector that reported it.
pub(crate) type Tagged = (usize, Match);

impl Filters<'_> {
    /// Every matching detector's matches and troubles for one piece of
    /// content.
    pub(crate) fn detect(
        &self,
        content: &Content<'_>,
        what: What<'_>,
    ) -> (Vec<Tagged>, Vec<Trouble>) {
        let (mut found, troubles, _) = self.detect_raw(content, what);
        seal_contexts(&mut found);
        (found, troubles)
    }

    /// [`Filters::detect`] for a history blob before its paths are known,
    /// and the detectors that left rules out for [`Filters::detect_placed`]
    /// (`Detector::detect_unplaced`). While any did, the contexts are not
    /// yet sealed: `seal_contexts` runs once the blob's matches are all in, so
    /// that each is redacted for every value found in the blob.
    pub(crate) fn detect_blob(
        &self,
        content: &Content<'_>,
    ) -> (Vec<Tagged>, Vec<Trouble>, Vec<usize>) {
        let (mut found, troubles, deferred) = self.detect_raw(content, What::Blob);
        if deferred.is_empty() {
            seal_contexts(&mut found);
        }
        (found, troubles, deferred)
    }

    /// The rules detector `i` left out of a blob's first look that apply
    /// at one of `paths`, on the blob's bytes; unsealed.
    pub(crate) fn detect_placed(
        &self,
        i: usize,
        content: &Content<'_>,
        paths: &[&str],
    ) -> (Vec<Tagged>, Vec<Trouble>) {
        let d = self.detectors[i];
        let mut out = Out::default();
        if let Some(deferral) = self.deferrals.get(i) {
            d.detect_placed(content, deferral, paths, &mut out);
        }
        let found = out.matches.into_iter().map(|m| (i, m)).collect();
        // The blob was read by every detector of every blob.
        let read: Vec<usize> = (0..self.detectors.len())
            .filter(|&j| matches!(self.detectors[j].needs().reads, Reads::Everything))
            .collect();
        let troubles = out.troubles.into_iter().map(|t| (i, t)).collect();
        (found, self.troubles(troubles, &read, content))
    }

    fn detect_raw(
        &self,
        content: &Content<'_>,
        what: What<'_>,
    ) -> (Vec<Tagged>, Vec<Trouble>, Vec<usize>) {
        let mut deferred = Vec::new();
        let mut found = Vec::new();
        let mut troubles: Vec<(usize, String)> = Vec::new();
        let mut read: Vec<usize> = Vec::new();
        for (i, d) in self.detectors.iter().enumerate() {
            let needs = d.needs();
            let reads = match (what, needs.reads) {
                (What::File(_) | What::Blob | What::Changed(_), Reads::Everything) => true,
                (What::File(p), Reads::CurrentFiles(wanted))
                | (What::HeadFile(p), Reads::CurrentFiles(wanted)) => wanted(p),
                _ => false,
            };
            if !reads {
                // A bare repository's HEAD file is read by the detectors
                // that read every blob when they scan its history.
                if matches!((what, needs.reads), (What::HeadFile(_), Reads::Everything))
                    && self.plan.history
                {
                    read.push(i);
                }
                continue;
            }
            read.push(i);
            let mut out = Out::default();
            if matches!(what, What::Blob) {
                let none = Deferral::default();
                let deferral = self.deferrals.get(i).unwrap_or(&none);
                d.detect_unplaced(content, deferral, &mut out);
            } else {
                d.detect(content, &mut out);
            }
            if out.deferred {
                deferred.push(i);
            }
            found.extend(out.matches.into_iter().map(|m| (i, m)));
            troubles.extend(out.troubles.into_iter().map(|t| (i, t)));
            if let (What::File(p) | What::Changed(p), Some(rules)) = (what, needs.paths) {
                rules.by_name(p, &mut |m| found.push((i, m)));
            }
        }
        let troubles = self.troubles(troubles, &read, content);
        (found, troubles, deferred)
    }

    /// Each detector's troubles (by index) as the report gives them: with
    /// the detectors in `read` that still read the content.
    fn troubles(
        &self,
        troubles: Vec<(usize, String)>,
        read: &[usize],
        content: &Content<'_>,
    ) -> Vec<Trouble> {
        let binary = !troubles.is_empty() && content.is_binary();
        troubles
            .into_iter()
            .map(|(i, why)| {
                let others = read
                    .iter()
                    .filter(|j| **j != i)
                    .map(|j| self.detectors[*j].name())
                    .collect();
                Trouble::new(self.detectors[i].name(), &why, others, binary)
            })
            .collect()
    }

    /// Whether some detector left out of history blobs a rule that applies
    /// at `path`.
    pub(crate) fn defers_at(&self, path: &str) -> bool {
        self.deferring()
            .any(|(r, deferral)| r.defers_at(deferral, path))
    }

    /// Could [`Filters::defers_at`] hold for a file called `name`?
    pub(crate) fn defers_name(&self, name: &[u8]) -> bool {
        self.deferring()
            .any(|(r, deferral)| r.defers_name(deferral, name))
    }

    /// The path rules of each detector that leaves rules out of history
    /// blobs, with what it leaves out.
    fn deferring(&self) -> impl Iterator<Item = (&dyn PathRules, &Deferral)> {
        self.detectors
            .iter()
            .zip(&self.deferrals)
            .filter(|(_, deferral)| !deferral.is_empty())
            .filter_map(|(d, deferral)| Some((d.needs().paths?, deferral)))
    }

    /// Each detector's rules to leave out of history blobs until their
    /// paths are known, from the files the repository at `root` holds now.
    pub(crate) fn defer_for(&mut self, root: &Path) {
        let now = keepopen_source::git::head::head_paths(root);
        let now: Vec<&str> = now.iter().map(String::as_str).collect();
        self.deferrals = self
            .detectors
            .iter()
            .map(|d| {
                d.needs()
                    .paths
                    .map_or_else(Deferral::default, |r| r.deferral(&now))
            })
            .collect();
    }

    /// The finding a placed match makes at `location`, in its file's
    /// context.
    pub(crate) fn finding(
        &self,
        m: Match,
        location: Location,
        sniffed: Option<PathContext>,
    ) -> Finding {
        Finding::new(m, location).in_context(sniffed, &self.plan.contexts)
    }

    /// Matches from the path alone, each detector's that has path rules.
    pub(crate) fn by_name(&self, path: &str) -> Vec<Tagged> {
        let mut found = Vec::new();
        for (i, d) in self.detectors.iter().enumerate() {
            if let Some(rules) = d.needs().paths {
                rules.by_name(path, &mut |m| found.push((i, m)));
            }
        }
        seal_contexts(&mut found);
        found
    }

    /// The match as it stands at `path`, if it is reported: its detector's
    /// path rules, then excludes and allow-lists. Counts what it drops.
    pub(crate) fn place(&self, (i, m): &Tagged, path: &str, stats: &mut Stats) -> Option<Match> {
        let m = match self.detectors[*i].needs().paths {
            Some(rules) => rules.at_path(m.clone(), path),
            None => Some(m.clone()),
        };
        let kept = m.filter(|m| {
            !self
                .plan
                .excludes
                .as_ref()
                .is_some_and(|g| g.is_match(path))
                && !self
                    .plan
                    .allow_secrets
                    .iter()
                    .any(|r| r.is_match(&m.secret))
        });
        if kept.is_none() {
            stats.filtered += 1;
        }
        kept
    }
}

/// Beyond this many distinct values in one piece of content, a context is
/// checked for the values on its own line only (and for value shapes), so
/// a file of thousands of matches costs no more than its lines.
const ALL_VALUES_UP_TO: usize = 256;

/// Redacts every match's context, once, for every value any detector
/// found in the same content (the match's own included) and for anything
/// shaped like such a value: no report or store ever sees a raw context.
pub(crate) fn seal_contexts(found: &mut [Tagged]) {
    // A value its own detector shows in full in its detail is a label (a
    // hidden sheet's name), not a value to mask in other contexts.
    let mut values: Vec<(keepopen_findings::Category, String, u32)> = found
        .iter()
        .filter(|(_, m)| !m.detail.as_deref().is_some_and(|d| d.contains(&m.secret)))
        .map(|(_, m)| (m.category, m.secret.clone(), m.line))
        .collect();
    values.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));
    values.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);
    let distinct = {
        let mut v: Vec<&str> = values.iter().map(|(_, s, _)| s.as_str()).collect();
        v.dedup();
        v.len()
    };
    for (_, m) in found.iter_mut() {
        let near: Vec<(keepopen_findings::Category, &str)> = values
            .iter()
            .filter(|(_, v, line)| {
                *line == m.line || (distinct <= ALL_VALUES_UP_TO && m.context.contains(v.as_str()))
            })
            .map(|(c, v, _)| (*c, v.as_str()))
            .chain(std::iter::once((m.category, m.secret.as_str())))
            .collect();
        m.context = redact_context(&m.context, &near);
    }
}

/// What a piece of content is, for choosing the detectors that read it.
#[derive(Clone, Copy)]
pub(crate) enum What<'p> {
    /// A file of the working tree.
    File(&'p str),
    /// A blob in history, before its paths are known.
    Blob,
    /// A file at HEAD of a bare repository, for the detectors that read
    /// current files only (history gives the others every blob).
    HeadFile(&'p str),
    /// A version of a file that a change added and then replaced, at its
    /// path: read by the detectors of every blob, path rules included.
    Changed(&'p str),
}

/// Does `d` read current files only, and the one at `path`?
fn reads_only_current(d: &dyn Detector, path: &str) -> bool {
    matches!(d.needs().reads, Reads::CurrentFiles(wanted) if wanted(path))
}

/// HEAD's files of a bare repository, each cut to what the posture checks
/// read, handed from the content pipeline (which reads them anyway) to the
/// repository checks, so that HEAD is read once.
pub(crate) type HeadFiles = std::sync::mpsc::SyncSender<Vec<keepopen_source::git::head::HeadFile>>;

/// `posture`, when given, is sent HEAD's files if the root is a bare
/// repository whose HEAD this scan reads; otherwise it is dropped as soon
/// as that is known, and the checks read HEAD themselves.
pub(crate) fn scan_root(
    plan: &Plan,
    root: &Path,
    detectors: &[&dyn Detector],
    progress: &Progress,
    stats: &mut Stats,
    posture: Option<HeadFiles>,
) -> Part {
    let mut part = Part::default();
    let mut filters = Filters {
        plan,
        detectors,
        deferrals: Vec::new(),
    };
    if let Some(scope) = &plan.scope {
        drop(posture);
        crate::changed::scan(plan, scope, root, &filters, progress, stats, &mut part);
        return part;
    }
    // History is read for the detectors that read every blob; when only
    // detectors of current files run (`--detectors code`), it is not.
    let reads_history = detectors
        .iter()
        .any(|d| matches!(d.needs().reads, Reads::Everything));
    let history = if plan.history && root.is_dir() {
        match History::open(root) {
            Ok(h) => Some(h.threads(plan.threads).max_blob_size(plan.max_blob_size)),
            Err(p) => {
                part.problems.push(p);
                None
            }
        }
    } else {
        None
    };
    if history.is_some() && reads_history {
        filters.defer_for(root);
    }
    // A bare repository has no working tree; a git directory's working tree
    // is its parent; anything else is scanned as files.
    let worktree_root = match &history {
        Some(h) => h.workdir(),
        None => Some(root.to_path_buf()),
    };
    // The current files: a working tree's, or a bare repository's HEAD
    // for the detectors that read current files only. `beside` when this
    // runs while history is read, so it does not say it is scanning.
    let posture = Mutex::new(posture.filter(|_| worktree_root.is_none()));
    let current = |beside: bool, stats: &mut Stats, part: &mut Part| match &worktree_root {
        Some(wr) if plan.worktree => {
            scan_worktree(plan, wr, &filters, progress, beside, stats, part)
        }
        None if plan.worktree => {
            let posture = lock(&posture).take();
            scan_head(root, &filters, reads_history, stats, part, posture);
        }
        _ => {}
    };
    let Some(h) = history.filter(|_| reads_history) else {
        current(false, stats, &mut part);
        return part;
    };
    // The current files are scanned beside history, on the same threads:
    // reading history leaves cores idle at its start and end, and
    // locating walks every commit's trees on one thread.
    let mut first = Part::default();
    let mut first_stats = Stats::default();
    let (read, located) = std::thread::scope(|s| {
        let beside = s.spawn(|| {
            let started = std::time::Instant::now();
            current(true, &mut first_stats, &mut first);
            crate::timing("current files", started);
        });
        let mut read = crate::history::read(&h, &filters, progress, stats);
        let located = crate::history::locate(&h, &read, &filters, progress);
        crate::history::placed_rules(&h, &mut read, &located, &filters);
        if let Err(e) = beside.join() {
            std::panic::resume_unwind(e);
        }
        (read, located)
    });
    part.findings.append(&mut first.findings);
    part.problems.append(&mut first.problems);
    stats.add_counts(&first_stats);
    crate::history::place(read, located, &filters, stats, &mut part);
    part
}

fn scan_worktree(
    plan: &Plan,
    root: &Path,
    filters: &Filters<'_>,
    progress: &Progress,
    beside: bool,
    stats: &mut Stats,
    part: &mut Part,
) {
    let matches: Mutex<Vec<(String, Option<PathContext>, Tagged)>> = Mutex::new(Vec::new());
    let troubles: Mutex<Vec<Problem>> = Mutex::new(Vec::new());
    let files = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    if !beside {
        progress.enter(Phase::Scanning);
    }
    let visit = |item: Item<'_>| {
        let Key::Path(path) = item.key else { return };
        files.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(item.content.data.len() as u64, Ordering::Relaxed);
        let (found, trouble) = filters.detect(&item.content, What::File(&path));
        if !trouble.is_empty() {
            lock(&troubles).extend(trouble.iter().map(|t| t.problem(path.clone())));
        }
        if !found.is_empty() {
            let sniffed = sniff(item.content.data);
            lock(&matches).extend(found.into_iter().map(|m| (path.clone(), sniffed, m)));
        }
    };
    let source = WorkTree::new(root)
        .excludes(plan.excludes.clone())
        .max_blob_size(plan.max_blob_size)
        .respect_ignore_files(plan.respect_ignore_files)
        .threads(plan.threads);
    part.problems.extend(source.for_each(&visit, progress));
    stats.files += files.into_inner();
    stats.bytes += bytes.into_inner();
    let mut troubles = troubles.into_inner().unwrap_or_else(|e| e.into_inner());
    troubles.sort_by(|a, b| a.subject.cmp(&b.subject));
    part.problems.extend(troubles);
    for (path, sniffed, m) in matches.into_inner().unwrap_or_else(|e| e.into_inner()) {
        if let Some(m) = filters.place(&m, &path, stats) {
            let location = Location {
                path,
                in_head: true,
                in_worktree: true,
                ..Default::default()
            };
            part.findings.push(filters.finding(m, location, sniffed));
        }
    }
}

/// What the detectors made of one file at HEAD, and its sniffed context
/// when they found something.
type Detected = (Vec<Tagged>, Vec<Trouble>, Option<PathContext>);

/// HEAD's files of a bare repository through the detectors that read
/// current files only: the lockfiles and workflows a clone would check out.
/// With `posture`, every file is read, and sent there cut to what the
/// posture checks read.
fn scan_head(
    root: &Path,
    filters: &Filters<'_>,
    reads_history: bool,
    stats: &mut Stats,
    part: &mut Part,
    posture: Option<HeadFiles>,
) {
    let detecting = filters
        .detectors
        .iter()
        .any(|d| matches!(d.needs().reads, Reads::CurrentFiles(_)));
    if !detecting && posture.is_none() {
        return;
    }
    let detected_at =
        |p: &str| detecting && filters.detectors.iter().any(|d| reads_only_current(*d, p));
    let wanted = |p: &str| posture.is_some() || detected_at(p);
    // In no order: the checks hold files by path.
    let kept: Mutex<Vec<keepopen_source::git::head::HeadFile>> = Mutex::new(Vec::new());
    let cut = keepopen_posture::MAX_READ as usize;
    // The files are independent (parsing them for the code rules is most
    // of the work): each is read and detected on every thread, and only
    // what was found is kept; it is placed in HEAD's order.
    let detected: Mutex<Vec<(usize, String, Detected)>> = Mutex::new(Vec::new());
    let bytes = AtomicU64::new(0);
    let visit = |i: usize, path: &str, data: &[u8]| {
        if posture.is_some() {
            let head = data[..data.len().min(cut)].to_vec();
            lock(&kept).push((path.to_string(), head, data.len() as u64));
            // Every file was read for the checks; only some for detecting.
            if !detected_at(path) {
                return;
            }
        }
        bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        let (found, trouble) =
            filters.detect(&Content::new(data, Some(path)), What::HeadFile(path));
        let sniffed = (!found.is_empty()).then(|| sniff(data)).flatten();
        lock(&detected).push((i, path.to_string(), (found, trouble, sniffed)));
    };
    let missing = keepopen_source::on_threads(filters.plan.threads, || {
        keepopen_source::git::head::each_head_file(root, &wanted, &visit)
    });
    let missing = match missing {
        Ok(m) => m,
        Err(p) => return part.problems.push(p),
    };
    part.problems.extend(missing);
    if let Some(posture) = posture {
        // A send fails only when the checks do not run for this root.
        let _ = posture.send(kept.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    let mut detected = detected.into_inner().unwrap_or_else(|e| e.into_inner());
    detected.sort_by_key(|(i, _, _)| *i);
    // HEAD's files are counted as files read; their bytes only when history
    // is not read too (then every one of them is also a blob read).
    stats.files += detected.len() as u64;
    if !reads_history {
        stats.bytes += bytes.into_inner();
    }
    for (_, path, (found, trouble, sniffed)) in detected {
        part.problems
            .extend(trouble.iter().map(|t| t.problem(path.clone())));
        for m in &found {
            if let Some(m) = filters.place(m, &path, stats) {
                let location = Location {
                    path: path.clone(),
                    in_head: true,
                    ..Default::default()
                };
                part.findings.push(filters.finding(m, location, sniffed));
            }
        }
    }
}
