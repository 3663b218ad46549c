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
    /// What the scan read: blobs, bytes, commits (not the time it took:
    /// a report is the same however fast the machine).
    pub scanned: Option<keepopen_findings::Stats>,
}

impl OrgRow {
    pub fn status(&self) -> &'static str {
        match &self.assessed {
            Some(a) => a.assessment.recommendation.as_str(),
            None => "error",
        }
    }

    /// The row as the JSON report and the store hold it; every format
    /// renders from this.
    pub fn to_json(&self) -> Value {
        row_json(&RowParts {
            path: &self.path,
            remote: self.remote.as_deref(),
            visibility: self.visibility.as_deref(),
            assessed: self.assessed.as_ref(),
            posture_score: self.posture_score,
            last_commit: self.last_commit,
            findings: &self.findings.iter().collect::<Vec<_>>(),
            blocking: self.blocking,
            errors: &self.errors,
            scanned: self.scanned.as_ref(),
        })
    }
}

/// What one repository's row is made of, borrowed: an organisation run's
/// [`OrgRow`], or one repository of a scan (the HTML report of `scan`).
pub(crate) struct RowParts<'a> {
    pub path: &'a str,
    pub remote: Option<&'a str>,
    pub visibility: Option<&'a str>,
    pub assessed: Option<&'a Assessed>,
    pub posture_score: Option<f64>,
    pub last_commit: Option<i64>,
    pub findings: &'a [&'a Finding],
    pub blocking: usize,
    pub errors: &'a [String],
    pub scanned: Option<&'a keepopen_findings::Stats>,
}

impl RowParts<'_> {
    fn status(&self) -> &'static str {
        match self.assessed {
            Some(a) => a.assessment.recommendation.as_str(),
            None => "error",
        }
    }

    fn by<K: Ord + Copy>(&self, key: impl Fn(&Finding) -> K) -> BTreeMap<K, usize> {
        let mut m = BTreeMap::new();
        for f in self.findings {
            *m.entry(key(f)).or_insert(0) += 1;
        }
        m
    }
}

pub(crate) fn row_json(r: &RowParts<'_>) -> Value {
    {
        let a = r.assessed;
        json!({
            "path": r.path,
            "remote": r.remote,
            "visibility": r.visibility,
            "recommendation": r.status(),
            "class": a.map(|a| a.assessment.class.class.as_str()),
            "class_evidence": a.map(|a| a.assessment.class.evidence.clone()).unwrap_or_default(),
            "reasons": a.map(|a| a.assessment.reasons.iter().map(|r| json!({"rule": r.rule, "text": r.text})).collect::<Vec<_>>()).unwrap_or_default(),
            "fixes": a.map(|a| a.to_json()["fixes"].clone()).unwrap_or_else(|| json!([])),
            "findings": {
                "total": r.findings.len(),
                "blocking": r.blocking,
                "by_category": r.by(|f| f.m.category.as_str()),
                "by_severity": r.by(|f| f.m.severity.as_str()),
            },
            "posture_score": r.posture_score.map(|s| (s * 10.0).round() / 10.0),
            "last_commit": r.last_commit.map(crate::time::date),
            "exceptions": a.map(|a| a.register.iter().map(|e| e.to_json()).collect::<Vec<_>>()).unwrap_or_default(),
            "errors": r.errors,
            "scanned": r.scanned.map(|s| json!({
                "blobs": s.blobs,
                "bytes": s.bytes,
                "commits": s.commits,
            })),
        })
    }
}

/// Reading a row back.
pub(crate) fn text<'a>(row: &'a Value, key: &str) -> &'a str {
    row[key].as_str().unwrap_or("")
}

pub(crate) fn count(row: &Value, group: &str, key: &str) -> u64 {
    row["findings"][group][key].as_u64().unwrap_or(0)
}

pub(crate) fn blocking(row: &Value) -> u64 {
    row["findings"]["blocking"].as_u64().unwrap_or(0)
}

fn posture(row: &Value, none: &str) -> String {
    row["posture_score"]
        .as_f64()
        .map(|s| format!("{s:.1}"))
        .unwrap_or_else(|| none.to_string())
}

