//! Rule files from arbitrary text, then compiled into an engine and run
//! over their own text: errors are fine, panics are not.
#![no_main]

use keepopen_content::Content;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(file) = keepopen_rules::RuleFile::parse("fuzz.toml", text) else { return };
    if let Ok(engine) = keepopen_secrets::Engine::new(file.rule) {
        let _ = engine.scan(&Content::new(data, None));
        let _ = keepopen_secrets::check_examples(&engine);
    }
});
