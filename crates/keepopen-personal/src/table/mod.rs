//! A table, whatever it was read from: a delimited file, JSON records, SQL
//! `INSERT` rows, a notebook's HTML or text output, or a spreadsheet's
//! sheet. Every reader in `formats/` produces [`Table`]s; everything that
//! judges a table (which columns hold identifiers, whether rows describe
//! patients, whether counts are suppressed) works on this one type.

pub mod clinical;
pub mod columns;
pub mod disclosure;
pub mod judge;
pub mod passwords;
pub mod staff;

/// At most this many rows are kept for analysis; `total_rows` still counts
/// every row, so a report can say how large the extract is.
pub const MAX_ROWS: usize = 200_000;

/// One table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Where in the file the table sits, for the report: empty for a whole
    /// delimited file, or `sheet "Patients"`, `cell 4 output`, and so on.
    pub origin: String,
    /// Column names. Empty names are allowed (a sheet with no header row);
    /// judging code falls back to values alone.
    pub header: Vec<String>,
    /// The data rows, header excluded, at most [`MAX_ROWS`].
    pub rows: Vec<Row>,
    /// Every data row, including any beyond [`MAX_ROWS`].
    pub total_rows: usize,
    /// From a hidden or very hidden spreadsheet sheet.
    pub hidden: bool,
}

/// One data row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// Where a report should point for this row: the 1-based line in the
    /// file for text formats, the 1-based row number for a spreadsheet.
    pub line: u32,
    /// Cell values as text, trimmed. A spreadsheet's integral numbers are
    /// written without a fraction (`9434765919`, not `9434765919.0`).
    pub cells: Vec<String>,
}

impl Table {
    /// A table from a header and rows, counting rows as it goes.
    pub fn new(origin: impl Into<String>, header: Vec<String>) -> Self {
        Table {
            origin: origin.into(),
            header,
            ..Default::default()
        }
    }

    /// Adds a row, keeping at most [`MAX_ROWS`] of them.
    pub fn push(&mut self, line: u32, cells: Vec<String>) {
        self.total_rows += 1;
        if self.rows.len() < MAX_ROWS {
            self.rows.push(Row { line, cells });
        }
    }

    /// The number of columns: the widest of the header and the rows.
    pub fn width(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.cells.len())
            .chain([self.header.len()])
            .max()
            .unwrap_or(0)
    }

    /// The values of column `c`, with each row's line; missing cells in
    /// ragged rows are skipped.
    pub fn column(&self, c: usize) -> impl Iterator<Item = (u32, &str)> {
        self.rows
            .iter()
            .filter_map(move |r| r.cells.get(c).map(|v| (r.line, v.as_str())))
    }

    /// Column `c`'s name, or empty.
    pub fn name(&self, c: usize) -> &str {
        self.header.get(c).map(String::as_str).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_rows_widen_the_table_and_skip_missing_cells() {
        let mut t = Table::new("", vec!["a".into(), "b".into()]);
        t.push(2, vec!["1".into()]);
        t.push(3, vec!["2".into(), "x".into(), "extra".into()]);
        assert_eq!(t.width(), 3);
        assert_eq!(t.column(1).collect::<Vec<_>>(), vec![(3, "x")]);
        assert_eq!(t.total_rows, 2);
        assert_eq!(t.name(2), "");
    }
}
