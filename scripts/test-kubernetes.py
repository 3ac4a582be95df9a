#!/usr/bin/env python3
"""Renders deploy/kubernetes with `kubectl kustomize` (offline) and validates it.

Owns: the checks CI runs on the manifests.
- every built-in object against the Kubernetes OpenAPI schemas (kubernetes-validate,
  strict: unknown fields fail), for the oldest and the newest version we claim;
- the Prometheus Operator objects (ServiceMonitor, PrometheusRule), which that package
  has no schema for, against the fields and types of monitoring.coreos.com/v1 that we
  use (unknown fields fail here too);
- what ties the objects together and what docs/deploy.md promises: one replica with
  strategy Recreate, probes on /healthz and /readyz, the non-root read-only security
  context, every mount backed by a volume and every ConfigMap, PVC and port reference
  resolved, the Service and ServiceMonitor selecting the pod, the generated
  PrometheusRule and dashboard equal to alerts/ and dashboards/, the grace period above
  shutdown_timeout;
- the rendered apidrift.yaml and monitors pass `apidrift validate` (the release
  binary: APIDRIFT_BIN, default target/release/apidrift);
- with APIDRIFT_IMAGE set (.ci/deploy.sh does), the Deployment's pod runs in docker as
  the spec says (user, fsGroup, read-only root, mounts, env, args) and its probes answer.
Must not: need a cluster or the network.

Needs kubectl (or kustomize) and `pip install kubernetes-validate` (PyYAML comes with it).
"""

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
BASE = ROOT / "deploy" / "kubernetes"
# The oldest Kubernetes we say works (docs/deploy.md) and the newest the package knows.
VERSIONS = ["1.29.0", None]

failures = []


def fail(msg):
    failures.append(msg)
    print(f"  FAIL {msg}")


def need(cond, msg):
    if not cond:
        fail(msg)
    return cond


try:
    import yaml
    import kubernetes_validate
    from kubernetes_validate import utils as kv_utils
except ImportError as e:
    sys.exit(f"test-kubernetes: {e.name} is missing: pip install kubernetes-validate")


def render():
    if shutil.which("kubectl"):
        cmd = ["kubectl", "kustomize", str(BASE)]
    elif shutil.which("kustomize"):
        cmd = ["kustomize", "build", str(BASE)]
    else:
        sys.exit("test-kubernetes: kubectl (or kustomize) is missing: apt-get install kubectl")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [d for d in yaml.safe_load_all(out) if d], " ".join(cmd[:2])


