//! What every audit sees: the typed workflow, the locator, and helpers to
//! walk jobs and steps with their yamlpaths.

use github_actions_models::common::expr::LoE;
use github_actions_models::common::{Env, Uses};
use github_actions_models::workflow::job::{
    Container, NormalJob, ParallelStep, RunStep, Step, UsesStep,
};
use github_actions_models::workflow::{Job, Workflow};
use keepopen_findings::{Confidence, Severity};

use crate::locate::Locator;
use crate::{AuditInfo, Finding};

pub(crate) struct Ctx<'a> {
    pub wf: &'a Workflow,
    pub loc: Locator<'a>,
}

/// A step that runs something.
pub(crate) enum StepRef<'a> {
    Uses(&'a UsesStep),
    Run(&'a RunStep),
}

impl<'a> StepRef<'a> {
    /// The step's own `env:`.
    pub fn env(&self) -> &'a LoE<Env> {
        match self {
            StepRef::Uses(u) => &u.shared.env,
            StepRef::Run(r) => &r.shared.env,
        }
    }
}

/// A step with its yamlpath and its job.
pub(crate) struct JobStep<'a> {
    pub job: &'a NormalJob,
    pub path: String,
    pub step: StepRef<'a>,
}

impl<'a> Ctx<'a> {
    pub fn new(wf: &'a Workflow, loc: Locator<'a>) -> Self {
        Self { wf, loc }
    }

    /// Jobs that run steps, with their ids.
    pub fn normal_jobs(&self) -> impl Iterator<Item = (&'a str, &'a NormalJob)> {
        self.wf.jobs.iter().filter_map(|(id, job)| match job {
            Job::NormalJob(j) => Some((id.as_str(), &**j)),
            Job::ReusableWorkflowCallJob(_) => None,
        })
    }

    /// Every job container and service container, with its yamlpath and job.
    pub fn containers(&self) -> Vec<(String, &'a NormalJob, &'a Container)> {
        let mut out = Vec::new();
        for (id, job) in self.normal_jobs() {
            if let Some(c) = &job.container {
                out.push((format!("jobs.{id}.container"), job, c));
            }
            for (name, c) in &job.services {
                out.push((format!("jobs.{id}.services.{name}"), job, c));
            }
        }
        out
    }

    /// Every `uses:` or `run:` step in the workflow, with its yamlpath.
    pub fn steps(&self) -> Vec<(String, StepRef<'a>)> {
        self.job_steps()
            .into_iter()
            .map(|s| (s.path, s.step))
            .collect()
    }

    /// Every `uses:` or `run:` step with its yamlpath and the job it is in.
    pub fn job_steps(&self) -> Vec<JobStep<'a>> {
        let mut out = Vec::new();
        for (id, job) in self.normal_jobs() {
            let mut push = |path: String, step: StepRef<'a>| {
                out.push(JobStep { job, path, step });
            };
            for (i, step) in job.steps.iter().enumerate() {
                let path = format!("jobs.{id}.steps[{i}]");
                match step {
                    Step::Uses(u) => push(path, StepRef::Uses(u)),
                    Step::Run(r) => push(path, StepRef::Run(r)),
                    Step::Parallel { parallel } => {
                        for (j, p) in parallel.iter().enumerate() {
                            let path = format!("{path}.parallel[{j}]");
                            match p {
                                ParallelStep::Uses(u) => push(path, StepRef::Uses(u)),
                                ParallelStep::Run(r) => push(path, StepRef::Run(r)),
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// `uses:` steps calling the repository action `slug` (e.g. `actions/checkout`).
    pub fn uses_action(&self, slug: &str) -> Vec<(String, &'a UsesStep)> {
        self.steps()
            .into_iter()
            .filter_map(|(path, step)| match step {
                StepRef::Uses(u) if is_action(u, slug) => Some((path, u)),
                _ => None,
            })
            .collect()
    }

    /// A finding at the line of `location`, or of the first line under it
    /// containing `needle` when one is given.
    pub fn finding(
        &self,
        info: &AuditInfo,
        severity: Severity,
        confidence: Confidence,
        location: String,
        needle: Option<&str>,
        message: String,
    ) -> Finding {
        finding_at(
            &self.loc, info, severity, confidence, location, needle, message,
        )
    }
}

/// A finding located with `loc`; see [`Ctx::finding`].
pub(crate) fn finding_at(
    loc: &Locator<'_>,
    info: &AuditInfo,
    severity: Severity,
    confidence: Confidence,
    location: String,
    needle: Option<&str>,
    message: String,
) -> Finding {
    let line = match needle {
        Some(n) => loc.line_of(&location, n),
        None => loc.line(&location),
    };
    Finding {
        audit: info.id,
        severity,
        confidence,
        line,
        message,
        key: location.clone(),
        location,
    }
}

/// Whether a step uses `owner/repo` (any subpath, any ref), case-insensitively.
pub(crate) fn is_action(step: &UsesStep, slug: &str) -> bool {
    matches!(&step.uses, Uses::Repository(r) if r.slug().eq_ignore_ascii_case(slug))
}

/// A `with:` input as text, when given literally.
pub(crate) fn input(step: &UsesStep, name: &str) -> Option<String> {
    match &step.with {
        LoE::Literal(with) => with.get(name).map(ToString::to_string),
        LoE::Expr(_) => None,
    }
}

/// Every value the job's literal matrix gives key `key`, from its dimension
/// and its `include:` entries; `None` when the matrix, the dimension or the
/// include list is an expression, or the job has no matrix.
pub(crate) fn matrix_entries<'a>(
    job: &'a NormalJob,
    key: &str,
) -> Option<Vec<&'a yaml_serde::Value>> {
    let LoE::Literal(m) = job.strategy.as_ref()?.matrix.as_ref()? else {
        return None;
    };
    let mut values = Vec::new();
    if let LoE::Literal(dims) = &m.dimensions
        && let Some(dim) = dims.get(key)
    {
        let LoE::Literal(list) = dim else {
            return None;
        };
        values.extend(list.iter());
    }
    let LoE::Literal(include) = &m.include else {
        return None;
    };
    values.extend(include.iter().filter_map(|entry| entry.get(key)));
    Some(values)
}
