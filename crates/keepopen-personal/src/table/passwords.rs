//! Password material in a table: a column of password hashes in a users
//! table, a seed CSV or a sheet. Reported once per column, with a count and
//! the salt column beside it, under the secret rule `password-hash`, whose
//! rule file (`keepopen-rules/rules/password-hashes.toml`) finds the same
//! hashes in configuration lines. The formats that name themselves (bcrypt,
//! crypt, argon2, pbkdf2, scrypt) count in any column; a bare hex digest
//! counts only in a column named for passwords, since anywhere else it is a
//! commit id or a checksum.

use crate::table::Table;
use crate::table::columns::squash;
use keepopen_findings::{Category, Confidence, Match, Severity};

/// The secret rule these findings belong to (one id for a hash in a line
/// and a column of them).
pub const ID: &str = "password-hash";

/// One column of password hashes.
#[derive(Clone, Debug)]
pub struct HashColumn {
    pub index: usize,
    pub name: String,
    /// The hashes, each with its line.
    pub cells: Vec<(u32, String)>,
    /// The formats found, most common first: `bcrypt`, `SHA-1 hex digest`.
    pub kinds: Vec<&'static str>,
    /// The column's name says password.
    pub named: bool,
}

/// Whether a column's name says it holds passwords: `password`,
/// `password_hash`, `passwd`, `pwd`, `pass_hash`; not a reset token, an
/// expiry date or a policy about them.
pub fn named(name: &str) -> bool {
    let n = squash(name);
    let about = [
        "reset", "token", "expir", "changed", "date", "hint", "policy", "length",
    ];
    (n.contains("password")
        || n.contains("passwd")
        || n.contains("pwd")
        || n.contains("passhash")
        || n == "pass")
        && !about.iter().any(|w| n.contains(w))
}

/// Whether a column's name says it holds password salts.
pub fn salt_named(name: &str) -> bool {
    squash(name).contains("salt")
}

fn crypt_chars(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
}

fn b64(s: &str, min: usize) -> bool {
    let s = s.trim_end_matches('=');
    s.len() >= min
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'.')
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The format of a hash that names itself, if `v` is one.
pub fn self_describing(v: &str) -> Option<&'static str> {
    let v = v
        .strip_prefix("bcrypt_sha256$")
        .or_else(|| v.strip_prefix("bcrypt$"))
        .unwrap_or(v);
    let parts: Vec<&str> = v.split('$').collect();
    match parts.as_slice() {
        ["", "2a" | "2b" | "2y" | "2x", cost, hash] if cost.len() == 2 && digits(cost) => {
            crypt_chars(hash, 53).then_some("bcrypt")
        }
        ["", "1" | "apr1", salt, hash] if salt.len() <= 8 => {
            crypt_chars(hash, 22).then_some("MD5-crypt")
        }
        ["", "5" | "6", rest @ ..] => {
            let (salt, hash) = match rest {
                [rounds, salt, hash] if rounds.starts_with("rounds=") => (*salt, *hash),
                [salt, hash] => (*salt, *hash),
                _ => return None,
            };
            let len = if parts[1] == "5" { 43 } else { 86 };
            (salt.len() <= 16 && crypt_chars(hash, len)).then_some(if len == 43 {
                "SHA-256-crypt"
            } else {
                "SHA-512-crypt"
            })
        }
        [pre, variant, version, params, salt, hash]
            if (pre.is_empty() || *pre == "argon2") && variant.starts_with("argon2") =>
        {
            (version.starts_with("v=") && params.starts_with("m=") && b64(salt, 8) && b64(hash, 16))
                .then_some("argon2")
        }
        [kind, iterations, salt, hash] if kind.starts_with("pbkdf2_sha") => {
            (digits(iterations) && !salt.is_empty() && b64(hash, 20)).then_some("pbkdf2")
        }
        ["scrypt", n, salt, r, p, hash] => {
            (digits(n) && digits(r) && digits(p) && !salt.is_empty() && b64(hash, 20))
                .then_some("scrypt")
        }
        // Werkzeug: `pbkdf2:sha256:600000$salt$hex`, `scrypt:32768:8:1$salt$hex`.
        [method, salt, hash]
            if (method.starts_with("pbkdf2:") || method.starts_with("scrypt:"))
                && !salt.is_empty()
                && hash.len() >= 40
                && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Some(if method.starts_with("pbkdf2") {
                "pbkdf2"
            } else {
                "scrypt"
            })
        }
        _ => None,
    }
}

