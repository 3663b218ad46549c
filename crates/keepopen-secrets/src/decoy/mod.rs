//! Decoys: values that sit where secrets sit but are not secrets.
//! Placeholders, environment lookups, templating, documented examples, test
//! keys, published sample values, password hashes, UUIDs and names that
//! describe a secret rather than hold it. A scanner that reports them is
//! ignored by the teams it is meant to help.

mod known;
mod names;
mod reference;
mod template;

/// Why a candidate was judged not to be a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoy {
    Placeholder,
    Template,
    DocumentedExample,
    KnownPublic,
    TestKey,
    Uniform,
    Uuid,
    Hash,
    Reference,
    NotSecretName,
    /// Inside an image, font or wasm module written out as base64.
    Embedded,
}

/// How far either side of a candidate the base64 run around it is
/// followed: enough to tell a token from a blob, bounded so that a file of
/// many candidates costs no more than its length times a constant.
const EMBED_LOOK: usize = 4096;

/// Whether the candidate at `data[start..start + len]` lies inside binary
/// written out as base64: a `data:…;base64,` URI (an inline image in
/// bundled CSS or JavaScript), or a run of base64 far longer than any
/// token, with the candidate somewhere in its middle. Random bytes hold
/// every token shape by chance; vendored Modernizr and pdf.js do.
pub(crate) fn embedded(data: &[u8], start: usize, len: usize) -> bool {
    let b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_');
    let end = (start + len).min(data.len());
    let before = &data[start.saturating_sub(EMBED_LOOK)..start];
    let left = before.iter().rev().take_while(|b| b64(b)).count();
    let after = &data[end..(end + EMBED_LOOK).min(data.len())];
    let right = after.iter().take_while(|b| b64(b)).count();
    let run_start = start - left;
    if data[..run_start].ends_with(b";base64,") {
        return true;
    }
    left + len + right >= 1000 && left + right >= 256
}

/// Placeholders that no random token contains by chance: checked for
/// every rule.
const STRONG_PLACEHOLDERS: &[&str] = &[
    "xxxxx",
    "*****",
    "<your",
    "your_",
    "your-",
    "yourapi",
    "yourkey",
    "yoursecret",
    "yourpass",
    "_here",
    "-here",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "dummy",
    "redacted",
    "replaceme",
    "replace_me",
    "replace-with",
    "notasecret",
    "not_a_secret",
    "not-a-secret",
    "<secret>",
    "<password>",
    "<token>",
    "goes_here",
    "goes-here",
];

/// Short or common words that mark a placeholder in a free-form value, but
/// that a long random token can contain by chance (about 1% of 300-character
/// tokens hold `tbd`): checked for generic rules only.
const WEAK_PLACEHOLDERS: &[&str] = &[
    "xxxx",
    "****",
    "...",
    "insert_",
    "insert-",
    "fake_",
    "fake-",
    "tbd",
    "todo",
    "fixme",
    "somepassword",
    "mypassword",
    "sample",
    "lorem",
    "foobar",
    "p@ssw0rd",
];

/// Keys a provider issues for its test mode, which move no money and reach
/// no real data.
const TEST_KEY_PREFIXES: &[&str] = &["sk_test_", "pk_test_", "rk_test_"];

/// Password-hash formats: a hash in a fixture is not the password.
const HASH_PREFIXES: &[&str] = &[
    "pbkdf2_sha256$",
    "pbkdf2_sha1$",
    "pbkdf2:sha256:",
    "argon2$",
    "$argon2",
    "bcrypt$",
    "bcrypt_sha256$",
    "$2a$",
    "$2b$",
    "$2y$",
    "$5$",
    "$6$",
    "scrypt:",
    "sha1$",
    "md5$",
    "{ssha}",
    "{sha}",
];

const NON_VALUES: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "guest",
    "anonymous",
    "login",
    "foo",
    "bar",
    "baz",
    "qux",
    "secret",
    "token",
    "none",
    "null",
    "nil",
    "true",
    "false",
    "undefined",
    "string",
    "str",
    "value",
    "empty",
    "required",
    "optional",
    "default",
    "hidden",
    "masked",
    "test",
    "testing",
    "example",
    "admin",
    "root",
    "user",
    "username",
    "bearer",
    "basic",
    "api_key",
    "apikey",
    "secret_key",
    "access_token",
    "client_secret",
];

