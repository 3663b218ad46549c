//! Reports. Every format is one module behind the [`Format`] trait and reads
//! the same [`Report`]; secrets are redacted in all of them unless the user
//! asked to see them.

mod assessment;
mod csv;
mod gitlab;
mod html;
mod human;
mod json;
mod junit;
mod markdown;
mod org;
mod output;
mod posture;
mod sarif;
pub mod time;

pub use assessment::{Assessed, RegisterEntry};
pub use html::{HtmlFinding, HtmlMeta, Link, SCRIPT, STYLE, parts};
pub use org::{ORG_SCHEMA, ORG_VERSION, OrgReport, OrgRow};
pub use output::{JsonDependencyCoverage, JsonFinding, JsonReport, JsonSummary, SCHEMA, VERSION};
pub use posture::Posture;

/// How every format describes content no ref reaches.
pub(crate) const UNREACHABLE: &str = "in the object store on no branch or tag (a rebased or deleted branch, a pull-request ref): every copy of the store still holds it";

use keepopen_findings::{
    Baseline, Category, Finding, Problem, Severity, Sink, Stats, redact_for, report_order,
};
use std::io::{self, Write};

/// What a report needs to know of a rule: its catalogue entry.
pub use keepopen_findings::RuleInfo;

/// The findings a report will show, collected as the pipeline streams
/// them. Those a baseline already holds are counted, not kept.
#[derive(Default)]
pub struct Collector<'b> {
    findings: Vec<Finding>,
    suppressed: usize,
    baseline: Option<&'b Baseline>,
}

impl<'b> Collector<'b> {
    pub fn new(baseline: Option<&'b Baseline>) -> Self {
        Collector {
            findings: Vec::new(),
            suppressed: 0,
            baseline,
        }
    }

    /// The findings in report order, and how many the baseline suppressed.
    pub fn finish(mut self) -> (Vec<Finding>, usize) {
        report_order(&mut self.findings);
        (self.findings, self.suppressed)
    }
}

impl Sink for Collector<'_> {
    fn put(&mut self, finding: Finding) {
        if self
            .baseline
            .is_some_and(|b| b.contains(&finding.fingerprint))
        {
            self.suppressed += 1;
        } else {
            self.findings.push(finding);
        }
    }
}

/// What makes a finding block: the run's thresholds. Reports and the
/// keep-open assessment decide it the same way.
#[derive(Clone, Copy, Debug)]
pub struct Thresholds {
    pub fail_on: Severity,
    /// The threshold for GitHub Actions audit findings (`workflow-…`).
    pub workflows_fail_on: Severity,
}

impl Thresholds {
    /// A standing triage verdict, or a file context that keeps it from
    /// blocking (test code, vendored libraries, by the context policy),
    /// and it does not block. Informational findings (a test-range NHS
    /// number) never block, even with `fail_on = "info"`: they are there
    /// to be read, not fixed. Repository posture checks (`posture-…`)
    /// never block either: like Scorecard's, they are a checklist and a
    /// score that feed the keep-open recommendation, not defects in the
    /// code. GitHub Actions audits block at their own threshold, as
    /// zizmor's exit code does.
    pub fn blocks(&self, f: &Finding) -> bool {
        if f.triage.is_some() || f.adjusted.is_some_and(|a| !a.blocks) {
            return false;
        }
        let threshold = match f.m.category {
            Category::Posture => return false,
            Category::Workflow => self.workflows_fail_on,
            _ => self.fail_on,
        };
        f.m.severity > Severity::Info && f.m.severity >= threshold
    }
}

/// Everything a format renders.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub problems: &'a [Problem],
    pub stats: &'a Stats,
    pub rules: &'a [RuleInfo],
    pub fail_on: Severity,
    /// The threshold for GitHub Actions audit findings (`workflow-…`).
    pub workflows_fail_on: Severity,
    pub show_secrets: bool,
    pub baseline_suppressed: usize,
    pub color: bool,
    /// The repository checklist, when posture checks ran.
    pub posture: Option<&'a Posture>,
    /// What the dependency check covered per ecosystem, when it ran.
    pub dependencies: Option<&'a keepopen_findings::DependencyCoverage>,
    /// The repositories scanned, in the order given.
    pub repositories: &'a [std::sync::Arc<keepopen_findings::Repository>],
    /// The keep-open assessment of each repository the checks read.
    pub assessments: &'a [Assessed],
}

