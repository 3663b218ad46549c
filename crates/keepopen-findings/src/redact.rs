//! Redaction: reports show enough of a secret to recognise it, never enough
//! to use it.

/// Masks the middle of `secret`, keeping a short prefix and suffix.
///
/// Short secrets keep less, so that no more than a quarter of any secret is
/// ever shown.
pub fn redact(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        0..=5 => (0, 0),
        6..=11 => (1, 1),
        12..=19 => (3, 1),
        _ => (4, 2),
    };
    let masked = (n - head - tail).clamp(3, 8);
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', masked));
    out.extend(chars[n - tail..].iter());
    out
}

/// Replaces every occurrence of `secret` in `text` by its redacted form.
pub fn redact_in(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    text.replace(secret, &redact(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_secrets_keep_four_characters_before_and_two_after() {
        assert_eq!(
            redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_********89"
        );
    }

    #[test]
    fn short_secrets_show_almost_nothing() {
        assert_eq!(redact("hunter2"), "h*****2");
        assert_eq!(redact("abc"), "***");
        assert_eq!(redact(""), "***");
    }

    #[test]
    fn redaction_inside_a_line_hides_every_copy() {
        let line = r#"a = "s3cr3tvalue"; b = "s3cr3tvalue""#;
        let out = redact_in(line, "s3cr3tvalue");
        assert!(!out.contains("s3cr3tvalue"));
        assert_eq!(out.matches("s********e").count(), 2);
    }
}
