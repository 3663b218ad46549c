//! Keyword hits carried from a blob to the blobs made from it.
//!
//! Most of a history's bytes are versions of the same files, and a packed
//! version is a delta: runs copied from its base, and a few new bytes. A
//! keyword is plain text, so a hit that lies inside one copied run is
//! exactly the base's hit there, moved. Only the new bytes, and the
//! keyword's length either side of them and of each run's ends, are
//! scanned again. The result is every hit, in the order the automaton
//! gives them (by end, then by start), so the rules see the same hits as
//! when the blob is scanned whole.
//!
//! Hits are kept by blob id (the same id, the same bytes, whatever the
//! repository) for a bounded number of recent blobs; a delta whose base is
//! not kept is scanned whole.

use crate::keywords::Keywords;
use keepopen_content::Copied;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// A hit: start, end, keyword.
pub(crate) type Hit = (u32, u32, u32);

/// Hits held at most, over all blobs kept (12 bytes each).
const HELD: usize = 1 << 18;
/// Blobs kept at most.
const BLOBS: usize = 1 << 12;
/// A blob with more hits than this is not kept: its deltas are scanned
/// whole.
pub(crate) const MAX_HITS: usize = 1 << 16;

/// An id of up to 32 bytes (SHA-1 or SHA-256), and its length.
type Id = ([u8; 32], u8);

fn id_of(id: &[u8]) -> Option<Id> {
    let mut a = [0u8; 32];
    a.get_mut(..id.len())?.copy_from_slice(id);
    Some((a, id.len() as u8))
}

/// What recently scanned blobs held: their keyword hits, or for lockfiles
/// where their URLs with credentials start.
pub(crate) struct Kept<T = Hit> {
    inner: Mutex<Inner<T>>,
}

struct Inner<T> {
    map: HashMap<Id, (usize, Arc<[T]>)>,
    order: VecDeque<Id>,
    held: usize,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                order: VecDeque::new(),
                held: 0,
            }),
        }
    }
}

impl<T> Kept<T> {
    /// The hits of blob `id`, if kept and `len` bytes long.
    pub fn get(&self, id: &[u8], len: usize) -> Option<Arc<[T]>> {
        let key = id_of(id)?;
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (l, hits) = inner.map.get(&key)?;
        (*l == len).then(|| hits.clone())
    }

