//! From column verdicts to findings: one finding per identifier column,
//! per personal-field column that sits beside other personal fields, and
//! one for the table as a whole when its rows describe people, with a row
//! count and a few redacted examples rather than one finding per cell.
//! A table of staff rather than patients gets its own id, and a column of
//! password hashes its own finding.

use crate::ids::nhs;
use crate::rules::{self, Rule};
use crate::table::Table;
use crate::table::columns::{Field, Verdict, judge};
use crate::table::{passwords, staff};
use keepopen_findings::{Confidence, Match, Severity, redact_personal};

/// How many redacted examples a finding shows.
const EXAMPLES: usize = 3;

/// The findings for `table`, and whether it holds personal data at all.
pub fn findings(table: &Table, out: &mut dyn FnMut(Match)) -> bool {
    let verdicts = judge(table);
    let present: Vec<Field> = verdicts
        .iter()
        .flat_map(|v| v.fields.keys().copied())
        .collect();
    let direct = present.iter().any(|f| f.direct());
    let quasi: Vec<Field> = present
        .iter()
        .copied()
        .filter(|f| !f.direct() && !matches!(f, Field::Health(_)))
        .collect();
    let personal = direct || quasi.contains(&Field::BirthDate);
    // Rows of test numbers with names and addresses are test data made to
    // look real: still reported, at low severity, not as a breach.
    let unissued = verdicts.iter().any(|v| v.unissued > 0);
    let test_range = (present.contains(&Field::Health(nhs::Kind::TestRange)) || unissued)
        && !present
            .iter()
            .any(|f| matches!(f, Field::Health(k) if *k != nhs::Kind::TestRange));
    let synthetic = synthetic(table, &verdicts);
    let hashes = passwords::columns(table);
    let salt = passwords::salt_column(table);
    // Accounts the application seeds for itself (`admin` at `example.com`)
    // are no one's personal data, and their passwords are defaults.
    let seeded = staff::seed_accounts(table);
    let mut any = !hashes.is_empty();
    for h in &hashes {
        let v = Verdict {
            index: h.index,
            name: h.name.clone(),
            ..Default::default()
        };
        let mut m = passwords::finding(table, h, &place(table, &v), salt.as_deref());
        if seeded {
            seed_note(&mut m);
        }
        out(m);
    }
    let staff = staff::judge(table, &verdicts);
    for v in &verdicts {
        for (field, cells) in &v.fields {
            let Some(rule) = column_rule(*field, personal) else {
                continue;
            };
            let confidence = if v.named == Some(*field) || cells.len() >= 3 {
                Confidence::High
            } else {
                Confidence::Medium
            };
            let mut m = column_match(table, v, rule, *field, cells, confidence);
            if test_range && m.severity > Severity::Low {
                m.severity = Severity::Low;
                if let Some(d) = &mut m.detail {
                    d.push_str("; the table's NHS numbers are test numbers: likely synthetic");
                }
            }
            if let Some(why) = &synthetic {
                m.severity = m.severity.min(Severity::Low);
                if let Some(d) = &mut m.detail {
                    d.push_str("; ");
                    d.push_str(why);
                }
            }
            out(m);
            any = true;
        }
    }
    let birth_triple = quasi.contains(&Field::BirthDate) && quasi.len() >= 3;
    let test_people = test_range && (present.contains(&Field::Name) || !quasi.is_empty());
    if let Some(s) = &staff {
        let mut m = staff::finding(
            table,
            &verdicts,
            s,
            &hashes,
            salt.as_deref(),
            synthetic.as_deref(),
        );
        if seeded {
            seed_note(&mut m);
        }
        out(m);
        return true;
    }
    if (direct && !quasi.is_empty()) || birth_triple || test_people {
        let mut m = patient_level(table, &verdicts, test_range);
        // Names with e-mails or telephones and nothing else: staff or users.
        let contact_only = !test_range
            && present
                .iter()
                .all(|f| matches!(f, Field::Name | Field::Email | Field::Phone));
        if contact_only {
            let rule = &rules::PEOPLE_CONTACT_LIST;
            m.rule = rule.id.to_string();
            m.severity = rule.severity.min(m.severity);
        }
        if let Some(why) = &synthetic {
            let rule = &rules::SYNTHETIC_PATIENT_DATA;
            m.rule = rule.id.to_string();
            m.severity = rule.severity;
            if let Some(d) = &mut m.detail {
                d.push_str("; ");
                d.push_str(why);
            }
        }
        out(m);
        any = true;
    }
    any
}

