//! Addresses that name the inside of an estate: private IPv4 addresses,
//! and hostnames in zones no one outside can resolve (`*.internal`,
//! `*.corp`, Azure's `privatelink`, the NHS's HSCN-only `nww.*.nhs.uk` and
//! `*.xnhs.net`). What carries no risk is never one: loopback, link-local,
//! the documentation ranges, example domains, Docker's and Kubernetes' own
//! names for the host and the cluster.

/// What a host in configuration says about the estate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// An RFC 1918 address: the layout of a private network.
    Private,
    /// A name in a private zone.
    Internal,
    /// A managed database or cache endpoint in a cloud: a named target.
    CloudDatabase,
    /// A fully qualified name of a database server in a connection
    /// string: it resolves, and names the target.
    Named,
    /// Anything else: public names, placeholders, container names.
    Other,
}

impl Host {
    pub fn says(self) -> &'static str {
        match self {
            Host::Private => "a private address",
            Host::Internal => "a name in a private zone",
            Host::CloudDatabase => "a cloud database endpoint",
            Host::Named => "a database server's name",
            Host::Other => "a host",
        }
    }

    pub fn is_internal(self) -> bool {
        matches!(self, Host::Private | Host::Internal)
    }
}

/// Top-level names of private zones (RFC 6762 `.local`, RFC 8375
/// `home.arpa`, ICANN's reserved `.internal`, and the names organisations
/// give their intranets).
const PRIVATE_TLDS: &[&str] = &[
    "internal",
    "local",
    "corp",
    "lan",
    "intranet",
    "localdomain",
];

/// Labels that mark a private zone inside a public name
/// (`mesh.vp.internal.nhs.uk`), past the first label: `corp.` and
/// `intranet.` first, or inside a public name, were public sites when
/// judged on real repositories.
const PRIVATE_LABELS: &[&str] = &["internal", "privatelink"];

/// The public suffixes such a name ends in: a known one, so that a code
/// path (`io.netty.util.internal.logging`) is not taken for a name.
const PUBLIC_TLDS: &[&str] = &[
    "uk", "com", "net", "org", "gov", "io", "cloud", "eu", "int", "nhs", "scot", "wales",
];

/// NHS zones that resolve only on HSCN: the Spine's `ncrs.nhs.uk` and
/// `xnhs.net` (names under `nww.` are intranet sites too).
const NHS_PRIVATE_ZONES: &[&str] = &["ncrs.nhs.uk", "xnhs.net"];

/// Labels of documentation's made-up names: `mydomain.internal`,
/// `somedomainyoucontrol.com`, Microsoft's Contoso and Fabrikam (in a
/// label), and bare `domain` or `company`.
const PLACEHOLDER_PARTS: &[&str] = &[
    "example",
    "mydomain",
    "yourdomain",
    "somedomain",
    "mycompany",
    "yourcompany",
    "contoso",
    "fabrikam",
];
const PLACEHOLDER_LABELS: &[&str] = &["domain", "company"];

fn is_placeholder(label: &str) -> bool {
    PLACEHOLDER_LABELS.contains(&label) || PLACEHOLDER_PARTS.iter().any(|p| label.contains(p))
}

/// First labels that make a dotted word a reference in Terraform or
/// Ansible (`var.internal`, `local.lbs.private`), not a name.
const REFERENCES: &[&str] = &[
    "var",
    "local",
    "module",
    "data",
    "each",
    "self",
    "count",
    "path",
    "terraform",
    "hostvars",
    "item",
];

/// Names inside private zones that say nothing about an estate: Docker's
/// and Kubernetes' names for the host and the cluster, GCP's metadata
/// server.
const HARMLESS_SUFFIXES: &[&str] = &[
    "cluster.local",
    "docker.internal",
    "metadata.google.internal",
];

