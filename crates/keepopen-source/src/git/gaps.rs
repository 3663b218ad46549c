//! What history references and the repository cannot give: missing trees
//! and blobs, trees that cannot be read. Each walk records them in the
//! order it meets them; they are reported once each, the first few by
//! name and the rest counted.

use super::walk::Located;
use crate::Problem;
use gix::ObjectId;
use std::collections::HashSet;

/// Missing trees and commits are named one by one up to here.
pub(crate) const MAX_MISSING_REPORTED: usize = 20;

/// Missing blobs are named one by one up to here (a mirror missing a few
/// dozen versions of a file names each); a blobless clone is counted.
const MAX_MISSING_BLOBS_NAMED: usize = 100;

/// Something history references that cannot be read, in the order met;
/// the same one met by two runs is reported once.
pub(crate) enum Gap {
    /// A tree the repository does not hold, at a path of a commit.
    Tree {
        tree: ObjectId,
        prefix: String,
        commit: ObjectId,
    },
    /// A blob the repository does not hold, at a path of a commit.
    Blob { oid: ObjectId, problem: Problem },
    /// A tree that cannot be read or parsed, at a path.
    Unreadable {
        tree: ObjectId,
        prefix: String,
        problem: Problem,
    },
}

/// The gaps one walk met.
#[derive(Default)]
pub(crate) struct Missing {
    /// Blobs already recorded by this walk.
    blobs: HashSet<ObjectId>,
    pub gaps: Vec<Gap>,
}

impl Missing {
    /// Names a blob history references and the repository does not hold,
    /// with a path and commit that reference it (the first hundred; the
    /// rest are counted).
    pub fn blob(&mut self, oid: ObjectId, prefix: &str, name: &[u8], commit: ObjectId) {
        if !self.blobs.insert(oid) {
            return;
        }
        let name = String::from_utf8_lossy(name);
        let path = if prefix.is_empty() {
            name.into_owned()
        } else {
            format!("{prefix}/{name}")
        };
        self.gaps.push(Gap::Blob {
            oid,
            problem: missing_blob(oid, &format!("`{path}` in commit {commit}")),
        });
    }
}

/// A blob the repository does not hold, at `place` (`` `path` in commit
/// X``, `` `path` at HEAD``): named the same wherever it is met, so that
/// [`names_a_blob`] can report it once.
pub(crate) fn missing_blob(oid: ObjectId, place: &str) -> Problem {
    Problem::error(
        format!("blob {oid}"),
        format!("missing from the repository (it is {place}): its content was not scanned"),
    )
}

/// Whether `p` is about one blob (by [`missing_blob`]'s subject): two such
/// problems with the same subject are the same blob met twice.
pub fn names_a_blob(p: &Problem) -> bool {
    p.subject.starts_with("blob ")
}

/// The gaps as problems, each once, in the order met: the first of
/// each kind by name, the rest counted.
pub(crate) fn report(gaps: Vec<Gap>, partial: bool, out: &mut Located) {
    let mut trees: HashSet<(ObjectId, String)> = HashSet::new();
    let mut blobs: HashSet<ObjectId> = HashSet::new();
    let mut unreadable: HashSet<(ObjectId, String)> = HashSet::new();
    for gap in gaps {
        match gap {
            Gap::Tree {
                tree,
                prefix,
                commit,
            } => {
                let place = if prefix.is_empty() {
                    "the root".to_string()
                } else {
                    format!("`{prefix}`")
                };
                if trees.insert((tree, prefix)) && trees.len() <= MAX_MISSING_REPORTED {
                    out.problems.push(Problem::error(
                        format!("tree {tree}"),
                        format!(
                            "missing from the repository (it holds {place} of commit {commit})"
                        ),
                    ));
                }
            }
            Gap::Blob { oid, problem } => {
                if blobs.insert(oid) && blobs.len() <= MAX_MISSING_BLOBS_NAMED {
                    out.problems.push(problem);
                }
            }
            Gap::Unreadable {
                tree,
                prefix,
                problem,
            } => {
                if unreadable.insert((tree, prefix)) {
                    out.problems.push(problem);
                }
            }
        }
    }
    if trees.len() > MAX_MISSING_REPORTED {
        out.problems.push(Problem::error(
            "repository",
            format!(
                "{} more missing trees not listed",
                trees.len() - MAX_MISSING_REPORTED
            ),
        ));
    }
    let blobs = blobs.len();
    if partial && blobs > 0 {
        out.problems.push(Problem::error(
            "repository",
            format!(
                "partial clone: {blobs} blob{} that history references {} not fetched, so {} not scanned; fetch {} with `git backfill` (git 2.49 or later) or clone again without `--filter`",
                if blobs == 1 { "" } else { "s" },
                if blobs == 1 { "was" } else { "were" },
                if blobs == 1 { "it was" } else { "they were" },
                if blobs == 1 { "it" } else { "them" },
            ),
        ));
    }
    if blobs > MAX_MISSING_BLOBS_NAMED {
        out.problems.push(Problem::error(
            "repository",
            format!(
                "{} more missing blobs not listed",
                blobs - MAX_MISSING_BLOBS_NAMED
            ),
        ));
    }
}