/// The digest a bare hex string of this length is, if it is one.
pub fn hex_digest(v: &str) -> Option<&'static str> {
    let kind = match v.len() {
        32 => "MD5 hex digest",
        40 => "SHA-1 hex digest",
        64 => "SHA-256 hex digest",
        128 => "SHA-512 hex digest",
        _ => return None,
    };
    v.bytes().all(|b| b.is_ascii_hexdigit()).then_some(kind)
}

/// Placeholders, not hashes: one character over and over, or a word that
/// says so.
fn placeholder(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let mut distinct: Vec<u8> = lower
        .bytes()
        .filter(|b| b.is_ascii_alphanumeric())
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() <= 4
        || ["xxxx", "example", "placeholder", "changeme", "dummy"]
            .iter()
            .any(|w| lower.contains(w))
}

/// The columns of `table` that hold password hashes: most of their values
/// are hashes, and at least one is.
pub fn columns(table: &Table) -> Vec<HashColumn> {
    let mut out = Vec::new();
    for c in 0..table.width() {
        let name = table.name(c).to_string();
        let is_named = named(&name);
        let mut filled = 0usize;
        let mut cells = Vec::new();
        let mut kinds: Vec<(&'static str, usize)> = Vec::new();
        for (line, raw) in table.column(c) {
            let v = raw.trim().trim_matches(['"', '\'']);
            if v.is_empty() || v.eq_ignore_ascii_case("null") {
                continue;
            }
            filled += 1;
            let kind = self_describing(v).or_else(|| is_named.then(|| hex_digest(v)).flatten());
            if let Some(k) = kind
                && !placeholder(v)
            {
                cells.push((line, v.to_string()));
                match kinds.iter_mut().find(|(x, _)| *x == k) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((k, 1)),
                }
            }
        }
        if !cells.is_empty() && cells.len() * 2 >= filled {
            kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
            out.push(HashColumn {
                index: c,
                name,
                cells,
                kinds: kinds.into_iter().map(|(k, _)| k).collect(),
                named: is_named,
            });
        }
    }
    out
}

/// The salt column of `table`, if it has one with values.
pub fn salt_column(table: &Table) -> Option<String> {
    (0..table.width()).find_map(|c| {
        let name = table.name(c);
        (salt_named(name) && table.column(c).any(|(_, v)| !v.trim().is_empty()))
            .then(|| name.to_string())
    })
}

