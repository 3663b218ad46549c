//! Line numbers for parsed values. serde_json and yaml_serde drop positions,
//! so these scanners find the line of each key in the text again, after the
//! real parser has accepted it; TOML keeps spans through `toml::Spanned`.

use std::collections::HashMap;

/// The 1-based line holding byte `offset`.
pub(crate) fn line_at(data: &[u8], offset: usize) -> u32 {
    let end = offset.min(data.len());
    let newlines = data
        .get(..end)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines)
        .unwrap_or(u32::MAX)
        .saturating_add(1)
}

/// The lines of every object key in a JSON document, by key path.
pub(crate) struct JsonLines {
    lines: HashMap<String, u32>,
}

const SEP: char = '\u{1}';

struct Frame {
    object: bool,
    /// Length of `path` before this container's own key was appended.
    path_len: usize,
    index: usize,
}

impl JsonLines {
    /// Scans text that serde_json has already accepted; on anything else it
    /// just finds fewer keys.
    pub(crate) fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut path = String::new();
        let mut pending: Option<String> = None;
        let mut expect_key = false;
        let mut line = 1u32;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\n' => line = line.saturating_add(1),
                b'"' => {
                    let start = i;
                    i += 1;
                    while let Some(&c) = bytes.get(i) {
                        match c {
                            b'\\' => i += 1,
                            b'"' => break,
                            _ => {}
                        }
                        i += 1;
                    }
                    let in_object = stack.last().is_some_and(|f| f.object);
                    if in_object && expect_key {
                        let raw = text
                            .get(start..=i.min(text.len().saturating_sub(1)))
                            .unwrap_or("");
                        let key = serde_json::from_str::<String>(raw).unwrap_or_default();
                        let mut full = path.clone();
                        full.push(SEP);
                        full.push_str(&key);
                        lines.entry(full).or_insert(line);
                        pending = Some(key);
                        expect_key = false;
                    }
                }
                b'{' | b'[' => {
                    let path_len = path.len();
                    let segment = match stack.last() {
                        Some(f) if f.object => pending.take().unwrap_or_default(),
                        Some(f) => f.index.to_string(),
                        None => String::new(),
                    };
                    if !stack.is_empty() {
                        path.push(SEP);
                        path.push_str(&segment);
                    }
                    stack.push(Frame {
                        object: b == b'{',
                        path_len,
                        index: 0,
                    });
                    expect_key = b == b'{';
                }
                b'}' | b']' => {
                    if let Some(frame) = stack.pop() {
                        path.truncate(frame.path_len);
                    }
                    expect_key = false;
                }
                b',' => {
                    if let Some(frame) = stack.last_mut() {
                        frame.index += 1;
                        expect_key = frame.object;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        JsonLines { lines }
    }

    /// The line of the key at `path` (keys from the root), or 0.
    pub(crate) fn get(&self, path: &[&str]) -> u32 {
        let mut full = String::new();
        for key in path {
            full.push(SEP);
            full.push_str(key);
        }
        self.lines.get(&full).copied().unwrap_or(0)
    }
}

/// The lines of the keys one level under each top-level key of a block-style
/// YAML document (`packages:` then `  name@1.0.0:`), as pnpm writes them;
/// top-level keys (yarn berry's entries) are under the section `""`.
pub(crate) struct YamlLines {
    lines: HashMap<(String, String), u32>,
}

impl YamlLines {
    pub(crate) fn new(text: &str) -> Self {
        let mut lines = HashMap::new();
        let mut section = String::new();
        let mut child_indent: Option<usize> = None;
        for (n, raw) in text.lines().enumerate() {
            let line = u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
            let content = raw.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = raw.len() - content.len();
            if indent == 0 {
                section = yaml_key(content).unwrap_or_default();
                lines
                    .entry((String::new(), section.clone()))
                    .or_insert(line);
                child_indent = None;
                continue;
            }
            if *child_indent.get_or_insert(indent) == indent
                && let Some(key) = yaml_key(content)
            {
                lines.entry((section.clone(), key)).or_insert(line);
            }
        }
        YamlLines { lines }
    }

    pub(crate) fn get(&self, section: &str, key: &str) -> u32 {
        self.lines
            .get(&(section.to_owned(), key.to_owned()))
            .copied()
            .unwrap_or(0)
    }
}

/// The key of a `key:` or `key: value` line, unquoted.
fn yaml_key(content: &str) -> Option<String> {
    if let Some(rest) = content.strip_prefix('"') {
        let end = rest.find('"')?;
        return Some(rest.get(..end)?.replace("\\\"", "\""));
    }
    if let Some(rest) = content.strip_prefix('\'') {
        let end = rest.find('\'')?;
        return rest.get(..end).map(str::to_owned);
    }
    let end = content
        .find(": ")
        .or_else(|| content.strip_suffix(':').map(str::len))?;
    content.get(..end).map(|k| k.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_are_found_by_path() {
        let text = "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": [ {\"d\": 2} ]\n  },\n  \"b\": 3\n}";
        let lines = JsonLines::new(text);
        assert_eq!(lines.get(&["a"]), 2);
        assert_eq!(lines.get(&["a", "b"]), 3);
        assert_eq!(lines.get(&["a", "c", "0", "d"]), 4);
        assert_eq!(lines.get(&["b"]), 6);
        assert_eq!(lines.get(&["zzz"]), 0);
    }

    #[test]
    fn yaml_keys_are_found_by_section() {
        let text = "lockfileVersion: '9.0'\npackages:\n\n  '@a/b@1.0.0':\n    resolution: x\n  c@2.0.0:\n    dev: true\n";
        let lines = YamlLines::new(text);
        assert_eq!(lines.get("packages", "@a/b@1.0.0"), 4);
        assert_eq!(lines.get("packages", "c@2.0.0"), 6);
    }

    #[test]
    fn line_at_counts_from_one() {
        assert_eq!(line_at(b"a\nb\nc", 0), 1);
        assert_eq!(line_at(b"a\nb\nc", 4), 3);
        assert_eq!(line_at(b"a", 99), 1);
    }
}
