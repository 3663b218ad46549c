//! Tests of `document.rs` and `document_xml.rs`: what a document reads
//! as. What the detector reports on documents is in
//! `document_findings_tests.rs`. Every document is built here, with NHS
//! numbers made at run time, so that no valid number sits in the
//! repository.
use super::*;
use crate::formats::Place;
use crate::ids::nhs::example;
use std::io::Write;
use zip::write::SimpleFileOptions;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        // OpenDocument's `mimetype` is stored, first, as the standard asks.
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).expect("entry");
        zip.write_all(data).expect("data");
    }
    zip.finish().expect("zip").into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

fn docx_with(body: &str, parts: &[(&str, String)]) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let types = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ];
    entries.extend(parts.iter().map(|(n, x)| (*n, x.as_bytes())));
    zip_of(&entries)
}

fn docx(body: &str) -> Vec<u8> {
    docx_with(body, &[])
}

/// A Word paragraph of runs, with tab stops in its properties that must
/// not become text.
fn wp(runs: &[&str]) -> String {
    let runs: String = runs
        .iter()
        .map(|r| format!(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{r}</w:t></w:r><w:proofErr w:type="spellStart"/>"#))
        .collect();
    format!(r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>{runs}</w:p>"#)
}

fn wtable(rows: &[Vec<String>]) -> String {
    let rows: String = rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| format!("<w:tc><w:tcPr/>{}</w:tc>", wp(&[c])))
                .collect();
            format!("<w:tr>{cells}</w:tr>")
        })
        .collect();
    format!("<w:tbl><w:tblPr/>{rows}</w:tbl>")
}

fn odt(body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"><office:body><office:text><text:sequence-decls/>{body}</office:text></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>"#;
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

fn otable(rows: &[Vec<String>]) -> String {
    let rows: String = rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#))
                .collect();
            format!("<table:table-row>{cells}</table:table-row>")
        })
        .collect();
    format!(r#"<table:table table:name="Table1"><table:table-column/>{rows}</table:table>"#)
}

fn spaced(n: &str) -> String {
    format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
}

/// A filled-in certificate, one paragraph a line; the NHS number is on
/// line 5.
fn certificate(nhs: &str) -> Vec<String> {
    vec![
        "Certificate of fitness to travel".into(),
        "Patient name: Ann Example".into(),
        "Address: 14 Park Lane, Leeds LS1 4AP".into(),
        "Date of birth: 12/03/1984".into(),
        format!("NHS number: {}", spaced(nhs)),
        "Signed: Dr B Example, GP".into(),
    ]
}

/// The certificate as Word writes it: the number split across runs.
fn certificate_docx(nhs: &str) -> Vec<u8> {
    let lines = certificate(nhs);
    let body: String = lines
        .iter()
        .map(|l| match l.split_at_checked(17) {
            Some((a, b)) if l.starts_with("NHS") => wp(&[a, b]),
            _ => wp(&[l]),
        })
        .collect();
    docx(&body)
}

