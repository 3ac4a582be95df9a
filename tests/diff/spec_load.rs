//! The loader on small fixtures (one per dialect and format), `$ref` behaviour, the
//! position locator, and hostile inputs that must end quickly with a specific error.

use apidrift::model::{AdditionalProperties, Method, OpKey, ParamIn, ParamKey, SpecVersion, Type};
use apidrift::spec::{self, Format, LoadOptions, Loaded, SpecError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spec")
        .join(name)
}

fn load(name: &str) -> Loaded {
    let p = fixture(name);
    spec::load(p.to_str().unwrap(), &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(bytes: &[u8], opts: &LoadOptions) -> (SpecError, Duration) {
    let t = Instant::now();
    let e = match spec::load_bytes("input", bytes, None, opts) {
        Ok(l) => panic!("loaded a hostile input ({} ops)", l.api.operations.len()),
        Err(e) => e,
    };
    (e, t.elapsed())
}

fn op<'a>(l: &'a Loaded, m: Method, path: &str) -> &'a apidrift::model::Operation {
    l.api
        .operations
        .get(&OpKey::new(m, path))
        .unwrap_or_else(|| panic!("{m} {path} missing"))
}

#[test]
fn swagger2_yaml_reads_bodies_forms_produces_and_security() {
    let l = load("swagger2.yaml");
    assert_eq!(l.format, Format::Yaml);
    assert_eq!(l.api.version, Some(SpecVersion::Swagger2));
    assert_eq!(
        l.api.info_version.as_deref(),
        Some("1.0"),
        "YAML 1.0 stays a string"
    );
    assert_eq!(l.api.operations.len(), 3);

    let get = op(&l, Method::Get, "/pets/{}");
    assert_eq!(get.operation_id.as_deref(), Some("getPet"));
    let path_param = ParamKey {
        location: ParamIn::Path,
        name: "petId".into(),
    };
    assert!(
        get.parameters.contains_key(&path_param),
        "path-level parameter merged"
    );
    assert!(l.api.paths["/pets/{}"].parameters.contains(&path_param));
    let header = &get.parameters[&ParamKey {
        location: ParamIn::Header,
        name: "x-trace".into(),
    }];
    assert_eq!(header.name, "X-Trace");
    let hs = l.api.schema(header.schema.unwrap());
    assert!(hs.types.contains(&Type::String));
    let ok = &get.responses["200"];
    let pet_id = ok.content["application/json"].schema.unwrap();
    assert_eq!(l.api.schema(pet_id).ref_name.as_deref(), Some("Pet"));
    assert_eq!(Some(&pet_id), l.api.component_schemas.get("Pet"));
    assert!(ok.headers.contains_key("x-rate-limit"));
    let pet = l.api.schema(pet_id);
    assert!(l.api.schema(pet.properties["name"]).nullable, "x-nullable");
    assert!(pet.required.contains("name"));

    let put = op(&l, Method::Put, "/pets/{}");
    let body = put
        .request_body
        .as_ref()
        .expect("body parameter → request body");
    assert!(body.required);
    assert_eq!(
        body.content["application/json"].schema,
        Some(pet_id),
        "shared ref, one id"
    );

    let post = op(&l, Method::Post, "/pets/{}/photo");
    let form = post.request_body.as_ref().expect("formData → request body");
    let fs = l
        .api
        .schema(form.content["multipart/form-data"].schema.unwrap());
    assert_eq!(
        fs.properties.keys().collect::<Vec<_>>(),
        ["file", "caption"]
    );
    assert!(fs.required.contains("file") && !fs.required.contains("caption"));

    assert_eq!(l.api.security_schemes["basic"].kind, "http");
    assert_eq!(
        l.api.security_schemes["basic"].scheme.as_deref(),
        Some("basic")
    );
    let oauth = &l.api.security_schemes["oauth"];
    assert!(oauth.flows["authorizationCode"].scopes.contains_key("read"));
    assert!(l.api.security[0]["oauth"].contains("read"));

    // Cycle Pet → Owner → items → Pet comes back to the same id.
    let owner = l.api.schema(pet.properties["owner"]);
    assert_eq!(l.api.schema(owner.properties["pets"]).items, Some(pet_id));
}

