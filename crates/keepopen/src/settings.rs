//! Flags and `.keepopen.toml`, validated together into one [`Settings`].
//! Nothing past this point reads flags or the config file.

use crate::args::{ColorChoice, DetectorKind, OutputFormat, ScanArgs};
use anyhow::{Context, Result, bail};
use keepopen_config::{Config, build_globs};
use keepopen_findings::{Baseline, Severity};
use keepopen_personal::PersonalData;
use keepopen_registry::{Catalogue, Inputs};
use keepopen_report::{FormatKind, RuleInfo};
use keepopen_scan::Plan;
use keepopen_secrets::Engine;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub struct Settings {
    pub plan: Plan,
    pub engine: Engine,
    pub personal: PersonalData,
    /// The detectors to run; never empty.
    pub detectors: Vec<DetectorKind>,
    /// The dependency detector, when the advisory database holds records.
    pub dependencies: Option<keepopen_deps::Dependencies>,
    /// What the scan should say about the advisory database (missing, old).
    pub notes: Vec<(String, String)>,
    pub rules: Vec<RuleInfo>,
    pub format: FormatKind,
    pub output: Option<PathBuf>,
    pub show_secrets: bool,
    pub fail_on: Severity,
    /// The threshold for GitHub Actions audits; posture checks never block.
    pub workflows_fail_on: Severity,
    pub baseline: Option<Baseline>,
    pub progress: bool,
    pub color: bool,
}

/// The config named by `--config`, or the one in `root`.
pub fn load_config(explicit: Option<&Path>, root: Option<&Path>) -> Result<Config> {
    Ok(match (explicit, root) {
        (Some(p), _) => Config::load(p)?,
        (None, Some(r)) if r.is_dir() => Config::discover(r)?,
        _ => Config::default(),
    })
}

/// Built-in secret rules plus the config's own.
fn secret_rules(config: &Config) -> Result<Vec<keepopen_rules::Rule>> {
    let mut rules = keepopen_rules::builtin().context("built-in rules")?;
    for custom in &config.custom_rules {
        if rules.iter().any(|r| r.id == custom.id) {
            bail!(
                "custom rule `{}` has the id of a built-in rule; choose another id",
                custom.id
            );
        }
    }
    rules.extend(config.custom_rules.iter().cloned());
    Ok(rules)
}

/// The secret rules (built-in and the config's own), and the catalogue of
/// every id the registered detectors emit, built from them.
pub fn load_catalogue(config: &Config) -> Result<(Vec<keepopen_rules::Rule>, Catalogue)> {
    let rules = secret_rules(config)?;
    let catalogue = Catalogue::new(&Inputs {
        secret_rules: &rules,
    })?;
    Ok((rules, catalogue))
}

