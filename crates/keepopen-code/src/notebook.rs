//! Jupyter notebooks: their code cells as one source file, each line of
//! code at the line of the `.ipynb` where nbformat's JSON holds it, so a
//! finding points into the notebook as a reviewer opens it. IPython's
//! magics (`%pip`, `!ls`, a `%%bash` cell) are not the kernel's language
//! and are left out.

use crate::lang::Lang;
use serde_json::Value;

/// A notebook's code, ready to parse.
#[derive(Debug)]
pub struct Notebook {
    pub lang: Lang,
    /// As many lines as the notebook; code where its JSON has it, blank
    /// elsewhere.
    pub text: String,
    /// Lines of code that could not be placed (a notebook not written in
    /// nbformat's one-string-per-line layout), which are not read.
    pub unplaced: usize,
}

/// Reads `raw` as a notebook, or says why it is not one.
pub fn code_of(raw: &str) -> Result<Notebook, String> {
    let v: Value =
        serde_json::from_str(raw).map_err(|e| format!("not a readable notebook (JSON: {e})"))?;
    let kernel = v["metadata"]["kernelspec"]["language"]
        .as_str()
        .or_else(|| v["metadata"]["language_info"]["name"].as_str())
        .unwrap_or("python")
        .to_ascii_lowercase();
    let lang = match kernel.as_str() {
        "r" => Lang::R,
        "python" | "python3" | "ipython" => Lang::Python,
        other => {
            return Err(format!(
                "a {other} notebook, a language the code rules do not read"
            ));
        }
    };
    // nbformat 4 keeps cells at the top, 3 in its worksheets (`input`).
    let (cells, key) = match v["cells"].as_array() {
        Some(c) => (c.as_slice(), "source"),
        None => (
            v["worksheets"][0]["cells"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default(),
            "input",
        ),
    };
    let raw_lines: Vec<&str> = raw.lines().collect();
    let mut out: Vec<&str> = vec![""; raw_lines.len()];
    let mut cursor = 0usize;
    let mut unplaced = 0usize;
    for cell in cells {
        if cell["cell_type"].as_str() != Some("code") {
            continue;
        }
        let source: Vec<&str> = match &cell[key] {
            Value::Array(parts) => parts.iter().filter_map(Value::as_str).collect(),
            Value::String(s) => s.split_inclusive('\n').collect(),
            _ => continue,
        };
        // A cell magic (`%%bash`, `%%sql`) makes the cell another language.
        if source.first().is_some_and(|l| l.starts_with("%%")) {
            continue;
        }
        for piece in source {
            let Ok(encoded) = serde_json::to_string(piece) else {
                continue;
            };
            let found = raw_lines[cursor.min(raw_lines.len())..]
                .iter()
                .position(|l| {
                    let t = l.trim_start();
                    t.strip_prefix(encoded.as_str())
                        .is_some_and(|rest| rest.trim().is_empty() || rest.trim() == ",")
                });
            match found {
                Some(at) => {
                    let line = cursor + at;
                    cursor = line + 1;
                    let code = piece.trim_end_matches(['\n', '\r']);
                    let magic = code.trim_start().starts_with(['%', '!', '?']);
                    if !magic && !code.contains('\n') {
                        out[line] = code;
                    }
                }
                None => unplaced += 1,
            }
        }
    }
    let text = out.join("\n");
    Ok(Notebook {
        lang,
        text,
        unplaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "# Extract\n"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "%pip install pandas\n",
    "import os\n",
    "def run(name):\n",
    "    os.system(\"zip out.zip \" + name)"
   ]
  },
  {
   "cell_type": "code",
   "metadata": {},
   "outputs": [],
   "source": [
    "%%bash\n",
    "rm -rf /tmp/x"
   ]
  }
 ],
 "metadata": {
  "kernelspec": { "language": "python", "name": "python3" }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

    #[test]
    fn code_lands_on_the_notebooks_own_lines() {
        let nb = code_of(NB).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(nb.lang, Lang::Python);
        assert_eq!(nb.unplaced, 0);
        let lines: Vec<&str> = nb.text.lines().collect();
        let raw: Vec<&str> = NB.lines().collect();
        let at = |code: &str| lines.iter().position(|l| *l == code).map(|i| i + 1);
        let raw_at = |needle: &str| raw.iter().position(|l| l.contains(needle)).map(|i| i + 1);
        assert_eq!(at("import os"), raw_at("\"import os"));
        assert_eq!(
            at("    os.system(\"zip out.zip \" + name)"),
            raw_at("os.system")
        );
        // Magics and cell magics are not Python.
        assert!(!nb.text.contains("%pip"));
        assert!(!nb.text.contains("rm -rf"));
    }

    #[test]
    fn what_is_not_a_notebook_says_so() {
        assert!(code_of("{").is_err());
        let julia = r#"{"cells": [], "metadata": {"kernelspec": {"language": "julia"}}}"#;
        assert!(code_of(julia).is_err_and(|e| e.contains("julia")));
        // One line, as some tools write it: nothing placed, all counted.
        let flat = NB.replace('\n', " ").replace("\\n\", ", "\\n\",");
        let nb = code_of(&flat).unwrap_or_else(|e| panic!("{e}"));
        assert!(nb.unplaced > 0);
    }
}
