//! Files that are the estate's own keys and map: Terraform state (every
//! resource's attributes in plain text, passwords and keys included) and
//! kubeconfig files (a cluster's API server, and often the credentials to
//! it).

/// A Terraform state file: by name, or by the fields every state has.
pub fn is_terraform_state(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".tfstate") || lower.ends_with(".tfstate.backup") {
        return true;
    }
    let head = &text[..floor(text, 4096)];
    head.trim_start().starts_with('{')
        && head.contains("\"terraform_version\"")
        && head.contains("\"lineage\"")
}

/// What a state file holds: how many resources Terraform manages in it.
pub fn managed_resources(text: &str) -> usize {
    text.matches("\"mode\": \"managed\"").count() + text.matches("\"mode\":\"managed\"").count()
}

/// The state's lineage (its stable id across applies), when it has one.
pub fn lineage(text: &str) -> Option<&str> {
    let at = text.find("\"lineage\"")?;
    let rest = &text[at + 9..];
    let open = rest.find('"')?;
    let rest = &rest[open + 1..];
    let close = rest.find('"')?;
    Some(&rest[..close])
}

/// A kubeconfig: its API servers, and the line of the first.
pub struct Kubeconfig {
    pub servers: Vec<(u32, String)>,
    /// The credential fields it fills in (`token`, `client-key-data`).
    pub credentials: Vec<&'static str>,
}

const CREDENTIAL_KEYS: &[&str] = &["client-key-data", "client-key", "token", "password"];

/// Reads `text` as a kubeconfig (`kind: Config` with `clusters:`), line
/// by line: no YAML parser sees a hostile file, and a file that is not
/// valid YAML is still read.
pub fn kubeconfig(text: &str) -> Option<Kubeconfig> {
    let mut kind_config = false;
    let mut clusters = false;
    let mut k = Kubeconfig {
        servers: Vec::new(),
        credentials: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        let t = line.trim().trim_start_matches("- ");
        let Some((key, value)) = t.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        match key.trim() {
            "kind" if value == "Config" => kind_config = true,
            "clusters" => clusters = true,
            "server" if !value.is_empty() => k.servers.push((i as u32 + 1, value.to_string())),
            key => {
                if let Some(c) = CREDENTIAL_KEYS.iter().find(|c| **c == key)
                    && !value.is_empty()
                    && !value.starts_with('$')
                    && !value.starts_with('{')
                    && !value.starts_with('<')
                    && !k.credentials.contains(c)
                {
                    k.credentials.push(c);
                }
            }
        }
    }
    (kind_config && clusters && !k.servers.is_empty()).then_some(k)
}

fn floor(s: &str, mut at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}
