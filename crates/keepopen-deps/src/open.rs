//! Opening the detector over the advisory database, and saying what the
//! scan can and cannot check with it: no database, an empty one, or an old
//! one are notes in the report, never a silent gap.

use crate::Dependencies;
use keepopen_advisory_store::{AdvisoryStore, StoreError};
use keepopen_findings::Problem;
use std::path::Path;

/// Days after which the advisory database is called old, unless the
/// configuration says otherwise.
pub const MAX_DB_AGE_DAYS: u32 = 7;

/// The detector over the advisory database at `db` (else the default
/// store), and the notes the report gives about it. No detector when there
/// is no database or it is empty: the notes say dependencies were not
/// checked. A database named by `db` that cannot be opened is an error:
/// the user asked for it. `now` is the clock its age counts back from.
pub fn open(
    db: Option<&Path>,
    max_age_days: u32,
    now: i64,
) -> Result<(Option<Dependencies>, Vec<Problem>), StoreError> {
    let path = db
        .map(Path::to_path_buf)
        .unwrap_or_else(keepopen_advisory_store::default_path);
    if db.is_none() && !path.exists() {
        let note = Problem::note(
            "dependencies",
            format!(
                "no advisory database at {}: vulnerable dependencies were not checked (run `keepopen db import`)",
                path.display()
            ),
        );
        return Ok((None, vec![note]));
    }
    let store = AdvisoryStore::open(&path)?;
    let status = store.status()?;
    let subject = path.display().to_string();
    if status.is_empty() {
        let note = Problem::note(
            subject,
            "the advisory database is empty: vulnerable dependencies were not checked (run `keepopen db import`)",
        );
        return Ok((None, vec![note]));
    }
    let newest = status.iter().map(|s| s.imported_at).max().unwrap_or(0);
    let total: usize = status.iter().map(|s| s.advisories).sum();
    let note = Problem::note(subject, age_text(total, newest, max_age_days, now));
    Ok((Some(Dependencies::new(store)), vec![note]))
}

/// "advisory database: N advisories, imported D days ago", and a warning
/// past `max_age_days`.
fn age_text(total: usize, imported_at: i64, max_age_days: u32, now: i64) -> String {
    let age = (now - imported_at).max(0) / 86_400;
    format!(
        "advisory database: {total} advisories, imported {age} day{} ago{}",
        if age == 1 { "" } else { "s" },
        if age > i64::from(max_age_days) {
            format!(
                "; older than {max_age_days} days: run `keepopen db update` or import a fresh export"
            )
        } else {
            String::new()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn the_age_is_said_and_an_old_database_is_flagged() {
        let now = 100 * DAY;
        assert_eq!(
            age_text(3, now - DAY, 7, now),
            "advisory database: 3 advisories, imported 1 day ago"
        );
        let old = age_text(3, now - 8 * DAY, 7, now);
        assert!(
            old.contains("imported 8 days ago; older than 7 days"),
            "{old}"
        );
        assert!(!age_text(3, now - 8 * DAY, 10, now).contains("older"));
    }

    #[test]
    fn a_missing_default_database_is_a_note_and_an_empty_one_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k.db");
        let (none, notes) = open(Some(&path), 7, 0).expect("opens, creating");
        assert!(none.is_none());
        assert!(notes[0].message.contains("empty"), "{notes:?}");
    }
}
