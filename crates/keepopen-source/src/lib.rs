//! Sources of content. Each source hands every unique piece of content to a
//! visitor exactly once, possibly from many threads: the working tree file
//! by file, git history blob by blob (keyed by object id, however many
//! commits and paths hold the blob). Problems with one file or object are
//! reported with its name and the source goes on.

pub mod git;
pub mod limit;
mod progress;
pub mod walk;
pub mod worktree;

pub use keepopen_findings::{Level, Problem};
pub use progress::{Phase, Progress};

use keepopen_content::Content;

/// Runs `f` in a pool of `threads` threads (0: one per core), so that the
/// rayon work inside it stays on them; when no pool can be made, on the
/// threads rayon has.
pub fn on_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

/// What identifies a piece of content within its source.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A working-tree file, by repository-relative path.
    Path(String),
    /// A git blob, by object id.
    Blob(gix::ObjectId),
}

/// One piece of content as a source hands it over.
pub struct Item<'a> {
    pub key: Key,
    pub content: Content<'a>,
}

/// A source of content.
pub trait Source: Sync {
    /// Hands every unique piece of content to `visit`. Returns the problems
    /// met on the way; none of them stops the source.
    fn for_each(&self, visit: &(dyn Fn(Item<'_>) + Sync), progress: &Progress) -> Vec<Problem>;
}
