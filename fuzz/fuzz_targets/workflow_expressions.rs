//! Expressions through every audit that parses them: the fuzzed text is put
//! into a well-formed workflow as a run script, a github-script input, an
//! env value, a matrix entry and a container image, so the expression
//! parser (github-actions-expressions) and the judging around it see
//! arbitrary `${{ }}` bodies rather than YAML errors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    // One line, quoted for YAML's double-quoted style.
    let body: String = s
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let wf = format!(
        "on:\n  workflow_dispatch:\n    inputs:\n      x:\n        type: string\n\
         env:\n  E: \"${{{{ {body} }}}}\"\n\
         jobs:\n  a:\n    runs-on: ubuntu-latest\n\
         \x20   strategy:\n      matrix:\n        m: [\"${{{{ {body} }}}}\", \"b\"]\n\
         \x20   container:\n      image: \"${{{{ {body} }}}}\"\n\
         \x20   steps:\n      - run: \"echo ${{{{ {body} }}}} ${{{{ env.E }}}} ${{{{ matrix.m }}}}\"\n\
         \x20     - uses: actions/github-script@v7\n        with:\n          script: \"${{{{ {body} }}}}\"\n"
    );
    if let Ok(findings) = keepopen_workflows::audit(".github/workflows/e.yml", &wf) {
        let lines = wf.lines().count() as u32;
        for f in findings {
            assert!(f.line >= 1 && f.line <= lines + 1, "line {} of {lines}\n{wf}", f.line);
        }
    }
});
