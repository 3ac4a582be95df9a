//! Flattening: each site of an operation (parameter, request body per media type, 2xx and
//! 4xx response body per status and media type, response header) becomes a map from
//! property path to the facts a value there can have.
//!
//! Owns: `Site`, `Facts`, `Entry`, `flatten`. Must not: use anything of `apidrift::diff`
//! (this is the independent side of the oracle); it reads the `model` only.
//!
//! Brute force on purpose: no memo, no hop counting. Bounds: a depth cap
//! (`MAX_DEPTH` property steps), a per-operation cap on locations (`MAX_LOCATIONS_PER_OP`;
//! the walk is breadth-first and stops before a level that would exceed it, so what is
//! kept is every location up to some depth), a cap on the alternatives of one location
//! (`MAX_VARIANTS`), and a cycle stop (a `SchemaId` already on the current path is not
//! entered again: the location is recorded, its children are not).
//!
//! How a location's value is described: its schemas are expanded into *variants*, each a
//! conjunction of schema ids (the schema itself and its `allOf` members, recursively),
//! one variant per combination of `oneOf`/`anyOf` branches. A conjunction's facts
//! intersect (types, enum) or take the tightest bound; the location's facts are the union
//! over variants (the loosest bound; unbounded enum when one variant is). Branches add no
//! path step, so a property reached through `oneOf` has the same path as a direct one.

use apidrift::model::{
    AdditionalProperties, Api, Operation, ParamIn, Schema, SchemaId, SpecVersion, Type,
};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Deepest property path flattened (steps: `.name`, `[]`, `.*`).
pub const MAX_DEPTH: usize = 8;
/// Most locations (over all sites) kept for one operation on one side.
pub const MAX_LOCATIONS_PER_OP: usize = 5_000;
/// Most variants (combinations of `oneOf`/`anyOf` branches) of one location.
pub const MAX_VARIANTS: usize = 64;
/// Deepest nesting of `allOf`/`oneOf`/`anyOf` expanded at one location.
const MAX_EXPAND_DEPTH: usize = 16;

/// Who writes the values at a site: the client (request) or the server (response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dir {
    Request,
    Response,
}

/// One schema site of an operation. Keys are equal across the two sides when the diff
/// would match them: parameters on (location, name) with header names lowercased (the
/// model's `ParamKey`), path parameters on their position in the template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Site {
    Param { location: ParamIn, key: String },
    RequestBody { media_type: String },
    ResponseBody { status: String, media_type: String },
    ResponseHeader { status: String, name: String },
}

impl Site {
    pub fn dir(&self) -> Dir {
        match self {
            Site::Param { .. } | Site::RequestBody { .. } => Dir::Request,
            Site::ResponseBody { .. } | Site::ResponseHeader { .. } => Dir::Response,
        }
    }

    pub fn status(&self) -> Option<&str> {
        match self {
            Site::ResponseBody { status, .. } | Site::ResponseHeader { status, .. } => Some(status),
            _ => None,
        }
    }
}

/// Which numeric bound (index into `Facts::bounds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Minimum,
    Maximum,
    ExclusiveMinimum,
    ExclusiveMaximum,
    MinLength,
    MaxLength,
    MinItems,
    MaxItems,
}

impl Bound {
    pub const ALL: [Bound; 8] = [
        Bound::Minimum,
        Bound::Maximum,
        Bound::ExclusiveMinimum,
        Bound::ExclusiveMaximum,
        Bound::MinLength,
        Bound::MaxLength,
        Bound::MinItems,
        Bound::MaxItems,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Bound::Minimum => "minimum",
            Bound::Maximum => "maximum",
            Bound::ExclusiveMinimum => "exclusiveMinimum",
            Bound::ExclusiveMaximum => "exclusiveMaximum",
            Bound::MinLength => "minLength",
            Bound::MaxLength => "maxLength",
            Bound::MinItems => "minItems",
            Bound::MaxItems => "maxItems",
        }
    }

    /// A lower bound: raising it accepts fewer values.
    pub fn is_lower(self) -> bool {
        matches!(
            self,
            Bound::Minimum | Bound::ExclusiveMinimum | Bound::MinLength | Bound::MinItems
        )
    }

    /// The types the bound constrains (a bound on a variant of another type is moot).
    pub fn applies_to(self, t: Type) -> bool {
        match self {
            Bound::Minimum | Bound::Maximum | Bound::ExclusiveMinimum | Bound::ExclusiveMaximum => {
                matches!(t, Type::Integer | Type::Number)
            }
            Bound::MinLength | Bound::MaxLength => t == Type::String,
            Bound::MinItems | Bound::MaxItems => t == Type::Array,
        }
    }

    /// The bound a schema sets, the tighter of its keyword and what its integer
    /// `format` allows (`int32` holds no value above 2147483647, keyword or not).
    fn of(self, s: &Schema) -> Option<f64> {
        let x = s.extra();
        let format = match s.format.as_deref() {
            Some("int32") => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
            Some("int64") => Some((i64::MIN as f64, i64::MAX as f64)),
            _ => None,
        };
        let tighter = |k: Option<f64>, f: Option<f64>, lower: bool| match (k, f) {
            (Some(k), Some(f)) => Some(if lower { k.max(f) } else { k.min(f) }),
            (k, f) => k.or(f),
        };
        match self {
            Bound::Minimum => tighter(x.minimum, format.map(|f| f.0), true),
            Bound::Maximum => tighter(x.maximum, format.map(|f| f.1), false),
            Bound::ExclusiveMinimum => x.exclusive_minimum,
            Bound::ExclusiveMaximum => x.exclusive_maximum,
            Bound::MinLength => x.min_length.map(|v| v as f64),
            Bound::MaxLength => x.max_length.map(|v| v as f64),
            Bound::MinItems => x.min_items.map(|v| v as f64),
            Bound::MaxItems => x.max_items.map(|v| v as f64),
        }
    }
}