/// The finding for one column of hashes. `place` says where the column
/// sits; `salt` names the salt column beside it.
pub fn finding(table: &Table, col: &HashColumn, place: &str, salt: Option<&str>) -> Match {
    let (line, first) = col.cells.first().cloned().unwrap_or_default();
    let n = col.cells.len();
    let salted = match salt {
        Some(s) => format!(
            "; salts beside them in column \"{s}\": a salt slows guessing of many hashes at once, not of one"
        ),
        None => String::new(),
    };
    Match {
        remedy: None,
        rule: ID.to_string(),
        category: Category::Secret,
        severity: Severity::High,
        confidence: if col.named || col.kinds.iter().all(|k| !k.contains("hex")) {
            Confidence::High
        } else {
            Confidence::Medium
        },
        secret: first,
        line,
        column: 1,
        context: format!(
            "{place}: {n} password hash{} ({}) in {} rows",
            if n == 1 { "" } else { "es" },
            col.kinds.join(", "),
            table.total_rows
        ),
        detail: Some(format!(
            "{n} password hash{} ({}) in {place} of {} rows{salted}; anyone with a copy can guess the passwords offline, without limit or trace: reset these accounts' passwords",
            if n == 1 { "" } else { "es" },
            col.kinds.join(", "),
            table.total_rows
        )),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A synthetic hash in a format's alphabet, built at test time so that
    /// no hash-shaped literal sits in the repository.
    pub(crate) fn fake(prefix: &str, len: usize, alphabet: &[u8]) -> String {
        let mut s = String::from(prefix);
        let mut rng = crate::testing::XorShift(0x9e37_79b9);
        for _ in 0..len {
            s.push(alphabet[(rng.next() as usize) % alphabet.len()] as char);
        }
        s
    }

    pub(crate) const CRYPT: &[u8] =
        b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    pub(crate) const HEX: &[u8] = b"0123456789abcdef";

    #[test]
    fn formats_that_name_themselves_are_known_by_shape() {
        let bcrypt = fake(concat!("$2y", "$10$"), 53, CRYPT);
        assert_eq!(self_describing(&bcrypt), Some("bcrypt"));
        assert_eq!(
            self_describing(&format!("bcrypt_sha256${bcrypt}")),
            Some("bcrypt")
        );
        let md5 = format!("$1$abcdefgh${}", fake("", 22, CRYPT));
        assert_eq!(self_describing(&md5), Some("MD5-crypt"));
        let sha512 = format!("$6$rounds=5000$salt${}", fake("", 86, CRYPT));
        assert_eq!(self_describing(&sha512), Some("SHA-512-crypt"));
        let argon = format!(
            "$argon2id$v=19$m=65536,t=3,p=4${}${}",
            fake("", 22, CRYPT),
            fake("", 43, CRYPT).replace('.', "+")
        );
        assert_eq!(self_describing(&argon), Some("argon2"));
        let django = format!("pbkdf2_sha256$600000$abcdEFGH1234${}=", fake("", 43, CRYPT));
        assert_eq!(self_describing(&django), Some("pbkdf2"));
        let werkzeug = format!("pbkdf2:sha256:600000$abcdEFGH${}", fake("", 64, HEX));
        assert_eq!(self_describing(&werkzeug), Some("pbkdf2"));
        // A bcrypt one character short, a PHP variable, a price.
        for not in [&bcrypt[..59], "$2y$10$", "$total", "$1$ab$cd", "1.50"] {
            assert_eq!(self_describing(not), None, "{not}");
        }
    }

    fn table(header: &[&str], rows: &[Vec<String>]) -> Table {
        let mut t = Table::new("table user", header.iter().map(|s| s.to_string()).collect());
        for (i, r) in rows.iter().enumerate() {
            t.push(i as u32 + 2, r.clone());
        }
        t
    }

    #[test]
    fn hex_digests_count_only_in_a_password_column() {
        let rows: Vec<Vec<String>> = (0..3)
            .map(|i| {
                let h = fake(&format!("{i}"), 39, HEX);
                vec![h.clone(), h, "s4lt".into()]
            })
            .collect();
        let t = table(&["password", "commit_sha", "salt"], &rows);
        let cols = columns(&t);
        assert_eq!(cols.len(), 1, "{cols:?}");
        assert_eq!(cols[0].name, "password");
        assert_eq!(cols[0].kinds, vec!["SHA-1 hex digest"]);
        assert_eq!(salt_column(&t).as_deref(), Some("salt"));
        let m = finding(
            &t,
            &cols[0],
            "table user, column 1 \"password\"",
            Some("salt"),
        );
        assert_eq!((m.rule.as_str(), m.severity), (ID, Severity::High));
        assert_eq!(m.category, Category::Secret);
        let detail = m.detail.unwrap_or_default();
        assert!(
            detail.starts_with("3 password hashes (SHA-1 hex digest)"),
            "{detail}"
        );
        assert!(
            detail.contains("salts beside them in column \"salt\""),
            "{detail}"
        );
        assert!(!detail.contains(&rows[1][0]), "no hash is shown: {detail}");
    }

    #[test]
    fn placeholders_and_other_password_columns_are_not_hashes() {
        let rows = vec![
            vec![
                fake(concat!("$2y", "$10$"), 53, b"x"),
                "2026-01-01".into(),
                fake("", 40, HEX),
            ],
            vec!["0".repeat(40), "2026-01-02".into(), fake("", 40, HEX)],
        ];
        let t = table(
            &["password", "password_changed", "password_reset_token"],
            &rows,
        );
        assert!(columns(&t).is_empty(), "{:?}", columns(&t));
        assert!(named("user_password") && named("passwd") && named("PasswordHash"));
        assert!(!named("password_reset_token") && !named("passport_number"));
    }

    #[test]
    fn bcrypt_counts_in_any_column_but_a_mostly_other_column_is_not_one() {
        let bcrypt = |i: usize| fake(&format!("$2b$1{i}$"), 53, CRYPT);
        let t = table(&["hash"], &[vec![bcrypt(0)], vec![bcrypt(1)]]);
        assert_eq!(columns(&t)[0].kinds, vec!["bcrypt"]);
        let notes: Vec<Vec<String>> = (0..5).map(|i| vec![format!("note {i}")]).collect();
        let mut t = table(&["notes"], &notes);
        t.push(9, vec![bcrypt(2)]);
        assert!(columns(&t).is_empty());
    }
}
