//! The visibility part of a check and of `baseline accept`: resolves the monitor's
//! consumes contract against the baseline spec, fetches its samples (through
//! `fetch::Fetcher`, the only client), infers their shapes, compares them with the
//! shapes stored at accept time and with the spec, and folds everything into the
//! `impact::Verdict` kept in the state. Must not: decide field states or levels (that
//! is `impact`), infer or compare shapes itself (`sample`), or keep a response value:
//! a body lives only inside `take_sample`, which returns its shape.

use crate::diagnostic::Diagnostic;
use crate::diff::Change;
use crate::fetch::{FailureReason, FetchError, Fetcher};
use crate::impact::{self, Resolved, Verdict};
use crate::model::{Api, Method};
use crate::monitor::Monitor;
use crate::monitor::contract::Sample;
use crate::sample::{self, CompareOptions, Deprecation, SampleFinding, Shape};
use crate::state::IntegrationState;
use crate::state::visibility::{Lifecycle, SampleReport, VisibilityReport};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The sample shapes stored with a baseline (`Record::samples`), by sample name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleShapes {
    pub samples: BTreeMap<String, StoredSample>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredSample {
    pub operation: String,
    pub status: u16,
    /// The JSON Pointer the shape's items were taken at. Absent in baselines accepted
    /// before it was recorded: those used the sample's `items`, else the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    pub shape: Shape,
}

/// Where a sample's items are: its `items` as written, else the item of its consumed
/// operation (the contract's `item:` or `impact::item`'s choice), else the body.
pub fn items_pointer(s: &Sample, resolved: &Resolved) -> String {
    if let Some(p) = &s.items {
        return p.clone();
    }
    resolved
        .operation(Method::Get, &s.path)
        .map_or_else(|| "/".to_string(), |o| o.item_pointer.clone())
}

/// The pointer to compare a sample with its stored shape at: the one recorded at
/// accept (both shapes then have the same root), else what that accept used.
fn stored_pointer(s: &Sample, resolved: &Resolved, stored: Option<&StoredSample>) -> String {
    match stored {
        Some(StoredSample { items: Some(p), .. }) => p.clone(),
        Some(_) => s.items.clone().unwrap_or_else(|| "/".to_string()),
        None => items_pointer(s, resolved),
    }
}

/// Two pointers to the same place (`""` and `/` are both the body).
fn same_pointer(a: &str, b: &str) -> bool {
    let norm = |p: &str| {
        if p.is_empty() {
            "/".to_string()
        } else {
            p.to_string()
        }
    };
    norm(a) == norm(b)
}

/// One sample read: its status, shape and lifecycle headers. No value survives.
struct Taken {
    status: u16,
    shape: Option<Shape>,
    deprecation: Option<Deprecation>,
}

async fn take_sample(
    fetcher: &Fetcher,
    m: &Monitor,
    s: &Sample,
    items: &str,
) -> Result<Taken, FetchError> {
    let resp = fetcher
        .get_sample(&s.url, s.auth.as_ref(), m.timeout)
        .await?;
    let deprecation = sample::deprecation_headers(
        resp.lifecycle_headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    if resp.status == 401 || resp.status == 403 {
        return Ok(Taken {
            status: resp.status,
            shape: None,
            deprecation,
        });
    }
    let body: serde_json::Value = serde_json::from_slice(&resp.bytes).map_err(|e| {
        // serde_json's message names a position and a category, never the input.
        FetchError::new(
            FailureReason::Parse,
            format!(
                "sample `{}`: the body is not JSON ({})",
                s.name,
                json_error_kind(&e)
            ),
        )
    })?;
    let shape = sample::infer(&body, items);
    drop(body);
    Ok(Taken {
        status: resp.status,
        shape: Some(shape),
        deprecation,
    })
}

/// serde_json's error category as a word: its message is safe too, but the category is
/// all a reader needs.
fn json_error_kind(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "i/o error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "truncated",
    }
}

/// Why `baseline accept` refuses.
#[derive(Debug)]
pub enum AcceptError {
    /// The contract does not resolve against the spec (pointers into the monitor file).
    Contract(Vec<Diagnostic>),
    /// A sample could not be read.
    Sample { name: String, error: FetchError },
}

/// What `baseline accept` stores beside the spec, and what it should say.
#[derive(Debug, Default)]
pub struct Accepted {
    /// The JSON of the sample shapes (`None` without samples).
    pub samples: Option<Vec<u8>>,
    /// Contract warnings (pointers into the monitor file).
    pub warnings: Vec<Diagnostic>,
}

/// For `baseline accept`: resolves the contract against `api` and takes every sample
/// at its items pointer (`items_pointer`). An explicit `items` must agree with the
/// item of its consumed operation, and an undocumented consumed field must be shown
/// by a sample of its operation.
pub async fn prepare_accept(
    fetcher: &Fetcher,
    m: &Monitor,
    api: &Api,
) -> Result<Accepted, AcceptError> {
    let v = &m.visibility;
    if v.is_empty() {
        return Ok(Accepted::default());
    }
    let resolved = impact::resolve(&v.consumes, api).map_err(AcceptError::Contract)?;
    let mut diags = Vec::new();
    for (i, s) in v.samples.iter().enumerate() {
        let (Some(written), Some(op)) = (&s.items, resolved.operation(Method::Get, &s.path)) else {
            continue;
        };
        // Without a JSON body the contract knows no item; the sample's `items` stands.
        if op.status.is_none() || same_pointer(written, &op.item_pointer) {
            continue;
        }
        diags.push(
            Diagnostic::error(
                "sample-items-mismatch",
                format!(
                    "sample `{}` takes its items at `{written}` but the item of {} is at `{}`: its consumed fields would not be watched",
                    s.name, op.name, op.item_pointer
                ),
            )
            .at_pointer(format!("/samples/{i}/items"))
            .with_help(format!(
                "remove `items` (a sample follows its operation's item), or write `item: {written}` under the operation in `consumes`"
            )),
        );
    }
    if !diags.is_empty() {
        return Err(AcceptError::Contract(diags));
    }
    let mut shapes = SampleShapes::default();
    for s in &v.samples {
        let items = items_pointer(s, &resolved);
        let t = take_sample(fetcher, m, s, &items)
            .await
            .map_err(|error| AcceptError::Sample {
                name: s.name.clone(),
                error,
            })?;
        let Some(shape) = t.shape else {
            return Err(AcceptError::Sample {
                name: s.name.clone(),
                error: FetchError::new(
                    FailureReason::Forbidden,
                    format!("HTTP {}: the sample's credentials are refused", t.status),
                ),
            });
        };
        shapes.samples.insert(
            s.name.clone(),
            StoredSample {
                operation: s.operation.clone(),
                status: t.status,
                items: Some(items),
                shape,
            },
        );
    }
    for (i, c) in v.consumes.0.iter().enumerate() {
        let Some(op) = resolved
            .operations
            .iter()
            .find(|o| o.name == c.operation.trim())
        else {
            continue;
        };
        for (j, f) in c.fields.iter().enumerate() {
            if !f.undocumented {
                continue;
            }
            let shown = v
                .samples
                .iter()
                .filter(|s| crate::model::OpKey::new(Method::Get, &s.path) == op.key)
                .filter_map(|s| shapes.samples.get(&s.name))
                .any(|st| {
                    st.shape
                        .fields
                        .keys()
                        .any(|k| k == &f.path || impact::walk::is_prefix(&f.path, k))
                });
            if !shown {
                diags.push(
                    Diagnostic::error(
                        "consumes-undocumented-unseen",
                        format!(
                            "undocumented field `{}` of {} is not shown by any sample",
                            f.path,
                            c.operation.trim()
                        ),
                    )
                    .at_pointer(format!("/consumes/{i}/fields/{j}"))
                    .with_help(
                        "add a `samples:` request of this operation whose response has the field",
                    ),
                );
            }
        }
    }
    if !diags.is_empty() {
        return Err(AcceptError::Contract(diags));
    }
    let warnings = resolved.warnings;
    if v.samples.is_empty() {
        return Ok(Accepted {
            samples: None,
            warnings,
        });
    }
    // Plain structs with string keys: serialising cannot fail.
    let mut bytes = serde_json::to_vec_pretty(&shapes).unwrap_or_default();
    bytes.push(b'\n');
    Ok(Accepted {
        samples: Some(bytes),
        warnings,
    })
}

/// What the visibility step of one check decided.
pub struct Judged {
    /// The report to keep; `None` keeps the previous one (a sample could not be read,
    /// so the verdict of this poll is unknown).
    pub report: Option<VisibilityReport>,
    /// The changes with their levels raised by the contract (level > NONE kept).
    pub changes: Vec<Change>,
    /// A sample failed: the check fails with this reason (`forbidden` for 401/403).
    pub failure: Option<(FailureReason, String)>,
}

/// The changes of the last comparison before the contract raised their levels.
pub fn raw_changes(st: &IntegrationState) -> Vec<Change> {
    match &st.visibility {
        Some(v) => v
            .verdict
            .changes
            .iter()
            .map(|a| {
                let mut c = a.change.clone();
                c.level = a.base_level;
                c
            })
            .collect(),
        _ => st.changes.clone(),
    }
}

/// Judges `changes` (baseline → current spec) and the monitor's samples.
pub async fn judge(
    fetcher: &Fetcher,
    m: &Monitor,
    base: &Api,
    shapes: &SampleShapes,
    changes: &[Change],
) -> Result<Judged, (FailureReason, String)> {
    let v = &m.visibility;
    let resolved = impact::resolve(&v.consumes, base).map_err(|d| {
        let first = d.first().map(|d| d.message.clone()).unwrap_or_default();
        (
            FailureReason::Parse,
            format!(
                "the consumes contract does not resolve against the baseline ({} problem(s), first: {first}); run `apidrift baseline accept {}`",
                d.len(),
                m.name
            ),
        )
    })?;
    let mut verdict = impact::assess(changes, &resolved, None);
    let mut lifecycle = spec_lifecycle(&resolved);
    let mut samples = Vec::new();
    let mut failure: Option<(FailureReason, String)> = None;
    let mut unknown = false;
    for s in &v.samples {
        let consumed: Vec<String> = resolved
            .operation(Method::Get, &s.path)
            .map(|o| o.fields.iter().map(|f| f.path.clone()).collect())
            .unwrap_or_default();
        let mut report = SampleReport {
            name: s.name.clone(),
            operation: s.operation.clone(),
            status: None,
            items: None,
            failure: None,
            findings: Vec::new(),
        };
        let stored = shapes.samples.get(&s.name);
        let items = stored_pointer(s, &resolved, stored);
        match take_sample(fetcher, m, s, &items).await {
            Err(e) => {
                tracing::warn!(integration = %m.name, sample = %s.name, reason = %e.reason, "sample failed");
                report.failure = Some(e.reason);
                unknown = true;
                failure.get_or_insert((e.reason, format!("sample `{}`: {}", s.name, e.message)));
            }
            Ok(t) => {
                report.status = Some(t.status);
                let mut findings: Vec<SampleFinding> = Vec::new();
                match &t.shape {
                    None => {
                        findings.push(sample::forbidden_finding(t.status));
                        report.failure = Some(FailureReason::Forbidden);
                        failure.get_or_insert((
                            FailureReason::Forbidden,
                            format!(
                                "sample `{}`: HTTP {}: the fetcher's credentials may no longer see this data (visibility risk)",
                                s.name, t.status
                            ),
                        ));
                    }
                    Some(shape) => {
                        report.items = Some(shape.items);
                        if let Some(b) = stored {
                            let opts = CompareOptions {
                                item_drop_share: s.item_drop_share,
                                ..CompareOptions::default()
                            };
                            findings.extend(sample::compare(&b.shape, shape, &consumed, &opts));
                        }
                        findings.extend(sample::conformance(
                            shape,
                            base,
                            &s.operation,
                            &t.status.to_string(),
                            &items,
                            &consumed,
                        ));
                    }
                }
                if let Some(d) = &t.deprecation {
                    findings.extend(sample::deprecation_findings(d));
                    merge_lifecycle(&mut lifecycle, &resolved, s, d);
                }
                let findings: Vec<SampleFinding> = findings
                    .into_iter()
                    .map(|f| f.with_operation(Method::Get, &s.path))
                    .collect();
                verdict.apply_samples(&s.operation, &findings);
                report.findings = findings;
            }
        }
        samples.push(report);
    }
    let changes = verdict
        .changes
        .iter()
        .map(|a| a.change.clone())
        .filter(|c| c.level > crate::diff::Level::None)
        .collect();
    let report = (!unknown).then(|| VisibilityReport {
        verdict,
        samples,
        lifecycle: lifecycle.into_values().collect(),
    });
    Ok(Judged {
        report,
        changes,
        failure,
    })
}

/// Deprecated or sunset consumed operations, from the spec.
pub fn spec_lifecycle(resolved: &Resolved) -> BTreeMap<String, Lifecycle> {
    let mut out = BTreeMap::new();
    for o in &resolved.operations {
        let sunset_at = o.sunset.as_deref().and_then(parse_sunset);
        if o.deprecated || o.sunset.is_some() {
            out.insert(
                o.name.clone(),
                Lifecycle {
                    operation: o.name.clone(),
                    deprecated: o.deprecated,
                    sunset_at,
                    source: "spec".to_string(),
                },
            );
        }
    }
    out
}

fn merge_lifecycle(
    out: &mut BTreeMap<String, Lifecycle>,
    resolved: &Resolved,
    s: &Sample,
    d: &Deprecation,
) {
    let name = resolved
        .operation(Method::Get, &s.path)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| s.operation.clone());
    let e = out.entry(name.clone()).or_insert_with(|| Lifecycle {
        operation: name,
        deprecated: false,
        sunset_at: None,
        source: "header".to_string(),
    });
    if e.source == "spec" {
        e.source = "spec,header".to_string();
    }
    e.deprecated |= d.deprecated;
    e.sunset_at = match (e.sunset_at, d.sunset_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
}

/// `x-sunset` as written: an RFC 3339 date-time, a date (midnight UTC) or an HTTP-date.
pub fn parse_sunset(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
    }
    sample::headers::parse_http_date(s)
}

