//! Generic password and token assignments, one kind per language or
//! format.

use super::{Make, Recipe, Variant::*};
use crate::tokens as t;

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "generic",
        kinds: &["password-python"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "tools/ldap_sync.py",
                r#"
import ldap3

server = ldap3.Server("ldaps://ldap.«DOMAIN»")
password = "«0»"
conn = ldap3.Connection(server, "cn=sync,dc=corp", password, auto_bind=True)
"#,
            ),
            Insert(
                "py",
                r#"
password = "«0»"
"#,
            ),
            File(
                "notebooks/api_pull.ipynb",
                r#"
# %%
import requests
username = "«USER»"
password = "«0»"
# %%
r = requests.get("https://api.«DOMAIN»/export", auth=(username, password))
"#,
            ),
        ],
    },
    Recipe {
        family: "generic",
        kinds: &["password-r"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "analysis/etl.R",
                r#"
library(RPostgres)
user <- "«USER»"
pwd <- "«0»"
con <- dbConnect(Postgres(), host = "«HOST»", user = user, password = pwd)
"#,
            ),
            File(
                "reports/weekly.Rmd",
                r#"
---
title: "Weekly KPIs"
---

```{r}
pwd <- "«0»"
con <- DBI::dbConnect(RMariaDB::MariaDB(), user = "«USER»", password = pwd, host = "«HOST»")
```
"#,
            ),
            File(
                "analysis/R/mail.R",
                r#"
send_report <- function(to) {
  pwd <- "«0»"
  blastula::smtp_send(email, to = to, credentials = blastula::creds(user = "«USER»", password = pwd))
}
"#,
            ),
        ],
    },
    Recipe {
        family: "generic",
        kinds: &["token-js"],
        make: Make::One(t::alnum_token),
        variants: &[
            File(
                "web/src/api.js",
                r#"
const apiToken = "«0»";

export function fetchOrders() {
  return fetch("/api/orders", { headers: { "X-Api-Token": apiToken } });
}
"#,
            ),
            File(
                "web/src/client.ts",
                r#"
const apiToken: string = "«0»";
export const client = { baseUrl: "https://api.«DOMAIN»", token: apiToken };
"#,
            ),
            File(
                "web/src/components/Dashboard.jsx",
                r#"
import React from "react";

const apiToken = "«0»";

export default function Dashboard() {
  return <Chart source={`/metrics?token=${apiToken}`} />;
}
"#,
            ),
        ],
    },
    Recipe {
        family: "generic",
        kinds: &["password-appsettings"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "src/Mailer/appsettings.json",
                r#"
{
  "Smtp": {
    "Host": "smtp.«DOMAIN»",
    "Port": 587,
    "UserName": "«USER»",
    "Password": "«0»"
  }
}
"#,
            ),
            File(
                "src/Api/appsettings.Development.json",
                r#"
{
  "Database": {
    "Server": "«HOST»",
    "User": "«USER»",
    "Password": "«0»"
  }
}
"#,
            ),
            File(
                "src/Worker/appsettings.json",
                r#"
{
  "RabbitMq": {
    "HostName": "mq.«DOMAIN»",
    "UserName": "«USER»",
    "Password": "«0»"
  }
}
"#,
            ),
        ],
    },
    Recipe {
        family: "generic",
        kinds: &["password-yaml"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "config/database.yml",
                "
production:
  adapter: postgresql
  host: «HOST»
  username: «USER»
  password: «0»
",
            ),
            File(
                "helm/values.yaml",
                "
postgresql:
  auth:
    username: «USER»
    password: «0»
    database: «DB»
",
            ),
            File(
                "ansible/group_vars/all.yml",
                "
mysql:
  user: «USER»
  password: «0»
",
            ),
        ],
    },
    Recipe {
        family: "generic",
        kinds: &["password-ini"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "config/mail.ini",
                "
[smtp]
host = smtp.«DOMAIN»
user = «USER»
password = «0»
",
            ),
            File(
                "etc/service.ini",
                "
[database]
host = «HOST»
user = «USER»
password = «0»
",
            ),
            File(
                "tools/ldap.cfg",
                "
[ldap]
bind_dn = cn=«USER»,dc=corp
password = «0»
",
            ),
        ],
    },
    Recipe {
        family: "generic",
        kinds: &["password-terraform"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "infra/vm.tf",
                r#"
resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "jump01"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = "«0»"
  disable_password_authentication = false
}
"#,
            ),
            File(
                "infra/terraform.tfvars",
                r#"
location       = "uksouth"
admin_username = "«USER»"
admin_password = "«0»"
"#,
            ),
            File(
                "infra/modules/windows/main.tf",
                r#"
resource "azurerm_windows_virtual_machine" "build" {
  name           = "build01"
  admin_username = "builder"
  admin_password = "«0»"
}
"#,
            ),
        ],
    },
    Recipe {
        family: "generic",
        kinds: &["sql-password"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "db/migrations/0007_app_role.sql",
                "
CREATE ROLE app_rw LOGIN;
ALTER ROLE app_rw WITH PASSWORD '«0»';
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO app_rw;
",
            ),
            File(
                "db/mssql/create_logins.sql",
                "
CREATE LOGIN etl_loader WITH PASSWORD = '«0»';
CREATE USER etl_loader FOR LOGIN etl_loader;
",
            ),
            File(
                "db/mysql/users.sql",
                "
CREATE USER 'reporting'@'%' IDENTIFIED BY '«0»';
GRANT SELECT ON «DB».* TO 'reporting'@'%';
",
            ),
        ],
    },
];
