use super::*;
use crate::fixture;
use keepopen_assessment::{Assessment, Class, Classified, FixStep, Reason, Recommendation};

fn rows() -> Vec<OrgRow> {
    let findings = fixture::findings();
    let blocking = findings.len();
    vec![
        OrgRow {
            path: "clones/booking-service".into(),
            remote: Some("https://github.com/nhs-example/booking-service.git".into()),
            visibility: Some("public".into()),
            assessed: Some(Assessed {
                register: Vec::new(),
                root: "clones/booking-service".into(),
                assessment: Assessment {
                    class: Classified {
                        class: Class::Service,
                        evidence: vec!["flask in requirements.txt".into()],
                    },
                    recommendation: Recommendation::OpenAfterFixes,
                    reasons: vec![Reason {
                        rule: "policy-blocking",
                        text: "2 findings block.".into(),
                    }],
                    fixes: vec![FixStep {
                        kind: "rotate-credentials".into(),
                        title: "Rotate 2 leaked credentials".into(),
                        actions: vec!["Revoke it.".into()],
                        findings: vec![],
                    }],
                },
            }),
            posture_score: Some(7.25),
            last_commit: Some(1_780_000_000),
            findings,
            blocking,
            errors: vec![],
            scanned: Some(keepopen_findings::Stats {
                blobs: 12,
                bytes: 3400,
                commits: 5,
                ..Default::default()
            }),
        },
        OrgRow {
            path: "=HYPERLINK(\"x\")".into(),
            remote: None,
            visibility: None,
            assessed: None,
            posture_score: None,
            last_commit: None,
            findings: vec![],
            blocking: 0,
            errors: vec!["not a git repository or folder".into()],
            scanned: None,
        },
    ]
}

#[test]
fn the_org_json_follows_its_published_schema() {
    let rows: Vec<Value> = rows().iter().map(OrgRow::to_json).collect();
    let report = OrgReport {
        rows: &rows,
        shard: Some((0, 2)),
    };
    let v = report.to_json();
    let schema: Value = serde_json::from_str(ORG_SCHEMA).expect("schema");
    let errors = fixture::check_schema(&schema, &v, "$", &schema);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["summary"]["by_recommendation"]["open-after-fixes"], 1);
    assert_eq!(v["summary"]["by_recommendation"]["error"], 1);
    assert_eq!(v["repositories"][0]["class"], "service");
    assert_eq!(v["repositories"][0]["posture_score"], 7.3);
    assert_eq!(v["repositories"][1]["recommendation"], "error");
    assert_eq!(v["shard"], "0/2");
    assert_eq!(v["repositories"][0]["scanned"]["blobs"], 12);
    let mut bad = v.clone();
    bad["repositories"][0]["recommendation"] = "close".into();
    assert!(!fixture::check_schema(&schema, &bad, "$", &schema).is_empty());
}

#[test]
fn every_format_has_a_row_per_repository_and_csv_cells_cannot_run() {
    let rows: Vec<Value> = rows().iter().map(OrgRow::to_json).collect();
    let report = OrgReport {
        rows: &rows,
        shard: None,
    };
    let mut csv = Vec::new();
    report.write_csv(&mut csv).expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    assert!(csv.contains("open-after-fixes,service"), "{csv}");
    for write in [OrgReport::write_markdown, OrgReport::write_human] {
        let mut out = Vec::new();
        write(&report, &mut out).expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("booking-service"), "{text}");
        assert!(text.contains("Rotate 2 leaked credentials"), "{text}");
        assert!(text.contains("not a git repository"), "{text}");
        assert!(!text.contains(fixture::SECRET), "{text}");
    }
}
