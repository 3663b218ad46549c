//! Reads every object of a repository once. Packs are traversed in pack
//! order with gix's delta-tree traversal, which decodes each delta from its
//! base exactly once and spreads the work over threads; this is what makes
//! a full-history scan cheaper than `git cat-file --batch-all-objects`.
//! Loose objects and alternates follow. A pack that cannot be traversed is
//! named, and its objects are then read one by one so that one bad object
//! costs only itself.

use super::graph::{Graph, Partial, TreeAt};
use crate::{Item, Key, Problem, Progress};
use gix::ObjectId;
use gix::odb::pack;
use keepopen_content::Content;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

type Visit<'a> = &'a (dyn Fn(Item<'_>) + Sync);

/// Per-thread state of a traversal: its own graph buffer, merged on drop.
struct ThreadState<'a> {
    partial: Partial,
    deltas: super::delta::Deltas,
    hash: gix::hash::Kind,
    graph: &'a Mutex<Graph>,
    problems: &'a Mutex<Vec<Problem>>,
}

impl Clone for ThreadState<'_> {
    fn clone(&self) -> Self {
        ThreadState {
            partial: Partial::default(),
            deltas: Default::default(),
            hash: self.hash,
            graph: self.graph,
            problems: self.problems,
        }
    }
}

impl Drop for ThreadState<'_> {
    fn drop(&mut self) {
        let p = std::mem::take(&mut self.partial);
        lock(self.graph).merge(p);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) struct Objects<'r> {
    pub repo: &'r gix::Repository,
    pub threads: usize,
    /// Objects bigger than this are named and left out.
    pub max_blob_size: u64,
}

