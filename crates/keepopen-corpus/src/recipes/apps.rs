//! Application credentials: payments, AI providers and package registries.

use super::{Make, Recipe, Variant::*};
use crate::tokens as t;

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "payments",
        kinds: &["stripe-live-secret-key"],
        make: Make::One(t::stripe_live),
        variants: &[
            File(
                "billing/charge.py",
                r#"
import stripe

stripe.api_key = "«0»"


def charge(customer, cents):
    return stripe.PaymentIntent.create(customer=customer, amount=cents, currency="gbp")
"#,
            ),
            File(
                "web/src/server/stripe.ts",
                r#"
import Stripe from "stripe";

export const stripe = new Stripe("«0»", { apiVersion: "2023-10-16" });
"#,
            ),
            File(
                "db/migrations/0042_payment_settings.sql",
                "
UPDATE settings SET value = '«0»' WHERE name = 'stripe_secret_key';
",
            ),
            File(
                "billing/.env",
                "
STRIPE_SECRET_KEY=«0»
STRIPE_CURRENCY=gbp
",
            ),
        ],
    },
    Recipe {
        family: "ai",
        kinds: &["openai-api-key"],
        make: Make::One(t::openai_key),
        variants: &[
            File(
                "notebooks/summarise_tickets.ipynb",
                r#"
# %% [markdown]
# # Summarise support tickets
# %%
from openai import OpenAI
client = OpenAI(api_key="«0»")
# %%
resp = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
"#,
            ),
            Insert(
                "py",
                r#"
import os as _os

_os.environ["OPENAI_API_KEY"] = "«0»"
"#,
            ),
            File(
                "analysis/llm_labels.R",
                r#"
Sys.setenv(OPENAI_API_KEY = "«0»")
library(ellmer)
chat <- chat_openai(model = "gpt-4o-mini")
"#,
            ),
        ],
    },
    Recipe {
        family: "ai",
        kinds: &["anthropic-api-key"],
        make: Make::One(t::anthropic_key),
        variants: &[
            File(
                "assistant/client.py",
                r#"
import anthropic

client = anthropic.Anthropic(api_key="«0»")
"#,
            ),
            File(
                "web/src/lib/claude.ts",
                r#"
import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic({ apiKey: "«0»" });
export default anthropic;
"#,
            ),
            File(
                "assistant/.env",
                "
ANTHROPIC_API_KEY=«0»
MODEL=claude-sonnet
",
            ),
        ],
    },
    Recipe {
        family: "ai",
        kinds: &["huggingface-token"],
        make: Make::One(t::huggingface_token),
        variants: &[
            File(
                "notebooks/finetune.ipynb",
                r#"
# %%
from huggingface_hub import login
login(token="«0»")
# %%
from datasets import load_dataset
ds = load_dataset("imdb")
"#,
            ),
            File(
                "scripts/download_models.sh",
                "
#!/bin/bash
huggingface-cli login --token «0»
huggingface-cli download distilbert-base-uncased
",
            ),
            File(
                "ml/config.yaml",
                "
model: distilbert-base-uncased
hf_token: «0»
epochs: 3
",
            ),
        ],
    },
    Recipe {
        family: "registry",
        kinds: &["npm-token"],
        make: Make::One(t::npm_token),
        variants: &[
            File(
                "web/.npmrc",
                "
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=«0»
",
            ),
            File(
                ".github/workflows/publish.yml",
                "
name: publish
on:
  release:
    types: [published]
jobs:
  npm:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-node@v4
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: «0»
",
            ),
            File(
                "scripts/npm_login.sh",
                "
#!/bin/sh
npm config set //registry.npmjs.org/:_authToken «0»
",
            ),
        ],
    },
    Recipe {
        family: "registry",
        kinds: &["pypi-token"],
        make: Make::One(t::pypi_token),
        variants: &[
            File(
                ".pypirc",
                "
[distutils]
index-servers = pypi

[pypi]
username = __token__
password = «0»
",
            ),
            File(
                "scripts/upload.sh",
                "
#!/bin/bash
python -m build
twine upload -u __token__ -p «0» dist/*
",
            ),
            File(
                ".github/workflows/pypi.yml",
                "
name: pypi
on: [workflow_dispatch]
jobs:
  upload:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: «0»
",
            ),
        ],
    },
    Recipe {
        family: "registry",
        kinds: &["nuget-api-key"],
        make: Make::One(t::nuget_key),
        variants: &[
            File(
                "build/push.sh",
                "
#!/bin/sh
dotnet nuget push bin/Release/*.nupkg --api-key «0» --source https://api.nuget.org/v3/index.json
",
            ),
            File(
                "build/release.yml",
                "
variables:
  NUGET_API_KEY: «0»
steps:
  - script: dotnet pack -c Release
",
            ),
            File(
                "build/Publish.ps1",
                r#"
$apiKey = "«0»"
dotnet nuget push .\bin\Release\*.nupkg --api-key $apiKey --source nuget.org
"#,
            ),
        ],
    },
];
