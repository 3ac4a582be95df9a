//! Shared by tests/daemon/alerts.rs and tests/daemon/dashboards.rs: the metric names apidrift exposes
//! (issues 3, 4 and 5) and a promtool runner that fails clearly when it is missing.

#![allow(dead_code)]

use std::process::Command;

/// Every metric family apidrift exposes, with histogram series names.
pub const KNOWN_METRICS: &[&str] = &[
    "apidrift_checks_total",
    "apidrift_check_duration_seconds_bucket",
    "apidrift_check_duration_seconds_sum",
    "apidrift_check_duration_seconds_count",
    "apidrift_last_check_timestamp_seconds",
    "apidrift_last_success_timestamp_seconds",
    "apidrift_check_success",
    "apidrift_drift_changes",
    "apidrift_drift_confirmed",
    "apidrift_check_failures_total",
    "apidrift_baseline_accepted_timestamp_seconds",
    "apidrift_spec_bytes",
    "apidrift_build_info",
    "apidrift_visibility_ratio",
    "apidrift_consumed_fields",
    "apidrift_sunset_timestamp_seconds",
    "apidrift_notifications_total",
    "apidrift_outbox_pending",
    "apidrift_outbox_dead_letters_total",
    "apidrift_web_info",
    "apidrift_drift_acknowledged",
    "apidrift_api_auth_failures_total",
    "apidrift_config_last_reload_successful",
    "apidrift_config_last_reload_success_timestamp_seconds",
];

/// The `apidrift_*` names used in `expr`.
pub fn metric_names(expr: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\bapidrift_[a-z0-9_]+").unwrap();
    re.find_iter(expr).map(|m| m.as_str().to_string()).collect()
}

/// Fails when `expr` uses an unknown `apidrift_*` name, or uses none (every shipped
/// expression is about apidrift).
pub fn check_metric_names(what: &str, expr: &str) {
    let names = metric_names(expr);
    assert!(
        !names.is_empty(),
        "{what}: `{expr}` uses no apidrift metric"
    );
    for n in names {
        assert!(
            KNOWN_METRICS.contains(&n.as_str()),
            "{what}: unknown metric `{n}` in `{expr}`"
        );
    }
}

/// Runs promtool and fails with its output unless it succeeds.
pub fn promtool(args: &[&str]) -> String {
    let out = Command::new("promtool")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "promtool is needed for this test and could not be run ({e}); install it with: \
             apt-get update && apt-get install -y prometheus"
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "promtool {args:?} failed:\n{text}");
    text
}
