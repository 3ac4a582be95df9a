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
- the rendered apidrift.yaml and monitors pass `apidrift validate` (when the binary
  is built: APIDRIFT_BIN, default target/release/apidrift).
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
    for path in ("/etc/apidrift", "/etc/apidrift/monitors", "/var/lib/apidrift"):
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
    cfg_cm = configmaps[vols[mounts["/etc/apidrift"]["name"]]["configMap"]["name"]]
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

    if failures:
        print(f"test-kubernetes: {len(failures)} problem(s)", file=sys.stderr)
        return 1
    print("test-kubernetes: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
