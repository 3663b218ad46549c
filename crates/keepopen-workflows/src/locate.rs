//! Maps yamlpaths such as `jobs.build.steps[2].run` to 1-based lines.
//!
//! The typed model from `github-actions-models` forgets where things were, so
//! this re-reads the raw text as an outline of block mappings and sequences,
//! using indentation only. It is tolerant: flow collections and odd layouts
//! simply fall back to the nearest enclosing key that could be found.

use std::collections::HashMap;

/// One line that can hold a key or a sequence item (not a comment, blank or
/// block-scalar content).
#[derive(Debug)]
struct Line<'a> {
    /// 0-based index into the raw lines.
    idx: usize,
    indent: usize,
    dash: bool,
    /// Column of the content: after `- ` for sequence items.
    col: usize,
    content: &'a str,
}

/// Where a node sits: the line of its key (or `-`) and the last raw line of
/// its value, both 0-based indexes.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
}

/// The outline of one workflow file.
#[derive(Debug)]
pub struct Locator<'a> {
    raw: Vec<&'a str>,
    spans: HashMap<String, Span>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: Vec<&str> = text.lines().collect();
        let lines = significant_lines(&raw);
        let mut spans = HashMap::new();
        let mut walker = Walker {
            lines: &lines,
            raw_len: raw.len(),
            spans: &mut spans,
        };
        if !lines.is_empty() {
            walker.node(0, lines.len(), "", false, 0);
        }
        Self { raw, spans }
    }

    /// The text of 1-based `line`.
    pub fn text(&self, line: usize) -> Option<&'a str> {
        self.raw.get(line.checked_sub(1)?).copied()
    }

    /// The keys directly under mapping `parent` (`on` gives `push`,
    /// `workflow_call`, ...), in no particular order.
    pub fn child_keys(&self, parent: &str) -> Vec<&str> {
        let prefix = format!("{parent}.");
        self.spans
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|rest| !rest.contains(['.', '[']))
            .collect()
    }

    /// The 1-based line of `path`, or of its nearest ancestor found, or 1.
    pub fn line(&self, path: &str) -> u32 {
        self.span(path).map_or(1, |s| to_line(s.start))
    }

    /// The first line within `path`'s span whose text contains `needle`,
    /// falling back to [`Locator::line`].
    pub fn line_of(&self, path: &str, needle: &str) -> u32 {
        let Some(span) = self.span(path) else {
            return 1;
        };
        let end = span.end.min(self.raw.len().saturating_sub(1));
        (span.start..=end)
            .find(|&i| self.raw.get(i).is_some_and(|l| l.contains(needle)))
            .map_or(to_line(span.start), to_line)
    }

    /// The line of the `n`th (0-based) occurrence of `needle` within
    /// `path`'s span, falling back to [`Locator::line_of`].
    pub fn line_of_nth(&self, path: &str, needle: &str, n: usize) -> u32 {
        let Some(span) = self.span(path) else {
            return 1;
        };
        let end = span.end.min(self.raw.len().saturating_sub(1));
        let mut seen = 0;
        for i in span.start..=end {
            seen += self.raw.get(i).map_or(0, |l| l.matches(needle).count());
            if seen > n {
                return to_line(i);
            }
        }
        self.line_of(path, needle)
    }

    fn span(&self, path: &str) -> Option<Span> {
        let mut p = path;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(*s);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

fn to_line(idx: usize) -> u32 {
    u32::try_from(idx + 1).unwrap_or(u32::MAX)
}

/// Drops blanks, comments, document markers and block-scalar bodies.
fn significant_lines<'a>(raw: &[&'a str]) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    // The column a block scalar's body must exceed, while inside one.
    let mut scalar_parent: Option<usize> = None;
    for (idx, text) in raw.iter().enumerate() {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let trimmed = text.trim_start_matches([' ', '\t']);
        let indent = text.len() - trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(parent) = scalar_parent {
            if indent > parent {
                continue;
            }
            scalar_parent = None;
        }
        if trimmed.starts_with('#') || trimmed.starts_with("---") || trimmed.starts_with("...") {
            continue;
        }
        let (dash, col, content) = match trimmed.strip_prefix('-') {
            Some(rest) if rest.is_empty() || rest.starts_with([' ', '\t']) => {
                let body = rest.trim_start_matches([' ', '\t']);
                (true, indent + 1 + (rest.len() - body.len()), body)
            }
            _ => (false, indent, trimmed),
        };
        let value = match split_key(content) {
            Some((_, v)) => v,
            None => content,
        };
        if starts_block_scalar(value) {
            scalar_parent = Some(if dash && split_key(content).is_none() {
                indent
            } else {
                col
            });
        }
        out.push(Line {
            idx,
            indent,
            dash,
            col,
            content,
        });
    }
    out
}

