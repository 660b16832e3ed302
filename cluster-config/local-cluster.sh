#!/usr/bin/env bash
# Three (or N) nodes of JinanDataOps on this machine over one local PostgreSQL: the multi-node set-up of
# cluster-config/README.md without containers. Each node runs under a loop that starts it again when it exits
# (a node the split-brain resolver downs shuts itself down; see "Failure detection and split brain").
#
#   cluster-config/local-cluster.sh start [N]   build, start PostgreSQL (if no JDO_POSTGRES is given) and N nodes (default 3)
#   cluster-config/local-cluster.sh status      node processes and their /health/ready
#   cluster-config/local-cluster.sh stop        stop the nodes and the PostgreSQL it started
#
# Node i listens for HTTP on 127.0.0.1:$((5080 + i)) and for Akka on 127.0.0.1:$((4052 + i)); logs and pids are in
# $JDO_CLUSTER_DIR (default /tmp/jinandataops-cluster). JDO_POSTGRES may name an existing server's connection string.
# The database stays in $JDO_CLUSTER_DIR/pg between runs (remove the folder for a fresh cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${JDO_CLUSTER_DIR:-/tmp/jinandataops-cluster}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  [ -n "$pgbin" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
  mkdir -p "$dir/pg" && [ "$(id -u)" = 0 ] && chown postgres "$dir/pg"
  if [ ! -f "$dir/pg/data/PG_VERSION" ]; then as_postgres "$pgbin/initdb" -D "$dir/pg/data" -A trust -U postgres --no-sync >/dev/null; fi
  as_postgres "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w -o "-p 5439 -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  "$pgbin/psql" -h 127.0.0.1 -p 5439 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='jinandataops'" | grep -q 1 \
    || "$pgbin/psql" -h 127.0.0.1 -p 5439 -U postgres -c "CREATE DATABASE jinandataops" >/dev/null
  echo "Host=127.0.0.1;Port=5439;Username=postgres;Database=jinandataops;Maximum Pool Size=50"
}

case "${1:-}" in
  start)
    n=${2:-3}
    mkdir -p "$dir"
    dotnet build -c Release src/JinanDataOps.Host -o "$dir/bin" >/dev/null
    pg=${JDO_POSTGRES:-$(start_postgres)}
    seeds=()
    for i in $(seq 1 "$n"); do seeds+=("akka.tcp://jinandataops@127.0.0.1:$((4052 + i))"); done
    for i in $(seq 1 "$n"); do
      env_seeds=()
      for s in "${!seeds[@]}"; do env_seeds+=("Cluster__SeedNodes__$s=${seeds[$s]}"); done
      # The loop restarts a node that exits (downed by the resolver, or crashed) after a second.
      nohup bash -c "while [ ! -f '$dir/stopping' ]; do
          env ASPNETCORE_ENVIRONMENT=Development Persistence__Provider=postgresql 'Persistence__ConnectionString=$pg' \
            Cluster__Hostname=127.0.0.1 Cluster__Port=$((4052 + i)) ${env_seeds[*]} \
            dotnet '$dir/bin/JinanDataOps.Host.dll' --urls http://127.0.0.1:$((5080 + i)) >>'$dir/node$i.log' 2>&1
          echo \"node $i exited with \$? at \$(date -u +%FT%TZ)\" >>'$dir/node$i.log'; sleep 1
        done" >/dev/null 2>&1 &
      echo $! > "$dir/node$i.pid"
      rm -f "$dir/stopping"
      echo "node $i: http://127.0.0.1:$((5080 + i))  akka 127.0.0.1:$((4052 + i))  log $dir/node$i.log"
    done
    ;;
  status)
    for pidfile in "$dir"/node*.pid; do
      [ -f "$pidfile" ] || continue
      i=$(basename "$pidfile" .pid); i=${i#node}
      ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((5080 + i))/health/ready" || true)
      echo "node $i: loop $(kill -0 "$(cat "$pidfile")" 2>/dev/null && echo running || echo stopped), /health/ready $ready"
    done
    ;;
  stop)
    touch "$dir/stopping"
    for pidfile in "$dir"/node*.pid; do
      [ -f "$pidfile" ] || continue
      pkill -TERM -P "$(cat "$pidfile")" 2>/dev/null || true
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    done
    pkill -TERM -f "$dir/bin/JinanDataOps.Host.dll" 2>/dev/null || true
    # A graceful stop hands shards over and leaves the cluster; give it 20 s, then make sure.
    for _ in $(seq 1 20); do pgrep -f "$dir/bin/JinanDataOps.Host.dll" >/dev/null || break; sleep 1; done
    pkill -KILL -f "$dir/bin/JinanDataOps.Host.dll" 2>/dev/null || true
    if [ -z "${JDO_POSTGRES:-}" ] && [ -f "$dir/pg/data/PG_VERSION" ]; then as_postgres "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    ;;
  *)
    sed -n '2,12p' "$0"; exit 2 ;;
esac
