//! Values that name something else: an environment variable, a file, a
//! function call, a setting looked up at run time.

/// Lookups that, on a line whose value is not a quoted literal, mean the
/// value comes from somewhere else.
const LOOKUPS: &[&str] = &[
    "os.environ",
    "getenv(",
    "process.env",
    "Sys.getenv",
    "ENV[",
    "ENV.fetch",
    "GetEnvironmentVariable",
    "Configuration[",
    "config.get(",
    "settings.",
    "secrets.",
    "dbutils.secrets",
    "keyring.get",
    "vault.read",
    "key_vault",
    "get_secret(",
];

pub(super) fn is_reference(s: &str, line: &str) -> bool {
    let t = s.trim();
    let env_name = t.len() >= 3
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && t.contains('_')
        && !t.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let path_like =
        t.starts_with("./") || t.starts_with("../") || t.starts_with("~/") || is_absolute_path(t);
    let looked_up = (LOOKUPS.iter().any(|l| line.contains(l)) && !inside_quotes(line, t))
        || LOOKUPS.iter().any(|l| t.contains(l));
    env_name || path_like || looked_up || t.ends_with("()")
}

/// Is the first occurrence of `value` in `line` inside a quoted string?
/// `os.environ.get("DB_URL", "postgres://u:pw@h")` holds a literal default.
fn inside_quotes(line: &str, value: &str) -> bool {
    let Some(at) = line.find(value) else {
        return false;
    };
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for &b in &line.as_bytes()[..at] {
        match (quote, b) {
            (_, _) if escaped => escaped = false,
            (Some(_), b'\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, b'"' | b'\'' | b'`') => quote = Some(b),
            _ => {}
        }
    }
    quote.is_some()
}

/// `/etc/ssl/private/key.pem` or `/run/secrets/db_password`, but not a
/// base64 secret that happens to start with `/`: several segments, and
/// either a file extension or no capital letters.
fn is_absolute_path(t: &str) -> bool {
    t.starts_with('/')
        && t.matches('/').count() >= 2
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_.-".contains(&b))
        && (t.rsplit('/').next().is_some_and(|last| last.contains('.'))
            || !t.bytes().any(|b| b.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_env_names_and_paths_are_references() {
        assert!(is_reference("DB_PASSWORD", "password = DB_PASSWORD"));
        assert!(is_reference("/run/secrets/db_password", ""));
        assert!(is_reference("/etc/ssl/private/Server.key", ""));
        assert!(is_reference("get_password()", ""));
        assert!(is_reference(
            "x9Lm2Qz7",
            "password = os.environ.get('DB_PASSWORD') or x9Lm2Qz7"
        ));
    }

    #[test]
    fn quoted_literals_on_lookup_lines_are_not_references() {
        assert!(!is_reference(
            "pw9!Lm2Q",
            r#"url = os.environ.get("DB_URL", "postgres://u:pw9!Lm2Q@h/db")"#
        ));
        assert!(!is_reference(
            "s3cr3t-Value9",
            "os.environ['API_KEY'] = 's3cr3t-Value9'"
        ));
        assert!(!is_reference("/Kq8ZrT2mXv9LkP3sWn7YbC4aRt5u", ""));
    }
}
