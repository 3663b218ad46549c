//! Patient-level clinical records with no direct identifier, known by their
//! shape. Pseudonymised health data is still personal data (UK GDPR recital
//! 26) and special-category data: a committed analysis output with one row
//! per test report (a pseudonym or report id, the lab and the requesting
//! organisation, dates, a variant in HGVS notation, free-text results) is
//! patient-level data even when no NHS number or name is in it.
//!
//! A table is such a record set when it has, in separate columns:
//! - a per-row key: a column named as an id, pseudonym or report number
//!   whose values are (almost) all different, or values shaped like
//!   pseudonyms (long hex, UUIDs);
//! - clinical content: SNOMED CT, ICD-10 or OPCS-4 codes that repeat from
//!   row to row (in a code list every code is different), variant
//!   nomenclature (HGVS `c.`/`p.`), or a results, diagnosis or clinical-note
//!   column of text;
//! - and something about each event: varied dates, provider or
//!   organisation codes (ODS), or sex.
//!
//! Lookup tables and code lists (no repeating codes, no key beside the
//! code), aggregates (no per-row key) and mapping tables with a constant
//! effective date do not match.

use std::collections::HashSet;
use std::sync::LazyLock;

use keepopen_findings::{Confidence, Match, Severity};
use regex::Regex;

use crate::ids::date;
use crate::rules;
use crate::table::Table;
use crate::table::columns::squash;
use crate::table::judge::shown_name;

/// Fewer rows than this are an example, not an extract.
pub const MIN_ROWS: usize = 10;

static HGVS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s:(,;])(?:[cgmnr]\.[-*]?\d+(?:[+-]\d+)?(?:_[-*]?\d+(?:[+-]\d+)?)?(?:[ACGTacgtu]+>[ACGTacgtu]+|del|dup|ins|inv|=)|p\.\(?(?:[A-Z][a-z]{2}|[A-Z*])\d+)",
    )
    .unwrap_or_else(|_| unreachable!())
});

/// ICD-10 (`C50.9`, `E11`, `K35.8X`) and OPCS-4 (`H01.1`, `W37.1`) shapes.
static ICD_OPCS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][0-9]{2}(?:\.?[0-9]{1,2})?[X0-9A-D]?$").unwrap_or_else(|_| unreachable!())
});

/// ODS organisation and site codes (`RJ1`, `RYJ01`, `Y02344`, `A81001`).
static ODS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][A-Z0-9]{2}(?:[A-Z0-9]{2})?|[A-Z][0-9]{5}|[0-9][A-Z0-9]{2})$")
        .unwrap_or_else(|_| unreachable!())
});

static PSEUDONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9a-fA-F]{16,128}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")
        .unwrap_or_else(|_| unreachable!())
});

/// Words in a column name that make it a per-row key, if its values differ.
const KEY_WORDS: &[&str] = &[
    "pseudo",
    "token",
    "hash",
    "accession",
    "specimen",
    "sample",
    "participant",
    "report",
    "episode",
    "referral",
    "request",
    "encounter",
    "attendance",
    "spell",
    "admission",
    "patient",
    "person",
    "subject",
    "case",
    "record",
    "mrn",
    "hospitalno",
    "labno",
];

/// Words that make a column a code column, never a key.
const CODE_WORDS: &[&str] = &["code", "snomed", "sct", "icd", "opcs", "concept", "term"];

/// Words naming clinical content.
const CLINICAL_WORDS: &[&str] = &[
    "diagnos",
    "result",
    "finding",
    "interpret",
    "outcome",
    "conclusion",
    "clinicalnote",
    "comment",
    "variant",
    "mutation",
    "hgvs",
    "gene",
    "genotype",
    "phenotype",
    "pathogenic",
    "classification",
    "acmg",
    "histolog",
    "morpholog",
    "tumour",
    "tumor",
    "procedure",
    "medication",
    "drug",
    "allerg",
    "symptom",
    "condition",
    "disease",
    "indication",
    "snomed",
    "icd",
    "opcs",
    "observation",
];

const ORG_WORDS: &[&str] = &[
    "ods",
    "provider",
    "org",
    "trust",
    "lab",
    "site",
    "practice",
    "hospital",
    "ccg",
    "icb",
    "referrer",
    "referring",
    "requester",
    "requesting",
    "clinician",
    "consultant",
    "gmc",
];

/// What one column is, for this judgement.
#[derive(Default, Debug)]
struct Column {
    key: bool,
    /// The kind of clinical content, when the column holds some.
    clinical: Option<&'static str>,
    event_dates: bool,
    org: bool,
    sex: bool,
}

