//! What a change adds, for scanning it before it lands: the blobs staged
//! in the index (a pre-commit hook), or the blobs the commits of a range
//! introduce (a pull request in CI), each with its path, the version it
//! replaced there, and the commit that brought it.
//!
//! Trees are compared entry by entry here rather than with gix's tree diff:
//! only added and changed blobs matter (no rename tracking, no patches),
//! and an explicit stack keeps a hostile tree's depth off the call stack.
//! Repository configuration is not trusted: nothing in it runs.

use crate::Problem;
use gix::ObjectId;
use gix::bstr::ByteSlice;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Deeper trees than this are not followed (git's own `core.maxTreeDepth`
/// default is 4096; nothing real comes near it).
const MAX_TREE_DEPTH: usize = 4096;

/// One blob a change adds at one path.
#[derive(Clone, Debug)]
pub struct Change {
    pub path: String,
    pub blob: ObjectId,
    /// The blob it replaced at this path (or, for a file moved unchanged,
    /// at its old path); `None` for a new file.
    pub before: Option<ObjectId>,
    /// The oldest commit of the range that brought it; `None` when staged.
    pub commit: Option<Introduced>,
    /// Whether the blob is at this path in the range's tip (always, when
    /// staged): the file as it will stand, which the detectors of current
    /// files read.
    pub at_tip: bool,
}

#[derive(Clone, Debug)]
pub struct Introduced {
    pub id: ObjectId,
    /// Author date, seconds since the epoch.
    pub time: i64,
    pub author: String,
}

/// The blobs a change adds, and what could not be read on the way.
pub struct Changes {
    repo: gix::ThreadSafeRepository,
    pub changes: Vec<Change>,
    /// Commits in the range (0 when staged).
    pub commits: usize,
    pub problems: Vec<Problem>,
}

/// Reads blobs of the repository the changes come from, one per thread.
pub struct Reader(gix::Repository);

impl Reader {
    /// The blob's bytes, or why they cannot be read; bigger than
    /// `max_bytes` is refused before it is inflated where the header says so.
    pub fn read(&self, id: &ObjectId, max_bytes: u64) -> Result<Vec<u8>, String> {
        if let Ok(h) = self.0.find_header(*id)
            && h.size() > max_bytes
        {
            return Err(format!("{} bytes, over the size limit", h.size()));
        }
        match self.0.find_object(*id) {
            Ok(o) => Ok(o.detach().data),
            Err(e) => Err(format!("object {id} cannot be read: {e}")),
        }
    }
}

impl Changes {
    pub fn reader(&self) -> Reader {
        Reader(self.repo.to_thread_local())
    }
}

fn open(path: &Path, why: &str) -> Result<gix::Repository, Problem> {
    gix::open_opts(path, gix::open::Options::isolated()).map_err(|e| {
        Problem::error(
            path.display().to_string(),
            format!("not a git repository ({e}): {why}"),
        )
    })
}

/// What is staged in the index of the repository at `path`: every file
/// whose staged blob differs from HEAD's (HEAD unborn: every staged
/// file). Unstaged edits and untracked files are not read; nor are
/// conflicted entries (said), links or submodules.
pub fn staged(path: &Path) -> Result<Changes, Problem> {
    let subject = path.display().to_string();
    let repo = open(path, "--staged reads a repository's index")?;
    if repo.workdir().is_none() {
        return Err(Problem::error(
            subject,
            "a bare repository has no index: --staged needs a checkout",
        ));
    }
    let index = repo
        .index_or_empty()
        .map_err(|e| Problem::error(subject.clone(), format!("the index cannot be read: {e}")))?;
    let mut problems = Vec::new();
    let head_tree = match repo.head_tree_id_or_empty() {
        Ok(tree) => tree.detach(),
        Err(e) => {
            return Err(Problem::error(
                subject,
                format!("HEAD's tree cannot be read: {e}"),
            ));
        }
    };
    let same = index
        .tree()
        .map(|cache| same_as_head(&repo, cache, head_tree))
        .unwrap_or_default();
    let head: HashMap<Vec<u8>, ObjectId> = blobs_of(&repo, head_tree, &same, &mut problems);
    let mut changes = Vec::new();
    let mut conflicted = HashSet::new();
    for entry in index.entries() {
        let path = entry.path(&index);
        if under(&same, path.as_bytes()) {
            continue;
        }
        if entry.stage_raw() != 0 {
            conflicted.insert(path.to_owned());
            continue;
        }
        use gix::index::entry::{Flags, Mode};
        if entry.flags.contains(Flags::INTENT_TO_ADD)
            || !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE)
        {
            continue;
        }
        let before = head.get(path.as_bytes()).copied();
        if before == Some(entry.id) {
            continue;
        }
        changes.push(Change {
            path: path.to_str_lossy().into_owned(),
            blob: entry.id,
            before,
            commit: None,
            at_tip: true,
        });
    }
    // A file moved unchanged replaces the content it had at its old path.
    let staged_paths: HashSet<&[u8]> = index
        .entries()
        .iter()
        .map(|e| e.path(&index).as_bytes())
        .filter(|p| !under(&same, p))
        .collect();
    let removed: HashSet<ObjectId> = head
        .iter()
        .filter(|(p, _)| !staged_paths.contains(p.as_slice()))
        .map(|(_, id)| *id)
        .collect();
    for c in changes.iter_mut().filter(|c| c.before.is_none()) {
        if removed.contains(&c.blob) {
            c.before = Some(c.blob);
        }
    }
    let mut conflicted: Vec<_> = conflicted.into_iter().collect();
    conflicted.sort();
    problems.extend(conflicted.into_iter().map(|p| {
        Problem::note(
            p.to_str_lossy().into_owned(),
            "unmerged (a conflict not yet resolved): not scanned until it is staged resolved",
        )
    }));
    Ok(Changes {
        repo: repo.into_sync(),
        changes,
        commits: 0,
        problems,
    })
}

