//! The daemon's notification wiring: after each check, ask the `Tracker` what to send,
//! build the full `Event` (changes, spec fragments, digests, redacted source), put one
//! outbox entry per destination in the persistent `Outbox` under the state directory,
//! then commit the tracker memo. A delivery task drains the outbox until shutdown and
//! prunes old acknowledgements.
//!
//! Files, under `<state>/notify/`: `tracker/` (what was notified, per integration),
//! `outbox/` (pending, acked, dead), `revisions/` (the spec bytes of an unaccepted
//! drift, so a drift confirmed by a later 304 or same-digest poll still gets its
//! fragments, across restarts too).
//!
//! Every notice enqueued is also written to the drift history (`notification_queued`,
//! with the episode it belongs to), and every delivery the outbox settles
//! (`notification_settled`), through `HistoryObserver`.
//!
//! Must not: decide what is drift (the state machine did), send anything itself (the
//! outbox does), or put a credential in an event (the spec source is redacted; secrets
//! are resolved into the `Dispatcher` only).

use super::check::CheckReport;
use crate::baseline::{self, Record};
use crate::diff::Change;
use crate::impact::{FieldState, RiskKind};
use crate::model::Method;
use crate::monitor::{Config, Monitor, Source};
use crate::notify::email::{Links, Mailer};
use crate::notify::event::{Failure, FragmentLimits, operation_fragment, redact_url};
use crate::notify::webhook::{self, WebhookConfig};
use crate::notify::{
    ChangeTouch, Channel, Deliver, DeliveryError, Dispatcher, DriftObservation, Event, EventChange,
    IntegrationRef, Notice, NoticeKind, NotifyMetrics, OperationFragment, Outbox, OutboxEntry,
    SettleObserver, Tracker, destinations, enqueue_notice,
};
use crate::state::history::{self, Acknowledgement, EpisodeRef, HistoryRecord, Settled};
use crate::state::specs::Specs;
use crate::state::{CheckResult, IntegrationState};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::watch;

/// How long acknowledgement markers are kept (they only guard a re-enqueue before the
/// tracker commits, which happens within one check).
const ACK_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// How often the delivery task prunes acknowledgements.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// The longest the delivery task sleeps before looking for new entries.
const OUTBOX_POLL: Duration = Duration::from_millis(500);

