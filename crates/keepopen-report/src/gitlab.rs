//! `--format gitlab`: GitLab's secret-detection report
//! (`gl-secret-detection-report.json`, schema
//! `secret-detection-report-format.json` version 15.2.1), for
//! `artifacts:reports:secret_detection`.
//!
//! What goes in: findings about sensitive content sitting in the
//! repository, which is what GitLab's secret detection is for and what its
//! merge-request policies act on: secrets, personal data, disclosure-control
//! failures in published tables, and exposed configuration. Each is put
//! right the same way, by removing it from the files and the history (and
//! revoking it). Dependency advisories, code weaknesses, workflow audits and
//! posture checks are left out: GitLab reads those from other report types
//! with other schemas (dependency scanning, SAST), and filed here they would
//! trip secret-detection policies for an unpinned action. The scan's
//! `messages` say how many were left out, and the `sarif` and `junit`
//! formats carry every finding.
//!
//! Each vulnerability's `id` is the finding's fingerprint spelled as a UUID
//! (8-4-4-4-12 hex; the schema recommends a UUID), so it is stable across
//! runs. The primary identifier is the keepopen rule id (type
//! `keepopen_rule_id`, as GitLab's own analyzer uses `gitleaks_rule_id`);
//! a CWE among the rule's references is a second one. The schema requires a
//! commit: the one that introduced the content when history was scanned,
//! else the repository's HEAD, else `0000000` as GitLab's analyzer writes
//! for a scan of files alone. Values are redacted unless `--show-secrets`,
//! which alone fills `raw_source_code_extract` (the field is for the raw
//! text, and nothing else belongs there).

use crate::{Format, Report, time};
use keepopen_findings::{Category, Finding, Level, Severity, printable};
use serde_json::{Value, json};
use std::io::{self, Write};

pub(crate) struct Gitlab;

pub(crate) const SCHEMA_VERSION: &str = "15.2.1";

/// GitLab's field limits (the schema's `maxLength`s).
const MAX_NAME: usize = 255;
const MAX_SOLUTION: usize = 7000;

