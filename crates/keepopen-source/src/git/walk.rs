//! Where blobs live: walks every commit reachable from the roots, oldest
//! first, through the trees gathered in the [`Graph`]. Each tree is entered
//! once at each path it is met at (the first, oldest, time), so the whole
//! history costs one pass over the unique (tree, path) pairs, and the first
//! commit that put a blob at a path is the one recorded. A folder renamed
//! without a change keeps its tree, and is entered again at its new path.
//!
//! The commits are cut into runs walked side by side, each with its own
//! record of what it entered, and the runs' results are merged in commit
//! order, keeping the first placement of each blob at each path: the same
//! result as one walk, for the cost of entering each run's first tree whole.

use super::graph::Graph;
use crate::Problem;
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// One path a blob was found at, with the first commit that put it there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub path: String,
    pub commit: ObjectId,
    /// Author date of that commit, seconds since the epoch.
    pub time: i64,
    pub author: String,
}

#[derive(Default, Debug)]
pub struct Located {
    /// For each wanted blob, every path it appeared at.
    pub places: HashMap<ObjectId, Vec<Placement>>,
    /// Files picked by name (key files), with their blob and first placement.
    pub named: Vec<(ObjectId, Placement)>,
    /// (blob, path) pairs present in HEAD's tree, for wanted and named blobs.
    pub head: HashSet<(ObjectId, String)>,
    /// Wanted blobs that no commit reachable from the roots holds, where
    /// a commit the repository keeps but no branch, tag or other ref reaches
    /// holds them (a rebased branch, a deleted pull-request ref): that
    /// content is still in every copy of the object store.
    pub unreachable: HashMap<ObjectId, Vec<Placement>>,
    /// Commits reachable from the roots.
    pub commits: usize,
    pub problems: Vec<Problem>,
    /// Which pending blobs (by their number) were met in a reachable
    /// commit, at any path.
    pending_reached: Vec<bool>,
}

use super::gaps::{Gap, MAX_MISSING_REPORTED, Missing};

/// The (tree, path) pairs entered: by tree, with the paths it was entered
/// at (almost always one). Looking a pair up builds no string.
type Seen = gix::hashtable::HashMap<ObjectId, Vec<String>>;

/// Records `(tree, path)`; false if it was there already.
fn enter(seen: &mut Seen, tree: ObjectId, path: &str) -> bool {
    let paths = seen.entry(tree).or_default();
    if paths.iter().any(|p| p == path) {
        return false;
    }
    paths.push(path.to_string());
    true
}

/// How a blob is wanted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Want {
    /// At every path.
    Always,
    /// At the paths `pending_at` accepts; each pending blob has a number,
    /// from 0.
    Pending(u32),
}

pub(crate) struct Walk<'g> {
    pub graph: &'g Graph,
    /// The blobs wanted at every path, and those wanted only at the paths
    /// `pending_at` accepts: one lookup per tree entry.
    pub wanted: &'g gix::hashtable::HashMap<ObjectId, Want>,
    pub pending_at: &'g (dyn Fn(&str) -> bool + Sync),
    /// A cheap, necessary condition for `pending_at`, on the file name.
    pub pending_name: &'g (dyn Fn(&[u8]) -> bool + Sync),
    pub by_name: &'g (dyn Fn(&str) -> bool + Sync),
    /// A cheap, necessary condition for `by_name`, on the file name alone.
    pub name_hint: &'g (dyn Fn(&[u8]) -> bool + Sync),
    /// A shallow clone: missing parents are expected, and only a note.
    pub shallow: bool,
    /// A partial clone: missing blobs are expected to be on the remote.
    pub partial: bool,
    /// Commits per run, at least (see [`MIN_RUN`]).
    pub min_run: usize,
}

/// By file name, looked up once per tree entry of the whole history:
/// foldhash (randomly seeded, as SipHash is) rather than SipHash, which
/// cost openeyes' walk more than the lookups' other work.
type Names<V> = HashMap<Vec<u8>, V, foldhash::fast::RandomState>;

