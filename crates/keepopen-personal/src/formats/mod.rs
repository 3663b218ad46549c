//! Readers: turn one file's bytes into what the judges look at, namely
//! [`Table`]s and free [`Text`]s. A reader that cannot read its input
//! returns a [`ReadError`] that says why in words a user can act on; the
//! detector turns it into a per-file message and the scan goes on.

pub mod datafile;
pub mod delimited;
pub mod html;
pub mod notebook;
pub mod records;
pub mod spreadsheet;
pub mod sql;

use crate::table::Table;

/// Free text found inside a structured file: a notebook's source cell or
/// text output. It is searched for identifiers like any text file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// Where it sits, for the report: `cell 3`, `cell 3 output`.
    pub origin: String,
    pub text: String,
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
    /// Encrypted: a password-protected workbook.
    #[error("{kind} is password-protected and cannot be checked")]
    Encrypted { kind: &'static str },
    /// Declared sizes that would exhaust memory: a zip bomb or a huge sheet.
    #[error("{kind} was not opened: {reason}")]
    TooLarge { kind: &'static str, reason: String },
}
