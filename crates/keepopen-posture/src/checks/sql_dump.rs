//! Whether a `.sql` file is a data dump. A dump tool's header or
//! `COPY … FROM stdin` says so; otherwise it takes rows of data: at least
//! [`MIN_ROWS`] rows inserted into one table that is not a lookup. Schema
//! scripts, migrations with a few seed rows and scripts that truncate and
//! reload lookup tables (code lists, types, reference data) are not dumps.
//! Personal data in any SQL file is the personal-data detector's to find.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// Rows into one table that make a script a dump rather than seed data.
pub(crate) const MIN_ROWS: usize = 20;

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(copy\s[^\n]*\bfrom\s+stdin\b|--\s*((mysql|mariadb|postgresql)\s+)?(database\s+)?dump\b)|pg_dump|mysqldump")
        .unwrap_or_else(|_| unreachable!())
});

static INSERT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\binsert\s+(?:ignore\s+)?into\s+((?:[`"\[]?[\w$]+[`"\]]?\.)?[`"\[]?[\w$]+[`"\]]?)"#,
    )
    .unwrap_or_else(|_| unreachable!())
});

static ROW_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\)\s*,\s*\(").unwrap_or_else(|_| unreachable!()));

/// Words in a table's name that make it a lookup or reference table.
const LOOKUP_WORDS: &[&str] = &[
    "lookup",
    "lkp",
    "lu_",
    "_lu",
    "ref_",
    "_ref",
    "reference",
    "code",
    "type",
    "dim_",
    "_dim",
    "status",
    "categor",
    "list",
    "enum",
    "config",
    "setting",
    "option",
    "countr",
    "region",
    "specialt",
    "unit",
    "translation",
    "locale",
    "language",
    "permission",
    "role",
    "migration",
    "version",
    "calendar",
    "date",
    // Publication pipelines' definitions: metric and measure codes with
    // their descriptions, indicator lists, code mappings.
    "metric",
    "measure",
    "indicator",
    "mapping",
];

fn is_lookup(table: &str) -> bool {
    let name = table
        .rsplit('.')
        .next()
        .unwrap_or(table)
        .trim_matches(['`', '"', '[', ']'])
        .to_ascii_lowercase();
    LOOKUP_WORDS.iter().any(|w| name.contains(w))
}

/// The line and a note when `text` looks like a dump, else `None`.
pub(crate) fn dump(text: &str) -> Option<(u32, String)> {
    if let Some(m) = HEADER.find(text) {
        return Some((
            line_at(text, m.start()),
            "SQL file that looks like a data dump (a dump tool's header or COPY … FROM stdin)"
                .to_string(),
        ));
    }
    let starts: Vec<(usize, usize, &str)> = INSERT
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            Some((m.start(), m.end(), c.get(1)?.as_str()))
        })
        .collect();
    // Rows and the first line per table, counted in one pass. Only rows of
    // values count: `INSERT … SELECT` copies rows the database holds
    // (an aggregation step of a pipeline), it does not publish them.
    let mut tables: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, (start, after, table)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |(next, ..)| *next);
        if !inserts_values(&text[*after..end]) {
            continue;
        }
        let rows = 1 + ROW_BREAK.find_iter(&text[*start..end]).count();
        let entry = tables.entry(table).or_insert((0, *start));
        entry.0 += rows;
    }
    let (table, (rows, at)) = tables
        .into_iter()
        .filter(|(t, (rows, _))| *rows >= MIN_ROWS && !is_lookup(t))
        .max_by_key(|(_, (rows, at))| (*rows, std::cmp::Reverse(*at)))?;
    Some((
        line_at(text, at),
        format!("SQL file that looks like a data dump ({rows} rows inserted into {table})"),
    ))
}

/// Whether what follows `INSERT INTO table` is rows of values: an
/// optional column list, then `VALUES` (or MySQL's `VALUE`, or `SET`).
fn inserts_values(rest: &str) -> bool {
    let mut rest = rest.trim_start();
    if rest.starts_with('(') {
        let Some(close) = rest.find(')') else {
            return false;
        };
        rest = rest[close + 1..].trim_start();
    }
    let word: String = rest
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(word.as_str(), "values" | "value" | "set")
}