    /// Keeps the hits of blob `id`, `len` bytes long, dropping the oldest
    /// kept past the bounds.
    pub fn put(&self, id: &[u8], len: usize, hits: Vec<T>) {
        let Some(key) = id_of(id) else { return };
        if hits.len() > MAX_HITS {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let n = hits.len();
        if let Some((_, old)) = inner.map.insert(key, (len, hits.into())) {
            inner.held -= old.len();
        } else {
            inner.order.push_back(key);
        }
        inner.held += n;
        while inner.held > HELD || inner.order.len() > BLOBS {
            let Some(old) = inner.order.pop_front() else {
                break;
            };
            if let Some((_, h)) = inner.map.remove(&old) {
                inner.held -= h.len();
            }
        }
    }
}

/// Whether `copies` are runs in order, within content `len` bytes long
/// (which offsets of 32 bits reach) and within a base `base_len` long.
pub(crate) fn fits(copies: &[Copied], len: usize, base_len: usize) -> bool {
    if u32::try_from(len).is_err() {
        return false;
    }
    let mut end = 0;
    for c in copies {
        let (Some(to), Some(from_end)) = (c.at.checked_add(c.len), c.from.checked_add(c.len))
        else {
            return false;
        };
        if c.at < end || to > len || from_end > base_len {
            return false;
        }
        end = to;
    }
    true
}

/// Every keyword hit in `data`, a delta of a base `base_len` bytes long
/// whose hits are `base`, with `copies` its runs copied from the base. `None`
/// when the copies do not fit the two (the caller scans it whole).
pub(crate) fn derive(
    k: &Keywords,
    data: &[u8],
    base_len: usize,
    base: &[Hit],
    copies: &[Copied],
) -> Option<Vec<Hit>> {
    if !fits(copies, data.len(), base_len) {
        return None;
    }
    let mut out: Vec<Hit> = Vec::new();
    // Inside one run: the base's hits, moved.
    for c in copies.iter().filter(|c| c.len > 0) {
        let lo = base.partition_point(|h| h.1 as usize <= c.from);
        let hi = base.partition_point(|h| h.1 as usize <= c.from + c.len);
        for &(s, e, kw) in &base[lo..hi] {
            if s as usize >= c.from {
                let shift = |x: u32| (x as usize - c.from + c.at) as u32;
                out.push((shift(s), shift(e), kw));
            }
        }
    }
    // Everything else overlaps a new byte or crosses a run's end: scanned
    // within a keyword's length of them, keeping what lies in no one run.
    let over = k.max_len().saturating_sub(1);
    let mut windows: Vec<(usize, usize)> = Vec::new();
    let mut add = |a: usize, b: usize| {
        let (a, b) = (a.saturating_sub(over), (b + over).min(data.len()));
        match windows.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => windows.push((a, b)),
        }
    };
    let mut pos = 0;
    for c in copies {
        if c.at > pos {
            add(pos, c.at);
        }
        add(c.at, c.at);
        add(c.at + c.len, c.at + c.len);
        pos = c.at + c.len;
    }
    if pos < data.len() {
        add(pos, data.len());
    }
    let in_one_run = |s: usize, e: usize| {
        let i = copies.partition_point(|c| c.at <= s);
        i > 0 && copies[i - 1].at + copies[i - 1].len >= e
    };
    // The windows are short (a few hundred bytes): scanned one by one, the
    // automaton waits on each step's table load. Joined by a byte in no
    // keyword they are one text, scanned in lanes whose loads overlap.
    let mut joined: Vec<u8> = Vec::new();
    let mut starts: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    for &(a, b) in &windows {
        starts.push((joined.len(), a));
        joined.extend_from_slice(&data[a..b]);
        joined.push(crate::keywords::SEPARATOR);
    }
    k.each(&joined, &mut |s, e, kw| {
        let (at, a) = starts[starts.partition_point(|w| w.0 <= s) - 1];
        let (s, e) = (s - at + a, e - at + a);
        if !in_one_run(s, e) {
            out.push((s as u32, e as u32, kw as u32));
        }
    });
    out.sort_unstable_by_key(|h| (h.1, h.0));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Rng, edit, tangled_keywords};

    fn whole(k: &Keywords, data: &[u8]) -> Vec<Hit> {
        let mut v = Vec::new();
        k.each(data, &mut |s, e, kw| {
            v.push((s as u32, e as u32, kw as u32))
        });
        v
    }

    #[test]
    fn a_delta_s_hits_are_its_base_s_moved_and_its_new_bytes_scanned() {
        // Keywords that overlap, nest and share ends, in text made of
        // their letters, so that hits cross every run's ends.
        let words = tangled_keywords();
        let k = Keywords::new(&words).expect("builds");
        let alphabet = b"abcABpasword \n";
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        let mut checked = 0;
        for round in 0..400 {
            let len = [0, 1, 5, 100, 5000][round % 5];
            let base: Vec<u8> = (0..len)
                .map(|_| alphabet[r.below(alphabet.len())])
                .collect();
            let base_hits = whole(&k, &base);
            // Chains: each version is the next one's base.
            let (mut prev, mut prev_hits) = (base, base_hits);
            for _ in 0..3 {
                let (child, copies) = edit(&mut r, &prev, alphabet);
                let got = derive(&k, &child, prev.len(), &prev_hits, &copies).expect("fits");
                let want = whole(&k, &child);
                assert_eq!(got, want, "round {round}");
                checked += want.len();
                (prev, prev_hits) = (child, got);
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn copies_that_do_not_fit_are_refused() {
        let k = Keywords::new(&["abc".to_string()]).expect("builds");
        let data = b"xxabcxx";
        let c = |at, from, len| Copied { at, from, len };
        // Past the content, past the base, out of order.
        assert!(derive(&k, data, 10, &[], &[c(5, 0, 3)]).is_none());
        assert!(derive(&k, data, 4, &[], &[c(0, 2, 3)]).is_none());
        assert!(derive(&k, data, 10, &[], &[c(3, 0, 2), c(0, 0, 2)]).is_none());
        assert_eq!(
            derive(&k, data, 10, &[], &[c(0, 0, 2)]),
            Some(vec![(2, 5, 0)])
        );
    }

    #[test]
    fn kept_hits_are_bounded_and_checked_by_length() {
        let kept = Kept::default();
        kept.put(b"a", 10, vec![(0, 3, 1)]);
        assert_eq!(kept.get(b"a", 10).as_deref(), Some(&[(0, 3, 1)][..]));
        assert!(kept.get(b"a", 11).is_none());
        assert!(kept.get(b"b", 10).is_none());
        // Too many hits for one blob: not kept.
        kept.put(b"big", 1, vec![(0, 1, 0); MAX_HITS + 1]);
        assert!(kept.get(b"big", 1).is_none());
        // Past the bound on blobs, the oldest go first.
        for i in 0..BLOBS as u32 + 5 {
            kept.put(&i.to_le_bytes(), 1, Vec::new());
        }
        assert!(kept.get(b"a", 10).is_none());
        assert!(kept.get(&(BLOBS as u32 + 4).to_le_bytes(), 1).is_some());
        // An id longer than any hash is never kept.
        kept.put(&[0u8; 40], 1, Vec::new());
        assert!(kept.get(&[0u8; 40], 1).is_none());
    }
}
