//! The tolerant reader: walks a parsed Swagger 2.0 / OpenAPI 3.0 / 3.1 document (a
//! borrowed `serde_json::Value`) into a `model::Api`, resolving `$ref`s as it goes.
//!
//! Owns: version detection, the three dialects' differences (nullable forms, boolean vs
//! numeric exclusive bounds, 2.0 body/formData parameters, consumes/produces), `$ref`
//! resolution (memoized by target so one target is one `SchemaId`; cycle-safe because the
//! id is allocated before the target is read; component targets are filled from a work
//! list so a long chain of refs never deepens the stack), and warnings for malformed
//! nodes with their JSON Pointer.
//!
//! `$ref` siblings: a `$ref` node that also carries a keyword changing what a consumer
//! sees (`nullable`/`x-nullable`, `readOnly`, `writeOnly`, `deprecated` set to `true`;
//! `title`, `description`, `default`, `x-sunset`) reads as an *overlay*: its own id
//! (memoized by the address of the referring node, like any node), holding a copy of the
//! target's schema with those keywords applied on top (booleans set, the others
//! replaced). The copy keeps the target's `ref_name` and children ids, so hop counting,
//! `oneOf` matching and the comparison of the children see component X as before, and
//! its `pointer` is the referring site (where the overlay's own keywords are written, so
//! a change of them is located there); `SchemaExtra::overlay_of` names the target, so
//! the diff can tell a change of the overlay's own keywords from one of the target's.
//! Targets are filled lazily, so overlays are recorded during the walk and applied
//! after the last `drain_pending`, in creation order; a target is never an overlay
//! (`follow` ends at a node that is not a ref).
//! Other siblings (`type`, `properties`, `enum`, ...) are still ignored (3.1's allOf
//! reading of them is out of scope), as are siblings on intermediate hops of a ref chain
//! (`A: {$ref: B, description}` reached through `{$ref: A}`). A `$ref` without such
//! siblings returns the target's shared id, as before.
//! Must not: parse text (that is `parse`), fail on one bad node, or clone large values.

use super::{LoadOptions, SpecError, parse};
use crate::diagnostic::Diagnostic;
use crate::model::keyword::{KEYWORDS, KW_COUNT, Keyword, Kw, Read, Slot};
use crate::model::{
    AdditionalProperties, Api, Discriminator, Header, MediaType, Method, OAuthFlow, OpKey,
    Operation, ParamIn, ParamKey, Parameter, PathItem, RequestBody, Response, Schema, SchemaExtra,
    SchemaId, SecurityRequirement, SecurityScheme, SpecVersion, Type,
};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Most `$ref` hops followed from one site before giving up (ref → ref → ...).
const MAX_REF_HOPS: usize = 64;
/// Most documents loaded through refs for one spec.
const MAX_DOCUMENTS: usize = 256;

/// Where a document came from, to resolve relative refs.
#[derive(Clone)]
enum Base {
    Dir(PathBuf),
    Url(url::Url),
    Nowhere,
}

struct Doc {
    name: String,
    base: Base,
    value: Rc<Value>,
}

/// A location in one of the loaded documents: (document index, JSON Pointer).
type Loc = (usize, String);

pub struct Reader<'o> {
    opts: &'o LoadOptions,
    version: SpecVersion,
    docs: Vec<Doc>,
    doc_index: HashMap<String, usize>,
    api: Api,
    diags: Vec<Diagnostic>,
    /// Schema nodes already read, by the address of their `Value` (documents are never
    /// mutated while the reader lives, so an address is a node's identity).
    memo: HashMap<usize, SchemaId>,
    /// Swagger 2.0 parameters and headers read as schemas (their node is not a schema
    /// node, so they are kept apart from `memo`).
    inline_memo: HashMap<Loc, SchemaId>,
    pending: Vec<(SchemaId, Loc)>,
    /// `$ref`s with siblings, in creation order, applied after the last drain.
    overlays: Vec<Overlay>,
    dangling: HashMap<(usize, String), SchemaId>,
    bytes_loaded: u64,
}

/// Escapes one JSON Pointer segment (RFC 6901).
pub fn escape(seg: &str) -> std::borrow::Cow<'_, str> {
    if seg.contains(['~', '/']) {
        seg.replace('~', "~0").replace('/', "~1").into()
    } else {
        seg.into()
    }
}

fn join(ptr: &str, seg: &str) -> String {
    let seg = escape(seg);
    let mut s = String::with_capacity(ptr.len() + 1 + seg.len());
    s.push_str(ptr);
    s.push('/');
    s.push_str(&seg);
    s
}

fn join_i(ptr: &str, i: usize) -> String {
    format!("{ptr}/{i}")
}

/// A scalar as a string: strings as is, numbers and booleans printed (YAML `1.0`).
fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        let f = v.as_f64()?;
        (f >= 0.0 && f.fract() == 0.0 && f < u64::MAX as f64).then_some(f as u64)
    })
}

fn is_extension(k: &str) -> bool {
    k.starts_with("x-")
}

/// Detects the dialect of a document root.
pub fn detect_version(name: &str, root: &Value) -> Result<SpecVersion, SpecError> {
    let Some(obj) = root.as_object() else {
        return Err(SpecError::NotAnObject {
            file: name.to_string(),
            found: kind(root),
        });
    };
    if let Some(v) = obj.get("openapi") {
        let s = scalar_string(v).unwrap_or_default();
        if s.starts_with("3.0") || s == "3" {
            return Ok(SpecVersion::OpenApi30);
        }
        if s.starts_with("3.") {
            return Ok(SpecVersion::OpenApi31);
        }
        return Err(SpecError::NotOpenApi {
            file: name.to_string(),
            message: format!("unsupported `openapi` version {s:?}"),
        });
    }
    if let Some(v) = obj.get("swagger") {
        let s = scalar_string(v).unwrap_or_default();
        if s == "2.0" || s == "2" {
            return Ok(SpecVersion::Swagger2);
        }
        return Err(SpecError::NotOpenApi {
            file: name.to_string(),
            message: format!("unsupported `swagger` version {s:?}"),
        });
    }
    Err(SpecError::NotOpenApi {
        file: name.to_string(),
        message: "no `openapi` or `swagger` key at the top level".to_string(),
    })
}

