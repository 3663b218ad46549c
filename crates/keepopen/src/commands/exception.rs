//! `keepopen exception new` and `keepopen exception list`: the exceptions
//! register, one TOML record per exception under `.keepopen/exceptions/`.
//! `new` is the one command that writes into a repository, and only there,
//! because the record is meant to be committed and reviewed.

use crate::args::{ExceptionCommand, ExceptionNewArgs};
use anyhow::Result;
use keepopen_assessment::exceptions::{self, DIR, Exception, Record};
use std::path::Path;
use std::process::ExitCode;

pub fn run(command: &ExceptionCommand) -> Result<ExitCode> {
    match command {
        ExceptionCommand::New(a) => new(a),
        ExceptionCommand::List { path, json } => list(path, *json),
    }
}

fn new(a: &ExceptionNewArgs) -> Result<ExitCode> {
    exceptions::check_id(&a.id)?;
    let today = crate::clock::today();
    let approved = a.approved.clone().unwrap_or_else(|| today.to_string());
    let expires = exceptions::expiry_or_default(&approved, a.expires.as_deref());
    let record = Record {
        scope: a.scope.clone(),
        rules: a.rule.clone(),
        attacker: a.attacker.clone(),
        publication_adds: a.publication_adds.clone(),
        path_to_harm: a.path_to_harm.clone(),
        alternatives: a.alternatives.clone(),
        compensating_controls: a.compensating_controls.clone(),
        approver: a.approver.clone(),
        approved,
        expires,
    };
    let path = exceptions::create(&a.repo, &a.id, &record)?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The records in the repository's work tree.
fn records(root: &Path) -> Result<(Vec<Exception>, Vec<exceptions::Unreadable>)> {
    Ok(exceptions::list(root)?)
}

fn list(root: &Path, json: bool) -> Result<ExitCode> {
    let (records, unreadable) = records(root)?;
    let today = crate::clock::today();
    if json {
        let rows: Vec<serde_json::Value> = records
            .iter()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "file": e.file,
                    "standing": e.standing(today).as_str(),
                    "scope": e.record.scope,
                    "rules": e.record.rules,
                    "approver": e.record.approver,
                    "approved": e.record.approved,
                    "expires": e.record.expires,
                })
            })
            .chain(unreadable.iter().map(
                |u| serde_json::json!({"file": u.file, "standing": "invalid", "error": u.why}),
            ))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "exceptions": rows }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if records.is_empty() && unreadable.is_empty() {
        println!(
            "No exceptions: {} holds no records.",
            root.join(DIR).display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<24} {:<11} {:<11} {:<28} scope",
        "id", "standing", "expires", "approver"
    );
    for e in &records {
        println!(
            "{:<24} {:<11} {:<11} {:<28} {}",
            keepopen_findings::printable(&e.id),
            e.standing(today).as_str(),
            keepopen_findings::printable(e.record.expires.trim()),
            keepopen_findings::printable(e.record.approver.trim()),
            keepopen_findings::printable(&e.record.scope.join(", "))
        );
    }
    for u in &unreadable {
        println!(
            "{:<24} {:<11} {}",
            keepopen_findings::printable(&u.file),
            "invalid",
            keepopen_findings::printable(&u.why)
        );
    }
    Ok(ExitCode::SUCCESS)
}
