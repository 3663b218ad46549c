//! Where one piece of content goes, decided once: from its first bytes
//! (and its name, when known) to exactly one reader. The detector matches
//! on the route and never sniffs the same bytes twice.

use crate::formats::{datafile, delimited, document, notebook, records, spreadsheet, sql};
use crate::text::Found;
use keepopen_content::{Content, lockfile};
use std::borrow::Cow;

/// How far into a text to look for `INSERT INTO` when it holds no
/// identifier.
const SQL_HEAD: usize = 64 * 1024;

/// What a piece of content is.
pub(crate) enum Route<'a> {
    /// Text to read: the bytes as they are, or Excel's "Unicode text"
    /// export (UTF-16 with a byte-order mark, whose NUL bytes would
    /// otherwise make it binary) decoded.
    Text(Cow<'a, [u8]>),
    /// A Jupyter notebook (cells and outputs), as text.
    Notebook(Cow<'a, [u8]>),
    /// A workbook of the kind its bytes say (`xlsx`, `xls`, `encrypted`…).
    Workbook(&'static str),
    /// A Word or OpenDocument file of the kind its bytes say (`docx`,
    /// `odt`…), or `encrypted` for a password-protected one named `.docx`.
    Document(&'static str),
    /// A binary data file known by its bytes, or by its name when the bytes
    /// do not say.
    DataFile(&'static str),
    /// Nothing to read: a lockfile (its hashes look like numbers), or other
    /// binary content.
    Skip,
}

/// The route for `content`.
pub(crate) fn route<'a>(content: &Content<'a>) -> Route<'a> {
    let data = content.data;
    let text = match utf16(data) {
        Some(text) => Cow::Owned(text.into_bytes()),
        None if content.is_binary() => {
            return if let Some(kind) = spreadsheet::sniff(data) {
                // Word and Excel encrypt into the same container; only the
                // name tells them apart.
                if kind == "encrypted" && content.path.is_some_and(document::is_word_name) {
                    Route::Document(kind)
                } else {
                    Route::Workbook(kind)
                }
            } else if let Some(kind) = document::sniff(data) {
                Route::Document(kind)
            } else if let Some(kind) = datafile::kind(data) {
                Route::DataFile(kind)
            } else if let Some(kind) = content.path.and_then(datafile::by_extension) {
                Route::DataFile(kind)
            } else {
                Route::Skip
            };
        }
        None => Cow::Borrowed(data),
    };
    if lockfile::looks_like_lockfile(&text) || content.path.is_some_and(lockfile::is_lockfile) {
        Route::Skip
    } else if notebook::looks_like(&text) {
        Route::Notebook(text)
    } else {
        Route::Text(text)
    }
}

/// What a text holds, beyond its free text.
pub(crate) enum TextForm {
    /// A rendered page with tables.
    Html,
    /// JSON records (an array of objects, or one per line).
    Records,
    /// SQL with `INSERT INTO … VALUES`.
    Sql,
    /// A delimited table worth reading whole, by its delimiter.
    Delimited(u8),
    /// Free text only.
    Plain,
}

/// The form of a text whose identifiers the free-text search found.
pub(crate) fn text_form(data: &[u8], found: &Found) -> TextForm {
    // Dumps put INSERTs early; a long file is searched for them to the end
    // only when it holds identifiers at all.
    let head = &data[..data.len().min(SQL_HEAD)];
    if is_html(data) {
        TextForm::Html
    } else if records::looks_like(data) {
        TextForm::Records
    } else if sql::looks_like(head) || (!found.hits.is_empty() && sql::looks_like(data)) {
        TextForm::Sql
    } else if let Some(d) = delimited::sniff(data) {
        // Most delimited files in a history are data of other kinds (model
        // parameters, results): read whole only those whose header names a
        // personal field, a count or a password, or that hold an identifier
        // or an address.
        let named = delimited::header(data, d).iter().any(|h| {
            crate::table::columns::named(h).is_some()
                || crate::table::disclosure::count_name(h)
                || crate::table::passwords::named(h)
        });
        if named || !found.hits.is_empty() || memchr::memchr(b'@', data).is_some() {
            TextForm::Delimited(d)
        } else {
            TextForm::Plain
        }
    } else {
        TextForm::Plain
    }
}

/// A rendered page (Quarto, R Markdown, a saved report): `<html` or
/// `<!doctype html` in its first kilobyte, in any case. Checked on every
/// text blob, so without allocating.
fn is_html(data: &[u8]) -> bool {
    let head = &data[..data.len().min(1024)];
    memchr::memchr_iter(b'<', head).any(|i| {
        let rest = &head[i + 1..];
        let starts = |w: &[u8]| {
            rest.get(..w.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(w))
        };
        starts(b"html") || starts(b"!doctype html")
    })
}

/// The text of UTF-16 content that starts with its byte-order mark.
fn utf16(data: &[u8]) -> Option<String> {
    let le = data.starts_with(b"\xFF\xFE");
    if !le && !data.starts_with(b"\xFE\xFF") {
        return None;
    }
    let units = data[2..].chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route_of(data: &[u8], path: Option<&str>) -> &'static str {
        match route(&Content::new(data, path)) {
            Route::Text(_) => "text",
            Route::Notebook(_) => "notebook",
            Route::Workbook(_) => "workbook",
            Route::Document(_) => "document",
            Route::DataFile(_) => "data file",
            Route::Skip => "skip",
        }
    }

    #[test]
    fn each_piece_of_content_takes_one_route() {
        assert_eq!(route_of(b"hello", None), "text");
        assert_eq!(route_of(b"\xFF\xFEh\0i\0", None), "text");
        assert_eq!(route_of(b"SQLite format 3\0\0\0", None), "data file");
        assert_eq!(route_of(b"\0\x01\x02", Some("cohort.rds")), "data file");
        assert_eq!(route_of(b"\0\x01\x02", None), "skip");
        assert_eq!(route_of(b"{}", Some("package-lock.json")), "skip");
        let odt = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0mimetypeapplication/vnd.oasis.opendocument.text";
        assert_eq!(route_of(odt, Some("letter.odt")), "document");
        let mut locked = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        locked.resize(512, 0);
        locked.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        locked.resize(512 + 64, 0);
        locked.extend(34u16.to_le_bytes());
        locked.resize(640, 0);
        assert_eq!(route_of(&locked, Some("letter.docx")), "document");
        assert_eq!(route_of(&locked, Some("book.xlsx")), "workbook");
        assert_eq!(route_of(&locked, None), "workbook");
        let nb = br#"{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        assert_eq!(route_of(nb, Some("a.ipynb")), "notebook");
    }

    #[test]
    fn a_text_has_one_form() {
        let none = crate::text::find(b"");
        let form = |d: &[u8]| match text_form(d, &none) {
            TextForm::Html => "html",
            TextForm::Records => "records",
            TextForm::Sql => "sql",
            TextForm::Delimited(_) => "delimited",
            TextForm::Plain => "plain",
        };
        assert_eq!(form(b"<!DOCTYPE html><table></table>"), "html");
        assert_eq!(
            form(b"INSERT INTO patients (nhs_number) VALUES ('1');"),
            "sql"
        );
        assert_eq!(form(b"nhs_number,dob\n1,2\n3,4\n5,6\n"), "delimited");
        assert_eq!(form(b"just some words"), "plain");
    }
}
