//! `keepopen baseline create`: accept today's findings.

use crate::args::ScanArgs;
use crate::settings::Settings;
use anyhow::{Context, Result};
use keepopen_findings::Baseline;
use std::process::ExitCode;

pub fn create(args: &ScanArgs) -> Result<ExitCode> {
    let mut args = args.clone();
    let out = args.output.take();
    args.baseline = None;
    let s = Settings::from_args(&args)?;
    let mut findings = Vec::new();
    let outcome = super::scan::scan(&s, &mut findings).outcome;
    let baseline = Baseline::from_findings(&findings);
    match &out {
        Some(p) => std::fs::write(p, baseline.to_json())
            .with_context(|| format!("cannot write the baseline to {}", p.display()))?,
        None => print!("{}", baseline.to_json()),
    }
    eprintln!(
        "baseline: {} accepted{}",
        baseline.len(),
        out.as_ref()
            .map(|p| format!(", written to {}", p.display()))
            .unwrap_or_default()
    );
    super::scan::report_errors(&outcome.problems);
    Ok(super::scan::exit_code(
        false,
        &outcome.problems,
        args.allow_incomplete,
    ))
}
