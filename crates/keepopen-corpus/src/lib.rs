//! A labelled corpus for measuring secret scanners.
//!
//! [`build`] makes a real git repository (`out/repo`) with real code copied
//! from the machine, planted secrets in many file types — at HEAD, deleted
//! in later commits, only on a branch, only on a tag — and decoys that must
//! not be reported, and writes `out/labels.json`. [`evaluate`] scores a
//! scanner's findings against those labels.
//!
//! [`personal`] is the same for personal data: [`build_personal`] writes
//! files with planted NHS, CHI, H&C and National Insurance numbers, their
//! look-alikes and published aggregate tables, and [`evaluate_personal`]
//! scores a scanner's personal-data findings.
//!
//! No token appears in this crate's source: every one is generated at run
//! time from the seed by concatenating a provider's prefix with random
//! characters, so the repository holding this crate scans clean.

mod decoys;
mod encode;
mod eval;
mod git;
mod history;
mod keys;
mod labels;
pub mod personal;
mod plant;
mod realcode;
mod recipes;
mod rng;
mod text;
mod tokens;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::bail;

pub use eval::{Recall, Reported, Score, evaluate, normalize_path};
pub use history::{FEATURE_BRANCH, HOTFIX_TAG, RELEASE_TAGS};
pub use labels::{Decoy, Labels, Planted, State};
pub use personal::{
    PersonalLabels, PersonalReported, PersonalScore, build_personal, evaluate_personal,
    personal_counts,
};

/// Builds `out/repo` and writes `out/labels.json`. The same seed on the
/// same machine gives the same repository (commit ids included) and labels.
pub fn build(out: &Path, seed: u64) -> anyhow::Result<Labels> {
    let repo = out.join("repo");
    if repo.exists() && std::fs::read_dir(&repo)?.next().is_some() {
        bail!("{} already exists and is not empty", repo.display());
    }
    let root = rng::Rng::new(seed);
    let real = realcode::select(&mut root.fork("realcode"));
    let mut used: BTreeSet<String> = real.iter().map(|f| f.path.clone()).collect();
    used.extend(history::SKELETON.iter().map(|(p, _)| (*p).to_owned()));
    let decoys = decoys::plan(&mut root.fork("decoys"))?;
    for d in &decoys {
        if !used.insert(d.path.clone()) {
            bail!("decoy path {} is taken", d.path);
        }
    }
    let places = plant::plan(&mut root.fork("plant"), &real, &mut used)?;
    let outcome = history::write(&repo, &mut root.fork("history"), &real, &places, &decoys)?;
    let labels = Labels {
        version: 1,
        seed,
        planted: outcome.planted,
        decoys: outcome.decoys,
    };
    labels.write(&out.join("labels.json"))?;
    Ok(labels)
}

/// Counts for a summary: planted secrets per family and per state, decoys
/// per kind.
pub fn counts(labels: &Labels) -> serde_json::Value {
    let mut fam: BTreeMap<&str, usize> = BTreeMap::new();
    let mut state: BTreeMap<&str, usize> = BTreeMap::new();
    let mut kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut decoy: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &labels.planted {
        *fam.entry(&p.family).or_default() += 1;
        *state.entry(p.state.as_str()).or_default() += 1;
        *kind.entry(&p.kind).or_default() += 1;
    }
    for d in &labels.decoys {
        *decoy.entry(&d.kind).or_default() += 1;
    }
    serde_json::json!({
        "planted": labels.planted.len(),
        "decoys": labels.decoys.len(),
        "planted_by_family": fam,
        "planted_by_state": state,
        "planted_by_kind": kind,
        "decoys_by_kind": decoy,
    })
}
