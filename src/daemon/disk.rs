//! Whether the daemon's own writes work: the state files, the history, the notification
//! state. A failing write is logged once when it starts failing (not once per check),
//! counted in `apidrift_state_write_errors_total{writer}` and shown by
//! `apidrift_state_writable` (0 while any writer fails); the recovery is logged once
//! too. Checks go on whatever happens here: each check tries its writes again, and the
//! atomic writes (`atomic`) never leave a torn file behind, so what was written before
//! the fault stays readable. Must not: retry or buffer writes itself (the next check
//! writes the whole state again), or stop a check.

use prometheus::{IntCounterVec, IntGauge};
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

/// The writers counted, a closed set (the `writer` label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Writer {
    /// `state/NAME.json`.
    State,
    /// `state/history/NAME.jsonl`.
    History,
    /// `state/notify/` (tracker, outbox entries, kept revisions).
    Notifications,
}

impl Writer {
    pub const ALL: [Writer; 3] = [Writer::State, Writer::History, Writer::Notifications];

    pub fn as_str(self) -> &'static str {
        match self {
            Writer::State => "state",
            Writer::History => "history",
            Writer::Notifications => "notifications",
        }
    }
}

/// The health of the writes; shared by every check. Without metrics attached (the
/// `check` command) it only logs.
#[derive(Default)]
pub struct WriteHealth {
    failing: Mutex<BTreeSet<Writer>>,
    metrics: OnceLock<(IntCounterVec, IntGauge)>,
}

impl WriteHealth {
    pub fn new() -> WriteHealth {
        WriteHealth::default()
    }

    /// Exports through `errors` (`apidrift_state_write_errors_total{writer}`) and
    /// `writable` (`apidrift_state_writable`), both defined in `daemon::metrics`.
    pub fn attach(&self, errors: IntCounterVec, writable: IntGauge) {
        for w in Writer::ALL {
            errors.with_label_values(&[w.as_str()]);
        }
        writable.set(i64::from(self.writable()));
        let _ = self.metrics.set((errors, writable));
    }

    /// A write of `writer` failed with `error`; logged only if it worked before.
    pub fn failed(&self, writer: Writer, error: &dyn std::fmt::Display) {
        let Ok(mut f) = self.failing.lock() else {
            return;
        };
        if let Some((errors, writable)) = self.metrics.get() {
            errors.with_label_values(&[writer.as_str()]).inc();
            writable.set(0);
        }
        if f.insert(writer) {
            tracing::error!(writer = writer.as_str(), %error, "cannot write under the state directory; checks go on and retry the write (logged once until it works again)");
        }
    }

    /// A write of `writer` succeeded; logs the recovery once.
    pub fn ok(&self, writer: Writer) {
        let Ok(mut f) = self.failing.lock() else {
            return;
        };
        if f.remove(&writer) {
            tracing::info!(
                writer = writer.as_str(),
                "writing under the state directory works again"
            );
        }
        if f.is_empty()
            && let Some((_, writable)) = self.metrics.get()
        {
            writable.set(1);
        }
    }

    /// Whether every writer works.
    pub fn writable(&self) -> bool {
        self.failing.lock().map(|f| f.is_empty()).unwrap_or(false)
    }
}
