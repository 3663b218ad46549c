//! `keepopen explain RULE`: a rule's documentation, from the rule itself.

use crate::settings::{load_config, load_engine};
use anyhow::{Result, bail};
use std::path::Path;
use std::process::ExitCode;

pub fn run(id: &str, config: Option<&Path>) -> Result<ExitCode> {
    let engine = load_engine(&load_config(config, Some(Path::new(".")))?)?;
    if let Some(r) = keepopen_personal::rules::RULES.iter().find(|r| r.id == id) {
        return Ok(personal(r));
    }
    if id == keepopen_deps::RULE {
        return Ok(dependency());
    }
    let Some(r) = engine.rule(id) else {
        let near: Vec<&str> = engine
            .rules()
            .map(|r| r.id.as_str())
            .chain(keepopen_personal::rules::RULES.iter().map(|r| r.id))
            .filter(|x| x.contains(id) || id.contains(*x))
            .take(5)
            .collect();
        if near.is_empty() {
            bail!("no rule `{id}` (see `keepopen rules list`)");
        }
        bail!("no rule `{id}`; did you mean {}?", near.join(", "));
    };
    println!("{} — {}", r.id, r.name);
    println!();
    println!("Severity {}, confidence {}.", r.severity, r.confidence);
    println!();
    println!("{}", r.description.trim());
    println!();
    if r.is_filename_rule() {
        println!("Found by file name: {}", r.filename.join(", "));
    } else {
        println!(
            "Found by: keywords {} then the pattern",
            r.keywords.join(", ")
        );
        if let Some(p) = &r.pattern {
            println!("  {p}");
        }
        if let Some(v) = &r.validator {
            println!("  and the {v} check");
        }
    }
    println!();
    println!(
        "What to do: revoke or rotate the credential at its provider first — deleting it from the"
    );
    println!(
        "code does not remove it from git history, where anyone with a clone can read it. Then move"
    );
    println!("it to a secret store or environment variable. To accept a known false positive, add");
    println!(
        "`keepopen:ignore[{}]` on the line, or use a baseline.",
        r.id
    );
    if !r.references.is_empty() {
        println!();
        println!("References:");
        for link in &r.references {
            println!("  {link}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A personal-data or disclosure-control detector's documentation.
fn personal(r: &keepopen_personal::rules::Rule) -> ExitCode {
    println!("{} — {}", r.id, r.name);
    println!();
    println!("Category {}, severity {}.", r.category, r.severity);
    println!();
    println!("{}", r.description.trim());
    println!();
    println!(
        "What to do: remove the data from the repository and from its history (a deleted file"
    );
    println!(
        "stays readable in every clone), and publish code that reads the data from where it is"
    );
    println!(
        "kept instead. Synthetic or test data: use the 999 test range for NHS numbers, or add"
    );
    println!(
        "`keepopen:ignore[{}]` on the line, or a baseline, or exclude the path in .keepopen.toml.",
        r.id
    );
    if !r.references.is_empty() {
        println!();
        println!("References:");
        for link in r.references {
            println!("  {link}");
        }
    }
    ExitCode::SUCCESS
}

/// The dependency detector's documentation.
fn dependency() -> ExitCode {
    println!("{} — Known-vulnerable dependency", keepopen_deps::RULE);
    println!();
    println!(
        "Category dependency; severity from the advisory's CVSS vector, else its database's own."
    );
    println!();
    println!(
        "A package pinned in a lockfile of the working tree at a version that an OSV advisory"
    );
    println!(
        "in the local database affects (`keepopen db import`, `keepopen db update`). Versions are"
    );
    println!(
        "compared in the package's own ecosystem's order. The finding names the advisories and"
    );
    println!("their aliases, the fixed versions, and the lowest version that fixes all of them.");
    println!();
    println!(
        "What to do: upgrade to the version the finding names and regenerate the lockfile. If"
    );
    println!("the vulnerable code is not reachable, record why and accept it with a baseline.");
    println!();
    println!("References:");
    println!("  https://ossf.github.io/osv-schema/");
    ExitCode::SUCCESS
}
