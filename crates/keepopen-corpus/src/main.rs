//! `keepopen-corpus build --out DIR [--seed N]` makes the corpus;
//! `keepopen-corpus eval --labels DIR/labels.json --findings FILE` scores
//! JSON Lines findings (`{"path", "line", "secret"}`) and prints the score.
//! `keepopen-corpus personal --out DIR [--seed N]` makes the personal-data
//! corpus (DIR/files, DIR/labels.json); `keepopen-corpus personal-eval`
//! scores a keepopen JSON report, or JSON Lines of
//! `{"rule", "category", "path", "line", "secret"}`, against its labels.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use keepopen_corpus::personal::evaluate_personal_rules;
use keepopen_corpus::{
    Labels, PersonalLabels, PersonalReported, Reported, build, build_personal, counts, evaluate,
    evaluate_personal, normalize_path, personal_counts,
};

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
    /// Create DIR/files (planted personal data and look-alikes) and DIR/labels.json.
    Personal {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Score personal-data findings (a keepopen JSON report, or JSON Lines
    /// of {"rule","category","path","line","secret"}) against labels.
    PersonalEval {
        #[arg(long)]
        labels: PathBuf,
        #[arg(long)]
        findings: PathBuf,
        /// Removed from the start of every reported path (e.g. DIR/files).
        #[arg(long)]
        strip_prefix: Option<String>,
        /// Score only these rules (comma-separated), e.g. to compare with a
        /// scanner that knows fewer kinds.
        #[arg(long, value_delimiter = ',')]
        rules: Vec<String>,
        /// Print the score as text instead of JSON.
        #[arg(long)]
        text: bool,
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

fn strip(p: &str, prefix: Option<&str>) -> String {
    let mut p = normalize_path(p);
    if let Some(prefix) = prefix.map(normalize_path) {
        let prefix = prefix.trim_end_matches('/');
        if let Some(rest) = p.strip_prefix(prefix) {
            p = rest.trim_start_matches('/').to_owned();
        }
    }
    p
}

/// A keepopen report (`{"findings": [...]}`) or JSON Lines of findings.
fn read_personal(path: &PathBuf, prefix: Option<&str>) -> anyhow::Result<Vec<PersonalReported>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out: Vec<PersonalReported> = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(report)) => {
            serde_json::from_value(report.get("findings").cloned().unwrap_or_default())
                .with_context(|| format!("{}: findings", path.display()))?
        }
        _ => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                serde_json::from_str(l)
                    .with_context(|| format!("{}:{}: not a finding", path.display(), n + 1))
            })
            .collect::<anyhow::Result<_>>()?,
    };
    for r in &mut out {
        r.path = strip(&r.path, prefix);
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
        Cmd::Personal { out, seed } => {
            let labels = build_personal(&out, seed)?;
            let mut v = personal_counts(&labels, &out);
            v["files_dir"] = out.join("files").display().to_string().into();
            v["labels"] = out.join("labels.json").display().to_string().into();
            v
        }
        Cmd::PersonalEval {
            labels,
            findings,
            strip_prefix,
            rules,
            text,
        } => {
            let labels = PersonalLabels::read(&labels)?;
            let findings = read_personal(&findings, strip_prefix.as_deref())?;
            let score = if rules.is_empty() {
                evaluate_personal(&labels, &findings)
            } else {
                let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
                evaluate_personal_rules(&labels, &findings, &rules)
            };
            if text {
                write!(std::io::stdout().lock(), "{score}")?;
                return Ok(());
            }
            serde_json::to_value(score)?
        }
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::to_string_pretty(&json)?)?;
    Ok(())
}
