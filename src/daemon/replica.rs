//! One replica of a daemon sharing PostgreSQL (`store: postgres`): instead of one
//! scheduler task per monitor, a claim loop takes due checks from the database with a
//! lease, runs them through the same `Checker` and `Notifier` as the single process,
//! and writes each result back in one fenced transaction (`store::postgres`). A sync
//! loop reads what the other replicas wrote, so every replica's pages, API and metrics
//! show every integration; a delivery loop claims the outbox the same way.
//!
//! The state directory of a replica is a cache of the database: before a check the
//! integration's documents (state, notification tracker, remembered changes, history)
//! are written there from the database when they are newer, the unchanged file-based
//! check and notifier run on them, and what they wrote is read back and checked in.
//! A replica never writes an integration's row without holding its lease (or, for a
//! history line, its row lock).
//!
//! Failure model: the database unreachable → `apidrift_store_up` 0, `/readyz` 503, no
//! new claim (checks pause; a database outage is never a vendor result), a result
//! waiting to be checked in is retried until it is written or its lease was taken. A
//! replica killed mid-check: its lease runs out after `lease` and another replica
//! re-runs the check; a delivery sent but not settled is sent again (receivers dedupe
//! by the event id, as after a crash of a single process).
//!
//! Must not: diff, decide notifications, or write a row it does not hold.

use super::Shared;
use super::check::CheckReport;
use crate::monitor::Monitor;
use crate::monitor::store_config::PostgresSettings;
use crate::notify::{Deliver, OutboxEntry};
use crate::state::IntegrationState;
use crate::state::history::{HistoryRecord, Settled};
use crate::store::postgres::{
    CheckIn, CheckedIn, Claimed, ClaimedDelivery, Db, StoreError, spec_digest,
};
use chrono::{DateTime, Utc};
use prometheus::{Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How far back a sync reads again: a transaction that committed after a sync read
/// past its `updated_at` (statements time out after 15 s) is still seen.
const SYNC_OVERLAP: chrono::Duration = chrono::Duration::seconds(30);
/// Settled deliveries and unreferenced specs are kept this long in the database.
const KEEP_SETTLED: Duration = Duration::from_secs(7 * 24 * 3600);
const COLLECT_EVERY: Duration = Duration::from_secs(3600);
/// Deliveries one replica sends at once.
const DELIVERIES_AT_ONCE: usize = 8;
/// The longest one delivery may take (its lease is renewed meanwhile); then it is a
/// retryable failure, so a receiver that hangs never holds a row for ever.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(120);

/// The documents of one integration, by name in `docs` and file under `state/`.
#[derive(Debug, Clone, Copy)]
enum Doc {
    State,
    Tracker,
    Changes,
}

impl Doc {
    const ALL: [Doc; 3] = [Doc::State, Doc::Tracker, Doc::Changes];

    fn key(self) -> &'static str {
        match self {
            Doc::State => "state",
            Doc::Tracker => "tracker",
            Doc::Changes => "changes",
        }
    }
}

/// What this replica's cache directory holds of one integration: the row version its
/// document files were written at (only a check-out writes them; the sync keeps the
/// state in memory) and the last history id its history file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Cached {
    /// `None`: the files are not known to match any version.
    files: Option<i64>,
    /// The version the in-memory view was taken from (sync or own check-in).
    seen: Option<i64>,
    /// `None`: the history file is not known to match the database.
    history_last: Option<i64>,
}

struct ReplicaMetrics {
    up: IntGauge,
    errors: IntCounterVec,
    leases_lost: IntCounter,
    claim_delay: Histogram,
}