impl<'o> Reader<'o> {
    pub fn new(
        opts: &'o LoadOptions,
        name: &str,
        root: Value,
        base_dir: Option<&Path>,
        bytes: u64,
    ) -> Result<Reader<'o>, SpecError> {
        let version = detect_version(name, &root)?;
        let base = if let Ok(u) = url::Url::parse(name)
            && matches!(u.scheme(), "http" | "https")
        {
            Base::Url(u)
        } else {
            match base_dir {
                Some(d) => Base::Dir(d.to_path_buf()),
                None => Base::Nowhere,
            }
        };
        Ok(Reader {
            opts,
            version,
            docs: vec![Doc {
                name: name.to_string(),
                base,
                value: Rc::new(root),
            }],
            doc_index: HashMap::new(),
            api: Api::default(),
            diags: Vec::new(),
            memo: HashMap::new(),
            inline_memo: HashMap::new(),
            pending: Vec::new(),
            overlays: Vec::new(),
            dangling: HashMap::new(),
            bytes_loaded: bytes,
        })
    }

    /// Reads the whole document into the model.
    pub fn read(mut self) -> (Api, Vec<Diagnostic>) {
        self.api.version = Some(self.version);
        let root = self.docs[0].value.clone();
        let Some(obj) = root.as_object() else {
            return (self.api, self.diags);
        };
        if let Some(info) = obj.get("info") {
            if let Some(info) = info.as_object() {
                self.api.title = info.get("title").and_then(scalar_string);
                self.api.info_version = info.get("version").and_then(scalar_string);
            } else {
                self.malformed(0, "/info", "an object", info);
            }
        }
        // Named schemas first, so they get the low ids and their names.
        let (schemas_ptr, schemas) = match self.version {
            SpecVersion::Swagger2 => ("/definitions".to_string(), obj.get("definitions")),
            _ => (
                "/components/schemas".to_string(),
                obj.get("components").and_then(|c| c.get("schemas")),
            ),
        };
        if let Some(s) = schemas {
            if let Some(map) = s.as_object() {
                for (name, v) in map {
                    let p = join(&schemas_ptr, name);
                    let id = self.schema(0, v, &p);
                    self.api.component_schemas.insert(name.clone(), id);
                }
            } else {
                self.malformed(0, &schemas_ptr, "an object", s);
            }
        }
        self.security_schemes(obj);
        if let Some(sec) = obj.get("security") {
            self.api.security = self.security_requirements(0, sec, "/security");
        }
        match obj.get("paths") {
            Some(Value::Object(paths)) => {
                for (template, item) in paths {
                    let p = join("/paths", template);
                    self.path_item(0, template, template, item, &p, obj);
                }
            }
            Some(other) => self.malformed(0, "/paths", "an object", other),
            None => {}
        }
        if let Some(hooks) = obj.get("webhooks") {
            if let Some(hooks) = hooks.as_object() {
                for (name, item) in hooks {
                    let p = join("/webhooks", name);
                    let path = format!("webhook:{name}");
                    self.path_item(0, &path, &path, item, &p, obj);
                }
            } else {
                self.malformed(0, "/webhooks", "an object", hooks);
            }
        }
        self.drain_pending();
        self.apply_overlays();
        drop(root);
        if self.opts.free_in_background {
            // Every `Rc` handed out during the walk is gone by now, so each document
            // unwraps; a value that somehow does not is freed here as before.
            let trees: Vec<Value> = std::mem::take(&mut self.docs)
                .into_iter()
                .filter_map(|d| Rc::try_unwrap(d.value).ok())
                .collect();
            // A failed spawn returns the closure's values to be dropped here.
            let _ = std::thread::Builder::new()
                .name("apidrift-free".to_string())
                .spawn(move || drop(trees));
        }
        (self.api, self.diags)
    }

    // ----- diagnostics -------------------------------------------------------------

    fn warn(&mut self, doc: usize, ptr: &str, code: &'static str, msg: String) {
        let d = Diagnostic::warning(code, msg)
            .in_file(self.docs[doc].name.clone())
            .at_pointer(ptr.to_string());
        self.diags.push(d);
    }

    fn malformed(&mut self, doc: usize, ptr: &str, expected: &str, found: &Value) {
        self.warn(
            doc,
            ptr,
            "spec-malformed-node",
            format!("expected {expected}, found {}; ignored", kind(found)),
        );
    }

    // ----- $ref resolution -----------------------------------------------------------

    /// Loads (or finds) the document a non-local ref points into.
    fn document(&mut self, from: usize, location: &str) -> Result<usize, String> {
        let base = self.docs[from].base.clone();
        let is_url = location.starts_with("http://") || location.starts_with("https://");
        let target: Result<(String, Base, bool), String> = if is_url {
            url::Url::parse(location)
                .map(|u| (u.to_string(), Base::Url(u), true))
                .map_err(|e| format!("invalid URL: {e}"))
        } else {
            match &base {
                Base::Url(u) => u
                    .join(location)
                    .map(|u| (u.to_string(), Base::Url(u), true))
                    .map_err(|e| format!("invalid relative URL: {e}")),
                Base::Dir(d) => {
                    let p = d.join(location);
                    let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
                    Ok((p.to_string_lossy().into_owned(), Base::Dir(dir), false))
                }
                Base::Nowhere => Err(
                    "a relative file ref cannot be followed: the document has no directory (stdin)"
                        .to_string(),
                ),
            }
        };
        let (key, new_base, remote) = target?;
        if let Some(&i) = self.doc_index.get(&key) {
            return Ok(i);
        }
        if remote && !self.opts.allow_remote_refs {
            return Err(
                "remote refs are not followed by default; pass --allow-remote-refs to follow it"
                    .to_string(),
            );
        }
        if !remote && !self.opts.allow_file_refs {
            return Err("refs to other files are disabled".to_string());
        }
        if self.docs.len() >= MAX_DOCUMENTS {
            return Err(format!("more than {MAX_DOCUMENTS} documents referenced"));
        }
        let mut limits = self.opts.limits.clone();
        limits.max_bytes = limits.max_bytes.saturating_sub(self.bytes_loaded);
        let bytes = if remote {
            super::fetch_url(&key, self.opts, &limits).map_err(|e| e.to_string())?
        } else {
            let canonical = std::fs::canonicalize(&key).map_err(|e| format!("{key}: {e}"))?;
            let key2 = canonical.to_string_lossy().into_owned();
            if let Some(&i) = self.doc_index.get(&key2) {
                self.doc_index.insert(key.clone(), i);
                return Ok(i);
            }
            super::read_file(&key, &limits).map_err(|e| e.to_string())?
        };
        self.bytes_loaded += bytes.len() as u64;
        let parsed = parse::parse(&key, bytes, &limits).map_err(|e| e.to_string())?;
        let idx = self.docs.len();
        self.docs.push(Doc {
            name: key.clone(),
            base: new_base,
            value: Rc::new(parsed.value),
        });
        self.doc_index.insert(key, idx);
        Ok(idx)
    }

    /// Resolves one `$ref` string found in document `doc` to a location that exists.
    fn resolve_one(&mut self, doc: usize, reference: &str) -> Result<Loc, String> {
        let (location, fragment) = match reference.split_once('#') {
            Some((l, f)) => (l, f),
            None => (reference, ""),
        };
        let fragment = percent_decode(fragment);
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(format!("unsupported ref fragment `#{fragment}`"));
        }
        let target = if location.is_empty() {
            doc
        } else {
            self.document(doc, location)?
        };
        if self.docs[target].value.pointer(&fragment).is_none() {
            return Err("target does not exist".to_string());
        }
        Ok((target, fragment))
    }

    /// Follows a chain of `$ref`s from `v` (at `ptr` in `doc`) to a node that is not a
    /// ref. `Ok(None)` when `v` is not a ref; `Err((ref, why))` when a hop fails.
    fn follow(
        &mut self,
        doc: usize,
        v: &Value,
        _ptr: &str,
    ) -> Result<Option<Loc>, (String, String)> {
        let Some(mut r) = ref_of(v).map(str::to_string) else {
            return Ok(None);
        };
        let mut at = doc;
        for _ in 0..MAX_REF_HOPS {
            let (d, p) = self.resolve_one(at, &r).map_err(|why| (r.clone(), why))?;
            let docv = self.docs[d].value.clone();
            let target = docv.pointer(&p).unwrap_or(&Value::Null);
            match ref_of(target) {
                Some(next) => {
                    r = next.to_string();
                    at = d;
                }
                None => return Ok(Some((d, p))),
            }
        }
        Err((
            r,
            format!("more than {MAX_REF_HOPS} chained refs (a ref cycle?)"),
        ))
    }

    /// Resolves a possibly-ref node of a non-schema kind (parameter, response, ...).
    /// Returns the document, its root and the pointer of the node to read (`ptr` itself
    /// when `v` is not a ref: callers pass the real pointer of `v`); `None` after a warning.
    fn deref_node(
        &mut self,
        doc: usize,
        v: &Value,
        ptr: &str,
    ) -> Option<(usize, Rc<Value>, String)> {
        match self.follow(doc, v, ptr) {
            Ok(None) => Some((doc, self.docs[doc].value.clone(), ptr.to_string())),
            Ok(Some((d, p))) => Some((d, self.docs[d].value.clone(), p)),
            Err((r, why)) => {
                self.dangling_warning(doc, ptr, &r, &why);
                None
            }
        }
    }

    fn dangling_warning(&mut self, doc: usize, ptr: &str, reference: &str, why: &str) {
        let help = if why.contains("--allow-remote-refs") {
            "pass --allow-remote-refs to follow refs to http(s) URLs"
        } else {
            "fix the ref or add the missing target; the node is treated as unknown"
        };
        let d = Diagnostic::warning(
            "spec-dangling-ref",
            format!("cannot resolve $ref `{reference}`: {why}"),
        )
        .in_file(self.docs[doc].name.clone())
        .at_pointer(join(ptr, "$ref"))
        .with_help(help);
        self.diags.push(d);
    }

    // ----- schemas -----------------------------------------------------------------

    /// The id of the schema at `v` (pointer `ptr` in document `doc`). Refs and every
    /// node already read are memoized by their target location.
    fn schema(&mut self, doc: usize, v: &Value, ptr: &str) -> SchemaId {
        if ref_of(v).is_some() {
            let Some(siblings) = v.as_object().and_then(Siblings::of) else {
                return self.ref_target(doc, v, ptr);
            };
            let addr = node_addr(v);
            if let Some(&id) = self.memo.get(&addr) {
                return id;
            }
            // Allocated and memoized before the target is resolved, like any node
            // (`apply_overlays` replaces all but the pointer).
            let id = self.memoized_placeholder(addr, &(doc, ptr.to_string()));
            let target = self.ref_target(doc, v, ptr);
            self.overlays.push(Overlay {
                id,
                target,
                siblings,
            });
            return id;
        }
        let addr = node_addr(v);
        if let Some(&id) = self.memo.get(&addr) {
            return id;
        }
        let id = self.memoized_placeholder(addr, &(doc, ptr.to_string()));
        self.fill_schema(id, doc, v, ptr, false);
        id
    }

    /// An empty schema for the node at `loc` (address `addr`), with its pointer and
    /// component name, memoized before it is filled so a cycle back to it ends there.
    fn memoized_placeholder(&mut self, addr: usize, loc: &Loc) -> SchemaId {
        let id = self.api.push_schema(Schema {
            pointer: self.pointer_name(loc),
            ref_name: self.component_name(loc),
            ..Schema::default()
        });
        self.memo.insert(addr, id);
        id
    }

    /// The shared id of the schema a `$ref` node `v` leads to (memoized by the target's
    /// address; filled later from `pending`), or a placeholder for a dangling ref.
    fn ref_target(&mut self, doc: usize, v: &Value, ptr: &str) -> SchemaId {
        match self.follow(doc, v, ptr) {
            Ok(Some(loc)) => {
                let docv = self.docs[loc.0].value.clone();
                let addr = node_addr(docv.pointer(&loc.1).unwrap_or(&Value::Null));
                if let Some(&id) = self.memo.get(&addr) {
                    return id;
                }
                let id = self.memoized_placeholder(addr, &loc);
                self.pending.push((id, loc));
                id
            }
            Ok(None) => unreachable_schema(&mut self.api),
            Err((r, why)) => {
                if let Some(&id) = self.dangling.get(&(doc, r.clone())) {
                    return id;
                }
                self.dangling_warning(doc, ptr, &r, &why);
                let mut placeholder = Schema {
                    pointer: ptr.to_string(),
                    ..Schema::default()
                };
                placeholder.extra_mut().dangling_ref = Some(r.clone());
                let id = self.api.push_schema(placeholder);
                self.dangling.insert((doc, r), id);
                id
            }
        }
    }

    /// Fills every overlay from its (now filled) target: a copy with the siblings on
    /// top, keeping the target's `ref_name` and children, and the overlay's own pointer;
    /// `overlay_of` records the target.
    fn apply_overlays(&mut self) {
        for o in std::mem::take(&mut self.overlays) {
            let mut s = self.api.schemas[o.target.0 as usize].clone();
            s.pointer = std::mem::take(&mut self.api.schemas[o.id.0 as usize].pointer);
            let sib = o.siblings;
            s.nullable |= sib.nullable;
            s.read_only |= sib.read_only;
            s.write_only |= sib.write_only;
            s.deprecated |= sib.deprecated;
            if sib.description.is_some() {
                s.description = sib.description;
            }
            put(&mut s, sib.title, |x| &mut x.title);
            put(&mut s, sib.default, |x| &mut x.default);
            put(&mut s, sib.sunset, |x| &mut x.sunset);
            put(&mut s, sib.stability, |x| &mut x.stability);
            s.extra_mut().overlay_of = Some(o.target);
            self.api.schemas[o.id.0 as usize] = s;
        }
    }

    /// Fills every schema queued by a ref, iteratively (no recursion across refs).
    fn drain_pending(&mut self) {
        while let Some((id, (d, p))) = self.pending.pop() {
            let docv = self.docs[d].value.clone();
            let v = docv.pointer(&p).unwrap_or(&Value::Null);
            self.fill_schema(id, d, v, &p, false);
        }
    }

    /// The pointer recorded in the model: plain for the root document, `file#pointer`
    /// for others.
    fn pointer_name(&self, loc: &Loc) -> String {
        if loc.0 == 0 {
            loc.1.clone()
        } else {
            format!("{}#{}", self.docs[loc.0].name, loc.1)
        }
    }

    fn component_name(&self, loc: &Loc) -> Option<String> {
        let rest = loc
            .1
            .strip_prefix("/components/schemas/")
            .or_else(|| loc.1.strip_prefix("/definitions/"))?;
        if rest.contains('/') {
            return None;
        }
        Some(rest.replace("~1", "/").replace("~0", "~"))
    }

    fn schema_list(&mut self, doc: usize, kw: &Keywords<'_>, key: Kw, ptr: &str) -> Vec<SchemaId> {
        let Some(v) = kw.get(key) else {
            return Vec::new();
        };
        let p = join(ptr, key.name());
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, s)| self.schema(doc, s, &join_i(&p, i)))
                .collect(),
            other => {
                self.malformed(doc, &p, "an array of schemas", other);
                Vec::new()
            }
        }
    }

    fn schema_map(
        &mut self,
        doc: usize,
        kw: &Keywords<'_>,
        key: Kw,
        ptr: &str,
    ) -> Vec<(String, SchemaId)> {
        let Some(v) = kw.get(key) else {
            return Vec::new();
        };
        let p = join(ptr, key.name());
        match v {
            Value::Object(m) => m
                .iter()
                .map(|(k, s)| (k.clone(), self.schema(doc, s, &join(&p, k))))
                .collect(),
            other => {
                self.malformed(doc, &p, "an object of schemas", other);
                Vec::new()
            }
        }
    }

    /// Reads the keywords of a schema object into the arena slot `id`. With `as_param`,
    /// the node is a Swagger 2.0 parameter or header whose own keys (`required: true`,
    /// `name`, `in`) are not schema keywords.
    ///
    /// Every keyword the table (`model::keyword::KEYWORDS`) marks `Read::Table` is read
    /// through its slot ([`Reader::read_slot`]); the rest, whose reading depends on the
    /// dialect or on other keywords, below by hand.
    fn fill_schema(&mut self, id: SchemaId, doc: usize, v: &Value, ptr: &str, as_param: bool) {
        let o = match v {
            Value::Object(o) => o,
            Value::Bool(true) => return,
            Value::Bool(false) => {
                let any = self.api.push_schema(Schema {
                    pointer: ptr.to_string(),
                    ..Schema::default()
                });
                self.api.schemas[id.0 as usize].extra_mut().not = Some(any);
                return;
            }
            other => {
                self.malformed(doc, ptr, "a schema object", other);
                return;
            }
        };
        let kw = Keywords::of(o);
        let mut s = Schema {
            pointer: std::mem::take(&mut self.api.schemas[id.0 as usize].pointer),
            ref_name: self.api.schemas[id.0 as usize].ref_name.take(),
            ..Schema::default()
        };
        for row in KEYWORDS {
            if row.read == Read::Table
                && let Some(value) = kw.get(row.kw)
            {
                self.read_slot(&mut s, doc, ptr, row, value);
            }
        }

        match kw.get(Kw::Type) {
            None => {}
            Some(Value::String(t)) => self.add_type(&mut s, doc, ptr, t),
            Some(Value::Array(ts)) => {
                for t in ts {
                    match t {
                        Value::String(t) => self.add_type(&mut s, doc, ptr, t),
                        other => self.malformed(doc, &join(ptr, "type"), "a type name", other),
                    }
                }
            }
            Some(other) => self.malformed(doc, &join(ptr, "type"), "a type name", other),
        }
        if kw.get(Kw::Nullable).and_then(Value::as_bool) == Some(true)
            || kw.get(Kw::XNullable).and_then(Value::as_bool) == Some(true)
        {
            s.nullable = true;
        }
        // `example`/`examples` are not read: no rule compares them, and copying them
        // (GitHub's are whole response bodies) was a large share of the load time.
        if let Some(e) = kw.get(Kw::Enum) {
            match e {
                Value::Array(a) => s.enum_values = Some(a.clone()),
                other => self.malformed(doc, &join(ptr, "enum"), "an array", other),
            }
        }
        if let Some(e) = kw.get(Kw::XExtensibleEnum) {
            match e {
                Value::Array(a) => s.extra_mut().extensible_enum = Some(a.clone()),
                other => self.malformed(doc, &join(ptr, "x-extensible-enum"), "an array", other),
            }
        }

        let props = self.schema_map(doc, &kw, Kw::Properties, ptr);
        s.properties = props.into_iter().collect::<IndexMap<_, _>>();
        if !as_param && let Some(r) = kw.get(Kw::Required) {
            match r {
                Value::Array(a) => {
                    for (i, n) in a.iter().enumerate() {
                        match n {
                            Value::String(n) => {
                                s.required.insert(n.clone());
                            }
                            other => self.malformed(
                                doc,
                                &join_i(&join(ptr, "required"), i),
                                "a property name",
                                other,
                            ),
                        }
                    }
                }
                other => self.malformed(
                    doc,
                    &join(ptr, "required"),
                    "an array of property names",
                    other,
                ),
            }
        }
        if let Some(Value::Object(m)) = kw.get(Kw::DependentRequired) {
            for (k, v) in m {
                let names = v
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|n| n.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                s.extra_mut().dependent_required.insert(k.clone(), names);
            }
        }
        // Draft-4 `dependencies`: arrays are dependentRequired, objects dependentSchemas.
        if let Some(Value::Object(m)) = kw.get(Kw::Dependencies) {
            let p = join(ptr, "dependencies");
            for (k, v) in m {
                if let Value::Array(a) = v {
                    let names = a
                        .iter()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect();
                    s.extra_mut().dependent_required.insert(k.clone(), names);
                } else {
                    let id = self.schema(doc, v, &join(&p, k));
                    s.extra_mut().dependent_schemas.insert(k.clone(), id);
                }
            }
        }

        match kw.get(Kw::Items) {
            None => {}
            Some(Value::Array(a)) => {
                // Draft-4 tuple form (and a common mistake, e.g. Slack's 2019 spec): keep
                // the entries as prefix items, but say so.
                self.warn(
                    doc,
                    &join(ptr, "items"),
                    "spec-malformed-node",
                    "expected a schema object under `items`, found an array; read as prefixItems"
                        .to_string(),
                );
                let p = join(ptr, "items");
                let prefix_items: Vec<SchemaId> = a
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.schema(doc, x, &join_i(&p, i)))
                    .collect();
                if !prefix_items.is_empty() {
                    s.extra_mut().prefix_items = prefix_items;
                }
            }
            Some(v) => s.items = Some(self.schema(doc, v, &join(ptr, "items"))),
        }
        if kw.get(Kw::PrefixItems).is_some() {
            let prefix_items = self.schema_list(doc, &kw, Kw::PrefixItems, ptr);
            // `prefixItems` replaces a tuple-form `items` read above, as before the split.
            if !prefix_items.is_empty() || s.extra.is_some() {
                s.extra_mut().prefix_items = prefix_items;
            }
        }

        // Read after `minimum`/`maximum` (table rows): 3.0's boolean form moves the bound.
        match kw.get(Kw::ExclusiveMinimum) {
            Some(Value::Bool(true)) => {
                // 3.0 form: the bound is `minimum`, now exclusive (no extra: no minimum).
                if let Some(x) = s.extra.as_deref_mut() {
                    x.exclusive_minimum = x.minimum.take();
                }
            }
            Some(Value::Number(n)) => put(&mut s, n.as_f64(), |x| &mut x.exclusive_minimum),
            Some(Value::Bool(false)) | None => {}
            Some(other) => self.malformed(
                doc,
                &join(ptr, "exclusiveMinimum"),
                "a number or a boolean",
                other,
            ),
        }
        match kw.get(Kw::ExclusiveMaximum) {
            Some(Value::Bool(true)) => {
                if let Some(x) = s.extra.as_deref_mut() {
                    x.exclusive_maximum = x.maximum.take();
                }
            }
            Some(Value::Number(n)) => put(&mut s, n.as_f64(), |x| &mut x.exclusive_maximum),
            Some(Value::Bool(false)) | None => {}
            Some(other) => self.malformed(
                doc,
                &join(ptr, "exclusiveMaximum"),
                "a number or a boolean",
                other,
            ),
        }
        match kw.get(Kw::Discriminator) {
            None => {}
            // Swagger 2.0 writes the property name as a plain string.
            Some(Value::String(p)) => {
                s.extra_mut().discriminator = Some(Discriminator {
                    property_name: p.clone(),
                    mapping: BTreeMap::new(),
                })
            }
            Some(Value::Object(d)) => {
                let mapping = d
                    .get("mapping")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                s.extra_mut().discriminator = Some(Discriminator {
                    property_name: d
                        .get("propertyName")
                        .and_then(scalar_string)
                        .unwrap_or_default(),
                    mapping,
                });
            }
            Some(other) => self.malformed(doc, &join(ptr, "discriminator"), "an object", other),
        }
        for (k, v) in o {
            if is_extension(k) && Kw::of(k).is_none() {
                s.extra_mut().extensions.insert(k.clone(), v.clone());
            }
        }
        self.api.schemas[id.0 as usize] = s;
    }

    /// Reads one table-driven keyword's `value` into `s` through the row's slot, or
    /// warns (and ignores it) when the value has the wrong JSON kind.
    fn read_slot(&mut self, s: &mut Schema, doc: usize, ptr: &str, row: &Keyword, value: &Value) {
        let at = || join(ptr, row.name);
        match row.slot {
            Slot::Count(_, set) => match as_u64(value) {
                Some(n) => set(s, n),
                None => self.malformed(doc, &at(), "a non-negative integer", value),
            },
            Slot::Number(_, set) => match value.as_f64() {
                Some(n) => set(s, n),
                None => self.malformed(doc, &at(), "a number", value),
            },
            Slot::Text(_, set) => match scalar_string(value) {
                Some(t) => set(s, t),
                None => self.malformed(doc, &at(), "a string", value),
            },
            Slot::Flag(_, set) => match value {
                Value::Bool(true) => set(s),
                Value::Bool(false) => {}
                other => self.malformed(doc, &at(), "a boolean", other),
            },
            Slot::Raw(_, set) => set(s, value.clone()),
            Slot::Sub(_, set) => {
                let id = self.schema(doc, value, &at());
                set(s, id);
            }
            Slot::List(_, set) => match value {
                Value::Array(items) => {
                    let p = at();
                    let ids = items
                        .iter()
                        .enumerate()
                        .map(|(i, x)| self.schema(doc, x, &join_i(&p, i)))
                        .collect();
                    set(s, ids);
                }
                other => self.malformed(doc, &at(), "an array of schemas", other),
            },
            Slot::Map(_, set) => match value {
                Value::Object(m) => {
                    let p = at();
                    let ids = m
                        .iter()
                        .map(|(k, x)| (k.clone(), self.schema(doc, x, &join(&p, k))))
                        .collect();
                    set(s, ids);
                }
                other => self.malformed(doc, &at(), "an object of schemas", other),
            },
            Slot::Open(_, set) => match value {
                Value::Bool(b) => set(s, AdditionalProperties::Bool(*b)),
                v => {
                    let id = self.schema(doc, v, &at());
                    set(s, AdditionalProperties::Schema(id));
                }
            },
            // Read by hand in `fill_schema`; never `Read::Table`.
            Slot::Special(_) => {}
        }
    }

    fn add_type(&mut self, s: &mut Schema, doc: usize, ptr: &str, t: &str) {
        if t == "null" {
            s.nullable = true;
        } else if t == "file" && self.version == SpecVersion::Swagger2 {
            s.types.insert(Type::String);
            s.format.get_or_insert_with(|| "binary".to_string());
        } else if let Some(t) = Type::parse(t) {
            s.types.insert(t);
        } else {
            self.warn(
                doc,
                &join(ptr, "type"),
                "spec-malformed-node",
                format!("unknown type `{t}`; ignored"),
            );
        }
    }

    /// A schema read from the keywords of a Swagger 2.0 parameter, header or items.
    fn inline_schema(&mut self, doc: usize, v: &Value, ptr: &str) -> SchemaId {
        let loc = (doc, ptr.to_string());
        if let Some(&id) = self.inline_memo.get(&loc) {
            return id;
        }
        let id = self.api.push_schema(Schema {
            pointer: self.pointer_name(&(doc, ptr.to_string())),
            ..Schema::default()
        });
        self.inline_memo.insert(loc, id);
        self.fill_schema(id, doc, v, ptr, true);
        id
    }

    // ----- paths and operations ----------------------------------------------------

    fn path_item(
        &mut self,
        doc: usize,
        template: &str,
        key_path: &str,
        item: &Value,
        ptr: &str,
        root: &Map<String, Value>,
    ) {
        let Some((doc, holder, ptr)) = self.deref_node(doc, item, ptr) else {
            return;
        };
        let item = holder.pointer(&ptr).unwrap_or(&Value::Null);
        let Some(o) = item.as_object() else {
            self.malformed(doc, &ptr, "a path item object", item);
            return;
        };
        let normalized = crate::model::normalize_path(key_path);
        let level_params = match get(o, "parameters") {
            Some(p) => self.parameters(doc, p, &join(&ptr, "parameters")),
            None => Vec::new(),
        };
        let sunset = get(o, "x-sunset").and_then(scalar_string);
        let entry = self
            .api
            .paths
            .entry(normalized.clone())
            .or_insert_with(|| PathItem {
                template: template.to_string(),
                pointer: ptr.clone(),
                parameters: BTreeSet::new(),
                sunset: sunset.clone(),
            });
        for p in &level_params {
            if let ParamOrBody::Param(k, _) = p {
                entry.parameters.insert(k.clone());
            }
        }
        for method in Method::ALL {
            let Some(op) = get(o, method.key()) else {
                continue;
            };
            let op_ptr = join(&ptr, method.key());
            let key = OpKey::new(method, key_path);
            if self.api.operations.contains_key(&key) {
                self.warn(
                    doc,
                    &op_ptr,
                    "spec-duplicate-operation",
                    format!(
                        "{} {template} is the same operation as an earlier path (parameter names are ignored); ignored",
                        method.as_str()
                    ),
                );
                continue;
            }
            if let Some(op) =
                self.operation(doc, method, template, op, &op_ptr, &level_params, root)
            {
                self.api.operations.insert(key, op);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        doc: usize,
        method: Method,
        template: &str,
        v: &Value,
        ptr: &str,
        level_params: &[ParamOrBody],
        root: &Map<String, Value>,
    ) -> Option<Operation> {
        let Some(o) = v.as_object() else {
            self.malformed(doc, ptr, "an operation object", v);
            return None;
        };
        let mut op = Operation {
            method,
            path: template.to_string(),
            pointer: ptr.to_string(),
            operation_id: get(o, "operationId").and_then(scalar_string),
            summary: get(o, "summary").and_then(scalar_string),
            description: get(o, "description").and_then(scalar_string),
            tags: o
                .get("tags")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(scalar_string).collect())
                .unwrap_or_default(),
            deprecated: get(o, "deprecated").and_then(Value::as_bool) == Some(true),
            sunset: get(o, "x-sunset").and_then(scalar_string),
            stability: get(o, "x-stability-level").and_then(scalar_string),
            parameters: IndexMap::new(),
            request_body: None,
            responses: BTreeMap::new(),
            security: None,
            extensions: o
                .iter()
                .filter(|(k, _)| {
                    is_extension(k) && !matches!(k.as_str(), "x-sunset" | "x-stability-level")
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        let own = match get(o, "parameters") {
            Some(p) => self.parameters(doc, p, &join(ptr, "parameters")),
            None => Vec::new(),
        };
        // Path-level first, then operation-level overriding by (in, name).
        let mut bodies: Vec<(String, Value2)> = Vec::new();
        let mut form: IndexMap<String, (String, usize, Rc<Value>, String, bool)> = IndexMap::new();
        for p in level_params.iter().chain(own.iter()) {
            match p {
                ParamOrBody::Param(k, param) => {
                    op.parameters.insert(k.clone(), param.clone());
                }
                ParamOrBody::Body {
                    ptr,
                    doc,
                    holder,
                    required,
                } => {
                    bodies.push((
                        ptr.clone(),
                        Value2 {
                            doc: *doc,
                            holder: holder.clone(),
                            required: *required,
                        },
                    ));
                }
                ParamOrBody::Form {
                    name,
                    ptr,
                    doc,
                    holder,
                    required,
                } => {
                    form.insert(
                        name.clone(),
                        (ptr.clone(), *doc, holder.clone(), ptr.clone(), *required),
                    );
                }
            }
        }
        if self.version == SpecVersion::Swagger2 {
            let consumes =
                media_list(get(o, "consumes")).or_else(|| media_list(root.get("consumes")));
            if let Some((bptr, b)) = bodies.pop() {
                let node = b.holder.pointer(&bptr).unwrap_or(&Value::Null);
                let schema = node
                    .get("schema")
                    .map(|s| self.schema(b.doc, s, &join(&bptr, "schema")));
                let types = consumes
                    .clone()
                    .unwrap_or_else(|| vec!["application/json".to_string()]);
                op.request_body = Some(RequestBody {
                    pointer: bptr.clone(),
                    required: b.required,
                    content: types
                        .into_iter()
                        .map(|t| {
                            (
                                t,
                                MediaType {
                                    pointer: bptr.clone(),
                                    schema,
                                },
                            )
                        })
                        .collect(),
                });
            } else if !form.is_empty() {
                let mut obj = Schema {
                    pointer: join(ptr, "parameters"),
                    ..Schema::default()
                };
                obj.types.insert(Type::Object);
                let mut any_file = false;
                let mut any_required = false;
                for (name, (pptr, d, holder, _, required)) in &form {
                    let node = holder.pointer(pptr).unwrap_or(&Value::Null);
                    any_file |= node.get("type").and_then(Value::as_str) == Some("file");
                    let id = self.inline_schema(*d, node, pptr);
                    obj.properties.insert(name.clone(), id);
                    if *required {
                        obj.required.insert(name.clone());
                        any_required = true;
                    }
                }
                let id = self.api.push_schema(obj);
                let types = consumes.unwrap_or_else(|| {
                    vec![if any_file {
                        "multipart/form-data".to_string()
                    } else {
                        "application/x-www-form-urlencoded".to_string()
                    }]
                });
                op.request_body = Some(RequestBody {
                    pointer: join(ptr, "parameters"),
                    required: any_required,
                    content: types
                        .into_iter()
                        .map(|t| {
                            (
                                t,
                                MediaType {
                                    pointer: join(ptr, "parameters"),
                                    schema: Some(id),
                                },
                            )
                        })
                        .collect(),
                });
            }
        } else if let Some(rb) = get(o, "requestBody") {
            op.request_body = self.request_body(doc, rb, &join(ptr, "requestBody"));
        }
        match get(o, "responses") {
            Some(Value::Object(rs)) => {
                let produces =
                    media_list(get(o, "produces")).or_else(|| media_list(root.get("produces")));
                let rptr = join(ptr, "responses");
                for (code, r) in rs {
                    if is_extension(code) {
                        continue;
                    }
                    if let Some(resp) =
                        self.response(doc, r, &join(&rptr, code), produces.as_deref())
                    {
                        op.responses.insert(code.clone(), resp);
                    }
                }
            }
            Some(other) => self.malformed(doc, &join(ptr, "responses"), "an object", other),
            None => {}
        }
        if let Some(sec) = get(o, "security") {
            op.security = Some(self.security_requirements(doc, sec, &join(ptr, "security")));
        }
        Some(op)
    }

    fn parameters(&mut self, doc: usize, v: &Value, ptr: &str) -> Vec<ParamOrBody> {
        let Some(list) = v.as_array() else {
            self.malformed(doc, ptr, "an array of parameters", v);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let pp = join_i(ptr, i);
            let Some((d, holder, pp)) = self.deref_node(doc, p, &pp) else {
                continue;
            };
            let node = holder.pointer(&pp).unwrap_or(&Value::Null);
            let Some(o) = node.as_object() else {
                self.malformed(d, &pp, "a parameter object", node);
                continue;
            };
            let name = get(o, "name").and_then(scalar_string).unwrap_or_default();
            let loc = get(o, "in").and_then(Value::as_str).unwrap_or("");
            let required = get(o, "required").and_then(Value::as_bool) == Some(true);
            // Body and form parameters need the node again later; keep a handle.
            let holder_rc = || (d, holder.clone(), pp.clone());
            match loc {
                "body" if self.version == SpecVersion::Swagger2 => {
                    let (d, h, p2) = holder_rc();
                    out.push(ParamOrBody::Body {
                        ptr: p2,
                        doc: d,
                        holder: h,
                        required,
                    });
                    continue;
                }
                "formData" if self.version == SpecVersion::Swagger2 => {
                    let (d, h, p2) = holder_rc();
                    out.push(ParamOrBody::Form {
                        name,
                        ptr: p2,
                        doc: d,
                        holder: h,
                        required,
                    });
                    continue;
                }
                _ => {}
            }
            let Some(location) = ParamIn::parse(loc) else {
                self.warn(
                    d,
                    &join(&pp, "in"),
                    "spec-malformed-node",
                    format!("unknown parameter location `{loc}`; parameter ignored"),
                );
                continue;
            };
            if name.is_empty() {
                self.warn(
                    d,
                    &pp,
                    "spec-malformed-node",
                    "parameter without a name; ignored".to_string(),
                );
                continue;
            }
            let (schema, content_media_type) = if let Some(s) = get(o, "schema") {
                (Some(self.schema(d, s, &join(&pp, "schema"))), None)
            } else if let Some(Value::Object(c)) = get(o, "content") {
                match c.iter().next() {
                    Some((mt, m)) => {
                        let mp = join(&join(&pp, "content"), mt);
                        let s = m
                            .get("schema")
                            .map(|s| self.schema(d, s, &join(&mp, "schema")));
                        (s, Some(mt.to_ascii_lowercase()))
                    }
                    None => (None, None),
                }
            } else if self.version == SpecVersion::Swagger2 && o.contains_key("type") {
                (Some(self.inline_schema(d, node, &pp)), None)
            } else {
                (None, None)
            };
            let key_name = if location == ParamIn::Header {
                name.to_ascii_lowercase()
            } else {
                name.clone()
            };
            let key = ParamKey {
                location,
                name: key_name,
            };
            let param = Parameter {
                name,
                location,
                pointer: self.pointer_name(&(d, pp.clone())),
                required: required || location == ParamIn::Path,
                deprecated: get(o, "deprecated").and_then(Value::as_bool) == Some(true),
                sunset: get(o, "x-sunset").and_then(scalar_string),
                allow_empty_value: get(o, "allowEmptyValue").and_then(Value::as_bool) == Some(true),
                style: get(o, "style").and_then(scalar_string),
                explode: get(o, "explode").and_then(Value::as_bool),
                schema,
                content_media_type,
            };
            out.push(ParamOrBody::Param(key, param));
        }
        out
    }

    fn content(&mut self, doc: usize, v: &Value, ptr: &str) -> BTreeMap<String, MediaType> {
        let Some(m) = v.as_object() else {
            self.malformed(doc, ptr, "an object of media types", v);
            return BTreeMap::new();
        };
        let mut out = BTreeMap::new();
        for (mt, media) in m {
            let mp = join(ptr, mt);
            let schema = match media {
                Value::Object(mo) => mo
                    .get("schema")
                    .map(|s| self.schema(doc, s, &join(&mp, "schema"))),
                other => {
                    self.malformed(doc, &mp, "a media type object", other);
                    None
                }
            };
            out.insert(
                mt.to_ascii_lowercase(),
                MediaType {
                    pointer: self.pointer_name(&(doc, mp)),
                    schema,
                },
            );
        }
        out
    }

    fn request_body(&mut self, doc: usize, v: &Value, ptr: &str) -> Option<RequestBody> {
        let (d, holder, p) = self.deref_node(doc, v, ptr)?;
        let node = holder.pointer(&p).unwrap_or(&Value::Null);
        let Some(o) = node.as_object() else {
            self.malformed(d, &p, "a request body object", node);
            return None;
        };
        let content = match get(o, "content") {
            Some(c) => self.content(d, c, &join(&p, "content")),
            None => BTreeMap::new(),
        };
        Some(RequestBody {
            pointer: self.pointer_name(&(d, p)),
            required: get(o, "required").and_then(Value::as_bool) == Some(true),
            content,
        })
    }

    fn response(
        &mut self,
        doc: usize,
        v: &Value,
        ptr: &str,
        produces: Option<&[String]>,
    ) -> Option<Response> {
        let (d, holder, p) = self.deref_node(doc, v, ptr)?;
        let node = holder.pointer(&p).unwrap_or(&Value::Null);
        let Some(o) = node.as_object() else {
            self.malformed(d, &p, "a response object", node);
            return None;
        };
        let mut resp = Response {
            pointer: self.pointer_name(&(d, p.clone())),
            description: get(o, "description").and_then(scalar_string),
            content: BTreeMap::new(),
            headers: BTreeMap::new(),
        };
        if self.version == SpecVersion::Swagger2 {
            if let Some(s) = get(o, "schema") {
                let id = self.schema(d, s, &join(&p, "schema"));
                let types = produces
                    .map(<[String]>::to_vec)
                    .unwrap_or_else(|| vec!["application/json".to_string()]);
                for t in types {
                    resp.content.insert(
                        t,
                        MediaType {
                            pointer: self.pointer_name(&(d, join(&p, "schema"))),
                            schema: Some(id),
                        },
                    );
                }
            }
        } else if let Some(c) = get(o, "content") {
            resp.content = self.content(d, c, &join(&p, "content"));
        }
        if let Some(h) = get(o, "headers") {
            let hp = join(&p, "headers");
            match h.as_object() {
                Some(hs) => {
                    for (name, hv) in hs {
                        if let Some(header) = self.header(d, name, hv, &join(&hp, name)) {
                            resp.headers.insert(name.to_ascii_lowercase(), header);
                        }
                    }
                }
                None => self.malformed(d, &hp, "an object of headers", h),
            }
        }
        Some(resp)
    }

    fn header(&mut self, doc: usize, name: &str, v: &Value, ptr: &str) -> Option<Header> {
        let (d, holder, p) = self.deref_node(doc, v, ptr)?;
        let node = holder.pointer(&p).unwrap_or(&Value::Null);
        let Some(o) = node.as_object() else {
            self.malformed(d, &p, "a header object", node);
            return None;
        };
        let schema = if let Some(s) = get(o, "schema") {
            Some(self.schema(d, s, &join(&p, "schema")))
        } else if let Some(Value::Object(c)) = get(o, "content") {
            c.iter().next().and_then(|(mt, m)| {
                let mp = join(&join(&p, "content"), mt);
                m.get("schema")
                    .map(|s| self.schema(d, s, &join(&mp, "schema")))
            })
        } else if self.version == SpecVersion::Swagger2 && o.contains_key("type") {
            Some(self.inline_schema(d, node, &p))
        } else {
            None
        };
        Some(Header {
            pointer: self.pointer_name(&(d, p)),
            name: name.to_string(),
            required: get(o, "required").and_then(Value::as_bool) == Some(true),
            deprecated: get(o, "deprecated").and_then(Value::as_bool) == Some(true),
            schema,
        })
    }

    // ----- security ----------------------------------------------------------------

    fn security_schemes(&mut self, root: &Map<String, Value>) {
        let (ptr, schemes) = match self.version {
            SpecVersion::Swagger2 => (
                "/securityDefinitions".to_string(),
                root.get("securityDefinitions"),
            ),
            _ => (
                "/components/securitySchemes".to_string(),
                root.get("components")
                    .and_then(|c| c.get("securitySchemes")),
            ),
        };
        let Some(schemes) = schemes else {
            return;
        };
        let Some(map) = schemes.as_object() else {
            self.malformed(0, &ptr, "an object", schemes);
            return;
        };
        for (name, v) in map {
            let sp = join(&ptr, name);
            let Some((d, holder, p)) = self.deref_node(0, v, &sp) else {
                continue;
            };
            let node = holder.pointer(&p).unwrap_or(&Value::Null);
            let Some(o) = node.as_object() else {
                self.malformed(d, &p, "a security scheme object", node);
                continue;
            };
            let s = |k: &str| get(o, k).and_then(scalar_string);
            let mut kind = s("type").unwrap_or_default();
            let mut scheme = s("scheme").map(|x| x.to_ascii_lowercase());
            if kind == "basic" {
                kind = "http".to_string();
                scheme = Some("basic".to_string());
            }
            let mut flows = BTreeMap::new();
            if self.version == SpecVersion::Swagger2 && kind == "oauth2" {
                let flow_name = match s("flow").as_deref() {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    _ => "unknown",
                };
                flows.insert(flow_name.to_string(), read_flow(o));
            } else if let Some(Value::Object(fs)) = get(o, "flows") {
                for (fname, f) in fs {
                    if let Some(fo) = f.as_object() {
                        flows.insert(fname.clone(), read_flow(fo));
                    }
                }
            }
            let sch = SecurityScheme {
                pointer: self.pointer_name(&(d, p.clone())),
                kind,
                scheme,
                api_key_in: s("in"),
                api_key_name: s("name"),
                open_id_connect_url: s("openIdConnectUrl"),
                flows,
            };
            self.api.security_schemes.insert(name.clone(), sch);
        }
    }

    fn security_requirements(
        &mut self,
        doc: usize,
        v: &Value,
        ptr: &str,
    ) -> Vec<SecurityRequirement> {
        let Some(list) = v.as_array() else {
            self.malformed(doc, ptr, "an array of security requirements", v);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, req) in list.iter().enumerate() {
            let Some(o) = req.as_object() else {
                self.malformed(doc, &join_i(ptr, i), "a security requirement object", req);
                continue;
            };
            out.push(
                o.iter()
                    .map(|(k, scopes)| {
                        let set = scopes
                            .as_array()
                            .map(|a| a.iter().filter_map(scalar_string).collect())
                            .unwrap_or_default();
                        (k.clone(), set)
                    })
                    .collect(),
            );
        }
        out
    }
}

fn read_flow(o: &Map<String, Value>) -> OAuthFlow {
    let s = |k: &str| get(o, k).and_then(scalar_string);
    OAuthFlow {
        authorization_url: s("authorizationUrl"),
        token_url: s("tokenUrl"),
        refresh_url: s("refreshUrl"),
        scopes: o
            .get("scopes")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), scalar_string(v).unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A `$ref` node with siblings: `id` becomes a copy of `target` with `siblings` on top.
struct Overlay {
    id: SchemaId,
    target: SchemaId,
    siblings: Siblings,
}

/// The siblings of a `$ref` that change what a consumer sees (see the module doc).
#[derive(Default)]
struct Siblings {
    nullable: bool,
    read_only: bool,
    write_only: bool,
    deprecated: bool,
    title: Option<String>,
    description: Option<String>,
    default: Option<Value>,
    sunset: Option<String>,
    stability: Option<String>,
}

impl Siblings {
    /// The siblings of the `$ref` object `o`; `None` when none has an effect (a boolean
    /// `false` does not clear what the target sets).
    fn of(o: &Map<String, Value>) -> Option<Siblings> {
        if o.len() == 1 {
            return None;
        }
        let mut s = Siblings::default();
        for (k, v) in o {
            let yes = v.as_bool() == Some(true);
            match k.as_str() {
                "nullable" | "x-nullable" if yes => s.nullable = true,
                "readOnly" if yes => s.read_only = true,
                "writeOnly" if yes => s.write_only = true,
                "deprecated" if yes => s.deprecated = true,
                "title" => s.title = scalar_string(v),
                "description" => s.description = scalar_string(v),
                "x-sunset" => s.sunset = scalar_string(v),
                "x-stability-level" => s.stability = scalar_string(v),
                "default" => s.default = Some(v.clone()),
                _ => {}
            }
        }
        let any = s.nullable
            || s.read_only
            || s.write_only
            || s.deprecated
            || s.title.is_some()
            || s.description.is_some()
            || s.default.is_some()
            || s.sunset.is_some()
            || s.stability.is_some();
        any.then_some(s)
    }
}

/// A body parameter's node handle, kept until the operation's consumes are known.
struct Value2 {
    doc: usize,
    holder: Rc<Value>,
    required: bool,
}

enum ParamOrBody {
    Param(ParamKey, Parameter),
    Body {
        ptr: String,
        doc: usize,
        holder: Rc<Value>,
        required: bool,
    },
    Form {
        name: String,
        ptr: String,
        doc: usize,
        holder: Rc<Value>,
        required: bool,
    },
}

fn media_list(v: Option<&Value>) -> Option<Vec<String>> {
    let a = v?.as_array()?;
    let list: Vec<String> = a
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_ascii_lowercase)
        .collect();
    (!list.is_empty()).then_some(list)
}

/// A key lookup that scans small objects instead of hashing: schema objects have a
/// handful of keys and the reader asks each for ~50 keywords.
fn get<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if o.len() <= 16 {
        o.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        o.get(key)
    }
}

/// The values of one schema object's keywords, by `Kw`.
struct Keywords<'a>([Option<&'a Value>; KW_COUNT]);

