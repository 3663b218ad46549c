//! `keepopen`: the command line. Parses arguments, runs one command, and
//! turns its outcome into an exit code: 0 nothing at or above the
//! threshold, 1 findings at or above it, 2 keepopen itself failed.
//! A library only so that a second binary can be the same program: the
//! root package's `keepopen-pre-commit`, which pre-commit's
//! `language: rust` installs (`ci/pre-commit/main.rs`), as ruff's and uv's
//! CLI crates keep `main.rs` to one call.

mod args;
use keepopen_assessment::clock;
// A subcommand's output is what it prints: the workspace's lint against
// printing to stdout is for the library crates.
#[allow(clippy::print_stdout)]
mod commands;
mod progress;
mod settings;

/// jemalloc: the scanning threads allocate and free buffers per object.
/// Against glibc's allocator on openeyes' history: 7.6 s of CPU against
/// 9.5 s, peak 330 MB against 416 MB (govuk-frontend: 387 MB against
/// 375 MB). mimalloc was as fast but kept the heaps of the pack traversal's
/// finished threads: govuk-frontend peaked at 434 MB.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use clap::Parser;
use std::process::ExitCode;

/// Runs the command line: the whole of `keepopen`'s `main`.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match &cli.command {
        args::Command::Scan(a) => commands::scan::run(a),
        args::Command::Baseline {
            command: args::BaselineCommand::Create { scan },
        } => commands::baseline::create(scan),
        args::Command::Rules { command } => commands::rules::run(command),
        args::Command::Db { command } => commands::db::run(command),
        args::Command::Sbom { path, output } => commands::sbom::run(path, output.as_deref()),
        args::Command::Posture { path, json } => commands::posture::run(path, *json),
        args::Command::Exception { command } => commands::exception::run(command),
        args::Command::Triage(a) => commands::triage::run(a),
        args::Command::Serve(a) => commands::serve::run(a),
        args::Command::Org(a) => commands::org::run(a),
        args::Command::Report {
            run,
            format,
            output,
            db,
        } => commands::org::report(*run, *format, output.as_deref(), db),
        args::Command::Explain { rule, config } => commands::explain::run(rule, config.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