/// The verdict of the last check, when one is known.
pub fn verdict(st: &IntegrationState) -> Option<&Verdict> {
    st.visibility.as_ref().map(|v| &v.verdict)
}

/// The verdict as `apidrift check --format json` and `/api/v1/integrations` show it:
/// the visibility ratio, the consumed fields by state, possible renames, `risks` (the
/// operation-level risks, then refused samples, one line each), each operation's
/// fields and risks with their reasons, sample results and lifecycle. The assessed
/// changes are left to the changes endpoint.
pub fn summary(r: &VisibilityReport) -> serde_json::Value {
    use crate::impact::FieldState;
    let v = &r.verdict;
    let renames: Vec<serde_json::Value> = v
        .operations
        .iter()
        .flat_map(|o| {
            o.fields.iter().filter_map(move |f| {
                f.possible_rename.as_ref().map(|to| {
                    serde_json::json!({"operation": o.operation, "field": f.field, "possible_rename": to})
                })
            })
        })
        .collect();
    let mut risks: Vec<String> = v
        .operation_risks()
        .into_iter()
        .map(|x| format!("operation risk: {x}"))
        .collect();
    for s in &r.samples {
        if s.failure == Some(FailureReason::Forbidden) {
            risks.push(format!(
                "visibility risk: sample `{}` ({}) was refused with HTTP {}: the fetcher's credentials may no longer see this data",
                s.name,
                s.operation,
                s.status.unwrap_or(403)
            ));
        }
    }
    serde_json::json!({
        "visibility": v.visibility,
        "counts": v.counts,
        "fields": {
            "ok": v.fields_in(FieldState::Ok),
            "at_risk": v.fields_in(FieldState::AtRisk),
            "lost": v.fields_in(FieldState::Lost),
        },
        "possible_renames": renames,
        "risks": risks,
        "operations": v.operations,
        "samples": r.samples,
        "lifecycle": r.lifecycle,
    })
}

