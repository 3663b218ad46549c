//! Ten-digit health identifiers of the four UK nations. All share the NHS
//! Data Dictionary's modulus-11 check (weights 10 down to 2 over the first
//! nine digits; a remainder giving 10 means no number was issued), checked
//! with the `nhs-number` crate. The first nine digits say which was issued:
//! England, Wales and the Isle of Man use 400,000,000–499,999,999 and
//! 600,000,000–799,999,999;
//! Northern Ireland's H&C numbers 320,000,001–399,999,999; Scotland's CHI
//! numbers begin with the holder's date of birth (DDMMYY, so at most
//! 311,299,999); 999,000,000–999,999,999 is issued for testing only.

/// What a ten-digit number is, once it passes the check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// England, Wales or the Isle of Man.
    Nhs,
    /// Northern Ireland's Health and Care number.
    HealthAndCare,
    /// Scotland's Community Health Index number.
    Chi,
    /// The 999 range, issued for testing: informational only.
    TestRange,
}

impl Kind {
    /// The detector rule a finding of this kind carries.
    pub fn rule(self) -> &'static crate::rules::Rule {
        use crate::rules::*;
        match self {
            Kind::Nhs => &NHS_NUMBER,
            Kind::HealthAndCare => &HC_NUMBER,
            Kind::Chi => &CHI_NUMBER,
            Kind::TestRange => &NHS_NUMBER_TEST_RANGE,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Nhs => "NHS number",
            Kind::HealthAndCare => "H&C number",
            Kind::Chi => "CHI number",
            Kind::TestRange => "test-range NHS number",
        }
    }
}

/// Does the tenth digit match the check over the first nine?
pub fn check_digit_ok(d: &[u8; 10]) -> bool {
    nhs_number::validate_check_digit(d.map(|x| x as i8))
}

/// What `d` is, or `None` when it fails the check, repeats one digit
/// (`4444444444` passes the arithmetic but is a placeholder), or lies in no
/// issued range.
pub fn classify(d: &[u8; 10]) -> Option<Kind> {
    if d.iter().all(|&x| x == d[0]) || !check_digit_ok(d) {
        return None;
    }
    let n9 = d[..9].iter().fold(0u32, |n, &x| n * 10 + x as u32);
    if (999_000_000..=999_999_999).contains(&n9) {
        return Some(Kind::TestRange);
    }
    if (320_000_001..=399_999_999).contains(&n9) {
        return Some(Kind::HealthAndCare);
    }
    if (400_000_000..=499_999_999).contains(&n9) || (600_000_000..=799_999_999).contains(&n9) {
        return Some(Kind::Nhs);
    }
    if n9 <= 311_299_999 && chi_date_ok(d) {
        return Some(Kind::Chi);
    }
    None
}

/// CHI numbers open with a real date of birth, DDMMYY. The century is not
/// written, so 29 February is accepted in any year divisible by four.
fn chi_date_ok(d: &[u8; 10]) -> bool {
    let day = d[0] * 10 + d[1];
    let month = d[2] * 10 + d[3];
    let year = d[4] * 10 + d[5];
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The check digit that makes the first nine digits of `d` valid, if any:
/// for building test numbers.
pub fn complete(nine: [u8; 9]) -> Option<[u8; 10]> {
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, &x)| x as u32 * (10 - i as u32))
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return None,
        c => c as u8,
    };
    let mut d = [0u8; 10];
    d[..9].copy_from_slice(&nine);
    d[9] = check;
    Some(d)
}

/// A valid number at or after the nine digits `nine`, for tests: built at
/// run time so that no valid number sits in the repository.
#[cfg(test)]
pub(crate) fn example(nine: u32) -> String {
    let s = format!("{nine:09}");
    let mut a = [0u8; 9];
    for (o, c) in a.iter_mut().zip(s.bytes()) {
        *o = c - b'0';
    }
    (0..10u8)
        .find_map(|k| {
            let mut b = a;
            b[8] = (b[8] + k) % 10;
            complete(b)
        })
        .map(|d| d.iter().map(|x| (b'0' + x) as char).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ten_digits;

    fn kind(s: &str) -> Option<Kind> {
        classify(&ten_digits(s).expect("ten digits"))
    }

    #[test]
    fn the_data_dictionary_example_and_its_neighbours() {
        // The NHS Data Dictionary's worked example: 943 476 5919.
        assert_eq!(kind("943 476 5919"), None, "943 is in no issued range");
        assert!(check_digit_ok(&ten_digits("9434765919").expect("digits")));
        assert!(!check_digit_ok(&ten_digits("9434765918").expect("digits")));
    }

    #[test]
    fn issued_ranges_decide_the_kind() {
        let make = |nine: u32| {
            let s = format!("{nine:09}");
            let mut a = [0u8; 9];
            for (o, c) in a.iter_mut().zip(s.bytes()) {
                *o = c - b'0';
            }
            // The first completion at or after `nine` that has a check digit.
            (0..20)
                .find_map(|k| {
                    let mut b = a;
                    b[8] = (b[8] + k) % 10;
                    complete(b)
                })
                .expect("some neighbour completes")
        };
        assert_eq!(classify(&make(401_023_213)), Some(Kind::Nhs));
        assert_eq!(classify(&make(650_000_001)), Some(Kind::Nhs));
        assert_eq!(classify(&make(350_000_001)), Some(Kind::HealthAndCare));
        assert_eq!(classify(&make(999_123_456)), Some(Kind::TestRange));
        assert_eq!(
            classify(&make(120_384_123)),
            Some(Kind::Chi),
            "12 March 1984"
        );
        assert_eq!(classify(&make(320_384_123)), Some(Kind::HealthAndCare));
        assert_eq!(
            classify(&make(523_456_789)),
            None,
            "500 million is not issued"
        );
        assert_eq!(classify(&make(880_000_000)), None);
        assert_eq!(classify(&make(315_000_000)), None, "not a range in use");
        assert_eq!(classify(&make(305_384_123)), None, "no 53rd month");
        assert_eq!(
            classify(&make(300_284_123)),
            None,
            "30 February is not a date"
        );
    }

    #[test]
    fn a_check_digit_of_ten_and_repeated_digits_are_rejected() {
        // 401 023 21x: the remainder arithmetic gives 10 for some prefixes.
        let ten = (0..1000u32)
            .map(|k| 400_000_000 + k)
            .find(|&n| {
                let s = format!("{n:09}");
                let mut a = [0u8; 9];
                for (o, c) in a.iter_mut().zip(s.bytes()) {
                    *o = c - b'0';
                }
                complete(a).is_none()
            })
            .expect("some prefix has no check digit");
        for last in 0..10 {
            let s = format!("{ten:09}{last}");
            assert_eq!(kind(&s), None, "{s}");
        }
        assert_eq!(kind("4444444444"), None);
        assert_eq!(kind("0000000000"), None);
    }

    #[test]
    fn every_single_digit_error_is_caught() {
        let good = complete([4, 0, 1, 0, 2, 3, 2, 1, 3]).expect("completes");
        assert_eq!(classify(&good), Some(Kind::Nhs));
        for i in 0..10 {
            for v in 0..10u8 {
                let mut bad = good;
                if bad[i] == v {
                    continue;
                }
                bad[i] = v;
                assert!(!check_digit_ok(&bad), "{bad:?}");
            }
        }
    }
}
