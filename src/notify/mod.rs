//! Notifications: the versioned event, email, signed webhooks, local commands, and the
//! persistent outbox that delivers them at least once.
//!
//! Owns: `Event` (the webhook payload and the source of every email), the HMAC signature
//! (`webhook::sign` / `webhook::verify`), email rendering and SMTP sending (`email`),
//! running `notify.command` (`command`), the on-disk `Outbox` with retries, backoff and
//! dead letters, the `Tracker` that decides when to notify (dedup on the set of change
//! fingerprints, reminders, failing/recovered), and the notification metrics.
//!
//! Must not: decide what is drift (the daemon and `impact` do), fetch anything from a
//! vendor, or carry a credential or a response value in any payload, log line or file.
//! Everything here is a library: the daemon wires it in and owns the metrics registry.

pub mod command;
pub mod dispatch;
pub mod email;
pub mod event;
pub mod mail;
pub mod metrics;
pub mod outbox;
pub mod secret;
pub mod tracker;
pub mod webhook;

pub use dispatch::{Dispatcher, Routes, destinations, enqueue_notice};
pub use event::{
    ChangeTouch, Event, EventChange, EventKind, IntegrationRef, OperationFragment, Remediation,
};
pub use metrics::NotifyMetrics;
pub use outbox::{
    Channel, Deliver, DeliveryError, Outbox, OutboxEntry, RetryPolicy, SettleObserver,
};
pub use secret::{Secret, SecretSource};
pub use tracker::{DriftObservation, Notice, NoticeKind, Tracker, TrackerPolicy};

use std::path::Path;

/// Writes `bytes` to `path` atomically (see `crate::atomic::write`).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::atomic::write(path, bytes)
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
