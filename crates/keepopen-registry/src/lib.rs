//! The one registry of detectors: one line per detector below, and from it
//! the catalogue of every id any detector can emit. `rules list`,
//! `explain`, `rules.disable`, SARIF rule metadata and `docs/rules.md` all
//! read this catalogue, so an id means the same everywhere, and an unknown
//! id is an error, never a silent fallback.

mod build;
mod docs;

pub use build::{
    BuildError, Built, Runs, Said, Setup, build, build_from, names, secret_engine, secret_rules,
};

use keepopen_findings::RuleInfo;
use std::collections::HashMap;

/// What a detector's catalogue is built from: only the secret rules vary
/// with the configuration (a team's own rules).
pub struct Inputs<'a> {
    pub secret_rules: &'a [keepopen_rules::Rule],
    /// A team's own code rules (`[code] rules`): file and text.
    pub code_rules: &'a [(String, String)],
}

/// One detector: the name `--detectors` takes, its catalogue, and how it
/// runs.
pub struct Registered {
    pub name: &'static str,
    pub summary: &'static str,
    pub catalogue: fn(&Inputs<'_>) -> Vec<RuleInfo>,
    pub runs: Runs,
}

/// Every detector, one line each, in report order.
pub static DETECTORS: &[Registered] = &[
    Registered {
        name: "secrets",
        summary: "credentials in files and history",
        catalogue: |i| keepopen_secrets::catalogue(i.secret_rules),
        runs: Runs::Content(build::secrets),
    },
    Registered {
        name: "personal",
        summary: "personal and patient data",
        catalogue: |_| keepopen_personal::rules::catalogue(),
        runs: Runs::Content(build::personal),
    },
    Registered {
        name: "dependencies",
        summary: "known-vulnerable dependencies",
        catalogue: |_| keepopen_deps::catalogue(),
        runs: Runs::Content(build::dependencies),
    },
    Registered {
        name: "workflows",
        summary: "GitHub Actions workflow audits",
        catalogue: |_| keepopen_workflows::catalogue(),
        runs: Runs::Content(build::workflows),
    },
    Registered {
        name: "code",
        summary: "insecure code patterns, matched on syntax trees",
        catalogue: |i| keepopen_code::catalogue(i.code_rules),
        runs: Runs::Content(build::code),
    },
    Registered {
        name: "exposure",
        summary: "configuration that helps an attacker: internal hosts, connection strings, state files",
        catalogue: |_| keepopen_exposure::catalogue(),
        runs: Runs::Content(build::exposure),
    },
    Registered {
        name: "posture",
        summary: "repository posture checks",
        catalogue: |_| keepopen_posture::catalogue(),
        runs: Runs::Repository,
    },
    Registered {
        name: "exceptions",
        summary: "the exceptions register (.keepopen/exceptions), checked against the findings",
        catalogue: |_| keepopen_assessment::exceptions::catalogue(),
        runs: Runs::Repository,
    },
];

/// An id no detector emits, or one that two detectors claim.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("no rule `{id}` (see `keepopen rules list`){}", near_text(.near))]
    Unknown { id: String, near: Vec<String> },
    #[error("the id `{id}` is claimed by both the {first} and the {second} detector")]
    Duplicate {
        id: String,
        first: &'static str,
        second: &'static str,
    },
}

fn near_text(near: &[String]) -> String {
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}

/// Every id any registered detector can emit, with its entry.
pub struct Catalogue {
    rules: Vec<RuleInfo>,
    detector: Vec<&'static str>,
    by_id: HashMap<String, usize>,
}

impl Catalogue {
    /// The catalogue of the registered detectors.
    pub fn new(inputs: &Inputs<'_>) -> Result<Self, RegistryError> {
        Self::from_detectors(DETECTORS, inputs)
    }

    /// The catalogue of `detectors`: for tests that register one more.
    pub fn from_detectors(
        detectors: &[Registered],
        inputs: &Inputs<'_>,
    ) -> Result<Self, RegistryError> {
        let mut c = Catalogue {
            rules: Vec::new(),
            detector: Vec::new(),
            by_id: HashMap::new(),
        };
        for d in detectors {
            for r in (d.catalogue)(inputs) {
                if let Some(&i) = c.by_id.get(&r.id) {
                    return Err(RegistryError::Duplicate {
                        id: r.id,
                        first: c.detector[i],
                        second: d.name,
                    });
                }
                c.by_id.insert(r.id.clone(), c.rules.len());
                c.rules.push(r);
                c.detector.push(d.name);
            }
        }
        Ok(c)
    }

    pub fn rules(&self) -> &[RuleInfo] {
        &self.rules
    }

    pub fn get(&self, id: &str) -> Option<&RuleInfo> {
        self.by_id.get(id).map(|&i| &self.rules[i])
    }

    /// The registered detector that emits `id`.
    pub fn detector_of(&self, id: &str) -> Option<&'static str> {
        self.by_id.get(id).map(|&i| self.detector[i])
    }

    /// The entry for `id`, or an error naming ids like it.
    pub fn lookup(&self, id: &str) -> Result<&RuleInfo, RegistryError> {
        self.get(id).ok_or_else(|| RegistryError::Unknown {
            id: id.to_string(),
            near: self.near(id),
        })
    }

    /// Up to five ids that contain `id` or that it contains.
    fn near(&self, id: &str) -> Vec<String> {
        if id.len() < 3 {
            return Vec::new();
        }
        self.rules
            .iter()
            .map(|r| r.id.as_str())
            .filter(|x| x.contains(id) || id.contains(*x))
            .take(5)
            .map(str::to_string)
            .collect()
    }

    /// The documentation page: one section per id, anchored by the id.
    pub fn markdown(&self) -> String {
        docs::markdown(self)
    }
}

#[cfg(test)]
mod tests;
