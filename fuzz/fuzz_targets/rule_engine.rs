//! Every built-in rule over arbitrary bytes, with and without a path: the
//! engine must never panic, whatever the content.
#![no_main]

use keepopen_content::Content;
use keepopen_secrets::Engine;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(|| Engine::new(keepopen_rules::builtin().expect("rules")).expect("engine"));
    for m in engine.scan(&Content::new(data, None)) {
        assert!(m.line >= 1 || m.secret.is_empty(), "only whole-file findings have no line");
    }
    let _ = engine.scan(&Content::new(data, Some(".env")));
    if let Ok(path) = std::str::from_utf8(data) {
        let _ = engine.match_filename(path);
    }
});
