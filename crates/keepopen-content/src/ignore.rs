//! Inline `keepopen:ignore` comments, shared by every detector so that a
//! team silences any finding the same way: on its line, or alone on the
//! line above.

/// Does `line` carry `keepopen:ignore` for `rule`? A bare
/// `keepopen:ignore` covers every rule; `keepopen:ignore[a, b]` only those.
pub fn ignores(line: &[u8], rule: &str) -> bool {
    const TAG: &[u8] = b"keepopen:ignore";
    let mut rest = line;
    while let Some(i) = find(rest, TAG) {
        let after = &rest[i + TAG.len()..];
        if after.first() != Some(&b'[') {
            return true;
        }
        if let Some(close) = after.iter().position(|&b| b == b']') {
            let list = &after[1..close];
            if list
                .split(|&b| b == b',')
                .any(|id| id.trim_ascii() == rule.as_bytes())
            {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Like [`ignores`], for the line above a match: it counts only when that
/// line is a comment by itself, so that an ignore on one line of code never
/// silences the next.
pub fn comment_ignores(line: &[u8], rule: &str) -> bool {
    let t = line.trim_ascii_start();
    let comment = [
        &b"#"[..],
        b"//",
        b"--",
        b"/*",
        b"<!--",
        b";",
        b"%",
        b"'",
        b"REM ",
        b"*",
    ]
    .iter()
    .any(|m| t.starts_with(m));
    comment && ignores(line, rule)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comments_name_rules_or_cover_all() {
        assert!(ignores(b"x = 1 # keepopen:ignore", "any"));
        assert!(ignores(
            b"x // keepopen:ignore[aws-access-key, github-pat]",
            "github-pat"
        ));
        assert!(!ignores(
            b"x // keepopen:ignore[aws-access-key]",
            "github-pat"
        ));
        assert!(!ignores(b"x = 1", "any"));
    }

    #[test]
    fn an_ignore_on_the_line_above_counts_only_as_a_comment_line() {
        assert!(comment_ignores(b"  # keepopen:ignore[r]", "r"));
        assert!(comment_ignores(b"// keepopen:ignore", "r"));
        assert!(!comment_ignores(b"A = 'x'  # keepopen:ignore", "r"));
    }
}
