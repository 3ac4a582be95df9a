//! The shipped Grafana dashboard: valid JSON with the datasource and integration
//! variables, every query uses only known apidrift metrics and is replica-safe (no
//! per-integration line or sum counted once per replica), every required metric is on
//! some panel, and every query is valid PromQL (checked by `promtool check rules` on a
//! generated file with each expression as a recording rule). The "Integrations by state"
//! queries are also evaluated over three replicas in alerts/tests/replicas.test.yaml.

use crate::promql;

use promql::{KNOWN_METRICS, check_metric_names, check_replica_safe, metric_names, promtool};
use serde_json::Value;
use std::path::Path;

fn dashboard() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards/apidrift.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).expect("dashboard is valid JSON")
}

fn exprs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, c) in o {
                if k == "expr" {
                    out.push(c.as_str().expect("expr is a string").to_string());
                } else {
                    exprs(c, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|c| exprs(c, out)),
        _ => {}
    }
}

/// Grafana's variables replaced by values PromQL accepts.
fn concrete(expr: &str) -> String {
    expr.replace("$__rate_interval", "5m")
        .replace("$__interval", "1m")
        .replace("$__range", "1h")
        .replace("$integration", ".*")
}

#[test]
fn dashboard_has_variables_and_panels() {
    let d = dashboard();
    let vars: Vec<&str> = d["templating"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert!(
        vars.contains(&"datasource") && vars.contains(&"integration"),
        "{vars:?}"
    );
    let titles: Vec<String> = d["panels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_lowercase())
        .collect();
    for want in [
        "integrations by state",
        "visibility per integration",
        "drift changes by level",
        "check success",
        "failures by reason",
        "check duration",
        "sunset countdown",
        "notifications",
        "outbox",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(want)),
            "no panel titled like {want:?}: {titles:?}"
        );
    }
}

#[test]
fn dashboard_queries_use_known_metrics_and_cover_them_all() {
    let mut all = Vec::new();
    exprs(&dashboard(), &mut all);
    assert!(all.len() >= 15, "only {} queries", all.len());
    let mut used = std::collections::BTreeSet::new();
    for e in &all {
        check_metric_names("dashboard", e);
        check_replica_safe("dashboard", e);
        used.extend(metric_names(e));
    }
    for m in KNOWN_METRICS {
        if m.ends_with("_sum") || m.ends_with("_count") {
            continue;
        }
        assert!(used.contains(*m), "no dashboard panel shows {m}");
    }
    assert!(all.iter().any(|e| e.contains("histogram_quantile")
        && e.contains("apidrift_check_duration_seconds_bucket")));
}

#[test]
fn dashboard_queries_are_valid_promql() {
    let mut all = Vec::new();
    exprs(&dashboard(), &mut all);
    let mut rules = String::from("groups:\n  - name: dashboard\n    rules:\n");
    for (i, e) in all.iter().enumerate() {
        let quoted = serde_json::to_string(&concrete(e)).unwrap();
        rules.push_str(&format!(
            "      - record: apidrift:dashboard_expr_{i}\n        expr: {quoted}\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dashboard.rules.yml");
    std::fs::write(&p, rules).unwrap();
    let out = promtool(&["check", "rules", p.to_str().unwrap()]);
    assert!(out.contains(&format!("{} rules found", all.len())), "{out}");
}

/// The `promql_expr_test`s of alerts/tests/replicas.test.yaml that select every
/// integration (`integration=~".*"`, as Grafana sends `$integration` = All) are the
/// dashboard's own queries, so editing a panel cannot leave that proof behind.
#[test]
fn replica_scenario_evaluates_the_dashboard_queries() {
    let mut all = Vec::new();
    exprs(&dashboard(), &mut all);
    let dashboard: Vec<String> = all.iter().map(|e| concrete(e)).collect();
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("alerts/tests/replicas.test.yaml");
    let doc: Value = serde_yaml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let mut checked = 0;
    for t in doc["tests"].as_array().unwrap() {
        for e in t["promql_expr_test"].as_array().into_iter().flatten() {
            let expr = e["expr"].as_str().unwrap();
            if expr.contains(r#"integration=~".*""#) {
                assert!(
                    dashboard.iter().any(|d| d == expr),
                    "replicas.test.yaml evaluates `{expr}`, which no panel queries"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 3,
        "only {checked} dashboard queries evaluated over replicas"
    );
}
