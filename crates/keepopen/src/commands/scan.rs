//! `keepopen scan`: run the pipeline, apply the baseline, write the report.

use crate::args::ScanArgs;
use crate::progress::Bar;
use crate::settings::Settings;
use anyhow::{Context, Result};
use keepopen_content::Detector;
use keepopen_findings::DependencyCoverage;
use keepopen_report::Report;
use keepopen_scan::Outcome;
use keepopen_source::{Level, Phase, Progress};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// What a scan gives beside its findings.
pub struct Scanned {
    pub outcome: Outcome,
    /// The posture checklist, when one repository was scanned with posture
    /// checks.
    pub posture: Option<keepopen_report::Posture>,
    /// What the dependency check covered, when it ran.
    pub dependencies: Option<DependencyCoverage>,
    /// The run's progress, and its bar, still drawn while the report is
    /// written.
    pub progress: Arc<Progress>,
    pub bar: Bar,
}

/// Runs the scan the settings describe, streaming the findings into `sink`.
pub fn scan(s: &Settings, sink: &mut dyn keepopen_findings::Sink) -> Scanned {
    let progress = Arc::new(Progress::default());
    let bar = Bar::start(progress.clone(), s.progress);
    let detectors: Vec<&dyn Detector> = s.detectors.iter().map(|d| d.as_ref()).collect();
    let mut outcome = keepopen_scan::run(&s.plan, &detectors, &progress, sink);
    let posture = outcome.checklist.take().map(keepopen_report::Posture::new);
    outcome.problems.extend(s.notes.iter().cloned());
    // Per ecosystem, what was and was not checked: a note in every report
    // that carries notes, and a field in those that carry structure.
    let dependencies = s.dependencies.as_ref().map(|c| {
        outcome.problems.extend(c.notes());
        c.report()
    });
    Scanned {
        outcome,
        posture,
        dependencies,
        progress,
        bar,
    }
}

pub fn run(args: &ScanArgs) -> Result<ExitCode> {
    let s = Settings::from_args(args)?;
    let mut collector = keepopen_report::Collector::new(s.baseline.as_ref());
    let Scanned {
        outcome,
        posture,
        dependencies,
        progress,
        bar,
    } = scan(&s, &mut collector);
    progress.enter(Phase::Writing);
    let Judged {
        findings,
        suppressed,
        problems,
        assessments,
    } = judge(&s, &outcome, collector);
    let report = Report {
        findings: &findings,
        problems: &problems,
        stats: &outcome.stats,
        rules: &s.rules,
        fail_on: s.fail_on,
        workflows_fail_on: s.workflows_fail_on,
        show_secrets: s.show_secrets,
        baseline_suppressed: suppressed,
        color: s.color,
        posture: posture.as_ref(),
        dependencies: dependencies.as_ref(),
        repositories: &outcome.repositories,
        assessments: &assessments,
    };
    let format = s.format.format();
    let mut buf = Vec::new();
    format
        .write(&report, &mut buf)
        .context("rendering the report")?;
    // Cleared before the report reaches a terminal it shares.
    bar.finish();
    emit(&buf, s.output.as_deref())?;
    // The same report in the other formats asked for: files, so never in
    // colour.
    for (kind, path) in &s.also {
        let mut buf = Vec::new();
        let plain = Report {
            color: false,
            ..report
        };
        kind.format()
            .write(&plain, &mut buf)
            .with_context(|| format!("rendering the report for {}", path.display()))?;
        emit(&buf, Some(path))?;
    }
    report_errors(&problems);
    // A report in a file or a machine format shows no one its notes: what
    // the dependency check could not check is said on standard error too.
    if s.output.is_some() || s.format != keepopen_report::FormatKind::Human {
        report_unchecked(&problems);
    }
    Ok(exit_code(
        report.blocking_count() > 0,
        &problems,
        args.allow_incomplete,
    ))
}

/// What a scan's findings come to once the store and the register have
/// had their say: the pipeline's findings with triage marked and the
/// register's own findings added, the problems, and the assessments.
pub(crate) struct Judged {
    pub findings: Vec<keepopen_findings::Finding>,
    pub suppressed: usize,
    pub problems: Vec<keepopen_findings::Problem>,
    pub assessments: Vec<keepopen_report::Assessed>,
}

