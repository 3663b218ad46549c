//! Jupyter notebooks (nbformat 4, and the older 3): the source of every
//! cell, the text a run printed, the tables it displayed and the images it
//! kept. Outputs are where patient rows leak: `df.head()` saved with the
//! notebook puts an extract into the repository.

use super::{Extracted, ReadError, Text, html};
use crate::table::Table;
use serde_json::Value;

/// How much of the start of a blob [`looks_like`] reads.
const SNIFF_LEN: usize = 2048;

/// Whether `data` is probably a notebook, from its first bytes only: it
/// runs on every blob of a repository's history.
pub fn looks_like(data: &[u8]) -> bool {
    let head = data.get(..SNIFF_LEN).unwrap_or(data);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    if start.and_then(|i| head.get(i)) != Some(&b'{') {
        return false;
    }
    [&b"\"cells\""[..], b"\"worksheets\"", b"\"nbformat\""]
        .iter()
        .any(|key| memchr::memmem::find(head, key).is_some())
}

/// Reads a notebook. Anything of an unexpected shape inside it is
/// skipped: only JSON that does not parse, or that has no cells at all,
/// is an error.
pub fn read(data: &[u8]) -> Result<Extracted, ReadError> {
    let corrupt = |reason: String| ReadError::Corrupt {
        kind: "notebook",
        reason,
    };
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let root: Value =
        serde_json::from_slice(data).map_err(|e| corrupt(format!("invalid JSON: {e}")))?;
    let cells: Vec<&Value> = if let Some(cells) = root.get("cells").and_then(Value::as_array) {
        cells.iter().collect()
    } else if let Some(sheets) = root.get("worksheets").and_then(Value::as_array) {
        sheets
            .iter()
            .filter_map(|s| s.get("cells").and_then(Value::as_array))
            .flatten()
            .collect()
    } else {
        return Err(corrupt("no \"cells\" or \"worksheets\" list".into()));
    };
    let mut out = Extracted::default();
    for (i, cell) in cells.into_iter().enumerate() {
        read_cell(cell, i + 1, &mut out);
    }
    Ok(out)
}

fn read_cell(cell: &Value, n: usize, out: &mut Extracted) {
    // nbformat 3 code cells keep their source under `input`.
    let source = cell.get("source").or_else(|| cell.get("input"));
    if let Some(text) = source.and_then(joined) {
        push_text(out, format!("cell {n}"), text);
    }
    let Some(outputs) = cell.get("outputs").and_then(Value::as_array) else {
        return;
    };
    let origin = format!("cell {n} output");
    for output in outputs {
        let kind = output
            .get("output_type")
            .and_then(Value::as_str)
            .unwrap_or("");
        match kind {
            "stream" => {
                if let Some(text) = output.get("text").and_then(joined) {
                    // `print(df)` shows the frame the way its repr does.
                    out.tables.extend(printed_table(&text, &origin));
                    push_text(out, origin.clone(), text);
                }
            }
            "error" | "pyerr" => {
                let text = match output.get("traceback").and_then(joined_lines) {
                    Some(tb) => strip_ansi(&tb),
                    None => {
                        let part = |k| output.get(k).and_then(Value::as_str).unwrap_or("");
                        format!("{}: {}", part("ename"), part("evalue"))
                    }
                };
                push_text(out, origin.clone(), text);
            }
            _ => read_data(output, &origin, out),
        }
    }
}

/// nbformat 3 kept each representation on the output itself, under a
/// short name; nbformat 4 keeps them in `data`, by MIME type.
const V3_KEYS: [(&str, &str); 9] = [
    ("text", "text/plain"),
    ("html", "text/html"),
    ("markdown", "text/markdown"),
    ("latex", "text/latex"),
    ("json", "application/json"),
    ("png", "image/png"),
    ("jpeg", "image/jpeg"),
    ("svg", "image/svg+xml"),
    ("javascript", "application/javascript"),
];

