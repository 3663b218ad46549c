//! `--format human`: what a developer reads in a terminal. Each finding
//! with its rule, where it is, the redacted line, and for history the commit
//! that introduced it and whether it is still there.

use crate::{Format, Report, plural, time};
use keepopen_findings::{Finding, Severity};
use keepopen_findings::{Level, printable};
use std::io::{self, Write};

pub(crate) struct Human;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, &format!("{:<8}", s.as_str()))
    }
}

impl Format for Human {
    fn write(&self, r: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let p = Paint(r.color);
        for f in r.findings {
            finding(r, &p, f, out)?;
        }
        for a in r.assessments {
            a.write_text(out, &|h| p.wrap("1", h))?;
        }
        if let Some(posture) = r.posture {
            writeln!(out, "{}", p.wrap("1", "posture checklist"))?;
            posture.write_text(out, false)?;
            writeln!(out)?;
        }
        summary(r, &p, out)
    }
}

fn finding(r: &Report<'_>, p: &Paint, f: &Finding, out: &mut dyn Write) -> io::Result<()> {
    let name = r.rule(&f.m.rule).map(|i| i.name.as_str()).unwrap_or("");
    writeln!(
        out,
        "{} {}  {}",
        p.severity(f.m.severity),
        p.wrap("1", &printable(&f.m.rule)),
        printable(name)
    )?;
    let at = if f.m.line > 0 {
        format!("{}:{}:{}", r.shown_path(f), f.m.line, f.m.column)
    } else {
        r.shown_path(f)
    };
    writeln!(
        out,
        "  {}  {}",
        p.wrap("4", &printable(&at)),
        printable(&r.shown_secret(f))
    )?;
    if f.m.line > 0 {
        let ctx = r.shown_context(f);
        writeln!(
            out,
            "  {} │ {}",
            p.wrap("2", &f.m.line.to_string()),
            printable(ctx.trim())
        )?;
    }
    if let Some(d) = &f.m.detail {
        writeln!(out, "  {}", printable(d))?;
    }
    if let Some(note) = f.context_note() {
        writeln!(
            out,
            "  {}",
            p.wrap("2", &format!("{}: {note}", f.path_context.as_str()))
        )?;
    }
    if let Some(t) = &f.triage {
        let until = t
            .expires_at
            .map(|e| format!(" until {}", crate::time::date(e)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {}",
            p.wrap(
                "2",
                &printable(&format!("triaged {}{until}: {}", t.state, t.reason))
            )
        )?;
    }
    let state = match (f.location.in_worktree, f.location.in_head) {
        (true, _) => "in the working tree",
        (false, true) => "still at HEAD",
        (false, false) if f.location.unreachable => crate::UNREACHABLE,
        (false, false) => "removed from HEAD, still in history",
    };
    match (&f.location.commit, f.location.commit_time) {
        (Some(c), Some(t)) => {
            let who = f
                .location
                .author
                .as_deref()
                .map(|a| format!(" by {}", printable(a)))
                .unwrap_or_default();
            // Where the secret has moved since, say where it first stood.
            let there = match f.location.commit_line {
                Some(l) if l != f.m.line && l > 0 => format!(" at line {l}"),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {}",
                p.wrap(
                    "2",
                    &format!(
                        "introduced in {}{there} on {}{who} · {state}",
                        &c[..c.len().min(12)],
                        time::date(t)
                    )
                )
            )?;
        }
        _ => writeln!(out, "  {}", p.wrap("2", state))?,
    }
    writeln!(out)
}

fn summary(r: &Report<'_>, p: &Paint, out: &mut dyn Write) -> io::Result<()> {
    for pr in r.problems.iter().filter(|x| x.level == Level::Error) {
        writeln!(
            out,
            "{} {}",
            p.wrap("31", "error:"),
            printable(&pr.to_string())
        )?;
    }
    // Each by name, with why: a count alone left the reader to guess which
    // file a limit had kept out and how to let it in.
    for pr in r.problems.iter().filter(|x| x.level == Level::Skip) {
        writeln!(
            out,
            "{} {}",
            p.wrap("33", "skipped:"),
            printable(&pr.to_string())
        )?;
    }
    for pr in r.problems.iter().filter(|x| x.level == Level::Note) {
        writeln!(
            out,
            "{} {}",
            p.wrap("2", "note:"),
            printable(&pr.to_string())
        )?;
    }
    let s = r.stats;
    let blocking = r.blocking_count();
    let head = if r.findings.is_empty() {
        p.wrap("32", "No findings")
    } else {
        let text = format!(
            "{} ({} {})",
            plural(r.findings.len(), "finding", "findings"),
            blocking,
            r.threshold_text()
        );
        if blocking > 0 {
            p.wrap("1;31", &text)
        } else {
            p.wrap("33", &text)
        }
    };
    let mut scope = vec![plural(s.files as usize, "file", "files")];
    if s.blobs > 0 {
        scope.push(format!(
            "{} across {}",
            plural(s.blobs as usize, "blob", "blobs"),
            plural(s.commits as usize, "commit", "commits")
        ));
    }
    writeln!(
        out,
        "{head} in {}, {}, {:.1}s",
        scope.join(" and "),
        bytes(s.bytes),
        s.duration.as_secs_f64()
    )?;
    if r.baseline_suppressed > 0 {
        writeln!(
            out,
            "{} accepted in the baseline and not shown",
            plural(r.baseline_suppressed, "finding", "findings")
        )?;
    }
    Ok(())
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture;

    #[test]
    fn human_report_snapshot() {
        insta::assert_snapshot!(fixture::render(crate::FormatKind::Human, false));
    }
}
