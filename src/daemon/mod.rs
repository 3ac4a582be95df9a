//! The daemon: a scheduler task per monitor (cron + jitter), concurrency bounded
//! globally and per vendor host, reload on request (SIGHUP) or when the monitors
//! directory changes, a check against each new approval in the baselines directory
//! (`watch_approvals`), graceful shutdown, and the HTTP server (`http`).
//!
//! `run(listener, config, shutdown, reload)` takes its listener and its signals as
//! arguments, so tests drive it on `127.0.0.1:0` with any future as the stop signal.
//! Shutdown order: not ready → every scheduler stops at its next safe point (a check
//! in flight finishes and saves its state) → wait up to `shutdown_timeout` → stop HTTP.
//!
//! Must not: contain diff logic, or let one check's error reach the scheduler (a check
//! never fails; a fault is `failing{reason}` in its state).

pub mod auth;
pub mod check;
pub mod control;
pub mod disk;
pub mod http;
pub mod mcp;
pub mod metrics;
pub mod notifier;
pub mod replica;
pub mod schedule;
pub mod visibility;

use crate::baseline::Record;
use crate::monitor::{self, Config, Monitor};
use crate::state::{Event, IntegrationState};
use check::{CheckReport, Checker};
use chrono::Utc;
use metrics::Metrics;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot, watch};
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error("cannot build the HTTP client: {0}")]
    Fetch(#[from] crate::fetch::FetchError),
    #[error(transparent)]
    Metrics(#[from] metrics::MetricsError),
    #[error("HTTP server: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Notify(#[from] notifier::NotifierError),
    #[error(transparent)]
    State(#[from] crate::state::StateError),
    #[error(transparent)]
    Token(#[from] auth::TokenError),
    #[error(transparent)]
    Store(crate::store::postgres::StoreError),
    #[error("metrics: {0}")]
    Prometheus(#[from] prometheus::Error),
}

/// What the scheduler tasks and the HTTP handlers share.
pub struct Shared {
    pub checker: Checker,
    pub metrics: Metrics,
    /// Decides and enqueues notifications after each check (see `notifier`).
    pub notifier: notifier::Notifier,
    monitors: RwLock<BTreeMap<String, Monitor>>,
    states: RwLock<BTreeMap<String, IntegrationState>>,
    baselines: RwLock<BTreeMap<String, Option<Record>>>,
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    ready: AtomicBool,
    /// The API's tokens (digests only) and whether reads need one.
    pub tokens: auth::Tokens,
    /// Checks running now, by integration: a second request joins the first.
    inflight: Mutex<HashMap<String, control::InFlight>>,
    /// When each integration was last checked on request (`api.check_interval`).
    requested: Mutex<HashMap<String, std::time::Instant>>,
    check_interval: Duration,
    /// Checks started by the API, awaited at shutdown like the scheduler's.
    api_tasks: Mutex<Vec<JoinHandle<()>>>,
    /// The current acknowledgement of each integration (the history has them all).
    acks: RwLock<BTreeMap<String, control::Ack>>,
    /// Where people reach the pages (`external_url`).
    page_base: String,
    /// With `store: postgres`: this replica (claims, sync, outbox); unset with files.
    replica: std::sync::OnceLock<Arc<replica::Replica>>,
}

/// Permits held while a check runs.
struct Permits {
    _global: OwnedSemaphorePermit,
    _host: Option<OwnedSemaphorePermit>,
}

impl Shared {
    fn new(config: &Config) -> Result<Shared, DaemonError> {
        let metrics = Metrics::new()?;
        metrics.set_external_url(&config.page_base());
        let checker = Checker::new(config)?;
        metrics.attach_write_health(&checker.writes);
        let notifier = notifier::Notifier::new(
            config,
            metrics.registry(),
            checker.history.clone(),
            checker.writes.clone(),
        )?;
        Ok(Shared {
            checker,
            metrics,
            notifier,
            monitors: RwLock::new(BTreeMap::new()),
            states: RwLock::new(BTreeMap::new()),
            baselines: RwLock::new(BTreeMap::new()),
            global: Arc::new(Semaphore::new(config.max_concurrency.max(1))),
            per_host: config.max_per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
            ready: AtomicBool::new(false),
            tokens: auth::Tokens::resolve(&config.api)?,
            inflight: Mutex::new(HashMap::new()),
            requested: Mutex::new(HashMap::new()),
            check_interval: config.api.check_interval,
            api_tasks: Mutex::new(Vec::new()),
            acks: RwLock::new(BTreeMap::new()),
            page_base: config.page_base(),
            replica: std::sync::OnceLock::new(),
        })
    }

    /// Takes another replica's result for `name` (read from PostgreSQL into the cache
    /// directory): the view, the gauges and the acknowledgement follow it.
    fn adopt(&self, name: &str, state: Option<&Value>, history_changed: bool) {
        if !self.monitors.read().is_ok_and(|m| m.contains_key(name)) {
            return;
        }
        let st = state
            .filter(|v| !v.is_null())
            .and_then(|v| serde_json::from_value::<IntegrationState>(v.clone()).ok())
            .unwrap_or_else(|| IntegrationState::new(name));
        let b = self.checker.baselines.record(name).ok().flatten();
        self.metrics.register(name, &st, b.as_ref());
        if history_changed {
            self.reload_ack(name);
        }
        let acked = self.active_ack(name, Some(&st), Utc::now()).is_some();
        self.metrics.set_acknowledged(name, acked);
        if let Ok(mut bs) = self.baselines.write() {
            bs.insert(name.to_string(), b);
        }
        if let Ok(mut s) = self.states.write() {
            s.insert(name.to_string(), st);
        }
    }

    async fn acquire(&self, m: &Monitor) -> Option<Permits> {
        let global = self.global.clone().acquire_owned().await.ok()?;
        let host = match m.source.host() {
            Some(h) => {
                let sem = {
                    let mut hosts = self.hosts.lock().ok()?;
                    hosts
                        .entry(h)
                        .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
                        .clone()
                };
                Some(sem.acquire_owned().await.ok()?)
            }
            None => None,
        };
        Some(Permits {
            _global: global,
            _host: host,
        })
    }

    /// Records a finished check: metrics, the in-memory view, and the events.
    fn record(&self, m: &Monitor, r: CheckReport) {
        // A monitor removed while its check ran: the state file is saved, but its
        // series and view are gone and must not come back.
        let configured = self
            .monitors
            .read()
            .is_ok_and(|ms| ms.contains_key(&r.integration));
        if !configured {
            return;
        }
        let now = Utc::now();
        let acked = self.active_ack(&m.name, Some(&r.state), now).is_some();
        self.notifier.on_check(
            m,
            &r,
            acked,
            self.last_ack(&m.name).map(|a| (a.drift, a.ack)),
        );
        self.metrics.observe(&r);
        self.metrics.set_acknowledged(&m.name, acked);
        for e in &r.events {
            log_event(m, e);
        }
        if let Ok(mut b) = self.baselines.write() {
            b.insert(r.integration.clone(), r.baseline.clone());
        }
        if let Ok(mut s) = self.states.write() {
            s.insert(r.integration.clone(), r.state);
        }
    }

    /// Every integration as `/api/v1/integrations` shows it, sorted by name.
    pub fn views(&self) -> Vec<Value> {
        let (Ok(monitors), Ok(states), Ok(baselines)) = (
            self.monitors.read(),
            self.states.read(),
            self.baselines.read(),
        ) else {
            return Vec::new();
        };
        monitors
            .values()
            .map(|m| {
                let st = states.get(&m.name);
                let b = baselines.get(&m.name).and_then(Option::as_ref);
                let mut v = view(m, st, b);
                v["acknowledged"] = self.ack_json(&m.name, st);
                v
            })
            .collect()
    }

    /// The unaccepted changes of `name`, or `None` for an unknown integration.
    pub fn changes(&self, name: &str) -> Option<Value> {
        if !self.monitors.read().ok()?.contains_key(name) {
            return None;
        }
        let states = self.states.read().ok()?;
        let baselines = self.baselines.read().ok()?;
        let st = states.get(name);
        Some(json!({
            "integration": name,
            "status": st.map(|s| s.status.as_str()).unwrap_or("unknown"),
            "baseline": baselines.get(name).and_then(Option::as_ref).map(|b| &b.digest),
            "spec": st.and_then(|s| s.spec.as_ref()).map(|s| &s.digest),
            "changes": st.map(visibility::annotated_changes).unwrap_or_default(),
            "verdict": st.and_then(|s| s.visibility.as_ref()).map(|v| &v.verdict),
            "acknowledged": self.ack_json(name, st),
        }))
    }

    /// The `/` page for `query`.
    pub fn status_html(&self, query: &crate::web::Query) -> String {
        let (Ok(monitors), Ok(states)) = (self.monitors.read(), self.states.read()) else {
            return String::new();
        };
        let rows: Vec<crate::web::Row> = monitors
            .values()
            .map(|m| crate::web::Row::of(m, states.get(&m.name)))
            .collect();
        crate::web::status_page(&rows, query, Utc::now())
    }

    /// What the integration page of `name` shows from memory (monitor, state, current
    /// baseline), or `None` for an unknown integration. Copied out so that no lock is
    /// held while the history and the baseline log are read.
    fn snapshot(&self, name: &str) -> Option<(Monitor, IntegrationState, Option<Record>)> {
        let m = self.monitors.read().ok()?.get(name)?.clone();
        let st = self
            .states
            .read()
            .ok()?
            .get(name)
            .cloned()
            .unwrap_or_else(|| IntegrationState::new(name));
        let b = self.baselines.read().ok()?.get(name).cloned().flatten();
        Some((m, st, b))
    }

    /// The integration page of `name` (reads its history and baseline log), or `None`
    /// for an unknown integration.
    pub fn integration_html(&self, name: &str) -> Option<String> {
        let (m, st, b) = self.snapshot(name)?;
        let now = Utc::now();
        let history = match self.checker.history.load(name, now) {
            Ok(h) => Some(h),
            Err(e) => {
                tracing::warn!(integration = %name, error = %e, "cannot read history");
                None
            }
        };
        let log = self.checker.baselines.log(name).unwrap_or_default();
        Some(crate::web::integration_page(&crate::web::IntegrationPage {
            monitor: &m,
            state: &st,
            baseline: b.as_ref(),
            log: &log,
            history: history.as_ref(),
            now,
        }))
    }

    /// The history of `name` as `/api/v1/integrations/NAME/history` shows it, or
    /// `None` for an unknown integration.
    pub fn history(&self, name: &str) -> Option<Result<Value, std::io::Error>> {
        if !self.monitors.read().ok()?.contains_key(name) {
            return None;
        }
        Some(history_json(&self.checker.history, name, Utc::now()))
    }

    /// The preflight answer of `name`, or `None` for an unknown integration.
    pub fn preflight(&self, name: &str) -> Option<crate::impact::Preflight> {
        let monitors = self.monitors.read().ok()?;
        let m = monitors.get(name)?;
        let states = self.states.read().ok()?;
        Some(visibility::preflight(m, states.get(name)))
    }
}

/// One integration's summary (also used by `apidrift check --format json`).
pub fn view(m: &Monitor, st: Option<&IntegrationState>, b: Option<&Record>) -> Value {
    let fresh = IntegrationState::new(&m.name);
    let st = st.unwrap_or(&fresh);
    json!({
        "name": m.name,
        "owner": m.owner,
        "source": m.source.display(),
        "schedule": m.schedule,
        "status": st.status.as_str(),
        "last_result": st.last_result.map(|r| r.as_str()),
        "last_check": st.last_check,
        "last_success": st.last_success,
        "baseline": b.map(|b| json!({
            "digest": b.digest,
            "accepted_at": b.accepted_at,
            "by": b.by,
            "reason": b.reason,
        })),
        "spec_digest": st.spec.as_ref().map(|s| &s.digest),
        "counts": st.counts(),
        "drift": st.drift,
        "failure": st.failure,
        "verdict": st.visibility.as_ref().map(visibility::summary),
        "preflight": (!m.visibility.is_empty()).then(|| visibility::preflight(m, Some(st))),
    })
}

/// The history document of `name` (also `apidrift history --format json`): the folded
/// episodes and failing periods, newest first, the blind durations and the retention.
pub fn history_json(
    store: &crate::state::history::Store,
    name: &str,
    now: chrono::DateTime<Utc>,
) -> Result<Value, std::io::Error> {
    let h = store.load(name, now)?;
    let p = store.policy();
    let mut v = serde_json::to_value(&h).map_err(std::io::Error::other)?;
    v["retention"] = json!({
        "max_age_seconds": p.max_age.as_secs(),
        "max_episodes": p.max_episodes,
    });
    Ok(v)
}

fn log_event(m: &Monitor, e: &Event) {
    match e {
        Event::DriftConfirmed { drift, changes } => {
            tracing::warn!(integration = %m.name, owner = ?m.owner, drift, changes, "drift confirmed")
        }
        Event::DriftResolved { drift } => {
            tracing::info!(integration = %m.name, drift, "drift resolved")
        }
        Event::Failing { reason } => {
            tracing::warn!(integration = %m.name, %reason, "integration failing")
        }
        Event::Recovered => tracing::info!(integration = %m.name, "integration recovered"),
    }
}

struct Task {
    monitor: Monitor,
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

async fn monitor_task(shared: Arc<Shared>, m: Monitor, mut stop: watch::Receiver<bool>) {
    loop {
        let now = Utc::now();
        let Some(at) = schedule::next_fire(&m.cron, now, m.jitter, fastrand::f64()) else {
            tracing::error!(integration = %m.name, schedule = %m.schedule, "schedule never fires again");
            return;
        };
        let wait = (at - now).to_std().unwrap_or_default();
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        let tx = match shared.claim(&m.name) {
            // A check requested through the API is running: it is this tick's check.
            control::Claim::Join(mut rx) => {
                tokio::select! {
                    _ = rx.wait_for(Option::is_some) => {}
                    _ = stop.changed() => return,
                }
                continue;
            }
            control::Claim::Lead(tx) => tx,
        };
        let permits = tokio::select! {
            p = shared.acquire(&m) => p,
            _ = stop.changed() => {
                shared.publish(&m.name, tx, None);
                return;
            }
        };
        let Some(permits) = permits else {
            shared.publish(&m.name, tx, None);
            return;
        };
        // Not cancelled from here on: the check finishes and saves its state.
        // Boxed: a task's future is allocated at its largest state for the task's whole
        // life, and a check's (fetch, parse, diff) is a few KiB; inline, 10,000
        // sleeping monitors hold 10,000 of them (about 20 MiB in the scale bench).
        // Boxed, it exists only while the check runs.
        let report = Box::pin(shared.checker.check(&m)).await;
        drop(permits);
        shared.record(&m, report.clone());
        shared.publish(&m.name, tx, Some(Arc::new(report)));
        if *stop.borrow() {
            return;
        }
    }
}

/// Starts, stops or restarts scheduler tasks so they match `wanted`.
fn apply_monitors(
    shared: &Arc<Shared>,
    tasks: &mut BTreeMap<String, Task>,
    stopping: &mut Vec<JoinHandle<()>>,
    wanted: BTreeMap<String, Monitor>,
) {
    let names: Vec<String> = tasks.keys().cloned().collect();
    for name in names {
        let keep = wanted
            .get(&name)
            .is_some_and(|m| tasks[&name].monitor == *m);
        if !keep && let Some(t) = tasks.remove(&name) {
            let _ = t.stop.send(true);
            stopping.push(t.handle);
            if !wanted.contains_key(&name) {
                shared.metrics.forget(&name);
                if let Ok(mut s) = shared.states.write() {
                    s.remove(&name);
                }
                tracing::info!(integration = %name, "monitor removed");
            }
        }
    }
    stopping.retain(|h| !h.is_finished());
    if let Ok(mut m) = shared.monitors.write() {
        *m = wanted.clone();
    }
    shared.notifier.set_monitors(&wanted);
    for (name, m) in wanted {
        if tasks.contains_key(&name) {
            continue;
        }
        let (st, replaced) = shared.checker.states.load_or_replace(&name, Utc::now());
        if let Some(message) = &replaced {
            // Saved at once: the failure is on disk (and in the history) until the
            // next check replaces it; the other integrations go on.
            tracing::error!(integration = %name, error = %message, "state file unreadable; integration failing (internal) until its next check");
            if let Err(e) = shared.checker.states.save(&st) {
                tracing::error!(integration = %name, error = %e, "cannot save state");
            }
        }
        let b = shared.checker.baselines.record(&name).ok().flatten();
        // A process killed between saving a state and appending its history: the
        // history catches up before anything reads it.
        if let Err(e) = shared.checker.history.observe(&st, b.as_ref(), Utc::now()) {
            tracing::warn!(integration = %name, error = %e, "cannot bring the history up to date");
        }
        shared.metrics.register(&name, &st, b.as_ref());
        if replaced.is_some() {
            shared
                .metrics
                .count_failure(&name, crate::fetch::FailureReason::Internal);
        }
        shared.load_ack(&name);
        let acked = shared.active_ack(&name, Some(&st), Utc::now()).is_some();
        shared.metrics.set_acknowledged(&name, acked);
        if let Ok(mut s) = shared.states.write() {
            s.insert(name.clone(), st);
        }
        if let Ok(mut bs) = shared.baselines.write() {
            bs.insert(name.clone(), b);
        }
        let (tx, mut rx) = watch::channel(false);
        let handle = if shared.replica.get().is_some() {
            // With PostgreSQL the claim loop schedules (`replica`); this task only marks
            // the monitor as applied.
            tokio::spawn(async move {
                let _ = rx.changed().await;
            })
        } else {
            tokio::spawn(monitor_task(shared.clone(), m.clone(), rx))
        };
        tracing::debug!(integration = %name, schedule = %m.schedule, "monitor scheduled");
        tasks.insert(
            name,
            Task {
                monitor: m,
                stop: tx,
                handle,
            },
        );
    }
}

/// How often kept specs that no state names any more are removed (`state::specs`).
const SPEC_COLLECT_INTERVAL: Duration = Duration::from_secs(3600);

async fn collect_specs(shared: &Arc<Shared>) {
    let live: std::collections::BTreeSet<String> = match shared.states.read() {
        Ok(s) => s
            .values()
            .filter_map(|st| st.spec.as_ref().map(|s| s.digest.clone()))
            .collect(),
        Err(_) => return,
    };
    let specs = shared.checker.specs.clone();
    let grace = crate::state::specs::COLLECT_GRACE;
    match tokio::task::spawn_blocking(move || specs.collect(&live, grace)).await {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => tracing::info!(
            removed = n,
            "kept specs no integration compares any more removed"
        ),
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot collect kept specs"),
        Err(e) => tracing::warn!(error = %e, "spec collection task failed"),
    }
}

/// Names, sizes and modification times of the monitor files: changes when a file is
/// added, removed or edited.
fn dir_fingerprint(dir: &Path) -> Vec<(String, u64, Option<SystemTime>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((
                e.file_name().to_string_lossy().into_owned(),
                meta.len(),
                meta.modified().ok(),
            ))
        })
        .collect();
    v.sort();
    v
}

/// A file rewritten in place in the baselines directory (`cp` over a record) changes
/// neither the directory's inode nor its mtime: a full listing this often finds it.
const APPROVALS_FULL_LISTING: Duration = Duration::from_secs(60);

/// The baselines directory as `watch_approvals` last saw it.
struct ApprovalsSeen {
    /// The directory's (inode, mtime), through a symlink (git-sync swaps one).
    dir: Option<(u64, Option<SystemTime>)>,
    listing: Vec<(String, u64, Option<SystemTime>)>,
    listed: std::time::Instant,
}

impl ApprovalsSeen {
    fn now(root: &Path) -> ApprovalsSeen {
        ApprovalsSeen {
            dir: dir_identity(root),
            listing: dir_fingerprint(root),
            listed: std::time::Instant::now(),
        }
    }
}

fn dir_identity(root: &Path) -> Option<(u64, Option<SystemTime>)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(root).ok()?;
    Some((m.ino(), m.modified().ok()))
}

/// Checks, at once, each integration whose approval in the baselines directory changed
/// since the last look (`baseline accept`, a git-sync, a ConfigMap update), so the
/// approval shows within `reload_interval`. Every atomic writer renames into the
/// directory (or swaps a link to it), which moves its mtime or inode: while neither
/// moved, one `stat` per tick, and a full listing every `APPROVALS_FULL_LISTING` (at
/// 10,000 integrations a listing per 5 s tick cost 0.8% of a core). The records are
/// read and compared off the async workers.
fn watch_approvals(shared: &Arc<Shared>, seen: &mut ApprovalsSeen) {
    let root = shared.checker.baselines.root();
    let dir = dir_identity(root);
    if dir == seen.dir && seen.listed.elapsed() < APPROVALS_FULL_LISTING {
        return;
    }
    let now = ApprovalsSeen::now(root);
    let same = now.listing == seen.listing;
    let candidates = changed_approvals(&seen.listing, &now.listing);
    *seen = now;
    if same {
        return;
    }
    let s = shared.clone();
    let task = tokio::spawn(async move {
        let s2 = s.clone();
        let due = tokio::task::spawn_blocking(move || s2.new_approvals(candidates.as_ref()))
            .await
            .unwrap_or_default();
        let checks: Vec<_> = due
            .into_iter()
            .map(|m| {
                let s = s.clone();
                tokio::spawn(async move { s.recheck_approval(m).await })
            })
            .collect();
        for c in checks {
            let _ = c.await;
        }
    });
    // Awaited at shutdown like a check requested through the API.
    if let Ok(mut tasks) = shared.api_tasks.lock() {
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }
}

/// The integrations whose record (`NAME.yaml`) differs between two listings of the
/// baselines directory; `None` (look at every one) when something else at the top
/// changed, such as the `..data` link a ConfigMap update swaps. The store's own
/// directories (`objects/`, `log/`) change with every accept, and a write's temp file
/// (`.NAME.yaml.tmp.…`) comes before the rename that changes `NAME.yaml`: neither says
/// more.
fn changed_approvals(
    before: &[(String, u64, Option<SystemTime>)],
    after: &[(String, u64, Option<SystemTime>)],
) -> Option<BTreeSet<String>> {
    let (a, b): (BTreeSet<_>, BTreeSet<_>) = (before.iter().collect(), after.iter().collect());
    let mut names = BTreeSet::new();
    for (file, _, _) in a.symmetric_difference(&b) {
        let temp = file.starts_with('.') && !file.starts_with("..");
        if temp || file == "objects" || file == "log" {
            continue;
        }
        match file.strip_suffix(".yaml") {
            Some(name) if !name.starts_with('.') => {
                names.insert(name.to_string());
            }
            _ => return None,
        }
    }
    Some(names)
}

/// Re-reads the configuration; on any error keeps the current monitors.
fn reread(config: &Config, metrics: &Metrics) -> Option<BTreeMap<String, Monitor>> {
    let v = match &config.file {
        Some(f) => monitor::load(f, true),
        None => monitor::load(&config.root.join("apidrift.yaml"), false),
    };
    if v.errors() > 0 {
        for f in &v.files {
            for d in &f.diagnostics {
                tracing::error!(diagnostic = %d, "reload refused");
            }
        }
        metrics.config_reloaded(false, Utc::now());
        return None;
    }
    metrics.config_reloaded(true, Utc::now());
    Some(v.config.monitors)
}

/// Runs the daemon until `shutdown` completes. Each message on `reload` re-reads the
/// monitors (as SIGHUP does); so does a change in the monitors directory.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
    mut reload: mpsc::Receiver<()>,
) -> Result<(), DaemonError> {
    // Before anything touches the directory (see `state::Store::lock`).
    let _lock = crate::state::Store::new(&config.state_dir).lock("apidrift run")?;
    for dir in [&config.state_dir, &config.baselines_dir] {
        crate::atomic::sweep_temp_files(dir);
    }
    let shared = Arc::new(Shared::new(&config)?);
    if let crate::monitor::store_config::StoreSettings::Postgres(pg) = &config.store {
        let r = replica::Replica::new(pg, shared.metrics.registry())?;
        // Entries a check left here before a crash were never checked in: the check
        // runs again and decides again.
        let pending = shared.notifier.outbox().dir().join("pending");
        for e in std::fs::read_dir(&pending).into_iter().flatten().flatten() {
            let _ = std::fs::remove_file(e.path());
        }
        let _ = shared.replica.set(Arc::new(r));
    }
    let replica = shared.replica.get().cloned();
    // The configuration this daemon was started with was read and valid.
    shared.metrics.config_reloaded(true, Utc::now());

    let mut tasks = BTreeMap::new();
    let mut stopping = Vec::new();
    // Before the monitors read their approvals: one accepted from here on is new.
    let mut approvals = ApprovalsSeen::now(shared.checker.baselines.root());
    // With the file store the monitors are in place before the first request is
    // answered: a client that read "listening on" lists every integration.
    if replica.is_none() {
        apply_monitors(&shared, &mut tasks, &mut stopping, config.monitors.clone());
    }
    // Served from the start (not ready until the store and the monitors are): a replica
    // waiting for its database answers /healthz and says why it is not ready.
    let (http_stop, http_stopped) = oneshot::channel::<()>();
    let app = http::router(shared.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = http_stopped.await;
            })
            .await
    });
    tokio::pin!(shutdown);
    let (loops_stop, loops_stopped) = watch::channel(false);
    if let Some(r) = &replica {
        let mut s = loops_stopped.clone();
        let started = tokio::select! {
            ok = r.start(&mut s) => ok,
            _ = &mut shutdown => false,
        };
        if !started {
            let _ = http_stop.send(());
            let _ = server.await;
            return Ok(());
        }
    }
    if replica.is_some() {
        apply_monitors(&shared, &mut tasks, &mut stopping, config.monitors.clone());
    }
    let mut loops = Vec::new();
    if let Some(r) = &replica {
        r.ensure(&config.monitors.values().cloned().collect::<Vec<_>>())
            .await;
        if let Err(e) = r.sync_once(&shared, None).await {
            tracing::warn!(error = %e, "first read of the store failed; the sync loop retries");
        }
        loops.push(tokio::spawn(r.clone().claim_loop(
            shared.clone(),
            loops_stopped.clone(),
            config.max_concurrency.max(1),
        )));
        loops.push(tokio::spawn(
            r.clone().sync_loop(shared.clone(), loops_stopped.clone()),
        ));
    }
    let (delivery_stop, delivery_stopped) = watch::channel(false);
    let delivery = {
        let shared = shared.clone();
        let r = replica.clone();
        tokio::spawn(async move {
            match r {
                Some(r) => r.delivery_loop(shared, delivery_stopped).await,
                None => shared.notifier.deliver_until(delivery_stopped).await,
            }
        })
    };
    shared.ready.store(true, Ordering::SeqCst);
    tracing::info!(
        monitors = tasks.len(),
        store = config.store.as_str(),
        "apidrift running"
    );

    let mut seen = dir_fingerprint(&config.monitors_dir);
    let mut tick = tokio::time::interval(config.reload_interval.max(Duration::from_millis(100)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is now: specs no state names any more go at start, then hourly.
    let mut collect = tokio::time::interval(SPEC_COLLECT_INTERVAL);
    collect.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = collect.tick() => collect_specs(&shared).await,
            msg = reload.recv() => {
                if msg.is_some() {
                    tracing::info!("reload requested");
                    seen = dir_fingerprint(&config.monitors_dir);
                    if let Some(m) = reread(&config, &shared.metrics) {
                        apply_monitors(&shared, &mut tasks, &mut stopping, m.clone());
                        if let Some(r) = &replica {
                            r.ensure(&m.into_values().collect::<Vec<_>>()).await;
                        }
                    }
                }
            }
            _ = tick.tick() => {
                watch_approvals(&shared, &mut approvals);
                let now = dir_fingerprint(&config.monitors_dir);
                if now != seen {
                    seen = now;
                    tracing::info!("monitors directory changed; reloading");
                    if let Some(m) = reread(&config, &shared.metrics) {
                        apply_monitors(&shared, &mut tasks, &mut stopping, m.clone());
                        if let Some(r) = &replica {
                            r.ensure(&m.into_values().collect::<Vec<_>>()).await;
                        }
                    }
                }
            }
        }
    }

    tracing::info!("shutting down");
    shared.ready.store(false, Ordering::SeqCst);
    for t in tasks.values() {
        let _ = t.stop.send(true);
    }
    stopping.extend(tasks.into_values().map(|t| t.handle));
    // The claim loop finishes the checks it runs (and checks them in) before it ends.
    let _ = loops_stop.send(true);
    stopping.extend(loops);
    if let Ok(mut api) = shared.api_tasks.lock() {
        stopping.append(&mut api);
    }
    let all = async {
        for h in stopping {
            let _ = h.await;
        }
    };
    if tokio::time::timeout(config.shutdown_timeout, all)
        .await
        .is_err()
    {
        tracing::warn!("checks still running after shutdown_timeout; exiting anyway");
    }
    // After the checks: their last notices are enqueued; a delivery in flight finishes
    // (or is retried after the restart; the outbox keeps it pending).
    let _ = delivery_stop.send(true);
    if tokio::time::timeout(config.shutdown_timeout, delivery)
        .await
        .is_err()
    {
        tracing::warn!("notification delivery still running after shutdown_timeout");
    }
    let _ = http_stop.send(());
    match server.await {
        Ok(r) => r?,
        Err(e) => tracing::error!(error = %e, "HTTP server task failed"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which listings changes name which integrations: a record by its name, the store's
    /// own directories and a write's temp file nothing, anything else at the top (a
    /// ConfigMap's `..data` swap) every integration.
    #[test]
    fn changed_approvals_names_records_and_falls_back_to_all() {
        let t = |s: u64| Some(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        let before = vec![
            ("a.yaml".to_string(), 10, t(1)),
            ("b.yaml".to_string(), 10, t(1)),
            ("log".to_string(), 4096, t(1)),
            ("objects".to_string(), 4096, t(1)),
        ];
        let mut after = before.clone();
        after[0].2 = t(2);
        after[2].2 = t(2);
        after[3].2 = t(2);
        after.push(("c.yaml".to_string(), 10, t(2)));
        let names = changed_approvals(&before, &after).unwrap();
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(changed_approvals(&before, &before).unwrap().len(), 0);
        let mut removed = before.clone();
        removed.remove(1);
        assert_eq!(changed_approvals(&before, &removed).unwrap().len(), 1);
        let mut configmap = before.clone();
        configmap.push(("..data".to_string(), 31, t(3)));
        assert!(changed_approvals(&before, &configmap).is_none());
        let mut temp = before.clone();
        temp.push((".a.yaml.tmp.77.0000beef".to_string(), 5, t(3)));
        assert_eq!(changed_approvals(&before, &temp).unwrap().len(), 0);
        let mut other = before.clone();
        other.push(("README".to_string(), 5, t(3)));
        assert!(changed_approvals(&before, &other).is_none());
    }

    /// A scheduler task lives as long as the daemon and mostly sleeps: its future must
    /// not carry a check inline (issue 3: 10,000 monitors under 500 MB).
    #[test]
    fn an_idle_monitor_task_does_not_hold_a_check_inline() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("monitors")).unwrap();
        std::fs::write(
            dir.path().join("monitors/a.yaml"),
            "name: a\nschedule: \"*/5 * * * *\"\nspec:\n  url: http://127.0.0.1:9/a.json\n",
        )
        .unwrap();
        let config = monitor::load(&dir.path().join("apidrift.yaml"), false).config;
        let m = config.monitors["a"].clone();
        let shared = Arc::new(Shared::new(&config).unwrap());
        let check = std::mem::size_of_val(&shared.checker.check(&m));
        // The daemon keeps several copies of each monitor: they share the parsed cron.
        assert!(Arc::ptr_eq(&m.cron, &m.clone().cron));
        let (_stop, rx) = watch::channel(false);
        let task = std::mem::size_of_val(&monitor_task(shared, m, rx));
        assert!(
            task < 4096 && task < check,
            "an idle monitor task takes {task} bytes; a check future {check}"
        );
    }
}
