//! Decoys: values that sit where secrets sit but are not secrets.
//! Placeholders, environment lookups, templating, documented examples,
//! hashes, UUIDs and public keys. A scanner that reports them is ignored by
//! the teams it is meant to help.

/// Why a candidate was judged not to be a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoy {
    Placeholder,
    Template,
    DocumentedExample,
    Uniform,
    Uuid,
    Reference,
    NotSecretName,
}

const PLACEHOLDER_WORDS: &[&str] = &[
    "xxxx", "****", "....", "<your", "your_", "your-", "yourapi", "yourkey", "yoursecret", "yourpass",
    "changeme", "change_me", "change-me", "placeholder", "dummy", "redacted", "replaceme", "replace_me",
    "replace-with", "insert_", "insert-", "notasecret", "not_a_secret", "not-a-secret", "fake_", "fake-",
    "<secret>", "<password>", "<token>", "xxxxx", "tbd", "todo", "fixme", "somepassword", "mypassword",
    "secret_here", "token_here", "key_here", "password_here", "goes_here", "goes-here", "-here",
    "_here", "<redacted>", "sample", "lorem", "foobar", "p@ssw0rd",
];

/// Values too common to be anyone's secret, when a generic rule finds them.
const NON_VALUES: &[&str] = &[
    "password", "passwd", "secret", "token", "none", "null", "nil", "true", "false", "undefined",
    "string", "str", "value", "empty", "required", "optional", "default", "hidden", "masked", "test",
    "testing", "example", "admin", "root", "user", "username", "bearer", "basic", "api_key", "apikey",
    "secret_key", "access_token", "client_secret",
];

/// Names that look like secret names but hold something public.
const NON_SECRET_NAME_PARTS: &[&str] = &[
    "public", "publishable", "pub_key", "pubkey", "site_key", "sitekey", "key_id", "keyid", "_id\"",
    "client_id", "clientid", "username", "user_name", "_url", "_uri", "_path", "_file", "_dir", "_name",
    "_field", "_type", "_length", "_len", "_size", "_env", "_var", "_prompt", "_label", "_hint",
    "_policy", "_format", "_regex", "_pattern", "_header", "_param", "_column", "_col", "hash", "sha",
    "digest", "checksum", "integrity", "fingerprint", "salt_rounds", "min_", "max_", "_min", "_max",
    "_count", "_expir", "_ttl", "_timeout", "_rotation", "_algorithm", "_alg", "_version", "_mode",
    "_placeholder", "_description", "_message", "_error", "_text", "_question", "_reset", "_confirm",
    "_strength", "_validator", "_required", "_changed", "_expires", "forgot", "_key_ref",
];

/// Is this (generic rule) candidate a decoy? `name` is the identifier the
/// value was assigned to, when the rule captures one.
pub(crate) fn check(secret: &str, line: &str, name: Option<&str>, generic: bool) -> Option<Decoy> {
    let lower = secret.to_ascii_lowercase();
    if lower.contains("example") {
        return Some(Decoy::DocumentedExample);
    }
    if is_template(secret) {
        return Some(Decoy::Template);
    }
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return Some(Decoy::Placeholder);
    }
    if is_uniform(secret.as_bytes()) {
        return Some(Decoy::Uniform);
    }
    if !generic {
        return None;
    }
    if NON_VALUES.contains(&lower.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_')) {
        return Some(Decoy::Placeholder);
    }
    if is_uuid(secret) {
        return Some(Decoy::Uuid);
    }
    if is_reference(secret, line) {
        return Some(Decoy::Reference);
    }
    if let Some(n) = name {
        let n = n.to_ascii_lowercase();
        if NON_SECRET_NAME_PARTS.iter().any(|p| n.contains(p)) {
            return Some(Decoy::NotSecretName);
        }
    }
    None
}

