//! The commit and tree graph, gathered while blobs are scanned, so that the
//! paths and commits of the few blobs that hold findings can be worked out
//! afterwards without reading the repository again.

use gix::ObjectId;
use gix::odb::pack;

/// Where a tree's bytes are: in the pack that holds it (read again when
/// history is walked, so that a large history's trees are not all held in
/// memory), or kept, for trees read loose or one by one.
pub enum TreeAt {
    /// The pack's number in [`Graph::packs`], and the tree's offset in it
    /// (so that reading it back needs no lookup in the pack's index).
    Pack {
        pack: u32,
        offset: u64,
    },
    Bytes(Box<[u8]>),
}

/// Trees kept while history is walked back: a tree is usually a delta of
/// its neighbour in history, chains are long, and the walk goes oldest
/// first, against the direction of the chains.
/// Once each link is kept, a larger cache buys no time on real histories
/// (openeyes: the same at 8, 32 and 64 MiB).
pub(crate) const TREE_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// What reading trees back from packs needs between calls: an inflater, a
/// cache of decoded trees, and the buffer the last tree went into.
#[derive(Default)]
pub struct TreeReader {
    inflate: gix::zlib::Inflate,
    cache: super::tree_cache::TreeCache,
    buf: Vec<u8>,
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
    pub trees: gix::hashtable::HashMap<ObjectId, TreeAt>,
    /// The packs read, which trees are read back from.
    pub packs: Vec<pack::Bundle>,
    /// Indexes built for packs that lost theirs, kept while `packs` are.
    pub rebuilt: Vec<tempfile::TempDir>,
    pub commits: gix::hashtable::HashMap<ObjectId, CommitInfo>,
    /// Annotated tags: tag object to the object it names.
    pub tags: gix::hashtable::HashMap<ObjectId, ObjectId>,
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
            TreeAt::Pack { pack, offset } => {
                let bundle = self.packs.get(*pack as usize)?;
                warm_chain(bundle, *offset, r);
                Some(match read_at(bundle, *offset, r) {
                    Ok(()) => Ok(&r.buf),
                    Err(e) => Err(format!("cannot be read again from its pack: {e}")),
                })
            }
        }
    }

    /// Records a non-blob object; `pack` is the index in `packs` of the
    /// pack it was read from, and its offset there, if it was. Returns an
    /// error message for an object that does not parse.
    pub(crate) fn record(
        p: &mut Partial,
        kind: gix::object::Kind,
        id: ObjectId,
        data: &[u8],
        hash: gix::hash::Kind,
        pack: Option<(u32, u64)>,
    ) -> Result<(), String> {
        use gix::object::Kind;
        match kind {
            Kind::Tree => p.trees.push((
                id,
                match pack {
                    Some((pack, offset)) => TreeAt::Pack { pack, offset },
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

/// Decodes the object at `offset` of `bundle`'s pack into `r.buf`, as
/// `Bundle::get_object_by_index` does from an index position.
fn read_at(bundle: &pack::Bundle, offset: u64, r: &mut TreeReader) -> Result<(), String> {
    let entry = bundle.pack.entry(offset).map_err(|e| e.to_string())?;
    let base = |id: &gix::hash::oid, _: &mut Vec<u8>| {
        bundle
            .index
            .lookup(id)
            .map(|idx| {
                bundle
                    .pack
                    .entry(bundle.index.pack_offset_at_index(idx))
                    .map(pack::data::decode::entry::ResolvedBase::InPack)
            })
            .transpose()
    };
    bundle
        .pack
        .decode_entry(entry, &mut r.buf, &mut r.inflate, &base, &mut r.cache)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Decodes the delta chain under the object at `offset` from its base up,
/// so that every tree on the way is kept: gix keeps only the object asked
/// for, and the walk asks for the oldest tree first, at the far end of a
/// chain whose other links it asks for next. Without this every tree
/// inflates its whole chain again. Failures are left to the real read.
fn warm_chain(bundle: &pack::Bundle, offset: u64, r: &mut TreeReader) {
    use pack::data::entry::Header;
    let pack = &bundle.pack;
    let Ok(mut cur) = pack.entry(offset) else {
        return;
    };
    let mut chain = Vec::new();
    while let Header::OfsDelta { base_distance } = cur.header {
        if r.cache.contains(pack.id, cur.data_offset) || chain.len() > 4096 {
            break;
        }
        let Some(base) = cur.checked_base_pack_offset(base_distance) else {
            return;
        };
        chain.push(cur);
        cur = match pack.entry(base) {
            Ok(e) => e,
            Err(_) => return,
        };
    }
    if matches!(cur.header, Header::RefDelta { .. }) {
        return; // a base named by id: gix resolves it
    }
    // The first link is the tree asked for, read by the caller.
    for e in chain.into_iter().skip(1).rev() {
        let none = |_: &gix::hash::oid, _: &mut Vec<u8>| Ok(None);
        if pack
            .decode_entry(e, &mut r.buf, &mut r.inflate, &none, &mut r.cache)
            .is_err()
        {
            return;
        }
    }
}
