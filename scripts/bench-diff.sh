#!/usr/bin/env bash
# Times `apidrift diff` against the parse-only baseline (read + parse both files, nothing
# else) on corpus pairs, and measures peak RSS. Needs ../shared/corpus, hyperfine and GNU
# time (apt-get install -y hyperfine time). Results go to stdout as a Markdown table;
# BENCHMARKS.md quotes one run.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus}
[ -d "$corpus" ] || { echo "bench-diff: $corpus is missing (set CORPUS=...)" >&2; exit 2; }
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-diff: $tool is missing: apt-get install -y hyperfine time" >&2; exit 2; }
done
cargo build --release --quiet --bin apidrift --example parse_only
bin=target/release/apidrift
base_bin=target/release/examples/parse_only
runs=${RUNS:-10}

pairs=(
  "github github/github-2023-06-09-7afde56c60.json github/github-2024-11-06-f7d3c9c7fe.json"
  "okta okta/okta-2024-06-28-ce090683f5.yaml okta/okta-2024-09-11-62f81c821d.yaml"
  "stripe stripe/stripe-2022-06-29-b35a252d98.yaml stripe/stripe-2023-09-12-63a6746386.yaml"
)

rss_kib() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }

echo "| pair | parse-only median | diff median | ratio | parse-only peak RSS | diff peak RSS | RSS ratio |"
echo "|---|---|---|---|---|---|---|"
for p in "${pairs[@]}"; do
  read -r name a b <<<"$p"
  a="$corpus/$a"; b="$corpus/$b"
  json=$(mktemp)
  hyperfine --style none --warmup 1 --runs "$runs" -N --export-json "$json" \
    "$base_bin $a $b" "$bin diff $a $b --format json" >/dev/null
  read -r m0 m1 < <(python3 -c "import json,sys;r=json.load(open('$json'))['results'];print(r[0]['median'],r[1]['median'])")
  r0=$(rss_kib "$base_bin" "$a" "$b")
  r1=$(rss_kib "$bin" diff "$a" "$b" --format json)
  python3 - "$name" "$m0" "$m1" "$r0" "$r1" <<'PY'
import sys
name, m0, m1, r0, r1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"| {name} | {m0*1000:.0f} ms | {m1*1000:.0f} ms | {m1/m0:.2f}x | {r0/1024:.0f} MiB | {r1/1024:.0f} MiB | {r1/r0:.2f}x |")
PY
  rm -f "$json"
done
