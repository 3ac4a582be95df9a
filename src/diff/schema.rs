//! The direction-aware schema comparator: every schema-level rule of request bodies and
//! their properties, response bodies and their properties, parameter schemas (and the
//! properties of object-typed parameters) and response header schemas.
//!
//! Must not: walk operations, parameters or responses (the callers in `params` and
//! `responses` do, and call [`compare`] once per schema site), do I/O or render.
//!
//! # How a comparison runs
//!
//! 1. **Build (once per schema pair).** A pair `(base id, revision id, mode)` becomes a
//!    node of a graph kept in [`Memo`]: the node holds the changes of the pair itself
//!    ("relative" changes: a rule *suffix* such as `enum-value-added`, its details and
//!    pointers, never a rule id, an operation or a property path) and edges to the child
//!    pairs (properties, `items`, `additionalProperties`, matched `oneOf`/`anyOf`/`allOf`
//!    branches). The node does not depend on who asked for it, so a component shared by
//!    a thousand operations is compared once, whatever the direction: the direction is
//!    applied only when a change is instantiated. A child pair already on the build stack
//!    (a cycle) is linked, not re-entered; strongly connected components are finalized
//!    together (Tarjan) so "does this subtree hold any change" is exact, and edges to
//!    change-free subtrees are dropped. Nothing computed depends on visiting order.
//! 2. **Instantiate (once per use site).** From the root pair, walk the edges of
//!    subtrees that hold changes, building the property path, and turn every relative
//!    change into a rule id with the site's prefix (`request-body-`, `request-property-`,
//!    `response-body-`, `response-property-`, `request-parameter-`,
//!    `request-parameter-property-`, `request-header-property-`, `response-header-`, and
//!    the qualified forms such as `request-read-only-property-`). A pair already on the
//!    walk path is not re-entered (cycles), the walk is breadth-first so a change is met
//!    first at its shallowest path, and a pair is reported at no more than 4 paths per
//!    site (a component reached through many paths would otherwise multiply its changes
//!    by every path to it). The walk stops at the hop limit (below), is bounded in depth
//!    (48 steps of path) and in work per site (10 000 nodes, 1 000 changes), and the
//!    build in recursion depth (256 nested pairs; only a chain that deep could make a
//!    result depend on visiting order).
//! 3. **Components (once per comparison, [`finish`]).** What no site reached within
//!    the hop limit is reported once per component.
//!
//! # Component hops
//!
//! Large APIs nest their objects: in Stripe's spec every response reaches most of the
//! schema graph through expandable objects, so per-site reporting alone repeats each
//! change of a shared component at every operation (715 027 changes for one pair).
//! A walk therefore counts **hops**: entering a pair that names (`ref_name`, on either
//! side) a component that neither side of the current pair names; a test on the set of
//! names, so that the same steps are hops in both directions. Free are:
//! the site's root component, and the first component entered at the body itself
//! (through a `oneOf`/null wrapper), at its array item (`[]`) or at the items of the
//! one array property of an object body on either side (`data[]` of
//! `{data: [...], has_more}`), the "item" of the consumes contract; `allOf` branches
//! are part of the same instance and never a hop. A site walks pairs up to `DiffOptions::max_ref_hops` hops (default
//! `DEFAULT_MAX_REF_HOPS`; 0 = unlimited): with 2,
//! GitHub's `parent.owner.login` (repository → simple-user) is still reported at every
//! operation returning a full repository.
//!
//! Where a walk would make one hop too many it records the component pair it stops at
//! (per direction, with the operation). [`finish`] then walks each such component
//! inside itself (hop limit 0; the components it enters are walked in turn, each
//! (pair, direction) once) and reports, in section `components`, every change of a pair
//! that **no site walked within the limit in that direction**: once per (component,
//! rule, component-relative path, direction); `path` is `#/components/schemas/<Name>`
//! (`#/definitions/<Name>` for Swagger 2), no operation, args `[relative path (empty
//! for the component itself), details...]` with no site context, the rule the
//! direction's body property form (`request-property-*`, `response-property-*`,
//! `response-optional-property-added`...), and the text names the component and how
//! many operations reach it deeper than the limit (a count: ops reaching a component
//! reach everything it contains). Fingerprints depend on rule, path and args only.
//!
//! **Overlays.** A `$ref` with keywords beside it (`{$ref: X, nullable: true}`, read
//! by `spec` as a copy of X with those keywords on top, `SchemaExtra::overlay_of`)
//! names X, so entering it is a hop into X as for a plain `$ref`. But a change of a
//! keyword written beside the `$ref` (its `nullable` or `default` differing from X's
//! on either side: flag `OVERLAID`) was written at the referring property: it is
//! judged at the hops of the pair holding the `$ref`, exactly as if the property were
//! inline, so beyond the limit it lands in the referring component at the property's
//! relative path (`Group`, `owner`), not in X as "the component itself". The
//! overlay's other changes (X's own keywords) and its children stay with X. A walk
//! therefore keeps, per entry, the hops of the parent (`outer`), instantiates an
//! overlay one hop beyond the limit for its `OVERLAID` changes only, and `reached`
//! records the two parts of a pair (`Part`) separately; a component walk's root never
//! reports its `OVERLAID` changes (they belong to whoever entered it).
//!
//! **Watched paths** (`DiffOptions::watched`, a resolved consumes contract) are the
//! exception: at a response-body site of a watched operation, an edge beyond the limit
//! is still walked when its path leads to a watched path (is it or an ancestor of it),
//! so a consumed field and its ancestors are judged per operation at any depth. Such
//! walks neither mark pairs as reached nor hide anything from section `components`: the
//! rest of the output is the same with or without a contract.
//!
//! **Bounds.** Per site the caps above stay (4 paths per pair, 10 000 steps, 1 000
//! changes), and the hop limit keeps a site's walk inside a few components. Section
//! `components` holds each relative change at most 4 times per (component,
//! direction), so its size is linear in the size of the pair graph, whatever the
//! number of operations.
//!
//! # Property paths (shared with the consumes contract of `impact`)
//!
//! Dotted, rooted at the schema of the site (the body, the parameter, the header):
//! `profile.login`; `[]` steps into array items: `roles[].name`, for an array body
//! `[].id`, for a wrapper `data[].id`; `*` steps into `additionalProperties`
//! (`labels.*`). `allOf`/`oneOf`/`anyOf` branches add no step: a property reached through
//! a branch has the same path as a direct one. A change of the site's schema itself has
//! no path and uses the body/parameter/header rule; any other uses the property rule.
//!
//! # Args
//!
//! `[property path (property rules only), details (values, old/new bounds...), context]`
//! where the context is `[media type]` for request bodies, `[status, media type]` for
//! response bodies, `[location, name]` for parameters and `[header name, status]` for
//! response headers (the order `responses` uses for its header rules). Templates are in `schema/catalog.rs`.
//!
//! # Property lifecycle
//!
//! Deprecation, `x-sunset` and `x-stability-level` of a property present on both sides
//! are stored raw in the pair graph (one `LIFECYCLE` change) and judged per site,
//! because the rule depends on the site's operation (a property without its own
//! `x-stability-level` has its operation's, as parameters do) and on the
//! deprecation-days policy and today's date in `DiffOptions`; in section `components`
//! there is no operation and the level is stable. Only body properties have such rules.
//!
//! # Composition
//!
//! Properties of `allOf` branches are merged with the schema's own (and `required` is
//! the union), so a property moved into an `allOf` is not reported as removed; matched
//! `allOf` branches are then compared without their properties. `oneOf`/`anyOf` branches
//! are matched by `$ref` name, then inline by shallow equality, then by `title`, then a
//! lone leftover pair. Transitions reported once: wrapping a schema in
//! `oneOf`/`anyOf: [{type: null}, X]` is `*-became-nullable` (then X is compared);
//! moving a schema under a `oneOf` is `*-wrapped-in-one-of` (then the branch with the
//! same `$ref` name or title is compared).
//!
//! # Softened type and pattern changes
//!
//! A `type-changed` between a scalar and a plain `string` carries `TO_TEXT` or
//! `FROM_TEXT`; the site decides whether it becomes `*-type-compatible`
//! (`text_tolerated`: a text media type or a response header, in the direction where
//! no value is lost). A replaced pattern is `pattern-generalized` when `pattern` proves
//! the new one accepts everything the old one did; sites without such an id report it
//! as `pattern-changed`.

mod catalog;
mod pattern;

pub use catalog::RULES;

use pattern::pattern_widens;

use super::lifecycle::{self, Stability};
use super::rules::{self, Rule};
use super::{Change, DiffOptions, Emitter, Scope, Section};
use crate::model::{
    AdditionalProperties, Api, Method, OpKey, ParamIn, Pointer, Schema, SchemaId, Type,
};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeSet;
// Fx hashing: the keys are node indices, schema ids and short rule/path strings, and
// hashing was ~14% of the worst hostile input's time with SipHash. Flooding is not a
// risk worth SipHash here: every per-walk set is capped (`MAX_SITE_CHANGES`,
// `MAX_WALK_STEPS`) and the memo's keys are ids the loader assigned.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Deepest chain of schema pairs built in one recursion (deeper pairs are not compared).
const MAX_BUILD_DEPTH: usize = 256;
/// Deepest property path instantiated at one site.
const MAX_WALK_DEPTH: usize = 48;
/// Most graph steps one site may walk (bounds pathological fan-out).
const MAX_WALK_STEPS: usize = 10_000;
/// Most changes one site may report (a shared change reached by more paths is cut).
const MAX_SITE_CHANGES: usize = 1_000;
/// Most property paths one schema pair is reported at per site (the shallowest first):
/// a component reached through many paths (Stripe's expandable objects) would
/// otherwise multiply its changes by every path to it.
const MAX_PATHS_PER_PAIR: usize = 4;
/// Deepest `allOf` nesting merged for property existence.
const MAX_ALLOF_DEPTH: usize = 16;

/// Compare mode bits: properties are compared by the parent (merged `allOf` branch).
const NO_PROPS: u8 = 1;
/// Compare mode bits: nullability was compared by the parent (null-`oneOf` transition).
const NO_NULL: u8 = 2;

/// Relative change flags.
const REQUIRED: u8 = 1;
const READ_ONLY: u8 = 2;
const WRITE_ONLY: u8 = 4;
const HAS_DEFAULT: u8 = 8;
/// The change is of a keyword written beside a `$ref` (an overlay's own `nullable` or
/// `default`, differing from its target's), so it belongs to the referring site, not to
/// the target component ([`overlaid`]).
const OVERLAID: u8 = 16;
/// On a `type-changed`: a scalar became a plain string, so where values travel as
/// text every value a client sent before is still accepted ([`text_tolerance`]).
const TO_TEXT: u8 = 64;
/// On a `type-changed`: a plain string became a scalar, so where values travel as
/// text every value a client read before was already text ([`text_tolerance`]).
const FROM_TEXT: u8 = 128;

/// Kind of the relative change that carries a property's lifecycle (deprecation,
/// `x-sunset`, `x-stability-level`). Which rule it becomes depends on the site's
/// operation and the deprecation-days policy, so it is judged at instantiation
/// ([`judge_lifecycle`]). Its `details` are the raw `[base x-sunset, revision x-sunset,
/// base x-stability-level, revision x-stability-level]` (empty when absent) and its
/// `flags` the bits below.
const LIFECYCLE: &str = "lifecycle";
const B_DEPRECATED: u8 = 1;
const R_DEPRECATED: u8 = 2;
const B_SUNSET: u8 = 4;
const R_SUNSET: u8 = 8;
const B_STABILITY: u8 = 16;
const R_STABILITY: u8 = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    base: SchemaId,
    rev: SchemaId,
    mode: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Base,
    Rev,
}

/// A property name, by where it is defined (no string is copied while building).
#[derive(Debug, Clone, Copy)]
struct PropRef {
    side: Side,
    owner: SchemaId,
    idx: u32,
}

#[derive(Debug, Clone, Copy)]
enum Seg {
    /// A `oneOf`/`anyOf` branch or a null-wrapper's inner schema: no path step.
    Same,
    /// An `allOf` branch: no path step and no component hop (the branch is part of
    /// the same instance).
    Merged,
    Prop(PropRef),
    Items,
    Additional,
}

/// One change of a schema pair, relative to the pair (no site, no path).
#[derive(Debug)]
struct Rel {
    /// Rule suffix (`enum-value-added`), or `property-<action>` for property existence,
    /// requiredness and mutability changes, which concern the child `prop`.
    kind: &'static str,
    prop: Option<PropRef>,
    flags: u8,
    details: Vec<String>,
    base_ptr: Option<Pointer>,
    rev_ptr: Option<Pointer>,
}

#[derive(Debug)]
struct Node {
    key: Key,
    own: Vec<Rel>,
    edges: Vec<(Seg, u32)>,
    low: u32,
    finished: bool,
    nonempty: bool,
}

