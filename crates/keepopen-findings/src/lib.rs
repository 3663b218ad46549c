//! The vocabulary every detector and report shares: severity, confidence,
//! category, the raw [`Match`] a detector emits for one piece of content, and
//! the [`Finding`] the pipeline makes of it once it knows where that content
//! lives.

mod baseline;
mod context;
mod coverage;
mod default_password;
mod disposable;
mod finding;
mod harmless;
mod level;
mod path_context;
pub mod presigned;
mod printable;
mod problem;
mod redact;
mod rule_info;
mod sink;
mod stats;
mod triage;
mod vendored;
mod words;

pub use baseline::{Baseline, BaselineEntry, BaselineError};
pub use context::{mask_shapes, redact_context};
pub use coverage::{DependencyCoverage, EcosystemCoverage, thousands};
pub use finding::{Adjusted, Finding, Location, Match, Remedy, Repository, fingerprint};
pub use level::{Category, Confidence, SILENT_FILE, Severity};
pub use path_context::{ContextPolicy, ContextRule, PathContext, sniff};
pub use printable::{is_unprintable, printable};
pub use problem::{Level, Problem};
pub use redact::{redact, redact_for, redact_in, redact_in_for, redact_personal};
pub use rule_info::{DOCS_PAGE, RuleInfo, RuleKind};
pub use sink::{Sink, report_order};
pub use stats::Stats;
pub use triage::{Triage, TriageState};
pub use vendored::{VENDORED_DIRS, is_vendored, is_vendored_dir};
pub use words::{DigitThenCapital, words};

/// A secret finding at `path` with `secret` and `severity`, for tests.
#[cfg(test)]
pub(crate) fn test_finding(path: &str, secret: &str, severity: Severity) -> Finding {
    let m = Match {
        remedy: None,
        rule: "r".into(),
        category: Category::Secret,
        severity,
        confidence: Confidence::High,
        secret: secret.into(),
        line: 1,
        column: 1,
        context: String::new(),
        detail: None,
    };
    Finding::new(
        m,
        Location {
            path: path.into(),
            ..Default::default()
        },
    )
}
