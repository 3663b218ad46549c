//! A cheap bound on YAML nesting depth, checked before a file reaches the
//! YAML parser: the parser takes quadratic time on deep nesting (100k levels
//! took 36 s; 200k hung), so a hostile workflow or lockfile could stall a scan.

/// Deeper than any real workflow, action or lockfile; shallow enough that the
/// parser's cost stays negligible.
pub const MAX_YAML_DEPTH: usize = 1000;

/// An over-estimate of how deeply `text` nests: for each line, its
/// indentation plus its block indicators, `- ` (a sequence entry), `? ` (an
/// explicit key) and `: ` (an explicit value), each of which can open a
/// compact nested collection (block nesting), plus the open `[`/`{`
/// brackets (flow nesting). Lines end wherever YAML's do: at `\n`, at `\r`
/// alone, and at NEL, LS and PS, which the parser also takes for line
/// breaks. Text inside quotes and comments is counted too, which can only
/// make the estimate larger.
pub fn yaml_depth_estimate(text: &str) -> usize {
    let mut max = 0;
    let mut flow: usize = 0;
    for line in text.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        let bytes = line.as_bytes();
        let indent = bytes
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let mut rest = &bytes[indent..];
        let mut block = indent;
        while let [b'-' | b'?' | b':', b' ' | b'\t', tail @ ..] = rest {
            block += 1;
            let spaces = tail
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            block += spaces;
            rest = &tail[spaces..];
        }
        for &b in rest {
            match b {
                b'[' | b'{' => flow += 1,
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            }
            max = max.max(block + flow);
        }
        max = max.max(block + flow);
    }
    max
}

/// `Some(message)` when `text` nests deeper than [`MAX_YAML_DEPTH`]: the
/// file is skipped rather than parsed.
pub fn too_deep(text: &str) -> Option<String> {
    let depth = yaml_depth_estimate(text);
    (depth > MAX_YAML_DEPTH)
        .then(|| format!("skipped: YAML nested deeper than the limit of {MAX_YAML_DEPTH} levels"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_yaml_is_shallow() {
        let wf = "on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ x }} [a]\n";
        assert!(yaml_depth_estimate(wf) < 20);
        assert_eq!(too_deep(wf), None);
    }

    #[test]
    fn deep_flow_and_block_nesting_are_too_deep() {
        assert!(too_deep(&"[".repeat(200_000)).is_some());
        let block: String = (0..2000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(too_deep(&block).is_some());
        assert!(too_deep(&"- ".repeat(2000)).is_some());
    }

    /// Found by the `yaml_depth` fuzz target: 850 KB of `? ` (explicit keys,
    /// each a mapping nested in the last) was estimated at depth 0 and took
    /// the parser seconds and hundreds of MB; so did `- ` markers after a
    /// lone `\r`, which `str::lines` does not end a line at but YAML does.
    #[test]
    fn explicit_keys_values_and_every_line_break_count() {
        assert!(too_deep(&"? ".repeat(2000)).is_some());
        assert!(too_deep(&"? : ".repeat(1000)).is_some());
        assert!(too_deep(&"- ? ".repeat(1000)).is_some());
        for brk in ["\r", "\u{85}", "\u{2028}", "\u{2029}"] {
            let text = format!("k:{brk}{}", "- ".repeat(2000));
            assert!(too_deep(&text).is_some(), "{brk:?}");
        }
        // Ordinary keys and values are not block indicators.
        assert!(yaml_depth_estimate("a: b\n? c\n: d\n") < 3);
        assert!(yaml_depth_estimate("a: b\r\nc: d\r\n") < 2);
    }
}
