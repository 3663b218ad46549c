//! Variable names that hold something other than a secret: `client_id`,
//! `token_url`, `password_hash`, `PASSWORD_MIN_LENGTH`, `public_key`.

use keepopen_findings::DigitThenCapital;

/// Words that make any name public, wherever they stand.
const PUBLIC_WORDS: &[&str] = &["public", "publishable", "pub", "pubkey", "sitekey"];

/// Words that, after the name's last secret word, say the value describes
/// the secret rather than being it (`password_hash`, `token_url`). Before
/// the secret word they say whose secret it is (`DB_USER_PASSWORD`,
/// `SMTP_HOST_PASSWORD`), so they count only after it.
const DESCRIBING_WORDS: &[&str] = &[
    "id",
    "ids",
    "keyid",
    "clientid",
    "username",
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "filename",
    "dir",
    "name",
    "field",
    "type",
    "length",
    "len",
    "size",
    "env",
    "var",
    "prompt",
    "label",
    "hint",
    "policy",
    "format",
    "regex",
    "pattern",
    "header",
    "param",
    "column",
    "col",
    "hash",
    "hashed",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "digest",
    "checksum",
    "integrity",
    "fingerprint",
    "rounds",
    "min",
    "max",
    "count",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "timeout",
    "rotation",
    "algorithm",
    "alg",
    "version",
    "mode",
    "placeholder",
    "description",
    "message",
    "error",
    "question",
    "reset",
    "confirm",
    "confirmation",
    "strength",
    "validator",
    "validation",
    "required",
    "changed",
    "forgot",
    "ref",
    "location",
    "enabled",
    "disabled",
    "prefix",
    "suffix",
    "encoding",
    "schema",
    "scope",
    "scopes",
    "host",
    "user",
];

/// The words that make a name a secret's name.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "key",
    "keys",
    "apikey",
    "credential",
    "credentials",
    "auth",
    "pat",
];

/// The words of a variable's name. A digit ends a hump, so `s3SecretKey`
/// holds `secret` and `key`.
pub(super) fn words(name: &str) -> Vec<String> {
    keepopen_findings::words(name, DigitThenCapital::Splits)
}

pub(super) fn is_not_secret_name(name: &str) -> bool {
    let w = words(name);
    if w.iter().any(|x| PUBLIC_WORDS.contains(&x.as_str())) {
        return true;
    }
    let after = w
        .iter()
        .rposition(|x| SECRET_WORDS.contains(&x.as_str()))
        .map_or(0, |i| i + 1);
    w[after..]
        .iter()
        .any(|x| DESCRIBING_WORDS.contains(&x.as_str()))
}

/// Whether a UUID assigned to `name` may be the secret itself: the name
/// ends in a password or secret word, an API key, or an access, auth,
/// bearer, refresh or API token. `cache_key`, `client_id`, `id_token_hint`
/// and `secret_id` hold ids.
pub(super) fn may_hold_uuid_secret(name: &str) -> bool {
    if is_not_secret_name(name) {
        return false;
    }
    let w = words(name);
    let Some(last) = w.last().map(String::as_str) else {
        return false;
    };
    let before = w.len().checked_sub(2).map(|i| w[i].as_str());
    match last {
        "password" | "passwd" | "pwd" | "passphrase" | "secret" | "apikey" => true,
        "key" => before == Some("api"),
        "token" => matches!(
            before,
            Some("access" | "auth" | "bearer" | "refresh" | "api")
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_judged_word_by_word() {
        assert_eq!(words("OKTA_ADMIN_TOKEN"), ["okta", "admin", "token"]);
        assert_eq!(words("clientSecretHash"), ["client", "secret", "hash"]);
        for public in [
            "PASSWORD_MIN_LENGTH",
            "clientId",
            "token_url",
            "password_hash",
            "public_key",
            "stripePublishableKey",
        ] {
            assert!(is_not_secret_name(public), "{public}");
        }
        for secret in [
            "OKTA_ADMIN_TOKEN",
            "DB_USER_PASSWORD",
            "SMTP_HOST_PASSWORD",
            "userPassword",
            "id_token",
            "ClearTextPassword",
        ] {
            assert!(!is_not_secret_name(secret), "{secret}");
        }
    }
}