/// The finding for `table`, if its rows are clinical records about people.
pub fn findings(table: &Table) -> Option<Match> {
    if table.rows.len() < MIN_ROWS {
        return None;
    }
    let columns: Vec<(usize, Column)> = (0..table.width()).map(|c| (c, column(table, c))).collect();
    let key = columns.iter().find(|(_, k)| k.key)?;
    let clinical: Vec<&(usize, Column)> = columns
        .iter()
        .filter(|(c, k)| k.clinical.is_some() && *c != key.0)
        .collect();
    if clinical.is_empty() {
        return None;
    }
    let event: Vec<&(usize, Column)> = columns
        .iter()
        .filter(|(c, k)| *c != key.0 && (k.event_dates || k.org || k.sex))
        .collect();
    if event.is_empty() {
        return None;
    }
    let name = |c: usize| {
        let n = table.name(c);
        if n.is_empty() {
            format!("column {}", c + 1)
        } else {
            shown_name(n)
        }
    };
    let mut parts = vec![format!("per-row key {}", name(key.0))];
    for (c, k) in &clinical {
        parts.push(format!(
            "{} ({})",
            name(*c),
            k.clinical.unwrap_or("clinical")
        ));
    }
    for (c, k) in &event {
        let what = if k.event_dates {
            "event dates"
        } else if k.org {
            "organisation codes"
        } else {
            "sex"
        };
        parts.push(format!("{} ({what})", name(*c)));
    }
    let origin = if table.origin.is_empty() {
        String::new()
    } else {
        format!("{}: ", table.origin)
    };
    let rule = &rules::CLINICAL_RECORDS;
    let first = table.rows.first().map_or(1, |r| r.line);
    Some(Match {
        remedy: None,
        rule: rule.id.to_string(),
        category: rule.category,
        severity: if table.hidden {
            Severity::Critical
        } else {
            rule.severity
        },
        confidence: if clinical.len() >= 2 || event.len() >= 2 {
            Confidence::High
        } else {
            Confidence::Medium
        },
        secret: String::new(),
        line: first,
        column: 1,
        context: format!(
            "{origin}{} rows of clinical records: {}",
            table.total_rows,
            parts.join(", ")
        ),
        detail: Some(format!(
            "{origin}{} rows, one per patient event, with no direct identifier: {}. Pseudonymised health data is still personal data, and special-category data",
            table.total_rows,
            parts.join(", ")
        )),
    })
}

