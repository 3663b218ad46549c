//! The exposure checks as a pipeline detector: configuration files as
//! they stand now, each read line by line (no parser sees a hostile file
//! whole), whole-file evidence first (a state file, a kubeconfig, an
//! inventory), then the lines.

use crate::address::internal_hosts;
use crate::cloud::Identifiers;
use crate::connection::connections;
use crate::rules::Rule;
use crate::{dockerfile, inventory, state};
use keepopen_content::{Content, Detector, Needs, Out, Reads};
use keepopen_findings::{Category, Match, PathContext, Severity};
use std::collections::HashSet;

/// Every id this detector emits; `rules.yml` has one entry for each.
pub const EMITS: &[&str] = &[
    "exposure-internal-host",
    "exposure-connection-string",
    "exposure-cloud-identifiers",
    "exposure-terraform-state",
    "exposure-kubeconfig",
    "exposure-host-inventory",
    "exposure-root-container-credentials",
];

/// Larger configuration files are data, not settings.
const MAX_BYTES: usize = 1 << 20;

/// How many internal hosts one file reports, one finding each; the rest
/// are counted in their detail.
const MAX_HOSTS: usize = 20;

const CONFIG_EXTENSIONS: &[&str] = &[
    "yml",
    "yaml",
    "json",
    "toml",
    "ini",
    "cfg",
    "conf",
    "config",
    "cnf",
    "env",
    "properties",
    "xml",
    "tf",
    "tfvars",
    "hcl",
    "tfstate",
    "pubxml",
    "publishsettings",
];

/// Templates of configuration (`hosts.ini.j2`, `app.conf.tpl`): read as
/// the file they render.
const TEMPLATE_EXTENSIONS: &[&str] = &["j2", "jinja", "jinja2", "tpl", "tmpl", "template"];

/// Lockfiles and tool settings: they name packages, not servers.
const NOT_CONFIG: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "packages.lock.json",
    "composer.json",
    "package.json",
    "tsconfig.json",
    "jsconfig.json",
];

