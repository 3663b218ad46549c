//! Tables in HTML: a notebook's `text/html` output (pandas `to_html`,
//! styled frames) or a rendered Quarto / R Markdown page (knitr tables).
//! Written by hand because the input is untrusted and often broken: the
//! reader only needs `table`, `tr`, `th` and `td`, must survive unclosed
//! and nested tables, and must never panic.

use crate::table::Table;

/// More tables than this in one input are ignored: a page of hundreds of
/// tables is generated output, and the first ones show what it holds.
const MAX_TABLES: usize = 50;

/// `colspan` and `rowspan` beyond these are treated as these, so that a
/// hostile `colspan="999999999"` cannot allocate gigabytes.
const MAX_COLSPAN: usize = 64;
const MAX_ROWSPAN: usize = 10_000;

/// Every table in `html`, in document order. The first keeps `origin`;
/// later ones get ` table 2`, ` table 3` and so on appended. Rows carry
/// line 0: the caller locates values in the file itself (a notebook's
/// HTML is a string inside the file).
pub fn tables(html: &str, origin: &str) -> Vec<Table> {
    parse(html, origin, false)
}

/// [`tables`] of a page that is the whole file: each row carries the line
/// its `<tr>` is on, so that a finding about a row of counts points at
/// the table, not at the first `0` in the page.
pub fn tables_with_lines(html: &str, origin: &str) -> Vec<Table> {
    parse(html, origin, true)
}

fn parse(html: &str, origin: &str, with_lines: bool) -> Vec<Table> {
    let mut open: Vec<Builder> = Vec::new();
    let mut done: Vec<Builder> = Vec::new();
    let mut started = 0usize;
    let mut tokens = Tokens { src: html, pos: 0 };
    while let Some(token) = tokens.next_token() {
        match token {
            Token::Text(text) => {
                if let Some(b) = open.last_mut() {
                    b.text(text);
                }
            }
            Token::Open(name, attrs) => match name.as_str() {
                "table" => {
                    if started >= MAX_TABLES && open.is_empty() {
                        break;
                    }
                    open.push(Builder::new(started));
                    started += 1;
                }
                _ => {
                    if let Some(b) = open.last_mut() {
                        b.pos = tokens.pos;
                        b.open(&name, attrs);
                    }
                }
            },
            Token::Close(name) => match name.as_str() {
                "table" => {
                    if let Some(mut b) = open.pop() {
                        b.end_row();
                        done.push(b);
                    }
                }
                _ => {
                    if let Some(b) = open.last_mut() {
                        b.close(&name);
                    }
                }
            },
        }
    }
    // Unclosed tables still hold whatever rows they got.
    while let Some(mut b) = open.pop() {
        b.end_row();
        done.push(b);
    }
    done.sort_by_key(|b| b.index);
    let mut out = Vec::new();
    for b in done.into_iter().filter(|b| b.index < MAX_TABLES) {
        let name = match (out.len(), origin.is_empty()) {
            (0, _) => origin.to_string(),
            (n, true) => format!("table {}", n + 1),
            (n, false) => format!("{origin} table {}", n + 1),
        };
        let lines = with_lines.then_some(html);
        if let Some(t) = b.finish(name, lines) {
            out.push(t);
        }
    }
    out
}

/// One cell as parsed: whether it was a `th`, its text, its spans.
struct Cell {
    th: bool,
    text: String,
    colspan: usize,
    rowspan: usize,
}

struct RawRow {
    in_head: bool,
    cells: Vec<Cell>,
    /// Where the row's tag ends in the input.
    at: usize,
}

/// A table being parsed. Tags are taken as they come; a missing `</td>`
/// or `</tr>` is implied by the next `<td>` or `<tr>`, as browsers do.
struct Builder {
    index: usize,
    /// Where the tag being handled ends in the input.
    pos: usize,
    rows: Vec<RawRow>,
    row: Option<RawRow>,
    cell: Option<Cell>,
    in_head: bool,
    in_caption: bool,
}

