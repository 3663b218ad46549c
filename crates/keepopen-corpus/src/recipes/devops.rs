//! Source hosting and chat: GitHub, GitLab, Azure DevOps, Slack and Teams.

use super::{Make, Recipe, Variant::*};
use crate::tokens as t;

pub(super) const RECIPES: &[Recipe] = &[
    Recipe {
        family: "github",
        kinds: &["github-pat-classic"],
        make: Make::One(t::github_classic),
        variants: &[
            File(
                "scripts/release.sh",
                "
#!/bin/sh
export GITHUB_TOKEN=«0»
gh release create \"v$1\" dist/*
",
            ),
            File(
                ".github/workflows/sync.yml",
                "
name: sync
on: [push]
jobs:
  mirror:
    runs-on: ubuntu-latest
    env:
      GH_TOKEN: «0»
    steps:
      - run: gh repo sync «ORG»/mirror
",
            ),
            File(
                "tools/gh_stats.py",
                r#"
import requests

HEADERS = {"Authorization": "token «0»"}
r = requests.get("https://api.github.com/orgs/«ORG»/repos", headers=HEADERS)
"#,
            ),
            File(
                ".npmrc",
                "
@«ORG»:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=«0»
",
            ),
        ],
    },
    Recipe {
        family: "github",
        kinds: &["github-pat-fine-grained"],
        make: Make::One(t::github_fine_grained),
        variants: &[
            File(
                "bots/.env",
                "
GITHUB_TOKEN=«0»
GITHUB_OWNER=«ORG»
",
            ),
            File(
                "bots/src/issues.ts",
                r#"
import { Octokit } from "@octokit/rest";

const octokit = new Octokit({ auth: "«0»" });
export const listIssues = () => octokit.issues.listForRepo({ owner: "«ORG»", repo: "platform" });
"#,
            ),
            File(
                "analysis/.Rprofile",
                r#"
options(repos = c(CRAN = "https://cloud.r-project.org"))
Sys.setenv(GITHUB_PAT = "«0»")
"#,
            ),
        ],
    },
    Recipe {
        family: "gitlab",
        kinds: &["gitlab-pat"],
        make: Make::One(t::gitlab_pat),
        variants: &[
            File(
                "ci/gitlab-mirror.yml",
                "
variables:
  GITLAB_TOKEN: «0»
mirror:
  script:
    - git push https://oauth2:$GITLAB_TOKEN@gitlab.com/«ORG»/platform.git
",
            ),
            File(
                "tools/gitlab_report.py",
                r#"
import gitlab

gl = gitlab.Gitlab("https://gitlab.com", private_token="«0»")
project = gl.projects.get("«ORG»/platform")
"#,
            ),
            File(
                "scripts/list_pipelines.sh",
                r#"
#!/bin/bash
curl --silent --header "PRIVATE-TOKEN: «0»" "https://gitlab.com/api/v4/projects/4821/pipelines"
"#,
            ),
        ],
    },
    Recipe {
        family: "azure-devops",
        kinds: &["azure-devops-pat-legacy"],
        make: Make::One(t::azure_devops_legacy),
        variants: &[
            File(
                "build/.env",
                "
AZURE_DEVOPS_ORG=«ORG»
AZURE_DEVOPS_PAT=«0»
",
            ),
            File(
                "scripts/add_remote.sh",
                "
#!/bin/sh
git remote add ado https://«0»@dev.azure.com/«ORG»/Platform/_git/platform-api
git push ado main
",
            ),
            File(
                "tools/ado_boards.py",
                r#"
from azure.devops.connection import Connection
from msrest.authentication import BasicAuthentication

credentials = BasicAuthentication("", "«0»")
connection = Connection(base_url="https://dev.azure.com/«ORG»", creds=credentials)
"#,
            ),
        ],
    },
    Recipe {
        family: "azure-devops",
        kinds: &["azure-devops-pat"],
        make: Make::One(t::azure_devops_pat),
        variants: &[
            File(
                "pipelines/.env",
                "
AZURE_DEVOPS_EXT_PAT=«0»
",
            ),
            File(
                "src/Tools/AdoClient.cs",
                r#"
using Microsoft.VisualStudio.Services.Common;
using Microsoft.VisualStudio.Services.WebApi;

var credentials = new VssBasicCredential(string.Empty, "«0»");
var connection = new VssConnection(new Uri("https://dev.azure.com/«ORG»"), credentials);
"#,
            ),
            File(
                "nuget.config",
                r#"
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="internal" value="https://pkgs.dev.azure.com/«ORG»/_packaging/internal/nuget/v3/index.json" />
  </packageSources>
  <packageSourceCredentials>
    <internal>
      <add key="Username" value="build" />
      <add key="ClearTextPassword" value="«0»" />
    </internal>
  </packageSourceCredentials>
</configuration>
"#,
            ),
        ],
    },
    Recipe {
        family: "slack",
        kinds: &["slack-bot-token"],
        make: Make::One(t::slack_bot_token),
        variants: &[
            File(
                "bots/notify.py",
                r##"
from slack_sdk import WebClient

client = WebClient(token="«0»")
client.chat_postMessage(channel="#deploys", text="Deploy finished")
"##,
            ),
            File(
                "db/seed/integrations.sql",
                "
INSERT INTO integrations (provider, workspace, token)
VALUES ('slack', '«ORG»', '«0»');
",
            ),
            File(
                "bots/src/app.js",
                r#"
const { App } = require("@slack/bolt");

const app = new App({
  token: "«0»",
  signingSecret: process.env.SLACK_SIGNING_SECRET,
});
"#,
            ),
        ],
    },
    Recipe {
        family: "slack",
        kinds: &["slack-webhook"],
        make: Make::One(t::slack_webhook),
        variants: &[
            File(
                "scripts/notify_deploy.sh",
                r#"
#!/bin/sh
curl -X POST -H 'Content-type: application/json' --data '{"text":"Deploy finished"}' «0»
"#,
            ),
            File(
                "monitoring/alertmanager.yml",
                "
global:
  slack_api_url: '«0»'
route:
  receiver: team-data
receivers:
  - name: team-data
    slack_configs:
      - channel: '#alerts'
",
            ),
            File(
                "analysis/notify.R",
                r#"
library(httr)
POST("«0»", body = list(text = "Model refresh done"), encode = "json")
"#,
            ),
        ],
    },
    Recipe {
        family: "teams",
        kinds: &["teams-webhook"],
        make: Make::One(t::teams_webhook),
        variants: &[
            File(
                "ops/teams_alert.py",
                r#"
import requests

WEBHOOK = "«0»"
requests.post(WEBHOOK, json={"text": "Nightly load failed"})
"#,
            ),
            File(
                "monitoring/teams.yaml",
                "
notifications:
  teams:
    webhook_url: «0»
    mention: oncall
",
            ),
            File(
                "src/Alerts/TeamsNotifier.cs",
                r#"
namespace Alerts;

public static class TeamsNotifier
{
    private const string WebhookUrl = "«0»";
}
"#,
            ),
        ],
    },
];