/// What a value at one location can be.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// JSON types (`None` = any; `Some(empty)` = only null, or nothing).
    pub types: Option<BTreeSet<Type>>,
    pub nullable: bool,
    /// Required where that means something: a property (required in every alternative
    /// of its parent that can be an object; for requests a `readOnly` property is not,
    /// for responses a `writeOnly` one is not), a parameter, a header, a request body.
    /// `None` for array items, `additionalProperties` and response bodies.
    pub required: Option<bool>,
    /// For a property: declared by every alternative of its parent that can be an
    /// object (false when a `oneOf` branch lacks it, so a reader may meet that variant).
    pub in_every_branch: Option<bool>,
    /// Enum values as compact JSON (`None` = unbounded); `const` counts as one value.
    pub enum_values: Option<BTreeSet<String>>,
    pub read_only: bool,
    pub write_only: bool,
    /// Formats over the alternatives, each as `types:format` (`integer:int64`;
    /// `integer:` for an alternative without `format`).
    pub formats: BTreeSet<String>,
    /// Indexed by `Bound as usize`.
    pub bounds: [Option<f64>; 8],
    /// Parameters only: effective `style` and `explode` (defaults applied).
    pub style: Option<String>,
    pub explode: Option<bool>,
    /// The type is `object` only because `properties` (or an `additionalProperties`
    /// schema) say so, with no `type` written: JSON Schema reads that as "any value,
    /// objects constrained", a generator as "an object"; against "any" it is neither
    /// a narrowing nor a widening.
    pub implied_object: bool,
    /// Every alternative that can be an object says `additionalProperties: false`
    /// (an absent `*` child is then "nothing", else "any value").
    pub closed: bool,
}

/// The named components on the way to a location, as a chain shared by the locations
/// below: each link holds the components entered at one location (the byte length of
/// that location's path, so the path relative to the component is the rest of a
/// descendant's path).
#[derive(Debug)]
pub struct Chain<'a> {
    entries: Vec<(&'a str, usize)>,
    next: Option<Rc<Chain<'a>>>,
}

/// One flattened location.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub facts: Facts,
    /// Components entered at this location (over all its variants).
    own: Vec<&'a str>,
    /// Components entered above it.
    above: Option<Rc<Chain<'a>>>,
    /// Some location on the way (this one included) has more than one variant.
    pub alt: bool,
    /// For requests: this location or an ancestor is `readOnly` (the client does not
    /// send it); for responses: `writeOnly` (the server does not return it).
    pub inert: bool,
    pub depth: usize,
    /// The signatures of this location's variants (null-only ones left out).
    pub sigs: Vec<Sig<'a>>,
    /// For a property: the signatures of the parent's variants that declare it.
    pub declared_by: Vec<Sig<'a>>,
    /// Those variants with the property's schemas under each (for [`Flat::facts_under`]).
    pub declared_ids: Vec<(Sig<'a>, Vec<SchemaId>)>,
    /// Its variants (or an ancestor's) were cut at `MAX_VARIANTS`: its facts are a
    /// sample's, not compared.
    pub capped: bool,
    /// Marked `deprecated` (the parameter or header, or a schema declared here).
    pub deprecated: bool,
}

/// What identifies a variant across two versions: the component names of its schemas,
/// sorted (`None` when it has no named schema, so it cannot be matched).
pub type Sig<'a> = Option<Vec<&'a str>>;

fn sig<'a>(api: &'a Api, variant: &[SchemaId]) -> Sig<'a> {
    let mut v: Vec<&str> = variant
        .iter()
        .filter_map(|id| api.schema(*id).ref_name.as_deref())
        .collect();
    v.sort_unstable();
    v.dedup();
    (!v.is_empty()).then_some(v)
}

