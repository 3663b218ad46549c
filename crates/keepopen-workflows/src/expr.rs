//! Finds `${{ ... }}` expressions in a string and the contexts they read.
//!
//! A hand-written scanner rather than a full parser: audits only need to know
//! which context paths (`github.event.issue.title`) an expression touches.

/// One `${{ ... }}` occurrence.
#[derive(Debug, PartialEq)]
pub(crate) struct Expression<'a> {
    /// The whole `${{ ... }}` text, used to find its line.
    pub raw: &'a str,
    /// Context paths read, lowercased, with indexes normalised to `.*`.
    pub contexts: Vec<String>,
}

/// Every expression in `text`, in order. An unterminated `${{` ends the scan.
pub(crate) fn expressions(text: &str) -> Vec<Expression<'_>> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("${{") {
        let start = rest + open;
        let body_start = start + 3;
        let Some(body_len) = closing(&text[body_start..]) else {
            break;
        };
        let body = &text[body_start..body_start + body_len];
        let end = body_start + body_len + 2;
        out.push(Expression {
            raw: &text[start..end],
            contexts: contexts(body),
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

/// Context paths in an expression body; function names are skipped.
fn contexts(body: &str) -> Vec<String> {
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 1;
                    } else {
                        break;
                    }
                }
                i += 1;
            }
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let (path, next) = read_path(&chars, i);
            let is_call = chars[next..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(|&c| c == '(');
            if !is_call && !matches!(path.as_str(), "true" | "false" | "null") {
                out.push(path);
            }
            i = next;
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Reads `a.b[0].c['d'].*` from `i`, returning it normalised and the next index.
fn read_path(chars: &[char], mut i: usize) -> (String, usize) {
    let mut path = String::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    loop {
        while i < chars.len() && ident(chars[i]) {
            path.push(chars[i].to_ascii_lowercase());
            i += 1;
        }
        match chars.get(i) {
            Some('.') if chars.get(i + 1).is_some_and(|&c| ident(c) || c == '*') => {
                path.push('.');
                i += 1;
                if chars[i] == '*' {
                    path.push('*');
                    i += 1;
                }
            }
            Some('[') => {
                let close = chars[i..].iter().position(|&c| c == ']');
                let Some(close) = close else {
                    return (path, chars.len());
                };
                let inner: String = chars[i + 1..i + close].iter().collect();
                let inner = inner.trim();
                path.push('.');
                match inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                    Some(key) => path.push_str(&key.to_ascii_lowercase()),
                    None => path.push('*'),
                }
                i += close + 1;
            }
            _ => return (path, i),
        }
    }
}

/// Whether a context path matches a pattern where `*` is one segment and a
/// trailing `*` is one or more.
pub(crate) fn matches(path: &str, pattern: &str) -> bool {
    let p: Vec<&str> = path.split('.').collect();
    let q: Vec<&str> = pattern.split('.').collect();
    if q.last() == Some(&"*") {
        let prefix = &q[..q.len() - 1];
        p.len() > prefix.len() && prefix.iter().zip(&p).all(|(a, b)| *a == "*" || a == b)
    } else {
        p.len() == q.len() && q.iter().zip(&p).all(|(a, b)| *a == "*" || a == b)
    }
}

/// True for a value that is exactly one `${{ ... }}` expression.
pub(crate) fn is_whole_expression(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("${{") && v.ends_with("}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_contexts_and_skips_functions_and_strings() {
        let e = expressions(
            "echo ${{ github.event.issue.title }} ${{ contains(GitHub.Head_Ref, 'a}}b') }}",
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].raw, "${{ github.event.issue.title }}");
        assert_eq!(e[0].contexts, ["github.event.issue.title"]);
        assert_eq!(e[1].contexts, ["github.head_ref"]);
    }

    #[test]
    fn normalises_indexes() {
        let e = expressions(
            "${{ github.event.pages[0].page_name }} ${{ github['event'].commits.*.message }}",
        );
        assert_eq!(e[0].contexts, ["github.event.pages.*.page_name"]);
        assert_eq!(e[1].contexts, ["github.event.commits.*.message"]);
    }

    #[test]
    fn unterminated_expressions_end_the_scan() {
        assert!(expressions("${{ github.head_ref").is_empty());
        assert!(expressions("${{ '}} ").is_empty());
    }

    #[test]
    fn pattern_matching() {
        assert!(matches(
            "github.event.pages.*.page_name",
            "github.event.pages.*.page_name"
        ));
        assert!(matches(
            "github.event.head_commit.author.email",
            "github.event.head_commit.author.*"
        ));
        assert!(!matches(
            "github.event.head_commit.author",
            "github.event.head_commit.author.*"
        ));
        assert!(!matches(
            "github.event.issue.number",
            "github.event.issue.title"
        ));
    }
}
