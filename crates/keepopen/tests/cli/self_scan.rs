//! keepopen's own repository, files and history, reports nothing blocking:
//! rule examples are split, fixtures build their tokens at run time.

use crate::support::*;
use std::path::Path;

#[test]
fn keepopen_scan_of_this_repository_reports_nothing_blocking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().expect("workspace root");
    // Every default detector: exposed configuration and code included.
    let (_, v) = scan_json_default(&root, &[]);
    let blocking: Vec<_> = findings(&v)
        .into_iter()
        .filter(|f| f["blocking"] == true)
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["rule"], f["path"], f["line"], f["redacted"]
            )
        })
        .collect();
    assert!(
        blocking.is_empty(),
        "blocking findings in keepopen itself:\n{}",
        blocking.join("\n")
    );
}