/// Lowers a finding about seeded accounts to `low`, saying why.
fn seed_note(m: &mut Match) {
    m.severity = m.severity.min(Severity::Low);
    if let Some(d) = &mut m.detail {
        d.push_str(
            "; every row is an account the application seeds for itself (a built-in user name or an example.com address), not a member of staff: check that their passwords are changed on install",
        );
    }
}

/// Whether a lower-case word is a name invented for examples and tests.
pub fn is_placeholder_name(word: &str) -> bool {
    PLACEHOLDER_NAMES.contains(&word)
}

/// Names invented for examples and tests, not people.
const PLACEHOLDER_NAMES: &[&str] = &[
    "john",
    "jane",
    "joe",
    "joan",
    "smith",
    "doe",
    "bloggs",
    "blogs",
    "test",
    "testing",
    "patient",
    "user",
    "dummy",
    "fake",
    "sample",
    "example",
    "foo",
    "bar",
    "baz",
    "mickey",
    "mouse",
    "donald",
    "duck",
    "anon",
    "anonymous",
    "unknown",
    "xxx",
];

/// Why the table looks made up, if it does: a column named for health
/// numbers whose values mostly fail the check digit, or hold no ten-digit
/// number at all (`'54321'`); or names that are mostly placeholders.
fn synthetic(table: &Table, verdicts: &[Verdict]) -> Option<String> {
    if let Some(v) = verdicts.iter().find(|v| v.synthetic()) {
        return Some(format!(
            "only {} of {} ten-digit values in {} pass the check digit (real identifiers pass throughout; invented ones about one in eleven): likely synthetic",
            v.check_passes,
            v.ten_digit,
            place(table, v)
        ));
    }
    if let Some(v) = verdicts
        .iter()
        .find(|v| matches!(v.named, Some(Field::Health(_))) && v.filled > 0 && v.ten_digit == 0)
    {
        return Some(format!(
            "none of the {} values in {} is a ten-digit number: the identifiers are made up",
            v.filled,
            place(table, v)
        ));
    }
    let names: Vec<&str> = verdicts
        .iter()
        .filter_map(|v| v.fields.get(&Field::Name))
        .flatten()
        .map(|(_, n)| n.as_str())
        .collect();
    let placeholders = names
        .iter()
        .filter(|n| {
            n.split([' ', '.', ','])
                .filter(|w| !w.is_empty())
                .all(|w| PLACEHOLDER_NAMES.contains(&w.to_ascii_lowercase().as_str()))
        })
        .count();
    (names.len() >= 2 && placeholders * 5 >= names.len() * 3).then(|| {
        format!(
            "{placeholders} of {} names are placeholders (John Smith, Joe Bloggs, Test Patient): likely synthetic",
            names.len()
        )
    })
}

/// The rule for a column holding `field`; some fields are personal only
/// beside others (a postcode alone is an address of a place).
fn column_rule(field: Field, personal: bool) -> Option<&'static Rule> {
    Some(match field {
        Field::Health(k) => k.rule(),
        Field::NationalInsurance => &rules::NATIONAL_INSURANCE_NUMBER,
        Field::Email => &rules::EMAIL_ADDRESS,
        Field::Phone => &rules::PHONE_NUMBER,
        Field::BirthDate => &rules::DATE_OF_BIRTH,
        Field::Postcode if personal => &rules::POSTCODE,
        _ => return None,
    })
}