impl Objects<'_> {
    /// Reads every object under `objects_dir` and its alternates.
    pub fn read_all(
        &self,
        objects_dir: &Path,
        visit: Visit<'_>,
        progress: &Progress,
        graph: &Mutex<Graph>,
    ) -> Vec<Problem> {
        let problems = Mutex::new(Vec::new());
        let dirs = with_alternates(objects_dir, &problems);
        let mut bundles: Vec<pack::Bundle> = Vec::new();
        // Indexes rebuilt for packs that lost theirs live here until the
        // scan ends; nothing is written into the repository.
        let mut rebuilt = Vec::new();
        for dir in &dirs {
            let (indexed, orphans) = packs(dir, &problems);
            for idx in indexed {
                let shown = idx.with_extension("pack");
                self.read_pack(
                    &idx,
                    &shown,
                    &mut bundles,
                    visit,
                    progress,
                    graph,
                    &problems,
                );
            }
            for pack in orphans {
                match self.rebuild_index(&pack) {
                    Ok((tmp, idx)) => {
                        lock(&problems).push(Problem::note(
                            pack.display().to_string(),
                            "pack has no index (.idx): an index was built in a temporary folder to read it (`git index-pack` would restore it)",
                        ));
                        self.read_pack(&idx, &pack, &mut bundles, visit, progress, graph, &problems);
                        rebuilt.push(tmp);
                    }
                    Err(e) => lock(&problems).push(Problem::error(
                        pack.display().to_string(),
                        format!("pack has no index (.idx), and one cannot be built ({e}): its objects were not read"),
                    )),
                }
            }
        }
        for dir in &dirs {
            self.read_loose(dir, &bundles, visit, progress, graph, &problems);
        }
        // Trees are read back from the packs when history is walked.
        let mut g = lock(graph);
        g.packs = bundles;
        g.rebuilt = rebuilt;
        drop(g);
        problems.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// Indexes `pack` into a temporary folder, as `git index-pack` would
    /// beside it, under the same size limit as every other object.
    fn rebuild_index(&self, pack: &Path) -> Result<(tempfile::TempDir, PathBuf), String> {
        let tmp = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
        let file = std::fs::File::open(pack).map_err(|e| e.to_string())?;
        let mut read = std::io::BufReader::new(file);
        let outcome = pack::Bundle::write_to_directory(
            &mut read,
            Some(tmp.path()),
            &mut gix::progress::Discard,
            &AtomicBool::new(false),
            None::<gix::objs::find::Never>,
            self.repo.object_hash(),
            pack::bundle::write::Options {
                thread_limit: (self.threads > 0).then_some(self.threads),
                alloc_limit_bytes: usize::try_from(self.max_blob_size).ok(),
                ..Default::default()
            },
        )
        .map_err(|e| e.to_string())?;
        let idx = outcome
            .index_path
            .ok_or_else(|| "no index was written".to_string())?;
        Ok((tmp, idx))
    }

    #[allow(clippy::too_many_arguments)]
    fn read_pack(
        &self,
        idx: &Path,
        shown: &Path,
        bundles: &mut Vec<pack::Bundle>,
        visit: Visit<'_>,
        progress: &Progress,
        graph: &Mutex<Graph>,
        problems: &Mutex<Vec<Problem>>,
    ) {
        let name = shown.display().to_string();
        let bundle = match pack::Bundle::at(idx, self.repo.object_hash()) {
            Ok(b) => b,
            Err(e) => {
                lock(problems).push(Problem::error(
                    &name,
                    format!("cannot open pack: {e}; reading its objects one by one"),
                ));
                self.read_indexed_one_by_one(idx, bundles, visit, progress, graph, problems);
                return;
            }
        };
        progress.expect(bundle.index.num_objects() as u64);
        let oversized = super::sizes::oversized(&bundle, self.max_blob_size);
        if !oversized.is_empty() {
            // The traversal cannot step over an object, so this pack is
            // read object by object, without the ones left out.
            let skip: std::collections::HashSet<ObjectId> =
                oversized.iter().map(|o| o.id).collect();
            lock(graph).blobs.extend(skip.iter().copied());
            lock(problems).extend(
                oversized
                    .into_iter()
                    .map(|o| Problem::skip(format!("object {}", o.id), o.why)),
            );
            let ids: Vec<ObjectId> = bundle
                .index
                .iter()
                .map(|e| e.oid)
                .filter(|id| !skip.contains(id))
                .filter(|id| !in_any(bundles, id))
                .collect();
            self.read_ids(&ids, visit, progress, graph, problems);
            bundles.push(bundle);
            return;
        }
        let earlier: &[pack::Bundle] = bundles;
        // This pack's place in `bundles` once it is read.
        let at = u32::try_from(earlier.len()).ok();
        let offsets = super::delta::Offsets::of(&bundle.index);
        let bundle_ref = &bundle;
        let offsets = &offsets;
        let mut state = ThreadState {
            partial: Partial::default(),
            deltas: Default::default(),
            hash: self.repo.object_hash(),
            graph,
            problems,
        };
        let processor = move |kind: gix::object::Kind,
                              data: &[u8],
                              entry: &pack::index::Entry,
                              _: &dyn gix::Progress| {
            let id = entry.oid;
            if earlier
                .iter()
                .any(|b| b.index.lookup(id.as_ref()).is_some())
            {
                return Ok(());
            }
            // A large blob made from another: which of its bytes are copies.
            let base = (kind == gix::object::Kind::Blob && data.len() >= super::delta::MIN_LEN)
                .then(|| {
                    state
                        .deltas
                        .base(bundle_ref, offsets, entry.pack_offset, data.len())
                })
                .flatten();
            let copies = std::mem::take(&mut state.deltas.copies);
            let lineage = base.as_ref().map(|(id, len)| (id, *len, &copies[..]));
            let place = at.map(|pack| (pack, entry.pack_offset));
            handle(kind, id, data, visit, progress, &mut state, place, lineage);
            state.deltas.copies = copies;
            Ok(())
        };
        let outcome = bundle.index.traverse_with_index(
            &bundle.pack,
            processor,
            &mut gix::progress::Discard,
            &AtomicBool::new(false),
            pack::index::traverse::with_index::Options {
                thread_limit: (self.threads > 0).then_some(self.threads),
                check: pack::index::traverse::SafetyCheck::SkipFileAndObjectChecksumVerification,
                // Sizes were checked above; this only guards the rest.
                alloc_limit_bytes: usize::try_from(self.max_blob_size).ok(),
            },
        );
        if let Err(e) = outcome {
            lock(problems).push(Problem::error(
                &name,
                format!("pack is damaged ({e}); reading its objects one by one"),
            ));
            drop(bundle);
            // The trees it gave point at a pack that will not be kept; the
            // slow path reads them again and keeps their bytes.
            if let Some(at) = at {
                lock(graph)
                    .trees
                    .retain(|_, t| !matches!(t, TreeAt::Pack { pack, .. } if *pack == at));
            }
            self.read_indexed_one_by_one(idx, bundles, visit, progress, graph, problems);
            return;
        }
        bundles.push(bundle);
    }

    /// The slow path for a damaged pack: each object the index names, alone.
    fn read_indexed_one_by_one(
        &self,
        idx: &Path,
        bundles: &[pack::Bundle],
        visit: Visit<'_>,
        progress: &Progress,
        graph: &Mutex<Graph>,
        problems: &Mutex<Vec<Problem>>,
    ) {
        let index = match pack::index::File::at(idx, self.repo.object_hash()) {
            Ok(i) => i,
            Err(e) => {
                lock(problems).push(Problem::error(
                    idx.display().to_string(),
                    format!("pack index is unreadable: {e}"),
                ));
                return;
            }
        };
        let ids: Vec<ObjectId> = index
            .iter()
            .map(|e| e.oid)
            .filter(|id| !in_any(bundles, id))
            .collect();
        self.read_ids(&ids, visit, progress, graph, problems);
    }

    fn read_loose(
        &self,
        dir: &Path,
        bundles: &[pack::Bundle],
        visit: Visit<'_>,
        progress: &Progress,
        graph: &Mutex<Graph>,
        problems: &Mutex<Vec<Problem>>,
    ) {
        let ids: Vec<ObjectId> = loose_ids(dir, problems)
            .into_iter()
            .filter(|id| !in_any(bundles, id))
            .filter(|id| {
                let hex = id.to_string();
                let path = dir.join(&hex[..2]).join(&hex[2..]);
                let Some(why) = super::sizes::loose_too_big(&path, self.max_blob_size) else {
                    return true;
                };
                lock(problems).push(Problem::skip(format!("object {id}"), why));
                lock(graph).blobs.insert(*id);
                false
            })
            .collect();
        progress.expect(ids.len() as u64);
        let hash = self.repo.object_hash();
        ids.par_chunks(256).for_each(|chunk| {
            let mut st = ThreadState {
                partial: Partial::default(),
                deltas: Default::default(),
                hash,
                graph,
                problems,
            };
            for id in chunk {
                let hex = id.to_string();
                let path = dir.join(&hex[..2]).join(&hex[2..]);
                match super::loose::read(&path) {
                    Ok((kind, data)) => {
                        handle(kind, *id, &data, visit, progress, &mut st, None, None)
                    }
                    Err(why) => {
                        st.partial.blobs.push(*id);
                        lock(problems).push(Problem::error(
                            format!("object {id}"),
                            format!("loose object {}: {why}", path.display()),
                        ));
                    }
                }
            }
        });
    }

    fn read_ids(
        &self,
        ids: &[ObjectId],
        visit: Visit<'_>,
        progress: &Progress,
        graph: &Mutex<Graph>,
        problems: &Mutex<Vec<Problem>>,
    ) {
        let repo = self.repo.clone().into_sync();
        ids.par_chunks(256).for_each(|chunk| {
            let repo = repo.to_thread_local();
            let mut st = ThreadState {
                partial: Partial::default(),
                deltas: Default::default(),
                hash: repo.object_hash(),
                graph,
                problems,
            };
            for id in chunk {
                match repo.try_find_object(*id) {
                    Ok(Some(obj)) => handle(
                        obj.kind, *id, &obj.data, visit, progress, &mut st, None, None,
                    ),
                    Ok(None) => {
                        st.partial.blobs.push(*id);
                        lock(problems)
                            .push(Problem::error(format!("object {id}"), "listed but missing"))
                    }
                    Err(e) => {
                        st.partial.blobs.push(*id);
                        lock(problems).push(Problem::error(
                            format!("object {id}"),
                            format!("cannot be read: {e}"),
                        ))
                    }
                }
            }
            drop(st);
        });
    }
}

