//! The seam between sources and detectors. A source hands each unique piece
//! of content to every [`Detector`] once; a detector reports [`Match`]es.
//! Detectors never know whether content came from the working tree or from a
//! blob deep in history.

pub mod ignore;
pub mod lockfile;

use keepopen_findings::Match;

/// One piece of content: a file's bytes or a git blob's.
#[derive(Clone, Copy, Debug)]
pub struct Content<'a> {
    pub data: &'a [u8],
    /// The path, where the source knows it when it scans. History blobs are
    /// scanned before their paths are known (each blob once, however many
    /// paths hold it), so this is `None` for them; path-dependent filters
    /// run later, when findings are located.
    pub path: Option<&'a str>,
}

impl<'a> Content<'a> {
    pub fn new(data: &'a [u8], path: Option<&'a str>) -> Self {
        Content { data, path }
    }

    /// Binary content is skipped by text detectors. Like git, treat content
    /// with a NUL byte in its first 8 KiB as binary.
    pub fn is_binary(&self) -> bool {
        let head = &self.data[..self.data.len().min(8192)];
        head.contains(&0)
    }
}

/// Something that looks at content and reports what it sees.
pub trait Detector: Send + Sync {
    fn detect(&self, content: &Content<'_>, out: &mut dyn FnMut(Match));

    /// Like [`Detector::detect`], and also says, through `trouble`, why
    /// content the detector should have read could not be (a corrupt or
    /// password-protected workbook, a notebook that is not JSON). The
    /// pipeline names the file and goes on.
    fn detect_reporting(
        &self,
        content: &Content<'_>,
        out: &mut dyn FnMut(Match),
        _trouble: &mut dyn FnMut(String),
    ) {
        self.detect(content, out)
    }

    /// Adjusts a match once its path is known: history blobs are scanned
    /// before their paths are, and some judgements depend on the name (a
    /// data file called `patients.rds`). Called before [`Detector::keeps`].
    fn place(&self, _m: &mut Match, _path: &str) {}

    /// Whether a match of `rule` stands for a file at `path`. Checked when a
    /// match is located, since history blobs are scanned before their paths
    /// are known. Most detectors keep everything.
    fn keeps(&self, _rule: &str, _path: &str) -> bool {
        true
    }

    /// Findings from a path alone, such as a key file whose name gives it
    /// away. Most detectors have none.
    fn detect_path(&self, _path: &str, _out: &mut dyn FnMut(Match)) {}

    /// Could [`Detector::detect_path`] find anything in a file called
    /// `name` (the last path component)? A cheap answer lets a history walk
    /// skip building the paths of millions of tree entries.
    fn may_match_name(&self, _name: &[u8]) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(Content::new(b"PK\x03\x04\0\0", None).is_binary());
        assert!(!Content::new("naïve text".as_bytes(), None).is_binary());
    }
}
