//! Tests of the oracle itself, on inline specs: a known difference is found at the right
//! location and classified right, and a change's scope is read right. They do not depend
//! on what the diff reports.

use super::classify::{self, Effect, FactDiff, Kind, Risk};
use super::cover::{self, Scope};
use super::flatten::{self, Site};
use apidrift::diff::{Change, Level, Section};
use apidrift::model::{Api, Method};
use apidrift::spec::{self, LoadOptions};

fn api(yaml: &str) -> Api {
    spec::load_bytes(
        "inline.yaml",
        yaml.as_bytes(),
        None,
        &LoadOptions::default(),
    )
    .expect("inline spec loads")
    .api
}

/// A 3.0 document with one operation `{method} /x` and `body` (YAML, indented for the
/// operation) and `components` (YAML under `components/schemas`).
fn doc(method: &str, op: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /x/{{id}}:\n    {method}:\n{op}\ncomponents:\n  schemas:\n{schemas}\n"
    )
}

fn diffs(base: &str, rev: &str) -> Vec<FactDiff> {
    let (b, r) = (api(base), api(rev));
    assert_eq!(b.operations.len(), 1);
    let (key, bop) = b.operations.iter().next().unwrap();
    let rop = &r.operations[key];
    let (bf, rf) = (flatten::flatten(&b, bop), flatten::flatten(&r, rop));
    classify::diff_locations(&bf, &rf, bop.request_body.is_some())
}

fn find<'a>(ds: &'a [FactDiff], path: &str, kind: Kind) -> &'a FactDiff {
    ds.iter()
        .find(|d| d.path == path && d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} at {path:?} in {ds:#?}"))
}

const RESPONSE_OWNER: &str =
    "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: OWNER";

const A_AND_B: &str = "    A:
      type: object
      required: [login]
      properties:
        login: {type: string}
        id: {type: integer}
    B:
      type: object
      properties:
        id: {type: string}
        name: {type: string}";

#[test]
fn ref_becoming_one_of_with_a_branch_lacking_a_field_is_a_risky_widening() {
    let base = doc(
        "get",
        &RESPONSE_OWNER.replace("OWNER", "{$ref: '#/components/schemas/A'}"),
        A_AND_B,
    );
    let rev = doc(
        "get",
        &RESPONSE_OWNER.replace(
            "OWNER",
            "{oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}",
        ),
        A_AND_B,
    );
    let ds = diffs(&base, &rev);
    // B lacks `login`: a reader of `owner.login` may meet a variant without it.
    let login = find(&ds, "owner.login", Kind::InEveryBranch);
    assert_eq!((login.effect, login.risk), (Effect::Widened, Risk::Risky));
    let req = find(&ds, "owner.login", Kind::Required);
    assert_eq!((req.base.as_str(), req.rev.as_str()), ("true", "false"));
    assert_eq!(req.risk, Risk::Risky);
    // `id` is an integer in A and a string in B: the type set gained a member.
    let id = find(&ds, "owner.id", Kind::Types);
    assert_eq!(
        (id.base.as_str(), id.rev.as_str()),
        ("integer", "integer|string")
    );
    assert_eq!((id.effect, id.risk), (Effect::Widened, Risk::Risky));
    assert!(id.alt, "reached through a oneOf");
    // B's `name` is new to a reader: benign.
    let name = find(&ds, "owner.name", Kind::Added);
    assert_eq!(name.risk, Risk::Benign);
    // The location passes through component A at `login`, and B at `name`.
    assert!(
        login
            .comps
            .contains(&("A".to_string(), "login".to_string()))
    );
    assert!(name.comps.contains(&("B".to_string(), "name".to_string())));
    assert!(
        !name.comps.contains(&("A".to_string(), "name".to_string())),
        "A has no `name`"
    );
    // The other way round drops branch B and keeps A: a pure narrowing of a response,
    // B's `name` goes with its branch and nothing is risky.
    let back = diffs(&rev, &base);
    assert!(back.iter().all(|d| d.risk == Risk::Benign), "{back:#?}");
    assert_eq!(
        find(&back, "owner.name", Kind::RemovedWithBranch).risk,
        Risk::Benign
    );
    // Replacing both branches by a new component is no narrowing: `name` is lost.
    let c = format!(
        "{A_AND_B}\n    C:\n      type: object\n      properties:\n        login: {{type: string}}"
    );
    let to_c = doc(
        "get",
        &RESPONSE_OWNER.replace("OWNER", "{$ref: '#/components/schemas/C'}"),
        &c,
    );
    let from_ab = doc(
        "get",
        &RESPONSE_OWNER.replace(
            "OWNER",
            "{oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}",
        ),
        &c,
    );
    let ds = diffs(&from_ab, &to_c);
    let lost = find(&ds, "owner.name", Kind::Removed);
    assert_eq!(lost.risk, Risk::Risky);
}

