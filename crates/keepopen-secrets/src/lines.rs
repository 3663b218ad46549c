//! Line numbers, context lines and inline `keepopen:ignore` comments, worked
//! out only for content that has a match.

use memchr_lite::{line_end, line_start};

/// Newline offsets of one piece of content, built on the first match.
pub(crate) struct Lines<'a> {
    data: &'a [u8],
    newlines: Option<Vec<usize>>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Lines {
            data,
            newlines: None,
        }
    }

    /// 1-based line and byte column of `offset`.
    pub(crate) fn position(&mut self, offset: usize) -> (u32, u32) {
        let data = self.data;
        // SIMD search: a byte-by-byte scan here was a quarter of a large
        // history scan's time.
        let nl = self
            .newlines
            .get_or_insert_with(|| memchr::memchr_iter(b'\n', data).collect());
        let line = nl.partition_point(|&p| p < offset);
        let start = if line == 0 { 0 } else { nl[line - 1] + 1 };
        (line as u32 + 1, (offset - start) as u32 + 1)
    }

    /// The line around `offset`, at most `max` bytes, centred on the offset
    /// when the line is longer.
    pub(crate) fn context(&self, offset: usize, max: usize) -> String {
        let s = line_start(self.data, offset, usize::MAX);
        let e = line_end(self.data, offset);
        let (mut s2, mut e2) = (s, e);
        if e - s > max {
            s2 = offset.saturating_sub(max / 3).max(s);
            e2 = (s2 + max).min(e);
        }
        String::from_utf8_lossy(&self.data[s2..e2])
            .trim_end_matches('\r')
            .to_string()
    }

    /// The line before the one holding `offset`, if any.
    pub(crate) fn previous_line(&self, offset: usize) -> &'a [u8] {
        let s = line_start(self.data, offset, usize::MAX);
        if s == 0 {
            return &[];
        }
        let ps = line_start(self.data, s - 1, 4096);
        &self.data[ps..s - 1]
    }
}

pub(crate) use keepopen_content::ignore::{comment_ignores, ignores};

pub(crate) mod memchr_lite {
    /// Start of the line holding `offset`, looking back at most `limit` bytes.
    pub(crate) fn line_start(data: &[u8], offset: usize, limit: usize) -> usize {
        let floor = offset.saturating_sub(limit);
        data[floor..offset.min(data.len())]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(floor, |p| floor + p + 1)
    }

    /// End of the line holding `offset` (the newline's offset or the end).
    pub(crate) fn line_end(data: &[u8], offset: usize) -> usize {
        let o = offset.min(data.len());
        data[o..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |p| o + p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let mut l = Lines::new(b"ab\ncd\nef");
        assert_eq!(l.position(0), (1, 1));
        assert_eq!(l.position(4), (2, 2));
        assert_eq!(l.position(6), (3, 1));
        assert_eq!(l.context(4, 100), "cd");
        assert_eq!(l.previous_line(4), b"ab");
    }
}
