#!/usr/bin/env bash
# Scale benchmark of `apidrift run` (issues 3 and 14): 1,000 and 10,000 monitors against a
# loopback vendor (examples/scale_bench.rs). Prints Markdown tables: steady-state CPU%
# and RSS over one 5-minute period with nothing changed, then the wall time of a full
# pass after every spec changed. BENCHMARKS-scale.md quotes one run. Takes about 30
# minutes. Override: SIZES="1000 10000" WINDOW=300 SETTLE=30.
#
# STORE=postgres: the PostgreSQL store instead, 10,000 monitors (SIZES) over 1 and 3
# replicas (REPLICAS="1 3") on a throwaway cluster each, all at the same time (one
# 5-minute seeding period, then the measured one; about 16 minutes). Needs Debian's
# `postgresql` package (the server binaries; APIDRIFT_PG_BIN to point elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin apidrift --example scale_bench
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${STORE:-files}" = postgres ]; then
  out=$(mktemp -d)
  pids=()
  for n in ${SIZES:-10000}; do
    for r in ${REPLICAS:-1 3}; do
      target/release/examples/scale_bench --store postgres --replicas "$r" --monitors "$n" \
        --window "${WINDOW:-300}" >"$out/$n-$r.md" &
      pids+=($!)
    done
  done
  status=0
  for p in "${pids[@]}"; do wait "$p" || status=$?; done
  cat "$out"/*.md
  rm -rf "$out"
  exit "$status"
fi
for n in ${SIZES:-1000 10000}; do
  target/release/examples/scale_bench --monitors "$n" --window "${WINDOW:-300}" --settle "${SETTLE:-30}"
  echo
done
