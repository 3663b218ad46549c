#!/usr/bin/env bash
# Runs every test on a fresh machine. Installs what the tests need first,
# and starts a throwaway PostgreSQL server (scripts/postgres.sh) so that
# the store suite runs on both back ends; it is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
updated=
apt() {
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  [ -n "$updated" ] || { $sudo apt-get update -qq; updated=1; }
  $sudo apt-get install -y -qq "$@"
}
need git || apt git
need python3 || apt python3
# xmllint validates the JUnit reports against junit-10.xsd.
need xmllint || apt libxml2-utils

# pre-commit from PyPI, in a venv of its own, runs keepopen's hooks.
tools=${KEEPOPEN_TEST_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/keepopen-test-tools}
if [ ! -x "$tools/venv/bin/pre-commit" ]; then
  python3 -m venv "$tools/venv" 2>/dev/null || { apt python3-venv && python3 -m venv "$tools/venv"; }
  "$tools/venv/bin/pip" install -q 'pre-commit>=4,<5'
fi
export KEEPOPEN_PRE_COMMIT="$tools/venv/bin/pre-commit"
# Every external tool above is required: a test that cannot find one fails
# rather than skips. The language: rust hook builds keepopen from source.
export KEEPOPEN_REQUIRE_TOOLS=1 KEEPOPEN_TEST_PRE_COMMIT_RUST=1

cargo fmt --all -- --check

pg_dir=$(mktemp -d /tmp/keepopen-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
KEEPOPEN_TEST_POSTGRES=$(scripts/postgres.sh start "$pg_dir")
export KEEPOPEN_TEST_POSTGRES KEEPOPEN_REQUIRE_POSTGRES=1
echo "PostgreSQL for the store suite: $KEEPOPEN_TEST_POSTGRES" >&2

cargo test --workspace --all-targets --locked
