//! The [`PersonalData`] detector: each piece of content goes to the reader
//! its bytes call for (workbook, document, data file, notebook, HTML, JSON
//! records, SQL inserts, a delimited table) and then, whatever it was, to
//! the free text search, so that a number in a comment beside a table is
//! found too. A value already judged as part of a table column is not
//! reported again on its own.

use crate::formats::{
    Extracted, datafile, delimited, document, html, notebook, records, spreadsheet, sql,
};
use crate::route::{Route, TextForm, route, text_form};
use crate::rules;
use crate::table::{Table, clinical, disclosure, judge};

/// Rules that describe a whole table as rows about people.
const TABLE_LEVEL: &[&str] = &[
    rules::PATIENT_LEVEL_DATA.id,
    rules::SYNTHETIC_PATIENT_DATA.id,
    rules::PEOPLE_CONTACT_LIST.id,
];
use crate::text::{self, Id};
use keepopen_content::lines::Lines;
use keepopen_content::{Content, Detector, Needs, Out, PathRules, Reads, ignore};
use keepopen_findings::{Confidence, Match, Severity, redact_personal};
use std::collections::HashSet;

/// What a team can set for this detector.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Counts from 1 to this are small numbers that must be suppressed.
    pub suppression_threshold: u64,
    /// Rule ids not to report.
    pub disabled: HashSet<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            suppression_threshold: 7,
            disabled: HashSet::new(),
        }
    }
}

/// At most this many free-text findings of one rule in one file: past it,
/// the file is an extract in all but name and the count says enough.
const MAX_TEXT_FINDINGS: usize = 100;

/// Free text with at least this many ten-digit numbers, most of them
/// failing the check, is a list of other numbers; the few that pass do so
/// by chance unless words around them say otherwise.
const RANDOM_LIST: usize = 10;

pub struct PersonalData {
    settings: Settings,
}

impl PersonalData {
    pub fn new(settings: Settings) -> Self {
        PersonalData { settings }
    }

    /// Judges the tables and texts a reader found. A text value is left to
    /// its table only when the table was reported: a document's form (a
    /// two-column table of labels and values) is no extract, and its NHS
    /// number is found as text.
    fn extracted(&self, data: &[u8], x: &Extracted, out: &mut Vec<Match>) {
        let lines = Lines::new(data);
        let mut judged = Vec::new();
        for t in &x.tables {
            let before = out.len();
            self.table(t, &lines, out);
            let personal = out.len() > before;
            if t.hidden && !t.rows.is_empty() {
                out.push(hidden_sheet(t, personal));
            }
            if personal {
                judged.push(t);
            }
        }
        let cells = cell_values(judged);
        for t in &x.texts {
            let found = text::find(t.text.as_bytes());
            let mut local = Vec::new();
            self.text_hits(t.text.as_bytes(), &found, &cells, &mut local);
            for mut m in local {
                m.context = match t.place(m.line) {
                    // A document's line is its paragraph: kept, and named.
                    Some(place) => format!("{place}: {}", m.context),
                    None => {
                        m.line = lines.find(&m.secret).unwrap_or(1);
                        format!("{}: {}", t.origin, m.context)
                    }
                };
                m.column = 1;
                out.push(m);
            }
        }
        if let Some(first) = x.images.first() {
            let rule = &rules::NOTEBOOK_IMAGE_OUTPUT;
            let line = lines.find("\"image/").unwrap_or(1);
            let shown: Vec<&str> = x.images.iter().take(5).map(String::as_str).collect();
            out.push(Match {
                remedy: None,
                rule: rule.id.into(),
                category: rule.category,
                severity: rule.severity,
                confidence: Confidence::Low,
                secret: String::new(),
                line,
                column: 1,
                context: format!(
                    "{} image output{} kept, first in {first}",
                    x.images.len(),
                    if x.images.len() == 1 { "" } else { "s" }
                ),
                detail: Some(format!(
                    "output present: {}{}",
                    shown.join(", "),
                    if x.images.len() > 5 { ", …" } else { "" }
                )),
            });
        }
    }

    /// One table's findings; rows with no line are located by their value.
    fn table(&self, t: &Table, lines: &Lines<'_>, out: &mut Vec<Match>) {
        let mut found = Vec::new();
        let mut personal = judge::findings(t, &mut |m| found.push(m));
        // Rows about people that no identifier gave away: pseudonymised
        // clinical records, known by their shape.
        if !found.iter().any(|m| TABLE_LEVEL.contains(&m.rule.as_str()))
            && let Some(m) = clinical::findings(t)
        {
            found.push(m);
            personal = true;
        }
        if !personal {
            disclosure::findings(t, self.settings.suppression_threshold, &mut |m| {
                found.push(m)
            });
        }
        for mut m in found {
            if m.line == 0 {
                m.line = lines.find(&m.secret).unwrap_or(1);
            }
            out.push(m);
        }
    }

