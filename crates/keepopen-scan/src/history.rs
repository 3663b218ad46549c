//! History: every object read through the detectors that read every blob,
//! then the matches located at their paths and first commits, then made
//! findings there. [`crate::collect::scan_root`] runs the current files
//! beside [`read`] and [`locate`].

use crate::collect::{Filters, Part, Tagged, lock};
use crate::trouble::Trouble;
use crate::{Stats, timing};
use keepopen_findings::{Location, PathContext, sniff};
use keepopen_source::git::{History, Oid};
use keepopen_source::{Item, Key, Phase, Problem, Progress, Source};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// What reading history found, before it is located.
pub(crate) struct Read {
    matches: HashMap<Oid, Vec<Tagged>>,
    troubles: HashMap<Oid, Vec<Trouble>>,
    sniffed: HashMap<Oid, PathContext>,
    /// The blobs some detectors left rules out of until their paths are
    /// known, and those detectors (by index); their matches are unsealed.
    deferred: HashMap<Oid, Vec<usize>>,
    /// Problems of reading, and the objects a limit left out (by index).
    problems: Vec<Problem>,
    skipped: HashMap<Oid, usize>,
}

/// Every object of history through the detectors that read every blob.
pub(crate) fn read(
    h: &History,
    filters: &Filters<'_>,
    progress: &Progress,
    stats: &mut Stats,
) -> Read {
    let matches: Mutex<HashMap<Oid, Vec<Tagged>>> = Mutex::new(HashMap::new());
    let sniffed: Mutex<HashMap<Oid, PathContext>> = Mutex::new(HashMap::new());
    let troubles: Mutex<HashMap<Oid, Vec<Trouble>>> = Mutex::new(HashMap::new());
    let deferred: Mutex<HashMap<Oid, Vec<usize>>> = Mutex::new(HashMap::new());
    let blobs = AtomicU64::new(0);
    let bytes = AtomicU64::new(0);
    let cache = filters.plan.blob_cache.as_deref();
    let visit = |item: Item<'_>| {
        let Key::Blob(id) = item.key else { return };
        blobs.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(item.content.data.len() as u64, Ordering::Relaxed);
        // A blob another repository of this run already scanned.
        if let Some(earlier) =
            cache.and_then(|c| c.get(&id, item.content.data.len(), &filters.deferrals))
        {
            if let Some(s) = earlier {
                if let Some(c) = s.sniffed {
                    lock(&sniffed).insert(id, c);
                }
                if !s.found.is_empty() {
                    lock(&matches)
                        .entry(id)
                        .or_default()
                        .extend(s.found.iter().cloned());
                }
                if !s.trouble.is_empty() {
                    lock(&troubles)
                        .entry(id)
                        .or_default()
                        .extend(s.trouble.iter().cloned());
                }
                if !s.deferred.is_empty() {
                    lock(&deferred).insert(id, s.deferred.clone());
                }
            }
            return;
        }
        let (found, trouble, later) = filters.detect_blob(&item.content);
        let context = (!found.is_empty())
            .then(|| sniff(item.content.data))
            .flatten();
        if let Some(c) = cache {
            let clean = found.is_empty() && trouble.is_empty() && later.is_empty();
            c.put(
                id,
                (!clean).then(|| crate::blob_cache::Scanned {
                    found: found.clone(),
                    trouble: trouble.clone(),
                    sniffed: context,
                    deferred: later.clone(),
                    deferrals: filters.deferrals.clone(),
                }),
            );
        }
        if !later.is_empty() {
            lock(&deferred).insert(id, later);
        }
        if !found.is_empty() {
            if let Some(c) = context {
                lock(&sniffed).insert(id, c);
            }
            lock(&matches).entry(id).or_default().extend(found);
        }
        if !trouble.is_empty() {
            lock(&troubles).entry(id).or_default().extend(trouble);
        }
    };
    let started = std::time::Instant::now();
    // Until the first object comes out of them.
    progress.enter(Phase::ReadingPacks);
    let read_problems = h.for_each(&visit, progress);
    timing("history: objects read and scanned", started);
    // Objects left out by a limit are named by id; the walk below adds the
    // path and commit a reader can look for.
    let skipped: HashMap<Oid, usize> = read_problems
        .iter()
        .enumerate()
        .filter(|(_, p)| p.level == keepopen_findings::Level::Skip)
        .filter_map(|(i, p)| {
            let hex = p.subject.strip_prefix("object ")?;
            Some((Oid::from_hex(hex.as_bytes()).ok()?, i))
        })
        .collect();
    stats.blobs += blobs.into_inner();
    stats.bytes += bytes.into_inner();
    Read {
        matches: matches.into_inner().unwrap_or_else(|e| e.into_inner()),
        troubles: troubles.into_inner().unwrap_or_else(|e| e.into_inner()),
        sniffed: sniffed.into_inner().unwrap_or_else(|e| e.into_inner()),
        deferred: deferred.into_inner().unwrap_or_else(|e| e.into_inner()),
        problems: read_problems,
        skipped,
    }
}

