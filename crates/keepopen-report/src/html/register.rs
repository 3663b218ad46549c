//! The exceptions register of every repository in the HTML report, on
//! the day of the run: lapsed and unsound records first, then those due for
//! renewal, marked.

use super::{Link, head, or_dash, p};
use crate::org::text;
use maud::{Markup, html};
use serde_json::Value;

/// Days before expiry at which an exception is flagged for renewal.
const SOON_DAYS: i64 = 30;

/// The exceptions register of every repository, on the day of the run:
/// expired, unsound and soon-to-expire records first and marked.
pub fn register(rows: &[Value], started: Option<i64>, link: Link<'_>) -> Markup {
    let today = started.map(|t| t.div_euclid(86_400));
    let mut entries: Vec<(usize, &Value, &Value, i64, String)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for e in row["exceptions"].as_array().into_iter().flatten() {
            let standing = text(e, "standing");
            let left = crate::time::day_of(text(e, "expires"))
                .zip(today)
                .map(|(exp, now)| exp - now);
            let (rank, flag) = match (standing, left) {
                ("active", Some(d)) if d <= SOON_DAYS => (1, format!("expires in {d} days")),
                ("active", _) => (2, String::new()),
                (s, _) => (0, s.to_string()),
            };
            entries.push((i, row, e, rank, flag));
        }
    }
    entries.sort_by(|a, b| {
        a.3.cmp(&b.3)
            .then_with(|| text(a.2, "expires").cmp(text(b.2, "expires")))
    });
    html! {
        h2 id="register" { "Exceptions register" }
        @if entries.is_empty() {
            p { "No repository holds an exception to keeping its code open." }
        } @else {
            p {
                "Each exception is narrow, time-bound and re-approved at most every 12 months. "
                "Those that have lapsed or are not sound are listed first, then those due for renewal within "
                (SOON_DAYS) " days."
            }
            table {
                (head(&["Repository", "Exception", "Scope", "Threat model", "Approver", "Expires", "Standing", "Covers"], &[7]))
                tbody {
                    @for (i, row, e, rank, flag) in &entries {
                        tr class=[(*rank < 2).then_some("flag")] {
                            td { a href=(link(*i, row)) { (p(text(row, "path"))) } }
                            td { code { (p(text(e, "id"))) } }
                            td {
                                (p(&strings(&e["scope"]).join(", ")))
                                @let rules = strings(&e["rules"]);
                                @if !rules.is_empty() { br; span class="muted" { "rules: " (p(&rules.join(", "))) } }
                            }
                            td {
                                dl {
                                    dt { "Attacker" } dd { (or_dash(text(e, "attacker"))) }
                                    dt { "What publication adds" } dd { (or_dash(text(e, "publication_adds"))) }
                                    dt { "Path to harm" } dd { (or_dash(text(e, "path_to_harm"))) }
                                }
                            }
                            td { (or_dash(text(e, "approver"))) br; span class="muted" { "approved " (or_dash(text(e, "approved"))) } }
                            td { (or_dash(text(e, "expires"))) }
                            td {
                                @if *rank < 2 { strong class="s-critical" { (flag) } } @else { (text(e, "standing")) }
                                @if let Some(why) = e["problem"].as_str() { br; span class="muted" { (p(why)) } }
                            }
                            td class="n" { (e["covers"].as_u64().unwrap_or(0)) }
                        }
                    }
                }
            }
        }
    }
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}
