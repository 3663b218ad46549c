//! Lockfiles are generated package metadata: in a large JavaScript
//! project's history they are most of the bytes (81% of one NHS
//! repository's 3.3 GB). The way a secret gets into one is a registry URL
//! with credentials (`https://user:token@registry/...`) or a token in its
//! query string; gitleaks skips lockfiles altogether. So a lockfile, known
//! by its own header (history blobs are scanned before their paths are
//! known), is searched for `://` with SIMD, and only URL lines that carry
//! userinfo or a query go through the full rule set.

use keepopen_content::Copied;
use memchr::memmem;

pub use keepopen_content::lockfile::{is_lockfile, looks_like_lockfile};

/// Whether the URL whose `://` is at `at` carries userinfo (`user:pass@`)
/// or a query string, the only places a credential sits in a lockfile.
///
/// It reads from `at` to the URL's end and no further: never past the
/// first newline after `at`, nor more than 2 KiB. `derive` depends on it.
fn is_credential(data: &[u8], at: usize) -> bool {
    let rest = &data[at + 3..data.len().min(at + 3 + 2048)];
    let end = rest
        .iter()
        .position(|&b| {
            matches!(
                b,
                b'/' | b'?'
                    | b'#'
                    | b'"'
                    | b'\''
                    | b' '
                    | b'\t'
                    | b'\n'
                    | b'\r'
                    | b'<'
                    | b'>'
                    | b','
            )
        })
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    // A query is a `?` before the URL ends. Most URLs end at a quote
    // or a newline, so those are found with SIMD first and the rarer
    // ends are looked for only before a `?`.
    let tail = &rest[end..];
    let query = match memchr::memchr3(b'?', b'"', b'\n', tail) {
        Some(q) if tail[q] == b'?' => !tail[..q]
            .iter()
            .any(|&b| matches!(b, b'\'' | b' ' | b'\t' | b'\r')),
        _ => false,
    };
    memchr::memchr(b'@', authority).is_some() || query
}

/// Where the URLs with credentials start (their `://`), in order.
pub(crate) fn credential_urls(data: &[u8]) -> Vec<usize> {
    urls_in(data, 0, data.len())
}

/// The URLs with credentials whose `://` starts in `from..to`.
fn urls_in(data: &[u8], from: usize, to: usize) -> Vec<usize> {
    let hay = &data[from..data.len().min(to + 2)];
    memmem::find_iter(hay, b"://")
        .map(|at| from + at)
        .filter(|&at| at < to && is_credential(data, at))
        .collect()
}

/// The URLs with credentials of `data`, a delta of a base `base_len` bytes
/// long whose URLs with credentials start at `base`, with `copies` its runs
/// copied from the base. `None` when the copies do not fit the two.
///
/// A URL that starts in a run before the run's last newline is read
/// (see [`is_credential`]) only within the run, so it is the base's URL
/// there, moved. Only the rest (new bytes, and each run's last line) is
/// searched again.
pub(crate) fn derive(
    data: &[u8],
    base_len: usize,
    base: &[u32],
    copies: &[Copied],
) -> Option<Vec<usize>> {
    if !crate::reuse::fits(copies, data.len(), base_len) {
        return None;
    }
    let mut out = Vec::new();
    let mut pos = 0;
    for c in copies {
        let Some(safe) = memchr::memrchr(b'\n', &data[c.at..c.at + c.len]) else {
            continue;
        };
        out.extend(urls_in(data, pos, c.at));
        let lo = base.partition_point(|&b| (b as usize) < c.from);
        let hi = base.partition_point(|&b| (b as usize) < c.from + safe);
        out.extend(base[lo..hi].iter().map(|&b| b as usize - c.from + c.at));
        pos = c.at + safe;
    }
    out.extend(urls_in(data, pos, data.len()));
    Some(out)
}

/// The lines that hold the URLs starting at `urls` (in order), each once.
pub(crate) fn lines_of(data: &[u8], urls: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &at in urls {
        if out.last().is_some_and(|&(_, e)| at < e) {
            continue;
        }
        let s = memchr::memrchr(b'\n', &data[..at]).map_or(0, |p| p + 1);
        let e = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |p| at + p);
        out.push((s, e));
    }
    out
}

