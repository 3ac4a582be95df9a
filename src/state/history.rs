//! Drift history: per integration, a bounded, append-only log of what happened to it,
//! folded into **episodes** for the API, the CLI and the pages.
//!
//! File: `<state>/history/<name>.jsonl`, one `HistoryRecord` per line, appended with
//! `atomic::append_line` (fsync; a line cut by a kill is skipped on read) and rewritten
//! with `atomic::write` only when retention drops old episodes. Records:
//! - `drift_seen`, `drift_confirmed` (the changes and the verdict at confirmation),
//!   `drift_ended` (vendor reverted, baseline accepted with digest/who/why, superseded by
//!   another drift, baseline removed), `acknowledged` (written by the acknowledgement
//!   feature; nothing in this module decides one);
//! - `failing_started` (reason, message), `failing_ended`;
//! - `notification_queued` (written when the outbox takes a notice) and
//!   `notification_settled` (delivered or dead-lettered), each with the channel,
//!   destination, event id and message id.
//!
//! The drift and failing records are not events handed in by the state machine: they
//! are derived by `Store::observe`, which compares the folded history with the saved
//! `IntegrationState` and appends what the history lacks. That makes it idempotent and
//! self-healing: a crash between saving the state and appending (or a `kill -9` at any
//! point) is repaired by the next `observe` (the daemon calls it at start and after
//! every check), with the times taken from the state (`first_seen`, `confirmed_at`,
//! `failure.since`), never from when the repair ran.
//!
//! Retention (`Policy`): an episode is kept while it is open, or ended within `max_age`
//! and among the `max_episodes` most recent of its kind (drift episodes and failing
//! periods are counted separately). Defaults: 90 days, 200.
//!
//! Must not: decide what is drift or failing (the state machine did), send anything, or
//! hold a credential or a response value (records carry changes, field paths, reasons,
//! names and digests only).

use super::{IntegrationState, Status};
use crate::atomic;
use crate::diff::{Change, Level};
use crate::impact::{FieldState, Verdict};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// Changes kept per episode snapshot; the rest are counted (`changes_total`).
pub const MAX_SNAPSHOT_CHANGES: usize = 200;

/// How much history is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Episodes that ended longer ago than this are dropped.
    pub max_age: Duration,
    /// At most this many drift episodes, and this many failing periods, are kept.
    pub max_episodes: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_age: Duration::from_secs(90 * 24 * 3600),
            max_episodes: 200,
        }
    }
}

/// Unaccepted changes by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl LevelCounts {
    pub fn of(changes: &[Change]) -> LevelCounts {
        let mut c = LevelCounts::default();
        for ch in changes {
            match ch.level {
                Level::Err => c.error += 1,
                Level::Warn => c.warning += 1,
                Level::Info => c.info += 1,
                Level::None => {}
            }
        }
        c
    }
}

/// A consumed field that was not `ok`, as the verdict of the time said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSnapshot {
    pub operation: String,
    pub field: String,
    pub state: FieldState,
    /// Rule or finding ids that put it there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_rename: Option<String>,
}

/// The verdict, reduced to what history needs: ratio, counts, the fields not ok.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictSnapshot {
    pub visibility: f64,
    pub ok: usize,
    pub at_risk: usize,
    pub lost: usize,
    pub total: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSnapshot>,
}

impl VerdictSnapshot {
    /// From the verdict's public fields only.
    pub fn of(v: &Verdict) -> VerdictSnapshot {
        let fields = v
            .operations
            .iter()
            .flat_map(|op| {
                op.fields
                    .iter()
                    .filter(|f| f.state != FieldState::Ok)
                    .map(move |f| {
                        let mut reasons: Vec<String> =
                            f.reasons.iter().map(|r| r.id.clone()).collect();
                        reasons.sort();
                        reasons.dedup();
                        FieldSnapshot {
                            operation: op.operation.clone(),
                            field: f.field.clone(),
                            state: f.state,
                            reasons,
                            possible_rename: f.possible_rename.clone(),
                        }
                    })
            })
            .collect();
        VerdictSnapshot {
            visibility: v.visibility,
            ok: v.counts.ok,
            at_risk: v.counts.at_risk,
            lost: v.counts.lost,
            total: v.counts.total,
            fields,
        }
    }
}

/// The changes and the verdict of a drift at confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub counts: LevelCounts,
    /// The first `MAX_SNAPSHOT_CHANGES` changes.
    pub changes: Vec<Change>,
    pub changes_total: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictSnapshot>,
}

impl Snapshot {
    pub fn of(st: &IntegrationState) -> Snapshot {
        Snapshot {
            counts: LevelCounts::of(&st.changes),
            changes: st
                .changes
                .iter()
                .take(MAX_SNAPSHOT_CHANGES)
                .cloned()
                .collect(),
            changes_total: st.changes.len(),
            verdict: st
                .visibility
                .as_ref()
                .map(|v| VerdictSnapshot::of(&v.verdict)),
        }
    }
}