fn read_data(output: &Value, origin: &str, out: &mut Extracted) {
    let mut reprs: Vec<(&str, &Value)> = Vec::new();
    if let Some(data) = output.get("data").and_then(Value::as_object) {
        reprs.extend(data.iter().map(|(k, v)| (k.as_str(), v)));
    } else {
        reprs.extend(
            V3_KEYS
                .iter()
                .filter_map(|(k, mime)| Some((*mime, output.get(*k)?))),
        );
    }
    let mut found_table = false;
    for (mime, value) in &reprs {
        if mime.starts_with("image/") {
            out.images.push(format!("{origin} ({mime})"));
        } else if *mime == "text/html"
            && let Some(html) = joined(value)
        {
            let tables = html::tables(&html, origin);
            found_table |= !tables.is_empty();
            out.tables.extend(tables);
        }
    }
    for (mime, value) in reprs {
        match mime {
            "text/plain" => {
                let Some(text) = joined(value) else { continue };
                // A DataFrame shows as HTML and as text; one table is enough.
                if !found_table && let Some(t) = printed_table(&text, origin) {
                    out.tables.push(t);
                }
                push_text(out, origin.to_string(), text);
            }
            "text/markdown" | "text/latex" => {
                if let Some(text) = joined(value) {
                    push_text(out, origin.to_string(), text);
                }
            }
            "application/json" => {
                let text = serde_json::to_string(value).unwrap_or_default();
                push_text(out, origin.to_string(), text);
            }
            _ => {}
        }
    }
}

fn push_text(out: &mut Extracted, origin: String, text: String) {
    if !text.trim().is_empty() {
        out.texts.push(Text {
            origin,
            text,
            places: Vec::new(),
        });
    }
}

