//! Patient-level extracts (CSV, TSV, pipe, JSON, JSON Lines, SQL inserts)
//! whose identifier column holds valid numbers, and look-alike tables whose
//! ten-digit columns must not be reported.

use super::Builder;
use super::ids::{self, Style};
use super::people::{self, Person};
use super::table::{Column, Delimited, Table};
use crate::rng::Rng;

/// The identifier a patient table is keyed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Nhs,
    Hc,
    Chi,
    Ni,
    TestRange,
}

impl Id {
    pub fn kind(self) -> &'static str {
        match self {
            Id::Nhs => "nhs-number",
            Id::Hc => "hc-number",
            Id::Chi => "chi-number",
            Id::Ni => "national-insurance-number",
            Id::TestRange => "nhs-number-test-range",
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Id::Nhs | Id::TestRange => NHS_NAMES,
            Id::Hc => &["hc_number", "H&C Number", "hcn", "HC_NO"],
            Id::Chi => &["chi_number", "CHI", "chi_no", "CHI Number"],
            Id::Ni => &["ni_number", "NINO", "National Insurance Number", "ni_no"],
        }
    }
}

pub const NHS_NAMES: &[&str] = &[
    "nhs_number",
    "NHS Number",
    "nhsno",
    "NHS_NO",
    "nhs_no",
    "NHSNumber",
    "patient_nhs_number",
];

/// One identifier per person, distinct within the column.
fn id_values(rng: &mut Rng, id: Id, people: &[Person]) -> Vec<String> {
    let style = Style::pick(rng);
    let spaced_ni = rng.chance(20);
    let mut seen = std::collections::BTreeSet::new();
    people
        .iter()
        .map(|p| {
            loop {
                let v = match id {
                    Id::Nhs => style.write(&ids::nhs(rng)),
                    Id::Hc => style.write(&ids::hc(rng)),
                    Id::TestRange => style.write(&ids::test_range(rng)),
                    Id::Chi => ids::chi(rng, &p.dob, p.sex),
                    Id::Ni => ids::ni(rng, spaced_ni),
                };
                if seen.insert(v.clone()) {
                    break v;
                }
            }
        })
        .collect()
}

/// Date of birth, postcode, sex, admission date and sometimes e-mail and
/// phone: the quasi-identifiers that make a table patient-level.
fn quasi_columns(rng: &mut Rng, people: &[Person]) -> Vec<Column> {
    let uk = rng.chance(40);
    let fmt = |d: &str| if uk { people::uk_date(d) } else { d.to_owned() };
    let col = |f: &dyn Fn(&Person) -> String| people.iter().map(f).collect::<Vec<_>>();
    let mut cols = vec![
        Column::labelled(
            rng.pick::<&str>(&["date_of_birth", "dob", "DOB", "Date of Birth"]),
            "date-of-birth",
            col(&|p| fmt(&p.dob)),
        ),
        Column::labelled(
            rng.pick::<&str>(&["postcode", "Postcode", "pcode", "home_postcode"]),
            "postcode",
            col(&|p| p.postcode.clone()),
        ),
        Column::plain(
            rng.pick::<&str>(&["sex", "gender", "Sex"]),
            col(&|p| p.sex.to_string()),
        ),
        Column::plain(
            rng.pick::<&str>(&["admission_date", "admitted", "Admission Date"]),
            col(&|p| fmt(&p.admitted)),
        ),
    ];
    if rng.chance(30) {
        cols.push(Column::labelled(
            "email",
            "email-address",
            col(&|p| p.email.clone()),
        ));
    }
    if rng.chance(30) {
        cols.push(Column::labelled(
            "phone",
            "phone-number",
            col(&|p| p.phone.clone()),
        ));
    }
    cols
}

pub fn patient_table(rng: &mut Rng, id: Id, rows: usize) -> Table {
    let people: Vec<Person> = (0..rows).map(|_| people::person(rng)).collect();
    let mut columns = vec![Column::labelled(
        rng.pick::<&str>(id.names()),
        id.kind(),
        id_values(rng, id, &people),
    )];
    if id == Id::Nhs && rng.chance(25) {
        let name = *rng.pick(Id::Ni.names());
        columns.push(Column::labelled(
            name,
            Id::Ni.kind(),
            id_values(rng, Id::Ni, &people),
        ));
    }
    columns.extend(quasi_columns(rng, &people));
    // The identifier is usually first, sometimes after the dates.
    if rng.chance(30) {
        let first = columns.remove(0);
        columns.insert(2, first);
    }
    Table { columns }
}

/// A decoy value of one sort, as (written, extra labelled values).
pub fn decoy_value(rng: &mut Rng, sort: &str, style: Style) -> (String, Option<String>) {
    match sort {
        "invalid-checksum" => (style.write(&ids::bad_checksum(rng)), None),
        "check-digit-10" => (style.write(&ids::check_ten(rng)), None),
        "repeated-digits" => (ids::repeated(rng), None),
        "outside-ranges" => (ids::outside_ranges(rng), None),
        "unix-timestamp" => (ids::unix_seconds(rng), None),
        "ms-timestamp" => {
            let (whole, inner) = ids::ms_timestamp_embedding(rng);
            (whole, Some(inner))
        }
        _ => {
            let (whole, inner) = ids::card_like_embedding(rng);
            (whole, Some(inner))
        }
    }
}

