//! Scores a scanner's personal-data findings against the labels.
//!
//! A finding matches a unit at the same path when its rule is the unit's
//! rule (or `patient-level-data`, for a table column) and its secret, with
//! spaces, hyphens and quotes removed, equals one of the unit's values.
//! Findings that match a required or optional unit are true positives;
//! those that match a lone unit are tallied apart; a decoy's value
//! reported under any rule it does not tolerate, or a
//! `small-number-unsuppressed` finding on a suppressed table, is a decoy
//! hit and a false positive; anything else is a false positive. Secret
//! findings are ignored, and file-level rules (`data-file`, ...) that
//! carry no value are only counted.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::labels::{Expect, PersonalLabels, Unit};

/// One finding as a scanner reports it (`keepopen scan --format json
/// --show-secrets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalReported {
    pub rule: String,
    #[serde(default)]
    pub category: Option<String>,
    pub path: String,
    #[serde(default)]
    pub line: Option<u32>,
    #[serde(default)]
    pub secret: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KindRecall {
    pub planted: usize,
    pub found: usize,
    pub recall: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Missed {
    pub id: String,
    pub kind: String,
    pub path: String,
    pub column: Option<String>,
    pub example: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecoyHit {
    pub unit: String,
    pub sort: String,
    pub finding: PersonalReported,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonalScore {
    /// Units of kind `nhs-number` (all in context) found.
    pub nhs_in_context: KindRecall,
    /// Every required unit (NHS, H&C, CHI, NI numbers, test-range numbers
    /// as the info rule, unsuppressed small numbers).
    pub required: KindRecall,
    /// Required and optional kinds.
    pub per_kind: BTreeMap<String, KindRecall>,
    /// Findings that match a required or optional unit.
    pub tp: usize,
    pub fp: usize,
    /// tp / (tp + fp) over personal-data and disclosure-control findings.
    pub precision: f64,
    /// Lone numbers (no context) found; not in recall or precision.
    pub lone: KindRecall,
    pub lone_findings: usize,
    /// Findings on decoy values (invalid checksums, phones, ...) and on
    /// suppressed aggregates, by decoy sort. The target is none.
    pub decoy_hits: BTreeMap<String, usize>,
    pub decoy_hits_total: usize,
    /// Test-range numbers reported as `nhs-number` (the target is none).
    pub test_range_as_nhs: usize,
    /// Findings of tolerated rules on decoys (a phone number as `phone-number`).
    pub tolerated: usize,
    /// Counted, not scored: rules about a whole file.
    pub file_level: BTreeMap<String, usize>,
    /// Secret findings, and findings outside the rules scored.
    pub ignored: usize,
    pub missed: Vec<Missed>,
    pub false_positives: Vec<PersonalReported>,
    pub decoy_findings: Vec<DecoyHit>,
}

/// Rules that describe a file, not a value.
pub const FILE_LEVEL: &[&str] = &[
    "data-file",
    "spreadsheet-hidden-sheet",
    "notebook-image-output",
];

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '"' | '\'' | '`'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn rate(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

fn holds(u: &Unit, secret: &str) -> bool {
    !secret.is_empty() && u.values.iter().any(|v| norm(v) == secret)
}

/// Scores every personal-data and disclosure-control finding.
pub fn evaluate_personal(labels: &PersonalLabels, reported: &[PersonalReported]) -> PersonalScore {
    evaluate_scoped(labels, reported, None)
}

/// Scores only the given rules: other findings are ignored, and required
/// or optional units of other rules are left out of recall. For comparing
/// with a scanner that knows fewer kinds.
pub fn evaluate_personal_rules(
    labels: &PersonalLabels,
    reported: &[PersonalReported],
    rules: &[&str],
) -> PersonalScore {
    evaluate_scoped(
        labels,
        reported,
        Some(&rules.iter().map(|r| (*r).to_owned()).collect()),
    )
}

fn evaluate_scoped(
    labels: &PersonalLabels,
    reported: &[PersonalReported],
    scope: Option<&BTreeSet<String>>,
) -> PersonalScore {
    let in_scope = |rule: &str| scope.is_none_or(|s| s.contains(rule));
    let units = &labels.units;
    let scored = |u: &Unit| match u.expect {
        Expect::Required | Expect::Optional => u.rule.as_deref().is_some_and(in_scope),
        Expect::Lone | Expect::Never => true,
    };
    // Every unit takes part in matching (a test-range number reported as
    // `nhs-number` is caught even when the info rule is out of scope); only
    // scored units count towards recall. A unit out of scope cannot be
    // found: findings of its rule are skipped.
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        by_path.entry(u.path.clone()).or_default().push(i);
    }
    let mut found = vec![false; units.len()];
    let mut s = PersonalScore::empty();
    for f in reported {
        if f.category.as_deref() == Some("secret") || !in_scope(&f.rule) {
            s.ignored += 1;
            continue;
        }
        if FILE_LEVEL.contains(&f.rule.as_str()) {
            *s.file_level.entry(f.rule.clone()).or_default() += 1;
            continue;
        }
        let secret = norm(f.secret.as_deref().unwrap_or_default());
        let path = crate::normalize_path(&f.path);
        let (mut positive, mut lone, mut tolerated, mut test_as_nhs) = (false, false, false, false);
        let mut hit: Option<&Unit> = None;
        for &i in by_path.get(&path).map(Vec::as_slice).unwrap_or_default() {
            let u = &units[i];
            match u.expect {
                Expect::Required | Expect::Optional => {
                    let rule_ok = u.rule.as_deref() == Some(f.rule.as_str())
                        || (f.rule == "patient-level-data" && u.column.is_some());
                    if holds(u, &secret) && rule_ok {
                        found[i] = true;
                        positive = true;
                    }
                    test_as_nhs |= u.kind == "nhs-number-test-range"
                        && f.rule == "nhs-number"
                        && holds(u, &secret);
                }
                Expect::Lone => {
                    if holds(u, &secret) {
                        found[i] = true;
                        lone = true;
                    }
                }
                Expect::Never => match &u.rule {
                    Some(r) if *r == f.rule => hit = Some(u),
                    Some(_) => {}
                    None if holds(u, &secret) => {
                        if u.tolerate.contains(&f.rule) {
                            tolerated = true;
                        } else {
                            hit = Some(u);
                        }
                    }
                    None => {}
                },
            }
        }
        if let Some(u) = hit {
            let sort = u.decoy.clone().unwrap_or_else(|| u.kind.clone());
            *s.decoy_hits.entry(sort.clone()).or_default() += 1;
            s.decoy_findings.push(DecoyHit {
                unit: u.id.clone(),
                sort,
                finding: f.clone(),
            });
            s.false_positives.push(f.clone());
        } else if test_as_nhs {
            s.test_range_as_nhs += 1;
            s.false_positives.push(f.clone());
        } else if positive {
            s.tp += 1;
        } else if lone {
            s.lone_findings += 1;
        } else if tolerated {
            s.tolerated += 1;
        } else {
            s.false_positives.push(f.clone());
        }
    }
    for (u, &f) in units.iter().zip(&found) {
        if !scored(u) {
            continue;
        }
        let entry = match u.expect {
            Expect::Required | Expect::Optional => s.per_kind.entry(u.kind.clone()).or_default(),
            Expect::Lone => &mut s.lone,
            Expect::Never => continue,
        };
        entry.planted += 1;
        entry.found += usize::from(f);
        if u.expect == Expect::Required {
            s.required.planted += 1;
            s.required.found += usize::from(f);
            if !f {
                s.missed.push(Missed {
                    id: u.id.clone(),
                    kind: u.kind.clone(),
                    path: u.path.clone(),
                    column: u.column.clone(),
                    example: u.values.first().cloned(),
                });
            }
        }
    }
    s.nhs_in_context = s.per_kind.get("nhs-number").cloned().unwrap_or_default();
    for k in s
        .per_kind
        .values_mut()
        .chain([&mut s.lone, &mut s.required, &mut s.nhs_in_context])
    {
        k.recall = rate(k.found, k.planted);
    }
    s.fp = s.false_positives.len();
    s.precision = rate(s.tp, s.tp + s.fp);
    s.decoy_hits_total = s.decoy_findings.len();
    s
}

impl PersonalScore {
    fn empty() -> PersonalScore {
        PersonalScore {
            nhs_in_context: KindRecall::default(),
            required: KindRecall::default(),
            per_kind: BTreeMap::new(),
            tp: 0,
            fp: 0,
            precision: 1.0,
            lone: KindRecall::default(),
            lone_findings: 0,
            decoy_hits: BTreeMap::new(),
            decoy_hits_total: 0,
            test_range_as_nhs: 0,
            tolerated: 0,
            file_level: BTreeMap::new(),
            ignored: 0,
            missed: Vec::new(),
            false_positives: Vec::new(),
            decoy_findings: Vec::new(),
        }
    }

    /// Test-range numbers reported as the informational rule, of those planted.
    pub fn test_range_as_info(&self) -> KindRecall {
        self.per_kind
            .get("nhs-number-test-range")
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::personal::labels::expectation;

    fn unit(id: &str, kind: &str, path: &str, values: &[&str]) -> Unit {
        let (expect, rule) = expectation(kind);
        Unit {
            id: id.into(),
            kind: kind.into(),
            expect,
            rule: rule.map(String::from),
            path: path.into(),
            context: "csv".into(),
            column: Some("c".into()),
            decoy: (kind == "decoy").then(|| "invalid-checksum".into()),
            values: values.iter().map(|v| (*v).into()).collect(),
            tolerate: Vec::new(),
            line: None,
        }
    }

    fn rep(rule: &str, path: &str, secret: &str) -> PersonalReported {
        PersonalReported {
            rule: rule.into(),
            category: Some("personal-data".into()),
            path: path.into(),
            line: Some(2),
            secret: Some(secret.into()),
        }
    }

    fn labels() -> PersonalLabels {
        PersonalLabels {
            version: 1,
            seed: 0,
            units: vec![
                unit(
                    "nhs-1",
                    "nhs-number",
                    "a.csv",
                    &[concat!("401 023 ", "2137"), concat!("40102", "32145")],
                ),
                unit("nhs-2", "nhs-number", "b.csv", &["6000000001"]),
                unit("pc-1", "postcode", "a.csv", &["LS1 4AP"]),
                unit(
                    "test-1",
                    "nhs-number-test-range",
                    "t.py",
                    &[concat!("99900", "00026")],
                ),
                unit("decoy-1", "decoy", "a.csv", &["4010232138"]),
                unit(
                    "lone-1",
                    "nhs-number-lone",
                    "k.ts",
                    &[concat!("40102", "32137")],
                ),
                unit("agg-1", "decoy-aggregate", "p.csv", &["*"]),
                unit("small-1", "small-number-unsuppressed", "q.csv", &["3", "5"]),
            ],
        }
    }

    #[test]
    fn scores_units_decoys_lone_and_test_range() {
        let mut secret = rep("github-token", "a.csv", "x");
        secret.category = Some("secret".into());
        let findings = vec![
            rep("nhs-number", "a.csv", concat!("40102", "32137")), // spaces removed
            rep("patient-level-data", "a.csv", "LS14AP"),
            rep("nhs-number", "a.csv", "4010232138"), // decoy
            rep("nhs-number-test-range", "t.py", concat!("999-000-", "0026")),
            rep("nhs-number", "t.py", concat!("99900", "00026")), // test range as real
            rep("nhs-number", "k.ts", concat!("40102", "32137")), // lone
            rep("small-number-unsuppressed", "p.csv", "*"),
            rep("small-number-unsuppressed", "q.csv", "3"),
            rep("data-file", "q.csv", ""),
            rep("email-address", "z.py", "someone@nhs.net"),
            secret,
        ];
        let s = evaluate_personal(&labels(), &findings);
        assert_eq!((s.tp, s.fp), (4, 4), "{s}");
        assert!((s.nhs_in_context.recall - 0.5).abs() < 1e-9);
        assert_eq!(s.missed.len(), 1);
        assert_eq!(s.missed[0].id, "nhs-2");
        assert_eq!(s.per_kind["postcode"].found, 1);
        assert_eq!(s.decoy_hits.get("invalid-checksum"), Some(&1));
        assert_eq!(s.decoy_hits.get("decoy-aggregate"), Some(&1));
        assert_eq!(s.test_range_as_nhs, 1);
        assert_eq!(s.test_range_as_info().found, 1);
        assert_eq!((s.lone.found, s.lone_findings), (1, 1));
        assert_eq!(s.file_level.get("data-file"), Some(&1));
        assert_eq!(s.ignored, 1);
        assert!(s.to_string().contains("missed (1)"));
    }

    #[test]
    fn rule_scope_leaves_other_kinds_out() {
        let findings = vec![
            rep("nhs-number", "b.csv", "6000000001"),
            rep("postcode", "a.csv", "LS1 4AP"),
        ];
        let mut findings = findings;
        findings.push(rep("nhs-number", "t.py", concat!("99900", "00026")));
        let s = evaluate_personal_rules(&labels(), &findings, &["nhs-number"]);
        assert_eq!((s.tp, s.fp, s.ignored), (1, 1, 1));
        assert_eq!(s.test_range_as_nhs, 1);
        assert!(!s.per_kind.contains_key("nhs-number-test-range"));
        assert!(!s.per_kind.contains_key("postcode"));
        assert_eq!(s.required.planted, 2);
    }
}