    /// Free-text hits as matches, with lines, redacted context lines and
    /// ignore comments applied.
    fn text_hits(
        &self,
        data: &[u8],
        found: &text::Found,
        skip: &HashSet<String>,
        out: &mut Vec<Match>,
    ) {
        let health = found
            .hits
            .iter()
            .filter(|h| matches!(h.id, Id::Health(_)))
            .count();
        let random_list =
            found.ten_digit_numbers >= RANDOM_LIST && health * 2 < found.ten_digit_numbers;
        let lines = Lines::new(data);
        let values: Vec<&str> = found
            .hits
            .iter()
            .map(|h| std::str::from_utf8(&data[h.start..h.end]).unwrap_or(""))
            .collect();
        let mut per_rule: std::collections::HashMap<&str, usize> = Default::default();
        for (h, value) in found.hits.iter().zip(&values) {
            if skip.contains(&unspaced(value)) || (random_list && !h.context) {
                continue;
            }
            let rule = match h.id {
                Id::Health(k) => k.rule(),
                Id::NationalInsurance => &rules::NATIONAL_INSURANCE_NUMBER,
            };
            let n = per_rule.entry(rule.id).or_default();
            *n += 1;
            if *n > MAX_TEXT_FINDINGS {
                continue;
            }
            let (line, column) = lines.position(h.start);
            let text = lines.line(line);
            if ignore::ignores(text, rule.id)
                || (line > 1 && ignore::comment_ignores(lines.line(line - 1), rule.id))
            {
                continue;
            }
            let mut context = String::from_utf8_lossy(&text[..text.len().min(400)])
                .trim()
                .to_string();
            for v in &values {
                if !v.is_empty() {
                    context = context.replace(v, &redact_personal(v));
                }
            }
            let (severity, confidence) = match (rule.severity, h.context) {
                (Severity::Info, _) => (
                    Severity::Info,
                    if h.context {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    },
                ),
                (s, true) => (s, Confidence::High),
                (_, false) => (Severity::Low, Confidence::Low),
            };
            // An API specification's example value: a published test
            // patient, or one that should be.
            let example = example_value(text);
            out.push(Match {
                remedy: None,
                rule: rule.id.into(),
                category: rule.category,
                severity: if example { severity.min(Severity::Low) } else { severity },
                confidence,
                secret: value.to_string(),
                line,
                column,
                context: context.chars().take(240).collect(),
                detail: example.then(|| {
                    "the example value of an API specification or schema: confirm it is a published test patient (the 999 range, or the PDS sandbox's), not a real one".to_string()
                }),
            });
        }
    }
}

/// Whether `line` gives an example value in an OpenAPI or JSON Schema
/// document, on the key's own line: `example: "…"`, `"example": …`,
/// `x-example:`, `examples: […]`.
fn example_value(line: &[u8]) -> bool {
    let t = String::from_utf8_lossy(line);
    let t = t
        .trim_start()
        .trim_start_matches("- ")
        .trim_start_matches(['"', '\'']);
    ["example", "x-example", "examples"].iter().any(|k| {
        t.strip_prefix(k).is_some_and(|rest| {
            rest.trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        })
    })
}

/// A `data-file` match: by its bytes (with its size), or by its name alone
/// for a file in history whose bytes were not recognised.
fn data_file(kind: &str, size: Option<usize>) -> Match {
    let rule = &rules::DATA_FILE;
    let (severity, size_text) = match size {
        Some(n) => (datafile::severity(n), datafile::size_text(n)),
        // Known by name alone: as for a file of a few kilobytes to 1 MiB.
        None => (Severity::Medium, "unknown size".to_string()),
    };
    Match {
        remedy: None,
        rule: rule.id.into(),
        category: rule.category,
        severity,
        confidence: if size.is_some() {
            Confidence::High
        } else {
            Confidence::Medium
        },
        secret: String::new(),
        line: 0,
        column: 0,
        context: format!("{kind}, {size_text}"),
        detail: Some(format!(
            "a {kind} ({size_text}) cannot be checked for personal data; publish the code that makes it, not the data"
        )),
    }
}

/// A value with its spaces and hyphens removed, to compare a number in a
/// comment with the same number in a table.
fn unspaced(v: &str) -> String {
    v.chars().filter(|c| !matches!(c, ' ' | '-')).collect()
}