/// Line ranges of a lockfile that hold a URL with userinfo (`user:pass@`)
/// or a query string.
#[cfg(test)]
pub(crate) fn credential_lines(data: &[u8]) -> Vec<(usize, usize)> {
    lines_of(data, &credential_urls(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use keepopen_content::Content;

    #[test]
    fn lockfiles_are_known_by_name() {
        assert!(is_lockfile("web/package-lock.json"));
        assert!(is_lockfile("Cargo.lock"));
        assert!(!is_lockfile("src/lock.rs"));
    }

    #[test]
    fn lockfiles_are_known_by_their_headers() {
        assert!(looks_like_lockfile(
            b"{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,"
        ));
        assert!(looks_like_lockfile(b"lockfileVersion: '9.0'\n"));
        assert!(looks_like_lockfile(
            b"# This file is automatically @generated by Cargo.\n"
        ));
        assert!(!looks_like_lockfile(
            b"{\"name\": \"app\", \"scripts\": {}}"
        ));
        assert!(!looks_like_lockfile(b"password = 'x'\n"));
    }

    #[test]
    fn only_urls_with_userinfo_or_a_query_are_kept() {
        // Built in pieces so that this file holds no URL with credentials.
        let data = [
            "a\n\"resolved\": \"https://registry.npmjs.org/@babel/core/-/core-7.0.0.tgz\",\n",
            "\"resolved\": \"https://bob:",
            "s3cret@npm.example.org/x.tgz\",\n",
            "\"resolved\": \"https://npm.example.org/x.tgz?token=abc\",\n",
        ]
        .concat();
        let data = data.as_bytes();
        let lines: Vec<&[u8]> = credential_lines(data)
            .into_iter()
            .map(|(s, e)| &data[s..e])
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].windows(6).any(|w| w == b"s3cret"));
        assert!(lines[1].ends_with(b"token=abc\","));
    }

    /// Lockfile lines of every kind a URL check reads differently, in
    /// pieces so that no line of this file is a URL with credentials.
    fn lockfile_text(r: &mut crate::testing::Rng, lines: usize) -> Vec<u8> {
        let long = format!("x \"https://h/{}?t=1\"", "a".repeat(2100));
        let userinfo = [
            "  \"resolved\": \"https://ci",
            ":tok@npm.example.org/a.tgz\",",
        ]
        .concat();
        let pieces = [
            "  \"resolved\": \"https://registry.npmjs.org/a/-/a-1.0.0.tgz\",",
            &userinfo,
            "  resolved \"https://npm.example.org/a.tgz?token=abc#sha\"",
            "  source = \"registry+https://github.com/rust-lang/crates.io-index\"",
            "  tarball: https://h/x y?z",
            "  \"integrity\": \"sha512-abc==\",",
            "https://h",
            &long,
        ];
        let mut out = Vec::new();
        for _ in 0..lines {
            out.extend_from_slice(pieces[r.below(pieces.len())].as_bytes());
            out.push(b'\n');
        }
        if r.below(2) == 0 {
            out.pop();
        }
        out
    }

    #[test]
    fn a_delta_s_credential_urls_are_its_base_s_moved_and_its_new_lines_read() {
        let mut r = crate::testing::Rng(0x5DEE_CE66_D1CE_4E5B);
        // New bytes that make and break URLs at the ends of the runs.
        let alphabet = b":/@?\"' \nab.#";
        let mut checked = 0;
        for round in 0..400 {
            let base = lockfile_text(&mut r, [0, 1, 3, 40][round % 4]);
            let base_urls = credential_urls(&base);
            let (mut prev, mut prev_urls) = (base, base_urls);
            for _ in 0..3 {
                let (child, copies) = crate::testing::edit(&mut r, &prev, alphabet);
                let kept: Vec<u32> = prev_urls.iter().map(|&u| u as u32).collect();
                let got = derive(&child, prev.len(), &kept, &copies).expect("fits");
                let want = credential_urls(&child);
                assert_eq!(
                    got,
                    want,
                    "round {round}: {:?}",
                    String::from_utf8_lossy(&child)
                );
                checked += want.len();
                (prev, prev_urls) = (child, got);
            }
        }
        assert!(checked > 1000, "{checked}");
        // Copies that do not fit are refused.
        let c = Copied {
            at: 0,
            from: 5,
            len: 10,
        };
        assert!(derive(b"0123456789", 12, &[], &[c]).is_none());
    }

    /// The byte-by-byte reading of a query that `credential_lines` had
    /// before it looked for the ends with SIMD.
    fn query_by_bytes(tail: &[u8]) -> bool {
        tail.iter()
            .take_while(|&&b| !matches!(b, b'"' | b'\'' | b' ' | b'\t' | b'\n' | b'\r'))
            .any(|&b| b == b'?')
    }

    #[test]
    fn queries_are_found_as_a_byte_by_byte_reading_finds_them() {
        let alphabet = b"ab?\"' \t\n\r/@#,";
        for seed in 1..4000u64 {
            let tail = crate::testing::text(seed, seed as usize % 40, alphabet);
            let url = [b"x://h/".as_slice(), &tail].concat();
            let found = !credential_lines(&url).is_empty();
            let expected = query_by_bytes(&url[5..]);
            assert_eq!(found, expected, "{:?}", String::from_utf8_lossy(&url));
        }
    }

    #[test]
    fn lockfile_credentials_keep_their_own_line_numbers() {
        let engine = Engine::new(keepopen_rules::builtin().expect("rules")).expect("engine");
        // Built here, so no literal in the tree looks like a credential.
        let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let token: String = (0..24)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                alphabet[(x % alphabet.len() as u64) as usize] as char
            })
            .collect();
        let url = |host: &str| format!("https://ci-bot:{token}@{host}/x/-/x-1.0.0.tgz");
        let mut text = String::from("{\n  \"lockfileVersion\": 3,\n");
        for i in 0..40 {
            text.push_str(&format!(
                "  \"resolved\": \"https://registry.npmjs.org/p{i}.tgz\",\n"
            ));
            if i == 5 {
                // A URL with a query and nothing to find, before them.
                text.push_str("  \"resolved\": \"https://registry.npmjs.org/q.tgz?v=1\",\n");
            }
            if i == 10 || i == 30 {
                text.push_str(&format!(
                    "  \"resolved\": \"{}\",\n",
                    url("npm.internal.trust.local")
                ));
            }
        }
        let lines: Vec<u32> = engine
            .scan(&Content::new(text.as_bytes(), Some("package-lock.json")))
            .iter()
            .map(|m| m.line)
            .collect();
        // Line 3 is the first package; the URL with a query follows the
        // 6th, and the credential lines the 11th and the 31st.
        assert_eq!(lines, vec![15, 36]);
    }
}