#[test]
fn openapi30_json_reads_refs_nullable_bounds_and_extensions() {
    let l = load("openapi30.json");
    assert_eq!(l.format, Format::Json);
    assert_eq!(l.api.version, Some(SpecVersion::OpenApi30));
    let get = op(&l, Method::Get, "/users/{id}");
    assert!(get.deprecated);
    assert_eq!(get.sunset.as_deref(), Some("2030-01-01"));
    assert_eq!(get.stability.as_deref(), Some("beta"));
    let ok = &get.responses["200"];
    assert!(
        ok.content.contains_key("application/json"),
        "media type lowercased"
    );
    assert!(ok.headers.contains_key("x-request-id"));
    assert_eq!(ok.headers["x-request-id"].name, "X-Request-Id");
    assert_eq!(
        get.responses["404"].description.as_deref(),
        Some("not found")
    );

    let user_id = l.api.component_schemas["User"];
    let user = l.api.schema(user_id);
    let patch = op(&l, Method::Patch, "/users/{}");
    let body = patch.request_body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(body.content["application/json"].schema, Some(user_id));
    assert_eq!(user.properties["manager"], user_id, "self reference");
    let id = l.api.schema(user.properties["id"]);
    assert_eq!(
        (id.extra().minimum, id.extra().exclusive_minimum),
        (None, Some(0.0))
    );
    assert!(l.api.schema(user.properties["email"]).nullable);
    let tag_id = l.api.component_schemas["Tag"];
    assert_eq!(l.api.schema(user.properties["tags"]).items, Some(tag_id));
    assert_eq!(l.api.schema(user.properties["kind"]).all_of[0], tag_id);
    assert!(l.api.schema(tag_id).extra().extensible_enum.is_some());
    assert_eq!(
        l.api.security_schemes["bearer"].scheme.as_deref(),
        Some("bearer")
    );

    // The dangling ref: a warning with its place, a placeholder, and the load went on.
    let ghost = l.api.schema(user.properties["ghost"]);
    assert_eq!(
        ghost.extra().dangling_ref.as_deref(),
        Some("#/components/schemas/Missing")
    );
    let w: Vec<_> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == "spec-dangling-ref")
        .collect();
    assert_eq!(w.len(), 1, "{:?}", l.diagnostics);
    assert_eq!(
        w[0].pointer.as_deref(),
        Some("/components/schemas/User/properties/ghost/$ref")
    );
    assert_eq!(
        l.locate("/components/schemas/User/properties/ghost"),
        Some((38, 11))
    );
    assert!(l.digest.starts_with("sha256:"));
}

#[test]
fn openapi31_yaml_reads_type_arrays_webhooks_and_new_keywords() {
    let l = load("openapi31.yaml");
    assert_eq!(l.api.version, Some(SpecVersion::OpenApi31));
    assert_eq!(l.api.info_version.as_deref(), Some("1.10.2"));
    let hook = op(&l, Method::Post, "webhook:newEvent");
    let ev_id = l.api.component_schemas["Event"];
    assert_eq!(
        hook.request_body.as_ref().unwrap().content["application/json"].schema,
        Some(ev_id)
    );
    let ev = l.api.schema(ev_id);
    assert!(ev.nullable && ev.types.len() == 1 && ev.types.contains(&Type::Object));
    let count = l.api.schema(ev.properties["count"]);
    assert_eq!(
        (
            count.extra().exclusive_minimum,
            count.extra().exclusive_maximum
        ),
        (Some(5.0), Some(10.0))
    );
    assert_eq!(
        l.api.schema(ev.properties["kind"]).extra().const_value,
        Some("click".into())
    );
    assert_eq!(
        l.api
            .schema(ev.properties["coords"])
            .extra()
            .prefix_items
            .len(),
        2
    );
    let payload = l.api.schema(ev.properties["payload"]);
    assert_eq!(
        payload.extra().content_media_type.as_deref(),
        Some("application/json")
    );
    let card = l.api.schema(ev.properties["card"]);
    assert!(
        card.extra().if_schema.is_some()
            && card.extra().then_schema.is_some()
            && card.extra().else_schema.is_some()
    );
    assert!(card.extra().dependent_required["credit_card"].contains("billing_address"));
    assert!(card.extra().dependent_schemas.contains_key("name"));
    assert_eq!(
        l.locate("/components/schemas/Event/properties/count"),
        Some((31, 9))
    );
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
}

