//! `.env` files, framework secret keys and credentials in URLs.

use super::{Make, Recipe, Variant::*};
use crate::tokens as t;

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "dotenv",
        kinds: &["dotenv-db-password"],
        make: Make::One(t::plain_password),
        variants: &[
            File(
                ".env",
                "
DB_HOST=«HOST»
DB_USER=«USER»
DB_PASSWORD=«0»
DB_NAME=«DB»
",
            ),
            File(
                "services/api/.env.production",
                "
NODE_ENV=production
DB_PASSWORD=«0»
",
            ),
            File(
                ".env.local",
                "
DEBUG=true
DB_PASSWORD=«0»
",
            ),
        ],
    },
    Recipe {
        family: "dotenv",
        kinds: &["dotenv-api-secret"],
        make: Make::One(t::api_secret),
        variants: &[
            File(
                "api/.env",
                "
PORT=8080
API_SECRET=«0»
",
            ),
            File(
                "worker/.env",
                "
QUEUE=default
API_SECRET=«0»
",
            ),
            File(
                ".env.staging",
                "
API_URL=https://staging.«DOMAIN»
API_SECRET=«0»
",
            ),
        ],
    },
    Recipe {
        family: "framework",
        kinds: &["django-secret-key"],
        make: Make::One(t::django_secret_key),
        variants: &[
            File(
                "webapp/webapp/settings.py",
                r#"
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = '«0»'

DEBUG = False
ALLOWED_HOSTS = ["«DOMAIN»"]
"#,
            ),
            File(
                "webapp/webapp/settings/production.py",
                r#"
from .base import *  # noqa

SECRET_KEY = '«0»'
DEBUG = False
"#,
            ),
            File(
                "webapp/local_settings.py",
                r#"
SECRET_KEY = '«0»'
INTERNAL_IPS = ["127.0.0.1"]
"#,
            ),
        ],
    },
    Recipe {
        family: "framework",
        kinds: &["flask-secret-key"],
        make: Make::One(t::api_secret),
        variants: &[
            File(
                "flaskapp/app.py",
                r#"
from flask import Flask

app = Flask(__name__)
app.secret_key = "«0»"
"#,
            ),
            File(
                "flaskapp/__init__.py",
                r#"
from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "«0»"
    return app
"#,
            ),
            File(
                "flaskapp/config.py",
                r#"
class ProductionConfig:
    SECRET_KEY = "«0»"
    SESSION_COOKIE_SECURE = True
"#,
            ),
        ],
    },
    Recipe {
        family: "url-credentials",
        kinds: &["https-url-password"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                "pip.conf",
                "
[global]
index-url = https://«AUTH»@pypi.«DOMAIN»/simple
",
            ),
            File(
                "requirements.txt",
                "
--extra-index-url https://«AUTH»@packages.«DOMAIN»/simple
requests==2.32.3
pandas==2.2.2
",
            ),
            File(
                "scripts/fetch_artifacts.sh",
                "
#!/bin/sh
curl -fsSLO https://«AUTH»@artifacts.«DOMAIN»/builds/latest.tar.gz
",
            ),
        ],
    },
    Recipe {
        family: "url-credentials",
        kinds: &["ftp-url-password"],
        make: Make::One(t::uri_password),
        variants: &[
            File(
                "analysis/get_sales.R",
                r#"
download.file("ftp://«AUTH»@ftp.«DOMAIN»/exports/sales.csv", "data/sales.csv")
"#,
            ),
            File(
                "etl/ftp_pull.py",
                r#"
from urllib.request import urlopen

data = urlopen("ftp://«AUTH»@ftp.«DOMAIN»/outgoing/stock.csv").read()
"#,
            ),
            File(
                "scripts/mirror_ftp.sh",
                "
#!/bin/sh
wget -m ftp://«AUTH»@ftp.«DOMAIN»/pub/
",
            ),
        ],
    },
];