/// The certificate as LibreOffice writes it: spans, and `text:s` for a
/// space.
fn certificate_odt(nhs: &str) -> Vec<u8> {
    let body: String = certificate(nhs)
        .iter()
        .map(|l| {
            let l = l.replacen(' ', "<text:s/>", 1);
            format!(r#"<text:p text:style-name="P1"><text:span text:style-name="T1">{l}</text:span></text:p>"#)
        })
        .collect();
    odt(&body)
}

#[test]
fn sniffs_word_and_opendocument_files_from_bytes() {
    assert_eq!(sniff(&docx("")), Some("docx"));
    let docm = docx_with("", &[("word/vbaProject.bin", String::new())]);
    assert_eq!(sniff(&docm), Some("docm"));
    assert_eq!(sniff(&odt("")), Some("odt"));
    for (mime, kind) in [
        ("presentation", Some("odp")),
        ("graphics", Some("odg")),
        ("text-template", Some("odt")),
        ("formula", Some("odf")),
        ("spreadsheet", None),
    ] {
        let mime = format!("application/vnd.oasis.opendocument.{mime}");
        let data = zip_of(&[("mimetype", mime.as_bytes()), ("content.xml", b"<x/>")]);
        assert_eq!(sniff(&data), kind, "{mime}");
    }
    let unmarked = zip_of(&[("content.xml", b"<x/>"), ("META-INF/manifest.xml", b"<m/>")]);
    assert_eq!(sniff(&unmarked), Some("odf"));
    assert_eq!(sniff(&zip_of(&[("xl/workbook.xml", b"")])), None);
    assert_eq!(sniff(&zip_of(&[("META-INF/MANIFEST.MF", b"")])), None);
    assert_eq!(sniff(b"NHS number"), None);
    assert!(is_word_name("Letters/Referral.DOCX") && !is_word_name("book.xlsx"));
}

#[test]
fn a_word_document_is_one_line_a_paragraph_with_runs_joined() {
    let n = example(612_345_001);
    let got = read(&certificate_docx(&n)).expect("reads");
    assert_eq!(got.texts.len(), 1);
    let t = &got.texts[0];
    assert_eq!(t.origin, "");
    let lines: Vec<&str> = t.text.lines().collect();
    assert_eq!(lines, certificate(&n));
    assert_eq!(t.places, vec![Place::Paragraph; 6]);
    assert_eq!(t.place(5).as_deref(), Some("paragraph 5"));
    assert!(got.tables.is_empty());
}

#[test]
fn an_opendocument_text_reads_like_its_word_twin() {
    let n = example(612_345_001);
    let got = read(&certificate_odt(&n)).expect("reads");
    let lines: Vec<&str> = got.texts[0].text.lines().collect();
    assert_eq!(lines, certificate(&n));
    let body = concat!(
        "<text:h>Notes</text:h><text:p>a<text:s text:c=\"3\"/>b<text:tab/>c<text:line-break/>d</text:p>",
        "<text:p>  spread \n  over   lines  </text:p>",
        "<text:p>see<text:note><text:note-citation>1</text:note-citation>",
        "<text:note-body><text:p>the note</text:p></text:note-body></text:note></text:p>",
        "<text:p/><text:p>A&amp;E &#x31;&#50;</text:p>",
    );
    let got = read(&odt(body)).expect("reads");
    let lines: Vec<&str> = got.texts[0].text.lines().collect();
    assert_eq!(
        lines,
        [
            "Notes",
            "a   b\tc d",
            "spread over lines",
            "see the note",
            "A&E 12"
        ]
    );
}

#[test]
fn tables_are_rows_of_cells_and_tables_for_the_judges() {
    let rows = vec![
        vec!["NHS number".to_string(), "Name".into()],
        vec!["1".into(), "Ann".into()],
        vec![String::new(), String::new()],
        vec!["2".into(), "Bob".into()],
    ];
    let inner = wtable(&[vec!["x".into(), "y".into()]]);
    let nested = format!(
        "<w:tbl><w:tr><w:tc>{}{inner}</w:tc></w:tr></w:tbl>",
        wp(&["outer"])
    );
    for (data, what) in [
        (
            docx(&format!(
                "{}{}{nested}",
                wp(&["Clinic list"]),
                wtable(&rows)
            )),
            "docx",
        ),
        (
            odt(&format!("<text:p>Clinic list</text:p>{}", otable(&rows))),
            "odt",
        ),
    ] {
        let got = read(&data).expect(what);
        let t = &got.texts[0];
        let places: Vec<Option<String>> = (1..=t.places.len() as u32).map(|l| t.place(l)).collect();
        let lines: Vec<&str> = t.text.lines().collect();
        let (mut want_lines, mut want_places) = (
            vec!["Clinic list", "NHS number | Name", "1 | Ann", "2 | Bob"],
            vec![
                "paragraph 1",
                "table 1, row 1",
                "table 1, row 2",
                "table 1, row 4",
            ],
        );
        if what == "docx" {
            want_lines.push("outer x y");
            want_places.push("table 2, row 1");
        }
        assert_eq!(lines, want_lines, "{what}");
        let want_places: Vec<Option<String>> =
            want_places.iter().map(|p| Some(p.to_string())).collect();
        assert_eq!(places, want_places, "{what}");
        let table = &got.tables[0];
        assert_eq!(table.origin, "table 1");
        assert_eq!(table.header, ["NHS number", "Name"]);
        let rows: Vec<(u32, Vec<&str>)> = table
            .rows
            .iter()
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            rows,
            [(3, vec!["1", "Ann"]), (4, vec!["2", "Bob"])],
            "{what}"
        );
    }
}