/// A replica: the pool, its metrics and its cache bookkeeping.
pub struct Replica {
    pub db: Db,
    settings: PostgresSettings,
    up: AtomicBool,
    metrics: ReplicaMetrics,
    cache: Mutex<HashMap<String, Cached>>,
    /// Integrations this replica is checking now (the sync leaves their files alone).
    checking: Mutex<HashSet<String>>,
    /// Integrations claimed once that this replica's configuration does not have: not
    /// claimed again until a reload configures them.
    unknown: Mutex<HashSet<String>>,
    /// Spec digests known to be in the database.
    specs_stored: Mutex<HashSet<String>>,
    /// Held while the cache directory of an integration is written from the database,
    /// so a sync (with rows read a moment ago) and a check-out (with the row just
    /// claimed) never interleave: the claim marks the integration as checking first,
    /// and the sync looks at that mark under this lock.
    cache_write: Mutex<()>,
    /// One email at a time per replica, as the single process sends them: the mailer
    /// keeps one pooled SMTP connection, and a relay may serve few at once. Webhooks
    /// go out concurrently.
    email: tokio::sync::Semaphore,
}

impl Replica {
    pub fn new(
        settings: &PostgresSettings,
        registry: &prometheus::Registry,
    ) -> Result<Replica, super::DaemonError> {
        let db = Db::connect(settings).map_err(super::DaemonError::Store)?;
        let up = IntGauge::new(
            "apidrift_store_up",
            "1 while the last round trip to the PostgreSQL store succeeded",
        )?;
        let errors = IntCounterVec::new(
            Opts::new(
                "apidrift_store_errors_total",
                "Failed operations on the PostgreSQL store, by operation",
            ),
            &["operation"],
        )?;
        let leases_lost = IntCounter::new(
            "apidrift_leases_lost_total",
            "Check results discarded because another replica had claimed the check since",
        )?;
        let claim_delay = Histogram::with_opts(
            HistogramOpts::new(
                "apidrift_claim_delay_seconds",
                "Time from a check's due time to its claim by a replica",
            )
            .buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0]),
        )?;
        for op in [
            "claim", "renew", "check_in", "sync", "deliver", "history", "migrate",
        ] {
            errors.with_label_values(&[op]);
        }
        registry.register(Box::new(up.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        registry.register(Box::new(leases_lost.clone()))?;
        registry.register(Box::new(claim_delay.clone()))?;
        Ok(Replica {
            db,
            settings: settings.clone(),
            up: AtomicBool::new(false),
            metrics: ReplicaMetrics {
                up,
                errors,
                leases_lost,
                claim_delay,
            },
            cache: Mutex::new(HashMap::new()),
            checking: Mutex::new(HashSet::new()),
            unknown: Mutex::new(HashSet::new()),
            specs_stored: Mutex::new(HashSet::new()),
            cache_write: Mutex::new(()),
            email: tokio::sync::Semaphore::new(1),
        })
    }

    /// Whether the database answered the last round trip.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::SeqCst)
    }

    fn ok(&self) {
        if !self.up.swap(true, Ordering::SeqCst) {
            tracing::info!(replica = %self.db.replica, "PostgreSQL store reachable; checks run");
        }
        self.metrics.up.set(1);
    }

    fn failed(&self, op: &str, e: &StoreError) {
        self.metrics.errors.with_label_values(&[op]).inc();
        self.metrics.up.set(0);
        if self.up.swap(false, Ordering::SeqCst) {
            tracing::error!(replica = %self.db.replica, operation = op, error = %e, "PostgreSQL store unreachable; checks pause until it answers (logged once)");
        } else {
            tracing::debug!(operation = op, error = %e, "PostgreSQL store still failing");
        }
    }

    /// Connects and migrates, retrying until the database answers or `stop` turns.
    pub async fn start(&self, stop: &mut watch::Receiver<bool>) -> bool {
        let mut wait = Duration::from_millis(200);
        loop {
            match self.db.migrate().await {
                Ok(applied) => {
                    if !applied.is_empty() {
                        tracing::info!(versions = ?applied, "database schema migrated");
                    }
                    self.ok();
                    return true;
                }
                Err(e) => self.failed("migrate", &e),
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return false,
            }
            wait = (wait * 2).min(Duration::from_secs(5));
        }
    }

    /// Adds rows for the configured integrations the database does not have yet, each
    /// first due at its next scheduled time.
    pub async fn ensure(&self, monitors: &[Monitor]) {
        let now = Utc::now();
        let due: Vec<(String, DateTime<Utc>)> = monitors
            .iter()
            .map(|m| {
                let at = super::schedule::next_fire(&m.cron, now, m.jitter, fastrand::f64())
                    .unwrap_or(now);
                (m.name.clone(), at)
            })
            .collect();
        match self.db.ensure(&due).await {
            Ok(n) if n > 0 => tracing::info!(added = n, "integrations added to the store"),
            Ok(_) => self.ok(),
            Err(e) => self.failed("claim", &e),
        }
    }

    fn paths(shared: &Shared, name: &str, d: Doc) -> PathBuf {
        match d {
            Doc::State => shared.checker.states.path(name),
            Doc::Tracker => shared.notifier.tracker_path(name),
            Doc::Changes => shared.notifier.changes_path(name),
        }
    }

    /// Writes `docs` into the cache directory.
    fn write_docs(shared: &Shared, name: &str, docs: &Value) -> std::io::Result<()> {
        for d in Doc::ALL {
            let path = Self::paths(shared, name, d);
            match docs.get(d.key()) {
                Some(Value::Null) | None => match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                },
                Some(v) => {
                    let bytes = serde_json::to_vec_pretty(v).map_err(std::io::Error::other)?;
                    write_cache_file(&path, &bytes)?;
                }
            }
        }
        Ok(())
    }

    /// Writes the history lines of `name` into the cache directory.
    fn write_history(shared: &Shared, name: &str, lines: &[String]) -> std::io::Result<()> {
        let mut text = String::new();
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        write_cache_file(&shared.checker.history.path(name), text.as_bytes())?;
        shared.checker.history.invalidate(name);
        Ok(())
    }

    /// The documents the check and the notifier left in the cache directory.
    fn collect_docs(shared: &Shared, name: &str) -> Value {
        let mut docs = serde_json::Map::new();
        for d in Doc::ALL {
            let v = match std::fs::read(Self::paths(shared, name, d)) {
                Ok(b) => serde_json::from_slice(&b)
                    .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&b).into())),
                Err(_) => Value::Null,
            };
            docs.insert(d.key().to_string(), v);
        }
        Value::Object(docs)
    }

    fn history_text(shared: &Shared, name: &str) -> String {
        std::fs::read_to_string(shared.checker.history.path(name)).unwrap_or_default()
    }

    /// The outbox entries the notifier left in the cache's outbox for `name`.
    fn local_outbox(shared: &Shared, name: &str) -> Vec<OutboxEntry> {
        shared
            .notifier
            .outbox()
            .pending()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.event.integration.name == name)
            .collect()
    }

    fn drop_local_outbox(shared: &Shared, entries: &[OutboxEntry]) {
        let dir = shared.notifier.outbox().dir().join("pending");
        for e in entries {
            let _ = std::fs::remove_file(dir.join(format!("{}.json", e.key)));
        }
    }

    /// Brings the cache of a claimed integration up to its row.
    async fn check_out(&self, shared: &Shared, c: &Claimed) -> Result<(), StoreError> {
        let cached = self.cached(&c.name);
        let history = if cached.history_last != Some(c.history_last) {
            Some(self.db.history(&c.name).await?)
        } else {
            None
        };
        if cached.files != Some(c.version)
            && let Some(digest) = kept_spec(&c.docs)
        {
            self.fetch_spec(shared, &digest).await;
        }
        let _w = self.cache_write.lock();
        let io = |e: std::io::Error| {
            StoreError::Corrupt(c.name.clone(), format!("cache directory: {e}"))
        };
        if cached.files != Some(c.version) {
            Self::write_docs(shared, &c.name, &c.docs).map_err(io)?;
        }
        if let Some(lines) = &history {
            Self::write_history(shared, &c.name, lines).map_err(io)?;
        }
        self.set_cached(
            &c.name,
            Cached {
                files: Some(c.version),
                seen: Some(c.version),
                history_last: Some(c.history_last),
            },
        );
        Ok(())
    }

    fn cached(&self, name: &str) -> Cached {
        self.cache
            .lock()
            .ok()
            .and_then(|m| m.get(name).copied())
            .unwrap_or_default()
    }

    fn set_cached(&self, name: &str, c: Cached) {
        if let Ok(mut m) = self.cache.lock() {
            m.insert(name.to_string(), c);
        }
    }

    /// Copies a kept spec from the database into the cache, if it is not there.
    async fn fetch_spec(&self, shared: &Shared, digest: &str) {
        // A look at the file, not a read: this runs for every row a sync takes.
        if shared.checker.specs.has(digest) {
            return;
        }
        if let Ok(Some(bytes)) = self.db.spec(digest).await
            && crate::baseline::digest(&bytes) == digest
        {
            let _ = shared.checker.specs.put(digest, &bytes);
            if let Ok(mut s) = self.specs_stored.lock() {
                s.insert(digest.to_string());
            }
        }
    }

    /// The spec to store with a check-in: the one compared, unless the database has it.
    async fn spec_to_store(
        &self,
        shared: &Shared,
        st: &IntegrationState,
    ) -> Option<(String, Vec<u8>)> {
        let digest = st.spec.as_ref()?.digest.clone();
        if self.specs_stored.lock().ok()?.contains(&digest) {
            return None;
        }
        let bytes = shared.checker.specs.get(&digest)?;
        if matches!(self.db.has_spec(&digest).await, Ok(true)) {
            self.specs_stored.lock().ok()?.insert(digest);
            return None;
        }
        Some((digest, bytes))
    }

    /// Runs one claimed check: cache, permits, check (its lease renewed meanwhile),
    /// notifier, check-in. Returns the report when it was written.
    async fn run_claimed(
        self: &Arc<Self>,
        shared: &Arc<Shared>,
        m: &Monitor,
        c: Claimed,
        stop: &watch::Receiver<bool>,
    ) -> Option<CheckReport> {
        // Renewed from the claim on: the check-out and the wait for a permit count
        // against the lease too. Never finishes: once the lease is lost it waits for
        // ever, and the check goes on to a check-in that the fence refuses.
        let renew = self.keep_lease(|| self.db.renew(&c.name, c.epoch), || {
            tracing::warn!(integration = %c.name, "lease lost while the check ran; its result will be discarded");
        });
        let work = async {
            if let Err(e) = self.check_out(shared, &c).await {
                self.failed("sync", &e);
                return None;
            }
            let history_before = Self::history_text(shared, &c.name);
            let permits = shared.acquire(m).await?;
            let report = Box::pin(shared.checker.check(m)).await;
            Some((history_before, permits, report))
        };
        let done = tokio::select! {
            r = work => r,
            never = renew => match never {},
        };
        let Some((history_before, permits, report)) = done else {
            let _ = self.db.release(&c.name, c.epoch).await;
            return None;
        };
        drop(permits);
        shared.record(m, report.clone());
        let docs = Self::collect_docs(shared, &c.name);
        let after = Self::history_text(shared, &c.name);
        let (history, rewrite) = match after.strip_prefix(history_before.as_str()) {
            Some(new) => (lines(new), false),
            // Retention rewrote the file: the whole history replaces the stored one.
            None => (lines(&after), true),
        };
        let outbox = Self::local_outbox(shared, &c.name);
        let spec = self.spec_to_store(shared, &report.state).await;
        let now = Utc::now();
        let next_due = super::schedule::next_fire(&m.cron, now, m.jitter, fastrand::f64())
            .unwrap_or(now + chrono::Duration::hours(24));
        let w = CheckIn {
            name: &c.name,
            epoch: c.epoch,
            docs,
            next_due,
            history,
            rewrite,
            history_seen: c.history_last,
            outbox,
            spec,
        };
        let mut wait = Duration::from_millis(100);
        let written = loop {
            match self.db.check_in(&w).await {
                Ok(r) => {
                    self.ok();
                    break Some(r);
                }
                Err(e) => {
                    self.failed("check_in", &e);
                    if *stop.borrow() {
                        break None;
                    }
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(2));
                }
            }
        };
        Self::drop_local_outbox(shared, &w.outbox);
        let spec_digest = w.spec.as_ref().map(|s| s.0.clone());
        match written {
            Some(CheckedIn::Written {
                version,
                history_last,
                others_wrote,
                outbox_added,
            }) => {
                if let (Some(d), Ok(mut s)) = (spec_digest, self.specs_stored.lock()) {
                    s.insert(d);
                }
                self.set_cached(
                    &c.name,
                    Cached {
                        files: Some(version),
                        seen: Some(version),
                        // Another writer's lines are missing here: the sync reads the
                        // history again.
                        history_last: (!others_wrote).then_some(history_last),
                    },
                );
                if !w.outbox.is_empty() {
                    tracing::debug!(integration = %c.name, enqueued = outbox_added, offered = w.outbox.len(), "outbox rows written");
                }
                Some(report)
            }
            Some(CheckedIn::LeaseLost) => {
                self.metrics.leases_lost.inc();
                tracing::warn!(integration = %c.name, replica = %self.db.replica, "another replica claimed this check meanwhile; its result is discarded");
                self.forget_cache(&c.name);
                None
            }
            None => {
                self.forget_cache(&c.name);
                None
            }
        }
    }

    fn forget_cache(&self, name: &str) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(name);
        }
    }

    fn set_checking(&self, name: &str, on: bool) {
        if let Ok(mut s) = self.checking.lock() {
            if on {
                s.insert(name.to_string());
            } else {
                s.remove(name);
            }
        }
    }

    /// A check requested through the API: claimed now unless another replica holds it.
    pub async fn check_requested(
        self: &Arc<Self>,
        shared: &Arc<Shared>,
        m: &Monitor,
    ) -> Result<CheckReport, String> {
        let claimed = match self.db.claim_now(&m.name).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Err(format!(
                    "a check of `{}` is running on another replica; try again in a moment",
                    m.name
                ));
            }
            Err(e) => {
                self.failed("claim", &e);
                return Err("the PostgreSQL store is unreachable".into());
            }
        };
        self.set_checking(&m.name, true);
        let (_tx, stop) = watch::channel(false);
        let r = self.run_claimed(shared, m, claimed, &stop).await;
        self.set_checking(&m.name, false);
        r.ok_or_else(|| "the check's result could not be written; it runs again".into())
    }

    /// Claims and runs due checks until `stop`.
    pub async fn claim_loop(
        self: Arc<Self>,
        shared: Arc<Shared>,
        mut stop: watch::Receiver<bool>,
        max_running: usize,
    ) {
        let mut running = tokio::task::JoinSet::new();
        let mut full = false;
        // After a full batch, the next claim waits for this many free slots (or for
        // `poll`): claims stay batched, and a replica behind schedule claims as fast as
        // its checks finish, not one batch per `poll` (16 per 500 ms fell behind 10,000
        // integrations at a 5-minute cadence: 33 due per second).
        let refill = (max_running / 4).max(1);
        'claiming: loop {
            // A batch that came back full: more are due; claim again as soon as there
            // is room rather than after `poll`.
            if !full {
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.poll) => {}
                    _ = stop.changed() => break,
                }
            } else if *stop.borrow() {
                break;
            }
            while running.try_join_next().is_some() {}
            // Claimed checks wait for a permit under their lease: never claim more than
            // can run, or the others' free slots would wait for this replica's.
            let deadline = tokio::time::Instant::now() + self.settings.poll;
            while max_running.saturating_sub(running.len()) < refill {
                tokio::select! {
                    Some(_) = running.join_next() => {}
                    _ = tokio::time::sleep_until(deadline), if running.len() < max_running => break,
                    _ = stop.changed() => break 'claiming,
                }
            }
            full = false;
            let free = max_running.saturating_sub(running.len());
            if free == 0 {
                continue;
            }
            // Not claimed: what this replica is checking, and the integrations it
            // found it does not know (until a reload configures them).
            let except: Vec<String> = {
                let Ok(ms) = shared.monitors.read() else {
                    continue;
                };
                let mut except = self.checking.lock().map(|c| c.clone()).unwrap_or_default();
                if let Ok(mut unknown) = self.unknown.lock() {
                    unknown.retain(|n| !ms.contains_key(n));
                    except.extend(unknown.iter().cloned());
                }
                except.into_iter().collect()
            };
            let claimed = match self.db.claim_due(&except, free as i64).await {
                Ok(c) => {
                    self.ok();
                    full = c.len() == free;
                    c
                }
                Err(e) => {
                    self.failed("claim", &e);
                    continue;
                }
            };
            for c in claimed {
                let m = shared
                    .monitors
                    .read()
                    .ok()
                    .and_then(|ms| ms.get(&c.name).cloned());
                let Some(m) = m else {
                    // Configured on another replica (a rollout in progress), or on none.
                    let _ = self.db.release(&c.name, c.epoch).await;
                    if let Ok(mut unknown) = self.unknown.lock() {
                        unknown.insert(c.name);
                    }
                    continue;
                };
                self.metrics.claim_delay.observe(c.delay.as_secs_f64());
                self.set_checking(&c.name, true);
                let me = self.clone();
                let shared = shared.clone();
                let stop = stop.clone();
                running.spawn(async move {
                    me.run_claimed(&shared, &m, c, &stop).await;
                    me.set_checking(&m.name, false);
                });
            }
        }
        // A check in flight finishes and checks in (bounded by shutdown_timeout).
        while running.join_next().await.is_some() {}
    }

    /// Reads what the other replicas wrote, until `stop`.
    pub async fn sync_loop(self: Arc<Self>, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
        let mut since: Option<DateTime<Utc>> = None;
        loop {
            match self.sync_once(&shared, since).await {
                Ok(t) => since = Some(t - SYNC_OVERLAP),
                Err(e) => self.failed("sync", &e),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.settings.sync) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// One sync pass; returns the database time it read at.
    pub async fn sync_once(
        &self,
        shared: &Shared,
        since: Option<DateTime<Utc>>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let (versions, at) = self.db.versions_since(since).await?;
        self.ok();
        // Only the rows this replica has not seen are read with their documents. The
        // state goes into memory (view, gauges); only a changed history is written to
        // the cache directory (pages and acknowledgements read it). The document files
        // are written by the check-out of the replica that checks next.
        let stale: Vec<String> = {
            let cache = self.cache.lock().map(|c| c.clone()).unwrap_or_default();
            let monitors = match shared.monitors.read() {
                Ok(m) => m,
                Err(_) => return Ok(at),
            };
            versions
                .into_iter()
                .filter(|(name, version, history_last)| {
                    let c = cache.get(name).copied().unwrap_or_default();
                    monitors.contains_key(name)
                        && (c.seen != Some(*version) || c.history_last != Some(*history_last))
                })
                .map(|(name, _, _)| name)
                .collect()
        };
        if stale.is_empty() {
            return Ok(at);
        }
        let rows = self.db.rows(&stale).await?;
        // The histories that changed since this replica last wrote them, in one read.
        let changed: Vec<String> = rows
            .iter()
            .filter(|r| self.cached(&r.name).history_last != Some(r.history_last))
            .map(|r| r.name.clone())
            .collect();
        let mut histories = self.db.histories(&changed).await?;
        for row in rows {
            if self.checking.lock().is_ok_and(|c| c.contains(&row.name)) {
                continue;
            }
            let history = histories.remove(&row.name);
            // The spec it was compared against, for dry-runs on this replica.
            if let Some(digest) = kept_spec(&row.docs) {
                self.fetch_spec(shared, &digest).await;
            }
            {
                let _w = self.cache_write.lock();
                // Checked again under the lock: a check of this integration may have
                // been claimed meanwhile; its check-out has the newer row.
                if self.checking.lock().is_ok_and(|c| c.contains(&row.name)) {
                    continue;
                }
                let mut now = self.cached(&row.name);
                if let Some(lines) = &history {
                    if let Err(e) = Self::write_history(shared, &row.name, lines) {
                        tracing::warn!(integration = %row.name, error = %e, "cannot write the cache directory");
                        continue;
                    }
                    now.history_last = Some(row.history_last);
                }
                now.seen = Some(row.version);
                self.set_cached(&row.name, now);
            }
            shared.adopt(&row.name, row.docs.get("state"), history.is_some());
        }
        Ok(at)
    }

    /// Delivers the outbox until `stop`: up to `DELIVERIES_AT_ONCE` deliveries at a
    /// time, each under its own lease, renewed while it is sent.
    pub async fn delivery_loop(
        self: Arc<Self>,
        shared: Arc<Shared>,
        mut stop: watch::Receiver<bool>,
    ) {
        let mut collected = tokio::time::Instant::now();
        let mut running = tokio::task::JoinSet::new();
        loop {
            while running.try_join_next().is_some() {}
            let free = DELIVERIES_AT_ONCE.saturating_sub(running.len());
            let mut full = false;
            if free > 0 {
                match self.db.claim_deliveries(free as i64).await {
                    Ok(batch) => {
                        self.ok();
                        full = batch.len() == free;
                        for d in batch {
                            let me = self.clone();
                            let shared = shared.clone();
                            running.spawn(async move { me.deliver_one(&shared, d).await });
                        }
                    }
                    Err(e) => self.failed("deliver", &e),
                }
            }
            if let Ok(n) = self.db.pending_deliveries().await {
                shared.notifier.set_pending(&n);
            }
            if collected.elapsed() >= COLLECT_EVERY {
                collected = tokio::time::Instant::now();
                match self
                    .db
                    .collect(KEEP_SETTLED, crate::state::specs::COLLECT_GRACE)
                    .await
                {
                    Ok((d, s)) if d + s > 0 => tracing::info!(
                        deliveries = d,
                        specs = s,
                        "old settled deliveries and unused specs removed from the store"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot collect the store"),
                }
            }
            if full {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.settings.poll) => {}
                _ = stop.changed() => break,
            }
        }
        // A delivery being sent finishes and is settled.
        while running.join_next().await.is_some() {}
    }

    /// Renews a lease every third of its length with `renew` until it is lost (then
    /// calls `lost` once). Never finishes: raced against the work the lease covers,
    /// which ends first; a lost lease lets the work finish into a refused write.
    async fn keep_lease<F, Fut>(&self, renew: F, lost: impl FnOnce()) -> std::convert::Infallible
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<bool, StoreError>>,
    {
        let mut tick = tokio::time::interval(self.settings.lease / 3);
        tick.tick().await;
        loop {
            tick.tick().await;
            match renew().await {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => self.failed("renew", &e),
            }
        }
        lost();
        std::future::pending().await
    }

    async fn deliver_one(&self, shared: &Shared, mut d: ClaimedDelivery) {
        d.entry.attempts += 1;
        let policy = shared.notifier.outbox().policy();
        let renew = self.keep_lease(|| self.db.renew_delivery(&d.entry.key, d.epoch), || {});
        let send = async {
            let _one = match d.entry.channel {
                crate::notify::Channel::Email => self.email.acquire().await.ok(),
                _ => None,
            };
            match tokio::time::timeout(
                DELIVERY_TIMEOUT,
                shared.notifier.dispatcher().deliver(&d.entry),
            )
            .await
            {
                Ok(r) => r,
                Err(_) => Err(crate::notify::DeliveryError::retryable(format!(
                    "no answer within {} s",
                    DELIVERY_TIMEOUT.as_secs()
                ))),
            }
        };
        let result = tokio::select! {
            r = send => r,
            never = renew => match never {},
        };
        let now = Utc::now();
        let (status, retry, error, settled) = match &result {
            Ok(()) => ("delivered", None, None, Some(Settled::Delivered)),
            Err(e) if e.permanent || d.entry.attempts >= policy.max_attempts => (
                "dead",
                None,
                Some(e.message.clone()),
                Some(Settled::DeadLettered),
            ),
            Err(e) => {
                let wait = policy.delay(d.entry.attempts);
                let at = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
                ("pending", Some(at), Some(e.message.clone()), None)
            }
        };
        let channel = d.entry.channel;
        match &result {
            Ok(()) => {
                shared.notifier.count(channel, "delivered");
                tracing::info!(channel = channel.as_str(), id = %d.entry.message_id, attempts = d.entry.attempts, replica = %self.db.replica, "notification delivered");
            }
            Err(e) => {
                shared.notifier.count(channel, "failed");
                if status == "dead" {
                    shared.notifier.count(channel, "dead_lettered");
                    shared.notifier.count_dead_letter(channel);
                    tracing::error!(channel = channel.as_str(), id = %d.entry.message_id, attempts = d.entry.attempts, error = %e, "notification dead-lettered");
                } else {
                    tracing::warn!(channel = channel.as_str(), id = %d.entry.message_id, attempts = d.entry.attempts, error = %e, "notification failed; will retry");
                }
            }
        }
        let mut wait = Duration::from_millis(100);
        loop {
            match self
                .db
                .settle_delivery(&d, status, retry, error.as_deref())
                .await
            {
                Ok(true) => break,
                Ok(false) => {
                    tracing::warn!(id = %d.entry.message_id, "delivery lease lost before it was settled; another replica may send it again (receivers dedupe by id)");
                    return;
                }
                Err(e) => {
                    self.failed("deliver", &e);
                    if wait > self.settings.lease {
                        // The lease is gone by now: another replica retries it.
                        return;
                    }
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
            }
        }
        if let Some(result) = settled {
            let rec = super::notifier::settled_record(&d.entry, now, result, error.as_deref());
            self.append_history(&d.entry.event.integration.name, &[rec])
                .await;
        }
    }

    /// Appends history records outside a check (acknowledgements, settled deliveries).
    pub async fn append_history(&self, name: &str, records: &[HistoryRecord]) -> bool {
        let lines: Vec<String> = records
            .iter()
            .filter_map(|r| serde_json::to_string(r).ok())
            .collect();
        match self.db.append_history(name, &lines).await {
            Ok(()) => true,
            Err(e) => {
                self.failed("history", &e);
                tracing::warn!(integration = %name, error = %e, "cannot record in the history");
                false
            }
        }
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Writes a file of the cache directory: whole (temp file, rename) but not fsynced,
/// since the database is the copy that must survive; a cache file lost to a crash is
/// written again at the next check-out.
fn write_cache_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("cache-{}.tmp", fastrand::u32(..)));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The digest of the spec a state was compared with, when a cache should hold it: a
/// spec identical to its baseline is kept by no one (the baseline has its bytes; see
/// `daemon::check`), so asking the database for it would find nothing, on every sync
/// of every such row (74,000 empty lookups in 15 minutes at 10,000 integrations).
fn kept_spec(docs: &Value) -> Option<String> {
    let digest = spec_digest(docs)?;
    let baseline = docs
        .pointer("/state/spec/compared_with")
        .and_then(Value::as_str);
    (baseline != Some(digest.as_str())).then_some(digest)
}

#[cfg(test)]
mod tests {
    use super::kept_spec;
    use serde_json::json;

    #[test]
    fn only_a_spec_that_differs_from_its_baseline_is_fetched_for_the_cache() {
        let docs = |digest: &str, baseline: &str| json!({"state": {"spec": {"digest": digest, "compared_with": baseline}}});
        assert_eq!(
            kept_spec(&docs("sha256:b", "sha256:a")),
            Some("sha256:b".into())
        );
        assert_eq!(kept_spec(&docs("sha256:a", "sha256:a")), None);
        assert_eq!(kept_spec(&json!({"state": null})), None);
        // An older state without `compared_with`: fetched, as before.
        assert_eq!(
            kept_spec(&json!({"state": {"spec": {"digest": "sha256:b"}}})),
            Some("sha256:b".into())
        );
    }
}
