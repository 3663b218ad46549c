//! Baselines: the fingerprints a team has accepted, so CI fails only on new
//! findings.

use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("baseline {path} is not a keepopen baseline: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("baseline {path} has version {version}; this keepopen reads version 1")]
    Version { path: PathBuf, version: u32 },
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
    #[serde(skip)]
    index: HashSet<String>,
}

impl Baseline {
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut entries: Vec<BaselineEntry> = findings
            .into_iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule: f.m.rule.clone(),
                path: f.location.path.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup();
        let index = entries.iter().map(|e| e.fingerprint.clone()).collect();
        Baseline {
            version: 1,
            findings: entries,
            index,
        }
    }

    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut b: Baseline =
            serde_json::from_str(&text).map_err(|source| BaselineError::Parse {
                path: path.to_owned(),
                source,
            })?;
        if b.version != 1 {
            return Err(BaselineError::Version {
                path: path.to_owned(),
                version: b.version,
            });
        }
        b.index = b.findings.iter().map(|e| e.fingerprint.clone()).collect();
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.index.contains(fingerprint)
    }

    pub fn len(&self) -> usize {
        self.findings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn finding(path: &str, secret: &str) -> Finding {
        crate::test_finding(path, secret, Severity::High)
    }

    #[test]
    fn a_baseline_round_trips_and_knows_its_fingerprints() {
        let fs = [finding("a", "x"), finding("b", "y"), finding("a", "x")];
        let b = Baseline::from_findings(&fs);
        assert_eq!(b.len(), 2);
        let dir = std::env::temp_dir().join(format!("ko-baseline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let p = dir.join("b.json");
        std::fs::write(&p, b.to_json()).ok();
        let back = Baseline::load(&p).expect("baseline loads");
        assert!(back.contains(&fs[0].fingerprint));
        assert!(!back.contains(&finding("c", "z").fingerprint));
        assert!(
            !back.to_json().contains("\"x\""),
            "a baseline never holds the secret"
        );
    }

    #[test]
    fn a_broken_baseline_names_its_file() {
        let p = std::env::temp_dir().join(format!("ko-bad-{}.json", std::process::id()));
        std::fs::write(&p, "{nope").ok();
        let err = Baseline::load(&p)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(&p.display().to_string()), "{err}");
    }
}
