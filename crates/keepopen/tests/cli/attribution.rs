//! Attribution a reviewer can check: the commit a finding names holds the
//! secret at the line it gives, whatever order workers met the blobs in,
//! and two scans (one thread or many) give the same report.

use crate::support::*;
use serde_json::Value;

/// The text of line `line` (1-based) of `path` as committed in `commit`.
fn line_in_commit(r: &Repo, commit: &str, path: &str, line: u64) -> String {
    let text = r.git(&["show", &format!("{commit}:{path}")]);
    text.lines()
        .nth(line as usize - 1)
        .unwrap_or_else(|| panic!("{commit}:{path} has no line {line}"))
        .to_string()
}

fn padding(n: usize) -> String {
    (0..n).map(|i| format!("SETTING_{i} = {i}\n")).collect()
}

/// A history in which one token moves down the file in every version.
fn moving_secret(still_at_head: bool) -> (Repo, String, Vec<String>) {
    let mut r = Repo::new();
    r.write("README.md", "# demo\n");
    r.commit("start");
    let token = github_token(41);
    let mut commits = Vec::new();
    for pad in [1usize, 4, 9, 17] {
        r.write(
            "app/settings.py",
            format!("{}GITHUB_TOKEN = \"{token}\"\n", padding(pad)),
        );
        commits.push(r.commit(&format!("pad {pad}")));
    }
    if !still_at_head {
        r.write("app/settings.py", padding(17));
        r.commit("use the environment");
    }
    (r, token, commits)
}

/// Scans `path` and returns its one finding.
fn only_finding(path: &std::path::Path) -> Value {
    let (_, v) = scan_json(path, &[]);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    f[0].clone()
}

#[test]
fn a_secret_that_moved_names_its_first_commit_and_the_line_there() {
    let (r, token, commits) = moving_secret(false);
    let f = &only_finding(r.path());
    assert_eq!(f["commit"], commits[0].as_str(), "{f:#}");
    assert_eq!(f["line"], 2, "{f:#}");
    assert_eq!(f["commit_line"], 2, "{f:#}");
    assert_eq!(f["in_head"], false);
    let commit = f["commit"].as_str().expect("commit");
    let line = f["commit_line"].as_u64().expect("line");
    assert!(line_in_commit(&r, commit, "app/settings.py", line).contains(&token));
}

#[test]
fn a_secret_still_at_head_gives_its_line_now_and_its_line_when_introduced() {
    let (r, token, commits) = moving_secret(true);
    let f = &only_finding(r.path());
    assert_eq!(f["commit"], commits[0].as_str(), "{f:#}");
    assert_eq!(
        (f["line"].as_u64(), f["commit_line"].as_u64()),
        (Some(18), Some(2))
    );
    assert_eq!(f["in_head"], true);
    let head = r.git(&["rev-parse", "HEAD"]);
    assert!(line_in_commit(&r, &head, "app/settings.py", 18).contains(&token));
    assert!(line_in_commit(&r, &commits[0], "app/settings.py", 2).contains(&token));
    // The human report says where it first stood.
    let out = keepopen(
        &["scan", ".", "--detectors", "secrets", "--color", "never"],
        r.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" at line 2 on "), "{text}");
}

#[test]
fn a_bare_mirror_gives_the_same_attribution_from_heads_blob() {
    let (r, token, commits) = moving_secret(true);
    let bare = tempfile::tempdir().expect("tempdir");
    let mirror = bare.path().join("m.git");
    r.git(&[
        "clone",
        "-q",
        "--mirror",
        ".",
        mirror.to_str().expect("utf-8"),
    ]);
    let f = only_finding(&mirror);
    assert_eq!(f["commit"], commits[0].as_str());
    assert_eq!(
        (f["line"].as_u64(), f["commit_line"].as_u64()),
        (Some(18), Some(2))
    );
    assert_eq!(f["secret"], token.as_str());
}

