//! The workflow and composite-action audits over arbitrary bytes: a workflow file comes from any
//! repository, so YAML of any shape, anchors, odd encodings and broken
//! expressions must give findings or an error naming the file, never a
//! panic, and every finding a line inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = ".github/workflows/fuzz.yml";
    match keepopen_workflows::audit_bytes(path, data) {
        Ok(findings) => {
            // Decoded text has at most as many lines as bytes.
            let lines = data.len().max(1) as u32;
            for f in findings {
                assert!(f.line >= 1 && f.line <= lines + 1, "line {} of {lines}", f.line);
            }
        }
        Err(e) => assert!(e.to_string().starts_with(path), "{e}"),
    }
    // The same bytes as a composite action's metadata.
    if let Ok(text) = std::str::from_utf8(data) {
        let action = "x/action.yml";
        match keepopen_workflows::audit_action(action, text) {
            Ok(findings) => {
                let lines = text.lines().count().max(1) as u32;
                for f in findings {
                    assert!(f.line >= 1 && f.line <= lines + 1, "line {} of {lines}", f.line);
                }
            }
            Err(e) => assert!(e.to_string().starts_with(action), "{e}"),
        }
    }
});
