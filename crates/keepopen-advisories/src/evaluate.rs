//! Whether a version is in an advisory's ranges, following the OSV
//! schema's evaluation exactly: events sorted in the ecosystem's version
//! order (`introduced: "0"` first); walking them, `introduced` at or below
//! the version makes it affected, `fixed` at or below and `last_affected`
//! below make it not; `limit` events cap the range (a version at or above
//! every limit is outside it); the explicit `versions` list counts too;
//! `GIT` ranges name commits, not versions, and are skipped.
//!
//! Real records also list events as pairs in no order (PyPA's pyspark
//! advisory: `0..3.1.1`, `3.2.0..3.2.2`, `3.1.1..3.2.0`), where two events
//! at one version must be read by the pair they belong to, and a sort
//! cannot tell `fixed 3.1.1, introduced 3.1.1` (a range continuing) from
//! `introduced 0.10.0, fixed 0.10.0` (an empty one). When the events, in
//! record order, alternate an `introduced` and the event that closes it,
//! the range is read as that union of intervals; otherwise as the sorted
//! walk above. The two agree wherever the intervals neither touch nor
//! overlap.

use crate::record::{Affected, Event, Range};
use keepopen_versions::{Ecosystem, VersionError, compare};
use std::cmp::Ordering;

/// A version inside an affected entry, and the fix that applies to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The first `fixed` version above the one asked about, in the range
    /// that matched; `None` when no fix is published.
    pub fixed: Option<String>,
}

/// Is `version` affected by `entry`, ordered as `eco` orders versions?
pub fn affected(
    eco: Ecosystem,
    entry: &Affected,
    version: &str,
) -> Result<Option<Verdict>, VersionError> {
    // An invalid version cannot be placed in any range.
    compare(eco, version, version)?;
    let mut hit: Option<Verdict> = None;
    for r in &entry.ranges {
        let order = match r.kind.as_str() {
            "SEMVER" => Ecosystem::SemVer,
            "ECOSYSTEM" => eco,
            _ => continue,
        };
        if let Some(v) = in_range(order, r, version) {
            // Of several matching ranges, the one whose fix is highest
            // decides what upgrade clears the version.
            hit = Some(match (hit, v) {
                (Some(Verdict { fixed: Some(a) }), Verdict { fixed: Some(b) }) => Verdict {
                    fixed: Some(
                        if compare(eco, &a, &b).unwrap_or(Ordering::Equal) == Ordering::Less {
                            b
                        } else {
                            a
                        },
                    ),
                },
                (Some(Verdict { fixed: None }), _) | (_, Verdict { fixed: None }) => {
                    Verdict { fixed: None }
                }
                (None, v) => v,
            });
        }
    }
    if hit.is_none() && entry.versions.iter().any(|v| v == version) {
        hit = Some(Verdict {
            fixed: next_fix(eco, entry, version),
        });
    }
    Ok(hit)
}

/// The lowest `fixed` event above `version` in any range, for a version
/// found only in the explicit list.
fn next_fix(eco: Ecosystem, entry: &Affected, version: &str) -> Option<String> {
    entry
        .ranges
        .iter()
        .filter(|r| r.kind != "GIT")
        .flat_map(|r| r.events.iter().filter_map(|e| e.fixed.clone()))
        .filter(|f| compare(eco, f, version) == Ok(Ordering::Greater))
        .min_by(|a, b| compare(eco, a, b).unwrap_or(Ordering::Equal))
}

/// The event's version, and whether it is `introduced: "0"`.
fn value(e: &Event) -> Option<&str> {
    e.introduced
        .as_deref()
        .or(e.fixed.as_deref())
        .or(e.last_affected.as_deref())
        .or(e.limit.as_deref())
}

