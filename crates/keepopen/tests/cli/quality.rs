//! Recall and precision on the labelled corpus, built at test time: real
//! code from installed packages with planted secrets of every rule family
//! (some deleted, some on branches and tags) and decoys of every kind.
//! Targets: recall ≥ 0.98, precision ≥ 0.95.

use crate::support::*;
use keepopen_corpus::{Reported, build, evaluate};

fn score(seed: u64) -> keepopen_corpus::Score {
    let out = tempfile::tempdir().expect("tempdir");
    let labels = build(out.path(), seed).expect("corpus builds");
    let (_, v) = scan_json(&out.path().join("repo"), &[]);
    // Personal-data and disclosure-control findings are scored by
    // personal_quality.rs; this corpus measures secrets only.
    let reported: Vec<Reported> = findings(&v)
        .iter()
        .filter(|f| f["category"].as_str().is_none_or(|c| c == "secret"))
        .map(|f| Reported {
            path: f["path"].as_str().unwrap_or_default().to_string(),
            line: f["line"].as_u64().map(|l| l as u32),
            secret: f["secret"].as_str().map(String::from),
        })
        .collect();
    evaluate(&labels, &reported)
}

#[test]
fn recall_and_precision_on_the_labelled_corpus_meet_the_targets() {
    for seed in [1, 7] {
        let s = score(seed);
        eprintln!(
            "seed {seed}: recall {:.3} precision {:.3} (tp {} fp {} fn {})",
            s.recall, s.precision, s.tp, s.fp, s.fn_
        );
        assert!(s.tp > 100, "the corpus plants secrets");
        assert!(
            s.recall >= 0.98,
            "seed {seed}: recall {:.3}; missed {:?}",
            s.recall,
            s.missed
        );
        assert!(
            s.precision >= 0.95,
            "seed {seed}: precision {:.3}; false positives {:?}",
            s.precision,
            s.false_positives
        );
    }
}
