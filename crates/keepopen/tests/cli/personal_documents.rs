//! Word and OpenDocument files through the real CLI (issue 12): a
//! certificate with a valid NHS number in a `.docx` and in an `.odt`
//! deleted from history is found, pointed at by paragraph and redacted; a
//! broken document is named and the scan goes on.

use crate::support::*;
use serde_json::Value;
use std::io::Write;

fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).expect("entry");
        zip.write_all(data.as_bytes()).expect("data");
    }
    zip.finish().expect("zip").into_inner()
}

fn certificate(nhs: &str) -> Vec<String> {
    vec![
        "Certificate of fitness to travel".into(),
        "Patient name: Ann Example".into(),
        "Address: 14 Park Lane, Leeds LS1 4AP".into(),
        "Date of birth: 12/03/1984".into(),
        format!("NHS number: {}", spaced(nhs)),
    ]
}

/// Word splits the number across two runs, as it does when formatting
/// changes mid-number.
fn docx(nhs: &str) -> Vec<u8> {
    let body: String = certificate(nhs)
        .iter()
        .map(|l| {
            let (a, b) = l.split_at(l.len() / 2);
            format!("<w:p><w:r><w:t xml:space=\"preserve\">{a}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{b}</w:t></w:r></w:p>")
        })
        .collect();
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", &doc),
    ])
}

fn odt(nhs: &str) -> Vec<u8> {
    let body: String = certificate(nhs)
        .iter()
        .map(|l| format!("<text:p><text:span>{l}</text:span></text:p>"))
        .collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", "<manifest:manifest/>"),
        ("content.xml", &content),
    ])
}

#[test]
fn certificates_in_word_and_opendocument_files_are_found_in_head_and_history() {
    let mut r = Repo::new();
    let (a, b) = (nhs_number(71), nhs_number(72));
    r.write("letters/referral.docx", docx(&a));
    r.write("letters/fit-to-travel.odt", odt(&b));
    let whole = docx(&nhs_number(73));
    r.write("letters/cut.docx", &whole[..whole.len() - 40]);
    let first = r.commit("letters");
    r.git(&["rm", "-q", "letters/fit-to-travel.odt"]);
    r.commit("remove the certificate");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    let fs = findings(&v);
    let nhs = |path: &str| -> Vec<&Value> {
        fs.iter()
            .filter(|f| f["path"] == path && f["rule"] == "nhs-number")
            .collect()
    };
    for (path, n, in_head) in [
        ("letters/referral.docx", &a, true),
        ("letters/fit-to-travel.odt", &b, false),
    ] {
        let found = nhs(path);
        assert_eq!(found.len(), 1, "{path}: {v:#}");
        let f = found[0];
        assert_eq!(f["secret"], spaced(n).as_str(), "{path}");
        assert_eq!(f["severity"], "high", "{path}");
        assert_eq!(f["line"], 5, "{path}: the fifth paragraph");
        assert_eq!(f["in_head"], in_head, "{path}");
        let context = f["context"].as_str().unwrap_or_default();
        assert!(
            context.starts_with("paragraph 5: NHS number: "),
            "{path}: {context}"
        );
        assert!(
            !context.contains(&spaced(n)) && !context.contains(n.as_str()),
            "{path}: redacted: {context}"
        );
        if !in_head {
            assert_eq!(f["commit"], first.as_str());
        }
    }
    // The document reader failed; the secret detector still read its bytes.
    let skipped: Vec<String> = v["summary"]["notes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["subject"].as_str().unwrap_or(""),
                p["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        skipped
            .iter()
            .any(|s| s.starts_with("letters/cut.docx") && s.contains("document could not be read")),
        "{skipped:#?}"
    );
}
