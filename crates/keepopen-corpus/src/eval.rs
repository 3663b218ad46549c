//! Scores a scanner's findings against the labels.
//!
//! A finding matches a planted secret when the paths are equal and either
//! both secrets are known and one contains the other (after trimming quotes
//! and whitespace), or the finding gives no secret and its line equals the
//! planted line. A fragment shorter than 8 characters (some scanners report
//! only a capture group, such as a few characters of a webhook URL) counts
//! only on the planted line, so a stray short string elsewhere in the file
//! does not match. A planted secret with neither secret nor line (a binary
//! key file) is matched by path alone. Each planted secret counts once
//! however many findings match it, and one finding may match several.
//! Findings that match no planted secret are false positives; those that
//! match a decoy are also counted per decoy kind.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::labels::{Labels, Planted};

/// One finding as a scanner reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reported {
    pub path: String,
    #[serde(default)]
    pub line: Option<u32>,
    #[serde(default)]
    pub secret: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recall {
    pub planted: usize,
    pub found: usize,
    pub recall: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Planted secrets matched by at least one finding.
    pub tp: usize,
    /// Findings that match no planted secret.
    pub fp: usize,
    /// Planted secrets no finding matched.
    pub fn_: usize,
    /// tp / planted (1 when nothing is planted).
    pub recall: f64,
    /// tp / (tp + fp) (1 when nothing is reported).
    pub precision: f64,
    pub per_family: BTreeMap<String, Recall>,
    pub per_state: BTreeMap<String, Recall>,
    /// Ids of the planted secrets no finding matched.
    pub missed: Vec<String>,
    pub false_positives: Vec<Reported>,
    /// False positives that hit a labelled decoy, by decoy kind.
    pub fp_on_decoys: BTreeMap<String, usize>,
}

/// `./a\b` → `a/b`.
pub fn normalize_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut s = p.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_owned()
}

fn clean(s: &str) -> &str {
    s.trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .trim()
}

/// Below this length a contained fragment also needs the line to match.
const SHORT: usize = 8;

enum Overlap {
    None,
    /// One contains the other, but the contained one is a short fragment.
    Fragment,
    Full,
}

