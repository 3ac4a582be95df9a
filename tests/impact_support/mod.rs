//! Builders shared by the impact and sample tests: a small `model::Api` written by
//! hand (until the loader reads fixture YAML) and `Change`s shaped as the diff emits.
#![allow(dead_code)]

use apidrift::diff::{Change, Level, Section, fingerprint};
use apidrift::model::{
    Api, MediaType, Method, OpKey, Operation, ParamIn, ParamKey, Parameter, Response, Schema,
    SchemaId, SecurityRequirement, Type,
};
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default)]
pub struct ApiBuilder {
    pub api: Api,
}

impl ApiBuilder {
    pub fn prim(&mut self, t: Type) -> SchemaId {
        self.api.push_schema(Schema {
            types: BTreeSet::from([t]),
            ..Schema::default()
        })
    }

    pub fn with(&mut self, t: Type, f: impl FnOnce(&mut Schema)) -> SchemaId {
        let mut s = Schema {
            types: BTreeSet::from([t]),
            ..Schema::default()
        };
        f(&mut s);
        self.api.push_schema(s)
    }

    pub fn obj(&mut self, props: &[(&str, SchemaId)], required: &[&str]) -> SchemaId {
        self.api.push_schema(Schema {
            types: BTreeSet::from([Type::Object]),
            properties: props.iter().map(|(n, id)| (n.to_string(), *id)).collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
            ..Schema::default()
        })
    }

    pub fn arr(&mut self, items: SchemaId) -> SchemaId {
        self.api.push_schema(Schema {
            types: BTreeSet::from([Type::Array]),
            items: Some(items),
            ..Schema::default()
        })
    }

    pub fn raw(&mut self, s: Schema) -> SchemaId {
        self.api.push_schema(s)
    }

    /// Adds `method path` answering `status` with a JSON body `body`.
    pub fn op(
        &mut self,
        method: Method,
        path: &str,
        status: &str,
        body: SchemaId,
    ) -> &mut Operation {
        let mut responses = BTreeMap::new();
        responses.insert(
            status.to_string(),
            Response {
                pointer: String::new(),
                description: None,
                content: BTreeMap::from([(
                    "application/json".to_string(),
                    MediaType {
                        pointer: String::new(),
                        schema: Some(body),
                    },
                )]),
                headers: BTreeMap::new(),
            },
        );
        let key = OpKey::new(method, path);
        self.api.operations.insert(
            key.clone(),
            Operation {
                method,
                path: path.to_string(),
                pointer: String::new(),
                operation_id: None,
                summary: None,
                description: None,
                tags: vec![],
                deprecated: false,
                sunset: None,
                stability: None,
                parameters: IndexMap::new(),
                request_body: None,
                responses,
                security: None,
                extensions: BTreeMap::new(),
            },
        );
        self.api.operations.get_mut(&key).expect("just inserted")
    }

    pub fn query_param(&mut self, method: Method, path: &str, name: &str, schema: SchemaId) {
        let key = OpKey::new(method, path);
        let op = self
            .api
            .operations
            .get_mut(&key)
            .expect("operation added first");
        op.parameters.insert(
            ParamKey {
                location: ParamIn::Query,
                name: name.to_string(),
            },
            Parameter {
                name: name.to_string(),
                location: ParamIn::Query,
                pointer: String::new(),
                required: false,
                deprecated: false,
                sunset: None,
                allow_empty_value: false,
                style: None,
                explode: None,
                schema: Some(schema),
                content_media_type: None,
            },
        );
    }

    pub fn root_security(&mut self, scheme: &str, scopes: &[&str]) {
        let req: SecurityRequirement = BTreeMap::from([(
            scheme.to_string(),
            scopes.iter().map(|s| s.to_string()).collect(),
        )]);
        self.api.security = vec![req];
    }
}

/// The users API of the scenarios: `GET /api/v1/users` returns `{data: [User]}`.
/// `last_login_name` names the last-login field and `last_login_type` its type, so a
/// revision can rename or retype it.
pub fn users_api(last_login_name: &str, last_login_type: Type) -> Api {
    let mut b = ApiBuilder::default();
    let id = b.prim(Type::String);
    let status = b.with(Type::String, |s| {
        s.enum_values = Some(vec!["ACTIVE".into(), "SUSPENDED".into()]);
    });
    let last = b.with(last_login_type, |s| s.format = Some("date-time".into()));
    let login = b.prim(Type::String);
    let email = b.with(Type::String, |s| s.format = Some("email".into()));
    let profile = b.obj(&[("login", login), ("email", email)], &["login"]);
    let role_name = b.prim(Type::String);
    let role = b.obj(&[("name", role_name)], &["name"]);
    let roles = b.arr(role);
    let nickname = b.prim(Type::String);
    let user = b.obj(
        &[
            ("id", id),
            ("status", status),
            (last_login_name, last),
            ("profile", profile),
            ("roles", roles),
            ("nickname", nickname),
        ],
        &["id", "status", "profile"],
    );
    let data = b.arr(user);
    let next = b.prim(Type::String);
    let meta = b.obj(&[("next_cursor", next)], &[]);
    let body = b.obj(&[("data", data), ("meta", meta)], &["data"]);
    b.op(Method::Get, "/api/v1/users", "200", body);
    let limit = b.with(Type::Integer, |s| s.extra_mut().maximum = Some(200.0));
    let after = b.prim(Type::String);
    b.query_param(Method::Get, "/api/v1/users", "limit", limit);
    b.query_param(Method::Get, "/api/v1/users", "after", after);
    b.root_security("oauth", &["users:read"]);
    b.api.security_schemes.insert(
        "oauth".to_string(),
        apidrift::model::SecurityScheme {
            pointer: String::new(),
            kind: "oauth2".to_string(),
            scheme: None,
            api_key_in: None,
            api_key_name: None,
            open_id_connect_url: None,
            flows: BTreeMap::new(),
        },
    );
    b.api
}