/// How a drift episode ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Ended {
    /// The vendor's spec matches the baseline again.
    VendorReverted,
    /// A human accepted a new baseline.
    Accepted {
        baseline_digest: String,
        by: String,
        reason: String,
        accepted_at: String,
    },
    /// The changes are now a different set: a new drift episode began.
    Superseded { by_drift: String },
    /// The integration has no baseline any more.
    BaselineRemoved,
}

/// Which episode a notification belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "episode", rename_all = "snake_case")]
pub enum EpisodeRef {
    Drift { drift: String },
    Failing { since: DateTime<Utc> },
}

/// What became of a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settled {
    Delivered,
    DeadLettered,
}

/// One line of the history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum HistoryRecord {
    DriftSeen {
        at: DateTime<Utc>,
        drift: String,
        /// The baseline the changes are against.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        baseline_digest: Option<String>,
        counts: LevelCounts,
        changes_total: usize,
        /// The verdict of the check that first saw it (monitors with a contract).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        verdict: Option<VerdictSnapshot>,
    },
    DriftConfirmed {
        at: DateTime<Utc>,
        drift: String,
        snapshot: Snapshot,
    },
    DriftEnded {
        at: DateTime<Utc>,
        drift: String,
        #[serde(flatten)]
        ended: Ended,
    },
    /// A human said they are on it (the control API's `ack`): reminders of this drift
    /// stop until `until` (or for as long as the drift lasts). `note` is the reason.
    Acknowledged {
        at: DateTime<Utc>,
        drift: String,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<DateTime<Utc>>,
    },
    /// The acknowledgement of `drift` was withdrawn (`DELETE .../ack`).
    AckCleared {
        at: DateTime<Utc>,
        drift: String,
        by: String,
    },
    FailingStarted {
        /// The start of the failing period (`failure.since`).
        at: DateTime<Utc>,
        reason: String,
        message: String,
    },
    FailingEnded {
        at: DateTime<Utc>,
        since: DateTime<Utc>,
    },
    NotificationQueued {
        at: DateTime<Utc>,
        #[serde(flatten)]
        episode: EpisodeRef,
        /// `drift.confirmed`, `drift.reminder`, `drift.resolved`, `check.failing`...
        kind: String,
        event_id: String,
        message_id: String,
        channel: String,
        destination: String,
    },
    NotificationSettled {
        at: DateTime<Utc>,
        #[serde(default, flatten, skip_serializing_if = "Option::is_none")]
        episode: Option<EpisodeRef>,
        kind: String,
        event_id: String,
        message_id: String,
        channel: String,
        destination: String,
        result: Settled,
        attempts: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

impl HistoryRecord {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            HistoryRecord::DriftSeen { at, .. }
            | HistoryRecord::DriftConfirmed { at, .. }
            | HistoryRecord::DriftEnded { at, .. }
            | HistoryRecord::Acknowledged { at, .. }
            | HistoryRecord::AckCleared { at, .. }
            | HistoryRecord::FailingStarted { at, .. }
            | HistoryRecord::FailingEnded { at, .. }
            | HistoryRecord::NotificationQueued { at, .. }
            | HistoryRecord::NotificationSettled { at, .. } => *at,
        }
    }
}

/// A notification as the history knows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub kind: String,
    pub channel: String,
    pub destination: String,
    pub event_id: String,
    pub message_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queued_at: Option<DateTime<Utc>>,
    /// `pending`, `delivered` or `dead_lettered`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Acknowledgement {
    pub at: DateTime<Utc>,
    pub by: String,
    /// The reason given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Reminders stop until then (`None`: while the drift lasts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleared_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleared_by: Option<String>,
}

impl Acknowledgement {
    /// Whether it still silences reminders at `now`.
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.cleared_at.is_none() && self.until.is_none_or(|u| now < u)
    }
}

/// One drift: from first seen to its end (or still open).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftEpisode {
    pub drift: String,
    pub first_seen: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_digest: Option<String>,
    pub counts: LevelCounts,
    pub changes_total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The changes and verdict at confirmation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Snapshot>,
    /// The verdict when first seen (used when the drift ended unconfirmed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_verdict: Option<VerdictSnapshot>,
    pub notifications: Vec<Notification>,
    pub acknowledgements: Vec<Acknowledgement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<Ended>,
    /// From first seen to its end, or to now while open.
    pub duration_seconds: i64,
}

impl DriftEpisode {
    /// The verdict of the episode: at confirmation, else when first seen.
    pub fn verdict(&self) -> Option<&VerdictSnapshot> {
        self.snapshot
            .as_ref()
            .and_then(|s| s.verdict.as_ref())
            .or(self.seen_verdict.as_ref())
    }
}

/// One period during which every check failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailingPeriod {
    pub since: DateTime<Utc>,
    pub reason: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    pub notifications: Vec<Notification>,
    pub duration_seconds: i64,
}

