//! The spreadsheet sniffer and reader over arbitrary bytes: workbooks in
//! history are untrusted, so damaged zips and compound files must come
//! back as errors, never as a panic or an allocation the size of a sheet's
//! declared dimensions.
#![no_main]

use keepopen_personal::formats::spreadsheet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = spreadsheet::sniff(data);
    if let Ok(found) = spreadsheet::read(data) {
        assert!(found.texts.is_empty(), "workbooks give tables only");
    }
});
