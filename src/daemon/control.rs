//! What the control API and the MCP tools do inside the daemon: a check now (the
//! scheduler's code path, permits and state machine, coalesced with a check already in
//! flight, rate-limited per integration), acknowledgements (reminders stop until
//! `until` or until the drift changes; written to the history, shown in the state view
//! and `apidrift_drift_acknowledged`), and contract dry-runs (a proposed `consumes`
//! resolved against the baseline and judged against the current changes).
//!
//! Must not: write or accept a baseline, touch a monitor's configuration, fetch
//! anything but the configured spec (through `check`), or hold a lock across a check.

use super::check::CheckReport;
use super::{Shared, view, visibility};
use crate::baseline::Record;
use crate::diff::{self, DiffOptions};
use crate::impact::{self, Consumes};
use crate::monitor::Monitor;
use crate::state::history::{Acknowledgement, HistoryRecord};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::watch;

/// Contract size limits of a dry-run: beyond them the request is refused before any
/// work, so its time and memory stay bounded whatever it names.
pub const MAX_DRY_RUN_OPERATIONS: usize = 100;
pub const MAX_DRY_RUN_FIELDS: usize = 1_000;
/// Bytes of one field path, and its steps (`.` and `[]`).
pub const MAX_FIELD_PATH_BYTES: usize = 256;
pub const MAX_FIELD_PATH_STEPS: usize = 16;
/// Longest reason or `by` of an acknowledgement.
pub const MAX_ACK_TEXT: usize = 500;

/// Why a control request could not be done; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("no integration named `{0}`")]
    NotFound(String),
    #[error("`{0}` was checked on request {1}s ago; the next requested check is allowed in {2}s")]
    RateLimited(String, u64, u64),
    #[error("the daemon is not ready (starting or shutting down); retry shortly")]
    Unavailable,
    #[error("`{0}` has no drift to acknowledge (status {1})")]
    NoDrift(String, String),
    #[error("{0}")]
    Invalid(String),
    #[error("the contract is too large: {0}")]
    TooLarge(String),
    #[error("{0}")]
    Internal(String),
}

impl ControlError {
    /// The HTTP status of this error.
    pub fn status(&self) -> u16 {
        match self {
            ControlError::NotFound(_) => 404,
            ControlError::RateLimited(..) => 429,
            ControlError::Unavailable => 503,
            ControlError::NoDrift(..) => 409,
            ControlError::Invalid(_) => 422,
            ControlError::TooLarge(_) => 413,
            ControlError::Internal(_) => 500,
        }
    }

    /// Seconds to wait, for `Retry-After`.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ControlError::RateLimited(_, _, wait) => Some(*wait),
            _ => None,
        }
    }
}

/// A check in flight: its result, once published.
pub(super) type InFlight = watch::Receiver<Option<Arc<CheckReport>>>;

/// Who runs the check of a claim.
pub(super) enum Claim {
    /// Run it, then `publish` through this sender.
    Lead(watch::Sender<Option<Arc<CheckReport>>>),
    /// A check is running: wait for it.
    Join(InFlight),
}

/// The body of `POST .../ack`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    /// Why (shown in the history, the page and the state).
    pub reason: String,
    /// RFC 3339 time after which reminders resume. Absent: while this drift lasts.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
    /// Who is handling it; defaults to the token's name.
    #[serde(default)]
    pub by: Option<String>,
}

/// The body of `POST /api/v1/contracts/dry-run`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DryRunRequest {
    /// The configured integration whose spec and baseline the contract is judged against.
    pub integration: String,
    /// A `consumes` contract, as under `consumes:` in a monitor file (a list of
    /// `{operation, entity, fields, pagination?, item?}`).
    pub consumes: Value,
}

/// The current acknowledgement of one integration (in memory; the history has them all).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ack {
    pub drift: String,
    pub ack: Acknowledgement,
}

impl Shared {
    /// Takes the check of `name`: lead it, or join the one in flight.
    pub(super) fn claim(&self, name: &str) -> Claim {
        let Ok(mut map) = self.inflight.lock() else {
            // A poisoned map: run without coalescing rather than not at all.
            let (tx, _) = watch::channel(None);
            return Claim::Lead(tx);
        };
        if let Some(rx) = map.get(name) {
            return Claim::Join(rx.clone());
        }
        let (tx, rx) = watch::channel(None);
        map.insert(name.to_string(), rx);
        Claim::Lead(tx)
    }