fn in_range(eco: Ecosystem, r: &Range, version: &str) -> Option<Verdict> {
    if !covers(eco, r, version) {
        return None;
    }
    // The fix that clears the version: the lowest `fixed` above it that
    // the range does not cover again.
    let mut fixes: Vec<&str> = r
        .events
        .iter()
        .filter_map(|e| e.fixed.as_deref())
        .filter(|f| compare(eco, f, version) == Ok(Ordering::Greater))
        .collect();
    fixes.sort_by(|a, b| compare(eco, a, b).unwrap_or(Ordering::Equal));
    let fixed = fixes
        .into_iter()
        .find(|f| !covers(eco, r, f))
        .map(String::from);
    Some(Verdict { fixed })
}

/// Is `version` inside range `r`?
fn covers(eco: Ecosystem, r: &Range, version: &str) -> bool {
    let cmp = |a: &str, b: &str| compare(eco, a, b).ok();
    // Events whose version the ecosystem cannot read are left out, as
    // osv-scanner does; "0" and the "*" limit are the schema's own.
    let mut events: Vec<&Event> = r
        .events
        .iter()
        .filter(|e| match value(e) {
            Some("0") => e.introduced.is_some(),
            Some("*") => e.limit.is_some(),
            Some(v) => cmp(v, v).is_some(),
            None => false,
        })
        .collect();
    fn key(e: &Event) -> &str {
        value(e).unwrap_or("")
    }
    events.sort_by(|a, b| match (key(a), key(b)) {
        ("0", "0") => Ordering::Equal,
        ("0", _) => Ordering::Less,
        (_, "0") => Ordering::Greater,
        ("*", "*") => Ordering::Equal,
        ("*", _) => Ordering::Greater,
        (_, "*") => Ordering::Less,
        (x, y) => cmp(x, y).unwrap_or(Ordering::Equal),
    });
    let limits: Vec<&str> = events
        .iter()
        .filter_map(|e| e.limit.as_deref())
        .filter(|l| *l != "*")
        .collect();
    if !limits.is_empty()
        && !limits
            .iter()
            .any(|l| cmp(version, l) == Some(Ordering::Less))
    {
        return false;
    }
    let at_or_below =
        |x: &str| x == "0" || matches!(cmp(x, version), Some(Ordering::Less | Ordering::Equal));
    if let Some(pairs) = pairs(&r.events) {
        return pairs.iter().any(|(i, close)| {
            at_or_below(i)
                && match close {
                    Close::Fixed(f) => cmp(version, f) == Some(Ordering::Less),
                    Close::LastAffected(l) => {
                        matches!(cmp(version, l), Some(Ordering::Less | Ordering::Equal))
                    }
                    Close::Open => true,
                }
        });
    }
    let mut affected = false;
    for e in &events {
        if let Some(i) = e.introduced.as_deref() {
            if at_or_below(i) {
                affected = true;
            }
        } else if let Some(f) = e.fixed.as_deref() {
            if at_or_below(f) {
                affected = false;
            }
        } else if let Some(l) = e.last_affected.as_deref()
            && cmp(l, version) == Some(Ordering::Less)
        {
            affected = false;
        }
    }
    affected
}

/// What ends an interval.
enum Close<'a> {
    Fixed(&'a str),
    LastAffected(&'a str),
    Open,
}

/// The events as `(introduced, close)` intervals, when in record order
/// they alternate that way (limits aside).
fn pairs(events: &[Event]) -> Option<Vec<(&str, Close<'_>)>> {
    let mut out = Vec::new();
    let mut open: Option<&str> = None;
    for e in events.iter().filter(|e| e.limit.is_none()) {
        match (
            open,
            e.introduced.as_deref(),
            e.fixed.as_deref(),
            e.last_affected.as_deref(),
        ) {
            (None, Some(i), _, _) => open = Some(i),
            (Some(i), None, Some(f), _) => {
                out.push((i, Close::Fixed(f)));
                open = None;
            }
            (Some(i), None, None, Some(l)) => {
                out.push((i, Close::LastAffected(l)));
                open = None;
            }
            _ => return None,
        }
    }
    if let Some(i) = open {
        out.push((i, Close::Open));
    }
    // One interval is what the sorted walk reads too; pairs matter only
    // when there are several.
    (out.len() > 1).then_some(out)
}
