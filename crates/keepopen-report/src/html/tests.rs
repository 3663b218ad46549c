//! The HTML report's size at organisation scale: each repository lists its
//! most severe findings within the budget and counts the rest.

use super::*;

fn finding(repo: &str, n: u32, severity: Severity) -> HtmlFinding {
    HtmlFinding {
        repository: repo.into(),
        rule: "generic-api-key".into(),
        category: Category::Secret,
        severity,
        path: format!("src/f{n}.py"),
        line: n,
        commit: None,
        commit_time: None,
        in_head: true,
        redacted: "ab****yz".into(),
        context: format!("KEY_{n} = \"ab****yz\""),
        detail: None,
        triage: None,
        fingerprint: format!("fp{n}"),
    }
}

#[test]
fn a_large_organisation_lists_the_most_severe_findings_and_counts_the_rest() {
    let rows: Vec<Value> = (0..2000)
        .map(|i| serde_json::json!({"path": format!("r{i:04}"), "recommendation": "open", "findings": {"total": 30}}))
        .collect();
    let mut findings = Vec::new();
    for i in 0..2000 {
        for n in 0..30 {
            let s = if n == 29 {
                Severity::Critical
            } else {
                Severity::Low
            };
            findings.push(finding(&format!("r{i:04}"), n, s));
        }
    }
    let mut out = Vec::new();
    OrgReport {
        rows: &rows,
        shard: None,
    }
    .write_html(
        &findings,
        &HtmlMeta {
            run: "run 1".into(),
            started: None,
        },
        &mut out,
    )
    .expect("written");
    let html = String::from_utf8(out).expect("UTF-8");
    // 12,000 over 2,000 repositories is 6: each lists its floor of 10.
    assert_eq!(
        html.matches("The 10 most severe of 30 findings are listed; the other 20")
            .count(),
        2000
    );
    assert_eq!(
        html.matches("KEY_29 =").count(),
        2000,
        "the critical one is always listed"
    );
    assert_eq!(html.matches("<td class=\"s-low\">").count(), 2000 * 9);
    // The glance counts every finding, listed or not.
    assert!(html.contains("<td class=\"n\">2000</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">58000</td>"));

    // A small organisation lists everything.
    let mut out = Vec::new();
    OrgReport {
        rows: &rows[..3],
        shard: None,
    }
    .write_html(
        &findings[..90],
        &HtmlMeta {
            run: "run 1".into(),
            started: None,
        },
        &mut out,
    )
    .expect("written");
    let html = String::from_utf8(out).expect("UTF-8");
    assert!(!html.contains("most severe of"));
    assert_eq!(html.matches("<td class=\"s-low\">").count(), 87);
}