    /// Ends a led check: forgets the claim, then hands the report to the joiners.
    pub(super) fn publish(
        &self,
        name: &str,
        tx: watch::Sender<Option<Arc<CheckReport>>>,
        r: Option<Arc<CheckReport>>,
    ) {
        if let Ok(mut map) = self.inflight.lock() {
            map.remove(name);
        }
        let _ = tx.send(r);
    }

    /// Runs one check of `m` as the scheduler does (permits, check, record) and
    /// publishes it. `shared_request`: every replica asks for this check (a new
    /// approval all of them see), so one refused because another replica runs it is
    /// expected, logged as info rather than as a warning.
    pub(super) async fn lead(
        self: &Arc<Self>,
        m: &Monitor,
        tx: watch::Sender<Option<Arc<CheckReport>>>,
        shared_request: bool,
    ) -> Option<Arc<CheckReport>> {
        if let Some(replica) = self.replica.get().cloned() {
            // With PostgreSQL the check is claimed in the database like a scheduled one.
            let r = match replica.check_requested(self, m).await {
                Ok(report) => Some(Arc::new(report)),
                Err(e) if shared_request => {
                    tracing::info!(integration = %m.name, reason = %e, "check left to another replica");
                    None
                }
                Err(e) => {
                    tracing::warn!(integration = %m.name, error = %e, "requested check not run");
                    None
                }
            };
            self.publish(&m.name, tx, r.clone());
            return r;
        }
        let Some(permits) = self.acquire(m).await else {
            self.publish(&m.name, tx, None);
            return None;
        };
        let report = Box::pin(self.checker.check(m)).await;
        drop(permits);
        self.record(m, report.clone());
        let r = Arc::new(report);
        self.publish(&m.name, tx, Some(r.clone()));
        Some(r)
    }

    fn monitor(&self, name: &str) -> Result<Monitor, ControlError> {
        self.monitors
            .read()
            .ok()
            .and_then(|ms| ms.get(name).cloned())
            .ok_or_else(|| ControlError::NotFound(name.to_string()))
    }

