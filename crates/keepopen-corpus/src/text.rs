//! Template rendering: fillers such as `«HOST»` become plausible random
//! names, `«0»`, `«1»` become the generated values; `.ipynb` paths turn the
//! rendered Python into notebook JSON; snippets can be spliced into copied
//! real source files.

use crate::encode::uuid;
use crate::rng::Rng;

const DOMAINS: &[&str] = &[
    "northwind-analytics.com",
    "contoso-data.net",
    "acmecorp.io",
    "fabrikam-health.org",
    "globex-retail.com",
    "initech.dev",
];
const HOSTS: &[&str] = &[
    "db01",
    "pg-prod",
    "sql-east",
    "warehouse",
    "mysql-primary",
    "reports-db",
];
const USERS: &[&str] = &[
    "app_user",
    "etl_svc",
    "reporting",
    "analytics_rw",
    "svc_backend",
    "dbadmin",
    "deploy",
    "jenkins",
];
const DBS: &[&str] = &[
    "orders",
    "analytics",
    "inventory",
    "customers",
    "billing",
    "reporting",
];
const ORGS: &[&str] = &["northwind", "contoso", "acme-data", "fabrikam", "globex"];
const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "eu-west-2",
    "us-west-2",
    "ap-southeast-2",
];

fn filler(rng: &mut Rng, name: &str) -> Option<String> {
    Some(match name {
        "DOMAIN" => (*rng.pick(DOMAINS)).to_owned(),
        "HOST" => format!("{}.{}", rng.pick(HOSTS), rng.pick(DOMAINS)),
        "USER" => (*rng.pick(USERS)).to_owned(),
        "DB" => (*rng.pick(DBS)).to_owned(),
        "ORG" => (*rng.pick(ORGS)).to_owned(),
        "REGION" => (*rng.pick(REGIONS)).to_owned(),
        "ACCT" => format!(
            "{}{}",
            rng.pick(&["nwdatalake", "contosoexports", "acmebackups"]),
            rng.digits(2)
        ),
        "PROJECT" => format!("{}-{}", rng.pick(ORGS), rng.digits(4)),
        "MONGO" => rng.string(&crate::rng::class(crate::rng::LOWER | crate::rng::DIGIT), 5),
        "UUID" => uuid(rng),
        "WORKSPACE" => format!(
            "adb-{}.{}.azuredatabricks.net",
            rng.digits(16),
            rng.range(1, 19)
        ),
        _ => return None,
    })
}

/// Replaces fillers and `«0»`, `«1»`, … with `values`; `«AUTH»` is a URL's
/// user-info, a user name and the first value (written as one marker so the
/// template itself does not look like a URL with a password).
pub fn render(rng: &mut Rng, template: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('«') {
        out.push_str(&rest[..start]);
        let after = &rest[start + '«'.len_utf8()..];
        let Some(end) = after.find('»') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let name = &after[..end];
        let value = match name.parse::<usize>() {
            Ok(i) => values.get(i).cloned(),
            // URL user-info: a user name and the first value.
            Err(_) if name == "AUTH" => values
                .first()
                .and_then(|v| Some(format!("{}:{v}", filler(rng, "USER")?))),
            Err(_) => filler(rng, name),
        };
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + '«'.len_utf8() + end + '»'.len_utf8()]),
        }
        rest = &after[end + '»'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Python source as a Jupyter notebook. Cells are separated by `# %%`
/// lines; a cell opened by `# %% [markdown]` is markdown (its lines lose a
/// leading `# `). Each source line is one line of the JSON.
pub fn notebook(python: &str) -> String {
    let mut cells: Vec<(bool, Vec<String>)> = vec![(false, Vec::new())];
    for line in python.lines() {
        if let Some(rest) = line.strip_prefix("# %%") {
            cells.push((rest.contains("[markdown]"), Vec::new()));
            continue;
        }
        if let Some(cell) = cells.last_mut() {
            let l = if cell.0 {
                line.strip_prefix("# ").unwrap_or(line)
            } else {
                line
            };
            cell.1.push(l.to_owned());
        }
    }
    cells.retain(|(_, lines)| lines.iter().any(|l| !l.trim().is_empty()));
    let mut out = vec!["{".to_owned(), " \"cells\": [".to_owned()];
    let n = cells.len();
    for (i, (markdown, lines)) in cells.iter().enumerate() {
        out.push("  {".to_owned());
        if *markdown {
            out.push("   \"cell_type\": \"markdown\",".to_owned());
            out.push("   \"metadata\": {},".to_owned());
        } else {
            out.push("   \"cell_type\": \"code\",".to_owned());
            out.push(format!("   \"execution_count\": {},", i + 1));
            out.push("   \"metadata\": {},".to_owned());
            out.push("   \"outputs\": [],".to_owned());
        }
        out.push("   \"source\": [".to_owned());
        for (j, l) in lines.iter().enumerate() {
            let last = j + 1 == lines.len();
            let text = if last { l.clone() } else { format!("{l}\n") };
            let json = serde_json::Value::String(text).to_string();
            out.push(format!("    {json}{}", if last { "" } else { "," }));
        }
        out.push("   ]".to_owned());
        out.push(format!("  }}{}", if i + 1 == n { "" } else { "," }));
    }
    out.push(" ],".to_owned());
    for l in [
        " \"metadata\": {",
        "  \"kernelspec\": {",
        "   \"display_name\": \"Python 3\",",
        "   \"language\": \"python\",",
        "   \"name\": \"python3\"",
        "  },",
        "  \"language_info\": {",
        "   \"name\": \"python\",",
        "   \"version\": \"3.11.7\"",
        "  }",
        " },",
        " \"nbformat\": 4,",
        " \"nbformat_minor\": 5",
        "}",
    ] {
        out.push(l.to_owned());
    }
    out.join("\n") + "\n"
}

/// 1-based number of the first line containing `needle`.
pub fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u32 + 1)
}