/// A column's name as a report may show it: a name that is itself a
/// personal value (a headerless table's first row) is redacted.
pub fn shown_name(name: &str) -> String {
    if crate::ids::looks_personal(name) {
        redact_personal(name)
    } else {
        name.to_string()
    }
}

/// Where a table sits, for a finding's context: `sheet "A", column 3
/// "nhs_number"`.
pub(crate) fn place(table: &Table, v: &Verdict) -> String {
    let col = if v.name.is_empty() {
        format!("column {}", v.index + 1)
    } else {
        format!("column {} \"{}\"", v.index + 1, shown_name(&v.name))
    };
    if table.origin.is_empty() {
        col
    } else {
        format!("{}, {col}", table.origin)
    }
}

fn examples(cells: &[(u32, String)]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for (_, c) in cells {
        let r = redact_personal(c);
        if !seen.contains(&r) {
            seen.push(r);
        }
        if seen.len() == EXAMPLES {
            break;
        }
    }
    seen.join(", ")
}

fn column_match(
    table: &Table,
    v: &Verdict,
    rule: &Rule,
    field: Field,
    cells: &[(u32, String)],
    confidence: Confidence,
) -> Match {
    let (line, first) = cells.first().cloned().unwrap_or_default();
    Match {
        remedy: None,
        rule: rule.id.to_string(),
        category: rule.category,
        severity: rule.severity,
        confidence,
        secret: first,
        line,
        column: 1,
        context: format!(
            "{}: {} of {} rows",
            place(table, v),
            cells.len(),
            table.total_rows
        ),
        detail: Some(format!(
            "{} {} in {} of {} rows; e.g. {}",
            cells.len(),
            noun(field, cells.len()),
            place(table, v),
            table.total_rows,
            examples(cells)
        )),
    }
}

/// `1 NHS number`, `6 dates of birth`.
fn noun(field: Field, n: usize) -> String {
    let one = field.label();
    if n == 1 {
        return one.to_string();
    }
    match one {
        "date of birth" => "dates of birth".into(),
        "sex" => "sex values".into(),
        "age" => "ages".into(),
        other => format!("{other}s"),
    }
}

/// Each column that holds a personal field, with what it holds:
/// `dob (date of birth)`.
pub(crate) fn personal_columns(verdicts: &[Verdict]) -> Vec<String> {
    verdicts
        .iter()
        .filter(|v| !v.fields.is_empty())
        .map(|v| {
            let what: Vec<&str> = v.fields.keys().map(|f| f.label()).collect();
            let name = if v.name.is_empty() {
                format!("column {}", v.index + 1)
            } else {
                shown_name(&v.name)
            };
            format!("{name} ({})", what.join(", "))
        })
        .collect()
}

/// `sheet "Staff": `, or nothing for a whole file.
pub(crate) fn origin(table: &Table) -> String {
    if table.origin.is_empty() {
        String::new()
    } else {
        format!("{}: ", table.origin)
    }
}