#[test]
fn repeated_empty_cells_keep_columns_in_place() {
    let row = concat!(
        "<table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>",
        "<table:table-cell table:number-columns-repeated=\"2\"/>",
        "<table:table-cell><text:p>d</text:p></table:table-cell>",
        "<table:table-cell table:number-columns-repeated=\"99999999\"/></table:table-row>",
    );
    let body = format!("<table:table>{row}{row}</table:table>");
    let got = read(&odt(&body)).expect("reads");
    assert_eq!(got.tables[0].header, ["a", "", "", "d"]);
    assert_eq!(got.tables[0].rows[0].cells, ["a", "", "", "d"]);
    // A hundred bytes of XML a row may not keep a thousand cells a row,
    // and no cell's text is lost to the caps.
    let row = concat!(
        "<table:table-row><table:table-cell table:number-columns-repeated=\"5000\"/>",
        "<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>",
    );
    let got = read(&odt(&format!(
        "<table:table>{}</table:table>",
        row.repeat(500)
    )))
    .expect("reads");
    let t = &got.tables[0];
    assert_eq!(t.header.len(), 1025, "padded to 1024 cells, then the text");
    assert_eq!(t.header.last().map(String::as_str), Some("x"));
    let kept: usize = t.rows.iter().map(|r| r.cells.len()).sum::<usize>() + t.header.len();
    assert!(kept <= 100_000 + 2 * 500, "{kept} cells kept");
    let last = t.rows.last().map(|r| r.cells.clone());
    assert_eq!(last, Some(vec![String::new(), "x".into()]), "text is kept");
}

#[test]
fn headers_footers_notes_and_text_boxes_are_read_once_each() {
    let hdr = |t: &str| format!(r#"<w:hdr {W}>{}</w:hdr>"#, wp(&[t]));
    let boxed = format!(
        "<w:p><w:r><w:t>before</w:t></w:r><mc:AlternateContent><mc:Choice><w:txbxContent>{}</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent>{}</w:txbxContent></mc:Fallback></mc:AlternateContent><w:r><w:t>after</w:t></w:r></w:p>",
        wp(&["in a box"]),
        wp(&["in a box"])
    );
    let data = docx_with(
        &boxed,
        &[
            ("word/header2.xml", hdr("second header")),
            ("word/header10.xml", hdr("tenth header")),
            (
                "word/footer1.xml",
                format!(r#"<w:ftr {W}>{}</w:ftr>"#, wp(&["a footer"])),
            ),
            (
                "word/comments.xml",
                format!(
                    r#"<w:comments {W}><w:comment>{}</w:comment></w:comments>"#,
                    wp(&["a comment"])
                ),
            ),
            ("word/endnotes.xml", "<w:endnotes><w:p>".to_string()),
        ],
    );
    let got = read(&data).expect("a damaged endnotes part is skipped");
    let texts: Vec<(&str, &str)> = got
        .texts
        .iter()
        .map(|t| (t.origin.as_str(), t.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("", "before in a box after\n"),
            ("footer 1", "a footer\n"),
            ("header 2", "second header\n"),
            ("header 10", "tenth header\n"),
            ("comments", "a comment\n"),
        ]
    );
    assert_eq!(
        got.texts[2].place(1).as_deref(),
        Some("header 2, paragraph 1")
    );
}

/// Sets the uncompressed size an entry declares, in its local header and
/// in the central directory.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    for (sig, name_at, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
        let starts: Vec<usize> = memchr::memmem::find_iter(zip, sig).collect();
        for s in starts {
            if zip.get(s + name_at..s + name_at + name.len()) == Some(name.as_bytes()) {
                zip[s + size_at..s + size_at + 4].copy_from_slice(&size.to_le_bytes());
            }
        }
    }
}

