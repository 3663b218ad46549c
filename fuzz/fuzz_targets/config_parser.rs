//! `.keepopen.toml` from arbitrary text: an error or a config, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keepopen_config::Config::parse(std::path::Path::new(".keepopen.toml"), text);
    }
});