fn patient_level(table: &Table, verdicts: &[Verdict], test_range: bool) -> Match {
    let rule = &rules::PATIENT_LEVEL_DATA;
    let mut direct: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| v.fields.keys().any(|f| f.direct()))
        .collect();
    if direct.is_empty() {
        direct = verdicts
            .iter()
            .filter(|v| {
                v.fields.contains_key(&Field::BirthDate)
                    || v.fields.contains_key(&Field::Health(nhs::Kind::TestRange))
            })
            .collect();
    }
    let key = direct
        .first()
        .and_then(|v| v.fields.values().next())
        .and_then(|c| c.first())
        .cloned()
        .unwrap_or_default();
    let columns = personal_columns(verdicts);
    let origin = origin(table);
    Match {
        remedy: None,
        rule: rule.id.to_string(),
        category: rule.category,
        severity: if test_range {
            Severity::Low
        } else if table.hidden {
            Severity::Critical
        } else {
            rule.severity
        },
        confidence: if direct.iter().any(|v| v.fields.keys().any(|f| f.direct())) {
            Confidence::High
        } else {
            Confidence::Medium
        },
        secret: key.1,
        line: key.0,
        column: 1,
        context: format!(
            "{origin}{} rows of people: {}",
            table.total_rows,
            columns.join(", ")
        ),
        detail: Some(format!(
            "{origin}{} rows combine an identifier with quasi-identifiers; personal columns: {}{}",
            table.total_rows,
            columns.join(", "),
            if test_range {
                "; its NHS numbers are all test numbers (the 999 range, or valid check digits \
                 outside every issued range), so this is likely synthetic test data: confirm \
                 that the names and addresses are made up"
            } else {
                ""
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::nhs;

    fn nhs_number(seed: u32) -> String {
        nhs::example(400_000_000 + seed * 7_919)
    }

    fn run(t: &Table) -> Vec<Match> {
        let mut out = Vec::new();
        findings(t, &mut |m| out.push(m));
        out
    }

    /// A patient table whose NHS-number column mostly fails the check
    /// digit is made up: one low `synthetic-patient-data` finding with the
    /// pass rate, its columns at low, nothing critical.
    #[test]
    fn a_table_whose_numbers_mostly_fail_the_check_is_synthetic() {
        let mut t = Table::new("", vec!["nhs_num".into(), "dob".into(), "postcode".into()]);
        for i in 0..44u32 {
            // Four in 44 valid, the chance rate; the rest fail the check.
            let n = if i % 11 == 0 {
                nhs_number(i)
            } else {
                let v = nhs_number(i);
                let last = (v.as_bytes()[9] - b'0' + 1) % 10;
                format!("{}{last}", &v[..9])
            };
            t.push(i + 2, vec![n, "1984-03-12".into(), "LS1 4AP".into()]);
        }
        let ms = run(&t);
        let table = ms
            .iter()
            .find(|m| m.rule == "synthetic-patient-data")
            .unwrap_or_else(|| panic!("{ms:#?}"));
        assert_eq!(table.severity, Severity::Low);
        assert!(
            table
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("of 44 ten-digit values"),
            "{table:?}"
        );
        assert!(ms.iter().all(|m| m.severity <= Severity::Low), "{ms:#?}");
        assert!(!ms.iter().any(|m| m.rule == "patient-level-data"));
    }

    /// None of the numbers passing is not the chance rate: they were altered
    /// on purpose, and the dates of birth and postcodes beside them may be
    /// real, so the table is patient-level data as usual.
    #[test]
    fn a_column_where_no_number_passes_is_not_chance_and_not_synthetic() {
        let mut t = Table::new(
            "",
            vec![
                "nhs_num".into(),
                "dob".into(),
                "postcode".into(),
                "sex".into(),
            ],
        );
        for i in 0..40u32 {
            let v = nhs_number(i);
            let last = (v.as_bytes()[9] - b'0' + 1) % 10;
            t.push(
                i + 2,
                vec![
                    format!("{}{last}", &v[..9]),
                    format!("1984-03-{:02}", 1 + i % 28),
                    "LS1 4AP".into(),
                    "F".into(),
                ],
            );
        }
        let ms = run(&t);
        assert!(
            !ms.iter().any(|m| m.rule == "synthetic-patient-data"),
            "{ms:#?}"
        );
        assert!(ms.iter().any(|m| m.rule == "patient-level-data"), "{ms:#?}");
    }

    #[test]
    fn seed_patients_with_placeholder_names_and_short_numbers_are_synthetic() {
        let mut t = Table::new(
            "table patient",
            ["first_name", "last_name", "dob", "gender", "nhs_num"]
                .map(String::from)
                .to_vec(),
        );
        for (i, (f, l)) in [("John", "Smith"), ("John", "Jones"), ("Katherine", "Smith")]
            .iter()
            .enumerate()
        {
            let row = [*f, *l, "1970-01-01", "M", "54321"];
            t.push(i as u32 + 2, row.map(String::from).to_vec());
        }
        let ms = run(&t);
        let table = ms
            .iter()
            .find(|m| m.rule == "synthetic-patient-data")
            .unwrap_or_else(|| panic!("{ms:#?}"));
        assert!(
            table
                .detail
                .as_deref()
                .unwrap_or("")
                .contains("is a ten-digit number"),
            "{table:?}"
        );
        // The same rows with real-looking numbers, but placeholder names.
        let mut t2 = Table::new(
            "",
            ["first_name", "last_name", "dob"]
                .map(String::from)
                .to_vec(),
        );
        for (i, (f, l)) in [("Joe", "Bloggs"), ("Jane", "Doe"), ("Ada", "Lovelace")]
            .iter()
            .enumerate()
        {
            t2.push(
                i as u32 + 2,
                [*f, *l, "1970-01-01"].map(String::from).to_vec(),
            );
        }
        assert!(
            ms_have(&run(&t2), "synthetic-patient-data"),
            "{:#?}",
            run(&t2)
        );
    }

    #[test]
    fn a_real_table_passes_throughout_and_stays_critical() {
        let mut t = Table::new("", vec!["nhs_num".into(), "dob".into(), "postcode".into()]);
        for i in 0..44u32 {
            t.push(
                i + 2,
                vec![nhs_number(i), "1984-03-12".into(), "LS1 4AP".into()],
            );
        }
        let ms = run(&t);
        assert!(
            ms.iter()
                .any(|m| m.rule == "patient-level-data" && m.severity == Severity::Critical),
            "{ms:#?}"
        );
    }

    #[test]
    fn a_telephone_column_never_holds_health_numbers() {
        let mut t = Table::new("", vec!["telephone".into(), "name".into()]);
        for i in 0..6u32 {
            t.push(i + 2, vec![nhs_number(i), "A Person".into()]);
        }
        assert!(
            !ms_have(&run(&t), "nhs-number"),
            "valid check digits by chance in a phone column"
        );
    }

    #[test]
    fn names_with_e_mails_only_are_a_contact_list_not_patients() {
        let mut t = Table::new(
            "",
            vec!["first_name".into(), "last_name".into(), "email".into()],
        );
        t.push(
            2,
            vec!["Ada".into(), "Admin".into(), "ada@example.org".into()],
        );
        t.push(
            3,
            vec!["Bob".into(), "User".into(), "bob@example.org".into()],
        );
        let ms = run(&t);
        assert!(ms_have(&ms, "people-contact-list"), "{ms:#?}");
        assert!(!ms_have(&ms, "patient-level-data"), "{ms:#?}");
        assert!(ms.iter().all(|m| m.severity <= Severity::Medium), "{ms:#?}");
        // With a date of birth beside them, they are records about people.
        t = Table::new("", vec!["first_name".into(), "email".into(), "dob".into()]);
        t.push(
            2,
            vec![
                "Ada".into(),
                "ada@example.nhs.uk".into(),
                "1984-03-12".into(),
            ],
        );
        assert!(ms_have(&run(&t), "patient-level-data"));
    }

    fn ms_have(ms: &[Match], rule: &str) -> bool {
        ms.iter().any(|m| m.rule == rule)
    }

    #[test]
    fn an_extract_gives_one_finding_per_column_and_one_for_the_table() {
        let mut t = Table::new(
            "",
            ["nhs_number", "dob", "postcode", "sex", "ward"]
                .map(String::from)
                .to_vec(),
        );
        for i in 0..25 {
            t.push(
                i + 2,
                vec![
                    nhs_number(i),
                    "1984-03-12".into(),
                    "LS1 4AP".into(),
                    "F".into(),
                    "A".into(),
                ],
            );
        }
        let ms = run(&t);
        let rules: Vec<&str> = ms.iter().map(|m| m.rule.as_str()).collect();
        assert_eq!(
            rules,
            vec![
                "nhs-number",
                "date-of-birth",
                "postcode",
                "patient-level-data"
            ]
        );
        let nhs = &ms[0];
        assert_eq!(nhs.line, 2);
        assert_eq!(nhs.secret, nhs_number(0));
        let detail = nhs.detail.clone().unwrap_or_default();
        assert!(
            detail.starts_with("25 NHS numbers in column 1 \"nhs_number\" of 25 rows"),
            "{detail}"
        );
        assert!(
            !detail.contains(&nhs_number(1)),
            "examples are redacted: {detail}"
        );
        assert!(!ms[3].context.contains(&nhs_number(0)));
    }

    #[test]
    fn organisation_directories_are_not_people_and_test_packs_are_low() {
        let header = ["Name", "Address", "Postcode", "Telecom"];
        let mut t = Table::new("", header.map(String::from).to_vec());
        t.push(
            2,
            ["Leeds Pharmacy", "1 High St", "LS1 4AP", "0113 496 0000"]
                .map(String::from)
                .to_vec(),
        );
        t.push(
            3,
            ["York Pharmacy", "2 Low St", "YO1 7HH", "01904 496000"]
                .map(String::from)
                .to_vec(),
        );
        let rules: Vec<String> = run(&t).into_iter().map(|m| m.rule).collect();
        assert_eq!(rules, vec!["phone-number"], "contact numbers only");
        let test = nhs::example(999_000_001);
        let header = ["NHS_NUMBER", "FAMILY_NAME", "GENDER", "POST_CODE"];
        let mut t = Table::new("", header.map(String::from).to_vec());
        t.push(
            2,
            vec![test, "SMITH".into(), "female".into(), "LS1 4AP".into()],
        );
        let ms = run(&t);
        let pl = ms
            .iter()
            .find(|m| m.rule == "patient-level-data")
            .expect("a table of people");
        assert_eq!(pl.severity, Severity::Low);
        assert!(pl.detail.as_deref().unwrap_or("").contains("synthetic"));
        assert!(
            ms.iter()
                .any(|m| m.rule == "nhs-number-test-range" && m.severity == Severity::Info)
        );
    }

    /// Found by the `personal_detector` fuzz target: a first row taken as
    /// the header held an NI number, and the column name showed it.
    #[test]
    fn a_value_in_a_column_name_is_never_shown() {
        let nino = format!("{}333333A", "MA");
        let mut t = Table::new("", vec!["x".into(), format!("'\"{nino}")]);
        t.push(2, vec!["a".into(), nino.clone()]);
        t.push(3, vec!["b".into(), "".into()]);
        let ms = run(&t);
        assert!(!ms.is_empty());
        for m in ms {
            assert!(!m.context.contains(&nino), "{m:?}");
            assert!(!m.detail.unwrap_or_default().contains(&nino));
        }
    }

    #[test]
    fn unissued_valid_numbers_mark_a_test_pack() {
        // 944 is in no issued range; the check digit is valid.
        let spine = nhs::example(944_930_413);
        let header = [
            "NHS_NUMBER",
            "DATE_OF_BIRTH",
            "FAMILY_NAME",
            "GENDER",
            "POST_CODE",
        ];
        let mut t = Table::new("", header.map(String::from).to_vec());
        t.push(
            2,
            vec![
                spine,
                "19480430".into(),
                "SMITH".into(),
                "Female".into(),
                "LS1 4AP".into(),
            ],
        );
        let ms = run(&t);
        let pl = ms
            .iter()
            .find(|m| m.rule == "patient-level-data")
            .expect("people");
        assert_eq!(pl.severity, Severity::Low, "{pl:?}");
        assert!(
            ms.iter().any(|m| m.rule == "date-of-birth"),
            "compact dates of birth: {ms:?}"
        );
        assert!(!ms.iter().any(|m| m.rule == "nhs-number"));
    }

    #[test]
    fn a_postcode_alone_is_not_personal_data() {
        let mut t = Table::new("", vec!["site".into(), "postcode".into()]);
        t.push(2, vec!["Leeds General".into(), "LS1 3EX".into()]);
        assert!(run(&t).is_empty());
    }
}
