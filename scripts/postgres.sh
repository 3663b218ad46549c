#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite and the benchmarks:
#   scripts/postgres.sh start DIR [--durable]  prints its URL (no database)
#   scripts/postgres.sh stop DIR
# Installs PostgreSQL from Debian's packages when it is missing. The server
# runs as an unprivileged user (never root), listens on 127.0.0.1 only, on
# a free port, with its data, socket and log in DIR. Without --durable it
# skips fsync: the tests kill keepopen, never the server, and go faster.
set -euo pipefail

find_bin() {
  local found
  found=$(command -v initdb 2>/dev/null || true)
  if [ -z "$found" ]; then
    found=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
  fi
  [ -n "$found" ] && dirname "$found"
}

as_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PGUSER_OS" -- "$@"
  else
    "$@"
  fi
}

cmd=${1:?start or stop}
dir=${2:?a folder for the server}
if [ "$(id -u)" = 0 ]; then
  PGUSER_OS=${KEEPOPEN_PG_OS_USER:-postgres}
else
  PGUSER_OS=$(id -un)
fi

case "$cmd" in
  start)
    bin=$(find_bin || true)
    if [ -z "$bin" ]; then
      echo "installing PostgreSQL from the Debian packages" >&2
      if [ "$(id -u)" = 0 ]; then
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      else
        sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      fi
      bin=$(find_bin)
    fi
    if [ "$(id -u)" = 0 ] && ! id "$PGUSER_OS" >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS"
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_user "$bin/initdb" -D "$dir/data" -U keepopen --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200"
    if [ "${3:-}" != "--durable" ]; then
      opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    echo "postgres://keepopen@127.0.0.1:$port"
    ;;
  stop)
    bin=$(find_bin)
    [ -d "$dir/data" ] && as_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