/// Memo of schema-pair comparisons: a graph of pair nodes keyed by (base id, revision
/// id, compare mode). Direction is applied at instantiation, so one node serves request
/// and response sites alike. It also gathers, across the sites of one comparison, what
/// [`finish`] needs to report deep changes once per component.
#[derive(Debug, Default)]
pub struct Memo {
    nodes: HashMap<Key, u32>,
    arena: Vec<Node>,
    stack: Vec<u32>,
    next_index: u32,
    /// Operations whose sites met a component beyond the hop limit, numbered.
    ops: HashMap<(Option<Method>, Option<String>), u32>,
    /// Pairs walked within the hop limit at some site, per direction and [`Part`]:
    /// those changes are reported per operation, so never again in section
    /// `components`.
    reached: HashSet<(u32, Dir, Part)>,
    /// Component pairs entered one hop beyond the limit, per direction, with the
    /// operations (numbers of `ops`) whose sites met them there.
    deep: HashMap<(u32, Dir), BTreeSet<u32>>,
}

impl Memo {
    /// How many schema pairs were compared so far (each at most once).
    pub fn pairs_compared(&self) -> usize {
        self.arena.len()
    }

    fn op_index(&mut self, scope: &Scope) -> u32 {
        let next = self.ops.len() as u32;
        *self
            .ops
            .entry((scope.operation, scope.path.clone()))
            .or_insert(next)
    }
}

/// Which relative changes of a pair: an overlay pair's [`OVERLAID`] changes (of the
/// keywords written beside its `$ref`) are judged where the `$ref` is written, as if
/// the property were inline; all its other changes, like those of any pair, belong to
/// the component it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Target,
    Beside,
}

/// Which way data flows at a site: decides `request-property-*` or
/// `response-property-*` for changes reported in section `components`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    /// The site whose property rules a component change of this direction uses.
    fn pseudo_site(self) -> Site<'static> {
        match self {
            Dir::Request => Site::RequestBody { media_type: "" },
            Dir::Response => Site::ResponseBody {
                status: "",
                media_type: "",
            },
        }
    }
}

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

impl Site<'_> {
    fn dir(&self) -> Dir {
        match self {
            Site::RequestBody { .. } | Site::Parameter { .. } => Dir::Request,
            Site::ResponseBody { .. } | Site::ResponseHeader { .. } => Dir::Response,
        }
    }
}

/// Compares the schema `base` (in `em.base`) with `rev` (in `em.rev`) at `site` of the
/// operation in `scope`, emitting every schema-level change within the hop limit (and
/// every one on the way to a watched path); changes beyond it are left to [`finish`].
pub fn compare(em: &mut Emitter<'_>, scope: &Scope, site: Site<'_>, base: SchemaId, rev: SchemaId) {
    let (base_api, rev_api, opts) = (em.base, em.rev, em.opts);
    let root = Builder {
        base: base_api,
        rev: rev_api,
        memo: &mut em.schema_memo,
    }
    .visit(Key { base, rev, mode: 0 }, 0);
    let Some(root) = root else { return };
    if !em.schema_memo.arena[root as usize].nonempty {
        return;
    }
    let dir = site.dir();
    let watched: &[String] = match (site, scope.operation, scope.path.as_deref()) {
        (Site::ResponseBody { .. }, Some(m), Some(p)) if !opts.watched.is_empty() => opts
            .watched
            .get(&OpKey::new(m, p))
            .map(Vec::as_slice)
            .unwrap_or(&[]),
        _ => &[],
    };
    // Entering the first component at the body or at its item is free.
    let mut free = vec![String::new(), "[]".to_string()];
    // Either side's wrapper: what is free must not depend on the direction.
    for w in [wrapper_array(base_api, base), wrapper_array(rev_api, rev)]
        .into_iter()
        .flatten()
    {
        if !free.iter().any(|f| f == w) {
            free.push(format!("{w}[]"));
            free.push(w.to_string());
        }
    }
    fn op_stability<'x>(api: &'x Api, scope: &Scope) -> Option<&'x str> {
        let key = OpKey::new(scope.operation?, scope.path.as_deref()?);
        api.operations.get(&key)?.stability.as_deref()
    }
    let life = Life {
        base_op: op_stability(base_api, scope),
        rev_op: op_stability(rev_api, scope),
        opts,
    };
    let mut walk = Walk {
        memo: &em.schema_memo,
        base: base_api,
        rev: rev_api,
        ctx: Ctx::Site(site),
        life,
        limit: (opts.max_ref_hops > 0).then_some(opts.max_ref_hops),
        free,
        watched,
        path: String::new(),
        seen: HashSet::default(),
        out: Vec::new(),
        reached: Vec::new(),
        boundaries: Vec::new(),
    };
    walk.run(root);
    let Walk {
        out,
        reached,
        boundaries,
        ..
    } = walk;
    let memo = &mut em.schema_memo;
    if !boundaries.is_empty() {
        let op = memo.op_index(scope);
        for b in boundaries {
            memo.deep.entry((b, dir)).or_default().insert(op);
        }
    }
    memo.reached
        .extend(reached.into_iter().map(|(n, part)| (n, dir, part)));
    for (rule, args, bp, rp) in out {
        em.emit(scope, rule.id, args, bp, rp);
    }
}

/// The one array property of an object body (`data` of `{data: [...], has_more}`), the
/// wrapper whose items are "the item" of a list response.
fn wrapper_array(api: &Api, root: SchemaId) -> Option<&str> {
    let s = api.schema(root);
    if s.items.is_some() || s.types.contains(&Type::Array) {
        return None;
    }
    let mut props = IndexMap::new();
    collect_props(api, root, Side::Rev, 0, &mut props);
    let mut arrays = props.iter().filter(|(_, (id, _))| {
        let p = api.schema(*id);
        p.items.is_some() || p.types.contains(&Type::Array)
    });
    match (arrays.next(), arrays.next()) {
        (Some((name, _)), None) => Some(name),
        _ => None,
    }
}

/// The component name of a pair: the revision's `$ref` name, else the base's.
fn pair_name<'a>(memo: &Memo, base: &'a Api, rev: &'a Api, node: u32) -> Option<&'a str> {
    let k = memo.arena[node as usize].key;
    rev.schema(k.rev)
        .ref_name
        .as_deref()
        .or_else(|| base.schema(k.base).ref_name.as_deref())
}

/// The component names of a pair for hop counting: the `$ref` names of base and
/// revision. Entering a pair is a hop when it names a component that neither side of
/// the current pair names: a test on the set of names, so that swapping the sides
/// keeps which steps are hops (a direction-independent walk), and a wrapper inline on
/// one side only (`anyOf: [$ref: X, null]` against `$ref: X`) costs no extra hop.
type Names<'a> = (Option<&'a str>, Option<&'a str>);

fn pair_names<'a>(memo: &Memo, base: &'a Api, rev: &'a Api, node: u32) -> Names<'a> {
    let k = memo.arena[node as usize].key;
    (
        base.schema(k.base).ref_name.as_deref(),
        rev.schema(k.rev).ref_name.as_deref(),
    )
}

/// Does entering a pair named `next` from a pair named `here` leave the component?
fn is_hop(here: Names<'_>, next: Names<'_>) -> bool {
    [next.0, next.1]
        .into_iter()
        .flatten()
        .any(|n| Some(n) != here.0 && Some(n) != here.1)
}

