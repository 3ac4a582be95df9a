//! Shared by tests/daemon/alerts.rs and tests/daemon/dashboards.rs: the metric names apidrift exposes
//! (issues 3, 4, 5 and 14) and a promtool runner that fails clearly when it is missing.

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
    "apidrift_state_writable",
    "apidrift_state_write_errors_total",
    // Only with `store: postgres` (issue 14).
    "apidrift_store_up",
    "apidrift_store_errors_total",
    "apidrift_leases_lost_total",
    "apidrift_claim_delay_seconds_bucket",
    "apidrift_claim_delay_seconds_sum",
    "apidrift_claim_delay_seconds_count",
];

/// Follows every shared gauge in a shipped expression (docs/monitor.md, "Metrics with
/// several replicas"): drops the series of a replica that lost the database while
/// another replica of the same deployment still reaches it.
pub const REPLICA_FILTER: &str = "unless on (job, namespace, instance) (apidrift_store_up == 0 and on (job, namespace) (max by (job, namespace) (apidrift_store_up) == 1))";

/// Gauges every replica exports alike (each reads the shared store): a shipped
/// expression takes them through `max by (job, namespace, ...) (NAME REPLICA_FILTER)`.
pub const SHARED_GAUGES: &[&str] = &[
    "apidrift_last_check_timestamp_seconds",
    "apidrift_last_success_timestamp_seconds",
    "apidrift_check_success",
    "apidrift_drift_changes",
    "apidrift_drift_confirmed",
    "apidrift_baseline_accepted_timestamp_seconds",
    "apidrift_spec_bytes",
    "apidrift_visibility_ratio",
    "apidrift_consumed_fields",
    "apidrift_sunset_timestamp_seconds",
    "apidrift_drift_acknowledged",
    "apidrift_outbox_pending",
];

/// Counters (and histogram series): each replica counts what it did; a shipped
/// expression sums their `rate` or `increase` over the replicas.
pub const COUNTERS: &[&str] = &[
    "apidrift_checks_total",
    "apidrift_check_duration_seconds_bucket",
    "apidrift_check_duration_seconds_sum",
    "apidrift_check_duration_seconds_count",
    "apidrift_check_failures_total",
    "apidrift_notifications_total",
    "apidrift_outbox_dead_letters_total",
    "apidrift_api_auth_failures_total",
    "apidrift_state_write_errors_total",
    "apidrift_store_errors_total",
    "apidrift_leases_lost_total",
    "apidrift_claim_delay_seconds_bucket",
    "apidrift_claim_delay_seconds_sum",
    "apidrift_claim_delay_seconds_count",
];

/// Fails unless every shared gauge in `expr` is aggregated over the replicas through
/// the replica filter (or tested with `absent`), and every counter is summed
/// (`sum [by (...)] (rate|increase(`). The other metrics describe one process
/// (`apidrift_store_up`, the build, the configuration) and are not constrained.
pub fn check_replica_safe(what: &str, expr: &str) {
    let flat = regex::Regex::new(r"\s+")
        .unwrap()
        .replace_all(expr, " ")
        .replace("( ", "(")
        .replace(" )", ")");
    let count = |re: &str| regex::Regex::new(re).unwrap().find_iter(&flat).count();
    for g in SHARED_GAUGES {
        let uses = count(&format!(r"\b{g}\b"));
        // `absent(NAME)` is true only when no replica exports NAME at all.
        let safe = count(&format!(
            r"max by \(job, namespace(, [a-z_]+)*\) \({g}(\{{[^}}]*\}})? {}\)",
            regex::escape(REPLICA_FILTER)
        )) + count(&format!(r"absent\({g}\b"));
        assert_eq!(
            uses, safe,
            "{what}: {g} is not always `max by (job, namespace, ...) ({g} <replica filter>)` in `{flat}`"
        );
    }
    for c in COUNTERS {
        let uses = count(&format!(r"\b{c}\b"));
        let safe = count(&format!(
            r"sum( by \([a-z_, ]*\) )?\((rate|increase)\({c}\b"
        ));
        assert_eq!(
            uses, safe,
            "{what}: {c} is not always summed over replicas (`sum [by (...)] (rate|increase({c}...))`) in `{flat}`"
        );
    }
}

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
