//! The scenarios through the real `diff::compare` (hand-built specs until the loader
//! reads the YAML fixtures): the args the diff writes must match the resolved paths.

use crate::impact_support;

use apidrift::diff::{self, DiffOptions, Level};
use apidrift::impact::{FieldState, assess};
use apidrift::model::{Api, Type};
use impact_support::{resolved, users_api};

fn verdict(rev: &Api) -> apidrift::impact::Verdict {
    let base = users_api("lastLogin", Type::String);
    let changes = diff::compare(&base, rev, &DiffOptions::default());
    assess(&changes, &resolved(), Some(rev))
}

fn field(v: &apidrift::impact::Verdict, name: &str) -> FieldState {
    v.operations[0]
        .fields
        .iter()
        .find(|f| f.field == name)
        .map(|f| f.state)
        .unwrap_or_else(|| panic!("{name} is consumed"))
}

#[test]
fn renamed_field_through_the_real_diff() {
    let v = verdict(&users_api("lastLoginAt", Type::String));
    assert_eq!(field(&v, "lastLogin"), FieldState::Lost, "{:#?}", v.changes);
    assert_eq!(
        v.operations[0].fields[3].possible_rename.as_deref(),
        Some("lastLoginAt")
    );
    assert_eq!((v.counts.lost, v.counts.at_risk), (1, 0));
    assert!(
        v.changes
            .iter()
            .any(|c| c.consumed && c.change.level == Level::Err)
    );
}

#[test]
fn enum_value_added_and_nullable_through_the_real_diff() {
    let mut rev = users_api("lastLogin", Type::String);
    for s in rev.schemas.iter_mut() {
        if let Some(e) = &mut s.enum_values {
            e.push("DEPROVISIONED".into());
        }
        if s.format.as_deref() == Some("date-time") {
            s.nullable = true;
        }
    }
    let v = verdict(&rev);
    assert_eq!(field(&v, "status"), FieldState::AtRisk, "{:#?}", v.changes);
    assert_eq!(field(&v, "lastLogin"), FieldState::AtRisk);
    assert_eq!((v.counts.lost, v.counts.at_risk, v.visibility), (0, 2, 1.0));
}

#[test]
fn unconsumed_removal_and_page_size_through_the_real_diff() {
    let mut rev = users_api("lastLogin", Type::String);
    for s in rev.schemas.iter_mut() {
        s.properties.shift_remove("nickname");
    }
    let v = verdict(&rev);
    assert_eq!(v.counts.ok, 5, "{:#?}", v.changes);
    assert!(!v.changes.is_empty() && v.changes.iter().all(|c| !c.consumed));

    let mut rev = users_api("lastLogin", Type::String);
    for s in rev.schemas.iter_mut() {
        if s.extra().maximum == Some(200.0) {
            s.extra_mut().maximum = Some(50.0);
        }
    }
    let v = verdict(&rev);
    assert_eq!(v.counts.at_risk, 5, "{:#?}", v.changes);
}

/// `GET /api/v1/orgs` returns `{data: [Org]}`; `Org.owner` is a `User`, whose
/// `profile` is a `Profile`, whose `address` is an `Address` with an enum `country`:
/// the consumed `owner.profile.address.country` lies three component hops deep.
fn orgs_api(countries: &[&str]) -> Api {
    use apidrift::model::{Method, Schema};
    let mut b = impact_support::ApiBuilder::default();
    let named = |b: &mut impact_support::ApiBuilder, name: &str, props: &[(&str, _)]| {
        let id = b.obj(props, &[]);
        b.api.schemas[id.0 as usize].ref_name = Some(name.to_string());
        b.api.component_schemas.insert(name.to_string(), id);
        id
    };
    let country = b.raw(Schema {
        types: [Type::String].into(),
        enum_values: Some(countries.iter().map(|c| (*c).into()).collect()),
        ..Schema::default()
    });
    let address = named(&mut b, "Address", &[("country", country)]);
    let profile = named(&mut b, "Profile", &[("address", address)]);
    let user = named(&mut b, "User", &[("profile", profile)]);
    let id = b.prim(Type::String);
    let org = named(&mut b, "Org", &[("id", id), ("owner", user)]);
    let data = b.arr(org);
    let body = b.obj(&[("data", data)], &["data"]);
    b.op(Method::Get, "/api/v1/orgs", "200", body);
    b.api
}