/// How long a consumed field was not seen (lost) or at risk, over the kept history:
/// the answer to "for how long were we blind to field X?".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blind {
    pub operation: String,
    pub field: String,
    /// The worst state it was in.
    pub state: FieldState,
    /// Summed over the episodes (from first seen to the end of each).
    pub total_seconds: i64,
    pub episodes: usize,
    /// Since when, if it is still not ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
    /// When it was last seen not ok.
    pub last: DateTime<Utc>,
}

/// The folded history of one integration, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    pub integration: String,
    pub episodes: Vec<DriftEpisode>,
    pub failing: Vec<FailingPeriod>,
    pub blind: Vec<Blind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Drift(usize),
    Failing(usize),
}

/// The history, oldest first, and which episode each record belongs to.
struct Folded {
    drift: Vec<DriftEpisode>,
    failing: Vec<FailingPeriod>,
    slots: Vec<Option<Slot>>,
}

fn fold(records: &[HistoryRecord]) -> Folded {
    let mut drift: Vec<DriftEpisode> = Vec::new();
    let mut failing: Vec<FailingPeriod> = Vec::new();
    let mut slots = Vec::with_capacity(records.len());
    let mut open_drift: Option<usize> = None;
    let mut open_failing: Option<usize> = None;
    let mut notes: HashMap<(String, String, String), (Slot, usize)> = HashMap::new();
    let last_with = |drift: &[DriftEpisode], id: &str| drift.iter().rposition(|e| e.drift == id);
    for r in records {
        let slot = match r {
            HistoryRecord::DriftSeen {
                at,
                drift: id,
                baseline_digest,
                counts,
                changes_total,
                verdict,
            } => match open_drift {
                Some(i) if drift[i].drift == *id => Some(Slot::Drift(i)),
                open => {
                    if let Some(i) = open {
                        // Cannot come from `observe` (it ends first); keep the fold total.
                        drift[i].ended_at = Some(*at);
                        drift[i].ended = Some(Ended::Superseded {
                            by_drift: id.clone(),
                        });
                    }
                    drift.push(DriftEpisode {
                        drift: id.clone(),
                        first_seen: *at,
                        baseline_digest: baseline_digest.clone(),
                        counts: *counts,
                        changes_total: *changes_total,
                        confirmed_at: None,
                        snapshot: None,
                        seen_verdict: verdict.clone(),
                        notifications: Vec::new(),
                        acknowledgements: Vec::new(),
                        ended_at: None,
                        ended: None,
                        duration_seconds: 0,
                    });
                    open_drift = Some(drift.len() - 1);
                    open_drift.map(Slot::Drift)
                }
            },
            HistoryRecord::DriftConfirmed {
                at,
                drift: id,
                snapshot,
            } => last_with(&drift, id).map(|i| {
                let e = &mut drift[i];
                if e.confirmed_at.is_none() {
                    e.confirmed_at = Some(*at);
                    e.counts = snapshot.counts;
                    e.changes_total = snapshot.changes_total;
                    e.snapshot = Some(snapshot.clone());
                }
                Slot::Drift(i)
            }),
            HistoryRecord::DriftEnded {
                at,
                drift: id,
                ended,
            } => last_with(&drift, id).map(|i| {
                if drift[i].ended_at.is_none() {
                    drift[i].ended_at = Some(*at);
                    drift[i].ended = Some(ended.clone());
                }
                if open_drift == Some(i) {
                    open_drift = None;
                }
                Slot::Drift(i)
            }),
            HistoryRecord::Acknowledged {
                at,
                drift: id,
                by,
                note,
                until,
            } => last_with(&drift, id).map(|i| {
                // A new acknowledgement replaces the one before it.
                for a in &mut drift[i].acknowledgements {
                    if a.cleared_at.is_none() {
                        a.cleared_at = Some(*at);
                        a.cleared_by = Some(by.clone());
                    }
                }
                drift[i].acknowledgements.push(Acknowledgement {
                    at: *at,
                    by: by.clone(),
                    note: note.clone(),
                    until: *until,
                    cleared_at: None,
                    cleared_by: None,
                });
                Slot::Drift(i)
            }),
            HistoryRecord::AckCleared { at, drift: id, by } => last_with(&drift, id).map(|i| {
                for a in &mut drift[i].acknowledgements {
                    if a.cleared_at.is_none() {
                        a.cleared_at = Some(*at);
                        a.cleared_by = Some(by.clone());
                    }
                }
                Slot::Drift(i)
            }),
            HistoryRecord::FailingStarted {
                at,
                reason,
                message,
            } => match open_failing {
                Some(i) if failing[i].since == *at => Some(Slot::Failing(i)),
                open => {
                    if let Some(i) = open {
                        failing[i].ended_at = Some(*at);
                    }
                    failing.push(FailingPeriod {
                        since: *at,
                        reason: reason.clone(),
                        message: message.clone(),
                        ended_at: None,
                        notifications: Vec::new(),
                        duration_seconds: 0,
                    });
                    open_failing = Some(failing.len() - 1);
                    open_failing.map(Slot::Failing)
                }
            },
            HistoryRecord::FailingEnded { at, since } => {
                failing.iter().rposition(|f| f.since == *since).map(|i| {
                    if failing[i].ended_at.is_none() {
                        failing[i].ended_at = Some(*at);
                    }
                    if open_failing == Some(i) {
                        open_failing = None;
                    }
                    Slot::Failing(i)
                })
            }
            HistoryRecord::NotificationQueued {
                at,
                episode,
                kind,
                event_id,
                message_id,
                channel,
                destination,
            } => {
                let key = (message_id.clone(), channel.clone(), destination.clone());
                if let Some((slot, _)) = notes.get(&key) {
                    Some(*slot)
                } else {
                    let slot = find_episode(&drift, &failing, episode);
                    if let Some(slot) = slot {
                        let n = Notification {
                            kind: kind.clone(),
                            channel: channel.clone(),
                            destination: destination.clone(),
                            event_id: event_id.clone(),
                            message_id: message_id.clone(),
                            queued_at: Some(*at),
                            status: "pending",
                            settled_at: None,
                            attempts: None,
                            error: None,
                        };
                        let list = notifications_of(&mut drift, &mut failing, slot);
                        list.push(n);
                        notes.insert(key, (slot, list.len() - 1));
                    }
                    slot
                }
            }
            HistoryRecord::NotificationSettled {
                at,
                episode,
                kind,
                event_id,
                message_id,
                channel,
                destination,
                result,
                attempts,
                error,
            } => {
                let key = (message_id.clone(), channel.clone(), destination.clone());
                let found = notes.get(&key).copied().or_else(|| {
                    let slot = find_episode(&drift, &failing, episode.as_ref()?)?;
                    let list = notifications_of(&mut drift, &mut failing, slot);
                    list.push(Notification {
                        kind: kind.clone(),
                        channel: channel.clone(),
                        destination: destination.clone(),
                        event_id: event_id.clone(),
                        message_id: message_id.clone(),
                        queued_at: None,
                        status: "pending",
                        settled_at: None,
                        attempts: None,
                        error: None,
                    });
                    let at = (slot, list.len() - 1);
                    notes.insert(key, at);
                    Some(at)
                });
                found.map(|(slot, idx)| {
                    let n = &mut notifications_of(&mut drift, &mut failing, slot)[idx];
                    // The first settlement wins (a crash can repeat one; never undo it).
                    if n.settled_at.is_none() {
                        n.status = match result {
                            Settled::Delivered => "delivered",
                            Settled::DeadLettered => "dead_lettered",
                        };
                        n.settled_at = Some(*at);
                        n.attempts = Some(*attempts);
                        n.error = error.clone();
                    }
                    slot
                })
            }
        };
        slots.push(slot);
    }
    Folded {
        drift,
        failing,
        slots,
    }
}

