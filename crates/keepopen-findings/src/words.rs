//! Names split into words, so that a name is judged by whole words
//! (`DB_USER_PASSWORD` holds `password`; `passwordless` does not): a
//! variable's name for the secret scan, a column's name for personal data.

/// Whether a capital after a digit starts a new word: the one place the
/// detectors split names differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitThenCapital {
    /// `s3SecretKey` → `s3`, `secret`, `key`: a digit ends a camelCase hump
    /// as a lower-case letter does.
    Splits,
    /// `Year2020Count` → `year2020count`: only a lower-case letter does.
    Joins,
}

/// Splits `camelCase`, `snake_case`, `kebab-case`, `dotted.names` and
/// `Spaced Names` into lower-case words: any byte that is not an ASCII
/// letter or digit separates, and so does a capital after a lower-case
/// letter (and after a digit, as `digits` says). Runs of capitals stay one
/// word: `HTTPServer` → `httpserver`.
pub fn words(name: &str, digits: DigitThenCapital) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower =
            ch.is_ascii_lowercase() || (digits == DigitThenCapital::Splits && ch.is_ascii_digit());
        cur.push(ch.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DigitThenCapital::{Joins, Splits};

    #[test]
    fn cases_and_separators_split_alike_either_way() {
        for digits in [Splits, Joins] {
            assert_eq!(
                words("OKTA_ADMIN_TOKEN", digits),
                ["okta", "admin", "token"]
            );
            assert_eq!(
                words("clientSecretHash", digits),
                ["client", "secret", "hash"]
            );
            assert_eq!(words("n_admissions", digits), ["n", "admissions"]);
            assert_eq!(words("PatientCount", digits), ["patient", "count"]);
            assert_eq!(
                words("Number of referrals", digits),
                ["number", "of", "referrals"]
            );
            assert_eq!(words("api-key.v2", digits), ["api", "key", "v2"]);
            assert_eq!(words("HTTPServer", digits), ["httpserver"]);
            assert_eq!(words("__", digits), Vec::<String>::new());
        }
    }

    #[test]
    fn a_capital_after_a_digit_is_the_difference() {
        assert_eq!(words("s3SecretKey", Splits), ["s3", "secret", "key"]);
        assert_eq!(words("s3SecretKey", Joins), ["s3secret", "key"]);
        assert_eq!(words("Year2020Count", Splits), ["year2020", "count"]);
        assert_eq!(words("Year2020Count", Joins), ["year2020count"]);
    }
}
