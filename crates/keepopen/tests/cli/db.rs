//! `keepopen db`: the real advisory databases in `../shared/advisories/`
//! imported into a real SQLite file, re-imported unchanged, and a broken
//! archive named while the rest still loads.

use crate::support::*;
use std::path::PathBuf;

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

/// An `all.zip` with one record, as osv.dev serves them.
fn export() -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "PYSEC-2099-1.json",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("entry");
    z.write_all(br#"{"id":"PYSEC-2099-1","modified":"2099-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"demo"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]}]}"#)
        .expect("write");
    z.finish().expect("zip").into_inner()
}

/// Serves `all.zip` for PyPI and 404 for anything else, on loopback, for
/// as many requests as asked, then stops.
fn serve(requests: usize) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let body = export();
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let head = if request.starts_with("GET /PyPI/all.zip ") {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n",
                    body.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string()
            };
            let _ = s.write_all(head.as_bytes());
            if head.starts_with("HTTP/1.1 200") {
                let _ = s.write_all(&body);
            }
        }
    });
    (url, handle)
}

fn db_cmd(args: &[&str], osv: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(args)
        .env("KEEPOPEN_OSV_URL", osv)
        .output()
        .expect("runs")
}

#[test]
fn update_downloads_and_imports_each_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("k.db").to_string_lossy().into_owned();
    let (url, server) = serve(2);
    let out = db_cmd(
        &["db", "update", "--db", &db, "--ecosystems", "PyPI,npm"],
        &url,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "npm's export was missing: {err}"
    );
    assert!(err.contains("PyPI: 1 records (1 new"), "{err}");
    assert!(
        err.contains("npm/all.zip: the server answered 404"),
        "{err}"
    );
    server.join().expect("server");
    let out = keepopen(&["db", "status", "--db", &db], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("PyPI") && l.split_whitespace().nth(1) == Some("1")),
        "{text}"
    );
    assert!(
        std::fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().ends_with(".part.zip")),
        "no download left behind"
    );
}

#[test]
fn update_without_a_network_says_it_is_offline_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("k.db").to_string_lossy().into_owned();
    // A port nothing listens on: the connection is refused at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let out = db_cmd(&["db", "update", "--db", &db, "--ecosystems", "PyPI"], &url);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("offline: cannot reach") && err.contains("PyPI/all.zip"),
        "{err}"
    );
    assert!(
        !std::path::Path::new(&db).exists(),
        "no database created for nothing"
    );
    let out = keepopen(&["db", "status", "--db", &db], dir.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("no advisory database at"));
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
