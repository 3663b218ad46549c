//! Building the detectors a run asks for, from the validated configuration:
//! each registered detector says how it is built, so the command line only
//! names them.

use crate::{Catalogue, DETECTORS, Inputs, Registered, RegistryError};
use keepopen_config::Config;
use keepopen_content::Detector;
use keepopen_findings::Problem;
use keepopen_rules::Rule;
use std::path::Path;

/// What detectors are built from, read once at the edge.
pub struct Setup<'a> {
    pub config: &'a Config,
    /// The advisory database `--db` names; else the default store.
    pub db: Option<&'a Path>,
    /// The clock the advisory database's age counts back from, seconds
    /// since the epoch.
    pub now: i64,
}

/// What building a detector says beside it, for the report.
#[derive(Default)]
pub struct Said {
    /// The advisory database's age, or why dependencies were not checked.
    pub notes: Vec<Problem>,
    /// What the dependency check covers, filled in as it runs.
    pub dependencies: Option<std::sync::Arc<keepopen_deps::Coverage>>,
}

/// How a content detector is built: from the setup and the secret rules,
/// saying what the report should know beside it.
pub type Make =
    fn(&Setup<'_>, &Inputs<'_>, &mut Said) -> Result<Option<Box<dyn Detector>>, BuildError>;

/// How a registered detector runs.
#[derive(Clone, Copy)]
pub enum Runs {
    /// Over content, in the pipeline: built from the setup and the secret
    /// rules; `None` when it has nothing to check with, which its notes
    /// say.
    Content(Make),
    /// Over each repository as a whole, beside the pipeline (posture).
    Repository,
}