impl<'a> Keywords<'a> {
    fn of(o: &'a Map<String, Value>) -> Keywords<'a> {
        let mut slots = [None; KW_COUNT];
        for (k, v) in o {
            if let Some(kw) = Kw::of(k) {
                slots[kw as usize] = Some(v);
            }
        }
        Keywords(slots)
    }

    fn get(&self, k: Kw) -> Option<&'a Value> {
        self.0[k as usize]
    }
}

/// Drops subtrees the reader never reads before the walk, so the parsed tree is smaller
/// while the model is built: top-level `x-` extensions (GitHub's `x-webhooks` is 8% of
/// its spec) and `components/examples` (OpenAPI 3; GitHub's is a fifth). A subtree stays
/// when `text` (the document) holds a `$ref`-like `#/<its pointer>`, so a ref into it
/// resolves as before. Runs before any node is memoized by address.
pub(super) fn prune_unread(root: &mut Value, text: &str, in_background: bool) {
    let Value::Object(obj) = root else {
        return;
    };
    let referenced = |pointer: &str| text.contains(&format!("#{pointer}"));
    let mut dropped: Vec<Value> = Vec::new();
    let unread: Vec<String> = obj
        .keys()
        .filter(|k| is_extension(k) && !referenced(&format!("/{k}")))
        .cloned()
        .collect();
    for k in unread {
        dropped.extend(obj.shift_remove(&k));
    }
    if let Some(Value::Object(components)) = obj.get_mut("components")
        && !referenced("/components/examples")
    {
        dropped.extend(components.shift_remove("examples"));
    }
    if in_background && !dropped.is_empty() {
        // A failed spawn returns the values to be dropped here.
        let _ = std::thread::Builder::new()
            .name("apidrift-free".to_string())
            .spawn(move || drop(dropped));
    }
}

