//! Dockerfiles whose image runs as root with a credential in `ENV` or
//! `ARG`: both are kept in the image's history (`docker history`) for
//! anyone who pulls it, and root in the container is the shortest path
//! from a bug in the application to the host. Names are judged as
//! BuildKit's `SecretsUsedInArgOrEnv` check judges them.

/// Is `path` a Dockerfile (`Dockerfile`, `Dockerfile.prod`,
/// `api.dockerfile`, `Containerfile`)?
pub fn is_dockerfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name == "dockerfile"
        || name.starts_with("dockerfile.")
        || name.ends_with(".dockerfile")
        || name == "containerfile"
}

/// Words that make a name a credential's, between underscores.
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pass",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// Words that make it something else: a public key, a key's fingerprint,
/// a path to where the secret is mounted.
const NOT_SECRET_WORDS: &[&str] = &[
    "public",
    "pub",
    "gpg",
    "pgp",
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "id",
    "name",
    "type",
    "mode",
    "method",
    "enabled",
    "enable",
    "disable",
    "disabled",
    "provider",
    "header",
    "scheme",
    "host",
    "port",
    "user",
    "username",
    "version",
    "length",
    "size",
    "timeout",
    "algorithm",
    "format",
    "required",
    "expiry",
    "ttl",
];

/// Values that are not credentials whatever the name: a URL, a path, a
/// key's fingerprint (40 hex digits), a number or a switch.
fn is_not_secret_value(v: &str) -> bool {
    let v = v.trim_matches(['"', '\'']);
    v.starts_with("http://")
        || v.starts_with("https://")
        || v.starts_with('/')
        || (v.len() == 40 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        || v.parse::<f64>().is_ok()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
        )
}

/// Values that say they are stand-ins: a sandbox's `TestKey`.
fn is_stand_in(v: &str) -> bool {
    let v = v.to_ascii_lowercase();
    [
        "test",
        "dummy",
        "example",
        "changeme",
        "change_me",
        "placeholder",
        "sample",
        "fake",
        "local",
        "secret",
        "password",
    ]
    .iter()
    .any(|w| v.contains(w))
}

/// A credential's name (`DB_PASSWORD`, `NPM_TOKEN`, `API_KEY`).
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['_', '-', '.']).collect();
    words.iter().any(|w| SECRET_WORDS.contains(w))
        && !words.iter().any(|w| NOT_SECRET_WORDS.contains(w))
}

/// The final stage of a Dockerfile, as it matters here.
#[derive(Debug, Default)]
pub struct Stage {
    /// (1-based line, name) of each credential set by `ENV` or `ARG`.
    pub credentials: Vec<(u32, String)>,
    /// Whether every credential set with a value has a stand-in value
    /// (`TestKey`, `changeme`) and none is passed in at build time.
    pub stand_ins_only: bool,
    /// The line of the last `USER` that is not root, if any.
    pub user: Option<u32>,
}

/// Reads the last stage (the image that ships), instructions joined
/// across `\` continuations.
pub fn final_stage(text: &str) -> Stage {
    let mut stage = Stage::default();
    let mut pending = String::new();
    let mut start = 0u32;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if pending.is_empty() {
            if t.starts_with('#') || t.is_empty() {
                continue;
            }
            start = i as u32 + 1;
        }
        if let Some(head) = t.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(t);
        instruction(&pending, start, &mut stage);
        pending.clear();
    }
    if !pending.is_empty() {
        instruction(&pending, start, &mut stage);
    }
    stage
}

fn instruction(text: &str, line: u32, stage: &mut Stage) {
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    match word.to_ascii_uppercase().as_str() {
        "FROM" => {
            *stage = Stage {
                stand_ins_only: true,
                ..Stage::default()
            }
        }
        "USER" => {
            let user = rest.trim().split(':').next().unwrap_or("");
            stage.user = (!matches!(user, "root" | "0" | "")).then_some(line);
        }
        "ENV" | "ARG" => {
            let env = word.eq_ignore_ascii_case("ENV");
            for (name, value) in names(rest) {
                if !is_secret_name(&name) || value.as_deref().is_some_and(is_not_secret_value) {
                    continue;
                }
                // `ENV TOKEN ""` clears it; an `ARG` with no default is
                // filled in at build time, and kept.
                let empty = value
                    .as_deref()
                    .is_none_or(|v| v.trim_matches(['"', '\'']).is_empty());
                if env && empty {
                    continue;
                }
                // A value passed in (`ARG TOKEN`, `ENV TOKEN=$TOKEN`) is real.
                let stand_in = value
                    .as_deref()
                    .is_some_and(|v| !v.is_empty() && !v.contains('$') && is_stand_in(v));
                stage.stand_ins_only &= stand_in;
                if !stage.credentials.iter().any(|(_, n)| *n == name) {
                    stage.credentials.push((line, name));
                }
            }
        }
        _ => {}
    }
}

/// The names an `ENV`/`ARG` sets, with their values: `A=1 B=2`, the
/// legacy `ENV A 1`, or `ARG A` with none.
fn names(rest: &str) -> Vec<(String, Option<String>)> {
    let rest = rest.trim();
    if !rest.contains('=') {
        let mut parts = rest.splitn(2, char::is_whitespace);
        return parts
            .next()
            .filter(|n| !n.is_empty())
            .map(|n| vec![(n.to_string(), parts.next().map(|v| v.trim().to_string()))])
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    let mut in_quote: Option<char> = None;
    let mut word = String::new();
    let mut words = Vec::new();
    for c in rest.chars() {
        match in_quote {
            Some(q) if c == q => in_quote = None,
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => in_quote = Some(c),
            None if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            None => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    for w in words {
        let (name, value) = match w.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (w.as_str(), None),
        };
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            out.push((name.to_string(), value));
        }
    }
    out
}
