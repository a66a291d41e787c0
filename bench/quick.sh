#!/bin/sh
# npm run bench:quick — the whole benchmark suite on 10,000 items, in a few minutes:
# the province reads, plans and sign-off (bench:province on a fresh seed), the ledger
# export, and the ledger import with CONFIRM against pgbench (bench:signoff, smaller).
# BENCH_PG_URL: a superuser connection (default postgres://postgres@127.0.0.1:5432/postgres);
# the scratch databases qingling_bench_quick and qingling_bench_quick_ledger are recreated.
# Reports only: a missed target is printed, and the exit status is 1, after every bench has run.
ADMIN=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BASE=${ADMIN%/*}
status=0

echo "== province (10,000 items): reads, plans, sign-off"
DATABASE_URL=$BASE/qingling_bench_quick node dist/bench/province.bench.js --seed 10000 || status=1

echo "== ledger export (10,000 items)"
psql "$ADMIN" -X -q -c 'DROP DATABASE IF EXISTS qingling_bench_quick_ledger WITH (FORCE)' -c 'CREATE DATABASE qingling_bench_quick_ledger' || status=1
BENCH_ITEMS=10000 DATABASE_URL=$BASE/qingling_bench_quick_ledger node dist/bench/ledger-export.bench.js || status=1

echo "== ledger import (2,000 rows) and CONFIRM against pgbench"
BENCH_PG_URL=$ADMIN BENCH_IMPORT_ROWS=2000 BENCH_ITEMS_PER_LEVEL=300 BENCH_WARMUP=20 BENCH_LEVELS=1,4 BENCH_PGBENCH_SECONDS=5 \
  node dist/bench/signoff.bench.js || status=1

exit $status
