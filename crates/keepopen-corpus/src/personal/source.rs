//! Numbers in source code: comments and strings that say NHS number or
//! patient next to a valid number (one unit per value), the same with
//! numbers that fail the check and other look-alikes (decoys), and valid
//! numbers with no context at all (lone).

use super::Builder;
use super::filler::{Filler, Lang};
use super::ids::{self, Style};
use super::people;
use super::tables::{self, Id};
use crate::rng::Rng;

/// `{c}` is the comment marker, `{n}` the number, `{w}` a word.
fn context_line(rng: &mut Rng, lang: Lang, what: &str) -> (String, &'static str) {
    let code: &[&str] = match lang {
        Lang::Python => &["EXAMPLE_PATIENT_{W} = \"{n}\"  # patient from the ward extract"],
        Lang::R => &["patient_{w} <- \"{n}\"  # patient used in the validation report"],
        Lang::Sql => &["SELECT * FROM patients WHERE {w} = '{n}'; -- patient from incident review"],
        Lang::CSharp => {
            &["var patient = new Patient { Id = \"{n}\" }; // {what} of the patient seen in clinic"]
        }
        Lang::TypeScript => &["const patient{C} = \"{n}\"; // {what} of the demo patient"],
    };
    let comments = [
        "{c} test patient {what} {n}",
        "{c} patient {word} ({what} {n}) was dropped by the dedupe step",
        "{c} TODO remove before publishing: {what} {n}, patient discharged",
        "{c} e.g. {what}: {n} (patient in the pilot cohort)",
    ];
    let (t, context) = if rng.chance(35) {
        (*rng.pick(code), "string")
    } else {
        (*rng.pick(&comments), "comment")
    };
    let key = match what {
        "CHI number" => "chi_number",
        "H&C number" => "hc_number",
        "National Insurance number" => "ni_number",
        _ => "nhs_number",
    };
    let line = t
        .replace("{c}", lang.comment())
        .replace("{what}", what)
        .replace("{word}", people::word(rng))
        .replace("{w}", key)
        .replace("{W}", &key.to_uppercase())
        .replace("{C}", &camel(key));
    (line, context)
}

/// `nhs_number` → `NhsNumber`.
fn camel(key: &str) -> String {
    key.split('_')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect()
}

fn what(id: Id) -> &'static str {
    match id {
        Id::Nhs | Id::TestRange => "NHS number",
        Id::Hc => "H&C number",
        Id::Chi => "CHI number",
        Id::Ni => "National Insurance number",
    }
}

fn value(rng: &mut Rng, id: Id, style: Style) -> String {
    match id {
        Id::Nhs => style.write(&ids::nhs(rng)),
        Id::Hc => style.write(&ids::hc(rng)),
        Id::TestRange => style.write(&ids::test_range(rng)),
        Id::Chi => {
            let p = people::person(rng);
            ids::chi(rng, &p.dob, p.sex)
        }
        Id::Ni => {
            let spaced = rng.chance(30);
            ids::ni(rng, spaced)
        }
    }
}

/// One planted line and its unit.
struct Line {
    text: String,
    kind: &'static str,
    context: &'static str,
    values: Vec<String>,
    decoy: Option<&'static str>,
    tolerate: bool,
}

fn write_file(b: &mut Builder, rng: &mut Rng, filler: &mut Filler, lang: Lang, lines: Vec<Line>) {
    let (stem, code) = filler.code(rng, lang);
    let path = b.path(lang.dir(), &stem, lang.ext());
    let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    let (text, numbers) = super::filler::splice(rng, &code, &texts);
    for (l, n) in lines.into_iter().zip(numbers) {
        let u = b.unit(l.kind, &path, l.context, l.values);
        u.line = Some(n);
        u.decoy = l.decoy.map(String::from);
        if l.tolerate {
            u.tolerate = vec!["phone-number".to_owned()];
        }
    }
    b.file(&path, text);
}

/// A source file with one to three valid identifiers in context.
pub fn positive(b: &mut Builder, rng: &mut Rng, filler: &mut Filler, lang: Lang, ids: &[Id]) {
    let style = Style::pick(rng);
    let lines = ids
        .iter()
        .map(|&id| {
            let v = value(rng, id, style);
            let (t, context) = context_line(rng, lang, what(id));
            Line {
                text: t.replace("{n}", &v),
                kind: id.kind(),
                context,
                values: vec![v],
                decoy: None,
                tolerate: false,
            }
        })
        .collect();
    write_file(b, rng, filler, lang, lines);
}

/// Free text around a decoy of each sort, always near the word patient.
fn decoy_line(rng: &mut Rng, lang: Lang, sort: &'static str, style: Style) -> Line {
    let (v, hidden) = match sort {
        "phone" => (people::phone(rng), None),
        _ => tables::decoy_value(rng, sort, style),
    };
    let text = match sort {
        "invalid-checksum" | "check-digit-10" | "repeated-digits" => {
            context_line(rng, lang, "NHS number").0.replace("{n}", &v)
        }
        "phone" => format!(
            "{} patient contact line {v} (NHS 111 out of hours)",
            lang.comment()
        ),
        "unix-timestamp" => format!(
            "{} patient record last updated {v} (epoch seconds)",
            lang.comment()
        ),
        "outside-ranges" => format!("{} patient transport order {v}", lang.comment()),
        "ms-timestamp" => format!("{} patient event received at {v} ms", lang.comment()),
        _ => format!("{} voucher {v} issued to the patient", lang.comment()),
    };
    let mut values = vec![v];
    values.extend(hidden);
    Line {
        text,
        kind: "decoy",
        context: "comment",
        values,
        decoy: Some(sort),
        tolerate: sort == "phone",
    }
}

pub const SOURCE_DECOYS: &[&str] = &[
    "invalid-checksum",
    "check-digit-10",
    "repeated-digits",
    "phone",
    "unix-timestamp",
    "outside-ranges",
    "ms-timestamp",
    "card-like",
];

/// A source file with one to three decoys of the given sorts.
pub fn decoys(
    b: &mut Builder,
    rng: &mut Rng,
    filler: &mut Filler,
    lang: Lang,
    sorts: &[&'static str],
) {
    let style = Style::pick(rng);
    let lines = sorts
        .iter()
        .map(|s| decoy_line(rng, lang, s, style))
        .collect();
    write_file(b, rng, filler, lang, lines);
}

/// A valid NHS number as a bare constant in code that holds no data and
/// says nothing about patients.
pub fn lone(b: &mut Builder, rng: &mut Rng, filler: &mut Filler, lang: Lang) {
    let v = ids::nhs(rng);
    let name = *rng.pick(&["BUFFER_LIMIT", "HASH_SEED", "MAX_OFFSET", "MAGIC"]);
    let text = match lang {
        Lang::Python => format!("_{name} = {v}"),
        Lang::R => format!("{} <- {v}", name.to_lowercase()),
        Lang::Sql => format!("SET @{} = {v};", name.to_lowercase()),
        Lang::CSharp => format!("        private const long {name} = {v};"),
        Lang::TypeScript => format!("export const {name} = {v};"),
    };
    write_file(
        b,
        rng,
        filler,
        lang,
        vec![Line {
            text,
            kind: "nhs-number-lone",
            context: "constant",
            values: vec![v],
            decoy: None,
            tolerate: false,
        }],
    );
}

/// A code file with nothing planted: anything reported in it is a false
/// positive (unless it is a valid number found by the lone-number pass).
pub fn plain(b: &mut Builder, rng: &mut Rng, filler: &mut Filler, lang: Lang) {
    write_file(b, rng, filler, lang, Vec::new());
}
