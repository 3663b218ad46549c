//! Identifiers and personal fields, each recognised from one value: the
//! checks that let a ten-digit number be called an NHS number, the prefix
//! rules of an NI number, the format of a postcode.

pub mod contact;
pub mod date;
pub mod nhs;
pub mod nino;
pub mod postcode;

/// Does `s` hold a value that must not be shown: a ten-digit number, an
/// NI number, a postcode, an e-mail address or a phone number? Column
/// names taken from a first row are checked before a report shows them.
pub fn looks_personal(s: &str) -> bool {
    let t = s.trim();
    ten_digits(t).is_some()
        || nino::is_nino(t)
        || postcode::is_postcode(t)
        || contact::is_email(t)
        || contact::is_phone(t)
        || !crate::text::find(t.as_bytes()).hits.is_empty()
}

/// Ten ASCII digits from `s` once spaces and hyphens are removed, in the
/// shapes NHS numbers are written: `9434765919`, `943 476 5919`,
/// `943-476-5919`. Other groupings (a phone's 5-6) are not accepted.
pub fn ten_digits(s: &str) -> Option<[u8; 10]> {
    let b = s.as_bytes();
    let digits: Vec<u8> = match b.len() {
        10 => b.to_vec(),
        12 => {
            let sep = b[3];
            if !matches!(sep, b' ' | b'-') || b[7] != sep {
                return None;
            }
            [&b[..3], &b[4..7], &b[8..]].concat()
        }
        _ => return None,
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u8; 10];
    for (o, d) in out.iter_mut().zip(&digits) {
        *o = d - b'0';
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_shapes_are_plain_or_three_three_four() {
        assert!(ten_digits("9434765919").is_some());
        assert!(ten_digits("943 476 5919").is_some());
        assert!(ten_digits("943-476-5919").is_some());
        assert!(ten_digits("943 476-5919").is_none());
        assert!(ten_digits("07700 900123").is_none());
        assert!(ten_digits("943476591").is_none());
        assert!(ten_digits("94347659ab").is_none());
    }
}
