//! One check of one integration: fetch → (short-circuit if unchanged) → load → diff
//! against the approved baseline (locating each change in both documents) → state
//! transition → save → history (`state::history::Store::observe`). Used by
//! `apidrift check` and by the scheduler. Must not: panic or return an error to its caller; every
//! problem becomes `failing{reason}` in the state (or a logged save failure).

use super::disk::{WriteHealth, Writer};
use crate::baseline::{self, Record};
use crate::diff::{self, DiffOptions};
use crate::fetch::{FailureReason, FetchError, Fetched, Fetcher, Validators};
use crate::model::Api;
use crate::monitor::{Config, Monitor, Source};
use crate::report::Source as Located;
use crate::spec::{self, LoadOptions};
use crate::state::history;
use crate::state::specs::Specs;
use crate::state::{self, ChangeLocation, CheckResult, Event, IntegrationState, Outcome, SpecSeen};
use chrono::Utc;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Parsed baselines kept in memory, by digest (many integrations share one).
const API_CACHE_ENTRIES: usize = 256;

/// What one check did.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub integration: String,
    pub result: CheckResult,
    pub state: IntegrationState,
    /// Events not reported before (each is reported once, across restarts).
    pub events: Vec<Event>,
    pub duration: Duration,
    pub baseline: Option<Record>,
}

/// Everything a check needs; shared by all checks.
pub struct Checker {
    fetcher: Fetcher,
    pub baselines: baseline::Store,
    pub states: state::Store,
    /// Drift history, appended after each saved state (shared with the notifier).
    pub history: Arc<history::Store>,
    /// The specs compared (not equal to their baseline), for dry-runs and fragments.
    pub specs: Specs,
    max_spec_bytes: u64,
    cache: Mutex<HashMap<String, Arc<Api>>>,
    /// Whether the writes under the state directory work (logged once, exported).
    pub writes: Arc<WriteHealth>,
}

impl Checker {
    pub fn new(config: &Config) -> Result<Checker, FetchError> {
        Ok(Checker {
            fetcher: Fetcher::for_config(config)?,
            baselines: baseline::Store::new(&config.baselines_dir),
            states: state::Store::new(&config.state_dir),
            history: Arc::new(history::Store::new(
                config.state_dir.join("history"),
                config.history,
            )),
            specs: Specs::new(&config.state_dir),
            max_spec_bytes: config.max_spec_bytes,
            cache: Mutex::new(HashMap::new()),
            writes: Arc::new(WriteHealth::new()),
        })
    }

    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// Runs one check and persists its state. Never fails: a fault is in the report.
    pub async fn check(&self, m: &Monitor) -> CheckReport {
        let start = Instant::now();
        let (mut st, replaced) = self.states.load_or_replace(&m.name, Utc::now());
        if let Some(message) = replaced {
            tracing::error!(integration = %m.name, error = %message, "state file unreadable; this check starts afresh");
        }
        let mut locations = None;
        let (outcome, baseline) = self.outcome(m, &st, &mut locations).await;
        let outcome = self
            .visibility(m, &mut st, outcome, baseline.as_ref())
            .await;
        match &outcome {
            // A local fault: the message names the file to look at.
            Outcome::Failed {
                reason: FailureReason::Internal,
                message,
            } => {
                tracing::error!(integration = %m.name, reason = "internal", %message, "check failed on a local fault");
            }
            Outcome::Failed { reason, message } => {
                tracing::warn!(integration = %m.name, %reason, %message, "check failed");
            }
            _ => {}
        }
        let now = Utc::now();
        let (result, events) = st.apply(outcome, m.confirm_after, now);
        match locations {
            Some(l) => st.locations = l,
            None => {
                let live: std::collections::BTreeSet<&str> =
                    st.changes.iter().map(|c| c.fingerprint.as_str()).collect();
                st.locations.retain(|fp, _| live.contains(fp.as_str()));
            }
        }
        let states = self.states.clone();
        let saved = st.clone();
        let history = self.history.clone();
        let record = baseline.clone();
        let joined = tokio::task::spawn_blocking(move || {
            states.save(&saved)?;
            // After the state: the history follows the saved state, and repairs
            // itself from it if this process dies in between.
            Ok::<_, state::StateError>(history.observe(&saved, record.as_ref(), now))
        })
        .await;
        // A failed write is logged once (by `writes`), not once per check; the next
        // check writes the whole state again.
        match joined {
            Ok(Ok(history)) => {
                self.writes.ok(Writer::State);
                match history {
                    Ok(_) => self.writes.ok(Writer::History),
                    Err(e) => self.writes.failed(Writer::History, &e),
                }
            }
            Ok(Err(e)) => self.writes.failed(Writer::State, &e),
            Err(e) => self.writes.failed(Writer::State, &e),
        }
        CheckReport {
            integration: m.name.clone(),
            result,
            state: st,
            events,
            duration: start.elapsed(),
            baseline,
        }
    }

