//! Pseudonymised clinical records through the CLI: per-patient test
//! results committed as an analysis output and later deleted are found in
//! history with no NHS number or name in them; a code list, a lookup and
//! an aggregate beside them are not.

use crate::support::*;
use serde_json::Value;

const GENES: &[&str] = &["BRCA1", "BRCA2", "TP53", "MLH1", "PALB2"];
const LABS: &[&str] = &["RJ1", "RGT", "R1K01", "RTD"];

/// One row per genetic test report: a report id, sex, lab, requesting
/// clinician's organisation, date, gene, variant, free-text result.
fn reports(rows: usize) -> String {
    let mut s =
        String::from("report_id,sex,lab_code,requesting_org,date_received,gene,hgvs_c,result\n");
    for i in 0..rows {
        s += &format!(
            "RPT{:07},{},{},{},{:02}/{:02}/2021,{},c.{}G>A,{}\n",
            3_000_000 + i * 17,
            if i % 2 == 0 { "F" } else { "M" },
            LABS[i % LABS.len()],
            LABS[(i + 1) % LABS.len()],
            1 + i % 28,
            1 + i % 12,
            GENES[i % GENES.len()],
            200 + i * 31,
            if i % 4 == 0 {
                "Pathogenic variant detected"
            } else {
                "No pathogenic variant detected"
            }
        );
    }
    s
}

fn code_list() -> String {
    let mut s = String::from("id,icd10_code,description,effective_date\n");
    for i in 0..60 {
        s += &format!(
            "{},C{:02}.{},Neoplasm {i},2020-04-01\n",
            i + 1,
            i / 10,
            i % 10
        );
    }
    s
}

fn aggregate() -> String {
    let mut s = String::from("lab_code,gene,tests,n_pathogenic\n");
    for i in 0..20 {
        s += &format!("{},{},{},{}\n", LABS[i % 4], GENES[i % 5], 100 + i, 10 + i);
    }
    s
}

#[test]
fn pseudonymised_test_results_deleted_from_history_are_clinical_records_and_lookups_are_not() {
    let mut r = Repo::new();
    r.write("README.md", "germline analysis\n");
    r.write("output/results_by_report.csv", reports(120));
    r.write("ref/icd10_codes.csv", code_list());
    r.write("output/summary_by_lab.csv", aggregate());
    r.commit("analysis outputs");
    r.git(&["rm", "-q", "output/results_by_report.csv"]);
    r.commit("remove row-level output");
    let (code, v) = scan_json(r.path(), &[]);
    assert_eq!(code, 1, "{v:#}");
    let fs = findings(&v);
    let clinical: Vec<&Value> = fs
        .iter()
        .filter(|f| f["rule"] == "clinical-records")
        .collect();
    assert_eq!(clinical.len(), 1, "{v:#}");
    let f = clinical[0];
    assert_eq!(f["path"], "output/results_by_report.csv");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["category"], "personal-data");
    assert_eq!(f["in_head"], false, "found in history: {f:#}");
    let context = f["context"].as_str().unwrap_or("");
    for part in [
        "120 rows",
        "per-row key report_id",
        "hgvs_c (variant nomenclature)",
        "date_received (event dates)",
    ] {
        assert!(context.contains(part), "{part}: {context}");
    }
    for quiet in ["ref/icd10_codes.csv", "output/summary_by_lab.csv"] {
        assert!(
            !fs.iter()
                .any(|f| f["path"] == quiet && f["category"] == "personal-data"),
            "{quiet} is not about people: {v:#}"
        );
    }
}
