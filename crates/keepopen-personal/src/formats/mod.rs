//! Readers: turn one file's bytes into what the judges look at, namely
//! [`Table`]s and free [`Text`]s. A reader that cannot read its input
//! returns a [`ReadError`] that says why in words a user can act on; the
//! detector turns it into a per-file message and the scan goes on.

pub mod datafile;
pub mod delimited;
pub mod document;
mod document_xml;
pub mod html;
pub mod notebook;
pub mod records;
pub mod spreadsheet;
pub mod sql;
pub(crate) mod zipped;

use crate::table::Table;

/// Free text found inside a structured file: a notebook's source cell or
/// text output, a document's body or header. It is searched for
/// identifiers like any text file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// Where it sits, for the report: `cell 3`, `cell 3 output`, `header 1`;
    /// empty for a document's body.
    pub origin: String,
    pub text: String,
    /// What each line of `text` is, in order, when a report should point at
    /// the line itself: a document's text has one line per paragraph or
    /// table row, and no lines of its own in the file. Empty when a value
    /// is to be located in the file instead (a notebook's JSON).
    pub places: Vec<Place>,
}

impl Text {
    /// Where 1-based `line` sits, for a report: `paragraph 12`, `header 1,
    /// table 1, row 3`. `None` when the text's lines are not places.
    pub fn place(&self, line: u32) -> Option<String> {
        let place = self.places.get((line as usize).checked_sub(1)?)?;
        let what = match place {
            Place::Paragraph => format!("paragraph {line}"),
            Place::Row { table, row } => format!("table {table}, row {row}"),
        };
        Some(if self.origin.is_empty() {
            what
        } else {
            format!("{}, {what}", self.origin)
        })
    }
}

/// What one line of a document's text is. Paragraphs are numbered by
/// their line, a table row counting as one, so that the number a report
/// shows is the finding's line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Paragraph,
    /// Row `row` of table `table`, both counted from 1.
    Row {
        table: u32,
        row: u32,
    },
}

/// What a reader found in one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    pub tables: Vec<Table>,
    pub texts: Vec<Text>,
    /// Image outputs kept in a notebook (`image/png` and the like): their
    /// origins. They may show patient data and cannot be read.
    pub images: Vec<String>,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// Not what it looked like, or damaged.
    #[error("{kind} could not be read: {reason}")]
    Corrupt { kind: &'static str, reason: String },
    /// Encrypted: a password-protected workbook or document.
    #[error("{kind} is password-protected and cannot be checked")]
    Encrypted { kind: &'static str },
    /// Declared sizes that would exhaust memory: a zip bomb or a huge sheet.
    #[error("{kind} was not opened: {reason}")]
    TooLarge { kind: &'static str, reason: String },
}
