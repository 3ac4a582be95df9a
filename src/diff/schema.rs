//! (being written) the direction-aware schema comparator: every schema-level rule of
//! request bodies and properties, response bodies and properties, parameters and
//! response headers.

use super::rules::Rule;
use super::{Emitter, Scope};
use crate::model::{ParamIn, Pointer, SchemaId};

pub const RULES: &[Rule] = &[];

/// Memo of schema-pair comparisons, keyed by (base id, revision id, direction).
#[derive(Debug, Default)]
pub struct Memo {}

/// Where a compared schema sits: decides the rule-id prefix (`request-body-`,
/// `request-property-`, `response-body-`, `response-property-`, `request-parameter-`,
/// `response-header-`, ...) and the direction.
#[derive(Debug, Clone, Copy)]
pub enum Site<'a> {
    RequestBody {
        media_type: &'a str,
    },
    ResponseBody {
        status: &'a str,
        media_type: &'a str,
    },
    Parameter {
        location: ParamIn,
        name: &'a str,
    },
    ResponseHeader {
        status: &'a str,
        name: &'a str,
    },
}

/// Compares the schema `base` (in `em.base`) with `rev` (in `em.rev`) at `site` of the
/// operation in `scope`, emitting every schema-level change.
pub fn compare(em: &mut Emitter<'_>, scope: &Scope, site: Site<'_>, base: SchemaId, rev: SchemaId) {
    let _ = (em, scope, site, base, rev);
}

/// Pointers of the two schemas, for changes that concern the schema as a whole.
pub fn pointers(em: &Emitter<'_>, base: SchemaId, rev: SchemaId) -> (Pointer, Pointer) {
    (
        em.base.schema(base).pointer.clone(),
        em.rev.schema(rev).pointer.clone(),
    )
}
