//! Context redaction: `redact_context` over any line with values cut from
//! it at input-chosen offsets (snapped to character boundaries), of any
//! category, and `mask_shapes` over the line alone. The line may be
//! repeated up to 64 times so long lines are covered too.
//!
//! Asserted: nothing panics on any UTF-8 text; and what the code promises
//! for the values: a value whose category is masked (a secret, an exposure
//! or personal data), at least 8 bytes long, that its own masking changes
//! and does not itself contain, and that is not part of another value's
//! masking, never appears in the output. A value holding the mask's own
//! `*` is left out of that check: the stars of a mask beside the text
//! around it can spell it without revealing anything. Time on long lines is checked by
//! libFuzzer's `-timeout`.
#![no_main]

use keepopen_findings::{Category, mask_shapes, redact_context, redact_for};
use libfuzzer_sys::fuzz_target;

fn masked(c: Category) -> bool {
    matches!(
        c,
        Category::Secret | Category::Exposure | Category::PersonalData
    )
}

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let n = usize::from(data[0] % 8);
    let repeat = if data[1] >= 0xc0 {
        usize::from(data[1] - 0xbf)
    } else {
        1
    };
    let spec_len = 5 * n;
    if data.len() < 2 + spec_len {
        return;
    }
    let (spec, text) = data[2..].split_at(spec_len);
    let line = String::from_utf8_lossy(text).repeat(repeat);
    let mut values: Vec<(Category, &str)> = Vec::new();
    for s in spec.chunks_exact(5) {
        let category = Category::ALL[usize::from(s[0]) % Category::ALL.len()];
        let start = floor(&line, usize::from(u16::from_le_bytes([s[1], s[2]])));
        let len = usize::from(u16::from_le_bytes([s[3], s[4]]));
        let end = floor(&line, start.saturating_add(len));
        values.push((category, &line[start..end]));
    }

    let _ = mask_shapes(&line);
    let out = redact_context(&line, &values);

    let maskings: Vec<String> = values
        .iter()
        .filter(|(c, _)| masked(*c))
        .map(|(c, v)| redact_for(*c, v))
        .collect();
    for &(c, v) in &values {
        if !masked(c) || v.len() < 8 || v.contains('*') {
            continue;
        }
        let own = redact_for(c, v);
        if own == v || own.contains(v) || maskings.iter().any(|m| m.contains(v)) {
            continue;
        }
        assert!(
            !out.contains(v),
            "{c:?} value {v:?} is readable in {out:?} (line {line:?}, values {values:?})"
        );
    }
});
