//! Helpers the unit tests of the keyword automaton and of hits carried
//! across deltas share.

use keepopen_content::Copied;

/// Keywords that overlap, nest and share prefixes and suffixes.
pub(crate) fn tangled_keywords() -> Vec<String> {
    ["ab", "abc", "bca", "cab", "aaaa", "password", "PASS", "c"]
        .iter()
        .map(|w| w.to_string())
        .collect()
}

/// A small xorshift: the same numbers on every run, no dependency.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `len` bytes drawn from `alphabet`, the same for the same seed.
pub(crate) fn text(seed: u64, len: usize, alphabet: &[u8]) -> Vec<u8> {
    let mut r = Rng(seed | 1);
    (0..len)
        .map(|_| alphabet[r.below(alphabet.len())])
        .collect()
}

/// A version of `base` made of runs copied from it and new bytes, as
/// git's deltas are, with its copies.
pub(crate) fn edit(r: &mut Rng, base: &[u8], alphabet: &[u8]) -> (Vec<u8>, Vec<Copied>) {
    let (mut out, mut copies) = (Vec::new(), Vec::new());
    for _ in 0..1 + r.below(12) {
        if r.below(3) > 0 && !base.is_empty() {
            let from = r.below(base.len());
            let len = 1 + r.below((base.len() - from).min(3000));
            copies.push(Copied {
                at: out.len(),
                from,
                len,
            });
            out.extend_from_slice(&base[from..from + len]);
        } else {
            for _ in 0..1 + r.below(40) {
                out.push(alphabet[r.below(alphabet.len())]);
            }
        }
    }
    (out, copies)
}
