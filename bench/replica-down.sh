#!/usr/bin/env bash
# Stops the two clusters bench/replica-up.sh made; with --purge also deletes their files.
#   bench/replica-down.sh [DIR] [--purge]
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
purge=""
args=()
for a in "$@"; do if [ "$a" = --purge ]; then purge=1; else args+=("$a"); fi; done
DIR=$(realpath -m "${args[0]:-/tmp/qingling-replica}")
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
for c in standby primary; do
  if [ -f "$DIR/$c/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DIR/$c" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DIR/$c" -m fast -w stop >/dev/null
    echo "stopped $c"
  fi
done
if [ -n "$purge" ]; then
  # Only a directory replica-up.sh made (it holds its ports file) is removed.
  if [ -f "$DIR/ports" ]; then rm -rf "$DIR" && echo "removed $DIR"; else echo "$DIR is not a replica rig; left alone" >&2; fi
fi
