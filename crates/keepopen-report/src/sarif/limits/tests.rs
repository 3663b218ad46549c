use super::*;
use crate::FormatKind;
use crate::ci_fixture::{finding, render, rules};
use crate::schema_tests::assert_valid_json;
use keepopen_findings::{Category, Finding};

/// `n` findings at distinct paths; every `blocking_every`-th is a
/// critical secret that blocks, the others low and not blocking.
fn many(n: usize, blocking_every: usize) -> Vec<Finding> {
    (0..n)
        .map(|i| {
            let severity = if i % blocking_every == 0 {
                Severity::Critical
            } else if i % 2 == 0 {
                Severity::Low
            } else {
                Severity::Medium
            };
            finding(
                "demo-token",
                Category::Secret,
                severity,
                &format!("src/module{i}/settings.py"),
                3,
                &format!("value-{i}"),
            )
        })
        .collect()
}

/// Text gzip cannot shrink much: a xorshift stream over 64 symbols.
fn noise(seed: u64, len: usize) -> String {
    const SYMBOLS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            SYMBOLS[(x % 64) as usize] as char
        })
        .collect()
}

fn run(v: &Value) -> &Value {
    &v["runs"][0]
}

fn gzipped(text: &str) -> usize {
    gzipped_len(text.as_bytes()).expect("gzip")
}

#[test]
fn more_than_25000_results_keep_the_blocking_ones_and_say_what_was_left_out() {
    let findings = many(MAX_RESULTS + 10, 7);
    let text = render(FormatKind::Sarif, &findings, &[], &rules(), false);
    let v: Value = serde_json::from_str(&text).expect("json");
    let results = run(&v)["results"].as_array().expect("results");
    assert_eq!(results.len(), MAX_RESULTS);
    let critical = findings
        .iter()
        .filter(|f| f.m.severity == Severity::Critical)
        .count();
    let kept_critical = results
        .iter()
        .filter(|r| r["properties"]["severity"] == "critical")
        .count();
    assert_eq!(kept_critical, critical, "no blocking result is left out");
    let left = &run(&v)["properties"]["resultsLeftOut"];
    assert_eq!(left["count"], 10);
    assert_eq!(left["blocking"], 0);
    assert_eq!(left["reason"], "results-per-run");
    // Low goes before medium.
    assert_eq!(left["bySeverity"], json!({ "low": 10 }));
    let note = run(&v)["invocations"][0]["toolExecutionNotifications"].to_string();
    assert!(note.contains("10 results were left out"), "{note}");
    assert_valid_json("sarif-schema-2.1.0.json", &text);
}

#[test]
fn a_log_over_10_mb_gzipped_is_cut_to_fit_lowest_severity_first() {
    let mut findings = many(8000, 10);
    for (i, f) in findings.iter_mut().enumerate() {
        f.m.context = noise(i as u64, 2000);
    }
    let full = {
        let r = rules();
        let stats = keepopen_findings::Stats::default();
        let rep = crate::Report::plain(&findings, &[], &stats, &r);
        let all: Vec<usize> = (0..findings.len()).collect();
        serde_json::to_string_pretty(&crate::sarif::document(&rep, &all, None)).expect("json")
    };
    assert!(
        gzipped(&full) > MAX_GZIP_BYTES,
        "the test's log must overflow"
    );

    let text = render(FormatKind::Sarif, &findings, &[], &rules(), false);
    assert!(gzipped(&text) <= MAX_GZIP_BYTES);
    let v: Value = serde_json::from_str(&text).expect("json");
    let results = run(&v)["results"].as_array().expect("results");
    assert!(results.len() < findings.len() && results.len() > findings.len() / 2);
    let kept = |s: &str| {
        results
            .iter()
            .filter(|r| r["properties"]["severity"] == s)
            .count()
    };
    assert_eq!(kept("critical"), 800, "every blocking result stays");
    assert_eq!(kept("medium"), 4000, "low goes before medium");
    let left = &run(&v)["properties"]["resultsLeftOut"];
    assert_eq!(left["reason"], "size");
    assert_eq!(left["bySeverity"], json!({ "low": 3200 - kept("low") }));
    assert_eq!(left["blocking"], 0);
    assert_eq!(
        left["count"].as_u64(),
        Some((findings.len() - results.len()) as u64)
    );
    let note = run(&v)["invocations"][0]["toolExecutionNotifications"].to_string();
    assert!(note.contains("10 MB gzip upload limit"), "{note}");
    assert_valid_json("sarif-schema-2.1.0.json", &text);
}

#[test]
fn the_ranking_puts_blocking_first_then_severity_then_report_order() {
    let findings = many(6, 3);
    let r = rules();
    let stats = keepopen_findings::Stats::default();
    let rep = crate::Report::plain(&findings, &[], &stats, &r);
    // 0 and 3 critical; 1 and 5 medium; 2 and 4 low.
    assert_eq!(ranked(&rep), [0, 3, 1, 5, 2, 4]);
}

#[test]
fn no_rule_carries_more_tags_than_code_scanning_takes() {
    let v: Value =
        serde_json::from_str(&crate::fixture::render(FormatKind::Sarif, false)).expect("json");
    for rule in run(&v)["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
    {
        let tags = rule["properties"]["tags"].as_array().map_or(0, Vec::len);
        assert!(tags <= 10, "{rule}");
    }
    for res in run(&v)["results"].as_array().expect("results") {
        assert_eq!(res["locations"].as_array().map(Vec::len), Some(1));
    }
}
