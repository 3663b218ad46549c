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
    let (results, problems) = keepopen_scan::repo_checks::results(path, crate::clock::now())?;
    let failed = results.iter().any(|r| r.status == Status::Fail);
    let posture = keepopen_report::Posture::new(results);
    if json {
        let mut doc = posture.to_json();
        doc["version"] = 1.into();
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        posture.write_text(&mut std::io::stdout().lock(), true)?;
    }
    // The checks judged the tree without what could not be read.
    for p in &problems {
        eprintln!("error: {}", keepopen_findings::printable(&p.to_string()));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else if !problems.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
