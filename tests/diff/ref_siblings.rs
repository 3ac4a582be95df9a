//! Keywords next to a `$ref` (`nullable`, `readOnly`, `deprecated`, `description`...):
//! the loader reads such a node as an overlay of its target (own id, the target's
//! `ref_name` and children, the keywords on top), and the diff reports their changes.
//! A `$ref` without such siblings keeps the target's shared id. A change of the
//! keywords beside the `$ref` belongs to the referring property (the component holding
//! it, beyond the hop limit), a change inside the target to the target.

use crate::common;

use apidrift::diff::{self, Change, DiffOptions, Level, Section};
use apidrift::model::{Api, Schema, SchemaId};
use apidrift::spec::{self, LoadOptions, Loaded};
use common::{expect_change, fixture, load, opts};

fn pair() -> (Loaded, Loaded) {
    let d = fixture("spec/ref-siblings");
    (load(&d.join("base.yaml")), load(&d.join("revision.yaml")))
}

/// The diff of the pair (base → revision, or the reverse).
fn changes(reversed: bool) -> Vec<Change> {
    let (a, b) = pair();
    if reversed {
        diff::compare(&b.api, &a.api, &opts())
    } else {
        diff::compare(&a.api, &b.api, &opts())
    }
}

fn user_prop(api: &Api, name: &str) -> SchemaId {
    api.schema(api.component_schemas["User"]).properties[name]
}

#[test]
fn a_ref_without_effective_siblings_keeps_the_shared_target_id() {
    let (base, rev) = pair();
    let team = base.api.component_schemas["Team"];
    for p in ["team", "manager", "owner"] {
        assert_eq!(user_prop(&base.api, p), team, "{p} in base");
    }
    // `nullable: false` and `example` change nothing a consumer sees.
    assert_eq!(
        user_prop(&rev.api, "owner"),
        rev.api.component_schemas["Team"]
    );
}

#[test]
fn a_ref_with_siblings_is_an_overlay_keeping_ref_name_and_children() {
    let (_, rev) = pair();
    let api = &rev.api;
    let team_id = api.component_schemas["Team"];
    let team: &Schema = api.schema(team_id);

    let t_id = user_prop(api, "team");
    assert_ne!(t_id, team_id, "an overlay has its own id");
    let t = api.schema(t_id);
    assert_eq!(t.ref_name.as_deref(), Some("Team"));
    assert!(t.deprecated && !team.deprecated);
    assert_eq!(t.description.as_deref(), Some("the user's team"));
    assert_eq!(
        team.description.as_deref(),
        Some("a team"),
        "target untouched"
    );
    assert_eq!(
        t.properties, team.properties,
        "children are the target's ids"
    );
    assert_eq!(t.types, team.types);
    assert_eq!(t.pointer, "/components/schemas/User/properties/team");
    assert_eq!(team.pointer, "/components/schemas/Team");

    let m = api.schema(user_prop(api, "manager"));
    assert_eq!(m.ref_name.as_deref(), Some("Team"));
    assert!(m.nullable && !m.deprecated && !team.nullable);
    assert_eq!(
        m.description.as_deref(),
        Some("a team"),
        "kept from the target"
    );
}

#[test]
fn a_cycle_through_an_overlay_loads_and_points_back_at_the_overlay() {
    let (_, rev) = pair();
    let api = &rev.api;
    let user_id = api.component_schemas["User"];
    let parent_id = user_prop(api, "parent");
    assert_ne!(parent_id, user_id);
    let parent = api.schema(parent_id);
    assert_eq!(parent.ref_name.as_deref(), Some("User"));
    assert!(parent.nullable && parent.read_only);
    assert!(!api.schema(user_id).nullable);
    // The copy of User's properties holds the same overlay for `parent`.
    assert_eq!(parent.properties["parent"], parent_id);
    assert_eq!(parent.properties, api.schema(user_id).properties);
}

#[test]
fn ref_cycles_made_only_of_overlays_end_with_a_warning() {
    let doc = r##"{"openapi": "3.0.0", "info": {"title": "c", "version": "1"}, "paths": {},
      "components": {"schemas": {
        "Loop1": {"$ref": "#/components/schemas/Loop2", "nullable": true},
        "Loop2": {"$ref": "#/components/schemas/Loop1", "deprecated": true}}}}"##;
    let l = spec::load_bytes("loop.json", doc.as_bytes(), None, &LoadOptions::default()).unwrap();
    let s = l.api.schema(l.api.component_schemas["Loop1"]);
    assert!(s.nullable);
    assert!(s.extra().dangling_ref.is_some());
    assert!(
        l.diagnostics.iter().any(|d| d.code == "spec-dangling-ref"),
        "{:?}",
        l.diagnostics
    );
}

