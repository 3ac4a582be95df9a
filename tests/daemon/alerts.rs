//! The shipped alert rules: every alert has `for`, a severity from the closed set, a
//! summary and description using `$labels`, a runbook_url of the documented form whose
//! anchor exists in docs/runbook.md, a promtool test where it fires, only known metric
//! names, and is replica-safe (shared gauges aggregated, counters summed: one drift is
//! one alert with several replicas). Also runs `promtool check rules` and
//! `promtool test rules`.

use crate::promql;

use promql::{check_metric_names, promtool};
use serde_json::Value;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rules() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join("alerts/apidrift.rules.yml")).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn every_alert_is_complete_and_has_a_runbook_section() {
    let runbook = std::fs::read_to_string(root().join("docs/runbook.md")).unwrap();
    let rules = rules();
    assert!(
        rules.len() >= 6,
        "expected at least 6 alerts, got {}",
        rules.len()
    );
    for r in &rules {
        let name = r["alert"].as_str().expect("every rule is an alert");
        assert!(r["for"].as_str().is_some(), "{name}: no `for`");
        let sev = r["labels"]["severity"].as_str().unwrap_or("");
        assert!(
            ["critical", "warning", "info"].contains(&sev),
            "{name}: severity {sev:?}"
        );
        let ann = &r["annotations"];
        for key in ["summary", "description"] {
            assert!(
                ann[key].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: no {key}"
            );
        }
        let expr = r["expr"].as_str().unwrap();
        if !expr.contains("absent(") {
            assert!(
                ann["description"].as_str().unwrap().contains("$labels."),
                "{name}: description does not use $labels"
            );
        }
        assert_eq!(
            ann["runbook_url"].as_str(),
            Some(format!("docs/runbook.md#{name}").as_str()),
            "{name}: runbook_url"
        );
        assert!(
            runbook.contains(&format!("<a id=\"{name}\"></a>"))
                && runbook.contains(&format!("## {name}")),
            "{name}: docs/runbook.md has no anchored section"
        );
        check_metric_names(name, expr);
    }
}

#[test]
fn every_required_alert_exists() {
    // Each group of needles must occur in one alert's expression (whitespace collapsed).
    let exprs: Vec<String> = rules()
        .iter()
        .map(|r| {
            r["expr"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    for needles in [
        &[
            "apidrift_drift_confirmed",
            "apidrift_drift_changes{level=\"error\"}",
        ][..],
        &["apidrift_visibility_ratio", ") < 1"],
        &["apidrift_check_success", ") == 0"],
        &["time() - max by", "apidrift_last_check_timestamp_seconds"],
        &["absent(apidrift_last_check_timestamp_seconds)"],
        &["apidrift_sunset_timestamp_seconds", ") - time()"],
        &["apidrift_notifications_total{result=\"failed\"}"],
        &["apidrift_outbox_dead_letters_total"],
        &["apidrift_store_up == 0"],
        &["apidrift_state_writable == 0"],
    ] {
        assert!(
            exprs.iter().any(|e| needles.iter().all(|n| e.contains(n))),
            "no alert uses {needles:?}"
        );
    }
}

/// One drift is one alert however many replicas export it: every alert aggregates the
/// shared gauges and sums the counters over the replicas, and only the alerts about one
/// process (they use no shared gauge and no counter) name the `instance`.
#[test]
fn every_alert_is_replica_safe() {
    for r in rules() {
        let name = r["alert"].as_str().unwrap();
        let expr = r["expr"].as_str().unwrap();
        promql::check_replica_safe(name, expr);
        let about_integrations = promql::metric_names(expr).iter().any(|m| {
            promql::SHARED_GAUGES.contains(&m.as_str()) || promql::COUNTERS.contains(&m.as_str())
        });
        let annotations = r["annotations"].to_string();
        if about_integrations {
            assert!(
                !annotations.contains("$labels.instance") && !annotations.contains("$labels.pod"),
                "{name}: aggregates the replicas away but its annotations use their labels"
            );
        }
    }
}

#[test]
fn every_alert_fires_in_a_promtool_test() {
    let tests_dir = root().join("alerts/tests");
    let mut fired = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(&tests_dir).unwrap() {
        let p = e.unwrap().path();
        let doc: Value = serde_yaml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        for t in doc["tests"].as_array().unwrap() {
            for a in t["alert_rule_test"].as_array().into_iter().flatten() {
                if a["exp_alerts"].as_array().is_some_and(|x| !x.is_empty()) {
                    fired.insert(a["alertname"].as_str().unwrap().to_string());
                }
            }
        }
    }
    for r in rules() {
        let name = r["alert"].as_str().unwrap();
        assert!(
            fired.contains(name),
            "{name}: no promtool test expects it to fire"
        );
    }
}

#[test]
fn promtool_checks_and_tests_the_rules() {
    let rules = root().join("alerts/apidrift.rules.yml");
    promtool(&["check", "rules", rules.to_str().unwrap()]);
    let mut files: Vec<String> = std::fs::read_dir(root().join("alerts/tests"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml"))
        .collect();
    files.sort();
    let mut args = vec!["test", "rules"];
    args.extend(files.iter().map(String::as_str));
    promtool(&args);
}
