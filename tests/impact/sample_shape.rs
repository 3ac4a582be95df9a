//! Tests of `sample`: shape comparison scenarios, conformance to the spec, findings
//! folded into the verdict, and the privacy canary (no value survives anywhere).

use crate::impact_support;

use apidrift::diff::Level;
use apidrift::impact::{FieldState, assess};
use apidrift::model::Type;
use apidrift::sample::{
    CompareOptions, SampleFinding, compare, conformance, forbidden_finding, infer,
};
use impact_support::{resolved, users_api};
use serde_json::{Value, json};

const CONSUMED: [&str; 5] = ["id", "status", "profile.login", "lastLogin", "roles[].name"];

fn consumed() -> Vec<String> {
    CONSUMED.iter().map(|s| s.to_string()).collect()
}

fn user(i: usize) -> Value {
    json!({
        "id": format!("00u{i:04}"),
        "status": "ACTIVE",
        "lastLogin": "2024-05-01T10:00:00Z",
        "profile": {"login": format!("user{i}"), "email": format!("user{i}@example.com")},
        "roles": [{"name": "admin"}],
        "nickname": "n"
    })
}

fn page(n: usize, edit: impl Fn(usize, &mut Value)) -> Value {
    let mut items: Vec<Value> = (0..n).map(user).collect();
    for (i, u) in items.iter_mut().enumerate() {
        edit(i, u);
    }
    json!({"data": items, "meta": {"next_cursor": "abc"}})
}

fn ids(f: &[SampleFinding]) -> Vec<(&str, Option<&str>, Level, Option<FieldState>)> {
    f.iter()
        .map(|f| (f.id.as_str(), f.field.as_deref(), f.level, f.effect))
        .collect()
}

#[test]
fn unchanged_samples_find_nothing() {
    let base = infer(&page(10, |_, _| {}), "/data");
    let now = infer(&page(10, |_, _| {}), "/data");
    assert!(compare(&base, &now, &consumed(), &CompareOptions::default()).is_empty());
}

#[test]
fn item_count_halved_with_200_is_a_finding_that_puts_every_field_at_risk() {
    let base = infer(&page(10, |_, _| {}), "/data");
    let now = infer(&page(5, |_, _| {}), "/data");
    let f = compare(&base, &now, &consumed(), &CompareOptions::default());
    assert_eq!(
        ids(&f),
        vec![(
            "sample-item-count-dropped",
            None,
            Level::Warn,
            Some(FieldState::AtRisk)
        )]
    );
    assert_eq!(
        f[0].text,
        "the sample returned 5 items, the baseline 10: the vendor may now hide part of the list"
    );
    let six = infer(&page(6, |_, _| {}), "/data");
    assert!(compare(&base, &six, &consumed(), &CompareOptions::default()).is_empty());

    let mut v = assess(&[], &resolved(), None);
    v.apply_samples("GET /api/v1/users", &f);
    assert_eq!(v.counts.at_risk, 5);
    assert_eq!(v.visibility, 1.0);
}

#[test]
fn consumed_field_documented_but_null_in_every_sample_is_lost() {
    let nulls = |_: usize, u: &mut Value| u["lastLogin"] = Value::Null;
    // Null already when the baseline was accepted, and still null.
    let base = infer(&page(4, nulls), "/data");
    let now = infer(&page(4, nulls), "/data");
    let f = compare(&base, &now, &consumed(), &CompareOptions::default());
    assert_eq!(
        ids(&f),
        vec![(
            "sample-field-always-null",
            Some("lastLogin"),
            Level::Err,
            Some(FieldState::Lost)
        )]
    );
    // Had values at accept time, null now.
    let f2 = compare(
        &infer(&page(4, |_, _| {}), "/data"),
        &now,
        &consumed(),
        &CompareOptions::default(),
    );
    assert_eq!(ids(&f2), ids(&f));
    // Unconsumed: information only, and only when it changed.
    let f3 = compare(&base, &now, &[], &CompareOptions::default());
    assert!(f3.is_empty());

    let mut v = assess(&[], &resolved(), None);
    v.apply_samples("GET /api/v1/users", &f);
    assert_eq!(
        v.fields_in(FieldState::Lost),
        vec!["GET /api/v1/users lastLogin"]
    );
    assert_eq!(v.visibility, 0.8);
    // The documented spec still resolves the field: it is the sample that loses it.
    assert!(
        resolved().operations[0].fields[3]
            .types
            .contains(&Type::String)
    );
}

