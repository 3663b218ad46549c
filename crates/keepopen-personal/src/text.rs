//! Identifiers in free text: source code, comments, logs, a notebook's
//! printed output. Text is most of what a repository holds (gigabytes in a
//! large history), so the search only stops at digits: eight bytes are
//! tested at a time, and only a run of digits is looked at closely.

use crate::ids::{nhs, nino};

/// What was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Health(nhs::Kind),
    NationalInsurance,
}

/// One identifier in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub id: Id,
    pub start: usize,
    pub end: usize,
    /// Words nearby say what the number is ("NHS", "patient", "CHI").
    pub context: bool,
}

/// Everything found in `data`, and how many ten-digit numbers were seen
/// in all (valid or not), which tells a list of random IDs from a list of
/// NHS numbers.
#[derive(Debug, Default)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub ten_digit_numbers: usize,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// A byte mask with the high bit set for every ASCII digit in `w`.
fn digit_mask(w: u64) -> u64 {
    // Bytes of 0x80 and over are never digits; for the rest, x >= '0' and
    // x <= '9' are each one subtraction without borrows between bytes.
    let ascii = !w & HI;
    let low7 = w & !HI;
    let ge0 = (low7 + LO * (0x80 - b'0' as u64)) & HI;
    let le9 = !(low7 + LO * (0x7f - b'9' as u64)) & HI;
    ascii & ge0 & le9
}

/// Searches `data`.
pub fn find(data: &[u8]) -> Found {
    let mut found = Found::default();
    let mut i = 0;
    // Invariant: the byte before `i` is not a digit, or was looked at.
    // Sixteen bytes are seen at a time and the runs that start in the
    // first eight are settled, so that a run crossing from one word to the
    // next (a third of them in numeric data) is judged on its known length
    // rather than read again byte by byte.
    while let Some(window) = data.get(i..i + 16) {
        let (lo, hi) = window.split_at(8);
        let mut bits =
            u32::from(gather(digit_mask(word(lo)))) | u32::from(gather(digit_mask(word(hi)))) << 8;
        let mut next = i + 8;
        while bits & 0xff != 0 {
            let p = bits.trailing_zeros() as usize;
            // Bits past the window are zero: a run reaching its end has
            // `p + len == 16` and is not known to end there.
            let len = (!(bits >> p)).trailing_zeros() as usize;
            if p + len < 16 && len != 10 && !may_start(data, i + p, len) {
                // A run that ends in the window and is no part of any
                // shape: numeric data is mostly these, so they cost a few
                // bit operations each.
                bits &= !(((1u32 << len) - 1) << p);
                next = next.max(i + p + len);
                continue;
            }
            let j = i + p;
            next = run(data, j, &mut found).max(j + 1);
            break;
        }
        i = next;
    }
    bytewise(data, i, &mut found);
    found
}

fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

/// [`find`] from `i` on, one byte at a time: the tail shorter than a
/// window.
fn bytewise(data: &[u8], mut i: usize, found: &mut Found) {
    while let Some(p) = data
        .get(i..)
        .and_then(|t| t.iter().position(u8::is_ascii_digit))
    {
        let j = i + p;
        i = run(data, j, found).max(j + 1);
    }
}

/// Could a run of `len` digits at `j`, ending before the next digit, start
/// a shape? Checked on the neighbouring bytes alone, so that the runs of
/// numeric data (`0.125`, `2024`) cost nothing more.
fn may_start(data: &[u8], j: usize, len: usize) -> bool {
    let at = |k: usize| data.get(k).copied().unwrap_or(0);
    let upper_pair =
        |k: usize| k >= 2 && at(k - 2).is_ascii_uppercase() && at(k - 1).is_ascii_uppercase();
    match len {
        // `943 476 5919`
        3 => matches!(at(j + 3), b' ' | b'-') && at(j + 4).is_ascii_digit(),
        // `QQ123456C` in shape
        6 => upper_pair(j),
        // `QQ 12 34 56 C` in shape
        2 => at(j.wrapping_sub(1)) == b' ' && upper_pair(j.wrapping_sub(1)),
        _ => false,
    }
}

