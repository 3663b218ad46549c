//! Synthetic patients: dates of birth, sex, postcodes, e-mail addresses and
//! phone numbers drawn from small word lists and number ranges reserved for
//! drama (Ofcom), so that nothing describes a real person.

use crate::rng::Rng;

/// Real outward codes (areas, not people); the inward part is random.
const OUTWARD: &[&str] = &[
    "LS1", "SW1A", "M1", "B33", "CR2", "DN55", "NE1", "BS8", "CF10", "EH3", "G12", "L3", "S10",
    "NG7", "LE1", "OX3", "CB2", "PL4", "EX2", "BT9", "YO10", "HU3", "TS1", "WV2", "ST4",
];
/// Letters used in the inward code's unit.
const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

const WORDS: &[&str] = &[
    "alder", "birch", "cedar", "hazel", "rowan", "willow", "amber", "coral", "indigo", "russet",
    "heron", "kestrel", "otter", "plover", "wren", "lark",
];
const MAIL_DOMAINS: &[&str] = &["nhs.net", "mailbox-test.co.uk", "post-sample.org.uk"];

pub const REGIONS: &[&str] = &[
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
];

pub struct Person {
    /// `YYYY-MM-DD`.
    pub dob: String,
    pub sex: char,
    pub postcode: String,
    pub email: String,
    pub phone: String,
    /// `YYYY-MM-DD`.
    pub admitted: String,
}

pub fn date(rng: &mut Rng, from_year: usize, to_year: usize) -> String {
    let y = rng.range(from_year, to_year);
    let m = rng.range(1, 12);
    let days = match m {
        2 if y.is_multiple_of(4) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    format!("{y:04}-{m:02}-{:02}", rng.range(1, days))
}

/// `YYYY-MM-DD` → `DD/MM/YYYY`.
pub fn uk_date(iso: &str) -> String {
    format!("{}/{}/{}", &iso[8..10], &iso[5..7], &iso[..4])
}

pub fn postcode(rng: &mut Rng) -> String {
    let unit = rng.string(INWARD, 2);
    format!("{} {}{unit}", *rng.pick(OUTWARD), rng.below(10))
}

pub fn email(rng: &mut Rng) -> String {
    format!(
        "{}.{}{}@{}",
        *rng.pick(WORDS),
        *rng.pick(WORDS),
        rng.range(10, 99),
        *rng.pick(MAIL_DOMAINS)
    )
}

/// A UK number from Ofcom's ranges for drama, in one of the usual layouts.
pub fn phone(rng: &mut Rng) -> String {
    let n = rng.below(1000);
    match rng.below(4) {
        0 => format!("07700 900{n:03}"),
        1 => format!("020 7946 0{n:03}"),
        2 => format!("+44 20 7946 0{n:03}"),
        _ => format!("0161 496 0{n:03}"),
    }
}

pub fn person(rng: &mut Rng) -> Person {
    Person {
        dob: date(rng, 1930, 2020),
        sex: if rng.chance(50) { 'M' } else { 'F' },
        postcode: postcode(rng),
        email: email(rng),
        phone: phone(rng),
        admitted: date(rng, 2019, 2025),
    }
}

/// A word for file and variable names.
pub fn word(rng: &mut Rng) -> &'static str {
    rng.pick::<&str>(WORDS)
}
