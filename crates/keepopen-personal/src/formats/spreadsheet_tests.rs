//! Tests of `spreadsheet.rs`, kept apart so the reader stays readable.
use super::*;
use crate::formats::zipped::ZIP_TAIL;
use calamine::ExcelDateTimeType;
use rust_xlsxwriter::{ExcelDateTime as XlDate, Format, Workbook};
use std::io::Write;
use zip::write::SimpleFileOptions;

fn cells(t: &Table) -> Vec<(u32, Vec<&str>)> {
    t.rows
        .iter()
        .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
        .collect()
}

fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = book.add_worksheet().set_name("Patients").expect("name");
    // Row 1 and column A are left empty: the table starts at B2.
    for (c, h) in ["nhs_number", "name", "dob", "seen", "ok", "score"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, 1 + c as u16, *h).expect("write");
    }
    sheet.write_number(2, 1, 9434765919.0).expect("write");
    sheet.write_string(2, 2, "  Ann ").expect("write");
    let dob = XlDate::from_ymd(1980, 2, 29).expect("date");
    sheet
        .write_datetime_with_format(2, 3, &dob, &date)
        .expect("write");
    let seen = XlDate::from_ymd(2024, 1, 2)
        .expect("date")
        .and_hms(13, 45, 0)
        .expect("time");
    sheet
        .write_datetime_with_format(2, 4, &seen, &stamp)
        .expect("write");
    sheet.write_boolean(2, 5, true).expect("write");
    sheet.write_number(2, 6, 2.5).expect("write");
    // Row 4 is blank.
    sheet.write_number(4, 1, 4010232138.0).expect("write");
    sheet.write_boolean(4, 5, false).expect("write");
    let hidden = book.add_worksheet().set_name("Lookup").expect("name");
    hidden.write_string(0, 0, "code").expect("write");
    hidden.write_string(1, 0, "LS1 4AP").expect("write");
    hidden.set_hidden(true);
    let deep = book.add_worksheet().set_name("Deep").expect("name");
    deep.write_string(0, 0, "x").expect("write");
    deep.write_number(1, 0, 1.0).expect("write");
    deep.set_very_hidden(true);
    book.add_worksheet().set_name("Empty").expect("name");
    book.save_to_buffer().expect("saves")
}

