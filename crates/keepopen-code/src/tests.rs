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

use keepopen_findings::Severity::{High, Info, Low, Medium};

#[test]
fn input_in_a_web_handler_is_high_and_a_built_string_elsewhere_lower() {
    let view = "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route('/p/<pid>')\ndef show(pid):\n    cur.execute('SELECT * FROM p WHERE id = ' + pid)\n";
    assert_eq!(
        found("app/views.py", view),
        vec![("code-sql-injection".into(), High, 6)]
    );
    // The same line in a function that is no handler: its origin is not
    // shown, so two bands lower.
    let helper = view.replace("@app.route('/p/<pid>')\n", "");
    assert_eq!(
        found("app/views.py", &helper),
        vec![("code-sql-injection".into(), Low, 5)]
    );
    // And in an analysis script, which faces no network, one more.
    let script = "import pandas as pd\ndef load(con, start):\n    return pd.read_sql(f\"SELECT * FROM a WHERE d > '{start}'\", con)\n";
    assert_eq!(
        found("analysis/load.py", script),
        vec![("code-sql-injection".into(), Info, 3)]
    );
}

#[test]
fn yii_actions_take_input_from_the_query_string() {
    let controller = "<?php\nclass ReportController extends BaseController {\n  public function actionArvo($start) {\n    return Yii::app()->db->createCommand(\"SELECT * FROM e WHERE d >= '\" . $start . \"'\")->queryAll();\n  }\n  private function helper($start) {\n    return Yii::app()->db->createCommand(\"SELECT * FROM e WHERE d >= '\" . $start . \"'\")->queryAll();\n  }\n}\n";
    assert_eq!(
        found("protected/controllers/ReportController.php", controller),
        vec![
            ("code-sql-injection".into(), High, 4),
            ("code-sql-injection".into(), Low, 7)
        ]
    );
    // A migration runs once, from the console.
    let migration = controller.replace("extends BaseController", "extends OEMigration");
    assert_eq!(
        found("protected/migrations/m1.php", &migration),
        vec![
            ("code-sql-injection".into(), Medium, 4),
            ("code-sql-injection".into(), Info, 7)
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
        vec![("code-jwt-unverified".into(), Info, 3)]
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
    let deep = format!(
        "import os\nos.system({}'ls'{})\n",
        "(\n".repeat(5000),
        ")\n".repeat(5000)
    );
    let out = scan("deep.py", &deep);
    assert!(
        out.troubles.iter().any(|t| t.contains("deeper")),
        "{:?}",
        out.troubles
    );
    // Unless it holds none of the text any rule needs: then no rule can
    // match it, and it is not parsed at all.
    let inert = format!("x = {}1{}\n", "(\n".repeat(5000), ")\n".repeat(5000));
    let out = scan("deep.py", &inert);
    assert!(out.troubles.is_empty() && out.matches.is_empty());
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

#[test]
fn the_same_code_twice_in_a_file_is_two_findings() {
    let page = "<a href=\"<?= $_GET['u'] ?>\">a</a>\n<b><?= $_GET['u'] ?></b>\n";
    let out = scan("views/a.php", page);
    let secrets: Vec<&str> = out.matches.iter().map(|m| m.secret.as_str()).collect();
    assert_eq!(secrets.len(), 2);
    assert_ne!(secrets[0], secrets[1]);
}

#[test]
fn a_command_line_argument_is_not_a_request() {
    // A tool opens the file it is told to open: that is its job.
    let tool = "import sys\nwith open(sys.argv[1]) as f:\n    print(f.read())\n";
    assert!(found("scripts/show.py", tool).is_empty());
    // But it is not constant either: a command built from it is reported,
    // in the band of values whose origin is not shown.
    let tool = "import os, sys\nos.system('rm -rf ' + sys.argv[1])\n";
    assert_eq!(
        found("scripts/clean.py", tool),
        vec![("code-command-injection".into(), Info, 2)]
    );
}

/// A fixed-seed twin of the `code_rules` fuzz target: every example of
/// every rule, cut, spliced and sprinkled with the characters that open
/// and close things in these languages, plus random bytes, through the
/// whole detector under every language's file name.
#[test]
fn mangled_sources_never_panic() {
    use keepopen_content::{Content, Detector};
    let detector = CodeWeaknesses::new(&Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut seeds: Vec<String> = Vec::new();
    for rule in detector.rules() {
        for v in &rule.variants {
            seeds.extend(v.examples.bad.iter().cloned());
            seeds.extend(v.examples.good.iter().cloned());
        }
    }
    let paths = [
        "a.py", "a.js", "a.ts", "a.tsx", "a.php", "a.R", "a.cs", "a.java", "a.go",
    ];
    let noise = b"(){}[]\"'`$<?>;:=.\\\n\t#/*-+,";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut found = 0usize;
    for round in 0..3000 {
        let seed = seeds[next(seeds.len())].as_bytes().to_vec();
        let mut b = seed.clone();
        match round % 4 {
            0 => b.truncate(next(b.len() + 1)),
            1 => {
                let at = next(b.len() + 1);
                let other = seeds[next(seeds.len())].as_bytes();
                b.splice(at..at, other.iter().copied());
            }
            2 => {
                for _ in 0..1 + next(8) {
                    let at = next(b.len() + 1);
                    b.insert(at, noise[next(noise.len())]);
                }
            }
            _ => b = (0..next(300)).map(|_| next(256) as u8).collect(),
        }
        let path = paths[next(paths.len())];
        let out = detector.look_at(&Content::new(&b, Some(path)));
        found += out.matches.len();
    }
    assert!(
        found > 50,
        "the mangled examples should still be matched: {found}"
    );
}

/// Many sinks and many assignments in one function: the assignment index
/// and the per-value budget keep this linear (quadratic, it would not end
/// in the test's time).
#[test]
fn many_sinks_and_assignments_in_one_function_are_followed_once() {
    let mut src = String::from("def f(x):\n");
    for _ in 0..5_000 {
        src.push_str("    q = 'SELECT ' + x\n    cur.execute(q)\n");
    }
    let out = scan("tools/big.py", &src);
    assert_eq!(out.matches.len(), 5_000);
}

#[test]
fn settings_for_a_developer_s_machine_are_not_production() {
    let settings = "DEBUG = True\nALLOWED_HOSTS = ['*']\n";
    let rules = |path: &str| -> Vec<String> {
        found(path, settings)
            .into_iter()
            .map(|(r, _, _)| r)
            .collect()
    };
    assert_eq!(
        rules("app/config/settings.py"),
        ["code-debug-in-production", "code-allowed-hosts-wildcard"]
    );
    assert!(rules("app/config/settings/development.py").is_empty());
    assert!(rules("app/config/settings/test.py").is_empty());
}

#[test]
fn a_join_that_starts_with_the_program_s_own_state_is_still_a_join() {
    let php = "<?php\nclass Q extends CConsoleCommand { function run($r) { exec($this->p . ' ' . $r['filename']); } }\n";
    assert_eq!(
        found("protected/commands/Q.php", php),
        vec![("code-command-injection".into(), Info, 2)]
    );
}

#[test]
fn an_insecure_choice_a_setting_turns_on_is_two_bands_lower() {
    let on = "<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n";
    assert_eq!(
        found("web/a.php", on),
        vec![("code-tls-verification-off".into(), Medium, 2)]
    );
    let switched = "<?php\nif (getenv('DISABLE_SSL_CHECK') === 'true') {\n  curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n}\n";
    let got = scan("web/a.php", switched).matches;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].severity, Info);
    assert!(
        got[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("line 2")),
        "{:?}",
        got[0].detail
    );
}

#[test]
fn an_opt_in_flag_is_a_setting_too() {
    let go = "package p\nfunc f(c *Config) {\n  if c.TLSSkipVerify {\n    t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}\n  }\n}\n";
    let got = scan("handlers/h.go", go).matches;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].severity, Info);
}