/// The changes of a state as JSON objects, each marked `consumed` with the consumed
/// fields it `affects` and its `base_level` when a verdict is known.
pub fn annotated_changes(st: &IntegrationState) -> Vec<serde_json::Value> {
    st.changes
        .iter()
        .map(|c| {
            let mut o = serde_json::to_value(c).unwrap_or_default();
            if let Some(a) = verdict(st).and_then(|v| {
                v.changes
                    .iter()
                    .find(|a| a.change.fingerprint == c.fingerprint)
            }) && let Some(map) = o.as_object_mut()
            {
                map.insert("consumed".into(), a.consumed.into());
                map.insert(
                    "affects".into(),
                    serde_json::to_value(&a.touches).unwrap_or_default(),
                );
                map.insert(
                    "base_level".into(),
                    serde_json::to_value(a.base_level).unwrap_or_default(),
                );
            }
            o
        })
        .collect()
}

/// The preflight answer for a monitor in state `st`.
pub fn preflight(m: &Monitor, st: Option<&IntegrationState>) -> impact::Preflight {
    let failing = st.is_none_or(|s| {
        matches!(
            s.status,
            crate::state::Status::Failing
                | crate::state::Status::Unknown
                | crate::state::Status::NoBaseline
        )
    });
    let v = st.and_then(verdict);
    let mut p = impact::preflight(m.visibility.preflight, v, failing);
    // A contract without any verdict yet (never checked, no baseline) is unknown too.
    if v.is_none()
        && !m.visibility.is_empty()
        && m.visibility.preflight != impact::PreflightPolicy::Never
        && p.allowed
    {
        p.allowed = false;
        p.reasons.push("no verdict known yet".to_string());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunset_dates_parse_in_the_three_forms() {
        assert_eq!(parse_sunset("2030-01-01"), Some(1_893_456_000));
        assert_eq!(parse_sunset("2030-01-01T00:00:00Z"), Some(1_893_456_000));
        assert_eq!(
            parse_sunset("Tue, 01 Jan 2030 00:00:00 GMT"),
            Some(1_893_456_000)
        );
        assert_eq!(parse_sunset("soon"), None);
    }
}
