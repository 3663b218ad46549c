//! The exceptions register: `.keepopen/exceptions/<id>.toml`, committed
//! with the code so that an exception is reviewed in a pull request like
//! any change. GDS guidance makes closure an explicit, narrow, time-bound
//! exception with a short threat model; each record holds that model, its
//! scope, the alternatives considered, compensating controls, and who
//! approved it, when, and until when (at most 12 months).
//!
//! A record is checked against the findings it is meant to cover. One that
//! is malformed, incomplete, expired, wider than the weakness it covers or
//! covering no weakness at all is itself a finding. A sound one takes the
//! findings in its scope out of the recommendation, and says so.

mod files;
pub use files::{
    DEFAULT_MONTHS, RecordError, check_id, close, create, expiry_or_default, list, one, renew,
};

use globset::{Glob, GlobSet, GlobSetBuilder};
use jiff::civil::Date;
use keepopen_findings::{Category, Finding, RuleInfo, RuleKind, Severity};
use serde::{Deserialize, Serialize};

/// Where records live, relative to the repository root.
pub const DIR: &str = ".keepopen/exceptions";

/// The longest an approval lasts.
pub const MAX_MONTHS: i8 = 12;

/// One record as written.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Paths (globs, as in .gitignore) the exception covers; `**` for the
    /// whole repository.
    #[serde(default)]
    pub scope: Vec<String>,
    /// Rule ids it covers; empty for any finding in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// The credible attacker.
    #[serde(default)]
    pub attacker: String,
    /// What publication adds for that attacker.
    #[serde(default)]
    pub publication_adds: String,
    /// The realistic path to harm.
    #[serde(default)]
    pub path_to_harm: String,
    #[serde(default)]
    pub alternatives: String,
    #[serde(default)]
    pub compensating_controls: String,
    #[serde(default)]
    pub approver: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub approved: String,
    /// `YYYY-MM-DD`, at most 12 months after `approved`.
    #[serde(default)]
    pub expires: String,
}

/// The fields every record must fill.
const REQUIRED: &[&str] = &[
    "scope",
    "attacker",
    "publication_adds",
    "path_to_harm",
    "alternatives",
    "compensating_controls",
    "approver",
    "approved",
    "expires",
];

impl Record {
    fn field(&self, name: &str) -> bool {
        let filled = |s: &str| !s.trim().is_empty();
        match name {
            "scope" => self.scope.iter().any(|s| filled(s)),
            "attacker" => filled(&self.attacker),
            "publication_adds" => filled(&self.publication_adds),
            "path_to_harm" => filled(&self.path_to_harm),
            "alternatives" => filled(&self.alternatives),
            "compensating_controls" => filled(&self.compensating_controls),
            "approver" => filled(&self.approver),
            "approved" => filled(&self.approved),
            "expires" => filled(&self.expires),
            _ => false,
        }
    }

    /// The record as its file holds it.
    pub fn to_toml(&self) -> Result<String, String> {
        toml::to_string_pretty(self).map_err(|e| e.to_string())
    }

    /// The required fields left empty.
    pub fn missing(&self) -> Vec<&'static str> {
        REQUIRED
            .iter()
            .copied()
            .filter(|f| !self.field(f))
            .collect()
    }

    /// Problems with the dates: unreadable, expiry before approval or more
    /// than 12 months after it.
    pub fn date_problem(&self) -> Option<String> {
        let approved = date("approved", &self.approved).err();
        let expires = date("expires", &self.expires).err();
        if let Some(e) = approved.or(expires) {
            return Some(e);
        }
        let (a, e) = (
            date("approved", &self.approved).ok()?,
            date("expires", &self.expires).ok()?,
        );
        if e <= a {
            return Some(format!("expires ({e}) is not after approved ({a})"));
        }
        let limit = a.checked_add(jiff::Span::new().months(MAX_MONTHS)).ok()?;
        (e > limit).then(|| {
            format!("expires ({e}) is more than {MAX_MONTHS} months after approved ({a}), the longest an exception may run before it is approved again (by {limit})")
        })
    }
}

fn date(field: &str, s: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|_| format!("{field}: `{s}` is not a date (YYYY-MM-DD)"))
}

/// A record read from its file.
#[derive(Clone, Debug)]
pub struct Exception {
    /// The file name without `.toml`.
    pub id: String,
    /// The repository-relative path of the record.
    pub file: String,
    pub record: Record,
}

