//! Every format on one real repository: redacted unless asked, and the
//! shapes reviewers and code scanning rely on.

use crate::support::*;

fn sample() -> (Repo, String) {
    let mut r = Repo::new();
    let token = github_token(200);
    r.write(
        "src/deploy.py",
        format!("import requests\nTOKEN = \"{token}\"\n"),
    );
    r.commit("deploy script");
    (r, token)
}

fn render(r: &Repo, format: &str, extra: &[&str]) -> String {
    let (code, text) = render_with_code(r, format, extra);
    assert_eq!(code, Some(1), "{text}");
    text
}

#[test]
fn no_format_shows_the_secret_unless_asked() {
    let (r, token) = sample();
    for format in ["human", "json", "sarif", "markdown", "csv"] {
        let text = render(&r, format, &[]);
        assert!(
            !text.contains(&token),
            "{format} leaked the secret:\n{text}"
        );
        assert!(text.contains("src/deploy.py"), "{format} names the file");
        let shown = render(&r, format, &["--show-secrets"]);
        if format != "sarif" && format != "markdown" {
            assert!(
                shown.contains(&token),
                "{format} shows the secret with --show-secrets"
            );
        }
    }
}

#[test]
fn sarif_points_at_the_line_with_a_stable_rule_id() {
    let (r, _) = sample();
    let v: serde_json::Value =
        serde_json::from_str(&render(&r, "sarif", &[])).expect("sarif is json");
    let res = &v["runs"][0]["results"][0];
    assert_eq!(res["ruleId"], "github-pat-classic");
    assert_eq!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/deploy.py"
    );
    assert_eq!(
        res["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(res["level"], "error");
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.len() >= 150);
}

#[test]
fn human_report_snapshot() {
    let (r, _) = sample();
    let text = render(&r, "human", &[]);
    let text = regex_lite_time(&text);
    insta::assert_snapshot!(text);
}

#[test]
fn csv_and_markdown_have_one_row_per_finding() {
    let (r, _) = sample();
    let csv = render(&r, "csv", &[]);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.starts_with("rule,category,severity"));
    let md = render(&r, "markdown", &[]);
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| critical")).count(),
        1,
        "{md}"
    );
}

/// Durations vary from run to run.
fn regex_lite_time(s: &str) -> String {
    s.lines()
        .map(|l| match l.rfind(", ") {
            Some(i) if l.ends_with('s') && l[i + 2..l.len() - 1].parse::<f64>().is_ok() => {
                format!("{}, [time]", &l[..i])
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
