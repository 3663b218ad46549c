//! Blobs already scanned in this process, shared by the repositories of
//! an organisation run: forks and copies hold the same blobs, and each is
//! handed to the detectors once. A blob's matches depend only on its bytes
//! (its paths are applied afterwards, per repository), so they are kept by
//! object id. Valid only while the detectors and their configuration stay
//! the same: one `keepopen org` builds one cache.

use crate::collect::Tagged;
use crate::trouble::Trouble;
use keepopen_findings::PathContext;
use keepopen_source::git::Oid;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What the detectors made of one blob.
pub(crate) struct Scanned {
    pub found: Vec<Tagged>,
    pub trouble: Vec<Trouble>,
    pub sniffed: Option<PathContext>,
    /// The detectors that left rules out until the paths are known; while
    /// any did, `found` is unsealed.
    pub deferred: Vec<usize>,
    /// The rules each detector left out (chosen per repository): another
    /// repository's choice makes `found` another set of rules' matches.
    pub deferrals: Vec<keepopen_content::Deferral>,
}

#[derive(Default)]
pub struct BlobCache {
    /// `None` for a blob with nothing to report: most of them.
    blobs: Mutex<HashMap<Oid, Option<Arc<Scanned>>>>,
    hits: AtomicU64,
    hit_bytes: AtomicU64,
}

impl BlobCache {
    /// Blobs and bytes served from the cache rather than scanned.
    pub fn hits(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.hit_bytes.load(Ordering::Relaxed),
        )
    }

    /// The earlier result for `id`: `Some(None)` for a clean blob (clean
    /// whichever rules were left out: none of them had a keyword there).
    /// A result with matches is used only if it left out `deferrals`.
    pub(crate) fn get(
        &self,
        id: &Oid,
        len: usize,
        deferrals: &[keepopen_content::Deferral],
    ) -> Option<Option<Arc<Scanned>>> {
        let hit = self
            .blobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .filter(|s| s.as_ref().is_none_or(|s| s.deferrals == deferrals))
            .cloned();
        if hit.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.hit_bytes.fetch_add(len as u64, Ordering::Relaxed);
        }
        hit
    }

    pub(crate) fn put(&self, id: Oid, scanned: Option<Scanned>) {
        self.blobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, scanned.map(Arc::new));
    }
}
