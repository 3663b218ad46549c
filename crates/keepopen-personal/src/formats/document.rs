//! Word and OpenDocument files: `.docx` (and `.docm`, `.dotx`), `.odt`,
//! `.odp`, `.odg`. A letter, referral or certificate about one patient
//! holds the same identifiers as an extract, in a zip of XML that a text
//! search cannot see into. Each is recognised by its bytes (blobs from
//! history come without names) and read part by part: the body, then
//! headers, footers, notes and comments. OpenDocument spreadsheets are
//! workbooks and go to the spreadsheet reader. Documents are untrusted:
//! what may be inflated is bounded, and so is how deep the XML nests.

use super::document_xml::{self, Dialect};
use super::zipped::{self, Archive, ZIP_MAGIC};
use super::{Extracted, ReadError, Text};
use std::io::Cursor;

/// What a document is called in messages.
const KIND: &str = "document";

const ODF_MIME: &[u8] = b"application/vnd.oasis.opendocument.";

/// The XML inflated from one document, all parts together. Sixty-four
/// MiB of `word/document.xml` is some ten thousand pages; the images a
/// document holds are never inflated and do not count.
const MAX_XML: u64 = 64 * 1024 * 1024;

/// Which document format `data` is, from its bytes alone: `docx`, `docm`
/// (macros are not run or read, but the text is), `odt`, `odp`, `odg`, or
/// `odf` for other OpenDocument files. `None` for anything else,
/// OpenDocument spreadsheets included.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if !data.starts_with(ZIP_MAGIC) {
        return None;
    }
    if let Some(mime) = zipped::mimetype(data) {
        let sub = mime.strip_prefix(ODF_MIME)?;
        // `text`, `text-template`, `text-master` and so on.
        return match sub.split(|&b| b == b'-').next() {
            Some(b"text") => Some("odt"),
            Some(b"presentation") => Some("odp"),
            Some(b"graphics") => Some("odg"),
            Some(b"spreadsheet") => None,
            _ => Some("odf"),
        };
    }
    zipped::kind_by_names(data, |has| {
        if has(b"word/document.xml") {
            Some(if has(b"word/vbaProject.bin") {
                "docm"
            } else {
                "docx"
            })
        } else if has(b"content.xml") && has(b"META-INF/manifest.xml") {
            Some("odf")
        } else {
            None
        }
    })
}

/// Is `path` named like a Word file? Password-protected Word and Excel
/// files are the same kind of container, told apart only by their names.
pub fn is_word_name(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    ["doc", "docx", "docm", "dotx", "dotm"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(ext))
}

/// Reads a document's text, one line per paragraph or table row, and its
/// tables. A damaged header or note is skipped so that the body still
/// counts; a damaged body is an error.
pub fn read(data: &[u8]) -> Result<Extracted, ReadError> {
    read_as(data, sniff(data))
}

/// Like [`read`], for a document already sniffed as `kind`, or `encrypted`
/// for a password-protected Word file (a compound file, not a zip).
pub fn read_as(data: &[u8], kind: Option<&str>) -> Result<Extracted, ReadError> {
    if kind == Some("encrypted") {
        return Err(ReadError::Encrypted { kind: KIND });
    }
    // Neither library should panic on a hostile file; if one does, it must
    // cost this file, not the scan.
    std::panic::catch_unwind(|| read_parts(data, kind))
        .unwrap_or_else(|_| Err(corrupt("the zip or XML library failed on this file".into())))
}

/// One XML part to read.
struct PartName {
    entry: String,
    /// For the report: empty for the body, `header 1`, `footnotes`.
    origin: String,
    dialect: Dialect,
}

fn read_parts(data: &[u8], kind: Option<&str>) -> Result<Extracted, ReadError> {
    let mut archive = Archive::new(Cursor::new(data))
        .map_err(|e| corrupt(format!("damaged zip archive: {e}")))?;
    let mut budget = MAX_XML;
    let word = match kind {
        Some(k) => k.starts_with("doc"),
        None => archive.index_for_name("word/document.xml").is_some(),
    };
    let parts = if word {
        word_parts(&archive)
    } else {
        open_parts(&mut archive, &mut budget)?
    };
    let mut out = Extracted::default();
    for (i, part) in parts.into_iter().enumerate() {
        let body = i == 0;
        match read_part(&mut archive, &part, &mut budget) {
            Ok(Some(read)) => {
                out.tables.extend(read.tables);
                if !read.places.is_empty() {
                    out.texts.push(Text {
                        origin: part.origin,
                        text: read.text,
                        places: read.places,
                    });
                }
            }
            Ok(None) if body => return Err(corrupt(format!("it has no {}", part.entry))),
            Ok(None) => {}
            Err(e @ (ReadError::TooLarge { .. } | ReadError::Encrypted { .. })) => return Err(e),
            Err(e) if body => return Err(e),
            Err(_) => {}
        }
    }
    Ok(out)
}

fn read_part(
    archive: &mut Archive<'_>,
    part: &PartName,
    budget: &mut u64,
) -> Result<Option<document_xml::Part>, ReadError> {
    let Some(xml) = zipped::read_entry(archive, &part.entry, budget, KIND)? else {
        return Ok(None);
    };
    let xml =
        String::from_utf8(xml).map_err(|_| corrupt(format!("{} is not UTF-8 text", part.entry)))?;
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(&xml);
    let prefix = if part.origin.is_empty() {
        String::new()
    } else {
        format!("{}, ", part.origin)
    };
    document_xml::read(xml, part.dialect, &prefix)
        .map(Some)
        .map_err(|e| corrupt(format!("{}: {e}", part.entry)))
}

/// The body, then headers and footers in their numbered order, then
/// footnotes, endnotes and comments.
fn word_parts(archive: &Archive<'_>) -> Vec<PartName> {
    let part = |entry: &str, origin: String| PartName {
        entry: entry.to_string(),
        origin,
        dialect: Dialect::Word,
    };
    let mut numbered: Vec<(&str, u32, String)> = archive
        .file_names()
        .flatten()
        .filter_map(|name| {
            let stem = name.strip_prefix("word/")?.strip_suffix(".xml")?;
            ["header", "footer"].into_iter().find_map(|what| {
                let n = stem.strip_prefix(what)?.parse().ok()?;
                Some((what, n, name.to_string()))
            })
        })
        .collect();
    numbered.sort();
    let mut parts = vec![part("word/document.xml", String::new())];
    parts.extend(
        numbered
            .into_iter()
            .map(|(what, n, entry)| part(&entry, format!("{what} {n}"))),
    );
    for what in ["footnotes", "endnotes", "comments"] {
        parts.push(part(&format!("word/{what}.xml"), what.to_string()));
    }
    parts
}

/// The body, then the page styles that hold headers and footers. An
/// encrypted OpenDocument file is a zip whose manifest says how each part
/// was encrypted.
fn open_parts(archive: &mut Archive<'_>, budget: &mut u64) -> Result<Vec<PartName>, ReadError> {
    if let Some(manifest) = zipped::read_entry(archive, "META-INF/manifest.xml", budget, KIND)?
        && memchr::memmem::find(&manifest, b"encryption-data").is_some()
    {
        return Err(ReadError::Encrypted { kind: KIND });
    }
    let part = |entry: &str, origin: &str| PartName {
        entry: entry.to_string(),
        origin: origin.to_string(),
        dialect: Dialect::Open,
    };
    Ok(vec![
        part("content.xml", ""),
        part("styles.xml", "headers and footers"),
    ])
}

fn corrupt(reason: String) -> ReadError {
    ReadError::Corrupt { kind: KIND, reason }
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
