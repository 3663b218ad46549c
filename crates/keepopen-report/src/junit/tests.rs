use super::*;
use crate::FormatKind;
use crate::ci_fixture::{ODD_PATH, nhs_number, render_clean, render_varied};
use crate::fixture::SECRET;

/// The value of `attr` in the first tag that starts `tag`.
fn attr(tag: &str, attr: &str) -> usize {
    let key = format!(" {attr}=\"");
    let start = tag.find(&key).expect(attr) + key.len();
    tag[start..start + tag[start..].find('"').expect("quote")]
        .parse()
        .expect("a count")
}

/// Each `<testsuite>` element: its opening tag and its body.
fn suites(xml: &str) -> Vec<(String, String)> {
    xml.split("<testsuite ")
        .skip(1)
        .map(|s| {
            let end = s.find('>').expect("tag end");
            (s[..end].to_string(), s[end..].to_string())
        })
        .collect()
}

#[test]
fn junit_report_snapshot() {
    insta::assert_snapshot!(crate::fixture::render(FormatKind::Junit, false));
}

#[test]
fn every_count_is_the_number_of_cases_that_say_so() {
    let xml = render_varied(FormatKind::Junit, false);
    let mut total = (0, 0, 0);
    for (tag, body) in suites(&xml) {
        let cases = body.matches("<testcase ").count();
        let failures = body.matches("<failure ").count();
        let errors = body.matches("<error ").count();
        let skipped = body.matches("<skipped ").count();
        assert_eq!(attr(&tag, "tests"), cases, "{tag}");
        assert_eq!(attr(&tag, "failures"), failures, "{tag}");
        assert_eq!(attr(&tag, "errors"), errors, "{tag}");
        assert_eq!(attr(&tag, "skipped"), skipped, "{tag}");
        total = (total.0 + cases, total.1 + failures, total.2 + errors);
    }
    let root = &xml[xml.find("<testsuites ").expect("root")..];
    assert_eq!(attr(root, "tests"), total.0);
    assert_eq!(attr(root, "failures"), total.1);
    assert_eq!(attr(root, "errors"), total.2);
    // At high: the critical secret, the NHS number, the advisory, the code
    // weakness and the secret in history block; the rest do not.
    assert_eq!(total.1, 5, "{xml}");
    assert_eq!(total.2, 1, "the unreadable pack is an error case");
}

#[test]
fn one_suite_per_category_and_one_for_the_scan() {
    let xml = render_varied(FormatKind::Junit, false);
    let names: Vec<String> = suites(&xml)
        .iter()
        .map(|(tag, _)| tag.split('"').nth(1).expect("name").to_string())
        .collect();
    assert_eq!(
        names,
        [
            "keepopen: secret",
            "keepopen: personal-data",
            "keepopen: dependency",
            "keepopen: posture",
            "keepopen: code",
            "keepopen: exposure",
            "keepopen: scan"
        ]
    );
    assert!(
        xml.contains("classname=\"keepopen.code.demo-sql\" name=\"app/views.py: Demo demo-sql\"")
    );
    assert!(xml.contains("<error type=\"unreadable\" message=\"pack is damaged\"/>"));
    assert!(xml.contains("<system-out>dependencies: PyPI: 12 packages checked</system-out>"));
}

#[test]
fn a_blocking_failure_says_what_where_and_how_to_fix() {
    let xml = render_varied(FormatKind::Junit, false);
    let at = xml
        .find("message=\"Demo demo-token at src/settings.py:12\"")
        .expect("the failure's message");
    let failure = &xml[at..at + xml[at..].find("</failure>").expect("end")];
    for want in [
        "Severity: critical",
        "Fix: Remove it from the files and the history.",
        "Fingerprint: ",
        "Context: value = ",
    ] {
        assert!(failure.contains(want), "{want} in {failure}");
    }
    assert!(xml.contains("<failure type=\"critical\""));
}

#[test]
fn no_raw_value_unless_asked() {
    let xml = render_varied(FormatKind::Junit, false);
    assert!(!xml.contains(SECRET), "{xml}");
    assert!(!xml.contains(&nhs_number()), "{xml}");
    let shown = render_varied(FormatKind::Junit, true);
    assert!(shown.contains(&format!("Value: {SECRET}")));
}

#[test]
fn markup_and_control_characters_in_a_path_cannot_break_the_document() {
    let xml = render_varied(FormatKind::Junit, false);
    assert!(!xml.contains(ODD_PATH));
    assert!(!xml.contains('\u{7}'));
    assert!(
        xml.contains("odd/&lt;&amp;&quot;&gt;\\x07name.txt:2"),
        "{xml}"
    );
    assert_eq!(escape("a\u{1}b\u{fffe}"), "a\u{fffd}b\u{fffd}");
    assert_eq!(escape("x\ny'"), "x&#10;y&apos;");
}

#[test]
fn a_clean_scan_shows_one_passing_case() {
    let xml = render_clean(FormatKind::Junit);
    assert!(
        xml.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
        "{xml}"
    );
    assert!(xml.contains("name=\"no blocking findings (at or above high)\"/>"));
}
