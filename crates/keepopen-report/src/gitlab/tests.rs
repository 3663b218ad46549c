use super::*;
use crate::FormatKind;
use crate::ci_fixture::{nhs_number, render_clean, render_varied};
use crate::fixture::SECRET;

fn report(show_secrets: bool) -> Value {
    serde_json::from_str(&render_varied(FormatKind::Gitlab, show_secrets)).expect("json")
}

#[test]
fn gitlab_report_snapshot() {
    let mut v: Value =
        serde_json::from_str(&crate::fixture::render(FormatKind::Gitlab, false)).expect("json");
    // The scan's times are the clock's.
    v["scan"]["start_time"] = json!("[time]");
    v["scan"]["end_time"] = json!("[time]");
    insta::assert_json_snapshot!(v);
}

#[test]
fn only_sensitive_content_is_a_vulnerability_and_the_rest_is_counted() {
    let v = report(false);
    let rules: Vec<&str> = v["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .map(|x| x["identifiers"][0]["value"].as_str().expect("rule"))
        .collect();
    assert_eq!(
        rules,
        [
            "demo-token",
            "demo-nhs-number",
            "demo-token",
            "demo-internal-host",
            "demo-token"
        ]
    );
    let messages = v["scan"]["messages"].to_string();
    assert!(
        messages.contains("3 findings of other kinds (dependency: 1, posture: 1, code: 1)"),
        "{messages}"
    );
}

#[test]
fn ids_are_the_fingerprints_as_uuids_and_identifiers_name_the_rule() {
    let v = report(false);
    let first = &v["vulnerabilities"][0];
    let fp = keepopen_findings::fingerprint("demo-token", "src/settings.py", SECRET);
    assert_eq!(first["id"], uuid(&fp));
    assert_eq!(first["id"].as_str().map(str::len), Some(36));
    assert_eq!(first["identifiers"][0]["type"], "keepopen_rule_id");
    assert_eq!(first["severity"], "Critical");
    assert_eq!(first["location"]["file"], "src/settings.py");
    assert_eq!(first["location"]["start_line"], 12);
    assert_eq!(
        first["location"]["commit"]["sha"], "0000000",
        "no history, no HEAD"
    );
    assert_eq!(
        first["solution"],
        "Remove it from the files and the history."
    );
}

#[test]
fn a_secret_in_history_names_its_commit() {
    let v = report(false);
    let old = v["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .find(|x| x["location"]["file"] == "config/old.env")
        .expect("the old secret");
    let commit = &old["location"]["commit"];
    assert_eq!(commit["sha"], "0123456789abcdef0123456789abcdef01234567");
    assert_eq!(commit["author"], "A. Developer");
    assert!(
        old["description"]
            .as_str()
            .is_some_and(|d| d.contains("history"))
    );
}

#[test]
fn no_raw_value_unless_asked() {
    let text = render_varied(FormatKind::Gitlab, false);
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains(&nhs_number()), "{text}");
    assert!(!text.contains("raw_source_code_extract"));
    let shown = report(true);
    assert_eq!(
        shown["vulnerabilities"][0]["raw_source_code_extract"],
        SECRET
    );
}

#[test]
fn an_unreadable_file_fails_the_scan_and_says_so() {
    let v = report(false);
    assert_eq!(v["scan"]["status"], "failure");
    assert_eq!(v["scan"]["type"], "secret_detection");
    assert!(
        v["scan"]["messages"]
            .to_string()
            .contains("pack is damaged")
    );
    let clean: Value = serde_json::from_str(&render_clean(FormatKind::Gitlab)).expect("json");
    assert_eq!(clean["scan"]["status"], "success");
    assert_eq!(clean["vulnerabilities"], json!([]));
    assert_eq!(clean["version"], SCHEMA_VERSION);
}

#[test]
fn long_names_are_cut_to_gitlabs_limit() {
    assert_eq!(cut("abcdef", 4), "abc…");
    assert_eq!(cut("abc", 4), "abc");
    assert_eq!(cut(&"é".repeat(300), MAX_NAME).chars().count(), MAX_NAME);
}

#[test]
fn times_are_in_gitlabs_format() {
    assert_eq!(gitlab_time(1_700_000_000), "2023-11-14T22:13:20");
}