pub(crate) fn judge(
    s: &Settings,
    outcome: &Outcome,
    collector: keepopen_report::Collector<'_>,
) -> Judged {
    let (mut findings, suppressed) = collector.finish();
    // A code finding in a file that shows no network of its own is
    // settled by its repository's class.
    let many = outcome.repositories.len() > 1;
    keepopen_assessment::settle_by_class(&mut findings, |f| {
        outcome
            .facts
            .iter()
            .find(|facts| {
                !many
                    || f.location
                        .repository
                        .as_ref()
                        .is_some_and(|r| r.root == facts.root)
            })
            .map(|facts| &facts.class)
    });
    let mut problems = outcome.problems.clone();
    problems.extend(apply_triage(s, &mut findings));
    let assessments = assess(s, outcome, &mut findings);
    Judged {
        findings,
        suppressed,
        problems,
        assessments,
    }
}

/// Writes a rendered report to `output`, or to standard output, where a
/// closed pipe (`keepopen scan | head`) is not a failure.
pub(crate) fn emit(buf: &[u8], output: Option<&std::path::Path>) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, buf)
            .with_context(|| format!("cannot write the report to {}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(buf).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("writing the report")
                }
                _ => Ok(()),
            }
        }
    }
}

/// Marks each finding a standing verdict in the store covers. A lapsed
/// accepted risk is a note, and the finding counts again; a store that
/// cannot be read is an error naming it.
fn apply_triage(
    s: &Settings,
    findings: &mut [keepopen_findings::Finding],
) -> Vec<keepopen_findings::Problem> {
    let verdicts = match &s.store {
        keepopen_store::Location::File(path) => keepopen_findings_store::read_triage(path),
        at => keepopen_findings_store::read(at).and_then(|mut b| b.triage()),
    };
    let verdicts = match verdicts {
        Ok(v) => v,
        // A newer keepopen's store is refused; anything else that is not a
        // store with verdicts (another program's file, an old layout) is
        // said, and the findings count as untriaged.
        Err(e @ keepopen_store::StoreError::TooNew { .. }) => {
            return vec![keepopen_findings::Problem::error(
                s.store.to_string(),
                format!("triage verdicts could not be read: {e}"),
            )];
        }
        Err(e) => {
            return vec![keepopen_findings::Problem::note(
                s.store.to_string(),
                format!("no triage verdicts read ({e}): every finding counts as untriaged"),
            )];
        }
    };
    let mut notes = Vec::new();
    for f in findings.iter_mut() {
        let Some(t) = verdicts.get(&f.fingerprint) else {
            continue;
        };
        if t.stands(s.plan.now) {
            f.triage = Some(t.clone());
        } else {
            notes.push(keepopen_findings::Problem::note(
                format!("finding {}", f.fingerprint),
                format!(
                    "its triage as {} lapsed: it counts again until it is fixed or triaged again",
                    t.state
                ),
            ));
        }
    }
    notes
}

/// The keep-open assessment of each repository the repository checks read,
/// over the findings as the report shows them (a baseline's are left out:
/// the team accepted them).
/// The exceptions register is checked here too, against the findings that
/// block; what it finds wrong with itself joins the findings.
fn assess(
    s: &Settings,
    outcome: &Outcome,
    findings: &mut Vec<keepopen_findings::Finding>,
) -> Vec<keepopen_report::Assessed> {
    let thresholds = keepopen_report::Thresholds {
        fail_on: s.fail_on,
        workflows_fail_on: s.workflows_fail_on,
    };
    let blocking = |f: &keepopen_findings::Finding| thresholds.blocks(f);
    let many = outcome.repositories.len() > 1;
    let today = crate::clock::today();
    let mut register_findings = Vec::new();
    let assessed = outcome
        .facts
        .iter()
        .map(|facts| {
            let own: Vec<keepopen_findings::Finding> = findings
                .iter()
                .filter(|f| {
                    !many
                        || f.location
                            .repository
                            .as_ref()
                            .is_some_and(|r| r.root == facts.root)
                })
                .cloned()
                .collect();
            let (records, unreadable) =
                keepopen_assessment::exceptions::read(&facts.exception_files);
            let blocking_now: Vec<&keepopen_findings::Finding> =
                own.iter().filter(|f| blocking(f)).collect();
            let checked =
                keepopen_assessment::exceptions::check(&records, &unreadable, &blocking_now, today);
            let repository = outcome
                .repositories
                .iter()
                .find(|r| r.root == facts.root)
                .cloned();
            register_findings.extend(
                checked
                    .findings
                    .into_iter()
                    .filter(|f| !s.plan.disabled.contains(&f.m.rule))
                    .map(|mut f| {
                        f.location.repository = repository.clone();
                        f
                    }),
            );
            let assessment = keepopen_assessment::assess(
                keepopen_assessment::Facts {
                    findings: &own,
                    blocking: &blocking,
                    posture: Some(&facts.checks),
                    class: facts.class.clone(),
                    last_commit: facts.last_commit,
                    now: s.plan.now,
                    rules: &s.rules,
                    ecosystems: facts.dependabot.clone(),
                    exceptions: &checked.active,
                    private: s.private,
                },
                &s.policy,
            );
            keepopen_report::Assessed {
                root: facts.root.clone(),
                assessment,
                register: register(&records, &unreadable, &checked.active, today),
            }
        })
        .collect();
    if !register_findings.is_empty() {
        findings.extend(register_findings);
        keepopen_findings::report_order(findings);
    }
    assessed
}

