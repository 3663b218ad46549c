//! Repository-level checks beside the content pipeline: the posture checks
//! over a working tree (or HEAD's files), `posture-maintained` from its git
//! history, and the failing ones as findings. Checks that need a hosting
//! API (branch protection, reviews) are not run offline and are never
//! guessed.

use crate::collect::HeadFiles;
use crate::{Outcome, Plan};
use keepopen_findings::{Category, Confidence, Finding, Location, Match, Sink};
use keepopen_posture::{CheckResult, Status, Tree};
use keepopen_source::Problem;
use std::path::{Path, PathBuf};

/// What the repository checks found, root by root.
#[derive(Default)]
pub(crate) struct Checked {
    posture: Vec<(PathBuf, RootChecked)>,
}

/// One root's results, the files its findings point at and what the
/// assessment needs, or why its tree could not be read.
type RootChecked = std::io::Result<(Results, Anchors, Extra)>;

/// Every check's result, and what the walk of the tree could not read.
pub type Results = (Vec<CheckResult>, Vec<Problem>);

/// HEAD's files, as the content pipeline sends them.
type Waiting = std::sync::mpsc::Receiver<Vec<keepopen_source::git::head::HeadFile>>;

/// HEAD's files are handed from the content pipeline to the checks when
/// they hold at most this many bytes (each file counted up to what the
/// checks read). The copies are held while the detectors read HEAD, beside
/// history: a large HEAD would raise the peak (openeyes' 64 MB, by as
/// much), so the checks read it themselves, at once, as before.
const SHARE_HEAD_UP_TO: u64 = 16 << 20;
/// Nor when HEAD holds more files than this: their sizes are read before
/// either side starts (openeyes' 10,102 files took 18 ms).
const SHARE_HEAD_FILES_UP_TO: usize = 4096;

/// One channel per root for HEAD's files of a bare repository that the
/// content pipeline reads and that is small: the sending ends for the
/// pipeline, the receiving ends for [`run`]. None for the other roots, and
/// when the checks do not run.
pub(crate) fn head_channels(plan: &Plan) -> (Vec<Option<HeadFiles>>, Vec<Option<Waiting>>) {
    use keepopen_source::git::head;
    plan.roots
        .iter()
        .map(|root| {
            let shared = plan.posture
                && plan.worktree
                && plan.scope.is_none()
                && head::is_bare(root)
                && head::head_bytes(
                    root,
                    keepopen_posture::MAX_READ,
                    SHARE_HEAD_UP_TO,
                    SHARE_HEAD_FILES_UP_TO,
                )
                .is_some();
            if shared {
                let (send, wait) = std::sync::mpsc::sync_channel(1);
                (Some(send), Some(wait))
            } else {
                (None, None)
            }
        })
        .unzip()
}

