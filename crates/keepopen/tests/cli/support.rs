//! Test helpers: a git repository built with the git CLI (fixed author and
//! dates, so commit ids are stable), tokens made at run time (never
//! literals in this repository), and a runner for the real binary.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Repo {
    pub dir: tempfile::TempDir,
    tick: u32,
}

impl Repo {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = Repo { dir, tick: 0 };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.run_git(args, "2024-03-01T12:00:00Z")
    }

    /// Runs git with a fixed identity and date, so commit ids are stable.
    fn run_git(&self, args: &[&str], date: &str) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Test Author",
                "-c",
                "user.email=test@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(self.path())
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Packs every object reachable from any ref and removes the loose
    /// copies. (`git gc` and `git repack` are avoided: on these machines
    /// they have been seen to fail with unrelated text as a revision.)
    pub fn pack(&self) {
        self.pack_objects(&[], false);
    }

    /// Packs every object reachable from any ref with `git pack-objects`
    /// and `args`, and removes the loose copies. With `names`, each object
    /// goes with its path, so that git deltifies a file or folder against
    /// its own other versions, as `git gc` does.
    pub fn pack_objects(&self, args: &[&str], names: bool) {
        let list = self.git(&["rev-list", "--objects", "--all"]);
        let input: String = if names {
            list
        } else {
            list.lines()
                .filter_map(|l| l.split(' ').next())
                .map(|id| format!("{id}\n"))
                .collect()
        };
        let mut child = Command::new("git")
            .arg("pack-objects")
            .arg("-q")
            .args(args)
            .arg(".git/objects/pack/pack")
            .current_dir(self.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("git pack-objects runs");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input.as_bytes()).expect("write the list");
        }
        assert!(child.wait().expect("pack-objects").success());
        self.git(&["prune-packed"]);
    }

    pub fn write(&self, path: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    /// Commits everything, each commit one day after the last.
    pub fn commit(&mut self, msg: &str) -> String {
        self.tick += 1;
        let date = format!("2024-03-{:02}T12:00:00Z", self.tick.min(28));
        self.git(&["add", "-A"]);
        self.run_git(&["commit", "-q", "--allow-empty", "-m", msg], &date);
        self.git(&["rev-parse", "HEAD"])
    }

    /// A bare mirror of the repository (`git clone --mirror`), in a folder
    /// of its own that goes when the returned guard does.
    pub fn mirror(&self) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let bare = dir.path().join("mirror.git");
        let to = bare.to_str().expect("a UTF-8 temporary path");
        self.git(&["clone", "-q", "--mirror", ".", to]);
        (dir, bare)
    }
}

/// A GitHub classic token with a valid checksum, from a seed.
impl Repo {
    /// The files that say a team owns and looks after the repository: an
    /// owner in the README, CODEOWNERS, a disclosure route. Without them a
    /// repository's recommendation is about ownership, not its findings.
    pub fn owned(&self, what: &str) -> &Self {
        self.write(
            "README.md",
            format!("# {what}\n\nMaintained by the digital team: digital-team@example.org\n"),
        );
        self.write(".github/CODEOWNERS", "* @nhs-example/digital-team\n");
        self.write(
            "SECURITY.md",
            "# Security\n\nReport vulnerabilities privately to security@example.org. We reply within 5 working days.\n",
        )
    }
}

pub fn github_token(seed: u64) -> String {
    let random = random_chars(
        seed,
        30,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    );
    let sum = keepopen_secrets::base62_crc32_checksum(random.as_bytes());
    format!("{}{random}{sum}", ["gh", "p_"].concat())
}

