//! The commit and tree graph, gathered while blobs are scanned, so that the
//! paths and commits of the few blobs that hold findings can be worked out
//! afterwards without reading the repository again.

use gix::ObjectId;
use gix::odb::pack;
use std::collections::HashMap;

/// Where a tree's bytes are: in the pack that holds it (read again when
/// history is walked, so that a large history's trees are not all held in
/// memory), or kept, for trees read loose or one by one.
pub enum TreeAt {
    Pack(u32),
    Bytes(Box<[u8]>),
}

/// Delta bases kept while trees are read back: a tree is usually a delta
/// of its neighbour in history, and chains are long.
const TREE_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// What reading trees back from packs needs between calls: an inflater, a
/// small cache of delta bases, and the buffer the last tree went into.
pub struct TreeReader {
    inflate: gix::zlib::Inflate,
    cache: pack::cache::lru::MemoryCappedHashmap,
    buf: Vec<u8>,
}

impl Default for TreeReader {
    fn default() -> Self {
        TreeReader {
            inflate: gix::zlib::Inflate::default(),
            cache: pack::cache::lru::MemoryCappedHashmap::new(TREE_CACHE_BYTES),
            buf: Vec::new(),
        }
    }
}

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
    pub trees: HashMap<ObjectId, TreeAt>,
    /// The packs read, which trees are read back from.
    pub packs: Vec<pack::Bundle>,
    /// Indexes built for packs that lost theirs, kept while `packs` are.
    pub rebuilt: Vec<tempfile::TempDir>,
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
    pub trees: Vec<(ObjectId, TreeAt)>,
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

    /// The bytes of tree `id`: `None` when the repository does not hold it,
    /// an error when its pack cannot give it back.
    pub fn tree<'a>(
        &'a self,
        id: &ObjectId,
        r: &'a mut TreeReader,
    ) -> Option<Result<&'a [u8], String>> {
        match self.trees.get(id)? {
            TreeAt::Bytes(b) => Some(Ok(b)),
            TreeAt::Pack(i) => {
                let bundle = self.packs.get(*i as usize)?;
                Some(
                    match bundle.find(id, &mut r.buf, &mut r.inflate, &mut r.cache) {
                        Ok(Some((data, _))) => Ok(data.data),
                        Ok(None) => Err("not in the pack that listed it".to_string()),
                        Err(e) => Err(format!("cannot be read again from its pack: {e}")),
                    },
                )
            }
        }
    }

    /// Records a non-blob object; `pack` is the index in `packs` of the
    /// pack it was read from, if it was. Returns an error message for an
    /// object that does not parse.
    pub(crate) fn record(
        p: &mut Partial,
        kind: gix::object::Kind,
        id: ObjectId,
        data: &[u8],
        hash: gix::hash::Kind,
        pack: Option<u32>,
    ) -> Result<(), String> {
        use gix::object::Kind;
        match kind {
            Kind::Tree => p.trees.push((
                id,
                match pack {
                    Some(i) => TreeAt::Pack(i),
                    None => TreeAt::Bytes(data.into()),
                },
            )),
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