#[test]
fn swagger2_x_nullable_and_read_only_next_to_a_ref_are_read() {
    let doc = r##"{"swagger": "2.0", "info": {"title": "c", "version": "1"}, "paths": {},
      "definitions": {
        "Id": {"type": "string"},
        "Obj": {"type": "object", "properties": {
          "id": {"$ref": "#/definitions/Id", "readOnly": true, "x-nullable": true,
                 "title": "Identifier", "default": "none", "x-sunset": "2030-01-01"}}}}}"##;
    let l = spec::load_bytes("s2.json", doc.as_bytes(), None, &LoadOptions::default()).unwrap();
    let api = &l.api;
    let id = api.schema(api.component_schemas["Obj"]).properties["id"];
    let s = api.schema(id);
    assert_ne!(id, api.component_schemas["Id"]);
    assert_eq!(s.ref_name.as_deref(), Some("Id"));
    assert!(s.read_only && s.nullable);
    assert_eq!(s.extra().title.as_deref(), Some("Identifier"));
    assert_eq!(s.extra().default, Some(serde_json::json!("none")));
    assert_eq!(s.extra().sunset.as_deref(), Some("2030-01-01"));
    assert!(s.types.contains(&apidrift::model::Type::String));
}

#[test]
fn nullable_next_to_a_ref_is_reported_as_the_nullable_rule() {
    let all = changes(false);
    let c = expect_change(
        &all,
        "response-property-became-nullable",
        Level::Err,
        "GET /users/{id}",
    );
    assert_eq!(
        c.args.first().map(String::as_str),
        Some("manager"),
        "{c:#?}"
    );
    let reversed = changes(true);
    let c = expect_change(
        &reversed,
        "response-property-became-not-nullable",
        Level::Info,
        "GET /users/{id}",
    );
    assert_eq!(
        c.args.first().map(String::as_str),
        Some("manager"),
        "{c:#?}"
    );
    // `owner` gained only siblings without an effect: nothing is reported for it.
    assert!(
        !all.iter()
            .any(|c| c.args.first().map(String::as_str) == Some("owner")),
        "{all:#?}"
    );
}

#[test]
fn deprecated_next_to_a_ref_reaches_the_diff() {
    let all = changes(false);
    let (base, rev) = pair();
    // What the property lifecycle rules compare: the flag differs at `team`.
    assert!(!base.api.schema(user_prop(&base.api, "team")).deprecated);
    assert!(rev.api.schema(user_prop(&rev.api, "team")).deprecated);
    let c = expect_change(
        &all,
        "response-property-deprecated",
        Level::Info,
        "GET /users/{id}",
    );
    // `team` and, through the self-reference `parent`, `parent.team`.
    let at: Vec<&str> = all
        .iter()
        .filter(|c| c.id == "response-property-deprecated")
        .filter_map(|c| c.args.first().map(String::as_str))
        .collect();
    assert!(at.contains(&"team"), "{c:#?} {at:?}");
    assert!(at.iter().all(|p| p.ends_with("team")), "{at:?}");
}

/// The diff of `spec/ref-siblings-deep` (GET /c → C.d → D.e → E.a → A; A.p is
/// `{$ref: B}` in the base and `{$ref: B, nullable: true}` in the revision, A.q is
/// `{$ref: Level, default: ...}` with the default changed, and B.kind and Level each
/// gain an enum value) with `max_ref_hops` (0 = unlimited), as sorted
/// `(id, section, operation and path, args)`, section `info` left out.
fn deep(max_ref_hops: u32, reversed: bool) -> Vec<(String, Section, String, Vec<String>)> {
    let d = fixture("spec/ref-siblings-deep");
    let (a, b) = (load(&d.join("base.yaml")), load(&d.join("revision.yaml")));
    let opts = DiffOptions {
        max_ref_hops,
        ..opts()
    };
    let (base, rev) = if reversed { (&b, &a) } else { (&a, &b) };
    let mut out: Vec<_> = diff::compare(&base.api, &rev.api, &opts)
        .into_iter()
        // `info.version` is the same on both sides: not what these tests are about.
        .filter(|c| c.section != Section::Info)
        .map(|c| {
            let at = match (c.operation, c.path) {
                (Some(m), Some(p)) => format!("{m} {p}"),
                (_, p) => p.unwrap_or_default(),
            };
            (c.id, c.section, at, c.args)
        })
        .collect();
    out.sort_by(|x, y| (&x.0, &x.2, &x.3).cmp(&(&y.0, &y.2, &y.3)));
    out
}

