#!/usr/bin/env bash
# Runs the apidrift image the way docs/deploy.md tells an SRE to, and checks what the
# issue asks of it: /healthz, /readyz and /metrics answer from the host, a check of the
# bundled example monitors runs, state lands on the volume owned by the container's
# uid, no process is root, tini is PID 1, SIGHUP reloads, `docker stop` exits cleanly
# within shutdown_timeout, and the image is small. Prints the measured numbers.
#
# Needs a running dockerd and the image (IMAGE, default apidrift:test; .ci/deploy.sh
# builds both). Must not: touch the repository's baselines/ or state/ (it works on
# copies in a temporary directory) or leave a container behind.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-apidrift:test}
UID_EXPECTED=10001
MAX_MB=${MAX_MB:-60}
SHUTDOWN_TIMEOUT_S=5
fail() { echo "test-container: FAIL: $*" >&2; exit 1; }
command -v docker >/dev/null || fail "docker is missing (apt-get install docker.io; .ci/deploy.sh does)"
command -v curl >/dev/null || fail "curl is missing (apt-get install curl)"
docker image inspect "$IMAGE" >/dev/null 2>&1 || fail "no image $IMAGE (docker build -t $IMAGE .)"

# The daemon shares the host's network (this CI's dockerd runs without a bridge), so it
# gets a free port through APIDRIFT_LISTEN; the image's own default is checked below.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE_URL="http://127.0.0.1:$PORT"
NAME="apidrift-test-$$"
WORK=$(mktemp -d)
cleanup() {
  docker rm -f "$NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== image"
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
size_mb=$(( (size + 999999) / 1000000 ))
echo "image $IMAGE: $size bytes ($size_mb MB)"
[ "$size_mb" -le "$MAX_MB" ] || fail "image is $size_mb MB, over $MAX_MB MB"
env_listen=$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | sed -n 's/^APIDRIFT_LISTEN=//p')
[ "$env_listen" = "0.0.0.0:9464" ] || fail "image listens on '$env_listen', want 0.0.0.0:9464"
user=$(docker image inspect -f '{{.Config.User}}' "$IMAGE")
[ "${user%%:*}" = "$UID_EXPECTED" ] || fail "image user is '$user', want $UID_EXPECTED"
docker image inspect -f '{{json .Config.ExposedPorts}}' "$IMAGE" | grep -q '"9464/tcp"' || fail "image does not EXPOSE 9464"

# /etc/apidrift: the bundled example configuration, monitors and vendor specs (the
# monitors read ../examples/specs, so the specs sit beside monitors/). Only the
# schedules change, to every 2 s, so a check runs while the test waits.
conf="$WORK/etc"
mkdir -p "$conf/monitors" "$conf/examples"
cp apidrift.yaml "$conf/"
printf 'shutdown_timeout: %ss\n' "$SHUTDOWN_TIMEOUT_S" >>"$conf/apidrift.yaml"
cp monitors/*.yaml "$conf/monitors/"
cp -r examples/specs "$conf/examples/"
sed -i -e 's/^schedule: .*/schedule: "*\/2 * * * * *"/' -e 's/^jitter: .*/jitter: 0s/' "$conf"/monitors/*.yaml
chmod -R a+rX "$conf"
# The volume: the approved baselines (reviewed files, from git) and room for state,
# owned by the image's user.
vol="$WORK/var"
mkdir -p "$vol"
cp -r baselines "$vol/baselines"
chown -R "$UID_EXPECTED:$UID_EXPECTED" "$vol"

echo "== run (read-only root filesystem, no capabilities, no new privileges)"
t0=$(date +%s%N)
docker run -d --name "$NAME" --network host --read-only --cap-drop ALL \
  --security-opt no-new-privileges \
  -v "$conf:/etc/apidrift:ro" -v "$vol:/var/lib/apidrift" \
  -e APIDRIFT_LISTEN="127.0.0.1:$PORT" "$IMAGE" >/dev/null

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 50 ms
  local deadline=$(( $(date +%s) + $1 )) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$(docker inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" != true ]; then
      docker logs "$NAME" >&2 || true
      fail "the container stopped while waiting for $what"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { docker logs "$NAME" >&2; fail "timed out waiting for $what"; }
    sleep 0.05
  done
}
wait_for 30 "/readyz" curl -fsS "$BASE_URL/readyz"
t_ready=$(date +%s%N)
ready_ms=$(( (t_ready - t0) / 1000000 ))
echo "start-to-ready: $ready_ms ms (docker run to the first 200 from /readyz)"

[ "$(curl -fsS "$BASE_URL/healthz")" = ok ] || fail "/healthz did not say ok"
curl -fsS "$BASE_URL/metrics" | grep -q '^apidrift_build_info' || fail "/metrics has no apidrift_build_info"
echo "/healthz, /readyz, /metrics: answered from the host"

