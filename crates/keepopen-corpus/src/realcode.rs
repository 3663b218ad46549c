//! Real code copied from what is installed on the machine: the Python
//! standard library and, when present, crate sources in Cargo's registry.
//! Files are listed in sorted order and chosen with the seeded RNG, so a
//! given machine and seed always give the same selection. Nothing here is
//! labelled: anything a scanner reports in these files is a false positive.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::rng::Rng;

pub struct RealFile {
    /// Repository-relative path, under `src/py/` or `src/rs/`.
    pub path: String,
    pub content: Vec<u8>,
}

const MAX_BYTES: u64 = 200 * 1024;
const MIN_BYTES: u64 = 300;

const PY_SKIP_DIRS: &[&str] = &[
    "test",
    "tests",
    "idlelib",
    "site-packages",
    "__pycache__",
    "lib-dynload",
    "ensurepip",
    "turtledemo",
    "dist-packages",
];

/// Crates whose sources are mostly tables, test vectors or key material.
const RS_SKIP_CRATES: &[&str] = &[
    "sha", "md5", "md-5", "digest", "crypto", "cipher", "aes", "hmac", "rsa", "ring", "rustls",
    "webpki", "x509", "pem", "base64", "hex", "uuid", "crc", "hash", "rand", "tls", "ssl", "cert",
    "jwt", "secret", "keepopen", "unicode", "encoding", "idna", "windows", "winapi", "icu",
];

fn python_stdlib() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sysconfig;print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let p = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    p.is_dir().then_some(p)
}

fn cargo_registry() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let p = home.join("registry").join("src");
    p.is_dir().then_some(p)
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Regular files under `dir` (no symlinks), with paths relative to it.
fn walk(dir: &Path, rel: &str, skip_dir: &dyn Fn(&str) -> bool, out: &mut Vec<(String, PathBuf)>) {
    for p in sorted_entries(dir) {
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let r = if rel.is_empty() {
            name.to_owned()
        } else {
            format!("{rel}/{name}")
        };
        if meta.is_dir() {
            if !skip_dir(name) {
                walk(&p, &r, skip_dir, out);
            }
        } else if meta.is_file() && (MIN_BYTES..=MAX_BYTES).contains(&meta.len()) {
            out.push((r, p));
        }
    }
}

fn python_candidates() -> Vec<(String, PathBuf)> {
    let Some(root) = python_stdlib() else {
        return Vec::new();
    };
    let mut all = Vec::new();
    let skip = |d: &str| PY_SKIP_DIRS.contains(&d) || d.starts_with("config-");
    walk(&root, "", &skip, &mut all);
    all.into_iter()
        .filter(|(r, _)| {
            let name = r.rsplit('/').next().unwrap_or("");
            // Build-time configuration of this interpreter, not library code.
            r.ends_with(".py") && !name.contains("test") && !name.starts_with("_sysconfigdata")
        })
        .map(|(r, p)| (format!("src/py/{r}"), p))
        .collect()
}

fn crate_name(dir_name: &str) -> &str {
    // "anyhow-1.0.104" -> "anyhow": cut at the last '-' followed by a digit.
    match dir_name.rfind('-') {
        Some(i) if dir_name[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => &dir_name[..i],
        _ => dir_name,
    }
}

fn rust_candidates() -> Vec<(String, PathBuf)> {
    let Some(root) = cargo_registry() else {
        return Vec::new();
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for index in sorted_entries(&root) {
        for krate in sorted_entries(&index) {
            let Some(dir) = krate.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let name = crate_name(dir).to_owned();
            if RS_SKIP_CRATES.iter().any(|s| name.contains(s)) || !seen.insert(name.clone()) {
                continue;
            }
            let mut files = Vec::new();
            let skip = |d: &str| ["tests", "test", "benches", "examples", "testdata"].contains(&d);
            walk(&krate.join("src"), "", &skip, &mut files);
            out.extend(
                files
                    .into_iter()
                    .filter(|(r, _)| r.ends_with(".rs") && !r.contains("test"))
                    .map(|(r, p)| (format!("src/rs/{name}/src/{r}"), p)),
            );
        }
    }
    out
}

/// Text that is itself key material; such files are left out so the real
/// code holds no true secret.
fn holds_key_material(content: &[u8]) -> bool {
    let text = String::from_utf8_lossy(content);
    let pk = ["PRIVATE", "KEY-----"].join(" ");
    text.contains(&pk) || text.contains("BEGIN CERTIFICATE")
}

fn take(rng: &mut Rng, mut cands: Vec<(String, PathBuf)>, n: usize) -> Vec<RealFile> {
    rng.shuffle(&mut cands);
    let mut out = Vec::new();
    for (path, src) in cands {
        if out.len() == n {
            break;
        }
        let Ok(content) = fs::read(&src) else {
            continue;
        };
        if std::str::from_utf8(&content).is_err() || holds_key_material(&content) {
            continue;
        }
        out.push(RealFile { path, content });
    }
    out
}

/// `n` Python standard-library files (fewer when there are not so many).
pub fn python_files(rng: &mut Rng, n: usize) -> Vec<RealFile> {
    take(rng, python_candidates(), n)
}

/// About 220 files: 150 Python and 70 Rust when both are available,
/// otherwise as many of one as there are.
pub fn select(rng: &mut Rng) -> Vec<RealFile> {
    let py = python_candidates();
    let rs = rust_candidates();
    let (n_py, n_rs) = if rs.len() >= 100 {
        (150, 70)
    } else {
        (220 - rs.len().min(70), 70)
    };
    let mut files = take(rng, py, n_py);
    files.extend(take(rng, rs, n_rs));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_lose_their_version() {
        assert_eq!(crate_name("anyhow-1.0.104"), "anyhow");
        assert_eq!(crate_name("gix-hash-0.28.0"), "gix-hash");
        assert_eq!(crate_name("no-version"), "no-version");
    }
}
