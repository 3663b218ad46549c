//! What each column of a table holds, from its name and its values. Names
//! are hints (`nhs_number`, `DOB`, `Postcode`); values decide (a column
//! named `nhs_number` whose numbers all fail the check holds no NHS
//! numbers, and an unnamed column of valid ones does).

use crate::ids::{contact, date, nhs, nino, postcode, ten_digits};
use crate::table::Table;
use std::collections::BTreeMap;

/// A kind of personal field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Health(nhs::Kind),
    NationalInsurance,
    Name,
    Address,
    Email,
    Phone,
    Postcode,
    BirthDate,
    EventDate,
    Sex,
    Age,
    Ethnicity,
}

impl Field {
    /// Identifies a person on its own. Contact details and addresses are
    /// not counted: organisation directories have them too.
    pub fn direct(self) -> bool {
        matches!(
            self,
            Field::Health(_) | Field::NationalInsurance | Field::Name
        ) && self != Field::Health(nhs::Kind::TestRange)
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Health(k) => k.label(),
            Field::NationalInsurance => "NI number",
            Field::Name => "name",
            Field::Address => "address",
            Field::Email => "e-mail address",
            Field::Phone => "phone number",
            Field::Postcode => "postcode",
            Field::BirthDate => "date of birth",
            Field::EventDate => "event date",
            Field::Sex => "sex",
            Field::Age => "age",
            Field::Ethnicity => "ethnicity",
        }
    }
}

/// One column's verdict: which fields it holds, and its evidence.
#[derive(Clone, Debug, Default)]
pub struct Verdict {
    pub index: usize,
    pub name: String,
    /// The fields found, each with the (line, value) of its matching cells.
    pub fields: BTreeMap<Field, Vec<(u32, String)>>,
    /// Cells that are not empty.
    pub filled: usize,
    /// The name alone says what the column is.
    pub named: Option<Field>,
    /// Numbers in a column named for health numbers that pass the check
    /// digit but lie in no issued range: made-up test patients (the NHS
    /// Spine's own test data uses such numbers).
    pub unissued: usize,
    /// Ten-digit values in the column, and how many pass a health number's
    /// check digit (issued range or not).
    pub ten_digit: usize,
    pub check_passes: usize,
}

/// Fewer ten-digit values than this say nothing about a pass rate.
const SYNTHETIC_MIN_VALUES: usize = 20;

impl Verdict {
    /// A column named for health numbers whose values mostly fail the check
    /// digit: real identifiers pass it throughout, invented ones about one
    /// time in eleven.
    ///
    /// A column where hardly any pass (under one in thirty) is not chance:
    /// the numbers were altered on purpose (pseudonymised, or deliberately
    /// invalidated), and the rest of the row may still be real, so the
    /// table is judged as usual.
    pub fn synthetic(&self) -> bool {
        matches!(self.named, Some(Field::Health(_)))
            && self.ten_digit >= SYNTHETIC_MIN_VALUES
            && self.check_passes * 2 < self.ten_digit
            && self.check_passes * 30 >= self.ten_digit
            && self.check_passes > 0
    }
}

