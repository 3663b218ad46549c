//! Line numbers for the few offsets that become findings. Most content has
//! no match at all, so nothing is worked out until the first finding asks;
//! then the newlines are indexed once, with SIMD search (a byte-by-byte scan
//! here was a quarter of a large history scan's time), and every later
//! position is a binary search. Nothing here scans a whole line per call:
//! one minified line can hold thousands of matches, and a per-match scan of
//! it made a scan quadratic.

/// A lazily built line index of one piece of content: byte offset to
/// 1-based line and column, the text of line N, the line around an offset.
pub struct Lines<'a> {
    data: &'a [u8],
    newlines: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Lines<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lines {
            data,
            newlines: std::cell::OnceCell::new(),
        }
    }

    fn index(&self) -> &[usize] {
        let data = self.data;
        self.newlines
            .get_or_init(|| memchr::memchr_iter(b'\n', data).collect())
    }

    /// 1-based line and byte column of `offset`.
    /// The whole content.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    pub fn position(&self, offset: usize) -> (u32, u32) {
        let nl = self.index();
        let line = nl.partition_point(|&p| p < offset);
        let start = if line == 0 { 0 } else { nl[line - 1] + 1 };
        (line as u32 + 1, (offset - start) as u32 + 1)
    }

    /// The bytes of 1-based `line`, without its newline (or `\r\n`); empty
    /// past the end.
    pub fn line(&self, line: u32) -> &'a [u8] {
        let data = self.data;
        let nl = self.index();
        let i = (line as usize).saturating_sub(1);
        let start = if i == 0 {
            0
        } else {
            nl.get(i - 1).map_or(data.len(), |p| p + 1)
        };
        let end = nl.get(i).copied().unwrap_or(data.len());
        let line = data.get(start..end.max(start)).unwrap_or(&[]);
        line.strip_suffix(b"\r").unwrap_or(line)
    }

    /// The line where `needle` first appears, for values found inside a
    /// structure (a notebook's JSON, an HTML table) rather than at an
    /// offset.
    pub fn find(&self, needle: &str) -> Option<u32> {
        if needle.is_empty() {
            return None;
        }
        let at = memchr::memmem::find(self.data, needle.as_bytes())?;
        Some(self.position(at).0)
    }

    /// The line around `offset`, at most `max` bytes, centred on the offset
    /// when the line is longer; a trailing `\r` is dropped. Looks at most
    /// `max + 1` bytes either side, however long the line.
    pub fn context(&self, offset: usize, max: usize) -> String {
        let reach = max.saturating_add(1);
        let s = line_start(self.data, offset, reach);
        let e = line_end_within(self.data, offset, reach);
        let (mut s2, mut e2) = (s, e);
        if e - s > max {
            s2 = offset.saturating_sub(max / 3).max(s);
            e2 = (s2 + max).min(e);
        }
        String::from_utf8_lossy(&self.data[s2..e2])
            .trim_end_matches('\r')
            .to_string()
    }

    /// The line before the one holding `offset` (at most 4 KiB of it, from
    /// its end), if any.
    pub fn previous_line(&self, offset: usize) -> &'a [u8] {
        let nl = self.index();
        let line = nl.partition_point(|&p| p < offset);
        if line == 0 {
            return &[];
        }
        let s = nl[line - 1] + 1;
        let ps = line_start(self.data, s - 1, 4096);
        &self.data[ps..s - 1]
    }
}

/// Start of the line holding `offset`, looking back at most `limit` bytes
/// (so a minified file's one long line costs at most `limit`).
pub fn line_start(data: &[u8], offset: usize, limit: usize) -> usize {
    let floor = offset.saturating_sub(limit);
    memchr::memrchr(b'\n', &data[floor..offset.min(data.len())]).map_or(floor, |p| floor + p + 1)
}

/// End of the line holding `offset`: its newline's offset, or the end.
pub fn line_end(data: &[u8], offset: usize) -> usize {
    let o = offset.min(data.len());
    memchr::memchr(b'\n', &data[o..]).map_or(data.len(), |p| o + p)
}

/// End of the line holding `offset`, looking ahead at most `limit` bytes.
fn line_end_within(data: &[u8], offset: usize, limit: usize) -> usize {
    let o = offset.min(data.len());
    let ceiling = o.saturating_add(limit).min(data.len());
    memchr::memchr(b'\n', &data[o..ceiling]).map_or(ceiling, |p| o + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let l = Lines::new(b"ab\ncd\nef");
        assert_eq!(l.position(0), (1, 1));
        assert_eq!(l.position(4), (2, 2));
        assert_eq!(l.position(6), (3, 1));
        assert_eq!(l.context(4, 100), "cd");
        assert_eq!(l.previous_line(4), b"ab");
    }

    #[test]
    fn positions_lines_and_searches() {
        let l = Lines::new(b"ab\r\ncd\nef");
        assert_eq!(l.position(0), (1, 1));
        assert_eq!(l.position(5), (2, 2));
        assert_eq!(l.line(1), b"ab");
        assert_eq!(l.line(3), b"ef");
        assert_eq!(l.line(9), b"");
        assert_eq!(l.find("ef"), Some(3));
        assert_eq!(l.find("zz"), None);
    }

    #[test]
    fn long_lines_are_cut_around_the_offset() {
        let data = [
            b"x\n".as_slice(),
            &[b'a'; 50],
            b"SECRET",
            &[b'b'; 50],
            b"\r\n",
        ]
        .concat();
        let l = Lines::new(&data);
        let context = l.context(52, 12);
        assert_eq!(context, "aaaaSECRETbb");
        assert_eq!(l.previous_line(52), b"x");
        assert_eq!(line_start(&data, 52, 10), 42);
        assert_eq!(line_end(&data, 52), data.len() - 1);
    }
}
