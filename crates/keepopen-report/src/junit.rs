//! `--format junit`: JUnit XML as Azure DevOps (`PublishTestResults@2`,
//! `testResultsFormat: JUnit`), GitLab (`artifacts:reports:junit`) and
//! Jenkins read it, valid against the Ant/Jenkins `junit-10.xsd`.
//!
//! One `<testsuite>` per detector category (secret, personal-data,
//! dependency, code, …), not per rule: a run holds a handful of categories
//! but can touch a hundred rules, and Azure's Tests tab lists suites as
//! collapsible groups, so a few named groups with counts ("secret: 3
//! failed, 1 skipped") read better than a hundred one-line groups. The
//! rule is still each case's `classname` (`keepopen.secret.github-pat`),
//! which Azure and GitLab show beside the case and can group by.
//!
//! One `<testcase>` per finding. A blocking finding has a `<failure>`
//! (message: rule name and `path:line`; body: the redacted value and
//! context, severity, fix and fingerprint), as every finding does in
//! gitleaks' and trivy's JUnit output. A finding that does not block (below
//! the threshold, triaged, in test code) is `<skipped>` with the reason,
//! as checkov writes a suppressed check: the reader sees it, the run stays
//! green. Files that could not be read are `<error>` cases and files left
//! out by a limit are `<skipped>` cases in a last `keepopen: scan` suite,
//! which also holds a passing "no blocking findings" case when nothing
//! blocks, so a clean run still shows a passed test rather than nothing.
//!
//! Repository text goes through [`printable`] (controls become `\x07`
//! escapes) and then XML escaping, so no path or context can break the
//! document: XML 1.0 allows no C0 control but tab, newline and return.

use crate::{Format, Report, time};
use keepopen_findings::{Category, Finding, Level, printable};
use std::fmt::Write as _;
use std::io::{self, Write};

pub(crate) struct Junit;

/// One `<testcase>`: its outcome element, if any, already rendered.
struct Case {
    classname: String,
    name: String,
    outcome: Outcome,
}

enum Outcome {
    Pass,
    Failure {
        kind: String,
        message: String,
        body: String,
    },
    Error {
        message: String,
    },
    Skipped {
        message: String,
    },
}

struct Suite {
    name: String,
    cases: Vec<Case>,
    out: Vec<String>,
}

impl Suite {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.outcome)).count()
    }
    fn failures(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failure { .. }))
    }
    fn errors(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Error { .. }))
    }
    fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped { .. }))
    }
}

/// `text` safe inside an XML 1.0 attribute or element: markup escaped,
/// line breaks kept as character references (an attribute would otherwise
/// fold them to spaces), and any character XML 1.0 cannot hold (a C0
/// control that slipped past [`printable`], U+FFFE, U+FFFF) replaced.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Repository text as the report shows it: printable, then escaped.
fn shown(text: &str) -> String {
    escape(&printable(text))
}

fn place(r: &Report<'_>, f: &Finding) -> String {
    let path = match f.location.path.as_str() {
        "." | "" => r.in_repository(f, "(the repository)"),
        _ => r.shown_path(f),
    };
    match f.m.line {
        0 => path,
        line => format!("{path}:{line}"),
    }
}

fn why_not_blocking(r: &Report<'_>, f: &Finding) -> String {
    if let Some(t) = &f.triage {
        return format!("triaged {}: {}", t.state, t.reason);
    }
    if let Some(note) = f.context_note() {
        return format!("{}; {note}", f.m.severity);
    }
    match f.m.category {
        Category::Posture => "posture checks never block".to_string(),
        _ => format!("{} does not block ({})", f.m.severity, r.threshold_text()),
    }
}

