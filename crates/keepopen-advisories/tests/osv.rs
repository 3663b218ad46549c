//! The OSV evaluation on small records written here for every event kind,
//! and on the real RustSec (JSON) and PyPA (YAML) databases in
//! `../shared/advisories/`.

use keepopen_advisories::{Index, Record, load, load::parse_json, lowest_fix_for_all};
use std::path::PathBuf;

fn shared(sub: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/advisories")
        .join(sub);
    assert!(
        p.is_dir(),
        "the shared advisories are missing at {}",
        p.display()
    );
    p
}

fn record(json: &str) -> Record {
    parse_json(json.as_bytes())
        .expect("fixture parses")
        .remove(0)
}

fn ids(idx: &Index, eco: &str, name: &str, v: &str) -> Vec<String> {
    idx.query(eco, name, v)
        .expect("valid version")
        .iter()
        .map(|h| h.record.id.clone())
        .collect()
}

#[test]
fn introduced_fixed_last_affected_limit_and_versions() {
    let idx = Index::new(vec![
        record(
            r#"{"id":"A","affected":[{"package":{"ecosystem":"PyPI","name":"Flask_Login"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"},{"introduced":"2.0"},{"fixed":"2.1.3"}]}]}]}"#,
        ),
        record(
            r#"{"id":"B","affected":[{"package":{"ecosystem":"npm","name":"left-pad"},
            "ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"last_affected":"1.2.0"}]}]}]}"#,
        ),
        record(
            r#"{"id":"C","affected":[{"package":{"ecosystem":"crates.io","name":"tokio"},
            "ranges":[{"type":"SEMVER","events":[{"introduced":"0.1.0"},{"limit":"0.3.0"}]}]}]}"#,
        ),
        record(
            r#"{"id":"D","affected":[{"package":{"ecosystem":"RubyGems","name":"rack"},"versions":["2.0.1","2.0.2"]}]}"#,
        ),
        record(
            r#"{"id":"E","withdrawn":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"flask-login"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#,
        ),
        record(
            r#"{"id":"F","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u1"}]}]}]}"#,
        ),
        record(
            r#"{"id":"G","affected":[{"package":{"ecosystem":"Hex","name":"plug"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]},
            {"package":{"ecosystem":"PyPI","name":"x"},"ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"abc"}]}]}]}"#,
        ),
    ]);
    // PEP 503 names; two introduced/fixed pairs in one range.
    assert_eq!(ids(&idx, "PyPI", "flask-login", "0.6.3"), vec!["A"]);
    assert!(ids(&idx, "PyPI", "flask.login", "1.0").is_empty());
    assert!(ids(&idx, "PyPI", "FLASK_LOGIN", "1.5").is_empty());
    assert_eq!(ids(&idx, "PyPI", "flask-login", "2.1.2"), vec!["A"]);
    assert!(ids(&idx, "PyPI", "flask-login", "2.1.3").is_empty());
    // last_affected is inclusive.
    assert_eq!(ids(&idx, "npm", "left-pad", "1.2.0"), vec!["B"]);
    assert!(ids(&idx, "npm", "left-pad", "1.2.1").is_empty());
    assert!(ids(&idx, "npm", "left-pad", "0.9.0").is_empty());
    // limit caps the range.
    assert_eq!(ids(&idx, "crates.io", "tokio", "0.2.9"), vec!["C"]);
    assert!(ids(&idx, "crates.io", "tokio", "0.3.0").is_empty());
    // The explicit list.
    assert_eq!(ids(&idx, "RubyGems", "rack", "2.0.2"), vec!["D"]);
    assert!(ids(&idx, "RubyGems", "rack", "2.0.3").is_empty());
    // Ecosystem suffixes keep the base ecosystem's order: ~ sorts first.
    assert_eq!(
        ids(&idx, "Debian:12", "openssl", "3.0.11-1~deb12u0"),
        vec!["F"]
    );
    assert!(ids(&idx, "Debian", "openssl", "3.0.11-1").is_empty());
    assert_eq!(idx.withdrawn, 1);
    assert_eq!(
        idx.skipped.get("Hex"),
        Some(&1),
        "unknown ecosystems are skipped, and counted"
    );
    assert!(idx.query("PyPI", "flask-login", "not a version!").is_err());
}