fn cell_values<'a>(tables: impl IntoIterator<Item = &'a Table>) -> HashSet<String> {
    tables
        .into_iter()
        .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter()))
        .filter(|c| c.len() >= 9)
        .map(|c| unspaced(c))
        .collect()
}

fn hidden_sheet(t: &Table, personal: bool) -> Match {
    let rule = &rules::SPREADSHEET_HIDDEN_SHEET;
    Match {
        remedy: None,
        rule: rule.id.into(),
        category: rule.category,
        severity: if personal {
            Severity::High
        } else {
            rule.severity
        },
        confidence: Confidence::High,
        secret: t.origin.clone(),
        line: t.rows.first().map_or(1, |r| r.line),
        column: 1,
        context: format!(
            "hidden {}: {} rows, {} columns",
            t.origin,
            t.total_rows,
            t.width()
        ),
        detail: Some(format!(
            "hidden {} holds {} rows{}; unhide and check it, or delete it before publishing",
            t.origin,
            t.total_rows,
            if personal { " of personal data" } else { "" }
        )),
    }
}

impl Detector for PersonalData {
    fn name(&self) -> &'static str {
        "the personal-data detector"
    }

    fn needs(&self) -> Needs<'_> {
        Needs {
            reads: Reads::Everything,
            paths: Some(self),
        }
    }

    fn detect(&self, content: &Content<'_>, out: &mut Out) {
        let data = content.data;
        let mut ms = Vec::new();
        match route(content) {
            Route::Text(text) => self.text(&text, &mut ms, &mut |t| out.trouble(t)),
            Route::Notebook(text) => match notebook::read(&text) {
                Ok(x) => self.extracted(&text, &x, &mut ms),
                Err(e) => {
                    // Still scanned, cell structure aside: say so.
                    out.trouble(format!("{e}; its text was scanned as plain text instead"));
                    self.free_text(&text, &[], &mut ms);
                }
            },
            Route::Workbook(kind) => match spreadsheet::read_as(data, Some(kind)) {
                Ok(x) => self.extracted(data, &x, &mut ms),
                Err(e) => out.trouble(e.to_string()),
            },
            Route::Document(kind) => match document::read_as(data, Some(kind)) {
                Ok(x) => self.extracted(data, &x, &mut ms),
                Err(e) => out.trouble(e.to_string()),
            },
            Route::DataFile(kind) => ms.push(data_file(kind, Some(data.len()))),
            Route::Skip => {}
        }
        let mut seen = HashSet::new();
        for m in ms {
            if !self.settings.disabled.contains(&m.rule)
                && seen.insert((m.rule.clone(), m.secret.clone(), m.line))
            {
                out.found(m);
            }
        }
    }
}

/// Data files by name, and their severity by name.
impl PathRules for PersonalData {
    fn at_path(&self, mut m: Match, path: &str) -> Option<Match> {
        if m.rule == rules::DATA_FILE.id && datafile::ide_cache(path) {
            m.severity = Severity::Info;
            if let Some(detail) = &mut m.detail {
                detail.push_str("; it is an IDE's cache of the code (Visual Studio's .vs, JetBrains' .idea), not data about people: remove it and ignore the folder");
            }
        } else if m.rule == rules::DATA_FILE.id {
            m.severity = datafile::by_name(m.severity, path);
            if m.severity == Severity::Info
                && let Some(detail) = &mut m.detail
            {
                detail.push_str(
                    "; neither its name nor its size suggests records about people, so it is a review item, not a leak",
                );
            }
        }
        Some(m)
    }

    fn by_name(&self, path: &str, out: &mut dyn FnMut(Match)) {
        if let Some(kind) = datafile::by_extension(path)
            && !self.settings.disabled.contains(rules::DATA_FILE.id)
        {
            out(data_file(kind, None));
        }
    }

    fn may_match_name(&self, name: &[u8]) -> bool {
        datafile::may_be_named(name)
    }
}

impl PersonalData {
    /// Text content: a notebook, a page, records, inserts, a delimited
    /// table, and in every case free text.
    /// A text: its form's reader (a page, records, inserts, a delimited
    /// table), and in every case its free text.
    fn text(&self, data: &[u8], ms: &mut Vec<Match>, trouble: &mut dyn FnMut(String)) {
        let found = text::find(data);
        let tables = match text_form(data, &found) {
            TextForm::Plain => Vec::new(),
            TextForm::Html => html::tables_with_lines(&String::from_utf8_lossy(data), ""),
            TextForm::Records => match records::read(data) {
                Ok(t) => t.into_iter().collect(),
                Err(e) => {
                    trouble(format!(
                        "its JSON records reader could not parse it ({e}); its free text was still searched"
                    ));
                    Vec::new()
                }
            },
            TextForm::Sql => sql::read(data),
            TextForm::Delimited(d) => vec![delimited::read(data, d)],
        };
        let lines = Lines::new(data);
        for t in &tables {
            self.table(t, &lines, ms);
        }
        if !found.hits.is_empty() {
            self.text_hits(data, &found, &cell_values(&tables), ms);
        }
    }

