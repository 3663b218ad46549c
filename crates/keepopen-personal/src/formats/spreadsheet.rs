//! Spreadsheets: xlsx, xlsm, xlsb, xls and ods, recognised by their bytes
//! (blobs from history come without names) and read sheet by sheet,
//! hidden sheets included, since hiding a sheet is a common way to ship
//! patient rows by accident. Workbooks are untrusted: declared sizes are
//! checked before anything is inflated.

use super::zipped::{self, ZIP_MAGIC, u16_at};
use super::{Extracted, ReadError};
use crate::table::{MAX_ROWS, Table};
use calamine::{
    CellErrorType, Data, DataRef, ExcelDateTime, Ods, OdsError, Reader, SheetType, SheetVisible,
    Sheets, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError, open_workbook_auto_from_rs,
    open_workbook_from_rs,
};
use std::collections::BTreeMap;
use std::io::Cursor;

const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

const MIB: u64 = 1024 * 1024;
/// Everything a workbook's entries may declare, uncompressed, in all.
const MAX_UNCOMPRESSED: u64 = 256 * MIB;
/// Entries larger than this must not declare a ratio above [`MAX_RATIO`].
const RATIO_CHECKED_FROM: u64 = 16 * MIB;
const MAX_RATIO: u64 = 100;
/// The largest sheet read, over the box holding its non-empty cells.
const MAX_SHEET_ROWS: u64 = 1_000_000;
const MAX_SHEET_CELLS: u64 = 20_000_000;

type Book<'a> = Sheets<Cursor<&'a [u8]>>;

/// Which spreadsheet format `data` is, from its bytes alone: `xlsx`,
/// `xlsm`, `xlsb`, `ods`, `xls`, or `encrypted` for a password-protected
/// workbook. `None` for anything else, other zips (jar, docx) and other
/// compound files (doc, msi) included.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(ZIP_MAGIC) {
        sniff_zip(data)
    } else if data.starts_with(CFB_MAGIC) {
        sniff_cfb(data)
    } else {
        None
    }
}

fn sniff_zip(data: &[u8]) -> Option<&'static str> {
    // OpenDocument puts an uncompressed `mimetype` entry first.
    if let Some(mime) = zipped::mimetype(data) {
        return mime.starts_with(ODS_MIME).then_some("ods");
    }
    zipped::kind_by_names(data, |has| {
        if has(b"xl/workbook.bin") {
            Some("xlsb")
        } else if has(b"xl/workbook.xml") {
            Some(if has(b"xl/vbaProject.bin") {
                "xlsm"
            } else {
                "xlsx"
            })
        } else {
            None
        }
    })
}

/// Compound files name their streams in 128-byte directory entries: the
/// name in UTF-16LE, then at byte 64 its length in bytes with the
/// terminator. Entries sit at 128-byte-aligned offsets after the 512-byte
/// header, whatever the sector size, so only those are looked at.
fn sniff_cfb(data: &[u8]) -> Option<&'static str> {
    let mut kind = None;
    let mut at = 512;
    while let Some(entry) = data.get(at..at + 128) {
        let len = usize::from(u16_at(entry, 64).unwrap_or(0));
        let name = entry.get(..len.saturating_sub(2)).unwrap_or(&[]);
        if is_utf16(name, "EncryptedPackage") {
            return Some("encrypted");
        }
        if is_utf16(name, "Workbook") || is_utf16(name, "Book") {
            kind = Some("xls");
        }
        at += 128;
    }
    kind
}

fn is_utf16(bytes: &[u8], name: &str) -> bool {
    bytes.len() == name.len() * 2
        && bytes
            .chunks(2)
            .zip(name.bytes())
            .all(|(pair, b)| pair == [b, 0])
}

/// Reads every worksheet that holds data into a [`Table`]. A sheet that
/// cannot be read is skipped so the others still count; the workbook is an
/// error only when no sheet could be read and one failed.
pub fn read(data: &[u8]) -> Result<Extracted, ReadError> {
    read_as(data, sniff(data))
}

/// Like [`read`], for a workbook already sniffed as `kind`.
pub fn read_as(data: &[u8], kind: Option<&str>) -> Result<Extracted, ReadError> {
    if kind == Some("encrypted") {
        return Err(ReadError::Encrypted { kind: "workbook" });
    }
    if data.starts_with(ZIP_MAGIC) {
        check_zip(data)?;
    }
    // calamine indexes and subtracts on values from the file in places
    // (the xls reader's `DIMENSIONS` record, for one); a panic there must
    // cost this file, not the scan.
    std::panic::catch_unwind(|| read_sheets(data, kind)).unwrap_or_else(|_| {
        Err(corrupt(
            "the spreadsheet library failed on this file".into(),
        ))
    })
}

