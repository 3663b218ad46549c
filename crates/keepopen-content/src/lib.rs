//! The seam between sources and detectors. A source hands each unique piece
//! of content to every [`Detector`] once; a detector reports [`Match`]es.
//! Detectors never know whether content came from the working tree or from a
//! blob deep in history.

pub mod ignore;
pub mod lines;
pub mod lockfile;
pub mod yaml_depth;

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
    /// What the source knows of where these bytes came from, for
    /// detectors that can reuse work done on the content they share most
    /// bytes with. Detectors that ignore it lose nothing.
    pub lineage: Option<Lineage<'a>>,
}

/// Content named by its bytes (a git object id: the same id, the same
/// bytes, in any repository), and, for a git delta, the content it was
/// made from and which of its bytes are copies of that content's.
#[derive(Clone, Copy, Debug)]
pub struct Lineage<'a> {
    pub id: &'a [u8],
    pub base: Option<Base<'a>>,
}

/// The content a delta was made from: its id, its length, and the runs of
/// the delta's bytes copied from it, in order; every other byte is new.
#[derive(Clone, Copy, Debug)]
pub struct Base<'a> {
    pub id: &'a [u8],
    pub len: usize,
    pub copies: &'a [Copied],
}

/// `len` bytes at `at` in the content, copied from `from` in its base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Copied {
    pub at: usize,
    pub from: usize,
    pub len: usize,
}

impl<'a> Content<'a> {
    pub fn new(data: &'a [u8], path: Option<&'a str>) -> Self {
        Content {
            data,
            path,
            lineage: None,
        }
    }

    /// The same content, with what its source knows of its lineage.
    pub fn with_lineage(self, lineage: Option<Lineage<'a>>) -> Self {
        Content { lineage, ..self }
    }

    /// Binary content is skipped by text detectors. Like git, treat content
    /// with a NUL byte in its first 8 KiB as binary.
    pub fn is_binary(&self) -> bool {
        let head = &self.data[..self.data.len().min(8192)];
        head.contains(&0)
    }
}

/// What a detector reads, declared once. The pipeline asks this, never
/// the detector, which content to hand over and which path judgements to
/// make; a detector knows nothing of the pipeline's phases.
#[derive(Clone, Copy)]
pub struct Needs<'a> {
    pub reads: Reads,
    /// Judgements that depend on where content lives, for detectors whose
    /// matches in history blobs are found before their paths are known.
    pub paths: Option<&'a dyn PathRules>,
}

/// Which content a detector looks at.
#[derive(Clone, Copy)]
pub enum Reads {
    /// Every piece of content: the files of the working tree and every
    /// blob in history, each once, the blobs before their paths are known.
    Everything,
    /// Only the files as they stand now (the working tree, or HEAD's files
    /// in a bare repository) whose path the function accepts: lockfiles,
    /// workflows. Old versions no longer build or run.
    CurrentFiles(fn(&str) -> bool),
}

/// Path judgements: data a detector declares (which rules apply where,
/// which file names are findings by themselves), asked by the pipeline
/// once a match's path is known.
pub trait PathRules: Sync {
    /// The match as it stands at `path` (a data file's severity depends on
    /// its name), or `None` when the rule does not apply there.
    fn at_path(&self, m: Match, path: &str) -> Option<Match>;

    /// Findings from the path alone, such as a key file whose name gives
    /// it away.
    fn by_name(&self, path: &str, out: &mut dyn FnMut(Match));

    /// Could [`PathRules::by_name`] find anything in a file called `name`
    /// (the last path component)? A cheap answer lets a history walk skip
    /// building the paths of millions of tree entries.
    fn may_match_name(&self, name: &[u8]) -> bool;

    /// The rules [`Detector::detect_unplaced`] is to leave out of one
    /// repository's history, given the paths it holds now: those that apply
    /// at few of them. None by default.
    fn deferral(&self, _paths_now: &[&str]) -> Deferral {
        Deferral::default()
    }

    /// Does a rule `deferral` leaves out apply at `path`? A history blob
    /// found at such a path is read again for [`Detector::detect_placed`].
    fn defers_at(&self, _deferral: &Deferral, _path: &str) -> bool {
        false
    }

    /// Could [`PathRules::defers_at`] hold for a file called `name` (the
    /// last path component)? Asked of each name once, so that a history
    /// walk builds no path for the files no deferred rule applies to.
    fn defers_name(&self, _deferral: &Deferral, _name: &[u8]) -> bool {
        true
    }
}

/// The rules, by a detector's own numbering, that its first look at a
/// history blob leaves until the blob's paths are known (see
/// [`Detector::detect_unplaced`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deferral(Vec<u32>);

impl Deferral {
    pub fn new(mut rules: Vec<u32>) -> Self {
        rules.sort_unstable();
        rules.dedup();
        Deferral(rules)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, rule: u32) -> bool {
        self.0.binary_search(&rule).is_ok()
    }
}

/// What a detector reports for one piece of content: its matches, and why
/// content it should have read could not be (a corrupt workbook, a
/// notebook that is not JSON), which the pipeline reports with the file's
/// name before going on.
#[derive(Debug, Default)]
pub struct Out {
    pub matches: Vec<Match>,
    pub troubles: Vec<String>,
    /// Set by [`Detector::detect_unplaced`] when a rule it left out may
    /// match this content, once its paths are known.
    pub deferred: bool,
}

impl Out {
    pub fn found(&mut self, m: Match) {
        self.matches.push(m);
    }

    pub fn trouble(&mut self, why: impl Into<String>) {
        self.troubles.push(why.into());
    }

    pub fn is_empty(&self) -> bool {
        self.matches.is_empty() && self.troubles.is_empty()
    }
}

/// Something that looks at content and reports what it sees.
pub trait Detector: Send + Sync {
    /// What it reads; the same answer every time.
    fn needs(&self) -> Needs<'_>;

    /// Looks at one piece of content.
    fn detect(&self, content: &Content<'_>, out: &mut Out);

    /// [`Detector::detect`] on a history blob, before its paths are known,
    /// leaving out the rules in `deferral` (rules that apply only at some
    /// paths, a password rule for Python files in a JavaScript
    /// repository); `out.deferred` is set when one of them may match. The
    /// pipeline then hands the blob, if it was at a path such a rule
    /// applies to, to [`Detector::detect_placed`]. Most blobs of a history
    /// are at paths no such rule applies to, and searching them for every
    /// language's rules was up to a fifth of a history's time. Together
    /// the two find what `detect` finds.
    fn detect_unplaced(&self, content: &Content<'_>, _deferral: &Deferral, out: &mut Out) {
        self.detect(content, out);
    }

    /// The rules in `deferral` that apply at one of `paths`, on the same
    /// bytes as [`Detector::detect_unplaced`] (the matches are judged at
    /// each path afterwards, like every history match).
    fn detect_placed(
        &self,
        _content: &Content<'_>,
        _deferral: &Deferral,
        _paths: &[&str],
        _out: &mut Out,
    ) {
    }

    /// What the report calls it when it could not read something ("the
    /// personal-data detector"), so that a trouble names its reader and
    /// the detectors that still read the content.
    fn name(&self) -> &'static str {
        "a detector"
    }

    /// Every match in `content`, and any reason it could not be read: for
    /// tests and tools that look at one piece of content.
    fn look_at(&self, content: &Content<'_>) -> Out {
        let mut out = Out::default();
        self.detect(content, &mut out);
        out
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
