//! Inputs built to exhaust memory or time: one blob of thousands of tokens
//! on one line, pack entries that declare gigabytes, absurd thread counts.
//! Each must end in a report that says what was left out.

use crate::support::*;
use std::io::Write;

#[test]
fn thousands_of_tokens_on_one_line_are_capped_and_counted() {
    let mut r = Repo::new();
    let n = 50_000;
    let line: Vec<String> = (0..n).map(github_token).collect();
    r.write("dump.txt", line.join(" "));
    r.commit("one long line");
    let started = std::time::Instant::now();
    let (_, v) = scan_json(r.path(), &["--no-history", "--detectors", "secrets"]);
    // A scan quadratic in the matches on a line took minutes here; a linear
    // one takes seconds even unoptimised.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
    let found = findings(&v);
    assert_eq!(
        found.len(),
        100,
        "at most 100 matches of one rule in one file"
    );
    let details: Vec<&str> = found.iter().filter_map(|f| f["detail"].as_str()).collect();
    assert_eq!(
        details,
        [format!("and {} more in this file", n - 100)],
        "{v:#}"
    );
}

/// A pack's bytes: its header, then each entry as given.
fn pack(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut p = b"PACK".to_vec();
    p.extend(2u32.to_be_bytes());
    p.extend((entries.len() as u32).to_be_bytes());
    for e in entries {
        p.extend(e);
    }
    p.extend([0u8; 20]); // trailer checksum; nothing here verifies it
    p
}

