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
# The browser tests: Debian's Chromium, driven by playwright-core from npm.
[ -x /usr/lib/chromium/chromium ] || need chromium || apt chromium
need node || apt nodejs
need npm || apt npm

# pre-commit from PyPI, in a venv of its own, runs keepopen's hooks.
tools=${KEEPOPEN_TEST_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/keepopen-test-tools}
if [ ! -x "$tools/venv/bin/pre-commit" ]; then
  python3 -m venv "$tools/venv" 2>/dev/null || { apt python3-venv && python3 -m venv "$tools/venv"; }
  "$tools/venv/bin/pip" install -q 'pre-commit>=4,<5'
fi
export KEEPOPEN_PRE_COMMIT="$tools/venv/bin/pre-commit"
# schemathesis from PyPI tests the dashboard's JSON API against its OpenAPI,
# at versions pinned so that a new release cannot change a run's outcome.
[ -x "$tools/venv/bin/schemathesis" ] || "$tools/venv/bin/pip" install -q 'schemathesis==4.32.5' 'hypothesis==6.170.29'
export KEEPOPEN_SCHEMATHESIS="$tools/venv/bin/schemathesis"
# playwright-core and axe-core, at the versions the lock file pins.
npm ci --prefix tests/browser --no-audit --no-fund --silent
# Every external tool above is required: a test that cannot find one fails
# rather than skips. The language: rust hook builds keepopen from source.
export KEEPOPEN_REQUIRE_TOOLS=1 KEEPOPEN_TEST_PRE_COMMIT_RUST=1

cargo fmt --all -- --check
# The workspace's lints (no unwrap, no stray print to stdout) hold
# everywhere, tests included: a new warning fails the suite.
cargo clippy --workspace --all-targets --locked -- -D warnings

pg_dir=$(mktemp -d /tmp/keepopen-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
KEEPOPEN_TEST_POSTGRES=$(scripts/postgres.sh start "$pg_dir")
export KEEPOPEN_TEST_POSTGRES KEEPOPEN_REQUIRE_POSTGRES=1
echo "PostgreSQL for the store suite: $KEEPOPEN_TEST_POSTGRES" >&2

# One build, so incremental state buys nothing and costs disk; set
# CARGO_INCREMENTAL=1 to keep it between runs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
cargo test --workspace --all-targets --locked

# The dashboard and the HTML report in headless Chromium, and the JSON API
# under schemathesis, with the binary the suite above built. Screenshots
# are kept in target/test-artifacts/browser.
tests/browser/run.sh
