//! When to notify: dedup on the set of change fingerprints, reminders, and the
//! failing / recovered episodes, persisted so a restart never notifies twice.
//!
//! Owns: `Tracker` (one small JSON file per integration under its directory),
//! `TrackerPolicy` (`remind_after`, `failing_after`), `DriftObservation`, `Notice`.
//!
//! Protocol: `decide` is pure (reads the stored memo, returns the notices and the next
//! memo); the caller enqueues the notices in the `Outbox`, *then* calls `commit`. A crash
//! in between makes the next `decide` return the same notices with the same ids, which
//! the outbox ignores as already enqueued: nothing is lost, nothing doubles.
//!
//! Rules:
//! - a confirmed drift whose fingerprint set differs from the last one notified starts a
//!   new episode: `drift.confirmed` (a changed set is a new drift, not a resolution);
//! - the same set again: nothing, unless `remind_after` has passed since the last mail,
//!   then `drift.reminder` (email only); never while the drift is acknowledged (a new
//!   set is a new drift, which no acknowledgement covers);
//! - `Clean` while a drift is known: `drift.resolved`; `Unknown` (the check failed)
//!   never touches the drift, since a vendor fault is not a resolution;
//! - failing longer than `failing_after`: one `check.failing` per failing episode; when
//!   it ends, `check.recovered` (only if `check.failing` was sent).
//!
//! Must not: decide what is drift or send anything.

use super::event::{Event, EventKind, IntegrationRef};
use super::write_atomic;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// What a notice is for; `DriftReminder` exists for email only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    #[serde(rename = "drift.confirmed")]
    DriftConfirmed,
    #[serde(rename = "drift.reminder")]
    DriftReminder,
    #[serde(rename = "drift.resolved")]
    DriftResolved,
    #[serde(rename = "check.failing")]
    CheckFailing,
    #[serde(rename = "check.recovered")]
    CheckRecovered,
}

impl NoticeKind {
    /// The event type a notice carries (a reminder carries `drift.confirmed`).
    pub fn event_kind(self) -> EventKind {
        match self {
            NoticeKind::DriftConfirmed | NoticeKind::DriftReminder => EventKind::DriftConfirmed,
            NoticeKind::DriftResolved => EventKind::DriftResolved,
            NoticeKind::CheckFailing => EventKind::CheckFailing,
            NoticeKind::CheckRecovered => EventKind::CheckRecovered,
        }
    }

    /// Whether webhooks and commands receive it (reminders are for people).
    pub fn for_machines(self) -> bool {
        self != NoticeKind::DriftReminder
    }
}

/// `remind_after` (default 24 h) and `failing_after` (default 1 h).
#[derive(Debug, Clone, Copy)]
pub struct TrackerPolicy {
    pub remind_after: Duration,
    pub failing_after: Duration,
}

impl Default for TrackerPolicy {
    fn default() -> Self {
        TrackerPolicy {
            remind_after: Duration::from_secs(24 * 3600),
            failing_after: Duration::from_secs(3600),
        }
    }
}

/// What the last check says about drift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftObservation {
    /// The check failed: nothing is known, the drift memo is left alone.
    Unknown,
    /// The spec matches the baseline (or the drift was accepted).
    Clean,
    /// A confirmed drift with these change fingerprints (unconfirmed drift is `Clean`
    /// for notification purposes until `confirm_after` polls agree).
    Confirmed(BTreeSet<String>),
}

/// A notification to send. Build the `Event` with `event_skeleton` and fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The event id (idempotency key).
    pub event_id: String,
    /// The id of this message: the event id, or `<event id>.reminder-<n>`.
    pub message_id: String,
    /// The drift's fingerprints (for a resolution: the set that went away).
    pub fingerprints: BTreeSet<String>,
    /// Start of the failing episode, for `check.*`.
    pub failing_since: Option<DateTime<Utc>>,
    /// When the drift was first confirmed, for reminders and resolutions (a reminder
    /// says how long it has been open); `None` on the confirmation itself.
    pub drift_since: Option<DateTime<Utc>>,
}

