//! `keepopen rules list` and `keepopen rules check`.

use crate::args::{ListFormat, RulesCommand};
use crate::settings::{load_config, load_engine};
use anyhow::Result;
use std::process::ExitCode;

pub fn run(cmd: &RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::List { format, config } => {
            let engine = load_engine(&load_config(
                config.as_deref(),
                Some(std::path::Path::new(".")),
            )?)?;
            match format {
                ListFormat::Human => {
                    for r in engine.rules() {
                        println!(
                            "{:<40} {:<9} {:<7} {}",
                            r.id,
                            r.severity.as_str(),
                            r.confidence.as_str(),
                            r.name
                        );
                    }
                    for r in keepopen_personal::rules::RULES {
                        println!(
                            "{:<40} {:<9} {:<7} {}",
                            r.id,
                            r.severity.as_str(),
                            r.category.as_str(),
                            r.name
                        );
                    }
                    println!(
                        "{:<40} {:<9} {:<7} Known-vulnerable dependency",
                        keepopen_deps::RULE,
                        "cvss",
                        "dependency"
                    );
                    eprintln!(
                        "{} rules",
                        engine.rules().count() + keepopen_personal::rules::RULES.len() + 1
                    );
                }
                ListFormat::Json => {
                    let personal = keepopen_personal::rules::RULES.iter().map(|r| {
                        serde_json::json!({
                            "id": r.id, "name": r.name, "severity": r.severity.as_str(),
                            "category": r.category.as_str(), "description": r.description,
                            "references": r.references, "kind": "logic",
                        })
                    });
                    let list: Vec<serde_json::Value> = engine
                        .rules()
                        .map(|r| {
                            serde_json::json!({
                                "id": r.id, "name": r.name, "severity": r.severity.as_str(),
                                "confidence": r.confidence.as_str(), "description": r.description.trim(),
                                "references": r.references, "kind": if r.is_filename_rule() { "filename" } else { "pattern" },
                            })
                        })
                        .chain(personal)
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Check { config } => {
            let engine = load_engine(&load_config(
                config.as_deref(),
                Some(std::path::Path::new(".")),
            )?)?;
            let failures = keepopen_secrets::check_examples(&engine);
            for f in &failures {
                println!("FAIL {f}");
            }
            let n = engine.rules().count();
            let examples: usize = engine
                .rules()
                .map(|r| r.examples.len() + r.negative_examples.len())
                .sum();
            if failures.is_empty() {
                println!("{n} rules, {examples} examples: all hold");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("{} of {examples} examples failed", failures.len());
                Ok(ExitCode::from(1))
            }
        }
    }
}