/// The first step of the plan, else the first error.
fn first(row: &Value) -> Option<&str> {
    row["fixes"][0]["title"]
        .as_str()
        .or_else(|| row["errors"][0].as_str())
}

/// An organisation run's rows (each [`OrgRow::to_json`]), in the order
/// scanned: a live run's, or a stored run's read back.
pub struct OrgReport<'a> {
    pub rows: &'a [Value],
    /// `I/N` when the run covered one shard.
    pub shard: Option<(u32, u32)>,
}

impl OrgReport<'_> {
    fn counts(&self) -> BTreeMap<String, usize> {
        let mut m: BTreeMap<String, usize> = [
            "open",
            "open-after-fixes",
            "exception-review",
            "archive",
            "error",
        ]
        .into_iter()
        .map(|k| (k.to_string(), 0))
        .collect();
        for r in self.rows {
            *m.entry(text(r, "recommendation").to_string()).or_insert(0) += 1;
        }
        m
    }

    pub fn to_json(&self) -> Value {
        let findings: u64 = self
            .rows
            .iter()
            .map(|r| r["findings"]["total"].as_u64().unwrap_or(0))
            .sum();
        let blocking: u64 = self.rows.iter().map(blocking).sum();
        json!({
            "version": ORG_VERSION,
            "tool": {"name": "keepopen", "version": env!("CARGO_PKG_VERSION")},
            "shard": self.shard.map(|(i, n)| format!("{i}/{n}")),
            "repositories": self.rows,
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
            let cat = |c: Category| count(r, "by_category", c.as_str());
            let cells = [
                text(r, "path").to_string(),
                text(r, "remote").to_string(),
                text(r, "visibility").to_string(),
                text(r, "recommendation").to_string(),
                text(r, "class").to_string(),
                r["findings"]["total"].as_u64().unwrap_or(0).to_string(),
                blocking(r).to_string(),
                count(r, "by_severity", Severity::Critical.as_str()).to_string(),
                count(r, "by_severity", Severity::High.as_str()).to_string(),
                cat(Category::Secret).to_string(),
                (cat(Category::PersonalData) + cat(Category::DisclosureControl)).to_string(),
                cat(Category::Dependency).to_string(),
                cat(Category::Workflow).to_string(),
                posture(r, ""),
                text(r, "last_commit").to_string(),
                r["fixes"][0]["title"].as_str().unwrap_or("").to_string(),
                r["errors"].as_array().map_or(0, Vec::len).to_string(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            writeln!(out, "{}", line.join(","))?;
        }
        Ok(())
    }

    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "## keepopen: {} repositories\n", self.rows.len())?;
        let summary: Vec<String> = self
            .counts()
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
            let or_dash = |s: &str| {
                if s.is_empty() {
                    "—".to_string()
                } else {
                    s.to_string()
                }
            };
            writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |",
                md(text(r, "path")),
                md(text(r, "recommendation")),
                or_dash(text(r, "class")),
                blocking(r),
                count(r, "by_severity", "critical"),
                count(r, "by_severity", "high"),
                posture(r, "—"),
                or_dash(text(r, "last_commit")),
                md(first(r).unwrap_or("—")),
            )?;
        }
        Ok(())
    }

    pub fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        let w = self
            .rows
            .iter()
            .map(|r| printable(text(r, "path")).chars().count())
            .max()
            .unwrap_or(0)
            .max("repository".len());
        writeln!(
            out,
            "{:<w$} {:<17} {:<14} {:>5} {:>4} {:>4} {:>7} {:<11}  first fix",
            "repository",
            "recommendation",
            "class",
            "block",
            "crit",
            "high",
            "posture",
            "last commit"
        )?;
        for r in self.rows {
            let class = text(r, "class");
            let last = text(r, "last_commit");
            writeln!(
                out,
                "{:<w$} {:<17} {:<14} {:>5} {:>4} {:>4} {:>7} {:<11}  {}",
                printable(text(r, "path")),
                printable(text(r, "recommendation")),
                if class.is_empty() { "-" } else { class },
                blocking(r),
                count(r, "by_severity", "critical"),
                count(r, "by_severity", "high"),
                posture(r, "-"),
                if last.is_empty() { "-" } else { last },
                printable(first(r).unwrap_or("-")),
            )?;
        }
        let summary: Vec<String> = self
            .counts()
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
