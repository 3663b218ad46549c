//! Cloud credentials: AWS, Azure (storage keys, SAS URLs, Entra ID client
//! secrets) and GCP API keys.

use super::{Make, Recipe, Variant::*};
use crate::tokens as t;

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "aws",
        kinds: &["aws-access-key-id", "aws-secret-access-key"],
        make: Make::Many(t::aws_pair),
        variants: &[
            File(
                "deploy/aws/credentials",
                "
[default]
aws_access_key_id = «0»
aws_secret_access_key = «1»
region = «REGION»
output = json
",
            ),
            File(
                "scripts/s3_backup.py",
                r#"
"""Nightly copy of the reporting exports to S3."""
import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="«0»",
    aws_secret_access_key="«1»",
    region_name="«REGION»",
)


def upload(path, key):
    s3.upload_file(path, "«ORG»-exports", key)
"#,
            ),
            File(
                "notebooks/s3_inventory.ipynb",
                r#"
# %% [markdown]
# # S3 inventory check
# %%
import boto3
session = boto3.Session(
    aws_access_key_id="«0»",
    aws_secret_access_key="«1»",
)
# %%
for b in session.client("s3").list_buckets()["Buckets"]:
    print(b["Name"])
"#,
            ),
            File(
                "infra/aws/provider.tf",
                r#"
provider "aws" {
  region     = "«REGION»"
  access_key = "«0»"
  secret_key = "«1»"
}
"#,
            ),
        ],
    },
    Recipe {
        family: "azure",
        kinds: &["azure-storage-account-key"],
        make: Make::One(t::azure_storage_key),
        variants: &[
            File(
                "src/Web/appsettings.json",
                r#"
{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "ConnectionStrings": {
    "Storage": "DefaultEndpointsProtocol=https;AccountName=«ACCT»;AccountKey=«0»;EndpointSuffix=core.windows.net"
  },
  "AllowedHosts": "*"
}
"#,
            ),
            File(
                "etl/blob_upload.py",
                r#"
from azure.storage.blob import BlobServiceClient

CONN_STR = "DefaultEndpointsProtocol=https;AccountName=«ACCT»;AccountKey=«0»;EndpointSuffix=core.windows.net"
service = BlobServiceClient.from_connection_string(CONN_STR)
container = service.get_container_client("raw")
"#,
            ),
            File(
                ".env",
                r#"
APP_ENV=staging
AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=«ACCT»;AccountKey=«0»;EndpointSuffix=core.windows.net"
LOG_LEVEL=info
"#,
            ),
            File(
                "src/Jobs/ArchiveJob.cs",
                r#"
using Azure.Storage.Blobs;

namespace Jobs;

public class ArchiveJob
{
    private readonly BlobServiceClient _client = new BlobServiceClient(
        "DefaultEndpointsProtocol=https;AccountName=«ACCT»;AccountKey=«0»;EndpointSuffix=core.windows.net");
}
"#,
            ),
        ],
    },
    Recipe {
        family: "azure",
        kinds: &["azure-sas-token"],
        make: Make::One(t::azure_sas_sig),
        variants: &[
            File(
                "analysis/load_exports.R",
                r#"
library(readr)
url <- "https://«ACCT».blob.core.windows.net/exports/daily.csv?sv=2022-11-02&ss=b&srt=o&sp=r&se=2025-12-31T23:59:59Z&st=2024-01-01T00:00:00Z&spr=https&sig=«0»"
daily <- read_csv(url)
"#,
            ),
            File(
                "scripts/sync_blobs.sh",
                r#"
#!/usr/bin/env bash
set -euo pipefail
azcopy copy ./out "https://«ACCT».blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rwl&se=2026-03-01T00:00:00Z&spr=https&sig=«0»" --recursive
"#,
            ),
            File(
                "pipelines/export.yml",
                r#"
variables:
  exportTarget: "https://«ACCT».blob.core.windows.net/reports?sv=2021-08-06&sr=c&sp=racwl&se=2025-09-30T12:00:00Z&sig=«0»"
steps:
  - script: ./export.sh "$(exportTarget)"
"#,
            ),
        ],
    },
    Recipe {
        family: "azure",
        kinds: &["azure-entra-client-secret"],
        make: Make::One(t::entra_client_secret),
        variants: &[
            File(
                "auth/graph_client.py",
                r#"
import msal

app = msal.ConfidentialClientApplication(
    "«UUID»",
    authority="https://login.microsoftonline.com/«UUID»",
    client_credential="«0»",
)
"#,
            ),
            File(
                "src/Api/appsettings.Production.json",
                r#"
{
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "«UUID»",
    "ClientId": "«UUID»",
    "ClientSecret": "«0»"
  }
}
"#,
            ),
            File(
                "deploy/.env",
                "
AZURE_TENANT_ID=«UUID»
AZURE_CLIENT_ID=«UUID»
AZURE_CLIENT_SECRET=«0»
",
            ),
            File(
                "infra/azure/provider.tf",
                r#"
provider "azurerm" {
  features {}
  tenant_id     = "«UUID»"
  client_id     = "«UUID»"
  client_secret = "«0»"
}
"#,
            ),
        ],
    },
    Recipe {
        family: "gcp",
        kinds: &["gcp-api-key"],
        make: Make::One(t::gcp_api_key),
        variants: &[
            File(
                "web/src/firebase.js",
                r#"
import { initializeApp } from "firebase/app";

const firebaseConfig = {
  apiKey: "«0»",
  authDomain: "«PROJECT».firebaseapp.com",
  projectId: "«PROJECT»",
};

export const app = initializeApp(firebaseConfig);
"#,
            ),
            File(
                "analysis/maps.R",
                r#"
library(ggmap)
register_google(key = "«0»")
stores <- geocode(c("Leeds", "York"))
"#,
            ),
            File(
                "geo/lookup.py",
                r#"
import googlemaps

gmaps = googlemaps.Client(key="«0»")


def where(address):
    return gmaps.geocode(address)
"#,
            ),
        ],
    },
];