/// Events listed as pairs in no order: intervals that touch make one
/// range, and an interval that opens and closes at one version is empty.
#[test]
fn pairs_in_record_order_are_intervals() {
    let idx = Index::new(vec![
        // PyPA's pyspark advisory, as published.
        record(
            r#"{"id":"P","affected":[{"package":{"ecosystem":"PyPI","name":"pyspark"},"ranges":[{"type":"ECOSYSTEM","events":[
            {"introduced":"0"},{"fixed":"3.1.1"},{"introduced":"3.2.0"},{"fixed":"3.2.2"},{"introduced":"3.1.1"},{"fixed":"3.2.0"}]}]}]}"#,
        ),
        // RustSec's arrow2 shape: an empty interval beside a real one.
        record(
            r#"{"id":"R","affected":[{"package":{"ecosystem":"crates.io","name":"arrow2"},"ranges":[{"type":"SEMVER","events":[
            {"introduced":"0.0.0-0"},{"fixed":"0.7.1"},{"introduced":"0.10.0"},{"fixed":"0.10.0"}]}]}]}"#,
        ),
    ]);
    for v in ["2.4.0", "3.1.1", "3.2.0", "3.2.1"] {
        assert_eq!(ids(&idx, "PyPI", "pyspark", v), vec!["P"], "{v}");
    }
    assert!(ids(&idx, "PyPI", "pyspark", "3.2.2").is_empty());
    let hits = idx.query("PyPI", "pyspark", "3.1.5").expect("query");
    assert_eq!(
        hits[0].verdict.fixed.as_deref(),
        Some("3.2.2"),
        "3.2.0 is no fix: it is affected"
    );
    assert_eq!(ids(&idx, "crates.io", "arrow2", "0.7.0"), vec!["R"]);
    assert!(ids(&idx, "crates.io", "arrow2", "0.10.0").is_empty());
}

#[test]
fn the_lowest_version_fixing_every_advisory() {
    let idx = Index::new(vec![
        record(
            r#"{"id":"A","affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.2.14"}]}]}]}"#,
        ),
        record(
            r#"{"id":"B","affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"3.0"},{"fixed":"3.2.19"},{"introduced":"4.0"},{"fixed":"4.1.9"}]}]}]}"#,
        ),
    ]);
    let hits = idx.query("PyPI", "django", "3.2.1").expect("query");
    assert_eq!(hits.len(), 2);
    let fixes: Vec<Option<String>> = hits.iter().map(|h| h.verdict.fixed.clone()).collect();
    assert_eq!(fixes, vec![Some("3.2.14".into()), Some("3.2.19".into())]);
    assert_eq!(lowest_fix_for_all("PyPI", &hits).as_deref(), Some("3.2.19"));
    let hits = idx.query("PyPI", "django", "4.0.2").expect("query");
    assert_eq!(lowest_fix_for_all("PyPI", &hits).as_deref(), Some("4.1.9"));
}

#[test]
fn the_shared_databases_load_whole() {
    let rustsec = load(&shared("rustsec"));
    assert!(
        rustsec.errors.is_empty(),
        "{:#?}",
        &rustsec.errors[..rustsec.errors.len().min(5)]
    );
    assert!(rustsec.records.len() >= 1200, "{}", rustsec.records.len());
    let pypa = load(&shared("pypa"));
    assert!(
        pypa.errors.is_empty(),
        "{:#?}",
        &pypa.errors[..pypa.errors.len().min(5)]
    );
    let yaml_files = walk_count(&shared("pypa"), "yaml");
    assert!(yaml_files > 2500, "{yaml_files}");
    assert_eq!(pypa.records.len(), yaml_files, "one record per YAML file");
    assert!(pypa.records.iter().all(|r| !r.id.is_empty()));
}