/// A configuration file the exposure checks read.
pub fn is_config_file(path: &str) -> bool {
    if matches!(
        PathContext::of(path, None),
        PathContext::Vendored | PathContext::Minified
    ) {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    if NOT_CONFIG.contains(&name) {
        return false;
    }
    let name = match name.rsplit_once('.') {
        Some((inner, ext)) if TEMPLATE_EXTENSIONS.contains(&ext) => inner,
        _ => name,
    };
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    CONFIG_EXTENSIONS.contains(&ext)
        || name.starts_with(".env")
        || name.ends_with(".tfstate.backup")
        || name == "kubeconfig"
        || name.ends_with(".kubeconfig")
        || lower.ends_with(".kube/config")
        || dockerfile::is_dockerfile(&lower)
        || inventory::named_as_inventory(&lower)
}

pub struct Exposure {
    rules: Vec<Rule>,
    disabled: HashSet<String>,
}

impl Exposure {
    /// The built-in rules less `disabled`.
    pub fn new(disabled: &HashSet<String>) -> Result<Self, crate::RuleError> {
        Ok(Exposure {
            rules: crate::rules::builtin()?,
            disabled: disabled.clone(),
        })
    }

    /// With `rules` instead of the built-in ones: for tests of the
    /// example check.
    pub fn with_rules(rules: Vec<Rule>) -> Self {
        Exposure {
            rules,
            disabled: HashSet::new(),
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    fn rule(&self, id: &str) -> Option<&Rule> {
        (!self.disabled.contains(id))
            .then(|| self.rules.iter().find(|r| r.id == id))
            .flatten()
    }
}

/// What one check found, before the rule's data is added.
struct Found {
    rule: &'static str,
    severity: Option<Severity>,
    line: u32,
    column: u32,
    value: String,
    context: String,
    detail: String,
}

impl Detector for Exposure {
    fn name(&self) -> &'static str {
        "the exposure checks"
    }

    fn needs(&self) -> Needs<'_> {
        Needs {
            reads: Reads::CurrentFiles(is_config_file),
            paths: None,
        }
    }

    fn detect(&self, content: &Content<'_>, out: &mut Out) {
        let Some(path) = content.path.filter(|p| is_config_file(p)) else {
            return;
        };
        if content.is_binary() {
            return;
        }
        let Ok(text) = std::str::from_utf8(content.data) else {
            out.trouble("not UTF-8, so not read for exposed configuration");
            return;
        };
        let mut found = Vec::new();
        if state::is_terraform_state(path, text) {
            terraform_state(text, &mut found);
        } else if content.data.len() > MAX_BYTES {
            out.trouble(format!(
                "larger than {} MiB, so not read for exposed configuration",
                MAX_BYTES >> 20
            ));
            return;
        } else if let Some(k) = state::kubeconfig(text) {
            kubeconfig(&k, text, &mut found);
        } else if let Some(inv) = inventory::named_as_inventory(path)
            .then(|| inventory::read(text))
            .flatten()
        {
            host_inventory(&inv, text, &mut found);
        } else {
            if dockerfile::is_dockerfile(path) {
                root_container(text, &mut found);
            }
            lines(text, &mut found);
        }
        for f in found {
            let Some(rule) = self.rule(f.rule) else {
                continue;
            };
            out.found(Match {
                rule: rule.id.clone(),
                category: Category::Exposure,
                severity: f.severity.unwrap_or(rule.severity),
                confidence: rule.confidence,
                secret: f.value,
                line: f.line,
                column: f.column,
                context: f.context,
                detail: (!f.detail.is_empty()).then_some(f.detail),
                remedy: None,
            });
        }
    }
}

/// A line for the report, with any password in it masked: the password
/// is the secrets detector's finding, and this one must not repeat it.
fn context_of(line: &str) -> String {
    scrub(line.trim()).chars().take(240).collect()
}

static URL_PASSWORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"(://[^:/@\s'"]*:)[^@\s'"]+@"#).expect("URL password pattern")
});

static KEYED_PASSWORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"(?i)\b((?:password|pwd|passwd|secret|token|key)[A-Za-z_]*\s*[=:]\s*["']?)[^;"'\s]+"#,
    )
    .expect("keyed password pattern")
});

fn scrub(line: &str) -> String {
    let once = URL_PASSWORD.replace_all(line, "${1}****@");
    KEYED_PASSWORD.replace_all(&once, "${1}****").into_owned()
}

fn terraform_state(text: &str, found: &mut Vec<Found>) {
    let n = state::managed_resources(text);
    let (severity, detail) = if n == 0 {
        (
            Some(Severity::Low),
            "no managed resources in it yet; remove it before it holds any".to_string(),
        )
    } else {
        (
            None,
            format!("{n} managed resources, every attribute in plain text"),
        )
    };
    found.push(Found {
        rule: "exposure-terraform-state",
        severity,
        line: 1,
        column: 1,
        value: format!("terraform state {}", state::lineage(text).unwrap_or("")),
        context: "Terraform state (its lines are not shown: they hold every attribute)".into(),
        detail,
    });
}

fn kubeconfig(k: &state::Kubeconfig, text: &str, found: &mut Vec<Found>) {
    let (line, server) = &k.servers[0];
    let (severity, detail) = if k.credentials.is_empty() {
        (
            Some(Severity::Medium),
            format!(
                "{} API server(s), no credentials in the file",
                k.servers.len()
            ),
        )
    } else {
        (
            None,
            format!(
                "{} API server(s), with credentials: {}",
                k.servers.len(),
                k.credentials.join(", ")
            ),
        )
    };
    let context = text
        .lines()
        .nth(*line as usize - 1)
        .map(context_of)
        .unwrap_or_default();
    found.push(Found {
        rule: "exposure-kubeconfig",
        severity,
        line: *line,
        column: 1,
        value: server.clone(),
        context,
        detail,
    });
}