/// An entry header: type and size, the size in little-endian groups.
fn entry_header(kind: u8, mut size: u64) -> Vec<u8> {
    let mut first = (kind << 4) | (size & 0x0f) as u8;
    size >>= 4;
    let mut out = Vec::new();
    while size > 0 {
        out.push(first | 0x80);
        first = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(first);
    out
}

fn varint(mut n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(data).expect("deflate");
    z.finish().expect("deflate")
}

/// A version 2 index of entries at `offsets` named `ids` (sorted).
fn index(ids: &[[u8; 20]], offsets: &[u32]) -> Vec<u8> {
    let mut x = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
    for b in 0..=255u8 {
        let n = ids.iter().filter(|id| id[0] <= b).count() as u32;
        x.extend(n.to_be_bytes());
    }
    ids.iter().for_each(|id| x.extend(id));
    ids.iter().for_each(|_| x.extend(0u32.to_be_bytes()));
    offsets.iter().for_each(|o| x.extend(o.to_be_bytes()));
    x.extend([0u8; 40]);
    x
}

#[test]
fn pack_entries_declaring_gigabytes_are_skipped_by_id_not_allocated() {
    let mut r = Repo::new();
    let token = github_token(160);
    r.write("a.py", format!("T = '{token}'\n"));
    r.commit("ordinary");
    // A small blob, a blob whose header declares 8 GiB over a 20-byte
    // stream, and a delta on the small blob declaring a 2 GiB result.
    let small_text = format!("U = '{}'\n", github_token(161));
    let small = [
        entry_header(3, small_text.len() as u64),
        zlib(small_text.as_bytes()),
    ]
    .concat();
    let huge = [entry_header(3, 8 << 30), zlib(b"tiny")].concat();
    let delta_data = [
        varint(small_text.len() as u64),
        varint(2 << 30),
        vec![0x04],
        b"abcd".to_vec(),
    ]
    .concat();
    let off_small = 12u32;
    let off_huge = off_small + small.len() as u32;
    let off_delta = off_huge + huge.len() as u32;
    let delta = [
        entry_header(6, delta_data.len() as u64),
        varint_ofs((off_delta - off_small) as u64),
        zlib(&delta_data),
    ]
    .concat();
    let ids = [[0x11u8; 20], [0x22; 20], [0x33; 20]];
    let dir = r.path().join(".git/objects/pack");
    std::fs::create_dir_all(&dir).expect("pack dir");
    std::fs::write(dir.join("pack-crafted.pack"), pack(&[small, huge, delta])).expect("pack");
    std::fs::write(
        dir.join("pack-crafted.idx"),
        index(&ids, &[off_small, off_huge, off_delta]),
    )
    .expect("idx");

    let (_, v) = scan_json(r.path(), &["--no-worktree", "--detectors", "secrets"]);
    let skipped = v["summary"]["skipped"].to_string();
    assert!(skipped.contains(&"22".repeat(20)), "the 8 GiB blob: {v:#}");
    assert!(skipped.contains(&"33".repeat(20)), "the 2 GiB delta: {v:#}");
    assert!(skipped.contains("8589934592 bytes"), "{v:#}");
    assert!(!skipped.contains(&"11".repeat(20)), "{v:#}");
    assert!(secrets(&v).contains(&token), "the rest is scanned: {v:#}");
}

/// An ofs-delta's base distance: big-endian groups, each but the last
/// one less than written.
fn varint_ofs(mut n: u64) -> Vec<u8> {
    let mut out = vec![(n & 0x7f) as u8];
    n >>= 7;
    while n > 0 {
        n -= 1;
        out.insert(0, 0x80 | (n & 0x7f) as u8);
        n >>= 7;
    }
    out
}

#[test]
fn a_blob_over_max_blob_size_is_named_and_skipped() {
    let mut r = Repo::new();
    let token = github_token(170);
    r.write("big.txt", format!("T = '{token}'\n{}", "x\n".repeat(5000)));
    r.write("small.py", format!("U = '{}'\n", github_token(171)));
    // A tree over the limit: the limit is for blobs, not history's shape.
    for i in 0..60 {
        r.write(&format!("file-{i}.txt"), format!("{i}\n"));
    }
    r.commit("sizes");
    for packed in [false, true] {
        if packed {
            r.pack();
        }
        let (_, v) = scan_json(r.path(), &["--no-worktree", "--max-blob-size", "1000"]);
        assert!(!secrets(&v).contains(&token), "packed {packed}: {v:#}");
        assert_eq!(secrets(&v).len(), 1, "packed {packed}: {v:#}");
        let skipped = v["summary"]["skipped"].to_string();
        assert!(
            skipped.contains("--max-blob-size"),
            "packed {packed}: {v:#}"
        );
        // Named by the path and commit that hold it, as well as its id.
        assert!(
            skipped.contains("big.txt (object "),
            "packed {packed}: {skipped}"
        );
    }
}

#[test]
fn absurd_thread_counts_are_capped_with_a_note() {
    let mut r = Repo::new();
    r.write("a.py", format!("T = '{}'\n", github_token(180)));
    r.commit("one");
    let (_, v) = scan_json(r.path(), &["--threads", "10000"]);
    assert_eq!(secrets(&v).len(), 1, "{v:#}");
    assert!(v.to_string().contains("10000 threads asked for"), "{v:#}");
}

/// Issue 11: a working-tree file over the cap was only counted ("note: 1
/// file not scanned") and the flag it named was not the history's. One
/// `--max-blob-size` now holds both, and each skipped file is named with
/// its size, the limit and the flag, in the human report and in JSON.
#[test]
fn a_file_over_max_blob_size_is_listed_with_its_size_the_limit_and_the_flag() {
    let mut r = Repo::new();
    r.write("small.py", format!("T = '{}'\n", github_token(190)));
    r.commit("small");
    // Sparse: 3 MiB declared, nothing written.
    std::fs::create_dir_all(r.path().join("data")).expect("mkdir");
    let big = std::fs::File::create(r.path().join("data/extract.bin")).expect("create");
    big.set_len(3 << 20).expect("set_len");
    let want = "data/extract.bin: 3 MiB (3145728 bytes) is over the 1 MiB limit; raise it with --max-blob-size";
    for flag in ["--max-blob-size", "--max-file-size"] {
        let (_, text) = render_with_code(&r, "human", &["--no-history", flag, "1MiB"]);
        assert!(text.contains(&format!("skipped: {want}")), "{flag}: {text}");
        let (_, v) = scan_json(r.path(), &["--no-history", flag, "1MiB"]);
        assert_eq!(secrets(&v).len(), 1, "{v:#}");
        let skipped = v["summary"]["skipped"].as_array().expect("a list");
        assert_eq!(skipped.len(), 1, "{v:#}");
        assert_eq!(
            format!(
                "{}: {}",
                skipped[0]["subject"].as_str().unwrap_or(""),
                skipped[0]["message"].as_str().unwrap_or("")
            ),
            want
        );
    }
    // Under the default limit it is read.
    let (_, v) = scan_json(r.path(), &["--no-history"]);
    assert_eq!(v["summary"]["skipped"], serde_json::json!([]), "{v:#}");
}

/// The same limit, and the same words, for a blob in history, named by the
/// path and commit that hold it and its id; the config's older
/// `max_file_size` key sets it too.
#[test]
fn a_history_blob_over_max_blob_size_is_listed_by_path_and_object_id() {
    let mut r = Repo::new();
    // Incompressible enough that its packed size backs its declared size.
    let body = random_chars(191, 2 << 20, b"abcdefghijklmnopqrstuvwxyz0123456789");
    r.write("big.txt", &body);
    r.write("small.py", format!("T = '{}'\n", github_token(192)));
    r.commit("a 2 MiB file");
    let blob = r.git(&["rev-parse", "HEAD:big.txt"]);
    let commit = r.git(&["rev-parse", "HEAD"]);
    r.git(&["rm", "-q", "big.txt"]);
    r.commit("removed");
    let want = format!(
        "big.txt (object {blob}, in commit {}): 2 MiB (2097152 bytes) is over the 1 MiB limit; raise it with --max-blob-size",
        &commit[..10]
    );
    let (_, text) = render_with_code(&r, "human", &["--max-blob-size", "1MiB"]);
    assert!(text.contains(&format!("skipped: {want}")), "{text}");
    let (_, v) = scan_json(r.path(), &["--max-blob-size", "1MiB"]);
    let skipped: Vec<String> = v["summary"]["skipped"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s["subject"].as_str().unwrap_or(""),
                s["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(skipped, [want], "{v:#}");
    r.write(".keepopen.toml", "max_file_size = 1048576\n");
    let (_, v) = scan_json(r.path(), &[]);
    assert!(
        v["summary"]["skipped"].to_string().contains(&blob),
        "config: {v:#}"
    );
}

/// Issue 11, F4: a custom rule on one 5 MB line took over a minute, as
/// each match rescanned the line. Matching is linear now: the line is
/// read once, and the rule's matches are capped and counted.
#[test]
fn a_custom_rule_on_a_five_megabyte_line_is_linear_and_capped() {
    let mut r = Repo::new();
    let token = |i: u64| {
        format!(
            "acme_{}",
            random_chars(900 + i, 20, b"abcdefghijklmnopqrstuvwxyz0123456789")
        )
    };
    let unit: Vec<String> = (0..16).map(token).collect();
    let unit = unit.join(" ") + " ";
    let line = unit.repeat((5 << 20) / unit.len() + 1);
    r.write("dump.cfg", format!("keys = {line}\n"));
    r.write(
        ".keepopen.toml",
        concat!(
            "[[rule]]\n",
            "id = \"acme-token\"\n",
            "name = \"ACME token\"\n",
            "description = \"Reads every ACME record.\"\n",
            "severity = \"high\"\n",
            "confidence = \"high\"\n",
            "keywords = [\"acme_\"]\n",
            "pattern = '''\\b(acme_[a-z0-9]{20})\\b'''\n",
            "examples = [\"acme_«»0123456789abcdefghij\"]\n",
        ),
    );
    r.commit("a long line");
    let started = std::time::Instant::now();
    let (_, v) = scan_json(r.path(), &["--no-history", "--detectors", "secrets"]);
    let took = started.elapsed();
    let acme = |v: &serde_json::Value| {
        let mut s: Vec<String> = findings(v)
            .into_iter()
            .filter(|f| f["rule"] == "acme-token")
            .map(|f| f["secret"].as_str().unwrap_or_default().to_string())
            .collect();
        s.sort();
        s
    };
    let long = acme(&v);
    // The distinct tokens are those of one copy of the line's unit.
    r.write("dump.cfg", format!("keys = {unit}\n"));
    r.commit("the unit once");
    let (_, once) = scan_json(r.path(), &["--no-history", "--detectors", "secrets"]);
    assert!(!long.is_empty(), "{v:#}");
    assert_eq!(long, acme(&once));
    assert!(
        v.to_string().contains("more in this file"),
        "counted: {v:#}"
    );
    // A loose bound for a debug build on a busy machine; the quadratic
    // engine took over a minute in a release build.
    assert!(took.as_secs() < 60, "took {took:?}");
}

/// Issue 11, F3, end to end: a workflow nested 200,000 levels deep is
/// listed as skipped, naming the file and the limit, and the rest of the
/// repository is scanned.
#[test]
fn a_deeply_nested_workflow_is_skipped_by_name_and_the_rest_is_scanned() {
    let mut r = Repo::new();
    let deep = format!(
        "on: push\njobs: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    r.write(".github/workflows/deep.yml", deep);
    let token = github_token(910);
    r.write("app.py", format!("T = '{token}'\n"));
    r.commit("deep");
    let started = std::time::Instant::now();
    let (_, v) = scan_json_default(r.path(), &["--no-history"]);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert!(secrets(&v).contains(&token), "{v:#}");
    // The workflow audits could not parse it; the other detectors still
    // read its text, so it is a note, not a skip.
    let problems = format!("{}{}", v["summary"]["notes"], v["summary"]["errors"]);
    assert!(
        problems.contains(".github/workflows/deep.yml")
            && problems.contains("1000")
            && problems.contains("the workflow audits: ")
            && problems.contains("still scanned by the secret detector"),
        "{problems}"
    );
}
