# The apidrift container image: a build stage and a distroless-like runtime stage.
#
# Owns: how the image is assembled (binary, shared libraries, CA bundle, tini, the
# non-root user, the directories). Must not: bake configuration, baselines or state
# into the image (they are mounted: /etc/apidrift and the /var/lib/apidrift volume).
#
# Two build args pick where things come from, because the image must build without an
# image registry (CI builds on a machine without one, see .ci/deploy.sh):
#   BASE     a Debian bookworm root filesystem with tini, ca-certificates and binutils
#            (strip). CI makes it with debootstrap and `docker import`s it as
#            apidrift-base:bookworm; with a registry, debian:bookworm-slim plus those
#            packages works too.
#   BUILDER  the build stage. With cargo in it (e.g. rust:1.89-bookworm) the binary is
#            compiled from the context; without cargo (the default, the BASE itself)
#            the stage takes target/release/apidrift from the context, the binary
#            `cargo build --release` made on a bookworm host.
# Only files from BASE (libc and friends) and the binary reach the runtime stage, which
# starts FROM scratch: about 34 MB, no shell, no package manager.

ARG BASE=apidrift-base:bookworm
ARG BUILDER=${BASE}

FROM ${BUILDER} AS build
WORKDIR /src
COPY . .
RUN set -eu; \
    if command -v cargo >/dev/null 2>&1; then \
      cargo build --release --locked --bin apidrift; \
    elif [ ! -x target/release/apidrift ]; then \
      echo "no cargo in the build stage and no target/release/apidrift in the context:" \
           "run cargo build --release first, or pass --build-arg BUILDER=rust:1.89-bookworm" >&2; \
      exit 1; \
    fi; \
    install -D -m 0755 target/release/apidrift /out/apidrift

FROM ${BASE} AS rootfs
COPY --from=build /out/apidrift /rootfs/usr/local/bin/apidrift
# The release profile keeps line tables for backtraces (about 60 MB of the binary);
# the image drops them when BASE has binutils (the CI base does).
RUN if command -v strip >/dev/null 2>&1; then \
      strip --strip-debug /rootfs/usr/local/bin/apidrift; \
    else \
      echo "warning: no strip in BASE (apt-get install binutils): the binary keeps its debug info" >&2; \
    fi
# The runtime tree: the binary, tini (PID 1: forwards SIGTERM/SIGHUP, reaps the
# children of notify.command), tar (so `kubectl cp` can back up and seed the volume),
# every shared library they load (found with ldd, so the list follows the binary), the
# CA bundle, nsswitch.conf (glibc >= 2.34 has files and dns built in), the user 10001,
# and the mount points owned by it.
RUN set -eu; \
    R=/rootfs; \
    command -v tini >/dev/null || { echo "BASE lacks tini (apt-get install tini)" >&2; exit 1; }; \
    [ -f /etc/ssl/certs/ca-certificates.crt ] || { echo "BASE lacks ca-certificates" >&2; exit 1; }; \
    install -D -m 0755 "$(command -v tini)" $R/usr/bin/tini; \
    install -D -m 0755 /usr/bin/tar $R/usr/bin/tar; \
    for bin in $R/usr/local/bin/apidrift $R/usr/bin/tini $R/usr/bin/tar; do \
      ldd "$bin" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}'; \
    done | sort -u | while read -r lib; do \
      mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"; \
    done; \
    install -D -m 0644 /etc/ssl/certs/ca-certificates.crt $R/etc/ssl/certs/ca-certificates.crt; \
    printf 'hosts: files dns\npasswd: files\ngroup: files\n' > $R/etc/nsswitch.conf; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\napidrift:x:10001:10001:apidrift:/var/lib/apidrift:/sbin/nologin\n' > $R/etc/passwd; \
    printf 'root:x:0:\napidrift:x:10001:\n' > $R/etc/group; \
    mkdir -p $R/etc/apidrift/monitors $R/var/lib/apidrift $R/tmp; \
    chmod 1777 $R/tmp; \
    chown 10001:10001 $R/var/lib/apidrift; \
    $R/usr/local/bin/apidrift --version

FROM scratch
COPY --from=rootfs /rootfs/ /
# The configuration is read-only (a bind mount, a ConfigMap); state and baselines share
# the one volume. Flags or these variables override apidrift.yaml (docs/monitor.md), so
# the same apidrift.yaml works in a checkout, in this image and under systemd.
ENV PATH=/usr/local/bin:/usr/bin \
    APIDRIFT_CONFIG=/etc/apidrift/apidrift.yaml \
    APIDRIFT_STATE_DIR=/var/lib/apidrift/state \
    APIDRIFT_BASELINES_DIR=/var/lib/apidrift/baselines \
    APIDRIFT_LISTEN=0.0.0.0:9464 \
    APIDRIFT_LOG=info \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 10001:10001
WORKDIR /var/lib/apidrift
VOLUME ["/var/lib/apidrift"]
EXPOSE 9464
# tini is PID 1 and passes SIGTERM to apidrift, which stops gracefully (checks in flight
# finish, up to shutdown_timeout) and exits 0. Set `docker stop -t` / the pod's
# terminationGracePeriodSeconds above shutdown_timeout.
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/apidrift"]
CMD ["run"]
