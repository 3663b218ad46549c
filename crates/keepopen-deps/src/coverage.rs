//! The tally of what the dependency check covered, per ecosystem: every
//! package the lockfiles pin is counted, and those matched against the
//! advisories counted again, so that an ecosystem the database knows
//! nothing of is stated in the report, never taken for "no findings".

use keepopen_findings::{DependencyCoverage, EcosystemCoverage, Problem};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Mutex;

/// One package and version.
type Pin = (String, String);

#[derive(Default)]
struct Seen {
    found: HashSet<Pin>,
    checked: HashSet<Pin>,
}

/// Shared by the detector, which counts as it reads, and the command line,
/// which reads the counts once the scan is over.
pub struct Coverage {
    /// Whether there is an advisory database at all.
    db: bool,
    /// The ecosystems it holds advisories for, by OSV name.
    with_advisories: BTreeSet<String>,
    seen: Mutex<BTreeMap<String, Seen>>,
}

/// The subject of the dependency check's notes (what it could not check).
pub const NOTES_SUBJECT: &str = "dependencies";

impl Coverage {
    pub(crate) fn new(db: bool, with_advisories: BTreeSet<String>) -> Self {
        Coverage {
            db,
            with_advisories,
            seen: Mutex::new(BTreeMap::new()),
        }
    }

    /// Whether the database holds any advisory for `ecosystem`.
    pub(crate) fn has_advisories(&self, ecosystem: &str) -> bool {
        self.db && self.with_advisories.contains(base(ecosystem))
    }

    pub(crate) fn found(&self, ecosystem: &str, name: &str, version: &str) {
        self.with(ecosystem, |s| {
            s.found.insert((name.to_string(), version.to_string()));
        });
    }

    pub(crate) fn checked(&self, ecosystem: &str, name: &str, version: &str) {
        self.with(ecosystem, |s| {
            s.checked.insert((name.to_string(), version.to_string()));
        });
    }

    fn with(&self, ecosystem: &str, f: impl FnOnce(&mut Seen)) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        f(seen.entry(base(ecosystem).to_string()).or_default());
    }

    /// What was covered, each ecosystem the lockfiles use by name.
    pub fn report(&self) -> DependencyCoverage {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        DependencyCoverage {
            database: self.db,
            ecosystems: seen
                .iter()
                .map(|(eco, s)| EcosystemCoverage {
                    ecosystem: eco.clone(),
                    packages: s.found.len(),
                    advisories_in_db: self.has_advisories(eco),
                    checked: s.checked.len(),
                })
                .collect(),
        }
    }

    /// One note per ecosystem, for the reports that carry notes.
    pub fn notes(&self) -> Vec<Problem> {
        self.report()
            .sentences()
            .map(|s| Problem::note(NOTES_SUBJECT, s))
            .collect()
    }

    /// Whether there is an advisory database at all.
    pub fn has_db(&self) -> bool {
        self.db
    }
}

/// "Debian" of "Debian:12": the store keeps advisories by base ecosystem.
fn base(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_are_counted_once_and_ecosystems_without_advisories_are_gaps() {
        let c = Coverage::new(true, ["PyPI".to_string()].into());
        c.found("npm", "lodash", "4.17.10");
        c.found("npm", "lodash", "4.17.10");
        c.found("npm", "left-pad", "1.0.0");
        c.found("PyPI", "django", "1.0.1");
        c.checked("PyPI", "django", "1.0.1");
        assert!(c.has_advisories("PyPI") && !c.has_advisories("npm"));
        let e = c.report().ecosystems;
        assert_eq!(
            (
                e[0].ecosystem.as_str(),
                e[0].packages,
                e[0].checked,
                e[0].advisories_in_db
            ),
            ("PyPI", 1, 1, true)
        );
        assert_eq!(
            (
                e[1].ecosystem.as_str(),
                e[1].packages,
                e[1].checked,
                e[1].advisories_in_db
            ),
            ("npm", 2, 0, false)
        );
        let notes = c.notes();
        assert!(
            notes[1]
                .message
                .contains("has no npm advisories, so none was checked"),
            "{notes:?}"
        );
    }

    #[test]
    fn without_a_database_nothing_has_advisories() {
        let c = Coverage::new(false, BTreeSet::new());
        c.found("crates.io", "smallvec", "1.0.0");
        assert!(!c.has_advisories("crates.io"));
        assert!(
            c.notes()[0]
                .message
                .contains("there is no advisory database")
        );
    }
}
