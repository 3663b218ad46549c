//! A labelled corpus for measuring personal-data detection.
//!
//! [`build_personal`] writes `out/files/` — patient-level extracts (CSV,
//! TSV, pipe, JSON, JSON Lines, SQL), notebooks whose outputs show rows,
//! source files with identifiers in comments and strings, published
//! aggregate tables — and `out/labels.json`, one [`Unit`] per planted
//! column, number or table. Half of it is look-alikes that must not be
//! reported: ten-digit numbers that fail the NHS check, phone numbers,
//! timestamps, ids, numbers inside longer numbers, suppressed tables.
//! [`evaluate_personal`] scores a scanner's findings against the labels.
//!
//! Every identifier is generated from the seed at run time; nothing
//! describes a real person.

mod aggregate;
mod eval;
mod filler;
pub mod ids;
mod labels;
mod lone;
mod notebook;
mod people;
mod plan;
mod report;
mod source;
mod table;
mod tables;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};

pub use eval::{
    DecoyHit, FILE_LEVEL, KindRecall, Missed, PersonalReported, PersonalScore, evaluate_personal,
    evaluate_personal_rules,
};
pub use labels::{Expect, PersonalLabels, Unit, expectation};

use crate::rng::Rng;

/// Files and units as they are planned, before anything is written.
pub struct Builder {
    files: BTreeMap<String, Vec<u8>>,
    units: Vec<Unit>,
    per_kind: BTreeMap<String, usize>,
    next_file: usize,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            files: BTreeMap::new(),
            units: Vec::new(),
            per_kind: BTreeMap::new(),
            next_file: 0,
        }
    }

    /// A fresh path `dir/stem_NN.ext`.
    pub fn path(&mut self, dir: &str, stem: &str, ext: &str) -> String {
        self.next_file += 1;
        format!("{dir}/{stem}_{:03}.{ext}", self.next_file)
    }

    pub fn file(&mut self, path: &str, content: impl Into<Vec<u8>>) {
        let old = self.files.insert(path.to_owned(), content.into());
        assert!(old.is_none(), "{path} planned twice");
    }

    /// A new unit; values are kept distinct, in order.
    pub fn unit(
        &mut self,
        kind: &str,
        path: &str,
        context: &str,
        values: Vec<String>,
    ) -> &mut Unit {
        let n = self.per_kind.entry(kind.to_owned()).or_default();
        *n += 1;
        let mut distinct: Vec<String> = Vec::new();
        for v in values {
            if !distinct.contains(&v) {
                distinct.push(v);
            }
        }
        let (expect, rule) = expectation(kind);
        self.units.push(Unit {
            id: format!("{kind}-{n}"),
            kind: kind.to_owned(),
            expect,
            rule: rule.map(String::from),
            path: path.to_owned(),
            context: context.to_owned(),
            column: None,
            decoy: None,
            values: distinct,
            tolerate: Vec::new(),
            line: None,
        });
        self.units.last_mut().expect("just pushed")
    }
}

/// Writes `out/files/...` and `out/labels.json`. The same seed on the same
/// machine gives the same files and labels.
pub fn build_personal(out: &Path, seed: u64) -> anyhow::Result<PersonalLabels> {
    let files = out.join("files");
    if files.exists() && std::fs::read_dir(&files)?.next().is_some() {
        bail!("{} already exists and is not empty", files.display());
    }
    let mut b = Builder::new();
    plan::plan(&mut b, &Rng::new(seed).fork("personal"));
    lone::label_stray_numbers(&mut b);
    for (path, bytes) in &b.files {
        let p = files.join(path);
        std::fs::create_dir_all(p.parent().expect("a file has a parent"))?;
        std::fs::write(&p, bytes).with_context(|| format!("writing {}", p.display()))?;
    }
    let labels = PersonalLabels {
        version: 1,
        seed,
        units: b.units,
    };
    labels.write(&out.join("labels.json"))?;
    Ok(labels)
}

/// Counts for a summary: units per kind and expectation, decoys per sort,
/// files and bytes.
pub fn personal_counts(labels: &PersonalLabels, out: &Path) -> serde_json::Value {
    let mut kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut decoy: BTreeMap<&str, usize> = BTreeMap::new();
    let mut values: BTreeMap<&str, usize> = BTreeMap::new();
    for u in &labels.units {
        *kind.entry(&u.kind).or_default() += 1;
        *values.entry(&u.kind).or_default() += u.values.len();
        if let Some(d) = &u.decoy {
            *decoy.entry(d).or_default() += 1;
        }
    }
    let (mut n, mut bytes) = (0usize, 0u64);
    let mut stack = vec![out.join("files")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                n += 1;
                bytes += e.metadata().map_or(0, |m| m.len());
            }
        }
    }
    serde_json::json!({
        "units": labels.units.len(),
        "units_by_kind": kind,
        "values_by_kind": values,
        "decoys_by_sort": decoy,
        "files": n,
        "bytes": bytes,
    })
}
