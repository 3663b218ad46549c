//! Flags and `.keepopen.toml`, validated together into one [`Settings`].
//! Nothing past this point reads flags or the config file.

use crate::args::{ColorChoice, OutputFormat, ScanArgs};
use anyhow::{Context, Result, bail};
use keepopen_config::{Config, build_globs};
use keepopen_findings::{Baseline, Severity};
use keepopen_registry::{Catalogue, Inputs, Setup};
use keepopen_report::{FormatKind, RuleInfo};
use keepopen_scan::Plan;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub struct Settings {
    pub plan: Plan,
    /// The content detectors the registry built for this run.
    pub detectors: Vec<Box<dyn keepopen_content::Detector>>,
    /// What the scan should say about its detectors (the advisory
    /// database's age, or why dependencies were not checked).
    pub notes: Vec<keepopen_findings::Problem>,
    /// What the dependency check covers, counted as it runs; `None` when
    /// it does not run.
    pub dependencies: Option<std::sync::Arc<keepopen_deps::Coverage>>,
    pub rules: Vec<RuleInfo>,
    pub format: FormatKind,
    pub output: Option<PathBuf>,
    /// `--also`: the same report in more formats, each to its file.
    pub also: Vec<(FormatKind, PathBuf)>,
    pub show_secrets: bool,
    pub fail_on: Severity,
    /// The threshold for GitHub Actions audits; posture checks never block.
    pub workflows_fail_on: Severity,
    pub baseline: Option<Baseline>,
    pub progress: bool,
    pub color: bool,
    /// `[policy]`: how the keep-open recommendation is decided.
    pub policy: keepopen_assessment::Policy,
    /// The store the triage verdicts are read from (the advisory
    /// database's file): read only.
    pub store: keepopen_store::Location,
    /// The repository is private now (an organisation list said so).
    pub private: bool,
}

/// The config named by `--config`, or the one in `root`.
pub fn load_config(explicit: Option<&Path>, root: Option<&Path>) -> Result<Config> {
    Ok(match (explicit, root) {
        (Some(p), _) => Config::load(p)?,
        (None, Some(r)) if r.is_dir() => Config::discover(r)?,
        _ => Config::default(),
    })
}

/// The secret rules (built-in and the config's own), and the catalogue of
/// every id the registered detectors emit, built from them.
pub fn load_catalogue(config: &Config) -> Result<(Vec<keepopen_rules::Rule>, Catalogue)> {
    let rules = keepopen_registry::secret_rules(config)?;
    let catalogue = Catalogue::new(&Inputs {
        secret_rules: &rules,
        code_rules: &config.code_rules,
    })?;
    Ok((rules, catalogue))
}

/// What the config turned off or relaxed, as one note: in every report, so
/// that a repository's own config never quietly decides its assessment.
fn relaxed(config: &Config, discovered: bool) -> Option<keepopen_findings::Problem> {
    let what = config.relaxations();
    let path = config.path.as_ref()?;
    if what.is_empty() {
        return None;
    }
    Some(keepopen_findings::Problem::note(
        path.display().to_string(),
        format!(
            "{} config: {}{}",
            if discovered {
                "the repository's own"
            } else {
                "this"
            },
            what.join("; "),
            if discovered {
                " (--ignore-repo-config scans without it)"
            } else {
                ""
            }
        ),
    ))
}

