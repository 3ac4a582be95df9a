#!/usr/bin/env bash
# Runs each cargo-fuzz target for a short while (FUZZ_SECONDS, default 60) so that a
# regression in the loader or the diff surfaces in CI. Seeds the corpora from the test
# fixtures, the committed seeds in fuzz/seeds/ and, when present, the small files of
# ../shared/corpus. Needs a nightly toolchain and cargo-fuzz (see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-load_json load_yaml diff}"
# No sanitizer: apidrift has no `unsafe`, so AddressSanitizer buys little and doubles the
# build and run time; debug assertions stay on so integer overflow panics are found.
flags=(--sanitizer none --debug-assertions)

command -v cargo-fuzz >/dev/null || {
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
  exit 1
}
# cargo-fuzz needs nightly flags (-Z). Use a nightly toolchain when one is installed,
# else the stable one with RUSTC_BOOTSTRAP=1 (same flags, no download needed).
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
  toolchain="+$FUZZ_TOOLCHAIN"
elif rustup run nightly rustc -V >/dev/null 2>&1; then
  toolchain="+nightly"
else
  toolchain=""
  export RUSTC_BOOTSTRAP=1
fi

# Seeds: every small YAML/JSON fixture for the loaders; rule fixture pairs joined by a
# NUL byte (the diff target's separator) for the diff. Generated, never committed.
seed() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  cp -n fuzz/seeds/common/* "$dir"/ 2>/dev/null || true
  cp -n "fuzz/seeds/$target"/* "$dir"/ 2>/dev/null || true
  local f
  if [ "$target" = diff ]; then
    for d in tests/fixtures/rules/*/; do
      [ -f "$d/base.yaml" ] && [ -f "$d/revision.yaml" ] || continue
      { cat "$d/base.yaml"; printf '\0'; cat "$d/revision.yaml"; } >"$dir/pair-$(basename "$d")"
    done
  else
    find tests/fixtures \( -name '*.yaml' -o -name '*.json' \) -size -64k -print0 |
      while IFS= read -r -d '' f; do
        cp -n "$f" "$dir/fixture-$(echo "$f" | tr / _)"
      done
    if [ -d ../shared/corpus ]; then
      find ../shared/corpus \( -name '*.yaml' -o -name '*.json' \) -size -100k -print0 |
        while IFS= read -r -d '' f; do cp -n "$f" "$dir/corpus-$(basename "$f")"; done
    fi
  fi
}

for t in $targets; do
  seed "$t"
  echo "== fuzz $t (${secs}s)"
  # One process (libFuzzer's default; -jobs would fork workers): the CI machine is small. Limits match fuzz/README.md: a 10 s input is a
  # hang and 2 GiB is an out-of-memory, both findings to fix.
  cargo $toolchain fuzz run "${flags[@]}" --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=262144 \
    -print_final_stats=1
done