#[test]
fn nullable_in_all_of_needs_every_typed_member_to_admit_null() {
    let owner = |schema: &str| {
        doc(
            "get",
            &RESPONSE_OWNER.replace("OWNER", schema),
            "    X: {type: object, properties: {a: {type: string}}}\n    NX: {type: object, nullable: true, properties: {a: {type: string}}}",
        )
    };
    let plain = owner("{$ref: '#/components/schemas/X'}");
    // The 3.0 idiom: a nullable wrapper without `type` around a ref.
    let wrapper = owner("{nullable: true, allOf: [{$ref: '#/components/schemas/X'}]}");
    let n = find(&diffs(&plain, &wrapper), "owner", Kind::Nullable).clone();
    assert_eq!((n.effect, n.risk), (Effect::Widened, Risk::Risky));
    // A typed, non-nullable schema over a nullable member does not admit null.
    let typed = owner("{type: object, allOf: [{$ref: '#/components/schemas/NX'}]}");
    let plain_nx = owner("{type: object, allOf: [{$ref: '#/components/schemas/X'}]}");
    assert!(diffs(&plain_nx, &typed).is_empty());
    // `nullable` on the declared schema counts whatever its composition: this is the
    // same as a ref to a nullable component.
    let outer = owner("{type: object, nullable: true, oneOf: [{$ref: '#/components/schemas/X'}]}");
    let nx = owner("{$ref: '#/components/schemas/NX'}");
    assert!(diffs(&outer, &nx).iter().all(|d| d.kind != Kind::Nullable));
    // 3.1: a `{type: null}` branch only adds null; in 3.0 a lone `nullable: true`
    // branch admits anything.
    let null_branch = |v: &str| {
        owner("{oneOf: [{type: 'null'}, {$ref: '#/components/schemas/X'}]}")
            .replace("openapi: 3.0.3", v)
    };
    let x31 = plain.replace("openapi: 3.0.3", "openapi: 3.1.0");
    let ds = diffs(&x31, &null_branch("openapi: 3.1.0"));
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(find(&ds, "owner", Kind::Nullable).effect, Effect::Widened);
    let any30 = owner("{oneOf: [{nullable: true}, {$ref: '#/components/schemas/X'}]}");
    let t = find(&diffs(&plain, &any30), "owner", Kind::Types).clone();
    assert_eq!((t.rev.as_str(), t.risk), ("any", Risk::Risky));
}

fn request_with(prop: &str) -> String {
    doc(
        "post",
        &format!(
            "      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [status]
              properties:
                status: {prop}
      responses:
        '204': {{description: ok}}"
        ),
        "    Unused: {type: string}",
    )
}

#[test]
fn a_request_enum_value_removed_is_risky_and_added_is_benign() {
    let base = request_with("{type: string, enum: [active, archived]}");
    let rev = request_with("{type: string, enum: [active]}");
    let ds = diffs(&base, &rev);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    let e = find(&ds, "status", Kind::Enum);
    assert_eq!((e.effect, e.risk), (Effect::Narrowed, Risk::Risky));
    assert!(
        matches!(&e.site, Site::RequestBody { media_type } if media_type == "application/json")
    );
    let back = diffs(&rev, &base);
    let e = find(&back, "status", Kind::Enum);
    assert_eq!((e.effect, e.risk), (Effect::Widened, Risk::Benign));
}

