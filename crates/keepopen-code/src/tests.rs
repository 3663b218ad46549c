use crate::*;

#[test]
fn every_rule_compiles_and_every_example_holds() {
    let rules = builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(rules.len() >= 13);
    let failures = check_examples(&rules);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn scan(path: &str, text: &str) -> keepopen_content::Out {
    use keepopen_content::{Content, Detector};
    let detector = CodeWeaknesses::new(&Default::default()).unwrap_or_else(|e| panic!("{e}"));
    detector.look_at(&Content::new(text.as_bytes(), Some(path)))
}

fn found(path: &str, text: &str) -> Vec<(String, keepopen_findings::Severity, u32)> {
    scan(path, text)
        .matches
        .into_iter()
        .map(|m| (m.rule, m.severity, m.line))
        .collect()
}

use keepopen_findings::Severity::{High, Low, Medium};

#[test]
fn input_in_a_web_handler_is_high_and_a_built_string_elsewhere_lower() {
    let view = "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/p/<pid>')\ndef show(pid):\n    cur.execute('SELECT * FROM p WHERE id = ' + pid)\n";
    assert_eq!(
        found("app/views.py", view),
        vec![("code-sql-injection".into(), High, 6)]
    );
    // The same line in a function that is no handler: its origin is not
    // known, so one band lower.
    let helper = view.replace("@app.route('/p/<pid>')\n", "");
    assert_eq!(
        found("app/views.py", &helper),
        vec![("code-sql-injection".into(), Medium, 5)]
    );
    // And in an analysis script, which faces no network, one more.
    let script = "import pandas as pd\ndef load(con, start):\n    return pd.read_sql(f\"SELECT * FROM a WHERE d > '{start}'\", con)\n";
    assert_eq!(
        found("analysis/load.py", script),
        vec![("code-sql-injection".into(), Low, 3)]
    );
}

#[test]
fn yii_actions_take_input_from_the_query_string() {
    let controller = "<?php\nclass ReportController extends BaseController {\n  public function actionArvo($start) {\n    return Yii::app()->db->createCommand(\"SELECT * FROM e WHERE d >= '\" . $start . \"'\")->queryAll();\n  }\n  private function helper($start) {\n    return Yii::app()->db->createCommand(\"SELECT * FROM e WHERE d >= '\" . $start . \"'\")->queryAll();\n  }\n}\n";
    assert_eq!(
        found("protected/controllers/ReportController.php", controller),
        vec![
            ("code-sql-injection".into(), High, 4),
            ("code-sql-injection".into(), Medium, 7)
        ]
    );
    // A migration runs once, from the console.
    let migration = controller.replace("extends BaseController", "extends OEMigration");
    assert_eq!(
        found("protected/migrations/m1.php", &migration),
        vec![
            ("code-sql-injection".into(), Medium, 4),
            ("code-sql-injection".into(), Low, 7)
        ]
    );
}

#[test]
fn an_upload_s_temporary_path_is_not_input() {
    let php = "<?php\n$tmp = $_FILES['f']['tmp_name']['x'];\n$data = file_get_contents($tmp);\n$other = file_get_contents('/up/' . $_GET['f']);\n";
    assert_eq!(
        found("web/upload.php", php),
        vec![("code-path-traversal".into(), High, 4)]
    );
}

#[test]
fn templates_keep_their_lines() {
    let page = "<html>\n<body>\n<p><?= $_GET['name'] ?></p>\n<p><?= htmlspecialchars($_GET['name']) ?></p>\n</body>\n";
    assert_eq!(
        found("views/hello.php", page),
        vec![("code-xss-sink".into(), Medium, 3)]
    );
}

#[test]
fn the_anchors_silencing_comments_are_honoured() {
    let py = "import jwt\ndef f(token):\n    return jwt.decode(\n        token, options={\"verify_signature\": False}  # noqa: S5659\n    )\n";
    assert!(found("app/auth.py", py).is_empty());
    let py = py.replace("  # noqa: S5659", "");
    assert_eq!(
        found("app/auth.py", &py),
        vec![("code-jwt-unverified".into(), Low, 3)]
    );
}

#[test]
fn bundles_generated_and_vendored_files_are_not_matched_and_say_why() {
    let bundle = format!("var a=1;eval(\"x\"+y);{}\n", "b".repeat(5000));
    let out = scan("static/app.js", &bundle);
    assert!(out.matches.is_empty());
    assert!(
        out.troubles.iter().any(|t| t.contains("minified")),
        "{:?}",
        out.troubles
    );
    let banner = "/*! jQuery v3.7.1 | (c) OpenJS Foundation */\neval(\"x\" + y);\n";
    assert!(scan("static/lib.js", banner).is_empty());
    assert!(!is_code_file("node_modules/x/index.js"));
    assert!(!is_code_file("assets/components/modernizr/modernizr.js"));
    assert!(is_code_file("src/app.ts"));
}

#[test]
fn deep_or_broken_input_is_matched_where_it_parses_and_never_panics() {
    // Deeper than the matcher follows: skipped with a note.
    let deep = format!("x = {}1{}\n", "(\n".repeat(5000), ")\n".repeat(5000));
    let out = scan("deep.py", &deep);
    assert!(
        out.troubles.iter().any(|t| t.contains("deeper")),
        "{:?}",
        out.troubles
    );
    // A syntax error elsewhere does not hide a weakness that parsed.
    let broken = "import os\ndef f(x):\n    os.system('rm ' + x)\ndef g(:\n    pass\n";
    assert_eq!(found("tools/clean.py", broken).len(), 1);
    // Not UTF-8.
    let out = {
        use keepopen_content::{Content, Detector};
        CodeWeaknesses::new(&Default::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .look_at(&Content::new(b"x = '\xff\xfe'\n", Some("a.py")))
    };
    assert!(out.troubles.iter().any(|t| t.contains("UTF-8")));
}

#[test]
fn a_conditional_s_test_does_not_reach_the_page() {
    let page = "<span class=\"<?php echo $_GET['x'] ? '' : 'hidden' ?>\"></span>\n<i><?php echo $_GET['y'] ? $_GET['y'] : '' ?></i>\n";
    assert_eq!(
        found("views/a.php", page),
        vec![("code-xss-sink".into(), Medium, 2)]
    );
}
