//! The whole personal-data detector over arbitrary bytes: the CSV sniffer
//! and reader, JSON records, SQL inserts, the free-text number search and
//! every table judge. Data files come from any commit of any repository, so
//! none of them may panic, and a value is never reported unredacted in the
//! context a report shows.
#![no_main]

use keepopen_content::{Content, Detector};
use keepopen_personal::{PersonalData, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let detector = PersonalData::new(Settings::default());
    for path in [None, Some("extract.csv")] {
        detector.detect_reporting(
            &Content::new(data, path),
            &mut |m| {
                assert!(m.line >= 1 || m.rule == "data-file", "{m:?}");
                if m.category == keepopen_findings::Category::PersonalData && m.secret.len() >= 9 {
                    assert!(!m.context.contains(&m.secret), "context shows {m:?}");
                }
            },
            &mut |_| {},
        );
    }
});