#[derive(Debug, thiserror::Error)]
pub enum NotifierError {
    #[error("notification state under `{0}`: {1}")]
    Io(String, std::io::Error),
    #[error("smtp: {0}")]
    Smtp(String),
    #[error("webhook `{0}`: {1}")]
    Webhook(String, String),
    #[error(transparent)]
    Metrics(#[from] prometheus::Error),
}

/// Channels whose configuration changes on reload (commands belong to monitors).
struct Channels {
    mailer: Option<Mailer>,
    links: Links,
    webhooks: BTreeMap<String, WebhookConfig>,
    client: reqwest::Client,
}

/// A `Deliver` whose command table follows monitor reloads.
pub struct LiveDispatcher {
    current: RwLock<Arc<Dispatcher>>,
}

impl Deliver for LiveDispatcher {
    async fn deliver(&self, entry: &OutboxEntry) -> Result<(), DeliveryError> {
        let d = match self.current.read() {
            Ok(d) => d.clone(),
            Err(_) => return Err(DeliveryError::retryable("dispatcher lock poisoned")),
        };
        d.deliver(entry).await
    }
}

/// Everything the daemon needs to notify.
pub struct Notifier {
    root: PathBuf,
    outbox: Outbox,
    channels: Channels,
    dispatcher: Arc<LiveDispatcher>,
    baselines: baseline::Store,
    /// The specs checks compared (written by `daemon::check`), for the fragments.
    specs: Specs,
    history: Arc<history::Store>,
    page_base: String,
    /// Where a failed write of the notification state is logged (once) and counted.
    writes: Arc<super::disk::WriteHealth>,
}

/// Writes each settled delivery into the drift history of its integration.
struct HistoryObserver {
    history: Arc<history::Store>,
}

/// The `notification_settled` history record of a delivered or dead-lettered entry.
pub(crate) fn settled_record(
    entry: &OutboxEntry,
    at: DateTime<Utc>,
    result: Settled,
    error: Option<&str>,
) -> HistoryRecord {
    let ev = &entry.event;
    let episode = match entry.notice {
        NoticeKind::CheckFailing | NoticeKind::CheckRecovered => ev
            .failure
            .as_ref()
            .map(|f| EpisodeRef::Failing { since: f.since }),
        _ => {
            let fps: Vec<String> = ev.fingerprints().into_iter().collect();
            (!fps.is_empty()).then(|| EpisodeRef::Drift {
                drift: crate::state::drift_id(&fps),
            })
        }
    };
    HistoryRecord::NotificationSettled {
        at,
        episode,
        kind: notice_word(entry.notice).to_string(),
        event_id: ev.id.clone(),
        message_id: entry.message_id.clone(),
        channel: entry.channel.as_str().to_string(),
        destination: entry.destination.clone(),
        result,
        attempts: entry.attempts,
        error: error.map(str::to_string),
    }
}

impl HistoryObserver {
    fn settle(&self, entry: &OutboxEntry, at: DateTime<Utc>, result: Settled, error: Option<&str>) {
        let ev = &entry.event;
        let rec = settled_record(entry, at, result, error);
        if let Err(e) = self.history.append(&ev.integration.name, &[rec], at) {
            tracing::warn!(integration = %ev.integration.name, error = %e, "cannot record a delivery in the history");
        }
    }
}

impl SettleObserver for HistoryObserver {
    fn delivered(&self, entry: &OutboxEntry, at: DateTime<Utc>) {
        self.settle(entry, at, Settled::Delivered, None);
    }
    fn dead_lettered(&self, entry: &OutboxEntry, at: DateTime<Utc>, error: &str) {
        self.settle(entry, at, Settled::DeadLettered, Some(error));
    }
}

/// `drift.confirmed`, `drift.reminder`, `drift.resolved`, `check.failing`,
/// `check.recovered`.
fn notice_word(k: NoticeKind) -> &'static str {
    match k {
        NoticeKind::DriftConfirmed => "drift.confirmed",
        NoticeKind::DriftReminder => "drift.reminder",
        NoticeKind::DriftResolved => "drift.resolved",
        NoticeKind::CheckFailing => "check.failing",
        NoticeKind::CheckRecovered => "check.recovered",
    }
}

impl Notifier {
    /// Opens the notification state under `<state>/notify`, reads secrets and builds
    /// the channels, registers the notify metrics on `registry`. Deliveries and
    /// enqueued notices are recorded in `history`.
    pub fn new(
        config: &Config,
        registry: &prometheus::Registry,
        history: Arc<history::Store>,
        writes: Arc<super::disk::WriteHealth>,
    ) -> Result<Notifier, NotifierError> {
        let root = config.state_dir.join("notify");
        let io = |e| NotifierError::Io(root.display().to_string(), e);
        let metrics = NotifyMetrics::register(registry)?;
        let outbox = Outbox::open(root.join("outbox"), config.outbox_retry)
            .map_err(io)?
            .with_metrics(metrics)
            .with_observer(Arc::new(HistoryObserver {
                history: history.clone(),
            }));
        std::fs::create_dir_all(root.join("revisions")).map_err(io)?;
        forget_old_revisions(&root.join("revisions"));
        let mailer = match &config.smtp {
            None => None,
            Some(s) => {
                let cfg = s.resolve().map_err(NotifierError::Smtp)?;
                Some(Mailer::new(&cfg).map_err(|e| NotifierError::Smtp(e.to_string()))?)
            }
        };
        let mut webhooks = BTreeMap::new();
        for w in &config.webhooks {
            let cfg = w
                .resolve()
                .map_err(|e| NotifierError::Webhook(w.name.clone(), e))?;
            webhooks.insert(w.name.clone(), cfg);
        }
        let channels = Channels {
            mailer,
            // Only `external_url` makes a link: the `listen` fallback is the daemon's
            // own host, which a reader on a phone cannot reach.
            links: Links {
                page_base: config.external_url.clone(),
            },
            webhooks,
            client: webhook::client(),
        };
        let n = Notifier {
            dispatcher: Arc::new(LiveDispatcher {
                current: RwLock::new(Arc::new(Dispatcher::default())),
            }),
            root,
            outbox,
            channels,
            baselines: baseline::Store::new(&config.baselines_dir),
            specs: Specs::new(&config.state_dir),
            history,
            page_base: config.page_base(),
            writes,
        };
        n.set_monitors(&config.monitors);
        Ok(n)
    }

