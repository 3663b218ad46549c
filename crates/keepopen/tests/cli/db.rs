//! `keepopen db`: the real advisory databases in `../shared/advisories/`
//! imported into a real SQLite file, re-imported unchanged, and a broken
//! archive named while the rest still loads.

use crate::support::*;
use std::path::PathBuf;

fn shared(sub: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/advisories")
        .join(sub);
    assert!(
        p.is_dir(),
        "the shared advisories are missing at {}",
        p.display()
    );
    p.to_string_lossy().into_owned()
}

#[test]
fn import_status_and_a_broken_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir
        .path()
        .join("store/keepopen.db")
        .to_string_lossy()
        .into_owned();
    let broken = dir.path().join("npm-all.zip");
    std::fs::write(&broken, b"PK\x03\x04 truncated export").expect("write");
    let out = keepopen(
        &[
            "db",
            "import",
            "--db",
            &db,
            &shared("rustsec"),
            &shared("pypa"),
            &broken.to_string_lossy(),
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a file that did not load is an error: {err}"
    );
    assert!(
        err.contains("npm-all.zip: not a readable zip archive"),
        "{err}"
    );
    let total: usize = err
        .lines()
        .find_map(|l| {
            l.split(": ")
                .nth(1)?
                .strip_suffix(" s")?
                .split(" advisories in all")
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0);
    let files = |sub: &str, ext: &str| count_files(&PathBuf::from(shared(sub)), ext);
    assert_eq!(
        total,
        files("rustsec", "json") + files("pypa", "yaml"),
        "{err}"
    );
    let out = keepopen(&["db", "status", "--db", &db], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let count = |eco: &str| -> usize {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(eco))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    assert!(count("crates.io") >= 1200, "{text}");
    assert!(count("PyPI") >= 2600, "{text}");
    let out = keepopen(
        &["db", "import", "--db", &db, &shared("rustsec")],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let n = count_files(&PathBuf::from(shared("rustsec")), "json");
    let expected = format!("{n} records (0 new, 0 updated, {n} unchanged)");
    assert!(err.contains(&expected), "{err}");
}

#[test]
fn update_says_it_is_offline_and_an_empty_store_says_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("k.db").to_string_lossy().into_owned();
    let out = keepopen(&["db", "status", "--db", &db], dir.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("keepopen db import"));
    let out = keepopen(
        &["db", "update", "--db", &db, "--ecosystems", "PyPI"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("offline") && err.contains("PyPI/all.zip"),
        "{err}"
    );
}

fn count_files(dir: &std::path::Path, ext: &str) -> usize {
    std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                count_files(&p, ext)
            } else {
                usize::from(p.extension().is_some_and(|x| x == ext))
            }
        })
        .sum()
}