#[test]
fn hostile_and_damaged_documents_are_errors_not_panics() {
    let good = docx(&wp(&["text"]));
    let cut = &good[..good.len() / 2];
    let corrupt = |r: Result<Extracted, ReadError>| matches!(r, Err(ReadError::Corrupt { .. }));
    assert!(corrupt(read_as(cut, Some("docx"))));
    assert!(corrupt(read(b"PK\x03\x04 and then nothing")));
    assert!(corrupt(read_as(
        &zip_of(&[("other.xml", b"<x/>")]),
        Some("docx")
    )));
    let unclosed = zip_of(&[("word/document.xml", b"<w:document><w:body><w:p>")]);
    assert!(corrupt(read(&unclosed)));
    let mismatched = zip_of(&[("word/document.xml", b"<w:document></w:body>")]);
    assert!(corrupt(read(&mismatched)));
    let latin1 = zip_of(&[("word/document.xml", b"<w:document>\xe9</w:document>")]);
    assert!(corrupt(read(&latin1)));
    let deep = format!("{}{}", "<w:sdt>".repeat(300), "</w:sdt>".repeat(300));
    let got = read(&docx(&deep));
    assert!(
        matches!(&got, Err(ReadError::Corrupt { reason, .. }) if reason.contains("deeper than 256")),
        "{got:?}"
    );
    let mut bomb = docx(&wp(&["text"]));
    declare_size(&mut bomb, "word/document.xml", 100 << 20);
    let got = read(&bomb);
    assert!(
        matches!(&got, Err(ReadError::TooLarge { reason, .. }) if reason.contains("104857600")),
        "{got:?}"
    );
}

#[test]
fn encrypted_documents_say_so() {
    let manifest = br#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
    let locked = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", b"\x8f\x02 not XML"),
    ]);
    assert_eq!(
        read(&locked),
        Err(ReadError::Encrypted { kind: "document" })
    );
    assert_eq!(
        read_as(b"", Some("encrypted")),
        Err(ReadError::Encrypted { kind: "document" })
    );
}

#[test]
fn entries_are_inflated_within_the_budget_whatever_they_declare() {
    let entry = |data: &[u8], budget: u64| {
        let mut archive = Archive::new(Cursor::new(data)).expect("zip");
        let mut left = budget;
        let got = zipped::read_entry(&mut archive, "big.xml", &mut left, KIND);
        (got.map(|e| e.map(|e| e.len())), left)
    };
    let honest = zip_of(&[("big.xml", &[b'x'; 5000])]);
    assert_eq!(entry(&honest, 10_000), (Ok(Some(5000)), 5000));
    assert!(matches!(
        entry(&honest, 1000).0,
        Err(ReadError::TooLarge { .. })
    ));
    let mut lying = honest.clone();
    declare_size(&mut lying, "big.xml", 10);
    // The zip crate stops an entry at its declared size; the budget would
    // stop it otherwise.
    let (got, _) = entry(&lying, 1000);
    assert!(
        matches!(&got, Err(ReadError::Corrupt { reason, .. }) if reason.contains("declared")),
        "{got:?}"
    );
}

#[path = "document_findings_tests.rs"]
mod findings;
