//! `.keepopen.toml`: what a team sets once for its repository. The file is
//! parsed here into a validated [`Config`]; nothing deeper reads it.
//!
//! ```toml
//! fail_on = "medium"            # the lowest severity that fails the run
//! exclude = ["tests/fixtures/**", "docs/*.ipynb"]
//! history = true                # scan every commit, not only the files
//!
//! [rules]
//! disable = ["generic-python-password"]
//!
//! [allow]
//! secrets = ['''^local-dev-''']  # regexes; matching values are not reported
//!
//! [personal]
//! suppression_threshold = 7     # counts 1..=7 in published tables must be suppressed
//!
//! [dependencies]
//! max_db_age_days = 7           # warn when the advisory database is older
//!
//! [workflows]
//! fail_on = "high"              # GitHub Actions audits fail the run from here
//!                               # (default: the higher of fail_on and "high")
//!
//! [policy]                      # the keep-open recommendation (`keepopen explain policy`)
//! archive_after_days = 365      # no commit for this long and no owner: archive
//! minimum = ["posture-ownership", "posture-security-policy", "posture-dependency-automation"]
//! exception_classes = ["service"]
//!
//! [[rule]]                      # a team's own rule, as in rules/README.md
//! id = "acme-internal-token"
//! ...
//!
//! [code]
//! rules = [".keepopen/code-rules"]  # a team's own code rules: folders or files
//!                                   # of ast-grep YAML, as crates/keepopen-code/rules/
//! ```

