//! `keepopen posture [PATH]`: the checklist, each check with its status,
//! score, evidence and fix, and the aggregate score weighted as Scorecard
//! weights its checks.

use anyhow::{Result, bail};
use keepopen_posture::Status;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path, json: bool) -> Result<ExitCode> {
    if !path.is_dir() {
        bail!("{}: not a folder", path.display());
    }
    let results = crate::posture::results(path)?;
    let aggregate = keepopen_posture::aggregate(&results);
    if json {
        let list: Vec<serde_json::Value> = results
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "status": match r.status { Status::Pass => "pass", Status::Fail => "fail", Status::NotApplicable => "not-applicable" },
                    "score": r.score,
                    "weight": keepopen_posture::weight(r.id),
                    "fix": r.fix,
                    "evidence": r.evidence.iter().map(|e| serde_json::json!({"path": e.path, "line": e.line, "note": e.note})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let doc = serde_json::json!({ "version": 1, "checks": list, "aggregate": aggregate, "not_assessed_offline": NOT_OFFLINE });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for r in &results {
            let status = match r.status {
                Status::Pass => "pass",
                Status::Fail => "FAIL",
                Status::NotApplicable => "n/a ",
            };
            let score = r
                .score
                .map(|s| format!("{s:>2}/10"))
                .unwrap_or_else(|| "  -  ".into());
            println!("{status}  {score}  {}", r.id);
            for e in r.evidence.iter().take(5) {
                let at = match (e.path.is_empty(), e.line) {
                    (true, _) => String::new(),
                    (false, 0) => format!("{}: ", e.path),
                    (false, l) => format!("{}:{l}: ", e.path),
                };
                println!("             {at}{}", e.note);
            }
            if r.status == Status::Fail {
                println!("             fix: {}", r.fix);
            }
        }
        println!();
        println!("not assessed offline: {}", NOT_OFFLINE.join(", "));
        match aggregate {
            Some(a) => println!(
                "aggregate score: {a:.1}/10 (weighted as OpenSSF Scorecard weights its checks)"
            ),
            None => println!("aggregate score: none (no scored check applies)"),
        }
    }
    let failed = results.iter().any(|r| r.status == Status::Fail);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Scorecard checks that need the hosting platform's API.
const NOT_OFFLINE: &[&str] = &[
    "Branch-Protection",
    "Code-Review",
    "Contributors",
    "Signed-Releases",
    "Packaging",
    "Webhooks",
    "CII-Best-Practices",
];