/// An AWS access key id.
pub fn aws_key_id(seed: u64) -> String {
    format!(
        "{}{}",
        ["AK", "IA"].concat(),
        random_chars(seed, 16, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    )
}

/// A valid NHS number (England range) built at run time, so that the
/// repository holds none. `seed` picks which.
pub fn nhs_number(seed: u32) -> String {
    nine_to_valid(400_000_000 + (seed % 99_000) * 1_009)
}

/// A valid number in the 999 test range.
pub fn test_range_number(seed: u32) -> String {
    nine_to_valid(999_000_000 + (seed % 99_000) * 1_009)
}

fn nine_to_valid(mut nine: u32) -> String {
    loop {
        let d: Vec<u32> = format!("{nine:09}")
            .bytes()
            .map(|b| (b - b'0') as u32)
            .collect();
        let sum: u32 = d.iter().enumerate().map(|(i, x)| x * (10 - i as u32)).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => {
                nine += 1;
                continue;
            }
            c => c,
        };
        return format!("{nine:09}{check}");
    }
}

/// `943 476 5919` from `9434765919`.
pub fn spaced(n: &str) -> String {
    format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
}

pub fn random_chars(seed: u64, n: usize, alphabet: &[u8]) -> String {
    let mut x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407)
        | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

pub fn keepopen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keepopen"))
        // Hermetic: a developer's own advisory database changes nothing;
        // tests that want one pass `--db`.
        .env("KEEPOPEN_DB", "/nonexistent/keepopen-tests.db")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("keepopen runs")
}

/// Runs `keepopen scan --format json` on `path` and parses the report.
/// The content detectors only (secrets, personal data, dependencies), unless
/// `extra` names `--detectors`: the repository-level posture checks would
/// add their checklist findings to every little test repository. Tests of
/// the default run (`tests/cli/posture.rs`) use [`scan_json_default`].
pub fn scan_json(path: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = extra.to_vec();
    if !extra.contains(&"--detectors") {
        args.extend(["--detectors", "secrets,personal,dependencies"]);
    }
    scan_json_default(path, &args)
}

/// Runs `keepopen scan --format json` with every default detector.
pub fn scan_json_default(path: &Path, extra: &[&str]) -> (i32, Value) {
    let p = path.to_string_lossy().into_owned();
    let mut args = vec![
        "scan",
        p.as_str(),
        "--format",
        "json",
        "--show-secrets",
        "--no-progress",
    ];
    args.extend_from_slice(extra);
    let out = keepopen(&args, path.parent().unwrap_or(path));
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

pub fn findings(v: &Value) -> Vec<Value> {
    v["findings"].as_array().cloned().unwrap_or_default()
}

pub fn secrets(v: &Value) -> Vec<String> {
    findings(v)
        .iter()
        .filter_map(|f| f["secret"].as_str().map(String::from))
        .collect()
}

/// Every file under `dir` with its bytes, to prove a scan wrote nothing.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .expect("read_dir")
            .filter_map(Result::ok)
        {
            let p = e.path();
            let ft = e.file_type().expect("file type");
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// A folder of the real advisory databases in `../shared/advisories/`.
pub fn shared(sub: &str) -> String {
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

/// `keepopen scan` of `r` in `format` with the content detectors (the
/// posture checklist has its own tests), no colour and no progress: the
/// exit code and the report.
pub fn render_with_code(r: &Repo, format: &str, extra: &[&str]) -> (Option<i32>, String) {
    let p = r.path().to_string_lossy().into_owned();
    let mut args = vec![
        "scan",
        p.as_str(),
        "--format",
        format,
        "--no-progress",
        "--color",
        "never",
        "--detectors",
        "secrets,personal,dependencies",
    ];
    args.extend_from_slice(extra);
    let out = keepopen(&args, r.path());
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, String::from_utf8(out.stdout).expect("utf-8"))
}

/// Runs `keepopen scan` on `r` with `detectors` in `format` (no colour, no
/// progress) and returns what it printed.
pub fn scan_text(r: &Repo, detectors: &str, format: &str) -> String {
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(
        &[
            "scan",
            &p,
            "--format",
            format,
            "--no-progress",
            "--color",
            "never",
            "--detectors",
            detectors,
        ],
        r.path(),
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
