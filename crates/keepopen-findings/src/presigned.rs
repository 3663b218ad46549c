//! AWS presigned URLs. A presigned URL carries an access key id in
//! `X-Amz-Credential` and, for temporary credentials, the session token in
//! `X-Amz-Security-Token`; the signature lets the holder make one request
//! until `X-Amz-Date` plus `X-Amz-Expires`, at most seven days. A URL
//! signed more than seven days ago has expired whatever it says, and so
//! has the temporary credential in it: a download link copied into a
//! notebook years ago is no leak today.

use std::time::{SystemTime, UNIX_EPOCH};

/// The longest a presigned URL lives (SigV4's limit).
const MAX_DAYS: i64 = 7;

/// Why a secret on `line` is harmless, if the line is a presigned URL
/// signed more than seven days before `today` (days since 1970-01-01).
pub fn expired_at(line: &str, today: i64) -> Option<&'static str> {
    if !line.contains("X-Amz-Credential=") && !line.contains("X-Amz-Credential%3D") {
        return None;
    }
    let stamp = signed_on(line)?;
    if !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i64 = stamp[..4].parse().ok()?;
    let m: i64 = stamp[4..6].parse().ok()?;
    let d: i64 = stamp[6..].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    (today - days_from_civil(y, m, d) > MAX_DAYS).then_some(REASON)
}

/// What a finding in an expired presigned URL says.
pub const REASON: &str = "in an AWS presigned URL signed more than seven days ago: the URL and the temporary credential in it have expired (check the key id is not a long-lived one still in use)";

/// The `YYYYMMDD` the URL was signed on: `X-Amz-Date`, else the date in
/// the credential's scope (`AKID%2F20211107%2Fregion…`).
fn signed_on(line: &str) -> Option<&str> {
    if let Some(at) = line.find("X-Amz-Date=") {
        return line.get(at + 11..at + 19);
    }
    let at = line.find("X-Amz-Credential")?;
    let rest = &line[at..];
    ["%2F", "%2f", "/"].iter().find_map(|sep| {
        rest.match_indices(sep).find_map(|(i, _)| {
            let d = rest.get(i + sep.len()..i + sep.len() + 8)?;
            let after = rest.get(i + sep.len() + 8..)?;
            (d.bytes().all(|b| b.is_ascii_digit()) && after.starts_with(sep)).then_some(d)
        })
    })
}

/// [`expired_at`] today.
pub fn expired(line: &str) -> Option<&'static str> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    expired_at(line, i64::try_from(secs / 86_400).ok()?)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(date: &str) -> String {
        format!(
            "https://bucket.s3.amazonaws.com/a.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={date}T195927Z&X-Amz-SignedHeaders=host&X-Amz-Expires=300&X-Amz-Credential={}%2F{}%2Fus-east-1%2Fs3%2Faws4_request",
            ["ASIA", "XXXXXXXXXXXXXXXX"].concat(),
            &date[..8]
        )
    }

    #[test]
    fn days_are_counted_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2021, 11, 7), 18_938);
    }

    #[test]
    fn a_url_signed_over_a_week_ago_has_expired_and_a_fresh_one_has_not() {
        let today = days_from_civil(2026, 12, 5);
        assert!(expired_at(&url("20211107"), today).is_some());
        assert!(
            expired_at(&url("20261201"), today).is_none(),
            "four days old"
        );
        assert!(
            expired_at("aws_secret_access_key = x X-Amz-Date=20211107", today).is_none(),
            "not a presigned URL"
        );
        assert!(expired_at(&url("2021xx07"), today).is_none());
        // Without X-Amz-Date, the credential's scope dates it.
        let scoped = format!(
            "?X-Amz-Credential={}%2F20211107%2Fus-east-1%2Fs3%2Faws4_request",
            ["ASIA", "XXXXXXXXXXXXXXXX"].concat()
        );
        assert!(expired_at(&scoped, today).is_some());
    }
}
