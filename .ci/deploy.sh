#!/usr/bin/env bash
# CI for deploy/ (called by .ci/run): the generated Kubernetes objects are in sync, the
# systemd unit verifies and runs, the container image builds from a Debian base made
# here and passes scripts/test-container.sh, and the kustomize base renders and
# validates offline and its pod spec runs with that image.
#
# Owns: installing docker.io, debootstrap, kubectl and kubernetes-validate; starting
# (and stopping) a dockerd when none runs; the base image. Must not: need an image
# registry (there is none on CI). Caches under target/deploy/ (not committed): the
# debootstrap tarball, so a second run skips debootstrap.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_TAG=apidrift-base:bookworm
IMAGE=apidrift:test
CACHE=target/deploy
mkdir -p "$CACHE"

echo "== deploy: tools"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  pkgs=()
  command -v dockerd >/dev/null || pkgs+=(docker.io)
  command -v debootstrap >/dev/null || pkgs+=(debootstrap)
  command -v curl >/dev/null || pkgs+=(curl)
  command -v systemd-analyze >/dev/null || pkgs+=(systemd)
  if [ ${#pkgs[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
  # kubectl: Google's repository when configured, else Debian's kubernetes-client.
  command -v kubectl >/dev/null ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubectl >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi
python3 -c 'import kubernetes_validate' 2>/dev/null ||
  python3 -m pip install -q --disable-pip-version-check kubernetes-validate==1.37.0

echo "== deploy: generated PrometheusRule and dashboard ConfigMap in sync"
scripts/gen-kubernetes.py --check

echo "== deploy: release binary (the image, the unit test and apidrift validate use it)"
cargo build --release --locked --bin apidrift

echo "== deploy: systemd unit"
scripts/test-systemd.sh

echo "== deploy: container image"
dockerd_pid=
if ! docker info >/dev/null 2>&1; then
  # No bridge and no iptables: CI runs inside a container; the test uses --network host.
  dockerd --bridge=none --iptables=false >"$CACHE/dockerd.log" 2>&1 &
  dockerd_pid=$!
  trap '[ -n "$dockerd_pid" ] && kill "$dockerd_pid" && wait "$dockerd_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { cat "$CACHE/dockerd.log" >&2; echo "dockerd did not start" >&2; exit 1; }
fi
if ! docker image inspect "$BASE_TAG" >/dev/null 2>&1; then
  tarball="$CACHE/base-bookworm.tar"
  if [ ! -s "$tarball" ]; then
    # The runtime's libraries, tini and the CA bundle come from Debian packages; apt's
    # downloads are dropped from the tarball.
    rootfs="$CACHE/rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase --include=tini,ca-certificates,binutils bookworm "$rootfs" >"$CACHE/debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
  docker import - "$BASE_TAG" <"$tarball" >/dev/null
  echo "base image $BASE_TAG imported from $tarball"
fi
# The build context is the checkout; .dockerignore lets only target/release/apidrift
# of target/ in.
build_start=$SECONDS
docker build -q -t "$IMAGE" --build-arg BASE="$BASE_TAG" . >/dev/null
echo "docker build: $((SECONDS - build_start)) s"
IMAGE="$IMAGE" scripts/test-container.sh

echo "== deploy: kubernetes manifests (rendered, validated, the pod spec run with the image)"
APIDRIFT_IMAGE="$IMAGE" scripts/test-kubernetes.py
echo "deploy: all checks passed in $SECONDS s"
