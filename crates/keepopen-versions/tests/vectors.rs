//! Runs every comparison in the published ordering vectors (google/osv-scalibr's
//! `semantic/testdata`, kept beside the repository in `shared/version-order`)
//! through [`keepopen_versions::compare`], in both directions.
//!
//! A line whose versions the ecosystem itself rejects is not a mismatch but
//! a skip; each test names exactly which versions it expects to be rejected,
//! so a skip can neither hide a regression nor grow unnoticed. Likewise a
//! line on which the vectors contradict the ecosystem's reference
//! implementation is listed, with the evidence, and must keep disagreeing.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::path::PathBuf;

use keepopen_versions::{Ecosystem, VersionError, compare};

fn vectors_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/version-order"
    ));
    assert!(
        dir.is_dir(),
        "the version-order vectors are missing: expected {} (shared/ beside the repository)",
        dir.display()
    );
    dir
}

struct Vector {
    origin: String,
    a: String,
    b: String,
    expected: Ordering,
}

fn load(file: &str) -> Vec<Vector> {
    let path = vectors_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut vectors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let expected = match fields.get(1) {
            Some(&"<") => Ordering::Less,
            Some(&">") => Ordering::Greater,
            Some(&"=") => Ordering::Equal,
            _ => panic!("{file}:{}: not `A <|>|= B`: {line:?}", n + 1),
        };
        assert_eq!(
            fields.len(),
            3,
            "{file}:{}: not `A <|>|= B`: {line:?}",
            n + 1
        );
        vectors.push(Vector {
            origin: format!("{file}:{}", n + 1),
            a: fields[0].to_owned(),
            b: fields[2].to_owned(),
            expected,
        });
    }
    assert!(!vectors.is_empty(), "{file} holds no comparisons");
    vectors
}

fn rejected(err: VersionError) -> String {
    match err {
        VersionError::Invalid { version, .. } => version,
    }
}

/// Checks every vector of `files` both ways. `expected_rejections` lists the
/// versions the ecosystem's own rules refuse, which turn their lines into
/// skips; `contradicted` lists `(a, b)` lines where the vector's expectation
/// is not what the ecosystem's reference implementation does.
fn check(
    eco: Ecosystem,
    files: &[&str],
    expected_rejections: &[&str],
    contradicted: &[(&str, &str)],
) {
    let mut checked = 0;
    let mut mismatches = Vec::new();
    let mut disagreements = BTreeSet::new();
    let mut skipped = Vec::new();
    let mut rejections = BTreeSet::new();
    for file in files {
        for v in load(file) {
            let forward = compare(eco, &v.a, &v.b);
            let backward = compare(eco, &v.b, &v.a);
            match (forward, backward) {
                (Ok(f), Ok(r)) => {
                    checked += 2;
                    let wrong = f != v.expected || r != v.expected.reverse();
                    if wrong && contradicted.contains(&(v.a.as_str(), v.b.as_str())) {
                        eprintln!(
                            "  contradicted {}: {} {:?} {} (got {f:?})",
                            v.origin, v.a, v.expected, v.b
                        );
                        disagreements.insert((v.a.clone(), v.b.clone()));
                    } else if wrong {
                        mismatches.push(format!(
                            "{}: {} {:?} {} expected, got {f:?} (reversed: {r:?})",
                            v.origin, v.a, v.expected, v.b
                        ));
                    }
                }
                (Err(e), _) | (_, Err(e)) => {
                    let version = rejected(e);
                    skipped.push(format!(
                        "{}: {} vs {} ({version:?} rejected)",
                        v.origin, v.a, v.b
                    ));
                    rejections.insert(version);
                }
            }
        }
    }
    eprintln!(
        "{}: {checked} comparisons checked, {} mismatches, {} known contradictions, {} lines skipped",
        eco.name(),
        mismatches.len(),
        disagreements.len(),
        skipped.len()
    );
    for s in &skipped {
        eprintln!("  skipped {s}");
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} comparisons disagree with the vectors; first 20:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let listed: BTreeSet<(String, String)> = contradicted
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(
        disagreements,
        listed,
        "the listed contradictions of the {} vectors no longer match what the comparator does",
        eco.name()
    );
    let expected: BTreeSet<String> = expected_rejections
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(
        rejections,
        expected,
        "the versions {} rejected are not the ones this test lists",
        eco.name()
    );
}

