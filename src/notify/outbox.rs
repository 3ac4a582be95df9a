//! The persistent outbox: every pending email, webhook and command delivery is a file
//! until it is acknowledged or dead-lettered.
//!
//! Layout under the outbox directory (e.g. `state/outbox/`):
//! - `pending/<key>.json`: an `OutboxEntry` waiting for its next attempt;
//! - `acked/<key>.json`: a small marker written when the receiver acknowledged it;
//! - `dead/<key>.json`: the entry after the retry limit (or a permanent error).
//! - `corrupt/<file>`: a file found under `pending/` or `dead/` that is not an entry
//!   (truncated, foreign); moved there once, with one error naming it, for a human.
//!
//! `key` is SHA-256 of (channel, message id, destination), so `enqueue` is idempotent:
//! an entry already pending, acknowledged or dead is never enqueued again. Every write
//! is atomic (temp file, fsync, rename). The ack marker is written *before* the pending
//! file is removed, and a pending entry whose marker exists is dropped unsent, so a crash
//! at any point loses nothing and never re-sends what was acknowledged. The settle
//! observer is told before the pending file goes, so a crash never loses that either.
//!
//! Must not: hold a secret (entries carry the event and the destination's name or
//! address, never a password or signing key), or run two drainers on one directory.

use super::event::Event;
use super::metrics::NotifyMetrics;
use super::tracker::NoticeKind;
use super::{sha256_hex, write_atomic};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How a notification travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Webhook,
    Command,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
            Channel::Command => "command",
        }
    }
}

/// One delivery to one destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub key: String,
    pub channel: Channel,
    /// Webhook or command name, or the recipient addresses (comma-separated) of an email.
    pub destination: String,
    /// The event id, or `<event id>.reminder-<n>` for a reminder.
    pub message_id: String,
    pub notice: NoticeKind,
    pub event: Event,
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct AckMarker {
    key: String,
    channel: Channel,
    message_id: String,
    acked_at: DateTime<Utc>,
}

/// Why one attempt failed. The message names the destination and the kind of failure,
/// never a secret or a body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DeliveryError {
    pub message: String,
    /// A permanent failure (bad config, rejected recipient) is dead-lettered at once.
    pub permanent: bool,
}

