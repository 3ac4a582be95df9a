//! Tests of `impact::resolve` (contract against spec, near-miss hints, body-rooted
//! paths) and `impact::preflight`.

use crate::impact_support;

use apidrift::diff::Level;
use apidrift::impact::{
    Consumes, FieldState, ItemRule, PreflightPolicy, assess, preflight, resolve,
};
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

/// `{id, login, profile: {email}, groups: [{name}]}` at `GET /users/{id}`: a single
/// resource with one array property, and `{data: [User], has_more, next_cursor,
/// total_count, _links}` at `GET /users`: a list wrapper.
fn user_and_list() -> (ApiBuilder, apidrift::model::SchemaId) {
    let mut b = ApiBuilder::default();
    let s = b.prim(Type::String);
    let email = b.prim(Type::String);
    let profile = b.obj(&[("email", email)], &[]);
    let gname = b.prim(Type::String);
    let group = b.obj(&[("name", gname)], &[]);
    let groups = b.arr(group);
    let user = b.obj(
        &[
            ("id", s),
            ("login", s),
            ("profile", profile),
            ("groups", groups),
        ],
        &["id"],
    );
    b.op(Method::Get, "/users/{id}", "200", user);
    let data = b.arr(user);
    let more = b.prim(Type::Boolean);
    let total = b.prim(Type::Integer);
    let href = b.prim(Type::String);
    let links = b.obj(&[("next", href)], &[]);
    let list = b.obj(
        &[
            ("data", data),
            ("has_more", more),
            ("next_cursor", s),
            ("total_count", total),
            ("_links", links),
        ],
        &[],
    );
    b.op(Method::Get, "/users", "200", list);
    (b, user)
}

fn body_paths(r: &apidrift::impact::Resolved, op: usize) -> Vec<&str> {
    r.operations[op]
        .fields
        .iter()
        .map(|f| f.body_path.as_str())
        .collect()
}

#[test]
fn regression_a_single_resource_with_one_array_property_is_its_own_item() {
    let (b, _) = user_and_list();
    // Before, the one array property made `groups[]` the item and every real field
    // of the user failed to resolve (accept refused with exit 5).
    let c = contract(
        "- operation: GET /users/{id}\n  entity: user\n  fields: [id, login, profile.email, \"groups[].name\"]\n",
    );
    let r = resolve(&c, &b.api).unwrap_or_else(|d| panic!("{d:#?}"));
    let op = &r.operations[0];
    assert_eq!(
        (op.item_prefix.as_str(), op.item_pointer.as_str()),
        ("", "/")
    );
    assert_eq!(op.item_rule, ItemRule::Shape);
    assert_eq!(
        body_paths(&r, 0),
        ["id", "login", "profile.email", "groups[].name"]
    );
    assert!(r.warnings.is_empty(), "{:#?}", r.warnings);
    // With no documented field at all, the shape rule says the same.
    let c = contract(
        "- operation: GET /users/{id}\n  entity: user\n  fields: [{path: riskScore, undocumented: true}]\n",
    );
    let r = resolve(&c, &b.api).unwrap();
    assert_eq!(body_paths(&r, 0), ["riskScore"]);
}

#[test]
fn a_list_wrapper_beside_paging_and_metadata_fields_stays_a_wrapper() {
    let (b, _) = user_and_list();
    for fields in [
        "[id, profile.email]",
        "[{path: riskScore, undocumented: true}]",
    ] {
        let c = contract(&format!(
            "- operation: GET /users\n  entity: user\n  fields: {fields}\n"
        ));
        let r = resolve(&c, &b.api).unwrap();
        let op = &r.operations[0];
        assert_eq!(op.item_prefix, "data[]", "{fields}");
        assert_eq!(op.item_pointer, "/data");
        assert_eq!(op.item_rule, ItemRule::Shape);
        assert!(body_paths(&r, 0).iter().all(|p| p.starts_with("data[].")));
    }
}

