//! Text from a scanned repository (file content, file names, commit
//! authors) made safe to print: a raw ESC can retitle or clear the reader's
//! terminal, and bidirectional overrides can make printed text read
//! differently from what it is. Every report that a person reads in a
//! terminal or a rendered page prints repository text through [`printable`].

use std::borrow::Cow;

/// Is `c` a character that must not reach a terminal or page raw: C0 and C1
/// controls, DEL, the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069) and the direction marks (U+200E, U+200F,
/// U+061C)?
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// `s` with each unprintable character written as an escape: `\t`, `\n`,
/// `\r`, `\x1b` for other controls below U+0100, `\u{202e}` above. Text
/// without any comes back borrowed.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unprintable) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unprintable(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unprintable(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped() {
        assert_eq!(printable("a\x1b]0;x\x07b"), "a\\x1b]0;x\\x07b");
        assert_eq!(printable("\x1b[2J\x7f\u{9b}"), "\\x1b[2J\\x7f\\x9b");
        assert_eq!(
            printable("x\u{202e}y\u{2066}\u{200f}\u{61c}"),
            "x\\u{202e}y\\u{2066}\\u{200f}\\u{61c}"
        );
        assert_eq!(printable("a\tb\nc"), "a\\tb\\nc");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        assert!(matches!(printable("café — ok │ 日本"), Cow::Borrowed(_)));
    }
}
