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
    for format in [
        "human", "json", "sarif", "markdown", "csv", "junit", "gitlab", "html",
    ] {
        let text = render(&r, format, &[]);
        assert!(
            !text.contains(&token),
            "{format} leaked the secret:\n{text}"
        );
        assert!(text.contains("src/deploy.py"), "{format} names the file");
        let shown = render(&r, format, &["--show-secrets"]);
        // SARIF and Markdown go to shared systems, and the HTML report is
        // made to be passed around: never shown in full.
        if format == "html" {
            assert!(!shown.contains(&token), "html showed the secret");
        } else if format != "sarif" && format != "markdown" {
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

/// A vendored schema of keepopen-report's tests (see its README there).
fn schema(name: &str) -> String {
    format!(
        "{}/../keepopen-report/tests/schemas/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `xml` against the JUnit XSD with xmllint: skipped without it, unless
/// KEEPOPEN_REQUIRE_TOOLS=1, when its absence fails.
fn assert_valid_junit(xml: &str) {
    use std::io::Write;
    let required = std::env::var("KEEPOPEN_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
    let child = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", &schema("junit-10.xsd"), "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            eprintln!("xmllint not found (apt-get install libxml2-utils): skipped");
            return;
        }
        Err(e) => panic!("xmllint is required (KEEPOPEN_REQUIRE_TOOLS=1): {e}"),
    };
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(xml.as_bytes()).expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("xmllint");
    assert!(
        out.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn junit_fails_the_blocking_finding_and_passes_a_clean_repository() {
    let (r, _) = sample();
    let xml = render(&r, "junit", &[]);
    assert!(xml.contains("failures=\"1\""), "{xml}");
    assert!(
        xml.contains("classname=\"keepopen.secret.github-pat-classic\""),
        "{xml}"
    );
    assert!(xml.contains("at src/deploy.py:2\""), "{xml}");
    assert_valid_junit(&xml);

    let mut clean = Repo::new();
    clean.write("README.md", "# nothing to see\n");
    clean.commit("readme");
    let (code, xml) = render_with_code(&clean, "junit", &[]);
    assert_eq!(code, Some(0), "{xml}");
    assert!(
        xml.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
        "{xml}"
    );
    assert_valid_junit(&xml);
}

#[test]
fn gitlab_report_matches_gitlabs_schema_and_names_the_commit() {
    let (mut r, _) = sample();
    r.write("src/other.py", "print('hello')\n");
    let head = r.commit("another");
    let text = render(&r, "gitlab", &[]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("gitlab is json");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(schema("secret-detection-report-format.json")).expect("schema"),
    )
    .expect("schema is json");
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    let vulnerability = &v["vulnerabilities"][0];
    assert_eq!(
        vulnerability["identifiers"][0]["value"],
        "github-pat-classic"
    );
    assert_eq!(vulnerability["location"]["file"], "src/deploy.py");
    assert_eq!(vulnerability["location"]["start_line"], 2);
    let sha = vulnerability["location"]["commit"]["sha"]
        .as_str()
        .expect("a commit");
    assert!(
        sha.len() == 40 && sha != head,
        "the commit that introduced it: {sha}"
    );
    assert_eq!(v["scan"]["type"], "secret_detection");
    assert_eq!(v["scan"]["status"], "success");
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

#[test]
fn one_scan_writes_every_report_asked_for_with_also() {
    let (r, token) = sample();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let file = |name: &str| out_dir.path().join(name).to_string_lossy().into_owned();
    let (sarif, junit, human) = (file("k.sarif"), file("k.xml"), file("k.txt"));
    let also = |f: &str, p: &str| format!("{f}={p}");
    let (a, b, c) = (
        also("sarif", &sarif),
        also("junit", &junit),
        also("HUMAN", &human),
    );
    // The colour asked for reaches standard output, never a file.
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(
        &[
            "scan",
            &p,
            "--detectors",
            "secrets",
            "--no-progress",
            "--color",
            "always",
            "--also",
            &a,
            "--also",
            &b,
            "--also",
            &c,
        ],
        r.path(),
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains('\u{1b}'), "no colour on stdout: {shown}");
    let out = keepopen(
        &[
            "scan",
            &p,
            "--detectors",
            "secrets",
            "--no-progress",
            "-f",
            "json",
            "--also",
            &a,
        ],
        r.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
    assert_eq!(findings(&v).len(), 1, "{v}");
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let s: serde_json::Value = serde_json::from_str(&read(&sarif)).expect("sarif is json");
    assert_eq!(s["runs"][0]["results"][0]["ruleId"], "github-pat-classic");
    assert_valid_junit(&read(&junit));
    assert!(read(&junit).contains("src/deploy.py"));
    let text = read(&human);
    assert!(text.contains("github-pat-classic") && text.contains("src/deploy.py"));
    assert!(!text.contains('\u{1b}'), "colour in a file: {text:?}");
    for p in [&sarif, &junit, &human] {
        assert!(!read(p).contains(&token), "{p} shows the secret");
    }
    // Nothing was written into the scanned repository.
    assert_eq!(r.git(&["status", "--porcelain", "--ignored"]), "");
}

#[test]
fn a_bad_also_names_the_formats_and_writes_nothing() {
    let (r, _) = sample();
    let p = r.path().to_string_lossy().into_owned();
    for (bad, says) in [
        (
            "yaml=out.yaml",
            "`yaml` is not a format (human, json, sarif",
        ),
        ("sarif", "is not FORMAT=FILE"),
        ("sarif=", "give a file after `=`"),
    ] {
        let out = keepopen(&["scan", &p, "--also", bad], r.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains(says), "{bad}: {err}");
    }
    assert_eq!(r.git(&["status", "--porcelain", "--ignored"]), "");
}

#[test]
fn the_html_of_a_scan_is_one_page_with_the_recommendation_and_the_finding() {
    let (r, token) = sample();
    // Every detector, so that the repository is assessed.
    let p = r.path().to_string_lossy().into_owned();
    let out = keepopen(
        &["scan", &p, "-f", "html", "--no-progress", "--show-secrets"],
        r.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8(out.stdout).expect("utf-8");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("1 repositories"),
        "one row for the repository"
    );
    assert!(html.contains("github-pat-classic") && html.contains("src/deploy.py:2"));
    assert!(html.contains("Fix plan, in order"), "{html}");
    assert!(html.contains("<span class=\"tag r-open-after-fixes\">"));
    assert!(!html.contains(&token));
    assert!(!html.contains("<script src") && !html.contains("<link"));
}