/// The paths and first commits of what [`read`] found.
pub(crate) fn locate(
    h: &History,
    read: &Read,
    filters: &Filters<'_>,
    progress: &Progress,
) -> keepopen_source::git::Located {
    let wanted: HashSet<Oid> = read
        .matches
        .keys()
        .chain(read.troubles.keys())
        .chain(read.skipped.keys())
        .copied()
        .collect();
    // Blobs that may hold matches of rules left out until their paths are
    // known: wanted only at paths such a rule applies to.
    let pending: HashSet<Oid> = read.deferred.keys().copied().collect();
    let pending_at = |path: &str| filters.defers_at(path);
    let pending_name = |name: &[u8]| filters.defers_name(name);
    let pending = keepopen_source::git::Pending {
        blobs: &pending,
        at: &pending_at,
        name: &pending_name,
    };
    let by_name = |path: &str| !filters.by_name(path).is_empty();
    let started = std::time::Instant::now();
    let name_hint = |name: &[u8]| {
        filters
            .detectors
            .iter()
            .any(|d| d.needs().paths.is_some_and(|r| r.may_match_name(name)))
    };
    progress.enter(Phase::Locating);
    let located = h.locate_pending(&wanted, &pending, &by_name, &name_hint);
    timing("history: findings located", started);
    located
}

/// Where a blob was located: in reachable commits, else (`false`) in
/// commits no ref reaches; none when no commit names it.
fn places_of<'a>(
    located: &'a keepopen_source::git::Located,
    oid: &Oid,
) -> (&'a [keepopen_source::git::Placement], bool) {
    match located.places.get(oid) {
        Some(p) => (p.as_slice(), true),
        None => (
            located.unreachable.get(oid).map_or(&[][..], Vec::as_slice),
            false,
        ),
    }
}

/// A blob's matches and troubles from its second look, and its sniffed
/// context when it has matches.
type SecondLook = (Oid, Vec<Tagged>, Vec<Trouble>, Option<PathContext>);