fn read_sheets(data: &[u8], kind: Option<&str>) -> Result<Extracted, ReadError> {
    let mut book = open(data, kind)?;
    let sheets = book.sheets_metadata().to_vec();
    let mut out = Extracted::default();
    let mut failed = None;
    for sheet in sheets {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        match read_sheet(&mut book, &sheet.name) {
            Ok(Some(mut table)) => {
                table.hidden = matches!(
                    sheet.visible,
                    SheetVisible::Hidden | SheetVisible::VeryHidden
                );
                out.tables.push(table);
            }
            Ok(None) => {}
            Err(e @ ReadError::TooLarge { .. }) => return Err(e),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) if out.tables.is_empty() => Err(e),
        _ => Ok(out),
    }
}

/// Refuses a zip whose central directory declares more than can safely be
/// inflated. The declarations are all there is to go on before inflating.
fn check_zip(data: &[u8]) -> Result<(), ReadError> {
    let archive = zip::ZipArchive::new(Cursor::new(data))
        .map_err(|e| corrupt(format!("damaged zip archive: {e}")))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            continue;
        };
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if size > RATIO_CHECKED_FROM && size / packed.max(1) > MAX_RATIO {
            let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(too_large(format!(
                "entry {name:?} declares {size} bytes from {packed} compressed, a ratio over {MAX_RATIO}:1"
            )));
        }
    }
    if total > MAX_UNCOMPRESSED {
        return Err(too_large(format!(
            "its entries declare {total} bytes uncompressed, over the limit of {MAX_UNCOMPRESSED}"
        )));
    }
    Ok(())
}

/// Opens with the reader the bytes call for, so that a damaged file gets
/// that reader's own message rather than "cannot detect file format".
fn open<'a>(data: &'a [u8], kind: Option<&str>) -> Result<Book<'a>, ReadError> {
    let rs = Cursor::new(data);
    match kind {
        Some("xlsx" | "xlsm") => open_workbook_from_rs::<Xlsx<_>, _>(rs)
            .map(Sheets::Xlsx)
            .map_err(|e| open_error(matches!(e, XlsxError::Password), e)),
        Some("xlsb") => open_workbook_from_rs::<Xlsb<_>, _>(rs)
            .map(Sheets::Xlsb)
            .map_err(|e| open_error(matches!(e, XlsbError::Password), e)),
        Some("ods") => open_workbook_from_rs::<Ods<_>, _>(rs)
            .map(Sheets::Ods)
            .map_err(|e| open_error(matches!(e, OdsError::Password), e)),
        Some("xls") => open_workbook_from_rs::<Xls<_>, _>(rs)
            .map(Sheets::Xls)
            .map_err(|e| open_error(matches!(e, XlsError::Password), e)),
        _ => open_workbook_auto_from_rs(rs).map_err(|e| open_error(false, e)),
    }
}

fn open_error(password: bool, e: impl std::fmt::Display) -> ReadError {
    if password {
        ReadError::Encrypted { kind: "workbook" }
    } else {
        corrupt(e.to_string())
    }
}

fn corrupt(reason: String) -> ReadError {
    ReadError::Corrupt {
        kind: "workbook",
        reason,
    }
}

fn too_large(reason: String) -> ReadError {
    ReadError::TooLarge {
        kind: "workbook",
        reason,
    }
}

