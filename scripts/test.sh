#!/usr/bin/env bash
# Runs every test on a fresh machine. Installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need git; then
  apt-get update -qq && apt-get install -y -qq git
fi
if ! need python3; then
  apt-get update -qq && apt-get install -y -qq python3
fi

cargo fmt --all -- --check
cargo test --workspace --all-targets --locked
