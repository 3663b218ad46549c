//! GitHub code scanning's upload limits, applied so that an upload is never
//! rejected. GitHub documents (“SARIF results exceed one or more limits”,
//! and the upload API): at most 10 MB per gzip-compressed file, 20 runs per
//! file, 25,000 results per run, 25,000 rules per run, 100 tool extensions
//! per run, 1,000 locations per result, 10,000 thread-flow locations per
//! result, 20 tags per rule. keepopen writes one run, no extensions, one
//! location and no thread flows per result and two tags per rule (a test
//! pins that), so what can overflow is the results, the rules and the size.
//!
//! Results over a limit are left out lowest first: a blocking finding is
//! never left out while a non-blocking one is kept, and within each, the
//! least severe go first, then the latest in report order. What was left
//! out is said in a warning notification and in the run's
//! `resultsLeftOut` property.
//!
//! The size is measured, not guessed: a log whose JSON is under the limit
//! uncompressed needs nothing more; a bigger one is gzipped at the default
//! level (as the upload action does) to measure it. Only a log of more than
//! 10 MB pays for that compression, once per attempt; an attempt that is
//! too big cuts the results in proportion to the overshoot, with a margin.

use crate::Report;
use keepopen_findings::Severity;
use serde_json::{Value, json};
use std::io::{self, Write};

/// GitHub rejects a gzip-compressed SARIF file bigger than 10 MB; counted
/// in decimal megabytes, the stricter reading.
pub(crate) const MAX_GZIP_BYTES: usize = 10_000_000;
/// Results per run.
pub(crate) const MAX_RESULTS: usize = 25_000;
/// Rules per run.
pub(crate) const MAX_RULES: usize = 25_000;
/// Room kept under the size limit for the notification and rounding.
const MARGIN: usize = 64 * 1024;

/// What the limits left out of a log.
pub(crate) struct LeftOut {
    pub total: usize,
    pub blocking: usize,
    /// How many of each severity, most severe first, those with none left
    /// out.
    pub by_severity: Vec<(Severity, usize)>,
    /// Left out by the result count alone, or for the size too.
    pub for_size: bool,
}

impl LeftOut {
    pub(crate) fn sentence(&self) -> String {
        let what: Vec<String> = self
            .by_severity
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        let why = if self.for_size {
            "to keep the file under code scanning's 10 MB gzip upload limit"
        } else {
            "code scanning takes at most 25000 per run"
        };
        format!(
            "{} were left out ({}; {} blocking), lowest severity first: {why}. Every format but sarif keeps them all.",
            crate::plural(self.total, "result", "results"),
            what.join(", "),
            self.blocking
        )
    }

    pub(crate) fn to_json(&self) -> Value {
        let by: serde_json::Map<String, Value> = self
            .by_severity
            .iter()
            .map(|(s, n)| (s.as_str().to_string(), json!(n)))
            .collect();
        json!({
            "count": self.total,
            "blocking": self.blocking,
            "bySeverity": by,
            "reason": if self.for_size { "size" } else { "results-per-run" }
        })
    }
}

/// The findings' indexes, most important first: blocking before not,
/// then most severe, then report order.
pub(crate) fn ranked(rep: &Report<'_>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rep.findings.len()).collect();
    order.sort_by_key(|&i| {
        let f = &rep.findings[i];
        (!rep.blocking(f), std::cmp::Reverse(f.m.severity), i)
    });
    order
}

fn left_out(rep: &Report<'_>, dropped: &[usize], for_size: bool) -> Option<LeftOut> {
    if dropped.is_empty() {
        return None;
    }
    let mut by_severity: Vec<(Severity, usize)> = Vec::new();
    for s in Severity::ALL.iter().rev() {
        let n = dropped
            .iter()
            .filter(|&&i| rep.findings[i].m.severity == *s)
            .count();
        if n > 0 {
            by_severity.push((*s, n));
        }
    }
    Some(LeftOut {
        total: dropped.len(),
        blocking: dropped
            .iter()
            .filter(|&&i| rep.blocking(&rep.findings[i]))
            .count(),
        by_severity,
        for_size,
    })
}

fn gzipped_len(bytes: &[u8]) -> io::Result<usize> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes)?;
    Ok(gz.finish()?.len())
}

/// The pretty-printed log `build` makes from the most findings that fit
/// `max_gzip` bytes gzipped and the result limit. `build` takes the kept
/// indexes in report order and what was left out.
pub(crate) fn fit(
    rep: &Report<'_>,
    max_gzip: usize,
    build: impl Fn(&[usize], Option<LeftOut>) -> Value,
) -> io::Result<Vec<u8>> {
    let ranked = ranked(rep);
    let target = max_gzip.saturating_sub(MARGIN.min(max_gzip / 8));
    let mut n = ranked.len().min(MAX_RESULTS);
    let mut for_size = false;
    loop {
        let mut kept = ranked[..n].to_vec();
        kept.sort_unstable();
        let doc = build(&kept, left_out(rep, &ranked[n..], for_size));
        let bytes = serde_json::to_vec_pretty(&doc).map_err(io::Error::other)?;
        if bytes.len() <= target || n == 0 {
            return Ok(bytes);
        }
        let packed = gzipped_len(&bytes)?;
        if packed <= target {
            return Ok(bytes);
        }
        // Cut in proportion to the overshoot, a little more for the
        // rules and run data that do not shrink with the results.
        let scaled = (n as f64 * target as f64 / packed as f64 * 0.95) as usize;
        n = scaled.min(n - 1);
        for_size = true;
    }
}

#[cfg(test)]
mod tests;
