//! `keepopen scan`: run the pipeline, apply the baseline, write the report.

use crate::args::{DetectorKind, ScanArgs};
use crate::progress::Bar;
use crate::settings::Settings;
use anyhow::{Context, Result};
use keepopen_content::Detector;
use keepopen_report::Report;
use keepopen_scan::Outcome;
use keepopen_source::{Level, Progress};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// Runs the scan the settings describe.
/// Runs the pipeline and the repository checks: the findings, and the
/// posture checklist when one repository was scanned with posture checks.
pub fn scan(s: &Settings) -> (Outcome, Option<keepopen_report::Posture>) {
    let mut posture = None;
    let progress = Arc::new(Progress::default());
    let bar = Bar::start(progress.clone(), s.progress);
    let detectors: Vec<&dyn Detector> = s
        .detectors
        .iter()
        .filter_map(|d| -> Option<&dyn Detector> {
            match d {
                DetectorKind::Secrets => Some(&s.engine as &dyn Detector),
                DetectorKind::Personal => Some(&s.personal as &dyn Detector),
                DetectorKind::Dependencies => s.dependencies.as_ref().map(|d| d as &dyn Detector),
                DetectorKind::Workflows => {
                    Some(&keepopen_workflows::WorkflowAudits as &dyn Detector)
                }
                // Repository-level: run beside the pipeline, below.
                DetectorKind::Posture => None,
            }
        })
        .collect();
    // The repository checks read the working tree and HEAD's recent history
    // on their own thread while the pipeline runs.
    // A bare repository has no work tree, so its workflows at HEAD are
    // audited here too.
    let want_posture = s.detectors.contains(&DetectorKind::Posture) && s.plan.worktree;
    let want_bare_workflows = s.detectors.contains(&DetectorKind::Workflows) && s.plan.worktree;
    let (outcome, checked, bare) = std::thread::scope(|scope| {
        let checks = scope.spawn(|| {
            let roots = s.plan.roots.iter().filter(|r| r.is_dir());
            let checked: Vec<_> = roots
                .clone()
                .filter(|_| want_posture)
                .map(|root| (root.clone(), crate::posture::results(root)))
                .collect();
            let bare: Vec<_> = roots
                .filter(|r| want_bare_workflows && keepopen_source::git::head::is_bare(r))
                .map(|root| (root.clone(), crate::posture::bare_workflows(root)))
                .collect();
            (checked, bare)
        });
        let outcome = keepopen_scan::run(&s.plan, &detectors, &progress);
        let (checked, bare) = checks.join().unwrap_or_default();
        (outcome, checked, bare)
    });
    bar.finish();
    let mut outcome = outcome;
    let many = s.plan.roots.len() > 1;
    let repositories = outcome.repositories.clone();
    let repository = |root: &std::path::Path| {
        repositories
            .iter()
            .find(|r| r.root == root.display().to_string())
            .cloned()
    };
    let mut extra = Vec::new();
    for (root, (mut found, problems)) in bare {
        let r = repository(&root);
        found
            .iter_mut()
            .for_each(|f| f.location.repository = r.clone());
        extra.extend(found);
        outcome.problems.extend(problems);
    }
    for (root, results) in checked {
        match results {
            Ok(results) => {
                let mut found = crate::posture::findings(&results);
                let r = repository(&root);
                found
                    .iter_mut()
                    .for_each(|f| f.location.repository = r.clone());
                extra.extend(found);
                // One checklist per report: a single repository's.
                if !many {
                    posture = Some(keepopen_report::Posture::new(results));
                }
            }
            Err(e) => outcome.problems.push(keepopen_source::Problem::error(
                root.display().to_string(),
                format!("posture checks could not read the tree: {e}"),
            )),
        }
    }
    outcome.findings.extend(extra);
    // `rules.disable` holds for every detector, repository checks included.
    outcome.findings.retain(|f| !s.disabled.contains(&f.m.rule));
    for (subject, message) in &s.notes {
        outcome
            .problems
            .push(keepopen_source::Problem::note(subject.clone(), message));
    }
    (outcome, posture)
}

pub fn run(args: &ScanArgs) -> Result<ExitCode> {
    let s = Settings::from_args(args)?;
    let (mut outcome, posture) = scan(&s);
    let before = outcome.findings.len();
    if let Some(b) = &s.baseline {
        outcome.findings.retain(|f| !b.contains(&f.fingerprint));
    }
    let report = Report {
        findings: &outcome.findings,
        problems: &outcome.problems,
        stats: &outcome.stats,
        rules: &s.rules,
        fail_on: s.fail_on,
        workflows_fail_on: s.workflows_fail_on,
        show_secrets: s.show_secrets,
        baseline_suppressed: before - outcome.findings.len(),
        color: s.color,
        posture: posture.as_ref(),
        repositories: &outcome.repositories,
    };
    let format = s.format.format();
    let mut buf = Vec::new();
    format
        .write(&report, &mut buf)
        .context("rendering the report")?;
    match &s.output {
        Some(path) => std::fs::write(path, &buf)
            .with_context(|| format!("cannot write the report to {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`keepopen scan | head`) is not a failure.
            if let Err(e) = out.write_all(&buf).and_then(|_| out.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(e).context("writing the report");
            }
        }
    }
    // Problems are in the report; say them on stderr too when the report
    // is machine-readable or goes to a file.
    if s.format != keepopen_report::FormatKind::Human || s.output.is_some() {
        for p in outcome.problems.iter().filter(|p| p.level == Level::Error) {
            eprintln!("error: {p}");
        }
    }
    let errors = outcome.problems.iter().any(|p| p.level == Level::Error);
    Ok(if report.blocking_count() > 0 {
        ExitCode::from(1)
    } else if errors {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