impl DeliveryError {
    pub fn retryable(message: impl Into<String>) -> DeliveryError {
        DeliveryError {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> DeliveryError {
        DeliveryError {
            message: message.into(),
            permanent: true,
        }
    }
}

/// Told when an entry is settled: delivered (acknowledged) or dead-lettered. The daemon
/// records it in the drift history. Called after the outcome is on disk; a crash just
/// after an acknowledgement calls `delivered` again on the next pass (callers dedupe).
pub trait SettleObserver: Send + Sync {
    fn delivered(&self, entry: &OutboxEntry, at: DateTime<Utc>);
    fn dead_lettered(&self, entry: &OutboxEntry, at: DateTime<Utc>, error: &str);
}

/// Sends one entry. Implemented by `Dispatcher` (email, webhooks, commands) and by tests.
pub trait Deliver {
    fn deliver(
        &self,
        entry: &OutboxEntry,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send;
}

/// Retries: attempt `n` (1-based) that fails waits `min(base * 2^(n-1), max_delay)`,
/// shortened by a random share up to `jitter` (0..1) so many failures do not retry in
/// lockstep. After `max_attempts` failed attempts the entry is dead-lettered.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub max_delay: Duration,
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base: Duration::from_secs(10),
            max_delay: Duration::from_secs(3600),
            jitter: 0.2,
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(30);
        let raw = self.base.saturating_mul(1u32 << exp).min(self.max_delay);
        let j = self.jitter.clamp(0.0, 1.0) * fastrand::f64();
        raw.mul_f64(1.0 - j)
    }
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DrainReport {
    pub delivered: usize,
    pub failed: usize,
    pub dead_lettered: usize,
    /// Entries found already acknowledged (a crash after the ack) and dropped unsent.
    pub already_acked: usize,
}

/// The outbox over one directory.
#[derive(Clone)]
pub struct Outbox {
    dir: PathBuf,
    policy: RetryPolicy,
    metrics: Option<NotifyMetrics>,
    observer: Option<std::sync::Arc<dyn SettleObserver>>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("dir", &self.dir)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Outbox {
    /// Opens (creating) the outbox directory.
    pub fn open(dir: impl Into<PathBuf>, policy: RetryPolicy) -> io::Result<Outbox> {
        let dir = dir.into();
        for sub in ["pending", "acked", "dead"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        Ok(Outbox {
            dir,
            policy,
            metrics: None,
            observer: None,
        })
    }

    /// Tells `observer` about every delivered or dead-lettered entry.
    pub fn with_observer(mut self, observer: std::sync::Arc<dyn SettleObserver>) -> Outbox {
        self.observer = Some(observer);
        self
    }

    /// Counts deliveries and keeps `apidrift_outbox_pending` in step.
    pub fn with_metrics(mut self, metrics: NotifyMetrics) -> Outbox {
        self.metrics = Some(metrics);
        let _ = self.refresh_pending_gauge();
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// The metrics this outbox counts into (the PostgreSQL outbox counts into them too).
    pub fn metrics(&self) -> Option<&NotifyMetrics> {
        self.metrics.as_ref()
    }

    /// The key of (channel, message id, destination).
    pub fn key(channel: Channel, message_id: &str, destination: &str) -> String {
        sha256_hex(format!("{}\n{message_id}\n{destination}", channel.as_str()).as_bytes())
    }

    fn path(&self, sub: &str, key: &str) -> PathBuf {
        self.dir.join(sub).join(format!("{key}.json"))
    }

    /// Adds a delivery unless the same (channel, message id, destination) is already
    /// pending, acknowledged or dead. Returns whether it was added.
    pub fn enqueue(
        &self,
        channel: Channel,
        destination: &str,
        message_id: &str,
        notice: NoticeKind,
        event: &Event,
        now: DateTime<Utc>,
    ) -> io::Result<bool> {
        let key = Outbox::key(channel, message_id, destination);
        if ["pending", "acked", "dead"]
            .iter()
            .any(|s| self.path(s, &key).exists())
        {
            return Ok(false);
        }
        let entry = OutboxEntry {
            key: key.clone(),
            channel,
            destination: destination.to_string(),
            message_id: message_id.to_string(),
            notice,
            event: event.clone(),
            attempts: 0,
            created_at: now,
            next_attempt_at: now,
            last_error: None,
        };
        write_atomic(&self.path("pending", &key), &to_json(&entry))?;
        let _ = self.refresh_pending_gauge();
        Ok(true)
    }

    /// Pending entries, oldest first (then by key), skipping unreadable files.
    pub fn pending(&self) -> io::Result<Vec<OutboxEntry>> {
        self.read_dir("pending")
    }

    /// Dead-lettered entries, oldest first.
    pub fn dead_letters(&self) -> io::Result<Vec<OutboxEntry>> {
        self.read_dir("dead")
    }

    /// Whether (channel, message id, destination) was acknowledged.
    pub fn is_acked(&self, channel: Channel, message_id: &str, destination: &str) -> bool {
        self.path("acked", &Outbox::key(channel, message_id, destination))
            .exists()
    }

    fn read_dir(&self, sub: &str) -> io::Result<Vec<OutboxEntry>> {
        let mut out = Vec::new();
        let rd = match std::fs::read_dir(self.dir.join(sub)) {
            // Deleted under the running daemon: nothing is there, and the next write
            // creates the directory again.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            r => r?,
        };
        for e in rd {
            let p = e?.path();
            if p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            // A corrupt file cannot come from our atomic writes; it is moved aside for
            // a human rather than deleted, re-read on every pass, or allowed to stop
            // every other delivery.
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            match serde_json::from_slice::<OutboxEntry>(&bytes) {
                Ok(entry) => out.push(entry),
                Err(e) => self.quarantine(&p, &e),
            }
        }
        out.sort_by(|a, b| (a.created_at, &a.key).cmp(&(b.created_at, &b.key)));
        Ok(out)
    }

    /// Moves a file that is not an entry to `corrupt/`, logging it once.
    fn quarantine(&self, p: &Path, why: &serde_json::Error) {
        let dir = self.dir.join("corrupt");
        let to = dir.join(p.file_name().unwrap_or_default());
        match std::fs::create_dir_all(&dir).and_then(|()| std::fs::rename(p, &to)) {
            Ok(()) => tracing::error!(
                file = %p.display(),
                moved_to = %to.display(),
                error = %why,
                "outbox file is not an entry; moved aside, the other deliveries go on"
            ),
            Err(e) => tracing::warn!(
                file = %p.display(),
                error = %e,
                "outbox file is not an entry and cannot be moved aside; skipped"
            ),
        }
    }

    /// The earliest `next_attempt_at` of a pending entry.
    pub fn next_due(&self) -> io::Result<Option<DateTime<Utc>>> {
        Ok(self.pending()?.iter().map(|e| e.next_attempt_at).min())
    }

    /// One pass: attempts every entry due at `now`, in order.
    pub async fn drain_once<D: Deliver>(
        &self,
        d: &D,
        now: DateTime<Utc>,
    ) -> io::Result<DrainReport> {
        let mut report = DrainReport::default();
        for mut entry in self.pending()? {
            if entry.next_attempt_at > now {
                continue;
            }
            let pending_path = self.path("pending", &entry.key);
            let acked_path = self.path("acked", &entry.key);
            if acked_path.exists() {
                // Told before the pending file goes: a kill in between tells it again
                // on the next pass (observers dedupe), never not at all.
                if let Some(o) = &self.observer {
                    o.delivered(&entry, now);
                }
                remove_if_exists(&pending_path)?;
                report.already_acked += 1;
                continue;
            }
            entry.attempts += 1;
            match d.deliver(&entry).await {
                Ok(()) => {
                    let marker = AckMarker {
                        key: entry.key.clone(),
                        channel: entry.channel,
                        message_id: entry.message_id.clone(),
                        acked_at: now,
                    };
                    write_atomic(&acked_path, &to_json(&marker))?;
                    // The observer before the pending file goes (see above).
                    if let Some(o) = &self.observer {
                        o.delivered(&entry, now);
                    }
                    remove_if_exists(&pending_path)?;
                    self.count(entry.channel, "delivered");
                    report.delivered += 1;
                    tracing::info!(channel = entry.channel.as_str(), id = %entry.message_id, attempts = entry.attempts, "notification delivered");
                }
                Err(err) => {
                    self.count(entry.channel, "failed");
                    report.failed += 1;
                    entry.last_error = Some(err.message.clone());
                    if err.permanent || entry.attempts >= self.policy.max_attempts {
                        write_atomic(&self.path("dead", &entry.key), &to_json(&entry))?;
                        remove_if_exists(&pending_path)?;
                        if let Some(o) = &self.observer {
                            o.dead_lettered(&entry, now, &err.message);
                        }
                        self.count(entry.channel, "dead_lettered");
                        if let Some(m) = &self.metrics {
                            m.outbox_dead_letters_total
                                .with_label_values(&[entry.channel.as_str()])
                                .inc();
                        }
                        report.dead_lettered += 1;
                        tracing::error!(channel = entry.channel.as_str(), id = %entry.message_id, attempts = entry.attempts, error = %err, "notification dead-lettered");
                    } else {
                        let wait = self.policy.delay(entry.attempts);
                        entry.next_attempt_at =
                            now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
                        write_atomic(&pending_path, &to_json(&entry))?;
                        tracing::warn!(channel = entry.channel.as_str(), id = %entry.message_id, attempts = entry.attempts, retry_in = ?wait, error = %err, "notification failed; will retry");
                    }
                }
            }
        }
        let _ = self.refresh_pending_gauge();
        Ok(report)
    }

    /// Drains until `shutdown` resolves: one pass, then sleeps until the next entry is
    /// due (at most `poll` so newly enqueued entries are picked up).
    pub async fn run<D: Deliver>(&self, d: &D, poll: Duration, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        // A pass that fails (a full or read-only disk) fails every `poll`: logged when
        // it starts failing and when it works again, not on every pass.
        let mut failing = false;
        loop {
            match self.drain_once(d, Utc::now()).await {
                Err(e) if !failing => {
                    failing = true;
                    tracing::error!(error = %e, "outbox pass failed; retrying every pass (logged once until one works)");
                }
                Err(e) => tracing::debug!(error = %e, "outbox pass failed again"),
                Ok(_) if failing => {
                    failing = false;
                    tracing::info!("outbox passes work again");
                }
                Ok(_) => {}
            }
            let wait = match self.next_due() {
                Ok(Some(t)) => (t - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(poll),
                _ => poll,
            };
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(wait.max(Duration::from_millis(10))) => {}
            }
        }
    }

    /// Removes ack markers older than `before` (they only guard against a re-enqueue of
    /// the same message id, which the `Tracker` already prevents once it has committed).
    pub fn prune_acked(&self, before: DateTime<Utc>) -> io::Result<usize> {
        let mut n = 0;
        let rd = match std::fs::read_dir(self.dir.join("acked")) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            r => r?,
        };
        for e in rd {
            let p = e?.path();
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            if let Ok(m) = serde_json::from_slice::<AckMarker>(&bytes)
                && m.acked_at < before
            {
                remove_if_exists(&p)?;
                n += 1;
            }
        }
        Ok(n)
    }

    fn count(&self, channel: Channel, result: &str) {
        if let Some(m) = &self.metrics {
            m.notifications_total
                .with_label_values(&[channel.as_str(), result])
                .inc();
        }
    }

    fn refresh_pending_gauge(&self) -> io::Result<()> {
        let Some(m) = &self.metrics else {
            return Ok(());
        };
        let pending = self.pending()?;
        for c in [Channel::Email, Channel::Webhook, Channel::Command] {
            let n = pending.iter().filter(|e| e.channel == c).count();
            m.outbox_pending
                .with_label_values(&[c.as_str()])
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        Ok(())
    }
}

fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    // Plain data (strings, numbers, timestamps, `Value`) always serializes.
    serde_json::to_vec_pretty(v).unwrap_or_default()
}

fn remove_if_exists(p: &Path) -> io::Result<()> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_is_capped_and_jittered_down_only() {
        let p = RetryPolicy {
            max_attempts: 5,
            base: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
            jitter: 0.5,
        };
        for _ in 0..50 {
            let d1 = p.delay(1);
            assert!(d1 <= Duration::from_secs(1) && d1 >= Duration::from_millis(500));
            let d3 = p.delay(3);
            assert!(d3 <= Duration::from_secs(4) && d3 >= Duration::from_secs(2));
            assert!(p.delay(40) <= Duration::from_secs(10));
        }
    }
}
