//! Per-integration state, persisted as one JSON file per integration under the state
//! directory (`state/<name>.json`, atomic writes).
//!
//! Why files and not SQLite: each integration has exactly one writer (its scheduler
//! task, or one `check` run; `Store::lock` keeps a daemon and a `check` from sharing a
//! directory), the documents are small, a human can read them, there is no schema to
//! migrate and no C library to build. Shared state across hosts would go to PostgreSQL
//! (see DESIGN.md), not to a local SQLite file.
//!
//! Owns the state machine (`IntegrationState::apply`): ok, drifted (confirmed after
//! `confirm_after` polls seeing the same fingerprints), failing (a vendor fault, which
//! never clears or changes a known drift), no_baseline; and what was already reported,
//! so a restart never reports the same thing twice. Must not: fetch, parse or diff.

pub mod history;
pub mod specs;
pub mod visibility;

use crate::atomic;
use crate::diff::{Change, Level};
use crate::fetch::{FailureReason, Validators};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The state shown to people and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Never checked.
    Unknown,
    NoBaseline,
    Ok,
    Drifted,
    Failing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::NoBaseline => "no_baseline",
            Status::Ok => "ok",
            Status::Drifted => "drifted",
            Status::Failing => "failing",
        }
    }
}

/// The result of one check (the `result` metric label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckResult {
    /// Compared; no unaccepted change.
    Ok,
    /// Compared; unaccepted changes.
    Drift,
    /// A vendor fault (or an unreadable baseline).
    Failed,
    /// The spec is the one already compared (304 or same digest): no parse, no diff.
    Unchanged,
    /// The integration has no accepted baseline.
    NoBaseline,
}

impl CheckResult {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Ok => "ok",
            CheckResult::Drift => "drift",
            CheckResult::Failed => "failed",
            CheckResult::Unchanged => "unchanged",
            CheckResult::NoBaseline => "no_baseline",
        }
    }
}

/// The last spec that was compared successfully.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecSeen {
    pub digest: String,
    pub bytes: u64,
    #[serde(default)]
    pub validators: Validators,
    /// The baseline digest it was compared with.
    pub compared_with: String,
}

/// An unaccepted difference between the vendor's spec and the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// `sha256` (12 hex) of the sorted fingerprints: the identity of this drift.
    pub id: String,
    pub fingerprints: Vec<String>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Consecutive successful polls that saw exactly these fingerprints.
    pub polls_seen: u32,
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub reason: FailureReason,
    pub message: String,
    pub since: DateTime<Utc>,
    pub consecutive: u32,
}

/// What has already been reported (logged, and later mailed or posted), so that a
/// restart does not report it again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reported {
    /// The id of the drift whose confirmation was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_confirmed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_confirmed_at: Option<DateTime<Utc>>,
    /// Whether the current failure was reported.
    #[serde(default)]
    pub failing: bool,
}

/// Something worth telling a human, produced at most once per occurrence.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    DriftConfirmed { drift: String, changes: usize },
    DriftResolved { drift: String },
    Failing { reason: FailureReason },
    Recovered,
}

/// What one check found, as input to the state machine.
#[derive(Debug, Clone)]
pub enum Outcome {
    NoBaseline,
    Failed {
        reason: FailureReason,
        message: String,
    },
    /// A fresh comparison against baseline `baseline_digest`.
    Compared {
        baseline_digest: String,
        spec: SpecSeen,
        changes: Vec<Change>,
    },
    /// The spec is the one of the last comparison; the previous changes still hold.
    Unchanged,
}

/// Everything known about one integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrationState {
    pub integration: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_result: Option<CheckResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<SpecSeen>,
    /// The unaccepted changes (level above NONE) of the last comparison.
    #[serde(default)]
    pub changes: Vec<Change>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<Drift>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    #[serde(default)]
    pub reported: Reported,
    /// The visibility verdict of the last check that could judge it (monitors with
    /// `consumes` or `samples` only). Kept through vendor faults, like `changes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<visibility::VisibilityReport>,
    /// Where each unaccepted change sits in the baseline and in the revision, by
    /// fingerprint, as found by the check that compared them (for the pages).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub locations: BTreeMap<String, ChangeLocation>,
}

/// `file:line:col` of a change in the baseline and in the revision, where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<crate::report::Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<crate::report::Source>,
}

impl IntegrationState {
    pub fn new(name: &str) -> IntegrationState {
        IntegrationState {
            integration: name.to_string(),
            status: Status::Unknown,
            last_result: None,
            last_check: None,
            last_success: None,
            spec: None,
            changes: Vec::new(),
            drift: None,
            failure: None,
            reported: Reported::default(),
            visibility: None,
            locations: BTreeMap::new(),
        }
    }

