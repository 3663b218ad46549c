//! The current time, as the store, the posture checks, exception and
//! triage expiry count it: one clock for the command line and the dashboard.

/// Seconds since the epoch (0 if the clock is before it).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Today's date in UTC, for exception expiry.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::from_second(now())
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default()
}
