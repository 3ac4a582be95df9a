//! Properties of the diff on generated OpenAPI 3.0 documents: a spec has no changes
//! against itself; every change has its mirror when the two sides are swapped (or a
//! waiver with a reason); the result does not depend on key order or on JSON vs YAML;
//! fingerprints are a pure function of what identifies a change.

use apidrift::diff::{self, Change, DiffOptions, Section};
use apidrift::spec::{self, LoadOptions, Loaded};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

const CASES: u32 = 64;

/// The same cases on every run unless `PROPTEST_RNG_SEED` is set, so that CI is
/// reproducible; explore with e.g. `PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=20000`.
/// `PROPTEST_CASES` is honoured either way.
fn config() -> ProptestConfig {
    let mut c = ProptestConfig {
        cases: CASES,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = proptest::test_runner::RngSeed::Fixed(0x61_7069_6472_6966);
    }
    if let Some(n) = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        c.cases = n;
    }
    c
}

fn opts() -> DiffOptions {
    DiffOptions {
        today: Some("2026-01-01".to_string()),
        ..DiffOptions::default()
    }
}

fn load(name: &str, text: &str) -> Loaded {
    spec::load_bytes(name, text.as_bytes(), None, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("a generated spec must load: {e}\n{text}"))
}

fn diff_json(a: &Value, b: &Value) -> Vec<Change> {
    let (a, b) = (a.to_string(), b.to_string());
    diff::compare(&load("a.json", &a).api, &load("b.json", &b).api, &opts())
}

// ---- the generator -------------------------------------------------------------------

const COMPONENTS: [&str; 3] = ["Pet", "Owner", "Tag"];
const PROPS: [&str; 4] = ["id", "name", "kind", "count"];
const PATHS: [&str; 3] = ["/pets", "/pets/{id}", "/owners"];
const METHODS: [&str; 4] = ["get", "post", "put", "delete"];
const QUERY: [&str; 3] = ["limit", "filter", "sort"];

fn obj(pairs: Vec<(String, Value)>) -> Value {
    Value::Object(pairs.into_iter().collect::<Map<String, Value>>())
}

/// A scalar schema with optional enum, nullable and bounds.
fn leaf() -> impl Strategy<Value = Value> {
    (
        0..4usize,
        any::<bool>(),
        proptest::option::of(0..3u32),
        proptest::option::of(3..9u32),
        proptest::sample::subsequence(vec!["a", "b", "c", "d"], 0..=3),
    )
        .prop_map(|(t, nullable, lo, hi, en)| {
            let mut m = Vec::new();
            let ty = ["string", "integer", "number", "boolean"][t];
            m.push(("type".to_string(), json!(ty)));
            if nullable {
                m.push(("nullable".to_string(), json!(true)));
            }
            match ty {
                "string" => {
                    if let Some(lo) = lo {
                        m.push(("minLength".to_string(), json!(lo)));
                    }
                    if let Some(hi) = hi {
                        m.push(("maxLength".to_string(), json!(hi)));
                    }
                    if !en.is_empty() {
                        m.push(("enum".to_string(), json!(en)));
                    }
                }
                "integer" | "number" => {
                    if let Some(lo) = lo {
                        m.push(("minimum".to_string(), json!(lo)));
                    }
                    if let Some(hi) = hi {
                        m.push(("maximum".to_string(), json!(hi)));
                    }
                }
                _ => {}
            }
            obj(m)
        })
}

/// A `$ref`, one time in three with `nullable: true` or a `default` beside it (an
/// overlay, whose own changes are attributed apart from its target's).
fn reference() -> impl Strategy<Value = Value> {
    (proptest::sample::select(&COMPONENTS[..]), 0..6u8).prop_map(|(c, sibling)| {
        let mut r = json!({"$ref": format!("#/components/schemas/{c}")});
        match sibling {
            0 => r["nullable"] = json!(true),
            1 => r["default"] = json!("a"),
            _ => {}
        }
        r
    })
}

/// A schema: a leaf, a ref (cycles between components are allowed), an array of
/// either, or an allOf around a ref.
fn schema() -> impl Strategy<Value = Value> {
    let inner = prop_oneof![3 => leaf(), 1 => reference()];
    prop_oneof![
        4 => leaf(),
        2 => reference(),
        1 => inner.clone().prop_map(|i| json!({"type": "array", "items": i})),
        1 => reference().prop_map(|r| json!({"allOf": [r]})),
    ]
}

