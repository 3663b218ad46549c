//! The text of one XML part of a document: Word's `word/document.xml`,
//! headers, footers and notes, or OpenDocument's `content.xml`. It becomes
//! one line per paragraph outside tables and one per table row, and each
//! outermost table is also a [`Table`] for the table judges. Runs of text
//! are joined as written: Word splits a word, or a number, into runs
//! wherever formatting or spell-checking state changes. Elements are
//! matched by local name, so Strict OOXML and unusual prefixes read alike.

use super::Place;
use crate::table::{Table, columns};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// How deep elements may nest. Word and LibreOffice write a few dozen
/// levels at most (a table in a cell in a text box); deeper is hostile.
pub(super) const MAX_DEPTH: usize = 256;

/// The cells a row may be padded to by OpenDocument's repeat counts: rows
/// of `table:number-columns-repeated="1024"` empty cells are common.
const MAX_ROW_CELLS: usize = 1024;

/// The cells repeat counts may add in one part, all rows together: a
/// hundred bytes of XML must not become a thousand cells kept per row.
const MAX_REPEATED_CELLS: usize = 100_000;

/// The most spaces one `text:s` stands for.
const MAX_SPACES: usize = 64;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Dialect {
    /// WordprocessingML (`w:`).
    #[default]
    Word,
    /// OpenDocument (`text:`, `table:`).
    Open,
}

/// What a part holds once read.
#[derive(Debug, Default)]
pub(super) struct Part {
    /// One line per paragraph or table row that holds text.
    pub text: String,
    /// What each line of `text` is.
    pub places: Vec<Place>,
    pub tables: Vec<Table>,
}

/// What an element does to the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Paragraph,
    Table,
    Row,
    Cell,
    /// Word's run text (`w:t`, tracked deletions' `w:delText`): the only
    /// character data Word shows.
    Run,
    Tab,
    Break,
    /// OpenDocument's `text:s`: `text:c` spaces.
    Spaces,
    /// Inline content of its own within a paragraph (a comment, a note, a
    /// frame): set apart so that its text does not run into a number.
    Aside,
    /// Not read: a second rendering of the same content (`mc:Fallback`),
    /// paragraph properties (their tab stops), a note's reference mark.
    Skip,
    Other,
}

fn role(dialect: Dialect, local: &str) -> Role {
    match (dialect, local) {
        (Dialect::Word, "p") => Role::Paragraph,
        (Dialect::Word, "tbl") => Role::Table,
        (Dialect::Word, "tr") => Role::Row,
        (Dialect::Word, "tc") => Role::Cell,
        (Dialect::Word, "t" | "delText") => Role::Run,
        (Dialect::Word, "tab" | "ptab") => Role::Tab,
        (Dialect::Word, "br" | "cr") => Role::Break,
        (Dialect::Word, "Fallback" | "pPr") => Role::Skip,
        (Dialect::Open, "p" | "h") => Role::Paragraph,
        (Dialect::Open, "table") => Role::Table,
        (Dialect::Open, "table-row") => Role::Row,
        (Dialect::Open, "table-cell" | "covered-table-cell") => Role::Cell,
        (Dialect::Open, "tab") => Role::Tab,
        (Dialect::Open, "line-break") => Role::Break,
        (Dialect::Open, "s") => Role::Spaces,
        (Dialect::Open, "annotation" | "note" | "frame") => Role::Aside,
        (Dialect::Open, "note-citation") => Role::Skip,
        _ => Role::Other,
    }
}

/// One open element.
struct Frame {
    role: Role,
    /// A paragraph, table, row or cell of the part's own structure, rather
    /// than one nested inside a cell or a paragraph, whose text is flattened.
    real: bool,
    /// How many cells an OpenDocument cell stands for.
    repeat: usize,
}

