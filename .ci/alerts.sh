#!/usr/bin/env bash
# Checks and unit-tests the shipped Prometheus alert rules with promtool.
# promtool comes from Debian's `prometheus` package (apt-get install -y prometheus).
# The structure checks (runbook anchors, labels, dashboard expressions) live in
# `cargo test --test daemon -- alerts:: dashboards::`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1; then
  echo "error: promtool not found; install it with: apt-get update && apt-get install -y prometheus" >&2
  exit 2
fi

echo "== promtool check rules"
promtool check rules alerts/apidrift.rules.yml

echo "== promtool test rules"
promtool test rules alerts/tests/*.yaml

echo "alerts: ok"