#[test]
fn file_refs_are_followed_and_remote_refs_blocked_by_default() {
    let l = load("refs/main.yaml");
    let things = op(&l, Method::Get, "/things");
    let id = things.responses["200"].content["application/json"]
        .schema
        .unwrap();
    let thing = l.api.schema(id);
    assert!(thing.types.contains(&Type::Object));
    assert!(
        thing
            .pointer
            .ends_with("common.yaml#/components/schemas/Thing"),
        "{}",
        thing.pointer
    );
    assert_eq!(thing.properties["again"], id, "cycle inside the other file");
    let remote = op(&l, Method::Get, "/remote");
    let r = l.api.schema(
        remote.responses["200"].content["application/json"]
            .schema
            .unwrap(),
    );
    assert!(r.extra().dangling_ref.is_some());
    let w = l
        .diagnostics
        .iter()
        .find(|d| d.code == "spec-dangling-ref")
        .unwrap();
    assert!(w.message.contains("--allow-remote-refs"), "{}", w.message);

    let opts = LoadOptions {
        allow_file_refs: false,
        ..LoadOptions::default()
    };
    let p = fixture("refs/main.yaml");
    let l = spec::load(p.to_str().unwrap(), &opts).unwrap();
    let things = op(&l, Method::Get, "/things");
    let id = things.responses["200"].content["application/json"]
        .schema
        .unwrap();
    assert!(l.api.schema(id).extra().dangling_ref.is_some());
}

#[test]
fn cyclic_refs_through_allof_items_and_properties_end() {
    let doc = r##"{"openapi": "3.0.0", "info": {"title": "c", "version": "1"},
      "paths": {"/a": {"get": {"responses": {"200": {"description": "x",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
      "components": {"schemas": {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
        "B": {"type": "array", "items": {"$ref": "#/components/schemas/C"}},
        "C": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        "Loop1": {"$ref": "#/components/schemas/Loop2"},
        "Loop2": {"$ref": "#/components/schemas/Loop1"}}}}"##;
    let l = spec::load_bytes("cyc.json", doc.as_bytes(), None, &LoadOptions::default()).unwrap();
    let a = l.api.component_schemas["A"];
    let b = l.api.schema(a).all_of[0];
    let c = l.api.schema(b).items.unwrap();
    assert_eq!(l.api.schema(c).properties["a"], a);
    // A pure ref → ref cycle is a dangling ref with a warning, not a hang.
    assert!(
        l.api
            .schema(l.api.component_schemas["Loop1"])
            .extra()
            .dangling_ref
            .is_some()
    );
}

#[test]
fn a_long_chain_of_refs_does_not_overflow_the_stack() {
    let n = 20_000;
    let mut schemas = Vec::new();
    for i in 0..n {
        schemas.push(format!(
            r##""S{i}": {{"type": "object", "properties": {{"next": {{"$ref": "#/components/schemas/S{}"}}}}}}"##,
            (i + 1) % n
        ));
    }
    let doc = format!(
        r#"{{"openapi": "3.0.0", "info": {{"title": "c", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{{}}}}}}}"#,
        schemas.join(",")
    );
    let l = spec::load_bytes("chain.json", doc.as_bytes(), None, &LoadOptions::default()).unwrap();
    assert_eq!(l.api.component_schemas.len(), n);
}

#[test]
fn malformed_nodes_are_warnings_and_the_load_goes_on() {
    // Slack's 2019 spec has an array where `items` needs a schema object.
    let doc = r#"{"swagger": "2.0", "info": {"title": "s", "version": "1"},
      "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
        "schema": {"type": "array", "items": [{"type": "string"}]}}}},
        "post": "nonsense"}},
      "definitions": {"Bad": {"type": "object", "properties": []}}}"#;
    let l = spec::load_bytes("m.json", doc.as_bytes(), None, &LoadOptions::default()).unwrap();
    assert_eq!(l.api.operations.len(), 1);
    let ptrs: Vec<_> = l
        .diagnostics
        .iter()
        .filter_map(|d| d.pointer.as_deref())
        .collect();
    assert!(
        ptrs.contains(&"/paths/~1x/get/responses/200/schema/items"),
        "{ptrs:?}"
    );
    assert!(ptrs.contains(&"/paths/~1x/post"), "{ptrs:?}");
    assert!(ptrs.contains(&"/definitions/Bad/properties"), "{ptrs:?}");
}