/// Why the detectors could not be built. Each names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("built-in rules: {0}")]
    Rules(#[from] keepopen_rules::RuleError),
    #[error("custom rule `{id}` has the id of a built-in rule; choose another id")]
    CustomClash { id: String },
    #[error("custom rule `{id}` in {config}: pattern does not compile: {error}")]
    CustomPattern {
        id: String,
        config: String,
        error: String,
    },
    #[error(transparent)]
    Engine(#[from] keepopen_secrets::EngineError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// `why` already names the id and ids like it.
    #[error("rules.disable names `{id}`, which is not a rule{}", near_text(why))]
    Disabled { id: String, why: RegistryError },
    #[error("no detector `{name}`; the detectors are {}", names().collect::<Vec<_>>().join(", "))]
    UnknownDetector { name: String },
    #[error(transparent)]
    Advisories(#[from] keepopen_store::StoreError),
    #[error(transparent)]
    CodeRules(#[from] keepopen_code::RuleError),
    #[error(transparent)]
    ExposureRules(#[from] keepopen_exposure::RuleError),
}

/// "; did you mean …?" from an unknown-id error, or nothing.
fn near_text(why: &RegistryError) -> String {
    match why {
        RegistryError::Unknown { near, .. } if !near.is_empty() => {
            format!("; did you mean {}?", near.join(", "))
        }
        _ => String::new(),
    }
}

/// The names `--detectors` takes, in report order, with their summaries.
pub fn names() -> impl Iterator<Item = &'static str> {
    DETECTORS.iter().map(|d| d.name)
}

/// Built-in secret rules plus the configuration's own.
pub fn secret_rules(config: &Config) -> Result<Vec<Rule>, BuildError> {
    let mut rules = keepopen_rules::builtin()?;
    for custom in &config.custom_rules {
        if rules.iter().any(|r| r.id == custom.id) {
            return Err(BuildError::CustomClash {
                id: custom.id.clone(),
            });
        }
    }
    rules.extend(config.custom_rules.iter().cloned());
    Ok(rules)
}

/// The detectors a run asked for, and what goes with them.
pub struct Built {
    /// The content detectors, in registry order.
    pub detectors: Vec<Box<dyn Detector>>,
    /// Whether the repository checks (posture) run.
    pub repository_checks: bool,
    /// What the report should say about them (the advisory database's
    /// age, or why dependencies were not checked), and what the dependency
    /// check covers.
    pub said: Said,
    /// Every id the registered detectors emit.
    pub catalogue: Catalogue,
}

/// Builds the detectors `names` asks for (every registered one when it is
/// empty) from `setup`. Every id in `rules.disable` must be in the
/// catalogue, whichever detector emits it.
pub fn build(names: &[String], setup: &Setup<'_>) -> Result<Built, BuildError> {
    build_from(DETECTORS, names, setup)
}

/// Like [`build`], over `detectors`: for tests that register one more.
pub fn build_from(
    detectors: &[Registered],
    names: &[String],
    setup: &Setup<'_>,
) -> Result<Built, BuildError> {
    if let Some(name) = names
        .iter()
        .find(|n| !detectors.iter().any(|d| d.name == n.as_str()))
    {
        return Err(BuildError::UnknownDetector { name: name.clone() });
    }
    let rules = secret_rules(setup.config)?;
    // A team's own code rules are checked first, so that a mistake is
    // named with its file.
    keepopen_code::check_custom(&setup.config.code_rules)?;
    let inputs = Inputs {
        secret_rules: &rules,
        code_rules: &setup.config.code_rules,
    };
    let catalogue = Catalogue::from_detectors(detectors, &inputs)?;
    let mut disabled: Vec<&String> = setup.config.disabled_rules.iter().collect();
    disabled.sort();
    for id in disabled {
        catalogue.lookup(id).map_err(|why| BuildError::Disabled {
            id: id.clone(),
            why,
        })?;
    }
    let mut built = Built {
        detectors: Vec::new(),
        repository_checks: false,
        said: Said::default(),
        catalogue,
    };
    let wanted = |d: &Registered| names.is_empty() || names.iter().any(|n| n == d.name);
    for d in detectors.iter().filter(|d| wanted(d)) {
        match d.runs {
            Runs::Content(make) => {
                if let Some(detector) = make(setup, &inputs, &mut built.said)? {
                    built.detectors.push(detector);
                }
            }
            Runs::Repository => built.repository_checks = true,
        }
    }
    Ok(built)
}

/// The secret engine from the configuration's rules: for `rules check`.
pub fn secret_engine(config: &Config) -> Result<keepopen_secrets::Engine, BuildError> {
    engine(config, &secret_rules(config)?)
}

pub(crate) fn secrets(
    setup: &Setup<'_>,
    inputs: &Inputs<'_>,
    _: &mut Said,
) -> Result<Option<Box<dyn Detector>>, BuildError> {
    Ok(Some(Box::new(engine(setup.config, inputs.secret_rules)?)))
}

/// The secret engine: `rules` less the disabled ones. Built-in patterns
/// are compiled on first use (and checked by tests); a team's own are
/// compiled now, so that a mistake is named at once.
fn engine(config: &Config, rules: &[Rule]) -> Result<keepopen_secrets::Engine, BuildError> {
    let rules: Vec<Rule> = rules
        .iter()
        .filter(|r| !config.disabled_rules.contains(&r.id))
        .cloned()
        .collect();
    let engine = keepopen_secrets::Engine::new(rules)?;
    let custom: std::collections::HashSet<&str> =
        config.custom_rules.iter().map(|r| r.id.as_str()).collect();
    if let Some((id, error)) = engine.compile_now(|r| custom.contains(r.id.as_str())).pop() {
        return Err(BuildError::CustomPattern {
            id,
            config: config
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            error,
        });
    }
    Ok(engine)
}

/// The personal-data detector as the configuration sets it.
pub(crate) fn personal(
    setup: &Setup<'_>,
    _: &Inputs<'_>,
    _: &mut Said,
) -> Result<Option<Box<dyn Detector>>, BuildError> {
    let defaults = keepopen_personal::Settings::default();
    let config = setup.config;
    Ok(Some(Box::new(keepopen_personal::PersonalData::new(
        keepopen_personal::Settings {
            suppression_threshold: config
                .suppression_threshold
                .unwrap_or(defaults.suppression_threshold),
            disabled: config.disabled_rules.iter().cloned().collect(),
        },
    ))))
}

/// The dependency detector over the advisory database, or over none: it
/// reads the lockfiles either way, so that the report says per ecosystem
/// what was checked. The notes say the database's age, or why
/// dependencies were not checked.
pub(crate) fn dependencies(
    setup: &Setup<'_>,
    _: &Inputs<'_>,
    said: &mut Said,
) -> Result<Option<Box<dyn Detector>>, BuildError> {
    let max_age = setup
        .config
        .max_db_age_days
        .unwrap_or(keepopen_deps::MAX_DB_AGE_DAYS);
    let (detector, notes) = keepopen_deps::open(setup.db, max_age, setup.now)?;
    said.notes.extend(notes);
    said.dependencies = Some(detector.coverage());
    Ok(Some(Box::new(detector)))
}

/// The GitHub Actions workflow audits.
pub(crate) fn workflows(
    _: &Setup<'_>,
    _: &Inputs<'_>,
    _: &mut Said,
) -> Result<Option<Box<dyn Detector>>, BuildError> {
    Ok(Some(Box::new(keepopen_workflows::WorkflowAudits)))
}

/// The code rules, less those `rules.disable` names.
pub(crate) fn code(
    setup: &Setup<'_>,
    _: &Inputs<'_>,
    _: &mut Said,
) -> Result<Option<Box<dyn Detector>>, BuildError> {
    Ok(Some(Box::new(keepopen_code::CodeWeaknesses::with_custom(
        &setup.config.disabled_rules,
        &setup.config.code_rules,
    )?)))
}

pub(crate) fn exposure(
    setup: &Setup<'_>,
    _: &Inputs<'_>,
    _: &mut Said,
) -> Result<Option<Box<dyn Detector>>, BuildError> {
    Ok(Some(Box::new(keepopen_exposure::Exposure::new(
        &setup.config.disabled_rules,
    )?)))
}
