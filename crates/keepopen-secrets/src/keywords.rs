//! Every keyword hit in a piece of content, as `find_overlapping_iter` of
//! an Aho-Corasick DFA gives them, about 1.7 times as fast on large text.
//!
//! A DFA walks one byte at a time, and each step waits for the last one's
//! table load: on hundreds of case-folded keywords aho-corasick has no
//! SIMD prefilter to skip ahead with, so it runs at about 500 MB/s. Here
//! the text is cut into a few lanes that one loop steps in turn, so their
//! loads overlap. A lane starts `longest keyword - 1` bytes before its
//! boundary and keeps only hits that end past it: every hit is found once,
//! and, lanes taken in order, in the same order (by end, then by pattern)
//! as the overlapping iterator. aho-corasick has no such mode, so it is
//! written here over its public `Automaton` trait.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, PatternID};

/// Lanes stepped together: three or four are fastest on x86-64 (more
/// spill the state registers).
const LANES: usize = 4;
/// Content shorter than this is scanned in one lane.
const MIN_LANED: usize = 4096;
/// Hits are held for at most this many bytes of content at a time, so a
/// blob made of keywords does not hold a hit per byte.
const SEGMENT: usize = 1 << 20;

/// A byte in no keyword: keywords are UTF-8, which never holds 0xFF. After
/// it the automaton is back at its start, so pieces of text joined by it
/// give exactly each piece's hits, moved.
pub(crate) const SEPARATOR: u8 = 0xff;

pub(crate) struct Keywords {
    dfa: DFA,
}

impl Keywords {
    pub fn new(keywords: &[String]) -> Result<Self, aho_corasick::BuildError> {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(keywords)?;
        Ok(Keywords { dfa })
    }

    /// The longest keyword's length.
    pub fn max_len(&self) -> usize {
        self.dfa.max_pattern_len()
    }

    /// Calls `hit(start, end, keyword)` for every occurrence of every
    /// keyword, overlapping ones included, in order of `end`.
    pub fn each(&self, data: &[u8], hit: &mut dyn FnMut(usize, usize, usize)) {
        let over = self.dfa.max_pattern_len().saturating_sub(1);
        let mut held: [Vec<(usize, PatternID)>; LANES] = Default::default();
        let mut from = 0;
        while from < data.len() {
            let to = (from + SEGMENT).min(data.len());
            if to - from < MIN_LANED {
                self.lane(data, from, to, over, &mut held[0]);
            } else {
                self.lanes(data, from, to, over, &mut held);
            }
            for lane in &mut held {
                for (end, p) in lane.drain(..) {
                    hit(end - self.dfa.pattern_len(p), end, p.as_usize());
                }
            }
            from = to;
        }
    }

    fn start(&self) -> StateID {
        self.dfa
            .start_state(Anchored::No)
            .expect("an unanchored DFA has an unanchored start state")
    }

    /// One step from `sid` on `byte` at `pos`, keeping hits ending past
    /// `bound`.
    #[inline(always)]
    fn step(
        &self,
        sid: StateID,
        byte: u8,
        end: usize,
        bound: usize,
        out: &mut Vec<(usize, PatternID)>,
    ) -> StateID {
        let s = self.dfa.next_state(Anchored::No, sid, byte);
        if self.dfa.is_special(s) {
            self.special(s, end, bound, out);
        }
        s
    }

    /// The hits of a special state: out of the loop, so that the loop
    /// keeps its state in a register.
    #[cold]
    #[inline(never)]
    fn special(&self, s: StateID, end: usize, bound: usize, out: &mut Vec<(usize, PatternID)>) {
        if self.dfa.is_match(s) && end > bound {
            for j in 0..self.dfa.match_len(s) {
                out.push((end, self.dfa.match_pattern(s, j)));
            }
        }
    }

    /// The hits ending in `(bound, to]`.
    fn lane(
        &self,
        data: &[u8],
        bound: usize,
        to: usize,
        over: usize,
        out: &mut Vec<(usize, PatternID)>,
    ) {
        let mut sid = self.start();
        let from = bound.saturating_sub(over);
        for (i, &b) in data[from..to].iter().enumerate() {
            sid = self.step(sid, b, from + i + 1, bound, out);
        }
    }

