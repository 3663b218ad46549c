//! The JSON report's types, frozen for version 2. They are built from
//! findings, never serialised from internal structs, so that internal
//! changes cannot change the published format. The schema is
//! `schema/report-v2.schema.json`.

use crate::{Report, time};
use serde::Serialize;
use std::collections::BTreeMap;

pub const VERSION: u32 = 2;
pub const SCHEMA: &str = include_str!("../schema/report-v2.schema.json");

#[derive(Serialize)]
pub struct JsonReport {
    pub version: u32,
    pub tool: JsonTool,
    /// Each repository scanned: its root, remote and HEAD.
    pub repositories: Vec<JsonRepository>,
    pub findings: Vec<JsonFinding>,
    pub summary: JsonSummary,
    /// The repository checklist, when posture checks ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posture: Option<serde_json::Value>,
    /// The keep-open assessment of each repository: class, recommendation,
    /// reasons and fix plan.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assessments: Vec<serde_json::Value>,
}

#[derive(Serialize)]
pub struct JsonTool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct JsonRepository {
    pub root: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
}

#[derive(Serialize)]
pub struct JsonFinding {
    /// The root of the repository it is in, as in `repositories`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    pub rule: String,
    pub rule_name: String,
    pub category: String,
    pub severity: String,
    pub confidence: String,
    pub blocking: bool,
    pub path: String,
    /// production, test, fixture, example, docs, vendored, generated or
    /// minified.
    pub path_context: String,
    /// Why the context matters, and what it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_note: Option<String>,
    /// The severity its detector gave, when the context lowered it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_before: Option<String>,
    pub line: u32,
    pub column: u32,
    pub fingerprint: String,
    pub redacted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub context: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub in_head: bool,
    pub in_worktree: bool,
    /// False for content only the object store keeps: no branch, tag or
    /// other ref reaches it.
    pub reachable: bool,
    /// A person's verdict from the store, while it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triage: Option<JsonTriage>,
}

#[derive(Serialize)]
pub struct JsonTriage {
    pub state: &'static str,
    pub reason: String,
    /// YYYY-MM-DD, for an accepted risk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

#[derive(Serialize)]
pub struct JsonProblem {
    pub subject: String,
    pub message: String,
}

#[derive(Serialize)]
pub struct JsonSummary {
    pub total: usize,
    pub blocking: usize,
    pub fail_on: String,
    /// The threshold for GitHub Actions audits; posture checks never block.
    pub workflows_fail_on: String,
    pub by_severity: BTreeMap<String, usize>,
    pub by_category: BTreeMap<String, usize>,
    pub files_scanned: u64,
    pub blobs_scanned: u64,
    pub bytes_scanned: u64,
    pub commits: u64,
    pub duration_ms: u64,
    pub baseline_suppressed: usize,
    pub unreachable_matches: u64,
    pub errors: Vec<JsonProblem>,
    pub skipped: Vec<JsonProblem>,
    pub notes: Vec<JsonProblem>,
    /// Per ecosystem, what the dependency check covered; absent when it
    /// did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<JsonDependencyCoverage>>,
}

#[derive(Serialize)]
pub struct JsonDependencyCoverage {
    pub ecosystem: String,
    pub packages: usize,
    pub advisories_in_db: bool,
    pub checked: usize,
}

impl JsonReport {
    /// The dependency check's coverage, as JSON and SARIF give it.
    pub fn dependencies(d: &keepopen_findings::DependencyCoverage) -> Vec<JsonDependencyCoverage> {
        d.ecosystems
            .iter()
            .map(|e| JsonDependencyCoverage {
                ecosystem: e.ecosystem.clone(),
                packages: e.packages,
                advisories_in_db: e.advisories_in_db,
                checked: e.checked,
            })
            .collect()
    }

    pub fn build(r: &Report<'_>) -> Self {
        let findings = r
            .findings
            .iter()
            .map(|f| JsonFinding {
                repository: f.location.repository.as_ref().map(|r| r.root.clone()),
                rule: f.m.rule.clone(),
                rule_name: r
                    .rule(&f.m.rule)
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| f.m.rule.clone()),
                category: f.m.category.to_string(),
                severity: f.m.severity.to_string(),
                confidence: f.m.confidence.to_string(),
                blocking: r.blocking(f),
                path: f.location.path.clone(),
                path_context: f.path_context.as_str().to_string(),
                context_note: f.context_note(),
                severity_before: f
                    .adjusted
                    .filter(|a| a.from != f.m.severity)
                    .map(|a| a.from.to_string()),
                line: f.m.line,
                column: f.m.column,
                fingerprint: f.fingerprint.clone(),
                redacted: r.redacted(f),
                secret: r.show_secrets.then(|| f.m.secret.clone()),
                context: r.shown_context(f),
                detail: f.m.detail.clone(),
                commit: f.location.commit.clone(),
                commit_line: f.location.commit_line,
                commit_time: f.location.commit_time.map(time::rfc3339),
                author: f.location.author.clone(),
                in_head: f.location.in_head,
                reachable: !f.location.unreachable,
                triage: f.triage.as_ref().map(|t| JsonTriage {
                    state: t.state.as_str(),
                    reason: t.reason.clone(),
                    expires: t.expires_at.map(time::date),
                }),
                in_worktree: f.location.in_worktree,
            })
            .collect();
        let mut by_severity = BTreeMap::new();
        let mut by_category = BTreeMap::new();
        for f in r.findings {
            *by_severity.entry(f.m.severity.to_string()).or_insert(0) += 1;
            *by_category.entry(f.m.category.to_string()).or_insert(0) += 1;
        }
        let list = |level: keepopen_findings::Level| {
            r.problems
                .iter()
                .filter(|p| p.level == level)
                .map(|p| JsonProblem {
                    subject: p.subject.clone(),
                    message: p.message.clone(),
                })
                .collect()
        };
        let s = r.stats;
        JsonReport {
            version: VERSION,
            tool: JsonTool {
                name: "keepopen",
                version: env!("CARGO_PKG_VERSION"),
            },
            repositories: r
                .repositories
                .iter()
                .map(|x| JsonRepository {
                    root: x.root.clone(),
                    remote: x.remote.clone(),
                    head: x.head.clone(),
                })
                .collect(),
            findings,
            summary: JsonSummary {
                total: r.findings.len(),
                blocking: r.blocking_count(),
                fail_on: r.fail_on.to_string(),
                workflows_fail_on: r.workflows_fail_on.to_string(),
                by_severity,
                by_category,
                files_scanned: s.files,
                blobs_scanned: s.blobs,
                bytes_scanned: s.bytes,
                commits: s.commits,
                duration_ms: s.duration.as_millis() as u64,
                baseline_suppressed: r.baseline_suppressed,
                unreachable_matches: s.unreachable_matches,
                errors: list(keepopen_findings::Level::Error),
                skipped: list(keepopen_findings::Level::Skip),
                notes: list(keepopen_findings::Level::Note),
                dependencies: r.dependencies.map(Self::dependencies),
            },
            posture: r.posture.map(crate::Posture::to_json),
            assessments: r.assessments.iter().map(crate::Assessed::to_json).collect(),
        }
    }
}