/// One bit per byte of a [`digit_mask`]: bit `k` for byte `k`.
fn gather(mask: u64) -> u8 {
    ((mask >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

fn digit(data: &[u8], i: usize) -> bool {
    data.get(i).is_some_and(u8::is_ascii_digit)
}

fn digits_from(data: &[u8], i: usize) -> usize {
    data[i.min(data.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count()
}

/// Punctuation that joins digits into one longer value when digits stand on
/// both sides of it: a decimal (`3.14`), a range or a date (`2020-01`,
/// `1/2`), a time (`12:30`). A comma is not among them: between two runs
/// it is a list or field delimiter (`612…,401…` in a printed list or a
/// CSV row). A thousands separator never sits next to a run of ten, since
/// it groups digits in threes, so a ten-digit run beside a comma is a
/// value of its own.
fn joins_digits(b: u8) -> bool {
    matches!(b, b'.' | b'-' | b'/' | b':')
}

/// A number may not be part of a longer word, number or decimal.
fn left_ok(data: &[u8], start: usize) -> bool {
    let Some(&p) = start.checked_sub(1).and_then(|i| data.get(i)) else {
        return true;
    };
    let before = start.checked_sub(2).and_then(|i| data.get(i)).copied();
    !(p.is_ascii_alphanumeric()
        || p == b'_'
        || p == b'+'
        || (joins_digits(p) && before.is_some_and(|b| b.is_ascii_digit())))
}

fn right_ok(data: &[u8], end: usize) -> bool {
    let Some(&n) = data.get(end) else {
        return true;
    };
    !(n.is_ascii_alphanumeric() || n == b'_' || (joins_digits(n) && digit(data, end + 1)))
}

/// Looks at the run of digits starting at `j`; returns where to go on.
fn run(data: &[u8], j: usize, found: &mut Found) -> usize {
    let len = digits_from(data, j);
    let end = j + len;
    if digit(data, j.wrapping_sub(1)) {
        return end;
    }
    match len {
        10 if left_ok(data, j) && right_ok(data, end) && !cache_buster(data, j) => {
            ten(data, j, end, found);
            end
        }
        3 => {
            let sep = data.get(end).copied();
            if matches!(sep, Some(b' ' | b'-'))
                && digits_from(data, end + 1) == 3
                && data.get(end + 4).copied() == sep
                && digits_from(data, end + 5) == 4
                && left_ok(data, j)
                && right_ok(data, end + 9)
            {
                ten(data, j, end + 9, found);
                return end + 9;
            }
            end
        }
        6 if j >= 2 => {
            let (a, b) = (data[j - 2], data[j - 1]);
            if nino::prefix_ok(a, b)
                && left_ok(data, j - 2)
                && data.get(end).is_some_and(|s| matches!(s, b'A'..=b'D'))
                && right_ok(data, end + 1)
            {
                push(data, Id::NationalInsurance, j - 2, end + 1, found);
            }
            end
        }
        2 if j >= 3 && data[j - 1] == b' ' => {
            // `QQ 12 34 56 C` in shape
            let s = j - 3;
            if let Some(cand) = data.get(s..s + 13)
                && let Ok(text) = std::str::from_utf8(cand)
                && nino::is_nino(text)
                && left_ok(data, s)
                && right_ok(data, s + 13)
            {
                push(data, Id::NationalInsurance, s, s + 13, found);
                return s + 13;
            }
            end
        }
        _ => end,
    }
}

/// A number that is a URL's query value for a cache buster or timestamp:
/// `style.png?1400000000`, `app.js?v=…`, `&_=…`, `?ts=…`. Stylesheets and
/// pages carry thousands; none is an identifier.
fn cache_buster(data: &[u8], j: usize) -> bool {
    let before = &data[j.saturating_sub(10)..j];
    if before.ends_with(b"?") {
        return true;
    }
    [
        &b"v="[..],
        b"t=",
        b"_=",
        b"ts=",
        b"ver=",
        b"version=",
        b"time=",
        b"timestamp=",
        b"cb=",
    ]
    .iter()
    .any(|k| {
        before.ends_with(k)
            && matches!(
                before.len().checked_sub(k.len() + 1).map(|i| before[i]),
                Some(b'?' | b'&')
            )
    })
}

fn ten(data: &[u8], start: usize, end: usize, found: &mut Found) {
    let Some(d) = std::str::from_utf8(&data[start..end])
        .ok()
        .and_then(crate::ids::ten_digits)
    else {
        return;
    };
    found.ten_digit_numbers += 1;
    if let Some(kind) = nhs::classify(&d) {
        push(data, Id::Health(kind), start, end, found);
    }
}

fn push(data: &[u8], id: Id, start: usize, end: usize, found: &mut Found) {
    found.hits.push(Hit {
        id,
        start,
        end,
        context: has_context(data, start, end, id),
    });
}

/// Words that say a number near them is a health or NI number. Matched
/// case-insensitively; `chi`, `hcn` and `ni` only as whole words.
const WORDS: &[&str] = &[
    "nhs",
    "patient",
    "health and care",
    "health & care",
    "h&c",
    "community health index",
    "national insurance",
    "nino",
    "pseudonym",
    "pseudo_",
    "date of birth",
    "dob",
    // Person identifiers and clinical tables, as queries name them: an NHS
    // number assigned to `person_id` in a debug query beside a referral.
    "person_id",
    "personid",
    "person id",
    "person_key",
    "patid",
    "pat_id",
    "subject_id",
    "referral",
    "admission",
    "episode",
];
const WHOLE_WORDS: &[&str] = &["chi", "hcn", "ni", "mrn"];

/// How far around a number to look for those words.
const NEAR: usize = 160;

fn has_context(data: &[u8], start: usize, end: usize, _id: Id) -> bool {
    let s = start.saturating_sub(NEAR);
    let e = (end + NEAR).min(data.len());
    let window: Vec<u8> = data[s..e].iter().map(u8::to_ascii_lowercase).collect();
    let has = |w: &str| memchr::memmem::find(&window, w.as_bytes()).is_some();
    if WORDS.iter().any(|w| has(w)) {
        return true;
    }
    WHOLE_WORDS.iter().any(|w| {
        memchr::memmem::find_iter(&window, w.as_bytes()).any(|i| {
            let before = i.checked_sub(1).map(|p| window[p]);
            let after = window.get(i + w.len()).copied();
            !before.is_some_and(|b| b.is_ascii_alphabetic())
                && !after.is_some_and(|b| b.is_ascii_alphabetic())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(Id, String, bool)> {
        find(text.as_bytes())
            .hits
            .into_iter()
            .map(|h| (h.id, text[h.start..h.end].to_string(), h.context))
            .collect()
    }

    #[test]
    fn person_identifiers_and_clinical_tables_are_context() {
        let n = nhs::example(612_345_679);
        for line in [
            format!("SELECT * FROM requests WHERE person_id = {n}"),
            format!("where pat_id = '{n}'"),
            format!("INSERT INTO referral_queue VALUES ({n})"),
        ] {
            let hits = ids(&line);
            assert!(
                hits.iter().any(|(_, v, c)| *v == n && *c),
                "{line}: {hits:?}"
            );
        }
        let hits = ids(&format!("invoice {n} paid"));
        assert!(hits.iter().all(|(_, _, c)| !c), "{hits:?}");
    }

    #[test]
    fn cache_busters_in_urls_are_not_identifiers() {
        let n = nhs::example(612_345_679);
        for line in [
            format!("background: url('../img/patient/episode.png?{n}') left"),
            format!("<script src=\"app.js?v={n}\"> patient"),
            format!("GET /api/patient?page=2&_={n}"),
        ] {
            assert!(ids(&line).is_empty(), "{line}");
        }
        // An identifier as a query value of its own name is still one.
        let hits = ids(&format!("GET /Patient?identifier={n}"));
        assert_eq!(hits.len(), 1, "{hits:?}");
    }

    #[test]
    fn gather_puts_one_bit_per_byte() {
        let m = digit_mask(u64::from_le_bytes(*b"12a4 678"));
        assert_eq!(gather(m), 0b1110_1011);
        assert_eq!(gather(0), 0);
    }

    #[test]
    fn runs_are_found_at_every_offset_and_across_words() {
        let n = nhs::example(612_345_678);
        for pad in 0..17 {
            for sep in ["", " ", "-"] {
                let shaped = if sep.is_empty() {
                    n.clone()
                } else {
                    format!("{}{sep}{}{sep}{}", &n[..3], &n[3..6], &n[6..])
                };
                let text = format!("{}1.25 33 {shaped} 7 NHS", "x".repeat(pad));
                let got = ids(&text);
                assert_eq!(got.len(), 1, "pad {pad} sep {sep:?}: {got:?}");
                assert_eq!(got[0].1, shaped);
            }
        }
    }

    /// The windowed search finds what a byte-by-byte one does, in text
    /// dense with digits, separators and the letters of every shape.
    #[test]
    fn the_windowed_search_finds_what_reading_byte_by_byte_finds() {
        let n = nhs::example(612_345_679);
        let pieces = [
            n.clone(),
            format!("{} {} {}", &n[..3], &n[3..6], &n[6..]),
            format!("{}-{}-{}", &n[..3], &n[3..6], &n[6..]),
            format!("{}123456C", "AB"),
            format!("{} 12 34 56 A", "CE"),
            "1".into(),
            "12".into(),
            "123".into(),
            "123456".into(),
            "0.25".into(),
            "2024-01-02".into(),
            "QQ".into(),
            " ".into(),
            "-".into(),
            ",".into(),
            "\n".into(),
            "?".into(),
            "nhs".into(),
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut hits = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(&pieces[(state % pieces.len() as u64) as usize]);
            }
            let data = text.as_bytes();
            let mut slow = Found::default();
            bytewise(data, 0, &mut slow);
            let fast = find(data);
            assert_eq!(fast.hits, slow.hits, "{text:?}");
            assert_eq!(fast.ten_digit_numbers, slow.ten_digit_numbers, "{text:?}");
            hits += fast.hits.len();
        }
        assert!(hits > 500, "the texts hold identifiers: {hits}");
    }

    #[test]
    fn digit_mask_marks_digits_only() {
        let w = u64::from_le_bytes(*b"a0/9:\xb0 5");
        let m = digit_mask(w);
        let marked: Vec<usize> = (0..8).filter(|i| m & (0x80 << (8 * i)) != 0).collect();
        assert_eq!(marked, vec![1, 3, 7]);
    }

    #[test]
    fn nhs_numbers_in_every_shape_with_and_without_context() {
        let n = nhs::example(401_023_213);
        let spaced = format!("{} {} {}", &n[..3], &n[3..6], &n[6..]);
        let hyph = spaced.replace(' ', "-");
        let text = format!(
            "# test patient: {spaced}\nx = {n}\n\n{}\nid = \"{hyph}\"\n",
            "y\n".repeat(200)
        );
        let got = ids(&text);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], (Id::Health(nhs::Kind::Nhs), spaced, true));
        assert_eq!(got[1].1, n);
        assert!(got[1].2, "within reach of 'patient'");
        assert!(!got[2].2, "far from any word");
    }

    #[test]
    fn parts_of_longer_numbers_and_decimals_are_not_numbers() {
        let n = nhs::example(612_345_678);
        for text in [
            format!("1{n}"),
            format!("{n}1"),
            format!("{n}.5"),
            format!("3.{n}"),
            format!("id{n}"),
            format!("+44{n}"),
            format!("{}-{}", &n[..5], &n[5..]),
            format!("{} {} {}", &n[..3], &n[3..7], &n[7..]),
        ] {
            assert!(ids(&text).is_empty(), "{text}");
        }
        assert_eq!(ids(&format!("\"{n}\",")).len(), 1);
    }

    /// Issue 11: `612…,401…` (a printed list, a CSV row) was read as one
    /// long number, so neither was found.
    #[test]
    fn numbers_in_a_delimited_list_are_each_found() {
        let (a, b) = (nhs::example(612_345_001), nhs::example(401_023_213));
        let sp = |n: &str| format!("{} {} {}", &n[..3], &n[3..6], &n[6..]);
        for delim in [",", ", ", ";", "|", "\t", " "] {
            for (x, y) in [(a.clone(), b.clone()), (sp(&a), sp(&b))] {
                for text in [
                    format!("{x}{delim}{y}"),
                    format!("[{x}{delim}{y}]"),
                    format!("1{delim}{x}{delim}34{delim}{y}{delim}0.5"),
                ] {
                    let got: Vec<String> = ids(&text).into_iter().map(|h| h.1).collect();
                    assert_eq!(got, [x.clone(), y.clone()], "{text:?}");
                }
            }
        }
    }

    #[test]
    fn a_comma_does_not_cut_a_longer_run_into_a_number() {
        let n = nhs::example(612_345_001);
        for text in [
            format!("12{n},1"),
            format!("1,{n}7"),
            format!("{n}12,{n}12"),
            format!("x{n},{n}y"),
            format!("1.{n},2"),
        ] {
            assert!(ids(&text).is_empty(), "{text}");
        }
    }

    #[test]
    fn ni_numbers_plain_and_spaced() {
        // Built here so that this file holds no valid NI number.
        let (plain, spaced) = (format!("{}123456C", "AB"), format!("{} 12 34 56 A", "CE"));
        let got = ids(&format!("NI number {plain} and QQ123456C and {spaced}."));
        let vals: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(vals, vec![plain.as_str(), spaced.as_str()]);
        assert!(got.iter().all(|g| g.2));
    }

    #[test]
    fn invalid_checksums_and_timestamps_are_counted_but_not_hit() {
        let f = find(b"ts=1700000000 order 4010232130 4010232131");
        assert!(f.hits.len() <= 1);
        assert_eq!(f.ten_digit_numbers, 3);
    }
}