    /// Rebuilds the command table from the configured monitors (after a reload).
    pub fn set_monitors(&self, monitors: &BTreeMap<String, Monitor>) {
        let commands = monitors
            .values()
            .filter_map(|m| {
                let c = m.notify.as_ref()?.command_config()?;
                Some((m.name.clone(), c))
            })
            .collect();
        let d = Dispatcher {
            mailer: self.channels.mailer.clone(),
            links: self.channels.links.clone(),
            webhooks: self.channels.webhooks.clone(),
            commands,
            client: Some(self.channels.client.clone()),
        };
        if let Ok(mut cur) = self.dispatcher.current.write() {
            *cur = Arc::new(d);
        }
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// What sends an outbox entry (email, webhooks, commands), for the PostgreSQL
    /// outbox (`daemon::replica`).
    pub(crate) fn dispatcher(&self) -> &LiveDispatcher {
        &self.dispatcher
    }

    /// The tracker file of `name` (what was notified).
    pub(crate) fn tracker_path(&self, name: &str) -> PathBuf {
        crate::notify::tracker::file_in(&self.root.join("tracker"), name)
    }

    /// Counts one delivery outcome in `apidrift_notifications_total`.
    pub(crate) fn count(&self, channel: Channel, result: &str) {
        if let Some(m) = self.outbox.metrics() {
            m.notifications_total
                .with_label_values(&[channel.as_str(), result])
                .inc();
        }
    }

    pub(crate) fn count_dead_letter(&self, channel: Channel) {
        if let Some(m) = self.outbox.metrics() {
            m.outbox_dead_letters_total
                .with_label_values(&[channel.as_str()])
                .inc();
        }
    }

    /// Sets `apidrift_outbox_pending` from the PostgreSQL outbox's counts by channel.
    pub(crate) fn set_pending(&self, by_channel: &[(String, i64)]) {
        if let Some(m) = self.outbox.metrics() {
            for c in [Channel::Email, Channel::Webhook, Channel::Command] {
                let n = by_channel
                    .iter()
                    .find(|(ch, _)| ch == c.as_str())
                    .map_or(0, |(_, n)| *n);
                m.outbox_pending.with_label_values(&[c.as_str()]).set(n);
            }
        }
    }

    /// Drains the outbox until `stop` turns true, pruning old acknowledgements.
    pub async fn deliver_until(&self, mut stop: watch::Receiver<bool>) {
        let mut stop2 = stop.clone();
        let stopped = async move {
            while !*stop2.borrow() {
                if stop2.changed().await.is_err() {
                    return;
                }
            }
        };
        let prune = async {
            let mut tick = tokio::time::interval(PRUNE_EVERY);
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let before = Utc::now()
                            - chrono::Duration::from_std(ACK_RETENTION).unwrap_or_default();
                        match self.outbox.prune_acked(before) {
                            Ok(0) => {}
                            Ok(n) => tracing::debug!(pruned = n, "outbox acknowledgements pruned"),
                            Err(e) => tracing::warn!(error = %e, "cannot prune outbox"),
                        }
                    }
                    r = stop.changed() => if r.is_err() || *stop.borrow() { return },
                }
            }
        };
        tokio::join!(
            self.outbox
                .run(self.dispatcher.as_ref(), OUTBOX_POLL, stopped),
            prune
        );
    }

    /// Decides and enqueues the notifications of one finished check. Errors are logged:
    /// a notification problem never reaches the scheduler.
    /// `acknowledged`: a human acknowledged the current drift (no reminders); `last_ack`:
    /// the latest acknowledgement and the drift it was for (mails name it).
    pub fn on_check(
        &self,
        m: &Monitor,
        r: &CheckReport,
        acknowledged: bool,
        last_ack: Option<(String, Acknowledgement)>,
    ) {
        use super::disk::Writer;
        match self.try_on_check(m, r, (acknowledged, last_ack.as_ref()), Utc::now()) {
            // The next check decides again from its saved state: nothing is lost, and
            // the failure is logged once (not once per check) by `writes`.
            Err(e) => self.writes.failed(
                Writer::Notifications,
                &format!("{}: cannot enqueue notifications: {e}", m.name),
            ),
            Ok(()) if m.notify.is_some() => self.writes.ok(Writer::Notifications),
            Ok(()) => {}
        }
    }

    fn try_on_check(
        &self,
        m: &Monitor,
        r: &CheckReport,
        (acknowledged, last_ack): (bool, Option<&(String, Acknowledgement)>),
        now: DateTime<Utc>,
    ) -> std::io::Result<()> {
        let Some(settings) = &m.notify else {
            return Ok(());
        };
        let st = &r.state;
        let observation = observe(r.result, st);
        let failing_since = st.failure.as_ref().map(|f| f.since);
        let tracker = Tracker::open(self.root.join("tracker"), settings.policy())?;
        let decision =
            tracker.decide_acknowledged(&m.name, &observation, failing_since, acknowledged, now)?;
        if decision.notices.is_empty() {
            return tracker.commit(&decision);
        }
        let routes = settings.routes(&m.name);
        for notice in &decision.notices {
            let mut event = self.event(m, r, notice, now);
            event.acknowledged = ack_of(notice, st, last_ack);
            let added = enqueue_notice(&self.outbox, &routes, notice, &event, now)?;
            self.record_queued(&m.name, st, notice, &routes, now);
            if notice.kind == NoticeKind::DriftConfirmed {
                self.remember_changes(&m.name, &event)?;
            }
            tracing::info!(integration = %m.name, kind = ?notice.kind, id = %notice.event_id, enqueued = added, "notification enqueued");
        }
        tracker.commit(&decision)
    }

    /// Writes one `notification_queued` per destination of `notice` into the history
    /// (before the tracker commits: a crash in between re-queues the same ids, which
    /// the history folds into one).
    fn record_queued(
        &self,
        name: &str,
        st: &IntegrationState,
        notice: &Notice,
        routes: &crate::notify::Routes,
        now: DateTime<Utc>,
    ) {
        let episode = match notice.kind {
            NoticeKind::CheckFailing | NoticeKind::CheckRecovered => {
                let Some(since) = notice.failing_since else {
                    return;
                };
                EpisodeRef::Failing { since }
            }
            NoticeKind::DriftResolved => {
                let fps: Vec<String> = notice.fingerprints.iter().cloned().collect();
                EpisodeRef::Drift {
                    drift: crate::state::drift_id(&fps),
                }
            }
            NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => match &st.drift {
                Some(d) => EpisodeRef::Drift {
                    drift: d.id.clone(),
                },
                None => return,
            },
        };
        let records: Vec<HistoryRecord> = destinations(routes, notice.kind)
            .into_iter()
            .map(|(channel, destination)| HistoryRecord::NotificationQueued {
                at: now,
                episode: episode.clone(),
                kind: notice_word(notice.kind).to_string(),
                event_id: notice.event_id.clone(),
                message_id: notice.message_id.clone(),
                channel: channel.as_str().to_string(),
                destination,
            })
            .collect();
        if let Err(e) = self.history.append(name, &records, now) {
            tracing::warn!(integration = %name, error = %e, "cannot record a notification in the history");
        }
    }

    /// The full event of `notice`.
    fn event(&self, m: &Monitor, r: &CheckReport, notice: &Notice, now: DateTime<Utc>) -> Event {
        let st = &r.state;
        let mut ev = notice.event_skeleton(
            now,
            IntegrationRef {
                name: m.name.clone(),
                owner: m.owner.clone(),
            },
        );
        let (consumes, verdict) = contract_and_verdict(m, st);
        ev.consumes = consumes;
        ev.verdict = verdict;
        ev.baseline_digest = r.baseline.as_ref().map(|b| b.digest.clone());
        ev.spec_digest = st.spec.as_ref().map(|s| s.digest.clone());
        ev.spec_source = Some(source_text(&m.source));
        ev.page_url = Some(crate::notify::email::page_url(&self.page_base, &m.name));
        match notice.kind {
            NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => {
                let changes: Vec<Change> = st
                    .changes
                    .iter()
                    .filter(|c| notice.fingerprints.contains(&c.fingerprint))
                    .cloned()
                    .collect();
                ev.operations = self.fragments(r.baseline.as_ref(), st, &changes);
                ev.changes = changes
                    .into_iter()
                    .map(|c| {
                        let touch = touch_of(&c, m, st);
                        EventChange::new(c, touch)
                    })
                    .collect();
            }
            NoticeKind::DriftResolved => {
                // The changes that went away, as the confirmation carried them.
                ev.changes = self.remembered_changes(&m.name, &notice.fingerprints);
            }
            NoticeKind::CheckFailing | NoticeKind::CheckRecovered => {
                let reason = st
                    .failure
                    .as_ref()
                    .map(|f| f.reason.as_str().to_string())
                    .unwrap_or_else(|| "recovered".to_string());
                if let Some(since) = notice.failing_since {
                    ev.failure = Some(Failure { reason, since });
                }
            }
        }
        ev
    }

    /// The unaccepted changes of `st` as a `drift.confirmed` event carries them (the
    /// consumed mark and the remediation) and the baseline and revision fragment of
    /// each operation they touch (the revision's only while its bytes are kept, i.e.
    /// for monitors with `notify`). For `get_integration` and the detail endpoint.
    pub fn agent_changes(
        &self,
        m: &Monitor,
        baseline: Option<&Record>,
        st: &IntegrationState,
    ) -> (Vec<EventChange>, Vec<OperationFragment>) {
        let ops = self.fragments(baseline, st, &st.changes);
        let changes = st
            .changes
            .iter()
            .cloned()
            .map(|c| {
                let touch = touch_of(&c, m, st);
                EventChange::new(c, touch)
            })
            .collect();
        (changes, ops)
    }

    /// Baseline and revision fragment of every operation the changes touch.
    fn fragments(
        &self,
        baseline: Option<&Record>,
        st: &IntegrationState,
        changes: &[Change],
    ) -> Vec<OperationFragment> {
        let base_doc = baseline
            .and_then(|b| self.baselines.object(b).ok())
            .and_then(|bytes| parse_doc(&bytes));
        let rev_doc = st
            .spec
            .as_ref()
            .and_then(|s| self.revision(&s.digest))
            .and_then(|bytes| parse_doc(&bytes));
        let mut ops: BTreeSet<(String, String, Option<String>, Option<String>)> = BTreeSet::new();
        for c in changes {
            let Some(method) = c.operation else { continue };
            let base_path = c
                .base_pointer
                .as_deref()
                .and_then(path_of_pointer)
                .or_else(|| c.path.clone());
            let rev_path = c
                .revision_pointer
                .as_deref()
                .and_then(path_of_pointer)
                .or_else(|| c.path.clone());
            let display = c
                .path
                .clone()
                .or_else(|| rev_path.clone())
                .unwrap_or_default();
            ops.insert((method.key().to_string(), display, base_path, rev_path));
        }
        let limits = FragmentLimits::default();
        let frag = |doc: &Option<Value>, method: &str, path: &Option<String>| -> Value {
            match (doc, path) {
                (Some(d), Some(p)) => {
                    operation_fragment(d, method, p, limits).unwrap_or(Value::Null)
                }
                _ => Value::Null,
            }
        };
        ops.into_iter()
            .map(|(method, path, bp, rp)| OperationFragment {
                baseline: frag(&base_doc, &method, &bp),
                revision: frag(&rev_doc, &method, &rp),
                method: Method::parse(&method)
                    .map_or(method.to_uppercase(), |m| m.as_str().to_string()),
                path,
            })
            .collect()
    }

    /// The kept spec bytes, if they are the ones with `digest` (`state::specs`).
    fn revision(&self, digest: &str) -> Option<Vec<u8>> {
        self.specs.get(digest)
    }

    pub(crate) fn changes_path(&self, name: &str) -> PathBuf {
        self.root
            .join("revisions")
            .join(format!("{}.changes.json", safe_stem(name)))
    }

    fn remember_changes(&self, name: &str, ev: &Event) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(&ev.changes).map_err(std::io::Error::other)?;
        crate::atomic::write(&self.changes_path(name), &bytes)
    }

    fn remembered_changes(&self, name: &str, fingerprints: &BTreeSet<String>) -> Vec<EventChange> {
        let Ok(bytes) = std::fs::read(self.changes_path(name)) else {
            return Vec::new();
        };
        let changes: Vec<EventChange> = serde_json::from_slice(&bytes).unwrap_or_default();
        changes
            .into_iter()
            .filter(|c| fingerprints.contains(&c.change.fingerprint))
            .collect()
    }

    /// The channel of each pending entry (for tests and the API).
    pub fn pending(&self) -> Vec<(Channel, String)> {
        self.outbox
            .pending()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.channel, e.message_id))
            .collect()
    }
}

