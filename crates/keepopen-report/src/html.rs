//! The organisation report as one self-contained HTML file, for a board
//! paper or an e-mail. It makes no fetch: its style and its small script are
//! inside it, its charts are inline SVG with the same numbers as tables
//! beside them, and it reads as a plain document without JavaScript or on
//! paper. Templates are maud's, checked when keepopen is compiled; every
//! value is escaped, and findings arrive redacted (the store holds nothing
//! else).

mod charts;
mod register;
pub(crate) mod scan;
#[cfg(test)]
mod tests;

use crate::org::{OrgReport, blocking, count, text};
use keepopen_findings::{Category, Severity, printable};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The report's style sheet, inside each file; the dashboard serves it.
pub const STYLE: &str = include_str!("html/style.css");
/// Sorting and filtering for the repositories table.
pub const SCRIPT: &str = include_str!("html/table.js");

/// Where a link to repository `i` (its row) goes: an anchor in the one
/// file, or a page of the dashboard.
pub type Link<'a> = &'a dyn Fn(usize, &Value) -> String;

/// The report's pieces, for the dashboard to lay out its own pages.
pub mod parts {
    pub use super::register::register;
    pub use super::{findings, glance, head, summary, table};
}

/// One finding as the HTML report shows it: redacted already.
#[derive(Clone, Debug)]
pub struct HtmlFinding {
    /// The repository's path, as its row names it.
    pub repository: String,
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub path: String,
    pub line: u32,
    pub commit: Option<String>,
    /// Unix seconds.
    pub commit_time: Option<i64>,
    pub in_head: bool,
    /// The value, redacted.
    pub redacted: String,
    /// The line around it, the value redacted.
    pub context: String,
    pub detail: Option<String>,
    /// A triage verdict that stands, as `state: reason`.
    pub triage: Option<String>,
    /// The finding's fingerprint: what a verdict is kept against.
    pub fingerprint: String,
}

impl From<keepopen_findings_store::StoredFinding> for HtmlFinding {
    /// A finding as the store holds it (already redacted), with no verdict:
    /// the caller adds the one that stands.
    fn from(f: keepopen_findings_store::StoredFinding) -> Self {
        HtmlFinding {
            repository: f.repository.map(|r| r.root).unwrap_or_default(),
            rule: f.rule,
            category: f.category,
            severity: f.severity,
            path: f.path,
            line: f.line,
            commit: f.commit,
            commit_time: f.commit_time,
            in_head: f.in_head,
            redacted: f.redacted,
            context: f.context,
            detail: f.detail,
            triage: None,
            fingerprint: f.fingerprint,
        }
    }
}

/// What the page says about where it came from.
pub struct HtmlMeta {
    /// e.g. `run 3`, or `runs 3, 4` for a sharded organisation.
    pub run: String,
    /// When the run started, Unix seconds.
    pub started: Option<i64>,
}

/// About how many findings one report lists in all, so that an
/// organisation of a thousand repositories stays a file a board can open
/// (and e-mail): each repository lists at least [`MIN_LISTED`].
const LISTED: usize = 12_000;
const MIN_LISTED: usize = 10;

const RECOMMENDATIONS: [&str; 5] = [
    "open",
    "open-after-fixes",
    "exception-review",
    "archive",
    "error",
];

impl OrgReport<'_> {
    /// The report as one HTML document. `findings` are the run's, each
    /// naming its repository's row by path.
    pub fn write_html(
        &self,
        findings: &[HtmlFinding],
        meta: &HtmlMeta,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut by_repo: BTreeMap<&str, Vec<&HtmlFinding>> = BTreeMap::new();
        for f in findings {
            by_repo.entry(f.repository.as_str()).or_default().push(f);
        }
        // A board paper, not a dump: each repository lists its most severe
        // findings, as many as the budget allows, and counts the rest.
        let keep = (LISTED / self.rows.len().max(1)).max(MIN_LISTED);
        for list in by_repo.values_mut() {
            list.sort_by(|a, b| {
                b.severity
                    .cmp(&a.severity)
                    .then_with(|| a.path.cmp(&b.path))
                    .then(a.line.cmp(&b.line))
            });
        }
        let page = page(self.rows, &by_repo, keep, findings, meta, self.shard);
        out.write_all(page.into_string().as_bytes())
    }
}

