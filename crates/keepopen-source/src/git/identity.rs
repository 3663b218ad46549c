//! Which repository a root is: its path, its remote's URL (with any
//! credentials in it removed) and its HEAD commit. Carried in every
//! finding, so that a run over many roots keeps each finding's repository.

use keepopen_findings::Repository;
use std::path::Path;

/// The identity of the repository at `root`; for a folder that is not a
/// git repository, its path alone. Repository configuration is read, never
/// run.
pub fn identity(root: &Path) -> Repository {
    let mut out = Repository {
        root: root.display().to_string(),
        ..Default::default()
    };
    let Ok(repo) = gix::open_opts(root, gix::open::Options::isolated()) else {
        return out;
    };
    out.head = repo.head_id().ok().map(|id| id.to_string());
    let names = repo.remote_names();
    // `origin` if there is one, else the first by name.
    let name = names
        .iter()
        .find(|n| AsRef::<[u8]>::as_ref(n) == b"origin")
        .or_else(|| names.iter().next())
        .cloned();
    out.remote = name
        .and_then(|n| repo.find_remote(AsRef::<gix::bstr::BStr>::as_ref(&n)).ok())
        .and_then(|r| {
            r.url(gix::remote::Direction::Fetch)
                .map(|u| without_credentials(&u.to_bstring().to_string()))
        });
    out
}

/// A note for a repository whose remote is on GitHub and that holds no
/// pull-request refs: GitHub serves `refs/pull/*/head` of every pull
/// request, for ever, but a normal clone does not fetch them, so what a
/// pull request once committed was not scanned.
pub fn pull_refs_note(root: &Path, remote: Option<&str>) -> Option<keepopen_findings::Problem> {
    let remote = remote?;
    if !remote.to_ascii_lowercase().contains("github.com") {
        return None;
    }
    let repo = gix::open_opts(root, gix::open::Options::isolated()).ok()?;
    let refs = repo.references().ok()?;
    let any = refs.prefixed("refs/pull/").ok()?.next().is_some();
    (!any).then(|| {
        keepopen_findings::Problem::note(
            root.display().to_string(),
            "no pull-request refs: GitHub also serves every pull request's commits (refs/pull/*/head), which a normal clone does not fetch; scan a `git clone --mirror` to see all that GitHub serves",
        )
    })
}

/// A URL with its user information removed: `https://user:token@host/x`
/// becomes `https://host/x`. An scp-like `git@host:x` is left alone: its
/// user is a convention, not a credential.
pub fn without_credentials(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end + 3], &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_leave_a_remote_url() {
        let token = ["ghp", "_", "abcdefghijklmnop"].concat();
        assert_eq!(
            without_credentials(&format!(
                "https://x-access-token:{token}@github.com/o/r.git"
            )),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            without_credentials("https://github.com/o/r@v1"),
            "https://github.com/o/r@v1"
        );
        assert_eq!(
            without_credentials("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
        assert_eq!(without_credentials("ssh://u@h/x"), "ssh://h/x");
    }

    #[test]
    fn a_plain_folder_is_its_path_alone() {
        let dir = std::env::temp_dir();
        let id = identity(&dir);
        assert_eq!(id.root, dir.display().to_string());
        assert_eq!((id.remote, id.head), (None, None));
    }
}