fn read_sheet(book: &mut Book<'_>, name: &str) -> Result<Option<Table>, ReadError> {
    let mut grid = Grid::default();
    let sheet_error = |e: &dyn std::fmt::Display| corrupt(format!("sheet {name:?}: {e}"));
    // xlsx and xlsb are streamed cell by cell: calamine's ranges are dense,
    // and two cells at A1 and XFD1048576 would allocate billions.
    match book {
        Sheets::Xlsx(x) => {
            let mut cells = x
                .worksheet_cells_reader(name)
                .map_err(|e| sheet_error(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| sheet_error(&e))? {
                grid.add(cell.get_position(), text_of_ref(cell.get_value()))?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut cells = x
                .worksheet_cells_reader(name)
                .map_err(|e| sheet_error(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| sheet_error(&e))? {
                grid.add(cell.get_position(), text_of_ref(cell.get_value()))?;
            }
        }
        // The xls and ods readers bound their own sizes.
        Sheets::Xls(_) | Sheets::Ods(_) => {
            let range = book.worksheet_range(name).map_err(|e| sheet_error(&e))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                let at = (top.saturating_add(r as u32), left.saturating_add(c as u32));
                grid.add(at, text_of(value))?;
            }
        }
    }
    Ok(grid.finish(format!("sheet {name:?}")))
}

/// The non-empty cells of a sheet by row, with the box that holds them.
#[derive(Default)]
struct Grid {
    rows: BTreeMap<u32, Vec<(u32, String)>>,
    /// Top, bottom, left and right of the non-empty cells.
    bounds: Option<(u32, u32, u32, u32)>,
    /// Rows past those kept, counted for `total_rows`.
    more_rows: usize,
    last_more_row: Option<u32>,
}

impl Grid {
    fn add(&mut self, (row, col): (u32, u32), text: String) -> Result<(), ReadError> {
        if text.is_empty() {
            return Ok(());
        }
        let (top, bottom, left, right) = match self.bounds {
            None => (row, row, col, col),
            Some((t, b, l, r)) => (t.min(row), b.max(row), l.min(col), r.max(col)),
        };
        self.bounds = Some((top, bottom, left, right));
        let height = u64::from(bottom - top) + 1;
        let cells = height.saturating_mul(u64::from(right - left) + 1);
        if height > MAX_SHEET_ROWS || cells > MAX_SHEET_CELLS {
            return Err(too_large(format!(
                "a sheet spans {height} rows and {cells} cells, over the limit of \
                 {MAX_SHEET_ROWS} rows or {MAX_SHEET_CELLS} cells"
            )));
        }
        // The header and MAX_ROWS rows are kept; later rows only counted.
        if self.rows.len() > MAX_ROWS && !self.rows.contains_key(&row) {
            if self.last_more_row != Some(row) {
                self.more_rows += 1;
                self.last_more_row = Some(row);
            }
            return Ok(());
        }
        self.rows.entry(row).or_default().push((col, text));
        Ok(())
    }

    /// The first non-empty row is the header; rows are numbered from 1 as
    /// the spreadsheet shows them, and columns start at the leftmost used.
    fn finish(self, origin: String) -> Option<Table> {
        let (_, _, left, _) = self.bounds?;
        let mut rows = self.rows.into_iter();
        let (_, header) = rows.next()?;
        let mut table = Table::new(origin, dense(header, left));
        for (row, cells) in rows {
            table.push(row.saturating_add(1), dense(cells, left));
        }
        table.total_rows += self.more_rows;
        Some(table)
    }
}

fn dense(mut cells: Vec<(u32, String)>, left: u32) -> Vec<String> {
    cells.sort_by_key(|(c, _)| *c);
    let width = cells
        .last()
        .map_or(0, |(c, _)| (c.saturating_sub(left) as usize) + 1);
    let mut out = vec![String::new(); width];
    for (c, text) in cells {
        if let Some(slot) = out.get_mut(c.saturating_sub(left) as usize) {
            *slot = text;
        }
    }
    out
}

fn text_of(value: &Data) -> String {
    match value {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(dt) => datetime_text(dt),
        Data::Error(e) => error_text(e),
        Data::Empty => String::new(),
    }
}

fn text_of_ref(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            s.trim().to_string()
        }
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::Error(e) => error_text(e),
        DataRef::Empty => String::new(),
    }
}

/// Rust never prints floats in exponent form, and prints integral ones
/// without a fraction: `9434765919`, as an NHS number was typed.
fn float_text(f: f64) -> String {
    if f == 0.0 { "0".into() } else { f.to_string() }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.into()
}

fn error_text(e: &CellErrorType) -> String {
    e.to_string()
}

/// ISO 8601: a date, a date and time, or a time of day alone (serials
/// below 1). calamine's conversion is used rather than a new one: it
/// keeps Excel's 1900 leap-year bug and knows whether the workbook counts
/// from 1904, which the value carries but does not expose.
fn datetime_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() {
        let secs = (serial * 86_400.0).round() as i64;
        return format!("{}:{:02}:{:02}", secs / 3600, (secs / 60) % 60, secs % 60);
    }
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if (0.0..1.0).contains(&serial) {
        format!("{h:02}:{mi:02}:{s:02}")
    } else if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

#[cfg(test)]
#[path = "spreadsheet_tests.rs"]
mod tests;
