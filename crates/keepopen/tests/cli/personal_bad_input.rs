//! Bad data files: each gives a message naming the file, the scan goes on
//! with the rest, and the exit code says findings, not failure.

use crate::support::*;

#[test]
fn broken_workbooks_notebooks_and_csv_are_named_and_the_scan_goes_on() {
    let mut r = Repo::new();
    // A workbook cut in half.
    let full = {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let s = wb.add_worksheet();
        for i in 0..200u32 {
            s.write_string(i, 0, format!("row {i}")).expect("write");
        }
        wb.save_to_buffer().expect("buffer")
    };
    r.write("reports/cut.xlsx", &full[..full.len() / 2]);
    // A password-protected workbook: a compound file holding EncryptedPackage.
    let mut locked = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    locked.resize(512, 0);
    let mut entry: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    entry.resize(64, 0);
    entry.extend(34u16.to_le_bytes());
    entry.resize(128, 0);
    locked.extend(entry);
    r.write("reports/locked.xlsx", &locked);
    r.write(
        "broken.ipynb",
        "{\n \"cells\": [\n  {\"cell_type\": \"code\", \"source\": [\"x\"\n",
    );
    let mut csv = b"\xEF\xBB\xBFnhs_number,dob,postcode\r\n".to_vec();
    for i in 0..8 {
        csv.extend(format!("{},1984-03-12,LS1 4AP\r\n", nhs_number(5 + i)).as_bytes());
    }
    csv.extend(b"\xff\xfe,ragged\n");
    csv.extend(
        format!(
            "{},\"{}\",M1 1AE,extra\n",
            nhs_number(60),
            "x".repeat(1 << 20)
        )
        .as_bytes(),
    );
    csv.extend(b"\"unterminated,quote\n");
    r.write("odd.csv", &csv);
    r.write("records.jsonl", "{\"a\": 1}\n{\"a\": \n");
    r.commit("bad files");
    let before = snapshot_tree(r.path());
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1, "findings, not a failure: {v:#}");
    assert_eq!(
        snapshot_tree(r.path()),
        before,
        "nothing written into the repository"
    );
    // Each file one reader could not parse is a note naming the reader;
    // the secret detector still scanned it.
    let skipped: Vec<String> = v["summary"]["notes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|p| p["subject"] != "dependencies")
        .map(|p| {
            format!(
                "{}: {}",
                p["subject"].as_str().unwrap_or(""),
                p["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let has = |path: &str, words: &str| {
        skipped
            .iter()
            .any(|s| s.starts_with(path) && s.contains(words))
    };
    assert!(
        has("reports/cut.xlsx", "workbook could not be read"),
        "{skipped:#?}"
    );
    assert!(
        has("reports/locked.xlsx", "password-protected"),
        "{skipped:#?}"
    );
    assert!(
        has("broken.ipynb", "notebook could not be read")
            && has("broken.ipynb", "scanned as plain text instead"),
        "{skipped:#?}"
    );
    assert!(has("records.jsonl", "line 2"), "{skipped:#?}");
    assert_eq!(
        skipped.len(),
        4,
        "each named once, not again from history: {skipped:#?}"
    );
    let fs = findings(&v);
    let odd: Vec<&str> = fs
        .iter()
        .filter(|f| f["path"] == "odd.csv")
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        odd.contains(&"nhs-number") && odd.contains(&"patient-level-data"),
        "the odd CSV is still read: {v:#}"
    );
}

#[test]
fn a_corrupt_workbook_only_in_history_is_named_with_its_commit() {
    let mut r = Repo::new();
    r.write(
        "old.xlsx",
        b"PK\x03\x04\x14\0\0\0\x08\0 damaged\0 xl/workbook.xml",
    );
    r.commit("bad workbook");
    r.git(&["rm", "-q", "old.xlsx"]);
    r.commit("remove it");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 0, "{v:#}");
    let skipped: Vec<serde_json::Value> = v["summary"]["notes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p["subject"].as_str().is_some_and(|s| s.contains(".xlsx")))
        .collect();
    assert_eq!(skipped.len(), 1, "{v:#}");
    assert_eq!(v["summary"]["skipped"], serde_json::json!([]), "{v:#}");
    let subject = skipped[0]["subject"].as_str().unwrap_or("");
    assert!(
        subject.starts_with("old.xlsx (in history, commit "),
        "{subject}"
    );
}

/// A file one reader could not parse is not "not scanned": the report
/// names the reader and says the other detectors still scanned its text
/// (a reviewer read 1,929 such templates as files nothing had read).
/// "Skipped" is kept for what no detector read.
#[test]
fn a_file_one_reader_could_not_parse_says_the_others_still_scanned_it() {
    let mut r = Repo::new();
    r.write(
        "data/events.jsonl",
        "{\"event\": \"start\", \"at\": 1}\n{\"event\": \"stop\", \"at\": \n",
    );
    r.commit("events");
    let (_, v) = scan_json(r.path(), &["--no-history"]);
    assert_eq!(v["summary"]["skipped"], serde_json::json!([]), "{v:#}");
    let notes = v["summary"]["notes"].as_array().expect("notes");
    let note = notes
        .iter()
        .find(|n| n["subject"] == "data/events.jsonl")
        .unwrap_or_else(|| panic!("named: {notes:#?}"));
    let message = note["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with(
            "the personal-data detector: its JSON records reader could not parse it ("
        ) && message.ends_with("; its text was still scanned by the secret detector"),
        "{message}"
    );
    assert!(!message.contains("not scanned"), "{message}");

    let (_, human) = render_with_code(&r, "human", &["--no-history"]);
    assert!(
        human.contains("note: data/events.jsonl: the personal-data detector: its JSON records reader could not parse it"),
        "{human}"
    );
    assert!(!human.contains("skipped:"), "{human}");

    // Read by the personal-data detector alone, nothing else scanned it.
    let (_, v) = scan_json(r.path(), &["--no-history", "--detectors", "personal"]);
    assert!(
        v["summary"]["skipped"]
            .to_string()
            .contains("data/events.jsonl"),
        "{v:#}"
    );
}
