//! A triage verdict checked before it is kept: the one set of rules for
//! `keepopen triage` and the dashboard, so that both refuse the same input
//! with the same words.

use jiff::civil::Date;
use keepopen_findings::{Triage, TriageState};

/// The longest an accepted risk stands before it is reviewed again.
pub const MAX_MONTHS: i8 = 12;

/// A fingerprint as reports show it: 1 to 128 printable characters.
pub fn check_fingerprint(fingerprint: &str) -> Result<&str, String> {
    let f = fingerprint.trim();
    if f.is_empty() || f.len() > 128 || f.chars().any(|c| c.is_control()) {
        return Err(format!(
            "fingerprint `{}`: give the fingerprint a report shows",
            keepopen_findings::printable(fingerprint)
        ));
    }
    Ok(f)
}

/// The verdict `state` with `reason`, expiring on `expires` (YYYY-MM-DD),
/// set on `today` at `now` (Unix seconds). An accepted risk must expire,
/// and no verdict may expire later than 12 months ahead.
pub fn verdict(
    state: &str,
    reason: &str,
    expires: Option<&str>,
    today: Date,
    now: i64,
) -> Result<Triage, String> {
    let state: TriageState = state.parse()?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("reason: say why, for whoever reads the report next".into());
    }
    if reason.len() > 2000 {
        return Err("reason: at most 2,000 characters".into());
    }
    let expires = expires.map(str::trim).filter(|e| !e.is_empty());
    let expires_at = match (expires, state) {
        (None, TriageState::AcceptedRisk) => {
            return Err(
                "accepted-risk needs an expiry date (YYYY-MM-DD): an accepted risk is reviewed again"
                    .into(),
            );
        }
        (None, _) => None,
        (Some(e), _) => {
            let date: Date = e.parse().map_err(|_| {
                format!(
                    "expires: `{}` is not a date (YYYY-MM-DD)",
                    keepopen_findings::printable(e)
                )
            })?;
            let limit = today
                .checked_add(jiff::Span::new().months(MAX_MONTHS))
                .map_err(|e| e.to_string())?;
            if date <= today || date > limit {
                return Err(format!(
                    "expires: {date} is not between tomorrow and {limit} (12 months)"
                ));
            }
            Some(
                date.to_zoned(jiff::tz::TimeZone::UTC)
                    .map_err(|e| e.to_string())?
                    .timestamp()
                    .as_second(),
            )
        }
    };
    Ok(Triage {
        state,
        reason: reason.to_string(),
        expires_at,
        set_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        "2026-12-06".parse().expect("a date")
    }

    #[test]
    fn an_accepted_risk_expires_within_a_year_and_every_verdict_has_a_reason() {
        let ok = verdict("accepted-risk", " in review ", Some("2027-01-01"), day(), 5)
            .expect("accepted");
        assert_eq!(ok.state, TriageState::AcceptedRisk);
        assert_eq!(ok.reason, "in review");
        assert_eq!(ok.expires_at, Some(1_798_761_600));
        assert!(
            verdict("accepted-risk", "x", None, day(), 5)
                .expect_err("refused")
                .contains("expiry")
        );
        assert!(
            verdict("fixed", "  ", None, day(), 5)
                .expect_err("refused")
                .contains("reason")
        );
        assert!(
            verdict("closed", "x", None, day(), 5)
                .expect_err("refused")
                .contains("unknown triage state")
        );
        assert!(
            verdict("fixed", "x", Some("2026-12-06"), day(), 5)
                .expect_err("refused")
                .contains("tomorrow")
        );
        assert!(
            verdict("fixed", "x", Some("2028-01-01"), day(), 5)
                .expect_err("refused")
                .contains("12 months")
        );
        assert!(
            verdict("fixed", "x", Some("soon"), day(), 5)
                .expect_err("refused")
                .contains("not a date")
        );
        assert_eq!(
            verdict("false-positive", "test key", None, day(), 5)
                .expect("accepted")
                .expires_at,
            None
        );
        assert!(check_fingerprint("").is_err());
        assert!(check_fingerprint(&"a".repeat(129)).is_err());
        assert!(check_fingerprint("ab\ncd").is_err());
        assert_eq!(check_fingerprint(" abc ").expect("accepted"), "abc");
    }
}
