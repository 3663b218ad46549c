//! Personal and patient data through the real CLI, on repositories built
//! here: extracts in history, notebooks, workbooks with hidden sheets,
//! aggregates, data files; redaction in every format; the same controls
//! as secrets (ignore comments, `rules.disable`, baselines, `fail_on`).

use crate::support::*;
use serde_json::Value;

fn by_rule<'a>(fs: &'a [Value], rule: &str) -> Vec<&'a Value> {
    fs.iter().filter(|f| f["rule"] == rule).collect()
}

fn extract(rows: u32, seed: u32) -> String {
    let mut s = String::from("nhs_number,date_of_birth,postcode,sex,admission_date\n");
    for i in 0..rows {
        s += &format!(
            "{},1984-03-{:02},LS1 4AP,F,2023-01-05\n",
            nhs_number(seed + i),
            1 + i % 28
        );
    }
    s
}

#[test]
fn an_extract_deleted_from_history_is_still_found_with_its_commit() {
    let mut r = Repo::new();
    r.write("README.md", "analysis\n");
    r.write("data/patients.csv", extract(12, 1));
    let first = r.commit("add extract by mistake");
    r.git(&["rm", "-q", "data/patients.csv"]);
    r.commit("remove extract");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    let fs = findings(&v);
    let pl = by_rule(&fs, "patient-level-data");
    assert_eq!(pl.len(), 1, "{v:#}");
    let f = pl[0];
    assert_eq!(f["path"], "data/patients.csv");
    assert_eq!(f["category"], "personal-data");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["in_head"], false);
    assert_eq!(f["commit"], first.as_str());
    assert_eq!(f["line"], 2);
    let nhs = by_rule(&fs, "nhs-number");
    assert_eq!(nhs.len(), 1, "one finding per column, not per cell: {v:#}");
    let detail = nhs[0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("12 NHS numbers in column 1 \"nhs_number\" of 12 rows"),
        "{detail}"
    );
    for rule in ["date-of-birth", "postcode"] {
        assert_eq!(by_rule(&fs, rule).len(), 1, "{rule}: {v:#}");
    }
}

fn notebook(rows: &[String]) -> String {
    let html_rows: String = rows
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!("<tr><th>{i}</th><td>{n}</td><td>1984-03-12</td><td>M1 1AE</td></tr>")
        })
        .collect();
    let html = format!(
        "<table class=\"dataframe\"><thead><tr><th></th><th>nhs_number</th><th>dob</th><th>postcode</th></tr></thead><tbody>{html_rows}</tbody></table>"
    );
    serde_json::json!({
        "cells": [
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["import pandas as pd\n", "df = pd.read_csv('extract.csv')\n"], "outputs": []},
            {"cell_type": "code", "execution_count": 2, "metadata": {}, "source": ["df.head()"], "outputs": [
                {"output_type": "execute_result", "execution_count": 2, "metadata": {}, "data": {"text/html": [html], "text/plain": ["(frame)"]}}
            ]},
            {"cell_type": "code", "execution_count": 3, "metadata": {}, "source": ["df.plot()"], "outputs": [
                {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure>"]}}
            ]}
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    })
    .to_string()
    .replace("],", "],\n")
}

fn workbook(path: &std::path::Path, hidden_rows: &[String]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let summary = wb.add_worksheet();
    summary.set_name("Summary").expect("name");
    summary.write_string(0, 0, "region").expect("write");
    summary.write_string(0, 1, "admissions").expect("write");
    for (i, (r, n)) in [("North", 125.0), ("South", 40.0), ("East", 65.0)]
        .iter()
        .enumerate()
    {
        summary.write_string(i as u32 + 1, 0, *r).expect("write");
        summary.write_number(i as u32 + 1, 1, *n).expect("write");
    }
    let data = wb.add_worksheet();
    data.set_name("Data").expect("name");
    for (c, h) in ["NHS Number", "Date of Birth", "Postcode"]
        .iter()
        .enumerate()
    {
        data.write_string(0, c as u16, *h).expect("write");
    }
    for (i, n) in hidden_rows.iter().enumerate() {
        let row = i as u32 + 1;
        data.write_number(row, 0, n.parse::<f64>().expect("number"))
            .expect("write");
        data.write_string(row, 1, "12/03/1984").expect("write");
        data.write_string(row, 2, "B33 8TH").expect("write");
    }
    data.set_hidden(true);
    wb.save(path).expect("save workbook");
}

