//! The notebook reader and the HTML table extractor over arbitrary bytes:
//! notebooks come from any commit of any repository, so neither may panic,
//! whatever the JSON shape or markup.
#![no_main]

use keepopen_personal::formats::{html, notebook};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = notebook::looks_like(data);
    if let Ok(found) = notebook::read(data) {
        for table in &found.tables {
            assert!(table.rows.len() <= table.total_rows, "rows are counted");
        }
    }
    let text = String::from_utf8_lossy(data);
    for table in html::tables(&text, "fuzz") {
        assert!(
            table.rows.iter().all(|r| r.line == 0),
            "HTML rows carry no line"
        );
    }
});
