#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the relay store tests (tests/relay/store/postgres-store.test.ts).
#
#   scripts/test-postgres.sh [start [DIR]]   initialises a cluster in DIR (a new temporary directory if none is
#                                            given), listening only on 127.0.0.1 on a free port with trust auth,
#                                            creates the database relay_test and prints its URL,
#                                            postgres://postgres@127.0.0.1:PORT/relay_test, as the last line of stdout
#   scripts/test-postgres.sh stop DIR        stops that cluster and deletes DIR
#
# Then: FRONTDESK_TEST_POSTGRES_URL=<url> npx vitest run tests/relay/store
#
# initdb refuses root: as root the cluster runs as the `postgres` user (runuser), otherwise as the current user.
# The binaries are looked for in $PG_BIN, then the newest /usr/lib/postgresql/*/bin, then pg_config, then PATH.
set -euo pipefail

marker=.frontdesk-test-postgres
first_port=54329
last_port=54428

say() { echo "test-postgres: $*" >&2; }
die() {
  say "$*"
  exit 1
}

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
    return
  fi
  local newest
  newest=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$newest" ]; then
    dirname "$newest"
  elif command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    die "no PostgreSQL binaries (initdb): install the postgresql package or set PG_BIN"
  fi
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# True when something accepts connections on 127.0.0.1:$1 (bash's /dev/tcp).
port_in_use() {
  (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local dir=${1:-} created=0
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/frontdesk-postgres.XXXXXX")
    created=1
  else
    mkdir -p "$dir"
  fi
  dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/data" ] || die "$dir already holds a cluster (stop it with: $0 stop $dir)"
  touch "$dir/$marker"

  local bin
  bin=$(find_bin)
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user to run the cluster as"
    chown postgres: "$dir"
  fi

  # On failure: show why, and remove a directory this run created.
  fail() {
    say "$*"
    [ -f "$dir/postgres.log" ] && tail -n 20 "$dir/postgres.log" >&2
    if [ "$created" -eq 1 ]; then
      stop "$dir" >/dev/null 2>&1 || say "could not clean up $dir"
    fi
    exit 1
  }

  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    fail "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  # Only loopback TCP and a socket inside DIR; fsync off because the cluster is thrown away.
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
EOF

  local port started=0
  for ((port = first_port; port <= last_port; port++)); do
    port_in_use "$port" && continue
    # Another process may take the port between the check and the bind: then try the next one.
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-p $port" -w -t 30 start >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  [ "$started" -eq 1 ] || fail "could not start PostgreSQL on any port from $first_port to $last_port"

  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres relay_test || fail "createdb relay_test failed"
  say "$("$bin/postgres" --version) in $dir on 127.0.0.1:$port; stop it with: $0 stop $dir"
  echo "postgres://postgres@127.0.0.1:$port/relay_test"
}

stop() {
  local dir=${1:-}
  [ -n "$dir" ] || die "usage: $0 stop DIR"
  [ -d "$dir" ] || die "$dir does not exist"
  # Never delete a directory this script did not make.
  [ -f "$dir/$marker" ] || die "$dir is not a test cluster made by $0"
  if [ -f "$dir/data/PG_VERSION" ]; then
    local bin
    bin=$(find_bin)
    # Status 3: not running (never started, or already stopped).
    local status=0
    as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || status=$?
    if [ "$status" -ne 3 ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
  fi
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: $0 [start [DIR]] | stop DIR" >&2
    exit 2
    ;;
esac
