//! PHP templates as PHP alone. A `.php` file may be HTML with PHP inside
//! `<?php … ?>` and `<?= … ?>`. The grammar the rules match reads PHP
//! only, so the HTML is blanked to spaces (newlines kept, so every line
//! and nearly every column stays where it was), `?>` becomes `;`, and
//! `<?=` becomes `echo`.
//!
//! Written here because tree-sitter-php's full grammar cannot parse an
//! ast-grep pattern without its `<?php` tag, and a pattern must be parsed
//! by the same grammar as the file it matches.

/// The PHP of `src`, each byte at its offset except after `<?=` with no
/// space behind it (one byte later).
pub fn php_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 8);
    let mut i = 0;
    let mut in_php = false;
    while i < b.len() {
        if !in_php {
            if b[i..].starts_with(b"<?php") {
                out.extend_from_slice(b"     ");
                i += 5;
                in_php = true;
            } else if b[i..].starts_with(b"<?=") {
                // `<?= $x` becomes `echo $x`: the space after the tag is
                // taken for the fourth letter.
                out.extend_from_slice(b"echo");
                i += 3;
                if b.get(i) == Some(&b' ') {
                    i += 1;
                }
                in_php = true;
            } else if b[i..].starts_with(b"<?") && !b[i..].starts_with(b"<?xml") {
                out.extend_from_slice(b"  ");
                i += 2;
                in_php = true;
            } else {
                out.push(if b[i] == b'\n' { b'\n' } else { b' ' });
                i += 1;
            }
            continue;
        }
        match b[i] {
            b'?' if b.get(i + 1) == Some(&b'>') => {
                out.extend_from_slice(b"; ");
                i += 2;
                in_php = false;
            }
            q @ (b'\'' | b'"' | b'`') => {
                let end = string_end(b, i, q);
                out.extend_from_slice(&b[i..end]);
                i = end;
            }
            b'#' if b.get(i + 1) != Some(&b'[') => i = line_comment(b, i, &mut out),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_comment(b, i, &mut out),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
                out.extend_from_slice(&b[i..end]);
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    // Only whole characters were copied or replaced by ASCII.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Where the string opened at `start` by `quote` ends (after the quote).
fn string_end(b: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// A `//` or `#` comment ends at the line's end or at `?>`, as PHP says.
fn line_comment(b: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
    let mut i = start;
    while i < b.len() && b[i] != b'\n' && !b[i..].starts_with(b"?>") {
        i += 1;
    }
    out.extend_from_slice(&b[start..i]);
    i
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_blanked_and_lines_kept() {
        let src = "<p>\n<?php $r = q('?>'); ?>\n<b><?= $_GET['x'] ?></b>\n";
        let php = php_only(src);
        assert_eq!(php.lines().count(), src.lines().count());
        assert_eq!(php.lines().nth(1), Some("      $r = q('?>'); ; "));
        assert!(
            php.lines()
                .nth(2)
                .is_some_and(|l| l.contains("echo$_GET['x'] ;"))
        );
        assert_eq!(php.find("$r"), src.find("$r"));
    }

    #[test]
    fn a_plain_php_file_is_unchanged_but_its_tag() {
        let src = "<?php\n// a ?> b\nclass A {}\n";
        assert_eq!(php_only(src), "     \n// a ;   \n          \n");
        let src = "<?php\n/* ?> */ class A {}\n";
        assert_eq!(php_only(src), "     \n/* ?> */ class A {}\n");
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for s in [
            "<?php '",
            "<?php \"\\",
            "<?php /*",
            "<?",
            "<?=",
            "<?php #",
            "é<?php é ?>é",
        ] {
            let _ = php_only(s);
        }
    }
}