fn decoy_column(rng: &mut Rng, name: &str, sort: &str, rows: usize) -> Column {
    let style = Style::pick(rng);
    let (mut values, mut hidden) = (Vec::new(), Vec::new());
    for _ in 0..rows {
        let (v, h) = decoy_value(rng, sort, style);
        values.push(v);
        hidden.extend(h);
    }
    let mut c = Column::decoy(name, sort, values);
    c.hidden = hidden;
    c.numeric = !matches!(style, Style::Spaced | Style::Hyphened) && rng.chance(30);
    c
}

/// A patient table whose NHS-number column fails the check (wrong check
/// digit, a check digit of 10, or placeholder repeated digits).
pub fn invalid_nhs_table(rng: &mut Rng, sort: &str, rows: usize) -> Table {
    let people: Vec<Person> = (0..rows).map(|_| people::person(rng)).collect();
    let name = *rng.pick(NHS_NAMES);
    let mut columns = vec![decoy_column(rng, name, sort, rows)];
    if rng.chance(60) {
        columns.extend(quasi_columns(rng, &people));
    } else {
        columns.push(Column::plain(
            "specialty",
            (0..rows)
                .map(|_| (*rng.pick(&["100", "110", "300", "320", "420", "502"])).to_owned())
                .collect(),
        ));
        columns.push(Column::plain(
            "los_days",
            (0..rows).map(|_| rng.range(0, 40).to_string()).collect(),
        ));
    }
    Table { columns }
}

/// Orders, events or payments: ten-digit ids, timestamps and card-like
/// numbers in tables with no patient in them.
pub fn business_table(rng: &mut Rng, sort: &str, rows: usize) -> Table {
    let name = match sort {
        "unix-timestamp" => *rng.pick(&["created_epoch", "updated_at", "ts"]),
        "ms-timestamp" => *rng.pick(&["event_ms", "timestamp_ms", "received_at"]),
        "card-like" => *rng.pick(&["card_number", "pan", "voucher_code"]),
        "invalid-checksum" => *rng.pick(&["account_number", "ref_no"]),
        _ => *rng.pick(&["order_id", "invoice_no", "account_number"]),
    };
    let mut id = decoy_column(rng, name, sort, rows);
    if sort == "invalid-checksum" || sort == "outside-ranges" {
        // Plain digits: ids are not written 3-3-4.
        id.values = id
            .values
            .iter()
            .map(|v| v.replace([' ', '-'], ""))
            .collect();
    }
    let amounts = (0..rows)
        .map(|_| format!("{}.{:02}", rng.range(1, 900), rng.below(100)))
        .collect();
    let status = (0..rows)
        .map(|_| (*rng.pick(&["paid", "pending", "shipped", "void"])).to_owned())
        .collect();
    Table {
        columns: vec![
            id,
            Column::plain("amount", amounts),
            Column::plain("status", status),
        ],
    }
}

const PURPOSES: &[&str] = &[
    "admissions",
    "referrals",
    "discharges",
    "cohort",
    "linkage",
    "outpatients",
    "ae_attendances",
    "waiting_list",
];

/// The formats a table file can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Tsv,
    Pipe,
    Json,
    Jsonl,
    Sql,
}

const BUSINESS: &[&str] = &["orders", "invoices", "payments", "events", "vouchers"];

/// Writes `t` in format `f` under `dir` and labels its columns; `table` is
/// what its rows are (`patients`, or anything else for business data).
pub fn write(b: &mut Builder, rng: &mut Rng, dir: &str, t: &Table, f: Format, table: &str) {
    let purposes = if table == "patients" {
        PURPOSES
    } else {
        BUSINESS
    };
    let stem = format!("{}_{}", people::word(rng), *rng.pick(purposes));
    let delimited = |rng: &mut Rng, sep| Delimited {
        sep,
        bom: rng.chance(25),
        crlf: rng.chance(30),
        quote_all: rng.chance(30),
    };
    let (ext, context, text) = match f {
        Format::Csv => ("csv", "csv", t.delimited(delimited(rng, ','))),
        Format::Tsv => (
            *rng.pick(&["tsv", "txt"]),
            "tsv",
            t.delimited(delimited(rng, '\t')),
        ),
        Format::Pipe => (
            *rng.pick(&["psv", "dat", "txt"]),
            "pipe",
            t.delimited(delimited(rng, '|')),
        ),
        Format::Json => ("json", "json", t.json_array(rng.chance(60))),
        Format::Jsonl => (*rng.pick(&["jsonl", "ndjson"]), "jsonl", t.json_lines()),
        Format::Sql => {
            let head = format!("-- Seed data for the {stem} pipeline\n\n");
            ("sql", "sql", head + &t.sql_insert(table, rng.chance(40)))
        }
    };
    let path = b.path(dir, &stem, ext);
    t.label(b, &path, context);
    b.file(&path, text);
}