/// Splices `snippet` into `source` at module level, before the first
/// top-level definition (and the comments, decorators or attributes just
/// above it); at the end if there is none. Returns the new text and the
/// 0-based line where the snippet starts.
pub fn splice(source: &str, snippet: &str, ext: &str) -> (String, usize) {
    let lines: Vec<&str> = source.lines().collect();
    let is_def = |l: &str| match ext {
        "py" => l.starts_with("def ") || l.starts_with("class "),
        _ => {
            l.starts_with("fn ")
                || l.starts_with("pub fn ")
                || l.starts_with("pub struct ")
                || l.starts_with("struct ")
                || l.starts_with("impl")
        }
    };
    let is_lead = |l: &str| match ext {
        "py" => l.starts_with('@') || l.starts_with('#'),
        _ => l.starts_with("///") || l.starts_with("#[") || l.starts_with("//"),
    };
    let mut at = lines.iter().position(|l| is_def(l)).unwrap_or(lines.len());
    while at > 0 && is_lead(lines[at - 1]) {
        at -= 1;
    }
    let mut out: Vec<String> = lines[..at].iter().map(|s| (*s).to_owned()).collect();
    out.push(String::new());
    let start = out.len();
    out.extend(snippet.lines().map(str::to_owned));
    out.push(String::new());
    out.extend(lines[at..].iter().map(|s| (*s).to_owned()));
    (out.join("\n") + "\n", start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_names_and_values_and_leaves_unknown_markers() {
        let mut r = Rng::new(1);
        let s = render(
            &mut r,
            "u=«USER» p=«0» x=«NOPE» @«1»",
            &["a".into(), "b".into()],
        );
        assert!(s.contains(" p=a "));
        assert!(s.ends_with("@b"));
        assert!(s.contains("«NOPE»"));
        assert!(!s.contains("«USER»"));
    }

    #[test]
    fn notebook_is_valid_json_with_one_line_per_source_line() {
        let nb = notebook("# %% [markdown]\n# # Title\n# %%\nimport os\nx = \"v\"\n");
        let v: serde_json::Value = serde_json::from_str(&nb).expect("json");
        assert_eq!(v["cells"].as_array().map(Vec::len), Some(2));
        assert_eq!(v["cells"][1]["source"][1], "x = \"v\"");
        assert!(line_of(&nb, "x = ").is_some());
    }

    #[test]
    fn splice_goes_before_the_first_definition() {
        let src = "import os\n\n@cache\ndef f():\n    pass\n";
        let (out, start) = splice(src, "token = 1", "py");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[start], "token = 1");
        assert!(out.find("token = 1") < out.find("@cache"));
    }
}
