//! Opening the detector over the advisory database, and saying what the
//! scan can and cannot check with it: no database, an empty one, or an old
//! one are notes in the report, never a silent gap.

use crate::Dependencies;
use crate::age::age_text;
use keepopen_advisory_store::{AdvisoryStore, StoreError};
use keepopen_findings::Problem;
use std::path::Path;

/// Days after which the advisory database is called old, unless the
/// configuration says otherwise.
pub const MAX_DB_AGE_DAYS: u32 = 7;

/// The detector over the advisory database at `db` (else the default
/// store), and the notes the report gives about it. The database is read
/// as it is: a scan creates no file, folder or table, and changes no
/// journal mode. When there is no database, when the file holds no
/// advisory tables (or an older schema of them), or when it is empty, the
/// detector still reads the lockfiles, so that the report can say what
/// went unchecked, and the notes say why and what to run. A file that is
/// there but cannot be read (corrupt, not SQLite, unreadable, newer than
/// this keepopen) is an error naming it. `now` is the clock its age counts
/// back from.
pub fn open(
    db: Option<&Path>,
    max_age_days: u32,
    now: i64,
) -> Result<(Dependencies, Vec<Problem>), StoreError> {
    let path = db
        .map(Path::to_path_buf)
        .unwrap_or_else(keepopen_advisory_store::default_path);
    let store = match AdvisoryStore::read(&path) {
        Ok(store) => store,
        Err(e) => {
            let note = not_checked(&path, e)?;
            return Ok((Dependencies::new(None)?, vec![note]));
        }
    };
    let status = store.status()?;
    let subject = path.display().to_string();
    if status.is_empty() {
        let note = Problem::note(
            subject,
            "the advisory database is empty: vulnerable dependencies were not checked (run `keepopen db import`)",
        );
        return Ok((Dependencies::new(None)?, vec![note]));
    }
    let imported = status.iter().map(|s| s.imported_at).max().unwrap_or(0);
    let newest = store.newest_modified()?;
    let total = store.count()?;
    let note = Problem::note(
        subject,
        age_text(total, newest.as_deref(), imported, max_age_days, now),
    );
    Ok((Dependencies::new(Some(store))?, vec![note]))
}

/// The note for a database the scan cannot check against but need not
/// stop for; anything else stays the error it is.
fn not_checked(path: &Path, e: StoreError) -> Result<Problem, StoreError> {
    let shown = path.display();
    let (subject, why) = match e {
        StoreError::Missing { .. } => (
            "dependencies".to_string(),
            format!("no advisory database at {shown}"),
        ),
        StoreError::NotAStore { .. } => (
            shown.to_string(),
            "not a keepopen advisory database (it was left as it is)".to_string(),
        ),
        StoreError::Absent { .. } => (
            shown.to_string(),
            "the store holds no advisory tables".to_string(),
        ),
        StoreError::LayoutTooOld { .. } | StoreError::TooOld { .. } => {
            let note = Problem::note(
                shown.to_string(),
                "the advisory database was written by an older keepopen: vulnerable dependencies were not checked (run `keepopen db update` or `keepopen db import`, which upgrade it)",
            );
            return Ok(note);
        }
        other => return Err(other),
    };
    Ok(Problem::note(
        subject,
        format!("{why}: vulnerable dependencies were not checked (run `keepopen db import`)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_database_is_a_note_and_is_not_created() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new/dir/k.db");
        let (none, notes) = open(Some(&path), 7, 0).expect("a note, not an error");
        assert!(!none.coverage().has_db());
        let text = &notes[0].message;
        assert!(
            text.contains("no advisory database at") && text.contains("new/dir/k.db"),
            "{notes:?}"
        );
        assert!(text.contains("were not checked"), "{text}");
        assert!(!dir.path().join("new").exists(), "no folder, no file");
    }

    #[test]
    fn an_empty_store_and_a_file_keepopen_did_not_make_are_notes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k.db");
        drop(AdvisoryStore::open(&path).expect("an empty store"));
        let (none, notes) = open(Some(&path), 7, 0).expect("opens");
        assert!(!none.coverage().has_db());
        assert!(notes[0].message.contains("empty"), "{notes:?}");

        let other = dir.path().join("other.sqlite");
        rusqlite::Connection::open(&other)
            .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
            .expect("plain file");
        let before = std::fs::read(&other).expect("read");
        let (none, notes) = open(Some(&other), 7, 0).expect("a note");
        assert!(!none.coverage().has_db());
        assert!(
            notes[0]
                .message
                .contains("not a keepopen advisory database"),
            "{notes:?}"
        );
        assert_eq!(std::fs::read(&other).expect("read"), before);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("junk.db");
        std::fs::write(&path, vec![b'x'; 4096]).expect("write");
        let err = open(Some(&path), 7, 0).err().expect("an error");
        assert!(err.to_string().contains("junk.db"), "{err}");
    }
}