/// Labels that make `x.local` a file name, not a host (`config.local`).
const FILE_WORDS: &[&str] = &[
    "env",
    "settings",
    "config",
    "appsettings",
    "application",
    "values",
    "compose",
    "docker-compose",
    "secrets",
    "vars",
    "override",
    "properties",
];

/// Managed database and cache endpoints: a connection string to one names
/// the estate's server, its port and often its user.
const CLOUD_DATABASES: &[&str] = &[
    "database.windows.net",
    "database.azure.com",
    "documents.azure.com",
    "redis.cache.windows.net",
    "rds.amazonaws.com",
    "cache.amazonaws.com",
    "mongodb.net",
    "cosmos.azure.com",
    "redislabs.com",
    "redis-cloud.com",
];

/// Parses a dotted-quad IPv4 address, exactly.
pub fn ipv4(s: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if p.len() > 1 && p.starts_with('0') {
            return None;
        }
        *o = p.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// An RFC 1918 host address (not a network's or a broadcast address, and
/// not Docker's default bridge gateway, which every Docker host has).
pub fn is_private_host(ip: [u8; 4]) -> bool {
    let private = match ip {
        [10, ..] => true,
        [172, b, ..] => (16..=31).contains(&b),
        [192, 168, ..] => true,
        _ => false,
    };
    private && ip[3] != 0 && ip[3] != 255 && ip != [172, 17, 0, 1]
}

/// What `host` (a name or an address, no port) is.
pub fn classify(host: &str) -> Host {
    if let Some(ip) = ipv4(host) {
        return if is_private_host(ip) {
            Host::Private
        } else {
            Host::Other
        };
    }
    if !is_hostname(host) {
        return Host::Other;
    }
    let lower = host.to_ascii_lowercase();
    let labels: Vec<&str> = lower.split('.').collect();
    // `chart-example.local`, Helm's placeholder; `example.internal`.
    if labels.len() < 2
        || labels.iter().any(|l| is_placeholder(l))
        || REFERENCES.contains(&labels[0])
    {
        return Host::Other;
    }
    let suffix_is = |s: &str| lower == s || lower.ends_with(&format!(".{s}"));
    if HARMLESS_SUFFIXES.iter().any(|s| suffix_is(s)) {
        return Host::Other;
    }
    if CLOUD_DATABASES
        .iter()
        .any(|s| lower.ends_with(&format!(".{s}")))
    {
        return if labels.contains(&"privatelink") {
            Host::Internal
        } else {
            Host::CloudDatabase
        };
    }
    let last = labels[labels.len() - 1];
    // A capitalised last label is a namespace in code (`Foo.Local`), not
    // a name in DNS, which configuration writes in lower case.
    let tld_written_lower = host.rsplit('.').next().is_some_and(|l| l == last);
    let before = labels[labels.len() - 2];
    let private_tld = (PRIVATE_TLDS.contains(&last) || lower.ends_with(".home.arpa"))
        && tld_written_lower
        && !FILE_WORDS.contains(&before);
    let nhs_intranet = (labels[0] == "nww" && lower.ends_with(".nhs.uk"))
        || NHS_PRIVATE_ZONES.iter().any(|z| suffix_is(z));
    let private_label = tld_written_lower
        && PUBLIC_TLDS.contains(&last)
        && labels[1..labels.len() - 1]
            .iter()
            .any(|l| PRIVATE_LABELS.contains(l));
    if private_tld || nhs_intranet || private_label {
        Host::Internal
    } else {
        Host::Other
    }
}

/// A DNS name: labels of letters, digits and hyphens, the last not all
/// digits.
fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && s.rsplit('.')
            .next()
            .is_some_and(|l| !l.bytes().all(|b| b.is_ascii_digit()))
}

/// One internal host on a line: where it starts (0-based byte column) and
/// what it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Spotted<'a> {
    pub column: usize,
    pub host: &'a str,
    pub kind: Host,
}