impl Entry<'_> {
    /// (component name, path relative to where that component was entered) for every
    /// named component on the way to this location at `path`.
    pub fn comps(&self, path: &str) -> BTreeSet<(String, String)> {
        let mut out: BTreeSet<(String, String)> = self
            .own
            .iter()
            .map(|c| (c.to_string(), String::new()))
            .collect();
        let mut link = self.above.as_deref();
        while let Some(l) = link {
            for &(c, at) in &l.entries {
                let rel = path.get(at..).unwrap_or("");
                out.insert((
                    c.to_string(),
                    rel.strip_prefix('.').unwrap_or(rel).to_string(),
                ));
            }
            link = l.next.as_deref();
        }
        out
    }
}

/// One side of one operation, flattened.
#[derive(Debug, Default)]
pub struct Flat<'a> {
    pub api: Option<&'a Api>,
    /// Site → property path → entry.
    pub locs: BTreeMap<Site, BTreeMap<String, Entry<'a>>>,
    /// Parameter sites: the name as written on this side.
    pub names: BTreeMap<Site, String>,
    /// Every location of depth <= this is present (less than `MAX_DEPTH` when the
    /// location cap stopped the walk).
    pub complete_depth: usize,
    /// The location cap stopped the walk.
    pub truncated: bool,
    /// Some location had more variants than `MAX_VARIANTS` (the rest were dropped).
    pub variants_capped: usize,
    /// Locations whose children were not walked because a schema repeated (cycles).
    pub cycle_stops: usize,
    /// Locations at `MAX_DEPTH` that had children.
    pub depth_stops: usize,
    /// Locations kept.
    pub count: usize,
}

impl<'a> Flat<'a> {
    /// The facts `e` has under the parent variants `sigs` only (those of them that
    /// declare it), `None` when one of `sigs` is unnamed or declares it nowhere here.
    pub fn facts_under(&self, e: &Entry<'a>, sigs: &[Sig<'a>]) -> Option<Facts> {
        let api = self.api?;
        let mut conjs = Vec::new();
        for s in sigs {
            s.as_ref()?;
            let (_, ids) = e.declared_ids.iter().find(|(g, _)| g == s)?;
            for v in expand(api, ids).0 {
                conjs.push(conj(api, &v, ids));
            }
        }
        Some(facts_of(&conjs))
    }

    /// Per variant of the parent of `e` that declares it: the signatures of the
    /// variants `e` has under it.
    pub fn variants_by(&self, e: &Entry<'a>) -> Vec<(Sig<'a>, BTreeSet<Sig<'a>>)> {
        let Some(api) = self.api else {
            return Vec::new();
        };
        e.declared_ids
            .iter()
            .map(|(s, ids)| {
                let sigs = expand(api, ids).0.iter().map(|v| sig(api, v)).collect();
                (s.clone(), sigs)
            })
            .collect()
    }

    pub fn get(&self, site: &Site, path: &str) -> Option<&Entry<'a>> {
        self.locs.get(site)?.get(path)
    }

    /// Every (site, path, entry).
    pub fn iter(&self) -> impl Iterator<Item = (&Site, &String, &Entry<'a>)> {
        self.locs
            .iter()
            .flat_map(|(s, m)| m.iter().map(move |(p, e)| (s, p, e)))
    }
}

/// Names of the path parameters of a template, in order (`/a/{x}/b/{y}` → x, y).
pub fn path_param_names(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// `style` and `explode` with the defaults of OpenAPI 3 for the location.
fn effective_style(
    location: ParamIn,
    style: Option<&str>,
    explode: Option<bool>,
) -> (String, bool) {
    let style = style.map(str::to_string).unwrap_or_else(|| {
        match location {
            ParamIn::Query | ParamIn::Cookie => "form",
            ParamIn::Path | ParamIn::Header => "simple",
        }
        .to_string()
    });
    let explode = explode.unwrap_or(style == "form");
    (style, explode)
}

/// The facts of one conjunction (a variant): its members' own keywords combined.
#[derive(Debug, Default)]
struct Conj<'a> {
    types: Option<BTreeSet<Type>>,
    nullable: bool,
    enum_values: Option<BTreeSet<String>>,
    read_only: bool,
    write_only: bool,
    format: String,
    bounds: [Option<f64>; 8],
    props: BTreeMap<&'a str, Vec<SchemaId>>,
    required: BTreeSet<&'a str>,
    items: Vec<SchemaId>,
    additional: Vec<SchemaId>,
    closed: bool,
    /// Some member has a written `type`.
    typed: bool,
}

impl Conj<'_> {
    /// Only null (or nothing at all): no value of any JSON type besides null.
    fn is_null_only(&self) -> bool {
        self.types.as_ref().is_some_and(BTreeSet::is_empty)
    }

    fn can_be_object(&self) -> bool {
        self.types
            .as_ref()
            .is_none_or(|t| t.contains(&Type::Object))
    }
}

