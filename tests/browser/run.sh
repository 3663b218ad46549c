#!/usr/bin/env bash
# The dashboard and the HTML report in a real browser, and the dashboard's
# JSON API under schemathesis. Called by scripts/test.sh after the Rust
# suite; needs the keepopen binary ($KEEPOPEN, default the debug build),
# Debian's Chromium, node with tests/browser/node_modules, and schemathesis
# ($KEEPOPEN_SCHEMATHESIS). Screenshots go to $KEEPOPEN_ARTIFACTS/browser.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
keepopen=${KEEPOPEN:-${CARGO_TARGET_DIR:-$root/target}/debug/keepopen}
artifacts=${KEEPOPEN_ARTIFACTS:-${CARGO_TARGET_DIR:-$root/target}/test-artifacts}/browser
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts"/*.pdf
work=$(mktemp -d /tmp/keepopen-browser.XXXXXX)
server=
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A token made here, never a literal in this repository.
token_like() { printf 'ghp_'; head -c 400 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 36; }
repo() {
  local dir=$1
  mkdir -p "$dir"
  git -C "$dir" init -q -b main
  git -C "$dir" config user.email dev@example.org
  git -C "$dir" config user.name "A Developer"
}
commit() { git -C "$1" add -A && git -C "$1" commit -qm "$2"; }

org=$work/org
repo "$org/team-a/tool"
printf '# Tool\n\nMaintained by the data team: data@example.org\n' > "$org/team-a/tool/README.md"
printf '# Security\n\nReport vulnerabilities privately to security@example.org.\n' > "$org/team-a/tool/SECURITY.md"
printf 'TOKEN = "%s"\n' "$(token_like)" > "$org/team-a/tool/app.py"
commit "$org/team-a/tool" tool
repo "$org/team-a/guidance"
printf '# Guidance\n\nMaintained by the standards team: standards@example.org\n' > "$org/team-a/guidance/README.md"
printf '# Security\n\nReport vulnerabilities privately to security@example.org.\n' > "$org/team-a/guidance/SECURITY.md"
mkdir -p "$org/team-a/guidance/guide" && printf '# Intro\n' > "$org/team-a/guidance/guide/intro.md"
commit "$org/team-a/guidance" guidance
repo "$org/team-b/model"
printf 'x <- 1\n' > "$org/team-b/model/model.R"
printf 'key = "%s"\n' "$(token_like)" > "$org/team-b/model/old.py"
commit "$org/team-b/model" model

store=$work/keepopen.db
KEEPOPEN_DB=$store "$keepopen" org "$org" --db "$store" --no-progress > /dev/null || [ $? = 1 ]
"$keepopen" report --db "$store" --format html -o "$work/report.html" || [ $? = 1 ]
"$keepopen" report --db "$store" --format json -o "$work/report.json" || [ $? = 1 ]

export KEEPOPEN_TOKEN=$(head -c 400 /dev/urandom | tr -dc 'a-z0-9' | head -c 40)
"$keepopen" serve --db "$store" --addr 127.0.0.1:0 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 100); do
  grep -q 'http://' "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's|.*\(http://[0-9.:]*\)/.*|\1|p' "$work/serve.out" | head -1)
[ -n "$url" ] || { cat "$work/serve.err" >&2; echo "keepopen serve did not start" >&2; exit 1; }
echo "dashboard at $url, store $store" >&2

chromium=${KEEPOPEN_CHROMIUM:-/usr/lib/chromium/chromium}
[ -x "$chromium" ] || chromium=$(command -v chromium)
KEEPOPEN_URL=$url KEEPOPEN_STORE=$store KEEPOPEN_ORG=$org KEEPOPEN_BIN=$keepopen \
KEEPOPEN_REPORT=$work/report.html KEEPOPEN_REPORT_JSON=$work/report.json \
KEEPOPEN_CHROMIUM=$chromium KEEPOPEN_ARTIFACTS=$artifacts \
  node "$here/run.mjs"

# The JSON API against its own description: no 5xx, nothing outside it.
# One worker: CPython 3.11's ast.parse is not safe in two threads at once
# (python/cpython#106905, "AST constructor recursion depth mismatch"), and
# hypothesis parses lambdas while it describes a failing case.
st=${KEEPOPEN_SCHEMATHESIS:-schemathesis}
"$st" run "$url/api/openapi.json" \
  --header "Authorization: Bearer $KEEPOPEN_TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples 40 --seed 1 --workers 1 --request-timeout 20 \
  --report junit --report-dir "$artifacts/schemathesis"
echo "browser tests and schemathesis passed; screenshots in $artifacts" >&2
