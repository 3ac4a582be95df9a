//! The monitor in one test binary: `apidrift run` and `check` against loopback vendors
//! (`daemon_run` with its pages, control API and MCP modules), vendor faults, signals,
//! metrics, a real Prometheus scraping the daemon, the shipped alert rules and
//! dashboards, `baseline accept` and `validate`.

#[path = "../daemon_support/browser.rs"]
mod browser;
#[path = "../daemon_support/mod.rs"]
mod daemon_support;
#[path = "../promql/mod.rs"]
mod promql;

mod alerts;
mod daemon_faults;
mod daemon_metrics;
mod daemon_run;
mod daemon_signals;
mod dashboards;
mod e2e_prometheus;
mod monitor_baseline;
mod monitor_validate;
