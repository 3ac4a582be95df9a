//! A realistic drift event for the notify tests, with canary secrets planted in the
//! places a careless implementation would leak them from.

#![allow(dead_code)]

use apidrift::diff::{Change, Level, Section, fingerprint};
use apidrift::model::Method;
use apidrift::notify::event::{FragmentLimits, operation_fragment, redact_url};
use apidrift::notify::{
    ChangeTouch, Event, EventChange, IntegrationRef, Notice, OperationFragment,
};
use chrono::{DateTime, Utc};
use serde_json::json;

/// Planted in the spec URL's userinfo and query; must never appear in any output.
pub const CANARY_URL_TOKEN: &str = "canary-vendor-token-7f3a";
pub const CANARY_URL_PASSWORD: &str = "canary-url-pass-91c2";
/// The webhook signing secret and SMTP password.
pub const CANARY_SECRET: &str = "canary-signing-secret-c0ffee";

pub fn change(
    id: &str,
    level: Level,
    method: Method,
    path: &str,
    args: &[&str],
    text: &str,
) -> Change {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    Change {
        id: id.to_string(),
        text: text.to_string(),
        comment: None,
        level,
        operation: Some(method),
        path: Some(path.to_string()),
        operation_id: None,
        section: Section::Paths,
        fingerprint: fingerprint(id, Some(method), Some(path), &args),
        args,
        base_pointer: Some(format!("/paths/{}/get", path.replace('/', "~1"))),
        revision_pointer: None,
    }
}

pub fn base_doc() -> serde_json::Value {
    json!({
        "openapi": "3.0.3",
        "paths": {"/api/v1/users": {"get": {
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}
        }}},
        "components": {"schemas": {"User": {"type": "object", "properties": {
            "id": {"type": "string"}, "lastLogin": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["ACTIVE", "SUSPENDED"]}
        }}}}
    })
}

pub fn rev_doc() -> serde_json::Value {
    json!({
        "openapi": "3.0.3",
        "paths": {"/api/v1/users": {"get": {
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}
        }}},
        "components": {"schemas": {"User": {"type": "object", "properties": {
            "id": {"type": "string"}, "lastLoginAt": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["ACTIVE", "SUSPENDED", "<script>alert(1)</script>"]}
        }}}}
    })
}

/// The changes of the fixture drift, with their verdict states.
pub fn changes() -> Vec<(Change, ChangeTouch)> {
    vec![
        (
            change(
                "response-property-removed",
                Level::Err,
                Method::Get,
                "/api/v1/users",
                &["lastLogin"],
                "removed the response property `lastLogin`",
            ),
            ChangeTouch::Lost,
        ),
        (
            change(
                "response-property-enum-value-added",
                Level::Warn,
                Method::Get,
                "/api/v1/users",
                &["status", "<script>alert(1)</script>"],
                "added the enum value `<script>alert(1)</script>` to the response property `status`",
            ),
            ChangeTouch::AtRisk,
        ),
        (
            change(
                "response-optional-property-added",
                Level::Info,
                Method::Get,
                "/api/v1/users",
                &["lastLoginAt"],
                "added the optional response property `lastLoginAt`",
            ),
            ChangeTouch::Unconsumed,
        ),
    ]
}

/// A full event for `notice` (kind and id from the tracker).
pub fn event_for(notice: &Notice, time: DateTime<Utc>) -> Event {
    let mut e = notice.event_skeleton(
        time,
        IntegrationRef {
            name: "okta-users".into(),
            owner: Some("identity-oncall@example.com".into()),
        },
    );
    e.consumes = json!([{"operation": "GET /api/v1/users", "entity": "user", "fields": ["id", "status", "lastLogin"]}]);
    let fp: Vec<String> = changes()
        .iter()
        .map(|(c, _)| c.fingerprint.clone())
        .collect();
    // As the daemon sends it: `operations` (each consumed field with its state, the
    // changes behind it and a possible rename) and the `fields` summary.
    e.verdict = json!({
        "visibility": 0.6666666666666666,
        "counts": {"ok": 1, "at_risk": 1, "lost": 1, "total": 3, "operation_risks": 0},
        "operations": [{"operation": "GET /api/v1/users", "entity": "user", "fields": [
            {"field": "id", "body_path": "[].id", "state": "ok"},
            {"field": "status", "body_path": "[].status", "state": "at_risk",
             "reasons": [{"id": "response-property-enum-value-added", "fingerprint": fp[1], "effect": "at_risk"}]},
            {"field": "lastLogin", "body_path": "[].lastLogin", "state": "lost",
             "reasons": [{"id": "response-property-removed", "fingerprint": fp[0], "effect": "lost"}],
             "possible_rename": "lastLoginAt"}
        ]}],
        "fields": {"lost": [{"operation": "GET /api/v1/users", "field": "lastLogin"}], "at_risk": [{"operation": "GET /api/v1/users", "field": "status"}]},
        "operation_risks": []
    });
    e.changes = changes()
        .into_iter()
        .map(|(c, t)| EventChange::new(c, t))
        .collect();
    let (b, r) = (base_doc(), rev_doc());
    e.operations = vec![OperationFragment {
        method: "GET".into(),
        path: "/api/v1/users".into(),
        baseline: operation_fragment(&b, "get", "/api/v1/users", FragmentLimits::default())
            .unwrap(),
        revision: operation_fragment(&r, "get", "/api/v1/users", FragmentLimits::default())
            .unwrap(),
    }];
    e.sample_differences = vec![
        json!({"operation": "GET /api/v1/users", "field": "lastLogin", "change": "missing", "presence_before": 1.0, "presence_after": 0.0}),
    ];
    e.baseline_digest =
        Some("sha256:1111111111111111111111111111111111111111111111111111111111111111".into());
    e.spec_digest =
        Some("sha256:2222222222222222222222222222222222222222222222222222222222222222".into());
    e.spec_source = Some(redact_url(&format!(
        "https://svc:{CANARY_URL_PASSWORD}@vendor.example/openapi.yaml?access_token={CANARY_URL_TOKEN}&v=3"
    )));
    e
}

/// Every file under `dir`, concatenated (to search for canaries).
pub fn read_tree(dir: &std::path::Path) -> String {
    let mut out = String::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.push_str(&read_tree(&p));
        } else if let Ok(s) = std::fs::read_to_string(&p) {
            out.push_str(&s);
        }
    }
    out
}

pub fn assert_no_canary(what: &str, text: &str) {
    for c in [CANARY_URL_TOKEN, CANARY_URL_PASSWORD, CANARY_SECRET] {
        assert!(!text.contains(c), "{what} contains the canary {c:?}");
    }
}