impl Report<'_> {
    /// See [`Thresholds::blocks`].
    pub fn blocking(&self, f: &Finding) -> bool {
        self.thresholds().blocks(f)
    }

    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            fail_on: self.fail_on,
            workflows_fail_on: self.workflows_fail_on,
        }
    }

    /// How findings block, for summaries: `at or above high`, plus the
    /// posture rules when the report holds posture findings.
    pub fn threshold_text(&self) -> String {
        let mut text = format!("at or above {}", self.fail_on);
        let has = |c: Category| self.findings.iter().any(|f| f.m.category == c);
        if has(Category::Workflow) {
            text.push_str(&format!(
                "; workflow audits at or above {}",
                self.workflows_fail_on
            ));
        }
        if has(Category::Posture) {
            text.push_str("; posture checks never block");
        }
        text
    }

    pub fn blocking_count(&self) -> usize {
        self.findings.iter().filter(|f| self.blocking(f)).count()
    }

    /// The finding's path as people read it: relative to its repository,
    /// behind that repository's root when the report covers several.
    pub fn shown_path(&self, f: &Finding) -> String {
        self.in_repository(f, &f.location.path)
    }

    /// `path` of `f`'s repository as [`Report::shown_path`] shows paths.
    pub(crate) fn in_repository(&self, f: &Finding, path: &str) -> String {
        match &f.location.repository {
            Some(r) if self.repositories.len() > 1 => {
                format!("{}/{}", r.root.trim_end_matches('/'), path)
            }
            _ => path.to_string(),
        }
    }

    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The secret as the report may show it.
    pub fn shown_secret(&self, f: &Finding) -> String {
        if self.show_secrets {
            f.m.secret.clone()
        } else {
            redact_for(f.m.category, &f.m.secret)
        }
    }

    /// The redacted value, whatever the report shows.
    pub fn redacted(&self, f: &Finding) -> String {
        redact_for(f.m.category, &f.m.secret)
    }

    /// The context line as every report shows it, with or without
    /// `--show-secrets`: the pipeline has masked every value on it (see
    /// [`keepopen_findings::redact_context`]); `--show-secrets` shows a
    /// finding's own value in its value field only.
    pub fn shown_context(&self, f: &Finding) -> String {
        f.m.context.clone()
    }
}

/// An output format.
pub trait Format {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()>;
}

/// The formats `--format` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatKind {
    Human,
    Json,
    Sarif,
    Markdown,
    Csv,
    Junit,
    Gitlab,
    Html,
}

impl FormatKind {
    pub fn format(self) -> Box<dyn Format> {
        match self {
            FormatKind::Human => Box::new(human::Human),
            FormatKind::Json => Box::new(json::Json),
            FormatKind::Sarif => Box::new(sarif::Sarif),
            FormatKind::Markdown => Box::new(markdown::Markdown),
            FormatKind::Csv => Box::new(csv::Csv),
            FormatKind::Junit => Box::new(junit::Junit),
            FormatKind::Gitlab => Box::new(gitlab::Gitlab),
            FormatKind::Html => Box::new(html::scan::Html),
        }
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
pub(crate) mod ci_fixture;
#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod schema_tests;

#[cfg(test)]
mod collector_tests {
    use super::*;

    #[test]
    fn the_collector_counts_what_the_baseline_holds_and_orders_the_rest() {
        let all = fixture::findings();
        assert!(all.len() >= 3, "the fixture has findings to split");
        let baseline = Baseline::from_findings(&all[..1]);
        let mut collector = Collector::new(Some(&baseline));
        for f in all.iter().rev().cloned() {
            collector.put(f);
        }
        let (kept, suppressed) = collector.finish();
        assert_eq!(suppressed, 1);
        assert_eq!(kept.len(), all.len() - 1);
        assert!(!kept.iter().any(|f| f.fingerprint == all[0].fingerprint));
        let mut ordered = kept.clone();
        report_order(&mut ordered);
        assert_eq!(kept, ordered, "finish returns report order");
    }
}
