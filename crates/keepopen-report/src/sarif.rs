//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. Stable
//! `ruleId`s, rules with descriptions, help and `security-severity`,
//! `partialFingerprints`, repository-relative URIs, and GitHub's upload
//! limits (see [`limits`]).

use crate::{Format, Report, RuleInfo, time};
use keepopen_findings::{Finding, Severity};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

mod limits;

pub(crate) struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// SARIF URIs are percent-encoded, relative to the repository root.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The file a result points at. A finding about the whole repository has
/// the path `.`, which GitHub code scanning does not show (nor an empty
/// URI): it points at the file the pipeline chose to stand for the
/// repository (its README, else its first file; a workflow for a CI check),
/// and at `README.md`, the conventional one, in a repository with no files
/// at all. Its region is line 1 without a snippet, and its fingerprint is
/// the finding's, computed from `.`, so alerts keep their identity.
fn file(rep: &Report<'_>, f: &Finding) -> String {
    match f.location.path.as_str() {
        "." | "" => rep.in_repository(f, f.location.anchor.as_deref().unwrap_or("README.md")),
        _ => rep.shown_path(f),
    }
}

fn rule(r: &RuleInfo) -> Value {
    // Each rule's own fix: rotating a credential is no answer to a patient
    // extract or an unpinned action.
    let mut help = format!("{}\n\n{}", r.description.trim(), r.fix);
    let mut md = format!("**{}**\n\n{}\n\n{}", r.name, r.description.trim(), r.fix);
    if !r.references.is_empty() {
        help += &format!("\n\nReferences: {}", r.references.join(", "));
        md += "\n\nReferences:\n";
        for link in &r.references {
            md += &format!("- <{link}>\n");
        }
    }
    json!({
        "id": r.id,
        "name": pascal(&r.id),
        "shortDescription": { "text": r.name },
        "fullDescription": { "text": r.description.trim() },
        "help": { "text": help, "markdown": md },
        "helpUri": r.docs_url(),
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "security-severity": r.severity.security_severity(),
            "tags": ["security", r.category.as_str()],
            "precision": "high"
        }
    })
}

fn result(rep: &Report<'_>, f: &Finding, index: &HashMap<&str, usize>) -> Value {
    let name = rep
        .rule(&f.m.rule)
        .map(|r| r.name.as_str())
        .unwrap_or(&f.m.rule);
    let mut text = format!("{name}: {}", rep.shown_secret(f));
    if let Some(d) = &f.m.detail {
        text += &format!(" ({d})");
    }
    if let (Some(c), Some(t)) = (&f.location.commit, f.location.commit_time) {
        text += &format!(
            " (introduced in {} on {})",
            &c[..c.len().min(12)],
            time::date(t)
        );
    }
    if f.location.unreachable {
        text += &format!(". Unreachable: {}.", crate::UNREACHABLE);
    } else if !f.location.in_head {
        text += ". Removed from HEAD but still in the repository's history.";
    }
    let mut region = json!({ "startLine": f.m.line.max(1) });
    if f.m.line > 0 {
        region["startColumn"] = json!(f.m.column.max(1));
        region["snippet"] = json!({ "text": rep.shown_context(f) });
    }
    let mut v = json!({
        "ruleId": f.m.rule,
        "level": level(f.m.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&file(rep, f)), "uriBaseId": "%SRCROOT%" },
                "region": region
            }
        }],
        "partialFingerprints": { "primaryLocationLineHash": format!("{}:1", f.fingerprint) },
        "properties": {
            "severity": f.m.severity.as_str(),
            "confidence": f.m.confidence.as_str(),
            "category": f.m.category.as_str(),
            "inHead": f.location.in_head
        }
    });
    if let Some(i) = index.get(f.m.rule.as_str()) {
        v["ruleIndex"] = json!(i);
    }
    v["properties"]["pathContext"] = json!(f.path_context.as_str());
    if f.location.unreachable {
        v["properties"]["reachable"] = json!(false);
    }
    if let Some(note) = f.context_note() {
        v["properties"]["contextNote"] = json!(note);
    }
    if let Some(a) = f.adjusted.filter(|a| a.from != f.m.severity) {
        v["properties"]["severityBefore"] = json!(a.from.as_str());
    }
    if let Some(c) = &f.location.commit {
        v["properties"]["commit"] = json!(c);
    }
    if let Some(l) = f.location.commit_line {
        v["properties"]["commitLine"] = json!(l);
    }
    if let Some(t) = f.location.commit_time {
        v["properties"]["commitTime"] = json!(time::rfc3339(t));
    }
    v
}

impl Format for Sarif {
    fn write(&self, rep: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let bytes = limits::fit(rep, limits::MAX_GZIP_BYTES, |kept, left_out| {
            document(rep, kept, left_out)
        })?;
        out.write_all(&bytes)?;
        writeln!(out)
    }
}

