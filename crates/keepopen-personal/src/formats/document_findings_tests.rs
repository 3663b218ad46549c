//! What the detector reports on Word and OpenDocument files, built by the
//! helpers of `document_tests.rs`: a document's findings are those of the
//! same text, pointed at by paragraph or table row, and redacted.
use super::*;
use crate::{PersonalData, Settings};
use keepopen_content::{Content, Detector};
use keepopen_findings::Match;

fn scan(data: &[u8], path: &str) -> Vec<Match> {
    PersonalData::new(Settings::default())
        .look_at(&Content::new(data, Some(path)))
        .matches
}

fn troubles(data: &[u8], path: &str) -> Vec<String> {
    PersonalData::new(Settings::default())
        .look_at(&Content::new(data, Some(path)))
        .troubles
}

/// What a report would say, less the context.
fn summary(ms: &[Match]) -> Vec<(String, String, String, u32)> {
    let mut s: Vec<_> = ms
        .iter()
        .map(|m| {
            (
                m.rule.clone(),
                m.secret.replace(' ', ""),
                format!("{:?} {:?}", m.severity, m.confidence),
                m.line,
            )
        })
        .collect();
    s.sort();
    s
}

#[test]
fn a_certificate_in_a_document_is_found_like_the_same_text() {
    let n = example(612_345_001);
    let text = certificate(&n).join("\n");
    let want = summary(&scan(text.as_bytes(), "certificate.txt"));
    assert!(
        want.iter()
            .any(|(rule, secret, how, line)| rule == "nhs-number"
                && *secret == n
                && how == "High High"
                && *line == 5),
        "{want:?}"
    );
    for (data, path) in [
        (certificate_docx(&n), "certificate.docx"),
        (certificate_odt(&n), "certificate.odt"),
    ] {
        let got = scan(&data, path);
        assert_eq!(summary(&got), want, "{path}");
        let context = &got[0].context;
        assert!(
            context.starts_with("paragraph 5: NHS number: 612 "),
            "{context}"
        );
        assert!(
            !context.contains(&spaced(&n)) && !context.contains(&n),
            "redacted: {context}"
        );
    }
}

#[test]
fn a_table_of_patients_in_a_document_is_patient_level_data() {
    let pcs = ["LS1 4AP", "M1 1AE", "B33 8TH"];
    let mut rows = vec![vec![
        "NHS number".to_string(),
        "Name".into(),
        "Date of birth".into(),
        "Postcode".into(),
    ]];
    for (i, pc) in pcs.iter().enumerate() {
        let n = example(612_345_001 + 1_000 * i as u32);
        rows.push(vec![
            n,
            format!("Person {i}"),
            format!("1984-03-1{i}"),
            pc.to_string(),
        ]);
    }
    for (data, path) in [
        (
            docx(&format!("{}{}", wp(&["Clinic list"]), wtable(&rows))),
            "clinic.docx",
        ),
        (
            odt(&format!("<text:p>Clinic list</text:p>{}", otable(&rows))),
            "clinic.odt",
        ),
    ] {
        let got = scan(&data, path);
        let rules: Vec<&str> = got.iter().map(|m| m.rule.as_str()).collect();
        assert!(rules.contains(&"patient-level-data"), "{path}: {rules:?}");
        let nhs: Vec<&Match> = got.iter().filter(|m| m.rule == "nhs-number").collect();
        assert_eq!(nhs.len(), 1, "one per column, not again as text: {got:#?}");
        assert_eq!(nhs[0].line, 3, "the first data row is the third line");
        assert!(
            nhs[0].context.starts_with("table 1, column 1"),
            "{}",
            nhs[0].context
        );
    }
}