fn starts_block_scalar(value: &str) -> bool {
    let v = value.split(" #").next().unwrap_or("").trim();
    let mut words = v.split_whitespace().filter(|w| !w.starts_with(['&', '!']));
    matches!(words.next(), Some(w) if w.starts_with(['|', '>']) && w[1..].chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+'))
}

/// Splits `key: value` (value may be empty), unquoting the key.
pub(crate) fn split_key(content: &str) -> Option<(&str, &str)> {
    let (key, rest) = if let Some(q @ ('"' | '\'')) = content.chars().next() {
        let close = content[1..].find(q)? + 1;
        let rest = content[close + 1..].trim_start_matches([' ', '\t']);
        (&content[1..close], rest.strip_prefix(':')?)
    } else {
        if content.starts_with(['{', '[', '&', '*', '!', '|', '>']) {
            return None;
        }
        let mut at = None;
        for (i, _) in content.match_indices(':') {
            let after = &content[i + 1..];
            if after.is_empty() || after.starts_with([' ', '\t']) {
                at = Some(i);
                break;
            }
        }
        let i = at?;
        (content[..i].trim_end(), &content[i + 1..])
    };
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((key, rest.trim()))
}

struct Walker<'l, 'a, 'm> {
    lines: &'l [Line<'a>],
    raw_len: usize,
    spans: &'m mut HashMap<String, Span>,
}

impl Walker<'_, '_, '_> {
    /// Records the children of the node made of `lines[s..e]`.
    fn node(&mut self, s: usize, e: usize, path: &str, in_item: bool, depth: usize) {
        if s >= e || depth > 200 {
            return;
        }
        let first = &self.lines[s];
        if first.dash && !in_item {
            self.sequence(s, e, path, depth);
        } else {
            self.mapping(s, e, path, in_item, depth);
        }
    }

    fn sequence(&mut self, s: usize, e: usize, path: &str, depth: usize) {
        let col = self.lines[s].indent;
        let items: Vec<usize> = (s..e)
            .filter(|&i| self.lines[i].dash && self.lines[i].indent == col)
            .collect();
        for (n, &at) in items.iter().enumerate() {
            let next = items.get(n + 1).copied().unwrap_or(e);
            let child = format!("{path}[{n}]");
            self.record(&child, at, next);
            if self.lines[at].content.is_empty() {
                self.node(at + 1, next, &child, false, depth + 1);
            } else if split_key(self.lines[at].content).is_some() {
                self.mapping(at, next, &child, true, depth + 1);
            }
        }
    }

    fn mapping(&mut self, s: usize, e: usize, path: &str, in_item: bool, depth: usize) {
        let col = if in_item {
            self.lines[s].col
        } else {
            self.lines[s].indent
        };
        let keys: Vec<usize> = (s..e)
            .filter(|&i| {
                let l = &self.lines[i];
                (i == s && in_item) || (!l.dash && l.indent == col)
            })
            .collect();
        for (n, &at) in keys.iter().enumerate() {
            let Some((key, _)) = split_key(self.lines[at].content) else {
                continue;
            };
            let next = keys.get(n + 1).copied().unwrap_or(e);
            let child = if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            };
            self.record(&child, at, next);
            self.node(at + 1, next, &child, false, depth + 1);
        }
    }

    /// `lines[at..next]` is the node; its raw span ends before `next`.
    fn record(&mut self, path: &str, at: usize, next: usize) {
        let start = self.lines[at].idx;
        let end = self
            .lines
            .get(next)
            .map_or(self.raw_len.saturating_sub(1), |l| l.idx.saturating_sub(1))
            .max(start);
        self.spans
            .entry(path.to_owned())
            .or_insert(Span { start, end });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WF: &str = "\
name: ci
# a comment
on:
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - name: test
        run: |
          echo one
          not: a key
      -
        run: echo two
  lint:
    steps:
    - run: echo three
";

    #[test]
    fn finds_keys_items_and_nested_keys() {
        let loc = Locator::new(WF);
        assert_eq!(loc.line("on"), 3);
        assert_eq!(loc.line("on.pull_request"), 4);
        assert_eq!(loc.line("jobs.build.runs-on"), 7);
        assert_eq!(loc.line("jobs.build.steps[0].uses"), 9);
        assert_eq!(loc.line("jobs.build.steps[0].with.persist-credentials"), 11);
        assert_eq!(loc.line("jobs.build.steps[1].run"), 13);
        assert_eq!(loc.line("jobs.build.steps[2].run"), 17);
        assert_eq!(loc.line("jobs.lint.steps[0].run"), 20);
    }

    #[test]
    fn block_scalar_bodies_are_not_keys() {
        let loc = Locator::new(WF);
        assert_eq!(loc.line("jobs.build.steps[1].not"), 12);
        assert_eq!(loc.line_of("jobs.build.steps[1].run", "one"), 14);
    }

    #[test]
    fn unknown_paths_fall_back_to_the_nearest_ancestor() {
        let loc = Locator::new(WF);
        assert_eq!(loc.line("jobs.build.nope.deeper"), 6);
        assert_eq!(loc.line("nothing"), 1);
    }

    #[test]
    fn quoted_keys_and_crlf() {
        let loc = Locator::new("\u{feff}\"on\": push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n");
        assert_eq!(loc.line("on"), 1);
        assert_eq!(loc.line("jobs.a.runs-on"), 4);
    }
}
