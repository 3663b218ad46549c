//! A rule's regex results, kept by the bytes of the window it searched.
//!
//! A regex's matches in a window depend on the window's bytes and nothing
//! else (the haystack is the window, so even look-around stops at its
//! ends). History holds the same lines again and again: every version of
//! a file repeats the windows of the last around the keywords it did not
//! change. So the groups a rule found in a window are kept under the
//! window's length and two independent 64-bit hashes of its bytes, keyed
//! afresh at random on every run (so no input can be made to collide on
//! purpose), and a window with the same bytes is answered from them.
//! What the groups lead to (the secret's checks, its line and context) is
//! worked out again at each place, because that depends on more than the
//! window.
//!
//! Bounded: each of a few shards holds a fixed number of windows and is
//! emptied when full.

use crate::pattern::Groups;
use std::collections::HashMap;
use std::sync::Mutex;

const SHARDS: usize = 16;
/// Windows kept per shard (2^15 in all; an entry with no match, the usual
/// one, is about 60 bytes).
const PER_SHARD: usize = 1 << 11;

/// Matches at most that a window's entry holds; a window with more is
/// searched again each time.
pub(crate) const MAX_GROUPS: usize = 16;

/// Rule, window length, and the window's two hashes.
pub(crate) type Key = (u32, u32, u64, u64);

pub(crate) struct Searched {
    /// Off, nothing is kept: for the tests that compare against it.
    on: bool,
    shards: [Mutex<HashMap<Key, Box<[Groups]>>>; SHARDS],
    first: ahash::RandomState,
    second: ahash::RandomState,
}

impl Default for Searched {
    fn default() -> Self {
        Self {
            on: true,
            shards: std::array::from_fn(|_| Mutex::new(HashMap::new())),
            first: ahash::RandomState::new(),
            second: ahash::RandomState::new(),
        }
    }
}

impl Searched {
    /// A cache that keeps nothing.
    #[cfg(test)]
    pub fn off() -> Self {
        Self {
            on: false,
            ..Self::default()
        }
    }

    /// The key of rule `rule`'s search of `hay`.
    pub fn key(&self, rule: u32, hay: &[u8]) -> Option<Key> {
        if !self.on {
            return None;
        }
        let len = u32::try_from(hay.len()).ok()?;
        Some((
            rule,
            len,
            self.first.hash_one(hay),
            self.second.hash_one(hay),
        ))
    }

    fn shard(&self, key: &Key) -> &Mutex<HashMap<Key, Box<[Groups]>>> {
        &self.shards[(key.2 as usize) % SHARDS]
    }

    /// The groups kept for `key`, if any.
    pub fn get(&self, key: &Key) -> Option<Box<[Groups]>> {
        let shard = self.shard(key).lock().unwrap_or_else(|e| e.into_inner());
        shard.get(key).cloned()
    }

    /// How many windows are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }

    /// Keeps `groups` for `key`, emptying the shard first when it is full.
    pub fn put(&self, key: Key, groups: &[Groups]) {
        let mut shard = self.shard(&key).lock().unwrap_or_else(|e| e.into_inner());
        if shard.len() >= PER_SHARD {
            shard.clear();
        }
        shard.insert(key, groups.into());
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;
    use crate::testing::{Rng, text};
    use keepopen_content::Content;

    /// Lines that rules find, and lines around them, with values made here
    /// so that no literal in the tree looks like a credential; several
    /// differ from another in one byte.
    fn lines(r: &mut Rng) -> Vec<String> {
        let alnum = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut out = Vec::new();
        for i in 0..12u64 {
            let v = String::from_utf8(text(r.next() ^ i, 20 + r.below(20), alnum)).expect("ascii");
            let w =
                String::from_utf8(text(r.next(), 6 + r.below(6), b"abcdefghij")).expect("ascii");
            let mut near = v.clone().into_bytes();
            near[3] = if near[3] == b'x' { b'y' } else { b'x' };
            let near = String::from_utf8(near).expect("ascii");
            out.extend([
                format!("password = \"{v}\""),
                format!("DB_PASSWORD={v}"),
                format!("  \"api_key\": \"{near}\","),
                format!("client_secret: {v}"),
                format!("token = '{near}'"),
                format!("url = \"https://admin:{w}@db.example.org/x\""),
                format!("# the password is {w}"),
                // The same length, one ending the value and one in it.
                format!("secret={v}a"),
                format!("secret={v} "),
            ]);
        }
        out.extend(["let x = 1;", "", "  - name: build", "}"].map(String::from));
        out
    }

    #[test]
    fn windows_answered_from_earlier_ones_give_what_a_fresh_search_gives() {
        let rules = || keepopen_rules::builtin().expect("rules");
        let warm = Engine::new(rules()).expect("engine");
        let mut cold = Engine::new(rules()).expect("engine");
        cold.forget_windows();
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let pool = lines(&mut r);
        let mut found = 0;
        for _ in 0..600 {
            // Short texts repeat whole windows; long ones merge them.
            let most = [3, 60][r.below(2)];
            let n = 1 + r.below(most);
            let mut doc: String = (0..n)
                .map(|_| pool[r.below(pool.len())].clone() + "\n")
                .collect();
            // A window cut by the end of the text ends in its last line.
            if r.below(2) == 0 {
                doc.pop();
            }
            let path = ["config.yaml", "app.env", "src/settings.py"][r.below(3)];
            let content = Content::new(doc.as_bytes(), Some(path));
            let got = warm.scan(&content);
            assert_eq!(got, cold.scan(&content), "{doc}");
            found += got.len();
        }
        // The texts hold findings, and windows were answered from the cache.
        assert!(found > 1000, "only {found} matches");
        assert!(warm.windows_kept() > 100);
        assert_eq!(cold.windows_kept(), 0);
    }
}