/// The secret engine (built-in rules plus the config's own, less the
/// disabled ones) and the catalogue, from one reading of the rules. Every
/// id in `rules.disable` must be in the catalogue, whichever detector emits
/// it.
pub fn load_engine(config: &Config) -> Result<(Engine, Catalogue)> {
    let (mut rules, catalogue) = load_catalogue(config)?;
    let mut disabled: Vec<&String> = config.disabled_rules.iter().collect();
    disabled.sort();
    for id in disabled {
        catalogue
            .lookup(id)
            .with_context(|| format!("rules.disable names `{id}`, which is not a rule"))?;
    }
    rules.retain(|r| !config.disabled_rules.contains(&r.id));
    let engine = Engine::new(rules)?;
    // Built-in patterns are compiled on first use (and checked by tests);
    // a team's own are compiled now, so that a mistake is named at once.
    let custom: std::collections::HashSet<&str> =
        config.custom_rules.iter().map(|r| r.id.as_str()).collect();
    if let Some((id, err)) = engine.compile_now(|r| custom.contains(r.id.as_str())).pop() {
        bail!(
            "custom rule `{id}` in {}: pattern does not compile: {err}",
            config
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
    }
    Ok((engine, catalogue))
}

/// Days after which the advisory database is called old, unless the
/// config says otherwise.
const MAX_DB_AGE_DAYS: u32 = 7;

/// The dependency detector over the advisory store, or `None` with a note
/// when the store is empty. A store that exists but cannot be opened is an
/// error: the user asked for it.
fn load_dependencies(
    db: Option<&Path>,
    max_age_days: u32,
    notes: &mut Vec<(String, String)>,
) -> Result<Option<keepopen_deps::Dependencies>> {
    let path = db
        .map(Path::to_path_buf)
        .unwrap_or_else(keepopen_store::default_path);
    if db.is_none() && !path.exists() {
        notes.push((
            "dependencies".into(),
            format!(
                "no advisory database at {}: vulnerable dependencies were not checked (run `keepopen db import`)",
                path.display()
            ),
        ));
        return Ok(None);
    }
    let store = keepopen_advisory_store::AdvisoryStore::open(&path)?;
    let status = store.status()?;
    if status.is_empty() {
        notes.push((
            path.display().to_string(),
            "the advisory database is empty: vulnerable dependencies were not checked (run `keepopen db import`)".into(),
        ));
        return Ok(None);
    }
    let now = crate::clock::now();
    let newest = status.iter().map(|s| s.imported_at).max().unwrap_or(0);
    let age = (now - newest).max(0) / 86_400;
    let total: usize = status.iter().map(|s| s.advisories).sum();
    notes.push((
        path.display().to_string(),
        format!(
            "advisory database: {total} advisories, imported {age} day{} ago{}",
            if age == 1 { "" } else { "s" },
            if age > i64::from(max_age_days) {
                format!("; older than {max_age_days} days: run `keepopen db update` or import a fresh export")
            } else {
                String::new()
            }
        ),
    ));
    Ok(Some(keepopen_deps::Dependencies::new(store)))
}

/// The personal-data detector as the config sets it.
pub fn load_personal(config: &Config) -> PersonalData {
    let defaults = keepopen_personal::Settings::default();
    PersonalData::new(keepopen_personal::Settings {
        suppression_threshold: config
            .suppression_threshold
            .unwrap_or(defaults.suppression_threshold),
        disabled: config.disabled_rules.iter().cloned().collect(),
    })
}

impl Settings {
    pub fn from_args(a: &ScanArgs) -> Result<Self> {
        let config = load_config(a.config.as_deref(), a.paths.first().map(PathBuf::as_path))?;
        let (engine, catalogue) = load_engine(&config)?;
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
        let format = match a.format {
            OutputFormat::Human => FormatKind::Human,
            OutputFormat::Json => FormatKind::Json,
            OutputFormat::Sarif => FormatKind::Sarif,
            OutputFormat::Markdown => FormatKind::Markdown,
            OutputFormat::Csv => FormatKind::Csv,
        };
        let to_terminal = a.output.is_none() && std::io::stdout().is_terminal();
        let color = match a.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        let rules = catalogue.rules().to_vec();
        let personal = load_personal(&config);
        let detectors = if a.detectors.is_empty() {
            vec![
                DetectorKind::Secrets,
                DetectorKind::Personal,
                DetectorKind::Dependencies,
                DetectorKind::Workflows,
                DetectorKind::Posture,
            ]
        } else {
            a.detectors.clone()
        };
        let mut notes = Vec::new();
        let dependencies = if detectors.contains(&DetectorKind::Dependencies) {
            load_dependencies(
                a.db.as_deref(),
                config.max_db_age_days.unwrap_or(MAX_DB_AGE_DAYS),
                &mut notes,
            )?
        } else {
            None
        };
        Ok(Settings {
            plan: Plan {
                roots: a.paths.clone(),
                history: !a.no_history && config.history.unwrap_or(true),
                worktree: !a.no_worktree,
                respect_ignore_files: !a.no_ignore,
                excludes,
                allow_secrets: config.allow_secrets.clone(),
                max_file_size: a
                    .max_file_size
                    .or(config.max_file_size)
                    .unwrap_or(256 * 1024 * 1024),
                threads: a.threads,
                // The repository checks need a folder to read: a scan of
                // history alone (`--no-worktree`) skips them.
                posture: detectors.contains(&DetectorKind::Posture) && !a.no_worktree,
                disabled: config.disabled_rules.clone(),
                now: crate::clock::now(),
            },
            engine,
            personal,
            detectors,
            dependencies,
            notes,
            rules,
            format,
            output: a.output.clone(),
            show_secrets: a.show_secrets,
            fail_on,
            workflows_fail_on,
            baseline,
            progress: !a.no_progress && std::io::stderr().is_terminal(),
            color,
        })
    }
}