/// Lower-case letters and digits only: `NHS Number` → `nhsnumber`.
pub fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a column's name says it holds.
pub fn named(name: &str) -> Option<Field> {
    let n = squash(name);
    let has = |w: &str| n.contains(w);
    let is = |ws: &[&str]| ws.contains(&n.as_str());
    Some(if n.is_empty() {
        return None;
    } else if has("nhs") && !has("trust") && !has("org") && !has("region") && !has("site") {
        Field::Health(nhs::Kind::Nhs)
    } else if is(&["chi", "chinumber", "chino", "chinum", "upi", "chiid"]) {
        Field::Health(nhs::Kind::Chi)
    } else if is(&[
        "hcn",
        "hcnumber",
        "hcno",
        "healthandcarenumber",
        "handc",
        "hcnum",
    ]) {
        Field::Health(nhs::Kind::HealthAndCare)
    } else if has("nino") || has("nationalinsurance") || is(&["ni", "ninumber", "nino", "nino"]) {
        Field::NationalInsurance
    } else if has("dateofbirth")
        || has("birthdate")
        || has("birthdt")
        || is(&["dob", "mydob", "birth", "yearofbirth", "yob", "patientdob"])
        || n.ends_with("dob")
    {
        Field::BirthDate
    } else if has("postcode")
        || has("postalcode")
        || is(&["pcode", "zip", "zipcode", "pcd", "lsoa", "lsoacode"])
    {
        Field::Postcode
    } else if is(&[
        "sex",
        "gender",
        "sexcode",
        "gendercode",
        "patientsex",
        "patientgender",
        "sexid",
    ]) {
        Field::Sex
    } else if has("email") {
        Field::Email
    } else if has("phone") || has("mobile") || is(&["tel", "telno", "telephoneno"]) {
        Field::Phone
    } else if has("address") || has("street") || is(&["addr", "addressline1"]) {
        Field::Address
    } else if is(&[
        "forename",
        "surname",
        "firstname",
        "lastname",
        "givenname",
        "familyname",
        "fullname",
        "patientname",
        "forenames",
        "middlename",
        "personname",
        "patientforename",
        "patientsurname",
    ]) {
        Field::Name
    } else if has("ethnic") {
        Field::Ethnicity
    } else if is(&[
        "age",
        "ageyears",
        "ageatadmission",
        "startage",
        "ageatattendance",
        "ageatdeath",
        "patientage",
    ]) {
        Field::Age
    } else if (has("admi")
        || has("discharge")
        || has("disdate")
        || has("attend")
        || has("arrival")
        || has("epistart")
        || has("epiend")
        || has("appointment")
        || has("referral")
        || has("death")
        || has("dod")
        || has("died")
        || has("spell"))
        && (has("date") || has("dt") || has("dod") || has("start") || has("end"))
    {
        Field::EventDate
    } else {
        return None;
    })
}

const SEX_VALUES: &[&str] = &[
    "m",
    "f",
    "male",
    "female",
    "u",
    "unknown",
    "1",
    "2",
    "9",
    "0",
    "i",
    "x",
    "not known",
    "not specified",
];

/// Judges every column of `table`.
pub fn judge(table: &Table) -> Vec<Verdict> {
    (0..table.width()).map(|c| column(table, c)).collect()
}

fn column(table: &Table, c: usize) -> Verdict {
    let name = table.name(c).to_string();
    let hint = named(&name);
    let mut v = Verdict {
        index: c,
        name,
        named: hint,
        ..Default::default()
    };
    let mut ten = 0usize;
    let mut counts: BTreeMap<Field, Vec<(u32, String)>> = BTreeMap::new();
    for (line, raw) in table.column(c) {
        let cell = raw.trim().trim_matches(['"', '\'']);
        if cell.is_empty() || cell.eq_ignore_ascii_case("null") || cell.eq_ignore_ascii_case("na") {
            continue;
        }
        v.filled += 1;
        let mut add = |f: Field| counts.entry(f).or_default().push((line, cell.to_string()));
        if let Some(d) = ten_digits(cell) {
            ten += 1;
            if let Some(k) = nhs::classify(&d) {
                v.check_passes += 1;
                add(Field::Health(k));
            } else if nhs::check_digit_ok(&d) {
                v.check_passes += 1;
                if matches!(hint, Some(Field::Health(_))) {
                    v.unissued += 1;
                }
            }
            continue;
        }
        if matches!(hint, Some(Field::BirthDate | Field::EventDate))
            && date::parse_compact(cell).is_some()
        {
            if let Some(h) = hint {
                add(h);
            }
            continue;
        }
        if nino::is_nino(cell) {
            add(Field::NationalInsurance);
        } else if postcode::is_postcode(cell) {
            add(Field::Postcode);
        } else if contact::is_email(cell) {
            add(Field::Email);
        } else if contact::is_phone(cell) {
            add(Field::Phone);
        } else if date::parse(cell).is_some() {
            match hint {
                Some(Field::BirthDate) => add(Field::BirthDate),
                Some(Field::EventDate) => add(Field::EventDate),
                _ => {}
            }
        } else if let Some(
            h @ (Field::Sex | Field::Name | Field::Address | Field::Ethnicity | Field::Age),
        ) = hint
            && (h != Field::Sex || SEX_VALUES.contains(&cell.to_ascii_lowercase().as_str()))
        {
            add(h);
        }
        if hint == Some(Field::BirthDate) && date::parse(cell).is_none() && is_year(cell) {
            add(Field::BirthDate);
        }
    }
    v.ten_digit = ten;
    let filled = v.filled.max(1);
    for (field, cells) in counts {
        let share = cells.len() as f64 / filled as f64;
        let keep = match field {
            // Real identifier columns are valid throughout; a column where
            // most ten-digit values fail the check holds other numbers, and
            // the few that pass do so by chance (about one in eleven).
            Field::Health(_) => {
                let valid_share = cells.len() as f64 / ten.max(1) as f64;
                // A CHI number is a date and a check digit: London
                // telephone numbers (020 7…) read as dates, and one in
                // eleven passes. Unnamed, it takes a column that passes
                // throughout; a telephone column never holds them.
                let strict = matches!(field, Field::Health(nhs::Kind::Chi));
                hint.is_some_and(|h| matches!(h, Field::Health(_)))
                    || (hint != Some(Field::Phone)
                        && valid_share >= 0.5
                        && (ten < 5 && !strict || valid_share >= 0.8))
            }
            Field::BirthDate
            | Field::EventDate
            | Field::Name
            | Field::Address
            | Field::Ethnicity
            | Field::Age => hint == Some(field) && share >= 0.5,
            Field::Sex => hint == Some(field) && share >= 0.8,
            _ => hint == Some(field) || share >= 0.5,
        };
        if keep {
            v.fields.insert(field, cells);
        }
    }
    v
}