/// A revision the user named, as a commit.
fn commit_of(repo: &gix::Repository, spec: &str) -> Result<ObjectId, String> {
    let id = repo
        .rev_parse_single(spec.as_bytes().as_bstr())
        .map_err(|e| e.to_string())?;
    let commit = id
        .object()
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| format!("not a commit: {e}"))?;
    Ok(commit.id)
}

/// The blobs that the commits reachable from `tip` (default HEAD) and not
/// from `base` introduce, each attributed to the oldest such commit. A
/// base this shallow clone does not hold is said, and every commit it
/// holds up to the tip is the range.
pub fn range(path: &Path, base: &str, tip: Option<&str>) -> Result<Changes, Problem> {
    let repo = open(path, "--since and --range read a repository's history")?;
    let shallow = repo.is_shallow().unwrap_or(false);
    let tip_spec = tip.unwrap_or("HEAD");
    let tip_id = commit_of(&repo, tip_spec).map_err(|e| {
        Problem::error(
            format!("revision {tip_spec}"),
            format!("no such branch, tag or commit in {} ({e})", path.display()),
        )
    })?;
    let mut problems = Vec::new();
    let base_id = match commit_of(&repo, base) {
        Ok(id) => Some(id),
        Err(e) if shallow => {
            problems.push(Problem::note(
                format!("revision {base}"),
                format!(
                    "not in this shallow clone ({e}): every commit it holds up to {tip_spec} is scanned \
                     (fetch more history, e.g. `git fetch --deepen` or `fetch-depth: 0`, to scan the range alone)"
                ),
            ));
            None
        }
        Err(e) => {
            return Err(Problem::error(
                format!("revision {base}"),
                format!(
                    "no such branch, tag or commit in {} ({e}): nothing scanned",
                    path.display()
                ),
            ));
        }
    };
    let walk = repo
        .rev_walk([tip_id])
        .with_hidden(base_id)
        .all()
        .map_err(|e| Problem::error(format!("revision {tip_spec}"), format!("cannot walk: {e}")))?;
    let mut commits = Vec::new();
    for info in walk {
        match info {
            Ok(info) => commits.push(info.id),
            Err(e) => {
                problems.push(Problem::error(
                    format!("range {base}..{tip_spec}"),
                    format!("history cannot be walked further: {e}"),
                ));
                break;
            }
        }
    }
    // Newest first from the walk: oldest first here, so that each blob is
    // attributed to the first commit that brought it.
    commits.reverse();
    let tip_tree = repo.find_commit(tip_id).and_then(|c| c.tree()).ok();
    let mut seen: HashSet<(String, ObjectId)> = HashSet::new();
    let mut changes = Vec::new();
    for id in &commits {
        let Some((introduced, added)) = introduced_by(&repo, *id, &mut problems) else {
            continue;
        };
        for (path, blob, before) in added {
            if !seen.insert((path.clone(), blob)) {
                continue;
            }
            let at_tip = tip_tree.as_ref().is_some_and(|t| {
                t.lookup_entry_by_path(&path)
                    .ok()
                    .flatten()
                    .is_some_and(|e| e.object_id() == blob)
            });
            changes.push(Change {
                path,
                blob,
                before,
                commit: Some(introduced.clone()),
                at_tip,
            });
        }
    }
    drop(tip_tree);
    Ok(Changes {
        repo: repo.into_sync(),
        changes,
        commits: commits.len(),
        problems,
    })
}

