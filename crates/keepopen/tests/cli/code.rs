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
    r.owned("Referrals");
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
    for (format, want) in [
        ("sarif", "CWE-89"),
        ("markdown", "code-sql-injection"),
        ("human", "code-sql-injection"),
        ("csv", "code-sql-injection"),
    ] {
        let text = scan_text(&r, "code", format);
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
    r.write("legacy.php", b"<?php echo $_GET['\xff'];\n");
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
    let (_bare, mirror) = r.mirror();
    let (_, v) = scan_json_default(&mirror, &["--detectors", "code"]);
    let found = code_findings(&v);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["path"], "app.py");
    assert_eq!(found[0]["line"], 7);
}

/// A module with no framework of its own (a query helper the routes call)
/// is one band lower in analysis code and at full severity in a service:
/// the repository's class settles it, and the detail says which.
#[test]
fn the_repository_class_settles_a_module_that_shows_no_network() {
    const HELPER: &str = "def find(cur, request):\n    cur.execute(\"SELECT * FROM patient WHERE id = '\" + request.args['id'] + \"'\")\n";
    let scan = |manifest: &str| {
        let mut r = Repo::new();
        r.write("requirements.txt", manifest);
        r.write("referrals/queries.py", HELPER);
        r.commit("helper");
        let (_, v) = code_scan(&r);
        let f = code_findings(&v)
            .into_iter()
            .find(|f| f["path"] == "referrals/queries.py")
            .unwrap_or_else(|| panic!("no finding: {v:#}"));
        let class = v["assessments"][0]["class"].clone();
        (f, class)
    };
    let (service, class) = scan("flask==3.0.0\ngunicorn==22.0.0\n");
    assert_eq!(class, "service", "{service:#}");
    assert_eq!(service["severity"], "high", "{service:#}");
    let detail = service["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("the repository is a service"), "{detail}");

    let (analysis, class) = scan("pandas==2.2.0\nmatplotlib==3.9.0\n");
    assert_ne!(class, "service", "{analysis:#}");
    assert_eq!(analysis["severity"], "medium", "{analysis:#}");
    let detail = analysis["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("which serves no requests, so one band lower"),
        "{detail}"
    );
}

const TEAM_RULE: &str = "id: acme-print-nhs-number
name: NHS number printed to a log
severity: medium
cwe: CWE-532
harm: Logs are kept longer and shared more widely than the data; an NHS number in them is patient data outside its controls.
fix: Log the record's pseudonymous id instead.
variants:
  - languages: [python]
    rule:
      pattern: print($X.nhs_number)
    examples:
      bad: [\"print(p.nhs_number)\"]
      good: [\"print(p.id)\"]
";

/// A team's own code rules, in the built-in rules' format, from a folder
/// the config names: found, listed, their examples checked; a broken one,
/// a clash with a built-in id or a folder outside the repository is an
/// error naming it.
#[test]
fn a_teams_own_code_rules_are_read_checked_and_found() {
    let mut r = Repo::new();
    r.write(
        ".keepopen.toml",
        "[code]\nrules = [\".keepopen/code-rules\"]\n",
    );
    r.write(".keepopen/code-rules/print-nhs-number.yml", TEAM_RULE);
    r.write(
        "report.py",
        "def show(p):\n    print(p.nhs_number)\n    print(p.id)\n",
    );
    r.commit("team rule");
    let (_, v) = code_scan(&r);
    let found: Vec<(String, i64)> = code_findings(&v)
        .iter()
        .map(|f| {
            (
                format!(
                    "{} {}",
                    f["rule"].as_str().unwrap_or(""),
                    f["path"].as_str().unwrap_or("")
                ),
                f["line"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("acme-print-nhs-number report.py".to_string(), 2)],
        "{v:#}"
    );
    let list = keepopen(&["rules", "list"], r.path());
    assert!(String::from_utf8_lossy(&list.stdout).contains("acme-print-nhs-number"));
    let check = keepopen(&["rules", "check"], r.path());
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Its examples are checked: a `good` one it finds fails the check.
    r.write(
        ".keepopen/code-rules/print-nhs-number.yml",
        TEAM_RULE.replace("print(p.id)", "print(q.nhs_number)"),
    );
    let check = keepopen(&["rules", "check"], r.path());
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("acme-print-nhs-number"));

    let refused = |rule: &str, config: &str, want: &str| {
        r.write(".keepopen/code-rules/print-nhs-number.yml", rule);
        r.write(".keepopen.toml", config);
        let p = r.path().to_string_lossy().into_owned();
        let out = keepopen(
            &["scan", &p, "--no-progress", "--detectors", "code"],
            r.path(),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{want} not in {err}");
    };
    let config = "[code]\nrules = [\".keepopen/code-rules\"]\n";
    refused(
        &TEAM_RULE.replace("pattern: print($X.nhs_number)", "pattern: [unclosed"),
        config,
        "print-nhs-number.yml",
    );
    refused(
        &TEAM_RULE.replace("acme-print-nhs-number", "code-sql-injection"),
        config,
        "already a code rule",
    );
    refused(
        TEAM_RULE,
        "[code]\nrules = [\"../elsewhere\"]\n",
        "inside the repository",
    );
}

/// A notebook's code cells are read on the notebook's own lines, one band
/// lower (a notebook runs by hand); a notebook that is not JSON is noted.
#[test]
fn notebooks_code_cells_are_read_where_they_are() {
    let mut r = Repo::new();
    let cell = |src: &[&str]| {
        let lines: Vec<String> = src
            .iter()
            .map(|l| format!("    {}", serde_json::to_string(l).unwrap_or_default()))
            .collect();
        format!(
            "  {{\n   \"cell_type\": \"code\",\n   \"metadata\": {{}},\n   \"outputs\": [],\n   \"source\": [\n{}\n   ]\n  }}",
            lines.join(",\n")
        )
    };
    let nb = format!(
        "{{\n \"cells\": [\n{},\n{}\n ],\n \"metadata\": {{\"kernelspec\": {{\"language\": \"python\"}}}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n",
        cell(&["%pip install requests\n", "import subprocess, sys\n"]),
        cell(&[
            "name = sys.argv[1]\n",
            "subprocess.run(\"zip out.zip \" + name, shell=True)"
        ])
    );
    r.write("analysis/extract.ipynb", &nb);
    r.write("analysis/broken.ipynb", "{\"cells\": [");
    r.commit("notebooks");
    let (_, v) = code_scan(&r);
    let line = nb
        .lines()
        .position(|l| l.contains("subprocess.run"))
        .map(|i| i as i64 + 1);
    let found = code_findings(&v);
    let f = found
        .iter()
        .find(|f| f["path"] == "analysis/extract.ipynb")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(f["rule"], "code-command-injection");
    assert_eq!(f["line"].as_i64(), line);
    let detail = f["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("by hand"), "{detail}");
    let problems = v["summary"].to_string();
    assert!(
        problems.contains("analysis/broken.ipynb") && problems.contains("notebook"),
        "{problems}"
    );
}