/// The SARIF log holding the findings at `kept` (indexes into the report's
/// findings, in report order), with `left_out` saying what the limits
/// left out.
fn document(rep: &Report<'_>, kept: &[usize], left_out: Option<limits::LeftOut>) -> Value {
    let findings = kept.iter().map(|&i| &rep.findings[i]);
    // Code scanning takes at most MAX_RULES rules a run; past that, only
    // the rules the results name.
    let rules: Vec<&RuleInfo> = if rep.rules.len() <= limits::MAX_RULES {
        rep.rules.iter().collect()
    } else {
        let named: std::collections::HashSet<&str> =
            findings.clone().map(|f| f.m.rule.as_str()).collect();
        rep.rules
            .iter()
            .filter(|r| named.contains(r.id.as_str()))
            .collect()
    };
    let index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let results: Vec<Value> = findings.map(|f| result(rep, f, &index)).collect();
    let mut notifications: Vec<Value> = rep
        .problems
        .iter()
        .filter(|p| p.level == keepopen_findings::Level::Error)
        .map(|p| json!({ "level": "error", "message": { "text": p.to_string() } }))
        .collect();
    // A run that could not read something did not fully succeed, even
    // though it produced results (the CLI exits 2).
    let successful = notifications.is_empty();
    if let Some(l) = &left_out {
        notifications.push(json!({ "level": "warning", "message": { "text": l.sentence() } }));
    }
    if let Some(deps) = rep.dependencies {
        notifications.extend(deps.gaps().map(
            |e| json!({ "level": "warning", "message": { "text": e.sentence(deps.database) } }),
        ));
    }
    let mut doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "keepopen",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/keepopen/keepopen",
                "rules": rules.into_iter().map(rule).collect::<Vec<_>>()
            }},
            "automationDetails": { "id": "keepopen/" },
            "invocations": [{ "executionSuccessful": successful, "toolExecutionNotifications": notifications }],
            "results": results
        }]
    });
    if let Some(l) = &left_out {
        doc["runs"][0]["properties"]["resultsLeftOut"] = l.to_json();
    }
    // The checklist rides in the run's property bag; its failing checks
    // are results like any other.
    if let Some(posture) = rep.posture {
        doc["runs"][0]["properties"]["posture"] = posture.to_json();
    }
    // What the dependency check covered rides there too, and each
    // ecosystem it could not check is a warning a reviewer sees.
    if let Some(deps) = rep.dependencies {
        doc["runs"][0]["properties"]["dependencies"] =
            json!(crate::output::JsonReport::dependencies(deps));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn sarif_report_snapshot() {
        insta::assert_snapshot!(fixture::render(crate::FormatKind::Sarif, false));
    }

    #[test]
    fn sarif_with_a_repository_level_finding_snapshot() {
        let posture = fixture::posture();
        insta::assert_snapshot!(fixture::render_with(
            crate::FormatKind::Sarif,
            false,
            Some(&posture)
        ));
    }

    #[test]
    fn sarif_has_what_code_scanning_requires() {
        let posture = fixture::posture();
        let v: Value = serde_json::from_str(&fixture::render_with(
            crate::FormatKind::Sarif,
            false,
            Some(&posture),
        ))
        .expect("json");
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        for r in rules {
            assert!(
                r["shortDescription"]["text"].is_string()
                    && r["fullDescription"]["text"].is_string()
            );
            assert!(r["help"]["text"].is_string());
            assert!(
                r["properties"]["security-severity"]
                    .as_str()
                    .is_some_and(|s| s.parse::<f64>().is_ok())
            );
        }
        for res in run["results"].as_array().expect("results") {
            let loc = &res["locations"][0]["physicalLocation"];
            let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(!uri.starts_with('/') && !uri.contains(' '), "{uri}");
            // Code scanning shows no result at the repository itself.
            assert!(!matches!(uri, "" | "." | "./"), "{uri}");
            assert!(!uri.ends_with("/.") && !uri.ends_with('/'), "{uri}");
            assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
            assert!(res["partialFingerprints"]["primaryLocationLineHash"].is_string());
            let idx = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[idx]["id"], res["ruleId"]);
        }
        assert!(!v.to_string().contains(fixture::SECRET));
    }

    /// Issue 11: a finding about the whole repository was at uri `.`.
    #[test]
    fn a_finding_about_the_repository_points_at_a_file() {
        let posture = fixture::posture();
        let v: Value = serde_json::from_str(&fixture::render_with(
            crate::FormatKind::Sarif,
            false,
            Some(&posture),
        ))
        .expect("json");
        let policy = v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["ruleId"] == "demo-policy")
            .expect("the repository-level result");
        let loc = &policy["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "README.md");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 1);
        let fp = keepopen_findings::fingerprint("demo-policy", ".", "demo-policy");
        assert_eq!(
            policy["partialFingerprints"]["primaryLocationLineHash"],
            format!("{fp}:1"),
            "the fingerprint it had at `.`"
        );
        let mut f = fixture::posture_finding();
        f.location.anchor = None;
        let (findings, stats) = (vec![f], keepopen_findings::Stats::default());
        let rep = Report::plain(&findings, &[], &stats, &[]);
        assert_eq!(
            file(&rep, &findings[0]),
            "README.md",
            "a repository with no files"
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("deploy/old config.yml"), "deploy/old%20config.yml");
        assert_eq!(pascal("github-pat-classic"), "GithubPatClassic");
    }

    #[test]
    fn a_run_with_error_problems_is_not_successful() {
        // The fixture could not read a damaged pack: the CLI exits 2.
        let v: Value =
            serde_json::from_str(&fixture::render(crate::FormatKind::Sarif, false)).expect("json");
        let invocation = &v["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"][0]["level"],
            "error"
        );
    }
}
