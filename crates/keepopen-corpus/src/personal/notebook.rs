//! Jupyter notebooks (nbformat 4) whose code-cell outputs show rows: a
//! DataFrame's `text/plain` and `text/html` reprs, and `print` output.

use serde_json::{Value, json};

use super::Builder;
use super::ids::Style;
use super::people;
use super::table::Table;
use super::tables::{self, Id};
use crate::rng::Rng;

/// Notebook text split into lines that keep their `\n`, as Jupyter stores it.
fn lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    if v.is_empty() {
        v.push(String::new());
    }
    v
}

fn code(n: u32, source: &str, outputs: Vec<Value>) -> Value {
    json!({
        "cell_type": "code",
        "execution_count": n,
        "id": format!("cell-{n}"),
        "metadata": {},
        "outputs": outputs,
        "source": lines(source),
    })
}

fn markdown(n: u32, text: &str) -> Value {
    json!({"cell_type": "markdown", "id": format!("md-{n}"), "metadata": {}, "source": lines(text)})
}

fn frame(n: u32, t: &Table, html: bool) -> Value {
    let mut data = json!({"text/plain": lines(&t.dataframe_text())});
    if html {
        data["text/html"] = json!(lines(&t.dataframe_html()));
    }
    json!({"data": data, "execution_count": n, "metadata": {}, "output_type": "execute_result"})
}

fn stream(text: &str) -> Value {
    json!({"name": "stdout", "output_type": "stream", "text": lines(text)})
}

fn notebook(cells: Vec<Value>) -> String {
    let nb = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.6"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    serde_json::to_string_pretty(&nb).expect("notebook JSON") + "\n"
}

/// What the printed numbers in a notebook are.
#[derive(Clone, Copy, Debug)]
pub enum Printed {
    /// Unit kind for valid numbers (`nhs-number`, `nhs-number-test-range`).
    Valid(Id),
    /// A decoy sort.
    Decoy(&'static str),
}

/// A notebook that loads an extract, shows it, and prints a few numbers
/// while checking them. `t`'s columns are labelled `notebook-table`; each
/// printed number is its own unit, `notebook-print`.
pub fn write(b: &mut Builder, rng: &mut Rng, t: &Table, printed: Printed) {
    let stem = format!(
        "{}_{}",
        people::word(rng),
        *rng.pick(&["explore", "qa", "eda", "linkage_check"])
    );
    let path = b.path("notebooks", &stem, "ipynb");
    let html = rng.chance(75);
    let mut cells = vec![
        markdown(
            0,
            &format!(
                "# {} extract: first look\n\nRows as loaded, before cleaning.",
                stem
            ),
        ),
        code(
            1,
            "import pandas as pd\n\ndf = pd.read_csv(\"data/extract.csv\")",
            vec![],
        ),
        code(
            2,
            &format!("df.head({})", t.rows()),
            vec![frame(2, t, html)],
        ),
    ];
    t.label(b, &path, "notebook-table");
    let n = rng.range(1, 3);
    let style = Style::pick(rng);
    let mut out = String::new();
    for i in 0..n {
        let (value, hidden, kind, sort) = match printed {
            Printed::Valid(Id::TestRange) => (
                style.write(&super::ids::test_range(rng)),
                None,
                "nhs-number-test-range",
                None,
            ),
            Printed::Valid(_) => (style.write(&super::ids::nhs(rng)), None, "nhs-number", None),
            Printed::Decoy(sort) => {
                let (v, h) = tables::decoy_value(rng, sort, style);
                (v, h, "decoy", Some(sort))
            }
        };
        out += &format!(
            "Checking NHS number {value} for patient {i}: {}\n",
            *rng.pick(&["ok", "missing DOB", "duplicate"])
        );
        let mut values = vec![value];
        values.extend(hidden);
        let u = b.unit(kind, &path, "notebook-print", values);
        u.decoy = sort.map(String::from);
    }
    cells.push(code(
        3,
        "for i, n in enumerate(df[\"nhs_number\"].head(3)):\n    print(f\"Checking NHS number {n} for patient {i}: {check(n)}\")",
        vec![stream(&out)],
    ));
    b.file(&path, notebook(cells));
}

/// A notebook whose only output is an aggregate table (text and HTML).
pub fn write_aggregate(b: &mut Builder, rng: &mut Rng, t: &Table) -> String {
    let stem = format!(
        "{}_{}",
        people::word(rng),
        *rng.pick(&["summary", "publication", "dashboard_counts"])
    );
    let path = b.path("notebooks", &stem, "ipynb");
    let cells = vec![
        markdown(0, "# Counts for publication"),
        code(
            1,
            "counts = df.groupby([\"region\", \"month\", \"age_band\"]).size().reset_index(name=\"count\")\ncounts",
            vec![frame(1, t, true)],
        ),
    ];
    b.file(&path, notebook(cells));
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notebook_lines_keep_their_newlines() {
        assert_eq!(lines("a\nb"), vec!["a\n".to_owned(), "b".to_owned()]);
        assert_eq!(lines(""), vec![String::new()]);
    }
}
