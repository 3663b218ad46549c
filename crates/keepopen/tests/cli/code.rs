//! The code rules through the real CLI, on repositories built here: a
//! weakness in a web handler found at its line, in every format, blocking
//! and in the fix plan; the same code in a test folder lowered; only the
//! files as they stand now read; broken and hostile files noted, not fatal.

use crate::support::*;
use serde_json::Value;

const VIEW: &str = "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/patients/<pid>')\ndef show(pid):\n    cur = db().cursor()\n    cur.execute(\"SELECT * FROM patient WHERE id = '\" + pid + \"'\")\n    return cur.fetchone()\n";

fn code_scan(r: &Repo) -> (i32, Value) {
    scan_json_default(r.path(), &["--detectors", "code,posture"])
}

fn code_findings(v: &Value) -> Vec<Value> {
    findings(v)
        .into_iter()
        .filter(|f| f["category"] == "code")
        .collect()
}

#[test]
fn a_weakness_in_a_web_handler_blocks_and_is_in_the_fix_plan() {
    let mut r = Repo::new();
    r.write("requirements.txt", "flask==3.0.0\n");
    r.write(
        "README.md",
        "# Referrals\n\nMaintained by the digital team: digital-team@example.org\n",
    );
    r.write(".github/CODEOWNERS", "* @nhs-example/digital-team\n");
    r.write(
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities privately to security@example.org.\n",
    );
    r.write("app.py", VIEW);
    r.write("tests/test_app.py", VIEW);
    r.commit("service");
    let (code, v) = code_scan(&r);
    assert_eq!(code, 1, "{v:#}");
    let found = code_findings(&v);
    let at = |path: &str| {
        found
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} not found in {found:#?}"))
            .clone()
    };
    let app = at("app.py");
    assert_eq!(app["rule"], "code-sql-injection");
    assert_eq!(app["severity"], "high");
    assert_eq!(app["line"], 7);
    assert_eq!(app["blocking"], true);
    assert!(
        app["detail"].as_str().is_some_and(|d| d.contains("input")),
        "{app:#}"
    );
    // The same code in a test is low and does not block.
    let test = at("tests/test_app.py");
    assert_eq!(test["severity"], "low");
    assert_eq!(test["blocking"], false);
    let a = &v["assessments"][0];
    assert_eq!(a["recommendation"], "open-after-fixes", "{a:#}");
    let step = a["fixes"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["kind"] == "findings"))
        .unwrap_or_else(|| panic!("no code step: {a:#}"));
    let actions = step["actions"].to_string();
    assert!(actions.contains("app.py:7"), "{actions}");
    assert!(!actions.contains("tests/test_app.py"), "{actions}");
}

#[test]
fn every_format_carries_the_finding() {
    let mut r = Repo::new();
    r.write("app.py", VIEW);
    r.commit("service");
    let p = r.path().to_string_lossy().into_owned();
    for (format, want) in [
        ("sarif", "CWE-89"),
        ("markdown", "code-sql-injection"),
        ("human", "code-sql-injection"),
        ("csv", "code-sql-injection"),
    ] {
        let out = keepopen(
            &[
                "scan",
                &p,
                "--format",
                format,
                "--no-progress",
                "--color",
                "never",
                "--detectors",
                "code",
            ],
            r.path(),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(want), "{format}: {text}");
        assert!(text.contains("app.py"), "{format}: {text}");
    }
}

#[test]
fn only_the_files_as_they_stand_now_are_read() {
    let mut r = Repo::new();
    r.write("app.py", VIEW);
    r.commit("weak");
    r.write(
        "app.py",
        VIEW.replace(
            "cur.execute(\"SELECT * FROM patient WHERE id = '\" + pid + \"'\")",
            "cur.execute(\"SELECT * FROM patient WHERE id = %s\", (pid,))",
        ),
    );
    r.commit("parameterised");
    let (_, v) = code_scan(&r);
    assert!(code_findings(&v).is_empty(), "{:#?}", code_findings(&v));
}

#[test]
fn broken_deep_and_bundled_files_are_noted_and_the_rest_still_read() {
    let mut r = Repo::new();
    r.write("app.py", VIEW);
    r.write("broken.py", "def f(:\n  os.system('rm ' + x\n");
    r.write(
        "deep.js",
        // Holding text a rule needs (`eval`): a file with none is not parsed.
        format!("x = eval({}1{});\n", "[\n".repeat(3000), "]\n".repeat(3000)),
    );
    r.write(
        "static/bundle.js",
        format!("var a=1;{}\n", "eval(a+b);".repeat(600)),
    );
    r.write("legacy.php", b"<?php echo $_GET['\xff'];\n".to_vec());
    r.commit("mixed");
    let (code, v) = code_scan(&r);
    // Notes, not errors: the run is complete.
    assert_eq!(code, 1, "{v:#}");
    assert!(code_findings(&v).iter().any(|f| f["path"] == "app.py"));
    let problems = v["summary"].to_string();
    for (path, why) in [
        ("deep.js", "deeper"),
        ("static/bundle.js", "minified"),
        ("legacy.php", "UTF-8"),
    ] {
        assert!(
            problems.contains(path) && problems.contains(why),
            "{path}: {why} not in {problems}"
        );
    }
}

#[test]
fn terraform_that_opens_data_to_the_internet_is_exposure() {
    let mut r = Repo::new();
    r.write(
        "infra/main.tf",
        "resource \"aws_db_instance\" \"patients\" {\n  engine              = \"postgres\"\n  publicly_accessible = true\n  storage_encrypted   = false\n}\n\nresource \"aws_security_group\" \"bastion\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    );
    r.write(
        "examples/demo.tf",
        "resource \"aws_db_instance\" \"demo\" {\n  publicly_accessible = true\n}\n",
    );
    r.commit("infra");
    let (_, v) = scan_json_default(r.path(), &["--detectors", "code"]);
    let got: Vec<(String, String, i64, String)> = findings(&v)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_i64().unwrap_or_default(),
                f["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let want = |rule: &str, path: &str, line: i64, sev: &str| {
        assert!(
            got.contains(&(rule.into(), path.into(), line, sev.into())),
            "{rule} {path}:{line} {sev} not in {got:#?}"
        );
    };
    want("exposure-public-database", "infra/main.tf", 3, "high");
    want("exposure-encryption-disabled", "infra/main.tf", 4, "medium");
    want("exposure-open-admin-port", "infra/main.tf", 8, "high");
    want("exposure-public-database", "examples/demo.tf", 2, "low");
    let db = findings(&v)
        .into_iter()
        .find(|f| f["rule"] == "exposure-public-database" && f["path"] == "infra/main.tf")
        .unwrap_or_default();
    assert_eq!(db["category"], "exposure");
    // The line stays readable: the finding's identity is the resource.
    assert_eq!(db["context"], "publicly_accessible = true", "{db:#}");
}

#[test]
fn a_bare_mirror_is_read_at_head() {
    let mut r = Repo::new();
    r.write("app.py", VIEW);
    r.commit("service");
    let bare = tempfile::tempdir().expect("tempdir");
    let mirror = bare.path().join("mirror.git");
    let out = std::process::Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(r.path())
        .arg(&mirror)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, v) = scan_json_default(&mirror, &["--detectors", "code"]);
    let found = code_findings(&v);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["path"], "app.py");
    assert_eq!(found[0]["line"], 7);
}
