//! `keepopen serve`: the dashboard over the store the other commands use.

use crate::args::ServeArgs;
use anyhow::{Context, Result};
use keepopen_store::Location;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Rescans through the same pipeline as `keepopen org`.
struct Pipeline {
    db: Option<PathBuf>,
}

impl keepopen_dashboard::Rescan for Pipeline {
    fn rescan(
        &self,
        root: &str,
        options: &serde_json::Value,
        visibility: Option<&str>,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<keepopen_dashboard::Rescanned, String> {
        progress(&format!(
            "scanning files and history of {}",
            keepopen_findings::printable(root)
        ));
        super::org::rescan(root, options, visibility, self.db.as_deref())
            .map_err(|e| format!("{e:#}"))
    }
}

pub fn run(a: &ServeArgs) -> Result<ExitCode> {
    let at = Location::or_default(a.db.db.as_deref());
    let store = keepopen_findings_store::open(&at).with_context(|| format!("opening {at}"))?;
    let given = std::env::var("KEEPOPEN_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    if let Some(t) = &given
        && t.trim().len() < 16
    {
        anyhow::bail!("KEEPOPEN_TOKEN: use at least 16 characters (it guards every write)");
    }
    let token = given
        .clone()
        .unwrap_or_else(keepopen_dashboard::random_token);
    if !a.addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read where secrets and patient data sit (writes still need the token). Bind to 127.0.0.1 unless you mean it.",
            a.addr
        );
    }
    let config = keepopen_dashboard::Config {
        addr: a.addr,
        token: token.trim().to_string(),
        hosts: a.allow_host.clone(),
    };
    let db = match &at {
        Location::File(p) => Some(p.clone()),
        Location::Postgres(_) => a.db.db.clone(),
    };
    keepopen_dashboard::serve(config, store, Arc::new(Pipeline { db }), |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "keepopen serve: http://{addr}/ (store {at})");
        if given.is_none() {
            let _ = writeln!(
                out,
                "write token (shown once; set KEEPOPEN_TOKEN to choose it): {token}"
            );
        }
        let _ = out.flush();
    })
    .with_context(|| format!("serving on {}", a.addr))?;
    Ok(ExitCode::SUCCESS)
}