#[test]
fn a_response_enum_value_added_under_any_of_is_risky() {
    let resp = |branch: &str| {
        doc(
            "get",
            &RESPONSE_OWNER.replace(
                "OWNER",
                &format!("{{anyOf: [{{type: string, enum: [a, b]}}, {branch}]}}"),
            ),
            "    Unused: {type: string}",
        )
    };
    let ds = diffs(
        &resp("{type: string, enum: [c]}"),
        &resp("{type: string, enum: [c, d]}"),
    );
    let e = find(&ds, "owner", Kind::Enum);
    assert_eq!(
        (e.base.as_str(), e.rev.as_str()),
        (r#"["a", "b", "c"]"#, r#"["a", "b", "c", "d"]"#)
    );
    assert_eq!((e.effect, e.risk), (Effect::Widened, Risk::Risky));
    // An unbounded branch makes the location unbounded.
    let ds = diffs(&resp("{type: string, enum: [c]}"), &resp("{type: string}"));
    let e = find(&ds, "owner", Kind::Enum);
    assert_eq!((e.rev.as_str(), e.risk), ("unbounded", Risk::Risky));
}

#[test]
fn requiredness_and_presence_of_request_and_response_properties() {
    // A new required request property demands something of the sender; a removed one
    // is risky too (the server no longer honours what the client sends).
    let base = request_with("{type: string}");
    let rev = base
        .replace("required: [status]", "required: [status, kind]")
        .replace(
            "status: {type: string}",
            "status: {type: string}\n                kind: {type: string}",
        );
    let ds = diffs(&base, &rev);
    let k = find(&ds, "kind", Kind::Added);
    assert_eq!((k.effect, k.risk), (Effect::Narrowed, Risk::Risky));
    let back = diffs(&rev, &base);
    assert_eq!(find(&back, "kind", Kind::Removed).risk, Risk::Risky);
    // A readOnly property is not sent: requiring it demands nothing.
    let ro = rev.replace(
        "kind: {type: string}",
        "kind: {type: string, readOnly: true}",
    );
    let ds = diffs(&base, &ro);
    assert_eq!(find(&ds, "kind", Kind::Added).risk, Risk::Benign);

    // In a response a property that became optional is risky, one that became
    // required is not.
    let resp = |req: &str| {
        doc(
            "get",
            &RESPONSE_OWNER.replace(
                "OWNER",
                &format!("{{type: object, required: [{req}], properties: {{login: {{type: string}}, x: {{type: string}}}}}}"),
            ),
            "    Unused: {type: string}",
        )
    };
    let ds = diffs(&resp("login"), &resp("x"));
    let opt = find(&ds, "owner.login", Kind::Required);
    assert_eq!((opt.effect, opt.risk), (Effect::Widened, Risk::Risky));
    let req = find(&ds, "owner.x", Kind::Required);
    assert_eq!((req.effect, req.risk), (Effect::Narrowed, Risk::Benign));
}

#[test]
fn parameter_style_and_explode_are_facts_with_defaults_applied() {
    let op = |extra: &str| {
        doc(
            "get",
            &format!(
                "      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
        - {{name: tags, in: query, {extra}schema: {{type: array, items: {{type: string}}}}}}
      responses:
        '204': {{description: ok}}"
            ),
            "    Unused: {type: string}",
        )
    };
    // `form` + explode true is the default for a query parameter: no difference.
    assert!(diffs(&op(""), &op("style: form, explode: true, ")).is_empty());
    let ds = diffs(&op(""), &op("explode: false, "));
    let e = find(&ds, "", Kind::Explode);
    assert_eq!((e.effect, e.risk), (Effect::Replaced, Risk::Risky));
    assert!(matches!(&e.site, Site::Param { key, .. } if key == "tags"));
}

#[test]
fn path_parameters_match_by_position_and_cycles_stop() {
    let op = |name: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /x/{{{name}}}:\n    get:\n      parameters: [{{name: {name}, in: path, required: true, schema: {{type: string}}}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Node'}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}\n        name: {{type: string}}\n"
        )
    };
    let (b, r) = (api(&op("id")), api(&op("nodeId")));
    let (key, bop) = b.operations.iter().next().unwrap();
    assert_eq!(key.method, Method::Get);
    let (bf, rf) = (
        flatten::flatten(&b, bop),
        flatten::flatten(&r, &r.operations[key]),
    );
    assert!(classify::diff_locations(&bf, &rf, false).is_empty());
    assert!(bf.cycle_stops > 0, "Node → children[] → Node stops");
    assert!(bf.iter().any(|(_, p, _)| p == "children[]"));
    assert!(!bf.iter().any(|(_, p, _)| p == "children[].name"));
}

fn change(id: &str, level: Level, section: Section, path: &str, args: &[&str]) -> Change {
    Change {
        id: id.into(),
        text: String::new(),
        comment: None,
        level,
        operation: (section == Section::Paths).then_some(Method::Get),
        path: Some(path.into()),
        operation_id: None,
        section,
        args: args.iter().map(|s| s.to_string()).collect(),
        base_pointer: None,
        revision_pointer: None,
        fingerprint: String::new(),
    }
}

#[test]
fn change_scopes_are_read_from_rule_ids_and_args() {
    let c = change(
        "response-property-enum-value-added",
        Level::Warn,
        Section::Paths,
        "/x",
        &["data[].status", "archived", "200", "application/json"],
    );
    assert_eq!(
        cover::scope(&c),
        Scope::ResponseBody {
            status: "200".into(),
            media_type: "application/json".into(),
            path: Some("data[].status".into())
        }
    );
    // A body-level rule whose name contains "property" is still the root.
    let c = change(
        "response-body-discriminator-property-name-changed",
        Level::Info,
        Section::Paths,
        "/x",
        &["a", "b", "200", "application/json"],
    );
    assert!(matches!(
        cover::scope(&c),
        Scope::ResponseBody { path: None, .. }
    ));
    // Parameter-level rules lead with [location, name]; schema rules end with it, even
    // when an enum value reads like a location.
    let c = change(
        "request-parameter-removed",
        Level::Warn,
        Section::Paths,
        "/x",
        &["query", "q"],
    );
    assert!(
        matches!(cover::scope(&c), Scope::Param { location, name, path: None } if location == "query" && name == "q")
    );
    let c = change(
        "request-parameter-enum-value-removed",
        Level::Err,
        Section::Paths,
        "/x",
        &["query", "header", "X-Mode"],
    );
    assert!(
        matches!(cover::scope(&c), Scope::Param { location, name, .. } if location == "header" && name == "X-Mode")
    );
    // Headers: [name, status]; media types: [media type, status].
    let c = change(
        "response-header-became-nullable",
        Level::Err,
        Section::Paths,
        "/x",
        &["X-Rate", "200"],
    );
    assert!(
        matches!(cover::scope(&c), Scope::Header { status, name, .. } if status == "200" && name == "X-Rate")
    );
    let c = change(
        "response-media-type-removed",
        Level::Err,
        Section::Paths,
        "/x",
        &["text/csv", "200"],
    );
    assert!(
        matches!(cover::scope(&c), Scope::ResponseMedia { status, media_types } if status == "200" && *media_types == ["text/csv".to_string()])
    );
    let c = change(
        "new-required-request-property",
        Level::Err,
        Section::Paths,
        "/x",
        &["a.b", "application/json"],
    );
    assert!(
        matches!(cover::scope(&c), Scope::RequestBody { media_type, path: Some(p) } if media_type == "application/json" && p == "a.b")
    );
}

#[test]
fn paths_cover_their_descendants_only() {
    assert!(cover::ancestor_or_self("", "a.b"));
    assert!(cover::ancestor_or_self("a", "a.b"));
    assert!(cover::ancestor_or_self("a", "a[].b"));
    assert!(cover::ancestor_or_self("[]", "[].id"));
    assert!(cover::ancestor_or_self("a.b", "a.b"));
    assert!(!cover::ancestor_or_self("a", "ab"));
    assert!(!cover::ancestor_or_self("a.b", "a"));
    assert_eq!(classify::parent("a.b[]"), Some("a.b"));
    assert_eq!(classify::parent("a.b"), Some("a"));
    assert_eq!(classify::parent("a"), Some(""));
    assert_eq!(classify::parent(""), None);
}

#[test]
fn coverage_needs_warn_for_risky_and_finds_component_changes() {
    let base = doc(
        "get",
        &RESPONSE_OWNER.replace("OWNER", "{$ref: '#/components/schemas/A'}"),
        A_AND_B,
    );
    let rev = base.replace("id: {type: integer}", "id: {type: integer, nullable: true}");
    let ds = diffs(&base, &rev);
    let d = find(&ds, "owner.id", Kind::Nullable);
    assert_eq!(d.risk, Risk::Risky);
    let (b, _) = (api(&base), ());
    let key = b.operations.keys().next().unwrap().clone();
    let names = cover::SiteNames {
        base: None,
        rev: None,
    };
    let at = |level, path: &str| {
        change(
            "response-property-became-nullable",
            level,
            Section::Paths,
            "/x/{id}",
            &[path, "200", "application/json"],
        )
    };
    let ok = [at(Level::Err, "owner")];
    assert_eq!(
        cover::Index::new(&ok).cover(&key, d, &names),
        cover::Coverage::Covered
    );
    let info = [at(Level::Info, "owner.id")];
    assert_eq!(
        cover::Index::new(&info).cover(&key, d, &names),
        cover::Coverage::LevelMiss
    );
    let elsewhere = [at(Level::Err, "owner.login")];
    assert_eq!(
        cover::Index::new(&elsewhere).cover(&key, d, &names),
        cover::Coverage::Miss
    );
    let comp = [change(
        "response-property-became-nullable",
        Level::Err,
        Section::Components,
        "#/components/schemas/A",
        &["id"],
    )];
    assert_eq!(
        cover::Index::new(&comp).cover(&key, d, &names),
        cover::Coverage::Covered
    );
    let req_dir = [change(
        "request-property-became-nullable",
        Level::Err,
        Section::Components,
        "#/components/schemas/A",
        &["id"],
    )];
    assert_eq!(
        cover::Index::new(&req_dir).cover(&key, d, &names),
        cover::Coverage::Miss
    );
}
