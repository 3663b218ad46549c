//! The commit and tree graph, gathered while blobs are scanned, so that the
//! paths and commits of the few blobs that hold findings can be worked out
//! afterwards without reading the repository again.

use gix::ObjectId;
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct CommitInfo {
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    /// Author date, seconds since the epoch.
    pub time: i64,
    pub author: String,
}

#[derive(Default)]
pub struct Graph {
    pub trees: HashMap<ObjectId, Vec<u8>>,
    pub commits: HashMap<ObjectId, CommitInfo>,
    /// Annotated tags: tag object to the object it names.
    pub tags: HashMap<ObjectId, ObjectId>,
    /// Every blob read, and every object already reported as skipped or
    /// unreadable: what history references and is not here is missing.
    pub blobs: gix::hashtable::HashSet<ObjectId>,
    /// SHA-1 or SHA-256, as the repository says.
    pub hash: gix::hash::Kind,
}

/// Per-thread buffers, merged into the [`Graph`] when a thread finishes.
#[derive(Default)]
pub(crate) struct Partial {
    pub trees: Vec<(ObjectId, Vec<u8>)>,
    pub commits: Vec<(ObjectId, CommitInfo)>,
    pub tags: Vec<(ObjectId, ObjectId)>,
    pub blobs: Vec<ObjectId>,
}

impl Graph {
    pub(crate) fn merge(&mut self, p: Partial) {
        self.trees.extend(p.trees);
        self.commits.extend(p.commits);
        self.tags.extend(p.tags);
        self.blobs.extend(p.blobs);
    }

    /// Records a non-blob object. Returns an error message for an object
    /// that does not parse.
    pub(crate) fn record(
        p: &mut Partial,
        kind: gix::object::Kind,
        id: ObjectId,
        data: &[u8],
        hash: gix::hash::Kind,
    ) -> Result<(), String> {
        use gix::object::Kind;
        match kind {
            Kind::Tree => p.trees.push((id, data.to_vec())),
            Kind::Commit => {
                let c = gix::objs::CommitRef::from_bytes(data, hash)
                    .map_err(|e| format!("commit does not parse: {e}"))?;
                let (time, author) = match c.author() {
                    Ok(a) => (a.seconds(), a.name.to_string()),
                    Err(_) => (0, String::new()),
                };
                p.commits.push((
                    id,
                    CommitInfo {
                        tree: c.tree(),
                        parents: c.parents().collect(),
                        time,
                        author,
                    },
                ));
            }
            Kind::Tag => {
                let t = gix::objs::TagRef::from_bytes(data, hash)
                    .map_err(|e| format!("tag does not parse: {e}"))?;
                p.tags.push((id, t.target()));
            }
            Kind::Blob => p.blobs.push(id),
        }
        Ok(())
    }
}