/// What the tracker is told. An unconfirmed drift is `Unknown`: it neither confirms
/// anything nor resolves a drift already notified (a changed set must be confirmed
/// again before it is mailed).
fn observe(result: CheckResult, st: &IntegrationState) -> DriftObservation {
    if result == CheckResult::Failed {
        return DriftObservation::Unknown;
    }
    match &st.drift {
        None => DriftObservation::Clean,
        Some(d) if d.confirmed => {
            DriftObservation::Confirmed(d.fingerprints.iter().cloned().collect())
        }
        Some(_) => DriftObservation::Unknown,
    }
}

// --- The consumes contract and visibility verdict in events ---------------------------
//
// Without a contract, events carry `null` for both and every change is `unknown`
// (remediation then follows the change level alone).

/// The consumes contract and verdict for the event, as `impact` serializes them.
///
/// The verdict goes out without its `changes` list (the event carries the changes once,
/// each with its own consumed mark), with `fields.lost` / `fields.at_risk`: the
/// consumed fields by state as `{operation, field}`, and with `operation_risks`:
/// `{operation, kind, message, reasons}` once per operation and kind; the email lists
/// both.
fn contract_and_verdict(m: &Monitor, st: &IntegrationState) -> (Value, Value) {
    let consumes = &m.visibility.consumes;
    let contract = if consumes.0.is_empty() {
        Value::Null
    } else {
        serde_json::to_value(consumes).unwrap_or(Value::Null)
    };
    let Some(report) = st.visibility.as_ref() else {
        return (contract, Value::Null);
    };
    let verdict = &report.verdict;
    let mut value = serde_json::to_value(verdict).unwrap_or(Value::Null);
    if let Value::Object(o) = &mut value {
        o.remove("changes");
        let by_state = |state: FieldState| -> Value {
            verdict
                .operations
                .iter()
                .flat_map(|op| {
                    op.fields.iter().filter(move |f| f.state == state).map(
                        move |f| serde_json::json!({"operation": op.operation, "field": f.field}),
                    )
                })
                .collect()
        };
        o.insert(
            "fields".to_string(),
            serde_json::json!({
                "lost": by_state(FieldState::Lost),
                "at_risk": by_state(FieldState::AtRisk),
            }),
        );
        let risks: Vec<Value> = verdict
            .operations
            .iter()
            .flat_map(|op| {
                op.risks.iter().map(move |r| {
                    serde_json::json!({
                        "operation": op.operation,
                        "kind": r.kind,
                        "message": r.message,
                        "reasons": r.reasons.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
                    })
                })
            })
            .collect();
        o.insert("operation_risks".to_string(), Value::Array(risks));
    }
    (contract, value)
}

