//! Crate-wide tests: the registry, vendored folders, and no panics on
//! mutated input for every parser.

use super::*;

/// `unwrap` for tests, which the workspace lints keep out of the crate.
pub(crate) trait Must<T> {
    fn must(self) -> T;
}

impl<T, E: std::fmt::Display> Must<T> for Result<T, E> {
    fn must(self) -> T {
        self.unwrap_or_else(|e| panic!("{e}"))
    }
}

impl<T> Must<T> for Option<T> {
    fn must(self) -> T {
        self.unwrap_or_else(|| panic!("expected a value"))
    }
}

/// The error a parse must give.
pub(crate) trait MustErr {
    fn must_err(self) -> LockError;
}

impl MustErr for Result<Parsed, LockError> {
    fn must_err(self) -> LockError {
        match self {
            Ok(parsed) => panic!("expected an error, got {parsed:?}"),
            Err(e) => e,
        }
    }
}

/// The parsed packages projected for assertions.
pub(crate) trait Rows {
    /// (name, version, dev, line)
    fn rows(&self) -> Vec<(&str, &str, bool, u32)>;
    /// (name, version, line)
    fn versions(&self) -> Vec<(&str, &str, u32)>;
    /// (ecosystem, name, version, line)
    fn ecosystems(&self) -> Vec<(&str, &str, &str, u32)>;
}

impl Rows for Parsed {
    fn rows(&self) -> Vec<(&str, &str, bool, u32)> {
        let p = self.packages.iter();
        p.map(|p| (p.name.as_str(), p.version.as_str(), p.dev, p.line))
            .collect()
    }
    fn versions(&self) -> Vec<(&str, &str, u32)> {
        let p = self.packages.iter();
        p.map(|p| (p.name.as_str(), p.version.as_str(), p.line))
            .collect()
    }
    fn ecosystems(&self) -> Vec<(&str, &str, &str, u32)> {
        let p = self.packages.iter();
        p.map(|p| (p.ecosystem, p.name.as_str(), p.version.as_str(), p.line))
            .collect()
    }
}

/// Every format's fixture, with the parser the registry picks for it.
fn fixtures() -> Vec<(&'static str, &'static str)> {
    vec![
        formats::cargo_lock::FIXTURE,
        formats::npm::FIXTURE,
        formats::requirements::FIXTURE,
        formats::poetry::FIXTURE,
        formats::uv::FIXTURE,
        formats::pipfile::FIXTURE,
        formats::pdm::FIXTURE,
        formats::pylock::FIXTURE,
        formats::renv::FIXTURE,
        formats::yarn::FIXTURE,
        formats::yarn::BERRY,
        formats::pnpm::FIXTURE,
        formats::gemfile::FIXTURE,
        formats::gomod::FIXTURE,
        formats::composer::FIXTURE,
        formats::nuget_lock::FIXTURE,
        formats::packages_config::FIXTURE,
        formats::deps_json::FIXTURE,
        formats::gradle::FIXTURE,
        formats::pom::FIXTURE,
    ]
}

#[test]
fn every_fixture_has_a_registered_parser_and_parses() {
    for (path, text) in fixtures() {
        let parser = parser_for(path).unwrap_or_else(|| panic!("no parser for {path}"));
        let parsed = parser
            .parse(path, text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!parsed.packages.is_empty(), "{path}");
        assert!(
            parsed.packages.iter().all(|p| p.line > 0),
            "{path}: {:?}",
            parsed.packages
        );
    }
}

#[test]
fn conflict_markers_are_an_error_naming_the_file() {
    for (path, text) in fixtures() {
        let parser = parser_for(path).must();
        let (first, rest) = text.split_once('\n').must();
        let conflicted = format!("{first}\n<<<<<<< HEAD\n{rest}");
        let err = parser
            .parse(path, conflicted.as_bytes())
            .must_err()
            .to_string();
        assert!(err.starts_with(&format!("{path}:")), "{path}: {err}");
    }
}

#[test]
fn conflict_markers_in_line_formats_name_the_line() {
    for (path, text) in [
        formats::requirements::FIXTURE,
        formats::gomod::FIXTURE,
        formats::gradle::FIXTURE,
    ] {
        let conflicted = text.replacen('\n', "\n=======\n", 1);
        let err = parser_for(path)
            .must()
            .parse(path, conflicted.as_bytes())
            .must_err();
        assert_eq!(err.to_string(), format!("{path}:2: merge conflict marker"));
    }
}

#[test]
fn unknown_files_have_no_parser() {
    for path in ["README.md", "Cargo.toml", "lock", "requirements.md", ""] {
        assert!(parser_for(path).is_none(), "{path}");
    }
}

#[test]
fn vendored_folders_are_recognised() {
    assert!(is_vendored("web/node_modules/lodash/package-lock.json"));
    assert!(is_vendored(
        ".venv/lib/python3.12/site-packages/x/requirements.txt"
    ));
    assert!(is_vendored("vendor\\github.com\\x\\go.mod"));
    assert!(!is_vendored("web/package-lock.json"));
    assert!(!is_vendored("vendor"));
    assert!(!is_vendored("app/vendors/Cargo.lock"));
}

#[test]
fn pep503_normalises_names() {
    assert_eq!(pep503("Django_Rest.framework"), "django-rest-framework");
    assert_eq!(pep503("a-_.b"), "a-b");
}

/// A small fixed-seed generator, so failures reproduce without a dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// Bytes that matter to the formats' syntax.
const SPECIALS: &[u8] = b"{}[]\"':,\n\\=#-@ <>/";

#[test]
fn mutated_fixtures_never_panic() {
    let mut rng = XorShift(0x5eed_cafe_f00d_d00d);
    for (path, text) in fixtures() {
        let parser = parser_for(path).unwrap_or_else(|| panic!("no parser for {path}"));
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let _ = parser.parse(path, &bytes[..cut]);
        }
        for _ in 0..2000 {
            let mut data = bytes.to_vec();
            for _ in 0..=rng.below(4) {
                let i = rng.below(data.len());
                match rng.below(4) {
                    0 => data[i] = (rng.next() & 0xff) as u8,
                    1 => data[i] = SPECIALS[rng.below(SPECIALS.len())],
                    2 => {
                        data.remove(i);
                    }
                    _ => data.insert(i, data[rng.below(data.len())]),
                }
                if data.is_empty() {
                    data.push(b'x');
                }
            }
            let _ = parser.parse(path, &data);
        }
    }
}