    /// [`Keywords::lane`] over `LANES` equal parts of `from..to`, stepped
    /// together.
    // One index steps every lane: an iterator per lane would not.
    #[allow(clippy::needless_range_loop)]
    fn lanes(
        &self,
        data: &[u8],
        from: usize,
        to: usize,
        over: usize,
        out: &mut [Vec<(usize, PatternID)>; LANES],
    ) {
        let part = (to - from) / LANES;
        let bound: [usize; LANES] = std::array::from_fn(|k| from + k * part);
        let end: [usize; LANES] =
            std::array::from_fn(|k| if k + 1 == LANES { to } else { bound[k + 1] });
        let start: [usize; LANES] = std::array::from_fn(|k| bound[k].saturating_sub(over));
        let mut sid = [self.start(); LANES];
        let together = (0..LANES).map(|k| end[k] - start[k]).min().unwrap_or(0);
        // Equal-length slices, so that indexing them needs no checks.
        let lane: [&[u8]; LANES] = std::array::from_fn(|k| &data[start[k]..start[k] + together]);
        for i in 0..together {
            for k in 0..LANES {
                sid[k] = self.step(sid[k], lane[k][i], start[k] + i + 1, bound[k], &mut out[k]);
            }
        }
        for k in 0..LANES {
            for (i, &b) in data[start[k] + together..end[k]].iter().enumerate() {
                let at = start[k] + together + i;
                sid[k] = self.step(sid[k], b, at + 1, bound[k], &mut out[k]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    fn expected(words: &[String], data: &[u8]) -> Vec<(usize, usize, usize)> {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(words)
            .expect("builds")
            .find_overlapping_iter(data)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    fn got(k: &Keywords, data: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        k.each(data, &mut |s, e, p| v.push((s, e, p)));
        v
    }

    #[test]
    fn every_hit_in_the_same_order_as_the_overlapping_iterator() {
        // Keywords that overlap, nest and share prefixes and suffixes, in
        // text made of their letters, across lane and segment boundaries.
        let words = crate::testing::tangled_keywords();
        let k = Keywords::new(&words).expect("builds");
        for (seed, len) in [
            (1, 0),
            (2, 1),
            (3, 100),
            (4, 4095),
            (5, 4096),
            (6, 4099),
            (7, 70_001),
        ] {
            let data = crate::testing::text(seed, len, b"abcABpasword ");
            assert_eq!(
                got(&k, &data),
                expected(&words, &data),
                "seed {seed}, {len} bytes"
            );
        }
        // Past one segment, hits straddling every boundary.
        let data = b"passwordabca".repeat(SEGMENT / 12 * 2 + 7);
        assert_eq!(got(&k, &data), expected(&words, &data));
    }

    #[test]
    fn pieces_joined_by_the_separator_give_each_piece_s_hits() {
        let words = crate::testing::tangled_keywords();
        let k = Keywords::new(&words).expect("builds");
        let mut joined = Vec::new();
        let mut want = Vec::new();
        for i in 0..50u64 {
            let piece = crate::testing::text(i + 1, (i as usize * 37) % 300, b"abcABpasword ");
            let at = joined.len();
            want.extend(
                got(&k, &piece)
                    .into_iter()
                    .map(|(s, e, w)| (s + at, e + at, w)),
            );
            joined.extend_from_slice(&piece);
            joined.push(SEPARATOR);
        }
        assert!(joined.len() > MIN_LANED, "laned, as a long text is");
        assert_eq!(got(&k, &joined), want);
    }

    #[test]
    fn a_keyword_across_a_lane_boundary_is_found_once() {
        let words = vec!["secret_key".to_string()];
        let k = Keywords::new(&words).expect("builds");
        let part = 10_000 / LANES;
        for shift in 0..12 {
            let mut data = vec![b'x'; 10_000];
            let at = part - shift;
            data[at..at + 10].copy_from_slice(b"SECRET_key");
            assert_eq!(got(&k, &data), vec![(at, at + 10, 0)], "shift {shift}");
        }
    }
}