fn column(table: &Table, c: usize) -> Column {
    let n = squash(table.name(c));
    let has = |ws: &[&str]| ws.iter().any(|w| n.contains(w));
    let values: Vec<&str> = table
        .column(c)
        .map(|(_, v)| v.trim())
        .filter(|v| {
            !v.is_empty()
                && !matches!(
                    v.to_ascii_lowercase().as_str(),
                    "null" | "na" | "n/a" | "none" | "-"
                )
        })
        .collect();
    let mut col = Column::default();
    if values.len() < MIN_ROWS {
        return col;
    }
    let share = |f: &dyn Fn(&str) -> bool| {
        values.iter().filter(|v| f(v)).count() as f64 / values.len() as f64
    };
    let distinct: HashSet<&str> = values.iter().copied().collect();
    let unique = distinct.len() as f64 / values.len() as f64;
    let is_code_name = has(CODE_WORDS);
    let key_named = !is_code_name
        && (has(KEY_WORDS)
            && (n.ends_with("id")
                || n.ends_with("key")
                || n.ends_with("no")
                || n.ends_with("number")
                || n.ends_with("ref")
                || has(&["pseudo", "token", "hash"]))
            || n == "id");
    let pseudonyms = share(&|v| PSEUDONYM.is_match(v)) >= 0.9;
    col.key = unique >= 0.95 && (key_named || pseudonyms);
    if col.key {
        return col;
    }
    let dates = share(&|v| {
        date::parse(v).is_some() || (n.contains("date") && date::parse_compact(v).is_some())
    });
    if dates >= 0.8 && !n.contains("birth") && !n.contains("dob") {
        // Effective dates of a code list are few; events are many.
        col.event_dates = distinct.len() >= 5.min(values.len() / 2);
        return col;
    }
    let repeats = unique < 0.9;
    if share(&|v| HGVS.is_match(v)) >= 0.3 {
        col.clinical = Some("variant nomenclature");
    } else if repeats
        && share(&|v| ICD_OPCS.is_match(v)) >= 0.6
        && (has(CLINICAL_WORDS) || is_code_name)
    {
        col.clinical = Some("ICD-10 or OPCS-4 codes");
    } else if repeats
        && (has(&["snomed", "sct", "concept"]))
        && share(&|v| v.len() >= 6 && v.len() <= 18 && v.bytes().all(|b| b.is_ascii_digit())) >= 0.8
    {
        col.clinical = Some("SNOMED CT codes");
    } else if has(CLINICAL_WORDS)
        && !is_code_name
        && share(&|v| v.chars().any(char::is_alphabetic) && v.parse::<f64>().is_err()) >= 0.6
    {
        col.clinical = Some("clinical text");
    } else if has(ORG_WORDS) && share(&|v| ODS.is_match(v)) >= 0.8 {
        col.org = true;
    } else if has(&["sex", "gender"])
        && share(&|v| {
            matches!(
                v.to_ascii_lowercase().as_str(),
                "m" | "f" | "male" | "female" | "1" | "2" | "0" | "9" | "u" | "unknown" | "x"
            )
        }) >= 0.9
    {
        col.sex = true;
    }
    col
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(header: &[&str], rows: Vec<Vec<String>>) -> Table {
        let mut t = Table::new("", header.iter().map(|h| (*h).to_string()).collect());
        for (i, r) in rows.into_iter().enumerate() {
            t.push(i as u32 + 2, r);
        }
        t
    }

    const GENES: &[&str] = &["BRCA1", "BRCA2", "TP53", "MLH1", "PALB2"];
    const LABS: &[&str] = &["RJ1", "RGT", "R1K01", "RTD"];

    /// Per-patient genetic test reports: report id, lab, requester, dates,
    /// a variant in HGVS and a free-text result. No NHS number, no name.
    fn germline(n: usize) -> Table {
        let rows = (0..n)
            .map(|i| {
                vec![
                    format!("R{:06}", 100_000 + i * 7),
                    (if i % 2 == 0 { "F" } else { "M" }).to_string(),
                    LABS[i % LABS.len()].to_string(),
                    format!("2021-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                    GENES[i % GENES.len()].to_string(),
                    format!("c.{}{}>{}", 100 + i * 13, "G", "A"),
                    (if i % 3 == 0 {
                        "Pathogenic variant detected"
                    } else {
                        "No variant detected"
                    })
                    .to_string(),
                ]
            })
            .collect();
        table(
            &[
                "report_id",
                "sex",
                "lab_code",
                "date_reported",
                "gene",
                "variant",
                "result",
            ],
            rows,
        )
    }

    #[test]
    fn pseudonymised_genetic_reports_are_clinical_records() {
        let m = findings(&germline(40)).expect("clinical records");
        assert_eq!(m.rule, "clinical-records");
        assert_eq!(m.severity, Severity::High);
        for part in [
            "40 rows",
            "per-row key report_id",
            "variant (variant nomenclature)",
            "result (clinical text)",
            "date_reported (event dates)",
            "lab_code (organisation codes)",
        ] {
            assert!(m.context.contains(part), "{part}: {}", m.context);
        }
    }

    #[test]
    fn pseudonyms_key_coded_episodes() {
        let rows = (0..30)
            .map(|i| {
                vec![
                    format!("{:032x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15),
                    ["C50.9", "E11.9", "I21.0"][i % 3].to_string(),
                    ["H01.1", "W37.1", "K40.1"][i % 3].to_string(),
                    format!("{:02}/{:02}/2019", 1 + i % 28, 1 + i % 12),
                ]
            })
            .collect();
        let t = table(
            &[
                "pseudo_id",
                "primary_diagnosis",
                "main_procedure",
                "admidate",
            ],
            rows,
        );
        let m = findings(&t).expect("clinical records");
        assert!(
            m.context.contains("ICD-10 or OPCS-4 codes"),
            "{}",
            m.context
        );
    }

    #[test]
    fn code_lists_lookups_and_aggregates_are_not_records() {
        // A code list: every code different, a description, one effective date.
        let rows = (0..50)
            .map(|i| {
                vec![
                    format!("{}", i + 1),
                    format!("C{:02}.{}", i / 10, i % 10),
                    format!("Condition {i}"),
                    "2020-04-01".to_string(),
                ]
            })
            .collect();
        assert!(
            findings(&table(
                &["id", "icd10_code", "description", "effective_date"],
                rows
            ))
            .is_none()
        );
        // An aggregate: counts per lab and gene, no per-row key.
        let rows = (0..20)
            .map(|i| {
                vec![
                    LABS[i % 4].to_string(),
                    GENES[i % 5].to_string(),
                    format!("{}", 1 + i % 5),
                ]
            })
            .collect();
        assert!(findings(&table(&["lab_code", "gene", "n_pathogenic"], rows)).is_none());
        // A mapping table: repeated ICD codes, but no dates, organisations or sex.
        let rows = (0..30)
            .map(|i| {
                vec![
                    format!("{}", 1000 + i),
                    format!("{}", 22_298_006 + i * 11),
                    ["C50.9", "E11.9"][i % 2].to_string(),
                ]
            })
            .collect();
        assert!(findings(&table(&["map_id", "snomed_code", "icd10_code"], rows)).is_none());
        // Too few rows: an example.
        assert!(findings(&germline(MIN_ROWS - 1)).is_none());
    }

    #[test]
    fn the_key_must_be_distinct_and_separate_from_the_codes() {
        let mut t = germline(30);
        for (i, r) in t.rows.iter_mut().enumerate() {
            r.cells[0] = format!("R{:06}", i % 4);
        }
        assert!(findings(&t).is_none(), "report ids repeat: not a key");
    }
}
