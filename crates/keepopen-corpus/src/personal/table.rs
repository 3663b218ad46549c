//! One in-memory table, written out as CSV/TSV/pipe text, JSON, JSON
//! Lines, SQL inserts, or a pandas DataFrame's text and HTML reprs, and
//! labelled one unit per column.

use serde_json::{Map, Value};

use super::Builder;

pub struct Column {
    pub name: String,
    /// The unit kind, when the column is labelled.
    pub kind: Option<String>,
    /// For decoy columns: what sort of decoy.
    pub decoy: Option<String>,
    pub tolerate: Vec<String>,
    /// As written, one per row.
    pub values: Vec<String>,
    /// Extra labelled values not written as such (the valid ten digits
    /// inside a longer number).
    pub hidden: Vec<String>,
    /// Written without quotes in SQL and JSON.
    pub numeric: bool,
}

impl Column {
    pub fn plain(name: &str, values: Vec<String>) -> Column {
        Column {
            name: name.to_owned(),
            kind: None,
            decoy: None,
            tolerate: Vec::new(),
            values,
            hidden: Vec::new(),
            numeric: false,
        }
    }

    pub fn labelled(name: &str, kind: &str, values: Vec<String>) -> Column {
        Column {
            kind: Some(kind.to_owned()),
            ..Column::plain(name, values)
        }
    }

    pub fn decoy(name: &str, sort: &str, values: Vec<String>) -> Column {
        Column {
            decoy: Some(sort.to_owned()),
            ..Column::labelled(name, "decoy", values)
        }
    }
}

pub struct Table {
    pub columns: Vec<Column>,
}

/// How a delimited file is written.
#[derive(Clone, Copy, Debug)]
pub struct Delimited {
    pub sep: char,
    pub bom: bool,
    pub crlf: bool,
    /// Quote every text field, not only those that need it.
    pub quote_all: bool,
}

/// `NHS Number` → `nhs_number`, for keys and SQL columns.
pub fn snake(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_owned()
}

impl Table {
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    fn cell(&self, row: usize, col: usize) -> &str {
        &self.columns[col].values[row]
    }

    /// One unit per labelled column.
    pub fn label(&self, b: &mut Builder, path: &str, context: &str) {
        for c in &self.columns {
            let Some(kind) = &c.kind else { continue };
            let mut values = c.values.clone();
            values.extend(c.hidden.iter().cloned());
            let u = b.unit(kind, path, context, values);
            u.column = Some(c.name.clone());
            u.decoy.clone_from(&c.decoy);
            u.tolerate.clone_from(&c.tolerate);
        }
    }

