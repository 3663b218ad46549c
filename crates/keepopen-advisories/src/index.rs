//! Records by package, for querying many dependencies: each affected
//! entry is filed under its ecosystem (suffix dropped: `Debian:12` is
//! ordered as `Debian`) and its name as that ecosystem compares names.

use crate::evaluate::{Verdict, affected};
use crate::record::Record;
use keepopen_versions::{Ecosystem, VersionError, compare};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// One advisory that affects a queried version.
#[derive(Clone, Debug)]
pub struct Hit<'a> {
    pub record: &'a Record,
    pub verdict: Verdict,
}

/// Advisories filed by package.
#[derive(Default)]
pub struct Index {
    records: Vec<Record>,
    by_package: HashMap<(Ecosystem, String), Vec<(usize, usize)>>,
    /// Affected entries of ecosystems with no version order here, by
    /// ecosystem: skipped, and said so.
    pub skipped: BTreeMap<String, usize>,
    /// Withdrawn records, which affect nothing.
    pub withdrawn: usize,
}

/// A package name as its ecosystem compares names: PyPI per PEP 503
/// (case and runs of `-_.` folded), NuGet, Packagist and CRAN... CRAN is
/// case-sensitive; NuGet and Packagist are not.
pub fn normalise(eco: Ecosystem, name: &str) -> String {
    match eco {
        Ecosystem::Pypi => {
            let mut out = String::with_capacity(name.len());
            let mut sep = false;
            for c in name.trim().chars() {
                if matches!(c, '-' | '_' | '.') {
                    sep = true;
                } else {
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.push(c.to_ascii_lowercase());
                }
            }
            out
        }
        Ecosystem::NuGet | Ecosystem::Packagist => name.trim().to_ascii_lowercase(),
        _ => name.trim().to_string(),
    }
}

impl Index {
    pub fn new(records: Vec<Record>) -> Self {
        let mut idx = Index::default();
        for (ri, r) in records.iter().enumerate() {
            if r.withdrawn.is_some() {
                idx.withdrawn += 1;
                continue;
            }
            for (ai, a) in r.affected.iter().enumerate() {
                let Some(p) = &a.package else { continue };
                let base = p.ecosystem.split(':').next().unwrap_or("");
                match Ecosystem::from_osv(base) {
                    Some(eco) => idx
                        .by_package
                        .entry((eco, normalise(eco, &p.name)))
                        .or_default()
                        .push((ri, ai)),
                    None => *idx.skipped.entry(base.to_string()).or_default() += 1,
                }
            }
        }
        idx.records = records;
        idx
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The advisories that affect `version` of `name` in the OSV ecosystem
    /// `ecosystem` (`PyPI`, `npm`, `crates.io`, ...), each once.
    pub fn query(
        &self,
        ecosystem: &str,
        name: &str,
        version: &str,
    ) -> Result<Vec<Hit<'_>>, VersionError> {
        let base = ecosystem.split(':').next().unwrap_or("");
        let Some(eco) = Ecosystem::from_osv(base) else {
            return Ok(Vec::new());
        };
        let mut hits: Vec<Hit<'_>> = Vec::new();
        for &(ri, ai) in self
            .by_package
            .get(&(eco, normalise(eco, name)))
            .into_iter()
            .flatten()
        {
            let (record, entry) = (&self.records[ri], &self.records[ri].affected[ai]);
            if let Some(verdict) = affected(eco, entry, version)? {
                match hits.iter_mut().find(|h| std::ptr::eq(h.record, record)) {
                    Some(h) => h.verdict = higher_fix(eco, &h.verdict, &verdict),
                    None => hits.push(Hit { record, verdict }),
                }
            }
        }
        Ok(hits)
    }
}

fn higher_fix(eco: Ecosystem, a: &Verdict, b: &Verdict) -> Verdict {
    match (&a.fixed, &b.fixed) {
        (Some(x), Some(y)) if compare(eco, x, y) == Ok(Ordering::Less) => b.clone(),
        (Some(_), Some(_)) => a.clone(),
        _ => Verdict { fixed: None },
    }
}

/// The lowest version that fixes every hit: the highest of their fixes,
/// or `None` when one of them has no fix.
pub fn lowest_fix_for_all(ecosystem: &str, hits: &[Hit<'_>]) -> Option<String> {
    let eco = Ecosystem::from_osv(ecosystem.split(':').next().unwrap_or(""))?;
    let mut best: Option<&str> = None;
    for h in hits {
        let f = h.verdict.fixed.as_deref()?;
        best = Some(match best {
            Some(b) if compare(eco, b, f) != Ok(Ordering::Less) => b,
            _ => f,
        });
    }
    best.map(String::from)
}
