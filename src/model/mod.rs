//! The normalized API model that every spec version is read into.
//!
//! Owns: `Api`, its operations keyed by method + path template (parameter names
//! normalized), parameters, bodies, responses, security, and a schema arena addressed
//! by `SchemaId` so a schema shared through `$ref` exists once and is compared once.
//! Must not: hold raw JSON in hot paths, do I/O, or know which spec version it came from
//! beyond the `SpecVersion` tag (Swagger 2.0, OpenAPI 3.0 and 3.1 all look the same here).
//!
//! Invariants the readers in `spec` uphold and the `diff` relies on:
//! - nullability is one flag (`Schema::nullable`): `x-nullable`, `nullable: true` and
//!   `type: [..., "null"]` all set it, and `"null"` never appears in `Schema::types`;
//! - `exclusiveMinimum: true` + `minimum` (3.0) becomes a numeric `exclusive_minimum` (3.1);
//! - response header names are lowercased; media type names are lowercased;
//! - every `SchemaId` inside an `Api` indexes that `Api`'s own `schemas` arena.

pub mod keyword;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Which dialect a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpecVersion {
    #[serde(rename = "swagger-2.0")]
    Swagger2,
    #[serde(rename = "openapi-3.0")]
    OpenApi30,
    #[serde(rename = "openapi-3.1")]
    OpenApi31,
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecVersion::Swagger2 => "Swagger 2.0",
            SpecVersion::OpenApi30 => "OpenAPI 3.0",
            SpecVersion::OpenApi31 => "OpenAPI 3.1",
        })
    }
}

/// HTTP methods an OpenAPI path item can hold, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The lowercase key used under a path item (`get`, `post`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Parses either case (`get`, `GET`).
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.key().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identity of an operation across two versions: method + path template with every
/// path parameter name replaced by `{}` (`/users/{id}` matches `/users/{userId}`).
/// Webhooks use the path `webhook:<name>`, as oasdiff does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OpKey {
    pub path: String,
    pub method: Method,
}

impl OpKey {
    pub fn new(method: Method, path_template: &str) -> OpKey {
        OpKey {
            path: normalize_path(path_template),
            method,
        }
    }
}

/// Replaces every `{name}` in a path template with `{}` and trims a trailing slash
/// (but keeps `/`).
pub fn normalize_path(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' if !in_param => {
                in_param = true;
                out.push('{');
            }
            '}' if in_param => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// Index of a schema in `Api::schemas`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SchemaId(pub u32);

/// Where a node came from in its document: a JSON Pointer (RFC 6901), resolved to a
/// line and column lazily by `spec::locate` only for the nodes a report needs.
pub type Pointer = String;

/// One API description, normalized.
#[derive(Debug, Clone, Default)]
pub struct Api {
    pub version: Option<SpecVersion>,
    /// `info.title`.
    pub title: Option<String>,
    /// `info.version`, always as a string (YAML `1.0` becomes "1.0").
    pub info_version: Option<String>,
    /// Operations, ordered by (path, method) for deterministic output.
    pub operations: BTreeMap<OpKey, Operation>,
    /// Path templates as written, keyed by their normalized form (for path-level rules).
    pub paths: BTreeMap<String, PathItem>,
    /// Named schemas (`components/schemas` or `definitions`), name → id.
    pub component_schemas: BTreeMap<String, SchemaId>,
    /// `components/securitySchemes` or `securityDefinitions`.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// Root `security`: alternatives, each a set of scheme → scopes.
    pub security: Vec<SecurityRequirement>,
    /// The schema arena. Ids are indexes.
    pub schemas: Vec<Schema>,
}

impl Api {
    pub fn schema(&self, id: SchemaId) -> &Schema {
        &self.schemas[id.0 as usize]
    }

    /// Adds a schema to the arena and returns its id.
    pub fn push_schema(&mut self, schema: Schema) -> SchemaId {
        let id = SchemaId(self.schemas.len() as u32);
        self.schemas.push(schema);
        id
    }
}

/// Facts about a whole path item (all its operations).
#[derive(Debug, Clone, Default)]
pub struct PathItem {
    /// The template as written in this document (`/users/{userId}`).
    pub template: String,
    pub pointer: Pointer,
    /// Parameters declared at path-item level, keyed as in `Operation::parameters`.
    pub parameters: BTreeSet<ParamKey>,
    /// `x-sunset` on the path item, if any.
    pub sunset: Option<String>,
}

/// An operation, with path-level parameters already merged in (an operation-level
/// parameter overrides a path-level one with the same location and name).
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: Method,
    /// The path template as written in this document.
    pub path: String,
    pub pointer: Pointer,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// `x-sunset` (RFC 3339 date or date-time), as written.
    pub sunset: Option<String>,
    /// `x-stability-level` (draft, alpha, beta, stable), as written.
    pub stability: Option<String>,
    pub parameters: IndexMap<ParamKey, Parameter>,
    pub request_body: Option<RequestBody>,
    /// Responses keyed by status code as written (`200`, `4XX`, `default`).
    pub responses: BTreeMap<String, Response>,
    /// `None` inherits the root `security`; `Some(vec![])` means explicitly none.
    pub security: Option<Vec<SecurityRequirement>>,
    /// `x-` extensions of the operation, kept raw (small).
    pub extensions: BTreeMap<String, Value>,
}