/// A record that could not be read, with the reason naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub file: String,
    pub why: String,
}

/// Reads the records among `files` (path and bytes): those under [`DIR`]
/// ending in `.toml`.
pub fn read(files: &[(String, Vec<u8>)]) -> (Vec<Exception>, Vec<Unreadable>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (path, bytes) in files {
        let Some(name) = path
            .strip_prefix(DIR)
            .and_then(|r| r.strip_prefix('/'))
            .and_then(|r| r.strip_suffix(".toml"))
            .filter(|n| !n.contains('/') && !n.is_empty())
        else {
            continue;
        };
        let parsed = std::str::from_utf8(bytes)
            .map_err(|_| "not UTF-8 text".to_string())
            .and_then(|t| toml::from_str::<Record>(t).map_err(|e| e.message().to_string()));
        match parsed {
            Ok(record) => ok.push(Exception {
                id: name.to_string(),
                file: path.clone(),
                record,
            }),
            Err(why) => bad.push(Unreadable {
                file: path.clone(),
                why,
            }),
        }
    }
    ok.sort_by(|a, b| a.id.cmp(&b.id));
    (ok, bad)
}

/// How a record stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Active,
    Expired,
    Incomplete,
    Invalid,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Active => "active",
            Standing::Expired => "expired",
            Standing::Incomplete => "incomplete",
            Standing::Invalid => "invalid",
        }
    }
}

impl Exception {
    /// Whether the record is sound and in force on `today`.
    pub fn standing(&self, today: Date) -> Standing {
        if !self.record.missing().is_empty() {
            return Standing::Incomplete;
        }
        if self.record.date_problem().is_some() || self.scope().is_err() {
            return Standing::Invalid;
        }
        match date("expires", &self.record.expires) {
            Ok(e) if e < today => Standing::Expired,
            _ => Standing::Active,
        }
    }

    fn scope(&self) -> Result<GlobSet, String> {
        let mut b = GlobSetBuilder::new();
        for s in &self.record.scope {
            let g =
                Glob::new(s.trim_start_matches('/')).map_err(|e| format!("scope `{s}`: {e}"))?;
            b.add(g);
            // `dir` and `dir/` cover what is under them, as in .gitignore.
            let dir = s.trim_start_matches('/').trim_end_matches('/');
            if !dir.contains('*') && !dir.is_empty() {
                b.add(Glob::new(&format!("{dir}/**")).map_err(|e| format!("scope `{s}`: {e}"))?);
            }
        }
        b.build().map_err(|e| e.to_string())
    }

    /// Whether the record's scope and rules take in `f`.
    pub fn covers(&self, f: &Finding) -> bool {
        let Ok(scope) = self.scope() else {
            return false;
        };
        scope.is_match(&f.location.path)
            && (self.record.rules.is_empty() || self.record.rules.contains(&f.m.rule))
    }

    fn whole_repository(&self) -> bool {
        self.record
            .scope
            .iter()
            .any(|s| matches!(s.trim(), "**" | "*" | "." | "/" | "**/*" | "/**"))
    }
}

/// What the register says of one repository's findings.
#[derive(Debug, Default)]
pub struct Checked {
    /// Findings about the register itself: the pipeline reports them.
    pub findings: Vec<Finding>,
    /// Sound records in force, with the fingerprints each covers.
    pub active: Vec<(Exception, Vec<String>)>,
}