/// What change `c` does to the consumed fields, per the last verdict of `st`: `Unknown`
/// without a contract, `Credential` for an operation-level credential risk, else the
/// worst effect the verdict recorded for that change.
fn touch_of(c: &Change, m: &Monitor, st: &IntegrationState) -> ChangeTouch {
    if m.visibility.consumes.0.is_empty() {
        return ChangeTouch::Unknown;
    }
    let Some(report) = st.visibility.as_ref() else {
        return ChangeTouch::Unknown;
    };
    let assessed = report
        .verdict
        .changes
        .iter()
        .find(|a| a.change.fingerprint == c.fingerprint);
    if assessed.is_some_and(|a| a.consumed && a.risk == Some(RiskKind::Credential)) {
        return ChangeTouch::Credential;
    }
    match assessed.and_then(|a| a.consumed.then_some(a.effect).flatten()) {
        Some(FieldState::Lost) => ChangeTouch::Lost,
        Some(FieldState::AtRisk) => ChangeTouch::AtRisk,
        // Consumed but harmless (e.g. a field became required), or not consumed.
        Some(FieldState::Ok) | None => ChangeTouch::Unconsumed,
    }
}

// -------------------------------------------------------------------------------------

/// The spec source fit for an event: credentials and secret query values redacted.
fn source_text(s: &Source) -> String {
    match s {
        Source::Url(u) => redact_url(u.as_str()),
        Source::Path(p) => p.display().to_string(),
    }
}

