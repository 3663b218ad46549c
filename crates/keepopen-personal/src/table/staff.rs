//! Staff directories: a table of the people who work somewhere (a users
//! table in a seed dump, an export of a team's accounts) rather than of
//! patients. Names or e-mail addresses beside what only a workforce list
//! holds: job titles, roles, qualifications, grades, professional
//! registration numbers (GMC, NMC, HCPC), log-in names, departments, staff
//! numbers, or NHS work e-mail addresses. Anything about health or birth
//! (an NHS number, a date of birth, a diagnosis) makes the table a patient
//! table instead, whatever else it holds.

use crate::rules;
use crate::table::columns::{Field, Verdict, squash};
use crate::table::passwords::HashColumn;
use crate::table::{Table, judge};
use keepopen_findings::{Confidence, Match, Severity};

/// What a column's name says about a workforce list, if anything.
pub fn signal(name: &str) -> Option<&'static str> {
    let n = squash(name);
    let has = |w: &str| n.contains(w);
    let is = |ws: &[&str]| ws.contains(&n.as_str());
    Some(
        if is(&[
            "jobtitle",
            "jobrole",
            "position",
            "designation",
            "occupation",
        ]) {
            "job title"
        } else if is(&[
            "role",
            "roles",
            "userrole",
            "staffrole",
            "stafftype",
            "usertype",
        ]) {
            "role"
        } else if has("qualification") {
            "qualifications"
        } else if has("grade") || is(&["band", "payband", "afcband"]) {
            "grade"
        } else if has("gmc")
            || has("nmc")
            || has("hcpc")
            || has("gphc")
            || has("gdc")
            || has("registrationcode")
            || has("registrationnumber")
            || has("registrationno")
            || has("profreg")
            || is(&["regno", "regnumber"])
        {
            "professional registration"
        } else if is(&[
            "username",
            "login",
            "loginname",
            "userlogin",
            "samaccountname",
            "userprincipalname",
            "upn",
            "networklogin",
        ]) {
            "username"
        } else if has("department")
            || has("directorate")
            || has("specialty")
            || has("speciality")
            || is(&["dept", "deptname"])
        {
            "department"
        } else if (has("staff") || has("employee") || has("payroll") || has("esr"))
            && (has("id") || has("number") || has("no"))
        {
            "staff number"
        } else if is(&[
            "isdoctor",
            "isclinical",
            "isconsultant",
            "issurgeon",
            "isnurse",
        ]) {
            "clinical role"
        } else {
            return None;
        },
    )
}