fn row(
    id: &str,
    section: Section,
    at: &str,
    args: &[&str],
) -> (String, Section, String, Vec<String>) {
    (
        id.to_string(),
        section,
        at.to_string(),
        args.iter().map(|a| a.to_string()).collect(),
    )
}

#[test]
fn nullable_beside_a_ref_beyond_the_hop_limit_is_a_change_of_the_referring_component() {
    use Section::Components as C;
    // A is 3 hops deep (D, E, A): past the default limit of 2, so all goes to
    // section `components`. The siblings of `p` and `q` were written in A: their
    // changes are A's, at the property, as if `p` and `q` were inline; what changed
    // inside B and Level stays theirs.
    assert_eq!(
        deep(2, false),
        vec![
            row(
                "response-property-became-nullable",
                C,
                "#/components/schemas/A",
                &["p"]
            ),
            row(
                "response-property-default-value-changed",
                C,
                "#/components/schemas/A",
                &["q", "\"low\"", "\"high\""]
            ),
            row(
                "response-property-enum-value-added",
                C,
                "#/components/schemas/B",
                &["kind", "z"]
            ),
            row(
                "response-property-enum-value-added",
                C,
                "#/components/schemas/Level",
                &["", "mid"]
            ),
        ]
    );
    // The mirror: the same places, the reverse rules.
    let reversed = deep(2, true);
    for (id, args) in [
        ("response-property-became-not-nullable", vec!["p"]),
        (
            "response-property-default-value-changed",
            vec!["q", "\"high\"", "\"low\""],
        ),
    ] {
        assert!(
            reversed
                .iter()
                .any(|r| *r == row(id, C, "#/components/schemas/A", &args)),
            "{id}: {reversed:#?}"
        );
    }
    assert!(
        !reversed
            .iter()
            .any(|r| r.0.contains("nullable") && r.2 != "#/components/schemas/A"),
        "{reversed:#?}"
    );
}

#[test]
fn siblings_of_a_ref_within_the_hop_limit_are_judged_at_the_property() {
    use Section::{Components as C, Paths as P};
    // Limit 3: A is within, B and Level one hop beyond. The siblings' changes are
    // judged at A's depth, per operation, at the property path; B and Level inside
    // themselves, in section `components`.
    assert_eq!(
        deep(3, false),
        vec![
            row(
                "response-property-became-nullable",
                P,
                "GET /c",
                &["d.e.a.p", "200", "application/json"]
            ),
            row(
                "response-property-default-value-changed",
                P,
                "GET /c",
                &["d.e.a.q", "\"low\"", "\"high\"", "200", "application/json"]
            ),
            row(
                "response-property-enum-value-added",
                C,
                "#/components/schemas/B",
                &["kind", "z"]
            ),
            row(
                "response-property-enum-value-added",
                C,
                "#/components/schemas/Level",
                &["", "mid"]
            ),
        ]
    );
}

#[test]
fn siblings_of_a_ref_at_a_walked_site_keep_the_per_operation_output() {
    use Section::Paths as P;
    // Unlimited hops: every change per operation at its property path, the overlay's
    // own and its target's alike (as before overlays were split).
    fn with<'a>(args: &[&'a str]) -> Vec<&'a str> {
        [args, &["200", "application/json"][..]].concat()
    }
    assert_eq!(
        deep(0, false),
        vec![
            row(
                "response-property-became-nullable",
                P,
                "GET /c",
                &with(&["d.e.a.p"])
            ),
            row(
                "response-property-default-value-changed",
                P,
                "GET /c",
                &with(&["d.e.a.q", "\"low\"", "\"high\""])
            ),
            row(
                "response-property-enum-value-added",
                P,
                "GET /c",
                &with(&["d.e.a.p.kind", "z"])
            ),
            row(
                "response-property-enum-value-added",
                P,
                "GET /c",
                &with(&["d.e.a.q", "mid"])
            ),
        ]
    );
}
