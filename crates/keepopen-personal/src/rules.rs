//! The personal-data and disclosure-control detectors' ids, one registry
//! line each: the id is the same in the ignore comment, `rules.disable`,
//! the SARIF `ruleId` and `keepopen explain`.

use keepopen_findings::{Category, Severity};

/// One detector's catalogue entry.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub description: &'static str,
    pub references: &'static [&'static str],
}

const DD: &str = "https://www.datadictionary.nhs.uk/attributes/nhs_number.html";
const SDC: &str = "https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018";
const ICO: &str = "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/personal-information-what-is-it/what-is-personal-data/";

use Category::{DisclosureControl as Sdc, PersonalData as Pd};
use Severity::*;

/// Each rule is a named static, so that the detector refers to its rules by
/// name and an unknown id cannot compile.
macro_rules! rules {
    ($($konst:ident = $id:literal, $name:literal, $cat:expr, $sev:expr, $refs:expr, $desc:literal;)+) => {
        $(pub static $konst: Rule = Rule { id: $id, name: $name, category: $cat, severity: $sev, references: $refs, description: $desc };)+
        /// Every rule, in catalogue order.
        pub static RULES: &[&Rule] = &[$(&$konst),+];
    };
}

rules! {
    NHS_NUMBER = "nhs-number", "NHS number", Pd, High, &[DD],
        "A ten-digit NHS number (England, Wales, Isle of Man) that passes the modulus-11 check and lies in an issued range. With a name, a date of birth or a diagnosis beside it, it identifies a patient. A lone number with no words about it is reported at low severity and confidence.";
    HC_NUMBER = "hc-number", "H&C number", Pd, High, &[DD],
        "A Northern Ireland Health and Care number (320 000 001 to 399 999 999) that passes the NHS modulus-11 check.";
    CHI_NUMBER = "chi-number", "CHI number", Pd, High, &["https://www.ndc.scot.nhs.uk/Data-Dictionary/SMR-Datasets/Patient-Identification-and-Demographic-Information/Community-Health-Index-Number/"],
        "A Scottish Community Health Index number: a real date of birth (DDMMYY), a sex digit and a modulus-11 check digit.";
    NHS_NUMBER_TEST_RANGE = "nhs-number-test-range", "Test-range NHS number", Pd, Info, &[DD],
        "A number in the 999 000 0000 to 999 999 9999 range, issued for testing. Informational: never blocking.";
    NATIONAL_INSURANCE_NUMBER = "national-insurance-number", "National Insurance number", Pd, High, &["https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110"],
        "A UK National Insurance number that follows HMRC's prefix rules.";
    POSTCODE = "postcode", "Postcode beside personal data", Pd, Medium, &[ICO],
        "A column of full UK postcodes in a table that also holds identifiers or dates of birth; with them, a postcode narrows a person to a few households.";
    DATE_OF_BIRTH = "date-of-birth", "Date of birth", Pd, Medium, &[ICO],
        "A column of dates of birth in a data file.";
    EMAIL_ADDRESS = "email-address", "E-mail addresses in data", Pd, Medium, &[ICO],
        "A column of e-mail addresses in a data file.";
    PHONE_NUMBER = "phone-number", "Phone numbers in data", Pd, Medium, &[ICO],
        "A column of telephone numbers in a data file.";
    PATIENT_LEVEL_DATA = "patient-level-data", "Patient-level extract", Pd, Critical, &[ICO],
        "A table whose rows combine an identifier (NHS, CHI, H&C or NI number, name, contact details) with quasi-identifiers (date of birth, postcode, sex, dates of admission): a record about each person. Critical when the table sits in a hidden sheet.";
    PEOPLE_CONTACT_LIST = "people-contact-list", "Names with contact details", Pd, Medium, &[ICO],
        "A table of people's names with their e-mail addresses or telephone numbers, and nothing about their health, birth or address: a contact or user list (seed contacts in a migration, a mailing list). A list that also says what its people do (job titles, roles, registration numbers, log-in names, NHS work addresses) is a `staff-personal-data` finding instead. Check it is meant to be public.";
    STAFF_PERSONAL_DATA = "staff-personal-data", "Staff directory", Pd, Medium, &[ICO],
        "A table of staff rather than patients: names or e-mail addresses beside what only a workforce list holds (job titles, roles, qualifications, grades, GMC, NMC or HCPC registration numbers, log-in names, departments, staff numbers, or NHS work e-mail addresses), and nothing about health or birth (an NHS number, a date of birth or a diagnosis makes it a patient table). Personal data of staff: medium; high when the table also holds password hashes (each column of them is a `password-hash` finding too) or home addresses and personal contact details. Seed users in a dump are often real staff copied from a live system: check before publishing.";
    SYNTHETIC_PATIENT_DATA = "synthetic-patient-data", "Synthetic patient table", Pd, Low, &[ICO],
        "A table shaped like a patient-level extract that gives itself away as made up: in a column named for NHS (or CHI, H&C) numbers, most ten-digit values fail the check digit (real extracts pass it throughout; invented numbers about one time in eleven), or none is a ten-digit number at all; or most names are placeholders (John Smith, Joe Bloggs, Test Patient). Low: confirm the names and addresses are made up too.";
    SPREADSHEET_HIDDEN_SHEET = "spreadsheet-hidden-sheet", "Hidden sheet with data", Pd, Medium, &["https://www.ico.org.uk/media/for-organisations/documents/2614719/disclosure-of-personal-information-in-spreadsheets.pdf"],
        "A hidden or very hidden worksheet that holds data of its own. Published workbooks with hidden sheets have disclosed data on thousands of people: the sheet travels with the file. High when the sheet holds personal data.";
    NOTEBOOK_IMAGE_OUTPUT = "notebook-image-output", "Notebook image output", Pd, Info, &[],
        "A Jupyter notebook keeps image outputs (plots, rendered tables) that cannot be read for personal data. Clear outputs before publishing, or check them by eye.";
    DATA_FILE = "data-file", "Binary data file", Pd, Info, &[],
        "A data file that cannot be read safely here (R's .rds and .RData, Parquet, Feather, SPSS, Stata, SAS, SQLite, Access). A review item (`info`, does not block) unless its name suggests records about people (patient, cohort, extract, HES, ...) or it is over 1 MiB: then medium to critical, rising with size and name.";
    CLINICAL_RECORDS = "clinical-records", "Pseudonymised clinical records", Pd, High, &[ICO, "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/data-sharing/anonymisation/pseudonymisation/"],
        "A table of row-level clinical records with no direct identifier, known by its shape: a per-row key (a pseudonym, report, episode or specimen id whose values all differ), clinical content (SNOMED CT, ICD-10 or OPCS-4 codes that repeat from row to row, variant nomenclature such as HGVS c./p., or a results or diagnosis column of text) and something about each event (varied dates, ODS organisation codes, sex). Pseudonymised health data is still personal data under UK GDPR, and special-category data. Code lists, lookups and aggregates do not match.";
    SMALL_NUMBER_UNSUPPRESSED = "small-number-unsuppressed", "Unsuppressed small numbers", Sdc, Medium, &[SDC],
        "A published table of counts below national level whose count column holds values from 1 to 7 (the threshold is configurable). NHS statistical disclosure control for HES and ECDS suppresses counts from 1 to 7 and rounds the others to the nearest 5.";
}