/// An object schema with some of `PROPS` and a `required` list drawn from them.
fn object_schema() -> impl Strategy<Value = Value> {
    (
        proptest::sample::subsequence(PROPS.to_vec(), 0..=PROPS.len()),
        proptest::collection::vec(schema(), PROPS.len()),
        proptest::collection::vec(any::<bool>(), PROPS.len()),
    )
        .prop_map(|(names, schemas, req)| {
            let mut props = Vec::new();
            let mut required = Vec::new();
            for (i, n) in names.iter().enumerate() {
                props.push((n.to_string(), schemas[i].clone()));
                if req[i] {
                    required.push(json!(n));
                }
            }
            let mut m = vec![
                ("type".to_string(), json!("object")),
                ("properties".to_string(), obj(props)),
            ];
            if !required.is_empty() {
                m.push(("required".to_string(), Value::Array(required)));
            }
            obj(m)
        })
}

fn body_schema() -> impl Strategy<Value = Value> {
    prop_oneof![2 => reference(), 1 => object_schema(), 1 => schema()]
}

fn operation(path: &'static str, method: &'static str) -> impl Strategy<Value = Value> {
    (
        proptest::sample::subsequence(QUERY.to_vec(), 0..=QUERY.len()),
        proptest::collection::vec((leaf(), any::<bool>()), QUERY.len()),
        proptest::option::of((body_schema(), any::<bool>())),
        body_schema(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(qs, qschemas, body, ok, has_404, deprecated)| {
            let mut params = Vec::new();
            if path.contains("{id}") {
                params.push(json!({"name": "id", "in": "path", "required": true,
                    "schema": {"type": "string"}}));
            }
            for (i, q) in qs.iter().enumerate() {
                let (s, required) = &qschemas[i];
                params.push(json!({"name": q, "in": "query", "required": required, "schema": s}));
            }
            let mut responses = vec![(
                "200".to_string(),
                json!({"description": "ok", "content": {"application/json": {"schema": ok}}}),
            )];
            if has_404 {
                responses.push(("404".to_string(), json!({"description": "missing"})));
            }
            let mut m = vec![("operationId".to_string(), json!(format!("{method}{path}")))];
            if deprecated {
                m.push(("deprecated".to_string(), json!(true)));
            }
            if !params.is_empty() {
                m.push(("parameters".to_string(), Value::Array(params)));
            }
            if let (Some((schema, required)), "post" | "put") = (body, method) {
                m.push((
                    "requestBody".to_string(),
                    json!({"required": required,
                        "content": {"application/json": {"schema": schema}}}),
                ));
            }
            m.push(("responses".to_string(), obj(responses)));
            obj(m)
        })
}

fn path_item(path: &'static str) -> impl Strategy<Value = Value> {
    (
        proptest::sample::subsequence(METHODS.to_vec(), 1..=2),
        operation(path, "get"),
        operation(path, "post"),
        operation(path, "put"),
        operation(path, "delete"),
    )
        .prop_map(|(ms, g, po, pu, d)| {
            let ops = [("get", g), ("post", po), ("put", pu), ("delete", d)];
            obj(ops
                .into_iter()
                .filter(|(m, _)| ms.contains(m))
                .map(|(m, o)| (m.to_string(), o))
                .collect())
        })
}

/// A small but varied OpenAPI 3.0 document.
fn spec_doc() -> impl Strategy<Value = Value> {
    (
        proptest::sample::subsequence(PATHS.to_vec(), 1..=PATHS.len()),
        path_item(PATHS[0]),
        path_item(PATHS[1]),
        path_item(PATHS[2]),
        proptest::collection::vec(object_schema(), COMPONENTS.len()),
        proptest::option::of(leaf()),
    )
        .prop_map(|(ps, p0, p1, p2, comps, extra)| {
            let items = [p0, p1, p2];
            let paths = obj(PATHS
                .iter()
                .zip(items)
                .filter(|(p, _)| ps.contains(p))
                .map(|(p, i)| (p.to_string(), i))
                .collect());
            let mut schemas: Vec<(String, Value)> = COMPONENTS
                .iter()
                .zip(comps)
                .map(|(n, s)| (n.to_string(), s))
                .collect();
            if let Some(e) = extra {
                schemas.push(("Extra".to_string(), e));
            }
            json!({
                "openapi": "3.0.3",
                "info": {"title": "generated", "version": "1.0.0"},
                "paths": paths,
                "components": {"schemas": obj(schemas)},
            })
        })
}

/// The same document with every object's keys in a shuffled order (arrays keep theirs:
/// their order is meaning).
fn shuffled(v: &Value, rng: &mut fastrand::Rng) -> Value {
    match v {
        Value::Object(m) => {
            let mut pairs: Vec<(String, Value)> = m
                .iter()
                .map(|(k, v)| (k.clone(), shuffled(v, rng)))
                .collect();
            rng.shuffle(&mut pairs);
            obj(pairs)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| shuffled(x, rng)).collect()),
        other => other.clone(),
    }
}

// ---- mirrors -------------------------------------------------------------------------