/// A blob added at a path, with the blob it replaced.
type Added = (String, ObjectId, Option<ObjectId>);

/// What one commit introduces against its parents: for a merge, only what
/// none of its parents already had at that path.
fn introduced_by(
    repo: &gix::Repository,
    id: ObjectId,
    problems: &mut Vec<Problem>,
) -> Option<(Introduced, Vec<Added>)> {
    let short = id.to_hex_with_len(10).to_string();
    let commit = match repo.find_commit(id) {
        Ok(c) => c,
        Err(e) => {
            problems.push(Problem::error(
                format!("commit {short}"),
                format!("cannot be read: {e}"),
            ));
            return None;
        }
    };
    let decoded = match commit.decode() {
        Ok(d) => d,
        Err(e) => {
            problems.push(Problem::error(
                format!("commit {short}"),
                format!("does not parse: {e}"),
            ));
            return None;
        }
    };
    let (time, author) = match decoded.author() {
        Ok(a) => (a.seconds(), a.name.to_str_lossy().into_owned()),
        Err(_) => (0, String::new()),
    };
    let tree = decoded.tree();
    let parents: Vec<ObjectId> = decoded.parents().collect();
    // A parent this clone does not hold (a shallow boundary) counts as
    // empty: everything in the commit is then new here.
    let parent_trees: Vec<Option<ObjectId>> = if parents.is_empty() {
        vec![None]
    } else {
        parents
            .iter()
            .map(|p| repo.find_commit(*p).ok().and_then(|c| c.tree_id().ok()))
            .map(|t| t.map(|t| t.detach()))
            .collect()
    };
    let mut per_parent: Vec<Vec<Added>> = Vec::new();
    for parent in &parent_trees {
        let mut out = Diff::default();
        diff_trees(repo, *parent, tree, &mut out, problems, &short);
        per_parent.push(out.finish());
    }
    let mut added = per_parent.swap_remove(0);
    for other in &per_parent {
        let theirs: HashSet<(&str, ObjectId)> =
            other.iter().map(|(p, b, _)| (p.as_str(), *b)).collect();
        added.retain(|(p, b, _)| theirs.contains(&(p.as_str(), *b)));
    }
    Some((Introduced { id, time, author }, added))
}

/// Added and removed blobs between two trees.
#[derive(Default)]
struct Diff {
    added: Vec<Added>,
    removed: HashSet<ObjectId>,
}

impl Diff {
    /// The added blobs; one added at a new path with exactly the content
    /// removed elsewhere (a move) replaces that content.
    fn finish(mut self) -> Vec<Added> {
        for (_, blob, before) in &mut self.added {
            if before.is_none() && self.removed.contains(blob) {
                *before = Some(*blob);
            }
        }
        self.added
    }
}

/// Entries of a decoded tree: name, mode, id.
fn entries(
    repo: &gix::Repository,
    id: Option<ObjectId>,
) -> Result<Vec<(Vec<u8>, gix::objs::tree::EntryMode, ObjectId)>, String> {
    let Some(id) = id else {
        return Ok(Vec::new());
    };
    let tree = repo.find_tree(id).map_err(|e| e.to_string())?;
    let decoded = tree.decode().map_err(|e| e.to_string())?;
    Ok(decoded
        .entries
        .iter()
        .map(|e| (e.filename.to_vec(), e.mode, e.oid.to_owned()))
        .collect())
}

/// A folder to compare: its path, its tree before and after (none where
/// it is absent), and its depth.
type TreePair = (Vec<u8>, Option<ObjectId>, Option<ObjectId>, usize);