/// A zip written by hand, so that it can declare sizes it does not have.
fn raw_zip(entries: &[(&str, u32, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, size, data) in entries {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes()); // version needed
            v.extend(0u16.to_le_bytes()); // flags
            v.extend(8u16.to_le_bytes()); // deflate
            v.extend(0u32.to_le_bytes()); // time, date
            v.extend(0u32.to_le_bytes()); // crc
            v.extend((data.len() as u32).to_le_bytes());
            v.extend(size.to_le_bytes());
            v.extend((name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name.as_bytes());
        out.extend(*data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend([0u8; 6]); // comment length, disk, internal attributes
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn real_zip(entries: &[(&str, &[u8])], stored_first: bool) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (i, (name, data)) in entries.iter().enumerate() {
        let method = if i == 0 && stored_first {
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

/// A compound file with one directory entry of the given name.
fn cfb(stream: &str) -> Vec<u8> {
    let mut out = CFB_MAGIC.to_vec();
    out.resize(512, 0);
    let mut entry: Vec<u8> = stream.encode_utf16().flat_map(u16::to_le_bytes).collect();
    entry.resize(64, 0);
    entry.extend(((stream.len() as u16 + 1) * 2).to_le_bytes());
    entry.resize(128, 0);
    out.extend(entry);
    out
}

#[test]
fn reads_every_sheet_with_visibility_numbers_dates_and_row_numbers() {
    let got = read(&workbook()).expect("reads");
    assert!(got.texts.is_empty() && got.images.is_empty());
    let origins: Vec<(&str, bool)> = got
        .tables
        .iter()
        .map(|t| (t.origin.as_str(), t.hidden))
        .collect();
    assert_eq!(
        origins,
        [
            ("sheet \"Patients\"", false),
            ("sheet \"Lookup\"", true),
            ("sheet \"Deep\"", true)
        ]
    );
    let t = &got.tables[0];
    assert_eq!(
        t.header,
        ["nhs_number", "name", "dob", "seen", "ok", "score"]
    );
    assert_eq!(
        cells(t),
        [
            (
                3,
                vec![
                    "9434765919",
                    "Ann",
                    "1980-02-29",
                    "2024-01-02T13:45:00",
                    "TRUE",
                    "2.5"
                ]
            ),
            (5, vec!["4010232138", "", "", "", "FALSE"]),
        ]
    );
    assert_eq!(t.total_rows, 2);
    assert_eq!(cells(&got.tables[1]), [(2, vec!["LS1 4AP"])]);
}

#[test]
fn sniffs_formats_from_bytes() {
    assert_eq!(sniff(&workbook()), Some("xlsx"));
    let ods = real_zip(&[("mimetype", ODS_MIME), ("content.xml", b"<x/>")], true);
    assert_eq!(sniff(&ods), Some("ods"));
    let xlsm = real_zip(
        &[("xl/workbook.xml", b""), ("xl/vbaProject.bin", b"")],
        false,
    );
    assert_eq!(sniff(&xlsm), Some("xlsm"));
    assert_eq!(
        sniff(&real_zip(&[("xl/workbook.bin", b"")], false)),
        Some("xlsb")
    );
    assert_eq!(
        sniff(&real_zip(&[("META-INF/MANIFEST.MF", b"")], false)),
        None
    );
    assert_eq!(sniff(&real_zip(&[("word/document.xml", b"")], false)), None);
    assert_eq!(sniff(&cfb("Workbook")), Some("xls"));
    assert_eq!(sniff(&cfb("Book")), Some("xls"));
    assert_eq!(sniff(&cfb("EncryptedPackage")), Some("encrypted"));
    assert_eq!(sniff(&cfb("WordDocument")), None);
    assert_eq!(sniff(b"name,nhs\n"), None);
    assert_eq!(sniff(b"PK\x03"), None);
}

#[test]
fn a_central_directory_past_the_tail_window_is_read_with_the_zip_crate() {
    let pad = "p".repeat(200);
    let names: Vec<String> = (0..2000).map(|i| format!("{pad}/{i}")).collect();
    let mut entries: Vec<(&str, &[u8])> = vec![("xl/workbook.xml", b"")];
    entries.extend(names.iter().map(|n| (n.as_str(), &b""[..])));
    let data = real_zip(&entries, false);
    assert!(data.len() > 2 * ZIP_TAIL);
    assert_eq!(sniff(&data), Some("xlsx"));
}

#[test]
fn declared_zip_bombs_are_refused_before_inflating() {
    let total = raw_zip(&[
        ("xl/workbook.xml", 200 << 20, &[0; 4 << 20]),
        ("a", 100 << 20, &[0; 2 << 20]),
    ]);
    let got = read(&total);
    let Err(ReadError::TooLarge { kind, reason }) = got else {
        panic!("not refused: {got:?}");
    };
    assert_eq!(kind, "workbook");
    assert!(
        reason.contains("314572800") && reason.contains("268435456"),
        "{reason}"
    );
    let ratio = raw_zip(&[("xl/worksheets/sheet1.xml", 20 << 20, &[0; 1000])]);
    let got = read(&ratio);
    let Err(ReadError::TooLarge { reason, .. }) = got else {
        panic!("not refused: {got:?}");
    };
    assert!(
        reason.contains("20971520") && reason.contains("1000"),
        "{reason}"
    );
}

#[test]
fn damaged_and_foreign_input_is_corrupt_not_a_panic() {
    let book = workbook();
    let half = book.get(..book.len() / 2).expect("half");
    assert!(matches!(read(half), Err(ReadError::Corrupt { .. })));
    let mut junk = ZIP_MAGIC.to_vec();
    let mut rng = crate::testing::XorShift(7);
    junk.extend((0..5000).map(|_| rng.next() as u8));
    assert!(matches!(read(&junk), Err(ReadError::Corrupt { .. })));
    assert!(matches!(
        read(&cfb("Workbook")),
        Err(ReadError::Corrupt { .. })
    ));
    assert!(matches!(
        read(b"plain text"),
        Err(ReadError::Corrupt { .. })
    ));
    assert!(matches!(read(b""), Err(ReadError::Corrupt { .. })));
    let docx = real_zip(&[("word/document.xml", b"<w/>")], false);
    assert!(matches!(read(&docx), Err(ReadError::Corrupt { .. })));
}

#[test]
fn password_protected_workbooks_are_reported_as_such() {
    assert_eq!(
        read(&cfb("EncryptedPackage")),
        Err(ReadError::Encrypted { kind: "workbook" })
    );
}

#[test]
fn reads_a_hand_built_ods() {
    // calamine wants no whitespace between rows and cells, as office
    // suites write them.
    let content = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content "#,
        r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        r#"<office:body><office:spreadsheet><table:table table:name="Extract">"#,
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>nhs</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="string"><text:p>dob</text:p></table:table-cell></table:table-row>"#,
        r#"<table:table-row><table:table-cell office:value-type="float" office:value="9434765919">"#,
        r#"<text:p>9434765919</text:p></table:table-cell><table:table-cell office:value-type="date" "#,
        r#"office:date-value="1980-02-29"><text:p>29/02/80</text:p></table:table-cell></table:table-row>"#,
        r#"</table:table></office:spreadsheet></office:body></office:document-content>"#,
    )
    .as_bytes();
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let ods = real_zip(
        &[
            ("mimetype", ODS_MIME),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content),
        ],
        true,
    );
    let got = read(&ods);
    let got = got.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.tables.len(), 1);
    assert_eq!(got.tables[0].origin, "sheet \"Extract\"");
    assert_eq!(got.tables[0].header, ["nhs", "dob"]);
    assert_eq!(
        cells(&got.tables[0]),
        [(2, vec!["9434765919", "1980-02-29"])]
    );
}

#[test]
fn sparse_cells_spanning_a_huge_box_are_refused_without_allocating_it() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "a").expect("write");
    sheet.write_string(1_999, 16_383, "b").expect("write");
    let got = read(&book.save_to_buffer().expect("saves"));
    let Err(ReadError::TooLarge { reason, .. }) = got else {
        panic!("not refused: {got:?}");
    };
    assert!(reason.contains("2000 rows"), "{reason}");
}

#[test]
fn cell_values_as_text() {
    let dt =
        |v, is_1904| datetime_text(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904));
    assert_eq!(dt(59.0, false), "1900-02-28");
    assert_eq!(dt(60.0, false), "1900-02-29", "Excel's own leap-year bug");
    assert_eq!(dt(61.0, false), "1900-03-01");
    assert_eq!(dt(29280.0, false), "1980-02-29");
    assert_eq!(dt(1.0, true), "1904-01-02");
    assert_eq!(dt(0.75, false), "18:00:00");
    let span = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
    assert_eq!(datetime_text(&span), "36:00:00");
    assert_eq!(float_text(9_434_765_919.0), "9434765919");
    assert_eq!(float_text(1e20), "100000000000000000000");
    assert_eq!(float_text(-0.0), "0");
    assert_eq!(float_text(0.1), "0.1");
    assert_eq!(text_of(&Data::Error(CellErrorType::NA)), "#N/A");
    assert_eq!(text_of(&Data::Bool(true)), "TRUE");
    assert_eq!(text_of(&Data::Int(-3)), "-3");
    assert_eq!(text_of(&Data::Empty), "");
}
