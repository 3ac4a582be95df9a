//! Tests of `impact::resolve` (contract against spec, near-miss hints, body-rooted
//! paths) and `impact::preflight`.

mod impact_support;

use apidrift::diff::Level;
use apidrift::impact::{Consumes, FieldState, PreflightPolicy, assess, preflight, resolve};
use apidrift::model::{Method, Schema, Type};
use impact_support::{ApiBuilder, USERS, change, resolved, users_api};

fn contract(yaml: &str) -> Consumes {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fields_resolve_to_body_rooted_paths_through_the_wrapper() {
    let r = resolved();
    let op = &r.operations[0];
    assert_eq!(op.item_prefix, "data[]");
    assert_eq!(op.status.as_deref(), Some("200"));
    assert_eq!(op.media_type.as_deref(), Some("application/json"));
    let paths: Vec<&str> = op.fields.iter().map(|f| f.body_path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "data[].id",
            "data[].status",
            "data[].profile.login",
            "data[].lastLogin",
            "data[].roles[].name"
        ]
    );
    assert!(op.fields[2].required && !op.fields[3].required);
    assert_eq!(op.fields[3].types, [Type::String].into());
    assert!(op.inherits_root_security);
    assert_eq!(op.security_schemes, ["oauth".to_string()].into());
}

#[test]
fn array_bodies_and_plain_objects_have_their_own_item_prefix() {
    let mut b = ApiBuilder::default();
    let id = b.prim(Type::Integer);
    let item = b.obj(&[("id", id)], &[]);
    let list = b.arr(item);
    b.op(Method::Get, "/groups", "200", list);
    // Two arrays: no single wrapper, the body is the item.
    let tags = b.arr(id);
    let more = b.arr(id);
    let obj = b.obj(&[("tags", tags), ("more", more), ("id", id)], &[]);
    b.op(Method::Get, "/groups/{id}", "200", obj);
    let c = contract(
        "- {operation: GET /groups, entity: group, fields: [id]}\n- {operation: \"GET /groups/{gid}\", entity: group, fields: [id, \"tags[]\"]}\n",
    );
    let r = resolve(&c, &b.api).unwrap();
    assert_eq!(r.operations[0].fields[0].body_path, "[].id");
    assert_eq!(r.operations[1].item_prefix, "");
    assert_eq!(r.operations[1].fields[1].body_path, "tags[]");
}

