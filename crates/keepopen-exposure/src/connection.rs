//! Connection strings to servers inside the estate, with or without a
//! password: the protocol, the host, the port and usually the database
//! and user an attacker on the network would aim at. The password, where
//! there is one, is the secrets detector's finding; this is the map.

use crate::address::{Host, classify};
use regex::Regex;
use std::sync::LazyLock;

/// URL-shaped strings: `postgresql://user@db.corp:5432/app`,
/// `jdbc:sqlserver://10.1.2.3:1433;databaseName=x`, `mongodb+srv://…`.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:jdbc:)?(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|db2|clickhouse|cassandra|ldaps?|smb|sftp|ftps?|mqtts?|kafka|nats|couchdb|neo4j|cockroachdb)://([^\s'\x22<>/;?#]+)",
    )
    .expect("connection URL pattern")
});

/// Oracle's thin driver: `jdbc:oracle:thin:@host:1521:SID`, `@//host/svc`.
static ORACLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)jdbc:oracle:thin:[^@\s]*@(?://)?([A-Za-z0-9.-]+)").expect("oracle pattern")
});

/// ADO.NET and ODBC key-value strings: `Server=…;Database=…`.
static KEYED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[;\x22'\s>])(server|data source|address|addr|network address|host)\s*=\s*([^;\x22'\s<]+)",
    )
    .expect("keyed connection pattern")
});

/// Oracle's TNS descriptors: `(ADDRESS=(PROTOCOL=TCP)(HOST=…)(PORT=1521))`.
static TNS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*HOST\s*=\s*([A-Za-z0-9.-]+)\s*\)").expect("TNS pattern")
});

/// Protocols of databases, caches and queues: a fully qualified server
/// name in one of their connection strings names the estate's server.
const DATABASES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "mssql",
    "sqlserver",
    "oracle",
    "db2",
    "clickhouse",
    "cassandra",
    "couchdb",
    "neo4j",
    "cockroachdb",
];

/// What makes `Server=…` a connection string rather than any setting.
static KEYED_PARTNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(database|initial catalog|user id|uid|username)\s*=").expect("partner pattern")
});

/// One connection string to a server that names the estate.
#[derive(Debug, PartialEq, Eq)]
pub struct Connection {
    /// 0-based byte column of the string.
    pub column: usize,
    pub scheme: String,
    pub host: String,
    pub kind: Host,
}

impl Connection {
    /// What identifies it in a file: its protocol and host.
    pub fn identity(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }
}

/// Every connection string on `line` whose server is private, internal or
/// a managed database: a public name, a placeholder, a variable or a
/// container's name (`db`, `postgres`) is not reported.
pub fn connections(line: &str) -> Vec<Connection> {
    let mut out = Vec::new();
    // Cheap tests first: most lines of configuration hold none of these.
    let url = line.contains("://");
    let oracle = line.contains('@') && contains_ignore_case(line, "oracle");
    let tns = line.contains('(') && contains_ignore_case(line, "host");
    let keyed = line.contains('=');
    if !(url || oracle || tns || keyed) {
        return out;
    }
    for c in URL.captures_iter(line).filter(|_| url) {
        let authority = &c[2];
        let hostport = authority.rsplit('@').next().unwrap_or(authority);
        // `mongodb://h1:27017,h2:27017`: the first host stands for all.
        let first = hostport.split(',').next().unwrap_or(hostport);
        let host = strip_port(first);
        push(&mut out, c.get(0).map_or(0, |m| m.start()), &c[1], host);
    }
    for c in ORACLE.captures_iter(line).filter(|_| oracle) {
        push(&mut out, c.get(0).map_or(0, |m| m.start()), "oracle", &c[1]);
    }
    for c in TNS.captures_iter(line).filter(|_| tns) {
        push(&mut out, c.get(0).map_or(0, |m| m.start()), "oracle", &c[1]);
    }
    if keyed && KEYED_PARTNER.is_match(line) {
        for c in KEYED.captures_iter(line) {
            let value = c[2].trim_start_matches("tcp:");
            let (server, instance) = match value.split_once('\\') {
                Some((s, i)) => (s, Some(i)),
                None => (value, None),
            };
            let host = server.split(',').next().unwrap_or(server);
            if matches!(
                host.to_ascii_lowercase().as_str(),
                "." | "(local)" | "localhost"
            ) || host.starts_with("(localdb)")
                || is_placeholder(host)
            {
                continue;
            }
            let column = c.get(1).map_or(0, |m| m.start());
            let kind = named(classify(host), host, "sqlserver");
            // A Windows server's name alone (`SQLPROD01\LIVE`): with a named
            // instance, or in capitals as NetBIOS names are written; a
            // lower-case single word is a container (`Server=db`).
            let netbios = !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && (instance.is_some()
                    || (host.len() >= 4
                        && host.bytes().any(|b| b.is_ascii_uppercase())
                        && !host.bytes().any(|b| b.is_ascii_lowercase())));
            let kind = if kind == Host::Other && netbios {
                Host::Internal
            } else {
                kind
            };
            if kind != Host::Other {
                out.push(Connection {
                    column,
                    scheme: "sqlserver".into(),
                    host: host.to_string(),
                    kind,
                });
            }
        }
    }
    out.sort_by_key(|c| c.column);
    // One string per protocol on a line: a TNS descriptor's failover
    // hosts, or `mongodb://h1,h2`, are one connection string.
    let mut schemes: Vec<String> = Vec::new();
    out.retain(|c| {
        let first = !schemes.contains(&c.scheme);
        schemes.push(c.scheme.clone());
        first
    });
    out
}

fn push(out: &mut Vec<Connection>, column: usize, scheme: &str, host: &str) {
    if is_placeholder(host) {
        return;
    }
    let kind = named(classify(host), host, scheme);
    if kind != Host::Other {
        out.push(Connection {
            column,
            scheme: scheme.to_ascii_lowercase(),
            host: host.to_string(),
            kind,
        });
    }
}

/// A database's server by its fully qualified name
/// (`ebs-db.prod.trust.nhs.uk`), where nothing else made it a finding; a
/// single label (`db`) is a container, an address a public one.
fn named(kind: Host, host: &str, scheme: &str) -> Host {
    let fqdn = host.contains('.')
        && host
            .rsplit('.')
            .next()
            .is_some_and(crate::address::is_public_tld)
        && crate::address::ipv4(host).is_none()
        && crate::address::is_real_name(host);
    if kind == Host::Other && fqdn && DATABASES.contains(&scheme.to_ascii_lowercase().as_str()) {
        Host::Named
    } else {
        kind
    }
}

/// Does `line` hold `needle` (ASCII, lower case) in any case?
pub fn contains_ignore_case(line: &str, needle: &str) -> bool {
    let (h, n) = (line.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    let Some(last) = h.len().checked_sub(n.len()) else {
        return false;
    };
    // Only where the first byte matches, in either case.
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &h[..=last],
    )
    .any(|i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// `host:5432` → `host`; `[::1]:5432` is left alone (not IPv4, not a name).
fn strip_port(s: &str) -> &str {
    match s.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => s,
    }
}

/// A value a template fills in, not a host.
fn is_placeholder(host: &str) -> bool {
    host.is_empty() || host.contains(['$', '{', '}', '%', '<', '>', '(']) || host.starts_with("__")
}
