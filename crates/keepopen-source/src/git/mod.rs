//! Git history as a source: every blob in the object database, scanned once
//! by object id; then, for the blobs that matter, the paths and first
//! commits that hold them, and whether they are still at HEAD.

pub mod activity;
mod changes;
mod delta;
mod gaps;
pub use gaps::names_a_blob;
mod graph;
pub mod head;
mod identity;
mod loose;
mod objects;
mod sizes;
mod state;
mod tree_cache;
mod walk;

pub use changes::{Change, Changes, Introduced, Reader, range, staged};
pub use graph::{CommitInfo, Graph};
pub use identity::{identity, pull_refs_note, without_credentials};
pub use state::state;
pub use walk::{Located, Placement};

use crate::{Item, Problem, Progress, Source};
use gix::ObjectId;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct History {
    repo: gix::ThreadSafeRepository,
    threads: usize,
    max_blob_size: u64,
    graph: Mutex<Graph>,
    /// Commits per run of the history walk, at least.
    min_run: usize,
}

impl History {
    /// Opens the repository whose work tree or git directory is `path`.
    /// Repository configuration is not trusted: nothing in it runs.
    pub fn open(path: &Path) -> Result<Self, Problem> {
        let repo = match gix::open_opts(path, gix::open::Options::isolated()) {
            Ok(repo) => repo,
            // gix refuses alternates that form a cycle, which git tolerates:
            // opened without listing them, each folder is then read once.
            Err(e) if chain(&e).contains("Alternates form a cycle") => gix::open_opts(
                path,
                gix::open::Options::isolated()
                    .object_store_slots(gix::odb::store::init::Slots::Given(1024)),
            )
            .map_err(|e| unopenable(path, &e))?,
            Err(e) => return Err(unopenable(path, &e)),
        };
        Ok(History {
            repo: repo.into_sync(),
            threads: 0,
            max_blob_size: crate::limit::DEFAULT_MAX_BLOB_SIZE,
            graph: Mutex::new(Graph::default()),
            min_run: walk::MIN_RUN,
        })
    }

    /// Walks history in runs of at least `n` commits (tests cut small
    /// histories into several runs).
    #[cfg(test)]
    pub(crate) fn min_run(mut self, n: usize) -> Self {
        self.min_run = n;
        self
    }

    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Objects bigger than `bytes` are named and left out.
    pub fn max_blob_size(mut self, bytes: u64) -> Self {
        self.max_blob_size = bytes;
        self
    }

    /// The work tree, for a repository that has one.
    pub fn workdir(&self) -> Option<PathBuf> {
        self.repo.to_thread_local().workdir().map(Path::to_path_buf)
    }

    /// Every ref's target (branches, tags, remotes, stash, notes), every
    /// stash in the stash log, and HEAD, each with the name it goes by.
    pub fn roots(&self) -> (Vec<(ObjectId, String)>, Option<ObjectId>, Vec<Problem>) {
        let repo = self.repo.to_thread_local();
        let mut roots = Vec::new();
        let mut problems = Vec::new();
        match repo.references() {
            Ok(platform) => match platform.all() {
                Ok(iter) => {
                    for r in iter {
                        match r {
                            Ok(r) => {
                                if let gix::refs::TargetRef::Object(id) = r.target() {
                                    roots.push((id.to_owned(), r.name().as_bstr().to_string()));
                                }
                            }
                            Err(e) => problems.push(Problem::error(
                                "refs",
                                format!("a reference cannot be read: {e}"),
                            )),
                        }
                    }
                }
                Err(e) => problems.push(Problem::error(
                    "refs",
                    format!("cannot list references: {e}"),
                )),
            },
            Err(e) => problems.push(Problem::error(
                "refs",
                format!("cannot list references: {e}"),
            )),
        }
        roots.extend(
            stash_log(repo.common_dir())
                .into_iter()
                .rev()
                .enumerate()
                .map(|(i, id)| (id, format!("stash@{{{i}}}"))),
        );
        let head = repo.head_id().ok().map(|id| id.detach());
        roots.extend(head.map(|h| (h, "HEAD".to_string())));
        roots.sort();
        roots.dedup_by(|a, b| a.0 == b.0);
        (roots, head, problems)
    }

    /// Paths and first commits of the `wanted` blobs, and of files whose
    /// path satisfies `by_name`. Call after [`Source::for_each`].
    pub fn locate(
        &self,
        wanted: &HashSet<ObjectId>,
        by_name: &(dyn Fn(&str) -> bool + Sync),
        name_hint: &(dyn Fn(&[u8]) -> bool + Sync),
    ) -> Located {
        let none = Pending {
            blobs: &HashSet::new(),
            at: &|_| false,
            name: &|_| false,
        };
        self.locate_pending(wanted, &none, by_name, name_hint)
    }

