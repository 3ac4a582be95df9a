//! The notification event (`"version": 1`): the webhook payload and the single source
//! every email is rendered from.
//!
//! Owns: `Event` and its parts, the idempotency key (`Event::drift_id`,
//! `Event::failure_id`), the remediation rule (`Remediation::derive`), extracting an
//! operation's spec fragment with local `$ref`s inlined (`operation_fragment`), and
//! redacting credentials from a spec source URL (`redact_url`).
//!
//! Must not: carry a credential or a response value. Changes carry rule arguments (paths,
//! enum values from the spec), fragments are spec text, sample differences are shapes.
//! The JSON Schema of this payload is `schemas/webhook-event.v1.json`; a test keeps the
//! two in step.

use crate::diff::{Change, Level};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The payload version. Bump on any incompatible change and keep the old schema file.
pub const EVENT_VERSION: u32 = 1;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "drift.confirmed")]
    DriftConfirmed,
    #[serde(rename = "drift.resolved")]
    DriftResolved,
    #[serde(rename = "check.failing")]
    CheckFailing,
    #[serde(rename = "check.recovered")]
    CheckRecovered,
}

impl EventKind {
    /// The wire name, also sent as `X-Apidrift-Event`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::DriftConfirmed => "drift.confirmed",
            EventKind::DriftResolved => "drift.resolved",
            EventKind::CheckFailing => "check.failing",
            EventKind::CheckRecovered => "check.recovered",
        }
    }
}

/// What a change does to the fields the integration reads (from `impact`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeTouch {
    /// A consumed field or operation is gone or changed incompatibly.
    Lost,
    /// A consumed field may now carry values the fetcher does not expect.
    AtRisk,
    /// A consumed operation's authentication changed (requirement, scheme or
    /// scopes): the fields still arrive if the fetcher's credential does.
    Credential,
    /// The change touches nothing the integration declares it reads.
    Unconsumed,
    /// The monitor has no consumes contract, so nobody knows.
    Unknown,
}

/// What an agent (or a human) should do about one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remediation {
    RegenerateFetcher,
    UpdateMapping,
    UpdateCredential,
    ReviewAndAccept,
    None,
}

impl Remediation {
    /// The rule, from the change's verdict state first and its level second:
    ///
    /// | touch        | level          | remediation          |
    /// |--------------|----------------|----------------------|
    /// | `lost`       | any            | `regenerate_fetcher` |
    /// | `at_risk`    | any            | `update_mapping`     |
    /// | `credential` | any            | `update_credential`  |
    /// | `unconsumed` | ERR or WARN    | `review_and_accept`  |
    /// | `unconsumed` | INFO or NONE   | `none`               |
    /// | `unknown`    | ERR or WARN    | `review_and_accept`  |
    /// | `unknown`    | INFO or NONE   | `none`               |
    ///
    /// Lost data means the fetcher reads something that is no longer there, so its code
    /// must change; at-risk data still arrives but may carry new values or nulls the
    /// mapping must handle; a credential change asks for the fetcher's credential
    /// (scheme, scopes) to be checked against the new requirement, not for new code. Without a contract nothing proves the fetcher is affected,
    /// so a breaking change asks a human to look rather than an agent to rewrite code.
    pub fn derive(level: Level, touch: ChangeTouch) -> Remediation {
        match touch {
            ChangeTouch::Lost => Remediation::RegenerateFetcher,
            ChangeTouch::AtRisk => Remediation::UpdateMapping,
            ChangeTouch::Credential => Remediation::UpdateCredential,
            ChangeTouch::Unconsumed | ChangeTouch::Unknown => {
                if level >= Level::Warn {
                    Remediation::ReviewAndAccept
                } else {
                    Remediation::None
                }
            }
        }
    }
}

/// One change as `diff --format json` prints it, plus the verdict and remediation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventChange {
    #[serde(flatten)]
    pub change: Change,
    pub consumed: ChangeTouch,
    pub remediation: Remediation,
}

impl EventChange {
    pub fn new(change: Change, touch: ChangeTouch) -> EventChange {
        let remediation = Remediation::derive(change.level, touch);
        EventChange {
            change,
            consumed: touch,
            remediation,
        }
    }
}

/// The integration an event is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationRef {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// An affected operation with its spec text before and after (refs inlined). A side is
/// `null` when the operation does not exist there (added or removed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationFragment {
    pub method: String,
    pub path: String,
    pub baseline: Value,
    pub revision: Value,
}