/// Issue 12: a certificate laid out as a table of labels and values is
/// one person's record, and the patient's name is no column name.
#[test]
fn a_form_laid_out_as_a_table_is_one_record() {
    let n = example(401_023_213);
    let form = |label: &str, value: &str| vec![label.to_string(), value.to_string()];
    let rows = vec![
        form("Patient name:", "Ann Example"),
        form("Date of birth:", "12/03/1984"),
        form("Address:", "14 Park Lane, Leeds LS1 4AP"),
        form("NHS number:", &spaced(&n)),
    ];
    let body = format!("{}{}", wp(&["Fitness to travel"]), wtable(&rows));
    let got = scan(&docx(&body), "form.docx");
    let mut rules: Vec<&str> = got.iter().map(|m| m.rule.as_str()).collect();
    rules.sort();
    assert_eq!(
        rules,
        ["date-of-birth", "nhs-number", "patient-level-data"],
        "{got:#?}"
    );
    for m in &got {
        assert_eq!(m.line, 2, "the form's first line: {m:?}");
        let shown = format!("{} {}", m.context, m.detail.as_deref().unwrap_or(""));
        assert!(
            !shown.contains("Ann") && !shown.contains(&spaced(&n)) && !shown.contains("1984"),
            "{shown}"
        );
    }
    let two_wide = vec![
        vec![
            "Patient name".into(),
            "Ann Example".into(),
            "DOB".into(),
            "12/03/1984".into(),
        ],
        vec![
            "NHS number".into(),
            spaced(&n),
            String::new(),
            String::new(),
        ],
    ];
    let got = scan(&odt(&otable(&two_wide)), "form.odt");
    assert!(
        got.iter().any(|m| m.rule == "patient-level-data"),
        "{got:#?}"
    );
}

/// A table with too few labels to be a form keeps its rows, and its number
/// is still found.
#[test]
fn a_small_table_that_is_no_form_still_gives_its_number() {
    let n = example(401_023_213);
    let rows = vec![
        vec!["Seen".to_string(), "yes".into()],
        vec!["NHS number".into(), spaced(&n)],
    ];
    let got = scan(&docx(&wtable(&rows)), "notes.docx");
    let nhs: Vec<&Match> = got.iter().filter(|m| m.rule == "nhs-number").collect();
    assert_eq!(nhs.len(), 1, "{got:#?}");
    assert_eq!(nhs[0].line, 2, "the table's second row");
    assert!(!nhs[0].context.contains(&spaced(&n)), "{}", nhs[0].context);
}

#[test]
fn prose_and_numbers_that_fail_the_check_give_nothing() {
    let prose = "The clinic moved to 14 Park Lane in 2019 and sees 1200 patients a year.";
    let n = example(612_345_001);
    let last = n.as_bytes()[9] - b'0';
    let wrong = format!("{}{}", &n[..9], (last + 1) % 10);
    let failing = format!("NHS number: {}", spaced(&wrong));
    for body in [prose, failing.as_str()] {
        assert!(scan(&docx(&wp(&[body])), "a.docx").is_empty(), "{body}");
        assert!(
            scan(&odt(&format!("<text:p>{body}</text:p>")), "a.odt").is_empty(),
            "{body}"
        );
    }
}

#[test]
fn a_broken_document_is_a_problem_naming_what_went_wrong() {
    let n = example(612_345_001);
    let good = certificate_docx(&n);
    let cut = &good[..good.len() - 30];
    assert!(scan(cut, "cut.docx").is_empty());
    let why = troubles(cut, "cut.docx");
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0].starts_with("document could not be read"), "{why:?}");
    let mut locked = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    locked.resize(512, 0);
    let mut entry: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    entry.resize(64, 0);
    entry.extend(34u16.to_le_bytes());
    entry.resize(128, 0);
    locked.extend(entry);
    assert_eq!(
        troubles(&locked, "letters/locked.docx"),
        ["document is password-protected and cannot be checked"]
    );
    assert_eq!(
        troubles(&locked, "locked.xlsx"),
        ["workbook is password-protected and cannot be checked"]
    );
}