fn is_year(cell: &str) -> bool {
    cell.len() == 4
        && cell
            .parse::<u16>()
            .is_ok_and(|y| (1880..=2030).contains(&y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_hint_at_fields() {
        assert_eq!(named("NHS Number"), Some(Field::Health(nhs::Kind::Nhs)));
        assert_eq!(named("nhs_no"), Some(Field::Health(nhs::Kind::Nhs)));
        assert_eq!(named("NHS Trust"), None);
        assert_eq!(named("Date of Birth"), Some(Field::BirthDate));
        assert_eq!(named("PostCode"), Some(Field::Postcode));
        assert_eq!(named("admission_date"), Some(Field::EventDate));
        assert_eq!(named("admissions"), None, "a count, not a date");
        assert_eq!(named("gender"), Some(Field::Sex));
        assert_eq!(named("value"), None);
    }

    #[test]
    fn values_decide_and_names_only_help() {
        let (valid, invalid) = (nhs::example(401_023_213), "6123456786".to_string());
        let mut t = Table::new(
            "",
            vec!["id".into(), "postcode".into(), "sex".into(), "dob".into()],
        );
        t.push(
            2,
            vec![
                valid.clone(),
                "LS1 4AP".into(),
                "F".into(),
                "1984-03-12".into(),
            ],
        );
        t.push(
            3,
            vec![invalid, "M1 1AE".into(), "M".into(), "02/11/1990".into()],
        );
        let v = judge(&t);
        let fields = |i: usize| v[i].fields.keys().copied().collect::<Vec<_>>();
        assert_eq!(fields(0), vec![Field::Health(nhs::Kind::Nhs)]);
        assert_eq!(
            v[0].fields[&Field::Health(nhs::Kind::Nhs)],
            vec![(2, valid)]
        );
        assert_eq!(fields(1), vec![Field::Postcode]);
        assert_eq!(fields(2), vec![Field::Sex]);
        assert_eq!(fields(3), vec![Field::BirthDate]);
    }

    #[test]
    fn a_column_of_random_ids_is_not_a_column_of_nhs_numbers() {
        let mut t = Table::new("", vec!["order_id".into()]);
        let mut found = 0;
        for i in 0..100u64 {
            let n = 4_000_000_000 + i * 7_919_113;
            if nhs::classify(&ten_digits(&n.to_string()).expect("ten")).is_some() {
                found += 1;
            }
            t.push(i as u32 + 2, vec![n.to_string()]);
        }
        assert!(found > 0, "some pass by chance");
        assert!(judge(&t)[0].fields.is_empty());
    }
}
