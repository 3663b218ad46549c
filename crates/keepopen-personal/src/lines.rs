//! Line numbers for the few offsets that become findings, built once per
//! piece of content on the first finding.

/// Newline offsets of one piece of content.
pub struct Lines<'a> {
    data: &'a [u8],
    newlines: Option<Vec<usize>>,
}

impl<'a> Lines<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lines {
            data,
            newlines: None,
        }
    }

    fn index(&mut self) -> &[usize] {
        let data = self.data;
        self.newlines
            .get_or_insert_with(|| memchr::memchr_iter(b'\n', data).collect())
    }

    /// 1-based line and byte column of `offset`.
    pub fn position(&mut self, offset: usize) -> (u32, u32) {
        let nl = self.index();
        let line = nl.partition_point(|&p| p < offset);
        let start = if line == 0 { 0 } else { nl[line - 1] + 1 };
        (line as u32 + 1, (offset - start) as u32 + 1)
    }

    /// The bytes of 1-based `line`, without its newline.
    pub fn line(&mut self, line: u32) -> &'a [u8] {
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
    pub fn find(&mut self, needle: &str) -> Option<u32> {
        if needle.is_empty() {
            return None;
        }
        let at = memchr::memmem::find(self.data, needle.as_bytes())?;
        Some(self.position(at).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_lines_and_searches() {
        let mut l = Lines::new(b"ab\r\ncd\nef");
        assert_eq!(l.position(0), (1, 1));
        assert_eq!(l.position(5), (2, 2));
        assert_eq!(l.line(1), b"ab");
        assert_eq!(l.line(3), b"ef");
        assert_eq!(l.line(9), b"");
        assert_eq!(l.find("ef"), Some(3));
        assert_eq!(l.find("zz"), None);
    }
}