    fn free_text(&self, data: &[u8], tables: &[Table], out: &mut Vec<Match>) {
        let found = text::find(data);
        if found.hits.is_empty() {
            return;
        }
        let cells = cell_values(tables);
        self.text_hits(data, &found, &cells, out);
    }
}

#[cfg(test)]
mod example_tests {
    use super::example_value;

    #[test]
    fn api_examples_are_known_by_their_key() {
        for line in [
            "example: \"x\"",
            "  \"example\": \"x\",",
            "- example: /Patient/x",
            "x-example: 1",
        ] {
            assert!(example_value(line.as_bytes()), "{line}");
        }
        for line in [
            "nhs_number: x",
            "counterexample: x",
            "# for example: x",
            "value: x",
        ] {
            assert!(!example_value(line.as_bytes()), "{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(data: &[u8]) -> Vec<Match> {
        PersonalData::new(Settings::default())
            .look_at(&Content::new(data, None))
            .matches
    }

    #[test]
    fn a_utf16_export_is_read_as_text() {
        let n = crate::ids::nhs::example(612_345_001);
        let text = format!("nhs_number\tdob\tpostcode\r\n{n}\t1984-03-12\tLS1 4AP\r\n");
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for data in [le, be] {
            let rules: Vec<String> = scan(&data).into_iter().map(|m| m.rule).collect();
            assert!(
                rules.contains(&"patient-level-data".to_string()),
                "{rules:?}"
            );
        }
    }

    fn notebook_printing(text: &str) -> Vec<u8> {
        let nb = serde_json::json!({"cells": [{"cell_type": "code", "source": "print(ids)",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [text, "\n"]}]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
        serde_json::to_vec(&nb).expect("serialises")
    }

    fn unspaced_secrets(ms: &[Match]) -> Vec<String> {
        let mut s: Vec<String> = ms.iter().map(|m| unspaced(&m.secret)).collect();
        s.sort();
        s
    }

    /// Issue 11: comma-delimited NHS numbers in a notebook's printed output
    /// (and in plain text) were read as one long number and not found.
    #[test]
    fn comma_delimited_numbers_in_a_notebook_stream_are_found() {
        let (a, b) = (
            crate::ids::nhs::example(612_345_001),
            crate::ids::nhs::example(401_023_213),
        );
        let sp = |n: &str| format!("{} {} {}", &n[..3], &n[3..6], &n[6..]);
        let mut want = vec![a.clone(), b.clone()];
        want.sort();
        for text in [
            format!("{},{}", sp(&a), sp(&b)),
            format!("{a},{b}"),
            format!("{a}, {b}"),
            format!("['{a}','{b}']"),
            format!("['{a}', '{b}']"),
            format!("      nhs_numbers\n0  {a},{b}\n1  {b},{a}"),
        ] {
            let nb = scan(&notebook_printing(&text));
            assert_eq!(unspaced_secrets(&nb), want, "notebook: {text:?}");
            assert!(nb.iter().all(|m| m.context.starts_with("cell 1 output")));
            let plain = scan(text.as_bytes());
            assert!(plain.len() >= 2, "text: {text:?}");
            for m in &plain {
                assert!(want.contains(&unspaced(&m.secret)), "text: {text:?}");
            }
        }
    }

    #[test]
    fn a_longer_run_around_a_valid_number_is_not_one() {
        let a = crate::ids::nhs::example(612_345_001);
        for text in [format!("{a}12"), format!("12{a},{a}12"), format!("id{a},x")] {
            assert!(scan(&notebook_printing(&text)).is_empty(), "{text}");
            assert!(scan(text.as_bytes()).is_empty(), "{text}");
        }
    }

    #[test]
    fn lockfiles_are_not_searched() {
        let n = crate::ids::nhs::example(612_345_001);
        let lock = format!(
            "{{\n  \"name\": \"x\",\n  \"lockfileVersion\": 3,\n  \"id\": \"{n} NHS\"\n}}\n"
        );
        assert!(scan(lock.as_bytes()).is_empty());
        assert!(!scan(format!("patient NHS number {n}\n").as_bytes()).is_empty());
    }
}
