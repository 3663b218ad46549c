//! Delimited tables: CSV, TSV, pipe- and semicolon-separated. History
//! blobs come without names, so a table is recognised by its shape: the
//! first lines split into the same number of fields (two or more) on one
//! delimiter, allowing one line in five to be ragged. Code rarely does that over several lines; an extract always
//! does. Parsing is the `csv` crate's, flexible about ragged rows.

use crate::table::Table;

const DELIMITERS: [u8; 4] = [b',', b'\t', b'|', b';'];
/// Lines looked at to decide.
const SNIFF_LINES: usize = 30;
/// Bytes looked at to decide.
const SNIFF_BYTES: usize = 64 * 1024;

/// The delimiter `data` is a table of, if it looks like one.
pub fn sniff(data: &[u8]) -> Option<u8> {
    let data = strip_bom(data);
    let head = &data[..data.len().min(SNIFF_BYTES)];
    // Every line of a table has the delimiter, the first one included: most
    // text is ruled out here, before any line is split.
    let first = head
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))?;
    let candidates: Vec<u8> = DELIMITERS
        .iter()
        .copied()
        .filter(|&d| splits(first, d))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    // A cut line at the end of the sample is not evidence.
    let cut = head.len() < data.len();
    let mut lines: Vec<&[u8]> = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(SNIFF_LINES + 1)
        .collect();
    if cut || lines.len() > SNIFF_LINES {
        lines.pop();
    }
    if lines.len() < 2 || looks_like_code(&lines) {
        return None;
    }
    candidates
        .into_iter()
        .filter_map(|d| {
            let counts: Vec<usize> = lines.iter().map(|l| fields(l, d)).collect();
            let first = counts[0];
            let same = counts.iter().filter(|&&c| c == first).count();
            (first >= 2 && same * 10 >= counts.len() * 8 && same >= 2).then_some((first, d))
        })
        .max_by_key(|&(n, d)| (n, d == b','))
        .map(|(_, d)| d)
}

/// Whether `line` splits on `d` outside double quotes (`fields(line, d)`
/// is at least 2), read only to the first split. A minified file's first line is
/// the whole sample, and most of them split early.
fn splits(line: &[u8], d: u8) -> bool {
    // Without quotes, any delimiter splits it: found with SIMD.
    if memchr::memchr(b'"', line).is_none() {
        return memchr::memchr(d, line).is_some();
    }
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            return true;
        }
    }
    false
}

/// Fields in one line split on `d`, outside double quotes.
fn fields(line: &[u8], d: u8) -> usize {
    let mut n = 1;
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

/// Source code also has lines with the same number of commas (argument
/// lists, array literals); its lines end with `;`, `{` or `(`, or begin
/// with keywords. A table's lines do not.
fn looks_like_code(lines: &[&[u8]]) -> bool {
    let code = lines
        .iter()
        .filter(|l| {
            let t = l.trim_ascii();
            t.ends_with(b"{")
                || t.ends_with(b"(")
                || t.ends_with(b");")
                || t.starts_with(b"//")
                || t.starts_with(b"import ")
                || t.starts_with(b"def ")
                || t.starts_with(b"function ")
                || t.starts_with(b"#include")
                || t.starts_with(b"<")
        })
        .count();
    code * 4 >= lines.len()
}

fn strip_bom(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data)
}

/// Reads `data` as a table split on `delimiter`. The first row is the
/// header when none of its cells is a number or an identifier.
pub fn read(data: &[u8], delimiter: u8) -> Table {
    let bom = data.len() - strip_bom(data).len();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(&data[bom..]);
    let mut table = Table::default();
    let mut record = csv::ByteRecord::new();
    let lines = keepopen_content::lines::Lines::new(data);
    let mut first = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // A broken record (bad quoting at the end) ends the table; the
            // rows read so far still count.
            Err(_) => break,
        }
        // The crate's own line count skips blank lines; its byte offset
        // does not, though a record after blank lines starts at them.
        let line = record.position().map_or(0, |p| {
            let at = bom + p.byte() as usize;
            let skip = data.get(at..).map_or(0, |r| {
                r.iter().take_while(|b| matches!(b, b'\n' | b'\r')).count()
            });
            lines.position(at + skip).0
        });
        let cells: Vec<String> = record
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_string())
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if first {
            first = false;
            if is_header(&cells) {
                table.header = cells;
                continue;
            }
        }
        table.push(line, cells);
    }
    table
}

/// The header row of `data` split on `delimiter`, or nothing when its
/// first row is data.
pub fn header(data: &[u8], delimiter: u8) -> Vec<String> {
    let body = strip_bom(data);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {
            let cells: Vec<String> = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect();
            if is_header(&cells) { cells } else { Vec::new() }
        }
        _ => Vec::new(),
    }
}

/// A header row names columns: no cell is a number, a date or a personal
/// value.
pub fn is_header(cells: &[String]) -> bool {
    cells.iter().all(|c| {
        let c = c.trim();
        !c.is_empty()
            && c.parse::<f64>().is_err()
            && crate::ids::date::parse(c).is_none()
            && !crate::ids::looks_personal(c)
            && c.chars().any(char::is_alphabetic)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_splits_where_it_has_two_fields_or_more() {
        // Every line of up to six bytes of text, quotes and delimiters.
        let alphabet = b"a,\"|;\t";
        for len in 0..=6u32 {
            for n in 0..alphabet.len().pow(len) {
                let line: Vec<u8> = (0..len)
                    .map(|k| alphabet[n / alphabet.len().pow(k) % alphabet.len()])
                    .collect();
                for d in DELIMITERS {
                    assert_eq!(
                        super::splits(&line, d),
                        super::fields(&line, d) >= 2,
                        "{line:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn extracts_of_every_delimiter_are_sniffed() {
        assert_eq!(sniff(b"a,b,c\n1,2,3\n4,5,6\n"), Some(b','));
        assert_eq!(sniff(b"\xEF\xBB\xBFa\tb\n1\t2\r\n3\t4\r\n"), Some(b'\t'));
        assert_eq!(sniff(b"a|b|c\n1|2|3\n"), Some(b'|'));
        assert_eq!(sniff(b"a;b\n\"1;x\";2\n3;4\n"), Some(b';'));
    }

    #[test]
    fn prose_and_code_are_not_tables() {
        assert_eq!(
            sniff(b"Hello, world.\nThis is prose, with commas, here.\nAnd more.\n"),
            None
        );
        assert_eq!(
            sniff(b"fn f(a, b) {\n    g(a, b);\n    h(a, b);\n}\n"),
            None
        );
        assert_eq!(sniff(b"one line, only\n"), None);
    }

    #[test]
    fn ragged_rows_quotes_and_lines_are_kept() {
        let t = read(
            b"\xEF\xBB\xBFnhs_number,name\n\"1,2\",x\n3\n\n4,y,extra\n",
            b',',
        );
        assert_eq!(t.header, vec!["nhs_number", "name"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].cells, vec!["1,2", "x"]);
        assert_eq!(t.rows[1].line, 3);
        assert_eq!(t.rows[2].line, 5);
        assert_eq!(t.width(), 3);
    }

    #[test]
    fn headerless_tables_and_bad_bytes_are_read() {
        let t = read(b"4010232138,\xff\xfe\n6123456786,b\n", b',');
        assert!(t.header.is_empty());
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1], "\u{fffd}\u{fffd}");
    }
}
