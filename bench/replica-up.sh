#!/usr/bin/env bash
# A PostgreSQL 15 primary and a streaming hot standby as two local clusters of
# their own (initdb + pg_basebackup from Debian's PostgreSQL), for the replica
# test and benchmarks. Leaves the machine's main cluster (5432) alone.
#
#   bench/replica-up.sh [DIR]     # DIR defaults to /tmp/qingling-replica
#
# Idempotent: a second run starts whatever is stopped and prints the same URLs.
# Last two lines of output (and DIR/urls.env):
#   QINGLING_PRIMARY_URL=postgres://postgres@127.0.0.1:<port>/postgres
#   QINGLING_STANDBY_URL=postgres://postgres@127.0.0.1:<port>/postgres
# Ports: PRIMARY_PORT / STANDBY_PORT, else the first free ones from 55432 up.
# Trust authentication, listening on 127.0.0.1 only: a test rig, not a deployment.
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=$(realpath -m "${1:-/tmp/qingling-replica}")
PRIMARY="$DIR/primary"
STANDBY="$DIR/standby"
[ -x "$BIN/initdb" ] || { echo "no PostgreSQL 15 under $BIN (apt-get install postgresql-15)" >&2; exit 1; }

# Run as the postgres OS user (the clusters' owner); as that user already, directly.
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p=$1
  while ! port_free "$p" || [ "$p" = "${2:-}" ]; do p=$((p + 1)); done
  echo "$p"
}

mkdir -p "$DIR"
if [ "$(id -un)" != postgres ]; then chown postgres: "$DIR"; fi
chmod 700 "$DIR"

if [ -f "$DIR/ports" ]; then
  # shellcheck disable=SC1091
  . "$DIR/ports"
else
  P_PORT=${PRIMARY_PORT:-$(free_port 55432)}
  S_PORT=${STANDBY_PORT:-$(free_port $((P_PORT + 1)) "$P_PORT")}
  printf 'P_PORT=%s\nS_PORT=%s\n' "$P_PORT" "$S_PORT" >"$DIR/ports"
fi

running() { as_pg "$BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }
start() { running "$1" || as_pg "$BIN/pg_ctl" -D "$1" -l "$1.log" -w -t 60 start >/dev/null; }

if [ ! -f "$PRIMARY/PG_VERSION" ]; then
  rm -rf "$PRIMARY" "$STANDBY"
  as_pg "$BIN/initdb" -D "$PRIMARY" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$PRIMARY/postgresql.conf" <<EOF
# qingling replica rig
listen_addresses = '127.0.0.1'
port = $P_PORT
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 5
wal_keep_size = '256MB'
hot_standby = on
max_connections = 200
fsync = off
EOF
  # trust on localhost, replication included (initdb's default lines cover it; stated for the reader)
  printf 'host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n' >>"$PRIMARY/pg_hba.conf"
fi
start "$PRIMARY"

if [ ! -f "$STANDBY/PG_VERSION" ]; then
  rm -rf "$STANDBY"
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL the backup needs.
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$P_PORT" -U postgres -D "$STANDBY" -R -X stream -c fast
  cat >>"$STANDBY/postgresql.conf" <<EOF
port = $S_PORT
hot_standby = on
EOF
fi
start "$STANDBY"

PRIMARY_URL="postgres://postgres@127.0.0.1:$P_PORT/postgres"
STANDBY_URL="postgres://postgres@127.0.0.1:$S_PORT/postgres"
# The standby is streaming once the primary lists it.
for _ in $(seq 1 30); do
  n=$(as_pg "$BIN/psql" -h 127.0.0.1 -p "$P_PORT" -U postgres -Atqc "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" postgres)
  [ "$n" -ge 1 ] && break
  sleep 1
done
[ "$n" -ge 1 ] || { echo "the standby on $S_PORT is not streaming; see $STANDBY.log" >&2; exit 1; }
[ "$(as_pg "$BIN/psql" -h 127.0.0.1 -p "$S_PORT" -U postgres -Atqc 'SELECT pg_is_in_recovery()' postgres)" = t ] || {
  echo "the cluster on $S_PORT is not a standby" >&2
  exit 1
}

printf 'QINGLING_PRIMARY_URL=%s\nQINGLING_STANDBY_URL=%s\n' "$PRIMARY_URL" "$STANDBY_URL" | tee "$DIR/urls.env"