/// A change as the diff emits it, on `GET /api/v1/users` unless `op` says otherwise.
pub fn change(id: &str, level: Level, op: Option<(Method, &str)>, args: &[&str]) -> Change {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (operation, path) = match op {
        Some((m, p)) => (Some(m), Some(p.to_string())),
        None => (None, None),
    };
    Change {
        id: id.to_string(),
        text: String::new(),
        comment: None,
        level,
        operation,
        path: path.clone(),
        operation_id: None,
        section: if operation.is_some() {
            Section::Paths
        } else {
            Section::Security
        },
        fingerprint: fingerprint(id, operation, path.as_deref(), &args),
        args,
        base_pointer: None,
        revision_pointer: None,
    }
}

pub const USERS: Option<(Method, &str)> = Some((Method::Get, "/api/v1/users"));

/// The contract of the scenarios (`tests/fixtures/impact/contract.yaml`).
pub fn contract() -> apidrift::impact::Consumes {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/impact/contract.yaml"
    );
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// The scenario contract resolved against the base users API.
pub fn resolved() -> apidrift::impact::Resolved {
    apidrift::impact::resolve(&contract(), &users_api("lastLogin", Type::String))
        .unwrap_or_else(|d| panic!("the scenario contract resolves: {d:?}"))
}

/// The item prefix and schemas of `body` as apidrift chose them before `impact::item`
/// (kept as the reference the new choice must agree with for every contract that
/// resolved then): the items of an array body; else the items of the body's one
/// array property, whatever sits beside it; else the body.
pub fn legacy_item(api: &Api, body: SchemaId) -> (String, Vec<SchemaId>) {
    fn expanded(api: &Api, id: SchemaId) -> Vec<SchemaId> {
        let mut out = Vec::new();
        apidrift::impact::walk::expand(api, id, &mut out, &mut BTreeSet::new());
        out
    }
    fn is_array(api: &Api, id: SchemaId) -> Option<Vec<SchemaId>> {
        let all = expanded(api, id);
        let items: Vec<SchemaId> = all.iter().filter_map(|&i| api.schema(i).items).collect();
        let typed = all
            .iter()
            .any(|&i| api.schema(i).types.contains(&Type::Array));
        (typed || !items.is_empty()).then_some(items)
    }
    if let Some(items) = is_array(api, body) {
        return ("[]".to_string(), items);
    }
    let mut arrays: Vec<(String, Vec<SchemaId>)> = Vec::new();
    for id in expanded(api, body) {
        for (name, &p) in &api.schema(id).properties {
            if arrays.iter().any(|(n, _)| n == name) {
                continue;
            }
            if let Some(items) = is_array(api, p) {
                arrays.push((name.clone(), items));
            }
        }
    }
    match arrays.as_slice() {
        [(name, items)] => (format!("{name}[]"), items.clone()),
        _ => (String::new(), vec![body]),
    }
}

/// A contract reading up to `max` top-level properties of the legacy item of every
/// GET operation of `api` with a JSON success body (names that are not plain path
/// segments are left out), with the body paths those fields had before. Operations
/// whose legacy item has no property are left out.
pub fn legacy_contract(api: &Api, max: usize) -> (apidrift::impact::Consumes, Vec<Vec<String>>) {
    use apidrift::impact::{ConsumedField, ConsumedOperation, Consumes, Entity, walk};
    let mut ops = Vec::new();
    let mut paths = Vec::new();
    for op in api.operations.values() {
        if op.method != Method::Get || op.path.starts_with("webhook:") {
            continue;
        }
        let Some((_, _, body)) = walk::success_body(op) else {
            continue;
        };
        let (prefix, roots) = legacy_item(api, body);
        let mut names: Vec<String> = Vec::new();
        for &r in &roots {
            let mut all = Vec::new();
            walk::expand(api, r, &mut all, &mut BTreeSet::new());
            for id in all {
                for name in api.schema(id).properties.keys() {
                    let plain = !name.is_empty() && name != "*" && !name.contains(['.', '[', ']']);
                    if plain && !names.contains(name) && names.len() < max {
                        names.push(name.clone());
                    }
                }
            }
        }
        if names.is_empty() {
            continue;
        }
        paths.push(names.iter().map(|n| walk::join(&prefix, n)).collect());
        ops.push(ConsumedOperation {
            operation: format!("GET {}", op.path),
            entity: Entity::Other,
            fields: names
                .iter()
                .map(|n| ConsumedField::from(n.as_str()))
                .collect(),
            pagination: None,
            item: None,
        });
    }
    (Consumes(ops), paths)
}