    async fn outcome(
        &self,
        m: &Monitor,
        st: &IntegrationState,
        locations: &mut Option<BTreeMap<String, ChangeLocation>>,
    ) -> (Outcome, Option<Record>) {
        let record = match self.baselines.record(&m.name) {
            Ok(Some(r)) => r,
            Ok(None) => return (Outcome::NoBaseline, None),
            Err(e) => {
                return (
                    failed(FailureReason::Internal, format!("baseline: {e}")),
                    None,
                );
            }
        };
        let seen = st
            .spec
            .as_ref()
            .filter(|s| s.compared_with == record.digest);
        let validators = seen.map(|s| s.validators.clone()).unwrap_or_default();
        let (bytes, validators) = match self.fetcher.fetch(m, &validators).await {
            Err(e) => return (failed(e.reason, e.message), Some(record)),
            Ok(Fetched::NotModified) => {
                return match seen {
                    Some(_) => (Outcome::Unchanged, Some(record)),
                    None => (
                        failed(
                            FailureReason::HttpStatus,
                            "HTTP 304 to an unconditional request",
                        ),
                        Some(record),
                    ),
                };
            }
            Ok(Fetched::Body { bytes, validators }) => (bytes, validators),
        };
        let digest = baseline::digest(&bytes);
        if seen.is_some_and(|s| s.digest == digest) {
            return (Outcome::Unchanged, Some(record));
        }
        let spec_seen = SpecSeen {
            digest: digest.clone(),
            bytes: bytes.len() as u64,
            validators,
            compared_with: record.digest.clone(),
        };
        if digest == record.digest {
            let o = Outcome::Compared {
                baseline_digest: record.digest.clone(),
                spec: spec_seen,
                changes: Vec::new(),
            };
            return (o, Some(record));
        }
        if let Some(why) = not_a_spec(&bytes) {
            return (failed(FailureReason::Parse, why), Some(record));
        }
        let base = match self.baseline_api(m, &record).await {
            Ok(a) => a,
            Err(e) => {
                return (
                    failed(FailureReason::Internal, format!("baseline: {e}")),
                    Some(record),
                );
            }
        };
        let (base_dir, opts) = load_options(m, self.max_spec_bytes);
        let name = m.source.display();
        let store = self.baselines.clone();
        let rec = record.clone();
        let specs = self.specs.clone();
        let integration = m.name.clone();
        // Consumed fields are reported per operation however deep they sit; a contract
        // that does not resolve is reported by the visibility step.
        let diff_opts = DiffOptions {
            watched: crate::impact::resolve(&m.visibility.consumes, &base)
                .map(|r| r.watched())
                .unwrap_or_default(),
            ..DiffOptions::default()
        };
        let joined = tokio::task::spawn_blocking(move || {
            let rev = spec::load_bytes(&name, &bytes, base_dir.as_deref(), &opts)
                .map_err(|e| e.to_string())?;
            let changes = diff::compare(&base, &rev.api, &diff_opts);
            let locations = locate(&changes, &store, &rec, &rev);
            // Before the state names it (a collection spares young files).
            if let Err(e) = specs.put(&digest, &bytes) {
                tracing::warn!(%integration, error = %e, "cannot keep the spec for dry-runs and fragments");
            }
            Ok::<_, String>((changes, locations))
        })
        .await;
        let changes = match joined {
            Ok(Ok((c, l))) => {
                *locations = Some(l);
                c
            }
            Ok(Err(e)) => return (failed(FailureReason::Parse, e), Some(record)),
            Err(e) => {
                // A panic in the parser is our bug, not the vendor's document.
                return (
                    failed(FailureReason::Internal, format!("parser task: {e}")),
                    Some(record),
                );
            }
        };
        let o = Outcome::Compared {
            baseline_digest: record.digest.clone(),
            spec: spec_seen,
            changes,
        };
        (o, Some(record))
    }