/// Compares `old` (absent: empty) with `new`, recording the blobs added
/// or changed, and removed.
fn diff_trees(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: ObjectId,
    out: &mut Diff,
    problems: &mut Vec<Problem>,
    commit: &str,
) {
    let mut stack: Vec<TreePair> = vec![(Vec::new(), old, Some(new), 0)];
    while let Some((prefix, old, new, depth)) = stack.pop() {
        if old == new {
            continue;
        }
        let shown = || {
            if prefix.is_empty() {
                format!("commit {commit}")
            } else {
                format!("{} (in commit {commit})", prefix.to_str_lossy())
            }
        };
        if depth > MAX_TREE_DEPTH {
            problems.push(Problem::error(
                shown(),
                format!("trees nested deeper than {MAX_TREE_DEPTH}: not followed"),
            ));
            continue;
        }
        let (olds, news) = match (entries(repo, old), entries(repo, new)) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(e), _) | (_, Err(e)) => {
                problems.push(Problem::error(shown(), format!("tree cannot be read: {e}")));
                continue;
            }
        };
        let join = |name: &[u8]| {
            let mut p = prefix.clone();
            if !p.is_empty() {
                p.push(b'/');
            }
            p.extend_from_slice(name);
            p
        };
        let before: HashMap<&[u8], (gix::objs::tree::EntryMode, ObjectId)> = olds
            .iter()
            .map(|(n, m, id)| (n.as_slice(), (*m, *id)))
            .collect();
        let now: HashSet<&[u8]> = news.iter().map(|(n, _, _)| n.as_slice()).collect();
        for (name, mode, id) in &news {
            let was = before.get(name.as_slice());
            if mode.is_tree() {
                let old_tree = was.filter(|(m, _)| m.is_tree()).map(|(_, id)| *id);
                stack.push((join(name), old_tree, Some(*id), depth + 1));
            } else if mode.is_blob() && !mode.is_link() {
                let old_blob = was.filter(|(m, _)| m.is_blob()).map(|(_, id)| *id);
                if old_blob != Some(*id) {
                    out.added
                        .push((join(name).to_str_lossy().into_owned(), *id, old_blob));
                }
            }
        }
        for (name, mode, id) in &olds {
            if mode.is_blob() && !now.contains(name.as_slice()) {
                out.removed.insert(*id);
            } else if mode.is_tree() && !now.contains(name.as_slice()) {
                // A folder removed whole: what moved out of it may have
                // moved elsewhere.
                stack.push((join(name), Some(*id), None, depth + 1));
            }
        }
    }
}

/// Every blob in a tree, by path.
/// The folders (`""` for the whole tree) whose staged content is HEAD's,
/// from the index's cache tree (git's TREE extension): a folder whose
/// cached tree is valid and is HEAD's tree there holds no staged change.
/// `git add` invalidates the cache of each folder above what it stages, so
/// a change to a few files reads a few folders of HEAD's tree, not all of
/// it (openeyes' 10,000 files). Without a cache tree, none: every entry is
/// compared.
fn same_as_head(
    repo: &gix::Repository,
    cache: &gix::index::extension::Tree,
    head: ObjectId,
) -> HashSet<Vec<u8>> {
    let mut same = HashSet::new();
    let mut stack: Vec<(&gix::index::extension::Tree, ObjectId, Vec<u8>, usize)> =
        vec![(cache, head, Vec::new(), 0)];
    while let Some((node, head, prefix, depth)) = stack.pop() {
        if node.num_entries.is_some() && node.id == head {
            same.insert(prefix);
            continue;
        }
        if depth > MAX_TREE_DEPTH || node.children.is_empty() {
            continue;
        }
        // A tree that cannot be read: its folders are compared entry by
        // entry, and blobs_of names the problem.
        let Ok(list) = entries(repo, Some(head)) else {
            continue;
        };
        for child in &node.children {
            let Some((_, _, id)) = list
                .iter()
                .find(|(name, mode, _)| mode.is_tree() && name[..] == child.name[..])
            else {
                continue;
            };
            let mut p = prefix.clone();
            if !p.is_empty() {
                p.push(b'/');
            }
            p.extend_from_slice(&child.name);
            stack.push((child, *id, p, depth + 1));
        }
    }
    same
}

/// Whether `path` is in one of the folders `same` holds.
fn under(same: &HashSet<Vec<u8>>, path: &[u8]) -> bool {
    if same.is_empty() {
        return false;
    }
    if same.contains(&b""[..]) {
        return true;
    }
    path.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'/')
        .any(|(i, _)| same.contains(&path[..i]))
}

/// HEAD's blobs by path, less those in the folders `skip` holds.
fn blobs_of(
    repo: &gix::Repository,
    tree: ObjectId,
    skip: &HashSet<Vec<u8>>,
    problems: &mut Vec<Problem>,
) -> HashMap<Vec<u8>, ObjectId> {
    let mut out = HashMap::new();
    let mut stack: Vec<(Vec<u8>, ObjectId, usize)> = vec![(Vec::new(), tree, 0)];
    while let Some((prefix, id, depth)) = stack.pop() {
        if depth > MAX_TREE_DEPTH || skip.contains(&prefix) {
            continue;
        }
        match entries(repo, Some(id)) {
            Ok(list) => {
                for (name, mode, oid) in list {
                    let mut p = prefix.clone();
                    if !p.is_empty() {
                        p.push(b'/');
                    }
                    p.extend_from_slice(&name);
                    if mode.is_tree() {
                        stack.push((p, oid, depth + 1));
                    } else if mode.is_blob() {
                        out.insert(p, oid);
                    }
                }
            }
            Err(e) => problems.push(Problem::error(
                format!("HEAD's tree {id}"),
                format!("cannot be read: {e}"),
            )),
        }
    }
    out
}