#[test]
fn fields_decide_when_the_shape_does_not_say_list() {
    // `{data: [User], region}`: `region` is no paging field, so the shape rule reads the
    // body; the fields resolve only in the items, so the items are the item.
    let mut b = ApiBuilder::default();
    let s = b.prim(Type::String);
    let user = b.obj(&[("id", s)], &[]);
    let data = b.arr(user);
    let body = b.obj(&[("data", data), ("region", s)], &[]);
    b.op(Method::Get, "/users", "200", body);
    let r = resolve(
        &contract("- {operation: GET /users, entity: user, fields: [id]}\n"),
        &b.api,
    )
    .unwrap();
    assert_eq!(body_paths(&r, 0), ["data[].id"]);
    assert_eq!(r.operations[0].item_rule, ItemRule::Fields);
    // Fields on the body itself make the body the item.
    let r = resolve(
        &contract("- {operation: GET /users, entity: user, fields: [region, \"data[].id\"]}\n"),
        &b.api,
    )
    .unwrap();
    assert_eq!(body_paths(&r, 0), ["region", "data[].id"]);
}

/// `{id, name, members: [{id, name}], owner: {id}}` (one array) and the same with a
/// second array `owners: [{id, name}]`: fields `id, name` fit the body and the items.
fn ambiguous_api() -> apidrift::model::Api {
    let mut b = ApiBuilder::default();
    let s = b.prim(Type::String);
    let member = b.obj(&[("id", s), ("name", s)], &[]);
    let members = b.arr(member);
    let one = b.obj(&[("id", s), ("name", s), ("members", members)], &[]);
    b.op(Method::Get, "/teams/{id}", "200", one);
    let owners = b.arr(member);
    let two = b.obj(
        &[
            ("id", s),
            ("name", s),
            ("members", members),
            ("owners", owners),
        ],
        &[],
    );
    b.op(Method::Get, "/orgs/{id}", "200", two);
    b.api
}

#[test]
fn fields_that_fit_both_places_keep_the_earlier_reading_and_warn() {
    let api = ambiguous_api();
    let c = contract(
        "- {operation: \"GET /teams/{id}\", entity: group, fields: [id, name]}\n- {operation: \"GET /orgs/{id}\", entity: group, fields: [id, name]}\n",
    );
    let r = resolve(&c, &api).unwrap();
    // One array: the items, as earlier versions read it. Two arrays: the body.
    assert_eq!(body_paths(&r, 0), ["members[].id", "members[].name"]);
    assert_eq!(body_paths(&r, 1), ["id", "name"]);
    let w: Vec<(&str, Option<&str>)> = r
        .warnings
        .iter()
        .map(|d| (d.code, d.pointer.as_deref()))
        .collect();
    assert_eq!(
        w,
        [
            ("consumes-ambiguous-item", Some("/consumes/0/operation")),
            ("consumes-ambiguous-item", Some("/consumes/1/operation")),
        ]
    );
    assert_eq!(
        r.warnings[0].message,
        "the fields of GET /teams/{id} resolve in the items of `/members` and also in the body itself; reading them in the items of `/members`"
    );
    assert_eq!(
        r.warnings[0].help.as_deref(),
        Some(
            "say where the item is: `item: /members` keeps this reading; `item: /` reads the body itself"
        )
    );
}

#[test]
fn an_explicit_item_overrides_the_choice_both_ways() {
    let api = ambiguous_api();
    let c = contract(
        "- {operation: \"GET /teams/{id}\", entity: group, item: /, fields: [id, name]}\n- {operation: \"GET /orgs/{id}\", entity: group, item: /owners, fields: [id, name]}\n",
    );
    let r = resolve(&c, &api).unwrap();
    assert_eq!(body_paths(&r, 0), ["id", "name"]);
    assert_eq!(body_paths(&r, 1), ["owners[].id", "owners[].name"]);
    assert_eq!(r.operations[1].item_pointer, "/owners");
    assert!(
        r.operations
            .iter()
            .all(|o| o.item_rule == ItemRule::Explicit)
    );
    assert!(r.warnings.is_empty());

    // `/` on an array body is its elements; a pointer to an object is that object.
    let mut b = ApiBuilder::default();
    let s = b.prim(Type::String);
    let user = b.obj(&[("id", s)], &[]);
    let list = b.arr(user);
    b.op(Method::Get, "/users", "200", list);
    let env = b.obj(&[("user", user)], &[]);
    b.op(Method::Get, "/users/{id}", "200", env);
    let c = contract(
        "- {operation: GET /users, entity: user, item: /, fields: [id]}\n- {operation: \"GET /users/{id}\", entity: user, item: /user, fields: [id]}\n",
    );
    let r = resolve(&c, &b.api).unwrap();
    assert_eq!(body_paths(&r, 0), ["[].id"]);
    assert_eq!(body_paths(&r, 1), ["user.id"]);
    assert_eq!(r.operations[1].item_pointer, "/user");
}

