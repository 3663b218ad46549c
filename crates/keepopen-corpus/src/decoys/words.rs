//! Decoys in words: placeholders, environment lookups, templates, documented
//! AWS examples, Stripe test keys and `.env.example` files.

use super::{DecoyFile, file};
use crate::rng::{self, Rng};

fn stripe_test(rng: &mut Rng) -> String {
    let n = if rng.chance(50) { 24 } else { 99 };
    format!("{}{}", "sk_test_", rng.string(&rng::class(rng::ALNUM), n))
}

fn aws_examples() -> (String, String) {
    (
        format!("{}{}{}", "AKIA", "IOSFODNN7", "EXAMPLE"),
        format!(
            "{}/{}/{}{}",
            "wJalrXUtnFEMI", "K7MDENG", "bPxRfiCY", "EXAMPLEKEY"
        ),
    )
}

pub(super) fn placeholders(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    let x16 = "x".repeat(16);
    let gh = format!("{}{}", "ghp_", "x".repeat(36));
    Ok(vec![
        file(
            rng,
            "config/settings.example.py",
            "
# Copy to settings.py and fill in.
DB_HOST = \"localhost\"
password = \"«0»\"
",
            vec![("placeholder", "changeme".into())],
        )?,
        file(
            rng,
            "config/app.example.yaml",
            "
service:
  name: reports
  api_key: «0»
",
            vec![("placeholder", "<your-api-key>".into())],
        )?,
        file(
            rng,
            "tools/upload_settings.py",
            "
# Replace before running.
token = \"«0»\"
",
            vec![("placeholder", x16)],
        )?,
        file(
            rng,
            "docs/github-actions.md",
            "
# Publishing

Create a token and export it before running the script:

    export GITHUB_TOKEN=«0»
",
            vec![("placeholder", gh)],
        )?,
        file(
            rng,
            "docs/database.md",
            "
Set the password in your shell, for example `DB_PASSWORD=«0»`, never in git.
",
            vec![("placeholder", "your-password-here".into())],
        )?,
    ])
}

pub(super) fn lookups(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    Ok(vec![
        file(
            rng,
            "app/settings_env.py",
            "
import os

password = «0»
",
            vec![("env-lookup", "os.environ[\"DB_PASSWORD\"]".into())],
        )?,
        file(
            rng,
            "analysis/connect_env.R",
            "
pwd <- «0»
con <- DBI::dbConnect(odbc::odbc(), dsn = \"warehouse\", PWD = pwd)
",
            vec![("env-lookup", "Sys.getenv(\"PWD\")".into())],
        )?,
        file(
            rng,
            "web/src/config.js",
            "
export const apiKey = «0»;
",
            vec![("env-lookup", "process.env.API_KEY".into())],
        )?,
        file(
            rng,
            "src/Api/Secrets.cs",
            "
namespace Api;

public static class Secrets
{
    public static string? SqlPassword => «0»;
}
",
            vec![(
                "env-lookup",
                "Environment.GetEnvironmentVariable(\"X\")".into(),
            )],
        )?,
    ])
}

pub(super) fn templates(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    Ok(vec![
        file(
            rng,
            "deploy/docker-compose.template.yml",
            "
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: «0»
",
            vec![("template", "${DB_PASSWORD}".into())],
        )?,
        file(
            rng,
            "ansible/templates/db.conf.j2",
            "
[client]
user = {{ db_user }}
password = «0»
",
            vec![("template", "{{ db_password }}".into())],
        )?,
        file(
            rng,
            "pipelines/deploy.yml",
            "
steps:
  - task: SqlAzureDacpacDeployment@1
    inputs:
      SqlPassword: «0»
",
            vec![("template", "$(SqlPassword)".into())],
        )?,
        file(
            rng,
            "deploy/octopus/appsettings.Release.json",
            "
{
  \"Api\": { \"Token\": \"«0»\" }
}
",
            vec![("template", "#{Token}#".into())],
        )?,
    ])
}

pub(super) fn examples_and_test_keys(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    let (id, secret) = aws_examples();
    let s: Vec<String> = (0..4).map(|_| stripe_test(rng)).collect();
    Ok(vec![
        file(
            rng,
            "docs/aws.md",
            "
# AWS access

The CLI reads keys such as these (from the AWS documentation):

    aws_access_key_id = «0»
    aws_secret_access_key = «1»
",
            vec![("aws-example", id.clone()), ("aws-example", secret.clone())],
        )?,
        file(
            rng,
            "config/aws.example.ini",
            "
[default]
aws_access_key_id = «0»
aws_secret_access_key = «1»
",
            vec![("aws-example", id), ("aws-example", secret)],
        )?,
        file(
            rng,
            "billing/test_settings.py",
            "
import stripe

stripe.api_key = \"«0»\"
",
            vec![("stripe-test-key", s[0].clone())],
        )?,
        file(
            rng,
            "web/.env.test",
            "
STRIPE_SECRET_KEY=«0»
",
            vec![("stripe-test-key", s[1].clone())],
        )?,
        file(
            rng,
            "web/src/test/stripe.test.ts",
            "
const stripe = new Stripe(\"«0»\", { apiVersion: \"2023-10-16\" });
",
            vec![("stripe-test-key", s[2].clone())],
        )?,
        file(
            rng,
            "docs/payments.md",
            "
Use a test key locally, e.g. `«0»`.
",
            vec![("stripe-test-key", s[3].clone())],
        )?,
    ])
}

pub(super) fn env_examples(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    Ok(vec![
        file(
            rng,
            ".env.example",
            "
DB_HOST=localhost
DB_PASSWORD=«0»
API_SECRET=«1»
STRIPE_SECRET_KEY=«2»
",
            vec![
                ("dotenv-example", "changeme".into()),
                ("dotenv-example", "your-api-secret".into()),
                ("dotenv-example", "<stripe-secret-key>".into()),
            ],
        )?,
        file(
            rng,
            "services/api/.env.example",
            "
DATABASE_URL=postgresql://user:«0»@localhost:5432/app
SESSION_SECRET=«1»
",
            vec![
                ("dotenv-example", "password".into()),
                ("dotenv-example", "replace-me".into()),
            ],
        )?,
    ])
}
