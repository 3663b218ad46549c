//! Command-line arguments, and nothing else: they are validated together
//! with the config file in `settings.rs`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "keepopen",
    version,
    about = "Find what stands between a repository and staying open: secrets and personal data in its files and its whole git history, and known-vulnerable dependencies."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan repositories or folders: the working tree and every blob reachable from any ref.
    Scan(ScanArgs),
    /// Accept the current findings, so that CI fails only on new ones.
    Baseline {
        #[command(subcommand)]
        command: BaselineCommand,
    },
    /// List or check the rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// The local OSV advisory database, for known-vulnerable dependencies.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// The posture checklist: ownership, disclosure route, licence, dependency
    /// automation, CI hygiene, binaries, pinning, committed data, maintenance.
    Posture {
        /// The repository (default: the current folder).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// JSON instead of the checklist.
        #[arg(long)]
        json: bool,
    },
    /// Write a CycloneDX 1.5 JSON SBOM of every package the lockfiles pin.
    Sbom {
        /// The repository or folder (default: the current folder).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Write it here instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Scan every repository of an organisation (a folder of clones, bare or
    /// not, or a list) and recommend, per repository, whether it can stay
    /// open.
    Org(OrgArgs),
    /// Show an organisation run kept in the store again, without scanning.
    Report {
        /// The run (default: the newest, finished ones first).
        #[arg(long)]
        run: Option<i64>,
        #[arg(long, short = 'f', value_enum, default_value_t = OrgFormat::Human)]
        format: OrgFormat,
        /// Write the report here instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The exceptions register: narrow, time-bound exceptions to keeping
    /// code open, each with a threat model, in `.keepopen/exceptions/`.
    Exception {
        #[command(subcommand)]
        command: ExceptionCommand,
    },
    /// Record a verdict on a finding, by its fingerprint, in the store:
    /// it stays in reports, marked, and leaves the recommendation and the
    /// exit code while the verdict stands.
    Triage(TriageArgs),
    /// The local dashboard: the report's views over the store, with triage,
    /// exceptions and rescans. Binds to 127.0.0.1; writes need the token it
    /// prints (or $KEEPOPEN_TOKEN).
    Serve(ServeArgs),
    /// Explain a rule: what it finds, why it matters, how to fix it.
    /// `keepopen explain policy` prints the keep-open policy.
    Explain {
        /// The rule id, as in reports and `keepopen rules list`.
        rule: String,
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct OrgArgs {
    /// A folder of clones, bare or not, searched three levels deep.
    #[arg(required_unless_present = "list")]
    pub dir: Option<PathBuf>,
    /// A file naming the repositories, one path per line, each optionally
    /// followed by `public` or `private`; `#` starts a comment.
    #[arg(long, value_name = "FILE", conflicts_with = "dir")]
    pub list: Option<PathBuf>,
    /// Scan only shard I of N (I from 0): repositories are assigned by a
    /// hash of their remote URL (else their path), the same on every machine.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    #[arg(long, short = 'f', value_enum, default_value_t = OrgFormat::Human)]
    pub format: OrgFormat,
    /// Write the report here instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The config for every repository (each repository's own
    /// .keepopen.toml is not read: the organisation assesses them alike).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The lowest severity that blocks: info, low, medium, high, critical.
    #[arg(long)]
    pub fail_on: Option<String>,
    /// The store: advisories and triage (default: $KEEPOPEN_DB, else
    /// $XDG_DATA_HOME/keepopen/keepopen.db).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Scan only the files, not git history.
    #[arg(long)]
    pub no_history: bool,
    /// Do not keep the run in the store (by default each repository's
    /// findings and row are written as it finishes, so that a run stopped
    /// part-way resumes, and `keepopen report` can show it again).
    #[arg(long)]
    pub no_store: bool,
    /// Scan every repository again, even one whose refs and objects are
    /// unchanged since a stored run (by default its last result is reused).
    #[arg(long)]
    pub rescan: bool,
    /// Objects larger than this are listed as skipped (bytes, or 512KiB, 1MiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_blob_size: Option<u64>,
    /// Repositories scanned at once (default 2). Each scans with the cores
    /// divided among them, unless --threads says otherwise.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub jobs: usize,
    /// Worker threads per repository (default: the cores divided among the
    /// jobs).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OrgFormat {
    Human,
    Json,
    Csv,
    Markdown,
    /// One self-contained HTML file (no fetches), for a board or an e-mail:
    /// the organisation at a glance, every repository with its fix plan
    /// and its findings, redacted. Read back from the store.
    Html,
}

fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}`: give the shard as I/N, such as 0/4"))?;
    let i: u32 = i
        .trim()
        .parse()
        .map_err(|_| format!("`{s}`: I is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{s}`: N is not a number"))?;
    if n == 0 || i >= n {
        return Err(format!("`{s}`: I must be below N, and N above 0"));
    }
    Ok((i, n))
}

#[derive(Args, Debug)]
pub struct TriageArgs {
    /// The finding's fingerprint, as in every report.
    pub fingerprint: String,
    /// false-positive, accepted-risk or fixed.
    pub state: String,
    /// Why: required, kept with the verdict.
    #[arg(long)]
    pub reason: String,
    /// When an accepted risk lapses, YYYY-MM-DD: required for accepted-risk,
    /// at most 12 months away.
    #[arg(long)]
    pub expires: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
}

// Parsed once per run: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum ExceptionCommand {
    /// Write a new record, `.keepopen/exceptions/ID.toml`, to commit and
    /// review in a pull request.
    New(ExceptionNewArgs),
    /// The register: every record, whether it is in force, and until when.
    List {
        /// The repository (default: the current folder).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ExceptionNewArgs {
    /// The record's id: letters, digits, `.`, `_` and `-`.
    pub id: String,
    /// The repository (default: the current folder).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
    /// A path or glob the exception covers (repeat for more); as narrow as
    /// the weakness.
    #[arg(long, required = true)]
    pub scope: Vec<String>,
    /// A rule id it covers (repeat for more; default: any in scope).
    #[arg(long)]
    pub rule: Vec<String>,
    /// The credible attacker.
    #[arg(long)]
    pub attacker: String,
    /// What publication adds for that attacker.
    #[arg(long)]
    pub publication_adds: String,
    /// The realistic path to harm.
    #[arg(long)]
    pub path_to_harm: String,
    /// The alternatives considered (fixing, replacing, removing).
    #[arg(long)]
    pub alternatives: String,
    /// What limits the harm meanwhile.
    #[arg(long)]
    pub compensating_controls: String,
    /// Who approved it (name and role).
    #[arg(long)]
    pub approver: String,
    /// The approval date, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub approved: Option<String>,
    /// The expiry, YYYY-MM-DD, at most 12 months after approval (default:
    /// six months after it).
    #[arg(long)]
    pub expires: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Load OSV records: osv.dev `all.zip` exports, directories of OSV JSON
    /// or YAML records, or single record files.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Show each ecosystem's advisory count and age.
    Status {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Download the osv.dev exports and import them (needs a network; says so
    /// when there is none). `KEEPOPEN_OSV_URL` names a mirror.
    Update {
        /// Ecosystems to fetch (default: those NHS teams use).
        #[arg(long, value_delimiter = ',')]
        ecosystems: Vec<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Where to listen. Anything but a loopback address is warned about:
    /// the pages show where secrets and patient data sit.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8470")]
    pub addr: std::net::SocketAddr,
    /// A host name the server answers to besides 127.0.0.1, localhost and
    /// its address (repeatable); any other Host header is refused, against
    /// DNS rebinding.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// The store (default: $KEEPOPEN_DB, else $XDG_DATA_HOME/keepopen/keepopen.db).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum BaselineCommand {
    /// Scan and write the fingerprints of every finding to a baseline file
    /// (`-o FILE`; standard output when absent).
    Create {
        #[command(flatten)]
        scan: ScanArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List every rule with its id, severity and name.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Run every rule's positive and negative examples (built-in and custom).
    Check {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    /// For a person at a terminal.
    Human,
    /// Versioned JSON with a published schema.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning, within its upload limits.
    Sarif,
    /// A pull-request comment.
    Markdown,
    /// One row per finding.
    Csv,
    /// JUnit XML for Azure DevOps (PublishTestResults@2), GitLab and Jenkins
    /// test reports: blocking findings fail, the rest are skipped.
    Junit,
    /// GitLab's secret-detection report (artifacts:reports:secret_detection).
    Gitlab,
    /// One self-contained HTML file (no fetches), always redacted: the
    /// recommendation, fix plan and findings of each repository scanned.
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// Repositories, folders or files to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The report format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Write the report here instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the same scan's report in FORMAT to FILE. Repeatable:
    /// `--also sarif=keepopen.sarif --also markdown=summary.md` gives code
    /// scanning and a job summary from one scan.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_also)]
    pub also: Vec<(OutputFormat, PathBuf)>,
    /// Show secrets in full in reports. They are redacted by default.
    #[arg(long)]
    pub show_secrets: bool,
    /// The config file (default: .keepopen.toml in the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not read the scanned repository's own .keepopen.toml: assess it
    /// as someone else would, whatever it turns off (--config still
    /// applies).
    #[arg(long)]
    pub ignore_repo_config: bool,
    /// Report only findings whose fingerprints are not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The lowest severity that fails the run (exit code 1): info, low, medium, high, critical.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// The advisory database for dependency matching (default: $KEEPOPEN_DB,
    /// else $XDG_DATA_HOME/keepopen/keepopen.db). Read only: the scan never
    /// creates or changes it.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Which detectors to run (default: all), from the registry.
    #[arg(long, value_delimiter = ',', value_name = "LIST", value_parser = detector_names())]
    pub detectors: Vec<String>,
    /// Scan only the working tree, not git history.
    #[arg(long)]
    pub no_history: bool,
    /// Scan only git history, not the working tree.
    #[arg(long)]
    pub no_worktree: bool,
    /// Scan only what is staged in the index (the next commit): added and
    /// changed files, as a pre-commit hook does. Unstaged edits and
    /// untracked files are not read; repository checks do not run.
    #[arg(long, conflicts_with_all = ["since", "range", "no_history", "no_worktree"])]
    pub staged: bool,
    /// Scan only what the commits since REF add (those reachable from HEAD
    /// and not from REF), each finding at the commit that brought it: a
    /// pull request's check. Repository checks do not run.
    #[arg(long, value_name = "REF", conflicts_with_all = ["range", "no_history", "no_worktree"])]
    pub since: Option<String>,
    /// As --since, for the range BASE..TIP.
    #[arg(long, value_name = "BASE..TIP", value_parser = parse_range, conflicts_with_all = ["no_history", "no_worktree"])]
    pub range: Option<(String, String)>,
    /// Also scan files that .gitignore excludes.
    #[arg(long)]
    pub no_ignore: bool,
    /// Paths to leave out (globs, as in .gitignore); adds to the config's.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Working-tree files and history objects larger than this (bytes, or
    /// with a unit: 512KiB, 1MiB, 2GiB) are listed as skipped, as are
    /// objects declaring more than their packed bytes can hold
    /// [default: 256 MiB]. `--max-file-size` is the same flag.
    #[arg(long, alias = "max-file-size", value_name = "SIZE", value_parser = parse_size)]
    pub max_blob_size: Option<u64>,
    /// Worker threads (default: one per core; at most four per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit 0 or 1 even when something could not be read (exit 2 otherwise).
    /// The report still lists what was not read.
    #[arg(long)]
    pub allow_incomplete: bool,
}

/// The registered detectors' names, each with its summary, for
/// `--detectors`.
fn detector_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        keepopen_registry::DETECTORS
            .iter()
            .map(|d| clap::builder::PossibleValue::new(d.name).help(d.summary)),
    )
}

/// `--also FORMAT=FILE`.
fn parse_also(s: &str) -> Result<(OutputFormat, PathBuf), String> {
    let (format, file) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FORMAT=FILE, such as sarif=keepopen.sarif"))?;
    let format = OutputFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("`{format}` is not a format ({})", names.join(", "))
    })?;
    if file.is_empty() {
        return Err(format!("`{s}`: give a file after `=`"));
    }
    Ok((format, PathBuf::from(file)))
}

/// `--range BASE..TIP`: both ends named (`A...B` is refused: a merge base
/// is not what a pull request's check means).
fn parse_range(s: &str) -> Result<(String, String), String> {
    if s.contains("...") {
        return Err("use BASE..TIP (two dots); three dots are not supported".into());
    }
    match s.split_once("..") {
        Some((base, tip)) if !base.is_empty() && !tip.is_empty() => {
            Ok((base.to_string(), tip.to_string()))
        }
        _ => Err(format!("`{s}` is not BASE..TIP")),
    }
}

/// A size for `--max-blob-size`: bytes, or a number with a binary unit
/// (`512KiB`, `1MiB`, `2GiB`; `K`, `M`, `G`, `KB`, `MB`, `GB` mean the same).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (bytes, or e.g. 512KiB, 1MiB, 2GiB)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        other => return Err(format!("unknown unit `{other}` (use KiB, MiB or GiB)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{s}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_bytes_or_a_binary_unit() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("1 MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert!(parse_size("1.5MiB").is_err());
        assert!(parse_size("MiB").is_err());
        assert!(parse_size("1 TB").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn max_file_size_is_the_same_flag_as_max_blob_size() {
        let parse = |args: &[&str]| {
            let mut all = vec!["keepopen", "scan", "."];
            all.extend(args);
            Cli::try_parse_from(all)
        };
        for flag in ["--max-blob-size", "--max-file-size"] {
            let cli = parse(&[flag, "2MiB"]).expect("parses");
            let Command::Scan(a) = cli.command else {
                panic!("not a scan")
            };
            assert_eq!(a.max_blob_size, Some(2 << 20), "{flag}");
        }
    }
}