/// Many findings spread over many blobs, versions and paths, so that
/// workers meet them in a different order on every run.
fn busy_history() -> Repo {
    let mut r = Repo::new();
    for version in 0..12u64 {
        for file in 0..6u64 {
            let mut text = padding(((version * 7 + file * 3) % 11) as usize);
            // Some tokens live on in every version, some only in one.
            text += &format!("KEEP = \"{}\"\n", github_token(100 + file));
            text += &format!("ONCE = \"{}\"\n", github_token(1000 + version * 10 + file));
            text += &format!("AWS_ID = \"{}\"\n", aws_key_id(200 + file));
            r.write(&format!("svc{file}/config.py"), text);
        }
        r.commit(&format!("version {version}"));
    }
    r
}

/// The report without what legitimately changes between runs.
fn stable(mut v: Value) -> Value {
    v["summary"]["duration_ms"] = Value::Null;
    v
}

#[test]
fn one_thread_and_many_give_identical_reports() {
    let r = busy_history();
    let (code1, one) = scan_json(r.path(), &["--threads", "1"]);
    let (code2, many) = scan_json(r.path(), &["--threads", "4"]);
    let (_, again) = scan_json(r.path(), &["--threads", "4"]);
    assert_eq!(code1, code2);
    assert!(findings(&one).len() > 60, "{one:#}");
    assert_eq!(stable(one.clone()), stable(many), "1 thread vs 4");
    assert_eq!(stable(again), stable(one), "run to run");
}

#[test]
fn every_history_finding_holds_its_match_at_its_commit_and_line() {
    let r = busy_history();
    let (_, v) = scan_json(r.path(), &[]);
    let f = findings(&v);
    let mut checked = 0;
    for f in &f {
        let (Some(commit), Some(line)) = (f["commit"].as_str(), f["commit_line"].as_u64()) else {
            continue;
        };
        let path = f["path"].as_str().expect("path");
        let secret = f["secret"].as_str().expect("shown");
        let text = line_in_commit(&r, commit, path, line);
        assert!(
            text.contains(secret),
            "{commit}:{path}:{line} is `{text}`: {f:#}"
        );
        checked += 1;
    }
    assert!(checked > 60, "only {checked} history findings");
}