/// Checks the register against the findings that block (`blocking`), on
/// `today`.
pub fn check(
    records: &[Exception],
    unreadable: &[Unreadable],
    blocking: &[&Finding],
    today: Date,
) -> Checked {
    let mut out = Checked::default();
    for u in unreadable {
        out.findings.push(finding(
            "exception-invalid",
            Severity::Medium,
            &u.file,
            format!("the record cannot be read: {}", u.why),
        ));
    }
    for e in records {
        let covered: Vec<&Finding> = blocking.iter().copied().filter(|f| e.covers(f)).collect();
        match e.standing(today) {
            Standing::Incomplete => {
                out.findings.push(finding(
                    "exception-incomplete",
                    Severity::Medium,
                    &e.file,
                    format!(
                        "exception {} leaves empty: {}",
                        e.id,
                        e.record.missing().join(", ")
                    ),
                ));
                continue;
            }
            Standing::Invalid => {
                let why = e
                    .record
                    .date_problem()
                    .or_else(|| e.scope().err())
                    .unwrap_or_default();
                out.findings.push(finding(
                    "exception-invalid",
                    Severity::Medium,
                    &e.file,
                    format!("exception {}: {why}", e.id),
                ));
                continue;
            }
            Standing::Expired => {
                out.findings.push(finding(
                    "exception-expired",
                    Severity::Medium,
                    &e.file,
                    format!(
                        "exception {} expired on {}: approve it again with a fresh threat model, or fix what it covers ({} finding{})",
                        e.id,
                        e.record.expires.trim(),
                        covered.len(),
                        if covered.len() == 1 { "" } else { "s" }
                    ),
                ));
                continue;
            }
            Standing::Active => {}
        }
        if covered.is_empty() {
            out.findings.push(finding(
                "exception-unused",
                Severity::Low,
                &e.file,
                format!(
                    "exception {} covers no weakness left in its scope ({}): remove it",
                    e.id,
                    e.record.scope.join(", ")
                ),
            ));
            continue;
        }
        if e.whole_repository() {
            let mut dirs: Vec<String> = covered
                .iter()
                .map(|f| match f.location.path.rsplit_once('/') {
                    Some((d, _)) => format!("{d}/"),
                    None => f.location.path.clone(),
                })
                .collect();
            dirs.sort();
            dirs.dedup();
            out.findings.push(finding(
                "exception-too-wide",
                Severity::Low,
                &e.file,
                format!(
                    "exception {} covers the whole repository, but its weaknesses are only in {}: narrow its scope to them",
                    e.id,
                    dirs.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let fps = covered.iter().map(|f| f.fingerprint.clone()).collect();
        out.active.push((e.clone(), fps));
    }
    out
}

fn finding(rule: &str, severity: Severity, file: &str, text: String) -> Finding {
    Finding::new(
        keepopen_findings::Match {
            rule: rule.into(),
            category: Category::Posture,
            severity,
            confidence: keepopen_findings::Confidence::High,
            secret: file.into(),
            line: 0,
            column: 0,
            context: text,
            detail: None,
            remedy: None,
        },
        keepopen_findings::Location {
            path: file.into(),
            in_head: true,
            in_worktree: true,
            ..Default::default()
        },
    )
}

/// The ids the register's own findings use, for the catalogue.
pub fn catalogue() -> Vec<RuleInfo> {
    let entry = |id: &str, name: &str, severity, description: &str, fix: &str| RuleInfo {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        severity,
        category: Category::Posture,
        references: vec!["https://www.gov.uk/guidance/be-open-and-use-open-source".into()],
        fix: fix.into(),
        kind: RuleKind::Logic,
        revoke: None,
    };
    vec![
        entry(
            "exception-invalid",
            "Unreadable exception record",
            Severity::Medium,
            "An exception record under .keepopen/exceptions that does not parse, has a date that is not YYYY-MM-DD, expires before it was approved, runs more than 12 months, or has a scope that is not a valid glob.",
            "Correct the field named; `keepopen exception new` writes a valid record.",
        ),
        entry(
            "exception-incomplete",
            "Incomplete exception record",
            Severity::Medium,
            "An exception record that leaves part of its threat model or approval empty: the attacker, what publication adds, the path to harm, the scope, the alternatives, compensating controls, the approver or the dates. An exception without its reasoning cannot be reviewed.",
            "Fill in the fields named, and have the record approved again.",
        ),
        entry(
            "exception-expired",
            "Expired exception",
            Severity::Medium,
            "An exception past its expiry date. Exceptions are time-bound: what it covers is a weakness again until the exception is re-approved or the weakness fixed.",
            "Fix what it covers, or review the threat model and approve it again with a new expiry at most 12 months away.",
        ),
        entry(
            "exception-too-wide",
            "Exception wider than its weakness",
            Severity::Low,
            "An exception that covers the whole repository when the weaknesses it covers sit in a few folders. Exceptions are narrow: the rest of the code stays open.",
            "Narrow the scope to the folders named.",
        ),
        entry(
            "exception-unused",
            "Exception covering no weakness",
            Severity::Low,
            "An exception whose scope holds no blocking finding any more: the weakness was fixed, so the exception should go.",
            "Delete the record.",
        ),
    ]
}

#[cfg(test)]
mod tests;
