//! Shared YAML handling: parse errors that name the file and line, and
//! mappings walked without panicking.

use crate::LockError;

pub(crate) fn parse(path: &str, text: &str) -> Result<yaml_serde::Value, LockError> {
    if let Some(message) = keepopen_content::yaml_depth::too_deep(text) {
        return Err(LockError::invalid(path, message));
    }
    yaml_serde::from_str(text).map_err(|e| {
        let line = e
            .location()
            .map_or(0, |l| u32::try_from(l.line()).unwrap_or(0));
        LockError::at_line(path, line, format!("invalid YAML: {e}"))
    })
}

/// A mapping's string keys with their values; other keys are skipped.
pub(crate) fn entries(value: Option<&yaml_serde::Value>) -> Vec<(&str, &yaml_serde::Value)> {
    value
        .and_then(yaml_serde::Value::as_mapping)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.as_str()?, v)))
                .collect()
        })
        .unwrap_or_default()
}

/// A scalar as text: YAML reads `version: 1.10` as a number.
pub(crate) fn scalar(value: Option<&yaml_serde::Value>) -> Option<String> {
    match value? {
        yaml_serde::Value::String(s) => Some(s.clone()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