/// Is this candidate a decoy? `generic` rules (a value assigned to a
/// secret-sounding name) get the stricter checks; `name` is the variable the
/// value was assigned to, when the rule captures one.
pub(crate) fn check(secret: &str, line: &str, name: Option<&str>, generic: bool) -> Option<Decoy> {
    let lower = secret.to_ascii_lowercase();
    if lower.contains("example") {
        return Some(Decoy::DocumentedExample);
    }
    if known::is_known_public(secret) {
        return Some(Decoy::KnownPublic);
    }
    // `${dbpassword:-"dev"}` cut at its quote is still a lookup, whatever
    // rule captured it: no token starts with `${` or `$(`.
    if template::is_template(secret) || secret.starts_with("${") || secret.starts_with("$(") {
        return Some(Decoy::Template);
    }
    if TEST_KEY_PREFIXES
        .iter()
        .any(|p| lower.starts_with(p) || lower.contains(&format!("={p}")))
    {
        return Some(Decoy::TestKey);
    }
    if STRONG_PLACEHOLDERS.iter().any(|w| lower.contains(w)) {
        return Some(Decoy::Placeholder);
    }
    if is_uniform(secret.as_bytes()) {
        return Some(Decoy::Uniform);
    }
    if !generic {
        return None;
    }
    if WEAK_PLACEHOLDERS.iter().any(|w| lower.contains(w))
        || NON_VALUES
            .contains(&lower.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_'))
    {
        return Some(Decoy::Placeholder);
    }
    // Most UUIDs are ids; some identity providers (Azure AD's older client
    // secrets, Heroku's API keys) issue UUID-shaped secrets, and a UUID
    // assigned to such a name is kept.
    if at_example_host(secret, line) {
        return Some(Decoy::DocumentedExample);
    }
    if is_uuid(secret) && !name.is_some_and(names::may_hold_uuid_secret) {
        return Some(Decoy::Uuid);
    }
    if HASH_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return Some(Decoy::Hash);
    }
    if reference::is_reference(secret, line) {
        return Some(Decoy::Reference);
    }
    if name.is_some_and(names::is_not_secret_name) {
        return Some(Decoy::NotSecretName);
    }
    None
}

/// Whether `secret` is the password of a URL whose host is reserved for
/// documentation (RFC 2606: `example.com`, `example.org`, `example.net`,
/// `*.example`): `http://proxyuser:proxypass@example.org:3128` in a README.
fn at_example_host(secret: &str, line: &str) -> bool {
    let needle = format!("{secret}@");
    line.match_indices(&needle).any(|(at, _)| {
        let rest = &line[at + needle.len()..];
        let host: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        let host = host.trim_end_matches('.');
        ["example.com", "example.org", "example.net", "example"]
            .iter()
            .any(|d| host == *d || host.ends_with(&format!(".{d}")))
    })
}

