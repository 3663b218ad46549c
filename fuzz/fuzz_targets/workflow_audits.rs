//! The workflow audits over arbitrary text: a workflow file comes from any
//! repository, so YAML of any shape, anchors, odd encodings and broken
//! expressions must give findings or an error naming the file, never a
//! panic, and every finding a line inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(findings) = keepopen_workflows::audit(".github/workflows/fuzz.yml", &text) {
        let lines = text.lines().count().max(1) as u32;
        for f in findings {
            assert!(f.line >= 1 && f.line <= lines + 1, "line {} of {lines}", f.line);
        }
    }
});
