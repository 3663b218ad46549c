//! Shared TOML handling: parse errors that name the file and the line, and
//! byte spans turned into lines.

use crate::LockError;
use crate::lines::line_at;
use serde::de::DeserializeOwned;

/// Deserialises TOML, or an error like `Cargo.lock: invalid TOML at line 3
/// column 1: ...`.
pub(crate) fn parse<T: DeserializeOwned>(path: &str, text: &str) -> Result<T, LockError> {
    toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let before = text.get(..span.start).unwrap_or_default();
                let column = before
                    .rsplit('\n')
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .count()
                    + 1;
                format!(
                    " at line {} column {column}",
                    line_at(text.as_bytes(), span.start)
                )
            })
            .unwrap_or_default();
        let message = e.message().trim().to_owned();
        LockError::invalid(path, format!("invalid TOML{at}: {message}"))
    })
}

/// The line of a spanned value.
pub(crate) fn line<T>(text: &str, value: &toml::Spanned<T>) -> u32 {
    line_at(text.as_bytes(), value.span().start)
}