#[test]
fn an_item_that_is_not_a_list_or_an_object_gets_a_precise_diagnostic() {
    let api = users_api("lastLogin", Type::String);
    let cases = [
        (
            "/meta/next_cursor",
            "`item: /meta/next_cursor` is a string in the success body of GET /api/v1/users, not a list (array) or an object",
            "point at the array whose elements the fetcher reads (`/data`), or at the object it reads (`/`)",
        ),
        (
            "/dat",
            "`item: /dat`: no `dat` in the success body of GET /api/v1/users",
            "did you mean `/data`?",
        ),
        (
            "/data/0",
            "`item: /data/0` steps into the elements of the array at `/data` in GET /api/v1/users",
            "name the array itself: `item: /data` means its elements are the items",
        ),
        (
            "/meta/nope",
            "`item: /meta/nope`: no `nope` under `/meta` in the success body of GET /api/v1/users",
            "`/meta` has: `next_cursor`",
        ),
    ];
    for (item, message, help) in cases {
        let c = contract(&format!(
            "- operation: GET /api/v1/users\n  entity: user\n  item: {item}\n  fields: [id]\n"
        ));
        let d = resolve(&c, &api).unwrap_err();
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, "consumes-bad-item");
        assert_eq!(d[0].pointer.as_deref(), Some("/consumes/0/item"));
        assert_eq!(d[0].message, message);
        assert_eq!(d[0].help.as_deref(), Some(help));
    }
}

fn load_example(rel: &str) -> apidrift::model::Api {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    apidrift::spec::load(p.to_str().expect("utf-8 path"), &Default::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .api
}

/// A contract that resolved before `impact::item` keeps every body-rooted path: the
/// bundled example monitor against both bundled Twilio specs, and a contract reading
/// the old item's properties of every GET of those specs.
#[test]
fn contracts_that_resolved_before_keep_their_body_paths() {
    #[derive(serde::Deserialize)]
    struct Doc {
        consumes: Consumes,
    }
    let monitor = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/monitors/twilio-iam.yaml"
    ))
    .expect("the example monitor");
    let doc: Doc = serde_yaml::from_str(&monitor).expect("the example monitor parses");
    for spec in [
        "examples/specs/twilio-iam/current.yaml",
        "examples/specs/twilio-iam/pinned.yaml",
    ] {
        let api = load_example(spec);
        let r = resolve(&doc.consumes, &api).unwrap_or_else(|d| panic!("{spec}: {d:#?}"));
        for o in &r.operations {
            let op = &api.operations[&o.key];
            let (_, _, body) = apidrift::impact::walk::success_body(op).expect("a JSON body");
            let (prefix, _) = impact_support::legacy_item(&api, body);
            assert_eq!(o.item_prefix, prefix, "{spec} {}", o.name);
            for f in &o.fields {
                assert_eq!(f.body_path, apidrift::impact::walk::join(&prefix, &f.path));
            }
        }
        assert_eq!(body_paths(&r, 0)[0], "keys[].sid", "{spec}");

        let (c, before) = impact_support::legacy_contract(&api, 6);
        let r = resolve(&c, &api).unwrap_or_else(|d| panic!("{spec}: {d:#?}"));
        let now: Vec<Vec<String>> = r
            .operations
            .iter()
            .map(|o| o.fields.iter().map(|f| f.body_path.clone()).collect())
            .collect();
        assert_eq!(now, before, "{spec}");
        assert!(!now.is_empty(), "{spec}: no GET operation was checked");
    }
}