#[test]
fn missing_sparser_retyped_and_new_fields() {
    let base = infer(&page(8, |_, _| {}), "/data");
    let now = infer(
        &page(8, |i, u| {
            let o = u.as_object_mut().unwrap();
            o.remove("lastLogin");
            o.remove("nickname");
            o.insert("id".into(), json!(i));
            if i % 2 == 0 {
                o.remove("status");
            }
            o.insert("department".into(), json!({"name": "x"}));
        }),
        "/data",
    );
    let f = compare(&base, &now, &consumed(), &CompareOptions::default());
    assert_eq!(
        ids(&f),
        vec![
            ("sample-field-added", Some("department"), Level::Info, None),
            (
                "sample-field-type-changed",
                Some("id"),
                Level::Err,
                Some(FieldState::Lost)
            ),
            (
                "sample-field-missing",
                Some("lastLogin"),
                Level::Err,
                Some(FieldState::Lost)
            ),
            ("sample-field-missing", Some("nickname"), Level::Warn, None),
            (
                "sample-field-presence-dropped",
                Some("status"),
                Level::Warn,
                Some(FieldState::AtRisk)
            ),
        ]
    );
    assert_eq!(f[1].text, "`id` now holds integer (baseline: string)");
    let mut v = assess(&[], &resolved(), None);
    v.apply_samples("get /api/v1/users", &f);
    assert_eq!((v.counts.ok, v.counts.at_risk, v.counts.lost), (2, 1, 2));
}

#[test]
fn the_list_moving_away_loses_everything_and_a_403_is_a_visibility_risk() {
    let base = infer(&page(3, |_, _| {}), "/data");
    let now = infer(&json!({"users": []}), "/data");
    let f = compare(&base, &now, &consumed(), &CompareOptions::default());
    assert_eq!(
        ids(&f),
        vec![(
            "sample-items-missing",
            None,
            Level::Err,
            Some(FieldState::Lost)
        )]
    );
    let mut v = assess(&[], &resolved(), None);
    v.apply_samples("GET /api/v1/users", &[forbidden_finding(403)]);
    assert_eq!(v.counts.at_risk, 5);
    assert_eq!(
        v.operations[0].fields[0].reasons[0].id,
        "sample-request-forbidden"
    );
    v.apply_samples("GET /api/v1/users", &f);
    assert_eq!(v.visibility, 0.0);
}

#[test]
fn conformance_reports_missing_required_and_undocumented_fields() {
    let api = users_api("lastLogin", Type::String);
    let body = page(4, |i, u| {
        let o = u.as_object_mut().unwrap();
        if i == 0 {
            o.remove("status");
        }
        o.insert("riskScore".into(), json!(0.5));
        o["profile"]["department"] = json!("x");
    });
    let shape = infer(&body, "/data");
    let mut consumed = consumed();
    consumed.push("riskScore".into());
    let f = conformance(&shape, &api, "GET /api/v1/users", "200", "/data", &consumed);
    let got: Vec<(&str, Option<&str>, bool)> = f
        .iter()
        .map(|f| (f.id.as_str(), f.field.as_deref(), f.consumed))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "sample-field-undocumented",
                Some("profile.department"),
                false
            ),
            ("sample-field-undocumented", Some("riskScore"), true),
            ("sample-required-field-missing", Some("status"), true),
        ]
    );
    assert_eq!(f[2].level, Level::Warn);
    assert_eq!(
        f[2].text,
        "`status` is documented as required but missing in 1 of 4 items"
    );
    assert!(f.iter().all(|f| f.path.as_deref() == Some("/api/v1/users")));
    let none = conformance(
        &shape,
        &api,
        "GET /api/v1/nothing",
        "200",
        "/data",
        &consumed,
    );
    assert_eq!(none[0].id, "sample-response-undocumented");
    // The schema is followed to the pointer the shape was taken at: nothing there is
    // documented, so nothing can be checked.
    let nowhere = conformance(
        &shape,
        &api,
        "GET /api/v1/users",
        "200",
        "/items",
        &consumed,
    );
    assert_eq!(nowhere.len(), 1);
    assert_eq!(nowhere[0].id, "sample-response-undocumented");
    assert_eq!(
        nowhere[0].text,
        "the spec documents no list or object at `/items` in the JSON body of GET /api/v1/users 200"
    );
}