/// A multiline string as nbformat stores it: a string, or a list of
/// strings that already end in their newlines.
fn joined(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => Some(parts.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// A traceback: a list of lines without their newlines.
fn joined_lines(v: &Value) -> Option<String> {
    match v {
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => joined(v),
    }
}

/// Removes terminal colour codes, which IPython puts all through a
/// traceback and which would split the values in it.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters, then one final byte in `@`..=`~`.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC `\`.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A table printed as text: a pandas `DataFrame` repr, or an R tibble or
/// `data.frame` print. Both start with a header line indented past the
/// row labels, then rows that each begin with a label (the index, or the
/// row number). The label column is dropped, unless pandas printed an
/// index name (`df.set_index("nhs_number")`), which makes it a named data
/// column. Returns `None` when the layout is not certain; the text is
/// searched anyway.
fn printed_table(text: &str, origin: &str) -> Option<Table> {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut total: Option<usize> = None;
    // pandas: `[100 rows x 5 columns]` after a blank line.
    if let Some(n) = lines.last().and_then(|l| pandas_footer(l)) {
        total = Some(n);
        lines.pop();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
    }
    let tibble = lines.first().is_some_and(|l| l.starts_with("# A tibble:"));
    if tibble {
        // `# A tibble: 100 × 5`; the tail says `# ℹ 95 more rows`.
        let dims = lines.first()?.trim_start_matches("# A tibble:").trim();
        total = dims.split_whitespace().next().and_then(|n| n.parse().ok());
        lines.remove(0);
        lines.retain(|l| !l.starts_with('#'));
    }
    // A wrapped frame comes in blocks separated by blank lines.
    if lines.iter().any(|l| l.trim().is_empty()) || lines.len() < 2 {
        return None;
    }
    let header_line = lines.first()?;
    if !header_line.starts_with(' ') {
        return None;
    }
    let mut body: &[&str] = lines.get(1..)?;
    if tibble && let Some(types) = body.first() {
        let all_types = types
            .split_whitespace()
            .all(|t| t.starts_with('<') && t.ends_with('>'));
        if all_types {
            body = body.get(1..)?;
        }
    }
    for wide in [true, false] {
        let header = split(header_line, wide);
        let mut index_name: Option<&str> = None;
        let mut rows = body;
        // pandas: a line holding only the index name (and the `...` of
        // left-out columns), under the header.
        if wide && let Some(first) = rows.first() {
            let parts = split(first, wide);
            let only_name = parts.iter().skip(1).all(|p| *p == "...");
            if parts.len() <= header.len() && only_name && !first.starts_with(' ') && rows.len() > 1
            {
                index_name = parts.first().copied();
                rows = rows.get(1..)?;
            }
        }
        let parsed: Vec<Vec<&str>> = rows.iter().map(|l| split(l, wide)).collect();
        let width = header.len() + 1;
        if header.is_empty() || parsed.is_empty() || parsed.iter().any(|r| r.len() != width) {
            continue;
        }
        // Splitting on single spaces is only trusted for R's numbered rows.
        if !wide
            && !parsed.iter().all(|r| {
                r.first()
                    .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
            })
        {
            continue;
        }
        // `...` marks columns pandas left out; `..` rows, rows left out.
        let keep: Vec<bool> = std::iter::once(index_name.is_some())
            .chain(header.iter().map(|h| *h != "..."))
            .collect();
        let pick = |cells: Vec<&str>| -> Vec<String> {
            cells
                .into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(c, _)| c.to_string())
                .collect()
        };
        let mut names = vec![index_name.unwrap_or("")];
        names.extend(header.iter().copied());
        let mut table = Table::new(origin, pick(names));
        for row in parsed {
            if row.iter().all(|c| c.chars().all(|ch| ch == '.')) {
                continue;
            }
            table.push(0, pick(row));
        }
        if let Some(n) = total {
            table.total_rows = table.total_rows.max(n);
        }
        return Some(table);
    }
    None
}

/// `N` from pandas' `[N rows x M columns]`.
fn pandas_footer(line: &str) -> Option<usize> {
    let inner = line.strip_prefix('[')?.strip_suffix(" columns]")?;
    let (rows, _) = inner.split_once(" rows x ")?;
    rows.trim().parse().ok()
}

/// Splits on runs of two or more spaces (`wide`) or on any whitespace.
fn split(line: &str, wide: bool) -> Vec<&str> {
    if !wide {
        return line.split_whitespace().collect();
    }
    line.split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nb(cells: Value) -> Vec<u8> {
        serde_json::to_vec(
            &json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        )
        .expect("serialises")
    }

    fn cells(t: &Table) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    const FRAME: &str =
        "        name  nhs_number\n0  Ann Smith  9434765919\n1        Bob  4010232138";

    #[test]
    fn sniffs_notebooks_from_their_first_bytes_only() {
        assert!(looks_like(b"\xEF\xBB\xBF\n  {\n \"cells\": []}"));
        assert!(looks_like(
            b"{\"metadata\": {}, \"nbformat\": 3, \"worksheets\": []}"
        ));
        assert!(!looks_like(b"[{\"cells\": 1}]"));
        assert!(!looks_like(b"{\"name\": \"package\"}"));
        assert!(!looks_like(b""));
        let mut late = b"{\"a\": \"".to_vec();
        late.extend(vec![b'x'; 4096]);
        late.extend(b"\", \"cells\": []}");
        assert!(
            !looks_like(&late),
            "keys past the sniff window are not looked for"
        );
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let err = read(b"{\n  \"cells\": [\n    oops\n]}").expect_err("not JSON");
        let ReadError::Corrupt { kind, reason } = err else {
            panic!("wrong error {err:?}");
        };
        assert_eq!(kind, "notebook");
        assert!(reason.contains("line 3 column 5"), "{reason}");
        assert!(matches!(
            read(b"{\"nbformat\": 4}"),
            Err(ReadError::Corrupt { .. })
        ));
    }

    #[test]
    fn reads_sources_outputs_tables_and_images_of_nbformat_4() {
        let html = "<table class=\"dataframe\"><thead><tr><th></th><th>name</th></tr></thead>\
                    <tbody><tr><th>0</th><td>Ann</td></tr></tbody></table>";
        let data = nb(json!([
            {"cell_type": "markdown", "source": "# Extract\n"},
            {"cell_type": "code", "source": ["import pandas\n", "df.head()"], "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["loaded 2 rows\n"]},
                {"output_type": "execute_result", "data": {"text/plain": FRAME, "text/html": [html]}},
            ]},
            {"cell_type": "code", "source": "df", "outputs": [
                {"output_type": "execute_result", "data": {"text/plain": [FRAME]}},
                {"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}},
                {"output_type": "error", "ename": "KeyError", "evalue": "x",
                 "traceback": ["\u{1b}[0;31mKeyError\u{1b}[0m: 'x'", "\u{1b}]0;title\u{7}line 2"]},
            ]},
        ]));
        let got = read(&data).expect("reads");
        let texts: Vec<(&str, &str)> = got
            .texts
            .iter()
            .map(|t| (t.origin.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                ("cell 1", "# Extract\n"),
                ("cell 2", "import pandas\ndf.head()"),
                ("cell 2 output", "loaded 2 rows\n"),
                ("cell 2 output", FRAME),
                ("cell 3", "df"),
                ("cell 3 output", FRAME),
                ("cell 3 output", "<Figure>"),
                ("cell 3 output", "KeyError: 'x'\nline 2"),
            ]
        );
        // Cell 2's frame comes once, from its HTML; cell 3's from its text.
        assert_eq!(got.tables.len(), 2);
        assert_eq!(got.tables[0].origin, "cell 2 output");
        assert_eq!(got.tables[0].header, ["", "name"]);
        assert_eq!(got.tables[1].origin, "cell 3 output");
        assert_eq!(got.tables[1].header, ["name", "nhs_number"]);
        assert_eq!(
            cells(&got.tables[1]),
            [["Ann Smith", "9434765919"], ["Bob", "4010232138"]]
        );
        assert_eq!(got.images, ["cell 3 output (image/png)"]);
    }

    #[test]
    fn reads_nbformat_3_worksheets() {
        let data = serde_json::to_vec(&json!({"nbformat": 3, "worksheets": [
            {"cells": [{"cell_type": "markdown", "source": ["notes"]}]},
            {"cells": [{"cell_type": "code", "input": ["print(x)"], "outputs": [
                {"output_type": "stream", "text": ["LS1 4AP\n"]},
                {"output_type": "pyout", "text": ["42"], "html": ["<table><tr><th>a</th></tr><tr><td>1</td></tr></table>"]},
                {"output_type": "display_data", "png": "iVBOR", "jpeg": "/9j/"},
                {"output_type": "pyerr", "ename": "ValueError", "evalue": "bad"},
            ]}]},
        ]}))
        .expect("serialises");
        let got = read(&data).expect("reads");
        let origins: Vec<&str> = got.texts.iter().map(|t| t.origin.as_str()).collect();
        assert_eq!(
            origins,
            [
                "cell 1",
                "cell 2",
                "cell 2 output",
                "cell 2 output",
                "cell 2 output"
            ]
        );
        assert_eq!(got.texts[4].text, "ValueError: bad");
        assert_eq!(got.tables.len(), 1);
        assert_eq!(got.tables[0].header, ["a"]);
        assert_eq!(
            got.images,
            ["cell 2 output (image/png)", "cell 2 output (image/jpeg)"]
        );
    }

    #[test]
    fn a_frame_printed_to_stdout_is_a_table_too() {
        let data = nb(
            json!([{"cell_type": "code", "source": "print(df)", "outputs": [
                {"output_type": "stream", "name": "stdout", "text": [FRAME, "\n"]},
            ]}]),
        );
        let got = read(&data).expect("reads");
        assert_eq!(got.tables.len(), 1);
        assert_eq!(got.tables[0].header, ["name", "nhs_number"]);
        assert_eq!(got.texts.len(), 2);
    }

    #[test]
    fn wrong_types_are_skipped() {
        let data = nb(json!([
            1, null, "x", {"source": 5, "outputs": "no"},
            {"source": ["a", 3, null], "outputs": [7, {"output_type": 3}, {"output_type": "stream", "text": {}},
                {"output_type": "execute_result", "data": []}, {"output_type": "error", "traceback": 9}]},
        ]));
        let got = read(&data).expect("reads");
        assert_eq!(got.texts.len(), 2);
        assert_eq!(got.texts[0].origin, "cell 5");
        assert_eq!(got.texts[1].text, ": ");
    }

    #[test]
    fn pandas_repr_with_index_name_truncation_and_footer() {
        let text = "            age  ...  postcode\nnhs_number       ...          \n\
                    9434765919   34  ...   LS1 4AP\n..          ..  ...       ...\n\
                    4010232138   45  ...    M1 1AE\n\n[500 rows x 9 columns]";
        let t = printed_table(text, "o").expect("a table");
        assert_eq!(t.header, ["nhs_number", "age", "postcode"]);
        assert_eq!(
            cells(&t),
            [
                ["9434765919", "34", "LS1 4AP"],
                ["4010232138", "45", "M1 1AE"]
            ]
        );
        assert_eq!(t.total_rows, 500);
    }

    #[test]
    fn r_tibble_and_data_frame_prints() {
        let tibble = "# A tibble: 120 × 2\n  name    age\n  <chr> <dbl>\n1 Ann      34\n2 Bob      45\n# ℹ 118 more rows";
        let t = printed_table(tibble, "o").expect("a tibble");
        assert_eq!(t.header, ["name", "age"]);
        assert_eq!(cells(&t), [["Ann", "34"], ["Bob", "45"]]);
        assert_eq!(t.total_rows, 120);
        let frame = "  name age\n1  Ann  34\n2  Bob  45";
        let t = printed_table(frame, "o").expect("a data.frame");
        assert_eq!(cells(&t), [["Ann", "34"], ["Bob", "45"]]);
        assert_eq!(t.total_rows, 2);
    }

    #[test]
    fn text_that_is_not_a_clear_table_gives_none() {
        for text in [
            "Hello world\nsecond line",
            "0    9434765919\n1    4010232138\nName: nhs, dtype: int64",
            "   a  b\n0  1\n1  2  3",
            "  the quick brown\nfox jumps over the",
            "       a  \\\n0  1  \n\n   b\n0  2",
            "",
            "   a",
        ] {
            assert_eq!(printed_table(text, "o"), None, "{text:?}");
        }
    }

    /// Pseudo-random bytes, and valid notebooks with bytes changed: the
    /// reader must return, never panic.
    #[test]
    fn never_panics_on_random_or_mutated_input() {
        let mut rng = crate::testing::XorShift(0x9E37_79B9_7F4A_7C15);
        let mut next = move || rng.next();
        let valid = nb(json!([{"cell_type": "code", "source": ["df"], "outputs": [
            {"output_type": "execute_result", "data": {"text/plain": FRAME,
                "text/html": "<table><tr><th>a</th></tr><tr><td>1</td></tr></table>"}},
            {"output_type": "error", "traceback": ["\u{1b}[31mx"]}]}]));
        let alphabet = b"{}[]\":,0123456789 \\nu\x1b<>&#;abcdetrfls";
        for round in 0..400 {
            let bytes: Vec<u8> = if round % 2 == 0 {
                let len = (next() % 300) as usize;
                (0..len)
                    .map(|_| alphabet[(next() as usize) % alphabet.len()])
                    .collect()
            } else {
                let mut b = valid.clone();
                for _ in 0..(1 + next() % 8) {
                    let at = (next() as usize) % b.len();
                    b[at] = alphabet[(next() as usize) % alphabet.len()];
                }
                b
            };
            let _ = looks_like(&bytes);
            let _ = read(&bytes);
            let _ = html::tables(&String::from_utf8_lossy(&bytes), "x");
            let _ = printed_table(&String::from_utf8_lossy(&bytes), "x");
        }
    }
}