# --- the Prometheus Operator objects ------------------------------------------------
# A small schema language: a dict is an object with exactly these optional keys, a
# list of one item a list of that, a type a leaf. From monitoring.coreos.com/v1
# (prometheus-operator's CRDs), only the fields this base sets or may set in an overlay.
STR, INT, BOOL = str, int, bool
DURATION = re.compile(r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")
LABELS = {"*": STR}
SELECTOR = {"matchLabels": LABELS, "matchExpressions": [{"key": STR, "operator": STR, "values": [STR]}]}
SERVICE_MONITOR = {
    "jobLabel": STR,
    "selector": SELECTOR,
    "namespaceSelector": {"any": BOOL, "matchNames": [STR]},
    "endpoints": [{
        "port": STR, "targetPort": (INT, STR), "path": STR, "scheme": STR,
        "interval": DURATION, "scrapeTimeout": DURATION, "honorLabels": BOOL,
        "relabelings": [{"*": object}], "metricRelabelings": [{"*": object}],
    }],
}
RULE = {"alert": STR, "record": STR, "expr": (STR, INT), "for": DURATION,
        "keep_firing_for": DURATION, "labels": LABELS, "annotations": LABELS}
PROMETHEUS_RULE = {"groups": [{"name": STR, "interval": DURATION, "limit": INT, "rules": [RULE]}]}
REQUIRED = {
    "ServiceMonitor": [("selector",), ("endpoints",)],
    "PrometheusRule": [("groups",)],
}


def check_shape(value, schema, where):
    if isinstance(schema, dict):
        if not need(isinstance(value, dict), f"{where}: want an object"):
            return
        for k, v in value.items():
            sub = schema.get(k, schema.get("*"))
            if need(sub is not None, f"{where}.{k}: not a field of monitoring.coreos.com/v1 (or not one we check)"):
                check_shape(v, sub, f"{where}.{k}")
    elif isinstance(schema, list):
        if need(isinstance(value, list), f"{where}: want a list"):
            for i, item in enumerate(value):
                check_shape(item, schema[0], f"{where}[{i}]")
    elif isinstance(schema, re.Pattern):
        need(isinstance(value, str) and schema.match(value), f"{where}: `{value}` is not a Prometheus duration")
    elif schema is object:
        pass
    else:
        types = schema if isinstance(schema, tuple) else (schema,)
        need(isinstance(value, types) and not (bool not in types and isinstance(value, bool)),
             f"{where}: want {'/'.join(t.__name__ for t in types)}, got {type(value).__name__}")


def check_crd(obj):
    kind, name = obj["kind"], obj["metadata"]["name"]
    where = f"{kind}/{name}"
    need(obj.get("apiVersion") == "monitoring.coreos.com/v1", f"{where}: apiVersion {obj.get('apiVersion')}")
    need(set(obj) <= {"apiVersion", "kind", "metadata", "spec"}, f"{where}: unexpected top-level keys {sorted(set(obj) - {'apiVersion', 'kind', 'metadata', 'spec'})}")
    spec = obj.get("spec", {})
    check_shape(spec, SERVICE_MONITOR if kind == "ServiceMonitor" else PROMETHEUS_RULE, f"{where}.spec")
    for path in REQUIRED[kind]:
        need(path[0] in spec, f"{where}.spec.{path[0]}: required")
    if kind == "PrometheusRule":
        for g in spec.get("groups", []):
            for r in g.get("rules", []):
                need(("alert" in r) != ("record" in r), f"{where}: a rule needs exactly one of alert/record")
                need("expr" in r, f"{where}: rule {r.get('alert')} has no expr")


def run_pod(image, pod, c, configmaps, vols, mounts):
    """Runs the container as the rendered pod spec describes it, as far as docker can:
    its user, group (fsGroup), read-only root, capabilities, no-new-privileges, the
    ConfigMaps' files at their mount paths, the PVC as a directory, the Secret as an
    empty directory, the memory emptyDir as a tmpfs, its env and args; then its
    readiness and liveness probes answer, the logs are JSON, and it stops within the
    grace period with exit 0. The network is the host's (no bridge on CI), so the port
    moves with APIDRIFT_LISTEN."""
    import socket
    import time
    import urllib.request

    psc, csc = pod["securityContext"], c["securityContext"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    name = f"apidrift-pod-{os.getpid()}"
    with tempfile.TemporaryDirectory() as d:
        d = pathlib.Path(d)
        args = ["docker", "run", "-d", "--name", name, "--network", "host",
                "--user", f"{psc['runAsUser']}:{psc['runAsGroup']}", "--group-add", str(psc["fsGroup"])]
        if csc.get("readOnlyRootFilesystem"):
            args.append("--read-only")
        if csc.get("capabilities", {}).get("drop") == ["ALL"]:
            args += ["--cap-drop", "ALL"]
        if csc.get("allowPrivilegeEscalation") is False:
            args += ["--security-opt", "no-new-privileges"]
        for path, m in sorted(mounts.items()):
            v = vols[m["name"]]
            host = d / m["name"]
            host.mkdir()
            if "configMap" in v:
                for key, text in configmaps[v["configMap"]["name"]]["data"].items():
                    (host / key).write_text(text)
            elif "persistentVolumeClaim" in v:
                os.chown(host, psc["runAsUser"], psc["fsGroup"])
            if "subPath" in m:
                host = host / m["subPath"]
            elif "emptyDir" in v:
                args += ["--tmpfs", f"{path}:size={v['emptyDir'].get('sizeLimit', '16Mi').replace('Mi', 'm')}"]
                continue
            os.chmod(host, 0o755)
            args += ["-v", f"{host}:{path}" + (":ro" if m.get("readOnly") else "")]
        for e in c.get("env", []):
            args += ["-e", f"{e['name']}={e['value']}"]
        args += ["-e", f"APIDRIFT_LISTEN=127.0.0.1:{port}", image] + c.get("args", [])
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
        r = subprocess.run(args, capture_output=True, text=True)
        try:
            # A container that was created but could not start is removed too.
            if not need(r.returncode == 0, f"docker run: {r.stderr.strip()}"):
                return
            def get(path):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as resp:
                        return resp.status
                except Exception:
                    return None
            ready = c["readinessProbe"]["httpGet"]["path"]
            live = c["livenessProbe"]["httpGet"]["path"]
            t0 = time.monotonic()
            while get(ready) != 200 and time.monotonic() - t0 < 30:
                time.sleep(0.05)
            if need(get(ready) == 200, f"readinessProbe {ready} never answered 200"):
                print(f"  ok   readinessProbe {ready}: 200 after {time.monotonic() - t0:.2f} s")
            if need(get(live) == 200, f"livenessProbe {live} did not answer 200"):
                print(f"  ok   livenessProbe {live}: 200")
            grace = pod.get("terminationGracePeriodSeconds", 30)
            t0 = time.monotonic()
            subprocess.run(["docker", "stop", "-t", str(grace), name], check=True, capture_output=True)
            stopped = time.monotonic() - t0
            code = subprocess.run(["docker", "inspect", "-f", "{{.State.ExitCode}}", name],
                                  capture_output=True, text=True).stdout.strip()
            logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True)
            lines = [ln for ln in (logs.stdout + logs.stderr).splitlines() if ln.startswith("{")]
            need(code == "0", f"exit code {code} after docker stop, want 0")
            need(stopped < grace, f"stopping took {stopped:.1f} s, over the grace period")
            need(bool(lines) and all(json.loads(ln).get("level") for ln in lines),
                 "APIDRIFT_LOG_FORMAT=json: no JSON log lines")
            if code == "0":
                print(f"  ok   docker stop -t {grace}: exit 0 after {stopped:.2f} s; {len(lines)} JSON log lines")
        finally:
            subprocess.run(["docker", "rm", "-f", name], capture_output=True)


def main():
    objs, tool = render()
    by_kind = {}
    for o in objs:
        by_kind.setdefault(o["kind"], []).append(o)
    print(f"== {tool}: {len(objs)} objects: " + ", ".join(f"{o['kind']}/{o['metadata']['name']}" for o in objs))

    print("== Kubernetes schemas (kubernetes-validate, strict)")
    for version in VERSIONS:
        v = version or kv_utils.latest_version()
        for o in objs:
            label = f"{o['kind']}/{o['metadata']['name']}"
            if o["apiVersion"].startswith("monitoring.coreos.com/"):
                continue
            try:
                kv_utils.validate(o, v, strict=True)
                print(f"  ok   {label} against Kubernetes {kv_utils.major_minor(v)}")
            except kubernetes_validate.ValidationError as e:
                fail(f"{label} against Kubernetes {kv_utils.major_minor(v)}: {e.message} at {'.'.join(map(str, e.path))}")
            except kv_utils.SchemaNotFoundError as e:
                fail(f"{label}: no schema in Kubernetes {kv_utils.major_minor(v)} ({e})")

    print("== Prometheus Operator objects (monitoring.coreos.com/v1 fields we use)")
    for kind in ("ServiceMonitor", "PrometheusRule"):
        if need(kind in by_kind, f"no {kind} in the render"):
            before = len(failures)
            for o in by_kind[kind]:
                check_crd(o)
            if len(failures) == before:
                print(f"  ok   {kind}/apidrift")

    print("== how the objects fit together")
    before = len(failures)
    dep = by_kind["Deployment"][0]
    spec, pod = dep["spec"], dep["spec"]["template"]["spec"]
    need(spec.get("replicas") == 1, "Deployment: replicas must be 1 (one writer per state directory)")
    need(spec.get("strategy", {}).get("type") == "Recreate", "Deployment: strategy must be Recreate")
    (c,) = pod["containers"]
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    need(ports.get("http") == 9464, "container: port http must be 9464")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = c.get(probe, {}).get("httpGet", {})
        need(get.get("path") == path and get.get("port") in ("http", 9464), f"container: {probe} must GET {path} on http")
    psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
    need(psc.get("runAsNonRoot") is True and psc.get("runAsUser") == 10001, "pod: runAsNonRoot with uid 10001 (the image's user)")
    need(psc.get("fsGroup") == 10001, "pod: fsGroup 10001 (the volume writable by the image's user)")
    need(csc.get("readOnlyRootFilesystem") is True, "container: readOnlyRootFilesystem")
    need(csc.get("allowPrivilegeEscalation") is False, "container: allowPrivilegeEscalation false")
    need(csc.get("capabilities", {}).get("drop") == ["ALL"], "container: capabilities drop ALL")
    need(pod.get("automountServiceAccountToken") is False, "pod: no service account token (apidrift does not call the API)")
    need("limits" in c.get("resources", {}) and "requests" in c["resources"], "container: resources requests and limits")
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
    for m in mounts.values():
        need(m["name"] in vols, f"mount {m['mountPath']}: no volume {m['name']}")
    configmaps = {o["metadata"]["name"]: o for o in by_kind.get("ConfigMap", [])}
    pvcs = {o["metadata"]["name"] for o in by_kind.get("PersistentVolumeClaim", [])}
    for v in vols.values():
        if "configMap" in v:
            need(v["configMap"]["name"] in configmaps, f"volume {v['name']}: no ConfigMap {v['configMap']['name']}")
        if "persistentVolumeClaim" in v:
            need(v["persistentVolumeClaim"]["claimName"] in pvcs, f"volume {v['name']}: no PVC")
        if "secret" in v:
            need(v["secret"].get("optional") is True, f"volume {v['name']}: the Secret must be optional (the base ships none)")
    for path in ("/etc/apidrift/apidrift.yaml", "/etc/apidrift/monitors", "/var/lib/apidrift"):
        need(path in mounts, f"container: nothing mounted at {path}")
    need(mounts.get("/var/lib/apidrift", {}).get("readOnly") is not True, "/var/lib/apidrift must be writable")
    need(all(m.get("readOnly") for p, m in mounts.items() if p.startswith("/etc/apidrift") or p.startswith("/run/secrets")),
         "configuration and secrets must be mounted read-only")
    svc = by_kind["Service"][0]
    pod_labels = dep["spec"]["template"]["metadata"]["labels"]
    need(all(pod_labels.get(k) == v for k, v in svc["spec"]["selector"].items()), "Service: selector does not match the pod")
    need(set(spec["selector"]["matchLabels"].items()) <= set(pod_labels.items()), "Deployment: selector does not match its pod")
    svc_ports = {p["name"] for p in svc["spec"]["ports"]}
    sm = by_kind["ServiceMonitor"][0]
    need(all(svc["metadata"]["labels"].get(k) == v for k, v in sm["spec"]["selector"]["matchLabels"].items()),
         "ServiceMonitor: selector does not match the Service")
    need(all(e.get("port") in svc_ports for e in sm["spec"]["endpoints"]), "ServiceMonitor: endpoint port not on the Service")
    need(all(e.get("path") == "/metrics" for e in sm["spec"]["endpoints"]), "ServiceMonitor: path must be /metrics")
    rules = yaml.safe_load((ROOT / "alerts" / "apidrift.rules.yml").read_text())
    need(by_kind["PrometheusRule"][0]["spec"] == rules, "PrometheusRule: differs from alerts/apidrift.rules.yml (scripts/gen-kubernetes.py)")
    dash = next((cm for cm in configmaps.values() if cm["metadata"].get("labels", {}).get("grafana_dashboard") == "1"), None)
    if need(dash is not None, "no ConfigMap labelled grafana_dashboard=\"1\""):
        shipped = json.loads((ROOT / "dashboards" / "apidrift.json").read_text())
        need(json.loads(dash["data"]["apidrift.json"]) == shipped, "dashboard ConfigMap: differs from dashboards/apidrift.json")
    cfg_mount = mounts["/etc/apidrift/apidrift.yaml"]
    need(cfg_mount.get("subPath") == "apidrift.yaml", "/etc/apidrift/apidrift.yaml: mount the key apidrift.yaml (subPath)")
    cfg_cm = configmaps[vols[cfg_mount["name"]]["configMap"]["name"]]
    # Nested mounts under a read-only mount fail in runc (it cannot make the mount
    # point), so no mount may sit below another one.
    for p in mounts:
        for q in mounts:
            need(not (p != q and p.startswith(q.rstrip("/") + "/")), f"mount {p} is nested inside mount {q}")
    cfg = yaml.safe_load(cfg_cm["data"]["apidrift.yaml"]) or {}
    timeout = cfg.get("shutdown_timeout", "30s")
    m = re.fullmatch(r"(\d+)s", str(timeout))
    if need(m, f"apidrift.yaml: shutdown_timeout `{timeout}` (the test reads seconds)"):
        need(pod.get("terminationGracePeriodSeconds", 30) > int(m.group(1)),
             "pod: terminationGracePeriodSeconds must exceed shutdown_timeout")
    need(not ({"listen", "state", "baselines"} & set(cfg)), "apidrift.yaml in the cluster: leave listen/state/baselines to the image's environment")
    if len(failures) == before:
        print("  ok   replicas 1 + Recreate, probes, security contexts, volumes, selectors, ports, generated objects, grace period")

    print("== apidrift validate on the rendered configuration")
    binary = pathlib.Path(os.environ.get("APIDRIFT_BIN", ROOT / "target" / "release" / "apidrift"))
    if not binary.exists():
        fail(f"{binary} is missing (cargo build --release, or set APIDRIFT_BIN)")
    else:
        with tempfile.TemporaryDirectory() as d:
            d = pathlib.Path(d)
            (d / "monitors").mkdir()
            (d / "apidrift.yaml").write_text(cfg_cm["data"]["apidrift.yaml"])
            mon_cm = configmaps[vols[mounts["/etc/apidrift/monitors"]["name"]]["configMap"]["name"]]
            for k, text in mon_cm["data"].items():
                (d / "monitors" / k).write_text(text)
            env = {k: v for k, v in os.environ.items() if not k.startswith("APIDRIFT_")}
            r = subprocess.run([str(binary), "validate", "--deny-warnings", "--config", str(d / "apidrift.yaml")],
                               capture_output=True, text=True, env=env)
            out = (r.stdout + r.stderr).replace(str(d) + "/", "")
            print("  " + out.strip().replace("\n", "\n  "))
            need(r.returncode == 0, f"apidrift validate exited {r.returncode}")

    image = os.environ.get("APIDRIFT_IMAGE")
    if image:
        print(f"== the Deployment's pod, run in docker ({image})")
        run_pod(image, pod, c, configmaps, vols, mounts)

    if failures:
        print(f"test-kubernetes: {len(failures)} problem(s)", file=sys.stderr)
        return 1
    print("test-kubernetes: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
