//! A finding's context made safe to show: every sensitive value on it
//! masked, the finding's own and every other detector's, and anything shaped
//! like a value a rule would match. The pipeline does this once, before any
//! report or store sees the text; `--show-secrets` shows a finding's own
//! value in its value field only, never in a context.

use crate::level::Category;
use crate::redact::{mask_copies, mask_cut_ends, redact, redact_for, redact_personal};
use regex::Regex;
use std::sync::LazyLock;

/// `context` with each `(category, value)` masked as its category is (whole
/// copies and pieces cut off at either edge), then every value-shaped run
/// masked too (see [`mask_shapes`]).
pub fn redact_context(context: &str, values: &[(Category, &str)]) -> String {
    let mut values: Vec<&(Category, &str)> = values
        .iter()
        .filter(|(c, v)| !v.is_empty() && redact_for(*c, v) != *v)
        .collect();
    // A value holding another is masked first, whole.
    values.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    let mut out = context.to_string();
    for (category, value) in values {
        let whole = mask_copies(&out, value, |part| redact_for(*category, part));
        out = mask_cut_ends(whole, value, |part| redact_for(*category, part));
    }
    mask_shapes(&out)
}

/// A run that could be a key, a token or a password hash: long, mixing
/// letters and digits, and random-looking.
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9_+/=-]{16,}").expect("a valid pattern"));

/// Shapes of personal identifiers: an NHS number (plain, spaced or dashed),
/// a date, a UK postcode, a National Insurance number, an e-mail address,
/// a UK telephone number (`07759 123456`, `020 7946 0958`, `+44 7700 900123`).
static PERSONAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b",
        r"|\b(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\b",
        r"|\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d\b",
        r"|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b",
        r"|\b[A-Z]{2}\d{6}[A-D]\b",
        r"|\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b",
        r"|(?:\+44[ -]?(?:\(0\)[ -]?)?|\b0)\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b",
    ))
    .expect("a valid pattern")
});

/// Masks what a rule could match even when no finding names it (a rule
/// that is disabled, a detector not selected, a value judged a decoy):
/// NHS numbers with a valid checksum, dates, postcodes, National Insurance
/// numbers and e-mail addresses as personal values; random-looking runs of
/// 16 or more token characters as secrets. Key names, `=`, quotes and
/// ordinary words stay readable.
pub fn mask_shapes(text: &str) -> String {
    let personal = PERSONAL.replace_all(text, |c: &regex::Captures<'_>| {
        let v = &c[0];
        let digits: String = v.chars().filter(char::is_ascii_digit).collect();
        let number_shaped = v.len() <= 12 && digits.len() == 10 && !v.contains(['/', '.']);
        if is_phone(v, &digits) {
            redact_personal(v)
        } else if number_shaped && !nhs_checksum_ok(&digits) {
            v.to_string()
        } else {
            redact_personal(v)
        }
    });
    TOKEN
        .replace_all(&personal, |c: &regex::Captures<'_>| {
            let v = &c[0];
            if looks_random(v) {
                redact(v)
            } else {
                v.to_string()
            }
        })
        .into_owned()
}

/// A UK telephone number: ten or eleven digits from a leading 0, or +44
/// and ten more.
fn is_phone(v: &str, digits: &str) -> bool {
    if v.starts_with('+') {
        return digits.starts_with("44") && (digits.len() == 12 || digits.len() == 13);
    }
    v.starts_with('0') && (digits.len() == 10 || digits.len() == 11)
}

fn nhs_checksum_ok(digits: &str) -> bool {
    let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    match 11 - sum % 11 {
        11 => d[9] == 0,
        10 => false,
        c => d[9] == c,
    }
}

/// Letters and digits mixed (or upper and lower case mixed) with enough
/// distinct characters that the run is unlikely to be a word or a name.
fn looks_random(v: &str) -> bool {
    let has = |f: fn(&u8) -> bool| v.as_bytes().iter().any(f);
    let (digit, upper, lower) = (
        has(u8::is_ascii_digit),
        has(u8::is_ascii_uppercase),
        has(u8::is_ascii_lowercase),
    );
    let mixed = (digit && (upper || lower)) || (upper && lower && v.len() >= 24);
    mixed && entropy(v) >= 3.3
}