/// `{type: null}`, or `{nullable: true}` with nothing else (the two read the same).
fn null_shape(s: &Schema) -> bool {
    s.nullable && says_nothing_else(s)
}

/// `{}`: a schema that admits every value.
fn empty_schema(s: &Schema) -> bool {
    !s.nullable && says_nothing_else(s) && Bound::ALL.iter().all(|&b| b.of(s).is_none())
}

/// No type, property, item, enum, composition, `additionalProperties`, format or
/// `const` (`nullable` and bounds aside).
fn says_nothing_else(s: &Schema) -> bool {
    s.types.is_empty()
        && s.properties.is_empty()
        && s.items.is_none()
        && s.enum_values.is_none()
        && s.all_of.is_empty()
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.additional_properties.is_none()
        && s.format.is_none()
        && s.extra().const_value.is_none()
}

/// A schema's own type constraint. Without `type`, properties (or an
/// `additionalProperties` schema) mean object and `items` means array, as every code
/// generator reads them; a strict JSON Schema reading would make each added
/// `type: object` a request narrowing, which no client sees.
fn own_types(s: &Schema) -> Option<BTreeSet<Type>> {
    if !s.types.is_empty() {
        return Some(s.types.clone());
    }
    if !s.properties.is_empty()
        || matches!(
            s.additional_properties,
            Some(AdditionalProperties::Schema(_))
        )
    {
        return Some([Type::Object].into());
    }
    if s.items.is_some() {
        return Some([Type::Array].into());
    }
    None
}

/// Does type set `a` (None = any) admit type `t`? `number` admits integers.
pub fn admits(a: &Option<BTreeSet<Type>>, t: Type) -> bool {
    match a {
        None => true,
        Some(a) => a.contains(&t) || (t == Type::Integer && a.contains(&Type::Number)),
    }
}

fn intersect(a: Option<BTreeSet<Type>>, b: Option<BTreeSet<Type>>) -> Option<BTreeSet<Type>> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => {
            let mut out: BTreeSet<Type> = a.intersection(&b).copied().collect();
            let int_num = |x: &BTreeSet<Type>, y: &BTreeSet<Type>| {
                x.contains(&Type::Integer) && y.contains(&Type::Number)
            };
            if int_num(&a, &b) || int_num(&b, &a) {
                out.insert(Type::Integer);
            }
            Some(out)
        }
    }
}

fn value_key(v: &serde_json::Value) -> String {
    v.to_string()
}

/// The facts of the conjunction `ids`. `roots` are the schemas declared at the
/// location (the property's schema, the body's schema), the others reached from them
/// through `allOf`/`oneOf`/`anyOf`.
///
/// Nullability: `nullable: true` on a declared schema makes the location nullable
/// whatever its composition (`{type: object, nullable: true, oneOf: [$ref X]}`,
/// `{nullable: true, allOf: [$ref X]}`: how every generator and the vendors mean it).
/// Otherwise null must be valid for every member: some member admits it and none has a
/// `type` without `nullable` (so `{type: object, allOf: [$ref NullableX]}` is not
/// nullable, as OpenAPI 3.0.3 reads it, and `oneOf: [{type: null}, X]` is in its null
/// branch).
fn conj<'a>(api: &'a Api, ids: &[SchemaId], roots: &[SchemaId]) -> Conj<'a> {
    let mut c = Conj::default();
    let mut formats = BTreeSet::new();
    let (mut any_nullable, mut typed_non_null, mut root_nullable) = (false, false, false);
    let (mut null_member, mut null_wrapper, mut constrained) = (false, false, false);
    for &id in ids {
        let s = api.schema(id);
        // A null shape in a conjunction makes it nullable and constrains nothing else
        // (`allOf: [X, {nullable: true}]` is read as "X or null"). In OpenAPI 3.1 it is
        // `{type: null}`, so a variant made of it and unconstrained schemas is the null
        // alternative of a `oneOf` (below); in 3.0 a lone `nullable: true` admits any
        // value besides null.
        if null_shape(s) {
            null_wrapper = true;
            null_member |= api.version == Some(SpecVersion::OpenApi31);
        } else {
            let t = own_types(s);
            constrained |= t.is_some() || s.enum_values.is_some() || s.format.is_some();
            c.types = intersect(c.types.take(), t);
        }
        any_nullable |= s.nullable;
        typed_non_null |= !s.nullable && !s.types.is_empty();
        root_nullable |= s.nullable && roots.contains(&id);
        c.read_only |= s.read_only;
        c.write_only |= s.write_only;
        if let Some(f) = &s.format {
            formats.insert(f.clone());
        }
        let mut own_enum: Option<BTreeSet<String>> = s
            .enum_values
            .as_ref()
            .map(|v| v.iter().map(value_key).collect());
        if let Some(cv) = &s.extra().const_value {
            let one: BTreeSet<String> = [value_key(cv)].into();
            own_enum = Some(match own_enum {
                None => one,
                Some(e) => e.intersection(&one).cloned().collect(),
            });
        }
        if let Some(e) = own_enum {
            c.enum_values = Some(match c.enum_values.take() {
                None => e,
                Some(prev) => prev.intersection(&e).cloned().collect(),
            });
        }
        for b in Bound::ALL {
            if let Some(v) = b.of(s) {
                let slot = &mut c.bounds[b as usize];
                *slot = Some(match *slot {
                    None => v,
                    Some(old) if b.is_lower() => old.max(v),
                    Some(old) => old.min(v),
                });
            }
        }
        for (name, &p) in &s.properties {
            c.props.entry(name.as_str()).or_default().push(p);
        }
        c.required.extend(s.required.iter().map(String::as_str));
        // `items` beside a type that is not an array constrains nothing a value holds.
        if let Some(i) = s.items
            && (s.types.is_empty() || s.types.contains(&Type::Array))
        {
            c.items.push(i);
        }
        // An empty `additionalProperties` schema (`{}`) says what its absence says.
        if let Some(AdditionalProperties::Schema(a)) = s.additional_properties
            && !empty_schema(api.schema(a))
        {
            c.additional.push(a);
        }
        c.closed |= matches!(
            s.additional_properties,
            Some(AdditionalProperties::Bool(false))
        );
        c.typed |= !s.types.is_empty();
    }
    c.nullable = root_nullable || (any_nullable && !typed_non_null) || null_wrapper;
    if null_member && !constrained {
        c.types = Some(BTreeSet::new());
    }
    c.format = formats.into_iter().collect::<Vec<_>>().join("&");
    c
}

