//! The organisation report: one row per repository (recommendation, class,
//! findings by category and severity, posture score, last commit, the
//! first step of its fix plan, what could not be read), and a summary a
//! board can read. Versioned JSON with a published schema
//! (`schema/org-v1.schema.json`), CSV, Markdown and a terminal table.

use crate::Assessed;
use keepopen_findings::{Category, Finding, Severity, printable};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const ORG_VERSION: u32 = 1;
pub const ORG_SCHEMA: &str = include_str!("../schema/org-v1.schema.json");

/// One repository of an organisation run.
pub struct OrgRow {
    pub path: String,
    pub remote: Option<String>,
    /// `public` or `private`, when the list said.
    pub visibility: Option<String>,
    /// `None` when the repository could not be scanned at all.
    pub assessed: Option<Assessed>,
    /// 0 to 10, Scorecard-weighted.
    pub posture_score: Option<f64>,
    /// Unix seconds.
    pub last_commit: Option<i64>,
    /// The findings of this repository, as the scan reported them.
    pub findings: Vec<Finding>,
    /// How many of them block.
    pub blocking: usize,
    /// What could not be read, one line each.
    pub errors: Vec<String>,
}

impl OrgRow {
    pub fn status(&self) -> &'static str {
        match &self.assessed {
            Some(a) => a.assessment.recommendation.as_str(),
            None => "error",
        }
    }

    fn by<K: Ord + Copy>(&self, key: impl Fn(&Finding) -> K) -> BTreeMap<K, usize> {
        let mut m = BTreeMap::new();
        for f in &self.findings {
            *m.entry(key(f)).or_insert(0) += 1;
        }
        m
    }

    fn top_fix(&self) -> Option<&str> {
        self.assessed
            .as_ref()
            .and_then(|a| a.assessment.fixes.first())
            .map(|s| s.title.as_str())
    }

    fn to_json(&self) -> Value {
        let a = self.assessed.as_ref();
        json!({
            "path": self.path,
            "remote": self.remote,
            "visibility": self.visibility,
            "recommendation": self.status(),
            "class": a.map(|a| a.assessment.class.class.as_str()),
            "class_evidence": a.map(|a| a.assessment.class.evidence.clone()).unwrap_or_default(),
            "reasons": a.map(|a| a.assessment.reasons.iter().map(|r| json!({"rule": r.rule, "text": r.text})).collect::<Vec<_>>()).unwrap_or_default(),
            "fixes": a.map(|a| a.to_json()["fixes"].clone()).unwrap_or_else(|| json!([])),
            "findings": {
                "total": self.findings.len(),
                "blocking": self.blocking,
                "by_category": self.by(|f| f.m.category.as_str()),
                "by_severity": self.by(|f| f.m.severity.as_str()),
            },
            "posture_score": self.posture_score.map(|s| (s * 10.0).round() / 10.0),
            "last_commit": self.last_commit.map(crate::time::date),
            "errors": self.errors,
        })
    }
}

/// An organisation run's rows, in the order scanned.
pub struct OrgReport<'a> {
    pub rows: &'a [OrgRow],
    /// `I/N` when the run covered one shard.
    pub shard: Option<(u32, u32)>,
}