/// Parameter identity: location + name (header names lowercased).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ParamKey {
    pub location: ParamIn,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamIn {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }

    pub fn parse(s: &str) -> Option<ParamIn> {
        match s {
            "path" => Some(ParamIn::Path),
            "query" => Some(ParamIn::Query),
            "header" => Some(ParamIn::Header),
            "cookie" => Some(ParamIn::Cookie),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name as written (header parameters keep their case here).
    pub name: String,
    pub location: ParamIn,
    pub pointer: Pointer,
    pub required: bool,
    pub deprecated: bool,
    /// `x-sunset` (RFC 3339 date or date-time), as written.
    pub sunset: Option<String>,
    pub allow_empty_value: bool,
    pub style: Option<String>,
    pub explode: Option<bool>,
    /// The schema (`schema`, or the schema of the single `content` entry, or for
    /// Swagger 2.0 the inline type keywords of the parameter).
    pub schema: Option<SchemaId>,
    /// Set when the parameter is described by `content` instead of `schema`.
    pub content_media_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub pointer: Pointer,
    pub required: bool,
    /// Media type (lowercased) → media.
    pub content: BTreeMap<String, MediaType>,
}

#[derive(Debug, Clone)]
pub struct MediaType {
    pub pointer: Pointer,
    pub schema: Option<SchemaId>,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub pointer: Pointer,
    pub description: Option<String>,
    /// Media type (lowercased) → media.
    pub content: BTreeMap<String, MediaType>,
    /// Header name (lowercased) → header.
    pub headers: BTreeMap<String, Header>,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub pointer: Pointer,
    /// The name as written.
    pub name: String,
    pub required: bool,
    pub deprecated: bool,
    pub schema: Option<SchemaId>,
}

/// One alternative of a security requirement: scheme name → required scopes.
pub type SecurityRequirement = BTreeMap<String, BTreeSet<String>>;

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    pub pointer: Pointer,
    /// `apiKey`, `http`, `oauth2`, `openIdConnect`, `mutualTLS` (2.0 `basic` becomes `http`).
    pub kind: String,
    /// For `http`: the scheme (`basic`, `bearer`).
    pub scheme: Option<String>,
    /// For `apiKey`: where (`header`, `query`, `cookie`) and the name.
    pub api_key_in: Option<String>,
    pub api_key_name: Option<String>,
    pub open_id_connect_url: Option<String>,
    /// OAuth flows by flow name (`authorizationCode`, `clientCredentials`, ...).
    pub flows: BTreeMap<String, OAuthFlow>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OAuthFlow {
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    /// Scope → description.
    pub scopes: BTreeMap<String, String>,
}

/// JSON Schema primitive types (never `null`: see `Schema::nullable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    Array,
    Boolean,
    Integer,
    Number,
    Object,
    String,
}

impl Type {
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Array => "array",
            Type::Boolean => "boolean",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Object => "object",
            Type::String => "string",
        }
    }

    pub fn parse(s: &str) -> Option<Type> {
        match s {
            "array" => Some(Type::Array),
            "boolean" => Some(Type::Boolean),
            "integer" => Some(Type::Integer),
            "number" => Some(Type::Number),
            "object" => Some(Type::Object),
            "string" => Some(Type::String),
            _ => None,
        }
    }
}

/// `additionalProperties` (and the like): absent, a boolean, or a schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AdditionalProperties {
    Bool(bool),
    Schema(SchemaId),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Discriminator {
    pub property_name: String,
    /// Mapping value → target ref as written.
    pub mapping: BTreeMap<String, String>,
}

/// A JSON Schema (OpenAPI dialects unified). Every keyword the diff knows is a field;
/// the rest of the `x-` keywords are kept raw in `extensions`.
///
/// The keywords most schemas carry are fields here; the rarely present ones live in
/// `SchemaExtra`, boxed and allocated only when one of them is present, because the arena
/// holds tens of thousands of schemas (35,000 in GitHub's spec) and each byte of this
/// struct is paid for every one. Read them with `extra()`, write them with `extra_mut()`.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Where the schema is defined (for a `$ref`, the target, not the referring site;
    /// for a `$ref` with keywords beside it, an overlay, the referring site).
    pub pointer: Pointer,
    /// `Some(name)` when this is a named component schema (`#/components/schemas/name`
    /// or `#/definitions/name`). Used to report shared schemas once and to match
    /// oneOf/anyOf branches by reference.
    pub ref_name: Option<String>,

    /// Empty means any type (no `type` keyword).
    pub types: BTreeSet<Type>,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub format: Option<String>,
    pub description: Option<String>,

    pub enum_values: Option<Vec<Value>>,

    pub properties: IndexMap<String, SchemaId>,
    pub required: BTreeSet<String>,
    pub additional_properties: Option<AdditionalProperties>,
    pub items: Option<SchemaId>,

    pub all_of: Vec<SchemaId>,
    pub any_of: Vec<SchemaId>,
    pub one_of: Vec<SchemaId>,

    /// The rarely present keywords; `None` when the schema has none of them.
    pub extra: Option<Box<SchemaExtra>>,
}