/// Why a check is failing (for `check.*` events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// `timeout`, `connect`, `dns`, `tls`, `http_status`, `too_large`, `parse`,
    /// `forbidden`, `internal`.
    pub reason: String,
    /// Start of the failing episode.
    pub since: DateTime<Utc>,
}

/// One notification event, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub version: u32,
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// Idempotency key: the same event always has the same id (retries, restarts).
    pub id: String,
    pub time: DateTime<Utc>,
    pub integration: IntegrationRef,
    /// The monitor's consumes contract, as `impact` serializes it; `null` when none.
    pub consumes: Value,
    /// The visibility verdict, as `impact` serializes it; `null` when unknown. Emails
    /// read `visibility` (a number in 0..=1), `fields.lost` / `fields.at_risk`
    /// (lists of field paths, or objects with `operation` and `field`) and
    /// `operation_risks` (objects with `operation`, `kind`, `message`, `reasons`)
    /// when present.
    pub verdict: Value,
    pub changes: Vec<EventChange>,
    pub operations: Vec<OperationFragment>,
    /// Sample shape differences, as `sample` serializes them (shapes, never values).
    pub sample_differences: Vec<Value>,
    pub baseline_digest: Option<String>,
    pub spec_digest: Option<String>,
    /// Where the vendor spec came from, credentials and secret query values redacted.
    pub spec_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// The integration's page on the daemon (`external_url` + `/integrations/NAME`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// When the drift was first confirmed (`drift.*` events; absent in events
    /// enqueued before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_since: Option<DateTime<Utc>>,
    /// `drift.*` events: the acknowledgement a human gave this drift, if any (an
    /// acknowledged drift gets no reminders while it lasts; a reminder after it ended, or
    /// the resolution, says who handled it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<crate::state::history::Acknowledgement>,
}

impl Event {
    /// A new event with nothing but its kind, id and integration; fill the rest.
    pub fn new(
        kind: EventKind,
        id: String,
        time: DateTime<Utc>,
        integration: IntegrationRef,
    ) -> Event {
        Event {
            version: EVENT_VERSION,
            kind,
            id,
            time,
            integration,
            consumes: Value::Null,
            verdict: Value::Null,
            changes: Vec::new(),
            operations: Vec::new(),
            sample_differences: Vec::new(),
            baseline_digest: None,
            spec_digest: None,
            spec_source: None,
            failure: None,
            page_url: None,
            drift_since: None,
            acknowledged: None,
        }
    }

    /// The id of a drift event: SHA-256 over the kind, the integration, the episode
    /// number (how many drifts this integration has had; kept by `Tracker` so a drift
    /// that comes back after being resolved is a new event) and the sorted, deduplicated
    /// change fingerprints. `evt_` + 32 hex digits.
    pub fn drift_id<'a>(
        kind: EventKind,
        integration: &str,
        episode: u64,
        fingerprints: impl IntoIterator<Item = &'a str>,
    ) -> String {
        let set: BTreeSet<&str> = fingerprints.into_iter().collect();
        let mut key = format!(
            "apidrift-event/1\n{}\n{integration}\n{episode}\n",
            kind.as_str()
        );
        for f in set {
            key.push_str(f);
            key.push('\n');
        }
        format!("evt_{}", &super::sha256_hex(key.as_bytes())[..32])
    }

    /// The id of a `check.*` event: SHA-256 over kind, integration and the start of the
    /// failing episode.
    pub fn failure_id(kind: EventKind, integration: &str, since: DateTime<Utc>) -> String {
        let key = format!(
            "apidrift-event/1\n{}\n{integration}\n{}\n",
            kind.as_str(),
            since.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        format!("evt_{}", &super::sha256_hex(key.as_bytes())[..32])
    }

    /// Sorted fingerprints of the event's changes.
    pub fn fingerprints(&self) -> BTreeSet<String> {
        self.changes
            .iter()
            .map(|c| c.change.fingerprint.clone())
            .collect()
    }

    /// Serialized payload: compact JSON, keys in declaration order (deterministic).
    pub fn to_json(&self) -> Vec<u8> {
        // Serializing plain data (strings, numbers, `Value`) into a Vec cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Number of changes at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.changes
            .iter()
            .filter(|c| c.change.level == level)
            .count()
    }

    /// `verdict.visibility`, when the verdict has one.
    pub fn visibility(&self) -> Option<f64> {
        self.verdict.get("visibility").and_then(Value::as_f64)
    }

    /// Operation-level risks as display strings (`GET /u: the credential may need to
    /// change (api-security-scope-added)`), from `verdict.operation_risks`.
    pub fn operation_risks(&self) -> Vec<String> {
        let Some(Value::Array(items)) = self.verdict.get("operation_risks") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|v| {
                let op = v.get("operation").and_then(Value::as_str)?;
                let msg = v.get("message").and_then(Value::as_str)?;
                let ids: Vec<&str> = v
                    .get("reasons")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                Some(if ids.is_empty() {
                    format!("{op}: {msg}")
                } else {
                    format!("{op}: {msg} ({})", ids.join(", "))
                })
            })
            .collect()
    }

    /// Consumed fields in `state` (`lost` or `at_risk`) as display strings, from
    /// `verdict.fields.<state>` (or `verdict.<state>`).
    pub fn consumed_fields(&self, state: &str) -> Vec<String> {
        let list = self
            .verdict
            .get("fields")
            .and_then(|f| f.get(state))
            .or_else(|| self.verdict.get(state));
        let Some(Value::Array(items)) = list else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => {
                    let field = o
                        .get("field")
                        .or_else(|| o.get("path"))
                        .and_then(Value::as_str)?;
                    Some(match o.get("operation").and_then(Value::as_str) {
                        Some(op) => format!("{op} {field}"),
                        None => field.to_string(),
                    })
                }
                _ => None,
            })
            .collect()
    }
}

