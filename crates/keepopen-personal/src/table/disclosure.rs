//! Small-number suppression in published aggregates. NHS statistical
//! disclosure control for tables below national level (HES and ECDS, since
//! 2018) suppresses counts from 1 to 7 and rounds every other count to the
//! nearest 5. A count column holding an unsuppressed 1–7 can identify
//! someone: three admissions for a rare condition in one small area.

use crate::rules;
use crate::table::Table;
use crate::table::columns::squash;
use keepopen_findings::{Confidence, DigitThenCapital, Match};

/// Words that make a column a count, as whole words of its name.
const COUNT_WORDS: &[&str] = &[
    "count",
    "counts",
    "n",
    "num",
    "number",
    "numbers",
    "total",
    "totals",
    "patients",
    "people",
    "persons",
    "admissions",
    "attendances",
    "episodes",
    "spells",
    "referrals",
    "deaths",
    "cases",
    "appointments",
    "activity",
    "frequency",
    "freq",
    "contacts",
    "discharges",
    "births",
    "registrations",
    "admitted",
    "attended",
    "died",
    "individuals",
    "users",
    "clients",
    "visits",
    "procedures",
    "prescriptions",
    "encounters",
    "events",
    "denominator",
    "numerator",
    // Tests, variants and results per small group count people too: a
    // laboratory's three carriers of a rare pathogenic variant.
    "tests",
    "tested",
    "variants",
    "samples",
    "specimens",
    "diagnoses",
    "carriers",
    "probands",
    "families",
    "pathogenic",
    "positives",
    "positive",
    "detected",
    "screened",
    "participants",
    "respondents",
];

/// Things a count may count that are not people or their events: a
/// notebook's `num_views`, a sheet's `column_number`, a ward's beds.
const NOT_PEOPLE: &[&str] = &[
    "view",
    "views",
    "column",
    "columns",
    "col",
    "cols",
    "row",
    "rows",
    "page",
    "pages",
    "file",
    "files",
    "line",
    "lines",
    "word",
    "words",
    "character",
    "characters",
    "char",
    "chars",
    "byte",
    "bytes",
    "item",
    "items",
    "click",
    "clicks",
    "download",
    "downloads",
    "hit",
    "hits",
    "star",
    "stars",
    "fork",
    "forks",
    "commit",
    "commits",
    "field",
    "fields",
    "cell",
    "cells",
    "table",
    "tables",
    "sheet",
    "sheets",
    "step",
    "steps",
    "iteration",
    "iterations",
    "epoch",
    "epochs",
    "run",
    "runs",
    "attempt",
    "attempts",
    "error",
    "errors",
    "retry",
    "retries",
    "token",
    "tokens",
    "bed",
    "beds",
    "site",
    "sites",
    "practice",
    "practices",
    "trust",
    "trusts",
    "organisation",
    "organisations",
    "org",
    "orgs",
    "ward",
    "wards",
    "hospital",
    "hospitals",
    "provider",
    "providers",
    "area",
    "areas",
    "region",
    "regions",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "slide",
    "slides",
    "chapter",
    "chapters",
    "question",
    "questions",
    "figure",
    "figures",
    "plot",
    "plots",
    "layer",
    "layers",
    "node",
    "nodes",
    "thread",
    "threads",
    "core",
    "cores",
    "worker",
    "workers",
    "batch",
    "batches",
    "chunk",
    "chunks",
    "feature",
    "features",
    "tree",
    "trees",
    "bin",
    "bins",
    "cluster",
    "clusters",
];

/// Words that make a numeric column something other than a count.
const NOT_COUNT: &[&str] = &[
    "rate",
    "ratio",
    "percent",
    "percentage",
    "pct",
    "prop",
    "proportion",
    "mean",
    "median",
    "average",
    "avg",
    "sd",
    "ci",
    "lower",
    "upper",
    "cost",
    "per",
    "score",
    "age",
    "year",
    "id",
    "code",
    "month",
    "week",
    "day",
    "los",
    "length",
    "index",
    "rank",
    "version",
];

/// An aggregate is broken down by a few things (area, period, age band,
/// sex); more columns than this describe records.
const MAX_GROUPING_COLUMNS: usize = 8;