impl Builder {
    fn new(index: usize) -> Self {
        Builder {
            index,
            pos: 0,
            rows: Vec::new(),
            row: None,
            cell: None,
            in_head: false,
            in_caption: false,
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_caption {
            return;
        }
        if let Some(c) = self.cell.as_mut() {
            c.text.push_str(&decode_entities(text));
        }
    }

    fn open(&mut self, name: &str, attrs: &str) {
        match name {
            "thead" => {
                self.end_row();
                self.in_head = true;
            }
            "tbody" | "tfoot" => {
                self.end_row();
                self.in_head = false;
            }
            "caption" => self.in_caption = true,
            "tr" => {
                self.end_row();
                self.row = Some(RawRow {
                    in_head: self.in_head,
                    cells: Vec::new(),
                    at: self.pos,
                });
            }
            "th" | "td" => {
                self.end_cell();
                if self.row.is_none() {
                    self.row = Some(RawRow {
                        in_head: self.in_head,
                        cells: Vec::new(),
                        at: self.pos,
                    });
                }
                self.cell = Some(Cell {
                    th: name == "th",
                    text: String::new(),
                    colspan: span(attrs, "colspan", MAX_COLSPAN),
                    rowspan: span(attrs, "rowspan", MAX_ROWSPAN),
                });
            }
            // Line breaks and blocks separate words that the markup alone
            // kept apart.
            "br" | "p" | "div" | "li" => {
                if let Some(c) = self.cell.as_mut() {
                    c.text.push(' ');
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "th" | "td" => self.end_cell(),
            "tr" => self.end_row(),
            "thead" => {
                self.end_row();
                self.in_head = false;
            }
            "caption" => self.in_caption = false,
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        if let Some(c) = self.cell.take()
            && let Some(r) = self.row.as_mut()
        {
            r.cells.push(c);
        }
    }

    fn end_row(&mut self) {
        self.end_cell();
        if let Some(r) = self.row.take()
            && !r.cells.is_empty()
        {
            self.rows.push(r);
        }
    }

    /// Lays spans out on a grid, then takes the header rows: those in
    /// `<thead>`, or else a first row made only of `<th>`. Several header
    /// rows (pandas puts the index name on a second one, and column
    /// levels on several) are joined per column.
    fn finish(self, origin: String, lines: Option<&str>) -> Option<Table> {
        let grid = layout(self.rows);
        let head_rows = match grid.iter().take_while(|(head, ..)| *head).count() {
            0 => match grid.first() {
                Some((_, cells, _)) if cells.iter().all(|(th, _)| *th) => 1,
                _ => 0,
            },
            n => n,
        };
        let mut header: Vec<String> = Vec::new();
        for (_, cells, _) in grid.iter().take(head_rows) {
            for (i, (_, text)) in cells.iter().enumerate() {
                match header.get_mut(i) {
                    Some(h) if text.is_empty() || h == text => {}
                    Some(h) if h.is_empty() => *h = text.clone(),
                    Some(h) => {
                        h.push(' ');
                        h.push_str(text);
                    }
                    None => header.push(text.clone()),
                }
            }
        }
        let mut table = Table::new(origin, header);
        // Rows come in the order of the input: their lines are counted on.
        let (mut counted, mut line) = (0usize, 1u32);
        for (_, cells, at) in grid.into_iter().skip(head_rows) {
            let row_line = match lines {
                Some(text) if at >= counted => {
                    let upto = text.as_bytes().get(counted..at).unwrap_or(&[]);
                    line += memchr::memchr_iter(b'\n', upto).count() as u32;
                    counted = at;
                    line
                }
                Some(_) => line,
                None => 0,
            };
            table.push(row_line, cells.into_iter().map(|(_, t)| t).collect());
        }
        if table.header.is_empty() && table.rows.is_empty() {
            return None;
        }
        Some(table)
    }
}

/// Row cells placed in columns, with `colspan` repeated across and
/// `rowspan` carried down, so every value sits under its own header.
/// A laid-out row: whether it is in the head, its cells (each with whether
/// it was a `th`), and where its tag ends in the input.
type GridRow = (bool, Vec<(bool, String)>, usize);

fn layout(rows: Vec<RawRow>) -> Vec<GridRow> {
    // Per column: rows still to fill from above, and the value.
    let mut carried: Vec<Option<(usize, bool, String)>> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells: Vec<(bool, String)> = Vec::new();
        for cell in row.cells {
            fill_carried(&mut cells, &mut carried);
            let text = collapse(&cell.text);
            for _ in 0..cell.colspan {
                if cell.rowspan > 1 {
                    if carried.len() <= cells.len() {
                        carried.resize(cells.len() + 1, None);
                    }
                    if let Some(slot) = carried.get_mut(cells.len()) {
                        *slot = Some((cell.rowspan - 1, cell.th, text.clone()));
                    }
                }
                cells.push((cell.th, text.clone()));
            }
        }
        fill_carried(&mut cells, &mut carried);
        out.push((row.in_head, cells, row.at));
    }
    out
}

/// Copies values spanning down from earlier rows into the next columns.
fn fill_carried(cells: &mut Vec<(bool, String)>, carried: &mut [Option<(usize, bool, String)>]) {
    while let Some(slot) = carried.get_mut(cells.len()) {
        let Some((left, th, text)) = slot.take() else {
            break;
        };
        cells.push((th, text.clone()));
        if left > 1 {
            *slot = Some((left - 1, th, text));
        }
    }
}

/// The value of a numeric span attribute, at least 1 and at most `max`.
fn span(attrs: &str, name: &str, max: usize) -> usize {
    let lower = attrs.to_ascii_lowercase();
    let Some(at) = lower.find(name) else {
        return 1;
    };
    let rest = lower.get(at + name.len()..).unwrap_or("");
    let rest = rest
        .trim_start()
        .strip_prefix('=')
        .unwrap_or("")
        .trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let digits: String = rest
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, max)
}

/// Whitespace runs (including decoded `&nbsp;`) become one space.
fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes the entities that table output actually uses; anything else
/// is left as written.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at..).unwrap_or("");
        let semi = after.bytes().take(12).position(|b| b == b';');
        let decoded = semi.and_then(|end| {
            let name = after.get(1..end)?;
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse::<u32>().ok()?,
                    };
                    char::from_u32(code).unwrap_or('\u{fffd}')
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = after.get(used..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

enum Token<'a> {
    Text(&'a str),
    /// Lower-cased name, and the raw attribute text.
    Open(String, &'a str),
    Close(String),
}

/// A forgiving tokenizer. It only ever cuts the input at ASCII `<` and
/// `>`, which are always character boundaries in UTF-8.
struct Tokens<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    fn next_token(&mut self) -> Option<Token<'a>> {
        let bytes = self.src.as_bytes();
        loop {
            let rest = bytes.get(self.pos..)?;
            if rest.is_empty() {
                return None;
            }
            if rest.first() != Some(&b'<') {
                let len = memchr::memchr(b'<', rest).unwrap_or(rest.len());
                let text = self.src.get(self.pos..self.pos + len)?;
                self.pos += len;
                return Some(Token::Text(text));
            }
            if rest.starts_with(b"<!--") {
                self.pos += find(rest, b"-->").map_or(rest.len(), |i| i + 3);
                continue;
            }
            if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
                self.pos += memchr::memchr(b'>', rest).map_or(rest.len(), |i| i + 1);
                continue;
            }
            let closing = rest.get(1) == Some(&b'/');
            let name_start = if closing { 2 } else { 1 };
            let name_len = rest
                .get(name_start..)
                .unwrap_or(&[])
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            if name_len == 0 {
                // A bare `<`, as in `a < b`: text.
                let text = self.src.get(self.pos..self.pos + 1)?;
                self.pos += 1;
                return Some(Token::Text(text));
            }
            let name_end = name_start + name_len;
            let name = self.src.get(self.pos + name_start..self.pos + name_end)?;
            let name = name.to_ascii_lowercase();
            let end = tag_end(rest, name_end);
            let attrs = self
                .src
                .get(self.pos + name_end..self.pos + end.saturating_sub(1).max(name_end))
                .unwrap_or("");
            self.pos += end;
            if closing {
                return Some(Token::Close(name));
            }
            if matches!(name.as_str(), "script" | "style" | "textarea" | "template") {
                // Raw text: its `<` are not tags.
                let here = bytes.get(self.pos..).unwrap_or(&[]);
                let close = format!("</{name}");
                self.pos += find_ci(here, close.as_bytes()).unwrap_or(here.len());
                continue;
            }
            return Some(Token::Open(name, attrs));
        }
    }
}

/// Just past the `>` closing a tag that starts at 0, skipping quoted
/// attribute values; the end of input if there is none.
fn tag_end(tag: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in tag.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    tag.len()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