/// Word swaps that turn a rule id into the id of the reverse change.
const SWAPS: [(&str, &str); 10] = [
    ("-added", "-removed"),
    ("-increased", "-decreased"),
    ("-became-optional", "-became-required"),
    ("-became-nullable", "-became-not-nullable"),
    ("-widened", "-narrowed"),
    ("-generalized", "-specialized"),
    ("-became-deprecated", "-reactivated"),
    ("-deprecated", "-reactivated"),
    ("-mapping-added", "-mapping-deleted"),
    ("-became-read-only", "-became-not-read-only"),
];

/// Ids of the reverse change, by swapping one word of `id` (either way), plus the pairs
/// whose names do not follow the pattern.
fn mirror_ids(id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (a, b) in SWAPS {
        for (from, to) in [(a, b), (b, a)] {
            if let Some(stem) = id.strip_suffix(from) {
                out.insert(format!("{stem}{to}"));
            }
            if id.contains(&format!("{from}-")) {
                out.insert(id.replacen(&format!("{from}-"), &format!("{to}-"), 1));
            }
        }
    }
    let named: &[(&str, &str)] = &[
        ("endpoint-added", "api-path-removed-without-deprecation"),
        ("endpoint-added", "api-removed-without-deprecation"),
        ("endpoint-added", "api-path-removed-with-deprecation"),
        ("endpoint-added", "api-removed-with-deprecation"),
        (
            "new-optional-request-parameter",
            "request-parameter-removed",
        ),
        (
            "new-required-request-parameter",
            "request-parameter-removed",
        ),
        ("new-optional-request-property", "request-property-removed"),
        ("new-required-request-property", "request-property-removed"),
        (
            "new-required-request-property-with-default",
            "request-property-removed",
        ),
        (
            "request-property-became-required-with-default",
            "request-property-became-optional",
        ),
        ("request-body-added-optional", "request-body-removed"),
        ("request-body-added-required", "request-body-removed"),
        ("endpoint-deprecated", "endpoint-reactivated"),
        ("api-schema-added", "api-schema-removed"),
    ];
    for (a, b) in named {
        if id == *a {
            out.insert(b.to_string());
        }
        if id == *b {
            out.insert(a.to_string());
        }
    }
    out
}

/// Rules whose reverse change is not reported by a mirror rule, and why. Each entry was
/// checked against the catalog: the reverse direction is either not a risk (and so has
/// no rule, as in oasdiff) or is reported under an id that does not pair by name.
const WAIVERS: &[(&str, &str)] = &[
    // Rule ids whose mirror the vocabulary does not have, or whose reverse is a
    // different kind of change; each with the reason.
    (
        "request-property-max-length-set",
        "no -unset id for this request keyword: a request bound dropped accepts more and is no finding",
    ),
    (
        "request-property-became-enum",
        "no id for an enum dropped from a request: accepting more is no finding",
    ),
    (
        "response-property-max-length-increased",
        "no -decreased id for this response keyword: a response that returns less is no risk to a reader",
    ),
    (
        "response-property-max-increased",
        "no -decreased id for this response keyword: a response that returns less is no risk to a reader",
    ),
    (
        "request-body-min-set",
        "no -unset id for this request keyword: a request bound dropped accepts more and is no finding",
    ),
    (
        "request-body-max-set",
        "no -unset id for this request keyword: a request bound dropped accepts more and is no finding",
    ),
    (
        "request-parameter-type-generalized",
        "no -type-specialized id for request parameters: the reverse narrowing is reported as -type-changed",
    ),
    (
        "request-property-type-changed",
        "the reverse of an incompatible type change may be a compatible widening or narrowing, reported as -type-generalized or -type-specialized",
    ),
    (
        "response-body-max-length-unset",
        "no -set id for this response keyword: a new response bound returns less and is no finding",
    ),
    (
        "response-property-max-length-unset",
        "no -set id for this response keyword: a new response bound returns less and is no finding",
    ),
    (
        "request-parameter-max-set",
        "no -unset id for this request keyword: a request bound dropped accepts more and is no finding",
    ),
    (
        "request-parameter-min-set",
        "no -unset id for this request keyword: a request bound dropped accepts more and is no finding",
    ),
    (
        "response-property-type-changed",
        "the reverse of an incompatible type change may be a compatible widening or narrowing, reported as -type-generalized or -type-specialized",
    ),
    (
        "request-parameter-max-length-set",
        "no -unset id for this request keyword: a request bound dropped accepts more and is no finding",
    ),
    (
        "request-body-type-changed",
        "the reverse of an incompatible type change may be a compatible widening or narrowing, reported as -type-generalized or -type-specialized",
    ),
    (
        "request-parameter-type-changed",
        "the reverse of an incompatible type change may be a compatible widening or narrowing, reported as -type-generalized or -type-specialized",
    ),
    (
        "request-parameter-became-enum",
        "no id for an enum dropped from a request: accepting more is no finding",
    ),
    (
        "response-body-type-changed",
        "the reverse of an incompatible type change may be a compatible widening or narrowing, reported as -type-generalized or -type-specialized",
    ),
    (
        "api-version-not-bumped",
        "a versioning-policy finding about the revision as a whole, not a change with a reverse",
    ),
    (
        "api-schema-removed",
        "oasdiff's vocabulary has no api-schema-added: a new component is no finding",
    ),
];