impl Settings {
    pub fn from_args(a: &ScanArgs) -> Result<Self> {
        let root = a
            .paths
            .first()
            .map(PathBuf::as_path)
            .filter(|_| !a.ignore_repo_config);
        let config = load_config(a.config.as_deref(), root)?;
        let store = keepopen_store::Location::or_default(a.db.as_deref());
        let now = crate::clock::now();
        let built = keepopen_registry::build(
            &a.detectors,
            &Setup {
                config: &config,
                db: Some(&store.advisories()),
                now,
            },
        )?;
        let fail_on = match &a.fail_on {
            Some(s) => s
                .parse::<Severity>()
                .map_err(anyhow::Error::msg)
                .context("--fail-on")?,
            None => config.fail_on.unwrap_or(Severity::Low),
        };
        // zizmor-style audits report unpinned actions on most repositories;
        // by default only high-severity ones (injection, pwn requests)
        // block, unless the run's own threshold is higher still.
        let workflows_fail_on = config
            .workflows_fail_on
            .unwrap_or_else(|| fail_on.max(Severity::High));
        let mut exclude = config.exclude.clone();
        exclude.extend(a.exclude.iter().cloned());
        let excludes = build_globs(&exclude)
            .map_err(anyhow::Error::msg)
            .context("--exclude")?;
        let baseline = a.baseline.as_deref().map(Baseline::load).transpose()?;
        if a.no_history && a.no_worktree {
            bail!("--no-history and --no-worktree together leave nothing to scan");
        }
        let format = kind(a.format);
        let also = a.also.iter().map(|(f, p)| (kind(*f), p.clone())).collect();
        let scope = if a.staged {
            Some(keepopen_scan::Scope::Staged)
        } else if let Some(base) = &a.since {
            Some(keepopen_scan::Scope::Range {
                base: base.clone(),
                tip: None,
            })
        } else {
            a.range
                .as_ref()
                .map(|(base, tip)| keepopen_scan::Scope::Range {
                    base: base.clone(),
                    tip: Some(tip.clone()),
                })
        };
        let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
        let color = match a.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        let rules = built.catalogue.rules().to_vec();
        let mut notes = built.said.notes;
        notes.extend(relaxed(&config, a.config.is_none()));
        let threads = capped_threads(a.threads, &mut notes);
        Ok(Settings {
            plan: Plan {
                roots: a.paths.clone(),
                history: !a.no_history && config.history.unwrap_or(true),
                worktree: !a.no_worktree,
                respect_ignore_files: !a.no_ignore,
                excludes,
                allow_secrets: config.allow_secrets.clone(),
                max_blob_size: a
                    .max_blob_size
                    .or(config.max_blob_size)
                    .unwrap_or(keepopen_config::DEFAULT_MAX_BLOB_SIZE),
                threads,
                // The repository checks need a folder to read: a scan of
                // history alone (`--no-worktree`) skips them.
                posture: built.repository_checks && !a.no_worktree && scope.is_none(),
                disabled: config.disabled_rules.clone(),
                now,
                contexts: config.contexts.clone(),
                blob_cache: None,
                scope,
            },
            detectors: built.detectors,
            notes,
            dependencies: built.said.dependencies,
            rules,
            format,
            output: a.output.clone(),
            also,
            show_secrets: a.show_secrets,
            fail_on,
            workflows_fail_on,
            baseline,
            progress: !a.no_progress && std::io::stderr().is_terminal(),
            color,
            policy: config.policy.clone(),
            store,
            private: false,
        })
    }
}

/// More threads than this many per core only add contention: ten thousand
/// threads on a five-file repository took over a minute.
const THREADS_PER_CORE: usize = 4;

/// `--threads`, at most [`THREADS_PER_CORE`] per core, with a note when cut.
fn capped_threads(asked: usize, notes: &mut Vec<keepopen_findings::Problem>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let most = cores * THREADS_PER_CORE;
    if asked <= most {
        return asked;
    }
    notes.push(keepopen_findings::Problem::note(
        "--threads",
        format!(
            "{asked} threads asked for; using {most} ({THREADS_PER_CORE} per core on {cores} cores)"
        ),
    ));
    most
}

fn kind(f: OutputFormat) -> FormatKind {
    match f {
        OutputFormat::Human => FormatKind::Human,
        OutputFormat::Json => FormatKind::Json,
        OutputFormat::Sarif => FormatKind::Sarif,
        OutputFormat::Markdown => FormatKind::Markdown,
        OutputFormat::Csv => FormatKind::Csv,
        OutputFormat::Junit => FormatKind::Junit,
        OutputFormat::Gitlab => FormatKind::Gitlab,
        OutputFormat::Html => FormatKind::Html,
    }
}
