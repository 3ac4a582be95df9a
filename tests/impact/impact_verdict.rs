//! Scenario tests of `impact::assess`: each builds the change list the diff emits for
//! one vendor change and asserts the exact verdict on the scenario contract.

use crate::impact_support;

use apidrift::diff::Level;
use apidrift::impact::{
    FieldState, PreflightPolicy, RiskKind, Verdict, assess, only_consumed, preflight,
};
use apidrift::model::{Method, Type};
use impact_support::{USERS, change, resolved, users_api};

/// `(field, state)` of every consumed field, in contract order.
fn states(v: &Verdict) -> Vec<(String, FieldState)> {
    v.operations
        .iter()
        .flat_map(|o| o.fields.iter().map(|f| (f.field.clone(), f.state)))
        .collect()
}

fn expect(v: &Verdict, at_risk: &[&str], lost: &[&str]) {
    let want: Vec<(String, FieldState)> =
        ["id", "status", "profile.login", "lastLogin", "roles[].name"]
            .iter()
            .map(|f| {
                let s = if lost.contains(f) {
                    FieldState::Lost
                } else if at_risk.contains(f) {
                    FieldState::AtRisk
                } else {
                    FieldState::Ok
                };
                (f.to_string(), s)
            })
            .collect();
    assert_eq!(states(v), want);
    assert_eq!(v.counts.lost, lost.len());
    assert_eq!(
        v.counts.at_risk,
        at_risk.iter().filter(|f| !lost.contains(f)).count()
    );
    assert_eq!(v.counts.total, 5);
    assert_eq!(v.visibility, (5 - lost.len()) as f64 / 5.0);
}

#[test]
fn consumed_field_renamed_is_lost_with_a_possible_rename() {
    let changes = vec![
        change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].lastLogin", "200", "application/json"],
        ),
        change(
            "response-optional-property-added",
            Level::Info,
            USERS,
            &["data[].lastLoginAt", "200", "application/json"],
        ),
    ];
    let rev = users_api("lastLoginAt", Type::String);
    let v = assess(&changes, &resolved(), Some(&rev));
    expect(&v, &[], &["lastLogin"]);
    let f = &v.operations[0].fields[3];
    assert_eq!(f.possible_rename.as_deref(), Some("lastLoginAt"));
    assert_eq!(f.reasons.len(), 1);
    assert_eq!(f.reasons[0].id, "response-optional-property-removed");
    assert_eq!(v.changes[0].change.level, Level::Err, "lost is ERR");
    assert_eq!(v.changes[0].base_level, Level::Warn);
    assert!(v.changes[0].consumed);
    assert_eq!(v.changes[0].touches, vec!["GET /api/v1/users lastLogin"]);
    assert!(!v.changes[1].consumed, "the added field is read by nobody");
    assert_eq!(v.changes[1].change.level, Level::Info);
}

#[test]
fn a_similar_name_of_another_type_is_not_a_rename() {
    let changes = vec![
        change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].lastLogin", "200", "application/json"],
        ),
        change(
            "response-optional-property-added",
            Level::Info,
            USERS,
            &["data[].lastLoginAt", "200", "application/json"],
        ),
    ];
    let rev = users_api("lastLoginAt", Type::Integer);
    let v = assess(&changes, &resolved(), Some(&rev));
    expect(&v, &[], &["lastLogin"]);
    assert_eq!(v.operations[0].fields[3].possible_rename, None);
}

#[test]
fn an_added_field_elsewhere_or_unrelated_is_not_a_rename() {
    let changes = vec![
        change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].lastLogin", "200", "application/json"],
        ),
        change(
            "response-optional-property-added",
            Level::Info,
            USERS,
            &["data[].profile.lastLoginAt", "200", "application/json"],
        ),
        change(
            "response-optional-property-added",
            Level::Info,
            USERS,
            &["data[].department", "200", "application/json"],
        ),
    ];
    let v = assess(&changes, &resolved(), None);
    assert_eq!(v.operations[0].fields[3].possible_rename, None);
}

#[test]
fn enum_value_added_to_a_consumed_field_puts_it_at_risk() {
    let changes = vec![change(
        "response-property-enum-value-added",
        Level::Info,
        USERS,
        &["data[].status", "DEPROVISIONED", "200", "application/json"],
    )];
    let v = assess(&changes, &resolved(), None);
    expect(&v, &["status"], &[]);
    assert_eq!(
        v.changes[0].change.level,
        Level::Warn,
        "raised to at least WARN"
    );
    assert_eq!(v.changes[0].effect, Some(FieldState::AtRisk));
}