fn find_episode(drift: &[DriftEpisode], failing: &[FailingPeriod], r: &EpisodeRef) -> Option<Slot> {
    match r {
        EpisodeRef::Drift { drift: id } => {
            drift.iter().rposition(|e| e.drift == *id).map(Slot::Drift)
        }
        EpisodeRef::Failing { since } => failing
            .iter()
            .rposition(|f| f.since == *since)
            .map(Slot::Failing),
    }
}

fn notifications_of<'a>(
    drift: &'a mut [DriftEpisode],
    failing: &'a mut [FailingPeriod],
    slot: Slot,
) -> &'a mut Vec<Notification> {
    match slot {
        Slot::Drift(i) => &mut drift[i].notifications,
        Slot::Failing(i) => &mut failing[i].notifications,
    }
}

/// Seconds from `a` to `b` (0 when `b` is earlier).
fn seconds(a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    (b - a).num_seconds().max(0)
}

fn blind(drift: &[DriftEpisode], now: DateTime<Utc>) -> Vec<Blind> {
    let mut by: BTreeMap<(String, String), Blind> = BTreeMap::new();
    for e in drift {
        let Some(v) = e.verdict() else { continue };
        let end = e.ended_at.unwrap_or(now);
        for f in &v.fields {
            let b = by
                .entry((f.operation.clone(), f.field.clone()))
                .or_insert_with(|| Blind {
                    operation: f.operation.clone(),
                    field: f.field.clone(),
                    state: f.state,
                    total_seconds: 0,
                    episodes: 0,
                    since: None,
                    last: end,
                });
            b.state = b.state.max(f.state);
            b.total_seconds += seconds(e.first_seen, end);
            b.episodes += 1;
            b.last = b.last.max(end);
            if e.ended_at.is_none() {
                b.since = Some(e.first_seen);
            }
        }
    }
    let mut out: Vec<Blind> = by.into_values().collect();
    out.sort_by(|a, b| {
        (b.state, b.since.is_some(), b.total_seconds).cmp(&(
            a.state,
            a.since.is_some(),
            a.total_seconds,
        ))
    });
    out
}