/// Every private address and internal name on `line` in a value's place.
/// Network ranges (`10.0.0.0/16`) are layout, not hosts; four-part
/// versions and OIDs (`1.2.840.10045.4`) are not addresses; a key
/// (`"vcs.ignore.local": true`, `feature.internal=on`) is a setting's
/// name.
pub fn internal_hosts(line: &str) -> Vec<Spotted<'_>> {
    spot(line, false)
}

/// Like [`internal_hosts`], keys included: an inventory's hosts are its
/// keys (`pas01.trust.corp:`).
pub fn internal_hosts_and_keys(line: &str) -> Vec<Spotted<'_>> {
    spot(line, true)
}

/// Is the token that ends at `end` a key: followed (after a closing
/// quote) by `: ` or the line's end after `:`, or by `=` that is not `==`?
fn is_key(line: &str, end: usize) -> bool {
    let rest = line[end..].trim_start_matches(['"', '\'']);
    if let Some(after) = rest.strip_prefix(':') {
        return after.is_empty() || after.starts_with([' ', '\t', '{', '[']);
    }
    rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("==")
}

fn spot(line: &str, keys: bool) -> Vec<Spotted<'_>> {
    let bytes = line.as_bytes();
    let is_part = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_part(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_part(bytes[i]) {
            i += 1;
        }
        let raw = &line[start..i];
        // A leading dot is a file name (`.env.local`); underscores are
        // identifiers, not names in DNS.
        if raw.starts_with('.') || raw.contains('_') {
            continue;
        }
        let token = raw.trim_end_matches(['.', '-']);
        // Addresses and names in a zone have dots; a word has none.
        if !token.contains('.') {
            continue;
        }
        let kind = classify(token);
        if !kind.is_internal() || (!keys && is_key(line, i)) {
            continue;
        }
        let before = &line[..start];
        if kind == Host::Internal {
            // `ops@trust.local` is a mailbox; `/etc/rc.local` a file
            // (`//db.corp` is a URL's host).
            if before.ends_with('@') || (before.ends_with('/') && !before.ends_with("//")) {
                continue;
            }
        }
        if kind == Host::Private {
            // `10.0.0.0/16` is a range, `10.1.2.3/32` one host.
            if let Some(rest) = line[i..].strip_prefix('/') {
                let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                if digits.parse::<u8>().is_ok_and(|p| p < 32) {
                    continue;
                }
            }
            if before.to_ascii_lowercase().contains("version") {
                continue;
            }
            // `10.1.2.128 - 10.1.2.255`: a range written out.
            let after = line[i..].trim_start();
            let range_after = after
                .strip_prefix('-')
                .is_some_and(|a| a.trim_start().starts_with(|c: char| c.is_ascii_digit()));
            let range_before = before
                .trim_end()
                .strip_suffix('-')
                .is_some_and(|b| b.trim_end().ends_with(|c: char| c.is_ascii_digit()));
            if range_after || range_before {
                continue;
            }
        }
        out.push(Spotted {
            column: start,
            host: token,
            kind,
        });
    }
    out
}

/// A name that could be a real server: not a placeholder, not the
/// machine itself, not Docker's or Kubernetes' own names.
pub fn is_real_name(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    let labels: Vec<&str> = lower.split('.').collect();
    is_hostname(host)
        && labels.len() >= 2
        && !labels.iter().any(|l| is_placeholder(l))
        && !REFERENCES.contains(&labels[0])
        && !HARMLESS_SUFFIXES
            .iter()
            .any(|s| lower == *s || lower.ends_with(&format!(".{s}")))
        && !matches!(
            labels[labels.len() - 1],
            "localhost" | "test" | "invalid" | "example"
        )
}

/// A public top-level domain a server's name ends in: a common generic one
/// or a two-letter country code (`mongo-0.mongo`, a Kubernetes pod's name,
/// ends in neither).
pub fn is_public_tld(tld: &str) -> bool {
    PUBLIC_TLDS.contains(&tld) || (tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_lowercase()))
}
