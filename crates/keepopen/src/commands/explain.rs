//! `keepopen explain ID`: any id's documentation, from the one catalogue;
//! for a secret rule, also how it is found. `keepopen explain policy`
//! prints the keep-open policy with the values in force.

use crate::settings::{load_catalogue, load_config};
use anyhow::Result;
use keepopen_findings::Category;
use std::path::Path;
use std::process::ExitCode;

pub fn run(id: &str, config: Option<&Path>) -> Result<ExitCode> {
    let config = load_config(config, Some(Path::new(".")))?;
    if id == "policy" {
        print!("{}", config.policy.explain());
        return Ok(ExitCode::SUCCESS);
    }
    let (secret_rules, catalogue) = load_catalogue(&config)?;
    let r = catalogue.lookup(id)?;
    println!("{} — {}", r.id, r.name);
    println!();
    println!(
        "Category {}, default severity {}, from the {} detector.",
        r.category,
        r.severity,
        catalogue.detector_of(id).unwrap_or("?")
    );
    println!();
    println!("{}", r.description.trim());
    if r.category == Category::Secret
        && let Some(rule) = secret_rules.iter().find(|s| s.id == id)
    {
        how_found(rule, config.disabled_rules.contains(id));
    }
    println!();
    println!("What to do: {}", r.fix);
    if let Some(url) = &r.revoke {
        println!("Revoke and reissue it at: {url}");
    }
    println!();
    println!(
        "To accept a known false positive: `keepopen:ignore[{}]` on the line, a baseline, or `rules.disable` in .keepopen.toml.",
        r.id
    );
    println!();
    println!("Documentation: {}", r.docs_url());
    if !r.references.is_empty() {
        println!("References:");
        for link in &r.references {
            println!("  {link}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A secret rule's keywords and pattern, or the file names it looks for.
fn how_found(r: &keepopen_rules::Rule, disabled: bool) {
    println!();
    if disabled {
        println!("Disabled by rules.disable in this folder's configuration.");
    }
    println!("Confidence {}.", r.confidence);
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
}