/// What `observe` needs without reading the file again.
#[derive(Debug, Clone, Default)]
struct Cursor {
    open_drift: Option<(String, Option<String>, bool)>,
    open_failing: Option<DateTime<Utc>>,
    drift_episodes: usize,
    failing_periods: usize,
    oldest_end: Option<DateTime<Utc>>,
}

impl Cursor {
    fn of(f: &Folded) -> Cursor {
        let open_drift = f.drift.last().filter(|e| e.ended_at.is_none()).map(|e| {
            (
                e.drift.clone(),
                e.baseline_digest.clone(),
                e.confirmed_at.is_some(),
            )
        });
        let open_failing = f
            .failing
            .last()
            .filter(|p| p.ended_at.is_none())
            .map(|p| p.since);
        let ends = f
            .drift
            .iter()
            .filter_map(|e| e.ended_at)
            .chain(f.failing.iter().filter_map(|p| p.ended_at));
        Cursor {
            open_drift,
            open_failing,
            drift_episodes: f.drift.len(),
            failing_periods: f.failing.len(),
            oldest_end: ends.min(),
        }
    }
}

/// The history directory (`<state>/history`).
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    policy: Policy,
    cursors: Mutex<HashMap<String, Cursor>>,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>, policy: Policy) -> Store {
        Store {
            dir: dir.into(),
            policy,
            cursors: Mutex::new(HashMap::new()),
        }
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    pub fn path(&self, name: &str) -> PathBuf {
        // Monitor names are `[a-z0-9-]`; anything else is hashed so it stays inside.
        let safe = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let stem = if safe {
            name.to_string()
        } else {
            format!("h-{}", &crate::baseline::digest(name.as_bytes())[7..39])
        };
        self.dir.join(format!("{stem}.jsonl"))
    }

    /// Every readable record, oldest first (a line cut by a kill, or of an unknown
    /// kind, is skipped).
    pub fn records(&self, name: &str) -> io::Result<Vec<HistoryRecord>> {
        let text = match std::fs::read_to_string(self.path(name)) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }

    /// The folded history of `name` at `now` (newest first).
    pub fn load(&self, name: &str, now: DateTime<Utc>) -> io::Result<History> {
        let f = fold(&self.records(name)?);
        let mut drift = f.drift;
        let mut failing = f.failing;
        for e in &mut drift {
            e.duration_seconds = seconds(e.first_seen, e.ended_at.unwrap_or(now));
        }
        for p in &mut failing {
            p.duration_seconds = seconds(p.since, p.ended_at.unwrap_or(now));
        }
        let blind = blind(&drift, now);
        drift.reverse();
        failing.reverse();
        Ok(History {
            integration: name.to_string(),
            episodes: drift,
            failing,
            blind,
        })
    }

    fn cursor(&self, name: &str) -> io::Result<Cursor> {
        if let Some(c) = self.cursors.lock().ok().and_then(|c| c.get(name).cloned()) {
            return Ok(c);
        }
        let c = Cursor::of(&fold(&self.records(name)?));
        if let Ok(mut all) = self.cursors.lock() {
            all.insert(name.to_string(), c.clone());
        }
        Ok(c)
    }

    /// Forgets what is cached of `name`'s file (rewritten by someone else: the
    /// PostgreSQL replica's cache, `daemon::replica`).
    pub fn invalidate(&self, name: &str) {
        self.forget(name);
    }

    fn forget(&self, name: &str) {
        if let Ok(mut all) = self.cursors.lock() {
            all.remove(name);
        }
    }

    /// Appends records (each line fsynced), then applies retention when it is due.
    pub fn append(
        &self,
        name: &str,
        records: &[HistoryRecord],
        now: DateTime<Utc>,
    ) -> io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let path = self.path(name);
        for r in records {
            let line = serde_json::to_string(r).map_err(io::Error::other)?;
            atomic::append_line(&path, &line)?;
        }
        // The cursor is rebuilt from the file: appends are rare (transitions only).
        self.forget(name);
        let c = self.cursor(name)?;
        let cutoff = now - chrono::Duration::from_std(self.policy.max_age).unwrap_or_default();
        if c.drift_episodes > self.policy.max_episodes
            || c.failing_periods > self.policy.max_episodes
            || c.oldest_end.is_some_and(|t| t < cutoff)
        {
            self.trim(name, now)?;
        }
        Ok(())
    }

    /// Drops the episodes retention no longer keeps (rewriting the file atomically).
    /// Returns how many records were dropped.
    pub fn trim(&self, name: &str, now: DateTime<Utc>) -> io::Result<usize> {
        let records = self.records(name)?;
        let f = fold(&records);
        let cutoff = now - chrono::Duration::from_std(self.policy.max_age).unwrap_or_default();
        let keep_of = |ends: Vec<Option<DateTime<Utc>>>| -> Vec<bool> {
            let n = ends.len();
            ends.iter()
                .enumerate()
                .map(|(i, end)| match end {
                    None => true,
                    Some(t) => *t >= cutoff && n - i <= self.policy.max_episodes,
                })
                .collect()
        };
        let keep_drift = keep_of(f.drift.iter().map(|e| e.ended_at).collect());
        let keep_failing = keep_of(f.failing.iter().map(|p| p.ended_at).collect());
        let mut kept = Vec::with_capacity(records.len());
        for (r, slot) in records.iter().zip(&f.slots) {
            let keep = match slot {
                Some(Slot::Drift(i)) => keep_drift[*i],
                Some(Slot::Failing(i)) => keep_failing[*i],
                // A notification of an episode already gone: kept while recent.
                None => r.at() >= cutoff,
            };
            if keep {
                kept.push(r);
            }
        }
        let dropped = records.len() - kept.len();
        if dropped > 0 {
            let mut text = String::new();
            for r in kept {
                text.push_str(&serde_json::to_string(r).map_err(io::Error::other)?);
                text.push('\n');
            }
            atomic::write(&self.path(name), text.as_bytes())?;
            self.forget(name);
        }
        Ok(dropped)
    }

    /// Brings the history in line with the saved state `st`: appends what happened
    /// since the last record (a drift seen, confirmed or ended; a failing period begun
    /// or ended). `baseline` is the current approval, to tell an accept from a revert.
    /// Idempotent: the same state appends nothing the second time.
    pub fn observe(
        &self,
        st: &IntegrationState,
        baseline: Option<&crate::baseline::Record>,
        now: DateTime<Utc>,
    ) -> io::Result<usize> {
        let name = &st.integration;
        let c = self.cursor(name)?;
        let at = st.last_check.unwrap_or(now);
        let mut out = Vec::new();
        let same = matches!((&c.open_drift, &st.drift), (Some((id, _, _)), Some(d)) if *id == d.id);
        if same {
            if let (Some((_, _, false)), Some(d)) = (&c.open_drift, &st.drift)
                && d.confirmed
            {
                out.push(HistoryRecord::DriftConfirmed {
                    at: d.confirmed_at.unwrap_or(at),
                    drift: d.id.clone(),
                    snapshot: Snapshot::of(st),
                });
            }
        } else {
            if let Some((id, base, _)) = &c.open_drift {
                let ended = if st.status == Status::NoBaseline {
                    Ended::BaselineRemoved
                } else if let Some(b) = baseline.filter(|b| Some(&b.digest) != base.as_ref()) {
                    Ended::Accepted {
                        baseline_digest: b.digest.clone(),
                        by: b.by.clone(),
                        reason: b.reason.clone(),
                        accepted_at: b.accepted_at.clone(),
                    }
                } else if let Some(d) = &st.drift {
                    Ended::Superseded {
                        by_drift: d.id.clone(),
                    }
                } else {
                    Ended::VendorReverted
                };
                out.push(HistoryRecord::DriftEnded {
                    at,
                    drift: id.clone(),
                    ended,
                });
            }
            if let Some(d) = &st.drift {
                out.push(HistoryRecord::DriftSeen {
                    at: d.first_seen,
                    drift: d.id.clone(),
                    baseline_digest: st.spec.as_ref().map(|s| s.compared_with.clone()),
                    counts: LevelCounts::of(&st.changes),
                    changes_total: st.changes.len(),
                    verdict: st
                        .visibility
                        .as_ref()
                        .map(|v| VerdictSnapshot::of(&v.verdict)),
                });
                if d.confirmed {
                    out.push(HistoryRecord::DriftConfirmed {
                        at: d.confirmed_at.unwrap_or(at),
                        drift: d.id.clone(),
                        snapshot: Snapshot::of(st),
                    });
                }
            }
        }
        match (&c.open_failing, &st.failure) {
            (Some(since), Some(f)) if *since == f.since => {}
            (open, failure) => {
                if let Some(since) = open {
                    out.push(HistoryRecord::FailingEnded {
                        at: st.last_success.filter(|t| t > since).unwrap_or(at),
                        since: *since,
                    });
                }
                if let Some(f) = failure {
                    out.push(HistoryRecord::FailingStarted {
                        at: f.since,
                        reason: f.reason.as_str().to_string(),
                        message: f.message.clone(),
                    });
                }
            }
        }
        let n = out.len();
        self.append(name, &out, now)?;
        Ok(n)
    }
}