/// Limits for `operation_fragment`: a fragment never exceeds `max_nodes` JSON nodes or
/// `max_depth` levels; refs past the limit stay as `$ref` with `x-apidrift-truncated`.
#[derive(Debug, Clone, Copy)]
pub struct FragmentLimits {
    pub max_nodes: usize,
    pub max_depth: usize,
}

impl Default for FragmentLimits {
    fn default() -> Self {
        FragmentLimits {
            max_nodes: 20_000,
            max_depth: 64,
        }
    }
}

/// The operation `method path` of an OpenAPI/Swagger document with every local `$ref`
/// inlined. Path-level parameters not overridden by the operation (same `in` + `name`)
/// are added to its `parameters`. A `$ref` that points back into one being expanded
/// stays a `$ref` with `"x-apidrift-cycle": true`; a non-local or dangling one stays
/// as written. `None` when the document has no such operation.
pub fn operation_fragment(
    doc: &Value,
    method: &str,
    path: &str,
    limits: FragmentLimits,
) -> Option<Value> {
    let item = doc.get("paths")?.get(path)?;
    let item = resolve_local(doc, item).unwrap_or(item);
    let op = item.get(method.to_ascii_lowercase())?;
    let mut op = op.clone();
    if let Some(Value::Array(path_params)) = item.get("parameters") {
        let key = |p: &Value| {
            let p = resolve_local(doc, p).unwrap_or(p);
            (
                p.get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )
        };
        if let Value::Object(o) = &mut op {
            let own: Vec<Value> = match o.get("parameters") {
                Some(Value::Array(a)) => a.clone(),
                _ => Vec::new(),
            };
            let own_keys: BTreeSet<_> = own.iter().map(key).collect();
            let mut merged: Vec<Value> = path_params
                .iter()
                .filter(|p| !own_keys.contains(&key(p)))
                .cloned()
                .collect();
            merged.extend(own);
            o.insert("parameters".to_string(), Value::Array(merged));
        }
    }
    let mut inliner = Inliner {
        doc,
        limits,
        nodes: 0,
        stack: Vec::new(),
    };
    Some(inliner.inline(&op, 0))
}

/// Follows one local `$ref` (`#/...`), if `v` is one and it resolves.
fn resolve_local<'a>(doc: &'a Value, v: &'a Value) -> Option<&'a Value> {
    let r = v.get("$ref")?.as_str()?;
    let pointer = r.strip_prefix('#')?;
    doc.pointer(pointer)
}

struct Inliner<'a> {
    doc: &'a Value,
    limits: FragmentLimits,
    nodes: usize,
    stack: Vec<String>,
}