#[test]
fn a_scan_of_two_repositories_keeps_each_findings_repository() {
    let mut a = Repo::new();
    let mut b = Repo::new();
    // The same path and the same secret in both: two findings, one each.
    let token = github_token(77);
    for r in [&mut a, &mut b] {
        r.write("app/settings.py", format!("TOKEN = \"{token}\"\n"));
        r.commit("start");
    }
    let leaked = ["ghp", "_", "x".repeat(36).as_str()].concat();
    a.git(&[
        "remote",
        "add",
        "origin",
        &format!("https://ci:{leaked}@github.com/nhs-example/a.git"),
    ]);
    let (pa, pb) = (a.path().to_string_lossy(), b.path().to_string_lossy());
    let out = keepopen(
        &[
            "scan",
            &pa,
            &pb,
            "--format",
            "json",
            "--no-progress",
            "--detectors",
            "secrets",
        ],
        a.path(),
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let repos = v["repositories"].as_array().expect("repositories");
    assert_eq!(repos.len(), 2, "{v:#}");
    assert_eq!(repos[0]["root"], pa.as_ref());
    assert_eq!(repos[0]["remote"], "https://github.com/nhs-example/a.git");
    assert_eq!(repos[0]["head"], a.git(&["rev-parse", "HEAD"]).as_str());
    assert!(repos[1].get("remote").is_none(), "{v:#}");
    assert!(
        !v.to_string().contains(&leaked),
        "the remote's credential leaked"
    );
    let f = findings(&v);
    assert_eq!(f.len(), 2, "{v:#}");
    let mut in_repos: Vec<&str> = f.iter().filter_map(|f| f["repository"].as_str()).collect();
    in_repos.sort();
    let mut want = vec![pa.as_ref(), pb.as_ref()];
    want.sort();
    assert_eq!(in_repos, want);
    assert!(f.iter().all(|f| f["path"] == "app/settings.py"), "{v:#}");
    // People read the repository in front of the path.
    let out = keepopen(
        &[
            "scan",
            &pa,
            &pb,
            "--no-progress",
            "--detectors",
            "secrets",
            "--color",
            "never",
        ],
        a.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{pa}/app/settings.py:1")), "{text}");
    assert!(text.contains(&format!("{pb}/app/settings.py:1")), "{text}");
}

/// A folder renamed without a change keeps its tree: the secret inside is
/// at the new path from the rename commit on, and at the old one before.
#[test]
fn a_renamed_folder_places_its_secret_at_both_paths_with_their_own_commits() {
    let mut r = Repo::new();
    let token = github_token(43);
    r.write(
        "old/conf/settings.py",
        format!("GITHUB_TOKEN = \"{token}\"\n"),
    );
    r.write("old/readme.md", "# old\n");
    let first = r.commit("add settings");
    r.git(&["mv", "old", "new"]);
    let renamed = r.commit("rename the folder");
    for extra in [&[][..], &["--no-worktree"][..]] {
        let (_, v) = scan_json(r.path(), extra);
        let mut got: Vec<(String, String, bool)> = findings(&v)
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap_or_default().to_string(),
                    f["commit"].as_str().unwrap_or_default().to_string(),
                    f["in_head"].as_bool().unwrap_or_default(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("new/conf/settings.py".into(), renamed.clone(), true),
                ("old/conf/settings.py".into(), first.clone(), false),
            ],
            "{extra:?}: {v:#}"
        );
    }
}

/// Packs with long delta chains, named objects so that git deltifies each
/// tree against its own earlier versions, as `git gc --aggressive` does.
fn pack_with_long_chains(r: &Repo) {
    r.pack_objects(&["--window=250", "--depth=250"], true);
}

/// The longest delta chain in the repository's pack.
fn longest_chain(r: &Repo) -> usize {
    let dir = r.path().join(".git/objects/pack");
    let idx = std::fs::read_dir(&dir)
        .expect("pack dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a pack index");
    let out = r.git(&["verify-pack", "-v", idx.to_str().expect("utf-8 path")]);
    out.lines()
        .filter_map(|l| l.strip_prefix("chain length = "))
        .filter_map(|l| l.split(':').next()?.trim().parse().ok())
        .max()
        .unwrap_or(0)
}

#[test]
fn trees_deep_in_long_delta_chains_place_findings_at_their_first_commit() {
    // History is walked oldest first, against the direction of the pack's
    // chains, and trees are read back from the pack with their chains
    // decoded from the base up: the places must not change with packing.
    let mut r = Repo::new();
    for i in 0..24 {
        r.write(&format!("deep/a/b/pad{i}.py"), padding(i + 1));
    }
    r.commit("start");
    let token = github_token(77);
    let mut commits = Vec::new();
    for step in 0..60usize {
        r.write(
            &format!("deep/a/b/pad{}.py", step % 24),
            padding(step % 24 + step / 24 + 2),
        );
        if step == 5 {
            r.write("deep/a/b/leak.py", format!("TOKEN = \"{token}\"\n"));
        }
        if step == 40 {
            r.write("deep/a/b/leak.py", "TOKEN = ''\n");
        }
        commits.push(r.commit(&format!("step {step}")));
    }
    let (code_loose, loose) = scan_json(r.path(), &["--no-worktree"]);
    pack_with_long_chains(&r);
    assert!(
        longest_chain(&r) >= 20,
        "the pack has long chains: {}",
        longest_chain(&r)
    );
    let (code_packed, packed) = scan_json(r.path(), &["--no-worktree"]);
    assert_eq!(code_loose, code_packed);
    let f = findings(&packed);
    assert_eq!(f.len(), 1, "{packed:#}");
    assert_eq!(f[0]["secret"], token.as_str());
    assert_eq!(f[0]["path"], "deep/a/b/leak.py");
    assert_eq!(f[0]["commit"], commits[5].as_str(), "{:#}", f[0]);
    assert_eq!(stable(loose), stable(packed), "loose and packed agree");
}
