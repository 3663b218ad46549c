//! The known-vulnerable dependency detector. A lockfile in the working tree
//! (the dependencies a clone would install today; old lockfiles in history
//! install nothing) is parsed by `keepopen-lockfiles`; each pinned package
//! is looked up in the advisory store and its versions matched by
//! `keepopen-advisories` in its ecosystem's order. One finding per package,
//! version and lockfile, at the line that pins it. Every package is counted
//! per ecosystem ([`Coverage`]), checked or not, so that the report can say
//! what the database could not speak for.

mod age;
mod coverage;
mod open;
pub mod sbom;
mod severity;

pub use coverage::{Coverage, NOTES_SUBJECT};
pub use open::{MAX_DB_AGE_DAYS, open};
pub use severity::{band, score};

use keepopen_advisories::{Index, lowest_fix_for_all};
use keepopen_advisory_store::{AdvisoryStore, StoreError};
use keepopen_content::{Content, Detector, Needs, Out, Reads};
use keepopen_findings::{Category, Confidence, Match};
use keepopen_lockfiles::{is_vendored, parser_for};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The detector's one id.
pub const RULE: &str = "vulnerable-dependency";

/// The detector's catalogue entry, for the registry.
pub fn catalogue() -> Vec<keepopen_findings::RuleInfo> {
    vec![keepopen_findings::RuleInfo {
        id: RULE.to_string(),
        name: "Known-vulnerable dependency".to_string(),
        description: "A package pinned in a lockfile of the working tree at a version that an OSV advisory in the local database affects (`keepopen db import`, `keepopen db update`). Versions are compared in the package's own ecosystem's order. The finding names the advisories and their aliases, the fixed versions, and the lowest version that fixes all of them. Severity comes from the advisory's CVSS vector, else its database's own.".to_string(),
        severity: keepopen_findings::Severity::Medium,
        category: keepopen_findings::Category::Dependency,
        references: vec!["https://ossf.github.io/osv-schema/".to_string()],
        fix: "Upgrade to the version the finding names and regenerate the lockfile. If the vulnerable code is not reachable, record why and accept it with a baseline.".to_string(),
        kind: keepopen_findings::RuleKind::Logic,
        revoke: None,
    }]
}

/// Advisories already read and indexed, by (ecosystem, name): a package
/// pinned in many lockfiles is looked up and indexed once.
type Cache = HashMap<(String, String), Arc<Index>>;

