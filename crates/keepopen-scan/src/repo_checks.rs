//! Repository-level checks beside the content pipeline: the posture checks
//! over a working tree (or HEAD's files), `posture-maintained` from its git
//! history, and the failing ones as findings. Checks that need a hosting
//! API (branch protection, reviews) are not run offline and are never
//! guessed.

use crate::{Outcome, Plan};
use keepopen_findings::{Category, Confidence, Finding, Location, Match, Sink};
use keepopen_posture::{CheckResult, Status, Tree};
use keepopen_source::Problem;
use std::path::{Path, PathBuf};

/// What the repository checks found, root by root.
#[derive(Default)]
pub(crate) struct Checked {
    posture: Vec<(PathBuf, std::io::Result<Results>)>,
}

/// Every check's result, and what the walk of the tree could not read.
pub type Results = (Vec<CheckResult>, Vec<Problem>);

/// The checks the plan asks for, over every root that is a folder.
pub(crate) fn run(plan: &Plan) -> Checked {
    Checked {
        posture: plan
            .roots
            .iter()
            .filter(|r| plan.posture && r.is_dir())
            .map(|root| (root.clone(), results(root, plan.now)))
            .collect(),
    }
}

impl Checked {
    /// Puts the findings (each with its repository) into `sink`, adds the
    /// problems to the pipeline's, after them, and the checklist, when the
    /// run covers one repository.
    pub(crate) fn add_to(self, outcome: &mut Outcome, sink: &mut dyn Sink, many: bool) {
        let repository = |root: &Path| {
            let root = root.display().to_string();
            outcome
                .repositories
                .iter()
                .find(|r| r.root == root)
                .cloned()
        };
        let mut extra = Vec::new();
        let mut problems = Vec::new();
        for (root, results) in self.posture {
            match results {
                Ok((results, walk_problems)) => {
                    // The content walk may have met the same folder already.
                    problems.extend(
                        walk_problems
                            .into_iter()
                            .filter(|p| !outcome.problems.contains(p)),
                    );
                    let mut found = findings(&results);
                    let r = repository(&root);
                    found
                        .iter_mut()
                        .for_each(|f| f.location.repository = r.clone());
                    extra.extend(found);
                    // One checklist per report: a single repository's.
                    if !many {
                        outcome.checklist = Some(results);
                    }
                }
                Err(e) => problems.push(Problem::error(
                    root.display().to_string(),
                    format!("posture checks could not read the tree: {e}"),
                )),
            }
        }
        extra.into_iter().for_each(|f| sink.put(f));
        outcome.problems.extend(problems);
    }
}

const DAY: i64 = 86_400;

/// Every check's result for the repository at `root`: its work tree, or
/// HEAD's files for a bare repository, with what the walk could not read.
/// `now` is the clock `posture-maintained` counts back from.
pub fn results(root: &Path, now: i64) -> std::io::Result<Results> {
    let tree = if keepopen_source::git::head::is_bare(root) {
        let head =
            keepopen_source::git::head::head_files(root, keepopen_posture::MAX_READ as usize)
                .map_err(|p| std::io::Error::other(p.message))?;
        Tree::from_files(head.files)
    } else {
        Tree::from_dir(root)?
    };
    let mut out = keepopen_posture::run_all(&tree);
    let (last, recent) = match keepopen_source::git::activity::activity(root, now - 90 * DAY) {
        Ok(a) => (a.last_commit_time, Some(a.commits_since)),
        Err(_) => (None, None),
    };
    out.push(keepopen_posture::maintained(last, recent, now, &tree));
    Ok((out, tree.problems().to_vec()))
}

/// The failing checks as findings, each at its first piece of evidence.
fn findings(results: &[CheckResult]) -> Vec<Finding> {
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