impl Notice {
    /// An `Event` with this notice's kind and id; the caller adds changes, verdict...
    pub fn event_skeleton(&self, time: DateTime<Utc>, integration: IntegrationRef) -> Event {
        let mut e = Event::new(
            self.kind.event_kind(),
            self.event_id.clone(),
            time,
            integration,
        );
        e.drift_since = self.drift_since;
        e
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct DriftMemo {
    episode: u64,
    fingerprints: BTreeSet<String>,
    confirmed_at: DateTime<Utc>,
    last_mailed_at: DateTime<Utc>,
    reminders: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FailMemo {
    since: DateTime<Utc>,
    notified: bool,
}

/// What the tracker remembers about one integration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memo {
    #[serde(default)]
    episodes: u64,
    #[serde(default)]
    drift: Option<DriftMemo>,
    #[serde(default)]
    failing: Option<FailMemo>,
}

/// The notices of one observation and the memo to commit after enqueueing them.
#[derive(Debug, Clone)]
pub struct Decision {
    pub integration: String,
    pub notices: Vec<Notice>,
    next: Memo,
}

/// Persisted notification memory, one file per integration.
#[derive(Debug, Clone)]
pub struct Tracker {
    dir: PathBuf,
    policy: TrackerPolicy,
}

impl Tracker {
    pub fn open(dir: impl Into<PathBuf>, policy: TrackerPolicy) -> io::Result<Tracker> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(Tracker { dir, policy })
    }

    pub fn path(&self, integration: &str) -> PathBuf {
        file_in(&self.dir, integration)
    }
}

/// The memo file of `integration` in the tracker directory `dir`.
pub fn file_in(dir: &std::path::Path, integration: &str) -> PathBuf {
    // Monitor names are `[a-z0-9-]`; anything else is hashed so no name escapes the dir.
    let safe = integration
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !integration.is_empty();
    let stem = if safe {
        integration.to_string()
    } else {
        format!("h-{}", &super::sha256_hex(integration.as_bytes())[..32])
    };
    dir.join(format!("{stem}.json"))
}

impl Tracker {
    fn load(&self, integration: &str) -> io::Result<Memo> {
        match std::fs::read(self.path(integration)) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Memo::default()),
            Err(e) => Err(e),
        }
    }

    /// Decides what to send for this observation; does not persist anything.
    /// `failing_since` is the start of the current failing episode, `None` when the
    /// last check succeeded.
    pub fn decide(
        &self,
        integration: &str,
        drift: &DriftObservation,
        failing_since: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> io::Result<Decision> {
        self.decide_acknowledged(integration, drift, failing_since, false, now)
    }

    /// `decide`, knowing whether a human acknowledged the current drift: then no
    /// reminder is due (a confirmation of a new set, a resolution and the failing
    /// notices are unaffected).
    pub fn decide_acknowledged(
        &self,
        integration: &str,
        drift: &DriftObservation,
        failing_since: Option<DateTime<Utc>>,
        acknowledged: bool,
        now: DateTime<Utc>,
    ) -> io::Result<Decision> {
        let memo = self.load(integration)?;
        let policy = Policy {
            tracker: self.policy,
            acknowledged,
        };
        Ok(decide(integration, memo, drift, failing_since, now, policy))
    }

    /// Persists the memo of a decision whose notices are enqueued.
    pub fn commit(&self, decision: &Decision) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(&decision.next)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        write_atomic(&self.path(&decision.integration), &bytes)
    }
}

/// The tracker's policy and whether the current drift is acknowledged.
struct Policy {
    tracker: TrackerPolicy,
    acknowledged: bool,
}