    /// `POST /api/v1/integrations/NAME/check`: a check now, or the one in flight.
    /// Returns the integration's view after it, with `result` and `coalesced`.
    pub async fn check_now(self: &Arc<Self>, name: &str) -> Result<Value, ControlError> {
        if !self.ready.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(ControlError::Unavailable);
        }
        let m = self.monitor(name)?;
        let start = Instant::now();
        let claim = self.claim(name);
        let (report, coalesced) = match claim {
            Claim::Join(rx) => (wait(rx).await, true),
            Claim::Lead(tx) => {
                if let Err(e) = self.rate_limit(name) {
                    self.publish(name, tx, None);
                    return Err(e);
                }
                // Its own task: a client that hangs up does not cancel a check
                // halfway; the daemon waits for these at shutdown.
                let shared = self.clone();
                let mm = m.clone();
                let h = tokio::spawn(async move { shared.lead(&mm, tx, false).await });
                let (done_tx, done_rx) = watch::channel(None);
                let task = tokio::spawn(async move {
                    let r = h.await.ok().flatten();
                    let _ = done_tx.send(r);
                });
                if let Ok(mut tasks) = self.api_tasks.lock() {
                    tasks.retain(|t| !t.is_finished());
                    tasks.push(task);
                }
                (wait(done_rx).await, false)
            }
        };
        let report =
            report.ok_or_else(|| ControlError::Internal("the check did not finish".into()))?;
        tracing::info!(integration = %name, result = report.result.as_str(), coalesced, "check requested through the API");
        let mut v = self.view_of(&m, Some(&report.state));
        v["result"] = report.result.as_str().into();
        v["coalesced"] = coalesced.into();
        v["check_duration_ms"] = (report.duration.as_millis() as u64).into();
        v["waited_ms"] = (start.elapsed().as_millis() as u64).into();
        v["changes"] = visibility::annotated_changes(&report.state).into();
        Ok(v)
    }

    /// The configured integrations among `candidates` (every one when `None`) whose
    /// approval on disk is not the one their last check (or the start) used: a
    /// `baseline accept`, a git-sync or a ConfigMap update brought a new one. A record
    /// that cannot be read counts as new (its check reports it as `failing{internal}`).
    /// Reads files: call it off the async workers.
    pub(super) fn new_approvals(&self, candidates: Option<&BTreeSet<String>>) -> Vec<Monitor> {
        let Ok(monitors) = self.monitors.read() else {
            return Vec::new();
        };
        let wanted: Vec<Monitor> = monitors
            .values()
            .filter(|m| candidates.is_none_or(|c| c.contains(&m.name)))
            .cloned()
            .collect();
        drop(monitors);
        let known: BTreeMap<String, Option<Record>> = match self.baselines.read() {
            Ok(b) => wanted
                .iter()
                .map(|m| (m.name.clone(), b.get(&m.name).cloned().flatten()))
                .collect(),
            Err(_) => return Vec::new(),
        };
        wanted
            .into_iter()
            .filter(|m| match self.checker.baselines.record(&m.name) {
                Ok(on_disk) => known.get(&m.name).and_then(Option::as_ref) != on_disk.as_ref(),
                Err(_) => true,
            })
            .collect()
    }

    /// Checks `m` against its new approval now (as a requested check: with PostgreSQL,
    /// claimed in the database), so its page, API view, metrics and notifications show
    /// the integration ok, or the drift that is left, within `reload_interval` of the
    /// approval instead of at its next scheduled check. A check already in flight may
    /// have read the old approval: it is awaited and the approval looked at again.
    pub(super) async fn recheck_approval(self: &Arc<Self>, m: Monitor) {
        for _ in 0..2 {
            match self.claim(&m.name) {
                Claim::Lead(tx) => {
                    tracing::info!(integration = %m.name, "new baseline approval; checking against it");
                    // Every replica sees the approval; the one that claims the check runs
                    // it, and the others show its result within `sync`.
                    let _ = self.lead(&m, tx, true).await;
                    return;
                }
                Claim::Join(rx) => {
                    let _ = wait(rx).await;
                    let s = self.clone();
                    let one = BTreeSet::from([m.name.clone()]);
                    let still = tokio::task::spawn_blocking(move || {
                        !s.new_approvals(Some(&one)).is_empty()
                    })
                    .await
                    .unwrap_or(false);
                    if !still {
                        return;
                    }
                }
            }
        }
    }

    /// `GET /api/v1/integrations/NAME`: the view, the changes as the webhook carries
    /// them (consumed mark, remediation) and the operation fragments. Reads files: call
    /// it off the async workers.
    pub fn detail(&self, name: &str) -> Result<Value, ControlError> {
        let (m, st, b) = self
            .snapshot(name)
            .ok_or_else(|| ControlError::NotFound(name.to_string()))?;
        let (changes, operations) = self.notifier.agent_changes(&m, b.as_ref(), &st);
        let mut v = self.view_of(&m, Some(&st));
        v["changes"] = serde_json::to_value(changes).unwrap_or_default();
        v["operations"] = serde_json::to_value(operations).unwrap_or_default();
        v["page_url"] = crate::notify::email::page_url(&self.page_base, &m.name).into();
        Ok(v)
    }

    /// Refuses a requested check within `api.check_interval` of the last one.
    fn rate_limit(&self, name: &str) -> Result<(), ControlError> {
        let Ok(mut last) = self.requested.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        if let Some(t) = last.get(name) {
            let since = now.duration_since(*t);
            if since < self.check_interval {
                let wait = (self.check_interval - since).as_secs_f64().ceil() as u64;
                return Err(ControlError::RateLimited(
                    name.to_string(),
                    since.as_secs(),
                    wait.max(1),
                ));
            }
        }
        last.insert(name.to_string(), now);
        Ok(())
    }

    /// The view of `m` with its acknowledgement.
    pub(super) fn view_of(
        &self,
        m: &Monitor,
        st: Option<&crate::state::IntegrationState>,
    ) -> Value {
        let b = self
            .baselines
            .read()
            .ok()
            .and_then(|b| b.get(&m.name).cloned().flatten());
        let mut v = view(m, st, b.as_ref());
        v["acknowledged"] = self.ack_json(&m.name, st);
        v
    }

    /// The latest acknowledgement of `name`, active or not (for the mails that say who
    /// handled a drift).
    pub(super) fn last_ack(&self, name: &str) -> Option<Ack> {
        self.acks.read().ok()?.get(name).cloned()
    }

    /// The acknowledgement of `name` that silences its current drift, if any.
    pub(super) fn active_ack(
        &self,
        name: &str,
        st: Option<&crate::state::IntegrationState>,
        now: DateTime<Utc>,
    ) -> Option<Ack> {
        let drift = st?.drift.as_ref()?;
        let acks = self.acks.read().ok()?;
        let a = acks.get(name)?;
        (a.drift == drift.id && a.ack.active(now)).then(|| a.clone())
    }

    pub(super) fn ack_json(
        &self,
        name: &str,
        st: Option<&crate::state::IntegrationState>,
    ) -> Value {
        match self.active_ack(name, st, Utc::now()) {
            Some(a) => json!({
                "drift": a.drift,
                "at": a.ack.at,
                "by": a.ack.by,
                "reason": a.ack.note,
                "until": a.ack.until,
            }),
            None => Value::Null,
        }
    }

    /// Sets `apidrift_drift_acknowledged` of every integration from the acks and
    /// states (an `until` passes between checks, so `/metrics` calls this).
    pub(super) fn refresh_ack_metrics(&self) {
        let now = Utc::now();
        let Ok(acks) = self.acks.read() else { return };
        let names: Vec<String> = acks.keys().cloned().collect();
        drop(acks);
        for name in names {
            let st = self.states.read().ok().and_then(|s| s.get(&name).cloned());
            let on = self.active_ack(&name, st.as_ref(), now).is_some();
            self.metrics.set_acknowledged(&name, on);
        }
    }

    /// `POST /api/v1/integrations/NAME/ack`.
    pub async fn acknowledge(
        &self,
        name: &str,
        req: AckRequest,
        actor: &str,
    ) -> Result<Value, ControlError> {
        let m = self.monitor(name)?;
        let reason = req.reason.trim().to_string();
        if reason.is_empty() {
            return Err(ControlError::Invalid(
                "`reason` is required: say why the reminders may stop".into(),
            ));
        }
        let by = req
            .by
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| actor.to_string());
        if reason.chars().count() > MAX_ACK_TEXT || by.chars().count() > MAX_ACK_TEXT {
            return Err(ControlError::Invalid(format!(
                "`reason` and `by` are at most {MAX_ACK_TEXT} characters"
            )));
        }
        let now = Utc::now();
        if req.until.is_some_and(|u| u <= now) {
            return Err(ControlError::Invalid("`until` is in the past".into()));
        }
        let st = self.states.read().ok().and_then(|s| s.get(name).cloned());
        let Some(drift) = st.as_ref().and_then(|s| s.drift.clone()) else {
            let status = st.map_or("unknown", |s| s.status.as_str());
            return Err(ControlError::NoDrift(name.to_string(), status.to_string()));
        };
        let rec = HistoryRecord::Acknowledged {
            at: now,
            drift: drift.id.clone(),
            by: by.clone(),
            note: Some(reason.clone()),
            until: req.until,
        };
        self.append_history(name, rec, now).await?;
        let ack = Ack {
            drift: drift.id.clone(),
            ack: Acknowledgement {
                at: now,
                by: by.clone(),
                note: Some(reason),
                until: req.until,
                cleared_at: None,
                cleared_by: None,
            },
        };
        if let Ok(mut acks) = self.acks.write() {
            acks.insert(name.to_string(), ack);
        }
        self.metrics.set_acknowledged(name, true);
        tracing::info!(integration = %name, drift = %drift.id, %by, actor, until = ?req.until, "drift acknowledged");
        Ok(self.view_of(&m, st.as_ref()))
    }

    /// `DELETE /api/v1/integrations/NAME/ack`: reminders resume.
    pub async fn clear_ack(&self, name: &str, actor: &str) -> Result<Value, ControlError> {
        let m = self.monitor(name)?;
        let now = Utc::now();
        let removed = self.acks.write().ok().and_then(|mut a| a.remove(name));
        if let Some(a) = removed {
            let rec = HistoryRecord::AckCleared {
                at: now,
                drift: a.drift.clone(),
                by: actor.to_string(),
            };
            self.append_history(name, rec, now).await?;
            tracing::info!(integration = %name, drift = %a.drift, actor, "acknowledgement cleared");
        }
        self.metrics.set_acknowledged(name, false);
        let st = self.states.read().ok().and_then(|s| s.get(name).cloned());
        Ok(self.view_of(&m, st.as_ref()))
    }

    /// Appends one history record written outside a check: to the file, or with
    /// PostgreSQL to the database only (the replicas read it back from there; a local
    /// append would be checked in a second time by a check running here).
    async fn append_history(
        &self,
        name: &str,
        rec: HistoryRecord,
        now: DateTime<Utc>,
    ) -> Result<(), ControlError> {
        match self.replica.get() {
            Some(r) => {
                if r.append_history(name, &[rec]).await {
                    Ok(())
                } else {
                    Err(ControlError::Internal(
                        "cannot write the history: the PostgreSQL store is unreachable".into(),
                    ))
                }
            }
            None => self
                .checker
                .history
                .append(name, &[rec], now)
                .map_err(|e| ControlError::Internal(format!("cannot write the history: {e}"))),
        }
    }

    /// Reads the acknowledgement of `name` again from its history (another replica
    /// wrote one, or cleared it).
    pub(super) fn reload_ack(&self, name: &str) {
        if let Ok(mut acks) = self.acks.write() {
            acks.remove(name);
        }
        self.load_ack(name);
    }

    /// Loads the acknowledgement of `name`'s open drift episode from its history (at
    /// start and after a reload).
    pub(super) fn load_ack(&self, name: &str) {
        let now = Utc::now();
        let Ok(h) = self.checker.history.load(name, now) else {
            return;
        };
        let found = h
            .episodes
            .first()
            .filter(|e| e.ended_at.is_none())
            .and_then(|e| {
                let a = e.acknowledgements.last()?;
                a.cleared_at.is_none().then(|| Ack {
                    drift: e.drift.clone(),
                    ack: a.clone(),
                })
            });
        if let (Some(a), Ok(mut acks)) = (found, self.acks.write()) {
            acks.insert(name.to_string(), a);
        }
    }

    /// `POST /api/v1/contracts/dry-run`: the diagnostics and verdict a proposed
    /// contract would get against the integration's baseline and current changes.
    pub async fn dry_run(&self, req: DryRunRequest) -> Result<Value, ControlError> {
        let m = self.monitor(&req.integration)?;
        bound_contract(&req.consumes)?;
        let consumes: Consumes = serde_json::from_value(req.consumes)
            .map_err(|e| ControlError::Invalid(format!("`consumes` is not a contract: {e}")))?;
        for c in &consumes.0 {
            if impact::contract::parse_operation(&c.operation).is_none() {
                return Err(ControlError::Invalid(format!(
                    "`{}` is not `METHOD /path` (e.g. `GET /api/v1/users`)",
                    c.operation
                )));
            }
        }
        let record = self
            .baselines
            .read()
            .ok()
            .and_then(|b| b.get(&m.name).cloned().flatten());
        let st = self
            .states
            .read()
            .ok()
            .and_then(|s| s.get(&m.name).cloned());
        let Some(record) = record else {
            return Ok(json!({
                "integration": m.name,
                "resolves": false,
                "diagnostics": [{"code": "no-baseline", "severity": "error",
                    "message": "the integration has no accepted baseline to resolve against"}],
                "verdict": null,
            }));
        };
        let base = self
            .checker
            .baseline_api(&m, &record)
            .await
            .map_err(|e| ControlError::Internal(format!("cannot read the baseline: {e}")))?;
        let resolved = match impact::resolve(&consumes, &base) {
            Ok(r) => r,
            Err(diags) => {
                return Ok(json!({
                    "integration": m.name,
                    "baseline": record.digest,
                    "spec": st.as_ref().and_then(|s| s.spec.as_ref()).map(|s| s.digest.clone()),
                    "resolves": false,
                    "diagnostics": diags,
                    "verdict": null,
                }));
            }
        };
        // Judged as the check would judge it with this contract: the baseline diffed
        // against the spec last compared, with the proposed fields watched (a field the
        // current contract does not name may sit deeper than an unwatched diff reports).
        let seen = st
            .as_ref()
            .and_then(|s| s.spec.clone())
            .filter(|s| s.compared_with == record.digest);
        let (changes, judged) = match &seen {
            None => (Vec::new(), "baseline"),
            Some(s) if s.digest == record.digest => (Vec::new(), "spec"),
            Some(s) => match self.checker.current_api(&m, &s.digest).await {
                Some(Ok(rev)) => {
                    let opts = DiffOptions {
                        watched: resolved.watched(),
                        ..DiffOptions::default()
                    };
                    let base = base.clone();
                    let changes =
                        tokio::task::spawn_blocking(move || diff::compare(&base, &rev, &opts))
                            .await
                            .map_err(|e| ControlError::Internal(format!("diff task: {e}")))?;
                    (changes, "spec")
                }
                // Not kept (or no longer loadable): the changes the last check saved,
                // found with the current contract's fields watched.
                Some(Err(_)) | None => (
                    st.as_ref().map(visibility::raw_changes).unwrap_or_default(),
                    "stored-changes",
                ),
            },
        };
        let name = m.name.clone();
        let digest = record.digest.clone();
        let spec = seen.map(|s| s.digest);
        // Assessment is CPU work: off the async workers.
        tokio::task::spawn_blocking(move || {
            let verdict = impact::assess(&changes, &resolved, None);
            Ok(json!({
                "integration": name,
                "baseline": digest,
                "spec": spec,
                "judged_against": judged,
                "resolves": true,
                "fields": resolved.field_count(),
                "diagnostics": [],
                "verdict": verdict,
                "preflight": impact::preflight(m.visibility.preflight, Some(&verdict), false),
            }))
        })
        .await
        .map_err(|e| ControlError::Internal(e.to_string()))?
    }
}

