#!/usr/bin/env bash
# Runs every test on a fresh machine. Installs what the tests need first,
# and starts a throwaway PostgreSQL server (scripts/postgres.sh) so that
# the store suite runs on both back ends; it is stopped on exit.
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

pg_dir=$(mktemp -d /tmp/keepopen-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
KEEPOPEN_TEST_POSTGRES=$(scripts/postgres.sh start "$pg_dir")
export KEEPOPEN_TEST_POSTGRES KEEPOPEN_REQUIRE_POSTGRES=1
echo "PostgreSQL for the store suite: $KEEPOPEN_TEST_POSTGRES" >&2

cargo test --workspace --all-targets --locked