pub struct Dependencies {
    /// None when there is no database to check against: the lockfiles are
    /// still read, so that the report says what went unchecked.
    store: Option<Mutex<AdvisoryStore>>,
    /// Advisories per (ecosystem, name), looked up once per scan.
    cache: Mutex<Cache>,
    coverage: Arc<Coverage>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Dependencies {
    /// The detector over `store`, or over no database at all.
    pub fn new(store: Option<AdvisoryStore>) -> Result<Self, StoreError> {
        let with_advisories = match &store {
            Some(s) => s.status()?.into_iter().map(|e| e.ecosystem).collect(),
            None => Default::default(),
        };
        Ok(Dependencies {
            coverage: Arc::new(Coverage::new(store.is_some(), with_advisories)),
            store: store.map(Mutex::new),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// What the scan covered, per ecosystem: read it once the scan is over.
    pub fn coverage(&self) -> Arc<Coverage> {
        self.coverage.clone()
    }

    fn advisories(
        &self,
        store: &Mutex<AdvisoryStore>,
        ecosystem: &str,
        name: &str,
    ) -> Result<Arc<Index>, String> {
        let key = (ecosystem.to_string(), name.to_string());
        if let Some(found) = lock(&self.cache).get(&key) {
            return Ok(found.clone());
        }
        let records = lock(store)
            .advisories_for(ecosystem, name)
            .map_err(|e| e.to_string())?;
        let index = Arc::new(Index::new(records));
        lock(&self.cache).insert(key, index.clone());
        Ok(index)
    }
}

/// A lockfile this detector reads: one a parser knows, not in a vendored
/// folder.
fn is_lockfile(path: &str) -> bool {
    !is_vendored(path) && parser_for(path).is_some()
}

impl Detector for Dependencies {
    fn name(&self) -> &'static str {
        "the dependency detector"
    }

    fn needs(&self) -> Needs<'_> {
        Needs {
            reads: Reads::CurrentFiles(is_lockfile),
            paths: None,
        }
    }

    fn detect(&self, content: &Content<'_>, out: &mut Out) {
        let Some(path) = content.path else { return };
        let Some(parser) = parser_for(path).filter(|_| !is_vendored(path)) else {
            return;
        };
        let parsed = match parser.parse(path, content.data) {
            Ok(p) => p,
            Err(e) => {
                out.trouble(e.to_string());
                return;
            }
        };
        // What the parser could not pin (a range in requirements.txt, a git
        // source) is said, never guessed at; the report names the file.
        for note in &parsed.notes {
            let rest = note.strip_prefix(path).unwrap_or(note);
            out.trouble(match rest.strip_prefix(':') {
                Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => format!("line {r}"),
                _ => rest.trim_start_matches(':').trim().to_string(),
            });
        }
        for pkg in &parsed.packages {
            let coverage = &self.coverage;
            coverage.found(pkg.ecosystem, &pkg.name, &pkg.version);
            let Some(store) = self
                .store
                .as_ref()
                .filter(|_| coverage.has_advisories(pkg.ecosystem))
            else {
                continue;
            };
            let index = match self.advisories(store, pkg.ecosystem, &pkg.name) {
                Ok(i) => i,
                Err(e) => {
                    out.trouble(e);
                    return;
                }
            };
            if index.is_empty() {
                coverage.checked(pkg.ecosystem, &pkg.name, &pkg.version);
                continue;
            }
            let hits = match index.query(pkg.ecosystem, &pkg.name, &pkg.version) {
                Ok(h) => h,
                // A version its ecosystem cannot read matches nothing, and
                // is not counted as checked; the parsers already refuse
                // what they cannot pin.
                Err(_) => continue,
            };
            coverage.checked(pkg.ecosystem, &pkg.name, &pkg.version);
            if hits.is_empty() {
                continue;
            }
            let mut worst = (keepopen_findings::Severity::Info, None::<f64>);
            let mut ids = Vec::new();
            for h in &hits {
                let s = severity::of(h.record);
                if s.0 > worst.0 || (s.0 == worst.0 && s.1 > worst.1) {
                    worst = s;
                }
                let aliases: Vec<&str> = h.record.aliases.iter().map(String::as_str).collect();
                let summary = h.record.summary.as_deref().unwrap_or("").trim();
                ids.push(format!(
                    "{}{}{}{}",
                    h.record.id,
                    if aliases.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", aliases.join(", "))
                    },
                    if summary.is_empty() { "" } else { ": " },
                    summary
                ));
            }
            let fix = lowest_fix_for_all(pkg.ecosystem, &hits);
            let fixes: Vec<String> = hits
                .iter()
                .filter_map(|h| h.verdict.fixed.clone())
                .collect();
            let at = format!("{}@{}", pkg.name, pkg.version);
            out.found(Match {
                remedy: Some(keepopen_findings::Remedy::Upgrade {
                    ecosystem: pkg.ecosystem.to_string(),
                    package: pkg.name.clone(),
                    from: pkg.version.clone(),
                    to: fix.clone(),
                }),
                rule: RULE.into(),
                category: Category::Dependency,
                severity: worst.0,
                confidence: Confidence::High,
                secret: at.clone(),
                line: pkg.line,
                column: 1,
                context: format!(
                    "{} {} {}{}: {} advisor{}{}",
                    pkg.ecosystem,
                    pkg.name,
                    pkg.version,
                    if pkg.dev { " (dev)" } else { "" },
                    hits.len(),
                    if hits.len() == 1 { "y" } else { "ies" },
                    worst
                        .1
                        .map(|s| format!(", CVSS {s:.1}"))
                        .unwrap_or_default()
                ),
                detail: Some(format!(
                    "{}; fixed in {}; {}",
                    ids.join("; "),
                    if fixes.is_empty() {
                        "no released version".to_string()
                    } else {
                        fixes.join(", ")
                    },
                    match fix {
                        Some(f) => format!("upgrade to {f} or later to fix all"),
                        None => "no version fixes all of them yet".to_string(),
                    }
                )),
            });
        }
    }
}
