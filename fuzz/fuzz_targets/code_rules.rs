//! The code rules over arbitrary text: the first byte chooses the file's
//! language (and so its grammar, PHP's template blanking, the value
//! following); never a panic. Its fixed-seed twin is
//! `mangled_sources_never_panic` in `keepopen-code`.
#![no_main]

use keepopen_content::{Content, Detector};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static DETECTOR: LazyLock<keepopen_code::CodeWeaknesses> = LazyLock::new(|| {
    keepopen_code::CodeWeaknesses::new(&Default::default()).expect("built-in rules")
});

const PATHS: &[&str] = &[
    "a.py", "a.js", "a.ts", "a.tsx", "a.php", "a.R", "a.cs", "a.java", "a.go",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let path = PATHS[first as usize % PATHS.len()];
    let _ = DETECTOR.look_at(&Content::new(rest, Some(path)));
});