/// Column names that say a table is about patients' care.
fn patient_named(name: &str) -> bool {
    let n = squash(name);
    [
        "patient",
        "diagnos",
        "icd10",
        "snomed",
        "medication",
        "allerg",
        "hospitalnumber",
        "hospitalno",
        "mrn",
        "casenote",
        "condition",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// An NHS work e-mail address: `@nhs.net`, `@….nhs.uk`, `@nhs.scot`, and
/// Northern Ireland's `@….hscni.net`.
pub fn work_email(v: &str) -> bool {
    let Some((_, domain)) = v.trim().rsplit_once('@') else {
        return false;
    };
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    d == "nhs.net"
        || d == "nhs.scot"
        || d.ends_with(".nhs.uk")
        || d.ends_with(".nhs.net")
        || d.ends_with(".hscni.net")
        || d.ends_with(".nhs.scot")
}

/// User names an application seeds for itself.
const SEED_USERS: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "user",
    "test",
    "tester",
    "demo",
    "guest",
    "default",
    "system",
    "support",
    "api",
    "service",
    "developer",
    "dev",
    "example",
    "sample",
];

/// Whether `v` is an e-mail address at a domain no real person uses:
/// documentation domains and test top-level domains.
fn example_email(v: &str) -> bool {
    let Some((_, domain)) = v.trim().rsplit_once('@') else {
        return false;
    };
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    let base = |name: &str| d == name || d.ends_with(&format!(".{name}"));
    [
        "example.com",
        "example.org",
        "example.net",
        "admin.com",
        "test.com",
        "localhost",
    ]
    .iter()
    .any(|n| base(n))
        || [".test", ".example", ".invalid", ".local", ".localhost"]
            .iter()
            .any(|t| d.ends_with(t))
}

/// Whether `table`'s rows are accounts the application seeds for itself
/// (`admin` at `example.com`, `Joe Bloggs`), not members of staff: at
/// least two rows in three have an e-mail at a documentation domain, a
/// built-in user name, or names that are all placeholders. A real staff
/// export may hold an `admin` row; it is not two thirds of it.
pub fn seed_accounts(table: &Table) -> bool {
    let width = table.width();
    let email_cols: Vec<usize> = (0..width)
        .filter(|&c| table.column(c).any(|(_, v)| v.contains('@')))
        .collect();
    let named = |c: usize, ws: &[&str]| ws.contains(&squash(table.name(c)).as_str());
    let user_cols: Vec<usize> = (0..width)
        .filter(|&c| named(c, &["username", "login", "user", "loginname"]))
        .collect();
    let name_cols: Vec<usize> = (0..width)
        .filter(|&c| {
            named(
                c,
                &[
                    "firstname",
                    "lastname",
                    "surname",
                    "forename",
                    "givenname",
                    "familyname",
                    "name",
                    "fullname",
                ],
            )
        })
        .collect();
    if table.rows.is_empty()
        || (email_cols.is_empty() && user_cols.is_empty() && name_cols.is_empty())
    {
        return false;
    }
    let lower = |v: &str| v.trim().to_ascii_lowercase();
    let seeded = table
        .rows
        .iter()
        .filter(|r| {
            let cell = |c: usize| r.cells.get(c).map(|v| lower(v)).unwrap_or_default();
            email_cols.iter().any(|&c| example_email(&cell(c)))
                || user_cols
                    .iter()
                    .any(|&c| SEED_USERS.contains(&cell(c).as_str()))
                || (!name_cols.is_empty()
                    && name_cols.iter().all(|&c| {
                        let v = cell(c);
                        v.is_empty()
                            || v.split_whitespace()
                                .all(|w| judge::is_placeholder_name(w) || SEED_USERS.contains(&w))
                    }))
        })
        .count();
    seeded * 3 >= table.rows.len() * 2
}

/// A table judged a staff directory.
#[derive(Debug)]
pub struct Staff {
    /// Each staff signal with the column that gave it: `role ("role")`.
    pub signals: Vec<String>,
    /// Home addresses, postcodes or personal contact details.
    pub home: bool,
}

impl Staff {
    /// Medium for a directory; high with password material or home contact
    /// details beside the names.
    pub fn severity(&self, hashes: &[HashColumn]) -> Severity {
        if self.home || !hashes.is_empty() {
            Severity::High
        } else {
            Severity::Medium
        }
    }
}

/// Whether `table` is a staff directory, from its columns' verdicts.
pub fn judge(table: &Table, verdicts: &[Verdict]) -> Option<Staff> {
    let present = |f: Field| verdicts.iter().any(|v| v.fields.contains_key(&f));
    let patient = verdicts.iter().any(|v| {
        v.fields.keys().any(|f| {
            matches!(
                f,
                Field::Health(_) | Field::BirthDate | Field::EventDate | Field::NationalInsurance
            )
        }) || patient_named(&v.name)
            || matches!(
                v.named,
                Some(Field::Health(_) | Field::BirthDate | Field::EventDate)
            )
    }) || patient_named(table.origin.trim_start_matches("table "));
    if patient {
        return None;
    }
    // A column counts when most rows fill it: a contact table of patients
    // and staff alike has a `qualifications` column that few rows use.
    let mut by_label: Vec<(&str, Vec<String>)> = Vec::new();
    for v in verdicts {
        if v.filled == 0 || v.filled * 2 < table.rows.len() {
            continue;
        }
        if let Some(s) = signal(&v.name) {
            let name = format!("\"{}\"", v.name);
            match by_label.iter_mut().find(|(l, _)| *l == s) {
                Some((_, names)) => names.push(name),
                None => by_label.push((s, vec![name])),
            }
        }
    }
    // One entry per kind: `clinical role ("is_doctor", "is_surgeon")`.
    let mut signals: Vec<String> = by_label
        .into_iter()
        .map(|(s, names)| format!("{s} ({})", names.join(", ")))
        .collect();
    let by_column = !signals.is_empty();
    let nhs_mail = verdicts
        .iter()
        .filter_map(|v| v.fields.get(&Field::Email))
        .flatten()
        .any(|(_, e)| work_email(e));
    if nhs_mail {
        signals.push("NHS work e-mail addresses".to_string());
    }
    let named = present(Field::Name);
    // NHS addresses alone are an organisation's directory (a practice's
    // address table), not its people.
    let people = named || (present(Field::Email) && by_column);
    if !people || signals.is_empty() {
        return None;
    }
    let home = present(Field::Address)
        || present(Field::Postcode)
        || verdicts.iter().any(|v| {
            let n = squash(&v.name);
            (n.contains("home") || n.contains("personal")) && !v.fields.is_empty()
        });
    Some(Staff { signals, home })
}

/// The `staff-personal-data` finding: the table's people columns, its staff
/// signals, and its password material.
pub fn finding(
    table: &Table,
    verdicts: &[Verdict],
    s: &Staff,
    hashes: &[HashColumn],
    salt: Option<&str>,
    synthetic: Option<&str>,
) -> Match {
    let rule = &rules::STAFF_PERSONAL_DATA;
    let key = verdicts
        .iter()
        .filter(|v| v.fields.contains_key(&Field::Name) || v.fields.contains_key(&Field::Email))
        .find_map(|v| v.fields.values().next().and_then(|c| c.first()))
        .cloned()
        .unwrap_or_default();
    let columns = judge::personal_columns(verdicts).join(", ");
    let origin = judge::origin(table);
    let mut also = Vec::new();
    if !hashes.is_empty() {
        let names: Vec<String> = hashes.iter().map(|h| format!("\"{}\"", h.name)).collect();
        also.push(format!(
            "password hashes in {}{}",
            names.join(", "),
            salt.map(|s| format!(" with salts in \"{s}\""))
                .unwrap_or_default()
        ));
    }
    if s.home {
        also.push("home contact details".to_string());
    }
    let severity = match synthetic {
        Some(_) => Severity::Low,
        None if table.hidden => Severity::High,
        None => s.severity(hashes),
    };
    let mut detail = format!(
        "{origin}{} rows about staff, not patients; personal columns: {columns}; staff columns: {}{}",
        table.total_rows,
        s.signals.join(", "),
        if also.is_empty() {
            String::new()
        } else {
            format!("; also {}", also.join(" and "))
        }
    );
    if let Some(why) = synthetic {
        detail.push_str("; ");
        detail.push_str(why);
    }
    Match {
        remedy: None,
        rule: rule.id.to_string(),
        category: rule.category,
        severity,
        confidence: Confidence::High,
        secret: key.1,
        line: key.0,
        column: 1,
        context: format!(
            "{origin}{} rows of staff: {columns}; {}",
            table.total_rows,
            s.signals.join(", ")
        ),
        detail: Some(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_say_what_a_workforce_list_holds() {
        assert_eq!(signal("Job Title"), Some("job title"));
        assert_eq!(signal("qualifications"), Some("qualifications"));
        assert_eq!(signal("GMC_Number"), Some("professional registration"));
        assert_eq!(
            signal("registration_code"),
            Some("professional registration")
        );
        assert_eq!(signal("doctor_grade_id"), Some("grade"));
        assert_eq!(signal("username"), Some("username"));
        assert_eq!(signal("Staff ID"), Some("staff number"));
        assert_eq!(signal("first_name"), None);
        assert_eq!(signal("ward"), None);
    }

    #[test]
    fn nhs_work_addresses_are_known_by_their_domain() {
        for e in [
            "a.b@nhs.net",
            "ab@leedsth.nhs.uk",
            "x@nhs.scot",
            "y@belfasttrust.hscni.net",
        ] {
            assert!(work_email(e), "{e}");
        }
        for e in ["a@gmail.com", "a@nhs.uk.example.com", "nhs.net"] {
            assert!(!work_email(e), "{e}");
        }
    }
}

/// The table-level judgement, through `judge::findings` as every reader
/// calls it.
#[cfg(test)]
mod findings_tests {
    use crate::ids::nhs;
    use crate::table::Table;
    use crate::table::judge::findings;
    use crate::table::passwords::tests::{CRYPT, HEX, fake};
    use keepopen_findings::{Category, Match, Severity};

    fn run(t: &Table) -> Vec<Match> {
        let mut out = Vec::new();
        findings(t, &mut |m| out.push(m));
        out
    }

    fn table(header: &[&str], rows: Vec<Vec<String>>) -> Table {
        let mut t = Table::new("table user", header.iter().map(|s| s.to_string()).collect());
        for (i, r) in rows.into_iter().enumerate() {
            t.push(i as u32 + 10, r);
        }
        t
    }

    /// The openeyes `user` table's shape: names, titles, qualifications,
    /// roles, e-mails, a password column of SHA-1 digests and a salt.
    fn users(emails: &str) -> Table {
        let header = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "title",
            "qualifications",
            "role",
            "password",
            "salt",
        ];
        let rows = (0..4)
            .map(|i| {
                [
                    format!("{i}"),
                    format!("user{i}"),
                    ["Ada", "Grace", "Alan", "Edsger"][i].to_string(),
                    ["Lovelace", "Hopper", "Turing", "Dijkstra"][i].to_string(),
                    format!("user{i}@{emails}"),
                    "Dr".to_string(),
                    "MBChB FRCOphth".to_string(),
                    "Consultant".to_string(),
                    fake(&format!("{i}"), 39, HEX),
                    fake("", 10, CRYPT),
                ]
                .to_vec()
            })
            .collect();
        table(&header, rows)
    }

    /// The accounts an application seeds for itself (`admin` and `user`
    /// at `example.com`) are nobody's personal data, and their passwords
    /// are defaults: low, saying why.
    #[test]
    fn seeded_accounts_are_low_and_say_so() {
        let mut t = users("example.com");
        t.rows.truncate(2);
        let ms = run(&t);
        assert!(!ms.is_empty());
        for m in ms
            .iter()
            .filter(|m| matches!(m.rule.as_str(), "staff-personal-data" | "password-hash"))
        {
            assert_eq!(m.severity, Severity::Low, "{m:?}");
            assert!(
                m.detail
                    .as_deref()
                    .unwrap_or("")
                    .contains("seeds for itself"),
                "{m:?}"
            );
        }
        // Built-in user names alone do it too; one real address does not.
        let mut t = users("eyehospital.org");
        for (i, r) in t.rows.iter_mut().enumerate() {
            r.cells[1] = ["admin", "user", "demo", "guest"][i].to_string();
        }
        assert!(crate::table::staff::seed_accounts(&t));
        // An `admin` row in a real export is not two thirds of it.
        t.rows[2].cells[1] = "alovelace".to_string();
        t.rows[3].cells[1] = "ghopper".to_string();
        assert!(!crate::table::staff::seed_accounts(&t));
        // Placeholder names (`Joe Bloggs`) with a built-in `admin`.
        let mut t = users("eyehospital.org");
        t.rows.truncate(2);
        t.rows[0].cells[1] = "admin".to_string();
        t.rows[1].cells[1] = "joebloggs".to_string();
        t.rows[1].cells[2] = "Joe".to_string();
        t.rows[1].cells[3] = "Bloggs".to_string();
        assert!(crate::table::staff::seed_accounts(&t));
    }

    #[test]
    fn a_users_table_with_hashes_is_staff_data_and_credential_material() {
        let ms = run(&users("eyehospital.org"));
        let rules: Vec<&str> = ms.iter().map(|m| m.rule.as_str()).collect();
        assert_eq!(
            rules,
            vec!["password-hash", "email-address", "staff-personal-data"],
            "{ms:#?}"
        );
        let hash = &ms[0];
        assert_eq!(
            (hash.category, hash.severity, hash.line),
            (Category::Secret, Severity::High, 10)
        );
        let detail = hash.detail.clone().unwrap_or_default();
        assert!(
            detail.starts_with("4 password hashes (SHA-1 hex digest) in table user, column 9 \"password\" of 4 rows; salts beside them in column \"salt\""),
            "{detail}"
        );
        let staff = &ms[2];
        assert_eq!(
            staff.severity,
            Severity::High,
            "password material: {staff:?}"
        );
        let detail = staff.detail.clone().unwrap_or_default();
        for want in [
            "qualifications (\"qualifications\")",
            "role (\"role\")",
            "username (\"username\")",
            "password hashes in \"password\" with salts in \"salt\"",
        ] {
            assert!(detail.contains(want), "{want}: {detail}");
        }
        assert!(
            !ms.iter()
                .any(|m| m.rule == "patient-level-data" || m.rule == "people-contact-list")
        );
    }

    #[test]
    fn a_directory_without_passwords_or_home_details_is_medium() {
        let header = [
            "forename",
            "surname",
            "job_title",
            "department",
            "gmc_number",
            "email",
        ];
        let rows = (0..3)
            .map(|i| {
                [
                    ["Ada", "Grace", "Alan"][i],
                    ["Lovelace", "Hopper", "Turing"][i],
                    "Staff Nurse",
                    "Ophthalmology",
                    "7123456",
                    "a.person@nhs.net",
                ]
                .map(String::from)
                .to_vec()
            })
            .collect();
        let ms = run(&table(&header, rows));
        let staff = ms
            .iter()
            .find(|m| m.rule == "staff-personal-data")
            .unwrap_or_else(|| panic!("{ms:#?}"));
        assert_eq!(staff.severity, Severity::Medium);
        assert!(
            staff.context.contains("NHS work e-mail addresses"),
            "{}",
            staff.context
        );
        // With home postcodes beside them: high.
        let header = ["first_name", "last_name", "role", "home_postcode"];
        let rows = (0..3)
            .map(|i| {
                [["Ada", "Grace", "Alan"][i], "Lovelace", "Porter", "LS1 4AP"]
                    .map(String::from)
                    .to_vec()
            })
            .collect();
        let ms = run(&table(&header, rows));
        let staff = ms
            .iter()
            .find(|m| m.rule == "staff-personal-data")
            .unwrap_or_else(|| panic!("{ms:#?}"));
        assert_eq!(staff.severity, Severity::High);
    }

    /// Patient signals win: a table with roles and NHS numbers and dates of
    /// birth is about patients, and names with e-mails and nothing about
    /// staff stay a contact list.
    #[test]
    fn a_patient_table_never_becomes_a_staff_one() {
        let header = ["nhs_number", "first_name", "dob", "role", "email"];
        let rows = (0..3)
            .map(|i| {
                vec![
                    nhs::example(400_000_000 + i * 7_919),
                    "Ada".into(),
                    "1984-03-12".into(),
                    "carer".into(),
                    "ada@example.org".into(),
                ]
            })
            .collect();
        let ms = run(&table(&header, rows));
        assert!(ms.iter().any(|m| m.rule == "patient-level-data"), "{ms:#?}");
        assert!(!ms.iter().any(|m| m.rule == "staff-personal-data"));
        let header = ["first_name", "last_name", "email"];
        let rows = (0..2)
            .map(|_| {
                ["Ada", "Lovelace", "ada@example.org"]
                    .map(String::from)
                    .to_vec()
            })
            .collect();
        let ms = run(&table(&header, rows));
        assert!(
            ms.iter().any(|m| m.rule == "people-contact-list"),
            "{ms:#?}"
        );
        // An address table with NHS addresses and no names is no directory.
        let header = ["address1", "postcode", "email"];
        let rows = (0..2)
            .map(|_| {
                ["1 Park Row", "LS1 4AP", "practice@nhs.net"]
                    .map(String::from)
                    .to_vec()
            })
            .collect();
        let ms = run(&table(&header, rows));
        assert!(
            !ms.iter().any(|m| m.rule == "staff-personal-data"),
            "{ms:#?}"
        );
        // A contact table whose `qualifications` few rows fill stays a
        // contact list: its people are patients and staff alike.
        let header = ["first_name", "last_name", "primary_phone", "qualifications"];
        let rows = (0..4)
            .map(|i| {
                let q = if i == 0 { "FRCOphth" } else { "" };
                ["Ada", "Lovelace", "0113 496 0000", q]
                    .map(String::from)
                    .to_vec()
            })
            .collect();
        let ms = run(&table(&header, rows));
        assert!(
            ms.iter().any(|m| m.rule == "people-contact-list"),
            "{ms:#?}"
        );
        // The same with NHS work addresses: staff.
        let mut t = users("leedsth.nhs.uk");
        for r in &mut t.rows {
            r.cells.truncate(5);
        }
        t.header.truncate(5);
        let ms = run(&t);
        let staff = ms
            .iter()
            .find(|m| m.rule == "staff-personal-data")
            .unwrap_or_else(|| panic!("{ms:#?}"));
        assert_eq!(staff.severity, Severity::Medium);
    }
}