#[test]
fn consumed_field_made_nullable_is_at_risk_and_so_are_fields_under_a_nullable_parent() {
    let v = assess(
        &[change(
            "response-property-became-nullable",
            Level::Err,
            USERS,
            &["data[].lastLogin", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &["lastLogin"], &[]);
    assert_eq!(
        v.changes[0].change.level,
        Level::Err,
        "a level is never lowered"
    );

    let v = assess(
        &[change(
            "response-property-became-nullable",
            Level::Err,
            USERS,
            &["data[].profile", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &["profile.login"], &[]);
}

#[test]
fn page_size_narrowed_puts_every_field_at_risk() {
    let all = ["id", "status", "profile.login", "lastLogin", "roles[].name"];
    let v = assess(
        &[change(
            "request-parameter-max-decreased",
            Level::Err,
            USERS,
            &["200", "50", "query", "limit"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &all, &[]);
    let v = assess(
        &[change(
            "response-property-max-items-decreased",
            Level::Info,
            USERS,
            &["data", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &all, &[]);
    assert_eq!(v.changes[0].change.level, Level::Warn);
}

#[test]
fn pagination_cursor_param_or_cursor_field_changed_puts_every_field_at_risk() {
    let all = ["id", "status", "profile.login", "lastLogin", "roles[].name"];
    for c in [
        change(
            "request-parameter-removed",
            Level::Warn,
            USERS,
            &["query", "after"],
        ),
        change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["meta.next_cursor", "200", "application/json"],
        ),
        change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["meta", "200", "application/json"],
        ),
    ] {
        let v = assess(std::slice::from_ref(&c), &resolved(), None);
        expect(&v, &all, &[]);
    }
    // Another parameter's change concerns no consumed field.
    let v = assess(
        &[change(
            "request-parameter-removed",
            Level::Warn,
            USERS,
            &["query", "filter"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &[], &[]);
    assert!(!v.changes[0].consumed);
}

#[test]
fn unconsumed_field_removed_leaves_visibility_unchanged() {
    let v = assess(
        &[change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].nickname", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &[], &[]);
    assert_eq!(v.visibility, 1.0);
    assert!(!v.changes[0].consumed);
    assert_eq!(
        v.changes[0].change.level,
        Level::Warn,
        "unconsumed keeps its level"
    );
    assert!(only_consumed(&v.changes).is_empty());
}

#[test]
fn removing_or_retyping_an_ancestor_loses_its_descendants() {
    let v = assess(
        &[change(
            "response-required-property-removed",
            Level::Err,
            USERS,
            &["data[].profile", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &[], &["profile.login"]);
    let v = assess(
        &[change(
            "response-property-type-changed",
            Level::Err,
            USERS,
            &["data[].roles", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &[], &["roles[].name"]);
    // `data[].profileX` is not an ancestor of `data[].profile.login`.
    let v = assess(
        &[change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].prof", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &[], &[]);
}

#[test]
fn field_moved_out_of_the_item_shape_is_lost() {
    // `{data: [...]}` became a bare array: the diff sees the body retyped and `data` gone.
    let v = assess(
        &[
            change(
                "response-body-type-changed",
                Level::Err,
                USERS,
                &["object", "array", "200", "application/json"],
            ),
            change(
                "response-required-property-removed",
                Level::Err,
                USERS,
                &["data", "200", "application/json"],
            ),
        ],
        &resolved(),
        None,
    );
    let all = ["id", "status", "profile.login", "lastLogin", "roles[].name"];
    expect(&v, &[], &all);
    assert_eq!(v.visibility, 0.0);
}

#[test]
fn operation_removed_status_removed_or_media_type_removed_loses_everything() {
    let all = ["id", "status", "profile.login", "lastLogin", "roles[].name"];
    for c in [
        change("api-removed-without-deprecation", Level::Err, USERS, &[]),
        change("api-path-removed-with-deprecation", Level::Info, USERS, &[]),
        change(
            "response-success-status-removed",
            Level::Err,
            USERS,
            &["200"],
        ),
        change(
            "response-media-type-removed",
            Level::Err,
            USERS,
            &["application/json", "200"],
        ),
    ] {
        let v = assess(std::slice::from_ref(&c), &resolved(), None);
        expect(&v, &[], &all);
        assert_eq!(v.changes[0].change.level, Level::Err);
    }
}

#[test]
fn changes_to_other_operations_statuses_or_media_types_touch_nothing() {
    for c in [
        change(
            "response-success-status-removed",
            Level::Err,
            USERS,
            &["201"],
        ),
        change(
            "response-media-type-removed",
            Level::Err,
            USERS,
            &["application/xml", "200"],
        ),
        change(
            "response-property-type-changed",
            Level::Err,
            USERS,
            &["data[].id", "404", "application/json"],
        ),
        change(
            "response-property-type-changed",
            Level::Err,
            Some((Method::Get, "/api/v1/groups")),
            &["data[].id", "200", "application/json"],
        ),
        change(
            "request-property-type-changed",
            Level::Err,
            USERS,
            &["data[].id"],
        ),
    ] {
        let v = assess(std::slice::from_ref(&c), &resolved(), None);
        expect(&v, &[], &[]);
        assert!(!v.changes[0].consumed, "{}", c.id);
    }
}

#[test]
fn path_parameter_names_do_not_matter_when_matching_operations() {
    use apidrift::impact::{Consumes, resolve};
    let mut b = impact_support::ApiBuilder::default();
    let id = b.prim(Type::String);
    let user = b.obj(&[("id", id)], &["id"]);
    b.op(Method::Get, "/users/{id}", "200", user);
    let c: Consumes =
        serde_yaml::from_str("- operation: GET /users/{userId}\n  entity: user\n  fields: [id]\n")
            .unwrap();
    let r = resolve(&c, &b.api).unwrap();
    let v = assess(
        &[change(
            "response-property-type-changed",
            Level::Err,
            Some((Method::Get, "/users/{user_id}")),
            &["id", "200", "application/json"],
        )],
        &r,
        None,
    );
    assert_eq!(v.counts.lost, 1);
}

#[test]
fn deprecation_and_new_required_parameters_put_everything_at_risk() {
    let all = ["id", "status", "profile.login", "lastLogin", "roles[].name"];
    for c in [
        change("endpoint-deprecated", Level::Info, USERS, &[]),
        change(
            "endpoint-deprecated-with-sunset",
            Level::Info,
            USERS,
            &["2026-06-01"],
        ),
        change(
            "new-required-request-parameter",
            Level::Err,
            USERS,
            &["query", "tenant"],
        ),
    ] {
        let v = assess(std::slice::from_ref(&c), &resolved(), None);
        expect(&v, &all, &[]);
        assert!(v.operations[0].risks.is_empty(), "{}", c.id);
        assert_eq!(
            v.changes[0].change.level,
            Level::Warn.max(c.level),
            "{}",
            c.id
        );
    }
}

/// The security changes the diff emits for a real mechanism or scope change of the
/// scenario's `oauth` scheme (root requirement, inherited by `GET /api/v1/users`).
fn security_changes() -> Vec<apidrift::diff::Change> {
    vec![
        change(
            "api-security-scope-added",
            Level::Info,
            USERS,
            &["oauth", "users:admin"],
        ),
        change(
            "api-global-security-scope-added",
            Level::Info,
            None,
            &["oauth", "users:admin"],
        ),
        change(
            "api-security-component-oauth-scope-removed",
            Level::Info,
            None,
            &["oauth", "clientCredentials", "users:read"],
        ),
        change(
            "api-security-component-type-changed",
            Level::Info,
            None,
            &["oauth", "oauth2", "http bearer"],
        ),
        change("api-security-removed", Level::Info, USERS, &["oauth"]),
    ]
}

#[test]
fn a_security_change_is_one_operation_risk_not_a_risk_per_field() {
    for c in security_changes() {
        let v = assess(std::slice::from_ref(&c), &resolved(), None);
        // No field is at risk and the visibility stays whole...
        expect(&v, &[], &[]);
        // ...but the operation says once that its credential may need to change.
        let risks = &v.operations[0].risks;
        assert_eq!(risks.len(), 1, "{}", c.id);
        assert_eq!(risks[0].kind, RiskKind::Credential);
        assert_eq!(risks[0].message, "the credential may need to change");
        let ids: Vec<&str> = risks[0].reasons.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [c.id.as_str()]);
        assert_eq!(v.counts.operation_risks, 1);
        let a = &v.changes[0];
        assert!(a.consumed, "{}", c.id);
        assert_eq!(a.risk, Some(RiskKind::Credential));
        assert_eq!(a.effect, Some(FieldState::AtRisk));
        assert_eq!(a.touches, ["GET /api/v1/users"]);
        assert_eq!(a.change.level, Level::Warn, "{}", c.id);
    }
    // All of them at once: still one risk for the operation, each change a reason.
    let v = assess(&security_changes(), &resolved(), None);
    expect(&v, &[], &[]);
    assert_eq!(v.operations[0].risks.len(), 1);
    assert_eq!(v.operations[0].risks[0].reasons.len(), 5);
    assert_eq!(
        v.operation_risks(),
        [
            "GET /api/v1/users: the credential may need to change (api-global-security-scope-added, api-security-component-oauth-scope-removed, api-security-component-type-changed, api-security-removed, api-security-scope-added)"
        ]
    );
    // A block_on_at_risk preflight refuses on it; block_on_lost does not.
    let p = preflight(PreflightPolicy::BlockOnAtRisk, Some(&v), false);
    assert!(!p.allowed);
    assert_eq!(p.reasons.len(), 1);
    assert!(
        p.reasons[0].starts_with("at_risk: GET /api/v1/users: the credential"),
        "{:?}",
        p.reasons
    );
    assert!(preflight(PreflightPolicy::BlockOnLost, Some(&v), false).allowed);
    // The risk survives the state file round trip.
    let back: Verdict = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
    assert_eq!(back, v);
}

#[test]
fn a_security_rename_to_the_same_mechanism_and_a_reworded_scope_touch_nothing() {
    for c in [
        change(
            "api-security-renamed",
            Level::Info,
            USERS,
            &["oauth", "OAuth"],
        ),
        change(
            "api-global-security-renamed",
            Level::Info,
            None,
            &["oauth", "OAuth"],
        ),
        change(
            "api-security-component-renamed",
            Level::Info,
            None,
            &["oauth", "OAuth"],
        ),
        change(
            "api-security-component-oauth-scope-changed",
            Level::Info,
            None,
            &["oauth", "clientCredentials", "users:read"],
        ),
    ] {
        let v = assess(std::slice::from_ref(&c), &resolved(), None);
        expect(&v, &[], &[]);
        assert!(v.operations[0].risks.is_empty(), "{}", c.id);
        assert_eq!(v.counts.operation_risks, 0);
        let a = &v.changes[0];
        assert!(
            !a.consumed && a.risk.is_none() && a.touches.is_empty(),
            "{}",
            c.id
        );
        assert_eq!(a.change.level, Level::Info);
    }
}

#[test]
fn a_scheme_the_operation_does_not_use_touches_nothing() {
    let v = assess(
        &[change(
            "api-security-component-removed",
            Level::Info,
            None,
            &["apiKey"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &[], &[]);
    assert!(v.operations[0].risks.is_empty());
    assert!(!v.changes[0].consumed);
}

#[test]
fn a_state_written_before_operation_risks_still_reads() {
    // A verdict as states stored it before `risks` and `operation_risks` existed.
    let old = serde_json::json!({
        "visibility": 1.0,
        "counts": {"ok": 1, "at_risk": 0, "lost": 0, "total": 1},
        "operations": [{"operation": "GET /u", "entity": "user",
            "fields": [{"field": "id", "body_path": "[].id", "state": "ok"}]}],
        "changes": [{"id": "endpoint-added", "text": "", "level": "Info", "section": "paths",
            "fingerprint": "000000000000", "base_level": "Info", "consumed": false}]
    });
    let v: Verdict = serde_json::from_value(old).expect("an old verdict reads");
    assert_eq!(v.counts.operation_risks, 0);
    assert!(v.operations[0].risks.is_empty());
    assert_eq!(v.changes[0].risk, None);
}

#[test]
fn benign_touches_are_consumed_but_keep_their_level_and_state() {
    let v = assess(
        &[change(
            "response-property-became-required",
            Level::Info,
            USERS,
            &["data[].lastLogin", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    expect(&v, &[], &[]);
    assert!(v.changes[0].consumed);
    assert_eq!(v.changes[0].effect, Some(FieldState::Ok));
    assert_eq!(v.changes[0].change.level, Level::Info);
    assert_eq!(only_consumed(&v.changes).len(), 1);
}

#[test]
fn the_verdict_is_deterministic_and_serializes_states_in_snake_case() {
    let changes = vec![
        change(
            "response-property-enum-value-added",
            Level::Info,
            USERS,
            &["data[].status", "X", "200", "application/json"],
        ),
        change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].lastLogin", "200", "application/json"],
        ),
        change(
            "response-optional-property-added",
            Level::Info,
            USERS,
            &["data[].lastLoginAt", "200", "application/json"],
        ),
        change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].nickname", "200", "application/json"],
        ),
    ];
    let a = serde_json::to_string(&assess(&changes, &resolved(), None)).unwrap();
    let b = serde_json::to_string(&assess(&changes, &resolved(), None)).unwrap();
    assert_eq!(a, b);
    let json: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(json["visibility"], 0.8);
    assert_eq!(json["counts"]["at_risk"], 1);
    assert_eq!(json["operations"][0]["fields"][1]["state"], "at_risk");
    assert_eq!(
        json["operations"][0]["fields"][3]["possible_rename"],
        "lastLoginAt"
    );
    assert_eq!(json["changes"][1]["level"], "Err");
    assert_eq!(json["changes"][3]["consumed"], false);
    let back: Verdict = serde_json::from_str(&a).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), a);
}