/// A column of identifiers: values unique to each row, long, with digits
/// (UUIDs, prescription ids). Area and organisation codes are short.
fn id_like(table: &Table, c: usize) -> bool {
    let values: Vec<&str> = table
        .column(c)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
        .collect();
    if values.len() < 5 {
        return false;
    }
    let distinct: std::collections::HashSet<&str> = values.iter().copied().collect();
    let long = values
        .iter()
        .filter(|v| {
            v.len() >= 8
                && v.bytes().any(|b| b.is_ascii_digit())
                && crate::ids::date::parse(v).is_none()
        })
        .count();
    distinct.len() * 10 >= values.len() * 9 && long * 10 >= values.len() * 8
}

/// Marks that mean a value was suppressed.
fn suppressed(cell: &str) -> bool {
    let c = cell.trim();
    matches!(
        c,
        "*" | "c"
            | "x"
            | "-"
            | ".."
            | "~"
            | "[c]"
            | "[x]"
            | "[z]"
            | ":"
            | "low"
            | "supp"
            | "suppressed"
    ) || c.starts_with('<')
        || c.eq_ignore_ascii_case("c")
}

/// Words of a column name: `n_admissions` → `n`, `admissions`;
/// `PatientCount` → `patient`, `count`. A digit does not end a hump
/// (`Year2020Count` is one word), as this detector has always split them;
/// splitting there would make more columns counts.
fn words(name: &str) -> Vec<String> {
    keepopen_findings::words(name, DigitThenCapital::Joins)
}

/// Is a column called `name` a count?
/// A count must count people or their events: `num_views` and
/// `column_number` are not counts; `no_of_tests` is.
pub fn count_name(name: &str) -> bool {
    let w = words(name);
    let of = w
        .windows(2)
        .any(|p| matches!(p[0].as_str(), "no" | "nr" | "nb") && p[1] == "of");
    (of || w.iter().any(|x| COUNT_WORDS.contains(&x.as_str())))
        && !w.iter().any(|x| NOT_COUNT.contains(&x.as_str()))
        && !w.iter().any(|x| NOT_PEOPLE.contains(&x.as_str()))
        && !squash(name).contains("nhs")
}

