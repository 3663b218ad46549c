//! `posture-maintained`: someone is still here to fix things quickly.
//!
//! Follows Scorecard's Maintained (`checks/evaluation/maintained.go`): with
//! one commit a week as the bar over 90 days, the score is
//! `min(10 × activity / (90 / 7), 10)` in integer arithmetic, that is
//! `activity × 10 / 12` capped at 10, as `CreateProportionalScore` computes.
//! Scorecard's activity is commits plus issues updated by project members,
//! and it scores 0 for a repository the host marks archived or created in
//! the last 90 days. The issues, the archived flag and the creation date
//! need the hosting API, so only commits count here and the evidence says
//! so. In their place keepopen scores 0 when the README itself says the
//! project is archived, deprecated or no longer maintained.
//!
//! It needs git history, so it is a function taking counts rather than a
//! registered check; without a commit count it does not apply, unless the
//! README says the project is archived.

use std::sync::LazyLock;

use regex::Regex;

use super::result;
use crate::text::{file_name, lines, parent};
use crate::{About, CheckResult, Evidence, Status, Tree};

const ID: &str = "posture-maintained";
const FIX: &str = "Name who maintains the repository and keep making changes, or archive it and say so in the README.";
pub(crate) const ABOUT: About = About {
    id: ID,
    name: "Maintained",
    description: "Whether the repository has had commits in the last 90 days (Scorecard Maintained); code nobody maintains should be archived.",
    fix: FIX,
};

const DAY: i64 = 24 * 60 * 60;
/// Scorecard's `lookBackDays / 7 * activityPerWeek`, in integer division.
const EXPECTED_ACTIVITY: usize = 90 / 7;

static ARCHIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(no longer (actively )?maintained|not (actively )?maintained|unmaintained|(this|the) (repo|repository|project|package|library|tool|service|code(base)?) (is|has been) (now )?(archived|deprecated|retired))\b|^\s*#+.*\b(archived|deprecated)\b",
    )
    .unwrap_or_else(|_| unreachable!())
});

/// Scores maintenance from git history counts and the README's own words.
/// `last_commit_time` and `now` are Unix seconds.
pub fn maintained(
    last_commit_time: Option<i64>,
    commits_90d: Option<usize>,
    now: i64,
    tree: &Tree,
) -> CheckResult {
    if let Some(ev) = archived_notice(tree) {
        return result(ID, Status::Fail, Some(0), vec![ev], FIX);
    }
    let recent_last = last_commit_time.map(|t| now.saturating_sub(t) <= 90 * DAY);
    let commits = match (commits_90d, recent_last) {
        (Some(c), _) => c,
        (None, Some(false)) => 0,
        // A recent last commit but no count: the score cannot be known.
        (None, Some(true)) => {
            let note = "last commit within 90 days, but no commit count to score";
            let ev = vec![Evidence::new("", 0, note)];
            return result(ID, Status::NotApplicable, None, ev, FIX);
        }
        (None, None) => return result(ID, Status::NotApplicable, None, Vec::new(), FIX),
    };
    let score =
        u8::try_from((commits.saturating_mul(10) / EXPECTED_ACTIVITY).min(10)).unwrap_or(10);
    let mut note = format!("{commits} commit(s) in the last 90 days");
    if let Some(t) = last_commit_time {
        note.push_str(&format!(
            ", last {} day(s) ago",
            now.saturating_sub(t).max(0) / DAY
        ));
    }
    note.push_str(
        "; issue activity, the archived flag and the creation date, which Scorecard also reads, need the hosting API",
    );
    let status = if score > 0 {
        Status::Pass
    } else {
        Status::Fail
    };
    result(
        ID,
        status,
        Some(score),
        vec![Evidence::new("", 0, note)],
        FIX,
    )
}

fn archived_notice(tree: &Tree) -> Option<Evidence> {
    let readmes = tree.paths().filter(|p| {
        parent(p).is_empty() && file_name(p).to_ascii_lowercase().starts_with("readme")
    });
    for path in readmes {
        let text = tree.text(path)?;
        if let Some((n, _)) = lines(&text).take(200).find(|(_, l)| ARCHIVED.is_match(l)) {
            return Some(Evidence::new(
                path,
                n,
                "README says the project is archived or unmaintained (keepopen's reading; the host's archived flag needs its API)",
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn active_project_scores_ten() {
        let r = maintained(
            Some(NOW - DAY),
            Some(40),
            NOW,
            &tree(&[("README.md", "# Tool")]),
        );
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
        assert!(r.evidence[0].note.contains("last 1 day(s) ago"));
    }

    #[test]
    fn score_is_commits_times_ten_over_twelve_rounded_down() {
        let t = tree(&[]);
        let score = |c| maintained(None, Some(c), NOW, &t).score;
        let got: Vec<_> = [0, 1, 2, 6, 11, 12, 13].into_iter().map(score).collect();
        let want = [0, 0, 1, 5, 9, 10, 10].map(Some);
        assert_eq!(got, want);
        let r = maintained(None, Some(1), NOW, &t);
        assert_eq!(r.status, Status::Fail);
        assert!(r.evidence[0].note.contains("need the hosting API"));
    }

    #[test]
    fn old_last_commit_scores_zero_and_unknown_count_does_not_apply() {
        let t = tree(&[]);
        let r = maintained(Some(NOW - 400 * DAY), None, NOW, &t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
        let r = maintained(Some(NOW - DAY), None, NOW, &t);
        assert_eq!((r.status, r.score), (Status::NotApplicable, None));
    }

    #[test]
    fn no_history_is_not_applicable() {
        let r = maintained(
            None,
            None,
            NOW,
            &tree(&[("README.md", "Uses deprecated APIs sparingly.")]),
        );
        assert_eq!(r.status, Status::NotApplicable);
    }

    #[test]
    fn archived_readme_fails() {
        let t = tree(&[(
            "README.md",
            "# Tool\n\n**This repository is archived** and read-only.\n",
        )]);
        let r = maintained(Some(NOW), Some(50), NOW, &t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
        assert_eq!(r.evidence[0].line, 3);
        let t = tree(&[("README.rst", "# Deprecated\n")]);
        assert_eq!(maintained(None, None, NOW, &t).status, Status::Fail);
    }
}
