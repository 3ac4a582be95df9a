#!/usr/bin/env bash
# Scale benchmark of `apidrift run` (issue 3): 1,000 and 10,000 monitors against a
# loopback vendor (examples/scale_bench.rs). Prints Markdown tables: steady-state CPU%
# and RSS over one 5-minute period with nothing changed, then the wall time of a full
# pass after every spec changed. BENCHMARKS.md quotes one run. Takes about 30 minutes.
# Override: SIZES="1000 10000" WINDOW=300 SETTLE=30.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin apidrift --example scale_bench
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in ${SIZES:-1000 10000}; do
  target/release/examples/scale_bench --monitors "$n" --window "${WINDOW:-300}" --settle "${SETTLE:-30}"
  echo
done
