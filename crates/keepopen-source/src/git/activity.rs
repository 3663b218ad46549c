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
    let walk = head
        .ancestors()
        .all()
        .map_err(|e| Problem::error(subject.clone(), format!("cannot walk history: {e}")))?;
    let mut commits_since = 0;
    for info in walk.flatten() {
        if let Ok(c) = info.object()
            && c.time().is_ok_and(|t| t.seconds >= since)
        {
            commits_since += 1;
        }
    }
    Ok(Activity {
        last_commit_time,
        commits_since,
    })
}
