//! `keepopen rules list` and `keepopen rules check`.

use crate::args::{ListFormat, RulesCommand};
use crate::settings::{load_catalogue, load_config};

use anyhow::Result;
use std::process::ExitCode;

pub fn run(cmd: &RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::List { format, config } => {
            let (_, catalogue) = load_catalogue(&load_config(
                config.as_deref(),
                Some(std::path::Path::new(".")),
            )?)?;
            match format {
                ListFormat::Human => {
                    for r in catalogue.rules() {
                        println!(
                            "{:<40} {:<9} {:<18} {}",
                            r.id,
                            r.severity.as_str(),
                            r.category.as_str(),
                            r.name
                        );
                    }
                    eprintln!("{} rules", catalogue.rules().len());
                }
                ListFormat::Json => {
                    let list: Vec<serde_json::Value> = catalogue
                        .rules()
                        .iter()
                        .map(|r| {
                            serde_json::json!({
                                "id": r.id, "name": r.name, "severity": r.severity.as_str(),
                                "category": r.category.as_str(),
                                "detector": catalogue.detector_of(&r.id),
                                "description": r.description.trim(), "fix": r.fix,
                                "references": r.references, "kind": r.kind.as_str(),
                                "docs": r.docs_url(),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&list)?);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Check { config } => {
            let config = load_config(config.as_deref(), Some(std::path::Path::new(".")))?;
            let engine = keepopen_registry::secret_engine(&config)?;
            let mut failures: Vec<String> = keepopen_secrets::check_examples(&engine)
                .iter()
                .map(ToString::to_string)
                .collect();
            let code = keepopen_code::with_custom(&config.code_rules)?;
            failures.extend(keepopen_code::check_examples(&code));
            let exposure = keepopen_exposure::Exposure::new(&Default::default())?;
            failures.extend(keepopen_exposure::check_examples(&exposure));
            for f in &failures {
                println!("FAIL {f}");
            }
            let n = engine.rules().count() + code.len() + exposure.rules().len();
            let examples: usize = engine
                .rules()
                .map(|r| r.examples.len() + r.negative_examples.len())
                .sum::<usize>()
                + code
                    .iter()
                    .flat_map(|r| &r.variants)
                    .map(|v| v.examples.bad.len() + v.examples.good.len())
                    .sum::<usize>()
                + exposure
                    .rules()
                    .iter()
                    .map(|r| r.examples.bad.len() + r.examples.good.len())
                    .sum::<usize>();
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
