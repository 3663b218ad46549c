//! Redaction: reports show enough of a secret to recognise it, never enough
//! to use it; and enough of a personal value to find it in the file, never
//! enough to identify anyone.

use crate::level::Category;

/// The redaction a report applies to a value found by a detector of
/// `category`. Counts in an aggregate and package versions are not
/// sensitive and are shown.
pub fn redact_for(category: Category, value: &str) -> String {
    match category {
        // What an exposure is has yet to be settled: treat it as a secret.
        Category::Secret | Category::Exposure => redact(value),
        Category::PersonalData => redact_personal(value),
        // Counts, package versions and settings are not sensitive.
        Category::DisclosureControl
        | Category::Dependency
        | Category::Workflow
        | Category::Posture
        | Category::Code => value.to_string(),
    }
}

/// Like [`redact_in`], with the redaction of `category`.
pub fn redact_in_for(category: Category, text: &str, value: &str) -> String {
    if value.is_empty() {
        return text.to_string();
    }
    let whole = mask_copies(text, value, |part| redact_for(category, part));
    mask_cut_ends(whole, value, |part| redact_for(category, part))
}

/// `text` with every copy of `value` masked. Copies that overlap (a value
/// that ends as it starts, repeated) are masked as one stretch:
/// `str::replace` takes only non-overlapping copies, and the end a masked
/// copy keeps, followed by the text after it, could spell the next copy
/// whole. All copies are found in one pass (Knuth-Morris-Pratt), so a long
/// line and a long value cost their lengths, not their product.
pub(crate) fn mask_copies(text: &str, value: &str, mask: impl Fn(&str) -> String) -> String {
    let (t, v) = (text.as_bytes(), value.as_bytes());
    if v.is_empty() || v.len() > t.len() {
        return text.to_string();
    }
    // fail[i]: the longest proper prefix of v[..=i] that is also its suffix.
    let mut fail = vec![0usize; v.len()];
    let mut k = 0;
    for i in 1..v.len() {
        while k > 0 && v[i] != v[k] {
            k = fail[k - 1];
        }
        if v[i] == v[k] {
            k += 1;
        }
        fail[i] = k;
    }
    // Byte ranges to mask; both are UTF-8, so each is on char boundaries.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    for (i, &b) in t.iter().enumerate() {
        while k > 0 && b != v[k] {
            k = fail[k - 1];
        }
        if b == v[k] {
            k += 1;
        }
        if k == v.len() {
            let (start, end) = (i + 1 - v.len(), i + 1);
            match spans.last_mut() {
                Some(last) if start < last.1 => last.1 = end,
                _ => spans.push((start, end)),
            }
            k = fail[k - 1];
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        out.push_str(&text[at..start]);
        // A stretch of several copies is masked as one copy: masking the
        // stretch would keep its first characters, and those of a short
        // value repeated are the value itself.
        let stretch = if end - start > v.len() {
            value
        } else {
            &text[start..end]
        };
        out.push_str(&mask(stretch));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The shortest piece of a value cut off at the edge of a context that is
/// masked: a shorter overlap is as likely to be chance.
const MIN_CUT: usize = 8;

/// A context is a window of at most a few hundred bytes around a match,
/// so it can hold only the start of a long value (a long token, a JWT) at
/// its end, or only the end at its start, or only its middle. Replacing
/// whole copies would leave those pieces readable: they are masked as
/// values of their own.
pub(crate) fn mask_cut_ends(text: String, value: &str, mask: impl Fn(&str) -> String) -> String {
    if text.len() >= MIN_CUT && value.contains(text.as_str()) {
        return mask(&text);
    }
    let mut out = text;
    let start = (MIN_CUT..value.len())
        .rev()
        .filter(|&k| value.is_char_boundary(k))
        .find(|&k| out.ends_with(&value[..k]));
    if let Some(k) = start {
        let at = out.len() - k;
        out = format!("{}{}", &out[..at], mask(&value[..k]));
    }
    let end = (1..=value.len().saturating_sub(MIN_CUT))
        .filter(|&from| value.is_char_boundary(from))
        .find(|&from| out.starts_with(&value[from..]));
    if let Some(from) = end {
        let piece = &value[from..];
        out = format!("{}{}", mask(piece), &out[piece.len()..]);
    }
    out
}

/// Masks a personal value, keeping its shape so it can be located:
/// `9434765919` and `943 476 5919` become `943 *** **19`; an e-mail address
/// keeps its first letter and its domain; a postcode its outward code.
pub fn redact_personal(value: &str) -> String {
    if let Some((local, domain)) = value.split_once('@') {
        let first: String = local.chars().take(1).collect();
        let n = local.chars().count().saturating_sub(1).clamp(3, 8);
        return format!("{first}{}@{domain}", "*".repeat(n));
    }
    let digits_only = value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit());
    let shaped;
    let value = if digits_only {
        shaped = format!("{} {} {}", &value[..3], &value[3..6], &value[6..]);
        shaped.as_str()
    } else {
        value
    };
    let n = value.chars().filter(|c| c.is_alphanumeric()).count();
    let (head, tail) = match n {
        10.. => (3, 2),
        6..=9 => (3, 0),
        _ => (0, 0),
    };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > n - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

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
    redact_in_for(Category::Secret, text, secret)
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
    fn personal_values_keep_their_shape_and_ends_only() {
        assert_eq!(redact_personal("9434765919"), "943 *** **19");
        assert_eq!(redact_personal("943-476-5919"), "943-***-**19");
        assert_eq!(redact_personal("LS1 4AP"), "LS1 ***");
        assert_eq!(redact_personal("QQ123456C"), "QQ1******");
        assert_eq!(redact_personal("1987-03-12"), "198*-**-**");
        assert_eq!(
            redact_personal("jane.doe@example.org"),
            "j*******@example.org"
        );
        assert_eq!(redact_personal("M"), "*");
        assert_eq!(redact_for(Category::DisclosureControl, "5"), "5");
        assert_eq!(redact_for(Category::Secret, "hunter2"), "h*****2");
    }

    #[test]
    fn a_long_value_cut_off_at_either_edge_of_a_context_is_masked_too() {
        let secret: String = ('a'..='z').cycle().take(300).collect();
        // As the secret detector cuts a long line: from a little before the
        // match, a fixed number of bytes on.
        let line = format!("token = \"{secret}\"");
        let window = &line[..120];
        let out = redact_in_for(Category::Secret, window, &secret);
        assert!(out.starts_with("token = \"abcd*"), "{out}");
        assert!(!out.contains("abcdefghijklm"), "{out}");
        let tail = &line[200..];
        let out = redact_in(tail, &secret);
        assert!(!out.contains("klmnopqrstuvw"), "{out}");
        assert!(out.ends_with('"'), "{out}");
        let middle = &secret[50..150];
        assert!(!redact_in(middle, &secret).contains("efghijklm"));
        // Short, chance overlaps and values that are not sensitive stay.
        assert_eq!(redact_in("ends with abc", "abcdefghijkl"), "ends with abc");
        assert_eq!(
            redact_in_for(Category::Dependency, "pkg 1.2.3", "1.2.3.4.5.6.7.8"),
            "pkg 1.2.3"
        );
    }

    #[test]
    fn redaction_inside_a_line_hides_every_copy() {
        let line = r#"a = "s3cr3tvalue"; b = "s3cr3tvalue""#;
        let out = redact_in(line, "s3cr3tvalue");
        assert!(!out.contains("s3cr3tvalue"));
        assert_eq!(out.matches("s********e").count(), 2);
    }
}