/// A spec document as JSON (YAML is a superset of the JSON specs are written in).
fn parse_doc(bytes: &[u8]) -> Option<Value> {
    if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
        return Some(v);
    }
    serde_yaml::from_slice::<Value>(bytes).ok()
}

/// The path template of a JSON Pointer under `/paths/<escaped path>/...`.
fn path_of_pointer(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/paths/")?;
    let seg = rest.split('/').next()?;
    Some(seg.replace("~1", "/").replace("~0", "~"))
}

fn safe_stem(name: &str) -> String {
    if !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        name.to_string()
    } else {
        format!("h-{}", &baseline::digest(name.as_bytes())[7..39])
    }
}

/// The acknowledgement `last_ack` gave the drift of a drift notice, unless cleared.
fn ack_of(
    notice: &Notice,
    st: &IntegrationState,
    last_ack: Option<&(String, Acknowledgement)>,
) -> Option<Acknowledgement> {
    let (drift, ack) = last_ack?;
    if ack.cleared_at.is_some() {
        return None;
    }
    let id = match notice.kind {
        NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => st.drift.as_ref()?.id.clone(),
        NoticeKind::DriftResolved => {
            let fps: Vec<String> = notice.fingerprints.iter().cloned().collect();
            crate::state::drift_id(&fps)
        }
        NoticeKind::CheckFailing | NoticeKind::CheckRecovered => return None,
    };
    (&id == drift).then(|| ack.clone())
}