/// Errors are in the report too, but the report may be a file or a pipe:
/// standard error is where a person or a CI log sees them.
pub fn report_errors(problems: &[keepopen_findings::Problem]) {
    for p in problems.iter().filter(|p| p.level == Level::Error) {
        eprintln!("error: {}", keepopen_findings::printable(&p.to_string()));
    }
}

/// The dependency check's notes (no advisory database, an ecosystem with
/// no advisories), on standard error.
fn report_unchecked(problems: &[keepopen_findings::Problem]) {
    for p in problems
        .iter()
        .filter(|p| p.level == Level::Note && p.subject == keepopen_deps::NOTES_SUBJECT)
    {
        eprintln!("note: {}", keepopen_findings::printable(&p.to_string()));
    }
}

/// 2 when something that should have been read was not (an error; a file
/// deliberately skipped by a limit is not one), unless the user accepts an
/// incomplete run; else 1 when findings block; else 0.
pub fn exit_code(
    blocking: bool,
    problems: &[keepopen_findings::Problem],
    allow_incomplete: bool,
) -> ExitCode {
    let incomplete = problems.iter().any(|p| p.level == Level::Error);
    if incomplete && !allow_incomplete {
        ExitCode::from(2)
    } else if blocking {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The register as reports show it: every record, how it stands today,
/// and how many blocking findings each sound one covers.
fn register(
    records: &[keepopen_assessment::exceptions::Exception],
    unreadable: &[keepopen_assessment::exceptions::Unreadable],
    active: &[(keepopen_assessment::exceptions::Exception, Vec<String>)],
    today: jiff::civil::Date,
) -> Vec<keepopen_report::RegisterEntry> {
    let mut out: Vec<keepopen_report::RegisterEntry> = records
        .iter()
        .map(|e| {
            let r = &e.record;
            let standing = e.standing(today);
            let problem = match standing {
                keepopen_assessment::exceptions::Standing::Incomplete => {
                    Some(format!("missing: {}", r.missing().join(", ")))
                }
                keepopen_assessment::exceptions::Standing::Invalid => r.date_problem(),
                _ => None,
            };
            keepopen_report::RegisterEntry {
                id: e.id.clone(),
                file: e.file.clone(),
                scope: r.scope.clone(),
                rules: r.rules.clone(),
                attacker: r.attacker.clone(),
                publication_adds: r.publication_adds.clone(),
                path_to_harm: r.path_to_harm.clone(),
                approver: r.approver.clone(),
                approved: r.approved.clone(),
                expires: r.expires.clone(),
                standing: standing.as_str().to_string(),
                problem,
                covers: active
                    .iter()
                    .find(|(a, _)| a.id == e.id)
                    .map_or(0, |(_, fps)| fps.len()),
            }
        })
        .collect();
    out.extend(unreadable.iter().map(|u| keepopen_report::RegisterEntry {
        id: u.file.clone(),
        file: u.file.clone(),
        standing: "unreadable".into(),
        problem: Some(u.why.clone()),
        ..Default::default()
    }));
    out
}