/// Shannon entropy in bits per byte.
fn entropy(v: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in v.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = v.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_on_the_line_is_masked_and_the_code_stays_readable() {
        let a = "ghp_Zq8T2mR7vLx0kP4sN9wB1cY6dF3hJ5aE0u";
        let b = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
        let line = format!("A=\"{a}\" B='{b}' nhs=9434765919");
        let out = redact_context(&line, &[(Category::Secret, a), (Category::Secret, b)]);
        assert!(!out.contains(a) && !out.contains(b), "{out}");
        assert!(!out.contains("9434765919"), "{out}");
        assert!(out.starts_with("A=\"ghp_*"), "{out}");
        assert!(out.contains("B='wJal*"), "{out}");
        assert!(out.contains("nhs=943 *** **19"), "{out}");
    }

    #[test]
    fn shapes_nobody_reported_are_masked_too() {
        let out = mask_shapes("dob 1987-03-12, LS1 4AP, QQ123456C, jane.doe@example.org");
        assert_eq!(
            out,
            "dob 198*-**-**, LS1 ***, QQ1******, j*******@example.org"
        );
        let out = mask_shapes("key = aB3dE5gH7jK9mN1pQ3sT");
        assert!(out.starts_with("key = aB3d*"), "{out}");
    }

    #[test]
    fn ordinary_code_is_left_alone() {
        for text in [
            "let AWS_SECRET_ACCESS_KEY = std::env::var(\"AWS_SECRET_ACCESS_KEY\");",
            "fn process_environment_variable_names() -> Result<(), Error>",
            "invoice 1234567890 for 12 items",
            "see https://example.org/docs/getting-started/install",
        ] {
            assert_eq!(mask_shapes(text), text);
        }
    }

    /// Found by the `redaction` fuzz target: a value that ends as it
    /// starts, repeated so that its copies overlap. `str::replace` masked
    /// every other copy, and the last character a masked copy keeps, with
    /// the text after it, spelled the skipped copy out whole.
    #[test]
    fn overlapping_copies_of_a_value_are_all_masked() {
        let period = "q8T2mR7vLxZ";
        let value = format!("Z{period}");
        let line = period.repeat(6);
        for category in [Category::Secret, Category::PersonalData] {
            let out = redact_context(&line, &[(category, &value)]);
            assert!(!out.contains(&value), "{out}");
        }
        let out = crate::redact_in(&line, &value);
        assert!(!out.contains(&value), "{out}");
        // Copies apart are masked one by one, as before.
        let out = redact_context(
            "a=ghp_Zq8T2mR7vLx0kP4sN9wB1cY6 b=ghp_Zq8T2mR7vLx0kP4sN9wB1cY6",
            &[(Category::Secret, "ghp_Zq8T2mR7vLx0kP4sN9wB1cY6")],
        );
        assert_eq!(out, "a=ghp_********Y6 b=ghp_********Y6");
    }

    /// Found by the `redaction` fuzz target: a short value (four characters,
    /// eight bytes) repeated back to back was masked as one long stretch,
    /// whose kept first characters were the value itself.
    #[test]
    fn a_short_value_repeated_back_to_back_is_not_spelled_by_the_mask() {
        let value = "\u{fffd}^\u{fffd}^";
        let line = "\u{fffd}^".repeat(61);
        // (Personal-data masking hides digits; this value has none.)
        for category in [Category::Secret, Category::Exposure] {
            let out = redact_context(&line, &[(category, ""), (category, value)]);
            assert!(!out.contains(value), "{category:?}: {out}");
        }
        let out = crate::redact_in(&"abcd".repeat(10), "abcdabcd");
        assert!(!out.contains("abcd"), "{out}");
    }

    /// A telephone number beside an NHS number in a document's table row
    /// was shown raw (openeyes' example certificates).
    #[test]
    fn telephone_numbers_are_masked_too() {
        for phone in [
            "07759 748993",
            "07759748993",
            "020 7946 0958",
            "+44 7700 900123",
            "+44 (0)20 7946 0958",
        ] {
            let line = format!("NHS Number | Daytime Tel. | {phone}");
            let out = mask_shapes(&line);
            assert!(!out.contains(phone), "{out}");
            assert!(out.contains("Daytime Tel."), "{out}");
        }
        // Versions, counts and ids that are no telephone number stay.
        for keep in ["version 1.20.3", "rows 12345", "port 8080", "id 1234567"] {
            assert_eq!(mask_shapes(keep), keep);
        }
    }

    #[test]
    fn values_of_categories_that_are_not_sensitive_stay() {
        let out = redact_context("serde 1.0.200", &[(Category::Dependency, "1.0.200")]);
        assert_eq!(out, "serde 1.0.200");
    }
}