/// Expands a conjunction of schemas into its variants (see the module doc). Returns the
/// variants (each sorted, deduplicated) and whether `MAX_VARIANTS` cut some.
fn expand(api: &Api, ids: &[SchemaId]) -> (Vec<Vec<SchemaId>>, bool) {
    let mut capped = false;
    let mut out = vec![Vec::new()];
    for &id in ids {
        let mut stack = Vec::new();
        let one = expand_one(api, id, &mut stack, &mut capped);
        out = product(&out, &one, &mut capped);
    }
    out.sort();
    out.dedup();
    (out, capped)
}

fn expand_one(
    api: &Api,
    id: SchemaId,
    stack: &mut Vec<SchemaId>,
    capped: &mut bool,
) -> Vec<Vec<SchemaId>> {
    if stack.contains(&id) || stack.len() >= MAX_EXPAND_DEPTH {
        return vec![vec![id]];
    }
    stack.push(id);
    let s = api.schema(id);
    let mut vs = vec![vec![id]];
    for &m in &s.all_of {
        let e = expand_one(api, m, stack, capped);
        vs = product(&vs, &e, capped);
    }
    for branches in [&s.one_of, &s.any_of] {
        if branches.is_empty() {
            continue;
        }
        let mut alts = Vec::new();
        for &b in branches {
            alts.extend(expand_one(api, b, stack, capped));
        }
        vs = product(&vs, &alts, capped);
    }
    stack.pop();
    vs
}

fn product(a: &[Vec<SchemaId>], b: &[Vec<SchemaId>], capped: &mut bool) -> Vec<Vec<SchemaId>> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if out.len() >= MAX_VARIANTS {
                *capped = true;
                return out;
            }
            let mut v: Vec<SchemaId> = x.iter().chain(y).copied().collect();
            v.sort();
            v.dedup();
            out.push(v);
        }
    }
    out
}