/// What `Schema::extra()` returns for a schema without rare keywords.
static NO_EXTRA: SchemaExtra = SchemaExtra::EMPTY;

impl Schema {
    /// The rarely present keywords (all empty when the schema has none).
    pub fn extra(&self) -> &SchemaExtra {
        self.extra.as_deref().unwrap_or(&NO_EXTRA)
    }

    /// The rarely present keywords, allocated on first use. Only call it to store a
    /// keyword that is present, so schemas without any stay without the allocation.
    pub fn extra_mut(&mut self) -> &mut SchemaExtra {
        self.extra.get_or_insert_with(Default::default)
    }
}

/// The keywords of a `Schema` that few schemas carry (in the shared corpus each is on
/// less than 7% of schemas).
#[derive(Debug, Clone, Default)]
pub struct SchemaExtra {
    /// The `$ref` that could not be resolved, when this schema is a placeholder for one.
    pub dangling_ref: Option<String>,
    /// Set on an *overlay* (a `$ref` with keywords beside it, read as a copy of its
    /// target with those keywords on top): the target's id. The diff attributes a
    /// change of the keywords written beside the `$ref` to the referring site, not to
    /// the target component.
    pub overlay_of: Option<SchemaId>,
    pub title: Option<String>,

    pub const_value: Option<Value>,
    pub default: Option<Value>,
    /// Not filled by `spec`: no rule compares examples, and copying them (whole response
    /// bodies in some vendor specs) cost load time. Kept for code that builds schemas.
    pub example: Option<Value>,
    /// `x-extensible-enum`.
    pub extensible_enum: Option<Vec<Value>>,

    pub pattern_properties: BTreeMap<String, SchemaId>,
    pub property_names: Option<SchemaId>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub dependent_required: BTreeMap<String, BTreeSet<String>>,
    pub dependent_schemas: BTreeMap<String, SchemaId>,
    pub unevaluated_properties: Option<AdditionalProperties>,

    pub prefix_items: Vec<SchemaId>,
    pub contains: Option<SchemaId>,
    pub min_contains: Option<u64>,
    pub max_contains: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub unevaluated_items: Option<AdditionalProperties>,

    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub multiple_of: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub content_media_type: Option<String>,
    pub content_encoding: Option<String>,
    pub content_schema: Option<SchemaId>,

    pub not: Option<SchemaId>,
    pub if_schema: Option<SchemaId>,
    pub then_schema: Option<SchemaId>,
    pub else_schema: Option<SchemaId>,
    pub discriminator: Option<Discriminator>,

    /// `x-sunset` on a property.
    pub sunset: Option<String>,
    /// `x-stability-level` on a property (draft, alpha, beta, stable), as written.
    pub stability: Option<String>,

    /// Remaining `x-` keywords, raw.
    pub extensions: BTreeMap<String, Value>,
}

impl SchemaExtra {
    /// No keyword present (what `Default` gives, usable in a `static`).
    pub const EMPTY: SchemaExtra = SchemaExtra {
        dangling_ref: None,
        overlay_of: None,
        title: None,
        const_value: None,
        default: None,
        example: None,
        extensible_enum: None,
        pattern_properties: BTreeMap::new(),
        property_names: None,
        min_properties: None,
        max_properties: None,
        dependent_required: BTreeMap::new(),
        dependent_schemas: BTreeMap::new(),
        unevaluated_properties: None,
        prefix_items: Vec::new(),
        contains: None,
        min_contains: None,
        max_contains: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        unevaluated_items: None,
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        multiple_of: None,
        min_length: None,
        max_length: None,
        pattern: None,
        content_media_type: None,
        content_encoding: None,
        content_schema: None,
        not: None,
        if_schema: None,
        then_schema: None,
        else_schema: None,
        discriminator: None,
        sunset: None,
        stability: None,
        extensions: BTreeMap::new(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameter_names_are_ignored_in_keys() {
        assert_eq!(
            OpKey::new(Method::Get, "/users/{id}"),
            OpKey::new(Method::Get, "/users/{userId}")
        );
        assert_eq!(normalize_path("/a/{x}/b/{y}/"), "/a/{}/b/{}");
        assert_eq!(normalize_path("/"), "/");
    }

    #[test]
    fn methods_parse_either_case() {
        assert_eq!(Method::parse("get"), Some(Method::Get));
        assert_eq!(Method::parse("PATCH"), Some(Method::Patch));
        assert_eq!(Method::parse("connect"), None);
    }
}
