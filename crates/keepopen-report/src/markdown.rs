//! `--format markdown`: a pull-request comment.

use crate::{Format, Report, plural, time};
use std::io::{self, Write};

pub(crate) struct Markdown;

fn cell(s: &str) -> String {
    keepopen_findings::printable(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "'")
        .replace('\n', " ")
}

/// Text on a line of its own (a list item): unprintable characters shown,
/// one line. Backticks stay, so that commands read as code.
pub(crate) fn escape(s: &str) -> String {
    keepopen_findings::printable(s).replace(['\n', '\r'], " ")
}

impl Format for Markdown {
    fn write(&self, r: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let blocking = r.blocking_count();
        writeln!(out, "## keepopen")?;
        writeln!(out)?;
        if r.findings.is_empty() {
            writeln!(out, "No findings.")?;
        } else {
            writeln!(
                out,
                "**{}**, {} blocking ({}).",
                plural(r.findings.len(), "finding", "findings"),
                blocking,
                r.threshold_text()
            )?;
            writeln!(out)?;
            writeln!(
                out,
                "| Severity | Rule | Location | Match | Introduced | Status |"
            )?;
            writeln!(out, "|---|---|---|---|---|---|")?;
            for f in r.findings {
                let at = if f.m.line > 0 {
                    format!("{}:{}", r.shown_path(f), f.m.line)
                } else {
                    r.shown_path(f)
                };
                let intro = match (&f.location.commit, f.location.commit_time) {
                    (Some(c), Some(t)) => format!("`{}` {}", &c[..c.len().min(10)], time::date(t)),
                    _ => "uncommitted or at HEAD".into(),
                };
                let status = if f.location.in_head {
                    "present"
                } else if f.location.unreachable {
                    "unreachable (no branch or tag)"
                } else {
                    "history only"
                };
                writeln!(
                    out,
                    "| {} | `{}` | `{}` | `{}` | {} | {} |",
                    f.m.severity,
                    cell(&f.m.rule),
                    cell(&at),
                    cell(&match (&f.m.detail, f.context_note()) {
                        (Some(d), Some(n)) => format!("{} ({d}; {n})", r.shown_secret(f)),
                        (Some(d), None) => format!("{} ({d})", r.shown_secret(f)),
                        (None, Some(n)) => format!("{} ({n})", r.shown_secret(f)),
                        (None, None) => r.shown_secret(f),
                    }),
                    intro,
                    status
                )?;
            }
        }
        for a in r.assessments {
            writeln!(out)?;
            a.write_markdown(out)?;
        }
        if let Some(posture) = r.posture {
            writeln!(out)?;
            posture.write_markdown(out)?;
        }
        // An ecosystem the advisory database knows nothing of is said, so
        // that "no findings" is never read as "checked".
        if let Some(deps) = r.dependencies.filter(|d| !d.ecosystems.is_empty()) {
            writeln!(out)?;
            writeln!(out, "### Dependencies")?;
            writeln!(out)?;
            for line in deps.sentences() {
                writeln!(out, "- {}", keepopen_findings::printable(&line))?;
            }
        }
        let errors = r
            .problems
            .iter()
            .filter(|p| p.level == keepopen_findings::Level::Error)
            .count();
        if errors > 0 {
            writeln!(out)?;
            writeln!(
                out,
                "{} could not be read; see the JSON report.",
                plural(errors, "item", "items")
            )?;
        }
        if r.baseline_suppressed > 0 {
            writeln!(out)?;
            writeln!(
                out,
                "{} accepted in the baseline.",
                plural(r.baseline_suppressed, "finding", "findings")
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "<sub>Secrets removed from HEAD stay in history: rotate them, then rewrite history or accept them in the baseline.</sub>"
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture;

    #[test]
    fn markdown_report_snapshot() {
        insta::assert_snapshot!(fixture::render(crate::FormatKind::Markdown, false));
    }
}