/// Whether GitLab's secret detection is the place for `category`.
pub(crate) fn included(category: Category) -> bool {
    matches!(
        category,
        Category::Secret
            | Category::PersonalData
            | Category::DisclosureControl
            | Category::Exposure
    )
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// The 128-bit fingerprint as a UUID-shaped string.
fn uuid(fingerprint: &str) -> String {
    let h = fingerprint;
    if h.len() != 32 || !h.is_ascii() {
        return h.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `s` cut to at most `max` characters.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// GitLab's time format: UTC, seconds, no zone suffix.
fn gitlab_time(secs: i64) -> String {
    time::rfc3339(secs).trim_end_matches('Z').to_string()
}

fn identifiers(r: &Report<'_>, f: &Finding) -> Vec<Value> {
    let mut ids = vec![json!({
        "type": "keepopen_rule_id",
        "name": format!("keepopen rule ID {}", f.m.rule),
        "value": f.m.rule,
        "url": format!("{}#{}", keepopen_findings::DOCS_PAGE, f.m.rule),
    })];
    for link in r.rule(&f.m.rule).into_iter().flat_map(|x| &x.references) {
        if let Some(n) = link
            .strip_prefix("https://cwe.mitre.org/data/definitions/")
            .and_then(|t| t.strip_suffix(".html"))
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            ids.push(json!({ "type": "cwe", "name": format!("CWE-{n}"), "value": n, "url": link }));
        }
    }
    ids
}

fn description(r: &Report<'_>, f: &Finding) -> String {
    let mut text = r
        .rule(&f.m.rule)
        .map(|x| x.description.trim().to_string())
        .unwrap_or_default();
    let mut add = |s: String| {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&s);
    };
    add(format!("Value: `{}`", printable(&r.shown_secret(f))));
    if let Some(d) = &f.m.detail {
        add(printable(d).into_owned());
    }
    if let Some(note) = f.context_note() {
        add(format!("Context: {}.", printable(&note)));
    }
    if f.location.unreachable {
        add(format!("Unreachable: {}.", crate::UNREACHABLE));
    } else if !f.location.in_head {
        add("Removed from HEAD but still in the repository's history.".into());
    }
    if !r.blocking(f) {
        add(format!("Does not block this run ({}).", r.threshold_text()));
    }
    text
}

fn vulnerability(r: &Report<'_>, f: &Finding) -> Value {
    let rule = r.rule(&f.m.rule);
    let name = rule.map_or(f.m.rule.as_str(), |x| x.name.as_str());
    let sha = f
        .location
        .commit
        .clone()
        .or_else(|| f.location.repository.as_ref().and_then(|x| x.head.clone()))
        .unwrap_or_else(|| "0000000".into());
    let mut commit = json!({ "sha": sha });
    if let Some(a) = &f.location.author {
        commit["author"] = json!(a);
    }
    if let Some(t) = f.location.commit_time {
        commit["date"] = json!(time::rfc3339(t));
    }
    let mut location = json!({ "file": file(r, f), "commit": commit });
    if f.m.line > 0 {
        location["start_line"] = json!(f.m.line);
        location["end_line"] = json!(f.m.line);
    }
    let mut details = serde_json::Map::new();
    let context = r.shown_context(f);
    if !context.trim().is_empty() {
        details.insert(
            "context".into(),
            json!({ "name": "Context", "type": "code", "value": printable(context.trim()) }),
        );
    }
    details.insert(
        "fingerprint".into(),
        json!({ "name": "Fingerprint", "type": "text", "value": f.fingerprint }),
    );
    details.insert(
        "blocking".into(),
        json!({ "name": "Blocks the run", "type": "value", "value": r.blocking(f) }),
    );
    let mut v = json!({
        "id": uuid(&f.fingerprint),
        "name": cut(name, MAX_NAME),
        "description": description(r, f),
        "severity": severity(f.m.severity),
        "identifiers": identifiers(r, f),
        "location": location,
        "details": details,
    });
    if let Some(rule) = rule {
        v["solution"] = json!(cut(&rule.fix, MAX_SOLUTION));
        let links: Vec<Value> = rule
            .references
            .iter()
            .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
            .map(|l| json!({ "url": l }))
            .collect();
        if !links.is_empty() {
            v["links"] = json!(links);
        }
    }
    if r.show_secrets {
        v["raw_source_code_extract"] = json!(f.m.secret);
    }
    v
}

/// The file GitLab links to: repository-level findings stand at the file
/// the pipeline chose for the repository, as in SARIF.
fn file(r: &Report<'_>, f: &Finding) -> String {
    match f.location.path.as_str() {
        "." | "" => r.in_repository(f, f.location.anchor.as_deref().unwrap_or("README.md")),
        _ => r.shown_path(f),
    }
}

fn messages(r: &Report<'_>) -> Vec<Value> {
    let mut out: Vec<Value> = r
        .problems
        .iter()
        .filter(|p| p.level != Level::Note)
        .map(|p| json!({ "level": "warn", "value": printable(&p.to_string()) }))
        .collect();
    let mut left: Vec<(Category, usize)> = Vec::new();
    for f in r.findings.iter().filter(|f| !included(f.m.category)) {
        match left.iter_mut().find(|(c, _)| *c == f.m.category) {
            Some((_, n)) => *n += 1,
            None => left.push((f.m.category, 1)),
        }
    }
    if !left.is_empty() {
        let parts: Vec<String> = left.iter().map(|(c, n)| format!("{c}: {n}")).collect();
        let total: usize = left.iter().map(|(_, n)| n).sum();
        out.push(json!({
            "level": "info",
            "value": format!(
                "{} of other kinds ({}) are not in this secret-detection report; --format sarif or junit carries every finding",
                crate::plural(total, "finding", "findings"),
                parts.join(", ")
            )
        }));
    }
    out
}

impl Format for Gitlab {
    fn write(&self, r: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let end = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let start = end - r.stats.duration.as_secs() as i64;
        let tool = json!({
            "id": "keepopen",
            "name": "keepopen",
            "url": "https://github.com/keepopen/keepopen",
            "vendor": { "name": "keepopen" },
            "version": env!("CARGO_PKG_VERSION"),
        });
        let failed = r.problems.iter().any(|p| p.level == Level::Error);
        let vulnerabilities: Vec<Value> = r
            .findings
            .iter()
            .filter(|f| included(f.m.category))
            .map(|f| vulnerability(r, f))
            .collect();
        let doc = json!({
            "version": SCHEMA_VERSION,
            "schema": format!("https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v{SCHEMA_VERSION}/dist/secret-detection-report-format.json"),
            "scan": {
                "analyzer": tool,
                "scanner": tool,
                "type": "secret_detection",
                "start_time": gitlab_time(start),
                "end_time": gitlab_time(end),
                "status": if failed { "failure" } else { "success" },
                "messages": messages(r),
            },
            "vulnerabilities": vulnerabilities,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests;
