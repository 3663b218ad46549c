//! An advisory's severity: the highest CVSS base score among its vectors
//! (the `cvss` crate computes v3.0, v3.1 and v4.0 scores), else the
//! database's own word (GitHub's `database_specific.severity`), else medium.

use keepopen_advisories::Record;
use keepopen_findings::Severity;
use std::str::FromStr;

/// The CVSS base score of `vector`, if it is one this can score.
pub fn score(vector: &str) -> Option<f64> {
    if vector.starts_with("CVSS:4.0/") {
        return cvss::v4::Vector::from_str(vector)
            .ok()
            .map(|v| v.score().value());
    }
    if vector.starts_with("CVSS:3.") {
        return cvss::v3::Vector::from_str(vector)
            .ok()
            .map(|v| v.score().value());
    }
    None
}

/// Severity bands of CVSS v3 and v4.
pub fn band(score: f64) -> Severity {
    match score {
        s if s >= 9.0 => Severity::Critical,
        s if s >= 7.0 => Severity::High,
        s if s >= 4.0 => Severity::Medium,
        s if s > 0.0 => Severity::Low,
        _ => Severity::Info,
    }
}

/// The record's severity and, where a vector gave it, the score.
pub fn of(record: &Record) -> (Severity, Option<f64>) {
    let vectors = record
        .severity
        .iter()
        .chain(record.affected.iter().flat_map(|a| a.severity.iter()));
    let best = vectors
        .filter_map(|s| score(&s.score))
        .max_by(|a, b| a.total_cmp(b));
    if let Some(s) = best {
        return (band(s), Some(s));
    }
    let word = record
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str())
        .unwrap_or("");
    let severity = match word.to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "HIGH" => Severity::High,
        "LOW" => Severity::Low,
        _ => Severity::Medium,
    };
    (severity, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_scored_and_banded() {
        let s = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").expect("v3.1");
        assert!((s - 9.8).abs() < 1e-9, "{s}");
        assert_eq!(band(s), Severity::Critical);
        assert_eq!(
            score("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
            None,
            "CVSS v2 is not scored"
        );
        assert_eq!(score("CVSS:3.1/nonsense"), None);
        assert_eq!(band(5.3), Severity::Medium);
    }
}