# A check ran: the example directory-users drifts (a WARN change on a consumed field).
checked() {
  curl -fsS "$BASE_URL/metrics" | grep -Eq '^apidrift_checks_total\{[^}]*integration="directory-users"[^}]*\} [1-9]'
}
wait_for 30 "a check of directory-users" checked
curl -fsS "$BASE_URL/api/v1/integrations" | python3 -c '
import json, sys
views = {v["name"]: v for v in json.load(sys.stdin)["integrations"]}
d = views["directory-users"]
assert d["status"] == "drifted", d["status"]
print("check ran: directory-users is", d["status"], "; integrations:", ", ".join(sorted(views)))
' || fail "directory-users is not drifted after its check"

state="$vol/state/directory-users.json"
wait_for 10 "$state" test -s "$state"
owner=$(stat -c %u "$state")
[ "$owner" = "$UID_EXPECTED" ] || fail "$state is owned by uid $owner, want $UID_EXPECTED"
echo "state on the volume: $(cd "$vol" && find state -maxdepth 1 -name '*.json' | sort | tr '\n' ' ')(uid $owner)"

# Processes, seen from the host: PID 1 of the container is tini, its child apidrift,
# and neither is root (real, effective, saved and filesystem uid).
pid1=$(docker inspect -f '{{.State.Pid}}' "$NAME")
[ "$(tr '\0' ' ' <"/proc/$pid1/cmdline")" = "/usr/bin/tini -- /usr/local/bin/apidrift run " ] ||
  fail "PID 1 is '$(tr '\0' ' ' <"/proc/$pid1/cmdline")', want tini"
child=$(cat "/proc/$pid1/task/$pid1/children" | awk '{print $1}')
[ -n "$child" ] || fail "tini has no child"
[ "$(tr '\0' ' ' <"/proc/$child/cmdline")" = "/usr/local/bin/apidrift run " ] || fail "tini's child is not apidrift"
for p in "$pid1" "$child"; do
  uids=$(awk '/^Uid:/{print $2, $3, $4, $5}' "/proc/$p/status")
  [ "$uids" = "$UID_EXPECTED $UID_EXPECTED $UID_EXPECTED $UID_EXPECTED" ] || fail "pid $p runs as uids '$uids'"
  caps=$(awk '/^CapEff:/{print $2}' "/proc/$p/status")
  [ "$caps" = 0000000000000000 ] || fail "pid $p has capabilities $caps"
done
echo "processes: PID 1 tini, child apidrift, both uid $UID_EXPECTED, no capabilities"

# What docs/deploy.md tells operators to do without a shell in the image: run apidrift
# commands with `docker exec` (the image's environment applies) and copy the volume
# out with tar (`kubectl cp` runs `tar` in the container).
docker exec "$NAME" apidrift baseline show directory-users >/dev/null || fail "docker exec apidrift baseline show failed"
# The listing is read whole before it is searched: `grep -q` stops at the first match,
# and under pipefail the SIGPIPE of a writer still going would fail the pipeline.
listing=$(docker exec "$NAME" tar -C /var/lib/apidrift -cf - baselines | tar -tf -) ||
  fail "tar in the container failed to copy the baselines out"
grep -qx 'baselines/directory-users.yaml' <<<"$listing" ||
  fail "the tar copied out of the container has no baselines/directory-users.yaml (it holds: $(tr '\n' ' ' <<<"$listing"))"
echo "docker exec: apidrift baseline show works; tar copies the baselines out"

# SIGHUP reaches apidrift through tini and reloads the monitors.
docker kill -s HUP "$NAME" >/dev/null
wait_for 10 "the reload after SIGHUP" sh -c "docker logs '$NAME' 2>&1 | grep -q 'reload requested'"
echo "SIGHUP: reload requested"

echo "== docker stop (shutdown_timeout ${SHUTDOWN_TIMEOUT_S}s, stop timeout $((SHUTDOWN_TIMEOUT_S * 3))s)"
s0=$(date +%s%N)
docker stop -t $((SHUTDOWN_TIMEOUT_S * 3)) "$NAME" >/dev/null
stop_ms=$(( ($(date +%s%N) - s0) / 1000000 ))
code=$(docker inspect -f '{{.State.ExitCode}}' "$NAME")
echo "docker stop: exit code $code after $stop_ms ms"
# 0: apidrift stopped on SIGTERM and tini passed its status on (143 would be a process
# killed by an unhandled SIGTERM; 137 the SIGKILL after the stop timeout).
[ "$code" = 0 ] || { docker logs "$NAME" >&2; fail "exit code $code, want 0"; }
[ "$stop_ms" -le $(( (SHUTDOWN_TIMEOUT_S + 2) * 1000 )) ] || fail "stopping took $stop_ms ms, over shutdown_timeout"
docker logs "$NAME" 2>&1 | grep -q "shutting down" || fail "no 'shutting down' in the logs"

echo "test-container: ok (image ${size_mb} MB, ready in ${ready_ms} ms, stopped in ${stop_ms} ms)"