#[test]
fn consumed_field_deeper_than_the_hop_limit_is_still_judged() {
    let contract: apidrift::impact::Consumes = serde_yaml::from_str(
        "- operation: GET /api/v1/orgs\n  entity: other\n  fields: [id, owner.profile.address.country]\n",
    )
    .expect("contract parses");
    let base = orgs_api(&["FR"]);
    let rev = orgs_api(&["FR", "DE"]);
    let resolved = apidrift::impact::resolve(&contract, &base).expect("contract resolves");
    let state = |changes: &[diff::Change]| {
        let v = assess(changes, &resolved, Some(&rev));
        v.operations[0].fields[1].state
    };

    // Without the contract the change is three hops deep: reported once, for the
    // component, and so invisible to the per-operation verdict.
    let plain = diff::compare(&base, &rev, &DiffOptions::default());
    assert!(
        plain
            .iter()
            .all(|c| c.path.as_deref() == Some("#/components/schemas/Address")),
        "{plain:#?}"
    );
    assert_eq!(plain.len(), 1);
    assert_eq!(state(&plain), FieldState::Ok);

    // Watched, it is reported at the operation too and puts the field at risk.
    let opts = DiffOptions {
        watched: resolved.watched(),
        ..DiffOptions::default()
    };
    let watched = diff::compare(&base, &rev, &opts);
    assert!(
        watched
            .iter()
            .any(|c| c.path.as_deref() == Some("/api/v1/orgs")
                && c.id == "response-property-enum-value-added"
                && c.args[0] == "data[].owner.profile.address.country"),
        "{watched:#?}"
    );
    assert_eq!(state(&watched), FieldState::AtRisk);
    // The rest of the output is the same with and without the contract.
    assert!(plain.iter().all(|c| watched.contains(c)));
    assert_eq!(watched.len(), plain.len() + 1);
}

/// The users API with its `oauth` scheme (root requirement) renamed to `OAuth`, the
/// same mechanism: the diff says rename and the verdict sees nothing to do.
#[test]
fn security_scheme_renamed_through_the_real_diff_is_no_risk() {
    let mut rev = users_api("lastLogin", Type::String);
    let scheme = rev
        .security_schemes
        .remove("oauth")
        .expect("users_api has oauth");
    rev.security_schemes.insert("OAuth".to_string(), scheme);
    rev.security = vec![[("OAuth".to_string(), ["users:read".to_string()].into())].into()];
    let v = verdict(&rev);
    let ids: Vec<&str> = v.changes.iter().map(|c| c.change.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "api-global-security-renamed",
            "api-security-component-renamed"
        ],
        "{:#?}",
        v.changes
    );
    assert!(
        v.changes
            .iter()
            .all(|c| !c.consumed && c.change.level == Level::Info)
    );
    assert_eq!((v.counts.ok, v.counts.operation_risks), (5, 0));
    assert!(v.operations[0].risks.is_empty());
}

/// A real mechanism change (OAuth to an API key) and a new scope: one operation-level
/// risk with both changes as reasons; every field stays ok.
#[test]
fn security_mechanism_and_scope_changes_through_the_real_diff_are_one_risk() {
    let mut rev = users_api("lastLogin", Type::String);
    let s = rev
        .security_schemes
        .get_mut("oauth")
        .expect("users_api has oauth");
    s.kind = "apiKey".to_string();
    s.api_key_in = Some("header".to_string());
    s.api_key_name = Some("X-Api-Key".to_string());
    rev.security = vec![
        [(
            "oauth".to_string(),
            ["users:read".to_string(), "users:admin".to_string()].into(),
        )]
        .into(),
    ];
    let v = verdict(&rev);
    assert_eq!((v.counts.ok, v.counts.at_risk), (5, 0), "{:#?}", v.changes);
    let risks = &v.operations[0].risks;
    assert_eq!(risks.len(), 1);
    let mut ids: Vec<&str> = risks[0].reasons.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "api-global-security-scope-added",
            "api-security-component-type-changed"
        ]
    );
    assert!(v.changes.iter().all(|c| c.consumed
        && c.change.level == Level::Warn
        && c.touches == ["GET /api/v1/users"]));
}