/// Reports, in section `components`, the changes that lie beyond the hop limit at every
/// site that reaches them: once per (component, rule, component-relative path,
/// direction), with the number of operations that reach the component that deep.
/// Called once, after every operation was compared.
pub fn finish(em: &mut Emitter<'_>) {
    let memo = &em.schema_memo;
    if memo.deep.is_empty() {
        return;
    }
    let (base, rev) = (em.base, em.rev);
    let words = memo.ops.len().div_ceil(64).max(1);
    struct Comp {
        node: u32,
        dir: Dir,
        ops: Vec<u64>,
        kids: Vec<usize>,
        out: Vec<Out>,
    }
    let order = |&(n, d): &(u32, Dir)| (d, memo.arena[n as usize].key);
    let mut start: Vec<(u32, Dir)> = memo.deep.keys().copied().collect();
    start.sort_by_key(order);
    let mut comps: Vec<Comp> = Vec::with_capacity(start.len());
    let mut index: HashMap<(u32, Dir), usize> = HashMap::default();
    for (node, dir) in start {
        let mut ops = vec![0u64; words];
        for &o in &memo.deep[&(node, dir)] {
            ops[o as usize / 64] |= 1 << (o % 64);
        }
        index.insert((node, dir), comps.len());
        comps.push(Comp {
            node,
            dir,
            ops,
            kids: Vec::new(),
            out: Vec::new(),
        });
    }
    // Walk each component inside itself (no hop allowed); the components it enters are
    // walked in turn. Every (pair, direction) is walked at most once.
    let mut at = 0;
    while at < comps.len() {
        let (node, dir) = (comps[at].node, comps[at].dir);
        let mut walk = Walk {
            memo,
            base,
            rev,
            ctx: Ctx::Component(dir),
            // A component has no operation of its own: its properties are judged at
            // the level an absent `x-stability-level` means (stable).
            life: Life {
                base_op: None,
                rev_op: None,
                opts: em.opts,
            },
            limit: Some(0),
            free: Vec::new(),
            watched: &[],
            path: String::new(),
            seen: HashSet::default(),
            out: Vec::new(),
            reached: Vec::new(),
            boundaries: Vec::new(),
        };
        walk.run(node);
        let mut kids: Vec<(u32, Dir)> = walk.boundaries.iter().map(|&k| (k, dir)).collect();
        kids.sort_by_key(order);
        kids.dedup();
        comps[at].out = walk.out;
        for k in kids {
            let i = match index.get(&k) {
                Some(&i) => i,
                None => {
                    index.insert(k, comps.len());
                    comps.push(Comp {
                        node: k.0,
                        dir,
                        ops: vec![0u64; words],
                        kids: Vec::new(),
                        out: Vec::new(),
                    });
                    comps.len() - 1
                }
            };
            comps[at].kids.push(i);
        }
        at += 1;
    }
    // An operation that reaches a component deep reaches whatever it contains.
    for _ in 0..=comps.len() {
        let mut changed = false;
        for i in 0..comps.len() {
            for k in 0..comps[i].kids.len() {
                let kid = comps[i].kids[k];
                for w in 0..words {
                    let v = comps[kid].ops[w] | comps[i].ops[w];
                    if v != comps[kid].ops[w] {
                        comps[kid].ops[w] = v;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Operations per component name and direction (pairs of one name share a count).
    let mut reach: HashMap<(&str, Dir), Vec<u64>> = HashMap::default();
    for c in &comps {
        let name = pair_name(memo, base, rev, c.node).unwrap_or_default();
        let e = reach
            .entry((name, c.dir))
            .or_insert_with(|| vec![0u64; words]);
        for (a, b) in e.iter_mut().zip(&c.ops) {
            *a |= b;
        }
    }
    let section = match rev.version.or(base.version) {
        Some(crate::model::SpecVersion::Swagger2) => "#/definitions/",
        _ => "#/components/schemas/",
    };
    let limit = em.opts.max_ref_hops;
    // Pairs of one name can hold the same relative change: it is reported once, with
    // the pointers that sort first (not the first pair met: that follows the order of
    // the documents' keys).
    let mut found = Vec::new();
    for c in comps {
        let name = pair_name(memo, base, rev, c.node).unwrap_or_default();
        let n: u32 = reach[&(name, c.dir)].iter().map(|w| w.count_ones()).sum();
        for (rule, args, bp, rp) in c.out {
            found.push((name, rule.id, args, bp, rp, n, rule));
        }
    }
    found.sort_by(|a, b| (a.0, a.1, &a.2, &a.3, &a.4).cmp(&(b.0, b.1, &b.2, &b.3, &b.4)));
    found.dedup_by(|b, a| (a.0, a.1, &a.2) == (b.0, b.1, &b.2));
    let mut changes = Vec::new();
    for (name, _, args, bp, rp, n, rule) in found {
        let path = format!("{section}{name}");
        let at = match args.first().map(String::as_str) {
            None | Some("") => "the component itself".to_string(),
            Some(p) => format!("'{p}'"),
        };
        let details = if args.len() > 1 {
            format!(" ({})", args[1..].join(", "))
        } else {
            String::new()
        };
        let ops = if n == 1 { "operation" } else { "operations" };
        let text = format!(
            "{}: {at}{details} inside component '{name}', reached by {n} {ops} more than {limit} component hops deep",
            rule.description
        );
        let fingerprint = super::fingerprint(rule.id, None, Some(&path), &args);
        changes.push(Change {
            id: rule.id.to_string(),
            text,
            comment: None,
            level: rule.level,
            operation: None,
            path: Some(path.clone()),
            operation_id: None,
            section: Section::Components,
            args,
            base_pointer: bp,
            revision_pointer: rp,
            fingerprint,
        });
    }
    em.changes.extend(changes);
}

/// Pointers of the two schemas, for changes that concern the schema as a whole.
pub fn pointers(em: &Emitter<'_>, base: SchemaId, rev: SchemaId) -> (Pointer, Pointer) {
    (
        em.base.schema(base).pointer.clone(),
        em.rev.schema(rev).pointer.clone(),
    )
}

// ---------------------------------------------------------------------------------
// Build

struct Builder<'a> {
    base: &'a Api,
    rev: &'a Api,
    memo: &'a mut Memo,
}

impl Builder<'_> {
    fn visit(&mut self, key: Key, depth: usize) -> Option<u32> {
        if let Some(&n) = self.memo.nodes.get(&key) {
            return Some(n);
        }
        if depth > MAX_BUILD_DEPTH {
            return None;
        }
        let n = self.memo.arena.len() as u32;
        let index = self.memo.next_index;
        self.memo.next_index += 1;
        self.memo.arena.push(Node {
            key,
            own: Vec::new(),
            edges: Vec::new(),
            low: index,
            finished: false,
            nonempty: false,
        });
        self.memo.nodes.insert(key, n);
        self.memo.stack.push(n);

        let mut own = Vec::new();
        let mut kids = Vec::new();
        compare_pair(self.base, self.rev, key, &mut own, &mut kids);
        let mut edges = Vec::with_capacity(kids.len());
        let mut low = index;
        for (seg, child) in kids {
            if let Some(c) = self.visit(child, depth + 1) {
                let cn = &self.memo.arena[c as usize];
                if !cn.finished {
                    low = low.min(cn.low);
                }
                edges.push((seg, c));
            }
        }
        // Properties in name order: the walk is breadth-first and reports a change at
        // the first of its shallowest paths, which must not depend on key order.
        let (base, rev) = (self.base, self.rev);
        edges.sort_by(|a, b| match (a.0, b.0) {
            (Seg::Prop(x), Seg::Prop(y)) => prop_name(base, rev, x).cmp(prop_name(base, rev, y)),
            (Seg::Prop(_), _) => std::cmp::Ordering::Greater,
            (_, Seg::Prop(_)) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Equal,
        });
        let node = &mut self.memo.arena[n as usize];
        node.own = own;
        node.edges = edges;
        node.low = low;
        if low == index {
            self.finalize(n);
        }
        Some(n)
    }

    /// Pops the strongly connected component rooted at `n` and decides, for all its
    /// members at once, whether their subtrees hold any change.
    fn finalize(&mut self, n: u32) {
        let arena = &mut self.memo.arena;
        let pos = self
            .memo
            .stack
            .iter()
            .rposition(|&x| x == n)
            .unwrap_or(self.memo.stack.len());
        let members = self.memo.stack.split_off(pos);
        let nonempty = members.iter().any(|&m| {
            let node = &arena[m as usize];
            !node.own.is_empty()
                || node.edges.iter().any(|&(_, c)| {
                    let c = &arena[c as usize];
                    c.finished && c.nonempty
                })
        });
        for &m in &members {
            let node = &mut arena[m as usize];
            node.finished = true;
            node.nonempty = nonempty;
        }
        for &m in &members {
            let edges = std::mem::take(&mut arena[m as usize].edges);
            let kept = edges
                .into_iter()
                .filter(|&(_, c)| arena[c as usize].nonempty)
                .collect();
            arena[m as usize].edges = kept;
        }
    }
}

fn rel(kind: &'static str, bs: &Schema, rs: &Schema, details: Vec<String>) -> Rel {
    let mut flags = 0;
    if rs.read_only {
        flags |= READ_ONLY;
    }
    if rs.write_only {
        flags |= WRITE_ONLY;
    }
    Rel {
        kind,
        prop: None,
        flags,
        details,
        base_ptr: Some(bs.pointer.clone()),
        rev_ptr: Some(rs.pointer.clone()),
    }
}

/// [`OVERLAID`] when either side of a pair is an overlay that `same` (comparing one
/// keyword) tells apart from its target (the keyword was written beside the `$ref`),
/// else 0.
/// Only `nullable` and `default` need it: the other keywords an overlay sets
/// (`readOnly`, `writeOnly`, `deprecated`, `x-sunset`, `x-stability-level`, `title`) are
/// compared as changes of the parent pair's property, and `description` not at all.
fn overlaid(
    base: &Api,
    bs: &Schema,
    rev: &Api,
    rs: &Schema,
    same: impl Fn(&Schema, &Schema) -> bool,
) -> u8 {
    let differs = |api: &Api, s: &Schema| {
        s.extra()
            .overlay_of
            .is_some_and(|t| !same(s, api.schema(t)))
    };
    if differs(base, bs) || differs(rev, rs) {
        OVERLAID
    } else {
        0
    }
}

/// A `{type: null}` branch and nothing else.
fn is_null_only(s: &Schema) -> bool {
    s.nullable
        && s.types.is_empty()
        && s.properties.is_empty()
        && s.items.is_none()
        && s.enum_values.is_none()
        && s.extra().const_value.is_none()
        && s.one_of.is_empty()
        && s.any_of.is_empty()
        && s.all_of.is_empty()
        && s.ref_name.is_none()
}

/// `oneOf`/`anyOf: [{type: null}, X]` (either order) → `(X, true)`, else `(id, false)`.
fn unwrap_null(api: &Api, id: SchemaId) -> (SchemaId, bool) {
    let s = api.schema(id);
    for list in [&s.one_of, &s.any_of] {
        if list.len() == 2 && s.types.is_empty() && s.properties.is_empty() {
            let (a, b) = (list[0], list[1]);
            if is_null_only(api.schema(a)) && !is_null_only(api.schema(b)) {
                return (b, true);
            }
            if is_null_only(api.schema(b)) && !is_null_only(api.schema(a)) {
                return (a, true);
            }
        }
    }
    (id, false)
}

fn has_composition(s: &Schema) -> bool {
    !s.one_of.is_empty() || !s.any_of.is_empty() || !s.all_of.is_empty()
}

fn is_concrete(s: &Schema) -> bool {
    !s.types.is_empty() || !s.properties.is_empty() || s.items.is_some() || s.enum_values.is_some()
}

/// The types a schema allows, inferring `object`/`array` from `properties`/`items` when
/// `type` is absent.
fn effective_types(s: &Schema) -> BTreeSet<Type> {
    if !s.types.is_empty() {
        return s.types.clone();
    }
    let mut t = BTreeSet::new();
    if !s.properties.is_empty() {
        t.insert(Type::Object);
    }
    if s.items.is_some() {
        t.insert(Type::Array);
    }
    t
}

fn type_str(types: &BTreeSet<Type>, format: Option<&str>) -> String {
    let mut out = if types.is_empty() {
        "any".to_string()
    } else {
        types
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    if let Some(f) = format {
        out.push('/');
        out.push_str(f);
    }
    out
}

fn format_change(old: Option<&str>, new: Option<&str>) -> &'static str {
    match (old, new) {
        (None, Some(_)) => "type-specialized",
        (Some(_), None) => "type-generalized",
        (Some("int32"), Some("int64")) | (Some("float"), Some("double")) => "type-generalized",
        (Some("int64"), Some("int32")) | (Some("double"), Some("float")) => "type-specialized",
        _ => "type-changed",
    }
}

/// The type/format change between two schemas, if any.
fn type_change(bs: &Schema, rs: &Schema) -> Option<&'static str> {
    if bs.types == rs.types && bs.format == rs.format {
        return None;
    }
    let (bt, rt) = (effective_types(bs), effective_types(rs));
    if bt == rt {
        if bs.format == rs.format {
            return None;
        }
        return Some(format_change(bs.format.as_deref(), rs.format.as_deref()));
    }
    if bt.is_empty() {
        return (!has_composition(bs)).then_some("type-specialized");
    }
    if rt.is_empty() {
        return (!has_composition(rs)).then_some("type-generalized");
    }
    if bt.len() > 1 || rt.len() > 1 {
        return Some(if rt.is_superset(&bt) {
            "list-of-types-widened"
        } else if rt.is_subset(&bt) {
            "list-of-types-narrowed"
        } else {
            "type-changed"
        });
    }
    let pair = (bt.iter().next().copied(), rt.iter().next().copied());
    Some(match pair {
        (Some(Type::Integer), Some(Type::Number)) => "type-generalized",
        (Some(Type::Number), Some(Type::Integer)) => "type-specialized",
        _ => "type-changed",
    })
}

/// Flags of a `type-changed` between single scalar types and a plain `string`
/// (no `format` on the string side): [`TO_TEXT`] when the revision is the string (a
/// request in a text location still accepts every value it did), [`FROM_TEXT`] when
/// the base is (a response in a text location returned text before). Objects and
/// arrays are left out: in a form body they are spread over several fields, so the
/// swap changes the wire shape.
fn text_tolerance(bs: &Schema, rs: &Schema) -> u8 {
    let (bt, rt) = (effective_types(bs), effective_types(rs));
    let single = |t: &BTreeSet<Type>| (t.len() == 1).then(|| t.iter().next().copied()).flatten();
    let scalar = |t: Option<Type>| matches!(t, Some(Type::Integer | Type::Number | Type::Boolean));
    let (b, r) = (single(&bt), single(&rt));
    let mut flags = 0;
    if r == Some(Type::String) && rs.format.is_none() && scalar(b) {
        flags |= TO_TEXT;
    }
    if b == Some(Type::String) && bs.format.is_none() && scalar(r) {
        flags |= FROM_TEXT;
    }
    flags
}

/// Does a body of media type `mt` carry its values as text, so that `1` and `"1"` are
/// the same value on the wire? Forms (`application/x-www-form-urlencoded`,
/// `multipart/*`), `text/*` and XML do; JSON (`application/json`, `*+json`,
/// `text/json`) and everything else (YAML, binary formats, wildcards, an unknown media
/// type) is treated as typed. oasdiff treats every non-JSON media type as text; this is
/// the conservative subset of that.
fn is_text_media_type(mt: &str) -> bool {
    let essence = mt
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.ends_with("json") {
        return false;
    }
    essence == "application/x-www-form-urlencoded"
        || essence.starts_with("multipart/")
        || essence.starts_with("text/")
        || essence == "application/xml"
        || essence.ends_with("+xml")
}

/// Is a `type-changed` at `site` tolerated because the value travels as text there
/// (`*-type-compatible`)? Request bodies in a text media type when a scalar became a
/// string; response bodies in a text media type and response headers (text on the
/// wire) when a string became a scalar. Parameters have no such id in the vocabulary,
/// and in section `components` the media type is unknown.
fn text_tolerated(site: Site<'_>, r: &Rel) -> bool {
    match site {
        Site::RequestBody { media_type } => {
            r.flags & TO_TEXT != 0 && is_text_media_type(media_type)
        }
        Site::ResponseBody { media_type, .. } => {
            r.flags & FROM_TEXT != 0 && is_text_media_type(media_type)
        }
        Site::ResponseHeader { .. } => r.flags & FROM_TEXT != 0,
        Site::Parameter { .. } => false,
    }
}

/// A value as an arg: strings bare, anything else as compact JSON.
fn value_arg(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn num_arg(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// `[increased, decreased, set, unset]` suffixes of one bound keyword.
type BoundIds = [&'static str; 4];

fn bound(
    own: &mut Vec<Rel>,
    bs: &Schema,
    rs: &Schema,
    old: Option<f64>,
    new: Option<f64>,
    ids: BoundIds,
) {
    match (old, new) {
        (Some(a), Some(b)) if a < b => own.push(rel(ids[0], bs, rs, vec![num_arg(a), num_arg(b)])),
        (Some(a), Some(b)) if a > b => own.push(rel(ids[1], bs, rs, vec![num_arg(a), num_arg(b)])),
        (None, Some(b)) => own.push(rel(ids[2], bs, rs, vec![num_arg(b)])),
        (Some(a), None) => own.push(rel(ids[3], bs, rs, vec![num_arg(a)])),
        _ => {}
    }
}

fn u(v: Option<u64>) -> Option<f64> {
    v.map(|x| x as f64)
}

fn presence(
    own: &mut Vec<Rel>,
    bs: &Schema,
    rs: &Schema,
    old: bool,
    new: bool,
    ids: [&'static str; 2],
) {
    match (old, new) {
        (false, true) => own.push(rel(ids[0], bs, rs, Vec::new())),
        (true, false) => own.push(rel(ids[1], bs, rs, Vec::new())),
        _ => {}
    }
}

fn is_annotation_only(s: &Schema) -> bool {
    s.types.is_empty()
        && !s.nullable
        && s.format.is_none()
        && s.properties.is_empty()
        && s.required.is_empty()
        && s.additional_properties.is_none()
        && s.items.is_none()
        && s.enum_values.is_none()
        && s.extra().const_value.is_none()
        && !has_composition(s)
        && s.extra().not.is_none()
        && s.extra().minimum.is_none()
        && s.extra().maximum.is_none()
        && s.extra().exclusive_minimum.is_none()
        && s.extra().exclusive_maximum.is_none()
        && s.extra().min_length.is_none()
        && s.extra().max_length.is_none()
        && s.extra().min_items.is_none()
        && s.extra().max_items.is_none()
        && s.extra().pattern.is_none()
        && s.ref_name.is_none()
}

/// Cheap structural identity of two inline branches.
fn shallow_eq(a: &Schema, b: &Schema) -> bool {
    a.ref_name.is_none()
        && b.ref_name.is_none()
        && a.types == b.types
        && a.format == b.format
        && a.nullable == b.nullable
        && a.extra().title == b.extra().title
        && a.enum_values == b.enum_values
        && a.required == b.required
        && a.items.is_some() == b.items.is_some()
        && a.properties.len() == b.properties.len()
        && a.properties
            .keys()
            .zip(b.properties.keys())
            .all(|(x, y)| x == y)
}

fn branch_label(s: &Schema, i: usize) -> String {
    s.ref_name
        .clone()
        .or_else(|| s.extra().title.clone())
        .unwrap_or_else(|| format!("#{i}"))
}

/// One branch-matching criterion.
type BranchTest = dyn Fn(&Schema, &Schema) -> bool;

type Matching = (Vec<(usize, usize)>, Vec<usize>, Vec<usize>);

/// Matches composition branches: by `$ref` name, then inline by shallow equality, then by
/// title, then a lone leftover pair. Returns (pairs, removed base indexes, added
/// revision indexes).
fn match_branches(base: &Api, bl: &[SchemaId], rev: &Api, rl: &[SchemaId]) -> Matching {
    let mut bused = vec![false; bl.len()];
    let mut rused = vec![false; rl.len()];
    let mut pairs = Vec::new();
    let steps: [&BranchTest; 3] = [
        &|a, b| a.ref_name.is_some() && a.ref_name == b.ref_name,
        &|a, b| shallow_eq(a, b),
        &|a, b| {
            a.ref_name.is_none()
                && b.ref_name.is_none()
                && a.extra().title.is_some()
                && a.extra().title == b.extra().title
        },
    ];
    for step in steps {
        for (i, &bid) in bl.iter().enumerate() {
            if bused[i] {
                continue;
            }
            let bs = base.schema(bid);
            if let Some(j) = (0..rl.len()).find(|&j| !rused[j] && step(bs, rev.schema(rl[j]))) {
                bused[i] = true;
                rused[j] = true;
                pairs.push((i, j));
            }
        }
    }
    let bleft: Vec<usize> = (0..bl.len()).filter(|&i| !bused[i]).collect();
    let rleft: Vec<usize> = (0..rl.len()).filter(|&j| !rused[j]).collect();
    if bleft.len() == 1 && rleft.len() == 1 {
        pairs.push((bleft[0], rleft[0]));
        pairs.sort_unstable();
        return (pairs, Vec::new(), Vec::new());
    }
    pairs.sort_unstable();
    (pairs, bleft, rleft)
}

/// Properties of a schema merged with those of its `allOf` branches (own first, then
/// branches in order; the first definition of a name wins).
fn collect_props<'a>(
    api: &'a Api,
    id: SchemaId,
    side: Side,
    depth: usize,
    out: &mut IndexMap<&'a str, (SchemaId, PropRef)>,
) {
    let s = api.schema(id);
    for (i, (name, &pid)) in s.properties.iter().enumerate() {
        out.entry(name.as_str()).or_insert((
            pid,
            PropRef {
                side,
                owner: id,
                idx: i as u32,
            },
        ));
    }
    if depth < MAX_ALLOF_DEPTH {
        for &b in &s.all_of {
            collect_props(api, b, side, depth + 1, out);
        }
    }
}

/// `required` of a schema or of any of its `allOf` branches.
fn is_required(api: &Api, id: SchemaId, name: &str, depth: usize) -> bool {
    let s = api.schema(id);
    s.required.contains(name)
        || (depth < MAX_ALLOF_DEPTH
            && s.all_of
                .iter()
                .any(|&b| is_required(api, b, name, depth + 1)))
}

fn prop_flags(s: &Schema, required: bool) -> u8 {
    let mut f = 0;
    if required {
        f |= REQUIRED;
    }
    if s.read_only {
        f |= READ_ONLY;
    }
    if s.write_only {
        f |= WRITE_ONLY;
    }
    if s.extra().default.is_some() {
        f |= HAS_DEFAULT;
    }
    f
}

fn prop_rel(
    kind: &'static str,
    prop: PropRef,
    flags: u8,
    bp: Option<&Schema>,
    rp: Option<&Schema>,
) -> Rel {
    Rel {
        kind,
        prop: Some(prop),
        flags,
        details: Vec::new(),
        base_ptr: bp.map(|s| s.pointer.clone()),
        rev_ptr: rp.map(|s| s.pointer.clone()),
    }
}

fn compare_props(base: &Api, rev: &Api, key: Key, own: &mut Vec<Rel>, kids: &mut Vec<(Seg, Key)>) {
    let (bs, rs) = (base.schema(key.base), rev.schema(key.rev));
    if bs.properties.is_empty()
        && rs.properties.is_empty()
        && bs.all_of.is_empty()
        && rs.all_of.is_empty()
    {
        return;
    }
    let mut bprops = IndexMap::new();
    collect_props(base, key.base, Side::Base, 0, &mut bprops);
    let mut rprops = IndexMap::new();
    collect_props(rev, key.rev, Side::Rev, 0, &mut rprops);
    for (name, &(bp, bref)) in &bprops {
        let bps = base.schema(bp);
        let breq = is_required(base, key.base, name, 0);
        let Some(&(rp, rref)) = rprops.get(name) else {
            own.push(prop_rel(
                "property-removed",
                bref,
                prop_flags(bps, breq),
                Some(bps),
                None,
            ));
            continue;
        };
        let rps = rev.schema(rp);
        let rreq = is_required(rev, key.rev, name, 0);
        let flags = prop_flags(rps, rreq);
        if breq != rreq {
            let kind = if rreq {
                "property-became-required"
            } else {
                "property-became-optional"
            };
            own.push(prop_rel(kind, rref, flags, Some(bps), Some(rps)));
        }
        if bps.read_only != rps.read_only {
            let kind = if rps.read_only {
                "property-became-read-only"
            } else {
                "property-became-not-read-only"
            };
            own.push(prop_rel(kind, rref, flags, Some(bps), Some(rps)));
        }
        if let Some(r) = lifecycle_rel(bps, rps, rref) {
            own.push(r);
        }
        if bps.write_only != rps.write_only {
            let kind = if rps.write_only {
                "property-became-write-only"
            } else {
                "property-became-not-write-only"
            };
            own.push(prop_rel(kind, rref, flags, Some(bps), Some(rps)));
        }
        kids.push((
            Seg::Prop(rref),
            Key {
                base: bp,
                rev: rp,
                mode: 0,
            },
        ));
    }
    for (name, &(rp, rref)) in &rprops {
        if bprops.contains_key(name) {
            continue;
        }
        let rps = rev.schema(rp);
        let rreq = is_required(rev, key.rev, name, 0);
        own.push(prop_rel(
            "property-added",
            rref,
            prop_flags(rps, rreq),
            None,
            Some(rps),
        ));
    }
}

#[allow(clippy::too_many_arguments)]
fn compare_branches(
    base: &Api,
    rev: &Api,
    (bs, rs): (&Schema, &Schema),
    (bl, rl): (&[SchemaId], &[SchemaId]),
    ids: [&'static str; 2],
    all_of: bool,
    mode: u8,
    own: &mut Vec<Rel>,
    kids: &mut Vec<(Seg, Key)>,
) {
    if bl.is_empty() && rl.is_empty() {
        return;
    }
    let (pairs, removed, added) = match_branches(base, bl, rev, rl);
    for i in removed {
        let b = base.schema(bl[i]);
        let kind = if all_of && is_annotation_only(b) {
            "all-of-removed-annotation-only"
        } else {
            ids[1]
        };
        own.push(rel(kind, bs, rs, vec![branch_label(b, i)]));
    }
    for j in added {
        let r = rev.schema(rl[j]);
        let kind = if all_of && is_annotation_only(r) {
            "all-of-added-annotation-only"
        } else {
            ids[0]
        };
        own.push(rel(kind, bs, rs, vec![branch_label(r, j)]));
    }
    for (i, j) in pairs {
        kids.push((
            if all_of { Seg::Merged } else { Seg::Same },
            Key {
                base: bl[i],
                rev: rl[j],
                mode,
            },
        ));
    }
}

/// Compares one schema pair: its own keywords into `own`, its child pairs into `kids`.
fn compare_pair(base: &Api, rev: &Api, key: Key, own: &mut Vec<Rel>, kids: &mut Vec<(Seg, Key)>) {
    let (bs, rs) = (base.schema(key.base), rev.schema(key.rev));

    // Transition: wrapped in (or unwrapped from) oneOf/anyOf [{type: null}, X].
    let (eb, bwrap) = unwrap_null(base, key.base);
    let (er, rwrap) = unwrap_null(rev, key.rev);
    if bwrap || rwrap {
        if key.mode & NO_NULL == 0 {
            let bn = bwrap || bs.nullable || base.schema(eb).nullable;
            let rn = rwrap || rs.nullable || rev.schema(er).nullable;
            if bn != rn {
                let kind = if rn {
                    "became-nullable"
                } else {
                    "became-not-nullable"
                };
                let mut r = rel(kind, bs, rs, Vec::new());
                r.flags |= overlaid(base, bs, rev, rs, |a, b| a.nullable == b.nullable);
                own.push(r);
            }
        }
        kids.push((
            Seg::Same,
            Key {
                base: eb,
                rev: er,
                mode: key.mode | NO_NULL,
            },
        ));
        return;
    }

    // Transition: a concrete schema moved under a oneOf.
    if bs.one_of.is_empty() && !rs.one_of.is_empty() && is_concrete(bs) && !is_concrete(rs) {
        own.push(rel("wrapped-in-one-of", bs, rs, Vec::new()));
        let found = rs
            .one_of
            .iter()
            .find(|&&r| {
                let r = rev.schema(r);
                bs.ref_name.is_some() && r.ref_name == bs.ref_name
            })
            .or_else(|| {
                rs.one_of.iter().find(|&&r| {
                    let r = rev.schema(r);
                    bs.extra().title.is_some() && r.extra().title == bs.extra().title
                })
            });
        if let Some(&r) = found {
            kids.push((
                Seg::Same,
                Key {
                    base: key.base,
                    rev: r,
                    mode: key.mode,
                },
            ));
        }
        return;
    }

    if key.mode & NO_NULL == 0 && bs.nullable != rs.nullable {
        let kind = if rs.nullable {
            "became-nullable"
        } else {
            "became-not-nullable"
        };
        let mut r = rel(kind, bs, rs, Vec::new());
        r.flags |= overlaid(base, bs, rev, rs, |a, b| a.nullable == b.nullable);
        own.push(r);
    }

    if let Some(kind) = type_change(bs, rs) {
        let from = type_str(&effective_types(bs), bs.format.as_deref());
        let to = type_str(&effective_types(rs), rs.format.as_deref());
        let mut r = rel(kind, bs, rs, vec![from, to]);
        if kind == "type-changed" {
            r.flags |= text_tolerance(bs, rs);
        }
        own.push(r);
    }

    match (&bs.enum_values, &rs.enum_values) {
        (Some(a), Some(b)) if a != b => {
            for v in a.iter().filter(|v| !b.contains(v)) {
                own.push(rel("enum-value-removed", bs, rs, vec![value_arg(v)]));
            }
            for v in b.iter().filter(|v| !a.contains(v)) {
                own.push(rel("enum-value-added", bs, rs, vec![value_arg(v)]));
            }
        }
        (None, Some(_)) => own.push(rel("became-enum", bs, rs, Vec::new())),
        _ => {}
    }
    if let (Some(a), b) = (&bs.extra().extensible_enum, &rs.extra().extensible_enum)
        && Some(a) != b.as_ref()
    {
        {
            let empty = Vec::new();
            let b = b.as_ref().unwrap_or(&empty);
            for v in a.iter().filter(|v| !b.contains(v)) {
                own.push(rel(
                    "x-extensible-enum-value-removed",
                    bs,
                    rs,
                    vec![value_arg(v)],
                ));
            }
        }
    }

    let default_overlaid = overlaid(base, bs, rev, rs, |a, b| {
        a.extra().default == b.extra().default
    });
    for (old, new, ids, flags) in [
        (
            &bs.extra().const_value,
            &rs.extra().const_value,
            ["const-added", "const-removed", "const-changed"],
            0,
        ),
        (
            &bs.extra().default,
            &rs.extra().default,
            [
                "default-value-added",
                "default-value-removed",
                "default-value-changed",
            ],
            default_overlaid,
        ),
    ] {
        let r = match (old, new) {
            (None, Some(v)) => rel(ids[0], bs, rs, vec![v.to_string()]),
            (Some(v), None) => rel(ids[1], bs, rs, vec![v.to_string()]),
            (Some(a), Some(b)) if a != b => rel(ids[2], bs, rs, vec![a.to_string(), b.to_string()]),
            _ => continue,
        };
        own.push(Rel {
            flags: r.flags | flags,
            ..r
        });
    }

    bound(
        own,
        bs,
        rs,
        bs.extra().maximum,
        rs.extra().maximum,
        ["max-increased", "max-decreased", "max-set", "max-unset"],
    );
    bound(
        own,
        bs,
        rs,
        bs.extra().minimum,
        rs.extra().minimum,
        ["min-increased", "min-decreased", "min-set", "min-unset"],
    );
    bound(
        own,
        bs,
        rs,
        bs.extra().exclusive_maximum,
        rs.extra().exclusive_maximum,
        [
            "exclusive-max-increased",
            "exclusive-max-decreased",
            "exclusive-max-set",
            "exclusive-max-unset",
        ],
    );
    bound(
        own,
        bs,
        rs,
        bs.extra().exclusive_minimum,
        rs.extra().exclusive_minimum,
        [
            "exclusive-min-increased",
            "exclusive-min-decreased",
            "exclusive-min-set",
            "exclusive-min-unset",
        ],
    );
    bound(
        own,
        bs,
        rs,
        u(bs.extra().max_length),
        u(rs.extra().max_length),
        [
            "max-length-increased",
            "max-length-decreased",
            "max-length-set",
            "max-length-unset",
        ],
    );
    bound(
        own,
        bs,
        rs,
        u(bs.extra().min_length),
        u(rs.extra().min_length),
        [
            "min-length-increased",
            "min-length-decreased",
            "min-length-set",
            "min-length-unset",
        ],
    );
    bound(
        own,
        bs,
        rs,
        u(bs.extra().max_items),
        u(rs.extra().max_items),
        [
            "max-items-increased",
            "max-items-decreased",
            "max-items-set",
            "max-items-unset",
        ],
    );
    bound(
        own,
        bs,
        rs,
        u(bs.extra().min_items),
        u(rs.extra().min_items),
        [
            "min-items-increased",
            "min-items-decreased",
            "min-items-set",
            "min-items-unset",
        ],
    );
    bound(
        own,
        bs,
        rs,
        u(bs.extra().max_contains),
        u(rs.extra().max_contains),
        [
            "max-contains-increased",
            "max-contains-decreased",
            "max-contains-set",
            "max-contains-unset",
        ],
    );
    bound(
        own,
        bs,
        rs,
        u(bs.extra().min_contains),
        u(rs.extra().min_contains),
        [
            "min-contains-increased",
            "min-contains-decreased",
            "min-contains-set",
            "min-contains-unset",
        ],
    );

    match (&bs.extra().pattern, &rs.extra().pattern) {
        (None, Some(p)) => own.push(rel("pattern-added", bs, rs, vec![p.clone()])),
        (Some(p), None) => own.push(rel("pattern-removed", bs, rs, vec![p.clone()])),
        (Some(a), Some(b)) if a != b => {
            let kind = if pattern_widens(a, b) {
                "pattern-generalized"
            } else {
                "pattern-changed"
            };
            own.push(rel(kind, bs, rs, vec![a.clone(), b.clone()]))
        }
        _ => {}
    }

    for (old, new, ids) in [
        (
            &bs.extra().content_media_type,
            &rs.extra().content_media_type,
            "content-media-type-changed",
        ),
        (
            &bs.extra().content_encoding,
            &rs.extra().content_encoding,
            "content-encoding-changed",
        ),
    ] {
        if old != new {
            let s = |v: &Option<String>| v.clone().unwrap_or_default();
            own.push(rel(ids, bs, rs, vec![s(old), s(new)]));
        }
    }

    presence(
        own,
        bs,
        rs,
        bs.extra().if_schema.is_some(),
        rs.extra().if_schema.is_some(),
        ["if-added", "if-removed"],
    );
    presence(
        own,
        bs,
        rs,
        bs.extra().then_schema.is_some(),
        rs.extra().then_schema.is_some(),
        ["then-added", "then-removed"],
    );
    presence(
        own,
        bs,
        rs,
        bs.extra().else_schema.is_some(),
        rs.extra().else_schema.is_some(),
        ["else-added", "else-removed"],
    );
    presence(
        own,
        bs,
        rs,
        bs.extra().contains.is_some(),
        rs.extra().contains.is_some(),
        ["contains-added", "contains-removed"],
    );
    presence(
        own,
        bs,
        rs,
        bs.extra().property_names.is_some(),
        rs.extra().property_names.is_some(),
        ["property-names-added", "property-names-removed"],
    );
    presence(
        own,
        bs,
        rs,
        bs.extra().content_schema.is_some(),
        rs.extra().content_schema.is_some(),
        ["content-schema-added", "content-schema-removed"],
    );
    presence(
        own,
        bs,
        rs,
        bs.extra().unevaluated_items.is_some(),
        rs.extra().unevaluated_items.is_some(),
        ["unevaluated-items-added", "unevaluated-items-removed"],
    );
    presence(
        own,
        bs,
        rs,
        bs.extra().unevaluated_properties.is_some(),
        rs.extra().unevaluated_properties.is_some(),
        [
            "unevaluated-properties-added",
            "unevaluated-properties-removed",
        ],
    );

    let (bp, rp) = (bs.extra().prefix_items.len(), rs.extra().prefix_items.len());
    for i in rp..bp {
        own.push(rel("prefix-items-removed", bs, rs, vec![i.to_string()]));
    }
    for i in bp..rp {
        own.push(rel("prefix-items-added", bs, rs, vec![i.to_string()]));
    }
    keyed(
        own,
        bs,
        rs,
        &bs.extra().pattern_properties,
        &rs.extra().pattern_properties,
        ["pattern-property-added", "pattern-property-removed"],
    );
    keyed(
        own,
        bs,
        rs,
        &bs.extra().dependent_schemas,
        &rs.extra().dependent_schemas,
        ["dependent-schema-added", "dependent-schema-removed"],
    );
    keyed(
        own,
        bs,
        rs,
        &bs.extra().dependent_required,
        &rs.extra().dependent_required,
        ["dependent-required-added", "dependent-required-removed"],
    );
    for (k, v) in &bs.extra().dependent_required {
        if rs.extra().dependent_required.get(k).is_some_and(|w| w != v) {
            own.push(rel("dependent-required-changed", bs, rs, vec![k.clone()]));
        }
    }

    match (&bs.extra().discriminator, &rs.extra().discriminator) {
        (None, Some(_)) => own.push(rel("discriminator-added", bs, rs, Vec::new())),
        (Some(_), None) => own.push(rel("discriminator-removed", bs, rs, Vec::new())),
        (Some(a), Some(b)) if a != b => {
            if a.property_name != b.property_name {
                own.push(rel(
                    "discriminator-property-name-changed",
                    bs,
                    rs,
                    vec![a.property_name.clone(), b.property_name.clone()],
                ));
            }
            keyed(
                own,
                bs,
                rs,
                &a.mapping,
                &b.mapping,
                [
                    "discriminator-mapping-added",
                    "discriminator-mapping-deleted",
                ],
            );
            for (k, v) in &a.mapping {
                if b.mapping.get(k).is_some_and(|w| w != v) {
                    own.push(rel(
                        "discriminator-mapping-changed",
                        bs,
                        rs,
                        vec![k.clone()],
                    ));
                }
            }
        }
        _ => {}
    }

    let pair = (bs, rs);
    compare_branches(
        base,
        rev,
        pair,
        (&bs.one_of, &rs.one_of),
        ["one-of-added", "one-of-removed"],
        false,
        0,
        own,
        kids,
    );
    compare_branches(
        base,
        rev,
        pair,
        (&bs.any_of, &rs.any_of),
        ["any-of-added", "any-of-removed"],
        false,
        0,
        own,
        kids,
    );
    compare_branches(
        base,
        rev,
        pair,
        (&bs.all_of, &rs.all_of),
        ["all-of-added", "all-of-removed"],
        true,
        NO_PROPS,
        own,
        kids,
    );

    if let (Some(b), Some(r)) = (bs.items, rs.items) {
        kids.push((
            Seg::Items,
            Key {
                base: b,
                rev: r,
                mode: 0,
            },
        ));
    }
    if let (Some(AdditionalProperties::Schema(b)), Some(AdditionalProperties::Schema(r))) =
        (bs.additional_properties, rs.additional_properties)
    {
        kids.push((
            Seg::Additional,
            Key {
                base: b,
                rev: r,
                mode: 0,
            },
        ));
    }
    if key.mode & NO_PROPS == 0 {
        compare_props(base, rev, key, own, kids);
    }
}

/// Keys added to / removed from a map keyword.
fn keyed<V>(
    own: &mut Vec<Rel>,
    bs: &Schema,
    rs: &Schema,
    old: &std::collections::BTreeMap<String, V>,
    new: &std::collections::BTreeMap<String, V>,
    ids: [&'static str; 2],
) {
    if old.is_empty() && new.is_empty() {
        return;
    }
    for k in new.keys().filter(|k| !old.contains_key(*k)) {
        own.push(rel(ids[0], bs, rs, vec![k.clone()]));
    }
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        own.push(rel(ids[1], bs, rs, vec![k.clone()]));
    }
}

// ---------------------------------------------------------------------------------
// Instantiate

type Out = (&'static Rule, Vec<String>, Option<Pointer>, Option<Pointer>);

/// What a walk instantiates changes for.
#[derive(Debug, Clone, Copy)]
enum Ctx<'s> {
    /// One use site of an operation: the site's rules and context args.
    Site(Site<'s>),
    /// A component in section `components`: the property rules of the direction, no
    /// context args, and only pairs no site walked within the hop limit.
    Component(Dir),
}

struct Walk<'a, 's> {
    memo: &'a Memo,
    base: &'a Api,
    rev: &'a Api,
    ctx: Ctx<'s>,
    life: Life<'a>,
    /// Most component hops walked (`None`: unlimited).
    limit: Option<u32>,
    /// Paths at which entering the first component costs no hop (the body, its item).
    free: Vec<String>,
    /// Paths walked whatever the hops (and the paths on the way to them).
    watched: &'a [String],
    path: String,
    seen: HashSet<(&'static str, Vec<String>)>,
    out: Vec<Out>,
    /// Pairs (and which of their changes) walked within the limit.
    reached: Vec<(u32, Part)>,
    /// Component pairs met one hop beyond the limit (each once).
    boundaries: Vec<u32>,
}

/// True when `prefix` is `path` or an ancestor of it on a step boundary (the empty
/// path is the root, an ancestor of every path).
fn leads_to(prefix: &str, path: &str) -> bool {
    prefix.is_empty()
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

impl<'a> Walk<'a, '_> {
    fn prop_name(&self, p: PropRef) -> &'a str {
        prop_name(self.base, self.rev, p)
    }

    fn within(&self, hops: u32) -> bool {
        self.limit.is_none_or(|l| hops <= l)
    }

    /// Breadth-first from `root`, so every change is met first at its shallowest path;
    /// a pair is expanded at most `MAX_PATHS_PER_PAIR` times per site and never inside
    /// itself (cycles). Entering a named component different from the current one is a
    /// hop; pairs beyond the hop limit are not walked (unless watched) and the
    /// component pairs where the limit is crossed are kept in `boundaries`.
    ///
    /// An overlay pair (a `$ref` with siblings on either side) splits: its
    /// [`Part::Beside`] changes are judged at the hops of the pair that holds the
    /// `$ref`, as an inline schema would be, and its [`Part::Target`] changes and its
    /// children at the hops of the component it names. So an overlay one hop beyond the
    /// limit still has its beside changes instantiated here (its children are left to
    /// [`finish`], which walks it as a component without them), and a component walk's
    /// root never reports them (they belong to whoever entered it).
    fn run(&mut self, root: u32) {
        /// Which changes and edges of an entry's pair are walked.
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Parts {
            /// Every change and edge.
            All,
            /// Only the [`Part::Beside`] changes (the pair is beyond the limit).
            Beside,
            /// Every change but [`Part::Beside`] and every edge (a component's root).
            Target,
        }
        struct Entry<'n> {
            node: u32,
            parent: u32,
            depth: u32,
            path: String,
            comp: Names<'n>,
            hops: u32,
            /// Hops of the pair holding the `$ref`, where [`Part::Beside`] changes are
            /// judged.
            outer: u32,
            parts: Parts,
        }
        let mut entries = vec![Entry {
            node: root,
            parent: u32::MAX,
            depth: 0,
            path: String::new(),
            comp: pair_names(self.memo, self.base, self.rev, root),
            hops: 0,
            outer: 0,
            parts: match self.ctx {
                Ctx::Site(_) => Parts::All,
                Ctx::Component(_) => Parts::Target,
            },
        }];
        let mut visits: HashMap<u32, usize> = HashMap::default();
        visits.insert(root, 1);
        let mut crossed: HashSet<u32> = HashSet::default();
        let mut at = 0;
        while at < entries.len() && at < MAX_WALK_STEPS && self.out.len() < MAX_SITE_CHANGES {
            let here = entries[at].node;
            let node = &self.memo.arena[here as usize];
            let parts = entries[at].parts;
            let within = parts != Parts::Beside && self.within(entries[at].hops);
            let beside = parts != Parts::Target
                && node.own.iter().any(|r| r.flags & OVERLAID != 0)
                && self.within(entries[at].outer);
            let (skip_target, skip_beside) = match self.ctx {
                Ctx::Site(_) => {
                    if within {
                        self.reached.push((here, Part::Target));
                    }
                    if beside {
                        self.reached.push((here, Part::Beside));
                    }
                    (false, false)
                }
                Ctx::Component(dir) => (
                    self.memo.reached.contains(&(here, dir, Part::Target)),
                    self.memo.reached.contains(&(here, dir, Part::Beside)),
                ),
            };
            self.path.clear();
            self.path.push_str(&entries[at].path);
            for r in &node.own {
                let skip = if r.flags & OVERLAID != 0 {
                    parts == Parts::Target || skip_beside
                } else {
                    parts == Parts::Beside || skip_target
                };
                if !skip {
                    self.instantiate(r);
                }
            }
            let depth = entries[at].depth + 1;
            if parts != Parts::Beside && depth as usize <= MAX_WALK_DEPTH {
                for &(seg, c) in &node.edges {
                    if visits.get(&c).is_some_and(|&n| n >= MAX_PATHS_PER_PAIR) {
                        continue;
                    }
                    // Not inside itself: walk the ancestors of this entry.
                    let mut k = at as u32;
                    let mut cyclic = false;
                    while k != u32::MAX {
                        if entries[k as usize].node == c {
                            cyclic = true;
                            break;
                        }
                        k = entries[k as usize].parent;
                    }
                    if cyclic {
                        continue;
                    }
                    let e = &entries[at];
                    let mut path = e.path.clone();
                    match seg {
                        Seg::Same | Seg::Merged => {}
                        Seg::Prop(p) => {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push_str(self.prop_name(p));
                        }
                        Seg::Items => path.push_str("[]"),
                        Seg::Additional => {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push('*');
                        }
                    }
                    let names = match seg {
                        Seg::Merged => (None, None),
                        _ => pair_names(self.memo, self.base, self.rev, c),
                    };
                    let (comp, hops) = if names == (None, None) {
                        (e.comp, e.hops)
                    } else if !is_hop(e.comp, names) {
                        (names, e.hops)
                    } else if e.hops == 0 && self.free.contains(&path) {
                        (names, 0)
                    } else {
                        (names, e.hops + 1)
                    };
                    let outer = e.hops;
                    let mut parts = Parts::All;
                    if !self.within(hops) {
                        if within && crossed.insert(c) {
                            self.boundaries.push(c);
                        }
                        if !self.watched.iter().any(|w| leads_to(&path, w)) {
                            let child = &self.memo.arena[c as usize];
                            if !(within && child.own.iter().any(|r| r.flags & OVERLAID != 0)) {
                                continue;
                            }
                            parts = Parts::Beside;
                        }
                    }
                    *visits.entry(c).or_insert(0) += 1;
                    entries.push(Entry {
                        node: c,
                        parent: at as u32,
                        depth,
                        path,
                        comp,
                        hops,
                        outer,
                        parts,
                    });
                }
            }
            at += 1;
        }
    }

    fn instantiate(&mut self, r: &Rel) {
        let path = match r.prop {
            Some(p) => {
                let name = self.prop_name(p);
                if self.path.is_empty() {
                    name.to_string()
                } else {
                    format!("{}.{name}", self.path)
                }
            }
            None => self.path.clone(),
        };
        let (site, at_root) = match self.ctx {
            Ctx::Site(site) => (site, path.is_empty() && r.prop.is_none()),
            Ctx::Component(dir) => (dir.pseudo_site(), false),
        };
        if r.kind == LIFECYCLE {
            let dir = match site {
                Site::RequestBody { .. } => "request",
                Site::ResponseBody { .. } => "response",
                // The vocabulary has no lifecycle rules for properties of parameters
                // or headers.
                Site::Parameter { .. } | Site::ResponseHeader { .. } => return,
            };
            for (suffix, details) in judge_lifecycle(r, &self.life) {
                if let Some(rule) = rules::get(&format!("{dir}-property-{suffix}")) {
                    self.push(rule, path.clone(), false, details, r);
                }
            }
            return;
        }
        let Some(rule) = resolve(site, at_root, r) else {
            return;
        };
        self.push(rule, path, at_root, r.details.clone(), r);
    }

    /// Records one change of `rule` at `path`: args are the path (unless at the root),
    /// `details`, then the site context.
    fn push(
        &mut self,
        rule: &'static Rule,
        path: String,
        at_root: bool,
        details: Vec<String>,
        r: &Rel,
    ) {
        let mut args = Vec::with_capacity(details.len() + 3);
        if !at_root {
            args.push(path);
        }
        args.extend(details);
        if let Ctx::Site(site) = self.ctx {
            match site {
                Site::RequestBody { media_type } => args.push(media_type.to_string()),
                Site::ResponseBody { status, media_type } => {
                    args.push(status.to_string());
                    args.push(media_type.to_string());
                }
                Site::Parameter { location, name } => {
                    args.push(location.as_str().to_string());
                    args.push(name.to_string());
                }
                Site::ResponseHeader { status, name } => {
                    args.push(name.to_string());
                    args.push(status.to_string());
                }
            }
        }
        if self.out.len() < MAX_SITE_CHANGES && self.seen.insert((rule.id, args.clone())) {
            self.out
                .push((rule, args, r.base_ptr.clone(), r.rev_ptr.clone()));
        }
    }
}

/// What the lifecycle judgement of a property needs besides the pair: the operations'
/// `x-stability-level` (the level of a property without one of its own, as for
/// parameters) and the options holding the deprecation-days policy and today's date.
#[derive(Clone, Copy)]
struct Life<'a> {
    base_op: Option<&'a str>,
    rev_op: Option<&'a str>,
    opts: &'a DiffOptions,
}

/// The lifecycle relative change of a property present on both sides, when its
/// deprecation, its `x-sunset` (while deprecated on both sides) or its
/// `x-stability-level` changed.
fn lifecycle_rel(bps: &Schema, rps: &Schema, prop: PropRef) -> Option<Rel> {
    let (bx, rx) = (bps.extra(), rps.extra());
    let sunset_moved = bps.deprecated && rps.deprecated && bx.sunset != rx.sunset;
    if bps.deprecated == rps.deprecated && !sunset_moved && bx.stability == rx.stability {
        return None;
    }
    let mut flags = 0;
    for (on, bit) in [
        (bps.deprecated, B_DEPRECATED),
        (rps.deprecated, R_DEPRECATED),
        (bx.sunset.is_some(), B_SUNSET),
        (rx.sunset.is_some(), R_SUNSET),
        (bx.stability.is_some(), B_STABILITY),
        (rx.stability.is_some(), R_STABILITY),
    ] {
        if on {
            flags |= bit;
        }
    }
    let raw = |v: &Option<String>| v.clone().unwrap_or_default();
    Some(Rel {
        kind: LIFECYCLE,
        prop: Some(prop),
        flags,
        details: vec![
            raw(&bx.sunset),
            raw(&rx.sunset),
            raw(&bx.stability),
            raw(&rx.stability),
        ],
        base_ptr: Some(bps.pointer.clone()),
        rev_ptr: Some(rps.pointer.clone()),
    })
}

/// The lifecycle rules (suffixes after `request-property-` / `response-property-`) and
/// their details for a [`LIFECYCLE`] change, modelled on the parameter and endpoint
/// rules of `params` and `lifecycle`:
/// - stability: each side's level is the property's `x-stability-level`, else its
///   operation's; a change is reported when the base level was at least beta (below
///   it nothing was promised) and neither level is invalid;
/// - deprecation: judged by the deprecation-days policy of the revision level (0 days,
///   so no policy, when that level is invalid): deprecated without `x-sunset` under a
///   policy, with an unparsable `x-sunset` (also when a deprecated property's
///   `x-sunset` changes to one), or with a sunset closer than the policy allows.
fn judge_lifecycle(r: &Rel, life: &Life<'_>) -> Vec<(&'static str, Vec<String>)> {
    let raw = |bit: u8, i: usize| {
        (r.flags & bit != 0)
            .then(|| r.details.get(i).map(String::as_str))
            .flatten()
    };
    let (bsun, rsun) = (raw(B_SUNSET, 0), raw(R_SUNSET, 1));
    let (bstab, rstab) = (raw(B_STABILITY, 2), raw(R_STABILITY, 3));
    let base_level = Stability::parse(bstab.or(life.base_op));
    let rev_level = Stability::parse(rstab.or(life.rev_op));
    let mut out = Vec::new();
    if bstab != rstab
        && let (Ok(bs), Ok(rs)) = (base_level, &rev_level)
        && bs >= Stability::Beta
        && bs != *rs
    {
        let suffix = if *rs < bs {
            "stability-decreased"
        } else {
            "stability-increased"
        };
        out.push((
            suffix,
            vec![bs.as_str().to_string(), rs.as_str().to_string()],
        ));
    }
    let days = rev_level
        .map(|s| lifecycle::policy_days(life.opts, s))
        .unwrap_or(0);
    let (bdep, rdep) = (r.flags & B_DEPRECATED != 0, r.flags & R_DEPRECATED != 0);
    match (bdep, rdep, rsun) {
        (true, false, _) => out.push(("reactivated", vec![])),
        (false, true, None) if days > 0 => {
            out.push(("deprecated-sunset-missing", vec![days.to_string()]))
        }
        (false, true, None) => out.push(("deprecated", vec![])),
        (false, true, Some(raw)) => match lifecycle::parse_sunset(raw) {
            None => out.push(("deprecated-sunset-invalid", vec![raw.to_string()])),
            Some(date) if (date - lifecycle::today_of(life.opts)).num_days() < i64::from(days) => {
                out.push((
                    "sunset-date-too-small",
                    vec![date.to_string(), days.to_string()],
                ))
            }
            Some(date) => out.push(("deprecated-with-sunset", vec![date.to_string()])),
        },
        (true, true, Some(raw)) if bsun != Some(raw) && lifecycle::parse_sunset(raw).is_none() => {
            out.push(("deprecated-sunset-invalid", vec![raw.to_string()]))
        }
        _ => {}
    }
    out
}

/// The name of a property, from the arena of the side that defines it.
fn prop_name<'a>(base: &'a Api, rev: &'a Api, p: PropRef) -> &'a str {
    let api = match p.side {
        Side::Base => base,
        Side::Rev => rev,
    };
    api.schema(p.owner)
        .properties
        .get_index(p.idx as usize)
        .map(|(k, _)| k.as_str())
        .unwrap_or("")
}

/// Suffixes that have a `request-read-only-property-` form.
const READ_ONLY_REQUEST: &[&str] = &[
    "enum-value-removed",
    "exclusive-max-decreased",
    "exclusive-min-increased",
    "max-decreased",
    "max-length-decreased",
    "min-increased",
];

/// The rule a relative change becomes at `site`, or `None` when the vocabulary has no
/// rule for it there (for example a narrowing of a response, which is harmless).
fn resolve(site: Site<'_>, at_root: bool, r: &Rel) -> Option<&'static Rule> {
    let req = r.flags & REQUIRED != 0;
    let ro = r.flags & READ_ONLY != 0;
    let wo = r.flags & WRITE_ONLY != 0;
    let def = r.flags & HAS_DEFAULT != 0;
    let reqw = if req { "required" } else { "optional" };
    let candidates: Vec<String> = if let Some(action) = r.kind.strip_prefix("property-") {
        let id = match (site, action) {
            (Site::RequestBody { .. }, "added") if req && !ro => {
                if def {
                    "new-required-request-property-with-default".to_string()
                } else {
                    "new-required-request-property".to_string()
                }
            }
            (Site::RequestBody { .. }, "added") => "new-optional-request-property".to_string(),
            (Site::RequestBody { .. }, "removed") => "request-property-removed".to_string(),
            (Site::RequestBody { .. }, "became-required") if ro => return None,
            (Site::RequestBody { .. }, "became-required") if def => {
                "request-property-became-required-with-default".to_string()
            }
            (Site::RequestBody { .. }, "became-required" | "became-optional") => {
                format!("request-property-{action}")
            }
            (Site::RequestBody { .. }, _) => format!("request-{reqw}-property-{action}"),
            (Site::ResponseBody { .. }, "added" | "removed") => {
                let w = if wo { "write-only-" } else { "" };
                format!("response-{reqw}-{w}property-{action}")
            }
            (Site::ResponseBody { .. }, "became-required" | "became-optional") => {
                let w = if wo { "write-only-" } else { "" };
                format!("response-{w}property-{action}")
            }
            (Site::ResponseBody { .. }, _) => format!("response-{reqw}-property-{action}"),
            (
                Site::Parameter {
                    location: ParamIn::Header,
                    ..
                },
                "added",
            ) if req => "new-required-request-header-property".to_string(),
            (
                Site::Parameter {
                    location: ParamIn::Header,
                    ..
                },
                "became-required",
            ) => "request-header-property-became-required".to_string(),
            _ => return None,
        };
        vec![id]
    } else {
        let k = r.kind;
        let prefixes: &[&str] = match (site, at_root) {
            (Site::RequestBody { .. }, true) => &["request-body-"],
            (Site::RequestBody { .. }, false) if ro && READ_ONLY_REQUEST.contains(&k) => {
                &["request-read-only-property-"]
            }
            (Site::RequestBody { .. }, false) => &["request-property-"],
            (Site::ResponseBody { .. }, true) if k == "enum-value-removed" => {
                &["response-mediatype-"]
            }
            (Site::ResponseBody { .. }, true) => &["response-body-"],
            (Site::ResponseBody { .. }, false) if wo && k == "enum-value-added" => {
                &["response-write-only-property-"]
            }
            (Site::ResponseBody { .. }, false) => &["response-property-"],
            (Site::Parameter { .. }, true) => &["request-parameter-"],
            (
                Site::Parameter {
                    location: ParamIn::Header,
                    ..
                },
                false,
            ) => &["request-header-property-", "request-parameter-property-"],
            (Site::Parameter { .. }, false) => &["request-parameter-property-"],
            (Site::ResponseHeader { .. }, true) => &["response-header-"],
            (Site::ResponseHeader { .. }, false) => &[],
        };
        let mut v = Vec::new();
        for p in prefixes {
            if k == "type-changed" && text_tolerated(site, r) {
                v.push(format!("{p}type-compatible"));
            }
            v.push(format!("{p}{k}"));
            if k == "type-specialized" {
                v.push(format!("{p}type-changed"));
            }
            if k == "pattern-generalized" {
                v.push(format!("{p}pattern-changed"));
            }
        }
        v
    };
    candidates.iter().find_map(|id| rules::get(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Change, DiffOptions, Level};
    use crate::model::Method;

    fn t(ty: Type) -> Schema {
        Schema {
            types: [ty].into(),
            ..Schema::default()
        }
    }

    fn obj(api: &mut Api, props: &[(&str, SchemaId)], required: &[&str]) -> SchemaId {
        api.push_schema(Schema {
            types: [Type::Object].into(),
            properties: props.iter().map(|(n, id)| (n.to_string(), *id)).collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
            ..Schema::default()
        })
    }

    fn enum_of(values: &[&str]) -> Schema {
        Schema {
            enum_values: Some(values.iter().map(|v| Value::from(*v)).collect()),
            ..t(Type::String)
        }
    }

    fn scope(path: &str) -> Scope {
        Scope {
            operation: Some(Method::Get),
            path: Some(path.to_string()),
            ..Scope::default()
        }
    }

    const RESP: Site<'static> = Site::ResponseBody {
        status: "200",
        media_type: "application/json",
    };
    const REQ: Site<'static> = Site::RequestBody {
        media_type: "application/json",
    };

    /// Runs one comparison and returns `(id, level, args)` of every change.
    fn run(
        base: &Api,
        rev: &Api,
        site: Site<'_>,
        b: SchemaId,
        r: SchemaId,
    ) -> Vec<(String, Level, Vec<String>)> {
        let opts = DiffOptions::default();
        let mut em = Emitter::new(base, rev, &opts);
        compare(&mut em, &scope("/x"), site, b, r);
        em.changes
            .into_iter()
            .map(|c| (c.id, c.level, c.args))
            .collect()
    }

    fn status_api(values: &[&str]) -> (Api, SchemaId) {
        let mut a = Api::default();
        let st = a.push_schema(enum_of(values));
        let root = obj(&mut a, &[("status", st)], &["status"]);
        (a, root)
    }

    #[test]
    fn response_enum_value_added_is_warn_for_reader_and_removed_is_info() {
        let (b, br) = status_api(&["active"]);
        let (r, rr) = status_api(&["active", "archived"]);
        let got = run(&b, &r, RESP, br, rr);
        let args = vec![
            "status".to_string(),
            "archived".into(),
            "200".into(),
            "application/json".into(),
        ];
        assert_eq!(
            got,
            vec![(
                "response-property-enum-value-added".into(),
                Level::Warn,
                args.clone()
            )]
        );
        let got = run(&r, &b, RESP, rr, br);
        assert_eq!(
            got,
            vec![(
                "response-property-enum-value-removed".into(),
                Level::Info,
                args
            )]
        );
        // The same schemas in a request: removing a value is breaking.
        let got = run(&r, &b, REQ, rr, br);
        assert_eq!(got[0].0, "request-property-enum-value-removed");
        assert_eq!(got[0].1, Level::Err);
        assert_eq!(got[0].2, vec!["status", "archived", "application/json"]);
    }

    #[test]
    fn required_property_removed_from_response_is_err_and_text_names_it() {
        let mut b = Api::default();
        let s1 = b.push_schema(t(Type::String));
        let s2 = b.push_schema(t(Type::String));
        let profile = obj(&mut b, &[("login", s1), ("email", s2)], &["login"]);
        let br = obj(&mut b, &[("profile", profile)], &[]);
        let mut r = Api::default();
        let s2 = r.push_schema(t(Type::String));
        let profile = obj(&mut r, &[("email", s2)], &[]);
        let rr = obj(&mut r, &[("profile", profile)], &[]);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        compare(&mut em, &scope("/x"), RESP, br, rr);
        assert_eq!(em.changes.len(), 1, "{:#?}", em.changes);
        let c = &em.changes[0];
        assert_eq!(c.id, "response-required-property-removed");
        assert_eq!(c.level, Level::Err);
        assert_eq!(c.args[0], "profile.login");
        assert!(
            c.text.contains("'profile.login'") && c.text.contains("'200' status"),
            "{}",
            c.text
        );
    }

    #[test]
    fn request_new_required_property_and_became_required_are_err() {
        let mut b = Api::default();
        let a1 = b.push_schema(t(Type::String));
        let br = obj(&mut b, &[("a", a1)], &[]);
        let mut r = Api::default();
        let a1 = r.push_schema(t(Type::String));
        let n1 = r.push_schema(t(Type::Integer));
        let rr = obj(&mut r, &[("a", a1), ("n", n1)], &["a", "n"]);
        let mut got = run(&b, &r, REQ, br, rr);
        got.sort();
        let ids: Vec<_> = got
            .iter()
            .map(|g| (g.0.as_str(), g.1, g.2[0].as_str()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("new-required-request-property", Level::Err, "n"),
                ("request-property-became-required", Level::Err, "a"),
            ]
        );
        // Reversed: the property is gone and `a` became optional.
        let mut got = run(&r, &b, REQ, rr, br);
        got.sort();
        let ids: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "request-property-became-optional",
                "request-property-removed"
            ]
        );
    }

    #[test]
    fn property_moved_into_all_of_is_not_removed() {
        let mut b = Api::default();
        let id = b.push_schema(t(Type::String));
        let name = b.push_schema(t(Type::String));
        let br = obj(&mut b, &[("id", id), ("name", name)], &["id"]);
        let mut r = Api::default();
        let id = r.push_schema(t(Type::String));
        let name = r.push_schema(t(Type::String));
        let mut basis = Schema {
            ref_name: Some("Basis".into()),
            ..t(Type::Object)
        };
        basis.properties.insert("id".into(), id);
        basis.required.insert("id".into());
        let basis = r.push_schema(basis);
        let mut root = t(Type::Object);
        root.properties.insert("name".into(), name);
        root.all_of.push(basis);
        let rr = r.push_schema(root);
        let got = run(&b, &r, RESP, br, rr);
        let ids: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(ids, vec!["response-body-all-of-added"], "{got:#?}");
    }

    #[test]
    fn shared_component_is_compared_once_and_reported_per_site() {
        let (b, br) = status_api(&["a", "b"]);
        let (r, rr) = status_api(&["a"]);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        compare(&mut em, &scope("/one"), REQ, br, rr);
        let after_first = em.schema_memo.pairs_compared();
        assert!(after_first >= 2);
        compare(&mut em, &scope("/two"), REQ, br, rr);
        compare(&mut em, &scope("/three"), RESP, br, rr);
        assert_eq!(em.schema_memo.pairs_compared(), after_first);
        let got: Vec<_> = em
            .changes
            .iter()
            .map(|c| (c.path.clone().unwrap_or_default(), c.id.as_str(), c.level))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "/one".into(),
                    "request-property-enum-value-removed",
                    Level::Err
                ),
                (
                    "/two".into(),
                    "request-property-enum-value-removed",
                    Level::Err
                ),
                (
                    "/three".into(),
                    "response-property-enum-value-removed",
                    Level::Info
                ),
            ]
        );
    }

    /// `Node { name, children: [Node] }`; `name` changes type.
    fn tree(name_type: Type) -> (Api, SchemaId) {
        let mut a = Api::default();
        let name = a.push_schema(t(name_type));
        let node = a.push_schema(Schema::default());
        let children = a.push_schema(Schema {
            items: Some(node),
            ..t(Type::Array)
        });
        let mut n = t(Type::Object);
        n.ref_name = Some("Node".into());
        n.properties.insert("name".into(), name);
        n.properties.insert("children".into(), children);
        a.schemas[node.0 as usize] = n;
        (a, node)
    }

    #[test]
    fn cyclic_schema_change_is_reported_once_at_its_shallowest_path() {
        let (b, br) = tree(Type::String);
        let (r, rr) = tree(Type::Integer);
        let got = run(&b, &r, RESP, br, rr);
        assert_eq!(
            got,
            vec![(
                "response-property-type-changed".to_string(),
                Level::Err,
                vec![
                    "name".into(),
                    "string".into(),
                    "integer".into(),
                    "200".into(),
                    "application/json".into()
                ]
            )]
        );
        // Entered from the array of children first, the result is the same shape.
        let (bc, rc) = (
            b.schema(br).properties["children"],
            r.schema(rr).properties["children"],
        );
        let got = run(&b, &r, RESP, bc, rc);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2[0], "[].name");
    }

    #[test]
    fn memo_results_do_not_depend_on_visiting_order() {
        let (b, br) = tree(Type::String);
        let (r, rr) = tree(Type::Integer);
        let (bc, rc) = (
            b.schema(br).properties["children"],
            r.schema(rr).properties["children"],
        );
        let opts = DiffOptions::default();
        let mut one = Emitter::new(&b, &r, &opts);
        compare(&mut one, &scope("/a"), RESP, br, rr);
        compare(&mut one, &scope("/b"), RESP, bc, rc);
        let mut two = Emitter::new(&b, &r, &opts);
        compare(&mut two, &scope("/b"), RESP, bc, rc);
        compare(&mut two, &scope("/a"), RESP, br, rr);
        let mut x = one.changes;
        let mut y = two.changes;
        crate::diff::sort_changes(&mut x);
        crate::diff::sort_changes(&mut y);
        assert_eq!(x, y);
    }

    #[test]
    fn wrapping_in_null_one_of_is_only_became_nullable() {
        let mut b = Api::default();
        let br = b.push_schema(enum_of(&["x"]));
        let mut r = Api::default();
        let inner = r.push_schema(enum_of(&["x"]));
        let null = r.push_schema(Schema {
            nullable: true,
            ..Schema::default()
        });
        let rr = r.push_schema(Schema {
            one_of: vec![null, inner],
            ..Schema::default()
        });
        let got = run(&b, &r, RESP, br, rr);
        assert_eq!(
            got,
            vec![(
                "response-body-became-nullable".into(),
                Level::Err,
                vec!["200".into(), "application/json".into()]
            )]
        );
    }

    #[test]
    fn array_body_items_use_bracket_paths() {
        let mk = |max: u64| {
            let mut a = Api::default();
            let mut s = t(Type::String);
            s.extra_mut().max_length = Some(max);
            let id = a.push_schema(s);
            let item = obj(&mut a, &[("id", id)], &[]);
            let root = a.push_schema(Schema {
                items: Some(item),
                ..t(Type::Array)
            });
            (a, root)
        };
        let (b, br) = mk(10);
        let (r, rr) = mk(20);
        let got = run(&b, &r, RESP, br, rr);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "response-property-max-length-increased");
        assert_eq!(
            got[0].2[..3],
            ["[].id".to_string(), "10".into(), "20".into()]
        );
        let got = run(&r, &b, REQ, rr, br);
        assert_eq!(got[0].0, "request-property-max-length-decreased");
        assert_eq!(got[0].1, Level::Err);
    }

    #[test]
    fn parameter_and_header_schema_rules() {
        let mut b = Api::default();
        let br = b.push_schema(enum_of(&["asc", "desc"]));
        let mut r = Api::default();
        let rr = r.push_schema(enum_of(&["asc"]));
        let site = Site::Parameter {
            location: ParamIn::Query,
            name: "order",
        };
        let got = run(&b, &r, site, br, rr);
        assert_eq!(
            got,
            vec![(
                "request-parameter-enum-value-removed".into(),
                Level::Err,
                vec!["desc".into(), "query".into(), "order".into()]
            )]
        );

        let mut b = Api::default();
        let br = b.push_schema(t(Type::Integer));
        let mut r = Api::default();
        let rr = r.push_schema(Schema {
            nullable: true,
            ..t(Type::String)
        });
        let site = Site::ResponseHeader {
            status: "200",
            name: "x-rate-limit",
        };
        let mut got = run(&b, &r, site, br, rr);
        got.sort();
        let ids: Vec<_> = got.iter().map(|g| (g.0.as_str(), g.1)).collect();
        assert_eq!(
            ids,
            vec![
                ("response-header-became-nullable", Level::Err),
                ("response-header-type-changed", Level::Err)
            ]
        );
    }

    #[test]
    fn header_parameter_object_property_became_required() {
        let mut b = Api::default();
        let p = b.push_schema(t(Type::String));
        let br = obj(&mut b, &[("a", p)], &[]);
        let mut r = Api::default();
        let p = r.push_schema(t(Type::String));
        let rr = obj(&mut r, &[("a", p)], &["a"]);
        let site = Site::Parameter {
            location: ParamIn::Header,
            name: "X-Ctx",
        };
        let got = run(&b, &r, site, br, rr);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "request-header-property-became-required");
        assert_eq!(got[0].2, vec!["a", "header", "X-Ctx"]);
    }

    #[test]
    fn unchanged_schemas_emit_nothing() {
        let (b, br) = tree(Type::String);
        let (r, rr) = tree(Type::String);
        assert!(run(&b, &r, RESP, br, rr).is_empty());
        assert!(run(&b, &r, REQ, br, rr).is_empty());
    }

    /// 40 levels, each with two properties pointing at the next level: 2^40 paths to the
    /// one change at the bottom. Building is linear and the walk is bounded.
    #[test]
    fn diamond_fan_out_is_bounded() {
        let mk = |leaf: Type| {
            let mut a = Api::default();
            let mut next = a.push_schema(t(leaf));
            for _ in 0..40 {
                next = obj(&mut a, &[("l", next), ("r", next)], &[]);
            }
            (a, next)
        };
        let (b, br) = mk(Type::String);
        let (r, rr) = mk(Type::Integer);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        for i in 0..20 {
            compare(&mut em, &scope(&format!("/p{i}")), RESP, br, rr);
        }
        assert_eq!(em.schema_memo.pairs_compared(), 41);
        assert!(!em.changes.is_empty());
        assert_eq!(em.changes.len(), 20 * MAX_PATHS_PER_PAIR);
        assert!(
            em.changes
                .iter()
                .all(|c| c.args[0].split('.').count() <= MAX_WALK_DEPTH)
        );
    }

    /// `A.b → B.c → C.d → D.e → E`, each a named component; `B.x`, `C.x`, `D.x`
    /// and `E.status` (an enum) are the leaves. Returns the api and every component.
    fn chain(b_x: Type, c_x: Type, d_x: Type, statuses: &[&str]) -> (Api, [SchemaId; 5]) {
        let mut a = Api::default();
        let named = |a: &mut Api, name: &str, props: &[(&str, SchemaId)]| {
            let id = obj(a, props, &[]);
            a.schemas[id.0 as usize].ref_name = Some(name.into());
            a.component_schemas.insert(name.into(), id);
            id
        };
        let st = a.push_schema(enum_of(statuses));
        let e = named(&mut a, "E", &[("status", st)]);
        let x = a.push_schema(t(d_x));
        let d = named(&mut a, "D", &[("e", e), ("x", x)]);
        let x = a.push_schema(t(c_x));
        let c = named(&mut a, "C", &[("d", d), ("x", x)]);
        let x = a.push_schema(t(b_x));
        let b = named(&mut a, "B", &[("c", c), ("x", x)]);
        let root = named(&mut a, "A", &[("b", b)]);
        (a, [root, b, c, d, e])
    }

    fn chain_pair() -> ((Api, [SchemaId; 5]), (Api, [SchemaId; 5])) {
        (
            chain(Type::String, Type::String, Type::String, &["on"]),
            chain(Type::Integer, Type::Integer, Type::Integer, &["on", "off"]),
        )
    }

    /// Runs the sites `(path, index of the root component)` and `finish`.
    fn run_chain(sites: &[(&str, usize)], opts: &DiffOptions) -> Vec<Change> {
        let ((b, bi), (r, ri)) = chain_pair();
        let mut em = Emitter::new(&b, &r, opts);
        for &(path, i) in sites {
            compare(&mut em, &scope(path), RESP, bi[i], ri[i]);
        }
        finish(&mut em);
        let mut out = em.changes;
        crate::diff::sort_changes(&mut out);
        out
    }

    fn summary(changes: &[Change]) -> Vec<(String, String, String)> {
        changes
            .iter()
            .map(|c| {
                (
                    c.path.clone().unwrap_or_default(),
                    c.id.clone(),
                    c.args.first().cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn changes_beyond_the_hop_limit_are_reported_once_per_component() {
        let opts = DiffOptions::default();
        assert_eq!(opts.max_ref_hops, 2);
        let got = run_chain(&[("/one", 0), ("/two", 0)], &opts);
        let s = |p: &str, id: &str, a: &str| (p.to_string(), id.to_string(), a.to_string());
        assert_eq!(
            summary(&got),
            vec![
                s(
                    "#/components/schemas/D",
                    "response-property-type-changed",
                    "x"
                ),
                s(
                    "#/components/schemas/E",
                    "response-property-enum-value-added",
                    "status"
                ),
                s("/one", "response-property-type-changed", "b.c.x"),
                s("/one", "response-property-type-changed", "b.x"),
                s("/two", "response-property-type-changed", "b.c.x"),
                s("/two", "response-property-type-changed", "b.x"),
            ],
            "{got:#?}"
        );
        let e = &got[1];
        assert_eq!(e.section, crate::diff::Section::Components);
        assert_eq!((e.operation, e.level), (None, Level::Warn));
        assert_eq!(e.args, vec!["status", "off"]);
        assert!(
            e.text.contains("component 'E'") && e.text.contains("reached by 2 operations"),
            "{}",
            e.text
        );
        assert_eq!(
            e.fingerprint,
            crate::diff::fingerprint(&e.id, None, e.path.as_deref(), &e.args)
        );

        // A site whose body is C reaches D and E within the limit: they are reported
        // there, so no longer in section components; D.x is still deep from /one.
        let got = run_chain(&[("/one", 0), ("/c", 2)], &opts);
        let paths: Vec<_> = summary(&got);
        assert!(paths.contains(&s("/c", "response-property-enum-value-added", "d.e.status")));
        assert!(paths.contains(&s("/c", "response-property-type-changed", "d.x")));
        assert!(
            got.iter()
                .all(|c| c.section != crate::diff::Section::Components),
            "{got:#?}"
        );

        // Unlimited: everything at every site, nothing in components.
        let all = DiffOptions {
            max_ref_hops: 0,
            ..DiffOptions::default()
        };
        let got = run_chain(&[("/one", 0)], &all);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got.iter().any(|c| c.args[0] == "b.c.d.e.status"));
    }

    #[test]
    fn list_items_and_wrapper_items_cost_no_hop() {
        let ((mut b, bi), (mut r, ri)) = chain_pair();
        // `[A]` and `{data: [A], has_more}`: A is the item, B is still one hop.
        let list = |a: &mut Api, root: SchemaId| {
            let arr = a.push_schema(Schema {
                items: Some(root),
                ..t(Type::Array)
            });
            let more = a.push_schema(t(Type::Boolean));
            let wrap = obj(a, &[("data", arr), ("has_more", more)], &[]);
            (arr, wrap)
        };
        let (barr, bwrap) = list(&mut b, bi[0]);
        let (rarr, rwrap) = list(&mut r, ri[0]);
        let opts = DiffOptions::default();
        let mut em = Emitter::new(&b, &r, &opts);
        compare(&mut em, &scope("/list"), RESP, barr, rarr);
        compare(&mut em, &scope("/wrap"), RESP, bwrap, rwrap);
        let got: Vec<_> = em.changes.iter().map(|c| c.args[0].as_str()).collect();
        assert_eq!(
            got,
            vec!["[].b.x", "[].b.c.x", "data[].b.x", "data[].b.c.x"]
        );
    }

    #[test]
    fn watched_paths_are_reported_per_operation_at_any_depth() {
        let mut opts = DiffOptions::default();
        opts.watched.insert(
            crate::model::OpKey::new(Method::Get, "/one"),
            vec!["b.c.d.e.status".to_string()],
        );
        let plain = run_chain(&[("/one", 0), ("/two", 0)], &DiffOptions::default());
        let got = run_chain(&[("/one", 0), ("/two", 0)], &opts);
        let extra: Vec<_> = got.iter().filter(|c| !plain.contains(c)).collect();
        // Only what lies on the way to the watched field (not `b.c.d.x`).
        let ids: Vec<_> = extra
            .iter()
            .map(|c| (c.path.as_deref().unwrap_or(""), c.args[0].as_str()))
            .collect();
        assert_eq!(ids, vec![("/one", "b.c.d.e.status")]);
        // Nothing else moves: section components and /two are as without the contract.
        assert!(plain.iter().all(|c| got.contains(c)));
    }

    #[test]
    fn component_section_does_not_depend_on_site_order() {
        let opts = DiffOptions::default();
        let a = run_chain(&[("/one", 0), ("/two", 1), ("/three", 0)], &opts);
        let b = run_chain(&[("/three", 0), ("/two", 1), ("/one", 0)], &opts);
        assert_eq!(a, b);
        let c = run_chain(&[("/one", 0), ("/two", 1), ("/three", 0)], &opts);
        assert_eq!(a, c);
        // /two starts at B (C is 1 hop, D 2, E 3): D is within its limit, E is deep
        // everywhere and reached by all three operations (/one and /three through D).
        let comps: Vec<_> = a.iter().filter(|c| c.operation.is_none()).collect();
        assert_eq!(comps.len(), 1, "{a:#?}");
        assert_eq!(comps[0].path.as_deref(), Some("#/components/schemas/E"));
        assert!(
            comps[0].text.contains("reached by 3 operations"),
            "{}",
            comps[0].text
        );
        assert!(a.iter().any(|c| c.args[0] == "c.d.x"));
    }

    #[test]
    fn every_rule_has_a_template_for_its_args() {
        for r in RULES {
            assert!(
                r.template.contains("{0}") || !r.template.contains('{'),
                "{}",
                r.id
            );
        }
    }

    fn life_rel(flags: u8, details: [&str; 4]) -> Rel {
        Rel {
            kind: LIFECYCLE,
            prop: None,
            flags,
            details: details.iter().map(|d| d.to_string()).collect(),
            base_ptr: None,
            rev_ptr: None,
        }
    }

    #[test]
    fn property_lifecycle_uses_its_own_level_before_the_operation() {
        let opts = DiffOptions {
            today: Some("2026-01-01".into()),
            deprecation_days_beta: 10,
            deprecation_days_stable: 90,
            ..DiffOptions::default()
        };
        let life = Life {
            base_op: Some("stable"),
            rev_op: Some("stable"),
            opts: &opts,
        };
        // Deprecated, the property itself beta: the beta policy (10 days) judges it.
        let r = life_rel(
            R_DEPRECATED | R_SUNSET | B_STABILITY | R_STABILITY,
            ["", "2026-02-01", "beta", "beta"],
        );
        assert_eq!(
            judge_lifecycle(&r, &life),
            [("deprecated-with-sunset", vec!["2026-02-01".to_string()])]
        );
        // Dropping its own beta level puts it at the operation's (stable): a raise,
        // and the stable policy (90 days) finds the same sunset too early.
        let r = life_rel(
            R_DEPRECATED | R_SUNSET | B_STABILITY,
            ["", "2026-02-01", "beta", ""],
        );
        let got = judge_lifecycle(&r, &life);
        assert_eq!(
            got,
            [
                (
                    "stability-increased",
                    vec!["beta".to_string(), "stable".to_string()]
                ),
                (
                    "sunset-date-too-small",
                    vec!["2026-02-01".to_string(), "90".to_string()]
                ),
            ]
        );
        // An invalid level reports no stability change and turns the policy off.
        let r = life_rel(
            R_DEPRECATED | B_STABILITY | R_STABILITY,
            ["", "", "stable", "ga"],
        );
        assert_eq!(judge_lifecycle(&r, &life), [("deprecated", vec![])]);
        // Raising a property that was alpha promised nothing before: not reported.
        let r = life_rel(B_STABILITY | R_STABILITY, ["", "", "alpha", "stable"]);
        assert!(judge_lifecycle(&r, &life).is_empty());
    }
}