/// Waits for a published report (`None`: the check was abandoned).
async fn wait(mut rx: watch::Receiver<Option<Arc<CheckReport>>>) -> Option<Arc<CheckReport>> {
    loop {
        if let Some(r) = rx.borrow_and_update().clone() {
            return Some(r);
        }
        rx.changed().await.ok()?;
    }
}

/// Refuses a contract beyond the dry-run limits, looking only at the raw JSON.
pub fn bound_contract(v: &Value) -> Result<(), ControlError> {
    let Value::Array(ops) = v else {
        return Err(ControlError::Invalid(
            "`consumes` must be a list of `{operation, entity, fields}` entries".into(),
        ));
    };
    if ops.len() > MAX_DRY_RUN_OPERATIONS {
        return Err(ControlError::TooLarge(format!(
            "{} operations; a dry-run takes at most {MAX_DRY_RUN_OPERATIONS}",
            ops.len()
        )));
    }
    let mut fields = 0usize;
    for op in ops {
        let Some(list) = op.get("fields").and_then(Value::as_array) else {
            continue;
        };
        fields += list.len();
        if fields > MAX_DRY_RUN_FIELDS {
            return Err(ControlError::TooLarge(format!(
                "more than {MAX_DRY_RUN_FIELDS} fields; split the contract or dry-run one operation at a time"
            )));
        }
        for f in list {
            let path = match f {
                Value::String(s) => s.as_str(),
                other => other.get("path").and_then(Value::as_str).unwrap_or(""),
            };
            let steps = path.matches('.').count() + path.matches("[]").count() + 1;
            if path.len() > MAX_FIELD_PATH_BYTES || steps > MAX_FIELD_PATH_STEPS {
                return Err(ControlError::TooLarge(format!(
                    "a field path has {} bytes and {steps} steps; at most {MAX_FIELD_PATH_BYTES} bytes and {MAX_FIELD_PATH_STEPS} steps",
                    path.len()
                )));
            }
        }
    }
    Ok(())
}
