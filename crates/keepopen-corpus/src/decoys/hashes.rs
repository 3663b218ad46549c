//! Decoys that are hashes or public material: lockfile integrity hashes,
//! UUIDs, commit SHAs, sha256 digests, public keys and certificates.

use super::{DecoyFile, file};
use crate::encode::{base64, hex, uuid};
use crate::keys;
use crate::rng::Rng;

fn sha1_hex(rng: &mut Rng) -> String {
    hex(&rng.bytes(20))
}

fn sha256_hex(rng: &mut Rng) -> String {
    hex(&rng.bytes(32))
}

pub(super) fn lockfiles(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    let npm: Vec<String> = (0..4)
        .map(|_| format!("sha512-{}", base64(&rng.bytes(64))))
        .collect();
    let mut body =
        String::from("{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n");
    for (i, pkg) in ["react", "react-dom", "scheduler", "loose-envify"]
        .iter()
        .enumerate()
    {
        body.push_str(&format!(
            "    \"node_modules/{pkg}\": {{\n      \"version\": \"18.{i}.0\",\n      \"resolved\": \"https://registry.npmjs.org/{pkg}/-/{pkg}-18.{i}.0.tgz\",\n      \"integrity\": \"«{i}»\"\n    }}{}\n",
            if i < 3 { "," } else { "" }
        ));
    }
    body.push_str("  }\n}\n");
    let npm_file = file(
        rng,
        "web/package-lock.json",
        &body,
        npm.into_iter().map(|v| ("lockfile-hash", v)).collect(),
    )?;

    let poetry: Vec<String> = (0..4)
        .map(|_| format!("sha256:{}", sha256_hex(rng)))
        .collect();
    let mut body = String::new();
    for (i, pkg) in ["certifi", "idna", "requests", "urllib3"]
        .iter()
        .enumerate()
    {
        body.push_str(&format!(
            "[[package]]\nname = \"{pkg}\"\nversion = \"2.{i}.0\"\nfiles = [\n    {{file = \"{pkg}-2.{i}.0-py3-none-any.whl\", hash = \"«{i}»\"}},\n]\n\n"
        ));
    }
    let poetry_file = file(
        rng,
        "poetry.lock",
        &body,
        poetry.into_iter().map(|v| ("lockfile-hash", v)).collect(),
    )?;

    let cargo: Vec<String> = (0..4).map(|_| sha256_hex(rng)).collect();
    let mut body = String::from("version = 4\n\n");
    for (i, pkg) in ["anyhow", "cfg-if", "libc", "memchr"].iter().enumerate() {
        body.push_str(&format!(
            "[[package]]\nname = \"{pkg}\"\nversion = \"1.0.{i}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"«{i}»\"\n\n"
        ));
    }
    let cargo_file = file(
        rng,
        "tools/xtask/Cargo.lock",
        &body,
        cargo.into_iter().map(|v| ("lockfile-hash", v)).collect(),
    )?;
    Ok(vec![npm_file, poetry_file, cargo_file])
}

pub(super) fn ids_and_digests(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    let u: Vec<String> = (0..4).map(|_| uuid(rng)).collect();
    let g: Vec<String> = (0..4).map(|_| sha1_hex(rng)).collect();
    let d: Vec<String> = (0..4).map(|_| sha256_hex(rng)).collect();
    Ok(vec![
        file(
            rng,
            "config/azure.toml",
            "
[azure]
client_id = \"«0»\"
tenant_id = \"«1»\"
subscription_id = \"«2»\"
",
            vec![
                ("uuid", u[0].clone()),
                ("uuid", u[1].clone()),
                ("uuid", u[2].clone()),
            ],
        )?,
        file(
            rng,
            "infra/azure/variables.tf",
            "
variable \"tenant_id\" {
  default = \"«0»\"
}
",
            vec![("uuid", u[3].clone())],
        )?,
        file(
            rng,
            ".github/workflows/ci.yml",
            "
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@«0»
      - uses: actions/setup-python@«1»
      - run: make test
",
            vec![("git-sha", g[0].clone()), ("git-sha", g[1].clone())],
        )?,
        file(
            rng,
            "tools/pinned.py",
            "
# Versions we build against.
PINNED_COMMIT = \"«0»\"
EXPECTED_SHA256 = \"«1»\"
",
            vec![("git-sha", g[2].clone()), ("sha256-digest", d[0].clone())],
        )?,
        file(
            rng,
            "scripts/vendor.sh",
            "
#!/bin/sh
git -C vendor/tool checkout «0»
echo \"«1»  tool.tar.gz\" | sha256sum -c -
",
            vec![("git-sha", g[3].clone()), ("sha256-digest", d[1].clone())],
        )?,
        file(
            rng,
            "Dockerfile",
            "
FROM python:3.11-slim@sha256:«0»
COPY . /app
",
            vec![("sha256-digest", d[2].clone())],
        )?,
        file(
            rng,
            "deploy/k8s/image-digests.yaml",
            "
images:
  api: ghcr.io/«ORG»/api@sha256:«0»
",
            vec![("sha256-digest", d[3].clone())],
        )?,
    ])
}

pub(super) fn public_keys(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    let pk = keys::public_key_pem(rng);
    let cert = keys::certificate_pem(rng);
    let (l1, b1) = keys::ssh_rsa_public_line(rng, "alice@laptop");
    let (l2, b2) = keys::ssh_rsa_public_line(rng, "ci@build-01");
    Ok(vec![
        file(
            rng,
            "certs/jwt-signing.pub.pem",
            &(pk.lines.join("\n") + "\n"),
            vec![("public-key", pk.body_head)],
        )?,
        file(
            rng,
            "certs/ca.crt",
            &(cert.lines.join("\n") + "\n"),
            vec![("public-key", cert.body_head)],
        )?,
        file(
            rng,
            "deploy/ssh/authorized_keys",
            &format!("{l1}\n{l2}\n"),
            vec![("public-key", b1), ("public-key", b2)],
        )?,
    ])
}