/// The second look at the blobs whose first left rules out (see
/// `Detector::detect_unplaced`): each found at a path one of those rules
/// applies to is read again and given to them with its paths. Then every
/// such blob's matches are sealed together.
pub(crate) fn placed_rules(
    h: &History,
    read: &mut Read,
    located: &keepopen_source::git::Located,
    filters: &Filters<'_>,
) {
    let started = std::time::Instant::now();
    let deferred = std::mem::take(&mut read.deferred);
    // Each blob to read again, with each detector's paths that need it.
    let mut jobs: HashMap<Oid, Vec<(usize, Vec<&str>)>> = HashMap::new();
    for (oid, ds) in &deferred {
        let (places, _) = places_of(located, oid);
        let mut paths: Vec<&str> = places.iter().map(|p| p.path.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        for &i in ds {
            let Some(rules) = filters.detectors[i].needs().paths else {
                continue;
            };
            let deferral = &filters.deferrals[i];
            let at: Vec<&str> = paths
                .iter()
                .copied()
                .filter(|p| rules.defers_at(deferral, p))
                .collect();
            if !at.is_empty() {
                jobs.entry(*oid).or_default().push((i, at));
            }
        }
    }
    let ids: Vec<Oid> = jobs.keys().copied().collect();
    let more: Mutex<Vec<SecondLook>> = Mutex::new(Vec::new());
    let failed = h.reread(&ids, &|oid, data| {
        let content = keepopen_content::Content::new(data, None);
        let (mut found, mut trouble) = (Vec::new(), Vec::new());
        for (i, paths) in jobs.get(&oid).into_iter().flatten() {
            let (f, t) = filters.detect_placed(*i, &content, paths);
            found.extend(f);
            trouble.extend(t);
        }
        if !found.is_empty() || !trouble.is_empty() {
            let context = (!found.is_empty()).then(|| sniff(data)).flatten();
            lock(&more).push((oid, found, trouble, context));
        }
    });
    for (oid, why) in failed {
        let place = jobs
            .get(&oid)
            .and_then(|j| j.first())
            .and_then(|(_, p)| p.first());
        read.problems.push(Problem::error(
            format!("{} (object {oid})", place.copied().unwrap_or("a blob")),
            format!("cannot be read again for the rules of its path: {why}"),
        ));
    }
    for (oid, found, trouble, context) in more.into_inner().unwrap_or_else(|e| e.into_inner()) {
        if let Some(c) = context {
            read.sniffed.entry(oid).or_insert(c);
        }
        if !found.is_empty() {
            read.matches.entry(oid).or_default().extend(found);
        }
        if !trouble.is_empty() {
            read.troubles.entry(oid).or_default().extend(trouble);
        }
    }
    for oid in deferred.keys() {
        if let Some(ms) = read.matches.get_mut(oid) {
            crate::collect::seal_contexts(ms);
        }
    }
    timing("history: rules of paths", started);
}

/// Every history match as a finding at each place it was located.
pub(crate) fn place(
    read: Read,
    located: keepopen_source::git::Located,
    filters: &Filters<'_>,
    stats: &mut Stats,
    part: &mut Part,
) {
    let Read {
        matches,
        troubles,
        sniffed,
        problems: mut read_problems,
        skipped,
        deferred: _,
    } = read;
    stats.commits += located.commits as u64;
    for (oid, i) in &skipped {
        if let Some(pl) = places_of(&located, oid).0.first() {
            let commit = pl.commit.to_string();
            read_problems[*i].subject = format!(
                "{} (object {oid}, in commit {})",
                pl.path,
                &commit[..commit.len().min(10)]
            );
        }
    }
    part.problems.extend(read_problems);
    part.problems.extend(located.problems.iter().cloned());
    let location = |oid: &Oid, pl: &keepopen_source::git::Placement, unreachable: bool| Location {
        path: pl.path.clone(),
        commit: Some(pl.commit.to_string()),
        commit_time: Some(pl.time),
        author: (!pl.author.is_empty()).then(|| pl.author.clone()),
        commit_line: None,
        repository: None,
        in_head: located.head.contains(&(*oid, pl.path.clone())),
        in_worktree: false,
        unreachable,
        anchor: None,
    };
    // Content that could not be read is named by its first path; the same
    // blob at other paths or commits adds nothing to fix.
    let mut unread: Vec<Problem> = Vec::new();
    for (oid, ts) in &troubles {
        if let Some(pl) = located.places.get(oid).and_then(|p| p.first()) {
            // Already named by the working tree's scan.
            if part.problems.iter().any(|p| p.subject == pl.path) {
                continue;
            }
            let short = pl.commit.to_string();
            let subject = format!(
                "{} (in history, commit {})",
                pl.path,
                &short[..short.len().min(10)]
            );
            unread.extend(ts.iter().map(|t| t.problem(subject.clone())));
        }
    }
    unread.sort_by(|a, b| a.subject.cmp(&b.subject));
    part.problems.extend(unread);
    for (oid, ms) in &matches {
        let (places, reachable) = places_of(&located, oid);
        if !reachable {
            stats.unreachable_matches += ms.len() as u64;
        }
        if places.is_empty() {
            // A blob no commit names at all: reported by its id.
            let path = format!("(unreachable blob {oid})");
            for m in ms {
                if let Some(m) = filters.place(m, &path, stats) {
                    let at = Location {
                        path: path.clone(),
                        unreachable: true,
                        ..Default::default()
                    };
                    part.findings
                        .push(filters.finding(m, at, sniffed.get(oid).copied()));
                }
            }
            continue;
        }
        for pl in places {
            for m in ms {
                if let Some(m) = filters.place(m, &pl.path, stats) {
                    let sniffed = sniffed.get(oid).copied();
                    part.findings
                        .push(filters.finding(m, location(oid, pl, !reachable), sniffed));
                }
            }
        }
    }
    for (oid, pl) in &located.named {
        for m in filters.by_name(&pl.path) {
            if let Some(m) = filters.place(&m, &pl.path, stats) {
                part.findings
                    .push(filters.finding(m, location(oid, pl, false), None));
            }
        }
    }
}
