//! "The item" of consumed operations on real vendor specs: a contract that resolved
//! before `impact::item` keeps its body-rooted paths on every GET of several corpus
//! specs (checked against the old rule, `impact_support::legacy_item`), single
//! resources with one array property now resolve on the body (GitHub `GET /app` with
//! `events`, Okta `GET /api/v1/groups/{groupId}` with `objectClass`), and list
//! operations keep reading their items.

use crate::impact_support::{legacy_contract, legacy_item};
use apidrift::impact::{Consumes, ItemRule, resolve, walk};
use apidrift::model::{Api, Method, OpKey};
use std::path::Path;

fn load(rel: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    assert!(
        path.is_file(),
        "{} is missing: this test needs ../shared/corpus beside the project root",
        path.display()
    );
    apidrift::spec::load(path.to_str().expect("utf-8 path"), &Default::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .api
}

const GITHUB: &str = "github/github-2025-12-09-6f63b86ab7.json";
const OKTA: &str = "okta/okta-2025-01-10-9a42b149e6.yaml";

#[test]
fn contracts_that_resolved_before_keep_their_body_paths_on_the_corpus() {
    let mut total = 0;
    let mut shape_differs = 0;
    for rel in [
        GITHUB,
        OKTA,
        "box/box-2026-06-29-c9a878a982.json",
        "stripe/stripe-2023-09-12-63a6746386.yaml",
        "fusionauth/fusionauth-2026-06-30-f07c95a224.yaml",
        "slack/slack-2019-07-17-6c7e787854.json",
        "datadog/datadog-2026-03-13-8a1e1dceb6.yaml",
    ] {
        let api = load(rel);
        let (contract, before) = legacy_contract(&api, 6);
        let r = resolve(&contract, &api).unwrap_or_else(|d| panic!("{rel}: {d:#?}"));
        for (o, want) in r.operations.iter().zip(&before) {
            let now: Vec<&str> = o.fields.iter().map(|f| f.body_path.as_str()).collect();
            assert_eq!(now, *want, "{rel} {}", o.name);
            let body = walk::success_body(&api.operations[&o.key])
                .expect("a JSON body")
                .2;
            if apidrift::impact::item::item_for(&api, body, &[]).prefix != o.item_prefix {
                shape_differs += 1;
            }
        }
        eprintln!(
            "{rel}: {} GET operations keep their body paths",
            r.operations.len()
        );
        total += r.operations.len();
    }
    eprintln!(
        "{total} operations, of which {shape_differs} keep their paths through their fields where the shape rule alone would choose otherwise"
    );
    assert!(total > 1000, "only {total} operations checked");
    assert!(shape_differs > 0);
}

fn contract(yaml: &str) -> Consumes {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
}

fn paths(api: &Api, c: &Consumes) -> Vec<Vec<String>> {
    resolve(c, api)
        .unwrap_or_else(|d| panic!("{d:#?}"))
        .operations
        .iter()
        .map(|o| o.fields.iter().map(|f| f.body_path.clone()).collect())
        .collect()
}

/// What the old rule made of `fields` of `GET path`: the legacy item's prefix, and
/// whether every field resolved there.
fn legacy_resolves(api: &Api, path: &str, fields: &[&str]) -> (String, bool) {
    let op = &api.operations[&OpKey::new(Method::Get, path)];
    let (_, _, body) = walk::success_body(op).expect("a JSON body");
    let (prefix, roots) = legacy_item(api, body);
    let all = fields.iter().all(|f| {
        let steps = walk::parse_path(f).expect("a field path");
        walk::walk(api, &roots, &steps).is_ok()
    });
    (prefix, all)
}

#[test]
fn regression_single_resources_with_one_array_property_resolve_on_the_body() {
    let gh = load(GITHUB);
    let fields = ["id", "slug", "name", "owner.login", "events[]"];
    assert_eq!(
        legacy_resolves(&gh, "/app", &fields),
        ("events[]".to_string(), false),
        "before, the app's `events` list was taken for a list wrapper"
    );
    let c = contract(
        "- {operation: GET /app, entity: app, fields: [id, slug, name, owner.login, \"events[]\"]}\n",
    );
    assert_eq!(paths(&gh, &c), [fields.map(String::from).to_vec()]);

    let okta = load(OKTA);
    let fields = ["id", "profile.name", "type", "objectClass[]"];
    assert_eq!(
        legacy_resolves(&okta, "/api/v1/groups/{groupId}", &fields),
        ("objectClass[]".to_string(), false)
    );
    let c = contract(
        "- {operation: \"GET /api/v1/groups/{groupId}\", entity: group, fields: [id, profile.name, type, \"objectClass[]\"]}\n",
    );
    let r = resolve(&c, &okta).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(r.operations[0].item_prefix, "");
    assert_eq!(r.operations[0].item_rule, ItemRule::Shape);
    assert_eq!(paths(&okta, &c), [fields.map(String::from).to_vec()]);
}

#[test]
fn list_operations_keep_reading_their_items() {
    let gh = load(GITHUB);
    let c = contract(
        "- {operation: GET /search/users, entity: user, fields: [login, id]}\n- {operation: GET /user/installations, entity: app, fields: [id, app_id]}\n- {operation: \"GET /orgs/{org}/members\", entity: user, fields: [login]}\n",
    );
    let r = resolve(&c, &gh).unwrap_or_else(|d| panic!("{d:#?}"));
    let got: Vec<(&str, &str)> = r
        .operations
        .iter()
        .map(|o| (o.item_prefix.as_str(), o.item_pointer.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("items[]", "/items"),
            ("installations[]", "/installations"),
            ("[]", "/")
        ]
    );
    for (o, path) in r
        .operations
        .iter()
        .zip(["/search/users", "/user/installations"])
    {
        assert_eq!(
            legacy_resolves(&gh, path, &["id"]).0,
            o.item_prefix,
            "the same item as before"
        );
        assert_eq!(
            o.item_rule,
            ItemRule::Shape,
            "{path}: a wrapper by its shape"
        );
    }

    let okta = load(OKTA);
    let c =
        contract("- {operation: GET /api/v1/users, entity: user, fields: [id, profile.login]}\n");
    assert_eq!(paths(&okta, &c), [vec!["[].id", "[].profile.login"]]);
}
