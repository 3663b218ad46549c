//! `keepopen-corpus build --out DIR [--seed N]` makes the corpus;
//! `keepopen-corpus eval --labels DIR/labels.json --findings FILE` scores
//! JSON Lines findings (`{"path", "line", "secret"}`) and prints the score.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use keepopen_corpus::{Labels, Reported, build, counts, evaluate, normalize_path};

#[derive(Parser)]
#[command(
    name = "keepopen-corpus",
    about = "Build a labelled secret-scanning corpus and score findings against it"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create DIR/repo (a git repository) and DIR/labels.json.
    Build {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Score findings (JSON Lines of {"path","line","secret"}) against labels.
    Eval {
        #[arg(long)]
        labels: PathBuf,
        #[arg(long)]
        findings: PathBuf,
        /// Removed from the start of every reported path (e.g. the repo directory).
        #[arg(long)]
        strip_prefix: Option<String>,
    },
}

fn read_findings(path: &PathBuf, strip: Option<&str>) -> anyhow::Result<Vec<Reported>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut r: Reported = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a finding", path.display(), n + 1))?;
        let mut p = normalize_path(&r.path);
        if let Some(prefix) = strip.map(normalize_path) {
            let prefix = prefix.trim_end_matches('/');
            if let Some(rest) = p.strip_prefix(prefix) {
                p = rest.trim_start_matches('/').to_owned();
            }
        }
        r.path = p;
        out.push(r);
    }
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let json = match cli.command {
        Cmd::Build { out, seed } => {
            let labels = build(&out, seed)?;
            let mut v = counts(&labels);
            v["repo"] = out.join("repo").display().to_string().into();
            v["labels"] = out.join("labels.json").display().to_string().into();
            v
        }
        Cmd::Eval {
            labels,
            findings,
            strip_prefix,
        } => {
            let labels = Labels::read(&labels)?;
            let findings = read_findings(&findings, strip_prefix.as_deref())?;
            serde_json::to_value(evaluate(&labels, &findings))?
        }
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::to_string_pretty(&json)?)?;
    Ok(())
}