impl OrgReport<'_> {
    fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m: BTreeMap<&'static str, usize> = [
            "open",
            "open-after-fixes",
            "exception-review",
            "archive",
            "error",
        ]
        .into_iter()
        .map(|k| (k, 0))
        .collect();
        for r in self.rows {
            *m.entry(r.status()).or_insert(0) += 1;
        }
        m
    }

    pub fn to_json(&self) -> Value {
        let findings: usize = self.rows.iter().map(|r| r.findings.len()).sum();
        let blocking: usize = self.rows.iter().map(|r| r.blocking).sum();
        json!({
            "version": ORG_VERSION,
            "tool": {"name": "keepopen", "version": env!("CARGO_PKG_VERSION")},
            "shard": self.shard.map(|(i, n)| format!("{i}/{n}")),
            "repositories": self.rows.iter().map(OrgRow::to_json).collect::<Vec<_>>(),
            "summary": {
                "repositories": self.rows.len(),
                "by_recommendation": self.counts(),
                "findings": findings,
                "blocking": blocking,
            },
        })
    }

    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.to_json())?;
        writeln!(out)
    }

    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "path,remote,visibility,recommendation,class,findings,blocking,critical,high,secret,personal_data,dependency,workflow,posture_score,last_commit,top_fix,errors"
        )?;
        for r in self.rows {
            let sev = r.by(|f| f.m.severity.as_str());
            let cat = r.by(|f| f.m.category.as_str());
            let n =
                |m: &BTreeMap<&str, usize>, k: Category| m.get(k.as_str()).copied().unwrap_or(0);
            let s = |k: Severity| sev.get(k.as_str()).copied().unwrap_or(0);
            let cells = [
                r.path.clone(),
                r.remote.clone().unwrap_or_default(),
                r.visibility.clone().unwrap_or_default(),
                r.status().to_string(),
                r.assessed
                    .as_ref()
                    .map(|a| a.assessment.class.class.to_string())
                    .unwrap_or_default(),
                r.findings.len().to_string(),
                r.blocking.to_string(),
                s(Severity::Critical).to_string(),
                s(Severity::High).to_string(),
                n(&cat, Category::Secret).to_string(),
                (n(&cat, Category::PersonalData) + n(&cat, Category::DisclosureControl))
                    .to_string(),
                n(&cat, Category::Dependency).to_string(),
                n(&cat, Category::Workflow).to_string(),
                r.posture_score
                    .map(|s| format!("{s:.1}"))
                    .unwrap_or_default(),
                r.last_commit.map(crate::time::date).unwrap_or_default(),
                r.top_fix().unwrap_or_default().to_string(),
                r.errors.len().to_string(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            writeln!(out, "{}", line.join(","))?;
        }
        Ok(())
    }

    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "## keepopen: {} repositories\n", self.rows.len())?;
        let counts = self.counts();
        let summary: Vec<String> = counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{n} `{k}`"))
            .collect();
        writeln!(out, "{}.\n", summary.join(", "))?;
        writeln!(
            out,
            "| Repository | Recommendation | Class | Blocking | Critical | High | Posture | Last commit | First fix |"
        )?;
        writeln!(out, "|---|---|---|---:|---:|---:|---:|---|---|")?;
        for r in self.rows {
            let sev = r.by(|f| f.m.severity.as_str());
            writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |",
                md(&r.path),
                r.status(),
                r.assessed
                    .as_ref()
                    .map(|a| a.assessment.class.class.as_str())
                    .unwrap_or("—"),
                r.blocking,
                sev.get("critical").copied().unwrap_or(0),
                sev.get("high").copied().unwrap_or(0),
                r.posture_score
                    .map(|s| format!("{s:.1}"))
                    .unwrap_or_else(|| "—".into()),
                r.last_commit
                    .map(crate::time::date)
                    .unwrap_or_else(|| "—".into()),
                md(r.top_fix()
                    .or(r.errors.first().map(String::as_str))
                    .unwrap_or("—")),
            )?;
        }
        Ok(())
    }

    pub fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        let w = self
            .rows
            .iter()
            .map(|r| printable(&r.path).chars().count())
            .max()
            .unwrap_or(0)
            .max("repository".len());
        writeln!(
            out,
            "{:<w$} {:<17} {:<15} {:>8} {:>7}  first fix",
            "repository", "recommendation", "class", "blocking", "posture"
        )?;
        for r in self.rows {
            writeln!(
                out,
                "{:<w$} {:<17} {:<15} {:>8} {:>7}  {}",
                printable(&r.path),
                r.status(),
                r.assessed
                    .as_ref()
                    .map(|a| a.assessment.class.class.as_str())
                    .unwrap_or("-"),
                r.blocking,
                r.posture_score
                    .map(|s| format!("{s:.1}"))
                    .unwrap_or_else(|| "-".into()),
                printable(
                    r.top_fix()
                        .or(r.errors.first().map(String::as_str))
                        .unwrap_or("-")
                ),
            )?;
        }
        let counts = self.counts();
        let summary: Vec<String> = counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        writeln!(
            out,
            "\n{} repositories: {}",
            self.rows.len(),
            summary.join(", ")
        )
    }
}

fn csv_cell(s: &str) -> String {
    let s = printable(s).into_owned();
    // A cell a spreadsheet would run as a formula is quoted as text.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    };
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn md(s: &str) -> String {
    printable(s).replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests;
