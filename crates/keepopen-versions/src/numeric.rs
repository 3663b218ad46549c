//! Comparison of decimal digit strings of any length, so that no ecosystem
//! has to choose between overflowing and rejecting a 30-digit component.

use std::cmp::Ordering;

/// Compares two strings of ASCII digits by numeric value; leading zeros are
/// ignored and the empty string counts as zero.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether `s` is a non-empty run of ASCII digits.
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_value_not_text() {
        assert_eq!(cmp_digits("9", "10"), Ordering::Less);
        assert_eq!(cmp_digits("007", "7"), Ordering::Equal);
        assert_eq!(cmp_digits("", "0"), Ordering::Equal);
        assert_eq!(
            cmp_digits(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Ordering::Less
        );
    }
}
