//! Where a store is: an SQLite file (the default) or a PostgreSQL database
//! named by a `postgres://` URL, for organisation runs that several
//! machines share. A URL is only ever shown without its password.

use std::fmt;
use std::path::{Path, PathBuf};

/// A store, as `--db` or `KEEPOPEN_DB` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Postgres(PgUrl),
}

/// A `postgres://` or `postgresql://` URL. Its password, when it has one,
/// is kept for connecting and never displayed.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    url: String,
}

impl Location {
    /// `--db`'s value: a URL when it starts with `postgres://` or
    /// `postgresql://`, else a file path.
    pub fn parse(value: &Path) -> Location {
        match value.to_str() {
            Some(s) if PgUrl::is_url(s) => Location::Postgres(PgUrl { url: s.to_string() }),
            _ => Location::File(value.to_owned()),
        }
    }

    /// `--db` if given, else `KEEPOPEN_DB`, else the default file.
    pub fn or_default(given: Option<&Path>) -> Location {
        match (given, std::env::var_os("KEEPOPEN_DB")) {
            (Some(p), _) => Location::parse(p),
            (None, Some(env)) => Location::parse(Path::new(&env)),
            (None, None) => Location::File(crate::default_path()),
        }
    }

    /// The file the advisory data is read from: this one, or for a
    /// PostgreSQL store [`crate::advisories_path`].
    pub fn advisories(&self) -> PathBuf {
        match self {
            Location::File(p) => p.clone(),
            Location::Postgres(_) => crate::advisories_path(),
        }
    }

    /// The file, for what only a file holds (the advisory data).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(u) => write!(f, "{u}"),
        }
    }
}

impl PgUrl {
    fn is_url(s: &str) -> bool {
        s.starts_with("postgres://") || s.starts_with("postgresql://")
    }

    /// `s`, taken as a URL whatever its scheme.
    pub(crate) fn from_unchecked(s: &str) -> PgUrl {
        PgUrl { url: s.to_string() }
    }

    /// The URL as given, password included: for connecting only.
    pub fn secret(&self) -> &str {
        &self.url
    }

    /// `host:port` (or the socket folder), for messages.
    pub fn host(&self) -> String {
        let rest = self.url.split_once("://").map_or("", |(_, r)| r);
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host.is_empty() {
            // libpq's default: the local socket, or `host=` in the query.
            let query = rest.split_once('?').map_or("", |(_, q)| q);
            return query
                .split('&')
                .find_map(|kv| kv.strip_prefix("host="))
                .unwrap_or("localhost")
                .to_string();
        }
        host.to_string()
    }

    /// The URL with any password replaced by `***`: what messages show.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.url.split_once("://") else {
            return "postgres://***".into();
        };
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let authority = match authority.rsplit_once('@') {
            Some((user, host)) => match user.split_once(':') {
                Some((name, _)) => format!("{name}:***@{host}"),
                None => format!("{user}@{host}"),
            },
            None => authority.to_string(),
        };
        // `password=` may also sit in the query.
        let tail = match tail.split_once('?') {
            Some((path, query)) => {
                let q: Vec<String> = query
                    .split('&')
                    .map(|kv| {
                        if kv.starts_with("password=") {
                            "password=***".to_string()
                        } else {
                            kv.to_string()
                        }
                    })
                    .collect();
                format!("{path}?{}", q.join("&"))
            }
            None => tail.to_string(),
        };
        format!("{scheme}://{authority}{tail}")
    }
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PgUrl({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(s: &str) -> PgUrl {
        match Location::parse(Path::new(s)) {
            Location::Postgres(u) => u,
            other => panic!("{s} read as {other:?}"),
        }
    }

    #[test]
    fn a_url_is_postgres_and_anything_else_a_file() {
        assert!(matches!(
            Location::parse(Path::new("postgresql://h/db")),
            Location::Postgres(_)
        ));
        assert_eq!(
            Location::parse(Path::new("data/postgres://x")),
            Location::File(PathBuf::from("data/postgres://x"))
        );
    }

    #[test]
    fn the_password_is_never_shown() {
        let word = ["hun", "ter2"].concat();
        let u = pg(&format!(
            "postgres://scanner:{word}@db.internal:5433/keepopen"
        ));
        assert_eq!(u.host(), "db.internal:5433");
        assert_eq!(
            u.to_string(),
            "postgres://scanner:***@db.internal:5433/keepopen"
        );
        assert!(!format!("{u:?}").contains(&word));
        let q = pg(&format!(
            "postgres://db/k?user=a&password={word}&sslmode=require"
        ));
        assert_eq!(
            q.to_string(),
            "postgres://db/k?user=a&password=***&sslmode=require"
        );
        assert_eq!(q.host(), "db");
        assert_eq!(pg("postgres:///k?host=/run/pg").host(), "/run/pg");
        assert!(u.secret().contains(&word));
    }
}