impl Inliner<'_> {
    fn inline(&mut self, v: &Value, depth: usize) -> Value {
        self.nodes += 1;
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    return self.inline_ref(r, o, depth);
                }
                if depth >= self.limits.max_depth || self.nodes >= self.limits.max_nodes {
                    return truncated(v);
                }
                let mut out = Map::new();
                for (k, child) in o {
                    out.insert(k.clone(), self.inline(child, depth + 1));
                }
                Value::Object(out)
            }
            Value::Array(a) => {
                if depth >= self.limits.max_depth || self.nodes >= self.limits.max_nodes {
                    return truncated(v);
                }
                Value::Array(a.iter().map(|c| self.inline(c, depth + 1)).collect())
            }
            scalar => scalar.clone(),
        }
    }

    fn inline_ref(&mut self, r: &str, o: &Map<String, Value>, depth: usize) -> Value {
        let mut keep = o.clone();
        if self.stack.iter().any(|s| s == r) {
            keep.insert("x-apidrift-cycle".into(), Value::Bool(true));
            return Value::Object(keep);
        }
        if depth >= self.limits.max_depth || self.nodes >= self.limits.max_nodes {
            keep.insert("x-apidrift-truncated".into(), Value::Bool(true));
            return Value::Object(keep);
        }
        let Some(target) = r.strip_prefix('#').and_then(|p| self.doc.pointer(p)) else {
            return Value::Object(keep);
        };
        self.stack.push(r.to_string());
        let mut resolved = self.inline(target, depth + 1);
        self.stack.pop();
        // OpenAPI 3.1 allows siblings next to `$ref`; they refine the target.
        if let Value::Object(t) = &mut resolved {
            for (k, child) in o {
                if k != "$ref" {
                    let c = self.inline(child, depth + 1);
                    t.insert(k.clone(), c);
                }
            }
        }
        resolved
    }
}

fn truncated(v: &Value) -> Value {
    let kind = match v {
        Value::Array(_) => "array",
        _ => "object",
    };
    serde_json::json!({"x-apidrift-truncated": true, "x-apidrift-kind": kind})
}

/// Query parameter names whose values are redacted (matched case-insensitively as a
/// substring of the name).
const SECRET_PARAM_WORDS: &[&str] = &[
    "token",
    "key",
    "secret",
    "signature",
    "sig",
    "password",
    "passwd",
    "pwd",
    "auth",
    "credential",
    "session",
];

