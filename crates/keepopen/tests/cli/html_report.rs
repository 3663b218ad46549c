//! The organisation report as one HTML file, through the real CLI: from a
//! run kept in a real SQLite store, with the numbers the JSON report gives,
//! nothing it would fetch, every repository's section, the triage verdict,
//! and never the secret.

use crate::org::{org_json, organisation};
use crate::support::*;
use serde_json::Value;

fn html_of(args: &[&str], cwd: &std::path::Path) -> (Option<i32>, String) {
    let out = keepopen(args, cwd);
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("not UTF-8: {e}")),
    )
}

/// The text of every element `<tag …>` opening, for checks on attributes.
fn openings<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    html.match_indices(&open)
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap_or(0) + 1])
        .filter(|t| {
            t[open.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == ' ' || c == '>')
        })
        .collect()
}

#[test]
fn the_html_report_is_one_file_with_the_stores_numbers_and_no_secret() {
    let (org, p) = organisation();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir
        .path()
        .join("keepopen.db")
        .to_string_lossy()
        .into_owned();
    let (code, v) = org_json(&[&p, "--db", &db], org.path());
    assert_eq!(code, Some(1), "{v}");
    let token = github_token(31);

    // A verdict on the token shows in the report.
    let fp = v["repositories"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with("tool")))
        .map(|_| ())
        .and_then(|_| {
            let tool = org.path().join("team-a/tool");
            let out = keepopen(
                &[
                    "scan",
                    &tool.to_string_lossy(),
                    "-f",
                    "json",
                    "--no-progress",
                ],
                org.path(),
            );
            let s: Value = serde_json::from_slice(&out.stdout).ok()?;
            findings(&s)
                .iter()
                .find(|f| f["path"] == "app.py")
                .and_then(|f| f["fingerprint"].as_str().map(String::from))
        })
        .expect("the token's fingerprint");
    let out = keepopen(
        &[
            "triage",
            &fp,
            "false-positive",
            "--reason",
            "a revoked example token",
            "--db",
            &db,
        ],
        org.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let file = dir.path().join("report.html");
    let f = file.to_string_lossy().into_owned();
    let (code, stdout) = html_of(
        &["report", "--db", &db, "--format", "html", "-o", &f],
        org.path(),
    );
    assert_eq!(code, Some(1), "{stdout}");
    let html = std::fs::read_to_string(&file).expect("the report");
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.contains("<html lang=\"en\">"));

    // Nothing to fetch: no external script, style, font or image.
    for tag in ["script", "link", "img", "iframe", "object", "embed"] {
        for t in openings(&html, tag) {
            assert!(
                !t.contains("src=") && !t.contains("href="),
                "{tag} fetches: {t}"
            );
        }
    }
    assert!(!html.contains("@import") && !html.contains("url("));
    assert!(!html.contains("@font-face"));

    // The numbers are the store's, as the JSON report gives them.
    let (_, stored) = {
        let out = keepopen(&["report", "--db", &db, "--format", "json"], org.path());
        (
            out.status.code(),
            serde_json::from_slice::<Value>(&out.stdout).expect("json"),
        )
    };
    let rows = stored["repositories"].as_array().expect("rows");
    assert!(html.contains(&format!("{} repositories", rows.len())));
    for (rec, n) in stored["summary"]["by_recommendation"]
        .as_object()
        .expect("counts")
    {
        let cell =
            format!("<td><span class=\"tag r-{rec}\">{rec}</span></td><td class=\"n\">{n}</td>");
        assert!(html.contains(&cell), "{rec}: {n} not in the glance table");
    }
    // One section per repository, linked from the table.
    for (i, r) in rows.iter().enumerate() {
        let path = r["path"].as_str().expect("path");
        assert!(html.contains(&format!("id=\"repo-{}\"", i + 1)));
        assert!(html.contains(&format!("href=\"#repo-{}\"", i + 1)));
        assert!(html.contains(path), "{path}");
    }
    // The finding: redacted, its file and line, its commit, still at HEAD,
    // and the verdict on it.
    assert!(!html.contains(&token), "the token is in the report");
    assert!(html.contains("github-pat-classic"));
    assert!(html.contains("app.py:1"));
    assert!(html.contains("ghp_*"), "the redacted value is shown");
    assert!(html.contains("false-positive: a revoked example token"));
    assert!(html.contains("Fix plan, in order"));
    // The SVG charts have text equivalents.
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<desc>"));
}

