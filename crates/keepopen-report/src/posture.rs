//! The posture checklist as the reports show it: every check with its
//! status, score, evidence and fix, and the aggregate weighted as Scorecard
//! weights its checks. `keepopen posture` prints it alone; `keepopen scan`
//! adds it to the human, JSON, SARIF and Markdown reports, beside the failing
//! checks as findings.

use keepopen_posture::{CheckResult, Status};
use serde_json::{Value, json};
use std::io::{self, Write};

/// The checklist of one repository.
pub struct Posture {
    pub checks: Vec<CheckResult>,
    /// 0 to 10; `None` when no scored check applies.
    pub aggregate: Option<f64>,
}

impl Posture {
    pub fn new(checks: Vec<CheckResult>) -> Posture {
        let aggregate = keepopen_posture::aggregate(&checks);
        Posture { checks, aggregate }
    }

    pub fn failed(&self) -> usize {
        self.checks
            .iter()
            .filter(|r| r.status == Status::Fail)
            .count()
    }

    /// The JSON object (`keepopen posture --json`, and `posture` in the scan
    /// report).
    pub fn to_json(&self) -> Value {
        let checks: Vec<Value> = self
            .checks
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "status": status(r.status),
                    "score": r.score,
                    "weight": keepopen_posture::weight(r.id),
                    "fix": r.fix,
                    "evidence": r.evidence.iter().map(|e| json!({
                        "path": e.path, "line": e.line, "note": e.note,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "aggregate": self.aggregate.map(round1),
            "checks": checks,
            "not_assessed_offline": keepopen_posture::NOT_ASSESSED_OFFLINE,
        })
    }

    /// The checklist as plain text, one check per line with its evidence.
    pub fn write_text(&self, out: &mut dyn Write, evidence: bool) -> io::Result<()> {
        for r in &self.checks {
            let mark = match r.status {
                Status::Pass => "pass",
                Status::Fail => "FAIL",
                Status::NotApplicable => "n/a ",
            };
            let score = r
                .score
                .map_or_else(|| "  -  ".to_string(), |s| format!("{s:>2}/10"));
            writeln!(out, "{mark}  {score}  {}", r.id)?;
            if evidence {
                for e in r.evidence.iter().take(5) {
                    let line = format!("{}{}", at(&e.path, e.line), e.note);
                    writeln!(out, "             {}", keepopen_findings::printable(&line))?;
                }
            }
            if r.status == Status::Fail {
                writeln!(out, "             fix: {}", r.fix)?;
            }
        }
        writeln!(out)?;
        writeln!(
            out,
            "not assessed offline: {}",
            keepopen_posture::NOT_ASSESSED_OFFLINE.join(", ")
        )?;
        writeln!(out, "{}", self.aggregate_line())
    }

    pub fn aggregate_line(&self) -> String {
        match self.aggregate {
            Some(a) => format!(
                "posture score: {a:.1}/10, weighted as OpenSSF Scorecard weights its checks ({} of {} checks fail)",
                self.failed(),
                self.checks.len()
            ),
            None => "posture score: none (no scored check applies)".to_string(),
        }
    }

    /// A Markdown section: the score and a table of checks.
    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "### Posture")?;
        writeln!(out)?;
        writeln!(out, "{}.", self.aggregate_line())?;
        writeln!(out)?;
        writeln!(out, "| Check | Status | Score | Evidence | Fix |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for r in &self.checks {
            let evidence: Vec<String> = r
                .evidence
                .iter()
                .take(3)
                .map(|e| format!("{}{}", at(&e.path, e.line), e.note))
                .collect();
            let fix = if r.status == Status::Fail { r.fix } else { "" };
            writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                r.id,
                status(r.status),
                r.score
                    .map_or_else(|| "-".to_string(), |s| format!("{s}/10")),
                cell(&evidence.join("; ")),
                cell(fix)
            )?;
        }
        writeln!(
            out,
            "\nNot assessed offline (they need the hosting platform's API): {}.",
            keepopen_posture::NOT_ASSESSED_OFFLINE.join(", ")
        )
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::NotApplicable => "not-applicable",
    }
}

fn at(path: &str, line: u32) -> String {
    match (path.is_empty(), line) {
        (true, _) => String::new(),
        (false, 0) => format!("{path}: "),
        (false, l) => format!("{path}:{l}: "),
    }
}

fn cell(s: &str) -> String {
    keepopen_findings::printable(s)
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepopen_posture::Evidence;

    fn sample() -> Posture {
        Posture::new(vec![
            CheckResult {
                id: "posture-licence",
                status: Status::Pass,
                score: Some(10),
                evidence: vec![Evidence::new("LICENSE", 1, "MIT licence")],
                fix: "Add a licence.",
            },
            CheckResult {
                id: "posture-security-policy",
                status: Status::Fail,
                score: Some(0),
                evidence: vec![],
                fix: "Add a SECURITY.md | with a contact.",
            },
        ])
    }

    #[test]
    fn json_has_every_check_and_the_weighted_score() {
        let v = sample().to_json();
        assert_eq!(v["checks"].as_array().map(Vec::len), Some(2));
        assert_eq!(v["checks"][1]["status"], "fail");
        assert_eq!(v["checks"][0]["evidence"][0]["path"], "LICENSE");
        // licence weight 2.5 at 10, security policy weight 5 at 0.
        assert_eq!(v["aggregate"], 3.3);
        assert!(
            v["not_assessed_offline"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        );
    }

    #[test]
    fn text_and_markdown_show_status_score_and_fix() {
        let p = sample();
        let mut text = Vec::new();
        p.write_text(&mut text, true).expect("write");
        let text = String::from_utf8(text).expect("utf-8");
        assert!(text.contains("pass  10/10  posture-licence"), "{text}");
        assert!(text.contains("LICENSE:1: MIT licence"), "{text}");
        assert!(
            text.contains("FAIL   0/10  posture-security-policy"),
            "{text}"
        );
        assert!(text.contains("posture score: 3.3/10"), "{text}");
        let mut md = Vec::new();
        p.write_markdown(&mut md).expect("write");
        let md = String::from_utf8(md).expect("utf-8");
        assert!(md.contains("| `posture-security-policy` | fail | 0/10 |  | Add a SECURITY.md \\| with a contact. |"), "{md}");
        assert!(
            md.contains("| `posture-licence` | pass | 10/10 | LICENSE:1: MIT licence |  |"),
            "{md}"
        );
    }
}

#[cfg(test)]
mod in_reports {
    use crate::FormatKind;
    use crate::fixture::{posture, render, render_with};

    #[test]
    fn every_report_but_csv_carries_the_checklist() {
        let p = posture();
        let human = render_with(FormatKind::Human, false, Some(&p));
        assert!(
            human.contains("FAIL   0/10  posture-security-policy"),
            "{human}"
        );
        assert!(human.contains("posture score: 3.3/10"), "{human}");
        let md = render_with(FormatKind::Markdown, false, Some(&p));
        assert!(
            md.contains("### Posture") && md.contains("| `posture-licence` | pass |"),
            "{md}"
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&render_with(FormatKind::Sarif, false, Some(&p))).expect("json");
        assert_eq!(
            sarif["runs"][0]["properties"]["posture"]["checks"][1]["id"],
            "posture-security-policy"
        );
        // Without posture checks, nothing about them appears.
        assert!(!render(FormatKind::Human, false).contains("posture"));
        assert!(!render(FormatKind::Markdown, false).contains("Posture"));
    }
}
