#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store tests, from the Debian packages (apt-get install postgresql):
#
#   eval "$(.ci/postgres.sh start)"   # initdb in a fresh folder, start on 127.0.0.1:<free port>, print the exports
#   .ci/postgres.sh stop              # stop it and remove the folder
#
# `start` prints `export JDO_TEST_POSTGRES="Host=127.0.0.1;Port=…;Username=…;Password=…;Database=postgres"`; the
# store tests create a database of their own per test in it. No systemd: pg_ctl runs the server in the background.
# As root (CI) the server runs as the 'postgres' user, since PostgreSQL refuses to run as root.
# Idempotent: `start` first stops and removes whatever a previous run left in the folder, `stop` on nothing is a no-op.
# The folder is per checkout (JDO_PG_DIR overrides it), so two clones on one machine do not share a server.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${JDO_PG_DIR:-/tmp/jdo-postgres-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)}
user=jdo
password=jdo-ci-only

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi

# Runs a PostgreSQL program as the 'postgres' user when we are root, else as ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

# A port nobody listens on (loopback); pg_ctl below fails and we retry if one is taken in between.
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "postgres.sh: no free port found" >&2
  exit 1
}

start() {
  stop
  mkdir -p "$dir"
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; fi
  as_pg "$bin/initdb" -D "$dir/data" -U "$user" --pwfile="$dir/pwfile" -A scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  local port
  for attempt in 1 2 3; do
    port=$(free_port)
    # fsync off: a test server whose data is thrown away; the socket goes into the folder, not /var/run.
    if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
        "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      echo "export JDO_TEST_POSTGRES=\"Host=127.0.0.1;Port=$port;Username=$user;Password=$password;Database=postgres\""
      return
    fi
    echo "postgres.sh: start on port $port failed (attempt $attempt); log:" >&2
    tail -n 5 "$dir/server.log" >&2 || true
  done
  exit 1
}

# An outage for the tests that need one: `pause` stops the server (fast shutdown) and keeps its data and port;
# `resume` starts it again on the same port.
pause() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
}

resume() {
  local port
  port=$(cat "$dir/port")
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  pause) pause ;;
  resume) resume ;;
  *) echo "usage: $0 start|stop|pause|resume" >&2; exit 2 ;;
esac