fn overlap(a: &str, b: &str) -> Overlap {
    let (a, b) = (clean(a), clean(b));
    if a.is_empty() || b.is_empty() {
        return Overlap::None;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if !long.contains(short) {
        Overlap::None
    } else if short.len() >= SHORT || short == long {
        Overlap::Full
    } else {
        Overlap::Fragment
    }
}

fn matches(path: &str, secret: Option<&str>, line: Option<u32>, r: &Reported) -> bool {
    if normalize_path(&r.path) != path {
        return false;
    }
    let reported = r.secret.as_deref().filter(|s| !clean(s).is_empty());
    match (secret, line, reported) {
        (None, None, _) => true,
        (Some(s), l, Some(rs)) => match overlap(s, rs) {
            Overlap::Full => true,
            Overlap::Fragment => l.is_none() || r.line == l,
            Overlap::None => false,
        },
        (_, Some(l), _) => r.line == Some(l),
        (Some(_), None, None) => false,
    }
}

fn planted_matches(p: &Planted, r: &Reported) -> bool {
    matches(&p.path, p.secret.as_deref(), p.line, r)
}

fn rate(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

pub fn evaluate(labels: &Labels, findings: &[Reported]) -> Score {
    let mut found = vec![false; labels.planted.len()];
    let mut false_positives = Vec::new();
    let mut fp_on_decoys: BTreeMap<String, usize> = BTreeMap::new();
    for r in findings {
        let mut hit = false;
        for (i, p) in labels.planted.iter().enumerate() {
            if planted_matches(p, r) {
                found[i] = true;
                hit = true;
            }
        }
        if !hit {
            if let Some(d) = labels
                .decoys
                .iter()
                .find(|d| matches(&d.path, Some(&d.value), Some(d.line), r))
            {
                *fp_on_decoys.entry(d.kind.clone()).or_default() += 1;
            }
            false_positives.push(r.clone());
        }
    }
    let mut per_family: BTreeMap<String, Recall> = BTreeMap::new();
    let mut per_state: BTreeMap<String, Recall> = BTreeMap::new();
    let mut missed = Vec::new();
    for (p, &f) in labels.planted.iter().zip(&found) {
        for (map, key) in [
            (&mut per_family, p.family.clone()),
            (&mut per_state, p.state.as_str().to_owned()),
        ] {
            let e = map.entry(key).or_insert(Recall {
                planted: 0,
                found: 0,
                recall: 0.0,
            });
            e.planted += 1;
            e.found += usize::from(f);
        }
        if !f {
            missed.push(p.id.clone());
        }
    }
    for e in per_family.values_mut().chain(per_state.values_mut()) {
        e.recall = rate(e.found, e.planted);
    }
    let tp = found.iter().filter(|f| **f).count();
    let fp = false_positives.len();
    Score {
        tp,
        fp,
        fn_: labels.planted.len() - tp,
        recall: rate(tp, labels.planted.len()),
        precision: rate(tp, tp + fp),
        per_family,
        per_state,
        missed,
        false_positives,
        fp_on_decoys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::{Decoy, State};

    fn planted(
        id: &str,
        family: &str,
        secret: Option<&str>,
        path: &str,
        line: Option<u32>,
        state: State,
    ) -> Planted {
        Planted {
            id: id.into(),
            family: family.into(),
            kind: id.into(),
            secret: secret.map(Into::into),
            path: path.into(),
            line,
            state,
        }
    }

    fn rep(path: &str, line: Option<u32>, secret: Option<&str>) -> Reported {
        Reported {
            path: path.into(),
            line,
            secret: secret.map(Into::into),
        }
    }

    fn labels() -> Labels {
        Labels {
            version: 1,
            seed: 0,
            planted: vec![
                planted(
                    "one",
                    "alpha",
                    Some("planted-value-one"),
                    "app/a.py",
                    Some(3),
                    State::Head,
                ),
                planted(
                    "two",
                    "alpha",
                    Some("planted-value-two"),
                    "app/b.env",
                    Some(1),
                    State::Deleted,
                ),
                planted("three", "beta", None, "certs/c.p12", None, State::Head),
                planted(
                    "four",
                    "beta",
                    Some("planted-value-four"),
                    "app/d.yml",
                    Some(9),
                    State::Branch,
                ),
            ],
            decoys: vec![Decoy {
                id: "decoy-placeholder-1".into(),
                kind: "placeholder".into(),
                value: "changeme".into(),
                path: "app/e.py".into(),
                line: 2,
            }],
        }
    }

    #[test]
    fn counts_true_false_positives_and_misses() {
        let findings = vec![
            // Whole line reported: contains the planted secret.
            rep("./app/a.py", Some(3), Some("token = \"planted-value-one\"")),
            // Same secret again: still one true positive.
            rep("app/a.py", Some(3), Some("'planted-value-one'")),
            // Line only, no secret.
            rep("app/b.env", Some(1), None),
            // Path only matches the binary key file, whatever the rest says.
            rep("certs/c.p12", None, Some("binary")),
            // A decoy.
            rep("app/e.py", Some(2), Some("changeme")),
            // Right file, wrong secret; right file, wrong line.
            rep("app/d.yml", Some(9), Some("something-else-entirely")),
            rep("app/a.py", Some(4), None),
            // A short fragment counts only on the planted line.
            rep("app/a.py", Some(3), Some("value")),
            rep("app/d.yml", Some(8), Some("four")),
        ];
        let s = evaluate(&labels(), &findings);
        assert_eq!((s.tp, s.fp, s.fn_), (3, 4, 1));
        assert_eq!(s.missed, vec!["four".to_owned()]);
        assert!((s.recall - 0.75).abs() < 1e-9);
        assert!((s.precision - 3.0 / 7.0).abs() < 1e-9);
        assert!(
            s.false_positives
                .iter()
                .any(|f| f.secret.as_deref() == Some("four"))
        );
        assert_eq!(s.per_family["alpha"].found, 2);
        assert!((s.per_family["beta"].recall - 0.5).abs() < 1e-9);
        assert_eq!(s.per_state["branch"].found, 0);
        assert_eq!(s.fp_on_decoys.get("placeholder"), Some(&1));
        assert_eq!(s.false_positives.len(), 4);
    }

    #[test]
    fn empty_findings_score_zero_recall_and_vacuous_precision() {
        let s = evaluate(&labels(), &[]);
        assert_eq!((s.tp, s.fp, s.fn_), (0, 0, 4));
        assert_eq!(s.recall, 0.0);
        assert_eq!(s.precision, 1.0);
        assert_eq!(normalize_path(".\\app\\a.py"), "app/a.py");
    }
}
