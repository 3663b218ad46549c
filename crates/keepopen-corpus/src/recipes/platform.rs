//! Platform credentials: JWTs, Vault and analytics platforms (Databricks,
//! Posit Connect, Snowflake).

use super::{Make, Recipe, Variant::*};
use crate::tokens as t;

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "jwt",
        kinds: &["jwt"],
        make: Make::One(t::jwt),
        variants: &[
            File(
                "scripts/call_api.sh",
                r#"
#!/bin/sh
curl -H "Authorization: Bearer «0»" https://api.«DOMAIN»/v1/reports
"#,
            ),
            File(
                "qa/postman/reports.postman_collection.json",
                r#"
{
  "info": { "name": "reports" },
  "item": [
    {
      "name": "list",
      "request": {
        "method": "GET",
        "header": [{ "key": "Authorization", "value": "Bearer «0»" }],
        "url": "https://api.«DOMAIN»/v1/reports"
      }
    }
  ]
}
"#,
            ),
            File(
                "qa/smoke_test.py",
                r#"
import requests

HEADERS = {"Authorization": "Bearer «0»"}
assert requests.get("https://api.«DOMAIN»/health", headers=HEADERS).ok
"#,
            ),
        ],
    },
    Recipe {
        family: "vault",
        kinds: &["vault-token"],
        make: Make::One(t::vault_token),
        variants: &[
            File(
                "ops/vault_env.sh",
                "
#!/bin/bash
export VAULT_ADDR=https://vault.«DOMAIN»:8200
export VAULT_TOKEN=«0»
",
            ),
            File(
                "ops/secrets_sync.py",
                r#"
import hvac

client = hvac.Client(url="https://vault.«DOMAIN»:8200", token="«0»")
"#,
            ),
            File(
                "infra/vault/provider.tf",
                r#"
provider "vault" {
  address = "https://vault.«DOMAIN»:8200"
  token   = "«0»"
}
"#,
            ),
        ],
    },
    Recipe {
        family: "analytics",
        kinds: &["databricks-token"],
        make: Make::One(t::databricks_token),
        variants: &[
            File(
                "etl/databricks_query.py",
                r#"
from databricks import sql

conn = sql.connect(
    server_hostname="«WORKSPACE»",
    http_path="/sql/1.0/warehouses/4b9f1c2d",
    access_token="«0»",
)
"#,
            ),
            File(
                ".databrickscfg",
                "
[DEFAULT]
host = https://«WORKSPACE»
token = «0»
",
            ),
            File(
                "analysis/databricks.R",
                r#"
Sys.setenv(DATABRICKS_HOST = "https://«WORKSPACE»")
Sys.setenv(DATABRICKS_TOKEN = "«0»")
"#,
            ),
            File(
                "infra/databricks/provider.tf",
                r#"
provider "databricks" {
  host  = "https://«WORKSPACE»"
  token = "«0»"
}
"#,
            ),
        ],
    },
    Recipe {
        family: "analytics",
        kinds: &["posit-connect-api-key"],
        make: Make::One(t::posit_connect_key),
        variants: &[
            File(
                "analysis/.Renviron",
                "
CONNECT_SERVER=https://connect.«DOMAIN»
CONNECT_API_KEY=«0»
",
            ),
            File(
                "scripts/connect_deploy.sh",
                r#"
#!/bin/bash
curl -s -H "Authorization: Key «0»" https://connect.«DOMAIN»/__api__/v1/content
"#,
            ),
            File(
                "tools/connect_usage.py",
                r#"
import requests

r = requests.get(
    "https://connect.«DOMAIN»/__api__/v1/instrumentation/content/visits",
    headers={"Authorization": "Key «0»"},
)
"#,
            ),
        ],
    },
    Recipe {
        family: "analytics",
        kinds: &["snowflake-password"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "etl/snowflake_load.py",
                r#"
import snowflake.connector

conn = snowflake.connector.connect(
    user="«USER»",
    password="«0»",
    account="«ORG»-eu1",
    warehouse="LOAD_WH",
)
"#,
            ),
            File(
                "notebooks/snowflake_explore.ipynb",
                r#"
# %%
import snowflake.connector
conn = snowflake.connector.connect(user="«USER»", password="«0»", account="«ORG»-eu1")
# %%
cur = conn.cursor()
cur.execute("select current_version()")
"#,
            ),
            Insert(
                "py",
                r#"
import snowflake.connector

_sf = snowflake.connector.connect(user="«USER»", password="«0»", account="«ORG»-eu1")
"#,
            ),
        ],
    },
];