/// `${VAR}`, `{{ var }}`, `$(VAR)`, `#{VAR}#`, `%VAR%`, `<%= x %>`, `$VAR`,
/// `%(name)s`, `{0}`: values filled in at deploy or run time.
fn is_template(s: &str) -> bool {
    let t = s.trim();
    t.contains("${")
        || t.contains("{{")
        || t.contains("}}")
        || t.contains("$(")
        || t.contains("#{")
        || t.contains("<%")
        || t.contains("%(")
        || t.contains("{0}")
        || (t.len() > 2 && t.starts_with('%') && t.ends_with('%'))
        || (t.starts_with('$') && t[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        || (t.starts_with('<') && t.ends_with('>'))
        || (t.starts_with('[') && t.ends_with(']'))
}

/// Few distinct bytes (`aaaaaaaa`, `abababab`) or a plain run
/// (`12345678`, `abcdefgh`).
fn is_uniform(s: &[u8]) -> bool {
    if s.len() < 4 {
        return false;
    }
    let mut seen = [false; 256];
    let distinct = s.iter().filter(|&&b| !std::mem::replace(&mut seen[b as usize], true)).count();
    if distinct <= 2 || (s.len() >= 12 && distinct <= 3) {
        return true;
    }
    s.windows(2).all(|w| w[1] == w[0].wrapping_add(1))
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The value names something else: an environment variable, a file, a
/// function call, a setting lookup.
fn is_reference(s: &str, line: &str) -> bool {
    let t = s.trim();
    let env_name = t.len() >= 3
        && t.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && t.contains('_')
        && !t.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let path_like = t.starts_with('/') || t.starts_with("./") || t.starts_with("../") || t.starts_with("~/");
    let lookup = [
        "os.environ", "getenv(", "process.env", "Sys.getenv", "ENV[", "ENV.fetch",
        "GetEnvironmentVariable", "Configuration[", "config.get(", "settings.", "secrets.",
        "dbutils.secrets", "keyring.get", "vault.read", "key_vault", "get_secret(",
    ];
    let looked_up = lookup.iter().any(|l| line.contains(l)) && !line.contains(&format!("\"{t}\"")[..]);
    env_name || path_like || looked_up || t.ends_with("()")
}

/// Lockfiles hold integrity hashes that generic rules would mistake for keys.
pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "package-lock.json" | "npm-shrinkwrap.json" | "yarn.lock" | "pnpm-lock.yaml" | "bun.lock"
            | "Cargo.lock" | "poetry.lock" | "Pipfile.lock" | "uv.lock" | "pdm.lock" | "pylock.toml"
            | "renv.lock" | "Gemfile.lock" | "go.sum" | "composer.lock" | "packages.lock.json"
            | "gradle.lockfile" | "flake.lock" | "mix.lock" | "pubspec.lock" | "Podfile.lock"
            | "conda-lock.yml" | "Package.resolved"
    ) || name.ends_with(".deps.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_placeholders_are_decoys() {
        for s in ["${DB_PASSWORD}", "{{ vault_pw }}", "$(SqlPassword)", "#{Token}#", "%PASSWORD%", "$PASSWORD",
            "<your-api-key>", "xxxxxxxxxxxxxxxx", "changeme123", "AKIAIOSFODNN7EXAMPLE"]
        {
            assert!(check(s, "", None, true).is_some(), "{s} should be a decoy");
        }
    }

    #[test]
    fn real_looking_values_are_not_decoys() {
        for s in ["Tr0ub4dor&3x!", "q8ZrT2mXv9LkP3sWn7YbC4", "hunter2-Prod-2024"] {
            assert_eq!(check(s, "password = \"...\"", Some("db_password"), true), None, "{s}");
        }
    }

    #[test]
    fn generic_context_rules_out_uuids_references_and_public_names() {
        assert_eq!(check("123e4567-e89b-12d3-a456-426614174000", "", None, true), Some(Decoy::Uuid));
        assert_eq!(check("DB_PASSWORD", "", None, true), Some(Decoy::Reference));
        assert_eq!(check("q8ZrT2mXv9LkP3sWn7YbC4", "", Some("public_key"), true), Some(Decoy::NotSecretName));
        assert_eq!(check("q8ZrT2mXv9LkP3sWn7YbC4", "", Some("password_hash"), true), Some(Decoy::NotSecretName));
        // Provider rules keep UUID-shaped secrets: some providers issue them.
        assert_eq!(check("123e4567-e89b-12d3-a456-426614174000", "", None, false), None);
    }

    #[test]
    fn lockfiles_are_known_by_name() {
        assert!(is_lockfile("web/package-lock.json"));
        assert!(is_lockfile("Cargo.lock"));
        assert!(!is_lockfile("src/lock.rs"));
    }
}
