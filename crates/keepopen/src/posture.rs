//! Repository-level posture: the file-based checks over a working tree,
//! `posture-maintained` from its git history, and the failing ones as
//! findings for `keepopen scan`. Checks that need a hosting API (branch
//! protection, reviews) are not run offline and are never guessed.

use crate::clock::now;
use keepopen_findings::{Category, Confidence, Finding, Location, Match};
use keepopen_posture::{CheckResult, Status, Tree};
use std::path::Path;

const DAY: i64 = 86_400;

/// Every check's result for the repository at `root`: its work tree, or
/// HEAD's files for a bare repository.
pub fn results(root: &Path) -> std::io::Result<Vec<CheckResult>> {
    let tree = if keepopen_source::git::head::is_bare(root) {
        let head =
            keepopen_source::git::head::head_files(root, keepopen_posture::MAX_READ as usize)
                .map_err(|p| std::io::Error::other(p.message))?;
        Tree::from_files(head.files)
    } else {
        Tree::from_dir(root)?
    };
    let mut out = keepopen_posture::run_all(&tree);
    let now = now();
    let (last, recent) = match keepopen_source::git::activity::activity(root, now - 90 * DAY) {
        Ok(a) => (a.last_commit_time, Some(a.commits_since)),
        Err(_) => (None, None),
    };
    out.push(keepopen_posture::maintained(last, recent, now, &tree));
    Ok(out)
}

/// The failing checks as findings, each at its first piece of evidence.
pub fn findings(results: &[CheckResult]) -> Vec<Finding> {
    results
        .iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| {
            let at = r.evidence.iter().find(|e| !e.path.is_empty());
            let notes: Vec<&str> = r.evidence.iter().map(|e| e.note.as_str()).take(5).collect();
            let m = Match {
                rule: r.id.to_string(),
                category: Category::Posture,
                severity: keepopen_posture::severity(r.id),
                confidence: Confidence::High,
                secret: r.id.to_string(),
                line: at.map_or(0, |e| e.line),
                column: 0,
                context: notes.join("; "),
                detail: Some(format!(
                    "{}{}",
                    r.fix,
                    r.score
                        .map(|s| format!(" (score {s}/10)"))
                        .unwrap_or_default()
                )),
            };
            Finding::new(
                m,
                Location {
                    path: at.map_or_else(|| ".".to_string(), |e| e.path.clone()),
                    in_head: true,
                    in_worktree: true,
                    ..Default::default()
                },
            )
        })
        .collect()
}

/// The workflow audits over HEAD's workflows in a bare repository, which
/// has no work tree for the pipeline to give them to the detector; and the
/// files that could not be audited.
pub fn bare_workflows(root: &Path) -> (Vec<Finding>, Vec<keepopen_source::Problem>) {
    use keepopen_content::{Content, Detector};
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let head = match keepopen_source::git::head::head_files(root, usize::MAX) {
        Ok(h) => h,
        Err(p) => return (found, vec![p]),
    };
    for (path, bytes) in head.files.iter().filter(|(p, _)| {
        keepopen_workflows::is_workflow(p) || keepopen_workflows::is_action_file(p)
    }) {
        let mut matches = Vec::new();
        keepopen_workflows::WorkflowAudits.detect_reporting(
            &Content::new(bytes, Some(path)),
            &mut |m| matches.push(m),
            &mut |why| problems.push(keepopen_source::Problem::skip(path.clone(), why)),
        );
        found.extend(matches.into_iter().map(|m| {
            Finding::new(
                m,
                Location {
                    path: path.clone(),
                    in_head: true,
                    ..Default::default()
                },
            )
        }));
    }
    (found, problems)
}
