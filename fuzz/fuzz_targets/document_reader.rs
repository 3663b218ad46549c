//! The Word and OpenDocument sniffer and reader over arbitrary bytes:
//! documents in history are untrusted, so damaged zips, XML that never
//! closes or nests without end, and repeat counts in the billions must come
//! back as errors or bounded text, never as a panic.
#![no_main]

use keepopen_personal::formats::document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = document::sniff(data);
    for kind in [None, Some("docx"), Some("odt")] {
        if let Ok(found) = document::read_as(data, kind) {
            for t in &found.texts {
                assert_eq!(
                    t.text.lines().count(),
                    t.places.len(),
                    "one place for each line"
                );
            }
            assert!(found.images.is_empty(), "documents give text and tables");
        }
    }
});
