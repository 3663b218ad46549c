//! Issue 11, F1: a finding's context line never shows a value that another
//! finding (or a rule that did not report it) would redact. Every format is
//! checked, with and without `--show-secrets`, which shows a finding's own
//! value in its own value field and nowhere else.

use crate::support::*;
use serde_json::Value;

const FORMATS: [&str; 7] = [
    "json", "human", "sarif", "markdown", "csv", "junit", "gitlab",
];

fn render(r: &Repo, format: &str, extra: &[&str]) -> String {
    render_with_code(r, format, extra).1
}

/// Every format, redacted, then JSON with `--show-secrets` less each
/// finding's own `secret` field: none may hold any of `raw`. Returns the
/// JSON findings.
fn assert_nowhere_raw(r: &Repo, raw: &[String]) -> Vec<Value> {
    for format in FORMATS {
        let text = render(r, format, &[]);
        for v in raw {
            assert!(!text.contains(v.as_str()), "{format} shows {v}:\n{text}");
        }
    }
    let (_, mut v) = scan_json(r.path(), &[]);
    let found = findings(&v);
    for f in v["findings"].as_array_mut().expect("findings") {
        f.as_object_mut().expect("a finding").remove("secret");
    }
    let text = v.to_string();
    for value in raw {
        assert!(
            !text.contains(value.as_str()),
            "--show-secrets shows {value} outside its own field:\n{v:#}"
        );
    }
    found
}

fn rules_at(found: &[Value], path: &str) -> Vec<String> {
    found
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn two_tokens_on_one_line_do_not_show_each_other() {
    let mut r = Repo::new();
    let (a, b) = (github_token(301), github_token(302));
    r.write("config.env", format!("A={a} B={b}\n"));
    r.commit("two tokens");
    let found = assert_nowhere_raw(&r, &[a.clone(), b.clone()]);
    assert_eq!(rules_at(&found, "config.env").len(), 2, "{found:#?}");
    for f in &found {
        let ctx = f["context"].as_str().expect("context");
        assert!(
            ctx.starts_with("A=ghp_*") && ctx.contains(" B=ghp_*"),
            "{ctx}"
        );
        // --show-secrets still shows each finding its own value.
        assert!([&a, &b].contains(&&f["secret"].as_str().unwrap_or("").to_string()));
    }
}

#[test]
fn an_aws_key_id_and_its_secret_on_one_line_are_both_masked() {
    let mut r = Repo::new();
    let id = aws_key_id(303);
    let secret = random_chars(
        304,
        40,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+",
    );
    r.write(
        "deploy.sh",
        format!("aws configure set aws_access_key_id {id} aws_secret_access_key {secret}\n"),
    );
    r.commit("aws pair");
    let found = assert_nowhere_raw(&r, &[id, secret]);
    assert!(!rules_at(&found, "deploy.sh").is_empty(), "{found:#?}");
}

#[test]
fn a_token_in_a_one_line_notebook_does_not_show_the_patient_beside_it() {
    let mut r = Repo::new();
    let (token, nhs, dob) = (github_token(305), nhs_number(306), "1987-03-12");
    let notebook = format!(
        r#"{{"cells":[{{"cell_type":"code","metadata":{{}},"outputs":[],"source":["TOKEN = \"{token}\"\n","patient = {{\"nhs_number\": \"{nhs}\", \"date_of_birth\": \"{dob}\"}}\n"]}}],"metadata":{{}},"nbformat":4,"nbformat_minor":5}}"#
    );
    r.write("analysis.ipynb", notebook);
    r.commit("notebook");
    let raw = [token, nhs.clone(), spaced(&nhs), dob.to_string()];
    let found = assert_nowhere_raw(&r, &raw);
    assert!(!rules_at(&found, "analysis.ipynb").is_empty(), "{found:#?}");
}

#[test]
fn free_text_beside_an_nhs_number_shows_no_date_of_birth_or_postcode() {
    let mut r = Repo::new();
    let nhs = spaced(&nhs_number(307));
    r.write(
        "notes.txt",
        format!(
            "Patient NHS number {nhs}, date of birth 12/03/1987, postcode LS1 4AP, seen today.\n"
        ),
    );
    r.commit("notes");
    let raw = [nhs, nhs_number(307), "12/03/1987".into(), "LS1 4AP".into()];
    let found = assert_nowhere_raw(&r, &raw);
    assert!(!rules_at(&found, "notes.txt").is_empty(), "{found:#?}");
}

/// Random pairs of secrets and identifiers planted on one line each, with
/// random key names and separators, in the working tree and in history.
#[test]
fn random_pairs_on_one_line_never_show_a_raw_value_in_any_format() {
    let mut r = Repo::new();
    let mut raw = Vec::new();
    let mut seed = 4_000u64;
    let mut next = || {
        seed += 1;
        seed
    };
    let value = |kind: u64, s: u64| -> String {
        match kind % 6 {
            0 => github_token(s),
            1 => aws_key_id(s),
            2 => nhs_number(s as u32),
            3 => spaced(&nhs_number(s as u32)),
            4 => format!("{}-0{}-1{}", 1940 + s % 60, 1 + s % 9, s % 10),
            _ => format!("LS{} {}AB", 1 + s % 9, s % 10),
        }
    };
    let keys = ["token", "nhs_number", "API_KEY", "dob", "patient", "secret"];
    let seps = [" = ", ": ", "=\"", " ", ", "];
    for file in 0..12 {
        let (k1, k2, s1, s2) = (next(), next(), next(), next());
        let (a, b) = (value(k1, s1), value(k2, s2));
        let line = format!(
            "{}{}{a}  {}{}{b}\n",
            keys[(k1 % 6) as usize],
            seps[(s1 % 5) as usize],
            keys[(k2 % 6) as usize],
            seps[(s2 % 5) as usize],
        );
        r.write(&format!("f{file}.txt"), line);
        if file % 3 == 0 {
            r.commit("part");
        }
        raw.extend([a, b]);
    }
    r.commit("the rest");
    assert_nowhere_raw(&r, &raw);
}