/// The location's facts from its variants' conjunctions.
fn facts_of(conjs: &[Conj]) -> Facts {
    let live: Vec<&Conj> = conjs.iter().filter(|c| !c.is_null_only()).collect();
    let mut f = Facts {
        nullable: conjs.iter().any(|c| c.nullable),
        ..Facts::default()
    };
    if live.is_empty() {
        f.types = Some(BTreeSet::new());
        return f;
    }
    f.types = if live.iter().any(|c| c.types.is_none()) {
        None
    } else {
        Some(
            live.iter()
                .flat_map(|c| c.types.iter().flatten().copied())
                .collect(),
        )
    };
    f.enum_values = if live.iter().any(|c| c.enum_values.is_none()) {
        None
    } else {
        Some(
            live.iter()
                .flat_map(|c| c.enum_values.iter().flatten().cloned())
                .collect(),
        )
    };
    let objects: Vec<&&Conj> = live.iter().filter(|c| c.can_be_object()).collect();
    f.closed = !objects.is_empty() && objects.iter().all(|c| c.closed);
    f.implied_object = live.iter().all(|c| !c.typed);
    f.read_only = live.iter().all(|c| c.read_only);
    f.write_only = live.iter().all(|c| c.write_only);
    // Keyed by the alternative's types: a format constrains the values of its own
    // alternative (`integer` or `number: double`), never those of another.
    f.formats = live
        .iter()
        .map(|c| {
            let t = match &c.types {
                None => "any".to_string(),
                Some(t) => t.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("|"),
            };
            format!("{t}:{}", c.format)
        })
        .collect();
    for b in Bound::ALL {
        let relevant: Vec<&&Conj> = live
            .iter()
            .filter(|c| match &c.types {
                None => true,
                Some(t) => t.iter().any(|&t| b.applies_to(t)),
            })
            .collect();
        if relevant.is_empty() || relevant.iter().any(|c| c.bounds[b as usize].is_none()) {
            continue;
        }
        let vals = relevant.iter().filter_map(|c| c.bounds[b as usize]);
        f.bounds[b as usize] = if b.is_lower() {
            vals.reduce(f64::min)
        } else {
            vals.reduce(f64::max)
        };
    }
    f
}

/// The schema ids of the locations above one location, as a chain shared by siblings.
struct Anc {
    ids: Vec<SchemaId>,
    next: Option<Rc<Anc>>,
}

fn on_path(anc: &Option<Rc<Anc>>, id: SchemaId) -> bool {
    let mut link = anc.as_deref();
    while let Some(l) = link {
        if l.ids.contains(&id) {
            return true;
        }
        link = l.next.as_deref();
    }
    false
}

/// A location waiting to be walked.
struct Node<'a> {
    site: usize,
    path: String,
    depth: usize,
    variants: Vec<Vec<SchemaId>>,
    /// The schemas declared at this location (see `conj`).
    roots: Vec<SchemaId>,
    ancestors: Option<Rc<Anc>>,
    own: Vec<&'a str>,
    above: Option<Rc<Chain<'a>>>,
    alt: bool,
    inert: bool,
    /// Raw requiredness from the parent (see `Facts::required`), before read/write-only.
    required: Option<bool>,
    in_every_branch: Option<bool>,
    style: Option<(String, bool)>,
    declared_by: Vec<Sig<'a>>,
    declared_ids: Vec<(Sig<'a>, Vec<SchemaId>)>,
    /// Its variants (or an ancestor's) were cut at `MAX_VARIANTS`.
    capped: bool,
    /// The parameter or header is deprecated.
    deprecated: bool,
}

fn step(path: &str, seg: &str) -> String {
    if seg == "[]" {
        format!("{path}[]")
    } else if path.is_empty() {
        seg.to_string()
    } else {
        format!("{path}.{seg}")
    }
}

/// The component names of the schemas of `variants`, sorted, once each.
fn names_in<'a>(api: &'a Api, variants: &[Vec<SchemaId>]) -> Vec<&'a str> {
    let mut v: Vec<&str> = variants
        .iter()
        .flatten()
        .filter_map(|id| api.schema(*id).ref_name.as_deref())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Adds the root of a site to the walk.
struct Roots<'a, 'f> {
    api: &'a Api,
    flat: &'f mut Flat<'a>,
    sites: Vec<Site>,
    level: Vec<Node<'a>>,
}

impl<'a> Roots<'a, '_> {
    fn add(
        &mut self,
        site: Site,
        schema: Option<SchemaId>,
        required: Option<bool>,
    ) -> &mut Node<'a> {
        let (variants, capped) = match schema {
            Some(id) => expand(self.api, &[id]),
            None => (vec![Vec::new()], false),
        };
        self.flat.variants_capped += usize::from(capped);
        self.sites.push(site);
        self.level.push(Node {
            site: self.sites.len() - 1,
            path: String::new(),
            depth: 0,
            alt: variants.len() > 1,
            own: names_in(self.api, &variants),
            variants,
            roots: schema.into_iter().collect(),
            ancestors: None,
            above: None,
            inert: false,
            required,
            in_every_branch: None,
            style: None,
            declared_by: Vec::new(),
            declared_ids: Vec::new(),
            capped,
            deprecated: false,
        });
        self.level.last_mut().expect("just pushed")
    }
}

/// Is `status` a 2xx or 4xx response (`200`, `2XX`, `404`, `4XX`)?
pub fn flattened_status(status: &str) -> bool {
    status.starts_with('2') || status.starts_with('4')
}