    /// Unaccepted changes by level word (`error`, `warning`, `info`), all three present.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::from([("error", 0), ("warning", 0), ("info", 0)]);
        for c in &self.changes {
            if let Some(n) = m.get_mut(c.level.word()) {
                *n += 1;
            }
        }
        m
    }

    /// Whether an unaccepted ERR change is known (confirmed or not).
    pub fn has_error_drift(&self) -> bool {
        self.drift.is_some() && self.changes.iter().any(|c| c.level == Level::Err)
    }

    /// Applies one check's outcome at `now`; returns the events not yet reported.
    pub fn apply(
        &mut self,
        outcome: Outcome,
        confirm_after: u32,
        now: DateTime<Utc>,
    ) -> (CheckResult, Vec<Event>) {
        let mut events = Vec::new();
        self.last_check = Some(now);
        let result = match outcome {
            Outcome::Failed { reason, message } => {
                // A vendor fault changes nothing about a known drift.
                let (since, consecutive) = match &self.failure {
                    Some(f) => (f.since, f.consecutive.saturating_add(1)),
                    None => (now, 1),
                };
                self.failure = Some(Failure {
                    reason,
                    message,
                    since,
                    consecutive,
                });
                if !self.reported.failing {
                    self.reported.failing = true;
                    events.push(Event::Failing { reason });
                }
                CheckResult::Failed
            }
            Outcome::NoBaseline => {
                self.recover(&mut events);
                self.spec = None;
                self.changes.clear();
                self.resolve(&mut events);
                CheckResult::NoBaseline
            }
            Outcome::Unchanged => {
                self.recover(&mut events);
                self.last_success = Some(now);
                let changes = std::mem::take(&mut self.changes);
                self.observe(changes, confirm_after, now, &mut events);
                CheckResult::Unchanged
            }
            Outcome::Compared {
                baseline_digest,
                mut spec,
                changes,
            } => {
                self.recover(&mut events);
                self.last_success = Some(now);
                spec.compared_with = baseline_digest;
                self.spec = Some(spec);
                let changes: Vec<Change> = changes
                    .into_iter()
                    .filter(|c| c.level > Level::None)
                    .collect();
                let drift = !changes.is_empty();
                self.observe(changes, confirm_after, now, &mut events);
                if drift {
                    CheckResult::Drift
                } else {
                    CheckResult::Ok
                }
            }
        };
        self.last_result = Some(result);
        self.status = self.derive_status(result);
        (result, events)
    }

    fn derive_status(&self, result: CheckResult) -> Status {
        if self.failure.is_some() {
            Status::Failing
        } else if result == CheckResult::NoBaseline {
            Status::NoBaseline
        } else if self.drift.is_some() {
            Status::Drifted
        } else {
            Status::Ok
        }
    }

    fn recover(&mut self, events: &mut Vec<Event>) {
        self.failure = None;
        if self.reported.failing {
            self.reported.failing = false;
            events.push(Event::Recovered);
        }
    }

    fn resolve(&mut self, events: &mut Vec<Event>) {
        if let Some(d) = self.drift.take()
            && self.reported.drift_confirmed.is_some()
        {
            events.push(Event::DriftResolved { drift: d.id });
        }
        self.reported.drift_confirmed = None;
        self.reported.drift_confirmed_at = None;
    }

    fn observe(
        &mut self,
        changes: Vec<Change>,
        confirm_after: u32,
        now: DateTime<Utc>,
        events: &mut Vec<Event>,
    ) {
        self.changes = changes;
        if self.changes.is_empty() {
            self.resolve(events);
            return;
        }
        let mut fps: Vec<String> = self.changes.iter().map(|c| c.fingerprint.clone()).collect();
        fps.sort();
        fps.dedup();
        let id = drift_id(&fps);
        match &mut self.drift {
            Some(d) if d.id == id => {
                d.polls_seen = d.polls_seen.saturating_add(1);
                d.last_seen = now;
            }
            _ => {
                // A different set of changes is a new drift: it must be confirmed again.
                if let Some(old) = &self.drift
                    && self.reported.drift_confirmed.as_deref() == Some(old.id.as_str())
                {
                    events.push(Event::DriftResolved {
                        drift: old.id.clone(),
                    });
                    self.reported.drift_confirmed = None;
                    self.reported.drift_confirmed_at = None;
                }
                self.drift = Some(Drift {
                    id: id.clone(),
                    fingerprints: fps,
                    first_seen: now,
                    last_seen: now,
                    polls_seen: 1,
                    confirmed: false,
                    confirmed_at: None,
                });
            }
        }
        let n = self.changes.len();
        if let Some(d) = &mut self.drift
            && d.polls_seen >= confirm_after.max(1)
        {
            if !d.confirmed {
                d.confirmed = true;
                d.confirmed_at = Some(now);
            }
            if self.reported.drift_confirmed.as_deref() != Some(d.id.as_str()) {
                self.reported.drift_confirmed = Some(d.id.clone());
                self.reported.drift_confirmed_at = Some(now);
                events.push(Event::DriftConfirmed {
                    drift: d.id.clone(),
                    changes: n,
                });
            }
        }
    }
}