    /// The kept spec with `digest` (`state::specs`) loaded as the check loads it, on a
    /// blocking thread: `None` when it is not kept (the check that saw it predates the
    /// spec store, or the state directory lost it).
    pub(crate) async fn current_api(
        &self,
        m: &Monitor,
        digest: &str,
    ) -> Option<Result<Api, String>> {
        let specs = self.specs.clone();
        let digest = digest.to_string();
        let (base_dir, opts) = load_options(m, self.max_spec_bytes);
        let name = m.source.display();
        tokio::task::spawn_blocking(move || {
            let bytes = specs.get(&digest)?;
            Some(
                spec::load_bytes(&name, &bytes, base_dir.as_deref(), &opts)
                    .map(|l| l.api)
                    .map_err(|e| e.to_string()),
            )
        })
        .await
        .unwrap_or_else(|e| Some(Err(format!("loader task: {e}"))))
    }

    /// The visibility step (monitors with `consumes` or `samples`): judges the changes
    /// and the samples, keeps the report in `st`, and turns a sample failure into the
    /// check's failure. Other monitors and failed outcomes pass through.
    async fn visibility(
        &self,
        m: &Monitor,
        st: &mut IntegrationState,
        outcome: Outcome,
        record: Option<&Record>,
    ) -> Outcome {
        use super::visibility::{SampleShapes, judge, raw_changes};
        if m.visibility.is_empty() || matches!(outcome, Outcome::NoBaseline) {
            st.visibility = None;
            return outcome;
        }
        let Some(record) = record else {
            return outcome;
        };
        let raw = match &outcome {
            Outcome::Compared { changes, .. } => changes.clone(),
            Outcome::Unchanged => raw_changes(st),
            _ => return outcome,
        };
        let base = match self.baseline_api(m, record).await {
            Ok(a) => a,
            Err(e) => return failed(FailureReason::Internal, format!("baseline: {e}")),
        };
        let shapes = match self.baselines.samples(record) {
            Ok(Some(b)) => match serde_json::from_slice::<SampleShapes>(&b) {
                Ok(s) => s,
                Err(e) => {
                    return failed(FailureReason::Internal, format!("baseline samples: {e}"));
                }
            },
            Ok(None) => SampleShapes::default(),
            Err(e) => return failed(FailureReason::Internal, format!("baseline samples: {e}")),
        };
        let judged = match judge(&self.fetcher, m, &base, &shapes, &raw).await {
            Ok(j) => j,
            Err((reason, message)) => return failed(reason, message),
        };
        if let Some(r) = judged.report {
            st.visibility = Some(r);
        }
        if let Some((reason, message)) = judged.failure {
            return failed(reason, message);
        }
        match outcome {
            Outcome::Compared {
                baseline_digest,
                spec,
                ..
            } => Outcome::Compared {
                baseline_digest,
                spec,
                changes: judged.changes,
            },
            other => {
                st.changes = judged.changes;
                other
            }
        }
    }

