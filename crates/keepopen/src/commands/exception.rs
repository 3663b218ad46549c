//! `keepopen exception new` and `keepopen exception list`: the exceptions
//! register, one TOML record per exception under `.keepopen/exceptions/`.
//! `new` is the one command that writes into a repository, and only there,
//! because the record is meant to be committed and reviewed.

use crate::args::{ExceptionCommand, ExceptionNewArgs};
use anyhow::{Context, Result, bail};
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
    let valid_id = !a.id.is_empty()
        && a.id.len() <= 80
        && a.id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !a.id.starts_with('.');
    if !valid_id {
        bail!(
            "exception id `{}`: use letters, digits, `.`, `_` and `-` (at most 80), not starting with `.`",
            a.id
        );
    }
    if !a.repo.is_dir() {
        bail!("{}: not a folder", a.repo.display());
    }
    let today = crate::clock::today();
    let approved = a.approved.clone().unwrap_or_else(|| today.to_string());
    let expires = match &a.expires {
        Some(e) => e.clone(),
        None => approved
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.checked_add(jiff::Span::new().months(6)).ok())
            .map(|d| d.to_string())
            .unwrap_or_default(),
    };
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
    let missing = record.missing();
    if !missing.is_empty() {
        bail!("exception {}: empty {}", a.id, missing.join(", "));
    }
    if let Some(why) = record.date_problem() {
        bail!("exception {}: {why}", a.id);
    }
    let dir = a.repo.join(DIR);
    let path = dir.join(format!("{}.toml", a.id));
    if path.exists() {
        bail!(
            "{} exists: an exception is changed by editing and re-approving its record, not by writing over it",
            path.display()
        );
    }
    let body = record
        .to_toml()
        .map_err(|e| anyhow::anyhow!("writing the record: {e}"))?;
    let text = format!(
        "# keepopen exception {}: a narrow, time-bound exception to keeping this code open.\n# Review it in a pull request; `keepopen exception list` shows the register.\n\n{body}",
        a.id
    );
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The records in the repository's work tree.
fn records(root: &Path) -> Result<(Vec<Exception>, Vec<exceptions::Unreadable>)> {
    let dir = root.join(DIR);
    let mut files = Vec::new();
    if dir.is_dir() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".toml") || !entry.file_type()?.is_file() {
                continue;
            }
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            files.push((format!("{DIR}/{name}"), bytes));
        }
    }
    Ok(exceptions::read(&files))
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