use globset::{Glob, GlobSet, GlobSetBuilder};
use keepopen_findings::{ContextPolicy, ContextRule, PathContext, Severity};
use keepopen_rules::{Rule, RuleFile};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".keepopen.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    fail_on: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    history: Option<bool>,
    /// `max_file_size` is the older name, for the working tree only; the
    /// one limit now covers history blobs too.
    #[serde(alias = "max_file_size")]
    max_blob_size: Option<u64>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    allow: RawAllow,
    #[serde(default)]
    rule: Vec<toml::Value>,
    #[serde(default)]
    personal: RawPersonal,
    #[serde(default)]
    dependencies: RawDependencies,
    #[serde(default)]
    workflows: RawWorkflows,
    /// `[contexts.test] severity = "medium"; blocks = true`: how a file's
    /// context changes its findings.
    #[serde(default)]
    contexts: std::collections::BTreeMap<String, RawContextRule>,
    #[serde(default)]
    policy: RawPolicy,
    #[serde(default)]
    code: RawCode,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCode {
    /// Folders (every `*.yml`/`*.yaml` in them) or files of a team's own
    /// code rules, relative to the config file.
    #[serde(default)]
    rules: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    archive_after_days: Option<u32>,
    minimum: Option<Vec<String>>,
    exception_classes: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContextRule {
    /// The highest severity a finding keeps there, or `keep`.
    severity: Option<String>,
    blocks: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflows {
    fail_on: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDependencies {
    max_db_age_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersonal {
    suppression_threshold: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    disable: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    #[serde(default)]
    secrets: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
}

/// A validated configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// Where it came from, if a file.
    pub path: Option<PathBuf>,
    pub fail_on: Option<Severity>,
    pub exclude: Vec<String>,
    pub history: Option<bool>,
    /// Working-tree files and history blobs bigger than this are skipped.
    pub max_blob_size: Option<u64>,
    pub disabled_rules: HashSet<String>,
    pub allow_secrets: Vec<Regex>,
    pub custom_rules: Vec<Rule>,
    /// Counts from 1 to this in a published table must be suppressed
    /// (NHS disclosure control: 7; some data owners use 10).
    pub suppression_threshold: Option<u64>,
    /// Days after which a scan warns that the advisory database is old.
    pub max_db_age_days: Option<u32>,
    /// The lowest severity of a GitHub Actions audit finding that fails the
    /// run.
    pub workflows_fail_on: Option<Severity>,
    /// How a file's context (test, vendored, …) changes its findings.
    pub contexts: ContextPolicy,
    /// `[policy]`: how the keep-open recommendation is decided.
    pub policy: keepopen_assessment::Policy,
    /// `[code] rules`: a team's own code rules, each file's path (as the
    /// config names it) and text, in name order. The code detector parses
    /// them, so that a mistake is named with its file.
    pub code_rules: Vec<(String, String)>,
}

impl Config {
    /// Reads `path`. A missing file is an error here; see [`Config::discover`].
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// The config in `root`, or the default when there is none.
    pub fn discover(root: &Path) -> Result<Self, ConfigError> {
        let path = root.join(FILE_NAME);
        if path.is_file() {
            Self::load(&path)
        } else {
            Ok(Config::default())
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let fail_on = raw
            .fail_on
            .map(|s| s.parse::<Severity>())
            .transpose()
            .map_err(|e| invalid(format!("fail_on: {e}")))?;
        let workflows_fail_on = raw
            .workflows
            .fail_on
            .map(|s| s.parse::<Severity>())
            .transpose()
            .map_err(|e| invalid(format!("workflows.fail_on: {e}")))?;
        let mut exclude = raw.exclude;
        exclude.extend(raw.allow.paths);
        build_globs(&exclude).map_err(|e| invalid(format!("exclude: {e}")))?;
        let allow_secrets = raw
            .allow
            .secrets
            .iter()
            .map(|s| Regex::new(s).map_err(|e| invalid(format!("allow.secrets `{s}`: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(t) = raw.personal.suppression_threshold
            && !(1..=100).contains(&t)
        {
            return Err(invalid(format!(
                "personal.suppression_threshold: {t} is not between 1 and 100"
            )));
        }
        let mut contexts = ContextPolicy::default();
        for (name, rule) in &raw.contexts {
            let context = PathContext::parse(name).ok_or_else(|| {
                let known: Vec<&str> = PathContext::ALL.iter().map(|c| c.as_str()).collect();
                invalid(format!(
                    "contexts.{name}: unknown context; known: {}",
                    known.join(", ")
                ))
            })?;
            let mut r = contexts.rule(context);
            match rule.severity.as_deref() {
                None => {}
                Some("keep") => r.cap = None,
                Some(s) => {
                    r.cap = Some(
                        s.parse::<Severity>()
                            .map_err(|e| invalid(format!("contexts.{name}.severity: {e}")))?,
                    )
                }
            }
            if let Some(b) = rule.blocks {
                r.blocks = b;
            }
            contexts.set(context, r);
        }
        let policy = policy(&raw.policy).map_err(invalid)?;
        let code_rules = code_rules(path, &raw.code.rules).map_err(invalid)?;
        let custom_rules = if raw.rule.is_empty() {
            Vec::new()
        } else {
            let table = toml::Value::Table(toml::map::Map::from_iter([(
                "rule".to_string(),
                toml::Value::Array(raw.rule),
            )]));
            let text = toml::to_string(&table).map_err(|e| invalid(e.to_string()))?;
            RuleFile::parse(&path.display().to_string(), &text)
                .map_err(|e| invalid(e.to_string()))?
                .rule
        };
        Ok(Config {
            path: Some(path.to_owned()),
            fail_on,
            exclude,
            history: raw.history,
            max_blob_size: raw.max_blob_size,
            disabled_rules: raw.rules.disable.into_iter().collect(),
            allow_secrets,
            custom_rules,
            suppression_threshold: raw.personal.suppression_threshold,
            max_db_age_days: raw.dependencies.max_db_age_days,
            workflows_fail_on,
            contexts,
            policy,
            code_rules,
        })
    }
}

/// Reads `[code] rules`: each entry a folder (its `*.yml` and `*.yaml`
/// files, in name order) or a file, relative to the config's folder.
fn code_rules(config: &Path, entries: &[String]) -> Result<Vec<(String, String)>, String> {
    let base = config.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for entry in entries {
        // Inside the repository: a scanned repository's config must not
        // make keepopen read files elsewhere on the machine.
        let rel = Path::new(entry);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(format!(
                "code.rules `{entry}`: give a folder or file inside the repository (no `..`, not absolute)"
            ));
        }
        let at = base.join(entry);
        let files: Vec<PathBuf> = if at.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&at)
                .map_err(|e| format!("code.rules `{entry}`: {e}"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(format!(
                    "code.rules `{entry}`: no .yml or .yaml rule files in it"
                ));
            }
            files
        } else if at.is_file() {
            vec![at.clone()]
        } else {
            return Err(format!("code.rules `{entry}`: no such folder or file"));
        };
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("code.rules {}: {e}", file.display()))?;
            let shown = file
                .strip_prefix(base)
                .unwrap_or(&file)
                .display()
                .to_string();
            out.push((shown, text));
        }
    }
    Ok(out)
}

/// `[policy]` over the defaults. A posture id or class it does not know is
/// an error naming it: a typo must not quietly weaken the standard.
fn policy(raw: &RawPolicy) -> Result<keepopen_assessment::Policy, String> {
    use keepopen_assessment::{Class, Policy};
    let mut p = Policy::default();
    if let Some(d) = raw.archive_after_days {
        if d < 30 {
            return Err(format!(
                "policy.archive_after_days: {d} is under 30 days; a quiet month is not abandonment"
            ));
        }
        p.archive_after_days = d;
    }
    if let Some(m) = &raw.minimum {
        let known: Vec<&str> = keepopen_posture_ids();
        if let Some(bad) = m.iter().find(|id| !known.contains(&id.as_str())) {
            return Err(format!(
                "policy.minimum: `{bad}` is not a posture check; known: {}",
                known.join(", ")
            ));
        }
        p.minimum = m.clone();
    }
    if let Some(cs) = &raw.exception_classes {
        p.exception_classes = cs
            .iter()
            .map(|c| {
                Class::parse(c).ok_or_else(|| {
                    let known: Vec<&str> = Class::ALL.iter().map(|c| c.as_str()).collect();
                    format!(
                        "policy.exception_classes: `{c}` is not a class; known: {}",
                        known.join(", ")
                    )
                })
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(p)
}

/// The posture check ids `policy.minimum` may name: every registered
/// check, and `posture-maintained`, which needs history.
fn keepopen_posture_ids() -> Vec<&'static str> {
    keepopen_posture::checks()
        .iter()
        .map(|c| c.id())
        .chain(["posture-maintained"])
        .collect()
}

/// The size above which working-tree files and history blobs are skipped
/// when neither flag nor config says otherwise.
pub const DEFAULT_MAX_BLOB_SIZE: u64 = 256 * 1024 * 1024;

impl Config {
    /// What this config turns off or relaxes, one phrase each, for the
    /// report: a repository's own config decides part of its assessment,
    /// and whoever reads the report must see how.
    pub fn relaxations(&self) -> Vec<String> {
        let mut out = Vec::new();
        let list = |items: &mut Vec<&str>| {
            items.sort_unstable();
            let shown: Vec<String> = items.iter().take(5).map(|s| format!("`{s}`")).collect();
            format!(
                "{}{}",
                shown.join(", "),
                if items.len() > 5 { ", …" } else { "" }
            )
        };
        if self.history == Some(false) {
            out.push("history not scanned (history = false)".to_string());
        }
        if !self.exclude.is_empty() {
            let mut items: Vec<&str> = self.exclude.iter().map(String::as_str).collect();
            out.push(format!(
                "{} path pattern{} excluded ({})",
                items.len(),
                if items.len() == 1 { "" } else { "s" },
                list(&mut items)
            ));
        }
        if !self.disabled_rules.is_empty() {
            let mut items: Vec<&str> = self.disabled_rules.iter().map(String::as_str).collect();
            out.push(format!(
                "{} rule{} disabled ({})",
                items.len(),
                if items.len() == 1 { "" } else { "s" },
                list(&mut items)
            ));
        }
        let default = ContextPolicy::default();
        let mut relaxed: Vec<&str> = PathContext::ALL
            .into_iter()
            .filter(|c| {
                let (now, was) = (self.contexts.rule(*c), default.rule(*c));
                let cap = |r: ContextRule| r.cap.unwrap_or(Severity::Critical);
                cap(now) < cap(was) || (was.blocks && !now.blocks)
            })
            .map(|c| c.as_str())
            .collect();
        if !relaxed.is_empty() {
            out.push(format!(
                "findings in {} files lowered or kept from blocking (contexts)",
                list(&mut relaxed)
            ));
        }
        if !self.allow_secrets.is_empty() {
            out.push(format!(
                "{} secret allow-list pattern{}",
                self.allow_secrets.len(),
                if self.allow_secrets.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        if let Some(f) = self.fail_on.filter(|f| *f > Severity::Low) {
            out.push(format!("only findings at or above {f} block (fail_on)"));
        }
        if let Some(f) = self.workflows_fail_on.filter(|f| *f > Severity::High) {
            out.push(format!(
                "only workflow audits at or above {f} block (workflows.fail_on)"
            ));
        }
        if let Some(m) = self.max_blob_size.filter(|m| *m < DEFAULT_MAX_BLOB_SIZE) {
            out.push(format!(
                "files and blobs over {m} bytes skipped (max_blob_size)"
            ));
        }
        out
    }
}

/// Compiles path globs. A pattern without `/` matches at any depth, as in
/// `.gitignore`; a trailing `/` means everything below.
pub fn build_globs(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./");
        let mut forms = vec![p.to_string()];
        if let Some(dir) = p.strip_suffix('/') {
            forms = vec![format!("{dir}/**")];
        }
        if !p.contains('/') {
            forms.push(format!("**/{p}"));
        }
        let base: Vec<String> = forms.clone();
        for f in base {
            if !f.ends_with("/**") {
                forms.push(format!("{f}/**"));
            }
        }
        for f in forms {
            b.add(Glob::new(&f).map_err(|e| format!("`{p}`: {e}"))?);
        }
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_section_sets_the_recommendation_and_typos_are_named() {
        let c = Config::parse(
            Path::new(".keepopen.toml"),
            "[policy]\narchive_after_days = 730\nminimum = [\"posture-ownership\"]\nexception_classes = [\"service\", \"frontend\"]\n",
        )
        .expect("parses");
        assert_eq!(c.policy.archive_after_days, 730);
        assert_eq!(c.policy.minimum, ["posture-ownership"]);
        assert_eq!(c.policy.exception_classes.len(), 2);
        assert_eq!(
            Config::default().policy,
            keepopen_assessment::Policy::default()
        );
        for (text, named) in [
            (
                "[policy]\nminimum = [\"posture-owner\"]",
                "`posture-owner` is not a posture check",
            ),
            (
                "[policy]\nexception_classes = [\"website\"]",
                "`website` is not a class",
            ),
            ("[policy]\narchive_after_days = 7", "archive_after_days: 7"),
            ("[policy]\narchive = 1", "unknown field `archive`"),
        ] {
            let e = Config::parse(Path::new(".keepopen.toml"), text)
                .expect_err(text)
                .to_string();
            assert!(e.contains(named), "{e}");
            assert!(e.contains(".keepopen.toml"), "names the file: {e}");
        }
    }

    #[test]
    fn what_a_config_relaxes_is_listed_and_a_default_one_relaxes_nothing() {
        assert!(Config::default().relaxations().is_empty());
        let text = r#"
history = false
fail_on = "critical"
max_file_size = 1000
exclude = ["*"]
[rules]
disable = ["github-pat", "nhs-number"]
[allow]
secrets = ['.*']
"#;
        let c = Config::parse(Path::new(".keepopen.toml"), text).expect("parses");
        assert_eq!(
            c.relaxations(),
            [
                "history not scanned (history = false)",
                "1 path pattern excluded (`*`)",
                "2 rules disabled (`github-pat`, `nhs-number`)",
                "1 secret allow-list pattern",
                "only findings at or above critical block (fail_on)",
                "files and blobs over 1000 bytes skipped (max_blob_size)",
            ]
        );
    }

    #[test]
    fn contexts_change_the_policy_and_a_relaxed_one_is_listed() {
        let text = r#"
[contexts.test]
severity = "keep"
blocks = true
[contexts.production]
severity = "medium"
"#;
        let c = Config::parse(Path::new(".keepopen.toml"), text).expect("parses");
        let test = c.contexts.rule(PathContext::Test);
        assert_eq!((test.cap, test.blocks), (None, true));
        let prod = c.contexts.rule(PathContext::Production);
        assert_eq!((prod.cap, prod.blocks), (Some(Severity::Medium), true));
        assert_eq!(
            c.relaxations(),
            ["findings in `production` files lowered or kept from blocking (contexts)"]
        );
        let bad = Config::parse(Path::new("k.toml"), "[contexts.tests]\nblocks = true\n")
            .expect_err("unknown context");
        assert!(bad.to_string().contains("known: production, test"), "{bad}");
        let bad = Config::parse(
            Path::new("k.toml"),
            "[contexts.test]\nseverity = \"huge\"\n",
        )
        .expect_err("unknown severity");
        assert!(bad.to_string().contains("contexts.test.severity"), "{bad}");
    }

    #[test]
    fn max_blob_size_and_its_older_name_set_one_limit() {
        for key in ["max_blob_size", "max_file_size"] {
            let c = Config::parse(Path::new(".keepopen.toml"), &format!("{key} = 1000\n"))
                .expect("parses");
            assert_eq!(c.max_blob_size, Some(1000), "{key}");
        }
        let both = "max_blob_size = 1\nmax_file_size = 2\n";
        assert!(Config::parse(Path::new(".keepopen.toml"), both).is_err());
    }

    #[test]
    fn a_full_config_parses() {
        let text = r#"
fail_on = "high"
exclude = ["tests/fixtures/", "*.min.js"]
[rules]
disable = ["generic-python-password"]
[allow]
secrets = ['^dev-']
[[rule]]
id = "acme-token"
name = "ACME token"
description = "Reads ACME data."
severity = "high"
confidence = "high"
keywords = ["acme_"]
pattern = 'acme_[a-z0-9]{16}'
examples = ["acme_«»0123456789abcdef"]
"#;
        let c = Config::parse(Path::new(".keepopen.toml"), text).expect("parses");
        assert_eq!(c.fail_on, Some(Severity::High));
        assert!(c.disabled_rules.contains("generic-python-password"));
        assert_eq!(c.custom_rules.len(), 1);
        let g = build_globs(&c.exclude).expect("globs").expect("some");
        assert!(g.is_match("tests/fixtures/a/b.py"));
        assert!(g.is_match("web/dist/app.min.js"));
        assert!(!g.is_match("src/app.js"));
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let p = Path::new("repo/.keepopen.toml");
        let e = Config::parse(p, "fail_on = \"dire\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("repo/.keepopen.toml") && e.contains("dire"),
            "{e}"
        );
        let e = Config::parse(p, "exclud = []")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("exclud"), "{e}");
        let e = Config::parse(p, "[allow]\nsecrets = ['(']")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("allow.secrets"), "{e}");
        let e = Config::parse(p, "[personal]\nsuppression_threshold = 0")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("suppression_threshold"), "{e}");
        let c = Config::parse(p, "[personal]\nsuppression_threshold = 10").expect("parses");
        assert_eq!(c.suppression_threshold, Some(10));
        let c = Config::parse(p, "[workflows]\nfail_on = \"medium\"").expect("parses");
        assert_eq!(c.workflows_fail_on, Some(Severity::Medium));
        let e = Config::parse(p, "[workflows]\nfail_on = \"loud\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("workflows.fail_on") && e.contains("loud"), "{e}");
        let c = Config::parse(p, "[dependencies]\nmax_db_age_days = 30").expect("parses");
        assert_eq!(c.max_db_age_days, Some(30));
        let e = Config::parse(p, "[dependencies]\nmax_age = 1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("max_age"), "{e}");
        let e = Config::parse(p, "[[rule]]\nid = \"Bad Id\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("repo/.keepopen.toml"), "{e}");
    }

    #[test]
    fn a_missing_file_is_the_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = Config::discover(dir.path()).expect("default");
        assert!(c.path.is_none() && c.custom_rules.is_empty());
    }
}
