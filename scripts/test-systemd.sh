#!/usr/bin/env bash
# Checks deploy/systemd/apidrift.service: `systemd-analyze verify` says nothing (no
# unknown key, a real binary), `systemd-analyze security --offline` rates the sandbox
# (printed; over EXPOSURE_MAX fails), the hardening docs/deploy.md promises is there,
# and the unit's own Environment=, ExecStart= and ExecReload= run the daemon: ready,
# reloaded by SIGHUP, stopped by SIGTERM with exit 0.
#
# Needs systemd-analyze (apt-get install systemd) and the release binary (APIDRIFT_BIN,
# default target/release/apidrift). Must not: install the unit or need systemd as PID 1
# (CI runs in a container); the run uses a temporary directory, never /var/lib.
set -euo pipefail
cd "$(dirname "$0")/.."

UNIT=deploy/systemd/apidrift.service
BIN=$(realpath -m "${APIDRIFT_BIN:-target/release/apidrift}")
EXPOSURE_MAX=${EXPOSURE_MAX:-2.0}
fail() { echo "test-systemd: FAIL: $*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (apt-get install systemd)"
command -v curl >/dev/null || fail "curl is missing (apt-get install curl)"
[ -x "$BIN" ] || fail "$BIN is missing (cargo build --release)"
WORK=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== systemd-analyze verify"
# The unit names /usr/local/bin/apidrift; verify checks that the binary exists, so the
# copy points at the one just built.
mkdir -p "$WORK/unit"
sed "s|/usr/local/bin/apidrift|$BIN|" "$UNIT" >"$WORK/unit/apidrift.service"
out=$(systemd-analyze verify "$WORK/unit/apidrift.service" 2>&1) || fail "verify exited $?: $out"
[ -z "$out" ] || fail "verify complained: $out"
echo "verify: no warnings ($(systemd-analyze --version | head -1))"

echo "== systemd-analyze security --offline"
sec=$(systemd-analyze security --offline=yes "$WORK/unit/apidrift.service" 2>&1) || true
level=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for apidrift.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || fail "no exposure level in: $sec"
printf '%s\n' "$sec" | grep '✗' || true
echo "exposure level: $level (systemd's scale: 0 best, 10 worst; fails over $EXPOSURE_MAX)"
python3 -c "import sys; sys.exit(0 if float('$level') <= float('$EXPOSURE_MAX') else 1)" ||
  fail "exposure $level over $EXPOSURE_MAX"

echo "== hardening and daemon settings"
for line in DynamicUser=yes StateDirectory=apidrift ProtectSystem=strict NoNewPrivileges=yes \
  ReadWritePaths=/var/lib/apidrift 'ExecReload=/bin/kill -HUP $MAINPID' ProtectHome=yes \
  PrivateTmp=yes CapabilityBoundingSet= Restart=on-failure RestartPreventExitStatus=5; do
  grep -qxF "$line" "$UNIT" || fail "$UNIT lacks \`$line\`"
done
stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s$/\1/p' "$UNIT")
[ "${stop:-0}" -gt 30 ] || fail "TimeoutStopSec must exceed the default shutdown_timeout (30s)"
echo "present: DynamicUser, StateDirectory, ProtectSystem=strict, NoNewPrivileges, ReadWritePaths, ExecReload (SIGHUP), TimeoutStopSec=${stop}s"

echo "== the unit's command and environment run the daemon"
# Environment= as the unit sets it, with /var/lib/apidrift and /etc/apidrift moved into
# the temporary directory and a free port; the bundled example monitors and baselines.
mkdir -p "$WORK/etc/monitors" "$WORK/etc/examples" "$WORK/var/apidrift"
cp apidrift.yaml "$WORK/etc/"
cp monitors/*.yaml "$WORK/etc/monitors/"
cp -r examples/specs "$WORK/etc/examples/"
cp -r baselines "$WORK/var/apidrift/baselines"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
env_args=()
while IFS= read -r kv; do
  kv=${kv//\/var\/lib\/apidrift/$WORK\/var\/apidrift}
  kv=${kv//\/etc\/apidrift/$WORK\/etc}
  kv=${kv/127.0.0.1:9464/127.0.0.1:$port}
  env_args+=("$kv")
done < <(sed -n 's/^Environment=//p' "$UNIT")
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
[ "${exec_start%% *}" = /usr/local/bin/apidrift ] || fail "ExecStart does not run /usr/local/bin/apidrift"
read -r -a args <<<"${exec_start#* }"
(cd "$WORK/var/apidrift" && exec env -i PATH=/usr/bin:/bin "${env_args[@]}" "$BIN" "${args[@]}") \
  >"$WORK/out.log" 2>"$WORK/err.log" &
pid=$!
for _ in $(seq 300); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$WORK/err.log" >&2; fail "apidrift exited at start"; }
  sleep 0.05
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || fail "not ready after 15 s"
echo "ready on 127.0.0.1:$port with the unit's environment"
reload=$(sed -n 's/^ExecReload=//p' "$UNIT")
eval "${reload//\$MAINPID/$pid}"
for _ in $(seq 200); do grep -q 'reload requested' "$WORK/err.log" && break; sleep 0.05; done
grep -q 'reload requested' "$WORK/err.log" || fail "ExecReload did not reload"
echo "ExecReload: reload requested"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=
[ "$code" = 0 ] || { cat "$WORK/err.log" >&2; fail "SIGTERM: exit $code, want 0"; }
[ -d "$WORK/var/apidrift/state" ] || fail "no state directory under StateDirectory"
echo "SIGTERM: exit 0; state in the StateDirectory"
echo "test-systemd: ok (exposure $level)"
