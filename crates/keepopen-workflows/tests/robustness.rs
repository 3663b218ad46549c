//! Bad and unusual input: every case is an error naming the file or a clean
//! result, never a panic.

use keepopen_workflows::{AUDITS, WorkflowError, audit};

const CI: &str = "\
name: ci
on:
  pull_request_target:
  issue_comment:
permissions: write-all
env:
  ACTIONS_ALLOW_UNSECURE_COMMANDS: true
jobs:
  build:
    runs-on: [self-hosted, linux]
    container:
      image: node:20
      credentials:
        username: bot
        password: synthetic-password
    services:
      db: postgres:16
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: |
          echo \"${{ github.event.comment.body }}\"
      - uses: actions/upload-artifact@v4
        with:
          path: .
  call:
    uses: org/repo/.github/workflows/release.yml@main
    secrets: inherit
";

#[test]
fn every_audit_fires_on_the_kitchen_sink() {
    let findings = audit("ci.yml", CI).expect("parses");
    for info in AUDITS {
        assert!(
            findings.iter().any(|f| f.audit == info.id),
            "{} did not fire",
            info.id
        );
    }
    assert!(findings.iter().all(|f| f.line >= 1 && f.line <= 32));
}

#[test]
fn invalid_yaml_names_the_file_and_line() {
    let err = audit("bad.yml", "on: push\njobs:\n  a: [unclosed\n").expect_err("invalid");
    assert!(matches!(
        err,
        WorkflowError::InvalidYaml { line: Some(_), .. }
    ));
    let msg = err.to_string();
    assert!(msg.starts_with("bad.yml: invalid YAML at line "), "{msg}");
}

#[test]
fn lists_scalars_and_empty_files_are_not_workflows() {
    for text in ["- a\n- b\n", "just a string\n", "42", "", "name: x\n"] {
        let err = audit("w.yml", text).expect_err(text);
        assert!(
            matches!(err, WorkflowError::NotAWorkflow { .. }),
            "{text}: {err}"
        );
        assert!(err.to_string().starts_with("w.yml: not a workflow"));
        assert_eq!(err.path(), "w.yml");
    }
}

#[test]
fn wrong_shapes_are_not_workflows() {
    let err = audit("w.yml", "on: push\njobs: [1, 2]\n").expect_err("jobs list");
    assert!(matches!(err, WorkflowError::NotAWorkflow { .. }));
}

#[test]
fn anchors_and_aliases_resolve() {
    let text = "\
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - &checkout
        uses: actions/checkout@v4
  b:
    runs-on: ubuntu-latest
    steps:
      - *checkout
";
    let findings = audit("w.yml", text).expect("anchors parse");
    let unpinned: Vec<_> = findings
        .iter()
        .filter(|f| f.audit == "workflow-unpinned-uses")
        .map(|f| f.location.as_str())
        .collect();
    assert_eq!(unpinned, ["jobs.a.steps[0].uses", "jobs.b.steps[0].uses"]);
}

#[test]
fn bom_and_crlf_keep_line_numbers() {
    let plain =
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n";
    let crlf = format!("\u{feff}{}", plain.replace('\n', "\r\n"));
    let a = audit("w.yml", plain).expect("plain");
    let b = audit("w.yml", &crlf).expect("bom + crlf");
    assert_eq!(a, b);
    assert!(b.iter().any(|f| f.line == 6));
}

#[test]
fn two_megabyte_workflow_is_audited_to_its_last_line() {
    let mut text =
        String::from("on: push\npermissions: {}\njobs:\n  big:\n    runs-on: x\n    steps:\n");
    let mut n = 0;
    while text.len() < 2 * 1024 * 1024 {
        text.push_str(&format!(
            "      - name: step {n}\n        uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n"
        ));
        n += 1;
    }
    let findings = audit("big.yml", &text).expect("big parses");
    assert_eq!(findings.len(), n);
    let last = findings.last().expect("one per step");
    assert_eq!(last.location, format!("jobs.big.steps[{}].uses", n - 1));
    assert_eq!(last.line as usize, 6 + 4 * (n - 1) + 2);
}

/// Deletes, duplicates and swaps bytes of a realistic workflow with a fixed
/// seed; whatever comes out must not panic.
#[test]
fn mutations_never_panic() {
    let mut state: u64 = 0x5eed_cafe_f00d_1234;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let seed = CI.as_bytes();
    let pool = b" \n\t:-[]{}&*!|>'\"#$%@.,?\r\xef\xbb\xbf";
    let mut parsed = 0;
    for _ in 0..3000 {
        let mut bytes = seed.to_vec();
        for _ in 0..(next() % 8 + 1) {
            if bytes.is_empty() {
                break;
            }
            let at = (next() as usize) % bytes.len();
            match next() % 4 {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, pool[(next() as usize) % pool.len()]),
                2 => bytes[at] = pool[(next() as usize) % pool.len()],
                _ => {
                    let end = (at + (next() as usize) % 40).min(bytes.len());
                    let chunk = bytes[at..end].to_vec();
                    let to = (next() as usize) % bytes.len();
                    bytes.splice(to..to, chunk);
                }
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(findings) = audit("m.yml", &text) {
            parsed += 1;
            let lines = text.lines().count().max(1) as u32;
            assert!(findings.iter().all(|f| f.line >= 1 && f.line <= lines));
        }
    }
    // Enough mutants survive parsing to exercise the audits, not just the parser.
    assert!(parsed > 300, "only {parsed} mutants parsed");
}

#[test]
fn deeply_nested_yaml_is_skipped_naming_the_file_and_limit() {
    let flow = "[".repeat(200_000);
    let block: String = (0..5000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    for text in [flow.as_str(), block.as_str()] {
        let err = audit("deep.yml", text).expect_err("too deep");
        assert!(matches!(err, WorkflowError::TooDeep { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.starts_with("deep.yml: skipped"), "{msg}");
        assert!(msg.contains("1000"), "{msg}");
        let err = keepopen_workflows::audit_action("action.yml", text).expect_err("too deep");
        assert!(matches!(err, WorkflowError::TooDeep { .. }), "{err}");
    }
}