/// Flattens every site of `op`.
pub fn flatten<'a>(api: &'a Api, op: &Operation) -> Flat<'a> {
    let mut flat = Flat {
        api: Some(api),
        complete_depth: MAX_DEPTH,
        ..Flat::default()
    };
    let mut roots = Roots {
        api,
        flat: &mut flat,
        sites: Vec::new(),
        level: Vec::new(),
    };
    let positions: Vec<&str> = path_param_names(&op.path);
    for (key, p) in &op.parameters {
        let k = match (key.location, positions.iter().position(|n| *n == p.name)) {
            (ParamIn::Path, Some(i)) => format!("#{i}"),
            _ => key.name.clone(),
        };
        let site = Site::Param {
            location: key.location,
            key: k,
        };
        roots.flat.names.insert(site.clone(), p.name.clone());
        let node = roots.add(site, p.schema, Some(p.required));
        node.style = Some(effective_style(key.location, p.style.as_deref(), p.explode));
        node.deprecated = p.deprecated;
    }
    if let Some(rb) = &op.request_body {
        for (mt, m) in &rb.content {
            let site = Site::RequestBody {
                media_type: mt.clone(),
            };
            roots.add(site, m.schema, Some(rb.required));
        }
    }
    for (status, resp) in op.responses.iter().filter(|(s, _)| flattened_status(s)) {
        for (mt, m) in &resp.content {
            let site = Site::ResponseBody {
                status: status.clone(),
                media_type: mt.clone(),
            };
            roots.add(site, m.schema, None);
        }
        for (name, h) in &resp.headers {
            let site = Site::ResponseHeader {
                status: status.clone(),
                name: name.clone(),
            };
            roots.flat.names.insert(site.clone(), h.name.clone());
            roots.add(site, h.schema, Some(h.required)).deprecated = h.deprecated;
        }
    }
    let Roots {
        sites, mut level, ..
    } = roots;
    let mut maps: Vec<BTreeMap<String, Entry<'a>>> =
        sites.iter().map(|_| BTreeMap::new()).collect();
    let mut depth: usize = 0;
    while !level.is_empty() {
        // The next level may hold this many locations; generating stops beyond it.
        let budget = MAX_LOCATIONS_PER_OP.saturating_sub(flat.count + level.len());
        let mut next = Vec::new();
        let mut out = Out {
            flat: &mut flat,
            sites: &sites,
            maps: &mut maps,
            next: &mut next,
            budget,
        };
        for node in level {
            visit(api, node, &mut out);
        }
        if next.len() > budget {
            flat.truncated = true;
            flat.complete_depth = depth;
            break;
        }
        level = next;
        depth += 1;
    }
    flat.locs = sites.into_iter().zip(maps).collect();
    flat
}

/// Where `visit` writes: the flattened side, one map per site, the next level.
struct Out<'a, 'o> {
    flat: &'o mut Flat<'a>,
    sites: &'o [Site],
    maps: &'o mut [BTreeMap<String, Entry<'a>>],
    next: &'o mut Vec<Node<'a>>,
    /// Most nodes of the next level (see `flatten`).
    budget: usize,
}

fn visit<'a>(api: &'a Api, node: Node<'a>, out: &mut Out<'a, '_>) {
    let conjs: Vec<Conj> = node
        .variants
        .iter()
        .map(|v| conj(api, v, &node.roots))
        .collect();
    let mut facts = facts_of(&conjs);
    let hidden = match out.sites[node.site].dir() {
        Dir::Request => facts.read_only,
        Dir::Response => facts.write_only,
    };
    facts.required = node.required.map(|r| r && !(node.depth > 0 && hidden));
    facts.in_every_branch = node.in_every_branch;
    if let Some((style, explode)) = &node.style {
        facts.style = Some(style.clone());
        facts.explode = Some(*explode);
    }
    let inert = node.inert || hidden;
    let here: BTreeSet<SchemaId> = node.variants.iter().flatten().copied().collect();
    let cycle = here.iter().any(|&id| on_path(&node.ancestors, id));

    let live: Vec<&Conj> = conjs.iter().filter(|c| !c.is_null_only()).collect();
    let has_children = live
        .iter()
        .any(|c| !c.props.is_empty() || !c.items.is_empty() || !c.additional.is_empty());
    if cycle && has_children {
        out.flat.cycle_stops += 1;
    } else if node.depth >= MAX_DEPTH && has_children {
        out.flat.depth_stops += 1;
    } else if has_children && out.next.len() <= out.budget {
        children(api, &node, &conjs, &live, inert, here, out);
    }
    let sigs = node
        .variants
        .iter()
        .zip(&conjs)
        .filter(|(_, c)| !c.is_null_only())
        .map(|(v, _)| sig(api, v))
        .collect();
    out.flat.count += 1;
    out.maps[node.site].insert(
        node.path,
        Entry {
            facts,
            own: node.own,
            above: node.above,
            alt: node.alt,
            inert,
            depth: node.depth,
            sigs,
            declared_by: node.declared_by,
            declared_ids: node.declared_ids,
            capped: node.capped,
            deprecated: node.deprecated || node.roots.iter().any(|id| api.schema(*id).deprecated),
        },
    );
}