/// Why a change of rule `id` may have no mirror: an explicit waiver, or no mirror id in
/// the catalog at all (the vocabulary reports the change in one direction only, e.g. a
/// request bound newly set, but not dropped).
fn mirror_waiver(id: &str) -> Option<&'static str> {
    if let Some((_, reason)) = WAIVERS.iter().find(|(w, _)| *w == id) {
        return Some(reason);
    }
    let catalog_has_a_mirror = mirror_ids(id).iter().any(|m| diff::rules::get(m).is_some());
    (!catalog_has_a_mirror).then_some("the catalog has no mirror id for this rule")
}

/// Is `m` (from the reverse diff) where the mirror of `c` would be? In section
/// `components` a change is named after the revision's component (the base's when the
/// revision's schema is inline) and reported once per (component, relative path) even
/// when several schema pairs of that name hold it. So there the mirror is the change at
/// the same component-relative path (first arg) either under the same component or,
/// when the two sides name the schema differently (a response moved from `Pet` to
/// `Tag`), under the other side's name: then its two schemas are this change's, swapped.
fn mirrors_at(c: &Change, m: &Change) -> bool {
    if c.section == Section::Components {
        m.section == Section::Components
            && m.args.first() == c.args.first()
            && (m.path == c.path
                || (m.base_pointer == c.revision_pointer && m.revision_pointer == c.base_pointer))
    } else {
        key(m).1 == key(c).1 && m.path == c.path
    }
}

fn key(c: &Change) -> (String, Option<String>, Option<String>) {
    (
        c.id.clone(),
        c.operation.map(|m| m.to_string()),
        c.path.clone(),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn diff_of_a_spec_with_itself_is_empty(a in spec_doc()) {
        let changes = diff_json(&a, &a);
        prop_assert!(changes.is_empty(), "{:#?}", changes);
    }

    #[test]
    fn every_change_has_its_mirror_when_the_sides_are_swapped(a in spec_doc(), b in spec_doc()) {
        let forward = diff_json(&a, &b);
        let backward = diff_json(&b, &a);
        for c in &forward {
            if mirror_waiver(&c.id).is_some() {
                continue;
            }
            let (_, op, path) = key(c);
            let ids = mirror_ids(&c.id);
            let found = backward.iter().any(|m| ids.contains(&m.id) && mirrors_at(c, m));
            prop_assert!(
                found,
                "{} at {:?} {:?} ({:?}) has no mirror in the reverse diff {:#?}",
                c.id, op, path, c.args,
                backward.iter().map(|c| (&c.id, &c.path, &c.args)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn diff_does_not_depend_on_key_order(a in spec_doc(), b in spec_doc(), seed in any::<u64>()) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let (sa, sb) = (shuffled(&a, &mut rng), shuffled(&b, &mut rng));
        let plain = serde_json::to_string(&diff_json(&a, &b)).unwrap();
        let mixed = serde_json::to_string(&diff_json(&sa, &sb)).unwrap();
        prop_assert_eq!(plain, mixed);
    }

    #[test]
    fn diff_is_the_same_for_json_and_yaml_encodings(a in spec_doc(), b in spec_doc()) {
        let (ya, yb) = (serde_yaml::to_string(&a).unwrap(), serde_yaml::to_string(&b).unwrap());
        let (la, lb) = (load("a.yaml", &ya), load("b.yaml", &yb));
        prop_assert_eq!(la.format, spec::Format::Yaml);
        let yaml = diff::compare(&la.api, &lb.api, &opts());
        let json = diff_json(&a, &b);
        prop_assert_eq!(serde_json::to_string(&json).unwrap(), serde_json::to_string(&yaml).unwrap());
    }

    #[test]
    fn fingerprints_are_stable_across_runs_and_depend_only_on_identity(a in spec_doc(), b in spec_doc()) {
        let first = diff_json(&a, &b);
        let second = diff_json(&a, &b);
        let f1: Vec<_> = first.iter().map(|c| c.fingerprint.clone()).collect();
        let f2: Vec<_> = second.iter().map(|c| c.fingerprint.clone()).collect();
        prop_assert_eq!(&f1, &f2);
        for c in &first {
            let again = diff::fingerprint(&c.id, c.operation, c.path.as_deref(), &c.args);
            prop_assert_eq!(&c.fingerprint, &again);
            prop_assert!(c.fingerprint.len() == 12 && c.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }
}
