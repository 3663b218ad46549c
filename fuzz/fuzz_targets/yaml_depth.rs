//! The YAML depth guard and the YAML entry points behind it: the workflow
//! and composite-action audits and the `pnpm-lock.yaml` and berry
//! `yarn.lock` parsers. The input is a program that builds deeply nested
//! text (up to 1 MiB): runs of `[`, `{`, `- `, `? `, `: `, anchors, aliases,
//! tags, quotes and comments, indentation ladders broken by `\n`, `\r\n` or
//! a lone `\r`, each repeated as many times as the input asks, so the
//! fuzzer reaches nesting thousands deep in a few bytes.
//!
//! Asserted: nothing panics; `yaml_depth_estimate` agrees with `too_deep`;
//! a text `too_deep` refuses is refused by every entry point with the
//! too-deep error, and a text it lets through reaches the YAML parser
//! (never that error); and every input finishes, which libFuzzer's
//! `-timeout` checks: text the guard lets through must parse quickly.
#![no_main]

use keepopen_content::yaml_depth::{MAX_YAML_DEPTH, too_deep, yaml_depth_estimate};
use keepopen_workflows::WorkflowError;
use libfuzzer_sys::fuzz_target;

const MAX_TEXT: usize = 1 << 20;

const UNITS: &[&str] = &[
    "[",
    "{",
    "]",
    "}",
    "- ",
    "? ",
    ": ",
    "\n",
    "\r",
    "\r\n",
    " ",
    "\t",
    "&a ",
    "*a",
    "k",
    "a: ",
    "!!map ",
    "\"",
    "'",
    "#",
    "|\n",
    ">-\n",
    ",",
    "<<: *a\n",
    "-",
    "?",
    ":",
    "k: [",
    "- [",
    "[- ",
    "{a: ",
    "- k: ",
    "? - ",
    "!t ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
];
const BREAKS: &[&str] = &["\n", "\r\n", "\r"];
const INDENTS: &[&str] = &[" ", "  ", "\t", " \t"];
const LADDER_KEYS: &[&str] = &[
    "k:", "- ", "? ", "-", "[", "k: [", "- k:", "&a k:", "? k:", "{",
];

fn build(data: &[u8]) -> String {
    let mut out = String::new();
    let mut c = data.iter().copied();
    let mut next = || c.next();
    while let Some(op) = next() {
        if out.len() >= MAX_TEXT {
            break;
        }
        let count = usize::from(next().unwrap_or(1)) << (op >> 5 & 3) * 4;
        let count = count.max(1);
        match op & 0x1f {
            // A unit repeated.
            0..=25 => {
                let unit = UNITS[usize::from(next().unwrap_or(0)) % UNITS.len()];
                let n = count.min((MAX_TEXT - out.len()) / unit.len().max(1));
                out.push_str(&unit.repeat(n));
            }
            // An indentation ladder: line i indented i times.
            26..=29 => {
                let b = BREAKS[usize::from(op & 3) % BREAKS.len()];
                let sel = next().unwrap_or(0);
                let ind = INDENTS[usize::from(sel & 3)];
                let key = LADDER_KEYS[usize::from(sel >> 2) % LADDER_KEYS.len()];
                for i in 0..count {
                    if out.len() + ind.len() * i + key.len() + 2 > MAX_TEXT {
                        break;
                    }
                    out.push_str(&ind.repeat(i));
                    out.push_str(key);
                    out.push_str(b);
                }
            }
            // A few literal bytes.
            _ => {
                let n = usize::from(next().unwrap_or(0) % 16);
                let bytes: Vec<u8> = (0..n).filter_map(|_| next()).collect();
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    out
}

fn is_too_deep_lock(e: &keepopen_lockfiles::LockError) -> bool {
    e.to_string().contains("nested deeper than the limit")
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, program)) = data.split_first() else {
        return;
    };
    let mut text = build(program);
    // The lockfile parsers choose their format by a first line.
    match which % 3 {
        1 => text.insert_str(0, "lockfileVersion: '9.0'\n"),
        2 => text.insert_str(0, "__metadata:\n  version: 8\n"),
        _ => {}
    }
    let estimate = yaml_depth_estimate(&text);
    let deep = too_deep(&text);
    assert_eq!(deep.is_some(), estimate > MAX_YAML_DEPTH, "{estimate}");

    let refused = |r: Result<(), &WorkflowError>| matches!(r, Err(WorkflowError::TooDeep { .. }));
    let wf = keepopen_workflows::audit(".github/workflows/fuzz.yml", &text);
    assert_eq!(refused(wf.as_ref().map(|_| ())), deep.is_some(), "{wf:?}");
    let action = keepopen_workflows::audit_action("x/action.yml", &text);
    assert_eq!(
        refused(action.as_ref().map(|_| ())),
        deep.is_some(),
        "{action:?}"
    );

    for name in ["pnpm-lock.yaml", "yarn.lock"] {
        let parser = keepopen_lockfiles::parser_for(name).expect("a parser");
        if let Err(e) = parser.parse(name, text.as_bytes()) {
            if deep.is_none() {
                assert!(!is_too_deep_lock(&e), "{e}");
            }
        }
    }
});
