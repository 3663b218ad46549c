//! UK health and social-care identifiers, generated from the seed: NHS and
//! H&C numbers (mod-11 check digit), CHI numbers, National Insurance
//! numbers, and the ten-digit look-alikes that must not be reported.
//! Written from the published rules, independently of the detector.

use crate::rng::Rng;

/// Issued NHS number ranges (England, Wales, Isle of Man), by first nine digits.
pub const NHS_RANGES: &[(u32, u32)] = &[(400_000_000, 499_999_999), (600_000_000, 799_999_999)];
/// Northern Ireland Health and Care numbers.
pub const HC_RANGE: (u32, u32) = (320_000_001, 399_999_999);
/// Valid check digit, but never issued: for test systems only.
pub const TEST_RANGE: (u32, u32) = (999_000_000, 999_999_999);

/// The mod-11 check digit over nine digits with weights 10..2; `None` when
/// it comes out as 10 (no number has that stem).
pub fn check_digit(nine: u32) -> Option<u32> {
    let digits = format!("{nine:09}");
    let sum: u32 = digits
        .bytes()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        c => Some(c),
    }
}

/// True when `s` is ten digits whose last is the check digit of the rest.
pub fn is_valid(s: &str) -> bool {
    s.len() == 10
        && s.bytes().all(|b| b.is_ascii_digit())
        && s[..9].parse::<u32>().ok().and_then(check_digit) == s[9..].parse().ok()
}

fn in_range(rng: &mut Rng, (lo, hi): (u32, u32)) -> u32 {
    rng.range(lo as usize, hi as usize) as u32
}

/// A valid number whose stem lies in `range`, never all one digit.
pub fn valid_in(rng: &mut Rng, range: (u32, u32)) -> String {
    loop {
        let stem = in_range(rng, range);
        if let Some(c) = check_digit(stem) {
            let s = format!("{stem:09}{c}");
            if !all_same(&s) {
                return s;
            }
        }
    }
}

pub fn nhs(rng: &mut Rng) -> String {
    let r = *rng.pick(NHS_RANGES);
    valid_in(rng, r)
}

pub fn hc(rng: &mut Rng) -> String {
    valid_in(rng, HC_RANGE)
}

pub fn test_range(rng: &mut Rng) -> String {
    valid_in(rng, TEST_RANGE)
}

fn all_same(s: &str) -> bool {
    s.bytes().all(|b| b == s.as_bytes()[0])
}

/// An issued-range stem with a wrong last digit.
pub fn bad_checksum(rng: &mut Rng) -> String {
    let good = nhs(rng);
    let c = u32::from(good.as_bytes()[9] - b'0');
    let wrong = (c + 1 + rng.below(9) as u32) % 10;
    format!("{}{wrong}", &good[..9])
}

/// An issued-range stem whose check digit computes to 10, with any last digit.
pub fn check_ten(rng: &mut Rng) -> String {
    loop {
        let r = *rng.pick(NHS_RANGES);
        let stem = in_range(rng, r);
        if check_digit(stem).is_none() {
            return format!("{stem:09}{}", rng.below(10));
        }
    }
}

/// `4444444444` and the like: every such number passes the check, and
/// these lie in issued ranges, so only a placeholder rule can reject them.
pub fn repeated(rng: &mut Rng) -> String {
    let d = *rng.pick(&['3', '4', '6', '7']);
    std::iter::repeat_n(d, 10).collect()
}

/// Ten digits with a valid check digit whose stem lies outside every
/// issued and test range (an order or account id).
pub fn outside_ranges(rng: &mut Rng) -> String {
    let first = *rng.pick(&[1u32, 2, 5, 8]);
    valid_in(rng, (first * 100_000_000, first * 100_000_000 + 99_999_999))
}

/// A Unix timestamp in seconds (2017–2027): ten digits, never an issued stem.
pub fn unix_seconds(rng: &mut Rng) -> String {
    rng.range(1_500_000_000, 1_800_000_000).to_string()
}

/// A 13-digit millisecond timestamp whose last ten digits are a valid NHS
/// number; returns (whole, embedded).
pub fn ms_timestamp_embedding(rng: &mut Rng) -> (String, String) {
    let inner = nhs(rng);
    (format!("17{}{inner}", rng.below(10)), inner)
}

/// A 16-digit card-like number whose first ten digits are a valid NHS
/// number; returns (whole, embedded).
pub fn card_like_embedding(rng: &mut Rng) -> (String, String) {
    let inner = nhs(rng);
    (format!("{inner}{}", rng.digits(6)), inner)
}