/// A spec source fit to show: userinfo removed, the value of every query parameter whose
/// name looks secret replaced by `REDACTED`, the fragment dropped. A string that is not
/// an absolute URL (a file path) is returned as is.
pub fn redact_url(source: &str) -> String {
    let Ok(mut url) = url::Url::parse(source) else {
        return source.to_string();
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_fragment(None);
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let lower = k.to_ascii_lowercase();
                let secret = SECRET_PARAM_WORDS.iter().any(|w| lower.contains(w));
                let v = if secret {
                    "REDACTED".to_string()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn remediation_follows_touch_then_level() {
        use ChangeTouch::*;
        assert_eq!(
            Remediation::derive(Level::Info, Lost),
            Remediation::RegenerateFetcher
        );
        assert_eq!(
            Remediation::derive(Level::Warn, AtRisk),
            Remediation::UpdateMapping
        );
        assert_eq!(
            Remediation::derive(Level::Err, Unconsumed),
            Remediation::ReviewAndAccept
        );
        assert_eq!(
            Remediation::derive(Level::Info, Unconsumed),
            Remediation::None
        );
        assert_eq!(
            Remediation::derive(Level::Warn, Unknown),
            Remediation::ReviewAndAccept
        );
        assert_eq!(Remediation::derive(Level::None, Unknown), Remediation::None);
        assert_eq!(
            Remediation::derive(Level::Info, Credential),
            Remediation::UpdateCredential
        );
        assert_eq!(
            serde_json::to_value((Credential, Remediation::UpdateCredential)).unwrap(),
            json!(["credential", "update_credential"])
        );
    }

    #[test]
    fn drift_id_is_stable_and_order_free_but_depends_on_every_part() {
        let a = Event::drift_id(EventKind::DriftConfirmed, "okta", 1, ["b", "a", "a"]);
        assert_eq!(
            a,
            Event::drift_id(EventKind::DriftConfirmed, "okta", 1, ["a", "b"])
        );
        assert!(a.starts_with("evt_") && a.len() == 36);
        assert_ne!(
            a,
            Event::drift_id(EventKind::DriftResolved, "okta", 1, ["a", "b"])
        );
        assert_ne!(
            a,
            Event::drift_id(EventKind::DriftConfirmed, "okta", 2, ["a", "b"])
        );
        assert_ne!(
            a,
            Event::drift_id(EventKind::DriftConfirmed, "okta2", 1, ["a", "b"])
        );
        assert_ne!(
            a,
            Event::drift_id(EventKind::DriftConfirmed, "okta", 1, ["a"])
        );
    }

    #[test]
    fn redact_url_strips_userinfo_and_secret_query_values() {
        let r = redact_url(
            "https://bob:hunter2@vendor.example/spec.yaml?api_key=canary1&v=2&X-Amz-Signature=canary2&access_token=canary3#frag",
        );
        assert!(
            !r.contains("canary") && !r.contains("hunter2") && !r.contains("bob"),
            "{r}"
        );
        assert!(r.contains("v=2") && r.contains("api_key=REDACTED"), "{r}");
        assert_eq!(redact_url("specs/okta.yaml"), "specs/okta.yaml");
    }

    #[test]
    fn fragment_inlines_refs_merges_path_params_and_survives_cycles() {
        let doc = json!({
            "paths": {"/users/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}, {"in": "query", "name": "x"}],
                "get": {
                    "parameters": [{"in": "query", "name": "x", "required": true}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}}
                }
            }},
            "components": {
                "parameters": {"Id": {"in": "path", "name": "id", "required": true}},
                "schemas": {
                    "User": {"type": "object", "properties": {
                        "manager": {"$ref": "#/components/schemas/User"},
                        "bad": {"$ref": "#/components/schemas/Nope"}
                    }}
                }
            }
        });
        let f = operation_fragment(&doc, "GET", "/users/{id}", FragmentLimits::default()).unwrap();
        let params = f["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 2);
        assert_eq!(params[0]["name"], "id");
        assert_eq!(params[1]["required"], true);
        let user = &f["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(user["type"], "object");
        assert_eq!(user["properties"]["manager"]["x-apidrift-cycle"], true);
        assert_eq!(
            user["properties"]["bad"]["$ref"],
            "#/components/schemas/Nope"
        );
        assert!(
            operation_fragment(&doc, "post", "/users/{id}", FragmentLimits::default()).is_none()
        );
    }

    #[test]
    fn fragment_is_size_bounded_on_a_ref_explosion() {
        // Each level refers to the one below twice: 2^30 nodes if fully expanded.
        let mut schemas = Map::new();
        for i in 0..30 {
            schemas.insert(
                format!("S{i}"),
                json!({"type": "object", "properties": {
                    "a": {"$ref": format!("#/components/schemas/S{}", i + 1)},
                    "b": {"$ref": format!("#/components/schemas/S{}", i + 1)}
                }}),
            );
        }
        schemas.insert("S30".into(), json!({"type": "string"}));
        let doc = json!({
            "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}}},
            "components": {"schemas": schemas}
        });
        let limits = FragmentLimits {
            max_nodes: 5_000,
            max_depth: 200,
        };
        let f = operation_fragment(&doc, "get", "/x", limits).unwrap();
        let size = serde_json::to_vec(&f).unwrap().len();
        assert!(size < 1_000_000, "fragment is {size} bytes");
        assert!(
            serde_json::to_string(&f)
                .unwrap()
                .contains("x-apidrift-truncated")
        );
    }

    #[test]
    fn consumed_fields_reads_strings_and_objects() {
        let mut e = Event::new(
            EventKind::DriftConfirmed,
            "evt_x".into(),
            DateTime::<Utc>::from_timestamp(0, 0).unwrap(),
            IntegrationRef {
                name: "n".into(),
                owner: None,
            },
        );
        e.verdict = json!({"visibility": 0.5, "fields": {"lost": ["a.b", {"operation": "GET /u", "field": "c"}], "at_risk": []}});
        assert_eq!(
            e.consumed_fields("lost"),
            vec!["a.b".to_string(), "GET /u c".to_string()]
        );
        assert!(e.consumed_fields("at_risk").is_empty());
        assert_eq!(e.visibility(), Some(0.5));
        assert!(e.operation_risks().is_empty());
        e.verdict["operation_risks"] = json!([
            {"operation": "GET /u", "kind": "credential", "message": "m", "reasons": ["a", "b"]},
            {"operation": "GET /v", "kind": "credential", "message": "m", "reasons": []}
        ]);
        assert_eq!(e.operation_risks(), ["GET /u: m (a, b)", "GET /v: m"]);
    }
}
