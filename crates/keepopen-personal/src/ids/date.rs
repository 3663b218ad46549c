//! Calendar dates as analysts write them in extracts: ISO `1984-03-12`
//! (with or without a time), UK `12/03/1984`, `12-03-1984`, `12.03.1984`,
//! and `12-Mar-1984` or `12 Mar 1984`. Day-first, never US month-first:
//! these are NHS data.

/// A date: year, month, day.
pub type Ymd = (u16, u8, u8);

/// A compact `YYYYMMDD` date, as NHS extracts write them (HES, PDS). Only
/// read where a column's name says it holds dates: alone, eight digits are
/// as likely an identifier.
pub fn parse_compact(s: &str) -> Option<Ymd> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m, d) = (
        s[..4].parse().ok()?,
        s[4..6].parse().ok()?,
        s[6..].parse().ok()?,
    );
    valid(y, m, d).then_some((y, m, d))
}

/// The date `s` holds, if it is one.
pub fn parse(s: &str) -> Option<Ymd> {
    let s = s.trim();
    if !(8..=40).contains(&s.len()) || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // Drop a time part: `1984-03-12T00:00:00`, `12/03/1984 00:00`.
    let s = s
        .split(['T', ' '])
        .next()
        .filter(|d| d.len() >= 8)
        .unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.', ' ']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |x: &str| -> Option<u16> {
        (!x.is_empty() && x.len() <= 4 && x.bytes().all(|c| c.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        let m = num(b).or_else(|| month_name(b))?;
        (num(c)?, m, num(a)?)
    } else {
        return None;
    };
    let (m, d) = (u8::try_from(m).ok()?, u8::try_from(d).ok()?);
    valid(y, m, d).then_some((y, m, d))
}

fn month_name(s: &str) -> Option<u16> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = s.to_ascii_lowercase();
    NAMES
        .iter()
        .position(|n| l.starts_with(n) && l.len() <= 9)
        .map(|i| i as u16 + 1)
}

fn valid(y: u16, m: u8, d: u8) -> bool {
    if !(1800..=2100).contains(&y) {
        return false;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_and_uk_day_first_forms() {
        assert_eq!(parse("1984-03-12"), Some((1984, 3, 12)));
        assert_eq!(parse("1984-03-12T00:00:00Z"), Some((1984, 3, 12)));
        assert_eq!(parse("12/03/1984"), Some((1984, 3, 12)));
        assert_eq!(parse("12.03.1984 00:00"), Some((1984, 3, 12)));
        assert_eq!(parse("12-Mar-1984"), Some((1984, 3, 12)));
        assert_eq!(parse("12 March 1984"), Some((1984, 3, 12)));
        assert_eq!(parse("29/02/1900"), None, "1900 was not a leap year");
        assert_eq!(parse("03/13/1984"), None, "US month-first is not read");
        assert_eq!(parse("1.2.3"), None);
        assert_eq!(parse("v1.22.3333"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse_compact("19480430"), Some((1948, 4, 30)));
        assert_eq!(parse_compact("19481330"), None);
        assert_eq!(parse_compact("1948043"), None);
    }
}
