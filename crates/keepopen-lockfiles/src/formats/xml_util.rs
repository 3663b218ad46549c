//! A small element tree over quick-xml, enough for `packages.config` and
//! `pom.xml`: names without namespace prefixes, attributes, text, and the
//! line each element starts on.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::LockError;
use crate::lines::line_at;

#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
    pub(crate) line: u32,
}

impl Element {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(crate) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of a child element.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

fn element(
    path: &str,
    text: &str,
    start: &BytesStart<'_>,
    offset: u64,
) -> Result<Element, LockError> {
    let line = line_at(
        text.as_bytes(),
        usize::try_from(offset).unwrap_or(usize::MAX),
    );
    let local = start.local_name();
    let mut element = Element {
        name: local.as_ref().to_owned(),
        line,
        ..Element::default()
    };
    for attr in start.attributes() {
        let attr = attr
            .map_err(|e| LockError::at_line(path, line, format!("invalid XML attribute: {e}")))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| LockError::at_line(path, line, format!("invalid XML attribute: {e}")))?;
        let key = attr.key.local_name().as_ref().to_owned();
        element.attrs.push((key, value.into_owned()));
    }
    Ok(element)
}

/// Parses a whole document into its root element.
pub(crate) fn parse(path: &str, text: &str) -> Result<Element, LockError> {
    let mut reader = Reader::from_str(text);
    let mut stack = vec![Element::default()];
    loop {
        let offset = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            LockError::at_line(
                path,
                line_at(text.as_bytes(), at),
                format!("invalid XML: {e}"),
            )
        })?;
        match event {
            Event::Start(start) => stack.push(element(path, text, &start, offset)?),
            Event::Empty(start) => {
                let done = element(path, text, &start, offset)?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(done);
                }
            }
            Event::End(_) => {
                let done = stack.pop().filter(|_| !stack.is_empty());
                match (done, stack.last_mut()) {
                    (Some(done), Some(parent)) => parent.children.push(done),
                    _ => {
                        let line = line_at(
                            text.as_bytes(),
                            usize::try_from(offset).unwrap_or(usize::MAX),
                        );
                        return Err(LockError::at_line(
                            path,
                            line,
                            "invalid XML: unexpected end tag",
                        ));
                    }
                }
            }
            Event::Text(t) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&t.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        let line = line_at(text.as_bytes(), text.len());
        return Err(LockError::at_line(
            path,
            line,
            "invalid XML: unclosed element",
        ));
    }
    stack
        .pop()
        .and_then(|doc| doc.children.into_iter().next())
        .ok_or_else(|| LockError::invalid(path, "invalid XML: no root element"))
}