fn walk_count(dir: &std::path::Path, ext: &str) -> usize {
    std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_count(&p, ext)
            } else {
                usize::from(p.extension().is_some_and(|x| x == ext))
            }
        })
        .sum()
}

/// Every real range with an `introduced` and a `fixed` version: the first
/// is affected and the second is not, when nothing else in the record
/// covers it.
#[test]
fn real_ranges_include_their_introduction_and_exclude_their_fix() {
    let mut records = load(&shared("rustsec")).records;
    records.extend(load(&shared("pypa")).records);
    let mut checked = 0;
    let mut failures = Vec::new();
    for r in &records {
        if r.withdrawn.is_some() {
            continue;
        }
        let idx = Index::new(vec![r.clone()]);
        for a in &r.affected {
            let Some(p) = &a.package else { continue };
            // Another entry for the same package could cover the fix.
            if r.affected
                .iter()
                .filter(|b| b.package.as_ref().map(|q| &q.name) == Some(&p.name))
                .count()
                != 1
            {
                continue;
            }
            for range in a.ranges.iter().filter(|x| x.kind != "GIT") {
                let events = &range.events;
                for w in events.windows(2) {
                    let (Some(i), Some(f)) = (w[0].introduced.as_deref(), w[1].fixed.as_deref())
                    else {
                        continue;
                    };
                    // An empty range (`introduced 0.10.0, fixed 0.10.0`)
                    // covers nothing.
                    if i == "0" || i == f || a.versions.iter().any(|v| v == f) {
                        continue;
                    }
                    // A fix that opens another interval of the same range
                    // (PyPA's pyspark: `3.1.1..3.2.0`, `3.2.0..3.2.2`) is
                    // itself affected.
                    let reopens = events.iter().any(|e| e.introduced.as_deref() == Some(f));
                    let (Ok(at_i), Ok(at_f)) = (
                        idx.query(&p.ecosystem, &p.name, i),
                        idx.query(&p.ecosystem, &p.name, f),
                    ) else {
                        continue;
                    };
                    checked += 1;
                    let other_ranges = a.ranges.len() > 1 || reopens;
                    if at_i.is_empty() || (!at_f.is_empty() && !other_ranges) {
                        failures.push(format!(
                            "{} {} {}: introduced {i} hit={} fixed {f} hit={}",
                            r.id,
                            p.ecosystem,
                            p.name,
                            !at_i.is_empty(),
                            !at_f.is_empty()
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 3000, "checked only {checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked}: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

#[test]
fn an_all_zip_export_loads_and_bad_entries_are_named() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("all.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        ("GHSA-1.json", r#"{"id":"GHSA-1","affected":[]}"#),
        (
            "PYSEC-2.json",
            r#"{"id":"PYSEC-2","aliases":["CVE-2024-1"]}"#,
        ),
        ("bad.json", r#"{"id": 3"#),
    ] {
        z.start_file(name, opts).expect("entry");
        z.write_all(body.as_bytes()).expect("write");
    }
    z.finish().expect("finish");
    let l = load(&path);
    assert_eq!(l.records.len(), 2);
    assert_eq!(l.errors.len(), 1);
    assert!(
        l.errors[0].source_name.ends_with("all.zip!bad.json"),
        "{:?}",
        l.errors
    );
    std::fs::write(dir.path().join("corrupt.zip"), b"PK\x03\x04 cut short").expect("write");
    let l = load(&dir.path().join("corrupt.zip"));
    assert!(l.records.is_empty());
    assert!(
        l.errors[0]
            .to_string()
            .contains("corrupt.zip: not a readable zip archive"),
        "{:?}",
        l.errors
    );
}