/// `2 d 3 h`, `5 h 12 min`, `4 min 10 s`, `12 s`: two units at most.
pub fn human_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {sec} s")
    } else {
        format!("{sec} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Section, fingerprint};
    use crate::fetch::{FailureReason, Validators};
    use crate::state::{Outcome, SpecSeen};

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn change(id: &str) -> Change {
        Change {
            id: id.into(),
            text: id.into(),
            comment: None,
            level: Level::Err,
            operation: None,
            path: Some("/x".into()),
            operation_id: None,
            section: Section::Paths,
            args: vec![],
            base_pointer: None,
            revision_pointer: None,
            fingerprint: fingerprint(id, None, Some("/x"), &[]),
        }
    }

    fn compared(ids: &[&str]) -> Outcome {
        Outcome::Compared {
            baseline_digest: "sha256:b1".into(),
            spec: SpecSeen {
                digest: "sha256:s".into(),
                bytes: 1,
                validators: Validators::default(),
                compared_with: String::new(),
            },
            changes: ids.iter().map(|i| change(i)).collect(),
        }
    }

    fn failed() -> Outcome {
        Outcome::Failed {
            reason: FailureReason::Timeout,
            message: "no answer in 1s".into(),
        }
    }

    fn record(digest: &str) -> crate::baseline::Record {
        crate::baseline::Record {
            integration: "a".into(),
            digest: digest.into(),
            object: "objects/x.yaml".into(),
            source: "s".into(),
            accepted_at: "2027-01-15T08:00:00Z".into(),
            by: "alice".into(),
            reason: "fetcher updated".into(),
            samples: None,
            samples_digest: None,
        }
    }

    #[test]
    fn episodes_follow_the_state_once_each_and_survive_a_new_store() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path(), Policy::default());
        let b1 = record("sha256:b1");
        let mut st = IntegrationState::new("a");
        st.apply(compared(&["r1"]), 2, t(0));
        assert_eq!(store.observe(&st, Some(&b1), t(0)).unwrap(), 1);
        assert_eq!(
            store.observe(&st, Some(&b1), t(1)).unwrap(),
            0,
            "idempotent"
        );
        st.apply(Outcome::Unchanged, 2, t(60));
        assert_eq!(store.observe(&st, Some(&b1), t(60)).unwrap(), 1);
        st.apply(failed(), 2, t(120));
        st.apply(failed(), 2, t(180));
        store.observe(&st, Some(&b1), t(180)).unwrap();
        st.apply(Outcome::Unchanged, 2, t(240));
        store.observe(&st, Some(&b1), t(240)).unwrap();
        // A new store (a restart) reads the same file.
        let store = Store::new(d.path(), Policy::default());
        let h = store.load("a", t(300)).unwrap();
        assert_eq!(h.episodes.len(), 1);
        let e = &h.episodes[0];
        assert_eq!(
            (e.first_seen, e.confirmed_at, e.ended_at),
            (t(0), Some(t(60)), None)
        );
        assert_eq!(e.snapshot.as_ref().unwrap().changes.len(), 1);
        assert_eq!(e.duration_seconds, 300);
        assert_eq!(h.failing.len(), 1);
        assert_eq!(
            (h.failing[0].since, h.failing[0].ended_at),
            (t(120), Some(t(240)))
        );
        assert_eq!(h.failing[0].reason, "timeout");
        // Accepting a new baseline ends it as accepted, with who and why.
        let b2 = record("sha256:b2");
        st.apply(
            Outcome::Compared {
                baseline_digest: "sha256:b2".into(),
                spec: SpecSeen {
                    digest: "sha256:s".into(),
                    bytes: 1,
                    validators: Validators::default(),
                    compared_with: String::new(),
                },
                changes: vec![],
            },
            2,
            t(400),
        );
        store.observe(&st, Some(&b2), t(400)).unwrap();
        let h = store.load("a", t(500)).unwrap();
        let e = &h.episodes[0];
        assert_eq!(e.ended_at, Some(t(400)));
        match &e.ended {
            Some(Ended::Accepted {
                by,
                reason,
                baseline_digest,
                ..
            }) => {
                assert_eq!((by.as_str(), reason.as_str()), ("alice", "fetcher updated"));
                assert_eq!(baseline_digest, "sha256:b2");
            }
            other => panic!("{other:?}"),
        }
        // The same drift coming back is a second episode; a revert ends it as such.
        st.apply(compared(&["r1"]), 1, t(600));
        store.observe(&st, Some(&b1), t(600)).unwrap();
        st.apply(compared(&[]), 1, t(700));
        store.observe(&st, Some(&b1), t(700)).unwrap();
        let h = store.load("a", t(800)).unwrap();
        assert_eq!(h.episodes.len(), 2);
        assert_eq!(h.episodes[0].ended, Some(Ended::VendorReverted));
    }

    #[test]
    fn a_missed_append_is_repaired_with_the_state_times() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path(), Policy::default());
        let mut st = IntegrationState::new("a");
        st.apply(compared(&["r1"]), 1, t(10));
        // The process died after saving the state and before observing it.
        let store2 = Store::new(d.path(), Policy::default());
        store2.observe(&st, None, t(5000)).unwrap();
        let h = store.load("a", t(5000)).unwrap();
        assert_eq!(h.episodes[0].first_seen, t(10));
        assert_eq!(h.episodes[0].confirmed_at, Some(t(10)));
    }

    #[test]
    fn notifications_attach_to_their_episode_and_settle_once() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path(), Policy::default());
        let mut st = IntegrationState::new("a");
        st.apply(compared(&["r1"]), 1, t(0));
        store.observe(&st, None, t(0)).unwrap();
        let id = st.drift.as_ref().unwrap().id.clone();
        let q = |at| HistoryRecord::NotificationQueued {
            at,
            episode: EpisodeRef::Drift { drift: id.clone() },
            kind: "drift.confirmed".into(),
            event_id: "evt_1".into(),
            message_id: "evt_1".into(),
            channel: "webhook".into(),
            destination: "agent".into(),
        };
        let s = |at, result| HistoryRecord::NotificationSettled {
            at,
            episode: None,
            kind: "drift.confirmed".into(),
            event_id: "evt_1".into(),
            message_id: "evt_1".into(),
            channel: "webhook".into(),
            destination: "agent".into(),
            result,
            attempts: 3,
            error: None,
        };
        // Queued twice (a crash before the tracker committed), settled twice.
        store.append("a", &[q(t(1)), q(t(2))], t(2)).unwrap();
        let h = store.load("a", t(3)).unwrap();
        assert_eq!(h.episodes[0].notifications.len(), 1);
        assert_eq!(h.episodes[0].notifications[0].status, "pending");
        store
            .append(
                "a",
                &[s(t(5), Settled::Delivered), s(t(6), Settled::DeadLettered)],
                t(6),
            )
            .unwrap();
        let n = &store.load("a", t(7)).unwrap().episodes[0].notifications[0];
        assert_eq!(
            (n.status, n.settled_at, n.attempts),
            ("delivered", Some(t(5)), Some(3))
        );
    }

    #[test]
    fn retention_trims_the_oldest_episodes_by_count_and_by_age() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(
            d.path(),
            Policy {
                max_age: Duration::from_secs(10_000),
                max_episodes: 3,
            },
        );
        let mut st = IntegrationState::new("a");
        for i in 0..5 {
            let id = format!("r{i}");
            st.apply(compared(&[id.as_str()]), 1, t(i * 100));
            store.observe(&st, None, t(i * 100)).unwrap();
        }
        let h = store.load("a", t(500)).unwrap();
        // Five episodes were seen (four ended by the next); at most three are kept,
        // the newest, and the open one among them.
        assert_eq!(h.episodes.len(), 3, "{:#?}", h.episodes);
        assert!(h.episodes[0].ended_at.is_none());
        assert_eq!(h.episodes[2].first_seen, t(200));
        // Long after: the ended ones age out, the open one stays.
        st.apply(failed(), 1, t(30_000));
        store.observe(&st, None, t(30_000)).unwrap();
        let h = store.load("a", t(30_000)).unwrap();
        assert_eq!(h.episodes.len(), 1);
        assert_eq!(h.episodes[0].first_seen, t(400));
        let lines = std::fs::read_to_string(store.path("a"))
            .unwrap()
            .lines()
            .count();
        assert_eq!(
            lines, 3,
            "drift_seen + drift_confirmed of the open episode, failing_started"
        );
    }

    #[test]
    fn blind_durations_sum_the_episodes_of_a_field() {
        let v = |state| VerdictSnapshot {
            visibility: 0.5,
            ok: 1,
            at_risk: 0,
            lost: 1,
            total: 2,
            fields: vec![FieldSnapshot {
                operation: "GET /users".into(),
                field: "lastLogin".into(),
                state,
                reasons: vec!["response-property-removed".into()],
                possible_rename: None,
            }],
        };
        let recs = vec![
            HistoryRecord::DriftSeen {
                at: t(0),
                drift: "d1".into(),
                baseline_digest: None,
                counts: LevelCounts::default(),
                changes_total: 1,
                verdict: Some(v(FieldState::AtRisk)),
            },
            HistoryRecord::DriftEnded {
                at: t(3600),
                drift: "d1".into(),
                ended: Ended::VendorReverted,
            },
            HistoryRecord::DriftSeen {
                at: t(7200),
                drift: "d2".into(),
                baseline_digest: None,
                counts: LevelCounts::default(),
                changes_total: 1,
                verdict: Some(v(FieldState::Lost)),
            },
        ];
        let f = fold(&recs);
        let b = blind(&f.drift, t(9000));
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].state, FieldState::Lost);
        assert_eq!(b[0].total_seconds, 3600 + 1800);
        assert_eq!((b[0].episodes, b[0].since), (2, Some(t(7200))));
        assert_eq!(human_duration(3600 + 1800), "1 h 30 min");
        assert_eq!(human_duration(2 * 86_400 + 7200), "2 d 2 h");
    }

    #[test]
    fn a_cut_last_line_is_skipped() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path(), Policy::default());
        let mut st = IntegrationState::new("a");
        st.apply(compared(&["r1"]), 1, t(0));
        store.observe(&st, None, t(0)).unwrap();
        let p = store.path("a");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("{\"record\":\"drift_ended\",\"at\":\"20");
        std::fs::write(&p, text).unwrap();
        let h = Store::new(d.path(), Policy::default())
            .load("a", t(10))
            .unwrap();
        assert_eq!(h.episodes.len(), 1);
        assert!(h.episodes[0].ended_at.is_none());
    }
}