/// How a ten-digit number is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Spaced,
    Hyphened,
}

impl Style {
    pub fn pick(rng: &mut Rng) -> Style {
        match rng.below(10) {
            0..=5 => Style::Plain,
            6..=8 => Style::Spaced,
            _ => Style::Hyphened,
        }
    }

    pub fn write(self, ten: &str) -> String {
        if ten.len() != 10 {
            return ten.to_owned();
        }
        let sep = match self {
            Style::Plain => return ten.to_owned(),
            Style::Spaced => ' ',
            Style::Hyphened => '-',
        };
        format!("{}{sep}{}{sep}{}", &ten[..3], &ten[3..6], &ten[6..])
    }
}

/// A CHI number for a date of birth (`YYYY-MM-DD`) and sex (`M`/`F`).
pub fn chi(rng: &mut Rng, dob: &str, sex: char) -> String {
    let (y, m, d) = (&dob[2..4], &dob[5..7], &dob[8..10]);
    loop {
        let mut sex_digit = rng.below(10) as u32;
        if (sex_digit % 2 == 1) != (sex == 'M') {
            sex_digit = (sex_digit + 1) % 10;
        }
        let stem: u32 = format!("{d}{m}{y}{:02}{sex_digit}", rng.below(100))
            .parse()
            .expect("nine digits");
        if let Some(c) = check_digit(stem) {
            return format!("{stem:09}{c}");
        }
    }
}

const NI_FIRST_BANNED: &[u8] = b"DFIQUV";
const NI_SECOND_BANNED: &[u8] = b"DFIOQUV";
const NI_PREFIX_BANNED: &[&str] = &["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];

/// A National Insurance number in the allowed prefix space, as
/// `QQ123456C` or, when `spaced`, `QQ 12 34 56 C` in shape.
pub fn ni(rng: &mut Rng, spaced: bool) -> String {
    let letter = |rng: &mut Rng, banned: &[u8]| loop {
        let c = b'A' + rng.below(26) as u8;
        if !banned.contains(&c) {
            return char::from(c);
        }
    };
    let prefix = loop {
        let p: String = [letter(rng, NI_FIRST_BANNED), letter(rng, NI_SECOND_BANNED)]
            .iter()
            .collect();
        if !NI_PREFIX_BANNED.contains(&p.as_str()) {
            break p;
        }
    };
    let digits = format!("{:06}", rng.below(1_000_000));
    let suffix = char::from(b'A' + rng.below(4) as u8);
    if spaced {
        format!(
            "{prefix} {} {} {} {suffix}",
            &digits[..2],
            &digits[2..4],
            &digits[4..]
        )
    } else {
        format!("{prefix}{digits}{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_follows_the_published_examples() {
        // The worked example in the NHS Data Dictionary.
        assert!(is_valid("9434765919"));
        assert!(!is_valid("9434765918"));
        assert!(is_valid("4444444444"), "repeated digits always pass");
    }

    #[test]
    fn generated_numbers_have_the_properties_claimed() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let n = nhs(&mut rng);
            assert!(is_valid(&n));
            assert!(matches!(n.as_bytes()[0], b'4' | b'6' | b'7'));
            assert!(is_valid(&hc(&mut rng)));
            assert!(test_range(&mut rng).starts_with("999"));
            assert!(!is_valid(&bad_checksum(&mut rng)));
            let t = check_ten(&mut rng);
            assert!(check_digit(t[..9].parse().expect("digits")).is_none() && !is_valid(&t));
            assert!(is_valid(&repeated(&mut rng)));
            assert!(is_valid(&outside_ranges(&mut rng)));
            let (ms, inner) = ms_timestamp_embedding(&mut rng);
            assert!(ms.len() == 13 && ms.ends_with(&inner) && is_valid(&inner));
            let c = chi(&mut rng, "1984-03-17", 'F');
            assert!(
                c.starts_with("170384")
                    && is_valid(&c)
                    && (c.as_bytes()[8] - b'0').is_multiple_of(2)
            );
            let ni = ni(&mut rng, false);
            assert_eq!(ni.len(), 9);
            assert!(!NI_PREFIX_BANNED.contains(&&ni[..2]));
        }
        assert_eq!(Style::Spaced.write("9434765919"), "943 476 5919");
        assert_eq!(Style::Hyphened.write("9434765919"), "943-476-5919");
    }
}