/// Text safe to show: control characters made visible.
pub(super) fn p(s: &str) -> String {
    printable(s).into_owned()
}

fn page(
    rows: &[Value],
    by_repo: &BTreeMap<&str, Vec<&HtmlFinding>>,
    keep: usize,
    findings: &[HtmlFinding],
    meta: &HtmlMeta,
    shard: Option<(u32, u32)>,
) -> Markup {
    let title = format!("keepopen: {} repositories", rows.len());
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a href="#main" class="muted" { "Skip to the report" }
                header {
                    h1 { "Can this code stay open?" }
                    p {
                        (rows.len()) " repositories, " (meta.run)
                        @if let Some((i, n)) = shard { ", shard " (i) "/" (n) }
                        @if let Some(t) = meta.started { ", started " (crate::time::date(t)) }
                        ". keepopen " (env!("CARGO_PKG_VERSION")) "."
                    }
                }
                main id="main" {
                    (glance(rows, &mut findings.iter().map(|f| (f.category, f.severity))))
                    (table(rows, &|i, _| format!("#{}", anchor(i))))
                    (register::register(rows, meta.started, &|i, _| format!("#{}", anchor(i))))
                    @for (i, row) in rows.iter().enumerate() {
                        (repository(i, row, by_repo.get(text(row, "path")).map(Vec::as_slice).unwrap_or(&[]), keep))
                    }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// The organisation at a glance: recommendations, findings by category and
/// severity, the posture scores; each chart with its numbers as a table.
pub fn glance(rows: &[Value], findings: &mut dyn Iterator<Item = (Category, Severity)>) -> Markup {
    let mut recs: Vec<(String, u64)> = RECOMMENDATIONS.iter().map(|r| (r.to_string(), 0)).collect();
    for row in rows {
        let r = text(row, "recommendation");
        match recs.iter_mut().find(|(k, _)| k == r) {
            Some((_, n)) => *n += 1,
            None => recs.push((r.to_string(), 1)),
        }
    }
    let mut classes: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows {
        let c = text(row, "class");
        *classes
            .entry(if c.is_empty() {
                "unknown".into()
            } else {
                c.into()
            })
            .or_insert(0) += 1;
    }
    // Category by severity, from the rows (which count every finding,
    // whether or not its detail was kept).
    let mut grid: BTreeMap<&str, [u64; 5]> = BTreeMap::new();
    for (category, severity) in findings {
        let cell = &mut grid.entry(category.as_str()).or_insert([0; 5]);
        cell[4 - sev_index(severity)] += 1;
    }
    let total: u64 = rows
        .iter()
        .map(|r| r["findings"]["total"].as_u64().unwrap_or(0))
        .sum();
    let blocking: u64 = rows.iter().map(blocking).sum();
    let mut scores = [0u64; 11];
    let mut unscored = 0;
    for row in rows {
        match row["posture_score"].as_f64() {
            Some(s) => scores[(s.round().clamp(0.0, 10.0)) as usize] += 1,
            None => unscored += 1,
        }
    }
    let severities = ["critical", "high", "medium", "low", "info"];
    html! {
        h2 id="glance" { "At a glance" }
        p {
            (rows.len()) " repositories. "
            (total) " findings, of which " strong { (blocking) " block" } " keeping the code open until fixed."
        }
        div class="glance" {
            figure {
                figcaption id="rec-caption" { "Repositories by recommendation" }
                (charts::bars(&recs, "rec-caption"))
                table {
                    (head(&["Recommendation", "Repositories"], &[1]))
                    tbody {
                        @for (k, n) in &recs {
                            tr { td { span class={ "tag r-" (k) } { (k) } } td class="n" { (n) } }
                        }
                    }
                }
            }
            figure {
                figcaption id="class-caption" { "Repositories by class" }
                (charts::bars(&classes.iter().map(|(k, n)| (k.clone(), *n)).collect::<Vec<_>>(), "class-caption"))
            }
            figure {
                figcaption id="posture-caption" { "Posture scores (0 to 10, Scorecard-weighted)" }
                (charts::bars(&(0..=10).map(|i| (i.to_string(), scores[i])).collect::<Vec<_>>(), "posture-caption"))
                @if unscored > 0 { p class="muted" { (unscored) " repositories have no posture score." } }
            }
        }
        table {
            caption { "Findings by category and severity (with detail in this report)" }
            thead {
                tr {
                    th scope="col" { "Category" }
                    @for s in severities { th scope="col" class="n" { (s) } }
                }
            }
            tbody {
                @for (cat, counts) in &grid {
                    tr {
                        th scope="row" { (cat) }
                        @for n in counts { td class="n" { (n) } }
                    }
                }
                @if grid.is_empty() { tr { td colspan="6" { "No findings." } } }
            }
        }
    }
}

fn sev_index(s: Severity) -> usize {
    match s {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

pub(super) fn anchor(i: usize) -> String {
    format!("repo-{}", i + 1)
}

/// Every repository in one table: plain HTML, to which the script adds
/// sorting and filtering.
pub fn table(rows: &[Value], link: Link<'_>) -> Markup {
    let cols: [(&str, bool); 9] = [
        ("Repository", false),
        ("Recommendation", false),
        ("Class", false),
        ("Blocking", true),
        ("Critical", true),
        ("High", true),
        ("Posture", true),
        ("Last commit", false),
        ("First fix", false),
    ];
    html! {
        h2 id="repositories-heading" { "Repositories" }
        form id="filters" class="filters" hidden role="search" aria-label="Filter the repositories" {
            div {
                label for="filter-text" { "Find" }
                input id="filter-text" type="search" autocomplete="off";
            }
            div {
                label for="filter-recommendation" { "Recommendation" }
                select id="filter-recommendation" {
                    option value="" { "any" }
                    @for r in RECOMMENDATIONS { option value=(r) { (r) } }
                }
            }
            p id="filter-count" aria-live="polite" {}
        }
        table id="repositories" aria-labelledby="repositories-heading" {
            thead {
                tr {
                    @for (name, numeric) in cols {
                        th scope="col" class=[numeric.then_some("n")] {
                            button type="button" { (name) }
                        }
                    }
                }
            }
            tbody {
                @for (i, r) in rows.iter().enumerate() {
                    @let rec = text(r, "recommendation");
                    tr data-recommendation=(rec) {
                        td { a href=(link(i, r)) { (p(text(r, "path"))) } }
                        td { span class={ "tag r-" (rec) } { (rec) } }
                        td { (or_dash(text(r, "class"))) }
                        td class="n" { (blocking(r)) }
                        td class="n" { (count(r, "by_severity", "critical")) }
                        td class="n" { (count(r, "by_severity", "high")) }
                        td class="n" data-sort=(r["posture_score"].as_f64().map(|s| s.to_string()).unwrap_or_else(|| "-1".into())) {
                            (r["posture_score"].as_f64().map(|s| format!("{s:.1}")).unwrap_or_else(|| "—".into()))
                        }
                        td { (or_dash(text(r, "last_commit"))) }
                        td { (p(r["fixes"][0]["title"].as_str().or_else(|| r["errors"][0].as_str()).unwrap_or("—"))) }
                    }
                }
            }
        }
    }
}

pub(super) fn or_dash(s: &str) -> String {
    if s.is_empty() { "—".into() } else { p(s) }
}

/// One repository: its recommendation and why, the fix plan with the
/// commands, what could not be read, and its findings by category.
fn repository(i: usize, row: &Value, all: &[&HtmlFinding], keep: usize) -> Markup {
    let findings = &all[..all.len().min(keep)];
    let left = all.len() - findings.len();
    html! {
        section class="repo" id=(anchor(i)) aria-labelledby={ (anchor(i)) "-h" } {
            h2 id={ (anchor(i)) "-h" } { (p(text(row, "path"))) }
            (summary(row))
            h3 { "Findings" }
            @if findings.is_empty() {
                p { @if row["findings"]["total"].as_u64().unwrap_or(0) == 0 { "None." } @else { "Counted, but their detail is not in this run's store." } }
            }
            (self::findings(findings, false, &|_| maud::html! {}))
            @if left > 0 {
                p class="muted" {
                    "The " (findings.len()) " most severe of " (all.len()) " findings are listed; the other " (left)
                    ", no more severe, are in " code { "keepopen report --format json" } " and the dashboard (" code { "keepopen serve" } ")."
                }
            }
        }
    }
}

/// A repository's recommendation and why, its fix plan with the commands,
/// and what could not be read.
pub fn summary(row: &Value) -> Markup {
    let rec = text(row, "recommendation");
    let empty = Vec::new();
    html! {
            p {
                "Recommendation: " span class={ "tag r-" (rec) } { (rec) }
                @if let Some(c) = row["class"].as_str() { " · class " strong { (p(c)) } }
                @if let Some(s) = row["posture_score"].as_f64() { " · posture " (format!("{s:.1}")) "/10" }
                @if let Some(r) = row["remote"].as_str() { " · " code { (p(r)) } }
            }
            @let evidence = row["class_evidence"].as_array().unwrap_or(&empty);
            @if !evidence.is_empty() {
                p class="muted" { "Class evidence: " (p(&evidence.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; "))) }
            }
            @let reasons = row["reasons"].as_array().unwrap_or(&empty);
            @if !reasons.is_empty() {
                h3 { "Why" }
                ul {
                    @for r in reasons {
                        li { (p(text(r, "text"))) " " span class="muted" { "[" (p(text(r, "rule"))) "]" } }
                    }
                }
            }
            @let fixes = row["fixes"].as_array().unwrap_or(&empty);
            @if !fixes.is_empty() {
                h3 { "Fix plan, in order" }
                ol class="fixes" {
                    @for f in fixes {
                        li {
                            strong { (p(text(f, "title"))) }
                            @for a in f["actions"].as_array().unwrap_or(&empty) {
                                @if let Some(a) = a.as_str() { pre { code { (p(a)) } } }
                            }
                        }
                    }
                }
            }
            @let errors = row["errors"].as_array().unwrap_or(&empty);
            @if !errors.is_empty() {
                div class="errors" {
                    h3 { "Not checked" }
                    ul { @for e in errors { li { (p(e.as_str().unwrap_or(""))) } } }
                }
            }
    }
}

/// Findings grouped by category, the most severe first; `extra` adds to
/// each finding's last cell (the dashboard's triage form).
/// With `open`, every group starts open (the dashboard, where findings are
/// triaged); else those with a high or critical finding.
pub fn findings(
    findings: &[&HtmlFinding],
    open: bool,
    extra: &dyn Fn(&HtmlFinding) -> Markup,
) -> Markup {
    let mut by_cat: BTreeMap<Category, Vec<&HtmlFinding>> = BTreeMap::new();
    for f in findings {
        by_cat.entry(f.category).or_default().push(f);
    }
    for list in by_cat.values_mut() {
        list.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.path.cmp(&b.path))
                .then(a.line.cmp(&b.line))
        });
    }
    html! {
            @for (cat, list) in &by_cat {
                details open[open || list.iter().any(|f| f.severity >= Severity::High)] {
                    summary { strong { (cat.as_str()) } " (" (list.len()) ")" }
                    table {
                        (head(&["Severity", "Rule", "Where", "Commit", "At HEAD", "What was found (redacted)"], &[]))
                        tbody {
                            @for f in list {
                                tr {
                                    td class={ "s-" (f.severity.as_str()) } { (f.severity.as_str()) }
                                    td { code { (p(&f.rule)) } }
                                    td { code { (p(&f.path)) ":" (f.line) } }
                                    td {
                                        @if let Some(c) = &f.commit { code { (p(&c[..c.len().min(10)])) } }
                                        @else { "—" }
                                        @if let Some(t) = f.commit_time { br; (crate::time::date(t)) }
                                    }
                                    td { @if f.in_head { "yes" } @else { "no: in history" } }
                                    td {
                                        code { (p(&f.context)) }
                                        @if let Some(d) = &f.detail { br; span class="muted" { (p(d)) } }
                                        @if let Some(t) = &f.triage { br; strong { "Triaged: " } (p(t)) }
                                        (extra(f))
                                    }
                                }
                            }
                        }
                    }
                }
            }
    }
}

/// A table's head row of plain column headings; the columns at `numeric`
/// are right-aligned.
pub fn head(cols: &[&str], numeric: &[usize]) -> Markup {
    html! {
        thead {
            tr {
                @for (i, c) in cols.iter().enumerate() {
                    th scope="col" class=[numeric.contains(&i).then_some("n")] { (c) }
                }
            }
        }
    }
}