fn decide(
    name: &str,
    memo: Memo,
    drift: &DriftObservation,
    failing_since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    p: Policy,
) -> Decision {
    let policy = p.tracker;
    let mut next = memo;
    let mut notices = Vec::new();
    match drift {
        DriftObservation::Unknown => {}
        DriftObservation::Clean => {
            if let Some(d) = next.drift.take() {
                let id = Event::drift_id(
                    EventKind::DriftResolved,
                    name,
                    d.episode,
                    d.fingerprints.iter().map(String::as_str),
                );
                notices.push(Notice {
                    kind: NoticeKind::DriftResolved,
                    event_id: id.clone(),
                    message_id: id,
                    fingerprints: d.fingerprints,
                    failing_since: None,
                    drift_since: Some(d.confirmed_at),
                });
            }
        }
        DriftObservation::Confirmed(set) if set.is_empty() => {}
        DriftObservation::Confirmed(set) => {
            let same = next.drift.as_ref().is_some_and(|d| &d.fingerprints == set);
            if same {
                if let Some(d) = next.drift.as_mut().filter(|_| !p.acknowledged) {
                    let due = (now - d.last_mailed_at)
                        .to_std()
                        .is_ok_and(|elapsed| elapsed >= policy.remind_after);
                    if due {
                        d.reminders += 1;
                        d.last_mailed_at = now;
                        let id = Event::drift_id(
                            EventKind::DriftConfirmed,
                            name,
                            d.episode,
                            d.fingerprints.iter().map(String::as_str),
                        );
                        notices.push(Notice {
                            kind: NoticeKind::DriftReminder,
                            message_id: format!("{id}.reminder-{}", d.reminders),
                            event_id: id,
                            fingerprints: d.fingerprints.clone(),
                            failing_since: None,
                            drift_since: Some(d.confirmed_at),
                        });
                    }
                }
            } else {
                next.episodes += 1;
                let id = Event::drift_id(
                    EventKind::DriftConfirmed,
                    name,
                    next.episodes,
                    set.iter().map(String::as_str),
                );
                next.drift = Some(DriftMemo {
                    episode: next.episodes,
                    fingerprints: set.clone(),
                    confirmed_at: now,
                    last_mailed_at: now,
                    reminders: 0,
                });
                notices.push(Notice {
                    kind: NoticeKind::DriftConfirmed,
                    event_id: id.clone(),
                    message_id: id,
                    fingerprints: set.clone(),
                    failing_since: None,
                    // The event's own time (a retried decision must yield the same notice).
                    drift_since: None,
                });
            }
        }
    }
    match failing_since {
        Some(since) => {
            let f = match next.failing.take() {
                Some(f) if f.since == since => f,
                _ => FailMemo {
                    since,
                    notified: false,
                },
            };
            let mut f = f;
            let long_enough = (now - since)
                .to_std()
                .is_ok_and(|elapsed| elapsed >= policy.failing_after);
            if !f.notified && long_enough {
                f.notified = true;
                let id = Event::failure_id(EventKind::CheckFailing, name, since);
                notices.push(Notice {
                    kind: NoticeKind::CheckFailing,
                    event_id: id.clone(),
                    message_id: id,
                    fingerprints: BTreeSet::new(),
                    failing_since: Some(since),
                    drift_since: None,
                });
            }
            next.failing = Some(f);
        }
        None => {
            if let Some(f) = next.failing.take()
                && f.notified
            {
                let id = Event::failure_id(EventKind::CheckRecovered, name, f.since);
                notices.push(Notice {
                    kind: NoticeKind::CheckRecovered,
                    event_id: id.clone(),
                    message_id: id,
                    fingerprints: BTreeSet::new(),
                    failing_since: Some(f.since),
                    drift_since: None,
                });
            }
        }
    }
    Decision {
        integration: name.to_string(),
        notices,
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_700_000_000 + secs, 0).unwrap()
    }

    fn set(items: &[&str]) -> DriftObservation {
        DriftObservation::Confirmed(items.iter().map(|s| s.to_string()).collect())
    }

    fn kinds(d: &Decision) -> Vec<NoticeKind> {
        d.notices.iter().map(|n| n.kind).collect()
    }

    #[test]
    fn same_drift_mails_once_then_reminds_then_resolves_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let open = || Tracker::open(dir.path(), TrackerPolicy::default()).unwrap();
        let tr = open();
        let d = tr.decide("okta", &set(&["a", "b"]), None, t(0)).unwrap();
        assert_eq!(kinds(&d), vec![NoticeKind::DriftConfirmed]);
        // Crash before commit: the same notice, same id.
        let again = open()
            .decide("okta", &set(&["b", "a"]), None, t(5))
            .unwrap();
        assert_eq!(again.notices, d.notices);
        tr.commit(&d).unwrap();
        // Restart: same set, nothing.
        let tr = open();
        assert!(
            tr.decide("okta", &set(&["a", "b"]), None, t(3600))
                .unwrap()
                .notices
                .is_empty()
        );
        // A failed check knows nothing and changes nothing.
        assert!(
            tr.decide("okta", &DriftObservation::Unknown, None, t(3600))
                .unwrap()
                .notices
                .is_empty()
        );
        let r = tr
            .decide("okta", &set(&["a", "b"]), None, t(24 * 3600))
            .unwrap();
        assert_eq!(kinds(&r), vec![NoticeKind::DriftReminder]);
        assert_eq!(r.notices[0].event_id, d.notices[0].event_id);
        assert!(r.notices[0].message_id.ends_with(".reminder-1"));
        tr.commit(&r).unwrap();
        assert!(
            tr.decide("okta", &set(&["a", "b"]), None, t(24 * 3600 + 60))
                .unwrap()
                .notices
                .is_empty()
        );
        let res = tr
            .decide("okta", &DriftObservation::Clean, None, t(25 * 3600))
            .unwrap();
        assert_eq!(kinds(&res), vec![NoticeKind::DriftResolved]);
        tr.commit(&res).unwrap();
        // The same drift coming back is a new episode with a new id.
        let back = tr
            .decide("okta", &set(&["a", "b"]), None, t(26 * 3600))
            .unwrap();
        assert_eq!(kinds(&back), vec![NoticeKind::DriftConfirmed]);
        assert_ne!(back.notices[0].event_id, d.notices[0].event_id);
    }

    #[test]
    fn an_acknowledged_drift_gets_no_reminder_until_the_acknowledgement_ends() {
        let dir = tempfile::tempdir().unwrap();
        let tr = Tracker::open(dir.path(), TrackerPolicy::default()).unwrap();
        let d = tr.decide("x", &set(&["a"]), None, t(0)).unwrap();
        tr.commit(&d).unwrap();
        let day = 24 * 3600;
        let quiet = tr
            .decide_acknowledged("x", &set(&["a"]), None, true, t(2 * day))
            .unwrap();
        assert!(quiet.notices.is_empty());
        tr.commit(&quiet).unwrap();
        // A new set is a new drift: confirmed even though the old one was acknowledged.
        let new = tr
            .decide_acknowledged("x", &set(&["a", "b"]), None, true, t(2 * day + 1))
            .unwrap();
        assert_eq!(kinds(&new), vec![NoticeKind::DriftConfirmed]);
        // The acknowledgement over, the reminder is due again.
        let r = tr
            .decide_acknowledged("x", &set(&["a"]), None, false, t(2 * day))
            .unwrap();
        assert_eq!(kinds(&r), vec![NoticeKind::DriftReminder]);
    }

    #[test]
    fn changed_fingerprint_set_is_a_new_confirmed_drift() {
        let dir = tempfile::tempdir().unwrap();
        let tr = Tracker::open(dir.path(), TrackerPolicy::default()).unwrap();
        let d = tr.decide("x", &set(&["a"]), None, t(0)).unwrap();
        tr.commit(&d).unwrap();
        let d2 = tr.decide("x", &set(&["a", "c"]), None, t(60)).unwrap();
        assert_eq!(kinds(&d2), vec![NoticeKind::DriftConfirmed]);
        assert_ne!(d2.notices[0].event_id, d.notices[0].event_id);
    }

    #[test]
    fn failing_notifies_after_threshold_once_and_recovers_only_if_notified() {
        let dir = tempfile::tempdir().unwrap();
        let tr = Tracker::open(dir.path(), TrackerPolicy::default()).unwrap();
        let u = DriftObservation::Unknown;
        // A short blip: no mail either way.
        let d = tr.decide("x", &u, Some(t(0)), t(600)).unwrap();
        assert!(d.notices.is_empty());
        tr.commit(&d).unwrap();
        let d = tr
            .decide("x", &DriftObservation::Clean, None, t(700))
            .unwrap();
        assert!(d.notices.is_empty());
        tr.commit(&d).unwrap();
        // A long outage.
        let d = tr.decide("x", &u, Some(t(1000)), t(1000 + 3600)).unwrap();
        assert_eq!(kinds(&d), vec![NoticeKind::CheckFailing]);
        tr.commit(&d).unwrap();
        assert!(
            tr.decide("x", &u, Some(t(1000)), t(9000))
                .unwrap()
                .notices
                .is_empty()
        );
        let d = tr
            .decide("x", &DriftObservation::Clean, None, t(9999))
            .unwrap();
        assert_eq!(kinds(&d), vec![NoticeKind::CheckRecovered]);
    }

    #[test]
    fn odd_integration_names_stay_inside_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let tr = Tracker::open(dir.path(), TrackerPolicy::default()).unwrap();
        let p = tr.path("../../etc/passwd");
        assert_eq!(p.parent().unwrap(), dir.path());
    }
}
