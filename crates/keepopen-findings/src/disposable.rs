//! Passwords that only guard a throwaway container: the
//! `POSTGRES_PASSWORD` of a GitHub Actions service container, the
//! `SA_PASSWORD` of a SQL Server container in `docker-compose.yml`. The
//! image reads the variable to set the password of the database it
//! creates, and the file that sets it also starts the container, so the
//! password protects nothing that outlives the run. Such a finding is
//! reported at `low` with the reason and does not block.

/// Variables that container images read to set their own first password.
const CONTAINER_PASSWORDS: &[&str] = &[
    "POSTGRES_PASSWORD",
    "POSTGRESQL_PASSWORD",
    "POSTGRESQL_POSTGRES_PASSWORD",
    "PGPASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "MYSQL_PASSWORD",
    "MARIADB_ROOT_PASSWORD",
    "MARIADB_PASSWORD",
    "SA_PASSWORD",
    "MSSQL_SA_PASSWORD",
    "MSSQL_PASSWORD",
    "MONGO_INITDB_ROOT_PASSWORD",
    "RABBITMQ_DEFAULT_PASS",
    "ORACLE_PASSWORD",
    "ORACLE_PWD",
    "APP_USER_PASSWORD",
    "REDIS_PASSWORD",
    "ELASTIC_PASSWORD",
    "MINIO_ROOT_PASSWORD",
    "KEYCLOAK_ADMIN_PASSWORD",
    "KC_BOOTSTRAP_ADMIN_PASSWORD",
];

/// Why a secret found on `line` of the file at `path` guards only a
/// disposable container, if it does.
pub fn why(path: &str, line: &str) -> Option<&'static str> {
    let kind = starts_containers(path)?;
    let sets = CONTAINER_PASSWORDS.iter().any(|name| assigns(line, name));
    sets.then_some(kind)
}

/// Files that start the containers whose environment they set: Compose
/// files and CI pipelines (service containers).
fn starts_containers(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    let compose = yaml
        && (name.starts_with("docker-compose")
            || name.starts_with("compose.")
            || name.starts_with("compose-")
            || name.contains(".compose."));
    if compose {
        return Some(
            "sets the first password of a container this Compose file starts: a local, disposable database (if this file deploys a real service, treat it as a leak)",
        );
    }
    let ci = (yaml
        && (lower.starts_with(".github/workflows/") || lower.starts_with(".gitea/workflows/")))
        || name == ".gitlab-ci.yml"
        || (yaml && name.starts_with("azure-pipelines"))
        || name == "bitbucket-pipelines.yml"
        || lower == ".circleci/config.yml";
    ci.then_some(
        "sets the password of a CI service container that lives for one job: disposable, not a credential of a real system",
    )
}

/// `NAME=`, `NAME:`, `"NAME":`, `- NAME=` with `NAME` a whole word.
fn assigns(line: &str, name: &str) -> bool {
    line.match_indices(name).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let word_start = before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        let rest = line[at + name.len()..].trim_start_matches(['"', '\'', ' ', '\t']);
        word_start && (rest.starts_with('=') || rest.starts_with(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_passwords_in_compose_and_ci_files_are_disposable() {
        for (path, line) in [
            ("docker-compose.yml", "      SA_PASSWORD: <pw>"),
            ("docker-compose.dev.yaml", "      - MSSQL_SA_PASSWORD=<pw>"),
            ("deploy/compose.yaml", "      POSTGRES_PASSWORD: <pw>"),
            (
                ".github/workflows/test.yml",
                "          POSTGRES_PASSWORD: <pw>",
            ),
            (".gitlab-ci.yml", "  MYSQL_ROOT_PASSWORD: <pw>"),
        ] {
            assert!(why(path, line).is_some(), "{path}: {line}");
        }
    }

    #[test]
    fn other_passwords_and_other_files_are_not() {
        for (path, line) in [
            // The same variable in an application's settings is a real password.
            (".env", "POSTGRES_PASSWORD=<pw>"),
            ("k8s/deployment.yaml", "          POSTGRES_PASSWORD: <pw>"),
            ("settings.py", "POSTGRES_PASSWORD = <pw>"),
            // Another secret in a Compose file or a workflow.
            ("docker-compose.yml", "      API_KEY: <pw>"),
            (
                ".github/workflows/deploy.yml",
                "      DEPLOY_PASSWORD: <pw>",
            ),
            // A longer name that only contains a container variable.
            ("docker-compose.yml", "      PROD_SA_PASSWORD_FILE2: x"),
        ] {
            assert_eq!(why(path, line), None, "{path}: {line}");
        }
    }
}

/// Why a password hash at `path` is a default account's, if it is: a
/// database migration or seed file creates the same accounts in every
/// installation, so their hashes are the application's defaults (the
/// password to change on install), not a leak of anyone's.
pub fn default_account(rule: &str, path: &str) -> Option<&'static str> {
    if rule != "password-hash" {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    let dirs: Vec<&str> = lower.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    dirs.iter()
        .any(|d| matches!(*d, "migrations" | "migration" | "migrate" | "seeds" | "seeders" | "seed"))
        .then_some(
            "set by a database migration or seed, so every installation starts with this account: a default password to change on install, not a leak of someone's",
        )
}

#[cfg(test)]
mod default_account_tests {
    use super::default_account;

    #[test]
    fn hashes_in_migrations_and_seeds_are_default_accounts() {
        assert!(
            default_account("password-hash", "protected/migrations/m110906_add_user.php").is_some()
        );
        assert!(default_account("password-hash", "db/seeds/users.sql").is_some());
        assert!(default_account("password-hash", "config/users.yml").is_none());
        assert!(default_account("generic-password", "db/migrations/x.sql").is_none());
        assert!(
            default_account("password-hash", "migrations.php").is_none(),
            "a file, not a folder"
        );
    }
}
