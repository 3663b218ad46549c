//! `keepopen triage FINGERPRINT STATE --reason …`: a verdict on one
//! finding, kept in the store (the same file as the advisory database) and
//! applied by every later scan that reads that store.

use crate::args::TriageArgs;
use anyhow::{Context, Result};
use keepopen_assessment::verdict;
use std::process::ExitCode;

pub fn run(a: &TriageArgs) -> Result<ExitCode> {
    let fingerprint = verdict::check_fingerprint(&a.fingerprint).map_err(anyhow::Error::msg)?;
    let triage = verdict::verdict(
        &a.state,
        &a.reason,
        a.expires.as_deref(),
        crate::clock::today(),
        crate::clock::now(),
    )
    .map_err(|e| match e.strip_prefix("reason: ") {
        Some(rest) => anyhow::anyhow!("--reason: {rest}"),
        None => match e.strip_prefix("expires: ") {
            Some(rest) => anyhow::anyhow!("--expires: {rest}"),
            None => {
                anyhow::Error::msg(e.replace("an expiry date (YYYY-MM-DD)", "--expires YYYY-MM-DD"))
            }
        },
    })?;
    let at = keepopen_store::Location::or_default(a.db.db.as_deref());
    let mut store = keepopen_findings_store::open(&at)?;
    store
        .set_triage(fingerprint, &triage)
        .with_context(|| format!("recording the verdict in {at}"))?;
    println!("{fingerprint} is {} in {at}", triage.state);
    Ok(ExitCode::SUCCESS)
}
