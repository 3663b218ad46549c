//! A shared store on PostgreSQL: the same components, tables and
//! migrations as the SQLite file (each component brings its PostgreSQL
//! dialect of the same schema files), for organisation runs that several
//! machines write at once. Migrations take a transaction-scoped advisory
//! lock, so N shards starting together apply each one once.

use crate::{Component, PgUrl, StoreError};
use postgres::{Client, NoTls};
use std::path::PathBuf;
use std::time::Duration;

/// How long connecting may take before the server counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The advisory lock key migrations hold: "keepopen" in ASCII, truncated.
const MIGRATION_LOCK: i64 = 0x6b65_6570_6f70_656e;

const KEEPOPEN_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS keepopen_schema (
    component TEXT PRIMARY KEY CHECK (length(component) > 0),
    version   BIGINT NOT NULL CHECK (version >= 0)
)";

/// An open connection to a PostgreSQL store.
pub struct PgDb {
    client: Client,
    url: PgUrl,
}

impl PgDb {
    /// Connects to `url`. With no password in the URL, `PGPASSWORD` is
    /// used, as libpq does. A server that cannot be reached is
    /// [`StoreError::Unreachable`], naming the host and never the password.
    pub fn connect(url: &PgUrl) -> Result<Self, StoreError> {
        let unreachable = |message: String| StoreError::Unreachable {
            host: url.host(),
            message,
        };
        let mut config: postgres::Config = url.secret().parse().map_err(|e: postgres::Error| {
            unreachable(format!("not a valid URL: {}", describe(&e)))
        })?;
        if config.get_password().is_none()
            && let Some(p) = std::env::var_os("PGPASSWORD")
        {
            config.password(p.as_encoded_bytes());
        }
        if config.get_user().is_none()
            && let Ok(u) = std::env::var("PGUSER").or_else(|_| std::env::var("USER"))
        {
            config.user(&u);
        }
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("keepopen");
        let client = config
            .connect(NoTls)
            .map_err(|e| unreachable(describe(&e)))?;
        Ok(PgDb {
            client,
            url: url.clone(),
        })
    }

    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    pub fn url(&self) -> &PgUrl {
        &self.url
    }

    /// `source`, on this database.
    pub fn err(&self, source: postgres::Error) -> StoreError {
        StoreError::Postgres {
            target: self.url.redacted(),
            message: describe(&source),
        }
    }

    /// The version `component` is at: 0 when the database has none of it.
    pub fn version(&mut self, component: &str) -> Result<i64, StoreError> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('keepopen_schema') IS NOT NULL", &[])
            .map_err(|e| self.err(e))?
            .get(0);
        if !exists {
            return Ok(0);
        }
        let row = self
            .client
            .query_opt(
                "SELECT version FROM keepopen_schema WHERE component = $1",
                &[&component],
            )
            .map_err(|e| self.err(e))?;
        Ok(row.map_or(0, |r| r.get(0)))
    }

    /// Checks, changing nothing, that `component` is at the version this
    /// build knows.
    pub fn require(&mut self, component: &Component) -> Result<(), StoreError> {
        let found = self.version(component.name)?;
        crate::migrate::at_known(&PathBuf::from(self.url.redacted()), component, found)
    }

    /// Applies, in one transaction under the migration lock, the
    /// migrations of `component` the database has not had. One from a
    /// newer keepopen is refused, naming both versions.
    pub fn migrate(&mut self, component: &Component) -> Result<(), StoreError> {
        let known = component.migrations.len() as i64;
        let target = self.url.redacted();
        let err = |e: postgres::Error| StoreError::Postgres {
            target: target.clone(),
            message: describe(&e),
        };
        let mut tx = self.client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(err)?;
        tx.batch_execute(KEEPOPEN_SCHEMA).map_err(err)?;
        let found: i64 = tx
            .query_opt(
                "SELECT version FROM keepopen_schema WHERE component = $1",
                &[&component.name],
            )
            .map_err(err)?
            .map_or(0, |r| r.get(0));
        if found > known {
            return Err(StoreError::TooNew {
                path: PathBuf::from(&target),
                component: component.name.to_string(),
                found,
                known,
            });
        }
        for next in &component.migrations[found as usize..] {
            tx.batch_execute(next.sql)
                .map_err(|e| StoreError::Postgres {
                    target: target.clone(),
                    message: format!(
                        "migration {}/{} failed: {}",
                        component.name,
                        next.file,
                        describe(&e)
                    ),
                })?;
        }
        if found < known {
            tx.execute(
                "INSERT INTO keepopen_schema (component, version) VALUES ($1, $2)
                 ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                &[&component.name, &known],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }
}

/// A PostgreSQL error with its cause: the driver's own `Display` says only
/// "db error" or "error connecting to server". Neither part holds the
/// password: the driver never puts it in an error.
pub fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = format!("{}: {}", db.severity(), db.message());
        if let Some(d) = db.detail() {
            s.push_str(&format!(" ({d})"));
        }
        return s;
    }
    let mut s = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        s.push_str(&format!(": {c}"));
        cause = c.source();
    }
    s
}

/// A database of its own for one test, on the server test suites are
/// given (`KEEPOPEN_TEST_POSTGRES`, a URL without a database: the test
/// script starts that server), dropped when this is dropped.
pub struct Scratch {
    base: String,
    name: String,
    pub url: PgUrl,
}

/// The server test suites use: `None` when `KEEPOPEN_TEST_POSTGRES` is
/// unset, unless `KEEPOPEN_REQUIRE_POSTGRES=1` (as `scripts/test.sh` sets),
/// when a missing server fails the test rather than skipping it.
pub fn test_server() -> Option<String> {
    match std::env::var("KEEPOPEN_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => Some(u.trim_end_matches('/').to_string()),
        _ => {
            assert!(
                std::env::var("KEEPOPEN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "KEEPOPEN_REQUIRE_POSTGRES=1 but KEEPOPEN_TEST_POSTGRES is unset: run scripts/test.sh, which starts a server"
            );
            None
        }
    }
}

impl Scratch {
    /// Creates an empty database on the test server; `None` when there is
    /// no test server.
    pub fn new(label: &str) -> Option<Result<Scratch, StoreError>> {
        let base = test_server()?;
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let name = format!(
            "keepopen_{}_{}_{}",
            label
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(20)
                .collect::<String>()
                .to_ascii_lowercase(),
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        Some((|| {
            let mut admin = PgDb::connect(&pg_url(&format!("{base}/postgres")))?;
            for sql in [
                format!("DROP DATABASE IF EXISTS {name}"),
                format!("CREATE DATABASE {name}"),
            ] {
                admin
                    .client()
                    .batch_execute(&sql)
                    .map_err(|e| admin.err(e))?;
            }
            Ok(Scratch {
                url: pg_url(&format!("{base}/{name}")),
                base,
                name,
            })
        })())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgDb::connect(&pg_url(&format!("{}/postgres", self.base))) {
            let _ = admin.client().batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn pg_url(s: &str) -> PgUrl {
    match crate::Location::parse(std::path::Path::new(s)) {
        crate::Location::Postgres(u) => u,
        crate::Location::File(_) => PgUrl::from_unchecked(s),
    }
}
