//! Content the object store holds that no branch, tag or other ref reaches
//! (a rebased-away commit, a deleted pull-request branch, a blob no commit
//! names) is reported like the rest, redacted, and marked unreachable in
//! every format; a GitHub clone without pull-request refs says what it
//! leaves out.

use crate::support::{Repo, findings, github_token, render_with_code, scan_json};

/// A repository whose `review` branch committed a token and was deleted
/// unmerged: its commit is still in the object store.
fn deleted_branch() -> (Repo, String) {
    let mut r = Repo::new();
    r.write("README.md", "# service\n");
    r.commit("start");
    r.git(&["checkout", "-q", "-b", "review"]);
    let token = github_token(700);
    r.write("deploy/.env.review", format!("GITHUB_TOKEN={token}\n"));
    r.commit("review settings");
    r.git(&["checkout", "-q", "main"]);
    r.git(&["branch", "-q", "-D", "review"]);
    (r, token)
}

#[test]
fn a_secret_only_a_deleted_branch_committed_is_a_finding_marked_unreachable() {
    let (r, token) = deleted_branch();
    let (code, v) = scan_json(r.path(), &["--detectors", "secrets"]);
    assert_eq!(code, 1, "{v:#}");
    let fs = findings(&v);
    let f = fs
        .iter()
        .find(|f| f["secret"] == token.as_str())
        .unwrap_or_else(|| panic!("the unreachable token is reported: {v:#}"));
    assert_eq!(f["path"], "deploy/.env.review", "{f:#}");
    assert_eq!(f["reachable"], false, "{f:#}");
    assert_eq!(f["in_head"], false, "{f:#}");
    assert!(f["commit"].is_string(), "its commit is named: {f:#}");
    assert!(
        !f["context"].to_string().contains(&token),
        "redacted: {f:#}"
    );
    let counted = v["summary"]["unreachable_matches"].as_u64();
    assert!(counted.is_some_and(|n| n >= 1), "{v:#}");
    // Every other finding is reachable.
    assert!(
        fs.iter()
            .filter(|g| g != &f)
            .all(|g| g["reachable"] == true)
    );
}

#[test]
fn every_format_says_a_finding_is_unreachable_and_none_shows_the_secret() {
    let (r, token) = deleted_branch();
    for (format, mark) in [
        ("human", "on no branch or tag"),
        ("markdown", "unreachable (no branch or tag)"),
        ("sarif", "\"reachable\": false"),
        ("csv", ",false"),
    ] {
        let (_, out) = render_with_code(&r, format, &["--detectors", "secrets"]);
        assert!(out.contains(mark), "{format}: {out}");
        assert!(!out.contains(&token), "{format} leaks the token: {out}");
    }
}

#[test]
fn a_blob_no_commit_names_is_reported_by_its_id() {
    let r = Repo::new();
    r.write("README.md", "# service\n");
    let token = github_token(701);
    r.write("loose.txt", format!("token = {token}\n"));
    let id = r.git(&["hash-object", "-w", "loose.txt"]);
    std::fs::remove_file(r.path().join("loose.txt")).expect("remove");
    let mut r = r;
    r.commit("start");
    let (_, v) = scan_json(r.path(), &["--detectors", "secrets"]);
    let f = findings(&v)
        .into_iter()
        .find(|f| f["secret"] == token.as_str())
        .unwrap_or_else(|| panic!("the dangling blob's token is reported: {v:#}"));
    assert_eq!(f["path"], format!("(unreachable blob {id})"), "{f:#}");
    assert_eq!(f["reachable"], false, "{f:#}");
}

#[test]
fn a_github_clone_without_pull_request_refs_says_so_and_one_with_them_does_not() {
    let mut r = Repo::new();
    r.write("README.md", "# service\n");
    let head = r.commit("start");
    r.git(&[
        "remote",
        "add",
        "origin",
        "https://github.com/nhs-example/service.git",
    ]);
    let (_, v) = scan_json(r.path(), &["--detectors", "secrets"]);
    let notes = v["summary"]["notes"].to_string();
    assert!(notes.contains("git clone --mirror"), "{v:#}");
    r.git(&["update-ref", "refs/pull/1/head", &head]);
    let (_, v) = scan_json(r.path(), &["--detectors", "secrets"]);
    assert!(
        !v["summary"]["notes"].to_string().contains("refs/pull"),
        "{v:#}"
    );
    // A remote elsewhere has no such refs to fetch.
    let mut other = Repo::new();
    other.write("README.md", "# service\n");
    other.commit("start");
    other.git(&[
        "remote",
        "add",
        "origin",
        "https://gitlab.example.org/service.git",
    ]);
    let (_, v) = scan_json(other.path(), &["--detectors", "secrets"]);
    assert!(
        !v["summary"]["notes"].to_string().contains("refs/pull"),
        "{v:#}"
    );
}