fn host_inventory(inv: &inventory::Inventory, text: &str, found: &mut Vec<Found>) {
    let (line, host) = &inv.hosts[0];
    let context = text
        .lines()
        .nth(*line as usize - 1)
        .map(context_of)
        .unwrap_or_default();
    found.push(Found {
        rule: "exposure-host-inventory",
        severity: None,
        line: *line,
        column: 1,
        value: host.clone(),
        context,
        detail: format!(
            "{} internal host(s) or private address(es) in {} group(s)",
            inv.hosts.len(),
            inv.groups
        ),
    });
}

fn root_container(text: &str, found: &mut Vec<Found>) {
    let stage = dockerfile::final_stage(text);
    let Some((line, _)) = stage.credentials.first() else {
        return;
    };
    let names: Vec<&str> = stage.credentials.iter().map(|(_, n)| n.as_str()).collect();
    let (severity, mut detail) = match stage.user {
        None => (
            None,
            format!(
                "the final stage sets {} and has no USER, so runs as root",
                names.join(", ")
            ),
        ),
        Some(user) => (
            Some(Severity::Low),
            format!(
                "the final stage sets {}, kept in the image's history; it runs as the user set at line {user} (one band lower)",
                names.join(", ")
            ),
        ),
    };
    let severity = if stage.stand_ins_only {
        detail.push_str("; every value is a stand-in (`TestKey`, `changeme`), so one band lower");
        Some(severity.unwrap_or(Severity::Medium).lower())
    } else {
        severity
    };
    found.push(Found {
        rule: "exposure-root-container-credentials",
        severity,
        line: *line,
        column: 1,
        value: names.join(" "),
        // The names, never the values.
        context: format!("ENV/ARG {} (values not shown)", names.join(", ")),
        detail,
    });
}

fn lines(text: &str, found: &mut Vec<Found>) {
    let mut ids = Identifiers::default();
    // A host is one internal-host finding and, separately, one
    // connection-string finding per protocol.
    let mut seen: HashSet<String> = HashSet::new();
    let mut connected: HashSet<String> = HashSet::new();
    let mut hosts: Vec<Found> = Vec::new();
    let mut total_hosts = 0usize;
    for (i, line) in text.lines().enumerate() {
        let number = i as u32 + 1;
        ids.read(number, line);
        for c in connections(line) {
            if !connected.insert(c.identity().to_ascii_lowercase()) {
                continue;
            }
            seen.insert(c.host.to_ascii_lowercase());
            found.push(Found {
                rule: "exposure-connection-string",
                severity: None,
                line: number,
                column: c.column as u32 + 1,
                value: c.identity(),
                context: context_of(line),
                detail: format!("{} server: {}", c.scheme, c.kind.says()),
            });
        }
        for s in internal_hosts(line) {
            if !seen.insert(s.host.to_ascii_lowercase()) {
                continue;
            }
            total_hosts += 1;
            if hosts.len() < MAX_HOSTS {
                hosts.push(Found {
                    rule: "exposure-internal-host",
                    severity: None,
                    line: number,
                    column: s.column as u32 + 1,
                    value: s.host.to_string(),
                    context: context_of(line),
                    detail: s.kind.says().to_string(),
                });
            }
        }
    }
    if total_hosts > MAX_HOSTS {
        for h in &mut hosts {
            h.detail.push_str(&format!(
                "; one of {total_hosts} in this file (the first {MAX_HOSTS} shown)"
            ));
        }
    }
    found.extend(hosts);
    if let Some((line, value)) = ids.combined() {
        let context = text
            .lines()
            .nth(line as usize - 1)
            .map(context_of)
            .unwrap_or_default();
        found.push(Found {
            rule: "exposure-cloud-identifiers",
            severity: None,
            line,
            column: 1,
            value,
            context,
            detail: "subscription, tenant and a named resource in one file".into(),
        });
    }
}