#[test]
fn unknown_fields_get_near_miss_suggestions_with_their_pointer() {
    let c = contract(
        "- operation: GET /api/v1/users\n  entity: user\n  fields: [id, last_login, profile.Login, profile.zzz, \"roles.name\"]\n",
    );
    let d = resolve(&c, &users_api("lastLogin", Type::String)).unwrap_err();
    let got: Vec<(&str, &str, Option<&str>)> = d
        .iter()
        .map(|d| {
            (
                d.code,
                d.pointer.as_deref().unwrap_or(""),
                d.help.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        &got[..3],
        &[
            (
                "consumes-unknown-field",
                "/consumes/0/fields/1",
                Some("did you mean `lastLogin`?")
            ),
            (
                "consumes-unknown-field",
                "/consumes/0/fields/2",
                Some("did you mean `profile.login`?")
            ),
            (
                "consumes-unknown-field",
                "/consumes/0/fields/3",
                Some(
                    "if the API returns it without documenting it, declare `{path: ..., undocumented: true}`"
                )
            ),
        ]
    );
    assert_eq!(got[3].1, "/consumes/0/fields/4");
    assert_eq!(
        d[0].message,
        "field `last_login`: no `last_login` in the item of GET /api/v1/users"
    );
    assert_eq!(
        d[2].message,
        "field `profile.zzz`: no `zzz` in `profile` of GET /api/v1/users"
    );
    assert!(
        d[3].message.contains("no `name` in `roles`"),
        "{}",
        d[3].message
    );
    assert_eq!(d.len(), 4);
}

#[test]
fn snake_case_spec_field_is_suggested_for_a_camel_case_contract() {
    let c = contract("- operation: GET /api/v1/users\n  entity: user\n  fields: [lastLogin]\n");
    let d = resolve(&c, &users_api("last_login", Type::String)).unwrap_err();
    assert_eq!(d[0].help.as_deref(), Some("did you mean `last_login`?"));
}

#[test]
fn unknown_and_malformed_operations_are_reported_with_suggestions() {
    let c = contract(
        "- {operation: GET /api/v1/user, entity: user}\n- {operation: POST /api/v1/users, entity: user}\n- {operation: /api/v1/users, entity: user}\n",
    );
    let d = resolve(&c, &users_api("lastLogin", Type::String)).unwrap_err();
    let got: Vec<(&str, Option<&str>)> = d.iter().map(|d| (d.code, d.help.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            (
                "consumes-unknown-operation",
                Some("did you mean `GET /api/v1/users`?")
            ),
            (
                "consumes-unknown-operation",
                Some("did you mean `GET /api/v1/users`?")
            ),
            (
                "consumes-bad-operation",
                Some("write the method and the path template, e.g. `GET /api/v1/users`")
            ),
        ]
    );
    assert_eq!(d[0].pointer.as_deref(), Some("/consumes/0/operation"));
}

#[test]
fn undocumented_fields_are_accepted_and_kept_for_samples() {
    let c = contract(
        "- operation: GET /api/v1/users\n  entity: user\n  fields: [id, {path: riskScore, undocumented: true}]\n",
    );
    let r = resolve(&c, &users_api("lastLogin", Type::String)).unwrap();
    let f = &r.operations[0].fields[1];
    assert!(f.undocumented);
    assert_eq!(f.body_path, "data[].riskScore");
}

#[test]
fn all_of_is_merged_and_one_of_branches_are_searched() {
    let mut b = ApiBuilder::default();
    let s = b.prim(Type::String);
    let base = b.obj(&[("id", s)], &["id"]);
    let extra = b.obj(&[("email", s)], &[]);
    let human = b.obj(&[("login", s)], &[]);
    let robot = b.obj(&[("clientId", s)], &[]);
    let kind = b.raw(Schema {
        one_of: vec![human, robot],
        ..Schema::default()
    });
    let user = b.raw(Schema {
        all_of: vec![base, extra, kind],
        ..Schema::default()
    });
    b.op(Method::Get, "/me", "200", user);
    let c =
        contract("- {operation: GET /me, entity: user, fields: [id, email, login, clientId]}\n");
    let r = resolve(&c, &b.api).unwrap();
    assert_eq!(r.operations[0].fields.len(), 4);
    assert!(r.operations[0].fields[0].required);
    let bad = contract("- {operation: GET /me, entity: user, fields: [logn]}\n");
    let d = resolve(&bad, &b.api).unwrap_err();
    assert_eq!(d[0].help.as_deref(), Some("did you mean `login`?"));
}

#[test]
fn self_referencing_schemas_resolve_without_looping() {
    let mut b = ApiBuilder::default();
    let s = b.prim(Type::String);
    let node = b.obj(&[("name", s)], &[]);
    let children = b.arr(node);
    b.api.schemas[node.0 as usize]
        .properties
        .insert("children".to_string(), children);
    b.api.schemas[node.0 as usize].all_of.push(node);
    b.op(Method::Get, "/tree", "200", node);
    let c = contract(
        "- {operation: GET /tree, entity: other, fields: [\"children[].children[].name\"]}\n",
    );
    let r = resolve(&c, &b.api).unwrap();
    assert_eq!(r.operations[0].item_prefix, "children[]");
    assert_eq!(
        r.operations[0].fields[0].body_path,
        "children[].children[].children[].name"
    );
}

#[test]
fn preflight_follows_the_policy() {
    let lost = assess(
        &[change(
            "response-optional-property-removed",
            Level::Warn,
            USERS,
            &["data[].lastLogin", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    let risky = assess(
        &[change(
            "response-property-enum-value-added",
            Level::Info,
            USERS,
            &["data[].status", "X", "200", "application/json"],
        )],
        &resolved(),
        None,
    );
    let p = preflight(PreflightPolicy::default(), Some(&lost), false);
    assert!(!p.allowed);
    assert_eq!(p.reasons, vec!["lost: GET /api/v1/users lastLogin"]);
    assert!(preflight(PreflightPolicy::BlockOnLost, Some(&risky), false).allowed);
    let p = preflight(PreflightPolicy::BlockOnAtRisk, Some(&risky), false);
    assert_eq!(
        (p.allowed, p.reasons),
        (false, vec!["at_risk: GET /api/v1/users status".to_string()])
    );
    assert!(preflight(PreflightPolicy::Never, Some(&lost), true).allowed);
    let unknown = preflight(PreflightPolicy::BlockOnLost, None, true);
    assert!(!unknown.allowed && !unknown.reasons.is_empty());
    assert!(preflight(PreflightPolicy::BlockOnLost, None, false).allowed);
    let policy: PreflightPolicy = serde_yaml::from_str("block_on_at_risk").unwrap();
    assert_eq!(policy, PreflightPolicy::BlockOnAtRisk);
    assert_eq!(
        serde_json::to_value(p_ok()).unwrap(),
        serde_json::json!({"allowed": true, "reasons": []})
    );
    assert_eq!(lost.operations[0].fields[3].state, FieldState::Lost);
}

fn p_ok() -> apidrift::impact::Preflight {
    preflight(PreflightPolicy::BlockOnLost, None, false)
}