fn line_at(text: &str, offset: usize) -> u32 {
    let n = text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(table: &str, n: usize, multi: bool) -> String {
        if multi {
            let values: Vec<String> = (0..n).map(|i| format!("({i}, 'v{i}')")).collect();
            format!(
                "INSERT INTO {table} (id, v) VALUES\n{};\n",
                values.join(",\n")
            )
        } else {
            (0..n)
                .map(|i| format!("INSERT INTO {table} VALUES ({i}, 'v{i}');\n"))
                .collect()
        }
    }

    #[test]
    fn dump_headers_and_copy_are_dumps_at_their_line() {
        assert_eq!(dump("-- MySQL dump 10.13\n").map(|d| d.0), Some(1));
        assert_eq!(dump("-- PostgreSQL database dump\n").map(|d| d.0), Some(1));
        assert_eq!(
            dump("SET x;\n\nCOPY public.users (id) FROM stdin;\n").map(|d| d.0),
            Some(3)
        );
    }

    #[test]
    fn many_rows_into_a_data_table_are_a_dump_in_either_insert_style() {
        for multi in [false, true] {
            let text = format!(
                "CREATE TABLE visits (id int);\n{}",
                rows("`app`.`visits`", 25, multi)
            );
            let (line, note) = dump(&text).expect("a dump");
            assert_eq!(line, 2);
            assert!(
                note.contains("25 rows inserted into `app`.`visits`"),
                "{note}"
            );
        }
    }

    #[test]
    fn schema_seed_rows_and_reloaded_lookups_are_not_dumps() {
        let schema =
            "CREATE TABLE patient (id int, name text);\nALTER TABLE patient ADD COLUMN x int;\n";
        assert_eq!(dump(schema), None);
        let seed = format!("{schema}{}", rows("patient_status", 3, false));
        assert_eq!(dump(&seed), None, "a few seed rows");
        let few = rows("users", MIN_ROWS - 1, true);
        assert_eq!(dump(&few), None, "under the threshold");
        let reload = format!(
            "TRUNCATE TABLE ref_practice;\n{}TRUNCATE lkp_ccg;\n{}DELETE FROM appointment_type;\n{}",
            rows("ref_practice", 500, true),
            rows("lkp_ccg", 200, false),
            rows("dbo.[appointment_type]", 60, true),
        );
        let definitions = format!(
            "TRUNCATE TABLE $db_output.cyp_ed_wt_metric_values;\n{}",
            rows("$db_output.cyp_ed_wt_metric_values", 57, true)
        );
        assert_eq!(dump(&definitions), None, "a publication's metric codes");
        assert_eq!(dump(&reload), None, "truncate and reload lookup tables");
    }

    #[test]
    fn insert_select_copies_rows_and_is_not_a_dump() {
        let step = "-- Databricks notebook source\nINSERT INTO $personal_db.Perinatal\nSELECT org, COUNT(DISTINCT person_id), (a), (b)\nFROM $db.referrals GROUP BY org;\n";
        assert_eq!(dump(&step.repeat(30)), None);
        let with_columns =
            "INSERT INTO visits (org, n)\n  SELECT org, COUNT(*) FROM raw GROUP BY org;\n";
        assert_eq!(dump(&with_columns.repeat(30)), None);
        // Rows of values after a column list, in MySQL's SET form too.
        assert!(dump(&rows("visits", 25, true)).is_some());
        let set: String = (0..25)
            .map(|i| format!("INSERT INTO visits SET id = {i}, v = 'x';\n"))
            .collect();
        assert!(dump(&set).is_some());
    }

    #[test]
    fn a_data_table_among_lookups_is_still_found() {
        let text = format!(
            "{}{}",
            rows("country_codes", 300, true),
            rows("referrals", 40, false)
        );
        let (_, note) = dump(&text).expect("a dump");
        assert!(note.contains("40 rows inserted into referrals"), "{note}");
    }
}
