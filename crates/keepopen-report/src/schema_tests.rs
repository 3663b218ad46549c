//! The CI formats against the schemas their readers publish, vendored in
//! `tests/schemas/` (see its README for sources and versions): SARIF 2.1.0
//! and GitLab's secret-detection report with the `jsonschema` crate, JUnit
//! XML with `xmllint` and the Ant/Jenkins `junit-10.xsd`.

use crate::FormatKind;
use crate::ci_fixture::{render_clean, render_varied};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn schema_path(name: &str) -> String {
    format!("{}/tests/schemas/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn json_schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(schema_path(name)).expect("vendored schema");
    let mut schema: Value = serde_json::from_str(&text).expect("schema is json");
    // The vendored SARIF text predates the OASIS errata that fixed the
    // `language` patterns of a run and a tool component (a stray `]`, not
    // a valid ECMA regex, so the schema fails its own meta-schema): apply
    // that fix in memory, as the errata text has it, and leave the file as
    // published.
    errata_language_pattern(&mut schema);
    jsonschema::draft7::new(&schema).expect("schema compiles")
}

fn errata_language_pattern(v: &mut Value) {
    match v {
        Value::String(p) if p == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
            *p = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
        }
        Value::Object(m) => m.values_mut().for_each(errata_language_pattern),
        Value::Array(a) => a.iter_mut().for_each(errata_language_pattern),
        _ => {}
    }
}

/// Fails with every violation, each with where it is.
pub(crate) fn assert_valid_json(schema: &str, doc: &str) {
    let validator = json_schema(schema);
    let v: Value = serde_json::from_str(doc).expect("output is json");
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema}: {}", errors.join("\n"));
}

/// Validates `xml` with xmllint against the JUnit XSD. Without xmllint the
/// check is skipped with a message, unless `KEEPOPEN_REQUIRE_TOOLS=1` (as
/// CI sets), when a missing xmllint fails the test.
pub(crate) fn assert_valid_junit(xml: &str) {
    let required = std::env::var("KEEPOPEN_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    let child = Command::new("xmllint")
        .args(["--noout", "--schema", &schema_path("junit-10.xsd"), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            eprintln!(
                "xmllint not found (apt-get install libxml2-utils): JUnit schema check skipped"
            );
            return;
        }
        Err(e) => panic!("xmllint is required (KEEPOPEN_REQUIRE_TOOLS=1) and could not run: {e}"),
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(xml.as_bytes())
        .expect("write to xmllint");
    let out = child.wait_with_output().expect("xmllint runs");
    assert!(
        out.status.success(),
        "xmllint rejects the JUnit XML:\n{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_of_every_kind_of_finding_is_valid_sarif_2_1_0() {
    for show in [false, true] {
        assert_valid_json(
            "sarif-schema-2.1.0.json",
            &render_varied(FormatKind::Sarif, show),
        );
    }
    assert_valid_json("sarif-schema-2.1.0.json", &render_clean(FormatKind::Sarif));
}

#[test]
fn the_sample_report_with_posture_is_valid_sarif_2_1_0() {
    let posture = crate::fixture::posture();
    let text = crate::fixture::render_with(FormatKind::Sarif, false, Some(&posture));
    assert_valid_json("sarif-schema-2.1.0.json", &text);
}

#[test]
fn gitlab_report_of_every_kind_of_finding_is_valid_against_gitlabs_schema() {
    for show in [false, true] {
        assert_valid_json(
            "secret-detection-report-format.json",
            &render_varied(FormatKind::Gitlab, show),
        );
    }
    assert_valid_json(
        "secret-detection-report-format.json",
        &render_clean(FormatKind::Gitlab),
    );
}

#[test]
fn junit_of_every_kind_of_finding_is_valid_against_the_junit_xsd() {
    assert_valid_junit(&render_varied(FormatKind::Junit, false));
    assert_valid_junit(&render_varied(FormatKind::Junit, true));
    assert_valid_junit(&render_clean(FormatKind::Junit));
}

/// The checker itself: a document the XSD forbids must fail, or a passing
/// test above proves nothing.
#[test]
fn xmllint_rejects_what_the_junit_xsd_forbids() {
    if Command::new("xmllint").arg("--version").output().is_err() {
        let required = std::env::var("KEEPOPEN_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(!required, "xmllint is required (KEEPOPEN_REQUIRE_TOOLS=1)");
        eprintln!("xmllint not found: skipped");
        return;
    }
    let bad = "<testsuites><testsuite name=\"x\"><testcase/></testsuite></testsuites>";
    let result = std::panic::catch_unwind(|| assert_valid_junit(bad));
    assert!(result.is_err(), "a testsuite without counts passed the XSD");
}

#[test]
fn the_json_checker_rejects_an_invalid_gitlab_report() {
    let validator = json_schema("secret-detection-report-format.json");
    let mut v: Value =
        serde_json::from_str(&render_varied(FormatKind::Gitlab, false)).expect("json");
    v["vulnerabilities"][0]["severity"] = Value::from("Severe");
    assert!(!validator.is_valid(&v));
}
