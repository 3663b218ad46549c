//! `keepopen triage FINGERPRINT STATE --reason …`: a verdict on one
//! finding, kept in the store (the same file as the advisory database) and
//! applied by every later scan that reads that store.

use crate::args::TriageArgs;
use anyhow::{Context, Result, bail};
use keepopen_findings::{Triage, TriageState};
use std::process::ExitCode;

pub fn run(a: &TriageArgs) -> Result<ExitCode> {
    let state: TriageState = a.state.parse().map_err(anyhow::Error::msg)?;
    if a.fingerprint.trim().is_empty() || a.fingerprint.len() > 128 {
        bail!(
            "fingerprint `{}`: give the fingerprint a report shows",
            a.fingerprint
        );
    }
    if a.reason.trim().is_empty() {
        bail!("--reason: say why, for whoever reads the report next");
    }
    let today = crate::clock::today();
    let expires_at = match (&a.expires, state) {
        (None, TriageState::AcceptedRisk) => {
            bail!("accepted-risk needs --expires YYYY-MM-DD: an accepted risk is reviewed again")
        }
        (None, _) => None,
        (Some(e), _) => {
            let date: jiff::civil::Date = e
                .parse()
                .map_err(|_| anyhow::anyhow!("--expires: `{e}` is not a date (YYYY-MM-DD)"))?;
            let limit = today.checked_add(jiff::Span::new().months(12))?;
            if date <= today || date > limit {
                bail!("--expires: {date} is not between tomorrow and {limit} (12 months)");
            }
            Some(
                date.to_zoned(jiff::tz::TimeZone::UTC)?
                    .timestamp()
                    .as_second(),
            )
        }
    };
    let at = keepopen_store::Location::or_default(a.db.db.as_deref());
    let mut store = keepopen_findings_store::open(&at)?;
    store
        .set_triage(
            a.fingerprint.trim(),
            &Triage {
                state,
                reason: a.reason.trim().to_string(),
                expires_at,
                set_at: crate::clock::now(),
            },
        )
        .with_context(|| format!("recording the verdict in {at}"))?;
    println!("{} is {state} in {at}", a.fingerprint.trim());
    Ok(ExitCode::SUCCESS)
}