/// The base a packed delta was made from: its id, its length, and the
/// delta's copies of it.
type BaseOf<'a> = Option<(&'a ObjectId, usize, &'a [keepopen_content::Copied])>;

#[allow(clippy::too_many_arguments)]
fn handle(
    kind: gix::object::Kind,
    id: ObjectId,
    data: &[u8],
    visit: Visit<'_>,
    progress: &Progress,
    st: &mut ThreadState<'_>,
    pack: Option<(u32, u64)>,
    base: BaseOf<'_>,
) {
    if kind == gix::object::Kind::Blob {
        st.partial.blobs.push(id);
        progress.add(data.len());
        let lineage = keepopen_content::Lineage {
            id: id.as_bytes(),
            base: base.map(|(b, len, copies)| keepopen_content::Base {
                id: b.as_bytes(),
                len,
                copies,
            }),
        };
        visit(Item {
            key: Key::Blob(id),
            content: Content::new(data, None).with_lineage(Some(lineage)),
        });
        return;
    }
    progress.add(0);
    if let Err(msg) = Graph::record(&mut st.partial, kind, id, data, st.hash, pack) {
        lock(st.problems).push(Problem::error(format!("object {id}"), msg));
    }
}

/// The pack indexes under `objects_dir`, and the packs that have none.
fn packs(objects_dir: &Path, problems: &Mutex<Vec<Problem>>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let dir = objects_dir.join("pack");
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), Vec::new()),
        Err(e) => {
            lock(problems).push(Problem::error(
                dir.display().to_string(),
                format!("cannot list packs: {e}: packed history was not read"),
            ));
            return (Vec::new(), Vec::new());
        }
    };
    let files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    let has = |p: &Path, ext: &str| p.extension().is_some_and(|e| e == ext);
    let mut idx: Vec<PathBuf> = files.iter().filter(|p| has(p, "idx")).cloned().collect();
    let mut orphans: Vec<PathBuf> = files
        .iter()
        .filter(|p| has(p, "pack") && !p.with_extension("idx").exists())
        .cloned()
        .collect();
    idx.sort();
    orphans.sort();
    (idx, orphans)
}