/// What one thread's walk needs between trees.
#[derive(Default)]
struct Scratch {
    /// Reads trees back from their packs, one tree at a time.
    reader: super::graph::TreeReader,
    /// `name_hint` and `pending_name` of each file name met so far: a
    /// history holds a few thousand names in millions of tree entries, and
    /// the hint asks every detector (globs among them) each time.
    hints: Names<(bool, bool)>,
    /// `pending_at` of each path met so far.
    pending_paths: HashMap<String, bool, foldhash::fast::RandomState>,
}

/// Paths whose `pending_at` one run keeps: a history of millions of
/// distinct paths of one kind is judged again rather than held.
const MAX_PENDING_PATHS: usize = 1 << 16;

/// Commits per run, at least: a run's first tree is entered whole.
pub(crate) const MIN_RUN: usize = 256;

/// One run's share of the result.
#[derive(Default)]
struct Run {
    located: Located,
    missing: Missing,
}

impl Walk<'_> {
    pub fn run(&self, roots: &[(ObjectId, String)], head: Option<ObjectId>) -> Located {
        let mut out = Located::default();
        let commits = self.reachable(roots, &mut out);
        out.commits = commits.len();
        let runs = (rayon::current_num_threads() * 2)
            .min(commits.len() / self.min_run.max(1))
            .max(1);
        let size = commits.len().div_ceil(runs).max(1);
        let parts: Vec<Run> = commits
            .par_chunks(size)
            .map(|chunk| {
                let mut run = Run::default();
                let mut seen = Seen::default();
                let mut scratch = Scratch::default();
                for id in chunk {
                    let c = &self.graph.commits[id];
                    if enter(&mut seen, c.tree, "") {
                        self.walk_tree(
                            c.tree,
                            *id,
                            &mut seen,
                            &mut run.located,
                            &mut run.missing,
                            &mut scratch,
                            false,
                        );
                    }
                }
                run
            })
            .collect();
        let mut gaps = Vec::new();
        for run in parts {
            merge(&mut out, run.located);
            gaps.extend(run.missing.gaps);
        }
        let mut scratch = Scratch::default();
        if let Some(h) = head.and_then(|h| self.peel(h))
            && let Some(c) = self.graph.commits.get(&h)
        {
            let mut unused = Seen::default();
            let mut missing = Missing::default();
            self.walk_tree(
                c.tree,
                h,
                &mut unused,
                &mut out,
                &mut missing,
                &mut scratch,
                true,
            );
            gaps.extend(missing.gaps);
        }
        out.unreachable = self.unreachable(&commits, &out);
        super::gaps::report(gaps, self.partial, &mut out);
        out
    }

    /// Where the wanted blobs no reachable commit holds are, in the commits
    /// no ref reaches. Those commits' missing objects are not errors: git
    /// may prune unreachable objects at any time.
    fn unreachable(
        &self,
        reached: &[ObjectId],
        out: &Located,
    ) -> HashMap<ObjectId, Vec<Placement>> {
        let unplaced: gix::hashtable::HashMap<ObjectId, Want> = self
            .wanted
            .iter()
            .filter(|(o, w)| {
                !out.places.contains_key(*o)
                    && match w {
                        Want::Always => true,
                        Want::Pending(n) => {
                            !out.pending_reached.get(*n as usize).is_some_and(|r| *r)
                        }
                    }
            })
            .map(|(o, w)| (*o, *w))
            .collect();
        if unplaced.is_empty() {
            return HashMap::new();
        }
        let reached: HashSet<&ObjectId> = reached.iter().collect();
        let mut rest: Vec<ObjectId> = self
            .graph
            .commits
            .keys()
            .filter(|c| !reached.contains(c))
            .copied()
            .collect();
        rest.sort_by_key(|id| (self.graph.commits[id].time, *id));
        let none = |_: &str| false;
        let no_name = |_: &[u8]| false;
        let sub = Walk {
            graph: self.graph,
            wanted: &unplaced,
            pending_at: self.pending_at,
            pending_name: self.pending_name,
            by_name: &none,
            name_hint: &no_name,
            shallow: self.shallow,
            partial: self.partial,
            min_run: self.min_run,
        };
        let mut found = Located::default();
        let mut seen = Seen::default();
        let mut ignored = Missing::default();
        let mut scratch = Scratch::default();
        for id in &rest {
            let c = &self.graph.commits[id];
            if enter(&mut seen, c.tree, "") {
                sub.walk_tree(
                    c.tree,
                    *id,
                    &mut seen,
                    &mut found,
                    &mut ignored,
                    &mut scratch,
                    false,
                );
            }
        }
        found.places
    }

    /// Follows annotated tags to the object they name.
    fn peel(&self, mut id: ObjectId) -> Option<ObjectId> {
        for _ in 0..32 {
            match self.graph.tags.get(&id) {
                Some(t) => id = *t,
                None => return self.graph.commits.contains_key(&id).then_some(id),
            }
        }
        None
    }

    /// Every commit reachable from the roots, oldest first. A root or a
    /// parent that is not in the repository is an error naming it, unless
    /// the clone is shallow.
    fn reachable(&self, roots: &[(ObjectId, String)], out: &mut Located) -> Vec<ObjectId> {
        let mut seen = HashSet::new();
        let mut stack = Vec::new();
        for (root, name) in roots {
            match self.peel(*root) {
                Some(c) => stack.push(c),
                None if self.is_known(root) => {} // a tag of a tree or blob
                None => out.problems.push(Problem::error(
                    name.clone(),
                    format!("points at {root}, which is not in the repository: the history it names was not scanned"),
                )),
            }
        }
        let mut missing_parents = Vec::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for p in &self.graph.commits[&id].parents {
                if self.graph.commits.contains_key(p) {
                    stack.push(*p);
                } else {
                    missing_parents.push((*p, id));
                }
            }
        }
        missing_parents.sort();
        missing_parents.dedup_by(|a, b| a.0 == b.0);
        if self.shallow && !missing_parents.is_empty() {
            out.problems.push(Problem::note(
                "repository",
                format!("{} parent commits are not in this shallow clone: history before them was not scanned", missing_parents.len()),
            ));
        } else {
            for (parent, child) in missing_parents.iter().take(MAX_MISSING_REPORTED) {
                out.problems.push(Problem::error(
                    format!("commit {parent}"),
                    format!("missing from the repository (it is a parent of commit {child}): history before it was not scanned"),
                ));
            }
            if missing_parents.len() > MAX_MISSING_REPORTED {
                out.problems.push(Problem::error(
                    "repository",
                    format!(
                        "{} more missing commits not listed",
                        missing_parents.len() - MAX_MISSING_REPORTED
                    ),
                ));
            }
        }
        let mut order: Vec<ObjectId> = seen.into_iter().collect();
        order.sort_by_key(|id| (self.graph.commits[id].time, *id));
        order
    }

    /// Whether the repository holds `id`, of any kind.
    fn is_known(&self, id: &ObjectId) -> bool {
        self.graph.commits.contains_key(id)
            || self.graph.trees.contains_key(id)
            || self.graph.tags.contains_key(id)
            || self.graph.blobs.contains(id)
    }

    /// `name_hint(name)` and `pending_name(name)`, asked once per name.
    fn hinted(&self, hints: &mut Names<(bool, bool)>, name: &[u8]) -> (bool, bool) {
        if let Some(&h) = hints.get(name) {
            return h;
        }
        let h = ((self.name_hint)(name), (self.pending_name)(name));
        hints.insert(name.to_vec(), h);
        h
    }

    // The run's record of what it entered, its result and its gaps are
    // each borrowed apart from the thread's scratch.
    #[allow(clippy::too_many_arguments)]
    fn walk_tree(
        &self,
        root: ObjectId,
        commit: ObjectId,
        seen: &mut Seen,
        out: &mut Located,
        missing: &mut Missing,
        sc: &mut Scratch,
        at_head: bool,
    ) {
        let info = &self.graph.commits[&commit];
        let Scratch {
            reader,
            hints,
            pending_paths,
        } = sc;
        let mut stack = vec![(root, String::new())];
        let mut scratch = String::new();
        while let Some((tree, prefix)) = stack.pop() {
            let data = match self.graph.tree(&tree, reader) {
                Some(Ok(data)) => data,
                Some(Err(why)) => {
                    missing.gaps.push(Gap::Unreadable {
                        tree,
                        prefix,
                        problem: Problem::error(format!("tree {tree}"), why),
                    });
                    continue;
                }
                None => {
                    missing.gaps.push(Gap::Tree {
                        tree,
                        prefix,
                        commit,
                    });
                    continue;
                }
            };
            for entry in gix::objs::TreeRefIter::from_bytes(data, self.graph.hash) {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        missing.gaps.push(Gap::Unreadable {
                            tree,
                            prefix: prefix.clone(),
                            problem: Problem::error(
                                format!("tree {tree}"),
                                format!("does not parse: {e}"),
                            ),
                        });
                        break;
                    }
                };
                let oid = entry.oid.to_owned();
                let is_tree = entry.mode.is_tree();
                if !is_tree && !entry.mode.is_blob() {
                    continue; // symbolic links and submodules
                }
                if !is_tree && !at_head && !self.graph.blobs.contains(&oid) {
                    missing.blob(oid, &prefix, entry.filename, commit);
                    continue;
                }
                let want = if is_tree {
                    None
                } else {
                    self.wanted.get(&oid).copied()
                };
                let (hinted, pending_name) = if is_tree {
                    (false, false)
                } else {
                    self.hinted(hints, entry.filename)
                };
                let wanted = want == Some(Want::Always);
                let pending = match want {
                    Some(Want::Pending(n)) => {
                        if !at_head {
                            let n = n as usize;
                            if out.pending_reached.len() <= n {
                                out.pending_reached.resize(n + 1, false);
                            }
                            out.pending_reached[n] = true;
                        }
                        pending_name
                    }
                    _ => false,
                };
                if !is_tree && !wanted && !pending && !hinted {
                    continue;
                }
                scratch.clear();
                scratch.push_str(&prefix);
                if !prefix.is_empty() {
                    scratch.push('/');
                }
                match std::str::from_utf8(entry.filename) {
                    Ok(name) => scratch.push_str(name),
                    Err(_) => scratch.push_str(&String::from_utf8_lossy(entry.filename)),
                }
                if is_tree {
                    if at_head || enter(seen, oid, &scratch) {
                        stack.push((oid, scratch.clone()));
                    }
                    continue;
                }
                let path = scratch.clone();
                let wanted = wanted
                    || pending && {
                        match pending_paths.get(&path) {
                            Some(&at) => at,
                            None => {
                                let at = (self.pending_at)(&path);
                                if pending_paths.len() < MAX_PENDING_PATHS {
                                    pending_paths.insert(path.clone(), at);
                                }
                                at
                            }
                        }
                    };
                let named = hinted && (self.by_name)(&path);
                if at_head {
                    if wanted || named {
                        out.head.insert((oid, path));
                    }
                    continue;
                }
                let place = || Placement {
                    path: path.clone(),
                    commit,
                    time: info.time,
                    author: info.author.clone(),
                };
                if wanted {
                    let places = out.places.entry(oid).or_default();
                    if !places.iter().any(|p| p.path == path) {
                        places.push(place());
                    }
                }
                if named && !out.named.iter().any(|(o, p)| *o == oid && p.path == path) {
                    out.named.push((oid, place()));
                }
            }
        }
    }
}

/// Adds a later run's placements to `out`: a blob's paths keep the first
/// commit that put them there, and a named file its first placement.
fn merge(out: &mut Located, run: Located) {
    if out.pending_reached.len() < run.pending_reached.len() {
        out.pending_reached.resize(run.pending_reached.len(), false);
    }
    for (into, r) in out.pending_reached.iter_mut().zip(run.pending_reached) {
        *into |= r;
    }
    for (oid, places) in run.places {
        let into = out.places.entry(oid).or_default();
        for pl in places {
            if !into.iter().any(|p| p.path == pl.path) {
                into.push(pl);
            }
        }
    }
    for (oid, pl) in run.named {
        if !out
            .named
            .iter()
            .any(|(o, p)| *o == oid && p.path == pl.path)
        {
            out.named.push((oid, pl));
        }
    }
}
