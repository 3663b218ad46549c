//! E-mail addresses and telephone numbers, as cells of a data file. In
//! code they are everywhere (maintainers, support lines); in a table of
//! records they are personal data.

/// Is `s` an e-mail address? Deliberately plain: a dotted domain with a
/// letter-only top-level label, and the characters mail systems accept.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.trim().rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// Is `s` a telephone number? UK numbers in any usual spacing (`07700
/// 900123`, `020 7946 0123`, `(0161) 496 0123`, `+44 20 7946 0123`), or an
/// international number written with `+`.
pub fn is_phone(s: &str) -> bool {
    let s = s.trim();
    if s.len() < 8
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b" -()+.".contains(&b))
    {
        return false;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let international = s.starts_with('+') || digits.starts_with("00");
    let national = if let Some(rest) = digits.strip_prefix("44").filter(|_| international) {
        format!("0{}", rest.trim_start_matches('0'))
    } else if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{}", rest.trim_start_matches('0'))
    } else if international {
        return (8..=15).contains(&digits.len());
    } else {
        digits
    };
    // Spaces or punctuation are how a person writes a phone number; ten or
    // eleven bare digits could be any identifier.
    (10..=11).contains(&national.len())
        && national.starts_with('0')
        && matches!(
            national.as_bytes().get(1),
            Some(b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9')
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_need_a_dotted_domain() {
        assert!(is_email("jane.doe@example.nhs.uk"));
        assert!(is_email("a+b@x.org"));
        assert!(!is_email("jane@localhost"));
        assert!(!is_email("@example.org"));
        assert!(!is_email("user@host.c0m"));
        assert!(!is_email("not an email"));
    }

    #[test]
    fn uk_and_international_numbers() {
        for ok in [
            "07700 900123",
            "020 7946 0123",
            "(0161) 496 0123",
            "+44 20 7946 0123",
            "0044 161 496 0123",
            "+1 415 555 0100",
            "01632960123",
        ] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in ["9434765919", "12345", "0000", "abc", "1700000000", "+1"] {
            assert!(!is_phone(bad), "{bad}");
        }
    }
}
