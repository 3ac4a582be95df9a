//! High availability on PostgreSQL (issue 14), against a real server: each test starts
//! its own throwaway cluster (`pg`: initdb in a temp dir as a non-root user, loopback,
//! a free port) and several `apidrift run` replicas sharing it, the monitors and the
//! baselines (`fleet`), against loopback vendors, a webhook receiver and an SMTP sink.
//! One module per property: `approvals` (a `baseline accept` checked at once, on
//! every replica), `spread` (3 replicas, 200 integrations every second, 20
//! drifts: one notification per drift and channel, cadence held, load on all three),
//! `failover` (kill -9 of a replica mid-checks and mid-deliveries), `outage` (the
//! database restarted under load: /readyz, no false drift, resumption), `migrate`
//! (idempotent, once under concurrency), `tls` (require / verify against a TLS-only
//! server).
//! The tests run one at a time (`serial`): they measure cadence and failover time on
//! a 2-core machine and must not compete with each other. Every wait is a bounded poll
//! on a fact (an arrival at the vendor, a delivery, a status, a metric), never a sleep
//! followed by an assertion. `APIDRIFT_HA_KEEP=1` keeps the temp dirs (replica logs,
//! the server's log) and prints where they are.

#[path = "../daemon_support/ca.rs"]
mod ca;
#[path = "../daemon_support/mod.rs"]
mod daemon_support;
#[path = "../faults/faults_support.rs"]
mod faults_support;

mod approvals;
mod failover;
mod fleet;
mod migrate;
mod outage;
mod pg;
mod pg_binaries;
mod spread;
mod tls;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Held by each test for its whole run.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether to keep temp dirs after the test (`APIDRIFT_HA_KEEP=1`).
pub fn keep() -> bool {
    std::env::var("APIDRIFT_HA_KEEP").is_ok_and(|v| v == "1")
}

/// A test's config directory; kept (and its path printed) with `APIDRIFT_HA_KEEP=1`.
pub struct Workdir(Option<tempfile::TempDir>, PathBuf);

impl Workdir {
    pub fn create() -> Workdir {
        let t = tempfile::Builder::new()
            .prefix("apidrift-ha-")
            .tempdir()
            .unwrap();
        let p = t.path().to_path_buf();
        Workdir(Some(t), p)
    }

    pub fn path(&self) -> &Path {
        &self.1
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        if let (true, Some(t)) = (keep(), self.0.take()) {
            eprintln!("kept the test's directory {}", t.keep().display());
        }
    }
}
