//! The decoded trees kept while history is walked: a byte-capped map from
//! pack offset to object, oldest out first. gix's own caches cannot say
//! whether they hold an entry without copying it out, which reading a
//! delta chain from its base up needs to know at every link.

use gix::odb::pack::cache::DecodeEntry;
use std::collections::{HashMap, VecDeque};

type Key = (u32, u64);

pub struct TreeCache {
    map: HashMap<Key, (Box<[u8]>, gix::object::Kind, usize)>,
    order: VecDeque<Key>,
    bytes: usize,
    cap: usize,
}

impl Default for TreeCache {
    fn default() -> Self {
        TreeCache::with_cap(super::graph::TREE_CACHE_BYTES)
    }
}

impl TreeCache {
    pub fn with_cap(cap: usize) -> Self {
        TreeCache {
            map: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            cap,
        }
    }

    pub fn contains(&self, pack: u32, offset: u64) -> bool {
        self.map.contains_key(&(pack, offset))
    }
}

impl DecodeEntry for TreeCache {
    fn put(
        &mut self,
        pack_id: u32,
        offset: u64,
        data: &[u8],
        kind: gix::object::Kind,
        compressed_size: usize,
    ) {
        if data.len() > self.cap / 4 || self.map.contains_key(&(pack_id, offset)) {
            return;
        }
        while self.bytes + data.len() > self.cap {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((d, _, _)) = self.map.remove(&old) {
                self.bytes -= d.len();
            }
        }
        self.bytes += data.len();
        self.order.push_back((pack_id, offset));
        self.map
            .insert((pack_id, offset), (data.into(), kind, compressed_size));
    }

    fn get(
        &mut self,
        pack_id: u32,
        offset: u64,
        out: &mut Vec<u8>,
    ) -> Option<(gix::object::Kind, usize)> {
        let (d, kind, size) = self.map.get(&(pack_id, offset))?;
        out.clear();
        out.extend_from_slice(d);
        Some((*kind, *size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gix::object::Kind;

    #[test]
    fn keeps_what_fits_and_drops_the_oldest_first() {
        let mut c = TreeCache::with_cap(40);
        c.put(0, 1, &[1; 10], Kind::Tree, 5);
        c.put(0, 2, &[2; 10], Kind::Tree, 5);
        c.put(0, 3, &[3; 10], Kind::Tree, 5);
        c.put(0, 4, &[4; 10], Kind::Tree, 5);
        assert!(c.contains(0, 1));
        c.put(0, 5, &[5; 10], Kind::Tree, 5);
        assert!(!c.contains(0, 1), "the oldest goes first");
        assert!(c.contains(0, 2) && c.contains(0, 5));
        let mut out = vec![9; 3];
        assert_eq!(c.get(0, 5, &mut out), Some((Kind::Tree, 5)));
        assert_eq!(out, vec![5; 10]);
        assert_eq!(c.get(1, 5, &mut out), None, "another pack's offset");
        // Too big to keep at all: a quarter of the cap or more.
        c.put(0, 6, &[6; 11], Kind::Tree, 5);
        assert!(!c.contains(0, 6));
        assert!(c.bytes <= 40);
    }
}