fn ref_of(v: &Value) -> Option<&str> {
    v.as_object()?.get("$ref")?.as_str()
}

fn node_addr(v: &Value) -> usize {
    v as *const Value as usize
}

/// Stores a rarely present keyword in `s.extra`, allocating it only when the keyword
/// is present (a `None` never allocates).
fn put<T>(s: &mut Schema, v: Option<T>, field: fn(&mut SchemaExtra) -> &mut Option<T>) {
    if let Some(v) = v {
        *field(s.extra_mut()) = Some(v);
    }
}

/// Never reached (a `$ref` node always follows to `Some` or `Err`); an empty schema keeps
/// the reader total without a panic.
fn unreachable_schema(api: &mut Api) -> SchemaId {
    api.push_schema(Schema::default())
}

/// Decodes `%XX` escapes in a ref fragment (JSON Pointers inside URIs are encoded).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_drops_unread_subtrees_unless_a_ref_points_into_them() {
        let text = r##"{"openapi":"3.0.3","x-webhooks":{"a":1},"x-kept":{"b":2},
            "components":{"examples":{"e":{}},"schemas":{"S":{"$ref":"#/x-kept/b"}}}}"##;
        let mut v: Value = serde_json::from_str(text).unwrap();
        prune_unread(&mut v, text, false);
        assert!(v.get("x-webhooks").is_none());
        assert!(v.get("x-kept").is_some(), "a ref points into x-kept");
        assert!(v["components"].get("examples").is_none());
        assert!(v["components"].get("schemas").is_some());

        let text = r##"{"openapi":"3.0.3","components":{"examples":{"e":{}},
            "schemas":{"S":{"$ref":"#/components/examples/e"}}}}"##;
        let mut v: Value = serde_json::from_str(text).unwrap();
        prune_unread(&mut v, text, false);
        assert!(v["components"].get("examples").is_some());
    }
}