    /// The parsed baseline of `record`, from the cache or the object file.
    pub(crate) async fn baseline_api(
        &self,
        m: &Monitor,
        record: &Record,
    ) -> Result<Arc<Api>, String> {
        if let Some(a) = self.cache_get(&record.digest) {
            return Ok(a);
        }
        let store = self.baselines.clone();
        let rec = record.clone();
        // A baseline object stands alone: no file it could refer to was approved.
        let (_, mut opts) = load_options(m, self.max_spec_bytes);
        opts.allow_file_refs = false;
        let api = tokio::task::spawn_blocking(move || {
            let bytes = store.object(&rec).map_err(|e| e.to_string())?;
            let path = store.root().join(&rec.object);
            spec::load_bytes(&path.display().to_string(), &bytes, None, &opts)
                .map(|l| Arc::new(l.api))
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())??;
        if let Ok(mut c) = self.cache.lock() {
            if c.len() >= API_CACHE_ENTRIES {
                c.clear();
            }
            c.insert(record.digest.clone(), api.clone());
        }
        Ok(api)
    }

    fn cache_get(&self, digest: &str) -> Option<Arc<Api>> {
        self.cache.lock().ok()?.get(digest).cloned()
    }
}

/// How every spec of `m` is loaded, by a check, a dry-run and `baseline accept` alike:
/// relative file `$ref`s for a spec on disk (resolved beside it), never remote ones,
/// the monitor's timeout and the configured `max_spec_bytes`. Returns the directory
/// file references resolve against.
pub fn load_options(m: &Monitor, max_spec_bytes: u64) -> (Option<PathBuf>, LoadOptions) {
    let (base_dir, file_refs) = match &m.source {
        Source::Path(p) => (p.parent().map(PathBuf::from), true),
        Source::Url(_) => (None, false),
    };
    let mut o = LoadOptions {
        allow_file_refs: file_refs,
        allow_remote_refs: false,
        timeout: m.timeout,
        ..LoadOptions::default()
    };
    o.limits.max_bytes = max_spec_bytes;
    (base_dir, o)
}

/// Where each change sits: in the baseline object (its text indexed once, only when a
/// change points into it) and in the revision just loaded.
fn locate(
    changes: &[diff::Change],
    store: &baseline::Store,
    record: &Record,
    rev: &spec::Loaded,
) -> BTreeMap<String, ChangeLocation> {
    if changes.is_empty() {
        return BTreeMap::new();
    }
    // Named as a reader of the configuration repository finds it: `baselines/objects/...`.
    let dir = store.root().file_name().map_or_else(
        || std::path::PathBuf::from("baselines"),
        std::path::PathBuf::from,
    );
    let base_file = dir.join(&record.object).display().to_string();
    let base_text = changes
        .iter()
        .any(|c| c.base_pointer.is_some())
        .then(|| store.object(record).ok())
        .flatten()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let base_format = match base_text.as_deref().map(str::trim_start) {
        Some(t) if t.starts_with('{') => spec::Format::Json,
        _ => spec::Format::Yaml,
    };
    let base_index = spec::Locator::default();
    let source = |file: &str, at: Option<(u32, u32)>| Located {
        file: file.to_string(),
        line: at.map(|(l, _)| l),
        column: at.map(|(_, c)| c),
    };
    changes
        .iter()
        .map(|c| {
            let base = c.base_pointer.as_deref().map(|p| {
                let at = base_text
                    .as_deref()
                    .filter(|_| !p.contains('#'))
                    .and_then(|t| base_index.locate(base_format, t, p));
                source(&base_file, at)
            });
            let revision = c
                .revision_pointer
                .as_deref()
                .map(|p| source(&rev.name, rev.locate(p)));
            (c.fingerprint.clone(), ChangeLocation { base, revision })
        })
        .collect()
}

fn failed(reason: FailureReason, message: impl Into<String>) -> Outcome {
    Outcome::Failed {
        reason,
        message: message.into(),
    }
}

/// A cheap sniff for bodies that are certainly not a spec (an HTML error page, an
/// empty body), so they fail as `parse` without invoking the loader.
pub fn not_a_spec(bytes: &[u8]) -> Option<String> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| bytes[i]) {
        None => Some("empty body".to_string()),
        Some(b'<') => Some("the body is HTML or XML, not an OpenAPI document".to_string()),
        _ => None,
    }
}

/// Reads a spec for `baseline accept`: fetch unconditionally, sniff, load.
pub async fn fetch_for_accept(
    fetcher: &Fetcher,
    m: &Monitor,
    max_spec_bytes: u64,
) -> Result<(Vec<u8>, Api), FetchError> {
    let bytes = match fetcher.fetch(m, &Validators::default()).await? {
        Fetched::Body { bytes, .. } => bytes,
        Fetched::NotModified => {
            return Err(FetchError::new(
                FailureReason::HttpStatus,
                "HTTP 304 to an unconditional request",
            ));
        }
    };
    if let Some(why) = not_a_spec(&bytes) {
        return Err(FetchError::new(FailureReason::Parse, why));
    }
    let (base_dir, opts) = load_options(m, max_spec_bytes);
    let name = m.source.display();
    let b = bytes.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        spec::load_bytes(&name, &b, base_dir.as_deref(), &opts)
    })
    .await
    .map_err(|e| FetchError::new(FailureReason::Parse, e.to_string()))?
    .map_err(|e| FetchError::new(FailureReason::Parse, e.to_string()))?;
    Ok((bytes, loaded.api))
}