/// Loose object ids. A fan-out folder that cannot be listed is an error:
/// its objects would otherwise just vanish.
fn loose_ids(objects_dir: &Path, problems: &Mutex<Vec<Problem>>) -> Vec<ObjectId> {
    let mut ids = Vec::new();
    let rd = match std::fs::read_dir(objects_dir) {
        Ok(rd) => rd,
        Err(e) => {
            lock(problems).push(Problem::error(
                objects_dir.display().to_string(),
                format!("cannot list loose objects: {e}: they were not read"),
            ));
            return ids;
        }
    };
    for fan in rd.filter_map(Result::ok) {
        let fan_name = fan.file_name().to_string_lossy().into_owned();
        if fan_name.len() != 2 || !fan_name.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let files = match std::fs::read_dir(fan.path()) {
            Ok(files) => files,
            Err(e) => {
                lock(problems).push(Problem::error(
                    fan.path().display().to_string(),
                    format!("cannot list loose objects: {e}: they were not read"),
                ));
                continue;
            }
        };
        for f in files.filter_map(Result::ok) {
            let hex = format!("{fan_name}{}", f.file_name().to_string_lossy());
            if let Ok(id) = ObjectId::from_hex(hex.as_bytes()) {
                ids.push(id);
            }
        }
    }
    ids.sort();
    ids
}

/// `objects_dir` and its alternates, theirs in turn, each once: git follows
/// alternates five deep and tolerates one that names itself or a cycle.
fn with_alternates(objects_dir: &Path, problems: &Mutex<Vec<Problem>>) -> Vec<PathBuf> {
    let key = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut dirs = vec![objects_dir.to_path_buf()];
    let mut seen = vec![key(objects_dir)];
    let mut next = 0;
    let mut depth = vec![0usize];
    while next < dirs.len() {
        let (dir, d) = (dirs[next].clone(), depth[next]);
        next += 1;
        if d >= 5 {
            continue;
        }
        for alt in alternates(&dir, problems) {
            let k = key(&alt);
            if !seen.contains(&k) {
                seen.push(k);
                dirs.push(alt);
                depth.push(d + 1);
            }
        }
    }
    dirs
}

fn alternates(objects_dir: &Path, problems: &Mutex<Vec<Problem>>) -> Vec<PathBuf> {
    let file = objects_dir.join("info/alternates");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Vec::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let p = objects_dir.join(l);
            if p.is_dir() {
                Some(p)
            } else {
                lock(problems).push(Problem::error(
                    file.display().to_string(),
                    format!("alternate {l} does not exist"),
                ));
                None
            }
        })
        .collect()
}

/// Whether an earlier pack already holds `id`: an object in several packs
/// is read from the first.
fn in_any(bundles: &[pack::Bundle], id: &ObjectId) -> bool {
    bundles
        .iter()
        .any(|b| b.index.lookup(id.as_ref()).is_some())
}