    pub fn delimited(&self, how: Delimited) -> String {
        let nl = if how.crlf { "\r\n" } else { "\n" };
        let field = |s: &str, text: bool| {
            let needs = s.contains(how.sep) || s.contains('"') || s.contains('\n');
            if needs || (how.quote_all && text) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_owned()
            }
        };
        let sep = how.sep.to_string();
        let mut out = String::new();
        if how.bom {
            out.push('\u{feff}');
        }
        let header: Vec<String> = self.columns.iter().map(|c| field(&c.name, true)).collect();
        out += &header.join(&sep);
        out += nl;
        for r in 0..self.rows() {
            let row: Vec<String> = (0..self.columns.len())
                .map(|c| field(self.cell(r, c), !self.columns[c].numeric))
                .collect();
            out += &row.join(&sep);
            out += nl;
        }
        out
    }

    fn records(&self) -> Vec<Value> {
        (0..self.rows())
            .map(|r| {
                let mut m = Map::new();
                for (i, c) in self.columns.iter().enumerate() {
                    let v = self.cell(r, i);
                    let value = match (c.numeric, v.parse::<u64>()) {
                        (true, Ok(n)) => Value::from(n),
                        _ => Value::from(v),
                    };
                    m.insert(snake(&c.name), value);
                }
                Value::Object(m)
            })
            .collect()
    }

    pub fn json_array(&self, pretty: bool) -> String {
        let v = Value::Array(self.records());
        let text = if pretty {
            serde_json::to_string_pretty(&v)
        } else {
            serde_json::to_string(&v)
        };
        text.expect("JSON of strings") + "\n"
    }

    pub fn json_lines(&self) -> String {
        self.records()
            .iter()
            .map(|r| r.to_string() + "\n")
            .collect()
    }

    pub fn sql_insert(&self, table: &str, one_per_row: bool) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| snake(&c.name)).collect();
        let head = format!("INSERT INTO {table} ({}) VALUES", cols.join(", "));
        let tuples: Vec<String> = (0..self.rows())
            .map(|r| {
                let vals: Vec<String> = (0..self.columns.len())
                    .map(|c| {
                        let v = self.cell(r, c);
                        if self.columns[c].numeric {
                            v.to_owned()
                        } else {
                            format!("'{}'", v.replace('\'', "''"))
                        }
                    })
                    .collect();
                format!("({})", vals.join(", "))
            })
            .collect();
        if one_per_row {
            tuples.iter().map(|t| format!("{head} {t};\n")).collect()
        } else {
            format!("{head}\n  {};\n", tuples.join(",\n  "))
        }
    }

    /// pandas' `DataFrame.__repr__`: right-aligned columns, a left index.
    pub fn dataframe_text(&self) -> String {
        let idx_w = self.rows().saturating_sub(1).to_string().len();
        let widths: Vec<usize> = self
            .columns
            .iter()
            .map(|c| {
                c.values
                    .iter()
                    .map(|v| v.chars().count())
                    .chain([c.name.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = " ".repeat(idx_w);
        for (c, w) in self.columns.iter().zip(&widths) {
            out += &format!("  {:>w$}", c.name, w = w);
        }
        for r in 0..self.rows() {
            out += &format!("\n{r:<idx_w$}");
            for (c, w) in widths.iter().enumerate() {
                out += &format!("  {:>w$}", self.cell(r, c), w = w);
            }
        }
        out
    }

    /// pandas' `DataFrame._repr_html_`.
    pub fn dataframe_html(&self) -> String {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut out = String::from(
            "<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n    }\n\n    .dataframe tbody tr th {\n        vertical-align: top;\n    }\n\n    .dataframe thead th {\n        text-align: right;\n    }\n</style>\n<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      <th></th>\n",
        );
        for c in &self.columns {
            out += &format!("      <th>{}</th>\n", esc(&c.name));
        }
        out += "    </tr>\n  </thead>\n  <tbody>\n";
        for r in 0..self.rows() {
            out += &format!("    <tr>\n      <th>{r}</th>\n");
            for c in 0..self.columns.len() {
                out += &format!("      <td>{}</td>\n", esc(self.cell(r, c)));
            }
            out += "    </tr>\n";
        }
        out += &format!(
            "  </tbody>\n</table>\n<p>{} rows × {} columns</p>\n</div>",
            self.rows(),
            self.columns.len()
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            columns: vec![
                Column::plain("NHS Number", vec!["1".into(), "22".into()]),
                Column::plain("post code", vec!["A, B".into(), "C".into()]),
            ],
        }
    }

    #[test]
    fn writes_the_usual_shapes() {
        let t = table();
        let csv = t.delimited(Delimited {
            sep: ',',
            bom: true,
            crlf: true,
            quote_all: false,
        });
        assert_eq!(
            csv,
            "\u{feff}NHS Number,post code\r\n1,\"A, B\"\r\n22,C\r\n"
        );
        assert_eq!(
            t.json_lines().lines().next(),
            Some(r#"{"nhs_number":"1","post_code":"A, B"}"#)
        );
        assert!(
            t.sql_insert("patients", false).starts_with(
                "INSERT INTO patients (nhs_number, post_code) VALUES\n  ('1', 'A, B'),"
            )
        );
        assert_eq!(
            t.dataframe_text(),
            "   NHS Number  post code\n0           1       A, B\n1          22          C"
        );
        assert!(t.dataframe_html().contains("<td>A, B</td>"));
    }
}