fn is_uniform(s: &[u8]) -> bool {
    if s.len() < 4 {
        return false;
    }
    let mut seen = [false; 256];
    let distinct = s
        .iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_inside_base64_images_are_embedded_not_secrets() {
        let token = ["EAAA", "Ekq0XuLvfVQZwAbcD1x2Yz7hPQr9sT3uVw5XyZa1bC2dE3fG4h"].concat();
        let uri = format!("img.src='data:image/png;base64,iVBORw0KGgo{token}AAAASUVORK5CYII=';");
        let at = uri.find(&token).expect("planted");
        assert!(embedded(uri.as_bytes(), at, token.len()));
        let blob = format!("x=\"{}{token}{}\"", "QUJD".repeat(200), "REVG".repeat(200));
        let at = blob.find(&token).expect("planted");
        assert!(embedded(blob.as_bytes(), at, token.len()));
        // The token alone, or assigned in code, is not embedded.
        let code = format!("SQUARE_TOKEN = '{token}'\n");
        let at = code.find(&token).expect("planted");
        assert!(!embedded(code.as_bytes(), at, token.len()));
        // Nor is a long token that is the whole run.
        let long = format!("k = '{}'", "QUJD".repeat(300));
        assert!(!embedded(long.as_bytes(), 5, 1200));
    }

    #[test]
    fn templates_placeholders_and_examples_are_decoys() {
        let aws_doc = ["AKIA", "IOSFODNN7", "EXAMPLE"].concat();
        for s in [
            "${DB_PASSWORD}",
            "${dbpassword:-",
            "$(cat /run/secrets/db",
            "{{ vault_pw }}",
            "$(SqlPassword)",
            "#{Token}#",
            "%PASSWORD%",
            "$PASSWORD",
            "<your-api-key>",
            "xxxxxxxxxxxxxxxx",
            "changeme123",
            aws_doc.as_str(),
        ] {
            assert!(check(s, "", None, true).is_some(), "{s} should be a decoy");
        }
    }

    #[test]
    fn passwords_of_documentation_hosts_are_examples() {
        // Split so that keepopen's own scan does not read a URL here.
        let pw = ["Qz7", "pass"].concat();
        let url = |host: &str| format!("http://proxyuser:{pw}@{host}:3128");
        let line = format!("options => 'http-proxy=\"{}\"'", url("proxy.example.org"));
        assert_eq!(
            check(&pw, &line, None, true),
            Some(Decoy::DocumentedExample)
        );
        for host in ["develop.test.trust.nhs.uk", "examples.trust.nhs.uk"] {
            assert_eq!(check(&pw, &url(host), None, true), None, "{host}");
        }
    }

    #[test]
    fn real_looking_values_are_not_decoys() {
        for s in [
            "Tr0ub4dor&3x!",
            "q8ZrT2mXv9LkP3sWn7YbC4",
            "hunter2-Prod-2024",
        ] {
            assert_eq!(
                check(s, "password = \"...\"", Some("db_password"), true),
                None,
                "{s}"
            );
        }
    }

    #[test]
    fn generic_context_rules_out_uuids_hashes_references_and_describing_names() {
        assert_eq!(
            check("123e4567-e89b-12d3-a456-426614174000", "", None, true),
            Some(Decoy::Uuid)
        );
        assert_eq!(
            check("pbkdf2_sha256$600000$abc$def", "", None, true),
            Some(Decoy::Hash)
        );
        assert_eq!(check("DB_PASSWORD", "", None, true), Some(Decoy::Reference));
        assert_eq!(
            check("q8ZrT2mXv9LkP3sWn7YbC4", "", Some("public_key"), true),
            Some(Decoy::NotSecretName)
        );
        assert_eq!(
            check("q8ZrT2mXv9LkP3sWn7YbC4", "", Some("DB_USER_PASSWORD"), true),
            None
        );
        // A UUID assigned to a secret's name is kept: some identity
        // providers issue them. One assigned to an id or a key of a cache is
        // not.
        let uuid = "123e4567-e89b-12d3-a456-426614174000";
        for name in [
            "client_secret",
            "API_KEY",
            "apiKey",
            "AzureAdClientSecret",
            "DB_PASSWORD",
            "access_token",
        ] {
            assert_eq!(check(uuid, "", Some(name), true), None, "{name}");
        }
        for name in [
            "client_id",
            "tenantId",
            "idempotency_key",
            "cache_key",
            "id_token_hint",
            "public_key",
            "secret_id",
        ] {
            assert_eq!(
                check(uuid, "", Some(name), true),
                Some(Decoy::Uuid),
                "{name}"
            );
        }
        // Provider rules keep UUID-shaped secrets: some providers issue them.
        assert_eq!(
            check("123e4567-e89b-12d3-a456-426614174000", "", None, false),
            None
        );
    }

    #[test]
    fn test_mode_keys_are_decoys_for_every_rule() {
        assert_eq!(
            check("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "", None, false),
            Some(Decoy::TestKey)
        );
        assert_eq!(
            check(
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
                "",
                Some("STRIPE_KEY"),
                true
            ),
            Some(Decoy::TestKey)
        );
    }

    #[test]
    fn prefixed_tokens_are_not_dropped_for_short_words_inside_them() {
        assert_eq!(check("ASIAtbdQ2xZ8", "", None, false), None);
        assert_eq!(
            check("sk_live_your_key_here", "", None, false),
            Some(Decoy::Placeholder)
        );
        assert_eq!(check("tbd-later", "", None, true), Some(Decoy::Placeholder));
    }
}