#[test]
fn additional_properties_and_boolean_schemas() {
    let doc = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    M:\n      type: object\n      additionalProperties: false\n    N:\n      additionalProperties: {type: string}\n    F: false\n";
    let l = spec::load_bytes("b.yaml", doc.as_bytes(), None, &LoadOptions::default()).unwrap();
    let m = l.api.schema(l.api.component_schemas["M"]);
    assert_eq!(
        m.additional_properties,
        Some(AdditionalProperties::Bool(false))
    );
    let n = l.api.schema(l.api.component_schemas["N"]);
    assert!(matches!(
        n.additional_properties,
        Some(AdditionalProperties::Schema(_))
    ));
    assert!(
        l.api
            .schema(l.api.component_schemas["F"])
            .extra()
            .not
            .is_some()
    );
}

// ----- hostile inputs ---------------------------------------------------------------

const QUICK: Duration = Duration::from_secs(5);

#[test]
fn alias_bomb_is_the_alias_limit() {
    let bytes = std::fs::read(fixture("billion_laughs.yaml")).unwrap();
    let (e, t) = load_err(&bytes, &LoadOptions::default());
    assert!(matches!(e, SpecError::AliasLimit { .. }), "{e}");
    assert!(t < QUICK, "{t:?}");
    assert!(e.diagnostic().help.unwrap().contains("limit"));
}

#[test]
fn deep_json_is_the_depth_limit_with_a_place() {
    let bytes = "[".repeat(100_000).into_bytes();
    let (e, t) = load_err(&bytes, &LoadOptions::default());
    let SpecError::TooDeep { line, column, .. } = e else {
        panic!("{e}")
    };
    // serde_json refuses the 128th nested bracket, at column 128.
    assert_eq!((line, column), (Some(1), Some(128)));
    assert!(t < QUICK, "{t:?}");
    assert!(e.to_string().contains("--max-depth"), "{e}");
}

#[test]
fn deep_yaml_is_the_depth_limit() {
    for bytes in [
        "[".repeat(100_000),
        "- ".repeat(100_000) + "x",
        "a: ".to_string() + &"{a: ".repeat(100_000) + "1" + &"}".repeat(100_000),
    ] {
        let (e, t) = load_err(bytes.as_bytes(), &LoadOptions::default());
        assert!(matches!(e, SpecError::TooDeep { .. }), "{e}");
        assert!(t < QUICK, "{t:?}");
    }
}

#[test]
fn a_lower_depth_limit_holds_for_json_and_yaml() {
    let mut opts = LoadOptions::default();
    opts.limits.max_depth = 5;
    let l = load("openapi30.json");
    let (e, _) = load_err(l.text.as_bytes(), &opts);
    assert!(matches!(e, SpecError::TooDeep { limit: 5, .. }), "{e}");
    let y = load("openapi31.yaml");
    let (e, _) = load_err(y.text.as_bytes(), &opts);
    assert!(matches!(e, SpecError::TooDeep { limit: 5, .. }), "{e}");
}