/// Removes the per-integration spec copies earlier versions kept under
/// `notify/revisions/NAME.spec`; the specs now live once in `state/specs/`.
fn forget_old_revisions(dir: &Path) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "spec") {
            let _ = std::fs::remove_file(&p);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_drift_mail_carries_the_acknowledgement_of_that_drift_only() {
        let fps: BTreeSet<String> = ["f1".to_string()].into();
        let id = crate::state::drift_id(&fps.iter().cloned().collect::<Vec<_>>());
        let ack = Acknowledgement {
            at: Utc::now(),
            by: "oncall".into(),
            note: Some("on it".into()),
            until: None,
            cleared_at: None,
            cleared_by: None,
        };
        let notice = |kind| Notice {
            kind,
            event_id: "evt_x".into(),
            message_id: "evt_x".into(),
            fingerprints: fps.clone(),
            failing_since: None,
            drift_since: None,
        };
        let st = IntegrationState::new("x");
        let mine = (id.clone(), ack.clone());
        let other = ("another-drift".to_string(), ack.clone());
        let resolved = notice(NoticeKind::DriftResolved);
        assert_eq!(ack_of(&resolved, &st, Some(&mine)), Some(ack.clone()));
        assert_eq!(ack_of(&resolved, &st, Some(&other)), None);
        assert_eq!(
            ack_of(&notice(NoticeKind::CheckFailing), &st, Some(&mine)),
            None
        );
        let cleared = (
            id,
            Acknowledgement {
                cleared_at: Some(Utc::now()),
                ..ack
            },
        );
        assert_eq!(ack_of(&resolved, &st, Some(&cleared)), None);
    }

    use super::*;

    #[test]
    fn pointers_give_back_the_path_template() {
        assert_eq!(
            path_of_pointer("/paths/~1users~1{id}/get/responses/200").as_deref(),
            Some("/users/{id}")
        );
        assert_eq!(path_of_pointer("/components/schemas/User"), None);
    }

    #[test]
    fn odd_names_stay_inside_the_directory() {
        assert_eq!(safe_stem("okta-users"), "okta-users");
        let s = safe_stem("../../etc");
        assert!(s.starts_with("h-") && !s.contains('/'));
    }
}
