//! Reports. Every format is one module behind the [`Format`] trait and reads
//! the same [`Report`]; secrets are redacted in all of them unless the user
//! asked to see them.

mod csv;
mod human;
mod json;
mod markdown;
mod output;
mod sarif;
mod time;

pub use output::{JsonFinding, JsonReport, JsonSummary, SCHEMA, VERSION};

use keepopen_findings::{Finding, Severity, redact_for, redact_in_for};
use keepopen_scan::Stats;
use keepopen_source::Problem;
use std::io::{self, Write};

/// What a report needs to know of a rule: its catalogue entry.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
    pub category: keepopen_findings::Category,
    pub references: Vec<String>,
}

/// Everything a format renders.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub problems: &'a [Problem],
    pub stats: &'a Stats,
    pub rules: &'a [RuleInfo],
    pub fail_on: Severity,
    pub show_secrets: bool,
    pub baseline_suppressed: usize,
    pub color: bool,
}

impl Report<'_> {
    /// Informational findings (a test-range NHS number) never block, even
    /// with `fail_on = "info"`: they are there to be read, not fixed.
    pub fn blocking(&self, f: &Finding) -> bool {
        f.m.severity > Severity::Info && f.m.severity >= self.fail_on
    }

    pub fn blocking_count(&self) -> usize {
        self.findings.iter().filter(|f| self.blocking(f)).count()
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

    /// The context line as the report may show it.
    pub fn shown_context(&self, f: &Finding) -> String {
        if self.show_secrets {
            f.m.context.clone()
        } else {
            redact_in_for(f.m.category, &f.m.context, &f.m.secret)
        }
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
}

impl FormatKind {
    pub fn format(self) -> Box<dyn Format> {
        match self {
            FormatKind::Human => Box::new(human::Human),
            FormatKind::Json => Box::new(json::Json),
            FormatKind::Sarif => Box::new(sarif::Sarif),
            FormatKind::Markdown => Box::new(markdown::Markdown),
            FormatKind::Csv => Box::new(csv::Csv),
        }
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
pub(crate) mod fixture;