fn body(r: &Report<'_>, f: &Finding) -> String {
    let rule = r.rule(&f.m.rule);
    let mut lines = vec![
        format!("Rule: {}", f.m.rule),
        format!("Severity: {} (confidence {})", f.m.severity, f.m.confidence),
        format!("Location: {}", place(r, f)),
        format!("Value: {}", r.shown_secret(f)),
    ];
    let context = r.shown_context(f);
    if !context.trim().is_empty() {
        lines.push(format!("Context: {}", context.trim()));
    }
    if let Some(d) = &f.m.detail {
        lines.push(format!("Detail: {d}"));
    }
    if let Some(note) = f.context_note() {
        lines.push(format!("Path context: {note}"));
    }
    if let Some(c) = &f.location.commit {
        let when = f.location.commit_time.map(time::date).unwrap_or_default();
        lines.push(format!("Introduced in: {c} {when}").trim_end().to_string());
    }
    if f.location.unreachable {
        lines.push(format!("Unreachable: {}", crate::UNREACHABLE));
    } else if !f.location.in_head {
        lines.push("Removed from HEAD but still in the repository's history.".into());
    }
    if let Some(rule) = rule {
        lines.push(format!("Fix: {}", rule.fix));
        lines.push(format!("Docs: {}", rule.docs_url()));
    }
    lines.push(format!("Fingerprint: {}", f.fingerprint));
    // Each line printable on its own, so the breaks between them stay.
    lines
        .iter()
        .map(|l| printable(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn case(r: &Report<'_>, f: &Finding) -> Case {
    let name = r.rule(&f.m.rule).map_or(f.m.rule.as_str(), |x| &x.name);
    let at = place(r, f);
    let outcome = if r.blocking(f) {
        Outcome::Failure {
            kind: f.m.severity.to_string(),
            message: format!("{name} at {at}"),
            body: body(r, f),
        }
    } else {
        Outcome::Skipped {
            message: format!("{name} at {at}: {}", why_not_blocking(r, f)),
        }
    };
    Case {
        classname: format!("keepopen.{}.{}", f.m.category, f.m.rule),
        name: format!("{at}: {name}"),
        outcome,
    }
}

/// The suites: one per category in the order findings first appear, then
/// the scan's own.
fn suites(r: &Report<'_>) -> Vec<Suite> {
    let mut suites: Vec<(Category, Suite)> = Vec::new();
    for f in r.findings {
        let i = match suites.iter().position(|(c, _)| *c == f.m.category) {
            Some(i) => i,
            None => {
                let name = format!("keepopen: {}", f.m.category);
                let suite = Suite {
                    name,
                    cases: Vec::new(),
                    out: Vec::new(),
                };
                suites.push((f.m.category, suite));
                suites.len() - 1
            }
        };
        suites[i].1.cases.push(case(r, f));
    }
    let mut scan = Suite {
        name: "keepopen: scan".into(),
        cases: Vec::new(),
        out: Vec::new(),
    };
    if r.blocking_count() == 0 {
        scan.cases.push(Case {
            classname: "keepopen.scan".into(),
            name: format!("no blocking findings ({})", r.threshold_text()),
            outcome: Outcome::Pass,
        });
    }
    for p in r.problems {
        let (classname, outcome) = match p.level {
            Level::Error => (
                "keepopen.scan.error",
                Outcome::Error {
                    message: p.message.clone(),
                },
            ),
            Level::Skip => (
                "keepopen.scan.skipped",
                Outcome::Skipped {
                    message: p.message.clone(),
                },
            ),
            _ => {
                scan.out.push(p.to_string());
                continue;
            }
        };
        scan.cases.push(Case {
            classname: classname.into(),
            name: p.subject.clone(),
            outcome,
        });
    }
    let mut all: Vec<Suite> = suites.into_iter().map(|(_, s)| s).collect();
    if !scan.cases.is_empty() || !scan.out.is_empty() {
        all.push(scan);
    }
    all
}

fn write_case(out: &mut String, c: &Case) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        shown(&c.classname),
        shown(&c.name)
    );
    let _ = match &c.outcome {
        Outcome::Pass => writeln!(out, "/>"),
        Outcome::Failure {
            kind,
            message,
            body,
        } => writeln!(
            out,
            ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
            shown(kind),
            shown(message),
            // Already printable line by line: escape only.
            escape(body).replace("&#10;", "\n")
        ),
        Outcome::Error { message } => writeln!(
            out,
            ">\n      <error type=\"unreadable\" message=\"{}\"/>\n    </testcase>",
            shown(message)
        ),
        Outcome::Skipped { message } => writeln!(
            out,
            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
            shown(message)
        ),
    };
}

impl Format for Junit {
    fn write(&self, r: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let suites = suites(r);
        let total = |f: fn(&Suite) -> usize| suites.iter().map(f).sum::<usize>();
        let mut doc = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            doc,
            "<testsuites name=\"keepopen\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">",
            total(|s| s.cases.len()),
            total(Suite::failures),
            total(Suite::errors),
            r.stats.duration.as_secs_f64()
        );
        for s in &suites {
            let _ = writeln!(
                doc,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
                shown(&s.name),
                s.cases.len(),
                s.failures(),
                s.errors(),
                s.skipped()
            );
            for c in &s.cases {
                write_case(&mut doc, c);
            }
            if !s.out.is_empty() {
                let text: Vec<String> = s.out.iter().map(|l| printable(l).into_owned()).collect();
                let _ = writeln!(
                    doc,
                    "    <system-out>{}</system-out>",
                    escape(&text.join("\n")).replace("&#10;", "\n")
                );
            }
            doc.push_str("  </testsuite>\n");
        }
        doc.push_str("</testsuites>\n");
        out.write_all(doc.as_bytes())
    }
}

#[cfg(test)]
mod tests;