#[test]
fn an_html_org_run_without_the_store_is_refused_before_scanning() {
    let (org, p) = organisation();
    let out = keepopen(
        &["org", &p, "--no-store", "--format", "html", "--no-progress"],
        org.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("drop --no-store"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_html_org_run_writes_the_report_of_the_run_it_kept() {
    let (org, p) = organisation();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("k.db").to_string_lossy().into_owned();
    let (code, html) = html_of(
        &["org", &p, "--db", &db, "--format", "html", "--no-progress"],
        org.path(),
    );
    assert_eq!(code, Some(1));
    assert!(html.contains("3 repositories"), "{html}");
    assert!(html.contains("github-pat-classic"));
    assert!(!html.contains(&github_token(31)));
}

/// `YYYY-MM-DD`, `days` from today (UTC).
fn day(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let z = now.div_euclid(86_400) + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn record(scope: &str, approved: &str, expires: &str) -> String {
    format!(
        "scope = [\"{scope}\"]\n\
         attacker = \"someone scanning public repositories for tokens\"\n\
         publication_adds = \"the token for the legacy API\"\n\
         path_to_harm = \"a forged call to the legacy API\"\n\
         alternatives = \"rotate and rewrite history (booked)\"\n\
         compensating_controls = \"the API accepts calls only from the N3 network\"\n\
         approver = \"A. Person, SIRO\"\n\
         approved = \"{approved}\"\n\
         expires = \"{expires}\"\n"
    )
}

#[test]
fn the_register_shows_every_exception_with_lapsed_and_soon_due_ones_first() {
    let org = tempfile::tempdir().expect("tempdir");
    let mut r = Repo::new();
    r.owned("Referrals");
    r.write(
        "legacy/config.py",
        format!("T = \"{}\"\n", github_token(61)),
    );
    r.write(
        ".keepopen/exceptions/legacy-token.toml",
        record("legacy/", &day(-300), &day(12)),
    );
    r.write(
        ".keepopen/exceptions/old-dump.toml",
        record("dumps/", &day(-400), &day(-35)),
    );
    r.write(
        ".keepopen/exceptions/fine.toml",
        record("docs/", &day(-10), &day(200)),
    );
    r.commit("the register");
    crate::org::clone(r.path(), &org.path().join("team/referrals"), false);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("k.db").to_string_lossy().into_owned();
    let p = org.path().to_string_lossy().into_owned();
    let (_, v) = org_json(&[&p, "--db", &db], org.path());
    let register = &v["repositories"][0]["exceptions"];
    let standing = |id: &str| {
        register
            .as_array()
            .and_then(|a| a.iter().find(|e| e["id"] == id))
            .map(|e| (e["standing"].clone(), e["covers"].clone()))
    };
    assert_eq!(
        standing("legacy-token"),
        Some((Value::from("active"), Value::from(1))),
        "{register}"
    );
    assert_eq!(
        standing("old-dump").map(|s| s.0),
        Some(Value::from("expired"))
    );
    assert_eq!(standing("fine").map(|s| s.0), Some(Value::from("active")));

    let (_, html) = html_of(&["report", "--db", &db, "--format", "html"], org.path());
    let section = &html[html.find("id=\"register\"").expect("the register")..];
    let (lapsed, soon, fine) = (
        section.find("old-dump").expect("old-dump"),
        section.find("legacy-token").expect("legacy-token"),
        section.find(">fine<").expect("fine"),
    );
    assert!(
        lapsed < soon && soon < fine,
        "lapsed, then soon due, then the rest"
    );
    assert!(section.contains("expires in 12 days"), "{section}");
    assert!(section.contains("<strong class=\"s-critical\">expired</strong>"));
    assert!(section.contains("a forged call to the legacy API"));
    assert!(section.contains("A. Person, SIRO"));
    assert_eq!(section.matches("<tr class=\"flag\">").count(), 2);
}
