//! Every metric apidrift exports, defined in one place. Names follow
//! `apidrift_<noun>_<unit>[_total]`; labels are bounded: `integration` (the configured
//! monitors), `result` (ok|drift|failed|unchanged|no_baseline), `reason` (the closed
//! `FailureReason` set), `level` (error|warning|info), `state` (ok|at_risk|lost),
//! `operation` (`METHOD /path` of a consumed operation: bounded by the monitor's
//! contract), `version`, `writer` (state|history|notifications, `daemon::disk`).
//! Never a field, rule argument or vendor URL in a label; the one
//! URL is `apidrift_web_info{external_url}`: the operator's own `external_url` (one
//! series), which alert annotations join to link to an integration's page.
//!
//! Each check is recorded by `Metrics::observe`, called by the wrapper that runs checks,
//! not by the check. `with_label_values` panics only on a wrong number of labels; every
//! call here passes a literal array matching the names declared in `Metrics::new`.

use super::check::CheckReport;
use crate::baseline::Record;
use crate::fetch::FailureReason;
use crate::state::{CheckResult, IntegrationState};
use prometheus::{
    Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

const RESULTS: [CheckResult; 5] = [
    CheckResult::Ok,
    CheckResult::Drift,
    CheckResult::Failed,
    CheckResult::Unchanged,
    CheckResult::NoBaseline,
];
const LEVELS: [&str; 3] = ["error", "warning", "info"];

/// The registry and every metric family.
pub struct Metrics {
    registry: Registry,
    checks: IntCounterVec,
    duration: HistogramVec,
    last_check: GaugeVec,
    last_success: GaugeVec,
    success: IntGaugeVec,
    drift_changes: IntGaugeVec,
    drift_confirmed: IntGaugeVec,
    failures: IntCounterVec,
    baseline_accepted: GaugeVec,
    spec_bytes: IntGaugeVec,
    visibility: GaugeVec,
    consumed_fields: IntGaugeVec,
    sunset: GaugeVec,
    web_info: IntGaugeVec,
    auth_failures: IntCounterVec,
    acknowledged: IntGaugeVec,
    reload_ok: prometheus::IntGauge,
    reload_success: prometheus::Gauge,
    state_write_errors: IntCounterVec,
    state_writable: prometheus::IntGauge,
    /// The `operation` labels of `sunset` set per integration, to drop stale ones.
    sunset_ops: std::sync::Mutex<std::collections::BTreeMap<String, Vec<String>>>,
}

const FIELD_STATES: [&str; 3] = ["ok", "at_risk", "lost"];

#[derive(Debug, thiserror::Error)]
#[error("metrics: {0}")]
pub struct MetricsError(#[from] prometheus::Error);

impl Metrics {
    pub fn new() -> Result<Metrics, MetricsError> {
        let registry = Registry::new();
        let i = &["integration"];
        let checks = IntCounterVec::new(
            Opts::new(
                "apidrift_checks_total",
                "Checks run, by integration and result.",
            ),
            &["integration", "result"],
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "apidrift_check_duration_seconds",
                "Wall time of one check: fetch, parse and diff.",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
            ]),
            i,
        )?;
        let last_check = GaugeVec::new(
            Opts::new(
                "apidrift_last_check_timestamp_seconds",
                "Unix time of the last check.",
            ),
            i,
        )?;
        let last_success = GaugeVec::new(
            Opts::new(
                "apidrift_last_success_timestamp_seconds",
                "Unix time of the last check that read the vendor spec.",
            ),
            i,
        )?;
        let success = IntGaugeVec::new(
            Opts::new(
                "apidrift_check_success",
                "1 when the last check read and compared the spec, 0 when it failed or there is no baseline.",
            ),
            i,
        )?;
        let drift_changes = IntGaugeVec::new(
            Opts::new(
                "apidrift_drift_changes",
                "Unaccepted changes against the baseline, by level.",
            ),
            &["integration", "level"],
        )?;
        let drift_confirmed = IntGaugeVec::new(
            Opts::new(
                "apidrift_drift_confirmed",
                "1 when a drift has been seen on confirm_after consecutive polls.",
            ),
            i,
        )?;
        let failures = IntCounterVec::new(
            Opts::new("apidrift_check_failures_total", "Failed checks, by reason."),
            &["integration", "reason"],
        )?;
        let baseline_accepted = GaugeVec::new(
            Opts::new(
                "apidrift_baseline_accepted_timestamp_seconds",
                "Unix time the current baseline was accepted.",
            ),
            i,
        )?;
        let spec_bytes = IntGaugeVec::new(
            Opts::new(
                "apidrift_spec_bytes",
                "Size of the last spec read, in bytes.",
            ),
            i,
        )?;
        let build_info = IntGaugeVec::new(
            Opts::new(
                "apidrift_build_info",
                "Always 1; the version label says which build runs.",
            ),
            &["version"],
        )?;
        build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
            .set(1);
        let visibility = GaugeVec::new(
            Opts::new(
                "apidrift_visibility_ratio",
                "Consumed fields not lost over consumed fields (1 when nothing is lost).",
            ),
            i,
        )?;
        let consumed_fields = IntGaugeVec::new(
            Opts::new(
                "apidrift_consumed_fields",
                "Consumed fields of the contract, by state in the last verdict.",
            ),
            &["integration", "state"],
        )?;
        let sunset = GaugeVec::new(
            Opts::new(
                "apidrift_sunset_timestamp_seconds",
                "Unix time a consumed operation is announced to go away (spec x-sunset or Sunset header).",
            ),
            &["integration", "operation"],
        )?;
        registry.register(Box::new(checks.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        registry.register(Box::new(last_check.clone()))?;
        registry.register(Box::new(last_success.clone()))?;
        registry.register(Box::new(success.clone()))?;
        registry.register(Box::new(drift_changes.clone()))?;
        registry.register(Box::new(drift_confirmed.clone()))?;
        registry.register(Box::new(failures.clone()))?;
        registry.register(Box::new(baseline_accepted.clone()))?;
        registry.register(Box::new(spec_bytes.clone()))?;
        registry.register(Box::new(build_info))?;
        registry.register(Box::new(visibility.clone()))?;
        registry.register(Box::new(consumed_fields.clone()))?;
        registry.register(Box::new(sunset.clone()))?;
        let web_info = IntGaugeVec::new(
            Opts::new(
                "apidrift_web_info",
                "Always 1; external_url is where the daemon's pages are (alerts link to external_url/integrations/NAME).",
            ),
            &["external_url"],
        )?;
        registry.register(Box::new(web_info.clone()))?;
        let auth_failures = IntCounterVec::new(
            Opts::new(
                "apidrift_api_auth_failures_total",
                "Requests to the API, the pages or /mcp refused for their token, by reason (missing, invalid, insufficient_scope).",
            ),
            &["reason"],
        )?;
        for d in super::auth::Denied::ALL {
            auth_failures.with_label_values(&[d.reason()]);
        }
        registry.register(Box::new(auth_failures.clone()))?;
        let acknowledged = IntGaugeVec::new(
            Opts::new(
                "apidrift_drift_acknowledged",
                "1 while a human acknowledged the current drift (until its `until`, or until the drift changes); alerts stop paging for it.",
            ),
            i,
        )?;
        registry.register(Box::new(acknowledged.clone()))?;
        // Named after Prometheus' own `prometheus_config_last_reload_*`.
        let reload_ok = prometheus::IntGauge::new(
            "apidrift_config_last_reload_successful",
            "1 when the last (re)load of apidrift.yaml and monitors/ was applied; 0 when it was refused (the previous monitors keep running).",
        )?;
        registry.register(Box::new(reload_ok.clone()))?;
        let reload_success = prometheus::Gauge::new(
            "apidrift_config_last_reload_success_timestamp_seconds",
            "Unix time of the last (re)load of the configuration that was applied.",
        )?;
        registry.register(Box::new(reload_success.clone()))?;
        let state_write_errors = IntCounterVec::new(
            Opts::new(
                "apidrift_state_write_errors_total",
                "Failed writes under the state directory, by writer (state, history, notifications).",
            ),
            &["writer"],
        )?;
        registry.register(Box::new(state_write_errors.clone()))?;
        let state_writable = prometheus::IntGauge::new(
            "apidrift_state_writable",
            "1 while every write under the state directory succeeds; 0 from a failed write until that writer succeeds again.",
        )?;
        registry.register(Box::new(state_writable.clone()))?;
        Ok(Metrics {
            registry,
            checks,
            duration,
            last_check,
            last_success,
            success,
            drift_changes,
            drift_confirmed,
            failures,
            baseline_accepted,
            spec_bytes,
            visibility,
            consumed_fields,
            sunset,
            web_info,
            auth_failures,
            acknowledged,
            reload_ok,
            reload_success,
            state_write_errors,
            state_writable,
            sunset_ops: std::sync::Mutex::new(std::collections::BTreeMap::new()),
        })
    }

    /// Lets `health` export through `apidrift_state_write_errors_total{writer}` and
    /// `apidrift_state_writable`.
    pub fn attach_write_health(&self, health: &super::disk::WriteHealth) {
        health.attach(self.state_write_errors.clone(), self.state_writable.clone());
    }

    /// Sets `apidrift_web_info{external_url}` (one series).
    pub fn set_external_url(&self, url: &str) {
        self.web_info.reset();
        self.web_info.with_label_values(&[url]).set(1);
    }

    /// Counts one refused request.
    pub fn auth_failure(&self, d: super::auth::Denied) {
        self.auth_failures.with_label_values(&[d.reason()]).inc();
    }

    /// Records a (re)load of the configuration: applied (`ok`) or refused.
    pub fn config_reloaded(&self, ok: bool, at: chrono::DateTime<chrono::Utc>) {
        self.reload_ok.set(i64::from(ok));
        if ok {
            self.reload_success
                .set(at.timestamp_millis() as f64 / 1000.0);
        }
    }

    /// Sets `apidrift_drift_acknowledged{integration}`.
    pub fn set_acknowledged(&self, name: &str, on: bool) {
        self.acknowledged
            .with_label_values(&[name])
            .set(i64::from(on));
    }

    /// Creates every series of `name` (counters at 0) and sets the gauges from the
    /// persisted state, so a restart shows what was known before it.
    pub fn register(&self, name: &str, st: &IntegrationState, baseline: Option<&Record>) {
        for r in RESULTS {
            self.checks.with_label_values(&[name, r.as_str()]);
        }
        for r in FailureReason::ALL {
            self.failures.with_label_values(&[name, r.as_str()]);
        }
        self.set_gauges(name, st, baseline);
    }

    /// Counts one failure of `name` found outside a check (a corrupt state file on start).
    pub fn count_failure(&self, name: &str, reason: FailureReason) {
        self.failures
            .with_label_values(&[name, reason.as_str()])
            .inc();
    }

    /// Drops every series of an integration that is no longer configured.
    pub fn forget(&self, name: &str) {
        for r in RESULTS {
            let _ = self.checks.remove_label_values(&[name, r.as_str()]);
        }
        for r in FailureReason::ALL {
            let _ = self.failures.remove_label_values(&[name, r.as_str()]);
        }
        for l in LEVELS {
            let _ = self.drift_changes.remove_label_values(&[name, l]);
        }
        let _ = self.duration.remove_label_values(&[name]);
        for g in [
            &self.last_check,
            &self.last_success,
            &self.baseline_accepted,
        ] {
            let _ = g.remove_label_values(&[name]);
        }
        for g in [
            &self.success,
            &self.drift_confirmed,
            &self.spec_bytes,
            &self.acknowledged,
        ] {
            let _ = g.remove_label_values(&[name]);
        }
        self.set_visibility(name, None);
    }

    /// Records one check.
    pub fn observe(&self, r: &CheckReport) {
        let name = r.integration.as_str();
        self.checks
            .with_label_values(&[name, r.result.as_str()])
            .inc();
        self.duration
            .with_label_values(&[name])
            .observe(r.duration.as_secs_f64());
        if r.result == CheckResult::Failed
            && let Some(f) = &r.state.failure
        {
            self.failures
                .with_label_values(&[name, f.reason.as_str()])
                .inc();
        }
        self.set_gauges(name, &r.state, r.baseline.as_ref());
    }

    fn set_gauges(&self, name: &str, st: &IntegrationState, baseline: Option<&Record>) {
        let ts = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map(|t| t.timestamp_millis() as f64 / 1000.0)
                .unwrap_or(0.0)
        };
        if st.last_check.is_some() {
            self.last_check
                .with_label_values(&[name])
                .set(ts(st.last_check));
        }
        if st.last_success.is_some() {
            self.last_success
                .with_label_values(&[name])
                .set(ts(st.last_success));
        }
        let ok = matches!(
            st.last_result,
            Some(CheckResult::Ok | CheckResult::Drift | CheckResult::Unchanged)
        );
        self.success.with_label_values(&[name]).set(i64::from(ok));
        for (level, n) in st.counts() {
            self.drift_changes
                .with_label_values(&[name, level])
                .set(n as i64);
        }
        let confirmed = st.drift.as_ref().is_some_and(|d| d.confirmed);
        self.drift_confirmed
            .with_label_values(&[name])
            .set(i64::from(confirmed));
        if let Some(s) = &st.spec {
            self.spec_bytes
                .with_label_values(&[name])
                .set(s.bytes as i64);
        }
        match baseline.and_then(Record::accepted_at) {
            Some(t) => self
                .baseline_accepted
                .with_label_values(&[name])
                .set(ts(Some(t))),
            None => {
                let _ = self.baseline_accepted.remove_label_values(&[name]);
            }
        }
        self.set_visibility(name, st.visibility.as_ref());
    }

    /// The verdict series of `name`; all removed when there is no verdict.
    fn set_visibility(&self, name: &str, v: Option<&crate::state::visibility::VisibilityReport>) {
        let ops: Vec<(String, i64)> = v
            .map(|v| {
                v.lifecycle
                    .iter()
                    .filter_map(|l| l.sunset_at.map(|t| (l.operation.clone(), t)))
                    .collect()
            })
            .unwrap_or_default();
        match v {
            Some(v) => {
                self.visibility
                    .with_label_values(&[name])
                    .set(v.verdict.visibility);
                let c = v.verdict.counts;
                for (state, n) in FIELD_STATES.iter().zip([c.ok, c.at_risk, c.lost]) {
                    self.consumed_fields
                        .with_label_values(&[name, state])
                        .set(n as i64);
                }
            }
            None => {
                let _ = self.visibility.remove_label_values(&[name]);
                for state in FIELD_STATES {
                    let _ = self.consumed_fields.remove_label_values(&[name, state]);
                }
            }
        }
        let Ok(mut known) = self.sunset_ops.lock() else {
            return;
        };
        for old in known.remove(name).unwrap_or_default() {
            if !ops.iter().any(|(o, _)| *o == old) {
                let _ = self.sunset.remove_label_values(&[name, old.as_str()]);
            }
        }
        for (op, t) in &ops {
            self.sunset
                .with_label_values(&[name, op.as_str()])
                .set(*t as f64);
        }
        if !ops.is_empty() {
            known.insert(name.to_string(), ops.into_iter().map(|(o, _)| o).collect());
        }
    }

    /// The text exposition format (version 0.0.4).
    /// The registry, for metric families defined elsewhere (notifications).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        // Encoding into a Vec cannot fail for I/O reasons; a family the encoder rejects
        // would be a bug in `new`, and then an empty page is better than a panic.
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut buf) {
            tracing::error!(error = %e, "cannot encode metrics");
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}