#[test]
fn finding_fingerprints_are_stable_and_scoped_by_operation() {
    let base = infer(&page(4, |_, _| {}), "/data");
    let now = infer(&page(4, |_, u| u["lastLogin"] = Value::Null), "/data");
    let a = compare(&base, &now, &consumed(), &CompareOptions::default());
    let b = compare(&base, &now, &consumed(), &CompareOptions::default());
    assert_eq!(a, b);
    assert_eq!(a[0].fingerprint.len(), 12);
    let scoped = a[0]
        .clone()
        .with_operation(apidrift::model::Method::Get, "/api/v1/users");
    assert_ne!(scoped.fingerprint, a[0].fingerprint);
    // Counts are not part of the identity: a different count keeps the fingerprint.
    let base2 = infer(&page(10, |_, _| {}), "/data");
    let x = compare(
        &base2,
        &infer(&page(5, |_, _| {}), "/data"),
        &[],
        &CompareOptions::default(),
    );
    let y = compare(
        &base2,
        &infer(&page(2, |_, _| {}), "/data"),
        &[],
        &CompareOptions::default(),
    );
    assert_eq!(x[0].fingerprint, y[0].fingerprint);
}

#[test]
fn canary_values_never_survive_into_shapes_or_findings() {
    const EMAIL: &str = "canary.person@canary-corp.example";
    const TOKEN: &str = "tok_live_Zq8CANARYx7Yp3Lm9Wv2Rt5";
    let body = json!({"data": [
        {"id": TOKEN, "profile": {"login": EMAIL, "email": EMAIL},
         "apiKeys": {TOKEN: {"created": "2024-01-01"}},
         "managersByEmail": {EMAIL: true},
         "status": "CANARY_STATUS_VALUE", "count": 987654321},
        {"id": "x", "secret": TOKEN, "note": format!("mail {EMAIL} now")}
    ]});
    let base = infer(&body, "/data");
    let now = infer(&json!({"data": [{"id": 5, "extra": EMAIL}]}), "/data");
    let api = users_api("lastLogin", Type::String);
    let mut out = serde_json::to_string(&base).unwrap();
    out += &serde_json::to_string(&now).unwrap();
    out += &serde_json::to_string(&compare(
        &base,
        &now,
        &consumed(),
        &CompareOptions::default(),
    ))
    .unwrap();
    out += &serde_json::to_string(&conformance(
        &base,
        &api,
        "GET /api/v1/users",
        "200",
        "/data",
        &consumed(),
    ))
    .unwrap();
    out += &format!("{base:?}{now:?}");
    for canary in [
        EMAIL,
        TOKEN,
        "canary",
        "CANARY",
        "Zq8",
        "987654321",
        "mail ",
    ] {
        assert!(!out.contains(canary), "`{canary}` leaked: {out}");
    }
    // The structure is still there.
    assert!(base.fields.contains_key("apiKeys.*.created"));
    assert!(base.fields.contains_key("managersByEmail.*"));
    assert!(
        base.fields["profile.email"]
            .formats
            .contains(&apidrift::sample::StrFormat::Email)
    );
}