/// Queues the children of `node` (properties, `[]`, `*`) for the next level.
fn children<'a>(
    api: &'a Api,
    node: &Node<'a>,
    conjs: &[Conj<'a>],
    live: &[&Conj<'a>],
    inert: bool,
    here: BTreeSet<SchemaId>,
    out: &mut Out<'a, '_>,
) {
    let ancestors = Some(Rc::new(Anc {
        ids: here.into_iter().collect(),
        next: node.ancestors.clone(),
    }));
    let objects: Vec<&&Conj> = live.iter().filter(|c| c.can_be_object()).collect();
    let names: BTreeSet<&str> = live.iter().flat_map(|c| c.props.keys().copied()).collect();
    // One child per step: the variants of every declaration of that step.
    type Kid = (
        Vec<Vec<SchemaId>>,
        Vec<SchemaId>,
        Option<bool>,
        Option<bool>,
    );
    let mut by_step: BTreeMap<&str, Kid> = BTreeMap::new();
    let mut add = |seg: &'a str,
                   ids: &[SchemaId],
                   req: Option<bool>,
                   every: Option<bool>,
                   flat: &mut Flat<'a>| {
        let (vs, capped) = expand(api, ids);
        flat.variants_capped += usize::from(capped);
        let e = by_step
            .entry(seg)
            .or_insert((Vec::new(), Vec::new(), req, every));
        e.0.extend(vs);
        e.1.extend_from_slice(ids);
    };
    for name in names {
        let required = !objects.is_empty() && objects.iter().all(|c| c.required.contains(name));
        let every = objects.iter().all(|c| c.props.contains_key(name));
        for c in live {
            if let Some(d) = c.props.get(name) {
                add(name, d, Some(required), Some(every), out.flat);
            }
        }
    }
    for c in live {
        if !c.items.is_empty() {
            add("[]", &c.items, None, None, out.flat);
        }
        if !c.additional.is_empty() {
            add("*", &c.additional, None, None, out.flat);
        }
    }
    for (seg, (mut variants, mut roots, required, every)) in by_step {
        roots.sort();
        roots.dedup();
        variants.sort();
        variants.dedup();
        // Over the cap, first drop the variants no value satisfies (a branch's `enum:
        // [11]` meeting an allOf member's `const: 4`), then cut: a location whose
        // variants were cut is not compared (its facts would be a sample's).
        if variants.len() > MAX_VARIANTS {
            variants.retain(|v| {
                conj(api, v, &roots)
                    .enum_values
                    .as_ref()
                    .is_none_or(|e| !e.is_empty())
            });
        }
        let capped = variants.len() > MAX_VARIANTS;
        if capped {
            variants.truncate(MAX_VARIANTS);
            out.flat.variants_capped += 1;
        }
        // The parent's variants that declare this child, with the child's schemas there.
        let declaring: Vec<(&Vec<SchemaId>, &[SchemaId])> = node
            .variants
            .iter()
            .zip(conjs)
            .filter_map(|(v, c)| {
                let ids: &[SchemaId] = match seg {
                    "[]" => &c.items,
                    "*" => &c.additional,
                    name => c.props.get(name).map_or(&[], Vec::as_slice),
                };
                (!ids.is_empty()).then_some((v, ids))
            })
            .collect();
        let declared_by: Vec<Sig<'a>> = declaring.iter().map(|(v, _)| sig(api, v)).collect();
        let declared_ids: Vec<(Sig<'a>, Vec<SchemaId>)> = declaring
            .iter()
            .map(|(v, ids)| (sig(api, v), ids.to_vec()))
            .collect();
        let declaring: Vec<&Vec<SchemaId>> = declaring.into_iter().map(|(v, _)| v).collect();
        // Components entered at `node` lead to a child only through the variants that
        // declare it; those entered above lead to every child.
        let mut through: Vec<&'a str> = declaring
            .iter()
            .flat_map(|v| {
                v.iter()
                    .filter_map(|id| api.schema(*id).ref_name.as_deref())
            })
            .filter(|n| node.own.contains(n))
            .collect();
        through.sort_unstable();
        through.dedup();
        let above = if through.is_empty() {
            node.above.clone()
        } else {
            Some(Rc::new(Chain {
                entries: through.into_iter().map(|c| (c, node.path.len())).collect(),
                next: node.above.clone(),
            }))
        };
        out.next.push(Node {
            site: node.site,
            path: step(&node.path, seg),
            depth: node.depth + 1,
            alt: node.alt || variants.len() > 1,
            own: names_in(api, &variants),
            variants,
            roots,
            ancestors: ancestors.clone(),
            above,
            inert,
            required,
            in_every_branch: every,
            style: None,
            declared_by,
            declared_ids,
            capped: node.capped || capped,
            deprecated: false,
        });
    }
}