/// The id of the drift made of `fps` (sorted, deduplicated fingerprints).
pub fn drift_id(fps: &[String]) -> String {
    let mut h = Sha256::new();
    for f in fps {
        h.update(f.as_bytes());
        h.update(b"\n");
    }
    hex::encode(&h.finalize()[..6])
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: corrupt state: {message}")]
    Corrupt { path: String, message: String },
    #[error(
        "{path}: the state directory is in use by another apidrift process{}; stop it (a running daemon checks on its own schedule) or give this one another state_dir",
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Busy {
        path: String,
        /// What the holder wrote into the lock file (its pid and command), if readable.
        holder: Option<String>,
    },
}

/// An exclusive hold on a state directory, released when dropped (or when the process
/// ends, however it ends: the operating system drops the lock with the file handle).
#[derive(Debug)]
pub struct StateLock {
    _file: std::fs::File,
}

/// The state directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(format!("{name}.json"))
    }

    /// The saved state, or a fresh one when there is none.
    pub fn load(&self, name: &str) -> Result<IntegrationState, StateError> {
        let path = self.path(name);
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| StateError::Corrupt {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(IntegrationState::new(name)),
            Err(source) => Err(StateError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// The saved state of `name`, or, when its file cannot be read as one (truncated,
    /// foreign, unreadable), a state failing with reason `internal` whose message names
    /// the file; the file is moved aside to `NAME.json.corrupt-<unix seconds>` (kept for
    /// a human, never read again) so the next save starts clean. The second value is
    /// that message (the caller logs it once). Never fails: one bad file must not stop
    /// the others.
    pub fn load_or_replace(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> (IntegrationState, Option<String>) {
        let e = match self.load(name) {
            Ok(st) => return (st, None),
            Err(e) => e,
        };
        let path = self.path(name);
        let aside = self
            .root
            .join(format!("{name}.json.corrupt-{}", now.timestamp()));
        let message = match std::fs::rename(&path, &aside) {
            Ok(()) => format!("{e}; moved to {}", aside.display()),
            Err(m) => format!("{e}; cannot move it aside: {m}"),
        };
        let mut st = IntegrationState::new(name);
        st.status = Status::Failing;
        st.last_result = Some(CheckResult::Failed);
        st.failure = Some(Failure {
            reason: FailureReason::Internal,
            message: message.clone(),
            since: now,
            consecutive: 1,
        });
        (st, Some(message))
    }

    /// Takes the directory's lock (`<root>/.lock`), creating the directory if needed.
    /// One process at a time may check and save: a `check` run beside a daemon on the
    /// same directory would interleave two state machines and report a drift twice or
    /// lose one. Fails at once with [`StateError::Busy`] when another process holds it.
    pub fn lock(&self, holder: &str) -> Result<StateLock, StateError> {
        use std::io::{Read, Seek, Write};
        let path = self.root.join(".lock");
        let io = |source| StateError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(&self.root).map_err(io)?;
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let holder = file
                    .read_to_string(&mut text)
                    .ok()
                    .map(|_| text.trim().to_string())
                    .filter(|t| !t.is_empty());
                return Err(StateError::Busy {
                    path: self.root.display().to_string(),
                    holder,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        // Who holds it, for the message another process shows; best effort (the lock
        // is what matters, not this text).
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "pid {}: {holder}", std::process::id()));
        Ok(StateLock { _file: file })
    }

    pub fn save(&self, st: &IntegrationState) -> Result<(), StateError> {
        let path = self.path(&st.integration);
        let mut bytes = serde_json::to_vec_pretty(st).map_err(|e| StateError::Corrupt {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        bytes.push(b'\n');
        atomic::write(&path, &bytes).map_err(|source| StateError::Io {
            path: path.display().to_string(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Section, fingerprint};

    fn change(id: &str, level: Level) -> Change {
        Change {
            id: id.into(),
            text: id.into(),
            comment: None,
            level,
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

    fn compared(changes: Vec<Change>) -> Outcome {
        Outcome::Compared {
            baseline_digest: "sha256:b".into(),
            spec: SpecSeen {
                digest: "sha256:s".into(),
                bytes: 1,
                validators: Validators::default(),
                compared_with: String::new(),
            },
            changes,
        }
    }

    fn failed() -> Outcome {
        Outcome::Failed {
            reason: FailureReason::HttpStatus,
            message: "HTTP 500".into(),
        }
    }

    #[test]
    fn drift_confirms_after_n_polls_and_is_reported_once() {
        let mut s = IntegrationState::new("a");
        let now = Utc::now();
        let (r, ev) = s.apply(
            compared(vec![change("endpoint-removed", Level::Err)]),
            2,
            now,
        );
        assert_eq!((r, s.status), (CheckResult::Drift, Status::Drifted));
        assert!(ev.is_empty());
        assert!(!s.drift.as_ref().unwrap().confirmed);
        let (_, ev) = s.apply(Outcome::Unchanged, 2, now);
        assert!(matches!(
            ev.as_slice(),
            [Event::DriftConfirmed { changes: 1, .. }]
        ));
        assert!(s.drift.as_ref().unwrap().confirmed);
        let (_, ev) = s.apply(Outcome::Unchanged, 2, now);
        assert!(ev.is_empty(), "reported twice: {ev:?}");
        assert!(s.has_error_drift());
    }

    #[test]
    fn a_vendor_fault_never_clears_or_changes_a_drift() {
        let mut s = IntegrationState::new("a");
        let now = Utc::now();
        s.apply(
            compared(vec![change("endpoint-removed", Level::Err)]),
            1,
            now,
        );
        let before = s.drift.clone();
        let changes = s.changes.clone();
        let (r, ev) = s.apply(failed(), 1, now);
        assert_eq!((r, s.status), (CheckResult::Failed, Status::Failing));
        assert!(matches!(ev.as_slice(), [Event::Failing { .. }]));
        assert_eq!(s.drift, before);
        assert_eq!(s.changes, changes);
        let (_, ev) = s.apply(failed(), 1, now);
        assert!(ev.is_empty());
        assert_eq!(s.failure.as_ref().unwrap().consecutive, 2);
        let (_, ev) = s.apply(Outcome::Unchanged, 1, now);
        assert_eq!(ev, vec![Event::Recovered]);
        assert_eq!(s.status, Status::Drifted);
        assert_eq!(s.drift.as_ref().unwrap().polls_seen, 2);
    }

    #[test]
    fn a_new_set_of_changes_restarts_confirmation_and_empty_resolves() {
        let mut s = IntegrationState::new("a");
        let now = Utc::now();
        s.apply(compared(vec![change("a", Level::Err)]), 1, now);
        let (_, ev) = s.apply(
            compared(vec![change("a", Level::Err), change("b", Level::Info)]),
            2,
            now,
        );
        assert!(matches!(ev.as_slice(), [Event::DriftResolved { .. }]));
        assert_eq!(s.drift.as_ref().unwrap().polls_seen, 1);
        s.apply(
            compared(vec![change("a", Level::Err), change("b", Level::Info)]),
            2,
            now,
        );
        let (r, ev) = s.apply(compared(vec![change("c", Level::None)]), 2, now);
        assert_eq!((r, s.status), (CheckResult::Ok, Status::Ok));
        assert!(matches!(ev.as_slice(), [Event::DriftResolved { .. }]));
        assert!(s.changes.is_empty());
    }

    #[test]
    fn state_survives_a_round_trip_on_disk() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path());
        let mut s = store.load("a").unwrap();
        assert_eq!(s.status, Status::Unknown);
        s.apply(compared(vec![change("a", Level::Warn)]), 1, Utc::now());
        store.save(&s).unwrap();
        assert_eq!(store.load("a").unwrap(), s);
    }

    #[test]
    fn a_corrupt_state_file_is_moved_aside_and_the_state_fails_as_internal() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path());
        std::fs::write(store.path("a"), b"{\"integration\": \"a\", \"sta").unwrap();
        let now = Utc::now();
        let (st, message) = store.load_or_replace("a", now);
        let message = message.unwrap();
        assert!(message.contains("a.json"), "{message}");
        let f = st.failure.unwrap();
        assert_eq!(
            (f.reason, st.status),
            (FailureReason::Internal, Status::Failing)
        );
        assert!(!store.path("a").exists());
        let aside = d.path().join(format!("a.json.corrupt-{}", now.timestamp()));
        assert!(aside.exists(), "{message}");
        // A good file is read as it is.
        let (st, message) = store.load_or_replace("b", now);
        assert!(message.is_none() && st.status == Status::Unknown);
    }

    #[test]
    fn the_state_lock_is_exclusive_names_its_holder_and_is_released_on_drop() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path().join("state"));
        let first = store.lock("first").unwrap();
        match store.lock("second") {
            Err(StateError::Busy { holder, .. }) => {
                let h = holder.unwrap_or_default();
                assert!(h.contains("first"), "{h}");
                assert!(h.contains(&std::process::id().to_string()), "{h}");
            }
            other => panic!("expected Busy, got {other:?}"),
        }
        drop(first);
        let again = store.lock("third");
        assert!(again.is_ok(), "{again:?}");
    }
}