/// What to do about a finding of any of these rules.
pub const FIX: &str = "Remove the data from the repository and from its history (a deleted file stays readable in every clone), and publish code that reads the data from where it is kept instead. For synthetic or test data, use the 999 test range for NHS numbers, or accept the finding with an ignore comment, a baseline or an exclude.";

/// The rules as catalogue entries, for the registry.
pub fn catalogue() -> Vec<keepopen_findings::RuleInfo> {
    RULES
        .iter()
        .map(|r| keepopen_findings::RuleInfo {
            id: r.id.to_string(),
            name: r.name.to_string(),
            description: r.description.to_string(),
            severity: r.severity,
            category: r.category,
            references: r.references.iter().map(|s| s.to_string()).collect(),
            fix: FIX.to_string(),
            kind: keepopen_findings::RuleKind::Logic,
            revoke: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_findable() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                RULES[i + 1..].iter().all(|o| o.id != r.id),
                "{} twice",
                r.id
            );
            assert!(!r.description.is_empty());
        }
        for k in [
            crate::ids::nhs::Kind::Nhs,
            crate::ids::nhs::Kind::Chi,
            crate::ids::nhs::Kind::HealthAndCare,
            crate::ids::nhs::Kind::TestRange,
        ] {
            assert!(
                RULES.iter().any(|r| std::ptr::eq(*r, k.rule())),
                "{}",
                k.rule().id
            );
        }
    }
}