    /// [`History::locate`], and the pending blobs too, but only at the
    /// paths they are wanted at. A pending blob no reachable commit holds
    /// at any path is looked for where an unreachable commit holds it.
    pub fn locate_pending(
        &self,
        wanted: &HashSet<ObjectId>,
        pending: &Pending<'_>,
        by_name: &(dyn Fn(&str) -> bool + Sync),
        name_hint: &(dyn Fn(&[u8]) -> bool + Sync),
    ) -> Located {
        let (roots, head, mut problems) = self.roots();
        let repo = self.repo.to_thread_local();
        let graph = self.graph.lock().unwrap_or_else(|e| e.into_inner());
        // Looked up once per tree entry of the whole history.
        let wanted: gix::hashtable::HashMap<ObjectId, walk::Want> = pending
            .blobs
            .iter()
            .enumerate()
            .map(|(n, o)| (*o, walk::Want::Pending(n as u32)))
            .chain(wanted.iter().map(|o| (*o, walk::Want::Always)))
            .collect();
        let mut located = walk::Walk {
            graph: &graph,
            wanted: &wanted,
            pending_at: pending.at,
            pending_name: pending.name,
            by_name,
            name_hint,
            shallow: repo.is_shallow().unwrap_or(false),
            partial: is_partial_clone(&repo),
            min_run: self.min_run,
        }
        .run(&roots, head);
        problems.append(&mut located.problems);
        located.problems = problems;
        located
    }

    /// Reads each of `ids` again (after [`Source::for_each`]) on the
    /// scan's threads, in no set order, and hands its bytes to `visit`.
    /// Returns the ids that could not be read, each with why.
    pub fn reread(
        &self,
        ids: &[ObjectId],
        visit: &(dyn Fn(ObjectId, &[u8]) + Sync),
    ) -> Vec<(ObjectId, String)> {
        use rayon::prelude::*;
        let failed = Mutex::new(Vec::new());
        crate::on_threads(self.threads, || {
            ids.par_iter().for_each_init(
                || self.repo.to_thread_local(),
                |repo, id| {
                    let why = match repo.try_find_object(*id) {
                        Ok(Some(obj)) => return visit(*id, &obj.data),
                        Ok(None) => "missing".to_string(),
                        Err(e) => e.to_string(),
                    };
                    failed
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((*id, why));
                },
            )
        });
        failed.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// A folder that holds no repository is scanned as files, with a note; a
/// repository that git would know but that cannot be opened is an error,
/// because its whole history goes unread.
fn unopenable(path: &Path, e: &dyn std::error::Error) -> Problem {
    let git_dir = if path.join(".git").exists() {
        Some(path.join(".git"))
    } else if path.join("HEAD").is_file() && path.join("objects").exists() {
        Some(path.to_path_buf())
    } else {
        None
    };
    let subject = path.display().to_string();
    let cause = chain(e);
    let Some(git_dir) = git_dir else {
        return Problem::note(
            subject,
            format!("not a git repository ({e}): history not scanned"),
        );
    };
    let config = std::fs::read_to_string(git_dir.join("config")).unwrap_or_default();
    let why = if config.to_ascii_lowercase().contains("sha256") {
        "a SHA-256 repository, which keepopen cannot read yet".to_string()
    } else {
        cause
    };
    Problem::error(
        subject,
        format!("git repository whose history cannot be read ({why}): history not scanned"),
    )
}

/// A partial clone (`git clone --filter=...`) leaves blobs on its promisor
/// remote until they are needed: git marks it in the configuration and
/// beside the packs it fetched.
fn is_partial_clone(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    if config.string("extensions.partialClone").is_some() {
        return true;
    }
    let packs = repo.objects.store_ref().path().join("pack");
    std::fs::read_dir(packs).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "promisor"))
    })
}

/// An error and its causes, as one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Older stashes live only in the stash reflog.
fn stash_log(git_dir: &Path) -> Vec<ObjectId> {
    let Ok(text) = std::fs::read_to_string(git_dir.join("logs/refs/stash")) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| l.split(' ').nth(1))
        .filter_map(|hex| ObjectId::from_hex(hex.as_bytes()).ok())
        .collect()
}

impl Source for History {
    fn for_each(&self, visit: &(dyn Fn(Item<'_>) + Sync), progress: &Progress) -> Vec<Problem> {
        let repo = self.repo.to_thread_local();
        let mut problems = Vec::new();
        if repo.is_shallow().unwrap_or(false) {
            problems.push(Problem::note(
                repo.git_dir().display().to_string(),
                "shallow clone: only the history it holds is scanned",
            ));
        }
        self.graph.lock().unwrap_or_else(|e| e.into_inner()).hash = repo.object_hash();
        let objects_dir = repo.objects.store_ref().path().to_path_buf();
        let reader = objects::Objects {
            repo: &repo,
            threads: self.threads,
            max_blob_size: self.max_blob_size,
        };
        problems.extend(reader.read_all(&objects_dir, visit, progress, &self.graph));
        problems
    }
}

/// Blobs wanted only at some paths (they may hold matches of rules that
/// apply there only): [`History::locate_pending`].
pub struct Pending<'a> {
    pub blobs: &'a HashSet<ObjectId>,
    /// Whether a blob at this path is wanted.
    pub at: &'a (dyn Fn(&str) -> bool + Sync),
    /// A cheap, necessary condition for `at`, on the file name alone.
    pub name: &'a (dyn Fn(&[u8]) -> bool + Sync),
}

/// Object ids, for callers that do not depend on gix directly.
pub use gix::ObjectId as Oid;

#[cfg(test)]
mod walk_tests;

/// Runs git in `dir` with a fixed identity, for the tests of this module.
#[cfg(test)]
pub(crate) fn test_git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(ok.success(), "git {args:?}");
}
