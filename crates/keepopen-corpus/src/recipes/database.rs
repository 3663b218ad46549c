//! Database passwords in connection strings, URIs and driver calls. The
//! labelled secret is the password alone.

use super::{Make, Recipe, Variant::*};
use crate::tokens as t;

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "database",
        kinds: &["sqlserver-connection-string"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                "src/Api/appsettings.json",
                r#"
{
  "ConnectionStrings": {
    "DefaultConnection": "Server=«HOST»;Database=«DB»;User Id=«USER»;Password=«0»;TrustServerCertificate=True;"
  }
}
"#,
            ),
            File(
                "src/Data/Db.cs",
                r#"
namespace Data;

public static class Db
{
    public const string ConnectionString = "Server=«HOST»,1433;Database=«DB»;User Id=«USER»;Password=«0»;";
}
"#,
            ),
            File(
                "src/Legacy/Web.config",
                r#"
<?xml version="1.0"?>
<configuration>
  <connectionStrings>
    <add name="Main" connectionString="Server=«HOST»;Database=«DB»;User Id=«USER»;Password=«0»;" providerName="System.Data.SqlClient" />
  </connectionStrings>
</configuration>
"#,
            ),
            File(
                "etl/mssql_extract.py",
                r#"
import pyodbc

conn = pyodbc.connect(
    "DRIVER={ODBC Driver 18 for SQL Server};SERVER=«HOST»;DATABASE=«DB»;UID=«USER»;PWD=«0»"
)
"#,
            ),
        ],
    },
    Recipe {
        family: "database",
        kinds: &["odbc-password-r"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                "analysis/warehouse.R",
                r#"
library(DBI)
con <- DBI::dbConnect(odbc::odbc(),
                      Driver = "ODBC Driver 18 for SQL Server",
                      Server = "«HOST»",
                      Database = "«DB»",
                      UID = "«USER»",
                      PWD = "«0»",
                      Port = 1433)
"#,
            ),
            File(
                "reports/monthly.Rmd",
                r#"
---
title: "Monthly sales"
output: html_document
---

```{r setup}
con <- DBI::dbConnect(odbc::odbc(), Driver = "SQL Server", Server = "«HOST»", UID = "«USER»", PWD = "«0»")
```
"#,
            ),
            File(
                "analysis/R/dsn.R",
                r#"
warehouse <- function() {
  DBI::dbConnect(odbc::odbc(), dsn = "warehouse", uid = "«USER»", PWD = "«0»")
}
"#,
            ),
        ],
    },
    Recipe {
        family: "database",
        kinds: &["postgres-uri"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                ".env",
                "
DATABASE_URL=postgresql://«AUTH»@«HOST»:5432/«DB»
",
            ),
            File(
                "deploy/k8s/api-deployment.yaml",
                "
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          env:
            - name: DATABASE_URL
              value: postgresql://«AUTH»@«HOST»:5432/«DB»
",
            ),
            File(
                "app/db.py",
                r#"
from sqlalchemy import create_engine

engine = create_engine("postgresql+psycopg2://«AUTH»@«HOST»:5432/«DB»")
"#,
            ),
        ],
    },
    Recipe {
        family: "database",
        kinds: &["postgres-psycopg2-password"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                "etl/pg_extract.py",
                r#"
import psycopg2

conn = psycopg2.connect(host="«HOST»", dbname="«DB»", user="«USER»", password="«0»")
"#,
            ),
            File(
                "notebooks/pg_explore.ipynb",
                r#"
# %%
import psycopg2
conn = psycopg2.connect(host="«HOST»", dbname="«DB»", user="«USER»", password="«0»")
# %%
import pandas as pd
df = pd.read_sql("select * from orders limit 100", conn)
"#,
            ),
            Insert(
                "py",
                r#"
import psycopg2

_conn = psycopg2.connect(host="«HOST»", user="«USER»", password="«0»")
"#,
            ),
        ],
    },
    Recipe {
        family: "database",
        kinds: &["mysql-uri"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                "app/config.py",
                r#"
class Config:
    SQLALCHEMY_DATABASE_URI = "mysql+pymysql://«AUTH»@«HOST»:3306/«DB»"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
"#,
            ),
            File(
                "web/src/server/db.js",
                r#"
const mysql = require("mysql2/promise");

const pool = mysql.createPool("mysql://«AUTH»@«HOST»:3306/«DB»");
module.exports = pool;
"#,
            ),
            File(
                "config/app.ini",
                "
[database]
url = mysql://«AUTH»@«HOST»:3306/«DB»
pool_size = 5
",
            ),
        ],
    },
    Recipe {
        family: "database",
        kinds: &["mongodb-uri"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                "web/src/server/mongo.js",
                r#"
const mongoose = require("mongoose");

mongoose.connect("mongodb+srv://«AUTH»@cluster0.«MONGO».mongodb.net/«DB»?retryWrites=true&w=majority");
"#,
            ),
            File(
                "app/mongo.py",
                r#"
from pymongo import MongoClient

client = MongoClient("mongodb+srv://«AUTH»@cluster0.«MONGO».mongodb.net/?retryWrites=true")
"#,
            ),
            File(
                "services/events/.env",
                "
MONGODB_URI=mongodb+srv://«AUTH»@cluster0.«MONGO».mongodb.net/«DB»
",
            ),
        ],
    },
    Recipe {
        family: "database",
        kinds: &["redis-uri"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                "app/cache.py",
                r#"
import redis

cache = redis.from_url("rediss://:«0»@«HOST»:6380/0")
"#,
            ),
            File(
                "deploy/compose.yaml",
                "
services:
  worker:
    image: «ORG»/worker:latest
    environment:
      REDIS_URL: rediss://:«0»@«HOST»:6380/0
",
            ),
            File(
                "web/src/server/cache.ts",
                r#"
import Redis from "ioredis";

export const redis = new Redis("rediss://:«0»@«HOST»:6380");
"#,
            ),
        ],
    },
];