/// The checks the plan asks for, over every root that is a folder. A bare
/// repository's HEAD comes from `waiting` (its root's channel) when the
/// content pipeline sends it, else it is read here.
pub(crate) fn run(plan: &Plan, waiting: Vec<Option<Waiting>>) -> Checked {
    Checked {
        posture: plan
            .roots
            .iter()
            .zip(waiting)
            .filter(|(r, _)| plan.posture && r.is_dir())
            .map(|(root, head)| {
                let excludes = plan.excludes.as_ref();
                (root.clone(), checked(root, plan.now, excludes, head))
            })
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
                Ok((
                    (results, walk_problems),
                    anchors,
                    (class, last_commit, exception_files, dependabot),
                )) => {
                    outcome.facts.push(crate::RootFacts {
                        root: root.display().to_string(),
                        class,
                        last_commit,
                        checks: results.clone(),
                        exception_files,
                        dependabot,
                    });
                    // The content walk may have met the same folder already.
                    problems.extend(
                        walk_problems
                            .into_iter()
                            .filter(|p| !outcome.problems.contains(p)),
                    );
                    let mut found = findings(&results, &anchors);
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
    checked(root, now, None, None).map(|(results, _, _)| results)
}

/// The class of the files, and the newest commit's time.
type Extra = (
    keepopen_assessment::Classified,
    Option<i64>,
    Vec<(String, Vec<u8>)>,
    Vec<String>,
);

/// [`results`], the files its repository-level findings point at, and
/// what the assessment needs of the tree.
/// Paths `excludes` matches are left out, as the detectors leave them.
fn checked(
    root: &Path,
    now: i64,
    excludes: Option<&globset::GlobSet>,
    head: Option<Waiting>,
) -> std::io::Result<(Results, Anchors, Extra)> {
    let keep = |path: &str| !excludes.is_some_and(|g| g.is_match(path));
    let tree = if keepopen_source::git::head::is_bare(root) {
        // Sent by the content pipeline, or, when it does not read HEAD
        // (and drops its end), read here.
        let files = match head.and_then(|h| h.recv().ok()) {
            Some(files) => files,
            None => {
                keepopen_source::git::head::head_files(root, keepopen_posture::MAX_READ as usize)
                    .map_err(|p| std::io::Error::other(p.message))?
                    .files
            }
        };
        Tree::from_cut_files(files.into_iter().filter(|(p, _, _)| keep(p)).collect())
    } else {
        Tree::from_dir_keeping(root, &keep)?
    };
    let mut out = keepopen_posture::run_all(&tree);
    let (last, recent) = match keepopen_source::git::activity::activity(root, now - 90 * DAY) {
        Ok(a) => (a.last_commit_time, Some(a.commits_since)),
        Err(_) => (None, None),
    };
    out.push(keepopen_posture::maintained(last, recent, now, &tree));
    let anchors = Anchors::of(&tree);
    let class = keepopen_assessment::classify(&tree);
    let dependabot = keepopen_posture::dependabot_ecosystems(&tree)
        .into_iter()
        .map(str::to_string)
        .collect();
    let register = format!("{}/", keepopen_assessment::exceptions::DIR);
    let exception_files = tree
        .paths()
        .filter(|p| p.starts_with(&register))
        .filter_map(|p| Some((p.to_string(), tree.bytes(p)?.to_vec())))
        .collect();
    Ok((
        (out, tree.problems().to_vec()),
        anchors,
        (class, last, exception_files, dependabot),
    ))
}

/// The files that stand for the repository in a finding about it as a
/// whole (a missing `SECURITY.md`, no recent commits), whose path is `.`.
/// SARIF must name a file: GitHub code scanning does not show a result at
/// `.` (nor at an empty URI). The README is what a reader of the
/// repository opens first, so a missing policy or licence is pointed there;
/// without one, the first file at the root, else the first file anywhere.
/// A check about CI points at the first workflow, its natural file.
#[derive(Debug, Default, PartialEq, Eq)]
struct Anchors {
    repository: Option<String>,
    workflow: Option<String>,
}

impl Anchors {
    fn of(tree: &Tree) -> Anchors {
        let root_files = || tree.paths().filter(|p| !p.contains('/'));
        let readme = root_files()
            .filter(|p| p.to_ascii_lowercase().starts_with("readme"))
            // `README.md` before `README.de.md` or `README`.
            .min_by_key(|p| (!p.eq_ignore_ascii_case("readme.md"), p.len(), *p));
        let repository = readme
            .or_else(|| root_files().next())
            .or_else(|| tree.paths().next())
            .map(str::to_string);
        let workflow = tree
            .paths()
            .find(|p| {
                p.starts_with(".github/workflows/") && (p.ends_with(".yml") || p.ends_with(".yaml"))
            })
            .map(str::to_string);
        Anchors {
            repository,
            workflow,
        }
    }

    fn for_check(&self, id: &str) -> Option<String> {
        match id {
            "posture-ci-hygiene" => self.workflow.clone().or_else(|| self.repository.clone()),
            _ => self.repository.clone(),
        }
    }
}

/// The failing checks as findings, each at its first piece of evidence.
fn findings(results: &[CheckResult], anchors: &Anchors) -> Vec<Finding> {
    results
        .iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| {
            let at = r.evidence.iter().find(|e| !e.path.is_empty());
            let notes: Vec<&str> = r.evidence.iter().map(|e| e.note.as_str()).take(5).collect();
            let m = Match {
                remedy: None,
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
                    anchor: at.is_none().then(|| anchors.for_check(r.id)).flatten(),
                    ..Default::default()
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> Tree {
        Tree::from_files(paths.iter().map(|p| (p.to_string(), Vec::new())).collect())
    }

    #[test]
    fn a_repository_is_stood_for_by_its_readme_else_its_first_file() {
        let t = tree(&["README.de.md", "README.md", "a.py", "src/b.py"]);
        assert_eq!(
            Anchors::of(&t)
                .for_check("posture-security-policy")
                .as_deref(),
            Some("README.md")
        );
        let t = tree(&["Readme.rst", "a.py"]);
        assert_eq!(Anchors::of(&t).repository.as_deref(), Some("Readme.rst"));
        let t = tree(&["docs/readme.md", "setup.py", "src/a.py"]);
        assert_eq!(Anchors::of(&t).repository.as_deref(), Some("setup.py"));
        let t = tree(&["src/a.py"]);
        assert_eq!(Anchors::of(&t).repository.as_deref(), Some("src/a.py"));
        assert_eq!(Anchors::of(&tree(&[])), Anchors::default());
    }

    #[test]
    fn a_ci_check_points_at_the_first_workflow() {
        let t = tree(&[
            ".github/workflows/test.yml",
            ".github/workflows/a.txt",
            "README.md",
        ]);
        let a = Anchors::of(&t);
        assert_eq!(
            a.for_check("posture-ci-hygiene").as_deref(),
            Some(".github/workflows/test.yml")
        );
        assert_eq!(a.for_check("posture-licence").as_deref(), Some("README.md"));
        let a = Anchors::of(&tree(&["README.md"]));
        assert_eq!(
            a.for_check("posture-ci-hygiene").as_deref(),
            Some("README.md")
        );
    }

    #[test]
    fn a_finding_about_the_repository_keeps_its_path_and_fingerprint() {
        use keepopen_posture::Evidence;
        let failing = |id: &'static str, evidence: Vec<Evidence>| CheckResult {
            id,
            status: Status::Fail,
            score: Some(0),
            evidence,
            fix: "",
        };
        let anchors = Anchors::of(&tree(&["README.md", ".github/workflows/ci.yml"]));
        let fs = findings(
            &[
                failing("posture-security-policy", vec![]),
                failing(
                    "posture-pinned-dependencies",
                    vec![Evidence::new(".github/workflows/ci.yml", 3, "unpinned")],
                ),
            ],
            &anchors,
        );
        assert_eq!(fs[0].location.path, ".");
        assert_eq!(fs[0].location.anchor.as_deref(), Some("README.md"));
        assert_eq!(
            fs[0].fingerprint,
            keepopen_findings::fingerprint(
                "posture-security-policy",
                ".",
                "posture-security-policy"
            ),
            "the fingerprint of before"
        );
        assert_eq!(fs[1].location.path, ".github/workflows/ci.yml");
        assert_eq!(fs[1].location.anchor, None, "it has a file of its own");
    }
}