#[test]
fn truncated_json_is_a_parse_error_with_line_and_column() {
    let bytes = std::fs::read(fixture("truncated.json")).unwrap();
    let (e, _) = load_err(&bytes, &LoadOptions::default());
    let SpecError::Parse {
        format: Format::Json,
        line: Some(1),
        column: Some(_),
        ..
    } = e
    else {
        panic!("{e}")
    };
    let d = e.diagnostic();
    assert_eq!(d.code, "spec-parse");
    assert!(d.line.is_some() && d.help.is_some());
}

#[test]
fn binary_garbage_and_invalid_utf8_are_clear_errors() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (e, _) = load_err(&garbage, &LoadOptions::default());
    assert!(matches!(e, SpecError::InvalidUtf8 { .. }), "{e}");
    let (e, _) = load_err(
        b"openapi: 3.0.0\ninfo:\n  title: caf\xe9\n",
        &LoadOptions::default(),
    );
    let SpecError::InvalidUtf8 { line, column, .. } = e else {
        panic!("{e}")
    };
    assert_eq!((line, column), (3, 13));
    // Valid UTF-8 nonsense: parses as YAML but is no spec.
    let (e, _) = load_err(b"\x01\x02 just some words", &LoadOptions::default());
    assert!(
        matches!(e, SpecError::Parse { .. } | SpecError::NotAnObject { .. }),
        "{e}"
    );
}

#[test]
fn documents_that_are_not_specs_are_refused() {
    let bytes = std::fs::read(fixture("not_object.json")).unwrap();
    let (e, _) = load_err(&bytes, &LoadOptions::default());
    assert!(
        matches!(
            e,
            SpecError::NotAnObject {
                found: "an array",
                ..
            }
        ),
        "{e}"
    );
    let (e, _) = load_err(br#"{"hello": "world"}"#, &LoadOptions::default());
    assert!(matches!(e, SpecError::NotOpenApi { .. }), "{e}");
    let (e, _) = load_err(b"\"just a string\"", &LoadOptions::default());
    assert!(matches!(e, SpecError::NotAnObject { .. }), "{e}");
}

#[test]
fn over_size_documents_are_refused_before_parsing() {
    let mut opts = LoadOptions::default();
    opts.limits.max_bytes = 1000;
    let (e, _) = load_err(&vec![b' '; 1001], &opts);
    assert!(matches!(e, SpecError::TooLarge { limit: 1000, .. }), "{e}");
    assert!(e.to_string().contains("--max-spec-bytes"));
    let p = fixture("openapi30.json");
    let e = spec::load(p.to_str().unwrap(), &opts).unwrap_err();
    assert!(
        matches!(e, SpecError::TooLarge { size: Some(_), .. }),
        "{e}"
    );
}

#[test]
fn missing_file_is_an_io_error_naming_it() {
    let e = spec::load("/nonexistent/spec.yaml", &LoadOptions::default()).unwrap_err();
    assert!(matches!(e, SpecError::Io { .. }));
    assert_eq!(
        e.diagnostic().file.as_deref(),
        Some("/nonexistent/spec.yaml")
    );
}

/// An unquoted `version: 1.10` parses as the number 1.1; the model keeps what was
/// written, in block and flow YAML, after a comment, and in JSON, and leaves quoted
/// and non-numeric versions alone.
#[test]
fn an_unquoted_numeric_version_keeps_its_written_form() {
    let cases: [(&str, &str); 6] = [
        (
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: 1.10\npaths: {}\n",
            "1.10",
        ),
        (
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: 2.0 # two\npaths: {}\n",
            "2.0",
        ),
        (
            "openapi: 3.0.3\ninfo: {title: t, version: 3.100}\npaths: {}\n",
            "3.100",
        ),
        (
            "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": 1.20}, \"paths\": {}}",
            "1.20",
        ),
        (
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1.10'\npaths: {}\n",
            "1.10",
        ),
        (
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: v1.10\npaths: {}\n",
            "v1.10",
        ),
    ];
    for (text, want) in cases {
        let l = spec::load_bytes("v", text.as_bytes(), None, &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(l.api.info_version.as_deref(), Some(want), "{text}");
    }
}
