//! Azure identifiers that combine into an attack path: a subscription and
//! a tenant, together with a Key Vault or a storage account, in one file.
//! Each alone is a label; together they tell an attacker which directory
//! to phish, which subscription to enumerate and which vault or account to
//! try a stolen token on.

use regex::Regex;
use std::sync::LazyLock;

static GUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
        .expect("GUID pattern")
});

static VAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b([a-z0-9-]{3,24})\.vault\.azure\.net|\bkey_?vault_?(?:name)?\x22?\s*[=:]\s*[\x22']?([A-Za-z][A-Za-z0-9-]{2,23})\b",
    )
    .expect("vault pattern")
});

static STORAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b([a-z0-9]{3,24})\.(?:blob|dfs|file|queue|table)\.core\.windows\.net|\b(?:storage_?account_?name|AccountName)\x22?\s*[=:]\s*[\x22']?([a-z0-9]{3,24})\b",
    )
    .expect("storage pattern")
});

/// What one file holds, collected line by line.
#[derive(Default)]
pub struct Identifiers {
    /// (1-based line, value) of the first of each.
    pub subscription: Option<(u32, String)>,
    pub tenant: Option<(u32, String)>,
    pub resource: Option<(u32, String)>,
}

impl Identifiers {
    pub fn read(&mut self, number: u32, line: &str) {
        // A GUID has four hyphens; a vault or account is named with a dot
        // or after `=`/`:`.
        if line.bytes().filter(|b| *b == b'-').count() < 4 && !line.contains(['.', '=', ':']) {
            return;
        }
        let guids = line.bytes().filter(|b| *b == b'-').count() >= 4;
        for m in GUID.find_iter(line).filter(|_| guids) {
            let guid = m.as_str();
            if is_placeholder_guid(guid) {
                continue;
            }
            let before = line[..m.start()].to_ascii_lowercase();
            let key: String = before
                .chars()
                .rev()
                .take(48)
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .chars()
                .rev()
                .collect();
            if self.subscription.is_none() && key.contains("subscription") {
                self.subscription = Some((number, guid.to_string()));
            } else if self.tenant.is_none()
                && (key.contains("tenant") || key.contains("microsoftonline"))
            {
                self.tenant = Some((number, guid.to_string()));
            }
        }
        let named = |w: &str| crate::connection::contains_ignore_case(line, w);
        if self.resource.is_none() && (named("vault") || named("windows.net") || named("account")) {
            for (re, what) in [(&*VAULT, "key vault"), (&*STORAGE, "storage account")] {
                if let Some(c) = re.captures(line) {
                    let name = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
                    if !name.is_empty() && !name.eq_ignore_ascii_case("devstoreaccount1") {
                        self.resource = Some((number, format!("{what} {name}")));
                        break;
                    }
                }
            }
        }
    }

    /// The combination, when the file holds all three.
    pub fn combined(&self) -> Option<(u32, String)> {
        let (line, s) = self.subscription.as_ref()?;
        let (_, t) = self.tenant.as_ref()?;
        let (_, r) = self.resource.as_ref()?;
        Some((*line, format!("subscription {s}, tenant {t}, {r}")))
    }
}

/// All zeros, all one digit, or the documentation's sequence.
fn is_placeholder_guid(g: &str) -> bool {
    let hex: Vec<u8> = g.bytes().filter(|b| *b != b'-').collect();
    hex.iter().all(|b| *b == hex[0])
        || g.eq_ignore_ascii_case("12345678-1234-1234-1234-123456789012")
        || g.eq_ignore_ascii_case("12345678-1234-1234-1234-123456789abc")
}
