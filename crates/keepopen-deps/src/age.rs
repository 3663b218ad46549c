//! How old the advisory database is. The data's own date (its newest
//! advisory's `modified`) is what matters: a database imported yesterday
//! from an export of last year knows nothing of this year's advisories.

use keepopen_findings::thousands;

/// "advisory database: N advisories, newest modified 2024-10-03 (427 days
/// ago); imported 2 days ago", and a warning when the newest advisory is
/// older than `max_age_days` (the import's age when no advisory has a
/// date). `now` and `imported_at` are seconds since the epoch.
pub(crate) fn age_text(
    total: usize,
    newest_modified: Option<&str>,
    imported_at: i64,
    max_age_days: u32,
    now: i64,
) -> String {
    let imported = days(now - imported_at);
    let modified = newest_modified.and_then(|m| Some((m.get(..10)?, day_number(m)?)));
    let (data, age) = match modified {
        Some((date, day)) => {
            let age = (now.div_euclid(86_400) - day).max(0);
            (
                format!("newest modified {date} ({} ago); ", days_text(age)),
                age,
            )
        }
        None => ("no advisory gives a modified date; ".to_string(), imported),
    };
    let warning = if age > i64::from(max_age_days) {
        let what = if modified.is_some() {
            format!("its newest advisory is older than {max_age_days} days")
        } else {
            format!("imported more than {max_age_days} days ago")
        };
        format!("; {what}: run `keepopen db update` or import a fresh export")
    } else {
        String::new()
    };
    format!(
        "advisory database: {} advisor{}, {data}imported {} ago{warning}",
        thousands(total),
        if total == 1 { "y" } else { "ies" },
        days_text(imported)
    )
}

fn days(secs: i64) -> i64 {
    secs.max(0) / 86_400
}

fn days_text(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

/// Days since 1970-01-01 of an RFC 3339 timestamp's date (`2024-10-03`,
/// `2024-10-03T12:00:00Z`); `None` when it does not start with one.
fn day_number(stamp: &str) -> Option<i64> {
    let date = stamp.get(..10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn dates_count_days_from_the_epoch() {
        assert_eq!(day_number("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2024-10-03T12:34:56.789Z"), Some(19_999));
        assert_eq!(day_number("yesterday"), None);
        assert_eq!(day_number("2024-13-01"), None);
    }

    #[test]
    fn the_age_is_the_datas_and_the_import_is_said_beside_it() {
        // Imported two days ago from an export whose newest advisory is
        // 427 days old: old data, however fresh the import.
        let now = (19_999 + 427) * DAY + 3600;
        let text = age_text(3867, Some("2024-10-03T08:00:00Z"), now - 2 * DAY, 7, now);
        assert_eq!(
            text,
            "advisory database: 3,867 advisories, newest modified 2024-10-03 (427 days ago); imported 2 days ago; its newest advisory is older than 7 days: run `keepopen db update` or import a fresh export"
        );
        let fresh = age_text(3, Some("2024-10-03"), now - 20 * DAY, 7, 20_000 * DAY);
        assert_eq!(
            fresh,
            "advisory database: 3 advisories, newest modified 2024-10-03 (1 day ago); imported 0 days ago",
            "an import's age alone never warns"
        );
        assert!(!age_text(3, Some("2024-10-03"), 0, 500, now).contains("older"));
    }

    #[test]
    fn without_dates_the_import_is_what_ages() {
        let now = 100 * DAY;
        let text = age_text(1, None, now - 8 * DAY, 7, now);
        assert_eq!(
            text,
            "advisory database: 1 advisory, no advisory gives a modified date; imported 8 days ago; imported more than 7 days ago: run `keepopen db update` or import a fresh export"
        );
    }
}