/// Issue 11: NHS numbers printed as a comma-separated list in a notebook's
/// stream output were read as one long number and not found.
#[test]
fn comma_separated_numbers_printed_by_a_notebook_are_found() {
    let mut r = Repo::new();
    let (a, b) = (nhs_number(31), nhs_number(32));
    let printed = format!("{},{}\n", spaced(&a), spaced(&b));
    let nb = serde_json::json!({"cells": [{"cell_type": "code", "source": "print(ids)",
        "outputs": [{"output_type": "stream", "name": "stdout", "text": [printed]}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
    r.write("ids.ipynb", nb.to_string());
    r.write("ids.txt", format!("{a},{b}\n"));
    r.commit("printed ids");
    let (code, v) = scan_json(r.path(), &["--no-history"]);
    assert_eq!(code, 1, "{v:#}");
    let fs = findings(&v);
    for path in ["ids.ipynb", "ids.txt"] {
        let mut got: Vec<String> = fs
            .iter()
            .filter(|f| f["path"] == path && f["rule"] == "nhs-number")
            .map(|f| f["secret"].as_str().unwrap_or_default().replace(' ', ""))
            .collect();
        got.sort();
        let mut want = vec![a.clone(), b.clone()];
        want.sort();
        assert_eq!(got, want, "{path}: {v:#}");
    }
}

#[test]
fn notebook_outputs_and_hidden_sheets_are_read() {
    let mut r = Repo::new();
    let rows: Vec<String> = (0..4).map(|i| nhs_number(100 + i)).collect();
    r.write("analysis.ipynb", notebook(&rows));
    workbook(
        &r.path().join("published.xlsx"),
        &(0..6).map(|i| nhs_number(200 + i)).collect::<Vec<_>>(),
    );
    r.commit("notebook and workbook");
    let (code, v) = scan_json(r.path(), &["--no-history"]);
    assert_eq!(code, 1);
    let fs = findings(&v);
    let at = |path: &str, rule: &str| -> Vec<&Value> {
        fs.iter()
            .filter(|f| f["path"] == path && f["rule"] == rule)
            .collect()
    };
    let nb = at("analysis.ipynb", "nhs-number");
    assert_eq!(nb.len(), 1, "{v:#}");
    assert!(rows.contains(&nb[0]["secret"].as_str().unwrap_or_default().to_string()));
    assert!(
        nb[0]["line"].as_u64().unwrap_or(0) > 1,
        "points into the file: {v:#}"
    );
    assert_eq!(at("analysis.ipynb", "patient-level-data").len(), 1, "{v:#}");
    assert_eq!(
        at("analysis.ipynb", "notebook-image-output").len(),
        1,
        "{v:#}"
    );
    let hidden = at("published.xlsx", "spreadsheet-hidden-sheet");
    assert_eq!(hidden.len(), 1, "{v:#}");
    assert_eq!(hidden[0]["severity"], "high", "it holds personal data");
    let pl = at("published.xlsx", "patient-level-data");
    assert_eq!(pl.len(), 1, "{v:#}");
    assert_eq!(
        pl[0]["severity"], "critical",
        "a table of people in a hidden sheet"
    );
    assert!(
        pl[0]["context"]
            .as_str()
            .unwrap_or("")
            .contains("sheet \"Data\""),
        "{v:#}"
    );
    assert_eq!(
        at("published.xlsx", "small-number-unsuppressed").len(),
        0,
        "counts of 40 and more"
    );
}

#[test]
fn numbers_that_fail_the_check_give_nothing_and_test_numbers_never_block() {
    let mut r = Repo::new();
    let valid = nhs_number(7);
    let last = valid.as_bytes()[9] - b'0';
    let invalid = format!("{}{}", &valid[..9], (last + 1) % 10);
    let test = test_range_number(3);
    r.write(
        "notes.py",
        format!(
            "# patient NHS number {invalid}\n# test patient NHS number {}\n",
            spaced(&test)
        ),
    );
    r.write("ids.csv", format!("nhs_number,ward\n{invalid},A\n"));
    r.commit("test data");
    for fail_on in ["low", "info"] {
        let (code, v) = scan_json(r.path(), &["--fail-on", fail_on]);
        assert_eq!(code, 0, "informational findings never block: {v:#}");
        let fs = findings(&v);
        assert_eq!(fs.len(), 1, "{v:#}");
        assert_eq!(fs[0]["rule"], "nhs-number-test-range");
        assert_eq!(fs[0]["severity"], "info");
        assert_eq!(fs[0]["blocking"], false);
        assert_eq!(fs[0]["secret"], spaced(&test).as_str());
    }
}

#[test]
fn aggregates_with_small_numbers_are_reported_with_a_configurable_threshold() {
    let mut r = Repo::new();
    r.write("outputs/admissions_by_region.csv", "region,month,admissions\nNorth,2024-01,125\nSouth,2024-01,9\nEast,2024-01,45\nWest,2024-01,*\n");
    r.write(
        "outputs/suppressed.csv",
        "region,month,admissions\nNorth,2024-01,125\nSouth,2024-01,*\nEast,2024-01,45\n",
    );
    r.commit("outputs");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(
        (code, findings(&v).len()),
        (0, 0),
        "9 is above the default of 7: {v:#}"
    );
    r.write(".keepopen.toml", "[personal]\nsuppression_threshold = 10\n");
    let (code, v) = scan_json(r.path(), &["--no-history"]);
    assert_eq!(code, 1);
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{v:#}");
    assert_eq!(fs[0]["rule"], "small-number-unsuppressed");
    assert_eq!(fs[0]["category"], "disclosure-control");
    assert_eq!(fs[0]["path"], "outputs/admissions_by_region.csv");
    assert_eq!(fs[0]["line"], 3);
    assert_eq!(
        fs[0]["redacted"], "9",
        "counts are not personal and are shown"
    );
}

#[test]
fn personal_values_are_redacted_in_every_format() {
    let mut r = Repo::new();
    let n = nhs_number(42);
    r.write("data/extract.csv", extract(3, 42));
    r.write("notes.R", format!("# patient NHS number {}\n", spaced(&n)));
    r.commit("data");
    let p = r.path().to_string_lossy().into_owned();
    for format in [
        "human", "json", "sarif", "markdown", "csv", "junit", "gitlab",
    ] {
        let out = keepopen(
            &[
                "scan",
                &p,
                "--format",
                format,
                "--no-progress",
                "--color",
                "never",
            ],
            r.path(),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{format}: {text}");
        for i in 0..3 {
            let v = nhs_number(42 + i);
            assert!(
                !text.contains(&v) && !text.contains(&spaced(&v)),
                "{format} shows {v}: {text}"
            );
        }
        let masked = format!("{} *** **{}", &n[..3], &n[8..]);
        assert!(text.contains(&masked), "{format} shows `{masked}`: {text}");
    }
    let out = keepopen(
        &[
            "scan",
            &p,
            "--format",
            "json",
            "--show-secrets",
            "--no-progress",
        ],
        r.path(),
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&n),
        "--show-secrets shows values"
    );
}

#[test]
fn ignore_comments_disabled_rules_and_baselines_apply() {
    let mut r = Repo::new();
    let n = nhs_number(9);
    r.write("a.py", format!("x = 1  # patient NHS number {n}  keepopen:ignore[nhs-number]\n# keepopen:ignore\ny = '{}'  # NHS\n", spaced(&nhs_number(10))));
    r.write("b.csv", extract(2, 20));
    r.write(
        ".keepopen.toml",
        "[rules]\ndisable = [\"postcode\", \"date-of-birth\"]\n",
    );
    r.commit("data");
    let (_, v) = scan_json(r.path(), &["--no-history"]);
    let mut sorted: Vec<String> = findings(&v)
        .iter()
        .filter_map(|f| f["rule"].as_str().map(String::from))
        .collect();
    sorted.sort();
    assert_eq!(sorted, vec!["nhs-number", "patient-level-data"], "{v:#}");
    assert!(findings(&v).iter().all(|f| f["path"] == "b.csv"), "{v:#}");
    let p = r.path().to_string_lossy().into_owned();
    let base = r.path().join("../baseline.json");
    let out = keepopen(
        &["baseline", "create", &p, "-o", &base.to_string_lossy()],
        r.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, v) = scan_json(r.path(), &["--baseline", &base.to_string_lossy()]);
    assert_eq!((code, findings(&v).len()), (0, 0), "{v:#}");
    assert_eq!(v["summary"]["baseline_suppressed"], 2);
}

#[test]
fn binary_data_files_are_reported_by_kind_size_and_name() {
    let mut r = Repo::new();
    let mut sqlite = b"SQLite format 3\0".to_vec();
    sqlite.resize(2 << 20, 1);
    r.write("exports/hes_patients.sqlite", &sqlite);
    let mut small = b"SQLite format 3\0".to_vec();
    small.resize(4096, 1);
    r.write("tests/fixture.db", &small);
    // Visual Studio's index of the code: big, and a database, but not data.
    r.write("App/.vs/App/v17/Server/sqlite3/storage.ide", &sqlite);
    // xz-compressed: not recognised by its bytes, only by its name.
    r.write(
        "analysis/cohort.RData",
        b"\xFD7zXZ\0\0\x04\xE6\xD6\xB4\x46\x02\0\x21\x01",
    );
    r.commit("data files");
    r.git(&[
        "rm",
        "-q",
        "exports/hes_patients.sqlite",
        "analysis/cohort.RData",
    ]);
    r.commit("remove");
    let (_, v) = scan_json(r.path(), &[]);
    let fs = findings(&v);
    let data: Vec<(&str, &str)> = by_rule(&fs, "data-file")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or(""),
                f["severity"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        data.contains(&("exports/hes_patients.sqlite", "critical")),
        "2 MB and a telling name, from history: {data:?}"
    );
    assert!(
        data.contains(&("tests/fixture.db", "info")),
        "4 KB and a name that says nothing: a review item: {data:?}"
    );
    assert!(
        data.contains(&("analysis/cohort.RData", "high")),
        "by name, raised by `cohort`: {data:?}"
    );
    assert!(
        data.contains(&("App/.vs/App/v17/Server/sqlite3/storage.ide", "info")),
        "an IDE's cache: {data:?}"
    );
    assert_eq!(data.len(), 4, "one finding per file: {data:?}");
    let big = by_rule(&fs, "data-file")
        .into_iter()
        .find(|f| f["path"] == "exports/hes_patients.sqlite")
        .cloned()
        .unwrap_or_default();
    assert!(
        big["context"]
            .as_str()
            .unwrap_or("")
            .contains("SQLite database, 2.0 MB"),
        "{big:#}"
    );
}

/// A notebook left with merge-conflict markers is not JSON: its text is
/// still scanned, and the report says it was read as plain text.
#[test]
fn a_notebook_with_merge_conflict_markers_is_scanned_as_text() {
    let mut r = Repo::new();
    let n = spaced(&nhs_number(41));
    r.write(
        "analysis.ipynb",
        format!(
            "{{\n \"cells\": [\n<<<<<<< HEAD\n  {{\"cell_type\": \"code\", \"source\": [\"patient_nhs = \\\"{n}\\\"\"], \"outputs\": []}}\n=======\n  {{\"cell_type\": \"code\", \"source\": [\"x = 1\"], \"outputs\": []}}\n>>>>>>> tidy\n ]\n}}\n"
        ),
    );
    r.commit("conflicted notebook");
    let (_, v) = scan_json(r.path(), &["--no-history", "--detectors", "personal"]);
    let fs = findings(&v);
    assert!(
        fs.iter()
            .any(|f| f["rule"] == "nhs-number" && f["path"] == "analysis.ipynb"),
        "{v:#}"
    );
    assert!(
        v["summary"]["skipped"]
            .to_string()
            .contains("scanned as plain text instead"),
        "{v:#}"
    );
}
