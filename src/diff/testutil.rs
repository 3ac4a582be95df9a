//! Builders of small `model::Api` values for the diff's unit tests, so a test states only
//! what it varies. Test-only; must not be used by library code.

use crate::model::{
    Api, Method, OpKey, Operation, ParamIn, ParamKey, Parameter, PathItem, normalize_path,
};
use indexmap::IndexMap;
use std::collections::BTreeMap;

/// An operation with nothing but its method and path.
pub fn op(method: Method, path: &str) -> Operation {
    Operation {
        method,
        path: path.to_string(),
        pointer: format!("/paths/{}/{}", path.replace('/', "~1"), method.key()),
        operation_id: None,
        summary: None,
        description: None,
        tags: vec![],
        deprecated: false,
        sunset: None,
        stability: None,
        parameters: IndexMap::new(),
        request_body: None,
        responses: BTreeMap::new(),
        security: None,
        extensions: BTreeMap::new(),
    }
}

/// A parameter without a schema.
pub fn param(location: ParamIn, name: &str, required: bool) -> (ParamKey, Parameter) {
    let key = ParamKey {
        location,
        name: if location == ParamIn::Header {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        },
    };
    let p = Parameter {
        name: name.to_string(),
        location,
        pointer: format!("/parameters/{name}"),
        required,
        deprecated: false,
        sunset: None,
        allow_empty_value: false,
        style: None,
        explode: None,
        schema: None,
        content_media_type: None,
    };
    (key, p)
}

/// An API holding `ops`, with a path item per distinct path.
pub fn api(ops: Vec<Operation>) -> Api {
    let mut a = Api::default();
    for o in ops {
        let norm = normalize_path(&o.path);
        a.paths.entry(norm).or_insert_with(|| PathItem {
            template: o.path.clone(),
            pointer: format!("/paths/{}", o.path.replace('/', "~1")),
            ..PathItem::default()
        });
        a.operations.insert(OpKey::new(o.method, &o.path), o);
    }
    a
}
