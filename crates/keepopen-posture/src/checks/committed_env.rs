//! `posture-committed-env-and-dumps`: no environment files, database dumps
//! or local databases committed, where real credentials and personal data
//! most often leak from public-sector repositories.
//!
//! Flags `.env` and `.env.*` files (but not `.example`, `.sample`,
//! `.template` or `.dist` ones), `*.sql` files that look like dumps
//! (`COPY … FROM stdin`, a `-- Dump`, `pg_dump` or `mysqldump` header, or
//! rows of data: see `sql_dump`), `*.bak`, `*.dump`, `*.sqlite`, `*.sqlite3` and `*.db`
//! files, `derby.log`, and `metastore_db/` folders. Scorecard has no such
//! check, so there is no score.

use super::result;
use crate::text::{extension, file_name};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

pub struct CommittedEnvAndDumps;

const ID: &str = "posture-committed-env-and-dumps";
const FIX: &str = "Remove the file from the repository and its history, rotate anything it held, and add it to .gitignore.";
const ABOUT: About = About {
    id: ID,
    name: "Committed .env files and dumps",
    description: "Whether .env files, database dumps or similar files, which usually hold credentials or data, are committed.",
    fix: FIX,
};

const TEMPLATE_SUFFIXES: &[&str] = &[
    "example", "sample", "template", "dist", "defaults", "tmpl", "tpl",
];

impl Check for CommittedEnvAndDumps {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut evidence = Vec::new();
        let mut metastores: Vec<String> = Vec::new();
        for path in tree.paths() {
            if let Some(at) = path
                .find("metastore_db/")
                .filter(|at| *at == 0 || path[..*at].ends_with('/'))
            {
                let dir = &path[..at + "metastore_db".len()];
                if !metastores.iter().any(|m| m == dir) {
                    metastores.push(dir.to_owned());
                    evidence.push(Evidence::new(dir, 0, "Hive/Derby metastore folder"));
                }
                continue;
            }
            let name = file_name(path);
            let lower = name.to_ascii_lowercase();
            if is_env(&lower) {
                evidence.push(Evidence::new(path, 0, "committed environment file"));
            } else if lower == "derby.log" {
                evidence.push(Evidence::new(path, 0, "Derby log"));
            } else {
                match extension(path).as_deref() {
                    Some("sql") => {
                        let text = tree.text(path).unwrap_or_default();
                        if let Some((n, note)) = super::sql_dump::dump(&text) {
                            evidence.push(Evidence::new(path, n, note));
                        }
                    }
                    Some("bak") => evidence.push(Evidence::new(path, 0, "backup file")),
                    Some("dump") => evidence.push(Evidence::new(path, 0, "database dump")),
                    Some("sqlite" | "sqlite3" | "db") => {
                        evidence.push(Evidence::new(path, 0, "database file"))
                    }
                    _ => {}
                }
            }
        }
        let status = if evidence.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        };
        result(ID, status, None, evidence, FIX)
    }
}

fn is_env(lower: &str) -> bool {
    match lower.strip_prefix(".env") {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix('.')
            .is_some_and(|suffix| !suffix.split('.').any(|s| TEMPLATE_SUFFIXES.contains(&s))),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    #[test]
    fn clean_tree_passes() {
        let t = tree(&[
            (".env.example", "KEY="),
            ("config/.env.sample", ""),
            ("db/schema.sql", "CREATE TABLE t (id int);\n"),
            (".envrc", "use nix"),
        ]);
        let r = CommittedEnvAndDumps.run(&t);
        assert_eq!((r.status, r.score), (Status::Pass, None));
    }

    #[test]
    fn env_dumps_and_databases_fail() {
        let t = tree(&[
            (".env", "SECRET=x"),
            ("api/.env.production", ""),
            (
                "backup/prod.sql",
                "-- PostgreSQL database dump\nSET x;\nCOPY public.users (id) FROM stdin;\n",
            ),
            ("data/old.sql.bak", ""),
            ("local.sqlite3", ""),
            ("spark/metastore_db/seg0/c10.dat", ""),
            ("spark/metastore_db/log/log1.dat", ""),
            ("derby.log", ""),
        ]);
        let r = CommittedEnvAndDumps.run(&t);
        assert_eq!(r.status, Status::Fail);
        let got: Vec<_> = r
            .evidence
            .iter()
            .map(|e| (e.path.as_str(), e.line))
            .collect();
        assert_eq!(
            got,
            [
                (".env", 0),
                ("api/.env.production", 0),
                ("backup/prod.sql", 1),
                ("data/old.sql.bak", 0),
                ("derby.log", 0),
                ("local.sqlite3", 0),
                ("spark/metastore_db", 0),
            ]
        );
    }

    #[test]
    fn dump_header_is_found() {
        let r = CommittedEnvAndDumps.run(&tree(&[("x.sql", "-- MySQL dump 10.13\n")]));
        assert_eq!(r.evidence[0].line, 1);
    }
}