/// Reads one part; `table_prefix` goes before each table's origin
/// (`header 1, `). The error says what is wrong and where, in bytes.
pub(super) fn read(xml: &str, dialect: Dialect, table_prefix: &str) -> Result<Part, String> {
    let mut w = Walker {
        dialect,
        table_prefix: table_prefix.to_string(),
        ..Walker::default()
    };
    let mut reader = Reader::from_str(xml);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("invalid XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => w.open(&e)?,
            Event::Empty(e) => {
                w.open(&e)?;
                w.close();
            }
            Event::End(_) => w.close(),
            Event::Text(t) => w.chars(&t.xml10_content()),
            Event::CData(t) => w.chars(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined(&r),
                    Err(_) => None,
                };
                if let Some(c) = c {
                    w.chars(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !w.stack.is_empty() {
        return Err(format!(
            "invalid XML: {} elements left open at the end",
            w.stack.len()
        ));
    }
    Ok(w.out)
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

#[derive(Default)]
struct Walker {
    dialect: Dialect,
    table_prefix: String,
    out: Part,
    stack: Vec<Frame>,
    /// Elements open inside a skipped one, itself included.
    skip: usize,
    /// Paragraphs and Word runs open.
    paragraphs: usize,
    runs: usize,
    /// The paragraph being read, outside tables.
    paragraph: String,
    /// The table being read, its number, the rows seen in it, and the
    /// line of its first row.
    table: Option<Table>,
    tables: u32,
    rows: u32,
    header_line: u32,
    row: Option<Vec<String>>,
    cell: Option<String>,
    /// Cells added by repeat counts so far.
    repeated: usize,
}

impl Walker {
    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("elements nested deeper than {MAX_DEPTH} levels"));
        }
        let role = if self.skip > 0 {
            Role::Skip
        } else {
            role(self.dialect, e.local_name().as_ref())
        };
        let mut frame = Frame {
            role,
            real: false,
            repeat: 1,
        };
        match role {
            Role::Skip => self.skip += 1,
            Role::Run => self.runs += 1,
            Role::Paragraph => {
                self.separate();
                self.paragraphs += 1;
            }
            Role::Table if self.table.is_none() && self.paragraphs == 0 => {
                frame.real = true;
                self.tables += 1;
                self.rows = 0;
                let origin = format!("{}table {}", self.table_prefix, self.tables);
                self.table = Some(Table::new(origin, Vec::new()));
            }
            Role::Row if self.table.is_some() && self.row.is_none() && self.cell.is_none() => {
                frame.real = true;
                self.row = Some(Vec::new());
            }
            Role::Cell if self.row.is_some() && self.cell.is_none() => {
                frame.real = true;
                frame.repeat = attribute(e, "number-columns-repeated").unwrap_or(1).max(1);
                self.cell = Some(String::new());
            }
            Role::Table | Role::Row | Role::Cell | Role::Break | Role::Aside => self.separate(),
            Role::Tab => self.push("\t"),
            Role::Spaces => {
                let n = attribute(e, "c").unwrap_or(1).min(MAX_SPACES);
                self.push(&" ".repeat(n));
            }
            Role::Other => {}
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match (frame.role, frame.real) {
            (Role::Skip, _) => self.skip = self.skip.saturating_sub(1),
            (Role::Run, _) => self.runs = self.runs.saturating_sub(1),
            (Role::Paragraph, _) => {
                self.paragraphs = self.paragraphs.saturating_sub(1);
                if self.paragraphs == 0 && self.table.is_none() {
                    let text = std::mem::take(&mut self.paragraph);
                    self.line(&text, Place::Paragraph);
                } else {
                    self.separate();
                }
            }
            (Role::Cell, true) => {
                let text = self.cell.take().unwrap_or_default();
                let text = text.trim();
                if let Some(row) = &mut self.row {
                    // Repeats stand for runs of empty cells (a cell with
                    // text counts once) and pad the columns after them;
                    // past the caps they are dropped, never a cell's text.
                    let repeat = if text.is_empty() { frame.repeat } else { 1 };
                    let room = MAX_ROW_CELLS
                        .saturating_sub(row.len() + 1)
                        .min(MAX_REPEATED_CELLS.saturating_sub(self.repeated));
                    let extra = repeat.saturating_sub(1).min(room);
                    self.repeated += extra;
                    row.extend(std::iter::repeat_n(String::new(), extra));
                    row.push(text.to_string());
                }
            }
            (Role::Row, true) => self.end_row(),
            (Role::Table, true) => {
                if let Some(t) = self.table.take()
                    && !t.rows.is_empty()
                {
                    let t = as_record(&t, self.header_line).unwrap_or(t);
                    self.out.tables.push(t);
                }
            }
            (Role::Table | Role::Row | Role::Cell | Role::Aside, false) => self.separate(),
            _ => {}
        }
    }

    fn end_row(&mut self) {
        let mut cells = self.row.take().unwrap_or_default();
        self.rows += 1;
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.is_empty() {
            return;
        }
        let shown: Vec<&str> = cells
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        let place = Place::Row {
            table: self.tables,
            row: self.rows,
        };
        self.line(&shown.join(" | "), place);
        let line = u32::try_from(self.out.places.len()).unwrap_or(u32::MAX);
        if let Some(t) = &mut self.table {
            if t.header.is_empty() && t.total_rows == 0 {
                t.header = cells;
                self.header_line = line;
            } else {
                t.push(line, cells);
            }
        }
    }

    /// Ends a line of the part's text.
    fn line(&mut self, text: &str, place: Place) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.out.text.push_str(text);
        self.out.text.push('\n');
        self.out.places.push(place);
    }

    /// Where character data goes now, if anywhere.
    fn target(&mut self) -> Option<&mut String> {
        if let Some(cell) = &mut self.cell {
            Some(cell)
        } else if self.table.is_none() && self.paragraphs > 0 {
            Some(&mut self.paragraph)
        } else {
            None
        }
    }

    fn push(&mut self, s: &str) {
        if self.skip == 0
            && let Some(t) = self.target()
        {
            t.push_str(s);
        }
    }

    /// A space between two pieces of text that must not run together.
    fn separate(&mut self) {
        if let Some(t) = self.target()
            && t.chars().next_back().is_some_and(|c| !c.is_whitespace())
        {
            t.push(' ');
        }
    }

    fn chars(&mut self, s: &str) {
        if self.skip > 0 {
            return;
        }
        let word = self.dialect == Dialect::Word;
        if word && self.runs == 0 {
            return;
        }
        let Some(t) = self.target() else {
            return;
        };
        for c in s.chars() {
            // OpenDocument collapses white space, as HTML does; Word keeps
            // it, but a line break inside its text is not one.
            let kept = !c.is_whitespace() || (word && c != '\n' && c != '\r');
            if kept {
                t.push(c);
            } else if t.chars().next_back().is_some_and(|c| c != ' ') {
                t.push(' ');
            }
        }
    }
}

/// A form: labels beside their values, a pair or two a row (`Patient
/// name | Ann Example`, `NHS number | …`). It describes one person, so it
/// is judged as one record, labels as the header and values as the row,
/// at the form's first line. Read as rows, its first pair would be taken
/// for column names, and a patient's name shown in every report. A table
/// whose first column holds values (a number, a date) is no form.
fn as_record(t: &Table, line: u32) -> Option<Table> {
    let width = t.width();
    if width != 2 && width != 4 {
        return None;
    }
    let rows = std::iter::once(&t.header).chain(t.rows.iter().map(|r| &r.cells));
    let (mut labels, mut values) = (Vec::new(), Vec::new());
    for pair in rows.flat_map(|r| r.chunks(2)) {
        let label = pair.first().map(|l| l.trim_end_matches(':').trim());
        if let Some(label) = label.filter(|l| !l.is_empty()) {
            labels.push(label.to_string());
            values.push(pair.get(1).cloned().unwrap_or_default());
        }
    }
    let named = labels
        .iter()
        .filter(|l| columns::named(l).is_some())
        .count();
    let valued = labels
        .iter()
        .any(|l| crate::ids::looks_personal(l) || crate::ids::date::parse(l).is_some());
    if named < 2 || named * 2 < labels.len() || valued {
        return None;
    }
    let mut record = Table::new(t.origin.clone(), labels);
    record.push(line, values);
    Some(record)
}

/// A count attribute by local name: `table:number-columns-repeated`,
/// `text:c`.
fn attribute(e: &BytesStart<'_>, local: &str) -> Option<usize> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.value.trim().parse().ok())
}
