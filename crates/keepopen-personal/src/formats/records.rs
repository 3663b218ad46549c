//! Records in JSON: an array of objects, or JSON Lines (one object per
//! line). Each becomes a table whose columns are the keys, in serde_json's
//! (sorted) order. Nested values are kept as their JSON text.

use crate::table::Table;
use serde_json::{Map, Value};

/// Larger JSON files are not parsed whole.
const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Does `data` start like records (`[{` or a first line that is an object
/// followed by another)?
pub fn looks_like(data: &[u8]) -> bool {
    let t = data.trim_ascii_start();
    if let Some(rest) = t.strip_prefix(b"[") {
        return opens_object(rest.trim_ascii_start());
    }
    if !opens_object(t) {
        return false;
    }
    let mut lines = t
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty());
    let (Some(a), Some(b)) = (lines.next(), lines.next()) else {
        return false;
    };
    a.trim_ascii().ends_with(b"}") && b.trim_ascii_start().starts_with(b"{")
}

/// `{"key"…` or `{}`: a JSON object, not a template's `{{ … }}`, `{% … %}`
/// or `{# … #}` (Nunjucks, Jinja, Handlebars), which start the same way.
fn opens_object(t: &[u8]) -> bool {
    t.strip_prefix(b"{")
        .is_some_and(|rest| matches!(rest.trim_ascii_start().first(), Some(b'"' | b'}') | None))
}

/// The records in `data` as a table, or why they could not be read.
pub fn read(data: &[u8]) -> Result<Option<Table>, String> {
    if data.len() > MAX_BYTES {
        return Ok(None);
    }
    let t = data.trim_ascii_start();
    let mut rows: Vec<(u32, Map<String, Value>)> = Vec::new();
    if t.starts_with(b"[") {
        let v: Value = serde_json::from_slice(data).map_err(|e| e.to_string())?;
        let Value::Array(items) = v else {
            return Ok(None);
        };
        // Lines are found later by searching for the values.
        rows.extend(items.into_iter().filter_map(|i| match i {
            Value::Object(o) => Some((0, o)),
            _ => None,
        }));
    } else {
        for (i, line) in data.split(|&b| b == b'\n').enumerate() {
            let l = line.trim_ascii();
            if l.is_empty() {
                continue;
            }
            match serde_json::from_slice::<Value>(l) {
                Ok(Value::Object(o)) => rows.push((i as u32 + 1, o)),
                Ok(_) => {}
                Err(e) => return Err(format!("line {}: {e}", i + 1)),
            }
        }
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let mut header: Vec<String> = Vec::new();
    for (_, o) in &rows {
        for k in o.keys() {
            if !header.contains(k) && header.len() < 1000 {
                header.push(k.clone());
            }
        }
    }
    let mut table = Table::new("", header.clone());
    for (line, o) in rows {
        let cells = header
            .iter()
            .map(|k| match o.get(k) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.trim().to_string(),
                Some(Value::Number(n)) => n.to_string(),
                Some(other) => other.to_string(),
            })
            .collect();
        table.push(line, cells);
    }
    Ok(Some(table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_lines_of_objects_become_tables() {
        assert!(looks_like(b" [ {\"a\": 1}]"));
        assert!(looks_like(b"{\"a\": 1}\n{\"a\": 2}\n"));
        assert!(!looks_like(b"{\n  \"name\": \"x\"\n}\n"));
        // Templates open with braces too, and are not records.
        assert!(!looks_like(
            b"{% from \"button/macro.njk\" import govukButton %}\n{{ govukButton({ text: \"Save\" }) }}\n"
        ));
        assert!(!looks_like(b"{{ a }}\n{{ b }}\n"));
        assert!(!looks_like(b"[{{ a }}]"));
        let t = read(b"{\"nhs\": 4010232138, \"dob\": \"1984-03-12\"}\n{\"nhs\": \"6123456786\", \"x\": null}\n")
            .expect("reads")
            .expect("a table");
        // serde_json keeps keys sorted.
        assert_eq!(t.header, vec!["dob", "nhs", "x"]);
        assert_eq!(t.rows[0].cells, vec!["1984-03-12", "4010232138", ""]);
        assert_eq!(t.rows[1].line, 2);
    }

    #[test]
    fn broken_records_say_where() {
        let err = read(b"{\"a\": 1}\n{\"a\": \n").expect_err("broken");
        assert!(err.starts_with("line 2:"), "{err}");
        assert!(read(b"[{\"a\": 1},").is_err());
    }
}
