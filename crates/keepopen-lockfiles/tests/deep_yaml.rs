//! Regression: a deeply nested `pnpm-lock.yaml` hung the YAML parser.

#[test]
fn deeply_nested_pnpm_lock_is_skipped_naming_the_file_and_limit() {
    let parser = keepopen_lockfiles::parser_for("pnpm-lock.yaml").expect("pnpm parser");
    let flow = "[".repeat(200_000);
    let block: String = (0..5000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    for text in [flow, block] {
        let err = parser
            .parse("pnpm-lock.yaml", text.as_bytes())
            .expect_err("too deep");
        let msg = err.to_string();
        assert!(msg.starts_with("pnpm-lock.yaml: skipped"), "{msg}");
        assert!(msg.contains("limit of 1000"), "{msg}");
    }
}
