//! What the dependency check covered, per ecosystem: the packages the
//! lockfiles pin, and how many of them the advisory database could speak
//! for. An ecosystem it has no advisories for is a gap the report states,
//! never a silent "no findings".

/// What the dependency check covered in one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DependencyCoverage {
    /// Whether there was an advisory database to check against at all.
    pub database: bool,
    /// Each ecosystem the working tree's lockfiles use, by name.
    pub ecosystems: Vec<EcosystemCoverage>,
}

impl DependencyCoverage {
    /// One sentence per ecosystem, as every report says it.
    pub fn sentences(&self) -> impl Iterator<Item = String> + '_ {
        self.ecosystems.iter().map(|e| e.sentence(self.database))
    }

    /// The ecosystems some of whose packages went unchecked.
    pub fn gaps(&self) -> impl Iterator<Item = &EcosystemCoverage> {
        self.ecosystems.iter().filter(|e| e.is_gap())
    }
}

/// One ecosystem's part of the dependency check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcosystemCoverage {
    /// The OSV ecosystem name: "npm", "PyPI", "crates.io".
    pub ecosystem: String,
    /// Distinct packages (name and version) the working tree's lockfiles pin.
    pub packages: usize,
    /// Whether the advisory database holds any advisory for the ecosystem.
    pub advisories_in_db: bool,
    /// How many of them were matched against its advisories.
    pub checked: usize,
}

impl EcosystemCoverage {
    /// The sentence every report gives: "npm: 1,978 packages found; the
    /// advisory database has no npm advisories, so none was checked (run
    /// `keepopen db import` with npm data)". `db` is whether there is an
    /// advisory database at all.
    pub fn sentence(&self, db: bool) -> String {
        let eco = &self.ecosystem;
        let found = format!(
            "{eco}: {} package{} found",
            thousands(self.packages),
            if self.packages == 1 { "" } else { "s" }
        );
        if !db {
            return format!(
                "{found}; there is no advisory database, so none was checked (run `keepopen db import`)"
            );
        }
        if !self.advisories_in_db {
            return format!(
                "{found}; the advisory database has no {eco} advisories, so none was checked (run `keepopen db import` with {eco} data)"
            );
        }
        if self.checked == self.packages {
            return format!("{found}, all checked");
        }
        format!(
            "{found}, {} checked (the others' versions could not be compared in {eco}'s order)",
            thousands(self.checked)
        )
    }

    /// Whether some of its packages went unchecked.
    pub fn is_gap(&self) -> bool {
        self.checked < self.packages
    }
}

/// `1978` as "1,978".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eco(name: &str, packages: usize, in_db: bool, checked: usize) -> EcosystemCoverage {
        EcosystemCoverage {
            ecosystem: name.into(),
            packages,
            advisories_in_db: in_db,
            checked,
        }
    }

    #[test]
    fn each_case_is_one_plain_sentence() {
        assert_eq!(
            eco("npm", 1978, false, 0).sentence(true),
            "npm: 1,978 packages found; the advisory database has no npm advisories, so none was checked (run `keepopen db import` with npm data)"
        );
        assert_eq!(
            eco("npm", 1, false, 0).sentence(false),
            "npm: 1 package found; there is no advisory database, so none was checked (run `keepopen db import`)"
        );
        assert_eq!(
            eco("PyPI", 12, true, 12).sentence(true),
            "PyPI: 12 packages found, all checked"
        );
        assert!(!eco("PyPI", 12, true, 12).is_gap());
        assert!(
            eco("PyPI", 12, true, 10)
                .sentence(true)
                .contains("10 checked")
        );
    }

    #[test]
    fn big_numbers_have_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1978), "1,978");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