/// Unsuppressed counts from 1 to `threshold` in `table`'s count columns.
/// Tables of people (judged elsewhere) are not aggregates.
pub fn findings(table: &Table, threshold: u64, out: &mut dyn FnMut(Match)) {
    if table.rows.len() < 2 {
        return;
    }
    let rule = &rules::SMALL_NUMBER_UNSUPPRESSED;
    let width = table.width();
    // An aggregate below national level is broken down by something: at
    // least one column that is not a count.
    let counts: Vec<usize> = (0..width).filter(|&c| count_name(table.name(c))).collect();
    if counts.is_empty() || counts.len() == width {
        return;
    }
    // A record-level table (one row per prescription, per patient) has a
    // count-like attribute ("number of issues") but is no aggregate: it has
    // many columns, or a column of identifiers unique to each row.
    let others = width - counts.len();
    if others > MAX_GROUPING_COLUMNS
        || (0..width).any(|c| !counts.contains(&c) && id_like(table, c))
    {
        return;
    }
    for c in counts {
        let mut numeric = 0;
        let mut small: Vec<(u32, &str)> = Vec::new();
        let mut other = false;
        for (line, cell) in table.column(c) {
            let v = cell.trim();
            if v.is_empty() || suppressed(v) {
                continue;
            }
            let digits = v.replace(',', "");
            let n = digits.parse::<u64>().ok().or_else(|| {
                digits
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
                    .map(|f| f as u64)
            });
            match n {
                Some(n) => {
                    numeric += 1;
                    if (1..=threshold).contains(&n) {
                        small.push((line, v));
                    }
                }
                None => other = true,
            }
        }
        if other || numeric < 2 || small.is_empty() {
            continue;
        }
        let (line, first) = small[0];
        let lines: Vec<String> = small.iter().take(5).map(|(l, _)| l.to_string()).collect();
        let origin = if table.origin.is_empty() {
            String::new()
        } else {
            format!("{}, ", table.origin)
        };
        let name = crate::table::judge::shown_name(table.name(c));
        out(Match {
            remedy: None,
            rule: rule.id.to_string(),
            category: rule.category,
            severity: rule.severity,
            confidence: if small.len() > 1 {
                Confidence::High
            } else {
                Confidence::Medium
            },
            secret: first.to_string(),
            line,
            column: 1,
            context: format!(
                "{origin}column \"{name}\": {} of {numeric} counts between 1 and {threshold}",
                small.len()
            ),
            detail: Some(format!(
                "{origin}column \"{name}\": {} of {numeric} counts are between 1 and {threshold} (rows at {}{}); suppress them and round the other counts to the nearest 5",
                small.len(),
                lines.join(", "),
                if small.len() > 5 { ", …" } else { "" }
            )),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, &str)]) -> Table {
        let mut t = Table::new("", vec!["region".into(), "admissions".into()]);
        for (i, (a, b)) in rows.iter().enumerate() {
            t.push(i as u32 + 2, vec![a.to_string(), b.to_string()]);
        }
        t
    }

    fn run(t: &Table, threshold: u64) -> Vec<Match> {
        let mut out = Vec::new();
        findings(t, threshold, &mut |m| out.push(m));
        out
    }

    #[test]
    fn unsuppressed_small_counts_are_found_with_their_rows() {
        let ms = run(
            &table(&[
                ("North", "125"),
                ("South", "3"),
                ("East", "0"),
                ("West", "6"),
            ]),
            7,
        );
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].secret, "3");
        assert_eq!(ms[0].line, 3);
        assert!(
            ms[0]
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("2 of 4 counts")
        );
    }

    #[test]
    fn suppressed_and_rounded_tables_pass_and_the_threshold_is_configurable() {
        assert!(
            run(
                &table(&[
                    ("North", "125"),
                    ("South", "*"),
                    ("East", "<8"),
                    ("West", "10")
                ]),
                7
            )
            .is_empty()
        );
        assert_eq!(
            run(
                &table(&[("North", "125"), ("South", "9"), ("East", "20")]),
                10
            )
            .len(),
            1
        );
        assert!(
            run(
                &table(&[("North", "125"), ("South", "9"), ("East", "20")]),
                7
            )
            .is_empty()
        );
    }

    #[test]
    fn record_level_tables_are_not_aggregates() {
        let mut t = Table::new(
            "",
            vec!["prescription_id".into(), "number_of_issues".into()],
        );
        for i in 0..6 {
            t.push(i + 2, vec![format!("A1B2C3-{i:04}-ZZ"), "3".into()]);
        }
        assert!(run(&t, 7).is_empty());
        let header = (0..12)
            .map(|i| format!("field{i}"))
            .chain(["count".to_string()]);
        let mut wide = Table::new("", header.collect());
        let row = |v: &str| {
            (0..13)
                .map(|i| if i == 12 { v.to_string() } else { "x".into() })
                .collect()
        };
        wide.push(2, row("2"));
        wide.push(3, row("5"));
        assert!(run(&wide, 7).is_empty());
    }

    #[test]
    fn per_laboratory_counts_of_rare_variants_count_people_and_views_do_not() {
        let mut t = Table::new(
            "",
            vec![
                "lab_code".into(),
                "gene".into(),
                "pathogenic_variants".into(),
            ],
        );
        for (i, n) in ["3", "1", "12", "5", "2"].iter().enumerate() {
            t.push(
                i as u32 + 2,
                vec![format!("R{i}X"), "BRCA2".into(), n.to_string()],
            );
        }
        let ms = run(&t, 7);
        assert_eq!(ms.len(), 1);
        assert!(ms[0].context.contains("4 of 5 counts"), "{}", ms[0].context);
        let mut t = Table::new("", vec!["notebook".into(), "num_views".into()]);
        for (i, n) in ["3", "1", "2"].iter().enumerate() {
            t.push(i as u32 + 2, vec![format!("nb{i}"), n.to_string()]);
        }
        assert!(run(&t, 7).is_empty());
    }

    #[test]
    fn only_counts_are_counts() {
        assert!(count_name("n_admissions"));
        assert!(count_name("PatientCount"));
        assert!(count_name("Number of referrals"));
        assert!(!count_name("admission_rate"));
        assert!(!count_name("mean_los"));
        assert!(!count_name("nhs_number"));
        assert!(!count_name("region"));
        // What is counted must be people or their events.
        assert!(!count_name("num_views"));
        assert!(!count_name("view_number"));
        assert!(!count_name("column_number"));
        assert!(!count_name("NumberOfBeds"));
        assert!(!count_name("n_practices"));
        assert!(count_name("n_pathogenic"));
        assert!(count_name("pathogenic_variants"));
        assert!(count_name("no_of_tests"));
        assert!(count_name("Number of carriers"));
        assert!(count_name("tests"));
        // A model's or a query's `results` are not a count of anything.
        assert!(!count_name("results"));
        assert!(count_name("n_results"));
        assert!(!count_name("ward_no"));
    }
}