#[test]
fn semver_vectors() {
    check(Ecosystem::SemVer, &["semver-versions.txt"], &[], &[]);
}

#[test]
fn pypi_vectors() {
    check(
        Ecosystem::Pypi,
        &["pypi-versions.txt", "pypi-versions-generated.txt"],
        // Not PEP 440: versions only the `LegacyVersion` that `packaging`
        // has since removed could order (the hand-written file includes
        // some on purpose, and the generated one has real ones: `0.3m1`,
        // `trunk`, timestamps).
        &[
            "-class.-jw.util.version.Version-",
            "-class.-jw.util.version.version-dev",
            "-class.-jw.util.version.version-pre",
            "-class.-jw.util.version.version-preview",
            "0.0.1-test1",
            "0.1-bulbasaur",
            "0.1-charmander",
            "0.3.1-p1",
            "0.3m1",
            "0.3m2",
            "0.3m3",
            "0.3m4",
            "0.3m5",
            "0.4.0-p1",
            "0.4m1",
            "0.4m2",
            "0.4m3",
            "0.4m4",
            "0.4m5",
            "0.5m1",
            "0.5m2",
            "0.5m3",
            "0.5m4",
            "0.5m5",
            "0.6m1",
            "0.6m2",
            "0.6m3",
            "0.6m4",
            "0.6m5",
            "0.6m6",
            "0.7.1.fix1",
            "0.7.10p1",
            "0.7.11p1",
            "0.7.11p2",
            "0.7.11p3",
            "0.7.4.svn.r2010",
            "0.8.1p1",
            "0.8.3p1",
            "0.8.4p1",
            "0.8.4p2",
            "0.8.6p1",
            "0.8.7p1",
            "0.9-doduo",
            "0.9-eevee",
            "0.9-fearow",
            "0.9-gyarados",
            "0.9-horsea",
            "0.9-ivysaur",
            "1.0beta6.1",
            "1.3.1-STAGING",
            "2.0.0-final",
            "2.0.1rc2-git",
            "2013-01-21T20:33:09+0100",
            "2013-01-23T17:11:52+0100",
            "2013-02-01T20:50:46+0100",
            "2013-02-02T19:59:03+0100",
            "2013-02-02T20:23:17+0100",
            "2013-02-08T17:40:57+0000",
            "2013-03-27T16:32:26+0100",
            "2013-05-09T12:47:53+0200",
            "2013-05-10T17:55:56+0200",
            "2013-05-14T20:16:05+0200",
            "2013-06-01T10:32:51+0200",
            "2013-07-19T09:11:08+0000",
            "2013-08-12T21:48:56+0200",
            "2013-09-11T19-27-10",
            "2013-12-23T17-51-15",
            "2014-01-12T15-52-10",
            "4.11-final",
            "5.0-final",
            "a3",
            "trunk",
        ],
        &[],
    );
}

#[test]
fn maven_vectors() {
    check(
        Ecosystem::Maven,
        &["maven-versions.txt", "maven-versions-generated.txt"],
        &[],
        // None: the comparator follows osv-scalibr (maven-artifact 3.8.6,
        // before MNG-7644), which wrote these vectors, so that keepopen
        // orders Maven versions exactly as osv-scanner does.
        &[],
    );
}

#[test]
fn rubygems_vectors() {
    check(
        Ecosystem::RubyGems,
        &["rubygems-versions.txt", "rubygems-versions-generated.txt"],
        // Fail `Gem::Version::ANCHORED_VERSION_PATTERN`: after the first
        // number, letters need a `.` (`1.beta`) or `-` (`1-beta`).
        &["1beta", "1gamma"],
        &[],
    );
}

#[test]
fn nuget_vectors() {
    check(Ecosystem::NuGet, &["nuget-versions.txt"], &[], &[]);
}

#[test]
fn packagist_vectors() {
    check(
        Ecosystem::Packagist,
        &["packagist-versions.txt", "packagist-versions-generated.txt"],
        &[],
        &[],
    );
}

#[test]
fn cran_vectors() {
    check(
        Ecosystem::Cran,
        &["cran-versions.txt", "cran-versions-generated.txt"],
        &[],
        &[],
    );
}

#[test]
fn debian_vectors() {
    check(
        Ecosystem::Debian,
        &["debian-versions.txt", "debian-versions-generated.txt"],
        &[],
        &[],
    );
}
