//! Finds the `${{ ... }}` fences in a string. What is inside a fence is parsed
//! by `github-actions-expressions` (zizmor's parser); finding the fences is
//! left to us because that crate parses one bare expression, not a template.

/// One `${{ ... }}` occurrence.
#[derive(Debug, PartialEq)]
pub(crate) struct Fenced<'a> {
    /// The whole `${{ ... }}` text, used to find its line.
    pub raw: &'a str,
    /// The text between the fences, untrimmed.
    pub body: &'a str,
}

/// Every fenced expression in `text`, in order. An unterminated `${{` ends
/// the scan.
pub(crate) fn fenced(text: &str) -> Vec<Fenced<'_>> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("${{") {
        let start = rest + open;
        let body_start = start + 3;
        let Some(body_len) = closing(&text[body_start..]) else {
            break;
        };
        let end = body_start + body_len + 2;
        out.push(Fenced {
            raw: &text[start..end],
            body: &text[body_start..body_start + body_len],
        });
        rest = end;
    }
    out
}

/// Offset of the `}}` closing an expression body, skipping string literals.
fn closing(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' if in_str && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b'\'' => in_str = !in_str,
            b'}' if !in_str && bytes.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// True for a value that is exactly one `${{ ... }}` expression.
pub(crate) fn is_whole_expression(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("${{") && v.ends_with("}}")
}

/// True when `value` holds any `${{`.
pub(crate) fn has_expression(value: &str) -> bool {
    value.contains("${{")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fences_and_skips_braces_inside_strings() {
        let e = fenced("echo ${{ github.event.issue.title }} ${{ contains(a, 'x}}y') }}");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].raw, "${{ github.event.issue.title }}");
        assert_eq!(e[0].body, " github.event.issue.title ");
        assert_eq!(e[1].body, " contains(a, 'x}}y') ");
    }

    #[test]
    fn unterminated_expressions_end_the_scan() {
        assert!(fenced("${{ github.head_ref").is_empty());
        assert!(fenced("${{ '}} ").is_empty());
        assert_eq!(fenced("${{ a }} ${{ b").len(), 1);
    }

    #[test]
    fn whole_and_partial_expressions() {
        assert!(is_whole_expression(" ${{ matrix.image }} "));
        assert!(!is_whole_expression("node:${{ matrix.v }}"));
        assert!(has_expression("node:${{ matrix.v }}"));
        assert!(!has_expression("node:20"));
    }
}
