//! `--format csv`: one row per finding, RFC 4180 quoting.

use crate::{Format, Report, time};
use std::io::{self, Write};

pub(crate) struct Csv;

const HEADER: &[&str] = &[
    "rule",
    "category",
    "severity",
    "confidence",
    "blocking",
    "path",
    "path_context",
    "line",
    "column",
    "fingerprint",
    "redacted",
    "detail",
    "commit",
    "commit_time",
    "in_head",
    "reachable",
];

fn field(s: &str) -> String {
    // A leading = + - @ would run as a formula in a spreadsheet.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

impl Format for Csv {
    fn write(&self, r: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut header: Vec<&str> = HEADER.to_vec();
        if r.show_secrets {
            header.push("secret");
        }
        writeln!(out, "{}", header.join(","))?;
        for f in r.findings {
            let mut row = vec![
                f.m.rule.clone(),
                f.m.category.to_string(),
                f.m.severity.to_string(),
                f.m.confidence.to_string(),
                r.blocking(f).to_string(),
                r.shown_path(f),
                f.path_context.as_str().to_string(),
                f.m.line.to_string(),
                f.m.column.to_string(),
                f.fingerprint.clone(),
                r.redacted(f),
                f.m.detail.clone().unwrap_or_default(),
                f.location.commit.clone().unwrap_or_default(),
                f.location
                    .commit_time
                    .map(time::rfc3339)
                    .unwrap_or_default(),
                f.location.in_head.to_string(),
                (!f.location.unreachable).to_string(),
            ];
            if r.show_secrets {
                row.push(f.m.secret.clone());
            }
            let row: Vec<String> = row.iter().map(|s| field(s)).collect();
            writeln!(out, "{}", row.join(","))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture;

    #[test]
    fn csv_report_snapshot() {
        insta::assert_snapshot!(fixture::render(crate::FormatKind::Csv, false));
    }

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(super::field("a,b"), "\"a,b\"");
        assert_eq!(super::field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::field("=cmd()"), "'=cmd()");
    }
}
