//! Lockfile and manifest parsers: each turns one file's bytes into the
//! packages it pins, named and versioned as OSV names them, so that they can
//! be matched against advisories.
//!
//! A parser never guesses: a range, a URL or a version of the format it does
//! not know becomes a note or a [`LockError`], never a made-up pin. Every
//! parser takes arbitrary bytes without panicking.

mod formats;
mod lines;

/// One pinned package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The OSV ecosystem name, exactly: "crates.io", "npm", "PyPI", "CRAN",
    /// "RubyGems", "Go", "Packagist", "NuGet", "Maven".
    pub ecosystem: &'static str,
    /// The name as OSV spells it: npm scoped `@scope/name`, PyPI normalised
    /// per PEP 503, Maven `group:artifact`.
    pub name: String,
    pub version: String,
    /// Dev-only, where the format says so.
    pub dev: bool,
    /// 1-based line in the file that pins it; 0 if unknown.
    pub line: u32,
}

/// What one file pins, and what it mentions but does not pin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub packages: Vec<Package>,
    /// Human-readable notes, e.g. a range that cannot be matched.
    pub notes: Vec<String>,
}

/// A file that could not be read as the format its name says.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}:{line}: {message}")]
    AtLine {
        path: String,
        line: u32,
        message: String,
    },
    /// A format version this crate does not know: better no answer than a
    /// wrong one.
    #[error("{path}: unknown {field} {found}")]
    UnknownVersion {
        path: String,
        field: &'static str,
        found: String,
    },
}

impl LockError {
    pub(crate) fn invalid(path: &str, message: impl Into<String>) -> Self {
        LockError::Invalid {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    pub(crate) fn at_line(path: &str, line: u32, message: impl Into<String>) -> Self {
        LockError::AtLine {
            path: path.to_owned(),
            line,
            message: message.into(),
        }
    }

    pub(crate) fn unknown_version(
        path: &str,
        field: &'static str,
        found: impl Into<String>,
    ) -> Self {
        LockError::UnknownVersion {
            path: path.to_owned(),
            field,
            found: found.into(),
        }
    }
}

/// One lockfile or manifest format.
pub trait Lockfile: Sync {
    /// A short stable id, e.g. `cargo-lock`.
    fn name(&self) -> &'static str;
    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError>;
}

/// Which file names each parser handles.
enum Matcher {
    Exact(&'static str),
    /// Starts with the first, ends with the second.
    Affix(&'static str, &'static str),
    /// Any `.txt` under a folder of this name.
    TxtUnder(&'static str),
    Suffix(&'static str),
}

impl Matcher {
    fn matches(&self, parent: &str, file: &str) -> bool {
        match self {
            Matcher::Exact(name) => file == *name,
            Matcher::Affix(start, end) => {
                file.len() >= start.len() + end.len()
                    && file.starts_with(start)
                    && file.ends_with(end)
            }
            Matcher::TxtUnder(folder) => parent == *folder && file.ends_with(".txt"),
            Matcher::Suffix(end) => file.len() > end.len() && file.ends_with(end),
        }
    }
}

/// The registry: one line per file name a format is known by.
#[rustfmt::skip]
static REGISTRY: &[(Matcher, &dyn Lockfile)] = &[
    (Matcher::Exact("Cargo.lock"), &formats::cargo_lock::CargoLock),
    (Matcher::Exact("package-lock.json"), &formats::npm::PackageLock),
    (Matcher::Exact("npm-shrinkwrap.json"), &formats::npm::PackageLock),
    (Matcher::Affix("requirements", ".txt"), &formats::requirements::Requirements),
    (Matcher::TxtUnder("requirements"), &formats::requirements::Requirements),
    (Matcher::Exact("poetry.lock"), &formats::poetry::PoetryLock),
    (Matcher::Exact("uv.lock"), &formats::uv::UvLock),
    (Matcher::Exact("Pipfile.lock"), &formats::pipfile::PipfileLock),
    (Matcher::Exact("pdm.lock"), &formats::pdm::PdmLock),
    (Matcher::Exact("pylock.toml"), &formats::pylock::PyLock),
    (Matcher::Affix("pylock.", ".toml"), &formats::pylock::PyLock),
    (Matcher::Exact("renv.lock"), &formats::renv::RenvLock),
    (Matcher::Exact("yarn.lock"), &formats::yarn::YarnLock),
    (Matcher::Exact("pnpm-lock.yaml"), &formats::pnpm::PnpmLock),
    (Matcher::Exact("Gemfile.lock"), &formats::gemfile::GemfileLock),
    (Matcher::Exact("gems.locked"), &formats::gemfile::GemfileLock),
    (Matcher::Exact("go.mod"), &formats::gomod::GoMod),
    (Matcher::Exact("composer.lock"), &formats::composer::ComposerLock),
    (Matcher::Exact("packages.lock.json"), &formats::nuget_lock::NugetLock),
    (Matcher::Exact("packages.config"), &formats::packages_config::PackagesConfig),
    (Matcher::Suffix(".deps.json"), &formats::deps_json::DepsJson),
    (Matcher::Exact("gradle.lockfile"), &formats::gradle::GradleLockfile),
    (Matcher::Suffix("-gradle.lockfile"), &formats::gradle::GradleLockfile),
    (Matcher::Exact("pom.xml"), &formats::pom::PomXml),
];

/// Which parser handles a file, by its name (last path component), e.g.
/// `Cargo.lock`, `package-lock.json`, `requirements-dev.txt`.
pub fn parser_for(path: &str) -> Option<&'static dyn Lockfile> {
    let mut parts = path.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or_default();
    let parent = parts.next().unwrap_or_default();
    REGISTRY
        .iter()
        .find(|(matcher, _)| matcher.matches(parent, file))
        .map(|(_, parser)| *parser)
}

/// Whether a lockfile lies in a folder of other people's code (installed
/// or vendored packages): such a lockfile is theirs, installed rather than
/// pinned by this repository, so the dependency scan leaves it alone. The
/// one list lives in `keepopen-findings`; the dependency detector and the
/// posture checks ask through here.
pub use keepopen_findings::is_vendored;

/// PEP 503 name normalisation: lowercase, runs of `-`, `_`, `.` become `-`.
pub(crate) fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// The bytes as UTF-8 text, or an error naming the file.
pub(crate) fn text<'a>(path: &str, data: &'a [u8]) -> Result<&'a str, LockError> {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    std::str::from_utf8(data).map_err(|e| {
        let line = lines::line_at(data, e.valid_up_to());
        LockError::at_line(path, line, "not UTF-8 text")
    })
}

/// Rejects a file left mid-merge: `<<<<<<<`, `=======` and `>>>>>>>` at the
/// start of a line.
pub(crate) fn reject_conflicts(path: &str, text: &str) -> Result<(), LockError> {
    for (n, line) in text.lines().enumerate() {
        if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
            .iter()
            .any(|m| line.starts_with(m))
        {
            let line = u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
            return Err(LockError::at_line(path, line, "merge conflict marker"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
