//! How active a repository is: the time of HEAD's commit and how many of
//! its ancestors were committed since a given time. Posture's "maintained"
//! check needs this; the history scan's graph is built only during a scan.

use crate::Problem;
use std::path::Path;

/// HEAD's recent history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    /// Committer time of HEAD, seconds since the epoch.
    pub last_commit_time: Option<i64>,
    /// Commits reachable from HEAD committed at or after `since`.
    pub commits_since: usize,
}

/// Reads `path`'s HEAD and its ancestors. Repository configuration is not
/// trusted: nothing in it runs.
pub fn activity(path: &Path, since: i64) -> Result<Activity, Problem> {
    let subject = path.display().to_string();
    let repo = gix::open_opts(path, gix::open::Options::isolated())
        .map_err(|e| Problem::note(subject.clone(), format!("not a git repository ({e})")))?;
    let head = repo
        .head_commit()
        .map_err(|e| Problem::note(subject.clone(), format!("no commit at HEAD ({e})")))?;
    let last_commit_time = head.time().ok().map(|t| t.seconds);
    // Newest first, stopping once every queued commit is older than
    // `since`: a long history is not walked to its root.
    let walk = head
        .ancestors()
        .sorting(gix::revision::walk::Sorting::ByCommitTimeCutoff {
            order: gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            seconds: since,
        })
        .all()
        .map_err(|e| Problem::error(subject.clone(), format!("cannot walk history: {e}")))?;
    let mut commits_since = 0;
    for info in walk.flatten() {
        let time = match info.commit_time {
            Some(t) => Some(t),
            None => info
                .object()
                .ok()
                .and_then(|c| c.time().ok())
                .map(|t| t.seconds),
        };
        if time.is_some_and(|t| t >= since) {
            commits_since += 1;
        }
    }
    Ok(Activity {
        last_commit_time,
        commits_since,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    const DAY: i64 = 86_400;
    const NOW: i64 = 1_790_000_000;

    fn commit_at(dir: &Path, when: i64, n: usize) {
        std::fs::write(dir.join("f"), n.to_string()).expect("write");
        let date = format!("@{when} +0000");
        for args in [&["add", "f"][..], &["commit", "-q", "-m", "c"][..]] {
            let ok = Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
                .args(args)
                .current_dir(dir)
                .env("GIT_AUTHOR_DATE", &date)
                .env("GIT_COMMITTER_DATE", &date)
                .status()
                .expect("git runs");
            assert!(ok.success());
        }
    }

    #[test]
    fn counts_commits_since_the_cutoff_and_stops_walking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ok = Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir.path())
            .status()
            .expect("git init");
        assert!(ok.success());
        // Ten old commits, then three in the last 90 days.
        for i in 0..10 {
            commit_at(dir.path(), NOW - (400 - i) * DAY, i as usize);
        }
        for (i, age) in [80, 30, 1].into_iter().enumerate() {
            commit_at(dir.path(), NOW - age * DAY, 100 + i);
        }
        let a = activity(dir.path(), NOW - 90 * DAY).expect("activity");
        assert_eq!(a.commits_since, 3);
        assert_eq!(a.last_commit_time, Some(NOW - DAY));
        let all = activity(dir.path(), 0).expect("activity");
        assert_eq!(all.commits_since, 13);
        let none = activity(dir.path(), NOW).expect("activity");
        assert_eq!(none.commits_since, 0);
    }

    #[test]
    fn a_folder_without_git_is_a_note() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = activity(dir.path(), 0).expect_err("an error");
        assert!(e.to_string().contains("not a git repository"), "{e}");
    }
}
